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

/// Whether `file` (as messages name it) lies in `folder`.
bool inside(const std::string& file, const std::string& folder) {
  return file == folder || (file.size() > folder.size() && file.compare(0, folder.size(), folder) == 0 &&
                            (folder.ends_with('/') || file[folder.size()] == '/'));
}

/// Each folder that was asked for, in the order it is read, with its state: missing, unreadable,
/// invalid (with how many problems its files have) or ok.
std::vector<FolderStatus> folder_statuses(const Context& ctx, const load::LoadResult& loaded) {
  std::vector<FolderStatus> out;
  const load::LoadOptions options = ctx.load_options();
  if (options.use_embedded) out.push_back({load::kBuiltIn, "built-in", "ok", 0});
  const std::vector<std::string> knots_path = knots_path_folders();
  for (std::size_t i = 0; i < options.folders.size(); ++i) {
    const std::string& folder = options.folders[i];
    // The user folder comes first when it exists, then KNOTS_PATH, then --kb (load_options()).
    const std::size_t user_count =
        options.folders.size() - knots_path.size() - ctx.options().kb_folders.size();
    const char* from = i < user_count ? "user" : i < user_count + knots_path.size() ? "KNOTS_PATH" : "--kb";
    out.push_back({folder, from, "ok", 0});
  }
  for (auto& f : out) {
    std::error_code ec;
    if (f.path != load::kBuiltIn && !std::filesystem::is_directory(f.path, ec)) {
      f.status = "missing";
      continue;
    }
    for (const auto& d : loaded.diagnostics) {
      if (!inside(d.file, f.path)) continue;
      ++f.problems;
      if (d.io && d.file == f.path) f.status = "unreadable";
    }
    if (f.problems > 0 && f.status == "ok") f.status = "invalid";
  }
  return out;
}

int run_paths(Context& ctx, const PathsOptions& /*options*/) {
  // Whatever state the folders are in: this is the command that shows it.
  const load::LoadResult& loaded = ctx.load_result();
  if (ctx.ids()) {
    // The modalities in use; none when the knowledge base could not be loaded.
    std::vector<std::string> ids;
    if (loaded.ok()) {
      for (const auto& m : loaded.kb.modalities.all()) ids.push_back(m.id);
    }
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
  const std::vector<FolderStatus> folders = folder_statuses(ctx, loaded);
  const KnowledgeBase* kb = loaded.ok() ? &loaded.kb : nullptr;
  ctx.print(ctx.json() ? render::paths_json(folders, places, kb, ctx.json_style())
                       : render::paths_text(folders, places, kb, ctx.style()));
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
