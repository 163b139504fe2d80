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

/// Mermaid node ids are letters, digits and underscores.
std::string mermaid_id(const std::string& id) {
  std::string out;
  for (char c : id) out += (c == '-') ? '_' : c;
  return out;
}

std::string mermaid_label(const std::string& text) {
  std::string out;
  for (char c : sanitize(text)) out += c == '"' ? std::string("#quot;") : std::string(1, c);
  return "\"" + out + "\"";
}

std::string edge_label(const GraphEdge& e) {
  return e.shared > 0 ? fmt::format("shares {} techniques", e.shared) : e.relation;
}

}  // namespace

std::string graph_dot(const KnowledgeBase& kb, const std::vector<GraphEdge>& edges) {
  std::string out = "// knots graph: relations between massage modalities (render with: dot -Tsvg)\n";
  out += "digraph knots {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  for (const auto& m : kb.modalities.all()) {
    out += fmt::format("  {} [label={}];\n", dot_string(m.id), dot_string(m.name));
  }
  for (const auto& e : edges) {
    std::string attrs = fmt::format("label={}", dot_string(edge_label(e)));
    if (e.relation == "similar") attrs += ", dir=none";
    if (e.shared > 0) attrs += ", dir=none, style=dashed, color=gray50, fontcolor=gray40";
    out += fmt::format("  {} -> {} [{}];\n", dot_string(e.from), dot_string(e.to), attrs);
  }
  return out + "}\n";
}

std::string graph_mermaid(const KnowledgeBase& kb, const std::vector<GraphEdge>& edges) {
  std::string out = "flowchart LR\n";
  for (const auto& m : kb.modalities.all()) out += fmt::format("  {}[{}]\n", mermaid_id(m.id), mermaid_label(m.name));
  for (const auto& e : edges) {
    const char* arrow = e.shared > 0 ? "-.-" : e.relation == "similar" ? "---" : "-->";
    out += fmt::format("  {} {}|{}| {}\n", mermaid_id(e.from), arrow, mermaid_label(edge_label(e)), mermaid_id(e.to));
  }
  return out;
}

}  // namespace knots::render
