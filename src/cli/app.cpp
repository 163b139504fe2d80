// The command line over CLI11, the only file that includes it: the global flags, the Flags that
// commands define theirs with, the table of commands (commands.hpp) registered, spell-checked and
// dispatched, and the one error boundary.
#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <knots/version.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/pager.hpp"
#include "model/enums.hpp"
#include "render/json.hpp"
#include "render/term.hpp"
#include "util/suggest.hpp"
#include "util/text.hpp"

namespace knots::cli {
namespace {

/// Accepts one of `names` in any case (and normalises it to lowercase), or explains the choice.
CLI::Validator one_of(std::vector<std::string> names, std::string what) {
  std::string label = fmt::format("{{{}}}", fmt::join(names, ","));
  return CLI::Validator(
      [names, what](std::string& value) -> std::string {
        const std::string lower = ascii_lower(value);
        if (std::find(names.begin(), names.end(), lower) != names.end()) {
          value = lower;
          return {};
        }
        return fmt::format("'{}' is not a {}; choose one of {}{}", render::sanitize(value), what,
                           fmt::join(names, ", "), render::sanitize(did_you_mean(value, names)));
      },
      label);
}

/// Accepts a pressure level by its name or an everyday word (pressure_from_words), in any case,
/// passed on in lowercase; pressure_option() says what a word was read as.
CLI::Validator pressure_level() {
  const std::vector<std::string> levels = names_of<Pressure>();
  return CLI::Validator(
      [levels](std::string& value) -> std::string {
        if (pressure_from_words(value)) {
          value = ascii_lower(value);
          return {};
        }
        std::vector<std::string> words = levels;
        for (const auto& w : kPressureWords) words.emplace_back(w.word);
        return fmt::format(
            "'{}' is not a pressure level; choose one of {}, or a word such as gentle or hard{}",
            render::sanitize(value), fmt::join(levels, ", "), render::sanitize(did_you_mean(value, words)));
      },
      fmt::format("{{{}}}", fmt::join(levels, ",")));
}

/// Where an option's values come from, for the completion scripts (see spec.hpp).
struct ValueSource {
  std::string values;
  std::vector<std::string> choices;
};
using ValueSources = std::map<const CLI::Option*, ValueSource>;

/// An Option over a CLI11 option; choices and value kinds are also recorded for cli_spec().
class CliOption final : public Option {
 public:
  CliOption(CLI::Option* option, ValueSources& sources) : option_(option), sources_(sources) {}
  Option& type_name(std::string name) override {
    option_->type_name(std::move(name));
    return *this;
  }
  Option& required() override {
    option_->required();
    return *this;
  }
  Option& choices(std::vector<std::string> names, std::string what) override {
    sources_[option_].choices = names;
    // transform, not check: a check may not change the value, and "DEEP" must arrive as "deep".
    option_->transform(one_of(std::move(names), std::move(what)));
    return *this;
  }
  Option& pressure() override {
    sources_[option_].choices = names_of<Pressure>();
    option_->transform(pressure_level());
    return *this;
  }
  Option& values(std::string kind) override {
    sources_[option_].values = std::move(kind);
    return *this;
  }
  Option& range(int min, int max) override {
    option_->check(CLI::Range(min, max));
    return *this;
  }
  Option& single() override {
    option_->allow_extra_args(false);
    return *this;
  }

 private:
  CLI::Option* option_;
  ValueSources& sources_;
};

/// Flags over one CLI11 app or subcommand, added in the order they are defined.
class CliFlags final : public Flags {
 public:
  CliFlags(CLI::App& app, ValueSources& sources) : app_(app), sources_(sources) {}
  void flag(std::string name, bool& to, std::string help) override {
    app_.add_flag(std::move(name), to, std::move(help));
  }
  Option& option(std::string name, std::string& to, std::string help) override {
    return add(app_.add_option(std::move(name), to, std::move(help)));
  }
  Option& option(std::string name, std::optional<std::string>& to, std::string help) override {
    return add(app_.add_option(std::move(name), to, std::move(help)));
  }
  Option& option(std::string name, std::vector<std::string>& to, std::string help) override {
    return add(app_.add_option(std::move(name), to, std::move(help)));
  }
  Option& option(std::string name, std::size_t& to, std::string help) override {
    return add(app_.add_option(std::move(name), to, std::move(help)));
  }
  void command_line(CliSpec& to) override { command_line_ = &to; }
  /// Where the command wants the whole command line before it runs, if it does.
  [[nodiscard]] CliSpec* command_line_target() const { return command_line_; }

