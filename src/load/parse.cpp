// YAML to model values for one file. With yaml_guard.cpp, the only place that sees yaml-cpp.
#include "load/parse.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>

#include "load/bytes.hpp"
#include "load/yaml_guard.hpp"
#include "model/knowledge_base.hpp"
#include "util/suggest.hpp"

namespace knots::load {

FileKind kind_of_file(std::string_view path) {
  const auto slash = path.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base == "techniques.yaml") return FileKind::techniques;
  if (base == "conditions.yaml") return FileKind::conditions;
  if (base == "goals.yaml") return FileKind::goals;
  if (base == "self-care.yaml") return FileKind::self_care;
  if (base == "red-flags.yaml") return FileKind::red_flags;
  if (base == "sources.yaml") return FileKind::sources;
  return FileKind::modality;
}

namespace {

/// Where problems go, and the file they are about.
struct Context {
  const std::string& file;
  std::vector<Diagnostic>& out;

  [[nodiscard]] Location at(const YAML::Mark& mark) const {
    if (mark.is_null()) return {file, 0, 0};
    return {file, mark.line + 1, mark.column + 1};
  }
  void error(const YAML::Mark& mark, std::string message) const {
    const Location loc = at(mark);
    out.push_back({file, loc.line, loc.column, std::move(message), false});
  }
};

std::string kind_word(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "text";
    default:
      return "empty";
  }
}

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\n");
  return s.substr(first, last - first + 1);
}

