// The relations between modalities, as edges for a picture (knots graph).
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

struct GraphEdge {
  std::string from;
  std::string to;
  std::string relation;    ///< "combines", "complements", "similar" or "shares techniques"
  std::size_t shared = 0;  ///< for "shares techniques": how many
};

struct Graph {
  std::vector<GraphEdge> edges;     ///< sorted by from, to, relation
  std::size_t shares_left_out = 0;  ///< "shares techniques" edges beyond the cap
  bool shares_skipped = false;      ///< too many pairs share a technique to count them at all
};

/// At most this many "shares techniques" edges are drawn (the strongest first): more is no longer
/// a picture anyone can read.
inline constexpr std::size_t kMaxSharedEdges = 1000;
/// Counting shared techniques looks at every pair of modalities that have one in common; past this
/// many pairs the counting is skipped, so that the work stays bounded by the input.
inline constexpr std::size_t kMaxSharedPairs = 20'000'000;

/// The knowledge base's own relations, plus "shares techniques" between modalities that have at
/// least `min_shared` techniques in common and no other relation. Linear in the relations, and in
/// the pairs that share a technique (up to kMaxSharedPairs).
Graph relation_graph(const KnowledgeBase& kb, std::size_t min_shared = 3,
                     std::size_t max_shared_edges = kMaxSharedEdges);

}  // namespace knots
