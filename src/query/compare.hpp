// knots compare: modalities side by side, what differs first, what they share, and when to choose which.
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

/// One attribute across the compared modalities.
struct CompareRow {
  std::string field;                ///< stable key for JSON: "pressure", "setting.oil" …
  std::string label;                ///< for people: "Pressure", "Oil" …
  std::vector<std::string> values;  ///< one per compared modality, in order
  bool differs = false;
  std::vector<std::string> shared;  ///< for list attributes: what every one of them has
};

struct CompareResult {
  std::vector<const Modality*> items;
  std::vector<CompareRow> rows;     ///< differing rows first, each group in a fixed field order
  std::vector<std::string> choose;  ///< one "choose X if …" line per modality (may be empty)
};

/// Compares modalities (already distinct) attribute by attribute.
CompareResult compare(const KnowledgeBase& kb, const std::vector<const Modality*>& items);

}  // namespace knots
