// JSON rendering with nlohmann::ordered_json; always dumped whole to a string, with invalid UTF-8
// replaced, so a document is never half-written.
#include "render/json.hpp"

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <thread>
#include <type_traits>
#include <variant>

#include "query/filter.hpp"
#include "query/pages.hpp"
#include "util/utf8.hpp"

namespace knots::render {
namespace {

using Json = nlohmann::ordered_json;

/// The whole document, invalid UTF-8 replaced, laid out as `style` says.
std::string dump(const Json& j, const JsonStyle& style) {
  return j.dump(style.pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace) + "\n";
}

/// The knots/v1 envelope: the schema, the kind of document, and the question asked.
Json envelope(std::string_view kind, Json query = Json::object()) {
  return Json{{"schema", kSchema}, {"kind", kind}, {"query", std::move(query)}};
}

Json query_json(const Query& query) {
  Json j = Json::object();
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& field : query) {
    std::visit([&](const auto& v) { j[field.first] = v; }, field.second);
  }
  return j;
}

/// The rank of a value on an ordered scale, from 1 (lightest pressure, weakest evidence, least
/// urgent) up, for sorting; scales without an order have none.
template <class E>
constexpr std::optional<int> rank_of(E e) {
  if constexpr (std::is_same_v<E, Pressure> || std::is_same_v<E, EvidenceGrade>) {
    return static_cast<int>(e) + 1;
  } else if constexpr (std::is_same_v<E, Urgency>) {
    return static_cast<int>(EnumNames<Urgency>::names.size()) - static_cast<int>(e);
  } else {
    return std::nullopt;
  }
}

template <class E>
Json name(E e) {
  return std::string(name_of(e));
}

template <class E>
Json optional_name(const std::optional<E>& e) {
  return e ? name(*e) : Json(nullptr);
}

template <class E>
Json names(const std::vector<E>& v) {
  Json j = Json::array();
  for (auto e : v) j.push_back(name(e));
  return j;
}

/// The base JSON object of a value, from its description: the keys of the file in its order, each
/// value as the file has it (enums by name). The key `left_out` is written as null, to keep its
/// place for what the caller puts there (a modality's cautions in effect, not only its own).
class JsonOut {
 public:
  explicit JsonOut(Json& j, std::string_view left_out = {}) : j_(j), left_out_(left_out) {}

  void id(std::string_view key, const std::string& s, unsigned) { set(key, s); }
  void text(std::string_view key, const std::string& s, unsigned flags) {
    // An optional text left out is null, as every absent value is (knots(1), JSON OUTPUT).
    set(key, (flags & kRequired) == 0 && s.empty() ? Json(nullptr) : Json(s));
  }
  void list(std::string_view key, const std::vector<std::string>& v, unsigned) { set(key, v); }
  void refs(std::string_view key, const std::vector<std::string>& v, RefKind, unsigned) { set(key, v); }
  void ref(std::string_view key, const std::string& s, RefKind, unsigned) { set(key, s); }
  template <std::size_t N>
  void words(std::string_view key, const std::vector<std::string>& v, const std::array<std::string_view, N>&,
             std::string_view, unsigned) {
    set(key, v);
  }
  /// An ordered scale's value gets its rank beside it ("max", "max_rank").
  template <class E>
  void enumeration(std::string_view key, const E& e, unsigned) {
    set(key, name(e));
    if (const auto rank = rank_of(e)) set(std::string(key) + "_rank", *rank);
  }
  template <class E>
  void enumeration(std::string_view key, const std::optional<E>& e, unsigned) {
    set(key, optional_name(e));
    if (rank_of(E{})) set(std::string(key) + "_rank", e ? Json(*rank_of(*e)) : Json(nullptr));
  }
  template <class E>
  void enums(std::string_view key, const std::vector<E>& v, std::string_view, unsigned) {
    set(key, names(v));
  }
  template <class X>
  void object(std::string_view key, const X& x, std::string_view, unsigned) {
    if (skipped(key)) return;
    set(key, object_json(x));
  }
  template <class X>
  void object(std::string_view key, const std::optional<X>& x, std::string_view, unsigned) {
    if (skipped(key)) return;
    set(key, x ? object_json(*x) : Json(nullptr));
  }
  template <class X>
  void objects(std::string_view key, const std::vector<X>& v, std::string_view, unsigned) {
    if (skipped(key)) return;
    Json items = Json::array();
    for (const auto& x : v) items.push_back(object_json(x));
    set(key, std::move(items));
  }
  template <class K>
  void fits(std::string_view key, const std::vector<K>& v, unsigned) {
    Json fits = Json::object();
    for (const auto& g : v) fits[g.id] = name(g.value);
    set(key, std::move(fits));
  }
  void origin(std::string_view key, const std::string& s) { set(key, s); }

