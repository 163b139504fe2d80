// JSON rendering with nlohmann::ordered_json; always dumped whole to a string, with invalid UTF-8
// replaced, so a document is never half-written.
#include "render/json.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "query/filter.hpp"
#include "query/pages.hpp"

namespace knots::render {
namespace {

using Json = nlohmann::ordered_json;

/// The whole document, invalid UTF-8 replaced, laid out as `style` says.
std::string dump(const Json& j, const JsonStyle& style) {
  return j.dump(style.pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json envelope() {
  return Json{{"schema", kSchema}};
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
    set(key, (flags & kNullWhenEmpty) != 0 && s.empty() ? Json(nullptr) : Json(s));
  }
  void list(std::string_view key, const std::vector<std::string>& v, unsigned) { set(key, v); }
  void refs(std::string_view key, const std::vector<std::string>& v, RefKind, unsigned) { set(key, v); }
  void ref(std::string_view key, const std::string& s, RefKind, unsigned) { set(key, s); }
  template <std::size_t N>
  void words(std::string_view key, const std::vector<std::string>& v, const std::array<std::string_view, N>&,
             std::string_view, unsigned) {
    set(key, v);
  }
  template <class E>
  void enumeration(std::string_view key, const E& e, unsigned) {
    set(key, name(e));
  }
  template <class E>
  void enumeration(std::string_view key, const std::optional<E>& e, unsigned) {
    set(key, optional_name(e));
  }
  template <class E>
  void enums(std::string_view key, const std::vector<E>& v, std::string_view, unsigned,
             std::string_view json_key = {}) {
    set(json_key.empty() ? key : json_key, names(v));
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

/// The modality's own fields, its cautions being those in effect (its own and every condition's
/// rule for every modality), then the sources its page cites.
Json modality(const ModalityPage& page) {
  const Modality& m = *page.modality;
  Json j = Json::object();
  JsonOut out(j, "cautions");
  describe(out, m);
  Json& cautions = j["cautions"] = Json::array();
  for (const auto& c : page.cautions) {
    Json caution = rule_json(c.rule, &c.condition->id);
    caution["general"] = c.rule.general;
    cautions.push_back(std::move(caution));
  }
  j.erase("file");  // "cited" goes before it
  j["cited"] = page.cited;
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
  insert_before(j, "sources", "avoid", summary.avoid);
  insert_before(j, "sources", "adapt", summary.adapt);
  return j;
}

Json with_schema(const Json& item) {
  Json j = envelope();
  for (auto& [key, value] : item.items()) j[key] = value;
  return j;
}

}  // namespace

std::string list_json(const std::vector<const Modality*>& items, const KnowledgeBase& kb,
                      const JsonStyle& style) {
  // One item at a time into strings: the whole list as one tree costs ten times the memory, and so
  // would every page at once, so each item's page is made (query/pages.hpp) just before it is
  // rendered. A large list is rendered by two threads, each on its own half (items are independent).
  const int indent = style.pretty ? 2 : -1;
  std::vector<std::string> rendered(items.size());
  auto render_range = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      rendered[i] =
          modality(modality_page(kb, *items[i])).dump(indent, ' ', false, Json::error_handler_t::replace);
    }
  };
  constexpr std::size_t kParallelFrom = 256;
  if (items.size() >= kParallelFrom && std::thread::hardware_concurrency() > 1) {
    std::thread half(render_range, items.size() / 2, items.size());
    render_range(0, items.size() / 2);
    half.join();
  } else {
    render_range(0, items.size());
  }

  const char* nl = style.pretty ? "\n" : "";
  std::string out =
      fmt::format("{{{}{}\"schema\":{}\"{}\",{}{}\"items\":{}[", nl, style.pretty ? "  " : "",
                  style.pretty ? " " : "", kSchema, nl, style.pretty ? "  " : "", style.pretty ? " " : "");
  for (std::size_t i = 0; i < rendered.size(); ++i) {
    const std::string& item = rendered[i];
    out += i == 0 ? "" : ",";
    if (!style.pretty) {
      out += item;
      continue;
    }
    // Indent the item's lines to sit inside "items".
    out += "\n    ";
    std::size_t from = 0;
    for (std::size_t at = item.find('\n'); at != std::string::npos; at = item.find('\n', from)) {
      out.append(item, from, at + 1 - from);
      out += "    ";
      from = at + 1;
    }
    out.append(item, from, std::string::npos);
  }
  out += style.pretty && !items.empty() ? "\n  ]\n}\n" : (style.pretty ? "]\n}\n" : "]}\n");
  return out;
}

std::string modality_json(const ModalityPage& page, const JsonStyle& style) {
  return dump(with_schema(modality(page)), style);
}

std::string techniques_json(const std::vector<TechniqueUsers>& techniques, const JsonStyle& style) {
  Json j = envelope();
  j["items"] = Json::array();
  for (const auto& t : techniques) j["items"].push_back(technique(t));
  return dump(j, style);
}

std::string technique_json(const TechniqueUsers& page, const JsonStyle& style) {
  return dump(with_schema(technique(page)), style);
}

std::string conditions_json(const std::vector<ConditionSummary>& conditions, const JsonStyle& style) {
  Json j = envelope();
  j["items"] = Json::array();
  for (const auto& c : conditions) j["items"].push_back(condition(c));
  return dump(j, style);
}

std::string validation_json(const std::vector<Diagnostic>& problems, std::size_t files,
                            std::size_t modalities, const JsonStyle& style) {
  Json j = envelope();
  j["valid"] = problems.empty();
  j["files"] = files;
  j["modalities"] = modalities;
  j["problems"] = Json::array();
  for (const auto& d : problems) {
    j["problems"].push_back({{"file", d.file},
                             {"line", d.line > 0 ? Json(d.line) : Json(nullptr)},
                             {"column", d.column > 0 ? Json(d.column) : Json(nullptr)},
                             {"message", d.message},
                             {"kind", d.io ? "io" : "invalid"}});
  }
  return dump(j, style);
}

std::string compare_json(const CompareResult& result, const std::vector<ModalityPage>& pages,
                         const std::vector<std::string>& notices, const JsonStyle& style) {
  Json j = envelope();
  j["items"] = Json::array();
  for (const auto& page : pages) j["items"].push_back(modality(page));
  j["differences"] = Json::array();
  j["shared"] = Json::array();
  for (const auto& row : result.rows) {
    if (row.differs) {
      Json values = Json::object();
      for (std::size_t i = 0; i < result.items.size(); ++i) values[result.items[i]->id] = row.values[i];
      Json entry = {{"field", row.field}, {"label", row.label}, {"values", values}};
      if (!row.shared.empty()) entry["shared"] = row.shared;
      j["differences"].push_back(entry);
    } else {
      j["shared"].push_back({{"field", row.field}, {"label", row.label}, {"value", row.values.front()}});
    }
  }
  j["choose"] = Json::object();
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    j["choose"][result.items[i]->id] = result.choose[i].empty() ? Json(nullptr) : Json(result.choose[i]);
  }
  j["notices"] = notices;
  return dump(j, style);
}

std::string search_json(const SearchResult& result, const std::vector<std::string>& terms, bool any,
                        const JsonStyle& style) {
  Json j = envelope();
  j["query"] = terms;
  j["any"] = any;
  j["items"] = Json::array();
  for (const auto& hit : result.hits) {
    Json marks = Json::array();
    for (const auto& [offset, length] : hit.marks) marks.push_back({offset, length});
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

std::string paths_json(const std::vector<std::string>& layers, const Places& places, const KnowledgeBase& kb,
                       const JsonStyle& style) {
  Json j = envelope();
  j["folders"] = layers;
  auto place = [](const std::string& path) { return path.empty() ? Json(nullptr) : Json(path); };
  j["user_folder"] = place(places.user_folder);
  j["cache"] = place(places.cache);
  j["ignored"] = places.ignored;
  j["vocabularies"] = places.vocabularies;
  j["items"] = Json::array();
  for (const auto& m : kb.modalities.all()) j["items"].push_back({{"id", m.id}, {"file", m.file}});
  return dump(j, style);
}

namespace {

/// What was asked, as given: every criterion, and one boolean per need ("no_oil", "no_heat",
/// "clothed", "no_floor", "direct", in the order of Need).
Json query_json(const RecommendRequest& request) {
  Json query = {{"pressure", optional_name(request.pressure)},
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
          {"stop", screening.stops()},
          {"action", screening.urgency ? Json(screening.action()) : Json(nullptr)},
          {"flags", flags}};
}

/// One recommendation with its rank; `explain` adds the parts of its score.
Json recommendation_json(const Recommendation& rec, std::size_t rank, bool explain) {
  Json cautions = Json::array();
  for (const auto& [condition, c] : rec.cautions) cautions.push_back(rule_json(c, &condition));
  Json item = {{"rank", rank},       {"id", rec.modality->id},   {"name", rec.modality->name},
               {"score", rec.score}, {"made_for", rec.made_for}, {"reasons", rec.reasons},
               {"notes", rec.notes}, {"cautions", cautions}};
  if (explain) {
    Json breakdown = Json::object();
    for (const auto& part : rec.breakdown) breakdown[part.criterion] = part.points;
    item["breakdown"] = breakdown;
  }
  return item;
}

/// The safety notice: not a diagnosis, what postpones massage, the pressure cap, every red flag
/// and the self-care tips.
Json notice_json(const RecommendResult& result) {
  Json postpone = Json::array();
  for (const auto& p : result.postpone) postpone.push_back({{"condition", p.condition}, {"note", p.note}});
  Json red_flags = Json::array();
  for (const RedFlag* f : result.red_flags) red_flags.push_back(red_flag_json(*f));
  Json self_care = Json::array();
  for (const SelfCareTip* t : result.self_care) {
    self_care.push_back({{"id", t->id},
                         {"name", t->name},
                         {"advice", t->advice},
                         {"evidence", t->evidence},
                         {"sources", t->sources}});
  }
  return {{"text",
           "This is not a diagnosis. See a clinician before any massage if your back pain comes "
           "with any of the red flags."},
          {"postpone", postpone},
          {"pressure_cap", optional_name(result.pressure_cap)},
          {"red_flags", red_flags},
          {"self_care", self_care}};
}

}  // namespace

std::string recommend_json(const RecommendResult& result, const RecommendRequest& request, bool explain,
                           const JsonStyle& style) {
  Json j = envelope();
  j["query"] = query_json(request);
  j["screening"] = screening_json(result.screening);
  // "knots": no criteria were given, so the ranking is the one for a knot and its tension.
  j["ranking"] = {{"for", result.for_knots ? "knots" : "criteria"}, {"ties", result.ties}};
  j["items"] = Json::array();
  std::size_t rank = 0;
  for (const auto& rec : result.items) j["items"].push_back(recommendation_json(rec, ++rank, explain));
  j["more"] = result.more;
  j["excluded"] = Json::array();
  for (const auto& e : result.excluded)
    j["excluded"].push_back({{"id", e.modality->id}, {"reasons", e.reasons}});
  j["notice"] = notice_json(result);
  // The warning signs that pain in an area asked for can also be, and where to read more.
  Json area_flags = Json::array();
  for (const RedFlag* f : result.area_flags) area_flags.push_back(red_flag_json(*f));
  j["notice"]["area_red_flags"] = area_flags;
  Json topics = Json::array();
  for (const GuideTopic* t : result.topics) topics.push_back({{"id", t->id}, {"name", t->name}});
  j["guide"] = topics;
  return dump(j, style);
}

std::string red_flags_json(const KnowledgeBase& kb, const JsonStyle& style) {
  Json j = envelope();
  j["items"] = Json::array();
  for (auto urgency : {Urgency::emergency, Urgency::urgent, Urgency::soon}) {
    for (const auto& f : kb.red_flags.all()) {
      if (f.urgency == urgency) j["items"].push_back(red_flag_json(f));
    }
  }
  return dump(j, style);
}

std::string sources_json(const std::vector<const Source*>& sources, const JsonStyle& style) {
  Json j = envelope();
  j["items"] = Json::array();
  for (const Source* src : sources) j["items"].push_back(source_json(*src));
  return dump(j, style);
}

std::string source_json(const Source& src, const std::vector<Citation>& citations, const JsonStyle& style) {
  Json j = with_schema(source_json(src));
  Json cited_by = Json::array();
  for (const auto& c : citations) cited_by.push_back({{"kind", c.kind}, {"id", c.id}});
  j["cited_by"] = cited_by;
  return dump(j, style);
}

std::string guide_json(const KnowledgeBase& kb, const JsonStyle& style) {
  Json j = envelope();
  j["items"] = Json::array();
  for (const auto& t : kb.guide.all()) j["items"].push_back(JsonOut::object_json(t));
  return dump(j, style);
}

std::string topic_json(const TopicPage& page, const JsonStyle& style) {
  return dump(with_schema(JsonOut::object_json(*page.topic)), style);
}

std::string self_care_list_json(const SelfCareList& list, const std::vector<std::string>& conditions,
                                const JsonStyle& style) {
  Json j = envelope();
  j["conditions"] = conditions;
  j["items"] = Json::array();
  for (const SelfCareTip* tip : list.items) j["items"].push_back(JsonOut::object_json(*tip));
  j["left_out"] = Json::array();
  for (const auto& left : list.left_out) {
    Json because = Json::array();
    for (const Condition* c : left.because) because.push_back(c->id);
    j["left_out"].push_back({{"id", left.tip->id}, {"because", because}});
  }
  j["screening"] = screening_json(list.screening);
  return dump(j, style);
}

std::string self_care_json(const SelfCarePage& page, const JsonStyle& style) {
  Json j = with_schema(JsonOut::object_json(*page.tip));
  Json guide = Json::array();
  for (const GuideTopic* t : page.listed_in) guide.push_back(t->id);
  j["guide"] = guide;
  return dump(j, style);
}

}  // namespace knots::render

// The command line's own documents: a completion script, and a failure (written to stderr). Kept
// apart from the documents above, which describe the knowledge base.
namespace knots::render {

std::string completion_json(std::string_view shell, std::string_view script, const JsonStyle& style) {
  const nlohmann::ordered_json j = {
      {"schema", kSchema}, {"kind", "completion"}, {"shell", shell}, {"script", script}};
  return j.dump(style.pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string error_json(const Failure& failure) {
  using Json = nlohmann::ordered_json;
  const auto name_or_null = [](const std::optional<std::string>& name) {
    return name ? Json(*name) : Json(nullptr);
  };
  const auto number_or_null = [](int n) { return n > 0 ? Json(n) : Json(nullptr); };
  Json unknown = Json::array();
  for (const auto& u : failure.unknown) unknown.push_back({{"name", u.name}, {"suggestions", u.suggestions}});
  Json problems = Json::array();
  for (const auto& d : failure.problems) {
    problems.push_back({{"file", d.file},
                        {"line", number_or_null(d.line)},
                        {"column", number_or_null(d.column)},
                        {"message", d.message}});
  }
  const Json error = {{"kind", failure.kind},
                      {"message", failure.message},
                      {"name", name_or_null(failure.name)},
                      {"suggestions", failure.suggestions},
                      {"unknown", unknown},
                      {"problems", problems}};
  const Json j = {{"schema", kSchema}, {"kind", "error"}, {"error", error}};
  // One line whatever the terminal: a script reads stderr line by line.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace knots::render
