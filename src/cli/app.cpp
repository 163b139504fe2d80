// CLI11 wiring for every subcommand and the one error boundary. The only file that includes CLI11.
#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <knots/version.hpp>
#include <map>

#include "cli/commands.hpp"
#include "query/recommend.hpp"
#include "query/suggest.hpp"
#include "render/json.hpp"

namespace knots::cli {
namespace {

/// Accepts one of `names` in any case (and normalises it to lowercase), or explains the choice.
CLI::Validator one_of(std::vector<std::string> names, std::string what) {
  std::string label = fmt::format("{{{}}}", fmt::join(names, ","));
  return CLI::Validator(
      [names, what](std::string& value) -> std::string {
        std::string lower = value;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (std::find(names.begin(), names.end(), lower) != names.end()) {
          value = lower;
          return {};
        }
        return fmt::format("'{}' is not a {}; choose one of {}{}", render::sanitize(value), what,
                           fmt::join(names, ", "), render::sanitize(did_you_mean(value, names)));
      },
      label);
}

/// Where an option's values come from, for the completion scripts (see spec.hpp).
struct ValueSource {
  std::string values;
  std::vector<std::string> choices;
};
using ValueSources = std::map<const CLI::Option*, ValueSource>;

CLI::Option* choices(ValueSources& sources, CLI::Option* option, std::vector<std::string> names,
                     std::string what) {
  sources[option].choices = names;
  // transform, not check: a check may not change the value, and "DEEP" must arrive as "deep".
  return option->transform(one_of(std::move(names), std::move(what)));
}

CLI::Option* values_from(ValueSources& sources, CLI::Option* option, std::string kind) {
  sources[option].values = std::move(kind);
  return option;
}

OptionSpec option_spec(const CLI::Option& o, const ValueSources& sources) {
  OptionSpec spec;
  for (const auto& n : o.get_lnames()) spec.names.push_back("--" + n);
  for (const auto& n : o.get_snames()) spec.names.push_back("-" + n);
  if (o.get_positional()) spec.positional = o.get_name();
  spec.help = o.get_description();
  spec.takes_value = o.get_expected_max() > 0;  // flags expect no value
  spec.repeatable = o.get_expected_max() > 1;
  if (auto it = sources.find(&o); it != sources.end()) {
    spec.values = it->second.values;
    spec.choices = it->second.choices;
  }
  return spec;
}

/// The command line as plain data, from CLI11's own definition.
CliSpec cli_spec(const CLI::App& app, const ValueSources& sources) {
  CliSpec spec;
  for (const auto* o : app.get_options()) spec.global.push_back(option_spec(*o, sources));
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    CommandSpec command{sub->get_name(), sub->get_description(), {}};
    for (const auto* o : sub->get_options()) command.options.push_back(option_spec(*o, sources));
    // Positionals last, as they are typed.
    std::stable_partition(command.options.begin(), command.options.end(),
                          [](const OptionSpec& o) { return o.positional.empty(); });
    spec.commands.push_back(std::move(command));
  }
  return spec;
}

void print_error(std::string_view message) {
  std::string text = fmt::format("knots: error: {}\n", message);
  std::fputs(text.c_str(), stderr);
}

/// --help and --version: the text on stdout, or exit 1 with a message when it cannot be written
/// (a full disk, a closed pipe), never a silent success.
int print_or_fail(std::string_view text) {
  try {
    Context::print(text);
    return kOk;
  } catch (const std::exception& e) {
    print_error(render::sanitize(e.what()));
    return kFailure;
  }
}

/// The app's own option named `name` ("--kb"), or none. --help and --version are left out: the
/// parser answers them, with or without a command.
const CLI::Option* global_option(const CLI::App& app, std::string_view name) {
  for (const auto* option : app.get_options()) {
    if (option == app.get_help_ptr() || option == app.get_version_ptr()) continue;
    for (const auto& n : option->get_lnames()) {
      if (name == "--" + n) return option;
    }
  }
  return nullptr;
}

/// The first word that should be a subcommand, skipping the app's options and their values as the
/// parser defines them: --kb DIR, --color=never and --no-default-kb, say.
std::string first_command_word(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") return i + 1 < argc ? argv[i + 1] : "";
    if (!arg.starts_with("-")) return std::string(arg);
    const auto equals = arg.find('=');
    const CLI::Option* option = global_option(app, arg.substr(0, equals));
    const bool takes_value = option != nullptr && option->get_expected_max() > 0;  // flags take none
    // Another flag before the command, or a flag given a value: let the parser say what is wrong.
    if (option == nullptr || (equals != std::string_view::npos && !takes_value)) return {};
    if (equals == std::string_view::npos && takes_value) ++i;
  }
  return {};
}