/// The keys of one YAML mapping, read once (yaml-cpp's own lookup is a linear scan), with a check
/// for unknown keys.
class Fields {
 public:
  Fields(const YAML::Node& map, const Context& ctx, std::string what, std::vector<std::string> known)
      : map_(map), ctx_(ctx), what_(std::move(what)), known_(std::move(known)) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      YAML::Node key = it->first;
      YAML::Node value = it->second;
      if (!key.IsScalar()) {
        ctx_.error(key.Mark(), fmt::format("keys in {} must be plain words", what_));
        continue;
      }
      const std::string name = key.Scalar();
      if (std::find(known_.begin(), known_.end(), name) == known_.end()) {
        ctx_.error(key.Mark(),
                   fmt::format("unknown key '{}' in {}{}", name, what_, did_you_mean_or_list(name)));
        continue;
      }
      // Duplicate keys never get here: check_structure refuses them before the tree is built.
      entries_.emplace_back(name, value);
    }
  }

  /// The value under `key`, or nothing when it is absent or null (`~`, empty).
  [[nodiscard]] std::optional<YAML::Node> get(std::string_view key) const {
    for (const auto& [name, value] : entries_) {
      if (name == key) {
        if (value.IsNull()) return std::nullopt;
        return value;
      }
    }
    return std::nullopt;
  }

  void missing(std::string_view key) const {
    ctx_.error(map_.Mark(), fmt::format("missing required key '{}' in {}", key, what_));
  }

  /// A text field; `single_line` fields (names, ids) may not contain line breaks.
  std::string text(std::string_view key, bool required, bool single_line = false) const {
    auto node = get(key);
    if (!node) {
      if (required) missing(key);
      return {};
    }
    if (!node->IsScalar()) {
      ctx_.error(node->Mark(), fmt::format("'{}' in {} must be text, not {}", key, what_, kind_word(*node)));
      return {};
    }
    std::string value = trim(node->Scalar());
    check_text(*node, key, value, single_line);
    if (value.empty() && required) missing(key);
    return value;
  }

  std::string id(std::string_view key) const {
    std::string value = text(key, true, true);
    if (!value.empty() && !is_valid_id(value)) {
      ctx_.error(get(key)->Mark(), fmt::format("'{}' must be lowercase letters, digits and hyphens, like "
                                               "'deep-tissue'; got '{}'",
                                               key, value));
    }
    return value;
  }

  /// A list of one-line texts, each with its location.
  std::vector<std::pair<std::string, Location>> located_list(std::string_view key, bool required) const {
    std::vector<std::pair<std::string, Location>> items;
    auto node = get(key);
    if (!node) {
      if (required) missing(key);
      return items;
    }
    if (!node->IsSequence()) {
      ctx_.error(node->Mark(),
                 fmt::format("'{}' in {} must be a list, not {}", key, what_, kind_word(*node)));
      return items;
    }
    for (auto it = node->begin(); it != node->end(); ++it) {
      YAML::Node item = *it;
      if (!item.IsScalar()) {
        ctx_.error(item.Mark(),
                   fmt::format("items of '{}' in {} must be text, not {}", key, what_, kind_word(item)));
        continue;
      }
      std::string value = trim(item.Scalar());
      check_text(item, key, value, true);
      if (value.empty()) {
        ctx_.error(item.Mark(), fmt::format("empty item in '{}' in {}", key, what_));
        continue;
      }
      items.emplace_back(std::move(value), ctx_.at(item.Mark()));
    }
    if (items.empty() && required && node->size() == 0) {
      ctx_.error(node->Mark(), fmt::format("'{}' in {} must not be empty", key, what_));
    }
    return items;
  }

  std::vector<std::string> list(std::string_view key, bool required) const {
    std::vector<std::string> out;
    for (auto& [value, at] : located_list(key, required)) out.push_back(std::move(value));
    return out;
  }

  /// A list of ids of other entries, recorded for the cross-reference check.
  std::vector<std::string> refs(std::string_view key, bool required, RefKind kind,
                                std::vector<Reference>& references) const {
    std::vector<std::string> out;
    for (auto& [value, at] : located_list(key, required)) {
      references.push_back({kind, value, at});
      out.push_back(std::move(value));
    }
    return out;
  }

  /// A list of words from one closed vocabulary, such as "keep_off: [back, legs]".
  template <class E>
  std::vector<E> enum_list(std::string_view key, std::string_view noun) const {
    std::vector<E> out;
    const auto names = names_of<E>();
    for (auto& [word, at] : located_list(key, false)) {
      if (auto e = enum_from<E>(word)) {
        out.push_back(*e);
        continue;
      }
      ctx_.out.push_back({at.file, at.line, at.column,
                          fmt::format("unknown {} '{}' in '{}' of {}; {}s are {}{}", noun, word, key, what_,
                                      noun, fmt::join(names, ", "), did_you_mean(word, names)),
                          false});
    }
    return out;
  }

  template <class E>
  std::optional<E> enumeration(std::string_view key, bool required) const {
    auto node = get(key);
    if (!node) {
      if (required) missing(key);
      return std::nullopt;
    }
    return enum_value<E>(*node, fmt::format("'{}' in {}", key, what_), ctx_);
  }

  template <class E>
  static std::optional<E> enum_value(const YAML::Node& node, const std::string& what, const Context& ctx) {
    if (!node.IsScalar()) {
      ctx.error(node.Mark(), fmt::format("{} must be one word, not {}", what, kind_word(node)));
      return std::nullopt;
    }
    const std::string value = trim(node.Scalar());
    if (auto e = enum_from<E>(value)) return e;
    const auto names = names_of<E>();
    ctx.error(node.Mark(), fmt::format("{} must be one of {}; got '{}'{}", what, fmt::join(names, ", "),
                                       value, did_you_mean(value, names)));
    return std::nullopt;
  }

  [[nodiscard]] const YAML::Node& node() const { return map_; }
  [[nodiscard]] const Context& context() const { return ctx_; }
  [[nodiscard]] const std::string& what() const { return what_; }
  /// The location of a key's value (or of the mapping when the key is absent).
  [[nodiscard]] Location location(std::string_view key) const {
    auto node = get(key);
    return ctx_.at(node ? node->Mark() : map_.Mark());
  }

 private:
  std::string did_you_mean_or_list(const std::string& name) const {
    auto guess = closest(name, known_);
    if (guess) return fmt::format("; did you mean '{}'?", *guess);
    return fmt::format(" (known keys: {})", fmt::join(known_, ", "));
  }

  void check_text(const YAML::Node& node, std::string_view key, const std::string& value,
                  bool single_line) const {
    if (auto bad = forbidden_character(value); !bad.empty()) {
      ctx_.error(node.Mark(), fmt::format("'{}' in {} contains {}, a control character", key, what_, bad));
    } else if (single_line && value.find_first_of("\n\t") != std::string::npos) {
      ctx_.error(node.Mark(), fmt::format("'{}' in {} must be a single line", key, what_));
    }
  }

  YAML::Node map_;
  const Context& ctx_;
  std::string what_;
  std::vector<std::string> known_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;
};

