// The whole recommendation logic: hard rules first (pressure, conditions, preferences that rule
// out), then a 0–100 score from evidence, directness, goals, pressure focus and preferences.
#include "query/recommend.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace knots {
namespace {

// Weights of each criterion; only the criteria a person gave count towards the 100.
constexpr double kEvidenceWeight = 20;
constexpr double kBackWeight = 10;
constexpr double kGoalsWeight = 40;
constexpr double kPressureWeight = 15;
constexpr double kPreferenceWeight = 15;
/// Needs that rule out (--clothed, --no-oil …) also rank: met as a matter of course beats met on request.
constexpr double kNeedsWeight = 40;
/// With no criteria: how directly the work reaches a knot (see knot_focus).
constexpr double kKnotWeight = 10;
/// Where the knot is (--area): how well the work reaches it there.
constexpr double kAreaWeight = 30;
/// Guide topics pointed to at most.
constexpr std::size_t kMaxTopics = 3;
/// Each caution from a stated condition that needs the session adapted costs this many points.
constexpr double kAdaptPenalty = 5;

double evidence_value(EvidenceGrade grade) {
  switch (grade) {
    case EvidenceGrade::some:
      return 1.0;
    case EvidenceGrade::limited:
      return 0.7;
    case EvidenceGrade::mixed:
      return 0.5;
    case EvidenceGrade::anecdotal:
      return 0.25;
    case EvidenceGrade::not_supported:
      return 0.0;
  }
  return 0;
}

bool has_technique(const Modality& m, std::string_view id) {
  return std::find(m.techniques.begin(), m.techniques.end(), id) != m.techniques.end();
}

bool has_surface(const Modality& m, Surface s) {
  return std::find(m.setting.surfaces.begin(), m.setting.surfaces.end(), s) != m.setting.surfaces.end();
}

bool has_target(const Modality& m, std::string_view t) {
  return std::find(m.targets.begin(), m.targets.end(), t) != m.targets.end();
}

/// Whether a modality meets a ranking preference, and the reason in plain words. A part that a
/// caution took away (the heat, a stretch) earns nothing.
std::optional<std::string> meets(const Modality& m, Preference p, const CautionEffect& removed) {
  const auto uses = [&](std::string_view t) { return has_technique(m, t) && !removed.technique(t); };
  switch (p) {
    case Preference::heat:
      if (removed.part(Part::heat)) return std::nullopt;
      if (m.setting.heat == Usage::used) return "works with heat";
      if (m.setting.heat == Usage::optional) return "can include heat";
      return std::nullopt;
    case Preference::oil:
      if (removed.part(Part::oil)) return std::nullopt;
      if (m.setting.oil == Usage::used) return "uses oil";
      if (m.setting.oil == Usage::optional) return "can use oil";
      return std::nullopt;
    case Preference::stretching:
      if (uses("stretching") || uses("myofascial-stretch")) return "includes stretching";
      return std::nullopt;
    case Preference::quiet:
      // A still session: you lie and receive, nothing moves you about.
      if (!uses("stretching") && !uses("joint-mobilization") && !uses("rocking") && !uses("tapotement")) {
        return "a quiet, still session";
      }
      return std::nullopt;
    case Preference::clothed:
      if (m.setting.clothing != Clothing::undressed) return "you can stay clothed";
      return std::nullopt;
    case Preference::table:
      if (has_surface(m, Surface::table)) return "on a table";
      return std::nullopt;
    case Preference::mat:
      if (has_surface(m, Surface::mat)) return "on a floor mat";
      return std::nullopt;
    case Preference::points:
      if (has_target(m, "trigger-points") || has_target(m, "pressure-points") ||
          has_target(m, "reflex-points")) {
        return "works on specific points";
      }
      return std::nullopt;
  }
  return std::nullopt;
}

/// How a modality meets a need: not at all, only when asked for, or as a matter of course.
enum class Meets { no, on_request, yes };

/// The need's reason as data: its id, how it is met ("no", "on-request", "yes"), the words.
Reason need_reason(Need need, Meets meets, std::string_view words) {
  static constexpr std::array<std::string_view, 3> kMeets = {"no", "on-request", "yes"};
  return {Basis::need,
          std::string(words),
          {std::string(name_of(need))},
          std::string(kMeets[static_cast<std::size_t>(meets)])};
}

/// How a modality meets a need, and in words: why it is ruled out, the note to ask for it, or the
/// reason to list (none when there is nothing worth saying).
struct NeedFit {
  Meets meets = Meets::yes;
  std::string_view words;
};

/// No oil, no heat: used rules out, optional is asked for, none is met.
NeedFit without(Usage usage, Part part, std::string_view used, std::string_view none) {
  if (usage == Usage::used) return {Meets::no, used};
  if (usage == Usage::optional) return {Meets::on_request, leave_out_note(part)};
  return {Meets::yes, none};
}

/// Every need's check in one place.
NeedFit fit(const Modality& m, Need need) {
  switch (need) {
    case Need::no_oil:
      return without(m.setting.oil, Part::oil, "uses oil", "no oil");
    case Need::no_heat:
      return without(m.setting.heat, Part::heat, "uses heat", "no heat");
    case Need::clothed:
      if (m.setting.clothing == Clothing::undressed) return {Meets::no, "you undress for it"};
      if (m.setting.clothing == Clothing::either) return {Meets::on_request, "ask to stay clothed"};
      return {Meets::yes, "done clothed"};
    case Need::no_floor:
      if (m.setting.surfaces == std::vector{Surface::mat}) return {Meets::no, "it is done on a floor mat"};
      if (has_surface(m, Surface::mat)) return {Meets::on_request, "ask for a table or chair"};
      return {Meets::yes, "not on the floor"};
    case Need::direct:
      if (m.back == BackContact::indirect) return {Meets::no, "it does not work on the back itself"};
      return {Meets::yes, {}};
  }
  return {};
}

Reason pressure_reason(const Modality& m, Pressure level) {
  std::string text = level == m.pressure.max && level != Pressure::light
                         ? fmt::format("reaches {} pressure", name_of(level))
                         : fmt::format("works at {} pressure ({} range)", name_of(level),
                                       pressure_span(m.pressure.min, m.pressure.max));
  return {Basis::pressure, std::move(text), {}, std::string(name_of(level))};
}

/// How directly a modality's work reaches a knot, from what it targets: the tender spots
/// themselves (1), the muscle and the tissue around it (0.5), or points, lines and joints
/// elsewhere (0); with the reason to give, if any.
std::pair<double, std::string_view> knot_focus(const Modality& m) {
  if (has_target(m, "trigger-points")) return {1.0, "aimed at the tender spots themselves"};
  for (std::string_view t : {"deep-muscle", "superficial-muscle", "fascia", "connective-tissue"}) {
    if (has_target(m, t)) return {0.5, {}};
  }
  return {0.0, {}};
}

/// True when the request states no criterion: nothing but conditions and warning signs.
bool no_criteria(const RecommendRequest& request) {
  return !request.pressure && request.goals.empty() && request.prefer.empty() && request.needs.empty();
}

double round1(double x) {
  return std::round(x * 10.0) / 10.0;
}

/// The stated conditions the knowledge base knows, in the order given.
std::vector<const Condition*> stated_conditions(const KnowledgeBase& kb, const RecommendRequest& request) {
  std::vector<const Condition*> conditions;
  for (const auto& id : request.conditions) {
    if (const Condition* c = kb.conditions.find(id)) conditions.push_back(c);
  }
  return conditions;
}

/// What the conditions' rules for every modality ask: to postpone all massage, and the lowest
/// pressure any of them allows.
void rules_for_all(const std::vector<const Condition*>& conditions, RecommendResult& result) {
  for (const Condition* c : conditions) {
    if (!c->every_modality) continue;
    const auto& rule = *c->every_modality;
    if (rule.level == CautionLevel::avoid) result.postpone.push_back({c->id, rule.note});
    if (rule.max_pressure && (!result.pressure_cap || *rule.max_pressure < *result.pressure_cap)) {
      result.pressure_cap = rule.max_pressure;
    }
  }
}

/// Warning signs in the order they are given: most urgent first, then by id.
bool most_urgent_first(const RedFlag* a, const RedFlag* b) {
  if (a->urgency != b->urgency) return a->urgency < b->urgency;
  return a->id < b->id;
}

/// The warning signs stated, and those a stated condition raises (fever), each once, most urgent
/// first: they decide whether anything is recommended at all.
Screening screen(const KnowledgeBase& kb, const RecommendRequest& request,
                 const std::vector<const Condition*>& conditions) {
  Screening screening;
  std::vector<std::string> symptoms = request.symptoms;
  for (const Condition* c : conditions)
    symptoms.insert(symptoms.end(), c->red_flags.begin(), c->red_flags.end());
  for (const auto& id : symptoms) {
    const RedFlag* flag = kb.red_flags.find(id);
    if (!flag || std::find(screening.flags.begin(), screening.flags.end(), flag) != screening.flags.end()) {
      continue;
    }
    screening.flags.push_back(flag);
    if (!screening.urgency || flag->urgency < *screening.urgency) screening.urgency = flag->urgency;
  }
  std::sort(screening.flags.begin(), screening.flags.end(), most_urgent_first);
  return screening;
}

/// Points per weight: only the criteria that were given share the 100 points. The area ranks
/// with either: it says where the knot is, not what the person wants from the session.
double score_scale(const RecommendRequest& request) {
  const double area = request.areas.empty() ? 0.0 : kAreaWeight;
  if (no_criteria(request))
    return 100.0 / (kGoalsWeight + kKnotWeight + kEvidenceWeight + kBackWeight + area);
  double total_weight = kEvidenceWeight + kBackWeight + area;
  if (!request.goals.empty()) total_weight += kGoalsWeight;
  if (request.pressure) total_weight += kPressureWeight;
  if (!request.prefer.empty()) total_weight += kPreferenceWeight;
  if (!request.needs.empty()) total_weight += kNeedsWeight;
  return 100.0 / total_weight;
}

/// The area's name, lowercased, as a sentence needs it.
std::string area_words_of(const KnowledgeBase& kb, const std::string& id) {
  const KnotArea* area = kb.areas.find(id);
  return area ? area_words(*area) : "in the " + id_words(id);
}

/// The only hard rule of the areas: a style that reaches none of the areas asked for at all (by
/// what it says of each) cannot help there. One that does not say stays, and ranks in the middle.
std::optional<Reason> out_of_reach(const KnowledgeBase& kb, const Modality& m,
                                   const std::vector<std::string>& areas) {
  if (areas.empty()) return std::nullopt;
  std::vector<std::string> where;
  for (const auto& id : areas) {
    const AreaReach* reach = keyed_find(m.areas, id);
    if (!reach || reach->value != Reach::none) return std::nullopt;
    where.push_back(area_words_of(kb, id));
  }
  return Reason{Basis::area, fmt::format("it does not reach a knot {}", joined(where, " or ")), areas,
                std::string(name_of(Reach::none))};
}

/// How well a modality reaches the knot where it is (1 well, 0.5 partly or not stated, 0 none,
/// averaged over the areas asked for), with a reason for each area.
double area_fit(const KnowledgeBase& kb, const Modality& m, const std::vector<std::string>& areas,
                Recommendation& rec) {
  double sum = 0;
  for (const auto& id : areas) {
    const std::string where = area_words_of(kb, id);
    const AreaReach* reach = keyed_find(m.areas, id);
    if (!reach) {
      sum += 0.5;
      rec.reasons.push_back(
          {Basis::area, fmt::format("does not say how well it reaches a knot {}", where), {id}, {}});
      continue;
    }
    std::string text;
    switch (reach->value) {
      case Reach::well:
        sum += 1.0;
        text = fmt::format("reaches a knot {} well", where);
        break;
      case Reach::partly:
        sum += 0.5;
        text = fmt::format("reaches a knot {} only partly", where);
        break;
      case Reach::none:
        text = fmt::format("does not reach a knot {}", where);
        break;
    }
    rec.reasons.push_back({Basis::area, std::move(text), {id}, std::string(name_of(reach->value))});
  }
  return sum / static_cast<double>(areas.size());
}

/// Whether a style is for this person at all: one made for a condition (Modality::only_with) is
/// only for someone who stated it; the others are for anyone.
bool for_them(const Modality& m, const RecommendRequest& request) {
  return m.only_with.empty() ||
         std::any_of(m.only_with.begin(), m.only_with.end(), [&](const std::string& c) {
           return std::find(request.conditions.begin(), request.conditions.end(), c) !=
                  request.conditions.end();
         });
}

/// Adds a practical note unless one with the same words is there already (two conditions may
/// both ask for the heat to be left out).
void add_note(Recommendation& rec, Reason note) {
  const bool known =
      std::any_of(rec.notes.begin(), rec.notes.end(), [&](const Reason& n) { return n.text == note.text; });
  if (!known) rec.notes.push_back(std::move(note));
}

/// One modality weighed against the hard rules: why it is ruled out (nothing when it stays), and
/// for one that stays, what the stated conditions leave it: notes, cautions, parts taken away.
struct Verdict {
  std::vector<Reason> out;
  Recommendation rec;
  CautionEffect removed;  ///< what every stated condition takes away, together
};

/// What one stated condition does to a modality that may stay: rules it out, or adds its notes,
/// its caution and what it takes away to the verdict.
void apply_condition(const KnowledgeBase& kb, const Modality& m, const Condition& c,
                     std::optional<Pressure> requested, Verdict& verdict) {
  auto caution = caution_for(m, c);
  if (!caution) return;
  if (caution->level == CautionLevel::avoid) {
    verdict.out.push_back({Basis::condition,
                           fmt::format("avoid with {}: {}", lower_first(c.name), caution->note),
                           {c.id},
                           std::string(name_of(CautionLevel::avoid))});
    return;
  }
  CautionEffect effect = caution_effect(kb, m, c, *caution, requested);
  const auto adapt = [&](std::string text) {
    return Reason{Basis::condition, std::move(text), {c.id}, std::string(name_of(CautionLevel::adapt))};
  };
  if (!effect.out.empty()) {
    for (auto& why : effect.out) verdict.out.push_back(adapt(std::move(why)));
    return;
  }
  Recommendation& rec = verdict.rec;
  for (auto& note : effect.notes) add_note(rec, adapt(std::move(note)));
  verdict.removed.parts.insert(verdict.removed.parts.end(), effect.parts.begin(), effect.parts.end());
  verdict.removed.techniques.insert(verdict.removed.techniques.end(), effect.techniques.begin(),
                                    effect.techniques.end());
  rec.cautions.emplace_back(c.id, *caution);
}

/// The hard rules, in the order their reasons are given: pressure, conditions, needs.
Verdict judge(const KnowledgeBase& kb, const Modality& m, const RecommendRequest& request,
              const std::vector<const Condition*>& conditions) {
  Verdict verdict;
  verdict.rec.modality = &m;
  if (request.pressure && !m.pressure.contains(*request.pressure)) {
    verdict.out.push_back(
        {Basis::pressure,
         fmt::format("its pressure ({}) does not include {}", pressure_span(m.pressure.min, m.pressure.max),
                     name_of(*request.pressure)),
         {},
         std::string(name_of(*request.pressure))});
  }
  for (const Condition* c : conditions) apply_condition(kb, m, *c, request.pressure, verdict);
  for (Need need : request.needs) {
    if (const NeedFit f = fit(m, need); f.meets == Meets::no)
      verdict.out.push_back(need_reason(need, f.meets, f.words));
  }
  if (auto out = out_of_reach(kb, m, request.areas)) verdict.out.push_back(std::move(*out));
  verdict.rec.made_for = !m.only_with.empty();
  return verdict;
}

/// How well a modality suits one goal (1 strong, 0.5 some, 0 not listed), with its reason added.
double goal_fit(const Modality& m, std::string_view goal, Recommendation& rec) {
  const auto found =
      std::find_if(m.goals.begin(), m.goals.end(), [&](const GoalFit& f) { return f.id == goal; });
  if (found == m.goals.end()) return 0;
  const bool strong = found->value == Fit::strong;
  rec.reasons.push_back({Basis::goal,
                         strong ? fmt::format("well suited to {}", id_words(goal))
                                : fmt::format("can help with {}", id_words(goal)),
                         {std::string(goal)},
                         std::string(name_of(found->value))});
  return strong ? 1.0 : 0.5;
}

/// Pressure and goals: the criteria a person weighs first, so their reasons come first.
void score_pressure_and_goals(const Modality& m, const RecommendRequest& request, double scale,
                              Recommendation& rec) {
  if (request.pressure) {
    const double focus = 1.0 / (static_cast<int>(m.pressure.max) - static_cast<int>(m.pressure.min) + 1);
    rec.breakdown.push_back({"pressure", kPressureWeight * focus * scale});
    rec.reasons.push_back(pressure_reason(m, *request.pressure));
  }
  if (request.goals.empty()) return;
  double sum = 0;
  for (const auto& goal : request.goals) sum += goal_fit(m, goal, rec);
  rec.breakdown.push_back({"goals", kGoalsWeight * sum / static_cast<double>(request.goals.size()) * scale});
}

/// With no criteria: easing a knot (pain relief, counted twice), the tension around it
/// (relaxation), and how directly the work reaches the knot.
void score_for_knots(const Modality& m, double scale, Recommendation& rec) {
  const double goals = (2 * goal_fit(m, kKnotGoal, rec) + goal_fit(m, kTensionGoal, rec)) / 3;
  rec.breakdown.push_back({"goals", kGoalsWeight * goals * scale});
  const auto [focus, reason] = knot_focus(m);
  if (!reason.empty()) rec.reasons.push_back({Basis::knot, std::string(reason), {"trigger-points"}, {}});
  rec.breakdown.push_back({"knot", kKnotWeight * focus * scale});
}

/// Preferences, then what every modality is scored on: the back, the evidence, and the cautions
/// that need the session adapted.
void score_preferences_and_rest(const Modality& m, const RecommendRequest& request,
                                const CautionEffect& removed, double scale, Recommendation& rec) {
  if (!request.prefer.empty()) {
    std::size_t met = 0;
    for (auto p : request.prefer) {
      if (auto reason = meets(m, p, removed)) {
        ++met;
        rec.reasons.push_back({Basis::preference, std::move(*reason), {std::string(name_of(p))}, {}});
      }
    }
    rec.breakdown.push_back({"preferences", kPreferenceWeight * static_cast<double>(met) /
                                                static_cast<double>(request.prefer.size()) * scale});
  }
  if (m.back == BackContact::direct)
    rec.reasons.push_back({Basis::back, "works on the back directly", {}, std::string(name_of(m.back))});
  rec.breakdown.push_back({"back", (m.back == BackContact::direct ? kBackWeight : 0.0) * scale});
  rec.reasons.push_back({Basis::evidence,
                         std::string(evidence_words(m.evidence.grade)),
                         {},
                         std::string(name_of(m.evidence.grade))});
  rec.breakdown.push_back({"evidence", kEvidenceWeight * evidence_value(m.evidence.grade) * scale});
  if (!rec.cautions.empty()) {
    std::size_t adapt = 0;
    for (const auto& [id, c] : rec.cautions) adapt += c.level == CautionLevel::adapt ? 1 : 0;
    rec.breakdown.push_back({"cautions", -kAdaptPenalty * static_cast<double>(adapt)});
  }
}

/// The needs: one met only on request gets a practical note (once) and no points; those met as a
/// matter of course come first among the reasons, and their share first in the breakdown.
void score_needs(const Modality& m, const RecommendRequest& request, double scale, Recommendation& rec) {
  if (request.needs.empty()) return;
  std::size_t on_request = 0;
  for (Need need : request.needs) {
    const NeedFit f = fit(m, need);
    if (f.meets != Meets::on_request) continue;
    ++on_request;
    add_note(rec, need_reason(need, f.meets, f.words));
  }
  // The needs met as a matter of course, in the order they have always been listed.
  std::vector<Reason> met_reasons;
  for (Need need : {Need::no_floor, Need::no_heat, Need::no_oil, Need::clothed}) {
    if (!request.needs.contains(need)) continue;
    if (const NeedFit f = fit(m, need); f.meets == Meets::yes)
      met_reasons.push_back(need_reason(need, f.meets, f.words));
  }
  rec.reasons.insert(rec.reasons.begin(), met_reasons.begin(), met_reasons.end());
  const std::size_t needs = request.needs.size();
  rec.breakdown.insert(
      rec.breakdown.begin(),
      {"needs", kNeedsWeight * static_cast<double>(needs - on_request) / static_cast<double>(needs) * scale});
}

/// A modality that passed the hard rules, with its reasons and its 0–100 score: each part rounded
/// to one decimal, so that the parts shown add up to the score.
Recommendation scored(const KnowledgeBase& kb, const Modality& m, const RecommendRequest& request,
                      double scale, Verdict verdict) {
  Recommendation rec = std::move(verdict.rec);
  if (rec.made_for) {
    std::vector<std::string> names;
    std::vector<std::string> ids;
    for (const auto& c : m.only_with) {
      if (std::find(request.conditions.begin(), request.conditions.end(), c) != request.conditions.end()) {
        names.push_back(lower_first(kb.conditions.name_or_id(c)));
        ids.push_back(c);
      }
    }
    rec.reasons.push_back({Basis::made_for, fmt::format("made for {}", joined(names, " and ")), ids, {}});
  }
  if (!request.areas.empty())
    rec.breakdown.push_back({"area", kAreaWeight * area_fit(kb, m, request.areas, rec) * scale});
  if (no_criteria(request)) score_for_knots(m, scale, rec);
  score_pressure_and_goals(m, request, scale, rec);
  score_preferences_and_rest(m, request, verdict.removed, scale, rec);
  score_needs(m, request, scale, rec);
  double score = 0;
  for (auto& part : rec.breakdown) {
    part.points = round1(part.points);
    score += part.points;
  }
  rec.score = round1(std::max(0.0, score));
  return rec;
}

/// With a warning sign that needs a clinician, or a condition that stops all massage, nothing is
/// recommended: every suitable one joins the excluded, with the reason.
void withhold_all(std::vector<Recommendation>& suitable, RecommendResult& result) {
  Reason reason;
  if (result.screening.stops()) {
    reason = {Basis::screening,
              "see a clinician about your warning signs first",
              {},
              std::string(name_of(*result.screening.urgency))};
    for (const RedFlag* f : result.screening.flags) reason.ids.push_back(f->id);
  } else {
    reason = {Basis::postpone, "postpone all massage for now", {}, {}};
    for (const auto& p : result.postpone) reason.ids.push_back(p.condition);
  }
  for (auto& rec : suitable) result.excluded.push_back({rec.modality, {reason}});
  suitable.clear();
  std::sort(result.excluded.begin(), result.excluded.end(),
            [](const Exclusion& a, const Exclusion& b) { return a.modality->id < b.modality->id; });
}

/// True when `a` ranks above `b`: made for a stated condition, then score, then evidence, then work
/// on the back itself, then id.
bool ranks_above(const Recommendation& a, const Recommendation& b) {
  if (a.made_for != b.made_for) return a.made_for;
  if (a.score != b.score) return a.score > b.score;
  const Modality& x = *a.modality;
  const Modality& y = *b.modality;
  if (x.evidence.grade != y.evidence.grade) return x.evidence.grade > y.evidence.grade;
  if (x.back != y.back) return x.back == BackContact::direct;
  return x.id < y.id;
}

/// The best `top` first, how many more there were, and whether a tie-break ordered what is shown.
void keep_best(std::vector<Recommendation> suitable, std::size_t top, RecommendResult& result) {
  std::sort(suitable.begin(), suitable.end(), ranks_above);
  const std::size_t shown = std::min(top, suitable.size());
  for (std::size_t i = 1; i < suitable.size() && i <= shown; ++i) {
    if (suitable[i].score == suitable[i - 1].score && suitable[i].made_for == suitable[i - 1].made_for)
      result.ties = true;
  }
  if (suitable.size() > top) {
    result.more = suitable.size() - top;
    suitable.resize(top);
  }
  result.items = std::move(suitable);
}

/// Tips for the goals that no stated condition rules out; none when the screening sends the
/// person to a clinician. Without goals, the question is knots in the back: tips for pain relief.
std::vector<const SelfCareTip*> self_care_for(const KnowledgeBase& kb, const RecommendRequest& request,
                                              bool stops) {
  std::vector<const SelfCareTip*> out;
  const std::vector<std::string> tip_goals =
      request.goals.empty() ? std::vector<std::string>{"pain-relief"} : request.goals;
  for (const auto& tip : kb.self_care.all()) {
    const bool ruled_out = !tip_ruled_out_by(tip, request.conditions).empty();
    const bool suits = std::any_of(tip.suits.begin(), tip.suits.end(), [&](const std::string& g) {
      return std::find(tip_goals.begin(), tip_goals.end(), g) != tip_goals.end();
    });
    if (suits && !ruled_out && !stops) out.push_back(&tip);
  }
  return out;
}

/// The warning signs of the areas asked for, each once, by urgency then id.
std::vector<const RedFlag*> area_flags(const KnowledgeBase& kb, const std::vector<std::string>& areas) {
  std::vector<const RedFlag*> out;
  for (const auto& id : areas) {
    const KnotArea* area = kb.areas.find(id);
    if (!area) continue;
    for (const auto& flag_id : area->red_flags) {
      const RedFlag* flag = kb.red_flags.find(flag_id);
      if (flag && std::find(out.begin(), out.end(), flag) == out.end()) out.push_back(flag);
    }
  }
  std::sort(out.begin(), out.end(), most_urgent_first);
  return out;
}

/// The guide topics about the areas asked for, then those about the first recommendation, each
/// once, at most kMaxTopics.
std::vector<const GuideTopic*> topics_for(const KnowledgeBase& kb, const std::vector<std::string>& areas,
                                          const Modality* first) {
  std::vector<const GuideTopic*> out;
  const auto add_if = [&](auto&& about) {
    for (const auto& topic : kb.guide.all()) {
      if (out.size() < kMaxTopics && about(topic) && std::find(out.begin(), out.end(), &topic) == out.end())
        out.push_back(&topic);
    }
  };
  const auto lists = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  for (const auto& area : areas) add_if([&](const GuideTopic& t) { return lists(t.areas, area); });
  if (first) add_if([&](const GuideTopic& t) { return lists(t.modalities, first->id); });
  return out;
}

}  // namespace

