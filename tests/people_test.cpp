// Forty-odd people a clinic meets, run through recommend on the shipped knowledge base. Each row
// is reasoned from the sources the knowledge base cites (safety review, issue 10), not read off the
// output: what must be ruled out, what must stop the answer, what self-care must not be offered.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "load/loader.hpp"
#include "query/filter.hpp"
#include "query/recommend.hpp"

using namespace knots;

// The table below names only the fields each person needs.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

const KnowledgeBase& kb() {
  static const auto result = load::load({});
  return result.kb;
}

struct Person {
  const char* who;
  std::vector<std::string> conditions;  ///< as a person types them: ids, names or aliases
  std::vector<std::string> symptoms;    ///< likewise
  std::optional<Pressure> pressure;
  std::vector<std::string> goals;
  std::vector<Preference> prefer;
  std::optional<Urgency> urgency;      ///< the screening must reach exactly this urgency
  bool nothing = false;                ///< nothing may be recommended
  bool some = false;                   ///< something must be recommended
  std::set<std::string> ruled_out;     ///< each must be excluded
  std::set<std::string> only;          ///< when set, every item must be one of these
  std::set<std::string> no_self_care;  ///< none of these tips may be offered
  std::set<std::string> self_care;     ///< each of these tips must be offered
  std::string no_reason;               ///< no item's reasons may mention this
  std::optional<Pressure> cap;         ///< the stated conditions must cap pressure at this
};

/// Styles that cannot be kept gentle: they start above light pressure, or their own caution says avoid.
const std::set<std::string> kDeep = {"deep-tissue", "trigger-point", "thai"};
const std::set<std::string> kPressing = {"massage-ball", "foam-rolling", "massage-gun"};

