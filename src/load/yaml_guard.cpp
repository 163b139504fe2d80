// The structural pass over YAML events; see yaml_guard.hpp.
#include "load/yaml_guard.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <fmt/format.h>
#include <sstream>
#include <string_view>
#include <unordered_map>
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

class Guard final : public YAML::EventHandler {
 public:
  Guard(const std::string& file, std::string_view text, std::vector<Diagnostic>& out,
        const StructureLimits& limits)
      : file_(file), text_(text), out_(out), limits_(limits) {}

  [[nodiscard]] bool ok() const { return problems_ == 0; }

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
    if (!frames_.empty() && frames_.back().is_map && frames_.back().at_key) {
      // The tag is ignored on purpose: `a`, "a", 'a' and !!str a all reach the model as "a".
      auto [it, inserted] = frames_.back().keys.try_emplace(value, mark.line + 1);
      if (!inserted) {
        error(mark, fmt::format("duplicate key '{}'; the first is on line {}", shown(value), it->second));
      }
    }
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
  };

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
  }

  void end_collection() {
    if (!frames_.empty()) frames_.pop_back();
    end_node();
  }

  const std::string& file_;
  std::string_view text_;
  std::vector<Diagnostic>& out_;
  const StructureLimits& limits_;
  std::vector<Frame> frames_;
  std::size_t nodes_ = 0;
  std::size_t problems_ = 0;
  int documents_ = 0;
};

/// True when the leading white space of line `line` (0-based) of `text` holds a tab.
bool indented_with_tab(std::string_view text, int line) {
  std::size_t start = 0;
  for (int i = 0; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return false;
    ++start;
  }
  for (std::size_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i) {
    if (text[i] == '\t') return true;
  }
  return false;
}

}  // namespace

bool check_structure(const std::string& file, const std::string& text, std::vector<Diagnostic>& out,
                     const StructureLimits& limits) {
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
    std::string message = e.msg;
    if (!e.mark.is_null() && indented_with_tab(text, e.mark.line)) {
      message += " (this line is indented with a tab; YAML indents with spaces only)";
    }
    guard.record(e.mark, std::move(message));
  }
  return guard.ok();
}

}  // namespace knots::load
