// knots recommend on the shipped knowledge base: scenarios reasoned from its own data, and the
// safety property that a stated condition's "avoid" is never recommended.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>

#include "load/loader.hpp"
#include "query/recommend.hpp"

using knots::Pressure;
using knots::RecommendRequest;

namespace {

const knots::KnowledgeBase& kb() {
  static const auto result = knots::load::load({});
  return result.kb;
}

/// The ten of the source article alone: the scenarios below were reasoned from them, and the
/// styles added since must not change what they say about the ten (see the test of the whole).
const knots::KnowledgeBase& ten() {
  static const knots::KnowledgeBase only = [] {
    knots::KnowledgeBase out = kb();
    std::vector<knots::Modality> kept;
    for (const auto& m : out.modalities.all()) {
      if (std::set<std::string>{"aromatherapy", "deep-tissue", "hot-stone", "myofascial-release",
                                "reflexology", "shiatsu", "sports", "swedish", "thai", "trigger-point"}
              .count(m.id) != 0)
        kept.push_back(m);
    }
    out.modalities = knots::Catalog<knots::Modality>(std::move(kept));
    return out;
  }();
  return only;
}

std::vector<std::string> item_ids(const knots::RecommendResult& r) {
  std::vector<std::string> out;
  for (const auto& rec : r.items) out.push_back(rec.modality->id);
  return out;
}

std::set<std::string> excluded_ids(const knots::RecommendResult& r) {
  std::set<std::string> out;
  for (const auto& e : r.excluded) out.insert(e.modality->id);
  return out;
}

struct Scenario {
  const char* name;
  RecommendRequest request;
  std::vector<std::string> first;   ///< the items must start with these, in this order
  std::set<std::string> in_items;   ///< each of these is recommended (anywhere)
  std::set<std::string> ruled_out;  ///< each of these is excluded
  std::size_t max_items = 99;       ///< at most this many recommended
};

RecommendRequest req(std::initializer_list<std::function<void(RecommendRequest&)>> edits) {
  RecommendRequest r;
  r.top = 10;
  for (const auto& edit : edits) edit(r);
  return r;
}

auto pressure(Pressure p) {
  return [p](RecommendRequest& r) { r.pressure = p; };
}
auto goal(const char* g) {
  return [g](RecommendRequest& r) { r.goals.emplace_back(g); };
}
auto condition(const char* c) {
  return [c](RecommendRequest& r) { r.conditions.emplace_back(c); };
}
auto prefer(knots::Preference p) {
  return [p](RecommendRequest& r) { r.prefer.push_back(p); };
}
auto top(std::size_t n) {
  return [n](RecommendRequest& r) { r.top = n; };
}
auto no_oil = [](RecommendRequest& r) { r.needs.insert(knots::Need::no_oil); };
auto no_heat = [](RecommendRequest& r) { r.needs.insert(knots::Need::no_heat); };
auto clothed = [](RecommendRequest& r) { r.needs.insert(knots::Need::clothed); };
auto no_floor = [](RecommendRequest& r) { r.needs.insert(knots::Need::no_floor); };
auto direct = [](RecommendRequest& r) { r.needs.insert(knots::Need::direct); };

const std::set<std::string> kAll = {"aromatherapy", "deep-tissue",  "hot-stone", "myofascial-release",
                                    "reflexology",  "shiatsu",      "sports",    "swedish",
                                    "thai",         "trigger-point"};

}  // namespace