template <class T>
Parsed<T> start(const Fields& f) {
  Parsed<T> p;
  p.value.id = f.id("id");
  p.at = f.location("id");
  if (!p.value.id.empty()) p.names.push_back({p.value.id, p.at});
  return p;
}

template <class T>
void add_names(Parsed<T>& p, const Fields& f) {
  p.value.name = f.text("name", true, true);
  if (!p.value.name.empty()) p.names.push_back({p.value.name, f.location("name")});
  if constexpr (requires { p.value.aliases; }) {
    for (auto& [alias, at] : f.located_list("aliases", false)) {
      p.names.push_back({alias, at});
      p.value.aliases.push_back(std::move(alias));
    }
  }
}

std::string entry_what(std::string_view kind, const YAML::Node& map) {
  // Name the entry by its id when it has one, to make messages readable.
  for (auto it = map.begin(); it != map.end(); ++it) {
    YAML::Node key = it->first;
    YAML::Node value = it->second;
    if (key.IsScalar() && key.Scalar() == "id" && value.IsScalar() && !value.Scalar().empty() &&
        value.Scalar().size() <= 64 && forbidden_character(value.Scalar()).empty()) {
      return fmt::format("{} '{}'", kind, value.Scalar());
    }
  }
  return std::string(kind);
}

/// The keys that a modality's caution and a condition's rule for every modality share.
void parse_rule(const Fields& f, Rule& rule, bool sources_required, std::vector<Reference>& references) {
  const Context& ctx = f.context();
  rule.level = f.enumeration<CautionLevel>("level", true).value_or(CautionLevel::avoid);
  rule.max_pressure = f.enumeration<Pressure>("max_pressure", false);
  rule.leave_out = f.refs("leave_out", false, RefKind::technique, references);
  rule.keep_off = f.enum_list<Area>("keep_off", "area");
  rule.without = f.enum_list<Part>("without", "part");
  if (rule.level == CautionLevel::avoid &&
      (rule.max_pressure || !rule.leave_out.empty() || !rule.keep_off.empty() || !rule.without.empty())) {
    ctx.error(f.node().Mark(), "max_pressure, leave_out, keep_off and without only go with level 'adapt'");
  }
  rule.note = f.text("note", true);
  rule.sources = f.refs("sources", sources_required, RefKind::source, references);
}

