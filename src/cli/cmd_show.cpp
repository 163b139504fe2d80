// knots show NAME: everything known about one modality.
#include "cli/commands.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

int run_show(Context& ctx, const ShowOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  const Modality& m = find_modality(kb, options.name);
  Context::print(options.json ? render::modality_json(m, kb) : render::modality_text(m, kb, ctx.style()));
  return 0;
}

}  // namespace knots::cli
