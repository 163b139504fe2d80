// knots search TEXT…: ranked matches over every text field, with snippets.
#include <cstdio>

#include "cli/commands.hpp"
#include "query/search.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots search` set.
struct SearchOptions {
  std::vector<std::string> terms;
  bool any = false;
};

int run_search(Context& ctx, const SearchOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  const SearchResult result = search(kb, options.terms, options.any);
  if (ctx.ids()) {
    std::vector<std::string> ids;
    for (const auto& hit : result.hits) ids.push_back(hit.id);
    ctx.print_ids(ids);
  }
  if (ctx.json()) {
    ctx.print(render::search_json(result, options.terms, options.any, ctx.json_style()));
    return 0;
  }
  if (!ctx.ids()) ctx.print(render::search_text(result, ctx.style()));
  std::fputs(render::search_message_text(result, options.terms, options.any, ctx.style()).c_str(), stderr);
  return 0;
}

/// `knots search` in the table: its flags bound to SearchOptions, then run_search.
class SearchCommand final : public Command {
 public:
  SearchCommand()
      : Command("search",
                "Ranked full-text search over modalities, techniques, conditions, red flags, self-care, "
                "goals and "
                "guide topics",
                "Example:\n  knots search knot between the shoulder blades\n  knots search heated stones\n  "
                "knots search --any oil heat "
                "--json | "
                "jq -r '.items[].id'") {}

  void define(Flags& flags) override {
    flags.option("text", options_.terms, "Words to find (every one must match unless --any)")
        .required()
        .type_name("TEXT");
    flags.flag("--any", options_.any, "Match any of the words, not all");
  }

  int run(Context& ctx) override { return run_search(ctx, options_); }

 private:
  SearchOptions options_;
};

}  // namespace

std::unique_ptr<Command> search_command() {
  return std::make_unique<SearchCommand>();
}

}  // namespace knots::cli
