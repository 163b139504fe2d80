// Edges between modalities: recorded relations first, shared techniques where nothing else links them.
#include "query/graph.hpp"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace knots {

namespace {

/// A pair of modalities (their positions) as one key, the lower first.
std::uint64_t pair_key(std::size_t a, std::size_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

/// The recorded relations as edges: two entries that name each other with the same relation make
/// one edge. Returns the pairs they link, which need no "shares techniques" edge besides.
std::unordered_set<std::uint64_t> add_recorded(const std::vector<Modality>& all, Graph& graph) {
  std::unordered_map<std::string_view, std::size_t> index;  // modality id -> position
  for (std::size_t i = 0; i < all.size(); ++i) index.emplace(all[i].id, i);
  std::set<std::tuple<std::string_view, std::string_view, std::string_view>>
      seen;                                  // (lower, higher, relation)
  std::unordered_set<std::uint64_t> linked;  // pairs (i, j), i < j, with any relation
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (const auto& r : all[i].related) {
      const std::string_view relation = name_of(r.relation);
      const std::string_view a = all[i].id, b = r.id;
      if (!seen.emplace(std::min(a, b), std::max(a, b), relation).second) continue;
      graph.edges.push_back({all[i].id, r.id, std::string(relation), 0});
      if (auto it = index.find(r.id); it != index.end()) linked.insert(pair_key(i, it->second));
    }
  }
  return linked;
}

/// Each modality's techniques (once each) and each technique's modalities (in order): the pairs
/// that share a technique are found through them, without looking at every pair.
struct TechniqueIndex {
  std::vector<std::vector<std::string_view>> techniques;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> users;
  /// How many pairs of modalities share a technique, counted once per technique they share.
  [[nodiscard]] std::size_t pairs() const {
    std::size_t n = 0;
    for (const auto& [technique, list] : users) n += list.size() * (list.size() - 1) / 2;
    return n;
  }
};

/// The technique index of every modality.
TechniqueIndex index_techniques(const std::vector<Modality>& all) {
  TechniqueIndex index;
  index.techniques.resize(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto& own = index.techniques[i];
    own.assign(all[i].techniques.begin(), all[i].techniques.end());
    std::sort(own.begin(), own.end());
    own.erase(std::unique(own.begin(), own.end()), own.end());
    for (auto t : own) index.users[t].push_back(static_cast<std::uint32_t>(i));
  }
  return index;
}

/// A "shares techniques" edge that may be drawn.
struct Candidate {
  std::uint32_t shared, from, to;
};

/// The "shares techniques" edges: for each modality, a count per later modality that shares a
/// technique with it; the best edges are kept in a heap no larger than the cap, the strongest
/// first, then by id, so that the same edges are drawn on every run. Memory stays linear in the
/// modalities.
void add_shared(const std::vector<Modality>& all, const TechniqueIndex& index,
                const std::unordered_set<std::uint64_t>& linked, std::size_t min_shared,
                std::size_t max_shared_edges, Graph& graph) {
  const auto better = [](const Candidate& a, const Candidate& b) {
    return std::tie(b.shared, a.from, a.to) < std::tie(a.shared, b.from, b.to);
  };
  std::vector<Candidate> kept;  // a heap whose front is the weakest kept edge
  std::vector<std::uint32_t> counts(all.size(), 0);
  std::vector<std::uint32_t> touched;
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (auto t : index.techniques[i]) {
      const auto& list = index.users.at(t);
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

}  // namespace

Graph relation_graph(const KnowledgeBase& kb, std::size_t min_shared, std::size_t max_shared_edges) {
  Graph graph;
  const auto& all = kb.modalities.all();
  const std::unordered_set<std::uint64_t> linked = add_recorded(all, graph);
  const TechniqueIndex index = index_techniques(all);
  if (index.pairs() > kMaxSharedPairs) {
    graph.shares_skipped = true;
  } else {
    add_shared(all, index, linked, min_shared, max_shared_edges, graph);
  }
  std::sort(graph.edges.begin(), graph.edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
    return std::tie(a.from, a.to, a.relation) < std::tie(b.from, b.to, b.relation);
  });
  return graph;
}

}  // namespace knots
