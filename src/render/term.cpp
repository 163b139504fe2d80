// Terminal text helpers; see term.hpp.
#include "render/term.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include "model/knowledge_base.hpp"

namespace knots::render {
namespace {

std::size_t utf8_length(unsigned char b0) {
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) return 2;
  if ((b0 & 0xF0) == 0xE0) return 3;
  if ((b0 & 0xF8) == 0xF0) return 4;
  return 0;
}

/// Decodes one code point at `i`; returns its length, or 0 for an invalid sequence.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const std::size_t len = utf8_length(b0);
  if (len == 0 || i + len > s.size()) return 0;
  if (len == 1) {
    cp = b0;
    return 1;
  }
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

bool needs_escape(char32_t cp, bool multiline) {
  if (cp == U'\n') return !multiline;
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return true;
  return cp == 0x2028 || cp == 0x2029 || is_invisible(cp);
}

}  // namespace

std::string sanitize(std::string_view text, bool multiline) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    if (needs_escape(cp, multiline)) {
      out += cp < 0x80 ? fmt::format("\\x{:02X}", static_cast<unsigned>(cp))
                       : fmt::format("\\u{:04X}", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  if (width < 10) width = 10;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view paragraph = text.substr(start, end - start);
    std::string line;
    std::size_t line_width = 0;
    std::size_t pos = 0;
    bool any = false;
    while (pos < paragraph.size()) {
      while (pos < paragraph.size() && paragraph[pos] == ' ') ++pos;
      if (pos >= paragraph.size()) break;
      std::size_t word_end = paragraph.find(' ', pos);
      if (word_end == std::string_view::npos) word_end = paragraph.size();
      const std::string_view word = paragraph.substr(pos, word_end - pos);
      const std::size_t w = display_width(word);
      if (line_width > 0 && line_width + 1 + w > width) {
        lines.push_back(std::move(line));
        line.clear();
        line_width = 0;
      }
      if (line_width > 0) {
        line += ' ';
        ++line_width;
      }
      line += word;
      line_width += w;
      any = true;
      pos = word_end;
    }
    if (any || paragraph.empty()) lines.push_back(std::move(line));
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string paint(std::string_view text, Paint paint, const Style& style) {
  if (!style.color || text.empty()) return std::string(text);
  fmt::text_style ts;
  switch (paint) {
    case Paint::heading:
      ts = fmt::emphasis::bold;
      break;
    case Paint::id:
      ts = fmt::fg(fmt::terminal_color::cyan);
      break;
    case Paint::dim:
      ts = fmt::emphasis::faint;
      break;
    case Paint::good:
      ts = fmt::fg(fmt::terminal_color::green);
      break;
    case Paint::warn:
      ts = fmt::fg(fmt::terminal_color::yellow);
      break;
    case Paint::bad:
      ts = fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold;
      break;
    case Paint::accent:
      ts = fmt::fg(fmt::terminal_color::magenta);
      break;
  }
  return fmt::format(ts, "{}", text);
}

}  // namespace knots::render
