// How a subcommand defines itself (name, help, footer, flags) and runs, without including CLI11:
// app.cpp is the only file that includes it (it is slow to compile), implements Flags over it, and
// walks the table in commands.hpp to register, dispatch, list and spell-check the commands.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.hpp"
#include "cli/spec.hpp"

namespace knots::cli {

/// One flag or positional being defined; each setter returns it, so that they chain.
class Option {
 public:
  virtual ~Option() = default;
  /// The placeholder for its value in --help: "LEVEL", "NAME".
  virtual Option& type_name(std::string name) = 0;
  /// Must be given.
  virtual Option& required() = 0;
  /// One of `names`, in any case (passed on in lowercase); an error names the value a `what`
  /// ("pressure level") and suggests the nearest. The completion scripts offer the names.
  virtual Option& choices(std::vector<std::string> names, std::string what) = 0;
  /// A pressure level: a level's name or an everyday word for one ("hard"; pressure_from_words),
  /// in any case (passed on in lowercase, for pressure_option() to read and say what it read). The
  /// completion scripts offer the four levels.
  virtual Option& pressure() = 0;
  /// Where the completion scripts take its values from: "modality", "goal", "dir", "path" …
  /// (OptionSpec::values in spec.hpp).
  virtual Option& values(std::string kind) = 0;
  /// A whole number from `min` to `max`.
  virtual Option& range(int min, int max) = 0;
  /// One value per occurrence: `--goal a b` gives the goal a and leaves b to the command.
  virtual Option& single() = 0;
};

/// Defines a command's flags and positionals, in the order its --help lists them. A name with
/// leading dashes ("--pressure") is a flag; one without ("name") is a positional.
class Flags {
 public:
  virtual ~Flags() = default;
  /// A flag without a value: `to` becomes true when it is given.
  virtual void flag(std::string name, bool& to, std::string help) = 0;
  virtual Option& option(std::string name, std::string& to, std::string help) = 0;
  virtual Option& option(std::string name, std::optional<std::string>& to, std::string help) = 0;
  /// Repeatable (a positional: takes every remaining word).
  virtual Option& option(std::string name, std::vector<std::string>& to, std::string help) = 0;
  virtual Option& option(std::string name, std::size_t& to, std::string help) = 0;
  /// Asks for the whole command line as data (every command's flags), filled in `to` before the
  /// command runs: the completion scripts are generated from it.
  virtual void command_line(CliSpec& to) = 0;
};

/// One subcommand: what `knots --help` and `knots NAME --help` say about it, its flags (bound to
/// its own options), and what it does once they are parsed. Each lives in a cmd_*.cpp, with a row
/// in the table (commands.hpp).
class Command {
 public:
  /// `command` as typed; `summary` is its line in `knots --help`; `examples` ends its own --help.
  Command(std::string_view command, std::string_view summary, std::string_view examples)
      : name_(command), help_(summary), footer_(examples) {}
  virtual ~Command() = default;
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;

  [[nodiscard]] std::string_view name() const { return name_; }
  [[nodiscard]] std::string_view help() const { return help_; }
  [[nodiscard]] std::string_view footer() const { return footer_; }

  /// Binds its flags and positionals to its options; called once, before parsing.
  virtual void define(Flags& flags) = 0;
  /// Runs with the parsed options; an exit code (app.hpp), or an exception from context.hpp.
  virtual int run(Context& ctx) = 0;

 private:
  std::string_view name_;
  std::string_view help_;
  std::string_view footer_;
};

}  // namespace knots::cli
