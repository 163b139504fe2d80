// knots schema [COMMAND]: the JSON Schema of what the commands print with --json.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "render/json.hpp"
#include "util/suggest.hpp"
#include "util/text.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots schema` set.
struct SchemaOptions {
  std::string command;  ///< "" for the whole schema
};

int run_schema(Context& ctx, const SchemaOptions& options) {
  const auto schema = render::schema_json(options.command, ctx.json_style());
  if (!schema) {
    // The names of commands are a fixed list, not entries of the knowledge base: a usage error.
    const std::vector<std::string> commands = render::schema_commands();
    throw UsageError(fmt::format(
        "'{}' is not a command with JSON output{}\nCommands: {}", render::sanitize(options.command),
        render::sanitize(did_you_mean(options.command, commands)), joined(commands)));
  }
  ctx.print(*schema);
  return 0;
}

/// `knots schema` in the table: its flags bound to SchemaOptions, then run_schema.
class SchemaCommand final : public Command {
 public:
  SchemaCommand()
      : Command("schema", "The JSON Schema of every command's --json output, or of one command's",
                "Prints JSON Schema (draft 2020-12): each field's type, meaning and whether it is stable\n"
                "or display-only. Within knots/v1 fields are only added, never renamed or removed.\n"
                "Example:\n  knots schema recommend\n  knots schema error\n  knots schema | jq "
                "'.\"x-commands\"'") {}

  void define(Flags& flags) override {
    flags
        .option("command", options_.command,
                "A command (list, show, recommend …), or error for the error object")
        .type_name("COMMAND");
  }

  int run(Context& ctx) override {
    ctx.refuse_ids(name());
    return run_schema(ctx, options_);
  }

 private:
  SchemaOptions options_;
};

}  // namespace

std::unique_ptr<Command> schema_command() {
  return std::make_unique<SchemaCommand>();
}

}  // namespace knots::cli