TEST_CASE("recommend scenarios reasoned from the knowledge base") {
  const std::vector<Scenario> scenarios = {
      // Pressure ranges: deep is reached by deep tissue, trigger point, sports and Thai only.
      {"deep pressure",
       req({pressure(Pressure::deep)}),
       {"deep-tissue"},
       {"deep-tissue", "trigger-point", "sports", "thai"},
       {"swedish", "aromatherapy", "hot-stone", "shiatsu", "reflexology", "myofascial-release"},
       4},
      // Thai and reflexology can be soft (safety review A.21); trigger-point work starts at medium (A.17).
      {"light pressure",
       req({pressure(Pressure::light)}),
       {"swedish"},
       {"swedish", "aromatherapy", "hot-stone", "sports", "myofascial-release", "thai", "reflexology"},
       {"deep-tissue", "trigger-point", "shiatsu"},
       7},
      {"firm pressure",
       req({pressure(Pressure::firm)}),
       {},
       {"deep-tissue", "trigger-point", "sports", "thai", "shiatsu", "reflexology", "myofascial-release"},
       {"swedish", "aromatherapy", "hot-stone"},
       7},
      // Conditions: what the knowledge base says to avoid is ruled out.
      {"blood thinners",
       req({condition("blood-thinners")}),
       {"swedish"},
       {"swedish", "sports"},
       {"deep-tissue", "trigger-point", "thai", "shiatsu"}},
      {"oil allergy", req({condition("oil-allergy")}), {}, {"swedish", "thai"}, {"aromatherapy"}},
      {"heat sensitivity", req({condition("heat-sensitivity")}), {}, {"thai", "swedish"}, {"hot-stone"}},
      {"fever postpones everything", req({condition("fever"), goal("relaxation")}), {}, {}, kAll, 0},
      {"a blood clot stops all massage", req({condition("dvt")}), {}, {}, kAll, 0},
      // Osteoporosis: light pressure, and no style built on stretching or tapping (A.11).
      {"osteoporosis",
       req({condition("osteoporosis")}),
       {},
       {"swedish", "myofascial-release"},
       {"deep-tissue", "thai", "trigger-point", "shiatsu", "sports"}},
      {"pregnancy",
       req({condition("pregnancy")}),
       {},
       {"swedish", "shiatsu"},
       {"deep-tissue", "thai", "aromatherapy", "hot-stone"}},
      {"recent surgery rules out Thai",
       req({condition("recent-surgery")}),
       {},
       {"shiatsu", "swedish"},
       {"thai"}},
      {"fracture rules out Thai", req({condition("fracture")}), {}, {"swedish"}, {"thai"}},
      {"deep pressure on blood thinners: nothing",
       req({pressure(Pressure::deep), condition("blood-thinners")}),
       {},
       {},
       kAll,
       0},
      // Needs that rule out, and rank what meets them as a matter of course first.
      {"clothed",
       req({clothed}),
       {},
       {"thai", "shiatsu", "reflexology", "sports", "trigger-point"},
       {"swedish", "deep-tissue", "aromatherapy", "hot-stone", "myofascial-release"}},
      {"clothed, top three", req({clothed, top(3)}), {}, {"thai", "shiatsu", "reflexology"}, {}, 3},
      {"no oil",
       req({no_oil}),
       {},
       {"thai", "shiatsu", "myofascial-release", "sports", "trigger-point"},
       {"swedish", "deep-tissue", "aromatherapy", "hot-stone"}},
      {"no heat", req({no_heat}), {}, {"thai", "swedish"}, {"hot-stone"}},
      {"not on the floor", req({no_floor}), {}, {"shiatsu", "swedish"}, {"thai"}},
      {"on the back itself", req({direct}), {}, {"swedish"}, {"reflexology"}},
      {"clothed and deep",
       req({clothed, pressure(Pressure::deep)}),
       {"thai"},
       {"sports", "trigger-point"},
       {"deep-tissue", "swedish", "shiatsu", "reflexology"}},
      // Goals rank.
      {"athletic recovery", req({goal("athletic-recovery")}), {"sports"}, {}, {}},
      {"mobility", req({goal("mobility")}), {"thai"}, {}, {}},
      {"relaxation", req({goal("relaxation")}), {"swedish"}, {"aromatherapy", "hot-stone", "shiatsu"}, {}},
      {"stress", req({goal("stress")}), {"swedish", "aromatherapy"}, {}, {}},
      {"mobility with stretching, clothed",
       req({goal("mobility"), prefer(knots::Preference::stretching), clothed}),
       {"thai"},
       {},
       {"swedish"}},
      // Hot stone's heat makes up for Swedish's better evidence exactly: equal scores, and the
      // tie goes to the evidence.
      {"warmth for relaxation",
       req({goal("relaxation"), prefer(knots::Preference::heat)}),
       {"swedish", "hot-stone"},
       {},
       {}},
      // No criteria: ranked for easing a knot and the tension around it.
      {"no criteria", req({}), {"swedish", "shiatsu", "thai", "trigger-point"}, kAll, {}, 10},
      {"top one", req({top(1)}), {"swedish"}, {}, {}, 1},
  };
  CHECK(scenarios.size() >= 25);
  for (const auto& s : scenarios) {
    INFO(std::string(s.name));
    const auto result = knots::recommend(ten(), s.request);
    const auto items = item_ids(result);
    const auto excluded = excluded_ids(result);
    REQUIRE(items.size() >= s.first.size());
    CHECK(std::vector<std::string>(items.begin(), items.begin() + static_cast<long>(s.first.size())) ==
          s.first);
    for (const auto& id : s.in_items) {
      INFO("expected among the items: " << id);
      CHECK(std::find(items.begin(), items.end(), id) != items.end());
    }
    for (const auto& id : s.ruled_out) {
      INFO("expected ruled out: " << id);
      CHECK(excluded.count(id) == 1);
    }
    CHECK(items.size() <= s.max_items);
  }
}

