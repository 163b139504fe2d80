// The pages of modalities, conditions and techniques: the cautions, citations and lists that the
// renderers show, each computed once.
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
  ConditionSummary summary;
  summary.condition = &condition;
  for (const auto& m : kb.modalities.all()) {
    if (!caution_for(m, condition)) continue;
    (rules_out(kb, m, condition) ? summary.avoid : summary.adapt).push_back(m.id);
  }
  return summary;
}

std::vector<ConditionSummary> condition_summaries(const KnowledgeBase& kb) {
  std::vector<ConditionSummary> out;
  for (const auto& c : kb.conditions.all()) out.push_back(condition_summary(kb, c));
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

}  // namespace knots
