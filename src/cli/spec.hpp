// A plain description of the command line, taken from the CLI11 definition in app.cpp, so that
// completion scripts and the manual's test are generated from the same source as the parser.
#pragma once

#include <string>
#include <vector>

namespace knots::cli {

struct OptionSpec {
  std::vector<std::string> names;  ///< "--pressure", "-h" …; empty for a positional
  std::string positional;          ///< the positional's name ("name", "names") or ""
  std::string help;
  bool takes_value = false;
  bool repeatable = false;
  std::string values;                ///< where values come from: "modality", "technique", "goal",
                                     ///< "condition", "topic", "self-care", "area", "dir", "path",
                                     ///< or "" (free or `choices`)
  std::vector<std::string> choices;  ///< fixed values (pressure levels, shells …)
};

struct CommandSpec {
  std::string name;
  std::string help;
  std::vector<OptionSpec> options;  ///< flags and options, then positionals
};

struct CliSpec {
  std::vector<OptionSpec> global;
  std::vector<CommandSpec> commands;
};

/// A completion script for `shell` ("bash", "zsh" or "fish"). Dynamic values (modality ids and
/// aliases …) are asked of knots itself at completion time: `knots completion --values KIND`.
std::string completion_script(const CliSpec& spec, const std::string& shell);

}  // namespace knots::cli