  /// A value's fields as a JSON object.
  template <class X>
  static Json object_json(const X& x) {
    Json j = Json::object();
    JsonOut out(j);
    describe(out, x);
    return j;
  }

 private:
  [[nodiscard]] bool skipped(std::string_view key) {
    if (left_out_.empty() || key != left_out_) return false;
    j_[std::string(key)] = nullptr;
    return true;
  }
  void set(std::string_view key, Json value) {
    if (!skipped(key)) j_[std::string(key)] = std::move(value);
  }

  Json& j_;
  std::string_view left_out_;
};

/// `key` and `value` placed just before the key `before` (ordered JSON keeps the order of the
/// file, and some computed keys sit inside it).
void insert_before(Json& j, std::string_view before, const std::string& key, Json value) {
  Json out = Json::object();
  for (auto& item : j.items()) {
    if (item.key() == before) out[key] = std::move(value);
    out[item.key()] = std::move(item.value());
  }
  j = std::move(out);
}

/// A rule's fields, after the condition's id when there is one: a modality's caution in effect,
/// or a recommendation's.
Json rule_json(const Rule& r, const std::string* condition = nullptr) {
  Json j = Json::object();
  if (condition) j["condition"] = *condition;
  JsonOut out(j);
  describe(out, r);
  return j;
}

Json red_flag_json(const RedFlag& f) {
  Json j = JsonOut::object_json(f);
  insert_before(j, "sources", "action", urgency_action(f.urgency));
  return j;
}

Json source_json(const Source& src) {
  return JsonOut::object_json(src);
}

/// A caution in effect as data: {"rule": "condition", "condition", the rule's fields, "general",
/// "text"}, the same object wherever a caution is shown.
Json caution_json(const std::string& condition, const EffectiveCaution& c) {
  Json j = {{"rule", "condition"}};
  Json rule = rule_json(c, &condition);
  for (auto& [key, value] : rule.items()) j[key] = std::move(value);
  j["general"] = c.general;
  j["text"] = c.note;
  return j;
}

/// The modality's own fields, its cautions being those in effect (its own and every condition's
/// rule for every modality), then the sources its page cites, each whole (id, tier, title, url).
Json modality(const ModalityPage& page, const KnowledgeBase& kb) {
  const Modality& m = *page.modality;
  Json j = Json::object();
  JsonOut out(j, "cautions");
  describe(out, m);
  Json& cautions = j["cautions"] = Json::array();
  for (const auto& c : page.cautions) cautions.push_back(caution_json(c.condition->id, c.rule));
  j.erase("file");  // "cited" goes before it
  Json& cited = j["cited"] = Json::array();
  for (const auto& id : page.cited) {
    if (const Source* src = kb.sources.find(id)) cited.push_back(source_json(*src));
  }
  Json& guide = j["guide"] = Json::array();
  for (const GuideTopic* t : page.topics) guide.push_back(t->id);
  j["file"] = m.file;
  return j;
}

Json technique(const TechniqueUsers& page) {
  Json j = JsonOut::object_json(*page.technique);
  Json& used_by = j["used_by"] = Json::array();
  for (const auto* m : page.used_by) used_by.push_back(m->id);
  return j;
}

Json condition(const ConditionSummary& summary) {
  Json j = JsonOut::object_json(*summary.condition);
  insert_before(j, "sources", "ruled_out", summary.ruled_out);
  insert_before(j, "sources", "capped", summary.capped);
  return j;
}

/// A problem of the knowledge base, as validate lists it and an error carries it: where, what, and
/// whether a file could not be read ("io") or holds something wrong ("invalid").
Json problem_json(const Diagnostic& d) {
  return {{"file", d.file},
          {"line", d.line > 0 ? Json(d.line) : Json(nullptr)},
          {"column", d.column > 0 ? Json(d.column) : Json(nullptr)},
          {"message", d.message},
          {"kind", d.io ? "io" : "invalid"}};
}

/// A document of one entry: the envelope, then the entry under "item".
std::string single(std::string_view kind, const Query& query, Json item, const JsonStyle& style) {
  Json j = envelope(kind, query_json(query));
  j["item"] = std::move(item);
  return dump(j, style);
}

/// A document of a list: the envelope, then the entries under "items".
Json listing(std::string_view kind, Json query = Json::object()) {
  Json j = envelope(kind, std::move(query));
  j["items"] = Json::array();
  return j;
}

}  // namespace

