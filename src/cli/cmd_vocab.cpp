// knots techniques [NAME], conditions, red-flags and sources [ID]: the vocabularies the other
// commands use, and where each statement comes from.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "render/json.hpp"
#include "render/text.hpp"
#include "util/suggest.hpp"

namespace knots::cli {

int run_techniques(Context& ctx, const TechniquesOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  if (!options.name) {
    Context::print(options.json ? render::techniques_json(kb) : render::techniques_text(kb, ctx.style()));
    return 0;
  }
  const Technique* t = kb.techniques.find(*options.name);
  if (!t) {
    throw NotFoundError(fmt::format("no technique '{}'{}", render::sanitize(*options.name),
                                    render::sanitize(did_you_mean(*options.name, kb.techniques.names()))) +
                        "\nSee 'knots techniques' for every technique.");
  }
  Context::print(options.json ? render::technique_json(*t, kb) : render::technique_text(*t, kb, ctx.style()));
  return 0;
}

int run_conditions(Context& ctx, const ConditionsOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  Context::print(options.json ? render::conditions_json(kb) : render::conditions_text(kb, ctx.style()));
  return 0;
}

int run_red_flags(Context& ctx, const RedFlagsOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  Context::print(options.json ? render::red_flags_json(kb) : render::red_flags_text(kb, ctx.style()));
  return 0;
}

int run_sources(Context& ctx, const SourcesOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  if (!options.id) {
    Context::print(options.json ? render::sources_json(kb) : render::sources_text(kb, ctx.style()));
    return 0;
  }
  const Source* src = kb.sources.find(*options.id);
  if (!src) {
    throw NotFoundError(fmt::format("no source '{}'{}", render::sanitize(*options.id),
                                    render::sanitize(did_you_mean(*options.id, kb.sources.names()))) +
                        "\nSee 'knots sources' for every source.");
  }
  Context::print(options.json ? render::source_json(*src, kb) : render::source_text(*src, kb, ctx.style()));
  return 0;
}

}  // namespace knots::cli
