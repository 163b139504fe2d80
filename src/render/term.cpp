// Terminal text helpers; see term.hpp.
#include "render/term.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include "util/utf8.hpp"

namespace knots::render {
namespace {

/// Every kind of character that is not ordinary is escaped; a line feed only on one line.
bool needs_escape(char32_t cp, bool multiline) {
  if (cp == U'\n') return !multiline;
  return char_kind(cp) != CharKind::ordinary;
}

}  // namespace

std::string sanitize(std::string_view text, bool multiline) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(text, i, cp);
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
  return char_count(text);
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