std::string_view plain_words(Preference preference) {
  switch (preference) {
    case Preference::heat:
      return "warmth, such as heat packs or warm stones";
    case Preference::oil:
      return "oil on the skin";
    case Preference::stretching:
      return "stretches the therapist does for you";
    case Preference::quiet:
      return "a still session: no stretching, rocking or tapping";
    case Preference::clothed:
      return "staying dressed";
    case Preference::table:
      return "lying on a massage table";
    case Preference::mat:
      return "lying on a mat on the floor";
    case Preference::points:
      return "pressure on particular points or tender spots";
  }
  return {};
}

std::string_view plain_words(Need need) {
  switch (need) {
    case Need::no_oil:
      return "no oil on your skin";
    case Need::no_heat:
      return "no heat: no heat packs or warm stones";
    case Need::clothed:
      return "staying dressed";
    case Need::no_floor:
      return "not lying on the floor";
    case Need::direct:
      return "work on the back itself, not through the feet or hands";
  }
  return {};
}

std::vector<std::string> reason_texts(const std::vector<Reason>& reasons) {
  std::vector<std::string> out;
  out.reserve(reasons.size());
  for (const auto& r : reasons) out.push_back(r.text);
  return out;
}

RecommendResult recommend(const KnowledgeBase& kb, const RecommendRequest& request) {
  RecommendResult result;
  const std::vector<const Condition*> conditions = stated_conditions(kb, request);
  rules_for_all(conditions, result);
  result.screening = screen(kb, request, conditions);

  result.for_knots = no_criteria(request);
  const double scale = score_scale(request);
  std::vector<Recommendation> suitable;
  for (const Modality& m : kb.modalities.all()) {
    // A style made for others (pregnancy massage) is not weighed, nor listed as ruled out.
    if (!for_them(m, request)) continue;
    Verdict verdict = judge(kb, m, request, conditions);
    if (!verdict.out.empty()) {
      const bool pressure_only =
          verdict.out.size() == 1 && request.pressure && !m.pressure.contains(*request.pressure);
      result.excluded.push_back({&m, std::move(verdict.out), pressure_only});
      continue;
    }
    suitable.push_back(scored(kb, m, request, scale, std::move(verdict)));
  }
  if (result.screening.stops() || !result.postpone.empty()) withhold_all(suitable, result);
  keep_best(std::move(suitable), request.top, result);

  for (const auto& flag : kb.red_flags.all()) result.red_flags.push_back(&flag);
  std::stable_sort(result.red_flags.begin(), result.red_flags.end(),
                   [](const RedFlag* a, const RedFlag* b) { return a->urgency < b->urgency; });
  result.self_care = self_care_for(kb, request, result.screening.stops());
  result.area_flags = area_flags(kb, request.areas);
  result.topics =
      topics_for(kb, request.areas, result.items.empty() ? nullptr : result.items.front().modality);
  return result;
}