std::vector<Person> people() {
  using P = Pressure;
  using U = Urgency;
  std::vector<Person> v;
  auto add = [&](Person p) { v.push_back(std::move(p)); };
  // Cancer: gentle pressure only (Cancer Council NSW; oncology massage guidance).
  add({.who = "cancer, asks for deep", .conditions = {"cancer"}, .pressure = P::deep, .nothing = true});
  add({.who = "on chemotherapy",
       .conditions = {"chemotherapy"},
       .some = true,
       .ruled_out = kDeep,
       .cap = P::light});
  add({.who = "cancer, lymph nodes removed",
       .conditions = {"cancer", "lymphoedema"},
       .ruled_out = kDeep,
       .no_reason = "heat",
       .cap = P::light});
  add({.who = "low platelets",
       .conditions = {"low platelets"},
       .ruled_out = kDeep,
       .no_self_care = kPressing,
       .cap = P::light});
  // Spine and ribs: styles that work the back directly are out (A.4).
  for (const char* c :
       {"spinal surgery", "back surgery", "spinal fusion", "rib fracture", "vertebral fracture"}) {
    add({.who = c, .conditions = {c}, .only = {"reflexology"}});
  }
  add({.who = "spinal surgery, asks for deep",
       .conditions = {"spinal surgery"},
       .pressure = P::deep,
       .only = {"reflexology"}});
  // Warning signs (NHS, BMJ Best Practice, Mayo): nothing recommended, no self-care.
  add({.who = "loss of bladder control",
       .symptoms = {"loss of bladder control"},
       .urgency = U::emergency,
       .nothing = true,
       .no_self_care = {"heat", "keep-active", "massage-ball"}});
  add({.who = "numb groin", .symptoms = {"numb groin"}, .urgency = U::emergency, .nothing = true});
  add({.who = "can't control bladder",
       .symptoms = {"can't control bladder"},
       .urgency = U::emergency,
       .nothing = true});
  add({.who = "chest pain", .symptoms = {"chest pain"}, .urgency = U::emergency, .nothing = true});
  add({.who = "calf swelling", .symptoms = {"calf swelling"}, .urgency = U::urgent, .nothing = true});
  add({.who = "fever as a symptom", .symptoms = {"fever"}, .urgency = U::urgent, .nothing = true});
  add({.who = "new back pain after cancer",
       .symptoms = {"history of cancer"},
       .urgency = U::urgent,
       .nothing = true});
  add({.who = "numbness in one leg", .symptoms = {"numbness"}, .urgency = U::urgent, .nothing = true});
  add({.who = "first back pain at 55",
       .symptoms = {"first back pain after 50"},
       .urgency = U::soon,
       .some = true});
  add({.who = "knot between the shoulder blades, no warning sign", .goals = {"pain-relief"}, .some = true});
  // Postpone everything: fever, contagious infections, a clot (A.5, A.6); self-care filtered too.
  add({.who = "fever as a condition",
       .conditions = {"fever"},
       .urgency = U::urgent,
       .nothing = true,
       .no_self_care = {"heat", "massage-ball", "keep-active"}});
  for (const char* c : {"impetigo", "scabies", "shingles", "skin infection", "cold sores"}) {
    add({.who = c,
         .conditions = {c},
         .goals = {"pain-relief"},
         .nothing = true,
         .no_self_care = {"heat", "massage-ball", "foam-rolling", "massage-gun"}});
  }
  add({.who = "flu",
       .conditions = {"flu"},
       .goals = {"pain-relief"},
       .nothing = true,
       .no_self_care = {"heat", "keep-active"}});
  add({.who = "deep vein thrombosis",
       .conditions = {"dvt"},
       .goals = {"pain-relief", "athletic-recovery"},
       .nothing = true,
       .no_self_care = kPressing});
  // Non-contagious skin: work elsewhere.
  add({.who = "eczema", .conditions = {"eczema"}, .some = true});
  // Osteoporosis: no tapping, no forced stretching or twisting, light pressure (A.11).
  add({.who = "osteoporosis wanting mobility",
       .conditions = {"osteoporosis"},
       .goals = {"mobility"},
       .ruled_out = {"thai", "sports", "deep-tissue", "trigger-point"},
       .no_self_care = {"massage-gun", "foam-rolling"},
       .no_reason = "stretching"});
  add({.who = "osteoporosis asking for deep",
       .conditions = {"osteoporosis"},
       .pressure = P::deep,
       .nothing = true});
  // Heat taken away (A.8, A.33).
  add({.who = "heat sensitivity, prefers heat",
       .conditions = {"heat-sensitivity"},
       .prefer = {Preference::heat},
       .ruled_out = {"hot-stone"},
       .no_self_care = {"heat"},
       .no_reason = "heat"});
  add({.who = "diabetic neuropathy, prefers heat",
       .conditions = {"diabetic neuropathy"},
       .prefer = {Preference::heat},
       .ruled_out = {"hot-stone"},
       .no_self_care = {"heat"},
       .no_reason = "heat"});
  add({.who = "diabetes without neuropathy",
       .conditions = {"diabetes"},
       .goals = {"relaxation"},
       .some = true});
  // Pregnancy (A.12, A.13).
  add({.who = "pregnant, wants relaxation",
       .conditions = {"pregnant"},
       .goals = {"relaxation"},
       .some = true,
       .ruled_out = {"hot-stone", "thai", "deep-tissue"},
       .no_self_care = {"massage-gun"}});
  add({.who = "pre-eclampsia", .conditions = {"pre-eclampsia"}, .nothing = true});
  add({.who = "placenta praevia", .conditions = {"placenta praevia"}, .nothing = true});
  // Blood and circulation.
  add({.who = "warfarin, asks for firm", .conditions = {"warfarin"}, .pressure = P::firm, .nothing = true});
  add({.who = "blood thinners",
       .conditions = {"blood thinners"},
       .some = true,
       .ruled_out = kDeep,
       .no_self_care = {"massage-gun", "foam-rolling"},
       .cap = P::light});
  add({.who = "high blood pressure, prefers heat",
       .conditions = {"high blood pressure"},
       .goals = {"relaxation"},
       .prefer = {Preference::heat},
       .ruled_out = {"hot-stone"}});
  add({.who = "heart disease", .conditions = {"heart disease"}, .ruled_out = {"hot-stone"}});
  add({.who = "varicose veins", .conditions = {"varicose veins"}, .some = true, .no_self_care = kPressing});
  // Aromatherapy oils (A.23).
  add({.who = "epilepsy", .conditions = {"epilepsy"}, .some = true});
  add({.who = "sweet almond allergy", .conditions = {"nut allergy"}, .some = true});
  // A fresh injury or accident.
  add({.who = "whiplash last week",
       .conditions = {"whiplash"},
       .ruled_out = {"hot-stone", "thai"},
       .no_reason = "heat"});
  // Prevention is exercise, not water (A.16).
  add({.who = "wants to prevent knots coming back",
       .goals = {"prevention"},
       .some = true,
       .self_care = {"keep-active"}});
  return v;
}

}  // namespace

