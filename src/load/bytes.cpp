// Byte-level checks on knowledge-base files; see bytes.hpp.
#include "load/bytes.hpp"

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace knots::load {
namespace {

/// Not allowed in a knowledge-base file: controls but tab and line feed, line separators, and the
/// characters that reorder or hide text (directional controls, a byte-order mark inside text).
/// Merely invisible ones (a soft hyphen) are allowed: the escaper shows them, lookups skip them.
bool is_forbidden(char32_t cp) {
  if (cp == U'\t' || cp == U'\n') return false;
  const CharKind kind = char_kind(cp);
  return kind != CharKind::ordinary && kind != CharKind::invisible;
}

}  // namespace

std::string forbidden_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t len = decode_utf8(text, i, cp);
    if (len == 0) return fmt::format("byte 0x{:02X}", static_cast<unsigned char>(text[i]));
    if (is_forbidden(cp)) return fmt::format("U+{:04X}", static_cast<unsigned>(cp));
    i += len;
  }
  return {};
}

std::optional<std::string> check_bytes(const std::string& file, std::string_view bytes,
                                       std::vector<Diagnostic>& out) {
  const auto starts = [&](std::string_view prefix) { return bytes.starts_with(prefix); };
  using namespace std::string_view_literals;
  if (starts("\xFF\xFE"sv) || starts("\xFE\xFF"sv) || starts("\0\0\xFE\xFF"sv)) {
    out.push_back(Diagnostic::invalid(file, 1, 1, "file is UTF-16 or UTF-32; save it as UTF-8"));
    return std::nullopt;
  }
  if (starts("\xEF\xBB\xBF"sv)) bytes.remove_prefix(3);

  std::string text;
  text.reserve(bytes.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < bytes.size();) {
    const int column = static_cast<int>(i - line_start) + 1;
    char32_t cp = 0;
    const std::size_t len = decode_utf8(bytes, i, cp);
    if (len == 0) {
      out.push_back(Diagnostic::invalid(file, line, column,
                                        fmt::format("invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                                                    static_cast<unsigned char>(bytes[i]))));
      return std::nullopt;
    }
    if (cp == U'\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
      ++i;  // CRLF: keep only the LF
      continue;
    }
    if (cp == U'\r') {
      // Old Mac files end lines with a lone CR, which yaml-cpp 0.7 does not take as a line break;
      // say so rather than "control character U+000D".
      out.push_back(Diagnostic::invalid(
          file, line, column,
          "carriage return without a line feed (old Mac line endings); save the file with LF or "
          "CRLF line endings"));
      return std::nullopt;
    }
    if (cp == 0) {
      out.push_back(
          Diagnostic::invalid(file, line, column, "NUL byte: this is not a text file (or it is UTF-16/32)"));
      return std::nullopt;
    }
    if (is_forbidden(cp) && !(cp == 0xFEFF && i == 0)) {
      out.push_back(Diagnostic::invalid(
          file, line, column,
          fmt::format("control character U+{:04X} is not allowed", static_cast<unsigned>(cp))));
      return std::nullopt;
    }
    text.append(bytes.substr(i, len));
    i += len;
    if (cp == U'\n') {
      ++line;
      line_start = i;
    }
  }
  return text;
}

}  // namespace knots::load
