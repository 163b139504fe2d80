// knots show NAME: everything known about one modality.
#include "cli/commands.hpp"
#include "query/pages.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {
namespace {

/// What the flags and arguments of `knots show` set.
struct ShowOptions {
  std::vector<std::string> name;  ///< its words: `knots show deep tissue` needs no quotes
  bool full = false;
};

int run_show(Context& ctx, const ShowOptions& options) {
  // The one modality and what its page cites, from the cache, when the words name it exactly: a
  // page does not need the other modalities (thousands, in a clinic's knowledge base).
  const KnowledgeBase* partial = ctx.kb_with_modalities({joined(options.name, " ")});
  const KnowledgeBase& kb = partial != nullptr ? *partial : ctx.kb();
  const Modality& modality = find_modality(kb, options.name);
  if (ctx.ids()) {
    ctx.print_ids({modality.id});
    return 0;
  }
  const ModalityPage page = modality_page(kb, modality);
  ctx.print(ctx.json()
                ? render::modality_json(page, kb, {{"name", joined(options.name, " ")}}, ctx.json_style())
                : render::modality_text(page, kb, options.full, ctx.style()));
  return 0;
}

/// `knots show` in the table: its flags bound to ShowOptions, then run_show.
class ShowCommand final : public Command {
 public:
  ShowCommand()
      : Command("show", "Everything about one modality",
                "Example:\n  knots show deep tissue\n  knots show classic massage --json") {}

  void define(Flags& flags) override {
    flags.option("name", options_.name, "Id, name or alias, in any case, with or without quotes")
        .values("modality")
        .required()
        .type_name("NAME");
    flags.flag("--full", options_.full, "Everything: every caution with its note, every source in full");
  }

  int run(Context& ctx) override { return run_show(ctx, options_); }

 private:
  ShowOptions options_;
};

}  // namespace

std::unique_ptr<Command> show_command() {
  return std::make_unique<ShowCommand>();
}

}  // namespace knots::cli
