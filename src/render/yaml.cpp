// Model values as knowledge-base YAML, following their descriptions; see yaml.hpp.
#include "render/yaml.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "model/knowledge_base.hpp"
#include "render/term.hpp"
#include "util/text.hpp"

namespace knots::render {
namespace {

/// Comments start in this column, as in a hand-written file.
constexpr std::size_t kCommentColumn = 33;
/// Long text is folded (`>`) to lines of about this width.
constexpr std::size_t kTextWidth = 92;
/// Comments wrap before this column.
constexpr std::size_t kCommentWidth = 100;

bool needs_quotes(const std::string& text) {
  if (text.empty()) return true;
  static constexpr std::array<std::string_view, 9> kReserved = {"null", "true", "false", "yes", "no",
                                                                "on",   "off",  "y",     "n"};
  const std::string lower = ascii_lower(text);
  if (std::find(kReserved.begin(), kReserved.end(), lower) != kReserved.end()) return true;
  if ((text[0] >= '0' && text[0] <= '9') || text[0] == '~') return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@` ").find(text[0]) != std::string_view::npos) return true;
  if (text.back() == ' ' || text.back() == ':') return true;
  return text.find(": ") != std::string::npos || text.find(" #") != std::string::npos ||
         text.find_first_of(",[]{}\n\t") != std::string::npos;
}

template <std::size_t N>
std::string vocabulary(const std::array<std::string_view, N>& words) {
  return joined(std::vector<std::string>(words.begin(), words.end()));
}

/// Writes the fields of one value, one line each (a mapping's fields indented under its key).
class YamlOut {
 public:
  YamlOut(std::string& out, const KeyNotes& notes, std::string indent, bool commented, std::string prefix)
      : out_(out),
        notes_(notes),
        indent_(std::move(indent)),
        commented_(commented),
        prefix_(std::move(prefix)) {}

  void id(std::string_view key, const std::string& s, unsigned) { line(key, scalar(s), {}); }

  void text(std::string_view key, const std::string& s, unsigned flags) {
    const bool fits = indent_.size() + key.size() + 2 + s.size() <= kTextWidth && !needs_quotes(s);
    if (s.empty() || (flags & kOneLine) != 0 || fits) {
      line(key, scalar(s), {});
      return;
    }
    line(key, ">", {});
    for (const auto& folded : wrap(s, kTextWidth - indent_.size() - 2)) emit(indent_ + "  " + folded, {});
  }

  void list(std::string_view key, const std::vector<std::string>& v, unsigned flags) {
    line(key, flow(v, flags), {});
  }

  void refs(std::string_view key, const std::vector<std::string>& v, RefKind kind, unsigned flags) {
    line(key, flow(v, flags), fmt::format("{} ids", ref_word(kind)));
  }

  void ref(std::string_view key, const std::string& s, RefKind kind, unsigned flags) {
    line(key, todo(flags) ? std::string(kPlaceholder) : scalar(s), fmt::format("a {} id", ref_word(kind)));
  }

  template <std::size_t N>
  void words(std::string_view key, const std::vector<std::string>& v,
             const std::array<std::string_view, N>& all, std::string_view, unsigned flags) {
    line(key, flow(v, flags), vocabulary(all));
  }

  template <class E>
  void enumeration(std::string_view key, const E& e, unsigned flags) {
    line(key, todo(flags) ? std::string(kPlaceholder) : std::string(name_of(e)),
         vocabulary(EnumNames<E>::names));
  }

  template <class E>
  void enumeration(std::string_view key, const std::optional<E>& e, unsigned flags) {
    line(key,
         todo(flags) ? std::string(kPlaceholder)
         : e         ? std::string(name_of(*e))
                     : std::string(),
         vocabulary(EnumNames<E>::names));
  }

  template <class E>
  void enums(std::string_view key, const std::vector<E>& v, std::string_view, unsigned flags) {
    std::vector<std::string> names;
    for (auto e : v) names.emplace_back(name_of(e));
    line(key, flow(names, flags), vocabulary(EnumNames<E>::names));
  }

  template <class X>
  void object(std::string_view key, const X& x, std::string_view, unsigned) {
    line(key, {}, {});
    nested(key, x, false, commented_);
  }

  template <class X>
  void object(std::string_view key, const std::optional<X>& x, std::string_view, unsigned) {
    line(key, {}, x ? std::string() : "optional; like this:");
    nested(key, x.value_or(X{}), false, commented_ || !x);
  }

  template <class X>
  void objects(std::string_view key, const std::vector<X>& v, std::string_view noun, unsigned) {
    if (v.empty()) {
      line(key, "[]", fmt::format("one mapping per {}, like this:", noun));
      nested(key, X{}, true, true);
      return;
    }
    line(key, {}, {});
    for (const auto& x : v) nested(key, x, true, commented_);
  }

  template <class K>
  void fits(std::string_view key, const std::vector<K>& v, unsigned flags) {
    using E = typename K::Value;
    line(key, {}, fmt::format("{} ids, each: {}", ref_word(K::kind), vocabulary(EnumNames<E>::names)));
    if (todo(flags)) emit(fmt::format("{}  {}: {}", indent_, kPlaceholder, name_of(E{})), {});
    for (const auto& g : v) emit(indent_ + "  " + scalar(g.id) + ": " + std::string(name_of(g.value)), {});
  }

  void origin(std::string_view, const std::string&) {}  // where it is read from: not in the file

 private:
  /// `key: value`, with the key's note (or `fallback`) as a comment.
  void line(std::string_view key, const std::string& value, const std::string& fallback) {
    const std::string path = prefix_ + std::string(key);
    const auto note = notes_.find(path);
    std::string text = indent_ + std::string(key) + ":";
    if (!value.empty()) text += " " + value;
    if (item_start_) {
      text.replace(indent_.size() - 2, 2, "- ");
      item_start_ = false;
    }
    emit(text, note != notes_.end() ? note->second : fallback);
  }

  /// One line, and its comment from kCommentColumn (continued on lines of its own when long).
  void emit(std::string text, const std::string& comment) {
    if (commented_) text.insert(0, 1, '#');
    if (!comment.empty()) {
      text.append(text.size() < kCommentColumn ? kCommentColumn - text.size() : 1, ' ');
      const std::size_t width = kCommentWidth > text.size() + 2 ? kCommentWidth - text.size() - 2 : 20;
      bool first = true;
      for (const auto& part : wrap(comment, width)) {
        if (!first) text += "\n" + std::string(kCommentColumn, ' ');
        text += "# ";
        text += part;
        first = false;
      }
    }
    out_ += text;
    out_ += '\n';
  }

  /// The fields of `x` under `key`: indented by two, or as an item of a list ("  - ") by four.
  template <class X>
  void nested(std::string_view key, const X& x, bool item, bool commented) {
    YamlOut inner(out_, notes_, indent_ + (item ? "    " : "  "), commented,
                  prefix_ + std::string(key) + "/");
    inner.item_start_ = item;
    describe(inner, x);
  }

  static std::string scalar(const std::string& s) { return s.empty() ? std::string() : yaml_scalar(s); }

  /// A value the author must give shows the placeholder instead of the sample's own.
  static bool todo(unsigned flags) { return (flags & kRequired) != 0; }

  static std::string flow(const std::vector<std::string>& items, unsigned flags) {
    if (todo(flags)) return fmt::format("[{}]", kPlaceholder);
    std::vector<std::string> quoted;
    for (const auto& item : items) quoted.push_back(yaml_scalar(item));
    std::string out(1, '[');
    out += joined(quoted);
    out += ']';
    return out;
  }

  std::string& out_;
  const KeyNotes& notes_;
  std::string indent_;
  bool commented_;
  std::string prefix_;
  bool item_start_ = false;  ///< the next line starts an item of a list: "- key: value"
};

}  // namespace

std::string yaml_scalar(const std::string& text) {
  if (!needs_quotes(text)) return text;
  std::string out(1, '"');
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

std::string modality_template(const Modality& modality, const KeyNotes& notes) {
  std::string out;
  YamlOut writer(out, notes, "", false, "");
  describe(writer, modality);
  return out;
}

}  // namespace knots::render