void list_json(const std::vector<const Modality*>& items, const KnowledgeBase& kb, const ListFilter& filter,
               const JsonStyle& style, const std::function<void(std::string_view)>& write) {
  // The envelope with an empty list, laid out as the items will be; they go inside its brackets.
  const Json query = {{"pressure", optional_name(filter.pressure)},
                      {"pressure_rank", filter.pressure ? Json(*rank_of(*filter.pressure)) : Json(nullptr)},
                      {"techniques", filter.techniques},
                      {"goals", filter.goals},
                      {"areas", filter.areas},
                      {"clothed", filter.clothed},
                      {"no_oil", filter.no_oil},
                      {"heat", filter.heat}};
  std::string head = dump(listing("modalities", query), style);
  const std::size_t close = head.rfind(']');
  const std::string end = head.substr(close);
  head.resize(close);
  if (style.pretty) {
    while (!head.empty() && head.back() != '[') head.pop_back();  // "[]" may be written "[\n  ]"
  }
  write(head);

  // The items a batch at a time, each batch written before the next is made: the whole list as one
  // tree costs ten times the memory, and at 10,000 modalities even the finished text is half a
  // gigabyte. Each item's page is made (query/pages.hpp) just before it is rendered, and a batch is
  // rendered on every core, each thread taking the next item (items are independent).
  const int indent = style.pretty ? 2 : -1;
  constexpr std::size_t kBatch = 128;
  std::vector<std::string> rendered(std::min(kBatch, items.size()));
  const std::size_t threads =
      items.size() < 2 * kBatch ? 1 : std::max(1U, std::thread::hardware_concurrency());
  std::string out;
  for (std::size_t from = 0; from < items.size(); from += kBatch) {
    const std::size_t count = std::min(kBatch, items.size() - from);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i = next++; i < count; i = next++) {
        rendered[i] = modality(modality_page(kb, *items[from + i]), kb)
                          .dump(indent, ' ', false, Json::error_handler_t::replace);
      }
    };
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
    for (auto& helper : helpers) helper.join();

    out.clear();
    for (std::size_t i = 0; i < count; ++i) {
      const std::string& item = rendered[i];
      out += from + i == 0 ? "" : ",";
      if (!style.pretty) {
        out += item;
        continue;
      }
      // Indent the item's lines to sit inside "items".
      out += "\n    ";
      std::size_t at_line = 0;
      for (std::size_t at = item.find('\n'); at != std::string::npos; at = item.find('\n', at_line)) {
        out.append(item, at_line, at + 1 - at_line);
        out += "    ";
        at_line = at + 1;
      }
      out.append(item, at_line, std::string::npos);
    }
    write(out);
  }
  write(style.pretty && !items.empty() ? "\n  " + end : end);
}

