// knots paths: the folders in use, in order, their vocabulary files, and which file each modality
// came from.
#include <filesystem>

#include "cli/commands.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {

namespace {

/// What the flags and arguments of `knots paths` set.
struct PathsOptions {};

/// The vocabulary files (techniques.yaml …) of the folders in use, in the order they are read.
std::vector<std::string> vocabulary_files(const std::vector<std::string>& layers) {
  auto is_vocabulary = [](const std::string& file) {
    return is_vocabulary_file(std::filesystem::path(file).filename().string());
  };
  std::vector<std::string> out;
  for (const auto& layer : layers) {
    if (layer == load::kBuiltIn) {
      for (const auto& file : load::embedded_layer().files) {
        if (is_vocabulary(file.name)) out.push_back(file.name);
      }
      continue;
    }
    std::vector<Diagnostic> ignored;  // the load has read these folders already
    for (const auto& file : load::folder_files(layer, ignored).value_or(std::vector<std::string>{})) {
      // A folder's files are at its top or in modalities/, where no vocabulary file counts.
      if (is_vocabulary(file) && std::filesystem::path(file).parent_path().filename() != "modalities")
        out.push_back(file);
    }
  }
  return out;
}

int run_paths(Context& ctx, const PathsOptions& /*options*/) {
  const load::LoadResult& loaded = ctx.loaded();
  if (ctx.ids()) {
    std::vector<std::string> ids;
    for (const auto& m : loaded.kb.modalities.all()) ids.push_back(m.id);
    ctx.print_ids(ids);
    return 0;
  }
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
  places.vocabularies = vocabulary_files(loaded.layers);
  ctx.print(ctx.json() ? render::paths_json(loaded.layers, places, loaded.kb, ctx.json_style())
                       : render::paths_text(loaded.layers, places, loaded.kb, ctx.style()));
  return 0;
}

/// `knots paths` in the table: its flags bound to PathsOptions, then run_paths.
class PathsCommand final : public Command {
 public:
  PathsCommand()
      : Command("paths", "The knowledge-base folders in use, and where each modality came from",
                "Example:\n  KNOTS_PATH=~/clinic-kb knots paths") {}

  void define(Flags& /*flags*/) override {}

  int run(Context& ctx) override { return run_paths(ctx, options_); }

 private:
  PathsOptions options_;
};

}  // namespace

std::unique_ptr<Command> paths_command() {
  return std::make_unique<PathsCommand>();
}

}  // namespace knots::cli
