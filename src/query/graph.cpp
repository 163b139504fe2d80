// Edges between modalities: recorded relations first, shared techniques where nothing else links them.
#include "query/graph.hpp"

#include <algorithm>
#include <tuple>

namespace knots {

std::vector<GraphEdge> relation_graph(const KnowledgeBase& kb, std::size_t min_shared) {
  std::vector<GraphEdge> edges;
  auto linked = [&](const std::string& a, const std::string& b, std::string_view relation) {
    return std::any_of(edges.begin(), edges.end(), [&](const GraphEdge& e) {
      return ((e.from == a && e.to == b) || (e.from == b && e.to == a)) && (relation.empty() || e.relation == relation);
    });
  };
  for (const auto& m : kb.modalities.all()) {
    for (const auto& r : m.related) {
      // Two entries that name each other with the same relation make one edge.
      const std::string relation(name_of(r.relation));
      if (linked(m.id, r.id, relation)) continue;
      edges.push_back({m.id, r.id, relation, 0});
    }
  }
  const auto& all = kb.modalities.all();
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      std::size_t shared = 0;
      for (const auto& t : all[i].techniques) {
        shared += std::count(all[j].techniques.begin(), all[j].techniques.end(), t) > 0 ? 1u : 0u;
      }
      if (shared >= min_shared && !linked(all[i].id, all[j].id, "")) {
        edges.push_back({all[i].id, all[j].id, "shares techniques", shared});
      }
    }
  }
  std::sort(edges.begin(), edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
    return std::tie(a.from, a.to, a.relation) < std::tie(b.from, b.to, b.relation);
  });
  return edges;
}

}  // namespace knots