std::string list_json(const std::vector<const Modality*>& items, const KnowledgeBase& kb,
                      const ListFilter& filter, const JsonStyle& style) {
  std::string out;
  list_json(items, kb, filter, style, [&](std::string_view text) { out += text; });
  return out;
}

std::string modality_json(const ModalityPage& page, const KnowledgeBase& kb, const Query& query,
                          const JsonStyle& style) {
  return single("modality", query, modality(page, kb), style);
}

std::string techniques_json(const std::vector<TechniqueUsers>& techniques, const JsonStyle& style) {
  Json j = listing("techniques");
  for (const auto& t : techniques) j["items"].push_back(technique(t));
  return dump(j, style);
}

std::string technique_json(const TechniqueUsers& page, const Query& query, const JsonStyle& style) {
  return single("technique", query, technique(page), style);
}

std::string conditions_json(const std::vector<ConditionSummary>& conditions, const JsonStyle& style) {
  Json j = listing("conditions");
  for (const auto& c : conditions) j["items"].push_back(condition(c));
  return dump(j, style);
}

std::string condition_json(const ConditionSummary& summary, const Query& query, const JsonStyle& style) {
  return single("condition", query, condition(summary), style);
}

namespace {

/// A goal with who serves it: the styles that suit it strongly or somewhat, and the tips.
Json goal(const GoalPage& page) {
  Json j = JsonOut::object_json(*page.goal);
  const auto ids = [](const auto& entries) {
    Json out = Json::array();
    for (const auto* e : entries) out.push_back(e->id);
    return out;
  };
  j["strong"] = ids(page.strong);
  j["some"] = ids(page.some);
  j["self_care"] = ids(page.self_care);
  return j;
}

}  // namespace

std::string goals_json(const std::vector<GoalPage>& goals, const JsonStyle& style) {
  Json j = listing("goals");
  for (const auto& g : goals) j["items"].push_back(goal(g));
  return dump(j, style);
}

std::string goal_json(const GoalPage& page, const Query& query, const JsonStyle& style) {
  return single("goal", query, goal(page), style);
}

std::string validation_json(const std::vector<Diagnostic>& problems, std::size_t files,
                            std::size_t modalities, const std::vector<std::string>& paths,
                            const JsonStyle& style) {
  Json j = listing("validation", {{"paths", paths}});
  j["valid"] = problems.empty();
  j["files"] = files;
  j["modalities"] = modalities;
  for (const auto& d : problems) j["items"].push_back(problem_json(d));
  return dump(j, style);
}

std::string compare_json(const CompareResult& result, const std::vector<ModalityPage>& pages,
                         const KnowledgeBase& kb, const CompareQuery& query, const JsonStyle& style) {
  Json j = listing("comparison", {{"names", query.names}, {"diff", query.diff}});
  for (const auto& page : pages) j["items"].push_back(modality(page, kb));
  // A row's values as `show` has them: the field of each item's object ("setting.oil" is
  // item.setting.oil), or for a computed list its ids; the words a person reads beside them.
  const auto value_of = [&](const CompareRow& row, std::size_t i) -> Json {
    if (row.list && row.field == "ruled_out_by") return row.ids[i];
    Json value = j["items"][i];
    for (std::size_t from = 0; from <= row.field.size();) {
      const std::size_t dot = std::min(row.field.find('.', from), row.field.size());
      value = value.value(row.field.substr(from, dot - from), Json(nullptr));
      from = dot + 1;
    }
    return value;
  };
  j["differences"] = Json::array();
  j["shared"] = Json::array();
  for (const auto& row : result.rows) {
    Json values = Json::object();
    Json display = Json::object();
    for (std::size_t i = 0; i < result.items.size(); ++i) {
      values[result.items[i]->id] = value_of(row, i);
      display[result.items[i]->id] = row.values[i];
    }
    if (row.differs) {
      j["differences"].push_back({{"field", row.field},
                                  {"label", row.label},
                                  {"values", values},
                                  {"display", display},
                                  {"shared", row.list ? Json(row.shared_ids) : Json::array()}});
    } else if (!query.diff) {
      j["shared"].push_back({{"field", row.field},
                             {"label", row.label},
                             {"value", values[result.items.front()->id]},
                             {"display", row.values.front()}});
    }
  }
  j["choose"] = Json::object();
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    j["choose"][result.items[i]->id] = result.choose[i].empty() ? Json(nullptr) : Json(result.choose[i]);
  }
  j["notices"] = query.notices;
  return dump(j, style);
}