std::string area_words(const KnotArea& area) {
  std::string words = lower_first(area.name);
  for (std::string_view preposition : {"between ", "around ", "in ", "on ", "under ", "across "}) {
    if (words.starts_with(preposition)) return words;
  }
  return "in the " + words;
}

std::string_view urgency_heading(Urgency urgency) {
  switch (urgency) {
    case Urgency::emergency:
      return "Get emergency care now";
    case Urgency::urgent:
      return "Get medical help today";
    case Urgency::soon:
      return "See a doctor soon";
  }
  return {};
}

std::string_view urgency_action(Urgency urgency) {
  switch (urgency) {
    case Urgency::emergency:
      return "Call your emergency number now (999 in the UK, 911 in the US, 112 in the EU) or go to an "
             "emergency department. Do not book a massage.";
    case Urgency::urgent:
      return "Call your doctor, your midwife or an urgent care line (111 in England) for an appointment "
             "today, "
             "as your warning sign below says. Do not book a massage until you have been seen.";
    case Urgency::soon:
      return "See a doctor before you book a massage, and tell the therapist what the doctor said.";
  }
  return {};
}

Screening screen(const KnowledgeBase& kb, const RecommendRequest& request) {
  return screen(kb, request, stated_conditions(kb, request));
}

std::vector<std::string> tip_ruled_out_by(const SelfCareTip& tip,
                                          const std::vector<std::string>& conditions) {
  std::vector<std::string> out;
  for (const auto& c : tip.avoid_with) {
    if (std::find(conditions.begin(), conditions.end(), c) != conditions.end()) out.push_back(c);
  }
  return out;
}

std::string Screening::action() const {
  return urgency ? std::string(urgency_action(*urgency)) : std::string();
}

}  // namespace knots
