// Terminal text helpers; see term.hpp.
#include "render/term.hpp"

#include <algorithm>
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

/// Calls `f` with each line of `text` (without its line feed); a final line feed ends the last
/// line rather than starting an empty one.
template <class F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end == text.size() && start == end && start > 0) break;
    f(text.substr(start, end - start));
    start = end + 1;
  }
}

/// One paragraph's words in lines: the first at most `first` columns, the others at most `rest`
/// (both at least 10, so that a narrow column still holds a word or two). A word longer than its
/// line stands alone, whole.
std::vector<std::string> wrap_paragraph(std::string_view paragraph, std::size_t first, std::size_t rest) {
  std::vector<std::string> lines(1);
  std::size_t line_width = 0;
  std::size_t pos = 0;
  while (pos < paragraph.size()) {
    while (pos < paragraph.size() && paragraph[pos] == ' ') ++pos;
    if (pos >= paragraph.size()) break;
    std::size_t word_end = paragraph.find(' ', pos);
    if (word_end == std::string_view::npos) word_end = paragraph.size();
    const std::string_view word = paragraph.substr(pos, word_end - pos);
    const std::size_t w = display_width(word);
    const std::size_t room = std::max<std::size_t>(lines.size() == 1 ? first : rest, 10);
    if (line_width > 0 && line_width + 1 + w > room) {
      lines.emplace_back();
      line_width = 0;
    }
    if (line_width > 0) {
      lines.back() += ' ';
      ++line_width;
    }
    lines.back() += word;
    line_width += w;
    pos = word_end;
  }
  return lines;
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
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view paragraph = text.substr(start, end - start);
    // An empty paragraph is a blank line; one of spaces only has none.
    if (paragraph.empty() || paragraph.find_first_not_of(' ') != std::string_view::npos) {
      auto wrapped = wrap_paragraph(paragraph, width, width);
      lines.insert(lines.end(), std::make_move_iterator(wrapped.begin()),
                   std::make_move_iterator(wrapped.end()));
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

std::string wrap_block(std::string_view text, std::size_t width, std::size_t hang) {
  std::string out;
  for_each_line(text, [&](std::string_view line) {
    const std::size_t indent = std::min(line.find_first_not_of(' '), line.size());
    const std::size_t first = width > indent ? width - indent : 0;
    const std::size_t rest = width > indent + hang ? width - indent - hang : 0;
    const auto lines = wrap_paragraph(line.substr(indent), first, rest);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out.append(indent + (i == 0 ? 0 : hang), ' ');
      out += lines[i];
      out += '\n';
    }
  });
  return out;
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

std::string tabular_row(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& field : fields) {
    std::string cell = field;
    // Before sanitize, which would show them as escapes: in a field they are only spacing.
    std::replace_if(
        cell.begin(), cell.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    out.append(out.empty() ? "" : "\t").append(sanitize(cell));
  }
  return out + "\n";
}

}  // namespace knots::render
