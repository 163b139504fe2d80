// knots help [COMMAND]: the help of knots or of one command, as --help gives it.
#include "cli/commands.hpp"

namespace knots::cli {

namespace {

/// What the arguments of `knots help` set.
struct HelpOptions {
  std::string command;
};

/// `knots help` in the table, where --help and the completion scripts find it. app.cpp answers it
/// before parsing, as `knots --help` or `knots COMMAND --help` (help_as_flag), so that it says
/// exactly what --help says and an unknown command gets the usual "did you mean".
class HelpCommand final : public Command {
 public:
  HelpCommand()
      : Command("help", "The help of knots, or of one command (as --help)",
                "Example:\n  knots help\n  knots help recommend") {}

  void define(Flags& flags) override {
    std::vector<std::string> names;
    for (const auto make : kCommands) {
      if (make != &help_command) names.emplace_back(make()->name());
    }
    flags.option("command", options_.command, "The command to explain")
        .choices(names, "command")
        .type_name("COMMAND");
  }

  int run(Context& /*ctx*/) override {
    throw UsageError("'knots help COMMAND' is read as 'knots COMMAND --help'");
  }

 private:
  HelpOptions options_;
};

}  // namespace

std::unique_ptr<Command> help_command() {
  return std::make_unique<HelpCommand>();
}

}  // namespace knots::cli
