// Filters for `knots list`: which modalities match a set of simple criteria.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

struct ListFilter {
  std::optional<Pressure> pressure;     ///< the modality's range includes it
  std::vector<std::string> techniques;  ///< Technique ids; the modality uses every one
  std::vector<std::string> goals;       ///< Goal ids; the modality serves every one
  std::vector<std::string> areas;       ///< KnotArea ids; the modality reaches every one, well or partly
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

/// What an adapt caution does to one modality: the reasons it rules the modality out (none when it
/// stays); else what the session leaves out, as notes for the person, and the parts and techniques
/// it takes away (which then earn no preference bonus).
struct CautionEffect {
  std::vector<std::string> out;
  std::vector<std::string> notes;
  std::vector<Part> parts;
  std::vector<std::string> techniques;
  [[nodiscard]] bool part(Part p) const { return std::find(parts.begin(), parts.end(), p) != parts.end(); }
  [[nodiscard]] bool technique(std::string_view t) const {
    return std::find(techniques.begin(), techniques.end(), t) != techniques.end();
  }
};

/// The note for a session that can do without a part it may include: "ask to leave out the heat".
std::string_view leave_out_note(Part part);

/// The effect of `caution` (level adapt) for `condition` on a modality, with the pressure asked for.
CautionEffect caution_effect(const KnowledgeBase& kb, const Modality& m, const Condition& condition,
                             const EffectiveCaution& caution,
                             std::optional<Pressure> requested = std::nullopt);

/// Whether a condition rules a modality out on its own: an avoid, or an adapt it cannot meet.
bool rules_out(const KnowledgeBase& kb, const Modality& m, const Condition& condition);

/// "Blood thinners" in the middle of a sentence: "with blood thinners".
std::string lower_first(std::string text);

/// An entry that cites a source.
struct Citation {
  std::string kind;  ///< modality, technique, condition, self-care, red-flag, topic
  std::string id;
};

/// Every entry that cites a source, by kind then id.
std::vector<Citation> citations_of(const KnowledgeBase& kb, const std::string& source_id);

/// Every source, in natural order of id ("S2" before "S10").
std::vector<const Source*> sources_in_order(const KnowledgeBase& kb);

/// "S2" before "S10", "S8" before "S8b".
bool natural_less(const std::string& a, const std::string& b);

}  // namespace knots
