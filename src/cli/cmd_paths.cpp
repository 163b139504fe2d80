// knots paths: the folders in use, in order, and which file each modality came from.
#include <filesystem>

#include "cli/commands.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

int run_paths(Context& ctx, const PathsOptions& options) {
  const load::LoadResult& loaded = ctx.loaded();
  Places places;
  const Place user = user_folder();
  places.user_folder = user.path;
  places.user_note = user.why;
  if (std::error_code ec; !user.path.empty() && !std::filesystem::is_directory(user.path, ec)) {
    places.user_note = "not there yet; 'knots new' makes it";
  }
  const Place cache = cache_folder();
  places.cache = cache.path;
  places.cache_note = cache.why;
  places.ignored = Context::ignored_path_entries();
  Context::print(options.json ? render::paths_json(loaded.layers, places, loaded.kb)
                              : render::paths_text(loaded.layers, places, loaded.kb, ctx.style()));
  return 0;
}

}  // namespace knots::cli
