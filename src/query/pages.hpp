// What a page about one entry shows beyond the entry itself (the cautions that apply, the sources
// cited, who rules out what, who uses a technique): worked out once here, so that the text and the
// JSON renderers only format it and can never disagree.
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/filter.hpp"
#include "query/recommend.hpp"

namespace knots {

/// What a caution means for a person choosing this modality, as `recommend` applies it when no
/// pressure is asked for.
enum class CautionMeaning {
  avoid,  ///< rules it out: an avoid, or an adapt it cannot meet (a cap below its lowest pressure)
  cap,    ///< it stays, with a pressure limit below its highest pressure
  adapt,  ///< it stays, adapted otherwise (or with a limit its range never exceeds)
};

/// One condition that asks something of a modality.
struct PageCaution {
  const Condition* condition = nullptr;
  /// What it asks: the condition's rule for every modality and the modality's own caution together.
  EffectiveCaution rule;
  CautionMeaning meaning = CautionMeaning::adapt;
  /// For an adapt it cannot meet, why not, in recommend's words ("with osteoporosis, pressure must
  /// stay light or lighter, and it starts at medium").
  std::vector<std::string> why;
};

/// One modality as `knots show` (and the items of `list --json` and `compare --json`) present it.
struct ModalityPage {
  const Modality* modality = nullptr;
  /// Every condition that asks something of the modality, in the knowledge base's order.
  std::vector<PageCaution> cautions;
  /// Every source the page cites, sorted naturally (S2 < S10).
  std::vector<std::string> cited;
  /// The sources of the entry itself and of its evidence, sorted naturally: those of the short
  /// page, which names cautions without their notes.
  std::vector<std::string> described_by;
  /// The guide topics that name the modality, in the guide's order.
  std::vector<const GuideTopic*> topics;
};

/// The page of one modality.
ModalityPage modality_page(const KnowledgeBase& kb, const Modality& modality);

/// One condition with the modalities it concerns, split by what it does to them, as recommend
/// answers someone who states it and nothing else.
struct ConditionSummary {
  const Condition* condition = nullptr;
  std::vector<std::string> ruled_out;  ///< ids of the modalities it rules out, by id
  std::vector<std::string> capped;  ///< ids of those that stay only adapted (lighter, parts left out), by id
};

/// The summary of one condition.
ConditionSummary condition_summary(const KnowledgeBase& kb, const Condition& condition);
/// The summaries of every condition, in the knowledge base's order.
std::vector<ConditionSummary> condition_summaries(const KnowledgeBase& kb);

/// One goal with who serves it.
struct GoalPage {
  const Goal* goal = nullptr;
  std::vector<const Modality*> strong;        ///< styles well suited to it, by id
  std::vector<const Modality*> some;          ///< styles that can help with it, by id
  std::vector<const SelfCareTip*> self_care;  ///< tips that suit it, by id
};

/// The page of one goal.
GoalPage goal_page(const KnowledgeBase& kb, const Goal& goal);
/// The pages of every goal, in the knowledge base's order.
std::vector<GoalPage> goal_pages(const KnowledgeBase& kb);

/// One technique with the modalities that use it.
struct TechniqueUsers {
  const Technique* technique = nullptr;
  std::vector<const Modality*> used_by;  ///< sorted by id
};

/// The users of one technique.
TechniqueUsers technique_users(const KnowledgeBase& kb, const Technique& technique);
/// The users of every technique, in the knowledge base's order.
std::vector<TechniqueUsers> technique_users(const KnowledgeBase& kb);

/// One guide topic with what it points to, resolved: the entries the knowledge base has, in the
/// topic's order (an id it does not have is left out; `validate` reports it).
struct TopicPage {
  const GuideTopic* topic = nullptr;
  std::vector<const RedFlag*> red_flags;    ///< most urgent first, then in the topic's order
  std::vector<const Modality*> modalities;  ///< the styles it matters for
  std::vector<const SelfCareTip*> self_care;
  std::vector<const KnotArea*> areas;
  std::vector<const GuideTopic*> related;
};

/// The page of one guide topic.
TopicPage topic_page(const KnowledgeBase& kb, const GuideTopic& topic);

/// How well a self-care tip reaches one area of the back.
struct TipReach {
  const KnotArea* area = nullptr;
  Reach reach = Reach::none;
};

/// One self-care tip with what it refers to, resolved, and the guide topics that list it.
struct SelfCarePage {
  const SelfCareTip* tip = nullptr;
  std::vector<TipReach> reaches;             ///< in the tip's order (areas it names)
  std::vector<const Goal*> suits;            ///< in the tip's order
  std::vector<const Condition*> avoid_with;  ///< in the tip's order
  std::vector<const GuideTopic*> listed_in;  ///< the topics whose self_care has it, by id
};

/// The page of one self-care tip.
SelfCarePage self_care_page(const KnowledgeBase& kb, const SelfCareTip& tip);

/// A tip left out of a list because a stated condition rules it out (its avoid_with).
struct LeftOutTip {
  const SelfCareTip* tip = nullptr;
  std::vector<const Condition*> because;  ///< the stated conditions that rule it out, in the tip's order
};

/// The self-care tips for a person who has stated these conditions and warning signs: the safety
/// rule of the knowledge base is that nothing a stated condition rules out is suggested, and, as
/// in recommend, nothing at all when a warning sign sends the person to a clinician first.
struct SelfCareList {
  std::vector<const SelfCareTip*> items;  ///< those no stated condition rules out, by id
  std::vector<LeftOutTip> left_out;       ///< by id
  /// The warning signs stated, or raised by a stated condition; when it stops(), `items` and
  /// `left_out` are empty.
  Screening screening;
};

/// The tips, the conditions (ids) and warning signs (RedFlag ids) having been stated.
SelfCareList self_care_list(const KnowledgeBase& kb, const std::vector<std::string>& conditions,
                            const std::vector<std::string>& symptoms);

}  // namespace knots
