// knots guide [TOPIC] and knots self-care [ID]: short, sourced answers to the questions people
// bring, and the self-care tips, safe for the conditions a person states.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/pages.hpp"
#include "render/json.hpp"
#include "render/term.hpp"
#include "render/topics.hpp"
#include "util/suggest.hpp"
#include "util/text.hpp"

namespace knots::cli {
namespace {

/// What the flags and arguments of `knots guide` set.
struct GuideOptions {
  std::vector<std::string> topic;  ///< its words, with or without quotes
};

/// What the flags and arguments of `knots self-care` set.
struct SelfCareOptions {
  std::vector<std::string> name;  ///< its words, with or without quotes
  std::vector<std::string> conditions;
  std::vector<std::string> symptoms;
};

int run_guide(Context& ctx, const GuideOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  if (options.topic.empty()) {
    if (ctx.ids()) {
      std::vector<std::string> ids;
      for (const auto& t : kb.guide.all()) ids.push_back(t.id);
      ctx.print_ids(ids);
      return 0;
    }
    ctx.print(ctx.json() ? render::guide_json(kb, ctx.json_style()) : render::guide_text(kb, ctx.style()));
    return 0;
  }
  const std::string name = joined(options.topic, " ");
  const GuideTopic* topic =
      &find_entry(kb, kb.guide, name, RefKind::topic, "guide topic",
                  "See 'knots guide' for every topic, or search them all: 'knots search WORDS'.");
  if (ctx.ids()) {
    ctx.print_ids({topic->id});
    return 0;
  }
  const TopicPage page = topic_page(kb, *topic);
  ctx.print(ctx.json() ? render::topic_json(page, {{"name", name}}, ctx.json_style())
                       : render::topic_text(page, ctx.style()));
  return 0;
}

int run_self_care(Context& ctx, const SelfCareOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  if (!options.name.empty()) {
    if (!options.conditions.empty() || !options.symptoms.empty())
      throw UsageError(
          fmt::format("{} lists the tips that are safe for you; it does not go with a tip's ID\n"
                      "Example: knots self-care --condition pregnancy",
                      options.conditions.empty() ? "--symptom" : "--condition"));
    const std::string name = joined(options.name, " ");
    const SelfCareTip* tip = &find_entry(kb, kb.self_care, name, RefKind::self_care, "self-care tip",
                                         "See 'knots self-care' for every tip.");
    if (ctx.ids()) {
      ctx.print_ids({tip->id});
      return 0;
    }
    const SelfCarePage page = self_care_page(kb, *tip);
    ctx.print(ctx.json() ? render::self_care_json(page, {{"name", name}}, ctx.json_style())
                         : render::self_care_text(page, ctx.style()));
    return 0;
  }
  // The same words as recommend's --condition: a warning sign typed as one is screened.
  RecommendRequest request;
  Missing missing;
  request.symptoms =
      missing([&] { return resolve_ids(kb.red_flags, options.symptoms, "--symptom", "symptom"); });
  missing([&] { resolve_conditions(kb, options.conditions, request); });
  missing.check();
  const SelfCareList list = self_care_list(kb, request.conditions, request.symptoms);
  if (ctx.ids()) {
    // The warning signs stated still reach the person, on stderr, as recommend's notice does.
    if (const Screening& screening = list.screening; screening.urgency) {
      std::vector<std::string> flags;
      for (const RedFlag* f : screening.flags) flags.push_back(f->name);
      print_message(render::sanitize(fmt::format("knots: {}: {}. {}", urgency_heading(*screening.urgency),
                                                 joined(flags, ", "), screening.action())));
    }
    ctx.print_ids(ids_of(list.items));
    return 0;
  }
  ctx.print(ctx.json() ? render::self_care_list_json(list, request, ctx.json_style())
                       : render::self_care_list_text(list, kb, !request.conditions.empty(), ctx.style()));
  return 0;
}

/// `knots guide` in the table: its flags bound to GuideOptions, then run_guide.
class GuideCommand final : public Command {
 public:
  GuideCommand()
      : Command("guide", "Short, sourced answers to common questions",
                "Example:\n  knots guide\n  knots guide how-often\n  knots guide sore after massage") {}

  void define(Flags& flags) override {
    flags.option("topic", options_.topic, "Id, name or the question in your words, with or without quotes")
        .values("topic")
        .type_name("TOPIC");
  }

  int run(Context& ctx) override { return run_guide(ctx, options_); }

 private:
  GuideOptions options_;
};

/// `knots self-care` in the table: its flags bound to SelfCareOptions, then run_self_care.
class SelfCareCommand final : public Command {
 public:
  SelfCareCommand()
      : Command("self-care", "What you can do yourself, safe for your conditions",
                "Example:\n  knots self-care\n  knots self-care --condition pregnancy\n  knots self-care "
                "heat") {}

  void define(Flags& flags) override {
    flags.option("id", options_.name, "Id, name or alias of a tip, with or without quotes")
        .values("self-care")
        .type_name("ID");
    flags
        .option("--condition", options_.conditions,
                "A health condition you have (repeatable; see 'knots conditions'): leaves out the tips it "
                "rules out")
        .values("condition")
        .type_name("COND")
        .single();
    flags
        .option("--symptom", options_.symptoms,
                "A warning sign you have now (repeatable; see 'knots red-flags'): screened first")
        .values("symptom")
        .type_name("SYMPTOM")
        .single();
  }

  int run(Context& ctx) override { return run_self_care(ctx, options_); }

 private:
  SelfCareOptions options_;
};

}  // namespace

std::unique_ptr<Command> guide_command() {
  return std::make_unique<GuideCommand>();
}

std::unique_ptr<Command> self_care_command() {
  return std::make_unique<SelfCareCommand>();
}

}  // namespace knots::cli
