// knots validate [PATH…]: every problem in every file, as file:line:col: message.
#include <algorithm>
#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "render/json.hpp"

namespace knots::cli {

int run_validate(Context& ctx, const ValidateOptions& options) {
  load::LoadOptions load_options = ctx.load_options();
  load_options.paths = options.paths;
  const load::LoadResult result = load::load(load_options);
  const auto& problems = result.diagnostics;
  const bool io_only =
      std::all_of(problems.begin(), problems.end(), [](const Diagnostic& d) { return d.io; });
  const int code = problems.empty() ? kOk : io_only ? kFailure : kInvalidKb;
  if (options.json) {
    Context::print(render::validation_json(problems, result.files, result.kb.modalities.size()));
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
  Context::print(out);
  return code;
}

}  // namespace knots::cli