 private:
  Option& add(CLI::Option* option) {
    options_.push_back(std::make_unique<CliOption>(option, sources_));
    return *options_.back();
  }

  CLI::App& app_;
  ValueSources& sources_;
  std::vector<std::unique_ptr<CliOption>> options_;
  CliSpec* command_line_ = nullptr;
};

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
  print_message(fmt::format("knots: error: {}", message));
}

/// --help and --version: the text on stdout, or exit 1 with a message when it cannot be written
/// (a full disk, a closed pipe), never a silent success.
int print_or_fail(std::string_view text) {
  try {
    write_stdout(text);
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

constexpr const char* kDescription =
    "knots: massage for knots in the back: what each kind does, and which to choose.";

constexpr const char* kFooter = R"(Examples:
  knots recommend --ask
  knots recommend --pressure deep --goal pain-relief
  knots list --pressure hard
  knots show deep tissue
  knots compare hot stone thai
  knots show thai --json | jq .setting
Exit status: 0 ok, 1 runtime error, 2 usage error, 3 not found, 4 invalid knowledge base.
See knots(1) for more: man knots.)";

/// One row of a listing: `name` indented by two, then `text` wrapped in its column from `column`
/// on; below the name when the name reaches the column, and on lines of its own (indented by six)
/// when the width leaves the column too narrow to read.
std::string help_row(std::string_view name, std::string_view text, std::size_t column, std::size_t width) {
  // A name wider than the whole line ("--prefer WHAT:{heat,oil,…}") is wrapped too.
  std::string out = render::wrap_block(fmt::format("  {}", name), width, 4);
  out.pop_back();
  if (text.empty()) return out + "\n";
  if (width < column + 20) column = 6;
  if (out.find('\n') != std::string::npos || render::display_width(out) + 1 >= column) {
    out += "\n" + std::string(column, ' ');  // at least two spaces before the text
  } else {
    out = render::pad(out, column);
  }
  const auto lines = render::wrap(text, width - column);
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += (i == 0 ? "" : std::string(column, ' ')) + lines[i] + "\n";
  return out;
}

/// CLI11's help laid out like a book: each description wrapped to the width in its column, the
/// text above and the examples below wrapped at spaces, never inside a word, an id or a URL.
class WrappingFormatter final : public CLI::Formatter {
 public:
  explicit WrappingFormatter(std::size_t width) : width_(width) {
    column_width(std::clamp<std::size_t>(width * 3 / 8, 16, 30));
  }
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    return help_row(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt),
                    get_column_width(), width_);
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    return help_row(sub->get_display_name(true), sub->get_description(), get_column_width(), width_);
  }
  std::string make_description(const CLI::App* app) const override {
    return block(Formatter::make_description(app), 2);
  }
  std::string make_usage(const CLI::App* app, std::string name) const override {
    return block(Formatter::make_usage(app, std::move(name)), 4);
  }
  /// Prose runs on as one paragraph, whatever its line breaks; a heading ("Example:") and each
  /// indented line (a command) keep lines of their own, a command's continuation indented further.
  std::string make_footer(const CLI::App* app) const override {
    std::string out;
    std::string paragraph;
    const auto flush = [&] {
      if (!paragraph.empty()) out += render::wrap_block(paragraph, width_, 0);
      paragraph.clear();
    };
    const std::string footer = app->get_footer();
    for (std::size_t start = 0; start < footer.size();) {
      const std::size_t end = std::min(footer.find('\n', start), footer.size());
      const std::string_view line = std::string_view(footer).substr(start, end - start);
      start = end + 1;
      if (line.starts_with(' ') || line.ends_with(':') || line.empty()) {
        flush();
        out += line.empty() ? "\n" : render::wrap_block(line, width_, 4);
      } else {
        paragraph.append(paragraph.empty() ? "" : " ").append(line);
      }
    }
    flush();
    return out;
  }

 private:
  [[nodiscard]] std::string block(const std::string& text, std::size_t hang) const {
    return text.empty() ? text : render::wrap_block(text, width_, hang);
  }

  std::size_t width_;
};

/// What plain `knots` prints: what it is, three commands to start with (the questions first, which
/// screen for warning signs before anything is suggested), and where to read more.
std::string start_text(std::size_t width) {
  std::string out = render::wrap_block(kDescription, width, 2) + "\nStart with:\n";
  constexpr std::size_t kColumn = 35;
  out += help_row("knots recommend --ask", "a few questions, then a safe shortlist", kColumn, width);
  out += help_row("knots recommend --pressure deep", "the styles that reach deep pressure", kColumn, width);
  out += help_row("knots show trigger point", "what one style is like, and its evidence", kColumn, width);
  out += "\n" + render::wrap_block("Every command and flag: knots --help. The manual: man knots.", width, 2);
  return out;
}