Parsed<Modality> parse_modality(const YAML::Node& map, const Context& ctx) {
  Fields f(map, ctx, entry_what("modality", map),
           {"id", "name", "aliases", "summary", "description", "pressure", "techniques", "core_techniques",
            "tools", "setting", "targets", "back", "helps_knots", "goals", "origin", "related", "cautions",
            "evidence", "sources"});
  auto p = start<Modality>(f);
  Modality& m = p.value;
  add_names(p, f);
  m.summary = f.text("summary", true, true);
  m.description = f.text("description", true);
  m.helps_knots = f.text("helps_knots", true);
  m.origin = f.text("origin", true);
  m.file = ctx.file;

  if (auto node = f.get("pressure")) {
    if (!node->IsMap()) {
      ctx.error(node->Mark(), fmt::format("'pressure' in {} must be a mapping with min and max", f.what()));
    } else {
      Fields pf(*node, ctx, fmt::format("the pressure of {}", f.what()), {"min", "max"});
      auto min = pf.enumeration<Pressure>("min", true);
      auto max = pf.enumeration<Pressure>("max", true);
      if (min && max) {
        m.pressure = {*min, *max};
        if (*min > *max) {
          ctx.error(node->Mark(), fmt::format("pressure min '{}' is above max '{}' in {}", name_of(*min),
                                              name_of(*max), f.what()));
        }
      }
    }
  } else {
    f.missing("pressure");
  }

  m.techniques = f.refs("techniques", true, RefKind::technique, p.references);
  for (auto& [core, at] : f.located_list("core_techniques", false)) {
    if (std::find(m.techniques.begin(), m.techniques.end(), core) == m.techniques.end()) {
      ctx.out.push_back({at.file, at.line, at.column,
                         fmt::format("core technique '{}' of {} is not in its techniques{}", core, f.what(),
                                     did_you_mean(core, m.techniques)),
                         false});
      continue;
    }
    m.core_techniques.push_back(std::move(core));
  }
  m.tools = f.list("tools", true);

  if (auto node = f.get("setting")) {
    if (!node->IsMap()) {
      ctx.error(node->Mark(), fmt::format("'setting' in {} must be a mapping", f.what()));
    } else {
      Fields sf(*node, ctx, fmt::format("the setting of {}", f.what()),
                {"surface", "clothing", "oil", "heat"});
      if (auto surfaces = sf.get("surface")) {
        if (surfaces->IsSequence() && surfaces->size() > 0) {
          for (auto it = surfaces->begin(); it != surfaces->end(); ++it) {
            YAML::Node item = *it;
            if (auto s = Fields::enum_value<Surface>(item, "a surface", ctx)) {
              m.setting.surfaces.push_back(*s);
            }
          }
        } else {
          ctx.error(surfaces->Mark(), "'surface' must be a list of table, mat, chair");
        }
      } else {
        sf.missing("surface");
      }
      m.setting.clothing = sf.enumeration<Clothing>("clothing", true).value_or(Clothing::either);
      m.setting.oil = sf.enumeration<Usage>("oil", true).value_or(Usage::none);
      m.setting.heat = sf.enumeration<Usage>("heat", true).value_or(Usage::none);
    }
  } else {
    f.missing("setting");
  }

  for (auto& [target, at] : f.located_list("targets", true)) {
    if (std::find(kTargets.begin(), kTargets.end(), target) == kTargets.end()) {
      const std::vector<std::string> names(kTargets.begin(), kTargets.end());
      ctx.out.push_back(
          {at.file, at.line, at.column,
           fmt::format("unknown target '{}' in {}{}", target, f.what(), did_you_mean(target, names)), false});
      continue;
    }
    m.targets.push_back(std::move(target));
  }
  m.back = f.enumeration<BackContact>("back", true).value_or(BackContact::direct);

  if (auto node = f.get("goals")) {
    if (!node->IsMap() || node->size() == 0) {
      ctx.error(node->Mark(), fmt::format("'goals' in {} must map goal ids to strong or some", f.what()));
    } else {
      for (auto it = node->begin(); it != node->end(); ++it) {
        YAML::Node key = it->first;
        YAML::Node value = it->second;
        if (!key.IsScalar()) {
          ctx.error(key.Mark(), "goal ids must be plain words");
          continue;
        }
        const std::string goal = trim(key.Scalar());
        const bool duplicate =
            std::any_of(m.goals.begin(), m.goals.end(), [&](const GoalFit& g) { return g.goal == goal; });
        if (duplicate) {
          ctx.error(key.Mark(), fmt::format("duplicate goal '{}' in {}", goal, f.what()));
          continue;
        }
        p.references.push_back({RefKind::goal, goal, ctx.at(key.Mark())});
        auto fit = Fields::enum_value<Fit>(value, fmt::format("goal '{}'", goal), ctx);
        m.goals.push_back({goal, fit.value_or(Fit::some)});
      }
    }
  } else {
    f.missing("goals");
  }

  if (auto node = f.get("related")) {
    if (!node->IsSequence()) {
      ctx.error(node->Mark(), fmt::format("'related' in {} must be a list", f.what()));
    } else {
      for (auto it = node->begin(); it != node->end(); ++it) {
        YAML::Node item = *it;
        if (!item.IsMap()) {
          ctx.error(item.Mark(), "each related entry must be a mapping with id and relation");
          continue;
        }
        Fields rf(item, ctx, fmt::format("a related entry of {}", f.what()), {"id", "relation"});
        RelatedModality r;
        r.id = rf.id("id");
        if (!r.id.empty()) p.references.push_back({RefKind::modality, r.id, rf.location("id")});
        r.relation = rf.enumeration<Relation>("relation", true).value_or(Relation::similar);
        m.related.push_back(std::move(r));
      }
    }
  }

  if (auto node = f.get("cautions")) {
    if (!node->IsSequence()) {
      ctx.error(node->Mark(), fmt::format("'cautions' in {} must be a list", f.what()));
    } else {
      for (auto it = node->begin(); it != node->end(); ++it) {
        YAML::Node item = *it;
        if (!item.IsMap()) {
          ctx.error(item.Mark(), "each caution must be a mapping with condition, level, note and sources");
          continue;
        }
        Fields cf(
            item, ctx, fmt::format("a caution of {}", f.what()),
            {"condition", "level", "max_pressure", "leave_out", "keep_off", "without", "note", "sources"});
        Caution c;
        c.condition = cf.id("condition");
        if (!c.condition.empty()) {
          const bool duplicate = std::any_of(m.cautions.begin(), m.cautions.end(),
                                             [&](const Caution& o) { return o.condition == c.condition; });
          if (duplicate) {
            ctx.error(item.Mark(), fmt::format("a second caution for '{}' in {}", c.condition, f.what()));
          }
          p.references.push_back({RefKind::condition, c.condition, cf.location("condition")});
        }
        parse_rule(cf, c, true, p.references);
        m.cautions.push_back(std::move(c));
      }
    }
  }

  if (auto node = f.get("evidence")) {
    if (!node->IsMap()) {
      ctx.error(node->Mark(), fmt::format("'evidence' in {} must be a mapping", f.what()));
    } else {
      Fields ef(*node, ctx, fmt::format("the evidence of {}", f.what()), {"grade", "note", "sources"});
      m.evidence.grade = ef.enumeration<EvidenceGrade>("grade", true).value_or(EvidenceGrade::anecdotal);
      m.evidence.note = ef.text("note", true);
      m.evidence.sources = ef.refs("sources", true, RefKind::source, p.references);
    }
  } else {
    f.missing("evidence");
  }
  m.sources = f.refs("sources", true, RefKind::source, p.references);
  return p;
}

