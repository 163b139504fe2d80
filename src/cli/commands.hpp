// The table of subcommands, in the order `knots --help` lists them. A new command is a cmd_*.cpp
// that defines its Command and the function that makes it, plus its row here.
#pragma once

#include <array>
#include <memory>

#include "cli/command.hpp"

namespace knots::cli {

// One row per command: the function in its cmd_*.cpp that makes it (with its options at their
// defaults), then its place in the table.
std::unique_ptr<Command> list_command();
std::unique_ptr<Command> show_command();
std::unique_ptr<Command> techniques_command();
std::unique_ptr<Command> conditions_command();
std::unique_ptr<Command> goals_command();
std::unique_ptr<Command> red_flags_command();
std::unique_ptr<Command> sources_command();
std::unique_ptr<Command> guide_command();
std::unique_ptr<Command> self_care_command();
std::unique_ptr<Command> recommend_command();
std::unique_ptr<Command> compare_command();
std::unique_ptr<Command> search_command();
std::unique_ptr<Command> validate_command();
std::unique_ptr<Command> paths_command();
std::unique_ptr<Command> new_command();
std::unique_ptr<Command> graph_command();
std::unique_ptr<Command> schema_command();
std::unique_ptr<Command> completion_command();
std::unique_ptr<Command> help_command();

/// Every command, as app.cpp registers, dispatches, lists and spell-checks them.
// One row per line, as a table reads (clang-format would pack them).
// clang-format off
inline constexpr std::array kCommands = {
    &list_command,
    &show_command,
    &techniques_command,
    &conditions_command,
    &goals_command,
    &red_flags_command,
    &sources_command,
    &guide_command,
    &self_care_command,
    &recommend_command,
    &compare_command,
    &search_command,
    &validate_command,
    &paths_command,
    &new_command,
    &graph_command,
    &schema_command,
    &completion_command,
    &help_command,
};
// clang-format on

}  // namespace knots::cli
