// The command line over CLI11, the only file that includes it: the global flags, the Flags that
// commands define theirs with, the table of commands (commands.hpp) registered, spell-checked and
// dispatched, `help CMD` and `--` read before the parser sees them, its errors said in knots' words,
// and the one error boundary, which reports every failure as text or (--json) as one JSON object.
#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <charconv>
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

/// The value that a validator below refused last, with the names it suggested: the parser's
/// ValidationError carries only text, and `knots --json` reports the value as data.
std::optional<UnknownName> refused_value;  // NOLINT: one parse per run, on one thread

/// Words after `--` reach the parser with this in front, so that none of them is read as an
/// option or a command; every value strips it first (verbatim_values()). CLI11 2.1.2
/// ends a subcommand at `--` once its required positionals are filled ("search oil -- --any"
/// hands "--any" back to the app, which has no such option); with the mark it is one more word.
constexpr std::string_view kVerbatim = "\x1f--verbatim:";

/// `word` without the mark of kVerbatim.
std::string unmarked(std::string word) {
  if (word.starts_with(kVerbatim)) word.erase(0, kVerbatim.size());
  return word;
}

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
        refused_value = UnknownName{value, suggestions(value, names)};
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
        refused_value = UnknownName{value, suggestions(value, words)};
        return fmt::format(
            "'{}' is not a pressure level; choose one of {}, or a word such as gentle or hard{}",
            render::sanitize(value), fmt::join(levels, ", "), render::sanitize(did_you_mean(value, words)));
      },
      fmt::format("{{{}}}", fmt::join(levels, ",")));
}

/// A whole number from `min` to `max`, said in words when it is not: "takes a whole number from
/// 1 to 1000, not 'abc'" (the parser puts the option's name in front).
CLI::Validator whole_number(int min, int max) {
  return CLI::Validator(
      [min, max](std::string& value) -> std::string {
        long long n = 0;
        const char* end = value.data() + value.size();
        const auto [stop, ec] = std::from_chars(value.data(), end, n);
        if (ec == std::errc() && stop == end && n >= min && n <= max) return {};
        refused_value = UnknownName{value, {}};
        return fmt::format("takes a whole number from {} to {}, not '{}'", min, max, render::sanitize(value));
      },
      fmt::format("INT in [{} - {}]", min, max));
}

/// Where an option's values come from, for the completion scripts (see spec.hpp), and what it
/// takes, in words, for an error that says it needs a value ("a whole number from 1 to 1000").
struct ValueSource {
  std::string values;
  std::vector<std::string> choices;
  std::string takes;
};
using ValueSources = std::map<const CLI::Option*, ValueSource>;

