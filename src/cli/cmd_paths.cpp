// knots paths: the folders in use, in order, and which file each modality came from.
#include "cli/commands.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

int run_paths(Context& ctx, const PathsOptions& options) {
  const load::LoadResult& loaded = ctx.loaded();
  Context::print(options.json ? render::paths_json(loaded.layers, loaded.kb)
                              : render::paths_text(loaded.layers, loaded.kb, ctx.style()));
  return 0;
}

}  // namespace knots::cli
