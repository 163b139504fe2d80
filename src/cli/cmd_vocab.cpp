// knots techniques [NAME], conditions, red-flags and sources [ID]: the vocabularies the other
// commands use, and where each statement comes from.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "query/filter.hpp"
#include "query/pages.hpp"
#include "render/json.hpp"
#include "render/text.hpp"
#include "util/suggest.hpp"

namespace knots::cli {
namespace {

/// What the flags and arguments of `knots techniques` set.
struct TechniquesOptions {
  std::vector<std::string> name;  ///< its words, with or without quotes
};

/// What the flags and arguments of `knots conditions` set.
struct ConditionsOptions {
  std::vector<std::string> name;  ///< its words, with or without quotes
};

/// What the flags and arguments of `knots goals` set.
struct GoalsOptions {
  std::vector<std::string> name;  ///< its words, with or without quotes
};

/// What the flags and arguments of `knots red-flags` set.
struct RedFlagsOptions {};

/// What the flags and arguments of `knots sources` set.
struct SourcesOptions {
  std::optional<std::string> id;
};

int run_techniques(Context& ctx, const TechniquesOptions& options) {
  if (options.name.empty()) {
    const KnowledgeBase& kb = ctx.kb();
    if (ctx.ids()) {
      std::vector<std::string> ids;
      for (const auto& t : kb.techniques.all()) ids.push_back(t.id);
      ctx.print_ids(ids);
      return 0;
    }
    ctx.print(ctx.json() ? render::techniques_json(technique_users(kb), ctx.json_style())
                         : render::techniques_text(kb, ctx.style()));
    return 0;
  }
  const std::string name = joined(options.name, " ");
  // The technique and the modalities that use it, from the cache, when the words name it exactly:
  // its page needs no other modality (thousands, in a clinic's knowledge base).
  const KnowledgeBase* partial = ctx.kb_with_technique_users(name);
  const KnowledgeBase& kb = partial != nullptr ? *partial : ctx.kb();
  const Technique* t = &find_entry(kb, kb.techniques, name, RefKind::technique, "technique",
                                   "See 'knots techniques' for every technique.");
  if (ctx.ids()) {
    ctx.print_ids({t->id});
    return 0;
  }
  const TechniqueUsers page = technique_users(kb, *t);
  ctx.print(ctx.json() ? render::technique_json(page, {{"name", name}}, ctx.json_style())
                       : render::technique_text(page, ctx.style()));
  return 0;
}

int run_conditions(Context& ctx, const ConditionsOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  if (options.name.empty()) {
    const std::vector<ConditionSummary> conditions = condition_summaries(kb);
    if (ctx.ids()) {
      std::vector<std::string> ids;
      for (const auto& summary : conditions) ids.push_back(summary.condition->id);
      ctx.print_ids(ids);
      return 0;
    }
    ctx.print(ctx.json() ? render::conditions_json(conditions, ctx.json_style())
                         : render::conditions_text(conditions, kb, ctx.style()));
    return 0;
  }
  const std::string name = joined(options.name, " ");
  const Condition* c = &find_entry(kb, kb.conditions, name, RefKind::condition, "condition",
                                   "See 'knots conditions' for every condition.");
  if (ctx.ids()) {
    ctx.print_ids({c->id});
    return 0;
  }
  const ConditionSummary summary = condition_summary(kb, *c);
  ctx.print(ctx.json() ? render::condition_json(summary, {{"name", name}}, ctx.json_style())
                       : render::conditions_text({summary}, kb, ctx.style()));
  return 0;
}

int run_goals(Context& ctx, const GoalsOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  if (options.name.empty()) {
    const std::vector<GoalPage> goals = goal_pages(kb);
    if (ctx.ids()) {
      std::vector<std::string> ids;
      for (const auto& g : kb.goals.all()) ids.push_back(g.id);
      ctx.print_ids(ids);
      return 0;
    }
    ctx.print(ctx.json() ? render::goals_json(goals, ctx.json_style())
                         : render::goals_text(goals, ctx.style()));
    return 0;
  }
  const std::string name = joined(options.name, " ");
  const Goal* g = &find_entry(kb, kb.goals, name, RefKind::goal, "goal", "See 'knots goals' for every goal.");
  if (ctx.ids()) {
    ctx.print_ids({g->id});
    return 0;
  }
  const GoalPage page = goal_page(kb, *g);
  ctx.print(ctx.json() ? render::goal_json(page, {{"name", name}}, ctx.json_style())
                       : render::goals_text({page}, ctx.style()));
  return 0;
}

int run_red_flags(Context& ctx, const RedFlagsOptions& /*options*/) {
  const KnowledgeBase& kb = ctx.kb();
  if (ctx.ids()) {
    std::vector<std::string> ids;
    for (auto urgency : {Urgency::emergency, Urgency::urgent, Urgency::soon}) {
      for (const auto& f : kb.red_flags.all()) {
        if (f.urgency == urgency) ids.push_back(f.id);
      }
    }
    ctx.print_ids(ids);
    return 0;
  }
  ctx.print(ctx.json() ? render::red_flags_json(kb, ctx.json_style())
                       : render::red_flags_text(kb, ctx.style()));
  return 0;
}

int run_sources(Context& ctx, const SourcesOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  if (!options.id) {
    const auto sources = sources_in_order(kb);
    if (ctx.ids()) {
      ctx.print_ids(ids_of(sources));
      return 0;
    }
    ctx.print(ctx.json() ? render::sources_json(sources, ctx.json_style())
                         : render::sources_text(sources, ctx.style()));
    return 0;
  }
  const Source* src = &find_entry(kb, kb.sources, *options.id, RefKind::source, "source",
                                  "See 'knots sources' for every source.");
  if (ctx.ids()) {
    ctx.print_ids({src->id});
    return 0;
  }
  const auto citations = citations_of(kb, src->id);
  ctx.print(ctx.json() ? render::source_json(*src, citations, {{"name", *options.id}}, ctx.json_style())
                       : render::source_text(*src, citations, ctx.style()));
  return 0;
}

/// `knots techniques` in the table: its flags bound to TechniquesOptions, then run_techniques.
class TechniquesCommand final : public Command {
 public:
  TechniquesCommand()
      : Command("techniques", "The techniques, or one technique and who uses it",
                "Example:\n  knots techniques\n  knots techniques kneading\n  knots techniques cross fibre "
                "friction") {}

