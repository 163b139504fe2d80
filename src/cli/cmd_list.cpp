// knots list: one line per modality, narrowed by filters.
#include "cli/commands.hpp"
#include "query/filter.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

int run_list(Context& ctx, const ListOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  ListFilter filter;
  filter.pressure = pressure_option(options.pressure);
  filter.techniques = resolve_ids(kb.techniques, options.techniques, "--technique", "technique");
  filter.goals = resolve_ids(kb.goals, options.goals, "--goal", "goal");
  filter.clothed = options.clothed;
  filter.no_oil = options.no_oil;
  filter.heat = options.heat;
  const auto items = filter_modalities(kb, filter);
  Context::print(options.json ? render::list_json(items, kb) : render::list_text(items, ctx.style()));
  return 0;
}

}  // namespace knots::cli
