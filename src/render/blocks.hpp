// The blocks text pages are built of (paragraphs, headings, labelled fields, citations), shared by
// text.cpp and topics.cpp so that every page wraps, indents and cites alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "render/term.hpp"

namespace knots::render {

/// The indentation of a section's lines under its heading.
inline constexpr std::size_t kIndent = 2;
/// The width of the labels of field().
inline constexpr std::size_t kLabel = 16;

/// Wrapped text, sanitised, each line indented; a line feed inside starts a new line, and an
/// empty line stays empty.
void paragraph(std::string& out, std::string_view text, std::size_t indent, const Style& style);

/// Wrapped text, each line indented, as one string (to paint as a whole).
std::string wrap_indented(std::string_view text, std::size_t indent, const Style& style);

/// "- text", wrapped with the lines after the first hanging under the text.
void bullet(std::string& out, std::string_view text, std::size_t indent, const Style& style);

/// A blank line, then the title as a heading.
void heading(std::string& out, std::string_view title, const Style& style);

/// The items joined and made safe for the terminal.
std::string listed(const std::vector<std::string>& items, std::string_view sep = ", ");

/// " [S1, S6]" after a statement, or "" when it cites nothing.
std::string citation(const std::vector<std::string>& sources);

/// A label column and wrapped text beside it (`value` must be sanitised already).
void field(std::string& out, std::string_view label, std::string_view value, const Style& style,
           Paint label_paint = Paint::dim);

}  // namespace knots::render