  void define(Flags& flags) override {
    flags.option("name", options_.name, "Id, name or alias of a technique, with or without quotes")
        .values("technique")
        .type_name("NAME");
  }

  int run(Context& ctx) override { return run_techniques(ctx, options_); }

 private:
  TechniquesOptions options_;
};

/// `knots conditions` in the table: its flags bound to ConditionsOptions, then run_conditions.
class ConditionsCommand final : public Command {
 public:
  ConditionsCommand()
      : Command("conditions", "Health conditions, or one condition, and what they rule out",
                "Example:\n  knots conditions\n  knots conditions pregnancy\n  knots conditions --json | jq "
                "'.items[] | {id, ruled_out}'") {}

  void define(Flags& flags) override {
    flags.option("name", options_.name, "Id, name or alias of a condition, with or without quotes")
        .values("condition")
        .type_name("NAME");
  }

  int run(Context& ctx) override { return run_conditions(ctx, options_); }

 private:
  ConditionsOptions options_;
};

/// `knots goals` in the table: its flags bound to GoalsOptions, then run_goals.
class GoalsCommand final : public Command {
 public:
  GoalsCommand()
      : Command("goals", "What massage can be for, or one goal and the styles that suit it",
                "Example:\n  knots goals\n  knots goals relaxation\n  knots goals --json | jq -r '.items[] | "
                "[.id, .name] | @tsv'") {}

  void define(Flags& flags) override {
    flags.option("name", options_.name, "Id, name or alias of a goal, with or without quotes")
        .values("goal")
        .type_name("NAME");
  }

  int run(Context& ctx) override { return run_goals(ctx, options_); }

 private:
  GoalsOptions options_;
};

/// `knots red-flags` in the table: its flags bound to RedFlagsOptions, then run_red_flags.
class RedFlagsCommand final : public Command {
 public:
  RedFlagsCommand()
      : Command("red-flags", "Warning signs that need a doctor, not a massage, and how soon",
                "Example:\n  knots red-flags\n  knots recommend --symptom \"numb groin\"") {}

  void define(Flags& /*flags*/) override {}

  int run(Context& ctx) override { return run_red_flags(ctx, options_); }

 private:
  RedFlagsOptions options_;
};

/// `knots sources` in the table: its flags bound to SourcesOptions, then run_sources.
class SourcesCommand final : public Command {
 public:
  SourcesCommand()
      : Command("sources", "The sources cited, or one source and what cites it",
                "Example:\n  knots sources\n  knots sources S38\n  knots sources --json | jq -r '.items[] | "
                "select(.tier == \"A\") | .url'") {}

  void define(Flags& flags) override {
    flags.option("id", options_.id, "A source id, such as S1").values("source").type_name("ID");
  }

  int run(Context& ctx) override { return run_sources(ctx, options_); }

 private:
  SourcesOptions options_;
};

}  // namespace

std::unique_ptr<Command> techniques_command() {
  return std::make_unique<TechniquesCommand>();
}

std::unique_ptr<Command> conditions_command() {
  return std::make_unique<ConditionsCommand>();
}

std::unique_ptr<Command> goals_command() {
  return std::make_unique<GoalsCommand>();
}

std::unique_ptr<Command> red_flags_command() {
  return std::make_unique<RedFlagsCommand>();
}

std::unique_ptr<Command> sources_command() {
  return std::make_unique<SourcesCommand>();
}

}  // namespace knots::cli
