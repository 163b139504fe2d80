// knots graph: the relations between modalities as Graphviz DOT or Mermaid.
#include "cli/commands.hpp"
#include "query/graph.hpp"
#include "render/graph.hpp"
#include "render/json.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots graph` set.
struct GraphOptions {
  std::string format = "dot";
};

int run_graph(Context& ctx, const GraphOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  const Graph graph = relation_graph(kb);
  if (ctx.json()) {
    ctx.print(render::graph_json(graph, kb, ctx.json_style()));
    return 0;
  }
  ctx.print(options.format == "mermaid" ? render::graph_mermaid(kb, graph) : render::graph_dot(kb, graph));
  return 0;
}

/// `knots graph` in the table: its flags bound to GraphOptions, then run_graph.
class GraphCommand final : public Command {
 public:
  GraphCommand()
      : Command("graph", "The relations between modalities, as Graphviz DOT or Mermaid",
                "Example:\n  knots graph | dot -Tsvg > knots.svg\n  knots graph --format mermaid") {}

  void define(Flags& flags) override {
    flags.option("--format", options_.format, "dot (default) or mermaid")
        .choices({"dot", "mermaid"}, "graph format")
        .type_name("FORMAT");
  }

  int run(Context& ctx) override {
    ctx.refuse_ids(name());
    return run_graph(ctx, options_);
  }

 private:
  GraphOptions options_;
};

}  // namespace

std::unique_ptr<Command> graph_command() {
  return std::make_unique<GraphCommand>();
}

}  // namespace knots::cli
