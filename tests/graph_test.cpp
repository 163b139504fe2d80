// knots graph: linear in its edges, a cap on "shares techniques" that the output states, and
// Mermaid that no id or name can break.
#include <doctest/doctest.h>

#include <algorithm>
#include <fmt/format.h>

#include "query/graph.hpp"
#include "render/graph.hpp"

namespace {

/// `n` modalities m00000…, each with the techniques `techniques(i)`.
template <class F>
knots::KnowledgeBase modalities(std::size_t n, F techniques) {
  std::vector<knots::Modality> all(n);
  for (std::size_t i = 0; i < n; ++i) {
    all[i].id = fmt::format("m{:05}", i);
    all[i].name = fmt::format("Modality {}", i);
    all[i].techniques = techniques(i);
  }
  knots::KnowledgeBase kb;
  kb.modalities = knots::Catalog<knots::Modality>(std::move(all));
  return kb;
}

std::size_t count(const knots::Graph& g, std::string_view relation) {
  return static_cast<std::size_t>(std::count_if(
      g.edges.begin(), g.edges.end(), [&](const knots::GraphEdge& e) { return e.relation == relation; }));
}

}  // namespace

TEST_CASE("shares techniques: counted per pair, recorded relations win, each pair once") {
  auto kb = modalities(4, [](std::size_t i) {
    std::vector<std::string> t = {"a", "b", "c"};
    if (i == 3) t = {"a", "b", "x"};
    return t;
  });
  // m00000 and m00001 are related both ways: one edge, and no "shares techniques" between them.
  std::vector<knots::Modality> all = kb.modalities.all();
  all[0].related = {{"m00001", knots::Relation::similar}};
  all[1].related = {{"m00000", knots::Relation::similar}};
  kb.modalities = knots::Catalog<knots::Modality>(std::move(all));
  const auto g = knots::relation_graph(kb);
  CHECK(count(g, "similar") == 1);
  CHECK(count(g, "shares techniques") == 2);  // 0-2 and 1-2 share a, b, c; m00003 shares only two
  for (const auto& e : g.edges) {
    if (e.relation == "shares techniques") CHECK(e.shared == 3);
  }
  CHECK(g.shares_left_out == 0);
  CHECK_FALSE(g.shares_skipped);
}

TEST_CASE("a large base: the strongest edges up to the cap, and how many were left out") {
  // 1,000 modalities that all share three techniques: 499,500 pairs.
  const std::size_t n = 1000;
  auto kb = modalities(n, [](std::size_t i) {
    std::vector<std::string> t = {"a", "b", "c"};
    if (i % 100 == 0) t.push_back("d");  // 10 modalities share four: the strongest edges
    return t;
  });
  const auto g = knots::relation_graph(kb);
  CHECK(g.edges.size() == knots::kMaxSharedEdges);
  CHECK(g.shares_left_out == n * (n - 1) / 2 - knots::kMaxSharedEdges);
  CHECK(std::count_if(g.edges.begin(), g.edges.end(), [](const auto& e) { return e.shared == 4; }) ==
        10 * 9 / 2);
  // The same edges on every run.
  CHECK(knots::relation_graph(kb).edges.size() == g.edges.size());
  CHECK(knots::render::graph_dot(kb, g).find("// 498500 more 'shares techniques' edges left out") !=
        std::string::npos);
  CHECK(knots::render::graph_mermaid(kb, g).find("%% 498500 more 'shares techniques' edges left out") !=
        std::string::npos);
}

TEST_CASE("more pairs than the counting bound: shares techniques skipped, and said") {
  const std::size_t n = 6400;  // one technique in common: 20,476,800 pairs
  auto kb = modalities(n, [](std::size_t) { return std::vector<std::string>{"a"}; });
  const auto g = knots::relation_graph(kb);
  CHECK(g.shares_skipped);
  CHECK(g.edges.empty());
  CHECK(knots::render::graph_dot(kb, g).find("too many pairs of modalities share a technique") !=
        std::string::npos);
}

TEST_CASE("Mermaid: ids that are Mermaid keywords, and names with HTML, quotes and #") {
  std::vector<knots::Modality> all;
  for (const char* id :
       {"end", "style", "click", "graph", "subgraph", "class", "classdef", "o", "x-ray", "default"}) {
    knots::Modality m;
    m.id = id;
    m.name = "<b>bold</b> & \"quoted\" #quot; end";
    m.techniques = {"a", "b", "c"};
    all.push_back(m);
  }
  all[0].related = {{"style", knots::Relation::combines}};
  knots::KnowledgeBase kb;
  kb.modalities = knots::Catalog<knots::Modality>(std::move(all));
  const std::string out = knots::render::graph_mermaid(kb, knots::relation_graph(kb));
  CHECK(out.find("<") == std::string::npos);
  CHECK(out.find("&") == std::string::npos);
  CHECK(out.find("#quot;quoted#quot;") != std::string::npos);
  CHECK(out.find("#35;quot;") != std::string::npos);
  CHECK(out.find("  m_end[") != std::string::npos);
  CHECK(out.find("  m_x_ray[") != std::string::npos);
  CHECK(out.find("  m_end -->|\"combines\"| m_style\n") != std::string::npos);
  // Every line after the header is a node or an edge whose ids start with m_.
  std::size_t lines = 0;
  for (std::size_t at = out.find('\n') + 1; at < out.size(); at = out.find('\n', at) + 1) {
    CHECK(out.compare(at, 4, "  m_") == 0);
    ++lines;
  }
  CHECK(lines > 10);
}
