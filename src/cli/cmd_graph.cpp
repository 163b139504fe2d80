// knots graph: the relations between modalities as Graphviz DOT or Mermaid.
#include "cli/commands.hpp"
#include "query/graph.hpp"
#include "render/graph.hpp"

namespace knots::cli {

int run_graph(Context& ctx, const GraphOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  const Graph graph = relation_graph(kb);
  Context::print(options.format == "mermaid" ? render::graph_mermaid(kb, graph)
                                             : render::graph_dot(kb, graph));
  return 0;
}

}  // namespace knots::cli
