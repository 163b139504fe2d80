// The pages of modalities, conditions, techniques, guide topics and self-care tips: the cautions,
// citations and lists that the renderers show, each computed once.
#include "query/pages.hpp"

#include <algorithm>

namespace knots {
namespace {

/// Sorted naturally, each once.
std::vector<std::string> in_order(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end(), natural_less);
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

/// The modality's own sources and its evidence's.
std::vector<std::string> described_by(const Modality& m) {
  std::vector<std::string> ids = m.sources;
  ids.insert(ids.end(), m.evidence.sources.begin(), m.evidence.sources.end());
  return ids;
}

/// Those and the sources of every caution on its page: what its Sources section lists.
std::vector<std::string> cited_on(const ModalityPage& page) {
  std::vector<std::string> cited = described_by(*page.modality);
  for (const auto& caution : page.cautions)
    cited.insert(cited.end(), caution.rule.sources.begin(), caution.rule.sources.end());
  return in_order(std::move(cited));
}

/// A caution with what it means for the modality, by caution_effect: the test recommend applies,
/// so that the page never says "adapt" where recommend rules the modality out.
PageCaution page_caution(const KnowledgeBase& kb, const Modality& m, const Condition& c,
                         EffectiveCaution caution) {
  PageCaution out{&c, std::move(caution), CautionMeaning::adapt, {}};
  if (out.rule.level == CautionLevel::avoid) {
    out.meaning = CautionMeaning::avoid;
  } else if (auto why = caution_effect(kb, m, c, out.rule).out; !why.empty()) {
    out.meaning = CautionMeaning::avoid;
    out.why = std::move(why);
  } else if (out.rule.max_pressure && *out.rule.max_pressure < m.pressure.max) {
    out.meaning = CautionMeaning::cap;
  }
  return out;
}

/// The entries of `catalog` with these ids, in the order given; ids it does not have are left out.
template <class T>
std::vector<const T*> resolved(const Catalog<T>& catalog, const std::vector<std::string>& ids) {
  std::vector<const T*> out;
  for (const auto& id : ids) {
    if (const T* item = catalog.find(id)) out.push_back(item);
  }
  return out;
}

}  // namespace

ModalityPage modality_page(const KnowledgeBase& kb, const Modality& modality) {
  ModalityPage page;
  page.modality = &modality;
  for (const auto& c : kb.conditions.all()) {
    if (auto caution = caution_for(modality, c))
      page.cautions.push_back(page_caution(kb, modality, c, std::move(*caution)));
  }
  page.cited = cited_on(page);
  page.described_by = in_order(described_by(modality));
  for (const auto& topic : kb.guide.all()) {
    if (std::find(topic.modalities.begin(), topic.modalities.end(), modality.id) != topic.modalities.end())
      page.topics.push_back(&topic);
  }
  return page;
}

ConditionSummary condition_summary(const KnowledgeBase& kb, const Condition& condition) {
  // What recommend answers for someone who states this condition and asks for nothing else: the
  // same code, so that the two can never disagree.
  RecommendRequest request;
  request.conditions = {condition.id};
  request.top = kb.modalities.size();
  const RecommendResult result = recommend(kb, request);
  ConditionSummary summary;
  summary.condition = &condition;
  for (const auto& e : result.excluded) summary.ruled_out.push_back(e.modality->id);
  for (const auto& rec : result.items) {
    const bool adapted = std::any_of(rec.cautions.begin(), rec.cautions.end(),
                                     [&](const auto& c) { return c.first == condition.id; });
    if (adapted) summary.capped.push_back(rec.modality->id);
  }
  std::sort(summary.capped.begin(), summary.capped.end());
  return summary;
}

std::vector<ConditionSummary> condition_summaries(const KnowledgeBase& kb) {
  std::vector<ConditionSummary> out;
  for (const auto& c : kb.conditions.all()) out.push_back(condition_summary(kb, c));
  return out;
}

GoalPage goal_page(const KnowledgeBase& kb, const Goal& goal) {
  GoalPage page;
  page.goal = &goal;
  for (const auto& m : kb.modalities.all()) {
    if (const GoalFit* fit = keyed_find(m.goals, goal.id))
      (fit->value == Fit::strong ? page.strong : page.some).push_back(&m);
  }
  for (const auto& tip : kb.self_care.all()) {
    if (std::find(tip.suits.begin(), tip.suits.end(), goal.id) != tip.suits.end())
      page.self_care.push_back(&tip);
  }
  return page;
}

std::vector<GoalPage> goal_pages(const KnowledgeBase& kb) {
  std::vector<GoalPage> out;
  for (const auto& g : kb.goals.all()) out.push_back(goal_page(kb, g));
  return out;
}

TechniqueUsers technique_users(const KnowledgeBase& kb, const Technique& technique) {
  return {&technique, modalities_using(kb, technique.id)};
}

std::vector<TechniqueUsers> technique_users(const KnowledgeBase& kb) {
  std::vector<TechniqueUsers> out;
  for (const auto& t : kb.techniques.all()) out.push_back(technique_users(kb, t));
  return out;
}

TopicPage topic_page(const KnowledgeBase& kb, const GuideTopic& topic) {
  TopicPage page;
  page.topic = &topic;
  page.red_flags = resolved(kb.red_flags, topic.red_flags);
  std::stable_sort(page.red_flags.begin(), page.red_flags.end(),
                   [](const RedFlag* a, const RedFlag* b) { return a->urgency < b->urgency; });
  page.modalities = resolved(kb.modalities, topic.modalities);
  page.self_care = resolved(kb.self_care, topic.self_care);
  page.areas = resolved(kb.areas, topic.areas);
  page.related = resolved(kb.guide, topic.related);
  return page;
}

SelfCarePage self_care_page(const KnowledgeBase& kb, const SelfCareTip& tip) {
  SelfCarePage page;
  page.tip = &tip;
  // In the tip's own order, from the neck down as authors write it: the catalog of areas is
  // sorted by id, which would put the lower back first.
  for (const auto& reach : tip.areas) {
    if (const KnotArea* area = kb.areas.find(reach.id)) page.reaches.push_back({area, reach.value});
  }
  page.suits = resolved(kb.goals, tip.suits);
  page.avoid_with = resolved(kb.conditions, tip.avoid_with);
  for (const auto& topic : kb.guide.all()) {
    if (std::find(topic.self_care.begin(), topic.self_care.end(), tip.id) != topic.self_care.end())
      page.listed_in.push_back(&topic);
  }
  return page;
}

SelfCareList self_care_list(const KnowledgeBase& kb, const std::vector<std::string>& conditions,
                            const std::vector<std::string>& symptoms) {
  SelfCareList list;
  RecommendRequest request;
  request.conditions = conditions;
  request.symptoms = symptoms;
  list.screening = screen(kb, request);
  if (list.screening.stops()) return list;
  for (const auto& tip : kb.self_care.all()) {
    const std::vector<std::string> because = tip_ruled_out_by(tip, conditions);
    if (because.empty()) {
      list.items.push_back(&tip);
    } else {
      list.left_out.push_back({&tip, resolved(kb.conditions, because)});
    }
  }
  return list;
}

}  // namespace knots
