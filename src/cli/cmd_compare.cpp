// knots compare NAME NAME [NAME…]: side by side, differences first.
#include <algorithm>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/compare.hpp"
#include "query/pages.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots compare` set.
struct CompareOptions {
  std::vector<std::string> names;
  bool diff = false;
};

/// Every run of consecutive words, joined by spaces, as the words are read as names
/// (find_modalities): at most kMostWords words, else none.
std::vector<std::string> runs_of(const std::vector<std::string>& words) {
  constexpr std::size_t kMostWords = 32;
  std::vector<std::string> runs;
  if (words.size() > kMostWords) return runs;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string run;
    for (std::size_t end = i; end < words.size(); ++end) {
      run += (end > i ? " " : "") + words[end];
      runs.push_back(run);
    }
  }
  return runs;
}

int run_compare(Context& ctx, const CompareOptions& options) {
  // The modalities the words can name, and what their pages cite, from the cache: a comparison
  // does not need the other modalities (thousands, in a clinic's knowledge base). They hold every
  // modality any run of the words names, so the words read the same way in them as in the whole
  // knowledge base; when they read one way only. Otherwise, the whole knowledge base says what is
  // wrong, with suggestions from every name.
  const KnowledgeBase* partial = ctx.kb_with_modalities(runs_of(options.names));
  if (partial != nullptr && readings(partial->modalities, options.names, 2).size() != 1) partial = nullptr;
  const KnowledgeBase& kb = partial != nullptr ? *partial : ctx.kb();
  const Reading<Modality> named = find_modalities(kb, options.names);
  std::vector<const Modality*> items;
  std::vector<std::string> notices;
  for (std::size_t i = 0; i < named.entries.size(); ++i) {
    const Modality& m = *named.entries[i];
    if (std::find(items.begin(), items.end(), &m) != items.end()) {
      notices.push_back(
          fmt::format("'{}' is {}, already in the comparison; compared once", named.names[i], m.id));
      continue;
    }
    items.push_back(&m);
  }
  if (!ctx.json() && !ctx.ids()) {
    for (const auto& notice : notices) print_message("knots: note: " + render::sanitize(notice));
  }
  if (items.size() < 2) {
    throw UsageError(fmt::format("compare needs at least two different modalities; got {}",
                                 items.empty() ? std::string("none") : items.front()->id) +
                     "\nExample: knots compare swedish thai");
  }
  if (ctx.ids()) {
    ctx.print_ids(ids_of(items));
    return 0;
  }
  const CompareResult result = compare(kb, items);
  if (ctx.json()) {
    std::vector<ModalityPage> pages;
    for (const Modality* m : items) pages.push_back(modality_page(kb, *m));
    ctx.print(
        render::compare_json(result, pages, kb, {options.names, options.diff, notices}, ctx.json_style()));
  } else {
    ctx.print(render::compare_text(result, options.diff, ctx.style()));
  }
  return 0;
}

/// `knots compare` in the table: its flags bound to CompareOptions, then run_compare.
class CompareCommand final : public Command {
 public:
  CompareCommand()
      : Command("compare", "Modalities side by side: differences first, then what they share",
                "Example:\n  knots compare swedish thai\n  knots compare hot stone thai\n"
                "  knots compare deep tissue trigger point sports --diff\n"
                "  knots compare swedish thai --json | jq '.differences[].field'") {}

  void define(Flags& flags) override {
    flags
        .option("names", options_.names,
                "Two or more ids, names or aliases; names of several words need no quotes")
        .values("modality")
        .required()
        .type_name("NAME");
    flags.flag("--diff", options_.diff, "Show only what differs");
  }

  int run(Context& ctx) override { return run_compare(ctx, options_); }

 private:
  CompareOptions options_;
};

}  // namespace

std::unique_ptr<Command> compare_command() {
  return std::make_unique<CompareCommand>();
}

}  // namespace knots::cli
