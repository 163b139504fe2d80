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
};

/// Makes text safe for a terminal: invalid UTF-8 becomes U+FFFD; C0 controls (but line feeds
/// when `multiline`), DEL, C1 and bidi/invisible controls become visible escapes like "\x1B" or
/// "\u202E".
std::string sanitize(std::string_view text, bool multiline = false);

/// The number of terminal columns `text` takes (one per code point; wide characters are rare in
/// the knowledge base).
std::size_t display_width(std::string_view text);

/// Splits `text` into lines of at most `width` columns at spaces; a line feed starts a new
/// paragraph. Words longer than the width are kept whole.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

/// `text` followed by spaces up to `width` columns.
std::string pad(std::string_view text, std::size_t width);

enum class Paint { heading, id, dim, good, warn, bad, accent };

/// `text` in the colour for `paint` when colour is on, else unchanged.
std::string paint(std::string_view text, Paint paint, const Style& style);

}  // namespace knots::render
