// knots validate [PATH…]: every problem in every file, as file:line:col: message.
#include <algorithm>
#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "render/json.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots validate` set.
struct ValidateOptions {
  std::vector<std::string> paths;  ///< files or folders; none means the knowledge base in use
};

int run_validate(Context& ctx, const ValidateOptions& options) {
  load::LoadOptions load_options = ctx.load_options();
  load_options.paths = options.paths;
  const load::LoadResult result = load::load(load_options);
  const auto& problems = result.diagnostics;
  const bool io_only =
      std::all_of(problems.begin(), problems.end(), [](const Diagnostic& d) { return d.io; });
  const int code = problems.empty() ? kOk : io_only ? kFailure : kInvalidKb;
  if (ctx.json()) {
    ctx.print(render::validation_json(problems, result.files, result.kb.modalities.size(), options.paths,
                                      ctx.json_style()));
    return code;
  }
  std::string out;
  for (const auto& d : problems) out += render::sanitize(d.to_string()) + "\n";
  if (problems.empty()) {
    out +=
        fmt::format("ok: {} files, {} modalities, no problems\n", result.files, result.kb.modalities.size());
  } else {
    out += fmt::format("{} problem{} in {} file{}\n", problems.size(), problems.size() == 1 ? "" : "s",
                       result.files, result.files == 1 ? "" : "s");
  }
  ctx.print(out);
  return code;
}

/// `knots validate` in the table: its flags bound to ValidateOptions, then run_validate.
class ValidateCommand final : public Command {
 public:
  ValidateCommand()
      : Command("validate", "Check knowledge-base files; report every problem",
                "Checks the knowledge base in use (built-in, user folder, KNOTS_PATH, --kb) plus each PATH.\n"
                "Example:\n  knots validate ~/clinic-kb\n  knots --no-default-kb validate kb/") {}

  void define(Flags& flags) override {
    flags.option("paths", options_.paths, "Files or folders to check on top of the knowledge base in use")
        .values("path")
        .type_name("PATH");
  }

  int run(Context& ctx) override {
    ctx.refuse_ids(name());
    return run_validate(ctx, options_);
  }

 private:
  ValidateOptions options_;
};

}  // namespace

std::unique_ptr<Command> validate_command() {
  return std::make_unique<ValidateCommand>();
}

}  // namespace knots::cli
