// List filters and the caution that applies to a modality with a condition.
#include "query/filter.hpp"

#include <algorithm>

namespace knots {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool serves(const Modality& m, const std::string& goal) {
  return std::any_of(m.goals.begin(), m.goals.end(), [&](const GoalFit& g) { return g.goal == goal; });
}

bool matches(const Modality& m, const ListFilter& f) {
  if (f.pressure && !m.pressure.contains(*f.pressure)) return false;
  for (const auto& t : f.techniques) {
    if (!contains(m.techniques, t)) return false;
  }
  for (const auto& g : f.goals) {
    if (!serves(m, g)) return false;
  }
  if (f.clothed && m.setting.clothing == Clothing::undressed) return false;
  if (f.no_oil && m.setting.oil == Usage::used) return false;
  if (f.heat && m.setting.heat == Usage::none) return false;
  return true;
}

}  // namespace

std::vector<const Modality*> filter_modalities(const KnowledgeBase& kb, const ListFilter& filter) {
  std::vector<const Modality*> out;
  for (const auto& m : kb.modalities.all()) {
    if (matches(m, filter)) out.push_back(&m);
  }
  return out;
}

std::vector<const Modality*> modalities_using(const KnowledgeBase& kb, const std::string& technique_id) {
  ListFilter filter;
  filter.techniques.push_back(technique_id);
  return filter_modalities(kb, filter);
}

std::optional<EffectiveCaution> caution_for(const Modality& modality, const Condition& condition) {
  std::optional<EffectiveCaution> general;
  if (condition.every_modality) {
    const auto& rule = *condition.every_modality;
    general = EffectiveCaution{rule.level, rule.max_pressure, rule.note, condition.sources, true};
  }
  for (const auto& c : modality.cautions) {
    if (c.condition != condition.id) continue;
    EffectiveCaution own{c.level, c.max_pressure, c.note, c.sources, false};
    // A modality's own caution may be stricter than the general rule, never looser.
    if (general && general->level == CautionLevel::avoid) return general;
    if (general && general->max_pressure &&
        (!own.max_pressure || *general->max_pressure < *own.max_pressure) &&
        own.level == CautionLevel::adapt) {
      own.max_pressure = general->max_pressure;
    }
    return own;
  }
  return general;
}

}  // namespace knots
