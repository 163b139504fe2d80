// UTF-8 decoding and the kinds of character that must not pass unseen; see utf8.hpp.
#include "util/utf8.hpp"

namespace knots {

std::size_t decode_utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  cp = b0 & (0x7Fu >> len);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

CharKind char_kind(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return CharKind::control;
  if (cp < 0xAD) return CharKind::ordinary;
  if (cp == 0x2028 || cp == 0x2029) return CharKind::line_separator;
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069))
    return CharKind::directional;
  if (cp == 0xFEFF) return CharKind::byte_order_mark;
  if (cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x180E ||
      (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0x3164 || cp == 0xFFA0)
    return CharKind::invisible;
  return CharKind::ordinary;
}

bool is_invisible(char32_t cp) {
  const CharKind kind = char_kind(cp);
  return kind == CharKind::directional || kind == CharKind::byte_order_mark || kind == CharKind::invisible;
}

std::size_t boundary_before(std::string_view s, std::size_t i) {
  if (i >= s.size()) return s.size();
  while (i > 0 && !is_char_start(s, i)) --i;
  return i;
}

std::size_t boundary_after(std::string_view s, std::size_t i) {
  while (i < s.size() && !is_char_start(s, i)) ++i;
  return i < s.size() ? i : s.size();
}

std::size_t chars_prefix(std::string_view s, std::size_t count) {
  std::size_t i = 0;
  for (std::size_t n = 0; n < count && i < s.size(); ++n) i = boundary_after(s, i + 1);
  return i;
}

std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_char_start(s, i)) ++n;
  }
  return n;
}

}  // namespace knots
