// Case folding, joining and lookup keys; see text.hpp.
#include "util/text.hpp"

#include "util/utf8.hpp"

namespace knots {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string lookup_key(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  bool separator = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0xC2) {
      char32_t cp = 0;
      const std::size_t n = decode_utf8(text, i, cp);
      if (n > 0 && is_invisible(cp)) {
        i += n - 1;
        continue;
      }
    }
    if (c == ' ' || c == '_' || c == '-' || c == '\t') {
      separator = !key.empty();
      continue;
    }
    if (separator) key.push_back('-');
    separator = false;
    key.push_back(ascii_lower(c));
  }
  return key;
}

}  // namespace knots