/// The app's own options, which every command shares.
void define_global(CLI::App& app, ValueSources& sources, GlobalOptions& global) {
  CliFlags flags(app, sources);
  flags
      .option("--kb", global.kb_folders,
              "Add a knowledge-base folder on top of the built-in one (repeatable; later wins)")
      .values("dir")
      .type_name("DIR")
      .single();
  flags.flag("--no-default-kb", global.no_default_kb, "Leave out the built-in knowledge base");
  flags.flag("--no-pager", global.no_pager, "Write straight to the terminal, never through a pager");
  flags.option("--color", global.color, "Colour: auto (terminal, no NO_COLOR), always, never")
      .choices({"auto", "always", "never"}, "colour mode")
      .type_name("WHEN");
}

/// A command of the table, registered with the parser.
struct Registered {
  std::unique_ptr<Command> command;
  CLI::App* app = nullptr;          ///< its subcommand
  CliSpec* command_line = nullptr;  ///< where it wants the whole command line, if it does
};

/// Each command of the table as a subcommand, in the table's order (which --help keeps).
std::vector<Registered> register_commands(CLI::App& app, ValueSources& sources) {
  std::vector<Registered> out;
  for (const auto make : kCommands) {
    Registered r{make()};
    r.app = app.add_subcommand(std::string(r.command->name()), std::string(r.command->help()));
    CliFlags flags(*r.app, sources);
    r.command->define(flags);
    r.app->footer(std::string(r.command->footer()));
    r.command_line = flags.command_line_target();
    out.push_back(std::move(r));
  }
  return out;
}

/// CLI11 2.1 says "A subcommand is required" or lists extras for a mistyped command: says what
/// happened and suggests the nearest command instead. False when the command word is known or
/// there is none.
bool unknown_command(const CLI::App& app, const std::vector<Registered>& commands, int argc, char** argv) {
  const std::string word = first_command_word(app, argc, argv);
  if (word.empty()) return false;
  std::vector<std::string> names;
  for (const auto& c : commands) names.emplace_back(c.command->name());
  if (std::find(names.begin(), names.end(), word) != names.end()) return false;
  print_error(fmt::format("unknown command '{}'{}\nCommands: {}", render::sanitize(word),
                          render::sanitize(did_you_mean(word, names)), fmt::join(names, ", ")));
  return true;
}

/// Parses the command line; an exit code when that is all there is to do (--help, --version, a
/// usage error), else nothing.
std::optional<int> parse(CLI::App& app, int argc, char** argv) {
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
    print_message(fmt::format("Run '{}{} --help' for usage.", where == &app ? "knots" : "knots ",
                              where == &app ? "" : where->get_name()));
    return kUsage;
  }
  return std::nullopt;
}

/// Runs the parsed command (with none, prints the short start): the one error boundary, which maps every
/// error to its exit code.
int run_parsed(const CLI::App& app, const ValueSources& sources, const std::vector<Registered>& commands,
               const GlobalOptions& global) {
  // JSON is indented for a person at a terminal, one line for a script.
  Context ctx(global, render::JsonStyle{::isatty(STDOUT_FILENO) == 1});
  try {
    for (const auto& c : commands) {
      if (!c.app->parsed()) continue;
      if (c.command_line != nullptr) *c.command_line = cli_spec(app, sources);
      return c.command->run(ctx);
    }
    ctx.print(start_text(terminal_width(STDOUT_FILENO)));
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
      print_message(render::sanitize(d.to_string()));
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

}  // namespace

int main(int argc, char** argv) {
  GlobalOptions global;
  ValueSources sources;
  CLI::App app{kDescription, "knots"};
  // Before the commands are added: each takes its parent's formatter.
  app.formatter(std::make_shared<WrappingFormatter>(terminal_width(STDOUT_FILENO)));
  app.set_version_flag("--version", std::string("knots ") + kVersion);
  app.footer(kFooter);
  app.require_subcommand(0, 1);
  app.fallthrough();
  define_global(app, sources, global);
  const std::vector<Registered> commands = register_commands(app, sources);

  if (unknown_command(app, commands, argc, argv)) return kUsage;
  if (const auto code = parse(app, argc, argv)) return *code;
  return run_parsed(app, sources, commands, global);
}

}  // namespace knots::cli
