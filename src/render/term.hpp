// Terminal text: escaping what must not reach a terminal raw, display width, wrapping, colour.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace knots::render {

/// How text output looks: colour on or off, and the width to wrap to.
struct Style {
  bool color = false;
  std::size_t width = 80;
  /// Listings (list, the vocabularies) as one line per entry, fields separated by a tab, without a
  /// header, colour or wrapping, for awk and cut (stdout is not a terminal). Pages are unchanged.
  bool tabular = false;
};

/// One line of a tabular listing: the fields joined by tabs, each made safe for a terminal, its
/// tabs and line breaks turned to spaces; ends with a line feed.
std::string tabular_row(const std::vector<std::string>& fields);

/// Makes text safe for a terminal: invalid UTF-8 becomes U+FFFD; C0 controls (but line feeds
/// when `multiline`), DEL, C1 and bidi/invisible controls become visible escapes like "\x1B" or
/// "\u202E".
std::string sanitize(std::string_view text, bool multiline = false);

/// The number of terminal columns `text` takes (one per code point; wide characters are rare in
/// the knowledge base).
std::size_t display_width(std::string_view text);

/// Splits `text` into lines of at most `width` columns at spaces; a line feed starts a new
/// paragraph. A word (an id, a URL, a flag) is never split: one longer than the width stands alone
/// on its line.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

/// `text` wrapped to `width` as a block for a person to read, each line ending in a line feed:
/// every line of `text` keeps its own indentation, and the lines it wraps onto are indented `hang`
/// columns more ("knots: error: …" with its continuation under it). Words are never split, as in
/// wrap().
std::string wrap_block(std::string_view text, std::size_t width, std::size_t hang);

/// `text` followed by spaces up to `width` columns.
std::string pad(std::string_view text, std::size_t width);

enum class Paint { heading, id, dim, good, warn, bad, accent };

/// `text` in the colour for `paint` when colour is on, else unchanged.
std::string paint(std::string_view text, Paint paint, const Style& style);

}  // namespace knots::render
