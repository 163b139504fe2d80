// Filters for `knots list`: which modalities match a set of simple criteria.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

struct ListFilter {
  std::optional<Pressure> pressure;     ///< the modality's range includes it
  std::vector<std::string> techniques;  ///< Technique ids; the modality uses every one
  std::vector<std::string> goals;       ///< Goal ids; the modality serves every one
  bool clothed = false;                 ///< can be had fully clothed
  bool no_oil = false;                  ///< can be had without oil
  bool heat = false;                    ///< uses heat, or can
};

/// The modalities that meet every criterion, sorted by id.
std::vector<const Modality*> filter_modalities(const KnowledgeBase& kb, const ListFilter& filter);

/// The modalities that use a technique, sorted by id.
std::vector<const Modality*> modalities_using(const KnowledgeBase& kb, const std::string& technique_id);

/// What the knowledge base says about modalities with a condition: a modality's own caution when
/// it has one, else the condition's rule for every modality, else nothing.
struct EffectiveCaution {
  CautionLevel level = CautionLevel::adapt;
  std::optional<Pressure> max_pressure;
  std::string note;
  std::vector<std::string> sources;
  bool general = false;  ///< from the condition's rule for every modality
};

std::optional<EffectiveCaution> caution_for(const Modality& modality, const Condition& condition);

}  // namespace knots