TEST_CASE("people a clinic meets get answers their clinicians would accept") {
  const auto all = people();
  CHECK(all.size() >= 40);
  for (const auto& p : all) {
    INFO("person: " << std::string(p.who));
    RecommendRequest request;
    request.top = 20;
    for (const auto& c : p.conditions) {
      const Condition* found = kb().conditions.find(c);
      CHECK_MESSAGE(found != nullptr, "no condition for '" << c << "'");
      if (found) request.conditions.push_back(found->id);
    }
    for (const auto& s : p.symptoms) {
      const RedFlag* found = kb().red_flags.find(s);
      CHECK_MESSAGE(found != nullptr, "no red flag for '" << s << "'");
      if (found) request.symptoms.push_back(found->id);
    }
    request.pressure = p.pressure;
    request.goals = p.goals;
    request.prefer = p.prefer;
    const auto r = recommend(kb(), request);
    std::set<std::string> items, excluded, tips;
    for (const auto& rec : r.items) items.insert(rec.modality->id);
    for (const auto& e : r.excluded) excluded.insert(e.modality->id);
    for (const auto* t : r.self_care) tips.insert(t->id);
    if (p.urgency) CHECK(r.screening.urgency == p.urgency);
    if (p.cap) CHECK(r.pressure_cap == p.cap);
    if (!p.urgency && p.symptoms.empty()) CHECK_FALSE(r.screening.stops());
    if (p.nothing) CHECK(items.empty());
    if (p.some) CHECK_FALSE(items.empty());
    for (const auto& id : p.ruled_out) {
      INFO("must be ruled out: " << id);
      CHECK(items.count(id) == 0);
    }
    if (!p.only.empty()) {
      for (const auto& id : items) {
        INFO("recommended: " << id);
        CHECK(p.only.count(id) == 1);
      }
    }
    for (const auto& id : p.no_self_care) {
      INFO("self-care offered: " << id);
      CHECK(tips.count(id) == 0);
    }
    for (const auto& id : p.self_care) {
      INFO("self-care missing: " << id);
      CHECK(tips.count(id) == 1);
    }
    // Whatever stays carries the caution of each stated condition that has one.
    for (const auto& rec : r.items) {
      for (const auto& cid : request.conditions) {
        if (!caution_for(*rec.modality, *kb().conditions.find(cid))) continue;
        INFO(rec.modality->id << " lacks the caution for " << cid);
        CHECK(std::any_of(rec.cautions.begin(), rec.cautions.end(),
                          [&](const auto& c) { return c.first == cid; }));
      }
    }
    if (!p.no_reason.empty()) {
      for (const auto& rec : r.items) {
        for (const auto& reason : reason_texts(rec.reasons)) {
          INFO(rec.modality->id << ": " << reason);
          CHECK(reason.find(p.no_reason) == std::string::npos);
        }
      }
    }
  }
}

