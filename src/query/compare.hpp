// knots compare: modalities side by side, what differs first, what they share, and when to choose which.
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

/// One attribute across the compared modalities.
struct CompareRow {
  /// Stable key for JSON: the field of the modality's JSON object it shows ("pressure",
  /// "setting.oil", "goals" …), or "ruled_out_by" (the conditions that rule it out).
  std::string field;
  std::string label;                ///< for people: "Pressure", "Oil" …
  std::vector<std::string> values;  ///< for people, one per compared modality, in order
  bool differs = false;
  bool list = false;                          ///< a list attribute (techniques, goals …), not one value
  std::vector<std::string> shared;            ///< for list attributes: what every one of them has, for people
  std::vector<std::string> shared_ids;        ///< the same, as ids
  std::vector<std::vector<std::string>> ids;  ///< for list attributes: each one's ids, in order
};

struct CompareResult {
  std::vector<const Modality*> items;
  std::vector<CompareRow> rows;     ///< differing rows first, each group in a fixed field order
  std::vector<std::string> choose;  ///< one "choose X if …" line per modality (may be empty)
};

/// Compares modalities (already distinct) attribute by attribute.
CompareResult compare(const KnowledgeBase& kb, const std::vector<const Modality*>& items);

}  // namespace knots
