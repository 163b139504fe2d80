// Reading knowledge-base folders safely, merging layers by id, and checking every reference.
#include "load/loader.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <thread>
#include <unordered_map>

#include "load/bytes.hpp"
#include "load/embedded.hpp"
#include "load/parse.hpp"
#include "load/validate.hpp"
#include "util/file.hpp"
#include "util/suggest.hpp"

namespace knots::load {
namespace {

/// Larger files are refused: yaml-cpp needs ~235 bytes of memory per byte of some inputs.
constexpr std::size_t kMaxFileBytes = 1 << 20;

bool is_yaml_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return name.ends_with(".yaml") || name.ends_with(".yml");
}

/// A regular file, up to the cap; a diagnostic otherwise (too large is the content's fault, the
/// rest are the file system's).
bool read_regular_file(const std::string& path, std::string& bytes, std::vector<Diagnostic>& out) {
  FileRead read = read_file(path, {.max_bytes = kMaxFileBytes});
  if (!read.ok()) {
    // Too large is the content's fault; the rest are the file system's.
    const std::string message = read.message(kMaxFileBytes);
    out.push_back(read.status == FileRead::Status::too_large ? Diagnostic::invalid(path, message)
                                                             : Diagnostic::unreadable(path, message));
    return false;
  }
  bytes = std::move(read.bytes);
  return true;
}

/// The folder's YAML files, each as the folder joined with its name (as std::filesystem joins
/// them). Read with readdir: at 10,000 files a path object for each entry cost more than listing
/// the folder, and the cache lists it on every run.
void list_yaml(const std::filesystem::path& dir, std::vector<std::string>& names,
               std::vector<Diagnostic>& out) {
  const auto fail = [&] {
    const std::error_code ec(errno, std::generic_category());
    out.push_back(Diagnostic::unreadable(dir.string(), fmt::format("cannot read folder: {}", ec.message())));
  };
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    fail();
    return;
  }
  const std::string prefix = (dir / "").string();
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(d);
    if (!entry) {
      if (errno != 0) fail();
      break;
    }
    const std::string_view name = entry->d_name;
    if (is_yaml_name(name)) {
      std::string path = prefix;
      path += name;
      names.push_back(std::move(path));
    }
    if (names.size() > kMaxFiles) break;
  }
  ::closedir(d);
}

// --- merging -------------------------------------------------------------------------------

template <class T>
void merge(Merged<T>& merged, std::vector<Parsed<T>>& entries, std::size_t layer, std::string_view kind,
           std::vector<Diagnostic>& out) {
  for (auto& entry : entries) {
    if (entry.value.id.empty()) continue;
    auto it = merged.by_id.find(entry.value.id);
    if (it != merged.by_id.end() && it->second.second == layer) {
      const Location& first = it->second.first.at;
      out.push_back(Diagnostic::invalid(entry.at.file, entry.at.line, entry.at.column,
                                        fmt::format("duplicate {} id '{}' (first defined at {}:{}:{})", kind,
                                                    entry.value.id, first.file, first.line, first.column)));
      continue;
    }
    std::string id = entry.value.id;
    merged.by_id.insert_or_assign(std::move(id), std::make_pair(std::move(entry), layer));
  }
}

template <class T>
std::vector<T> values(Merged<T>& merged) {
  std::vector<T> out;
  out.reserve(merged.by_id.size());
  for (auto& [id, entry] : merged.by_id) out.push_back(std::move(entry.first.value));
  return out;
}

/// Parses every file, on every core when there are many: files are independent until merged.
/// Each thread takes the next file not yet taken, so one slow file holds up no other.
/// Each file's bytes are given back once it is parsed: its tree holds what the model needs.
std::vector<ParsedFile> parse_all(const std::vector<std::pair<std::size_t, InputFile*>>& files,
                                  std::vector<std::vector<Diagnostic>>& problems) {
  std::vector<ParsedFile> parsed(files.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      InputFile& file = *files[i].second;
      if (const auto text = check_bytes(file.name, file.bytes, problems[i])) {
        parsed[i] = parse_file(file.name, *text, problems[i]);
      }
      std::string().swap(file.bytes);
    }
  };
  // Below this many files a thread costs more to start than it saves.
  constexpr std::size_t kFilesPerThread = 32;
  const std::size_t threads = std::min<std::size_t>(std::max(1U, std::thread::hardware_concurrency()),
                                                    files.size() / kFilesPerThread);
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (auto& helper : helpers) helper.join();
  return parsed;
}

}  // namespace

Layer embedded_layer() {
  Layer layer{kBuiltIn, {}};
  for (const auto& file : embedded_files()) {
    layer.files.push_back({fmt::format("{}/{}", kBuiltIn, file.path), std::string(file.bytes)});
  }
  return layer;
}

std::optional<std::vector<std::string>> folder_files(const std::string& folder,
                                                     std::vector<Diagnostic>& out) {
  std::error_code ec;
  const auto status = std::filesystem::status(folder, ec);
  if (ec || !std::filesystem::exists(status)) {
    out.push_back(Diagnostic::unreadable(folder, "no such knowledge-base folder"));
    return std::nullopt;
  }
  if (!std::filesystem::is_directory(status)) {
    out.push_back(Diagnostic::unreadable(folder, "not a folder; --kb and KNOTS_PATH take folders"));
    return std::nullopt;
  }
  std::vector<std::string> paths;
  const std::size_t before = out.size();
  list_yaml(folder, paths, out);
  const auto modalities = std::filesystem::path(folder) / "modalities";
  if (paths.size() <= kMaxFiles && std::filesystem::is_directory(modalities, ec))
    list_yaml(modalities, paths, out);
  if (paths.size() > kMaxFiles) {
    out.push_back(
        Diagnostic::invalid(folder, fmt::format("more than {} files; is this the right folder?", kMaxFiles)));
    return std::nullopt;
  }
  if (out.size() != before) return std::nullopt;
  std::sort(paths.begin(), paths.end());
  return paths;
}

