// The shipped knowledge base: it loads cleanly and keeps the promises the project makes about it.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "load/loader.hpp"
#include "query/filter.hpp"
#include "support.hpp"

namespace {

const knots::load::LoadResult& shipped() {
  static const auto result = knots::load::load({});
  return result;
}

bool cites_a_or_b(const knots::KnowledgeBase& kb, const std::vector<std::string>& sources) {
  return std::any_of(sources.begin(), sources.end(), [&](const std::string& id) {
    const auto* s = kb.sources.find(id);
    return s && s->tier != knots::Tier::C;
  });
}

}  // namespace

TEST_CASE("the embedded knowledge base loads with no problems") {
  INFO(knots::test::all_messages(shipped()));
  CHECK(shipped().ok());
}

TEST_CASE("the ten modalities of the source article are shipped") {
  std::vector<std::string> ids;
  for (const auto& m : shipped().kb.modalities.all()) ids.push_back(m.id);
  const std::vector<std::string> expected = {"aromatherapy", "deep-tissue", "hot-stone",     "myofascial-release",
                                             "reflexology",  "shiatsu",     "sports",        "swedish",
                                             "thai",         "trigger-point"};
  CHECK(ids == expected);
}

TEST_CASE("the required vocabularies are complete") {
  const auto& kb = shipped().kb;
  for (const char* c : {"pregnancy", "blood-thinners", "blood-clots", "osteoporosis", "recent-surgery", "fracture",
                        "skin-condition", "heat-sensitivity", "oil-allergy", "fever", "cancer", "varicose-veins"}) {
    INFO(c);
    CHECK(kb.conditions.find(c) != nullptr);
  }
  for (const char* g : {"relaxation", "pain-relief", "mobility", "athletic-recovery", "prevention", "stress"}) {
    INFO(g);
    CHECK(kb.goals.find(g) != nullptr);
  }
  for (const char* t : {"stretching", "heat", "foam-rolling", "massage-ball", "massage-gun", "stress-management",
                        "hydration"}) {
    INFO(t);
    CHECK(kb.self_care.find(t) != nullptr);
  }
  for (const char* t : {"effleurage", "petrissage", "friction", "tapotement", "vibration", "compression", "acupressure",
                        "stretching"}) {
    INFO(t);
    CHECK(kb.techniques.find(t) != nullptr);
  }
  CHECK(kb.red_flags.size() >= 10);
}

TEST_CASE("every 'avoid' caution and every evidence grade cites an [A] or [B] source") {
  const auto& kb = shipped().kb;
  for (const auto& m : kb.modalities.all()) {
    INFO(m.id);
    CHECK(cites_a_or_b(kb, m.evidence.sources));
    for (const auto& c : m.cautions) {
      INFO(c.condition);
      CHECK_FALSE(c.sources.empty());
      if (c.level == knots::CautionLevel::avoid) CHECK(cites_a_or_b(kb, c.sources));
    }
  }
  for (const auto& c : kb.conditions.all()) {
    INFO(c.id);
    if (c.every_modality && c.every_modality->level == knots::CautionLevel::avoid) {
      CHECK(cites_a_or_b(kb, c.sources));
    }
  }
}

TEST_CASE("the article's relations are recorded") {
  const auto& kb = shipped().kb;
  auto related = [&](const char* from, const char* to, knots::Relation rel) {
    const auto& r = kb.modalities.find(from)->related;
    return std::any_of(r.begin(), r.end(), [&](const auto& x) { return x.id == to && x.relation == rel; });
  };
  CHECK(related("sports", "swedish", knots::Relation::combines));
  CHECK(related("sports", "deep-tissue", knots::Relation::combines));
  CHECK(related("aromatherapy", "swedish", knots::Relation::complements));
  CHECK(related("aromatherapy", "deep-tissue", knots::Relation::complements));
}

TEST_CASE("the names people use find the right modality") {
  const auto& kb = shipped().kb;
  CHECK(kb.modalities.find("classic massage")->id == "swedish");
  CHECK(kb.modalities.find("neuromuscular therapy")->id == "trigger-point");
  CHECK(kb.modalities.find("Thai yoga massage")->id == "thai");
}

TEST_CASE("safety facts from the research hold in the shipped data") {
  const auto& kb = shipped().kb;
  auto level = [&](const char* modality, const char* condition) {
    auto c = knots::caution_for(*kb.modalities.find(modality), *kb.conditions.find(condition));
    return c ? std::string(knots::name_of(c->level)) : std::string("none");
  };
  CHECK(level("deep-tissue", "blood-thinners") == "avoid");
  CHECK(level("aromatherapy", "oil-allergy") == "avoid");
  CHECK(level("hot-stone", "heat-sensitivity") == "avoid");
  for (const auto& m : kb.modalities.all()) {
    INFO(m.id);
    CHECK(level(m.id.c_str(), "fever") == "avoid");
    CHECK(level(m.id.c_str(), "blood-clots") == "avoid");
  }
  CHECK(kb.modalities.find("reflexology")->back == knots::BackContact::indirect);
  CHECK(kb.modalities.find("thai")->setting.clothing == knots::Clothing::clothed);
  CHECK(kb.modalities.find("thai")->setting.surfaces == std::vector{knots::Surface::mat});
}
