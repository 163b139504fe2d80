// UTF-8 at the bottom of every layer: decoding, the one list of code points that must not pass
// unseen, and cutting text at character boundaries.
#pragma once

#include <cstddef>
#include <string_view>

namespace knots {

/// Decodes the UTF-8 sequence that starts at byte `i` of `s` into `cp`; returns its length in
/// bytes, or 0 when it is not valid UTF-8 (a stray or missing continuation byte, an overlong form,
/// a surrogate, or past U+10FFFF).
std::size_t decode_utf8_sequence(std::string_view s, std::size_t i, char32_t& cp);
inline std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
  // Inline for ASCII, most of every file: the loader checks each byte of the knowledge base.
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  return decode_utf8_sequence(s, i, cp);
}

/// What a code point is, for the characters that text may not show as they are. This is the one
/// list: the loader refuses some kinds, the terminal escaper escapes every kind but `ordinary`,
/// and lookups skip the ones that show nothing.
enum class CharKind {
  ordinary,
  control,          ///< C0 (tab and line feed included: callers allow them), DEL and C1
  line_separator,   ///< U+2028, U+2029: line breaks that YAML and terminals disagree on
  directional,      ///< bidirectional controls that can reorder text (Trojan Source, CVE-2021-42574)
  byte_order_mark,  ///< U+FEFF: a zero-width no-break space inside text
  invisible,        ///< shows nothing: zero-width spaces and joiners, soft hyphen, fillers
};
CharKind char_kind(char32_t cp);

/// A character that shows nothing, or turns text around (directional controls, the byte-order
/// mark, invisible characters). Names that differ only by them look alike, so they are escaped
/// in output and left out of lookups.
bool is_invisible(char32_t cp);

/// Whether the byte at `i` starts a character (is not a continuation byte); true at the end.
inline bool is_char_start(std::string_view s, std::size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

/// The largest character boundary at or before `i` (at most the length of `s`).
std::size_t boundary_before(std::string_view s, std::size_t i);

/// The smallest character boundary at or after `i` (at most the length of `s`).
std::size_t boundary_after(std::string_view s, std::size_t i);

/// The byte length of the first `count` characters of `s` (all of it when it is shorter).
std::size_t chars_prefix(std::string_view s, std::size_t count);

/// The number of characters (code points, counted by their first byte) in `s`.
std::size_t char_count(std::string_view s);

}  // namespace knots