Parsed<Technique> parse_technique(const YAML::Node& map, const Context& ctx) {
  Fields f(map, ctx, entry_what("technique", map), {"id", "name", "aliases", "definition", "sources"});
  auto p = start<Technique>(f);
  add_names(p, f);
  p.value.definition = f.text("definition", true);
  p.value.sources = f.refs("sources", true, RefKind::source, p.references);
  return p;
}

Parsed<Condition> parse_condition(const YAML::Node& map, const Context& ctx) {
  Fields f(map, ctx, entry_what("condition", map),
           {"id", "name", "aliases", "description", "guidance", "every_modality", "red_flags", "sources"});
  auto p = start<Condition>(f);
  add_names(p, f);
  p.value.description = f.text("description", true);
  p.value.guidance = f.text("guidance", true);
  if (auto node = f.get("every_modality")) {
    if (!node->IsMap()) {
      ctx.error(node->Mark(), fmt::format("'every_modality' in {} must be a mapping", f.what()));
    } else {
      Fields rf(*node, ctx, fmt::format("the every_modality rule of {}", f.what()),
                {"level", "max_pressure", "leave_out", "keep_off", "without", "note", "sources"});
      Rule rule;
      parse_rule(rf, rule, false, p.references);
      p.value.every_modality = std::move(rule);
    }
  }
  p.value.red_flags = f.refs("red_flags", false, RefKind::red_flag, p.references);
  p.value.sources = f.refs("sources", true, RefKind::source, p.references);
  return p;
}

Parsed<Goal> parse_goal(const YAML::Node& map, const Context& ctx) {
  Fields f(map, ctx, entry_what("goal", map), {"id", "name", "aliases", "description"});
  auto p = start<Goal>(f);
  add_names(p, f);
  p.value.description = f.text("description", true);
  return p;
}

Parsed<SelfCareTip> parse_self_care(const YAML::Node& map, const Context& ctx) {
  Fields f(map, ctx, entry_what("self-care tip", map),
           {"id", "name", "aliases", "advice", "evidence", "suits", "avoid_with", "sources"});
  auto p = start<SelfCareTip>(f);
  add_names(p, f);
  p.value.advice = f.text("advice", true);
  p.value.evidence = f.text("evidence", true);
  p.value.suits = f.refs("suits", true, RefKind::goal, p.references);
  p.value.avoid_with = f.refs("avoid_with", false, RefKind::condition, p.references);
  p.value.sources = f.refs("sources", true, RefKind::source, p.references);
  return p;
}

