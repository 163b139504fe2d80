// DOT and Mermaid text for the relation graph; labels are escaped for each language.
#include "render/graph.hpp"

#include <fmt/format.h>

#include "render/term.hpp"

namespace knots::render {
namespace {

std::string dot_string(const std::string& text) {
  std::string out = "\"";
  for (char c : sanitize(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// Mermaid node ids: "m_" and the id with underscores for hyphens (ids are lowercase letters,
/// digits and hyphens, so this is one-to-one), which no Mermaid keyword (end, style, click, graph,
/// subgraph, class…) can be, and which never starts with the o or x of a circle or cross edge.
std::string mermaid_id(const std::string& id) {
  std::string out = "m_";
  for (char c : id) out += (c == '-') ? '_' : c;
  return out;
}

/// A quoted label, with Mermaid's entity codes for what it would read as markup: quotes, HTML
/// (labels may be rendered as HTML), and # itself, which starts an entity code.
std::string mermaid_label(const std::string& text) {
  std::string out;
  for (char c : sanitize(text)) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      default:
        out += c;
    }
  }
  return "\"" + out + "\"";
}

/// What the picture leaves out, as comment lines ("//" in DOT, "%%" in Mermaid).
std::string left_out(const Graph& graph, std::string_view comment) {
  if (graph.shares_skipped) {
    return fmt::format(
        "{} 'shares techniques' edges left out: too many pairs of modalities share a technique "
        "(over {}) to count them\n",
        comment, kMaxSharedPairs);
  }
  if (graph.shares_left_out > 0) {
    return fmt::format("{} {} more 'shares techniques' edges left out: only the {} strongest are drawn\n",
                       comment, graph.shares_left_out, kMaxSharedEdges);
  }
  return {};
}

std::string edge_label(const GraphEdge& e) {
  return e.shared > 0 ? fmt::format("shares {} techniques", e.shared) : e.relation;
}

}  // namespace

std::string graph_dot(const KnowledgeBase& kb, const Graph& graph) {
  std::string out = "// knots graph: relations between massage modalities (render with: dot -Tsvg)\n";
  out += left_out(graph, "//");
  out += "digraph knots {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  for (const auto& m : kb.modalities.all()) {
    out += fmt::format("  {} [label={}];\n", dot_string(m.id), dot_string(m.name));
  }
  for (const auto& e : graph.edges) {
    std::string attrs = fmt::format("label={}", dot_string(edge_label(e)));
    if (e.relation == "similar") attrs += ", dir=none";
    if (e.shared > 0) attrs += ", dir=none, style=dashed, color=gray50, fontcolor=gray40";
    out += fmt::format("  {} -> {} [{}];\n", dot_string(e.from), dot_string(e.to), attrs);
  }
  return out + "}\n";
}

std::string graph_mermaid(const KnowledgeBase& kb, const Graph& graph) {
  std::string out = "flowchart LR\n";
  out += left_out(graph, "%%");
  for (const auto& m : kb.modalities.all())
    out += fmt::format("  {}[{}]\n", mermaid_id(m.id), mermaid_label(m.name));
  for (const auto& e : graph.edges) {
    const char* arrow = e.shared > 0 ? "-.-" : e.relation == "similar" ? "---" : "-->";
    out += fmt::format("  {} {}|{}| {}\n", mermaid_id(e.from), arrow, mermaid_label(edge_label(e)),
                       mermaid_id(e.to));
  }
  return out;
}

}  // namespace knots::render
