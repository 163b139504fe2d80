// knots completion bash|zsh|fish: a script generated from the command line's own definition.
#include <unordered_set>

#include "cli/commands.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots completion` set.
struct CompletionOptions {
  std::string shell;   ///< bash, zsh or fish
  std::string values;  ///< with --values: print the values of one kind, one per line
  CliSpec spec;
};

int run_completion(Context& ctx, const CompletionOptions& options) {
  if (options.values.empty()) {
    ctx.print(completion_script(options.spec, options.shell));
    return 0;
  }
  // What the scripts ask for at completion time: ids and aliases, written with hyphens (lookup
  // treats spaces and hyphens alike, so "classic-massage" finds Swedish).
  const KnowledgeBase& kb = ctx.kb();
  std::vector<std::string> names;
  auto ids_and_aliases = [&](const auto& catalog) {
    for (const auto& item : catalog.all()) {
      names.push_back(item.id);
      if constexpr (requires { item.aliases; })
        names.insert(names.end(), item.aliases.begin(), item.aliases.end());
    }
  };
  if (options.values == "modality") ids_and_aliases(kb.modalities);
  if (options.values == "technique") ids_and_aliases(kb.techniques);
  if (options.values == "goal") ids_and_aliases(kb.goals);
  if (options.values == "condition") ids_and_aliases(kb.conditions);
  if (options.values == "symptom") ids_and_aliases(kb.red_flags);
  if (options.values == "source") ids_and_aliases(kb.sources);
  // One word per line, as data: the scripts quote what they offer (bash with printf %q, zsh's
  // compadd and fish on their own), so an alias such as "can't pee" or one holding $(...) is offered
  // as the text it is and runs nothing. A word that would not print as itself (a control or an
  // invisible character) or that would break the one-per-line protocol is left out.
  std::unordered_set<std::string> seen;
  std::string out;
  for (const auto& name : names) {
    std::string key = lookup_key(name);
    if (key.empty() || render::sanitize(key) != key || !seen.insert(key).second) continue;
    out += key + "\n";
  }
  ctx.print(out);
  return 0;
}

/// `knots completion` in the table: its flags bound to CompletionOptions, then run_completion.
class CompletionCommand final : public Command {
 public:
  CompletionCommand()
      : Command("completion", "A shell completion script for bash, zsh or fish",
                "Example:\n  source <(knots completion bash)\n  knots completion zsh > ~/.zfunc/_knots\n"
                "  knots completion fish > ~/.config/fish/completions/knots.fish") {}

  void define(Flags& flags) override {
    flags.option("shell", options_.shell, "bash, zsh or fish").choices({"bash", "zsh", "fish"}, "shell");
    flags
        .option("--values", options_.values,
                "Print the values of one kind, one per line (used by the scripts)")
        .choices({"modality", "technique", "goal", "condition", "symptom", "source"}, "kind of value")
        .type_name("KIND");
    flags.command_line(options_.spec);
  }

  int run(Context& ctx) override {
    if (options_.shell.empty() && options_.values.empty()) {
      throw UsageError(
          "completion needs a shell: bash, zsh or fish\nExample: source <(knots completion bash)");
    }
    return run_completion(ctx, options_);
  }

 private:
  CompletionOptions options_;
};

}  // namespace

std::unique_ptr<Command> completion_command() {
  return std::make_unique<CompletionCommand>();
}

}  // namespace knots::cli