/// What an option whose values come from `kind` (ValueSource::values) takes, in words.
std::string value_words(std::string_view kind) {
  static const std::map<std::string_view, std::string_view> words = {
      {"modality", "a modality's id, name or alias"},
      {"technique", "a technique's id, name or alias"},
      {"goal", "a goal (see 'knots goals')"},
      {"condition", "a health condition (see 'knots conditions')"},
      {"symptom", "a warning sign (see 'knots red-flags')"},
      {"source", "a source id (see 'knots sources')"},
      {"topic", "a guide topic (see 'knots guide')"},
      {"self-care", "a self-care tip (see 'knots self-care')"},
      {"area", "an area of the back (see 'knots completion --values area')"},
      {"dir", "a folder"},
      {"path", "a file or folder"}};
  const auto it = words.find(kind);
  return it == words.end() ? std::string(kind) : std::string(it->second);
}

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
    sources_[option_].takes = fmt::format("one of {}", fmt::join(names, ", "));
    // transform, not check: a check may not change the value, and "DEEP" must arrive as "deep".
    option_->transform(one_of(std::move(names), std::move(what)));
    return *this;
  }
  Option& pressure() override {
    sources_[option_].choices = names_of<Pressure>();
    sources_[option_].takes = fmt::format("a pressure level ({}, or a word such as gentle or hard)",
                                          fmt::join(names_of<Pressure>(), ", "));
    option_->transform(pressure_level());
    return *this;
  }
  Option& values(std::string kind) override {
    auto& source = sources_[option_];
    if (source.takes.empty()) source.takes = value_words(kind);
    source.values = std::move(kind);
    return *this;
  }
  Option& range(int min, int max) override {
    sources_[option_].takes = fmt::format("a whole number from {} to {}", min, max);
    option_->check(whole_number(min, max));
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

/// How a failure reaches the person or the script: `knots: error: …` on stderr, or with --json
/// one JSON object on one line (render::error_json), never both.
class Reporter {
 public:
  explicit Reporter(bool json) : json_(json) {}
  /// Reports `failure` (its message may run over several lines; `hint` is a last line of text
  /// only, such as "Run 'knots list --help' for usage.") and returns `code`.
  int fail(Failure failure, int code, std::string_view hint = {}) const {
    if (failure.name == std::nullopt && !failure.unknown.empty()) {
      failure.name = failure.unknown.front().name;
      failure.suggestions = failure.unknown.front().suggestions;
    }
    if (json_) {
      drop_held_messages();
      Failure data = failure;
      data.message = data.message.substr(0, data.message.find('\n'));
      std::fputs(render::error_json(data).c_str(), stderr);
      return code;
    }
    for (const auto& d : failure.problems) print_message(render::sanitize(d.to_string()));
    print_message(fmt::format("knots: error: {}", failure.message));
    if (!hint.empty()) print_message(hint);
    return code;
  }
  int usage(std::string message, std::vector<UnknownName> unknown, std::string_view hint = {}) const {
    return fail({"usage", std::move(message), {}, {}, std::move(unknown), {}}, kUsage, hint);
  }
  /// A runtime failure (exit 1): what() of an exception, made safe for the terminal.
  int io(std::string_view message) const {
    return fail({"io", render::sanitize(message), {}, {}, {}, {}}, kFailure);
  }

 private:
  bool json_;
};

/// --help and --version: the text on stdout, or exit 1 with a message when it cannot be written
/// (a full disk), never a silent success; a reader that has gone ends it quietly.
int print_or_fail(std::string_view text, const Reporter& report) {
  try {
    write_stdout(text);
    return kOk;
  } catch (const BrokenPipe&) {
    return kBrokenPipe;
  } catch (const std::exception& e) {
    return report.io(e.what());
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

/// The arguments after the program's name, as given, then as the parser reads them.
using Args = std::vector<std::string>;

/// Where the first word that should be a subcommand stands in `args`, skipping the app's options
/// and their values as the parser defines them (--kb DIR, --color=never, --no-default-kb) and a
/// `--` before it; none when there is no such word, or when another flag comes first (the parser
/// then says what is wrong).
std::optional<std::size_t> command_index(const CLI::App& app, const Args& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") return i + 1 < args.size() ? std::optional(i + 1) : std::nullopt;
    if (!arg.starts_with("-")) return i;
    const auto equals = arg.find('=');
    const CLI::Option* option = global_option(app, arg.substr(0, equals));
    const bool takes_value = option != nullptr && option->get_expected_max() > 0;  // flags take none
    if (option == nullptr || (equals != std::string_view::npos && !takes_value)) return std::nullopt;
    if (equals == std::string_view::npos && takes_value) ++i;
  }
  return std::nullopt;
}

/// Whether --json was given before any `--`: then every failure, even the parser's, is reported
/// as JSON.
bool json_requested(const Args& args) {
  for (const auto& arg : args) {
    if (arg == "--") return false;
    if (arg == "--json") return true;
  }
  return false;
}

/// `knots help` is `knots --help`, and `knots help CMD` is `knots CMD --help` (an unknown CMD is
/// then reported as any unknown command is); `knots help --help` is help's own.
Args help_as_flag(const CLI::App& app, Args args) {
  const auto at = command_index(app, args);
  if (!at || args[*at] != "help") return args;
  const std::size_t i = *at;
  const bool topic = i + 1 < args.size() && !args[i + 1].starts_with("-");
  if (i + 1 < args.size() && (args[i + 1] == "--help" || args[i + 1] == "-h")) return args;
  args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
  args.insert(args.begin() + static_cast<std::ptrdiff_t>(topic ? i + 1 : i), "--help");
  return args;
}

/// The words after the first `--` marked verbatim (kVerbatim) and the `--` itself dropped: each is
/// then an argument, never an option or a command ("knots show -- --json" looks up "--json").
Args verbatim_after_dashes(const CLI::App& app, Args args) {
  const auto dashes = std::find(args.begin(), args.end(), "--");
  if (dashes == args.end()) return args;
  auto from = args.erase(dashes);
  // `knots -- list …`: the command word after the `--` stays a command.
  if (const auto at = command_index(app, args);
      at && static_cast<std::ptrdiff_t>(*at) == from - args.begin() && from != args.end()) {
    ++from;
  }
  for (; from != args.end(); ++from) *from = std::string(kVerbatim) + *from;
  return args;
}

/// The names (with dashes) of the long options `apps` take.
std::vector<std::string> long_names(std::initializer_list<const CLI::App*> apps) {
  std::vector<std::string> known;
  for (const CLI::App* a : apps) {
    for (const auto* opt : a->get_options()) {
      for (const auto& name : opt->get_lnames()) known.push_back("--" + name);
    }
  }
  return known;
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
  /// A command's own options, then the app's, which it takes too ("Global options:").
  /// (After the options, where CLI11 lists subcommands, which a command has none of.)
  std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override {
    std::string out = Formatter::make_subcommands(app, mode);
    const CLI::App* parent = app->get_parent();
    if (parent == nullptr || mode == CLI::AppFormatMode::Sub) return out;
    const auto global = parent->get_options([parent](const CLI::Option* o) {
      return o != parent->get_help_ptr() && o != parent->get_version_ptr() && o->nonpositional();
    });
    return global.empty() ? out : out + make_group("Global options", false, global);
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
  flags.flag("--json", global.json, "JSON in the knots/v1 envelope; a failure as one JSON object on stderr");
  flags.flag("--ids", global.ids, "Only the ids of what a command lists or shows, one per line");
}

/// A command of the table, registered with the parser.
struct Registered {
  std::unique_ptr<Command> command;
  CLI::App* app = nullptr;          ///< its subcommand
  CliSpec* command_line = nullptr;  ///< where it wants the whole command line, if it does
  bool defined = false;             ///< its options were added (register_commands)
};

/// Every option and positional of `app` that takes a value takes it without the mark of kVerbatim
/// (a positional after `--`, or the value of `--top -- 5`), before any other check or the
/// conversion sees it: a transform added last runs first.
void verbatim_values(CLI::App& app) {
  for (CLI::Option* option :
       app.get_options([](const CLI::Option* o) { return o->get_expected_max() > 0; })) {
    option->transform(CLI::Validator(
        [](std::string& value) -> std::string {
          value = unmarked(value);
          return {};
        },
        ""));
  }
}

/// Each command of the table as a subcommand, in the table's order (which --help keeps). Only the
/// commands a word of `args` names get their options: a run parses one command, and defining every
/// command's options was a quarter of the instructions of a lookup. A command that reads the
/// whole command line (completion) has every command defined.
std::vector<Registered> register_commands(CLI::App& app, ValueSources& sources, const Args& args) {
  std::vector<Registered> out;
  auto define = [&](Registered& r) {
    CliFlags flags(*r.app, sources);
    r.command->define(flags);
    verbatim_values(*r.app);
    r.command_line = flags.command_line_target();
    r.defined = true;
  };
  bool everything = false;
  for (const auto make : kCommands) {
    Registered r{make()};
    r.app = app.add_subcommand(std::string(r.command->name()), std::string(r.command->help()));
    r.app->footer(std::string(r.command->footer()));
    if (std::find(args.begin(), args.end(), r.command->name()) != args.end()) {
      define(r);
      everything = everything || r.command_line != nullptr;
    }
    out.push_back(std::move(r));
  }
  if (everything) {
    for (auto& r : out) {
      if (!r.defined) define(r);
    }
  }
  return out;
}

/// The names of the commands, in the table's order.
std::vector<std::string> command_names(const std::vector<Registered>& commands) {
  std::vector<std::string> names;
  for (const auto& c : commands) names.emplace_back(c.command->name());
  return names;
}

/// CLI11 2.1 says "A subcommand is required" or lists extras for a mistyped command: says what
/// happened and suggests the nearest command instead. Nothing when the command word is known or
/// there is none.
std::optional<int> unknown_command(const CLI::App& app, const std::vector<Registered>& commands,
                                   const Args& args, const Reporter& report) {
  const auto at = command_index(app, args);
  if (!at) return std::nullopt;
  const std::string word = unmarked(args[*at]);
  const std::vector<std::string> names = command_names(commands);
  if (std::find(names.begin(), names.end(), word) != names.end()) return std::nullopt;
  return report.usage(fmt::format("unknown command '{}'{}\nCommands: {}", render::sanitize(word),
                                  render::sanitize(did_you_mean(word, names)), fmt::join(names, ", ")),
                      {{word, suggestions(word, names)}});
}

/// What the parser could not take, in knots' words, naming the option and the command it was
/// given to; "Run 'knots CMD --help' for usage." follows it.
class ParseFailure {
 public:
  ParseFailure(const CLI::App& app, const ValueSources& sources, const Args& args)
      : app_(app), sources_(sources), args_(args) {
    const auto parsed = app.get_subcommands();
    where_ = parsed.empty() ? &app : parsed.front();
    // Where the command word stands: the first word that names the command being parsed.
    if (where_ != &app) {
      const auto word = std::find(args.begin(), args.end(), where_->get_name());
      if (word != args.end()) command_at_ = static_cast<std::size_t>(word - args.begin());
    }
  }

  /// The command whose --help to point to: the one being parsed, else the app.
  [[nodiscard]] std::string command() const {
    return where_ == &app_ ? "knots" : "knots " + where_->get_name();
  }

  /// What went wrong: the message, the words it is about, and the command whose --help to read.
  struct Explained {
    std::string message;
    std::vector<UnknownName> unknown;
    std::string command;
  };

  /// `error` in knots' words.
  [[nodiscard]] Explained explain(const CLI::ParseError& error) const {
    const std::string what = error.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) return extras();
    if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
      // The validators above word their own messages; the parser puts the option's name in front.
      std::string message = render::sanitize(unmarked(what));
      if (const auto colon = message.find(": takes "); colon != std::string::npos) message.erase(colon, 1);
      std::vector<UnknownName> unknown;
      if (refused_value) unknown.push_back(*refused_value);
      // "--color: …" before the command word is the app's option: the app's --help has it.
      const std::string option = what.substr(0, what.find(':'));
      const auto given = std::find_if(args_.begin(), args_.end(), [&](const std::string& arg) {
        return arg == option || arg.starts_with(option + "=");
      });
      return {message, unknown, given != args_.end() && before_command(*given) ? "knots" : command()};
    }
    if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
      // "name is required": a positional of the command.
      const std::string name = what.substr(0, what.find(' '));
      for (const auto* o : where_->get_options()) {
        if (o->get_positional() && o->get_name() == name)
          return {fmt::format("'{}' needs {}", command(),
                              o->get_type_name().substr(0, o->get_type_name().find(':'))),
                  {},
                  command()};
      }
      return {fmt::format("'{}' needs more arguments", command()), {}, command()};
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr ||
        dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
      // "--top: 1 required N:INT in [1 - 1000] missing", or a value given to a flag (--json=yes).
      if (const CLI::Option* option = named_option(what)) {
        const std::string name = option_name(*option);
        if (option->get_expected_max() == 0) return {fmt::format("{} takes no value", name), {}, command()};
        const auto source = sources_.find(option);
        const std::string takes = source != sources_.end() && !source->second.takes.empty()
                                      ? source->second.takes
                                      : option->get_type_name();
        return {fmt::format("{} needs a value: {}", name, takes), {}, command()};
      }
    }
    return {"the command line could not be read", {}, command()};
  }

 private:
  /// Every word no command or option took: the unknown options, each with the nearest name of an
  /// option where it stands (before the command word: the app's; after it: the command's and the
  /// app's), or else the arguments no positional takes.
  [[nodiscard]] Explained extras() const {
    std::vector<std::string> lines;
    std::vector<UnknownName> unknown;
    bool all_global = true;  // then the app's --help says what it takes
    const std::vector<std::string> left = app_.remaining(true);
    for (const auto& raw : left) {
      if (!raw.starts_with("-") || raw == "--") continue;
      const std::string name = raw.substr(0, raw.find('='));
      const bool global = before_command(raw);
      all_global = all_global && global;
      const std::vector<std::string> known = global ? long_names({&app_}) : long_names({where_, &app_});
      lines.push_back(fmt::format("unknown option '{}' for '{}'{}", render::sanitize(name),
                                  global ? "knots" : command(), render::sanitize(did_you_mean(name, known))));
      unknown.push_back({name, suggestions(name, known)});
    }
    if (lines.empty()) {
      for (const auto& raw : left) {
        if (raw == "--") continue;
        const std::string word = unmarked(raw);
        const bool global = before_command(raw);
        all_global = all_global && global;
        lines.push_back(fmt::format("unexpected argument '{}' for '{}'", render::sanitize(word),
                                    global ? "knots" : command()));
        unknown.push_back({word, {}});
      }
    }
    if (lines.empty()) return {"the command line could not be read", {}, command()};
    return {fmt::format("{}", fmt::join(lines, "\n")), unknown, all_global ? "knots" : command()};
  }

  /// Whether `word` stands before the command word (or there is no command).
  [[nodiscard]] bool before_command(const std::string& word) const {
    const auto it = std::find(args_.begin(), args_.end(), word);
    return !command_at_ || where_ == &app_ || it - args_.begin() < static_cast<std::ptrdiff_t>(*command_at_);
  }

  /// The option of the command or the app that a parser message starts with ("--top: …").
  [[nodiscard]] const CLI::Option* named_option(const std::string& what) const {
    for (const CLI::App* a : {where_, &app_}) {
      for (const auto* o : a->get_options()) {
        for (const auto& n : o->get_lnames()) {
          const std::string name = "--" + n;
          if (what.starts_with(name + ":") || what.starts_with(name + " ") ||
              what.find(" " + name) != std::string::npos)
            return o;
        }
      }
    }
    return nullptr;
  }

  static std::string option_name(const CLI::Option& option) {
    return option.get_lnames().empty() ? option.get_name() : "--" + option.get_lnames().front();
  }

  const CLI::App& app_;
  const ValueSources& sources_;
  const Args& args_;
  std::optional<std::size_t> command_at_;
  const CLI::App* where_ = nullptr;
};