std::string search_json(const SearchResult& result, const SearchQuery& query, const JsonStyle& style) {
  Json read_as = Json::array();
  for (const auto& r : result.read_as) read_as.push_back({{"typed", r.typed}, {"read", r.read}});
  Json j = listing("search", {{"terms", query.terms},
                              {"match", query.match == Match::all ? "all" : "any"},
                              {"any", query.match == Match::any},
                              {"top", query.top},
                              {"read_as", read_as}});
  j["total"] = result.total;
  for (const auto& hit : result.hits) {
    // Offsets and lengths count characters (Unicode code points) of the snippet, as jq's and
    // most languages' string functions do, not bytes.
    Json marks = Json::array();
    for (const auto& [offset, length] : hit.marks) {
      const std::size_t start = char_count(std::string_view(hit.snippet).substr(0, offset));
      marks.push_back(
          {{"start", start}, {"length", char_count(std::string_view(hit.snippet).substr(offset, length))}});
    }
    j["items"].push_back({{"score", hit.score},
                          {"kind", name(hit.kind)},
                          {"id", hit.id},
                          {"name", hit.name},
                          {"field", hit.field},
                          {"label", hit.label},
                          {"snippet", hit.snippet},
                          {"marks", marks},
                          {"aside", hit.aside}});
  }
  j["hints"] = result.hints;
  j["notes"] = result.notes;
  return dump(j, style);
}

std::string paths_json(const std::vector<FolderStatus>& folders, const Places& places,
                       const KnowledgeBase* kb, const JsonStyle& style) {
  Json j = listing("paths");
  Json& out = j["folders"] = Json::array();
  for (const auto& f : folders) {
    out.push_back({{"path", f.path}, {"from", f.from}, {"status", f.status}, {"problems", f.problems}});
  }
  auto place = [](const std::string& path) { return path.empty() ? Json(nullptr) : Json(path); };
  auto note = [](const std::string& why) { return why.empty() ? Json(nullptr) : Json(why); };
  j["user_folder"] = {{"path", place(places.user_folder)}, {"note", note(places.user_note)}};
  j["cache"] = {{"path", place(places.cache)}, {"note", note(places.cache_note)}};
  j["ignored"] = places.ignored;
  j["vocabularies"] = places.vocabularies;
  if (kb) {
    for (const auto& m : kb->modalities.all()) j["items"].push_back({{"id", m.id}, {"file", m.file}});
  }
  // The modalities last, after the folders they came from.
  Json items = std::move(j["items"]);
  j.erase("items");
  j["items"] = std::move(items);
  return dump(j, style);
}

std::string graph_json(const Graph& graph, const KnowledgeBase& kb, const JsonStyle& style) {
  Json j = envelope("graph");
  Json& nodes = j["nodes"] = Json::array();
  for (const auto& m : kb.modalities.all()) nodes.push_back({{"id", m.id}, {"name", m.name}});
  Json& edges = j["edges"] = Json::array();
  for (const auto& e : graph.edges) {
    // An id-like word, as every enum value is: "shares-techniques".
    std::string relation = e.relation;
    std::replace(relation.begin(), relation.end(), ' ', '-');
    edges.push_back({{"from", e.from},
                     {"to", e.to},
                     {"relation", relation},
                     {"shared", e.relation == "shares techniques" ? Json(e.shared) : Json(nullptr)}});
  }
  j["shares_left_out"] = graph.shares_left_out;
  j["shares_skipped"] = graph.shares_skipped;
  return dump(j, style);
}

// man/knots.schema.json, compiled in by cmake/embed_text.cmake.
std::string_view schema_text();