TEST_CASE(
    "no shortlist ever holds a style a stated condition rules out, by any rule, for any pair of conditions") {
  const std::vector<std::function<void(RecommendRequest&)>> extras = {
      [](RecommendRequest&) {}, [](RecommendRequest& r) { r.pressure = Pressure::deep; },
      [](RecommendRequest& r) { r.goals = {"mobility"}; },
      [](RecommendRequest& r) {
        r.prefer = {Preference::heat, Preference::stretching};
      },
      [](RecommendRequest& r) { r.prefer = {Preference::oil}; }};
  std::size_t checked = 0;
  for (const auto& c1 : kb().conditions.all()) {
    for (const auto& c2 : kb().conditions.all()) {
      if (c2.id < c1.id) continue;
      for (const auto& extra : extras) {
        RecommendRequest request;
        request.top = 20;
        request.conditions = {c1.id};
        if (c2.id != c1.id) request.conditions.push_back(c2.id);
        extra(request);
        const auto result = recommend(kb(), request);
        if (result.screening.stops() || !result.postpone.empty()) CHECK(result.items.empty());
        for (const auto& rec : result.items) {
          const Modality& m = *rec.modality;
          bool heat_removed = false;
          std::vector<std::string> left_out;
          for (const auto& cid : request.conditions) {
            const auto caution = caution_for(m, *kb().conditions.find(cid));
            if (!caution) continue;
            INFO(m.id << " recommended with " << cid);
            REQUIRE(caution->level == CautionLevel::adapt);
            if (caution->max_pressure) {
              CHECK(m.pressure.min <= *caution->max_pressure);
              if (request.pressure) CHECK(*request.pressure <= *caution->max_pressure);
            }
            for (const auto& t : caution->leave_out) {
              const bool uses = std::find(m.techniques.begin(), m.techniques.end(), t) != m.techniques.end();
              const bool core =
                  m.core_techniques.empty() ||
                  std::find(m.core_techniques.begin(), m.core_techniques.end(), t) != m.core_techniques.end();
              CHECK_FALSE((uses && core));
              left_out.push_back(t);
            }
            for (Area a : caution->keep_off) CHECK_FALSE((a == Area::back && m.back == BackContact::direct));
            for (Part part : caution->without) {
              const Usage usage = part == Part::heat ? m.setting.heat : m.setting.oil;
              CHECK(usage != Usage::used);
              heat_removed = heat_removed || part == Part::heat;
            }
          }
          for (const auto& reason : reason_texts(rec.reasons)) {
            INFO(m.id << ": " << reason);
            if (heat_removed) CHECK(reason.find("heat") == std::string::npos);
            if (reason == "includes stretching") {
              // Only a stretching technique the session keeps earns it.
              const bool kept =
                  std::any_of(m.techniques.begin(), m.techniques.end(), [&](const std::string& t) {
                    return (t == "stretching" || t == "myofascial-stretch") &&
                           std::find(left_out.begin(), left_out.end(), t) == left_out.end();
                  });
              CHECK(kept);
            }
          }
          ++checked;
        }
      }
    }
  }
  CHECK(checked > 1000);
}

TEST_CASE(
    "every warning sign is screened: emergency and urgent ones stop the answer, whatever else is asked") {
  for (const auto& flag : kb().red_flags.all()) {
    for (const auto& c : kb().conditions.all()) {
      RecommendRequest request;
      request.symptoms = {flag.id};
      request.conditions = {c.id};
      request.goals = {"pain-relief"};
      const auto r = recommend(kb(), request);
      INFO(flag.id << " with " << c.id);
      REQUIRE(r.screening.urgency.has_value());
      CHECK(*r.screening.urgency <= flag.urgency);
      if (flag.urgency != Urgency::soon) {
        CHECK(r.items.empty());
        CHECK(r.self_care.empty());
      }
    }
  }
}
