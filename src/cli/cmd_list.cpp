// knots list: one line per modality, narrowed by filters.
#include "cli/commands.hpp"
#include "query/filter.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {
namespace {

/// What the flags and arguments of `knots list` set.
struct ListOptions {
  std::optional<std::string> pressure;
  std::vector<std::string> techniques;
  std::vector<std::string> goals;
  std::vector<std::string> areas;
  bool clothed = false;
  bool no_oil = false;
  bool heat = false;
};

int run_list(Context& ctx, const ListOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  ListFilter filter;
  filter.pressure = pressure_option(options.pressure);
  Missing missing;
  filter.techniques =
      missing([&] { return resolve_ids(kb.techniques, options.techniques, "--technique", "technique"); });
  filter.goals = missing([&] { return resolve_ids(kb.goals, options.goals, "--goal", "goal"); });
  filter.areas = missing([&] { return resolve_ids(kb.areas, options.areas, "--area", "area"); });
  missing.check();
  filter.clothed = options.clothed;
  filter.no_oil = options.no_oil;
  filter.heat = options.heat;
  const auto items = filter_modalities(kb, filter);
  if (ctx.ids()) {
    ctx.print_ids(ids_of(items));
    return 0;
  }
  if (ctx.json()) {
    ctx.print_pieces(
        [&](const auto& write) { render::list_json(items, kb, filter, ctx.json_style(), write); });
  } else {
    ctx.print(render::list_text(items, ctx.style()));
  }
  return 0;
}

/// `knots list` in the table: its flags bound to ListOptions, then run_list.
class ListCommand final : public Command {
 public:
  ListCommand()
      : Command(
            "list", "One line per modality: id, name, pressure, summary",
            "Example:\n  knots list --pressure firm --clothed\n  knots list --json | jq -r '.items[].id'") {}

  void define(Flags& flags) override {
    flags.option("--pressure", options_.pressure, "Only those whose pressure range includes LEVEL")
        .pressure()
        .type_name("LEVEL");
    flags.option("--technique", options_.techniques, "Only those that use TECHNIQUE (repeatable)")
        .values("technique")
        .type_name("TECHNIQUE")
        .single();
    flags.option("--goal", options_.goals, "Only those that serve GOAL (repeatable)")
        .values("goal")
        .type_name("GOAL")
        .single();
    flags
        .option("--area", options_.areas, "Only those that reach a knot in AREA, well or partly (repeatable)")
        .values("area")
        .type_name("AREA")
        .single();
    flags.flag("--clothed", options_.clothed, "Only those you can have fully clothed");
    flags.flag("--no-oil", options_.no_oil, "Only those you can have without oil");
    flags.flag("--heat", options_.heat, "Only those that use heat");
  }

  int run(Context& ctx) override { return run_list(ctx, options_); }

 private:
  ListOptions options_;
};

}  // namespace

std::unique_ptr<Command> list_command() {
  return std::make_unique<ListCommand>();
}

}  // namespace knots::cli