std::vector<std::string> schema_commands() {
  const Json schema = Json::parse(schema_text());
  std::vector<std::string> out;
  for (const auto& [command, kinds] : schema.at("x-commands").items()) {
    if (!kinds.empty()) out.push_back(command);  // `schema` prints a schema, not a document
  }
  return out;
}

std::optional<std::string> schema_json(std::string_view command, const JsonStyle& style) {
  if (command.empty()) return std::string(schema_text());
  const Json schema = Json::parse(schema_text());
  const Json& commands = schema.at("x-commands");
  const auto kinds = commands.find(std::string(command));
  if (kinds == commands.end() || kinds->empty()) return std::nullopt;
  // "…/knots-v1.json" becomes "…/knots-v1-list.json".
  const std::string whole = schema.at("$id").get<std::string>();
  const std::string stem = whole.ends_with(".json") ? whole.substr(0, whole.size() - 5) : whole;
  const std::string id = fmt::format("{}-{}.json", stem, command);
  Json out = {{"$schema", schema.at("$schema")},
              {"$id", id},
              {"title", fmt::format("knots {} --json", command)},
              {"description",
               fmt::format("What `knots {}` prints with --json, within knots/v1 (see knots(1)).", command)}};
  if (command == "error")
    out["description"] =
        "What knots writes to stderr with --json when it fails, within knots/v1 (see knots(1)).";
  Json& one_of = out["oneOf"] = Json::array();
  for (const auto& kind : *kinds) one_of.push_back({{"$ref", "#/$defs/document-" + kind.get<std::string>()}});
  out["$defs"] = schema.at("$defs");
  return dump(out, style);
}

std::string new_json(const std::string& id, const std::string& path, const JsonStyle& style) {
  return single("new", {{"id", id}}, {{"id", id}, {"path", path}}, style);
}