TEST_CASE("with no criteria the ranking is for a knot, and ties are broken by evidence, the back, then id") {
  const auto plain = knots::recommend(ten(), req({top(10)}));
  CHECK(plain.for_knots);
  REQUIRE(plain.items.size() == 10);
  // The top three are decided by the scores alone, never by the alphabet.
  CHECK(plain.items[0].score > plain.items[1].score);
  CHECK(plain.items[1].score > plain.items[2].score);
  CHECK(plain.items[2].score > plain.items[3].score);
  // The style aimed at the knot itself outranks those aimed at relaxation with the same evidence.
  const auto rank = [&](std::string_view id) {
    const auto ids = item_ids(plain);
    return std::find(ids.begin(), ids.end(), id) - ids.begin();
  };
  CHECK(rank("trigger-point") < rank("aromatherapy"));
  CHECK(rank("trigger-point") < rank("hot-stone"));
  CHECK(rank("reflexology") == 9);
  // Stated conditions are not criteria: the ranking stays the one for knots, minus what they rule out.
  const auto pregnant = knots::recommend(ten(), req({condition("pregnancy")}));
  CHECK(pregnant.for_knots);
  CHECK_FALSE(knots::recommend(ten(), req({goal("relaxation")})).for_knots);

  // Equal scores: better evidence first, then the back worked directly, then the id.
  const auto deep = knots::recommend(ten(), req({pressure(Pressure::deep), top(4)}));
  REQUIRE(deep.items.size() == 4);
  CHECK(deep.ties);
  CHECK(item_ids(deep) == std::vector<std::string>{"deep-tissue", "sports", "thai", "trigger-point"});
  for (std::size_t i = 1; i < deep.items.size(); ++i) {
    const auto& a = deep.items[i - 1];
    const auto& b = deep.items[i];
    if (a.score != b.score) continue;
    CHECK(a.modality->evidence.grade >= b.modality->evidence.grade);
  }
  const auto warm = knots::recommend(ten(), req({goal("relaxation"), prefer(knots::Preference::heat)}));
  CHECK(warm.ties);
  CHECK_FALSE(knots::recommend(ten(), req({goal("athletic-recovery"), top(1)})).ties);
}

