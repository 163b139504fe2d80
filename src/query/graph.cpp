// Edges between modalities: recorded relations first, shared techniques where nothing else links them.
#include "query/graph.hpp"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace knots {

Graph relation_graph(const KnowledgeBase& kb, std::size_t min_shared, std::size_t max_shared_edges) {
  Graph graph;
  const auto& all = kb.modalities.all();
  std::unordered_map<std::string_view, std::size_t> index;  // modality id -> position
  for (std::size_t i = 0; i < all.size(); ++i) index.emplace(all[i].id, i);

  // Recorded relations; two entries that name each other with the same relation make one edge.
  std::set<std::tuple<std::string_view, std::string_view, std::string_view>>
      seen;                                  // (lower, higher, relation)
  std::unordered_set<std::uint64_t> linked;  // pairs (i, j), i < j, with any relation
  auto pair_key = [](std::size_t a, std::size_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | b;
  };
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (const auto& r : all[i].related) {
      const std::string_view relation = name_of(r.relation);
      const std::string_view a = all[i].id, b = r.id;
      if (!seen.emplace(std::min(a, b), std::max(a, b), relation).second) continue;
      graph.edges.push_back({all[i].id, r.id, std::string(relation), 0});
      if (auto it = index.find(r.id); it != index.end()) linked.insert(pair_key(i, it->second));
    }
  }

  // Shared techniques: each technique's modalities, then a count per pair that shares one.
  std::vector<std::vector<std::string_view>> techniques(all.size());  // each modality's, once each
  std::unordered_map<std::string_view, std::vector<std::uint32_t>>
      users;  // technique -> modalities, in order
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto& own = techniques[i];
    own.assign(all[i].techniques.begin(), all[i].techniques.end());
    std::sort(own.begin(), own.end());
    own.erase(std::unique(own.begin(), own.end()), own.end());
    for (auto t : own) users[t].push_back(static_cast<std::uint32_t>(i));
  }
  std::size_t pairs = 0;
  for (const auto& [technique, list] : users) pairs += list.size() * (list.size() - 1) / 2;
  if (pairs > kMaxSharedPairs) {
    graph.shares_skipped = true;
  } else {
    // For each modality, a count per later modality that shares a technique with it; the best
    // edges are kept in a heap no larger than the cap, the strongest first, then by id, so that
    // the same edges are drawn on every run. Memory stays linear in the modalities.
    struct Candidate {
      std::uint32_t shared, from, to;
    };
    const auto better = [](const Candidate& a, const Candidate& b) {
      return std::tie(b.shared, a.from, a.to) < std::tie(a.shared, b.from, b.to);
    };
    std::vector<Candidate> kept;  // a heap whose front is the weakest kept edge
    std::vector<std::uint32_t> counts(all.size(), 0);
    std::vector<std::uint32_t> touched;
    for (std::size_t i = 0; i < all.size(); ++i) {
      for (auto t : techniques[i]) {
        const auto& list = users[t];
        for (auto it = std::upper_bound(list.begin(), list.end(), static_cast<std::uint32_t>(i));
             it != list.end(); ++it) {
          if (counts[*it]++ == 0) touched.push_back(*it);
        }
      }
      for (const std::uint32_t j : touched) {
        if (counts[j] >= min_shared && linked.count(pair_key(i, j)) == 0) {
          kept.push_back({counts[j], static_cast<std::uint32_t>(i), j});
          std::push_heap(kept.begin(), kept.end(), better);
          if (kept.size() > max_shared_edges) {
            std::pop_heap(kept.begin(), kept.end(), better);
            kept.pop_back();
            ++graph.shares_left_out;
          }
        }
        counts[j] = 0;
      }
      touched.clear();
    }
    for (const auto& c : kept)
      graph.edges.push_back({all[c.from].id, all[c.to].id, "shares techniques", c.shared});
  }
  std::sort(graph.edges.begin(), graph.edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
    return std::tie(a.from, a.to, a.relation) < std::tie(b.from, b.to, b.relation);
  });
  return graph;
}

}  // namespace knots
