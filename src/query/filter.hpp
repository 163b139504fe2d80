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

/// What the knowledge base says about a modality with a condition: the condition's rule for every
/// modality and the modality's own caution together, the stricter of each, else nothing.
struct EffectiveCaution : Rule {
  bool general = false;  ///< only the condition's rule for every modality applies
};

std::optional<EffectiveCaution> caution_for(const Modality& modality, const Condition& condition);

/// Every source a modality's page cites: its own, its evidence's, and those of every caution that
/// applies to it, the conditions' rules for every modality included; sorted naturally (S2 < S10).
std::vector<std::string> sources_of(const Modality& modality, const KnowledgeBase& kb);

/// An entry that cites a source.
struct Citation {
  std::string kind;  ///< modality, technique, condition, self-care, red-flag
  std::string id;
};

/// Every entry that cites a source, by kind then id.
std::vector<Citation> citations_of(const KnowledgeBase& kb, const std::string& source_id);

/// "S2" before "S10", "S8" before "S8b".
bool natural_less(const std::string& a, const std::string& b);

}  // namespace knots
