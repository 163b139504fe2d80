// Small text helpers every layer uses: ASCII case folding, joining, and the lookup form of a name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace knots {

/// `c` in lowercase when it is an ASCII capital; every other byte (UTF-8 included) as it is.
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `c` in uppercase when it is an ASCII small letter; every other byte as it is.
constexpr char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// `text` with its ASCII capitals lowercased (case folding for flag values, ids and search words).
std::string ascii_lower(std::string_view text);

/// The items with `separator` between them: {"a", "b"} -> "a, b"; nothing gives "".
std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ");

/// Lowercase, with spaces, hyphens and underscores alike: "Classic_Massage" -> "classic-massage".
/// Invisible characters (is_invisible) do not count, so two names that look the same are the same.
std::string lookup_key(std::string_view text);

}  // namespace knots