/// For a mistyped flag, "unknown option '--presure' for 'knots list'; did you mean '--pressure'?";
/// "" when every flag on the line is known (the error is about something else).
std::string unknown_option(const CLI::App& where, const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> known;
  for (const CLI::App* a : {&where, &app}) {
    for (const auto* opt : a->get_options()) {
      for (const auto& name : opt->get_lnames()) known.push_back("--" + name);
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (!arg.starts_with("--")) continue;
    arg = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), arg) != known.end()) continue;
    const std::string command = &where == &app ? "knots" : "knots " + where.get_name();
    return fmt::format("unknown option '{}' for '{}'{}", render::sanitize(arg), command,
                       render::sanitize(did_you_mean(arg, known)));
  }
  return {};
}

constexpr const char* kFooter = R"(Examples:
  knots recommend --pressure deep --goal pain-relief
  knots list --pressure deep
  knots show "classic massage"
  knots show thai --json | jq .setting
Exit status: 0 ok, 1 runtime error, 2 usage error, 3 not found, 4 invalid knowledge base.
See knots(1) for more.)";

}  // namespace

int main(int argc, char** argv) {
  GlobalOptions global;
  ListOptions list_options;
  ShowOptions show_options;
  TechniquesOptions techniques_options;
  ConditionsOptions conditions_options;
  RedFlagsOptions red_flags_options;
  SourcesOptions sources_options;
  ValidateOptions validate_options;
  RecommendOptions recommend_options;
  CompareOptions compare_options;
  SearchOptions search_options;
  CompletionOptions completion_options;
  PathsOptions paths_options;
  NewOptions new_options;
  GraphOptions graph_options;
  ValueSources sources;

  CLI::App app{"knots: massage for knots in the back: what each kind does, and which to choose.", "knots"};
  app.set_version_flag("--version", std::string("knots ") + kVersion);
  app.footer(kFooter);
  app.require_subcommand(0, 1);
  app.fallthrough();
  values_from(
      sources,
      app.add_option("--kb", global.kb_folders,
                     "Add a knowledge-base folder on top of the built-in one (repeatable; later wins)"),
      "dir")
      ->type_name("DIR")
      ->allow_extra_args(false);
  app.add_flag("--no-default-kb", global.no_default_kb, "Leave out the built-in knowledge base");
  choices(sources,
          app.add_option("--color", global.color, "Colour: auto (terminal, no NO_COLOR), always, never"),
          {"auto", "always", "never"}, "colour mode")
      ->type_name("WHEN");

  const std::vector<std::string> levels = names_of<Pressure>();

  auto* list = app.add_subcommand("list", "One line per modality: id, name, pressure, summary");
  choices(
      sources,
      list->add_option("--pressure", list_options.pressure, "Only those whose pressure range includes LEVEL"),
      levels, "pressure level")
      ->type_name("LEVEL");
  values_from(
      sources,
      list->add_option("--technique", list_options.techniques, "Only those that use TECHNIQUE (repeatable)"),
      "technique")
      ->type_name("TECHNIQUE")
      ->allow_extra_args(false);
  values_from(sources,
              list->add_option("--goal", list_options.goals, "Only those that serve GOAL (repeatable)"),
              "goal")
      ->type_name("GOAL")
      ->allow_extra_args(false);
  list->add_flag("--clothed", list_options.clothed, "Only those you can have fully clothed");
  list->add_flag("--no-oil", list_options.no_oil, "Only those you can have without oil");
  list->add_flag("--heat", list_options.heat, "Only those that use heat");
  list->add_flag("--json", list_options.json, "JSON in the knots/v1 envelope");
  list->footer("Example:\n  knots list --pressure firm --clothed\n  knots list --json | jq -r '.items[].id'");

  auto* show = app.add_subcommand("show", "Everything about one modality");
  values_from(sources, show->add_option("name", show_options.name, "Id, name or alias, in any case"),
              "modality")
      ->required()
      ->type_name("NAME");
  show->add_flag("--json", show_options.json, "JSON in the knots/v1 envelope");
  show->footer("Example:\n  knots show deep-tissue\n  knots show \"classic massage\" --json");

  auto* techniques = app.add_subcommand("techniques", "The techniques, or one technique and who uses it");
  values_from(sources,
              techniques->add_option("name", techniques_options.name, "Id, name or alias of a technique"),
              "technique")
      ->type_name("NAME");
  techniques->add_flag("--json", techniques_options.json, "JSON in the knots/v1 envelope");
  techniques->footer("Example:\n  knots techniques\n  knots techniques kneading");

  auto* conditions = app.add_subcommand("conditions", "Health conditions and what they rule out");
  conditions->add_flag("--json", conditions_options.json, "JSON in the knots/v1 envelope");
  conditions->footer("Example:\n  knots conditions\n  knots conditions --json | jq '.items[] | {id, avoid}'");

  auto* red_flags =
      app.add_subcommand("red-flags", "Warning signs that need a doctor, not a massage, and how soon");
  red_flags->add_flag("--json", red_flags_options.json, "JSON in the knots/v1 envelope");
  red_flags->footer("Example:\n  knots red-flags\n  knots recommend --symptom \"numb groin\"");

  auto* sources_cmd = app.add_subcommand("sources", "The sources cited, or one source and what cites it");
  values_from(sources, sources_cmd->add_option("id", sources_options.id, "A source id, such as S1"), "source")
      ->type_name("ID");
  sources_cmd->add_flag("--json", sources_options.json, "JSON in the knots/v1 envelope");
  sources_cmd->footer(
      "Example:\n  knots sources\n  knots sources S38\n  knots sources --json | jq -r '.items[] | "
      "select(.tier == \"A\") | .url'");

  auto* recommend = app.add_subcommand("recommend", "A ranked, explained, safe shortlist for your criteria");
  choices(sources,
          recommend->add_option("--pressure", recommend_options.pressure,
                                "Pressure you like; rules out what cannot give it"),
          levels, "pressure level")
      ->type_name("LEVEL");
  values_from(sources,
              recommend->add_option(
                  "--goal", recommend_options.goals,
                  "What you want (repeatable): relaxation, pain-relief, mobility, athletic-recovery, "
                  "prevention, stress"),
              "goal")
      ->type_name("GOAL")
      ->allow_extra_args(false);
  values_from(sources,
              recommend->add_option("--condition", recommend_options.conditions,
                                    "A health condition you have (repeatable; see 'knots conditions')"),
              "condition")
      ->type_name("COND")
      ->allow_extra_args(false);
  values_from(sources,
              recommend->add_option(
                  "--symptom", recommend_options.symptoms,
                  "A warning sign you have now (repeatable; see 'knots red-flags'): screened first"),
              "symptom")
      ->type_name("SYMPTOM")
      ->allow_extra_args(false);
  recommend->add_flag("--no-oil", recommend_options.no_oil, "Rule out what needs oil");
  recommend->add_flag("--no-heat", recommend_options.no_heat, "Rule out what needs heat");
  recommend->add_flag("--clothed", recommend_options.clothed, "Rule out what needs you to undress");
  recommend->add_flag("--no-floor", recommend_options.no_floor, "Rule out what is only done on a floor mat");
  recommend->add_flag("--direct", recommend_options.direct, "Rule out what does not work on the back itself");
  choices(sources,
          recommend->add_option("--prefer", recommend_options.prefer,
                                "What you would like (repeatable; ranks, never rules out)"),
          names_of<Preference>(), "preference")
      ->type_name("WHAT")
      ->allow_extra_args(false);
  recommend->add_option("--top", recommend_options.top, "How many to recommend (default 3)")
      ->check(CLI::Range(1, 1000))
      ->type_name("N");
  recommend->add_flag("--explain", recommend_options.explain, "Show each criterion's share of each score");
  recommend->add_flag("--ask", recommend_options.ask,
                      "Ask the questions one by one (answers read line by line from stdin)");
  recommend->add_flag("--json", recommend_options.json, "JSON in the knots/v1 envelope");
  recommend->footer(
      "Example:\n  knots recommend --pressure firm --goal pain-relief --condition blood-thinners\n"
      "  knots recommend --clothed --prefer stretching --explain\n  knots recommend --symptom \"numb "
      "groin\"\n"
      "  knots recommend --ask");

  auto* compare =
      app.add_subcommand("compare", "Modalities side by side: differences first, then what they share");
  values_from(sources,
              compare->add_option("names", compare_options.names, "Two or more ids, names or aliases"),
              "modality")
      ->required()
      ->type_name("NAME");
  compare->add_flag("--diff", compare_options.diff, "Show only what differs");
  compare->add_flag("--json", compare_options.json, "JSON in the knots/v1 envelope");
  compare->footer(
      "Example:\n  knots compare swedish thai\n  knots compare deep-tissue trigger-point sports --diff\n"
      "  knots compare swedish thai --json | jq '.differences[].field'");

  auto* search = app.add_subcommand(
      "search",
      "Ranked full-text search over modalities, techniques, conditions, red flags, self-care and goals");
  search->add_option("text", search_options.terms, "Words to find (every one must match unless --any)")
      ->required()
      ->type_name("TEXT");
  search->add_flag("--any", search_options.any, "Match any of the words, not all");
  search->add_flag("--json", search_options.json, "JSON in the knots/v1 envelope");
  search->footer(
      "Example:\n  knots search fascia\n  knots search heated stones\n  knots search --any oil heat --json | "
      "jq -r '.items[].id'");

  auto* validate = app.add_subcommand("validate", "Check knowledge-base files; report every problem");
  values_from(sources,
              validate->add_option("paths", validate_options.paths,
                                   "Files or folders to check on top of the knowledge base in use"),
              "path")
      ->type_name("PATH");
  validate->add_flag("--json", validate_options.json, "JSON in the knots/v1 envelope");
  validate->footer(
      "Checks the knowledge base in use (built-in, user folder, KNOTS_PATH, --kb) plus each PATH.\n"
      "Example:\n  knots validate ~/clinic-kb\n  knots --no-default-kb validate kb/");

  auto* paths =
      app.add_subcommand("paths", "The knowledge-base folders in use, and where each modality came from");
  paths->add_flag("--json", paths_options.json, "JSON in the knots/v1 envelope");
  paths->footer("Example:\n  KNOTS_PATH=~/clinic-kb knots paths");

  auto* create = app.add_subcommand("new", "Write a commented template entry to start your own modality");
  create->add_option("id", new_options.id, "The new modality's id (lowercase, hyphens)")
      ->required()
      ->type_name("ID");
  create->add_flag("--replace", new_options.replace,
                   "Start from a copy of the modality with this id, to replace it (cautions included)");
  create->footer(
      "Writes modalities/ID.yaml in the first --kb folder, else in $XDG_DATA_HOME/knots/kb\n"
      "(~/.local/share/knots/kb), which knots reads automatically. Never overwrites a file, and\n"
      "never takes an id or name already in use unless --replace is given.\n"
      "Example:\n  knots new clinic-deep\n  knots --kb ~/clinic-kb new clinic-deep\n  knots new --replace "
      "swedish");

  auto* graph = app.add_subcommand("graph", "The relations between modalities, as Graphviz DOT or Mermaid");
  choices(sources, graph->add_option("--format", graph_options.format, "dot (default) or mermaid"),
          {"dot", "mermaid"}, "graph format")
      ->type_name("FORMAT");
  graph->footer("Example:\n  knots graph | dot -Tsvg > knots.svg\n  knots graph --format mermaid");

  auto* completion = app.add_subcommand("completion", "A shell completion script for bash, zsh or fish");
  choices(sources, completion->add_option("shell", completion_options.shell, "bash, zsh or fish"),
          {"bash", "zsh", "fish"}, "shell");
  choices(sources,
          completion->add_option("--values", completion_options.values,
                                 "Print the values of one kind, one per line (used by the scripts)"),
          {"modality", "technique", "goal", "condition", "symptom", "source"}, "kind of value")
      ->type_name("KIND");
  completion->footer(
      "Example:\n  source <(knots completion bash)\n  knots completion zsh > ~/.zfunc/_knots\n"
      "  knots completion fish > ~/.config/fish/completions/knots.fish");

  // CLI11 2.1 says "A subcommand is required" or lists extras for a mistyped command; say what
  // happened and suggest the nearest one instead.
  const std::string word = first_command_word(app, argc, argv);
  if (!word.empty()) {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      print_error(fmt::format("unknown command '{}'{}\nCommands: {}", render::sanitize(word),
                              render::sanitize(did_you_mean(word, names)), fmt::join(names, ", ")));
      return kUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return print_or_fail(app.help());
  } catch (const CLI::CallForAllHelp&) {
    return print_or_fail(app.help("", CLI::AppFormatMode::All));
  } catch (const CLI::CallForVersion& e) {
    return print_or_fail(std::string(e.what()) + "\n");
  } catch (const CLI::ParseError& e) {
    const CLI::App* where = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
    const std::string unknown = unknown_option(*where, app, argc, argv);
    if (!unknown.empty()) {
      print_error(unknown);
    } else {
      print_error(render::sanitize(e.what()));
    }
    std::fputs(fmt::format("Run '{}{} --help' for usage.\n", where == &app ? "knots" : "knots ",
                           where == &app ? "" : where->get_name())
                   .c_str(),
               stderr);
    return kUsage;
  }

  Context ctx(global);
  render::set_pretty(::isatty(STDOUT_FILENO) == 1);
  try {
    if (list->parsed()) return run_list(ctx, list_options);
    if (show->parsed()) return run_show(ctx, show_options);
    if (techniques->parsed()) return run_techniques(ctx, techniques_options);
    if (conditions->parsed()) return run_conditions(ctx, conditions_options);
    if (red_flags->parsed()) return run_red_flags(ctx, red_flags_options);
    if (sources_cmd->parsed()) return run_sources(ctx, sources_options);
    if (validate->parsed()) return run_validate(ctx, validate_options);
    if (recommend->parsed()) return run_recommend(ctx, recommend_options);
    if (compare->parsed()) return run_compare(ctx, compare_options);
    if (search->parsed()) return run_search(ctx, search_options);
    if (paths->parsed()) return run_paths(ctx, paths_options);
    if (create->parsed()) return run_new(ctx, new_options);
    if (graph->parsed()) return run_graph(ctx, graph_options);
    if (completion->parsed()) {
      if (completion_options.shell.empty() && completion_options.values.empty()) {
        throw UsageError(
            "completion needs a shell: bash, zsh or fish\nExample: source <(knots completion bash)");
      }
      completion_options.spec = cli_spec(app, sources);
      return run_completion(ctx, completion_options);
    }
    Context::print(app.help());
    return kOk;
  } catch (const UsageError& e) {
    print_error(e.what());
    return kUsage;
  } catch (const NotFoundError& e) {
    print_error(e.what());
    return kNotFound;
  } catch (const KnowledgeBaseError& e) {
    bool io_only = true;
    for (const auto& d : e.diagnostics) {
      std::fputs((render::sanitize(d.to_string()) + "\n").c_str(), stderr);
      io_only = io_only && d.io;
    }
    if (io_only) {
      print_error("the knowledge base could not be read; check the folders given with --kb and KNOTS_PATH");
    } else {
      print_error(
          fmt::format("the knowledge base is invalid ({} problem{}); fix the files above, and "
                      "check them with 'knots validate'",
                      e.diagnostics.size(), e.diagnostics.size() == 1 ? "" : "s"));
    }
    return io_only ? kFailure : kInvalidKb;
  } catch (const std::exception& e) {
    print_error(render::sanitize(e.what()));
    return kFailure;
  }
}

}  // namespace knots::cli
