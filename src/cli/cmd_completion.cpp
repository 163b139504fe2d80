// knots completion bash|zsh|fish: a script generated from the command line's own definition.
#include <unordered_set>

#include "cli/commands.hpp"
#include "render/json.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots completion` set.
struct CompletionOptions {
  std::string shell;   ///< bash, zsh or fish
  std::string values;  ///< with --values: print the values of one kind, one per line
  std::string prefix;  ///< with --values: only those that start with this (as a lookup key)
  CliSpec spec;
};

/// One value offered by the scripts, with what it names ("Swedish massage").
struct Offer {
  std::string word;
  std::string about;
};

/// Whether `key` starts with the typed prefix, compared as lookup keys ("Cla" finds
/// "classic-massage"; a trailing space or hyphen must be followed by more of the name).
bool starts_with_typed(const std::string& key, const std::string& typed) {
  std::string want = lookup_key(typed);
  if (!typed.empty() && !want.empty() && (typed.back() == ' ' || typed.back() == '-' || typed.back() == '_'))
    want += '-';
  return key.starts_with(want);
}

/// A word as the scripts can offer it: a lookup key that prints as itself (no control or
/// invisible character, nothing that breaks the one-per-line protocol), else "".
std::string offerable(const std::string& text) {
  std::string key = lookup_key(text);
  return render::sanitize(key) == key ? key : "";
}

/// The values of one catalog that match what was typed: its ids, in the knowledge base's order;
/// its names and aliases (as lookup keys, "classic-massage") only when no id matches, so that TAB
/// on nothing shows one word per entry.
template <typename Catalog>
std::vector<Offer> offers_of(const Catalog& catalog, const std::string& typed) {
  std::vector<Offer> ids;
  std::vector<Offer> others;
  for (const auto& item : catalog.all()) {
    std::string about;
    if constexpr (requires { item.title; }) about = item.title;
    if constexpr (requires { item.name; }) about = item.name;
    if (render::sanitize(about) != about) about.clear();
    if (render::sanitize(item.id) == item.id && starts_with_typed(lookup_key(item.id), typed))
      ids.push_back({item.id, about});  // as written ("S1"): an id needs no quoting
    std::vector<std::string> words;
    if constexpr (requires { item.name; }) words.push_back(item.name);
    if constexpr (requires { item.aliases; })
      words.insert(words.end(), item.aliases.begin(), item.aliases.end());
    for (const auto& w : words) {
      if (std::string key = offerable(w); !key.empty() && starts_with_typed(key, typed))
        others.push_back({key, about});
    }
  }
  return ids.empty() ? others : ids;
}

/// `knots completion --values KIND`: one value per line, a tab, then what it names. The scripts
/// quote what they offer (bash with printf %q, zsh's compadd and fish on their own), so an alias
/// such as "can't pee" or one holding $(...) is offered as the text it is and runs nothing.
std::string values_text(const KnowledgeBase& kb, const CompletionOptions& options) {
  std::vector<Offer> offers;
  const std::string& kind = options.values;
  if (kind == "modality") offers = offers_of(kb.modalities, options.prefix);
  if (kind == "technique") offers = offers_of(kb.techniques, options.prefix);
  if (kind == "goal") offers = offers_of(kb.goals, options.prefix);
  if (kind == "condition") offers = offers_of(kb.conditions, options.prefix);
  if (kind == "symptom") offers = offers_of(kb.red_flags, options.prefix);
  if (kind == "source") offers = offers_of(kb.sources, options.prefix);
  if (kind == "topic") offers = offers_of(kb.guide, options.prefix);
  if (kind == "self-care") offers = offers_of(kb.self_care, options.prefix);
  if (kind == "area") offers = offers_of(kb.areas, options.prefix);
  std::unordered_set<std::string> seen;
  std::string out;
  for (const auto& offer : offers) {
    if (!seen.insert(offer.word).second) continue;
    out += offer.about.empty() ? offer.word + "\n" : offer.word + "\t" + offer.about + "\n";
  }
  return out;
}

int run_completion(Context& ctx, const CompletionOptions& options) {
  if (ctx.json()) {
    if (!options.values.empty())
      throw UsageError(
          "--values writes lines for the completion scripts; --json goes with 'knots completion SHELL'");
    ctx.print(render::completion_json(options.shell, completion_script(options.spec, options.shell),
                                      ctx.json_style()));
    return 0;
  }
  ctx.print(options.values.empty() ? completion_script(options.spec, options.shell)
                                   : values_text(ctx.kb(), options));
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
        .choices(
            {"modality", "technique", "goal", "condition", "symptom", "source", "topic", "self-care", "area"},
            "kind of value")
        .type_name("KIND");
    flags.option("--prefix", options_.prefix, "With --values: ids starting with TEXT, else aliases")
        .type_name("TEXT");
    flags.command_line(options_.spec);
  }

  int run(Context& ctx) override {
    ctx.refuse_ids(name());
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
