// The one pass over a file's YAML events: checks and tree; see yaml_guard.hpp.
#include "load/yaml_guard.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <fmt/format.h>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/model.hpp"
#include "util/utf8.hpp"

namespace knots::load {
namespace {

/// Thrown by the handler to stop the parser at once: after a limit, going on would cost what the
/// limit is there to save.
struct Stop {};

/// More problems than this in one file and the rest would only be noise.
constexpr std::size_t kMaxProblems = 20;

/// A key as it is shown in a message: at most 60 bytes, cut at a character boundary.
std::string shown(std::string_view key) {
  constexpr std::size_t kMax = 60;
  if (key.size() <= kMax) return std::string(key);
  return std::string(key.substr(0, boundary_before(key, kMax))) + "…";
}

/// True when the quoted text that starts at `pos` (after a tag, if any) has no closing quote.
/// yaml-cpp 0.7 then takes the rest of the file as the text, silently: a forgotten `"` would
/// swallow every key after it, cautions included.
bool unclosed_quote(std::string_view text, std::size_t pos) {
  if (pos < text.size() && text[pos] == '!') {  // `!!str "…"`: skip the tag and the space after it
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t' && text[pos] != '\n') ++pos;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  }
  if (pos >= text.size() || (text[pos] != '"' && text[pos] != '\'')) return false;  // a block text
  const char quote = text[pos];
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // an escape: the next character cannot close the text
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside single-quoted text
      } else {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

/// Builds a YamlTree from the events, as they come.
class TreeBuilder {
 public:
  void add(YamlTree::Type type, const YAML::Mark& mark, const std::string* scalar = nullptr) {
    auto& nodes = tree_.nodes_;
    const auto index = static_cast<std::uint32_t>(nodes.size());
    auto& item = nodes.emplace_back();
    item.type = type;
    if (!mark.is_null()) {
      item.line = mark.line;
      item.column = mark.column;
    }
    if (scalar) item.scalar = *scalar;
    if (!open_.empty()) {
      auto& [parent, last] = open_.back();
      ++nodes[parent].children;
      if (last != YamlTree::kNone) nodes[last].next = index;
      last = index;
    }
    if (type == YamlTree::Type::sequence || type == YamlTree::Type::map)
      open_.emplace_back(index, YamlTree::kNone);
  }
  void close() { open_.pop_back(); }
  YamlTree take() { return std::move(tree_); }

 private:
  YamlTree tree_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> open_;  ///< (list or mapping, its last node)
};

namespace {

class Guard final : public YAML::EventHandler {
 public:
  Guard(const std::string& file, std::string_view text, std::vector<Diagnostic>& out,
        const StructureLimits& limits)
      : file_(file), text_(text), out_(out), limits_(limits) {}

  [[nodiscard]] bool ok() const { return problems_ == 0; }
  YamlTree take_tree() { return tree_.take(); }

  /// Records a problem.
  void record(const YAML::Mark& mark, std::string message) {
    if (mark.is_null()) {
      out_.push_back(Diagnostic::invalid(file_, std::move(message)));
    } else {
      out_.push_back(Diagnostic::invalid(file_, mark.line + 1, mark.column + 1, std::move(message)));
    }
    ++problems_;
  }

  /// Records a problem and goes on, so that one run shows several (duplicate keys, say).
  void error(const YAML::Mark& mark, std::string message) {
    record(mark, std::move(message));
    if (problems_ == kMaxProblems) {
      out_.push_back(Diagnostic::invalid(
          file_, fmt::format("stopped reading this file after {} problems", kMaxProblems)));
      throw Stop{};
    }
  }

  /// Records a problem and stops the parser.
  [[noreturn]] void fatal(const YAML::Mark& mark, std::string message) {
    error(mark, std::move(message));
    throw Stop{};
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    // The caller asks for a second document once; yaml-cpp 0.7 also starts one for text after
    // the first (`"foo","bar"`, a lone `,`), which YAML::Load would silently drop.
    if (documents_++ > 0) fatal(mark, "more than one YAML document, or text after the end of the first one");
  }
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark& mark, const std::string& /*name*/) override { refuse_anchor(mark); }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override { refuse_anchor(mark); }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    start_node(mark, anchor);
    // A null key is left to the model's checks ("keys must be plain words").
    tree_.add(YamlTree::Type::null, mark);
    end_node();
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    start_node(mark, anchor);
    if (value.size() > limits_.max_scalar_bytes) {
      fatal(mark,
            fmt::format("a text of {} bytes; the limit is {} bytes", value.size(), limits_.max_scalar_bytes));
    }
    if (tag != "?" && mark.pos >= 0 && unclosed_quote(text_, static_cast<std::size_t>(mark.pos))) {
      fatal(mark, "this quoted text has no closing quote, so it would run to the end of the file");
    }
    const bool is_key = !frames_.empty() && frames_.back().is_map && frames_.back().at_key;
    if (is_placeholder(value)) refuse_placeholder(mark, value, is_key);
    if (is_key) {
      // The tag is ignored on purpose: `a`, "a", 'a' and !!str a all reach the model as "a".
      auto [it, inserted] = frames_.back().keys.try_emplace(value, mark.line + 1);
      if (!inserted) {
        error(mark, fmt::format("duplicate key '{}'; the first is on line {}", shown(value), it->second));
      }
      frames_.back().key = value;
    }
    tree_.add(YamlTree::Type::scalar, mark, &value);
    end_node();
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    start_collection(mark, anchor, false);
  }
  void OnSequenceEnd() override { end_collection(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    start_collection(mark, anchor, true);
  }
  void OnMapEnd() override { end_collection(); }

 private:
  struct Frame {
    bool is_map = false;
    bool at_key = true;                           ///< in a map: the next node is a key
    std::unordered_map<std::string, int> keys{};  ///< key -> the line it is first on
    std::string key{};                            ///< in a map: the key last read
  };

  /// A value or text left as `knots new` wrote it: where it is, as the author reads the file
  /// ("'heat' under setting"), and what to do.
  void refuse_placeholder(const YAML::Mark& mark, const std::string& value, bool is_key) {
    std::vector<std::string_view> path;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const bool own_key = is_key && i + 1 == frames_.size();
      if (frames_[i].is_map && !own_key) path.push_back(frames_[i].key);
    }
    std::string where = path.empty() ? "this value" : fmt::format("'{}'", shown(path.back()));
    if (path.size() > 1) where += fmt::format(" under {}", shown(path[path.size() - 2]));
    error(mark, value == kPlaceholder
                    ? fmt::format("{} is still {}, the placeholder from 'knots new': replace it with "
                                  "your own value (the comment beside it lists what it allows)",
                                  where, kPlaceholder)
                    : fmt::format("{} still holds the placeholder text from 'knots new' (it starts with "
                                  "{}): replace it with your own words",
                                  where, kPlaceholder));
  }

  void refuse_anchor(const YAML::Mark& mark) {
    // Aliases share nodes: a 600-byte "billion laughs" file expands to billions of values for any
    // code that walks the tree, and `&a [*a]` is a cycle. Knowledge-base files never need them.
    fatal(mark, "anchors and aliases are not allowed");
  }

  void start_node(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) refuse_anchor(mark);  // OnAnchor has normally said so already
    if (++nodes_ > limits_.max_nodes) {
      fatal(mark, fmt::format("more than {} values, lists and mappings in one file", limits_.max_nodes));
    }
  }

  /// A node is complete: in a map, a key is followed by its value and a value by the next key.
  void end_node() {
    if (!frames_.empty() && frames_.back().is_map) frames_.back().at_key = !frames_.back().at_key;
  }

  void start_collection(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    start_node(mark, anchor);
    if (!frames_.empty() && frames_.back().is_map && frames_.back().at_key) {
      error(mark, fmt::format("a key must be text, not {}", is_map ? "a mapping" : "a list"));
    }
    if (frames_.size() >= static_cast<std::size_t>(limits_.max_depth)) {
      fatal(mark, fmt::format("nesting deeper than {} levels of lists and mappings", limits_.max_depth));
    }
    Frame frame;
    frame.is_map = is_map;
    frames_.push_back(std::move(frame));
    tree_.add(is_map ? YamlTree::Type::map : YamlTree::Type::sequence, mark);
  }

  void end_collection() {
    if (!frames_.empty()) {
      frames_.pop_back();
      tree_.close();
    }
    end_node();
  }

  const std::string& file_;
  std::string_view text_;
  std::vector<Diagnostic>& out_;
  const StructureLimits& limits_;
  std::vector<Frame> frames_;
  TreeBuilder tree_;
  std::size_t nodes_ = 0;
  std::size_t problems_ = 0;
  int documents_ = 0;
};

/// Line `line` (0-based) of `text`, without its line break; empty past the end.
std::string_view line_of(std::string_view text, int line) {
  std::size_t start = 0;
  for (int i = 0; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  const std::size_t end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

std::size_t indent_of(std::string_view line) {
  const std::size_t first = line.find_first_not_of(' ');
  return first == std::string_view::npos ? line.size() : first;
}

/// The nearest line before `line` that holds more than spaces and a comment, or -1.
int previous_content_line(std::string_view text, int line) {
  for (int i = line - 1; i >= 0; --i) {
    const std::string_view l = line_of(text, i);
    const std::size_t first = l.find_first_not_of(' ');
    if (first != std::string_view::npos && l[first] != '#') return i;
  }
  return -1;
}

std::string spaces(std::size_t n) {
  return fmt::format("{} space{}", n, n == 1 ? "" : "s");
}

/// Where yaml-cpp says a mapping or list does not end as it should: what the line and the one
/// before it show about the indentation.
std::string indentation_problem(std::string_view text, int line) {
  const std::string_view here = line_of(text, line);
  const std::size_t indent = indent_of(here);
  const bool item = here.substr(indent).starts_with("- ") || here.substr(indent) == "-";
  const int before = previous_content_line(text, line);
  const std::string_view above = before < 0 ? std::string_view() : line_of(text, before);
  const std::size_t above_indent = indent_of(above);
  const bool above_item = above.substr(above_indent).starts_with("-");
  if (item && !above_item && indent <= above_indent) {
    return "a list item ('- ') among the keys of a mapping: a list goes under its own key, on the lines "
           "after it";
  }
  if (!item && above_item && indent == above_indent) {
    return "a key at the level of a list's items, which start with '- ': indent it two spaces further "
           "if it belongs to the item above, or line it up with the list's own key";
  }
  if (before < 0 || indent == above_indent) {
    return "this line does not fit the indentation around it: the keys of one mapping must line up, and "
           "a key's own keys go two spaces further in";
  }
  return fmt::format(
      "inconsistent indentation: this line is indented {}, the line before {}; the keys of one mapping "
      "must line up, and a key's own keys go two spaces further in{}",
      spaces(indent), spaces(above_indent),
      indent > above_indent && above.find(": ") != std::string_view::npos
          ? " (and the line before already has its value)"
          : "");
}

/// "illegal map value": a second ': ' on one line, or a key indented under one that has a value.
std::string colon_problem(std::string_view text, int line, int column) {
  const std::string_view here = line_of(text, line);
  const std::string_view before =
      here.substr(0, std::min(here.size(), static_cast<std::size_t>(std::max(column, 0))));
  if (before.find(": ") != std::string_view::npos) {
    return "a second ': ' on this line: put a text that holds ': ' in quotes, like \"Note: gentle\"";
  }
  return indentation_problem(text, line);
}

}  // namespace

std::string explain_yaml_error(std::string_view message, int line, int column, std::string_view text) {
  namespace msg = YAML::ErrorMsg;
  const auto is = [&](const char* m) { return message == m; };
  const auto starts = [&](const char* m) { return message.starts_with(m); };
  const std::string_view here = line < 0 ? std::string_view() : line_of(text, line);
  if (line >= 0 && here.substr(0, indent_of(here) + 1).find('\t') != std::string_view::npos) {
    return "this line is indented with a tab; YAML indents with spaces only";
  }
  if (line >= 0 && (is(msg::END_OF_MAP) || is(msg::END_OF_SEQ))) return indentation_problem(text, line);
  if (line >= 0 && is(msg::MAP_VALUE)) return colon_problem(text, line, column);
  if (is(msg::END_OF_SEQ_FLOW))
    return "a list in brackets ('[') is not closed before this point: add the ']'";
  if (is(msg::END_OF_MAP_FLOW))
    return "a mapping in braces ('{') is not closed before this point: add the '}'";
  if (is(msg::FLOW_END)) return "a ']' or '}' that closes nothing: put a text that starts with one in quotes";
  if (is(msg::UNKNOWN_TOKEN) || is(msg::CHAR_IN_SCALAR)) {
    return "a character that cannot start or appear in a text here: put the text in quotes";
  }
  if (starts(msg::INVALID_ESCAPE)) {
    return fmt::format(
        "'\\{}' is not an escape YAML knows in double quotes: write '\\\\' for a backslash, "
        "or use single quotes",
        message.substr(std::string_view(msg::INVALID_ESCAPE).size()));
  }
  if (is(msg::INVALID_HEX) || starts(msg::INVALID_UNICODE)) {
    return "a \\x, \\u or \\U escape that is not a character: check its hex digits, or write the "
           "character itself";
  }
  if (is(msg::DOC_IN_SCALAR))
    return "a line starting with '---' or '...' inside a text ends the document: indent it";
  if (is(msg::EOF_IN_SCALAR)) return "the file ends inside a quoted text: close the quote";
  if (is(msg::CHAR_IN_BLOCK) || is(msg::ZERO_INDENT_IN_BLOCK)) {
    return "after '>' or '|', the text starts on the next line, indented (nothing but a comment may follow "
           "them on their own line)";
  }
  if (is(msg::BLOCK_ENTRY))
    return "a list item ('- ') where none can be: a list goes on the lines after its key";
  if (is(msg::MAP_KEY))
    return "a key where none can be: check the indentation of this line and the one before";
  if (is(msg::TAB_IN_INDENTATION)) return "this line is indented with a tab; YAML indents with spaces only";
  if (starts("YAML ") || starts("bad YAML") || starts("TAG ") || starts("repeated ") ||
      is(msg::CHAR_IN_TAG_HANDLE) || is(msg::TAG_WITH_NO_SUFFIX) || is(msg::END_OF_VERBATIM_TAG) ||
      is(msg::MULTIPLE_TAGS)) {
    return "'%' directives and '!' tags are not used in knots files: remove it, or put the text in quotes";
  }
  if (message.find("alias") != std::string_view::npos || message.find("anchor") != std::string_view::npos) {
    return "anchors and aliases are not allowed: put a text that starts with '&' or '*' in quotes";
  }
  return "this is not YAML that knots can read: check the indentation and the quotes on this line and the "
         "one before";
}

std::optional<YamlTree> read_yaml(const std::string& file, const std::string& text,
                                  std::vector<Diagnostic>& out, const StructureLimits& limits) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  Guard guard(file, text, out, limits);
  try {
    // One document, then one more call to see whether anything follows it. Never more: in
    // yaml-cpp 0.7 a loop over the documents of `,` never ends (YAML::LoadAll, issue #1040).
    if (parser.HandleNextDocument(guard)) parser.HandleNextDocument(guard);
  } catch (const Stop&) {
    // the guard has said why
  } catch (const YAML::Exception& e) {
    guard.record(e.mark, explain_yaml_error(e.msg, e.mark.is_null() ? -1 : e.mark.line, e.mark.column, text));
  }
  if (!guard.ok()) return std::nullopt;
  return guard.take_tree();
}

bool check_structure(const std::string& file, const std::string& text, std::vector<Diagnostic>& out,
                     const StructureLimits& limits) {
  return read_yaml(file, text, out, limits).has_value();
}

}  // namespace knots::load