Layer read_folder(const std::string& folder, std::vector<Diagnostic>& out) {
  Layer layer{folder, {}};
  const auto paths = folder_files(folder, out);
  if (!paths) return layer;
  for (const auto& path : *paths) {
    InputFile file{path, {}};
    if (read_regular_file(path, file.bytes, out)) layer.files.push_back(std::move(file));
  }
  return layer;
}

std::optional<std::string> entry_file_bytes(const std::string& name) {
  const std::string prefix = fmt::format("{}/", kBuiltIn);
  if (name.starts_with(prefix)) {
    for (const auto& file : embedded_files()) {
      if (file.path == std::string_view(name).substr(prefix.size())) return std::string(file.bytes);
    }
    return std::nullopt;
  }
  std::string bytes;
  std::vector<Diagnostic> ignored;
  if (!read_regular_file(name, bytes, ignored)) return std::nullopt;
  return bytes;
}

Layer read_paths(const std::vector<std::string>& paths, std::vector<Diagnostic>& out) {
  Layer layer{"(paths)", {}};
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      Layer folder = read_folder(path, out);
      for (auto& file : folder.files) layer.files.push_back(std::move(file));
      continue;
    }
    InputFile file{path, {}};
    if (read_regular_file(path, file.bytes, out)) layer.files.push_back(std::move(file));
  }
  return layer;
}

namespace {

/// The knowledge-base folder a file belongs to: the one above `modalities/`, else its own folder.
std::filesystem::path kb_folder_of(const std::filesystem::path& file) {
  const std::filesystem::path parent = file.parent_path();
  if (parent.filename() == "modalities") return parent.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

/// The same file or folder, however it was written ("kb/../kb/x.yaml", a link).
bool same_place(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

}  // namespace

Layer beside_paths(const LoadOptions& options, std::vector<Diagnostic>& out) {
  Layer layer{"(beside the paths)", {}};
  std::vector<std::filesystem::path> done(options.folders.begin(), options.folders.end());
  for (const auto& path : options.paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) done.emplace_back(path);
  }
  auto given = [&](const std::filesystem::path& file) {
    return std::any_of(options.paths.begin(), options.paths.end(),
                       [&](const std::string& p) { return same_place(p, file); });
  };
  for (const auto& path : options.paths) {
    const std::filesystem::path folder = kb_folder_of(path);
    if (std::any_of(done.begin(), done.end(), [&](const auto& d) { return same_place(d, folder); })) continue;
    done.push_back(folder);
    std::vector<std::string> names;
    std::vector<Diagnostic> ignored;  // a folder that cannot be listed adds nothing: the paths still load
    list_yaml(folder, names, ignored);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      if (!is_vocabulary_file(std::filesystem::path(name).filename().string()) || given(name)) continue;
      InputFile file{name, {}};
      if (read_regular_file(name, file.bytes, out)) layer.files.push_back(std::move(file));
    }
  }
  return layer;
}

LoadResult load_layers(std::vector<Layer> layers) {
  LoadResult result;
  std::vector<std::pair<std::size_t, InputFile*>> files;  // (layer, file)
  for (std::size_t i = 0; i < layers.size(); ++i) {
    result.layers.push_back(layers[i].label);
    for (auto& file : layers[i].files) files.emplace_back(i, &file);
  }
  std::vector<std::vector<Diagnostic>> problems(files.size());
  std::vector<ParsedFile> parsed = parse_all(files, problems);
  result.files = files.size();

  // The merge goes file by file in order, as if parsing had been sequential.
  Catalogs catalogs;
  auto& out = result.diagnostics;
  for (std::size_t i = 0; i < files.size(); ++i) {
    out.insert(out.end(), std::make_move_iterator(problems[i].begin()),
               std::make_move_iterator(problems[i].end()));
    for_each_kind([&](const auto& kind) {
      using T = typename std::remove_cvref_t<decltype(kind)>::Entry;
      merge(std::get<Merged<T>>(catalogs), entries<T>(parsed[i]), files[i].first, kind.word, out);
    });
  }
  parsed.clear();
  validate_catalogs(catalogs, out);
  sort_diagnostics(out);
  for_each_kind([&](const auto& kind) {
    using T = typename std::remove_cvref_t<decltype(kind)>::Entry;
    result.kb.*kind.catalog = Catalog<T>(values(std::get<Merged<T>>(catalogs)));
  });
  return result;
}

LoadResult load(const LoadOptions& options) {
  std::vector<Layer> layers;
  std::vector<Diagnostic> io;
  if (options.use_embedded) layers.push_back(embedded_layer());
  for (const auto& folder : options.folders) layers.push_back(read_folder(folder, io));
  // A path inside a folder already read is checked there; read twice, each problem would show twice.
  LoadOptions fresh = options;
  std::erase_if(fresh.paths, [&](const std::string& path) {
    return std::any_of(options.folders.begin(), options.folders.end(), [&](const std::string& folder) {
      return same_place(kb_folder_of(path), folder) || same_place(path, folder);
    });
  });
  if (!fresh.paths.empty()) {
    layers.push_back(beside_paths(fresh, io));
    layers.push_back(read_paths(fresh.paths, io));
  }
  LoadResult result = load_layers(std::move(layers));
  result.diagnostics.insert(result.diagnostics.end(), io.begin(), io.end());
  sort_diagnostics(result.diagnostics);
  return result;
}

}  // namespace knots::load
