// knots techniques [NAME] and knots conditions: the vocabularies the other commands use.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/suggest.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

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

}  // namespace knots::cli
