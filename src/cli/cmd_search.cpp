// knots search TEXT…: ranked matches over every text field, with snippets.
#include <cstdio>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/search.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

int run_search(Context& ctx, const SearchOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  const SearchResult result = search(kb, options.terms, options.any);
  if (options.json) {
    Context::print(render::search_json(result, options.terms, options.any));
    return 0;
  }
  Context::print(render::search_text(result, ctx.style()));
  if (result.hits.empty()) {
    std::string query;
    for (const auto& t : options.terms) query += (query.empty() ? "" : " ") + t;
    std::string hint;
    for (const auto& h : result.hints) hint += (hint.empty() ? "" : ", ") + ("'" + h + "'");
    std::string message = fmt::format("knots: no match for '{}'", render::sanitize(query));
    if (!hint.empty())
      message += fmt::format("; closest words in the knowledge base: {}", render::sanitize(hint));
    if (!options.any && options.terms.size() > 1) message += "; --any matches any of the words";
    std::fputs((message + "\n").c_str(), stderr);
  }
  return 0;
}

}  // namespace knots::cli