namespace {

/// What was asked, as given: every criterion, and one boolean per need ("no_oil", "no_heat",
/// "clothed", "no_floor", "direct", in the order of Need).
Json query_json(const RecommendRequest& request) {
  Json query = {{"pressure", optional_name(request.pressure)},
                {"pressure_rank", request.pressure ? Json(*rank_of(*request.pressure)) : Json(nullptr)},
                {"goals", request.goals},
                {"areas", request.areas},
                {"conditions", request.conditions},
                {"symptoms", request.symptoms}};
  for (Need need : kNeeds) {
    std::string key(name_of(need));
    std::replace(key.begin(), key.end(), '-', '_');
    query[key] = request.needs.contains(need);
  }
  Json prefer = Json::array();
  for (auto p : request.prefer) prefer.push_back(name(p));
  query["prefer"] = prefer;
  query["top"] = request.top;
  return query;
}

/// The warning signs found, how urgent, and whether they stop the recommendation.
Json screening_json(const Screening& screening) {
  Json flags = Json::array();
  for (const RedFlag* f : screening.flags) flags.push_back(red_flag_json(*f));
  return {{"urgency", optional_name(screening.urgency)},
          {"urgency_rank", screening.urgency ? Json(*rank_of(*screening.urgency)) : Json(nullptr)},
          {"stop", screening.stops()},
          {"action", screening.urgency ? Json(screening.action()) : Json(nullptr)},
          {"flags", flags}};
}

/// A reason, a note or an exclusion as data: {"rule", the ids and level its rule names, "text"}
/// (the keys of each rule: Reason in query/recommend.hpp, and $defs/reason in man/knots.schema.json).
Json reason_json(const Reason& r) {
  Json j = {{"rule", name(r.rule)}};
  const auto one = [&]() { return r.ids.empty() ? Json(nullptr) : Json(r.ids.front()); };
  const auto value = [&]() { return r.value.empty() ? Json(nullptr) : Json(r.value); };
  const auto rank = [&](auto e) { return e ? Json(*rank_of(*e)) : Json(nullptr); };
  switch (r.rule) {
    case Basis::pressure:
      j["pressure"] = value();
      j["pressure_rank"] = rank(enum_from<Pressure>(r.value));
      break;
    case Basis::condition:
      j["condition"] = one();
      j["level"] = value();
      break;
    case Basis::need:
      j["need"] = one();
      j["meets"] = value();
      break;
    case Basis::area:
      j["areas"] = r.ids;
      j["reach"] = value();
      break;
    case Basis::goal:
      j["goal"] = one();
      j["fit"] = value();
      break;
    case Basis::knot:
      j["target"] = one();
      break;
    case Basis::preference:
      j["preference"] = one();
      break;
    case Basis::back:
      j["back"] = value();
      break;
    case Basis::evidence:
      j["evidence"] = value();
      j["evidence_rank"] = rank(enum_from<EvidenceGrade>(r.value));
      break;
    case Basis::made_for:
    case Basis::postpone:
      j["conditions"] = r.ids;
      break;
    case Basis::screening:
      j["red_flags"] = r.ids;
      j["urgency"] = value();
      break;
  }
  j["text"] = r.text;
  return j;
}

Json reasons_json(const std::vector<Reason>& reasons) {
  Json out = Json::array();
  for (const auto& r : reasons) out.push_back(reason_json(r));
  return out;
}

/// The parts of a score by criterion: every criterion always present, null when this question did
/// not weigh it.
Json breakdown_json(const std::vector<ScorePart>& parts) {
  Json j = Json::object();
  for (std::string_view criterion : kCriteria) j[std::string(criterion)] = nullptr;
  for (const auto& part : parts) j[part.criterion] = part.points;
  return j;
}

/// One recommendation with its rank; `explain` fills its "breakdown" (null without).
Json recommendation_json(const Recommendation& rec, std::size_t rank, bool explain) {
  Json cautions = Json::array();
  for (const auto& [condition, c] : rec.cautions) cautions.push_back(caution_json(condition, c));
  return {{"rank", rank},
          {"id", rec.modality->id},
          {"name", rec.modality->name},
          {"score", rec.score},
          {"made_for", rec.made_for},
          {"reasons", reasons_json(rec.reasons)},
          {"notes", reasons_json(rec.notes)},
          {"cautions", cautions},
          {"breakdown", explain ? breakdown_json(rec.breakdown) : Json(nullptr)}};
}

/// The safety notice: not a diagnosis, what postpones massage, the pressure cap, every red flag
/// and the self-care tips (each whole, as `knots self-care` shows it).
Json notice_json(const RecommendResult& result) {
  Json postpone = Json::array();
  for (const auto& p : result.postpone) postpone.push_back({{"condition", p.condition}, {"text", p.note}});
  Json red_flags = Json::array();
  for (const RedFlag* f : result.red_flags) red_flags.push_back(red_flag_json(*f));
  Json self_care = Json::array();
  for (const SelfCareTip* t : result.self_care) self_care.push_back(JsonOut::object_json(*t));
  Json area_flags = Json::array();
  for (const RedFlag* f : result.area_flags) area_flags.push_back(red_flag_json(*f));
  return {{"text",
           "This is not a diagnosis. See a clinician before any massage if your back pain comes "
           "with any of the red flags."},
          {"postpone", postpone},
          {"pressure_cap", optional_name(result.pressure_cap)},
          {"pressure_cap_rank", result.pressure_cap ? Json(*rank_of(*result.pressure_cap)) : Json(nullptr)},
          {"red_flags", red_flags},
          {"area_red_flags", area_flags},
          {"self_care", self_care}};
}

}  // namespace

std::string recommend_json(const RecommendResult& result, const RecommendRequest& request, bool explain,
                           const JsonStyle& style) {
  Json j = envelope("recommendation", query_json(request));
  j["screening"] = screening_json(result.screening);
  // "knots": no criteria were given, so the ranking is the one for a knot and its tension.
  j["ranking"] = {{"for", result.for_knots ? "knots" : "criteria"}, {"ties", result.ties}};
  j["items"] = Json::array();
  std::size_t rank = 0;
  for (const auto& rec : result.items) j["items"].push_back(recommendation_json(rec, ++rank, explain));
  j["more"] = result.more;
  j["excluded"] = Json::array();
  for (const auto& e : result.excluded) {
    j["excluded"].push_back(
        {{"id", e.modality->id}, {"name", e.modality->name}, {"reasons", reasons_json(e.reasons)}});
  }
  j["notice"] = notice_json(result);
  // Where to read more: each topic whole, as `knots guide TOPIC` shows it.
  Json topics = Json::array();
  for (const GuideTopic* t : result.topics) topics.push_back(JsonOut::object_json(*t));
  j["guide"] = topics;
  return dump(j, style);
}

