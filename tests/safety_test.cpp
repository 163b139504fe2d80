// The safety rules of recommend on small inline knowledge bases: a caution that takes out a
// technique, an area or a part of a session; warning signs that stop the answer; the rules that a
// modality's own caution and a condition's rule for every modality make together.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "query/filter.hpp"
#include "query/recommend.hpp"
#include "support.hpp"

using namespace knots;

namespace {

std::string edit(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> changes) {
  for (const auto& [from, to] : changes) text.replace(text.find(from), from.size(), to);
  return text;
}

/// The base vocabulary with more techniques, conditions and red flags, and three modalities:
/// `table` (works the back, stretching is optional), `stretchy` (stretching is core, heat optional)
/// and `feet` (works the back indirectly, heat used).
load::LoadResult safety_kb() {
  auto files = test::base_vocabulary();
  for (auto& f : files) {
    if (f.name == "kb/techniques.yaml") {
      f.bytes += R"(- id: stretching
  name: Assisted stretching
  definition: Stretches.
  sources: [S1]
- id: tapotement
  name: Tapotement
  definition: Tapping.
  sources: [S1]
)";
    }
    if (f.name == "kb/conditions.yaml") {
      f.bytes += R"(- id: brittle
  name: Brittle bones
  description: Fragile bones.
  guidance: Gently.
  every_modality:
    level: adapt
    leave_out: [stretching, tapotement]
    note: No stretching or tapping.
  sources: [S1]
- id: spine-op
  name: Spinal surgery
  aliases: [back surgery]
  description: An operation on the spine.
  guidance: Keep off the back.
  every_modality:
    level: adapt
    keep_off: [back, legs]
    note: Keep off the back.
  sources: [S1]
- id: numb
  name: Reduced sensation
  description: Nerve damage.
  guidance: No heat.
  every_modality:
    level: adapt
    without: [heat]
    note: No heat.
  sources: [S1]
- id: hot
  name: Feverish illness
  description: A temperature.
  guidance: See a doctor.
  every_modality:
    level: avoid
    note: Postpone.
  red_flags: [temperature]
  sources: [S1]
)";
    }
  }
  files.push_back({"kb/red-flags.yaml", R"(# red flags
- id: saddle
  urgency: emergency
  short: numbness around the genitals
  aliases: [numb groin]
  text: Get emergency help.
  sources: [S1]
- id: temperature
  urgency: urgent
  short: fever
  text: See a doctor today.
  sources: [S1]
- id: over-50
  urgency: soon
  short: first back pain after 50
  text: See a doctor before booking.
  sources: [S1]
)"});
  files.push_back({"kb/self-care.yaml", R"(# self-care
- id: walk
  name: Keep active
  advice: Walk.
  evidence: Some.
  suits: [pain-relief]
  sources: [S1]
)"});
  files.push_back({"kb/modalities/table.yaml",
                   test::modality_yaml("table", "Table massage", R"(core_techniques: [effleurage]
)")});
  files.push_back({"kb/modalities/stretchy.yaml",
                   edit(test::modality_yaml("stretchy", "Stretch massage"),
                        {{"techniques: [effleurage, petrissage]",
                          "techniques: [effleurage, stretching]\ncore_techniques: [stretching]"},
                         {"heat: none", "heat: optional"}})});
  files.push_back(
      {"kb/modalities/feet.yaml", edit(test::modality_yaml("feet", "Foot massage"),
                                       {{"back: direct", "back: indirect"}, {"heat: none", "heat: used"}})});
  return load::load_layers({{"kb", files}});
}

const KnowledgeBase& kb() {
  static const auto result = safety_kb();
  INFO(test::all_messages(result));
  REQUIRE(result.diagnostics.empty());
  return result.kb;
}

RecommendResult ask(std::vector<std::string> conditions, std::vector<std::string> symptoms = {},
                    std::vector<Preference> prefer = {}) {
  RecommendRequest request;
  request.conditions = std::move(conditions);
  request.symptoms = std::move(symptoms);
  request.prefer = std::move(prefer);
  request.top = 10;
  return recommend(kb(), request);
}

const Recommendation* item(const RecommendResult& r, std::string_view id) {
  for (const auto& rec : r.items) {
    if (rec.modality->id == id) return &rec;
  }
  return nullptr;
}

bool excluded(const RecommendResult& r, std::string_view id) {
  return std::any_of(r.excluded.begin(), r.excluded.end(),
                     [&](const Exclusion& e) { return e.modality->id == id; });
}

bool has(const std::vector<std::string>& v, std::string_view text) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

bool has(const std::vector<knots::Reason>& v, std::string_view text) {
  return has(knots::reason_texts(v), text);
}

}  // namespace

TEST_CASE("a technique a condition leaves out rules out a style it defines, and adapts the others") {
  const auto r = ask({"brittle"});
  CHECK(excluded(r, "stretchy"));  // stretching is what the style is
  REQUIRE(item(r, "table") != nullptr);
  REQUIRE(item(r, "feet") != nullptr);
  CHECK_FALSE(has(item(r, "table")->notes, "stretching"));  // it never used it
  // Without a list of core techniques, every technique counts: the safe reading.
  auto files = test::base_vocabulary();
  files.push_back({"kb/modalities/x.yaml", test::modality_yaml("x", "X")});
  files[2].bytes +=
      "- id: no-kneading\n  name: No kneading\n  description: d\n  guidance: g\n  every_modality:\n"
      "    level: adapt\n    leave_out: [petrissage]\n    note: n\n  sources: [S1]\n";
  const auto loaded = load::load_layers({{"kb", files}});
  REQUIRE(loaded.diagnostics.empty());
  RecommendRequest request;
  request.conditions = {"no-kneading"};
  const auto plain = recommend(loaded.kb, request);
  CHECK(plain.items.empty());
}

TEST_CASE("keeping off the back rules out every style that works it directly, not those that do not") {
  const auto by_id = ask({"spine-op"});
  const auto by_alias = ask({"back surgery"});  // as a person types it
  REQUIRE(by_alias.items.size() == 1);
  CHECK(by_alias.items.front().modality->id == "feet");
  CHECK(excluded(by_id, "table"));
  CHECK(excluded(by_id, "stretchy"));
  REQUIRE(item(by_id, "feet") != nullptr);
  CHECK(has(item(by_id, "feet")->notes, "no work on the legs"));
  REQUIRE(item(by_id, "feet")->cautions.size() == 1);
}

TEST_CASE("a part a caution takes away rules out a style built on it and earns no preference bonus") {
  const auto r = ask({"numb"}, {}, {Preference::heat});
  CHECK(excluded(r, "feet"));  // heat is part of it
  const Recommendation* stretchy = item(r, "stretchy");
  REQUIRE(stretchy != nullptr);
  CHECK(has(stretchy->notes, "leave out the heat"));
  CHECK_FALSE(has(stretchy->reasons, "heat"));
  const auto preferences = std::find_if(stretchy->breakdown.begin(), stretchy->breakdown.end(),
                                        [](const ScorePart& p) { return p.criterion == "preferences"; });
  REQUIRE(preferences != stretchy->breakdown.end());
  CHECK(preferences->points == 0);
  // Without the condition the heat earns its bonus, so the test above can fail.
  const auto free = ask({}, {}, {Preference::heat});
  REQUIRE(item(free, "stretchy") != nullptr);
  CHECK(has(item(free, "stretchy")->reasons, "heat"));
}

TEST_CASE("an emergency or urgent warning sign stops the answer, a 'soon' one puts advice first") {
  for (const char* flag : {"saddle", "temperature"}) {
    INFO(flag);
    const auto r = ask({}, {flag});
    CHECK(r.items.empty());
    CHECK(r.self_care.empty());
    CHECK(r.screening.stops());
    CHECK(r.excluded.size() == kb().modalities.size());
    CHECK_FALSE(r.screening.action().empty());
  }
  const auto emergency = ask({}, {"saddle", "over-50"});
  CHECK(emergency.screening.urgency == Urgency::emergency);
  CHECK(emergency.screening.flags.front()->id == "saddle");  // most urgent first
  CHECK(emergency.screening.action().find("emergency") != std::string::npos);
  const auto soon = ask({}, {"over-50"});
  CHECK_FALSE(soon.screening.stops());
  CHECK(soon.screening.urgency == Urgency::soon);
  CHECK(soon.items.size() == 3);
  CHECK_FALSE(soon.self_care.empty());
}

TEST_CASE("a condition can raise a warning sign: fever is a reason to see a doctor") {
  const auto r = ask({"hot"});
  CHECK(r.screening.stops());
  REQUIRE(r.screening.flags.size() == 1);
  CHECK(r.screening.flags.front()->id == "temperature");
  CHECK(r.items.empty());
}

TEST_CASE("a modality's own caution and the rule for every modality combine, the stricter of each") {
  Modality m;
  m.id = "m";
  Caution own;
  own.condition = "c";
  own.level = CautionLevel::adapt;
  own.max_pressure = Pressure::medium;
  own.without = {Part::heat};
  own.note = "own";
  own.sources = {"S2"};
  m.cautions.push_back(own);
  Condition c;
  c.id = "c";
  c.sources = {"S1"};
  c.every_modality = Rule{};
  c.every_modality->level = CautionLevel::adapt;
  c.every_modality->max_pressure = Pressure::light;
  c.every_modality->keep_off = {Area::back};
  auto effective = caution_for(m, c);
  REQUIRE(effective);
  CHECK(effective->max_pressure == Pressure::light);
  CHECK(effective->keep_off == std::vector<Area>{Area::back});
  CHECK(effective->without == std::vector<Part>{Part::heat});
  CHECK(effective->note == "own");
  // The general rule's sources default to the condition's.
  Modality bare;
  auto general = caution_for(bare, c);
  REQUIRE(general);
  CHECK(general->general);
  CHECK(general->sources == std::vector<std::string>{"S1"});
  // An avoid on either side wins.
  c.every_modality->level = CautionLevel::avoid;
  CHECK(caution_for(m, c)->level == CautionLevel::avoid);
}

TEST_CASE("the new keys are checked with file, line and column") {
  auto files = test::base_vocabulary();
  files[2].bytes +=
      "- id: bad\n  name: Bad\n  description: d\n  guidance: g\n  every_modality:\n    level: adapt\n"
      "    keep_off: [bak]\n    without: [steam]\n    leave_out: [efleurage]\n    note: n\n  red_flags: "
      "[nope]\n"
      "  sources: [S1]\n";
  files.push_back({"kb/modalities/x.yaml", test::modality_yaml("x", "X", "core_techniques: [stretching]\n")});
  const auto r = load::load_layers({{"kb", files}});
  const std::string messages = test::all_messages(r);
  CHECK(messages.find("unknown area 'bak'") != std::string::npos);
  CHECK(messages.find("did you mean 'back'") != std::string::npos);
  CHECK(messages.find("unknown part 'steam'") != std::string::npos);
  CHECK(messages.find("unknown technique 'efleurage'") != std::string::npos);
  CHECK(messages.find("unknown red flag 'nope'") != std::string::npos);
  CHECK(messages.find("core technique 'stretching' of modality 'x' is not in its techniques") !=
        std::string::npos);
  CHECK(messages.find("kb/conditions.yaml:") != std::string::npos);
}
