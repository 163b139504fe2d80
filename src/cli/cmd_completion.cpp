// knots completion bash|zsh|fish: a script generated from the command line's own definition.
#include <algorithm>

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
      if constexpr (requires { item.aliases; }) names.insert(names.end(), item.aliases.begin(), item.aliases.end());
    }
  };
  if (options.values == "modality") ids_and_aliases(kb.modalities);
  if (options.values == "technique") ids_and_aliases(kb.techniques);
  if (options.values == "goal") ids_and_aliases(kb.goals);
  if (options.values == "condition") ids_and_aliases(kb.conditions);
  if (options.values == "symptom") ids_and_aliases(kb.red_flags);
  if (options.values == "source") ids_and_aliases(kb.sources);
  // Only words a shell takes as they are: an alias with a quote or a $ ("can't pee") would be read
  // as shell syntax by compgen -W, so it is left to be typed (lookup still finds it).
  const auto plain = [](const std::string& word) {
    return std::all_of(word.begin(), word.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    });
  };
  std::vector<std::string> words;
  for (const auto& name : names) {
    const std::string key = lookup_key(name);
    if (!key.empty() && plain(key) && std::find(words.begin(), words.end(), key) == words.end()) words.push_back(key);
  }
  std::string out;
  for (const auto& w : words) out += render::sanitize(w) + "\n";
  Context::print(out);
  return 0;
}

}  // namespace knots::cli