std::string red_flags_json(const KnowledgeBase& kb, const JsonStyle& style) {
  Json j = listing("red-flags");
  for (auto urgency : {Urgency::emergency, Urgency::urgent, Urgency::soon}) {
    for (const auto& f : kb.red_flags.all()) {
      if (f.urgency == urgency) j["items"].push_back(red_flag_json(f));
    }
  }
  return dump(j, style);
}

std::string sources_json(const std::vector<const Source*>& sources, const JsonStyle& style) {
  Json j = listing("sources");
  for (const Source* src : sources) j["items"].push_back(source_json(*src));
  return dump(j, style);
}

std::string source_json(const Source& src, const std::vector<Citation>& citations, const Query& query,
                        const JsonStyle& style) {
  Json item = source_json(src);
  Json cited_by = Json::array();
  for (const auto& c : citations) cited_by.push_back({{"kind", c.kind}, {"id", c.id}});
  item["cited_by"] = cited_by;
  return single("source", query, std::move(item), style);
}

std::string guide_json(const KnowledgeBase& kb, const JsonStyle& style) {
  Json j = listing("topics");
  for (const auto& t : kb.guide.all()) j["items"].push_back(JsonOut::object_json(t));
  return dump(j, style);
}

std::string topic_json(const TopicPage& page, const Query& query, const JsonStyle& style) {
  return single("topic", query, JsonOut::object_json(*page.topic), style);
}

std::string self_care_list_json(const SelfCareList& list, const RecommendRequest& request,
                                const JsonStyle& style) {
  Json j = listing("tips", {{"conditions", request.conditions}, {"symptoms", request.symptoms}});
  for (const SelfCareTip* tip : list.items) j["items"].push_back(JsonOut::object_json(*tip));
  j["left_out"] = Json::array();
  for (const auto& left : list.left_out) {
    Json because = Json::array();
    for (const Condition* c : left.because) because.push_back(c->id);
    j["left_out"].push_back({{"id", left.tip->id}, {"conditions", because}});
  }
  j["screening"] = screening_json(list.screening);
  return dump(j, style);
}

std::string self_care_json(const SelfCarePage& page, const Query& query, const JsonStyle& style) {
  Json item = JsonOut::object_json(*page.tip);
  Json guide = Json::array();
  for (const GuideTopic* t : page.listed_in) guide.push_back(t->id);
  item["guide"] = guide;
  return single("tip", query, std::move(item), style);
}

std::string completion_json(std::string_view shell, std::string_view script, const JsonStyle& style) {
  Json j = envelope("completion", {{"shell", shell}});
  j["shell"] = shell;
  j["script"] = script;
  return dump(j, style);
}

std::string error_json(const Failure& failure) {
  Json unknown = Json::array();
  for (const auto& u : failure.unknown) unknown.push_back({{"name", u.name}, {"suggestions", u.suggestions}});
  Json problems = Json::array();
  for (const auto& d : failure.problems) problems.push_back(problem_json(d));
  const Json error = {{"kind", failure.kind},
                      {"message", failure.message},
                      {"name", failure.name ? Json(*failure.name) : Json(nullptr)},
                      {"suggestions", failure.suggestions},
                      {"unknown", unknown},
                      {"problems", problems}};
  Json j = {{"schema", kSchema}, {"kind", "error"}, {"error", error}};
  // One line whatever the terminal: a script reads stderr line by line.
  return dump(j, JsonStyle{false});
}

}  // namespace knots::render