TEST_CASE("a condition that stops all massage says so, and pressure caps are reported") {
  auto fever = knots::recommend(kb(), req({condition("fever")}));
  REQUIRE(fever.postpone.size() == 1);
  CHECK(fever.postpone.front().condition == "fever");
  auto thinners = knots::recommend(kb(), req({condition("blood-thinners")}));
  CHECK(thinners.pressure_cap == Pressure::light);
  for (const auto& rec : thinners.items) {
    INFO(rec.modality->id);
    CHECK_FALSE(rec.cautions.empty());  // the caution travels with every item
  }
}

TEST_CASE("no modality a stated condition says to avoid is ever recommended, whatever else is asked") {
  // Every condition, alone and with each other condition, under a spread of other criteria.
  std::vector<std::function<void(RecommendRequest&)>> extras = {[](RecommendRequest&) {},
                                                                pressure(Pressure::light),
                                                                pressure(Pressure::deep),
                                                                goal("relaxation"),
                                                                goal("pain-relief"),
                                                                goal("athletic-recovery"),
                                                                prefer(knots::Preference::heat),
                                                                prefer(knots::Preference::oil),
                                                                clothed,
                                                                no_oil,
                                                                direct};
  std::size_t checked = 0;
  for (const auto& c1 : kb().conditions.all()) {
    for (const auto& c2 : kb().conditions.all()) {
      for (const auto& extra : extras) {
        RecommendRequest request = req({condition(c1.id.c_str()), extra});
        if (c2.id != c1.id) request.conditions.push_back(c2.id);
        const auto result = knots::recommend(kb(), request);
        for (const auto& rec : result.items) {
          for (const auto& cid : request.conditions) {
            auto caution = knots::caution_for(*rec.modality, *kb().conditions.find(cid));
            INFO(rec.modality->id << " recommended with " << cid);
            CHECK_FALSE((caution && caution->level == knots::CautionLevel::avoid));
            if (caution && caution->max_pressure) {
              CHECK(rec.modality->pressure.min <= *caution->max_pressure);
              if (request.pressure) CHECK(*request.pressure <= *caution->max_pressure);
            }
          }
          ++checked;
        }
      }
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("the same question always gets the same answer, ordered by score then id") {
  const auto request = req({goal("pain-relief")});
  const auto a = knots::recommend(kb(), request);
  const auto b = knots::recommend(kb(), request);
  CHECK(item_ids(a) == item_ids(b));
  for (std::size_t i = 1; i < a.items.size(); ++i) {
    const auto& prev = a.items[i - 1];
    const auto& cur = a.items[i];
    CHECK((prev.score > cur.score || (prev.score == cur.score && prev.modality->id < cur.modality->id)));
  }
}

TEST_CASE("score breakdowns add up to the score") {
  const auto result =
      knots::recommend(kb(), req({pressure(Pressure::firm), goal("pain-relief"), clothed,
                                  prefer(knots::Preference::stretching), condition("asthma")}));
  REQUIRE_FALSE(result.items.empty());
  for (const auto& rec : result.items) {
    double sum = 0;
    for (const auto& part : rec.breakdown) sum += part.points;
    CHECK(sum == doctest::Approx(rec.score).epsilon(0.01));
  }
}

TEST_CASE("self-care suits the goals and respects the conditions") {
  const auto tips_for = [](const knots::RecommendRequest& request) {
    std::set<std::string> tips;
    for (const auto* t : knots::recommend(kb(), request).self_care) tips.insert(t->id);
    return tips;
  };
  const auto free = tips_for(req({goal("athletic-recovery")}));
  CHECK(free.count("foam-rolling") == 1);
  CHECK(free.count("massage-gun") == 1);
  // Tools that press or pound are not for someone who bruises easily (safety review A.10).
  const auto thinners = tips_for(req({goal("athletic-recovery"), condition("blood-thinners")}));
  CHECK(thinners.count("foam-rolling") == 0);
  CHECK(thinners.count("massage-gun") == 0);
  auto result = knots::recommend(kb(), req({goal("athletic-recovery")}));
  CHECK(result.red_flags.size() == kb().red_flags.size());
  CHECK(result.red_flags.front()->urgency == knots::Urgency::emergency);
}
