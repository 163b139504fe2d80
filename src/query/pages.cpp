// The pages of modalities, conditions and techniques: the cautions, citations and lists that the
// renderers show, each computed once.
#include "query/pages.hpp"

#include <algorithm>

namespace knots {
namespace {

/// The modality's own sources, its evidence's and those of every caution on its page, each once:
/// what its Sources section lists.
std::vector<std::string> cited_on(const ModalityPage& page) {
  const Modality& m = *page.modality;
  std::vector<std::string> cited = m.sources;
  cited.insert(cited.end(), m.evidence.sources.begin(), m.evidence.sources.end());
  for (const auto& [condition, caution] : page.cautions)
    cited.insert(cited.end(), caution.sources.begin(), caution.sources.end());
  std::sort(cited.begin(), cited.end(), natural_less);
  cited.erase(std::unique(cited.begin(), cited.end()), cited.end());
  return cited;
}

}  // namespace

ModalityPage modality_page(const KnowledgeBase& kb, const Modality& modality) {
  ModalityPage page;
  page.modality = &modality;
  for (const auto& c : kb.conditions.all()) {
    if (auto caution = caution_for(modality, c)) page.cautions.emplace_back(&c, std::move(*caution));
  }
  page.cited = cited_on(page);
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
