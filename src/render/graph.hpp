// The relation graph as Graphviz DOT or as a Mermaid flowchart for Markdown.
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/graph.hpp"

namespace knots::render {

std::string graph_dot(const KnowledgeBase& kb, const Graph& graph);
std::string graph_mermaid(const KnowledgeBase& kb, const Graph& graph);

}  // namespace knots::render
