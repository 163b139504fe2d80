// knots recommend: a ranked, explained and safe shortlist for a person's criteria.
#pragma once

#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/filter.hpp"

namespace knots {

/// Preferences that only rank (never rule out).
enum class Preference { heat, oil, stretching, quiet, clothed, table, mat, points };
template <>
struct EnumNames<Preference> {
  static constexpr auto names = std::to_array<std::string_view>(
      {"heat", "oil", "stretching", "quiet", "clothed", "table", "mat", "points"});
};

/// Needs that rule out what cannot meet them (--no-oil, --clothed …); what meets one only when
/// asked for ranks below what meets it as a matter of course.
enum class Need { no_oil, no_heat, clothed, no_floor, direct };
template <>
struct EnumNames<Need> {
  static constexpr auto names =
      std::to_array<std::string_view>({"no-oil", "no-heat", "clothed", "no-floor", "direct"});
};
/// What a preference or a need asks for, in everyday words, for the questions of --ask.
std::string_view plain_words(Preference preference);
std::string_view plain_words(Need need);

/// Every need, in order.
inline constexpr std::array kNeeds = {Need::no_oil, Need::no_heat, Need::clothed, Need::no_floor,
                                      Need::direct};

struct RecommendRequest {
  std::optional<Pressure> pressure;
  std::vector<std::string> goals;       ///< Goal ids
  std::vector<std::string> areas;       ///< KnotArea ids: where the knot is
  std::vector<std::string> conditions;  ///< Condition ids
  std::vector<std::string> symptoms;    ///< RedFlag ids: warning signs the person has now
  std::set<Need> needs;                 ///< each once, in the order of Need
  std::vector<Preference> prefer;
  std::size_t top = 3;
};

/// What a reason, a note or an exclusion rests on: the rule of recommend that gave it.
enum class Basis {
  pressure,    ///< the pressure asked for
  condition,   ///< a stated condition's caution
  need,        ///< --no-oil, --clothed …
  area,        ///< where the knot is
  goal,        ///< a goal asked for (or, with no criteria, the goals of a knot)
  knot,        ///< with no criteria: how directly the work reaches a knot
  preference,  ///< --prefer
  back,        ///< works on the back itself
  evidence,    ///< the evidence grade
  made_for,    ///< made for a stated condition (Modality::only_with)
  screening,   ///< a warning sign that needs a clinician first
  postpone,    ///< a stated condition that postpones all massage
};
template <>
struct EnumNames<Basis> {
  static constexpr auto names =
      std::to_array<std::string_view>({"pressure", "condition", "need", "area", "goal", "knot", "preference",
                                       "back", "evidence", "made-for", "screening", "postpone"});
};

/// One reason, note or exclusion as data and in words: the rule, the ids it is about and the level
/// it found, so that a script need not read the sentence. What `ids` and `value` hold per rule:
/// pressure: -, the level asked; condition: [condition], its level (avoid, adapt); need: [need],
/// how it is met (no, on-request, yes); area: [areas], the reach (none, partly, well; "" when the
/// entry does not say); goal: [goal], the fit (some, strong); knot: [target], -; preference:
/// [preference], -; back: -, the contact (direct); evidence: -, the grade; made-for: [conditions],
/// -; screening: [red flags], the urgency; postpone: [conditions], -.
struct Reason {
  Basis rule = Basis::evidence;
  std::string text;
  std::vector<std::string> ids;
  std::string value;
};

/// The words of each reason, in order.
std::vector<std::string> reason_texts(const std::vector<Reason>& reasons);

/// Every criterion a score can have a part for, in the order --explain lists them.
inline constexpr std::array<std::string_view, 9> kCriteria = {
    "needs", "area", "goals", "knot", "pressure", "preferences", "back", "evidence", "cautions"};

/// One criterion's part of a score, for --explain.
struct ScorePart {
  std::string criterion;  ///< one of kCriteria
  double points = 0;      ///< contribution to the 0–100 score (negative for cautions)
};

struct Recommendation {
  const Modality* modality = nullptr;
  /// Made for a condition the person stated (Modality::only_with): ranked before the rest. A style
  /// made for a condition the person did not state is neither recommended nor listed as excluded.
  bool made_for = false;
  double score = 0;  ///< 0–100, one decimal
  std::vector<Reason> reasons;
  std::vector<std::pair<std::string, EffectiveCaution>> cautions;  ///< condition id, caution
  std::vector<Reason> notes;  ///< practical notes (ask to leave out the heat …)
  std::vector<ScorePart> breakdown;
};

struct Exclusion {
  const Modality* modality = nullptr;
  std::vector<Reason> reasons;
  /// Ruled out by the pressure asked for alone, so that a long list can say it once.
  bool pressure_only = false;
};

/// A condition that rules out all massage for now (fever): the answer says so first.
struct Postponement {
  std::string condition;
  std::string note;
};

/// The warning signs a person has (stated, or raised by a stated condition), most urgent first.
/// With an emergency or urgent one nothing is recommended: the answer is where to go, and how soon.
struct Screening {
  std::optional<Urgency> urgency;     ///< the most urgent of the flags; none when there are none
  std::vector<const RedFlag*> flags;  ///< by urgency, then id
  /// What to do, in plain words, for the most urgent flag.
  [[nodiscard]] std::string action() const;
  /// True when massage must wait for a clinician (emergency or urgent).
  [[nodiscard]] bool stops() const { return urgency && *urgency != Urgency::soon; }
};

/// What to do for a warning sign of this urgency, in a few words ("Get emergency care now") and in full.
std::string_view urgency_heading(Urgency urgency);
std::string_view urgency_action(Urgency urgency);

/// With no criteria (no pressure, goal, need or preference; conditions and warning signs may be
/// given), recommend ranks for what people come for: easing a knot (the goal pain-relief, counted
/// twice) and the tension around it (relaxation), and how directly the work reaches a knot.
inline constexpr std::string_view kKnotGoal = "pain-relief";
inline constexpr std::string_view kTensionGoal = "relaxation";

struct RecommendResult {
  /// True when no criteria were given and the ranking is the one for knots (see kKnotGoal).
  bool for_knots = false;
  /// Best first: score, then evidence, then whether it works on the back directly, then id; at
  /// most `top`.
  std::vector<Recommendation> items;
  /// True when two of the items shown (or the last shown and the first left out) have the same
  /// score, so that the order between them comes from the tie-breaks.
  bool ties = false;
  std::size_t more = 0;             ///< suitable ones left out by `top`
  std::vector<Exclusion> excluded;  ///< sorted by id
  std::vector<Postponement> postpone;
  Screening screening;
  std::optional<Pressure> pressure_cap;   ///< the highest pressure every stated condition allows
  std::vector<const RedFlag*> red_flags;  ///< every red flag, by urgency then id
  /// The warning signs that pain in an area asked for can also be (KnotArea::red_flags), each
  /// once, by urgency then id.
  std::vector<const RedFlag*> area_flags;
  /// Guide topics about what was asked: the areas, then the first recommendation; at most three.
  std::vector<const GuideTopic*> topics;
  /// Tips for the goals (pain relief when none) that no stated condition rules out; none when the
  /// screening sends the person to a clinician.
  std::vector<const SelfCareTip*> self_care;
};

/// How an area reads inside a sentence: "between the shoulder blades", "in the lower back".
std::string area_words(const KnotArea& area);

/// Pure and deterministic: the same request always gets the same answer.
RecommendResult recommend(const KnowledgeBase& kb, const RecommendRequest& request);

/// The warning signs of a request: those stated, and those its stated conditions raise (fever),
/// each once, most urgent first, as recommend screens them.
Screening screen(const KnowledgeBase& kb, const RecommendRequest& request);

/// The stated conditions (ids) that rule a self-care tip out, in the order of its avoid_with:
/// none means it may be suggested. The one rule for self-care, wherever tips are offered.
std::vector<std::string> tip_ruled_out_by(const SelfCareTip& tip, const std::vector<std::string>& conditions);

}  // namespace knots
