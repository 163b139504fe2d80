// The relations between modalities, as edges for a picture (knots graph).
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

struct GraphEdge {
  std::string from;
  std::string to;
  std::string relation;  ///< "combines", "complements", "similar" or "shares techniques"
  std::size_t shared = 0;  ///< for "shares techniques": how many
};

/// The knowledge base's own relations, plus "shares techniques" between modalities that have at
/// least `min_shared` techniques in common and no other relation. Sorted by from, to, relation.
std::vector<GraphEdge> relation_graph(const KnowledgeBase& kb, std::size_t min_shared = 3);

}  // namespace knots
