// List filters and the caution that applies to a modality with a condition.
#include <doctest/doctest.h>

#include "query/filter.hpp"
#include "support.hpp"

namespace {

std::vector<std::string> ids(const std::vector<const knots::Modality*>& items) {
  std::vector<std::string> out;
  for (const auto* m : items) out.push_back(m->id);
  return out;
}

knots::load::LoadResult sample() {
  using knots::test::modality_yaml;
  std::string firm = modality_yaml("firm", "Firm");
  firm.replace(firm.find("min: light"), 10, "min: firm");
  firm.replace(firm.find("max: medium"), 11, "max: deep");
  firm.replace(firm.find("clothing: undressed"), 19, "clothing: clothed");
  firm.replace(firm.find("oil: used"), 9, "oil: none");
  firm.replace(firm.find("[effleurage, petrissage]"), 24, "[petrissage]");
  firm += R"(cautions:
  - condition: blood-thinners
    level: avoid
    note: No.
    sources: [S1]
  - condition: oil-allergy
    level: adapt
    note: Ask.
    sources: [S2]
)";
  return knots::test::load_with({{"kb/a.yaml", modality_yaml("gentle", "Gentle")}, {"kb/b.yaml", firm}});
}

}  // namespace

TEST_CASE("list filters combine, and pressure means the range includes the level") {
  auto r = sample();
  REQUIRE(r.ok());
  knots::ListFilter f;
  CHECK(ids(filter_modalities(r.kb, f)) == std::vector<std::string>{"firm", "gentle"});
  f.pressure = knots::Pressure::medium;
  CHECK(ids(filter_modalities(r.kb, f)) == std::vector<std::string>{"gentle"});
  f.pressure = knots::Pressure::deep;
  CHECK(ids(filter_modalities(r.kb, f)) == std::vector<std::string>{"firm"});
  f = {};
  f.clothed = true;
  CHECK(ids(filter_modalities(r.kb, f)) == std::vector<std::string>{"firm"});
  f = {};
  f.no_oil = true;
  f.techniques = {"effleurage"};
  CHECK(ids(filter_modalities(r.kb, f)).empty());
  f = {};
  f.goals = {"relaxation"};
  f.techniques = {"petrissage"};
  CHECK(ids(filter_modalities(r.kb, f)) == std::vector<std::string>{"firm", "gentle"});
  f.heat = true;
  CHECK(ids(filter_modalities(r.kb, f)).empty());
}

TEST_CASE("a condition's rule for every modality applies unless the modality's own caution is stricter") {
  auto r = sample();
  REQUIRE(r.ok());
  const auto& kb = r.kb;
  const auto& gentle = *kb.modalities.find("gentle");
  const auto& firm = *kb.modalities.find("firm");
  // fever: avoid for every modality, even one that does not mention it
  auto c = knots::caution_for(gentle, *kb.conditions.find("fever"));
  REQUIRE(c);
  CHECK(c->level == knots::CautionLevel::avoid);
  CHECK(c->general);
  // blood thinners: the general rule caps pressure at light; 'firm' avoids outright
  c = knots::caution_for(gentle, *kb.conditions.find("anticoagulants"));
  REQUIRE(c);
  CHECK(c->level == knots::CautionLevel::adapt);
  CHECK(c->max_pressure == knots::Pressure::light);
  c = knots::caution_for(firm, *kb.conditions.find("blood-thinners"));
  REQUIRE(c);
  CHECK(c->level == knots::CautionLevel::avoid);
  CHECK_FALSE(c->general);
  // oil allergy has no general rule: only the modality that mentions it is affected
  CHECK_FALSE(knots::caution_for(gentle, *kb.conditions.find("oil-allergy")).has_value());
  CHECK(knots::caution_for(firm, *kb.conditions.find("oil-allergy"))->note == "Ask.");
}