Parsed<RedFlag> parse_red_flag(const YAML::Node& map, const Context& ctx) {
  Fields f(map, ctx, entry_what("red flag", map), {"id", "urgency", "short", "aliases", "text", "sources"});
  auto p = start<RedFlag>(f);
  p.value.urgency = f.enumeration<Urgency>("urgency", true).value_or(Urgency::urgent);
  p.value.name = f.text("short", true, true);
  if (!p.value.name.empty()) p.names.push_back({p.value.name, f.location("short")});
  for (auto& [alias, at] : f.located_list("aliases", false)) {
    p.names.push_back({alias, at});
    p.value.aliases.push_back(std::move(alias));
  }
  p.value.text = f.text("text", true);
  p.value.sources = f.refs("sources", true, RefKind::source, p.references);
  return p;
}

Parsed<Source> parse_source(const YAML::Node& map, const Context& ctx) {
  Fields f(map, ctx, entry_what("source", map), {"id", "tier", "publisher", "title", "url", "via"});
  Parsed<Source> p;
  // Source ids follow the research notes ("S8b"), so they keep their case.
  p.value.id = f.text("id", true, true);
  p.at = f.location("id");
  if (!p.value.id.empty()) p.names.push_back({p.value.id, p.at});
  p.value.tier = f.enumeration<Tier>("tier", true).value_or(Tier::C);
  p.value.publisher = f.text("publisher", false, true);
  p.value.title = f.text("title", true, true);
  p.value.url = f.text("url", false, true);
  p.value.via = f.text("via", false, true);
  return p;
}

template <class T, class Fn>
void parse_list(const YAML::Node& root, const Context& ctx, std::string_view what,
                std::vector<Parsed<T>>& out, Fn parse_one) {
  if (!root.IsSequence()) {
    ctx.error(root.Mark(), fmt::format("this file must be a list of {}, not {}", what, kind_word(root)));
    return;
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    YAML::Node item = *it;
    if (!item.IsMap()) {
      ctx.error(item.Mark(),
                fmt::format("each entry of a list of {} must be a mapping, not {}", what, kind_word(item)));
      continue;
    }
    out.push_back(parse_one(item, ctx));
  }
}

}  // namespace

ParsedFile parse_file(const std::string& file, FileKind kind, const std::string& text,
                      std::vector<Diagnostic>& out) {
  ParsedFile parsed;
  parsed.kind = kind;
  const Context ctx{file, out};
  // Depth, anchors, duplicate keys, documents and sizes are checked on the event stream first:
  // the node tree would hide some of them and make others expensive.
  if (!check_structure(file, text, out)) return parsed;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    ctx.error(e.mark, e.msg);
    return parsed;
  }
  if (!root.IsDefined() || root.IsNull()) {
    out.push_back({file, 0, 0, "the file is empty", false});
    return parsed;
  }
  try {
    switch (kind) {
      case FileKind::modality:
        if (!root.IsMap()) {
          ctx.error(root.Mark(), fmt::format("a modality file must be a mapping, not {}", kind_word(root)));
        } else {
          parsed.modalities.push_back(parse_modality(root, ctx));
        }
        break;
      case FileKind::techniques:
        parse_list(root, ctx, "techniques", parsed.techniques, parse_technique);
        break;
      case FileKind::conditions:
        parse_list(root, ctx, "conditions", parsed.conditions, parse_condition);
        break;
      case FileKind::goals:
        parse_list(root, ctx, "goals", parsed.goals, parse_goal);
        break;
      case FileKind::self_care:
        parse_list(root, ctx, "self-care tips", parsed.self_care, parse_self_care);
        break;
      case FileKind::red_flags:
        parse_list(root, ctx, "red flags", parsed.red_flags, parse_red_flag);
        break;
      case FileKind::sources:
        parse_list(root, ctx, "sources", parsed.sources, parse_source);
        break;
    }
  } catch (const YAML::Exception& e) {
    // Reading through const nodes should not throw; if yaml-cpp still does, report it in place.
    ctx.error(e.mark, e.msg);
  }
  return parsed;
}

}  // namespace knots::load
