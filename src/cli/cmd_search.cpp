// knots search TEXT…: ranked matches over every text field, with snippets.
#include <cstdio>
#include <deque>

#include "cli/commands.hpp"
#include "query/search.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots search` set.
struct SearchOptions {
  std::vector<std::string> terms;
  bool all = false;
  bool any = false;  ///< the default; accepted, as before ranking made it so
  std::size_t top = 10;
};

int run_search(Context& ctx, const SearchOptions& options) {
  if (options.all && options.any)
    throw UsageError(
        "--all and --any ask for opposite things; give one (ranking by any word is the default)");
  SearchQuery query{options.terms, options.all ? Match::all : Match::any, options.top};
  SearchResult result;
  const load::CachedModel* cached = ctx.cached();
  if (cached && !cached->extra().empty()) {
    // The index kept with the cache, and only the entries it asks for: a large knowledge base is
    // never decoded whole. Each part asked for stays until the search is done.
    std::deque<KnowledgeBase> parts;
    auto fetch = [&](const Selection& which) -> const KnowledgeBase& {
      if (auto part = cached->decode(which)) return parts.emplace_back(std::move(*part));
      return ctx.kb();  // damaged after all: the whole knowledge base, loaded
    };
    result = search(cached->extra(), fetch, query);
  } else {
    result = search(ctx.kb(), query);
  }
  if (ctx.ids()) {
    std::vector<std::string> ids;
    for (const auto& hit : result.hits) ids.push_back(hit.id);
    ctx.print_ids(ids);
  }
  if (ctx.json()) {
    ctx.print(render::search_json(result, query, ctx.json_style()));
    return 0;
  }
  if (!ctx.ids()) ctx.print(render::search_text(result, ctx.style()));
  // With --ids, stdout holds ids only: what a mistyped word was read as is said on stderr.
  if (ctx.ids()) std::fputs(render::search_read_as_text(result, ctx.style()).c_str(), stderr);
  std::fputs(render::search_message_text(result, query, ctx.style()).c_str(), stderr);
  return 0;
}

/// `knots search` in the table: its flags bound to SearchOptions, then run_search.
class SearchCommand final : public Command {
 public:
  SearchCommand()
      : Command("search",
                "Ranked search, in everyday words, over styles, techniques, conditions, warning signs, "
                "self-care, goals, guide topics, areas of the back and sources",
                "Examples:\n  knots search knot between my shoulder blades\n  knots search tennis ball\n  "
                "knots search sore after massage --json | jq -r '.items[].id'") {}

  void define(Flags& flags) override {
    flags.option("text", options_.terms, "Words to find, in any order; the best matches come first")
        .required()
        .type_name("TEXT");
    flags.flag("--all", options_.all, "Only entries that hold every word");
    flags.flag("--any", options_.any, "Rank entries that hold any of the words (the default)");
    flags.option("--top", options_.top, "How many matches to show (default 10), after any warning sign")
        .range(1, 1000)
        .type_name("N");
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