/// Parses the command line; an exit code when that is all there is to do (--help, --version, a
/// usage error), else nothing.
std::optional<int> parse(CLI::App& app, const ValueSources& sources, const Args& args,
                         const Reporter& report) {
  try {
    Args reversed(args.rbegin(), args.rend());  // as CLI11 reads a vector
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return print_or_fail(app.help(), report);
  } catch (const CLI::CallForAllHelp&) {
    return print_or_fail(app.help("", CLI::AppFormatMode::All), report);
  } catch (const CLI::CallForVersion& e) {
    return print_or_fail(std::string(e.what()) + "\n", report);
  } catch (const CLI::ParseError& e) {
    auto [message, unknown, command] = ParseFailure(app, sources, args).explain(e);
    return report.usage(std::move(message), std::move(unknown),
                        fmt::format("Run '{} --help' for usage.", command));
  }
  return std::nullopt;
}

/// Runs the parsed command (with none, prints the short start): the one error boundary, which maps every
/// error to its exit code.
int run_parsed(const CLI::App& app, const ValueSources& sources, const std::vector<Registered>& commands,
               const GlobalOptions& global, const Reporter& report) {
  // JSON is indented for a person at a terminal, one line for a script.
  Context ctx(global, render::JsonStyle{::isatty(STDOUT_FILENO) == 1});
  try {
    if (global.json && global.ids) {
      throw UsageError(
          "--ids and --json do not go together: --ids prints the ids alone, --json whole documents");
    }
    for (const auto& c : commands) {
      if (!c.app->parsed()) continue;
      if (c.command_line != nullptr) *c.command_line = cli_spec(app, sources);
      return c.command->run(ctx);
    }
    ctx.print(start_text(terminal_width(STDOUT_FILENO)));
    return kOk;
  } catch (const BrokenPipe&) {
    return kBrokenPipe;  // the reader wanted no more: nothing to say
  } catch (const UsageError& e) {
    return report.fail({"usage", e.what(), {}, {}, e.unknown, {}}, kUsage);
  } catch (const NotFoundError& e) {
    return report.fail({"not_found", e.what(), {}, {}, e.unknown, {}}, kNotFound);
  } catch (const KnowledgeBaseError& e) {
    const bool io_only =
        std::all_of(e.diagnostics.begin(), e.diagnostics.end(), [](const Diagnostic& d) { return d.io; });
    if (io_only) {
      return report.fail(
          {"io",
           "the knowledge base could not be read; check the folders given with --kb and KNOTS_PATH",
           {},
           {},
           {},
           e.diagnostics},
          kFailure);
    }
    return report.fail(
        {"invalid_kb",
         // The problems come before it as text, and beside it as JSON.
         fmt::format("the knowledge base is invalid ({} problem{}): fix {}, and check the files "
                     "with 'knots validate'",
                     e.diagnostics.size(), e.diagnostics.size() == 1 ? "" : "s",
                     e.diagnostics.size() == 1 ? "it" : "them"),
         {},
         {},
         {},
         e.diagnostics},
        kInvalidKb);
  } catch (const std::exception& e) {
    return report.io(e.what());
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
  verbatim_values(app);
  const Args given(argv + std::min(argc, 1), argv + argc);
  const std::vector<Registered> commands = register_commands(app, sources, given);

  const Reporter report(json_requested(given));
  if (json_requested(given)) hold_messages();
  const Args args = verbatim_after_dashes(app, help_as_flag(app, given));
  std::optional<int> code = unknown_command(app, commands, args, report);
  if (!code) code = parse(app, sources, args, report);
  if (!code) code = run_parsed(app, sources, commands, global, report);
  release_messages();
  return *code;
}

}  // namespace knots::cli
