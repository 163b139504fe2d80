// knots completion bash|zsh|fish: a script generated from the command line's own definition.
#include <unordered_set>

#include "cli/commands.hpp"

namespace knots::cli {

int run_completion(Context& ctx, const CompletionOptions& options) {
  if (options.values.empty()) {
    Context::print(completion_script(options.spec, options.shell));
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
  Context::print(out);
  return 0;
}

}  // namespace knots::cli
