// Loading the knowledge base: the embedded default, then user folders, merged and cross-checked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/knowledge_base.hpp"
#include "util/diagnostic.hpp"

namespace knots::load {

/// One file's name (as shown in messages) and bytes.
struct InputFile {
  std::string name;
  std::string bytes;
};

/// A folder's files; a later layer replaces entries of earlier ones by id.
struct Layer {
  std::string label;  ///< the folder, or "<built-in>"
  std::vector<InputFile> files;
};

struct LoadOptions {
  bool use_embedded = true;
  std::vector<std::string> folders;  ///< in order, later ones override earlier ones
  std::vector<std::string> paths;    ///< files or folders read last, as one layer (for validate)
};

struct LoadResult {
  KnowledgeBase kb;
  std::vector<Diagnostic> diagnostics;  ///< empty when the knowledge base is valid
  std::vector<std::string> layers;      ///< the labels of the layers that were read, in order
  std::size_t files = 0;                ///< how many files were parsed

  [[nodiscard]] bool ok() const { return diagnostics.empty(); }
};

/// The label under which the embedded files are shown: "<built-in>/modalities/swedish.yaml".
inline constexpr const char* kBuiltIn = "<built-in>";

/// The embedded knowledge base as a layer.
Layer embedded_layer();

/// More files than this in one folder is a mistake (a home directory given as --kb, say).
inline constexpr std::size_t kMaxFiles = 20000;

/// The knowledge-base files of a folder (`*.yaml` and `*.yml` at its top and in `modalities/`,
/// hidden files left out), sorted by name; nothing, with the reason appended to `out`, when the
/// folder cannot be read or holds more than kMaxFiles of them. Nothing is stat'ed past the cap.
std::optional<std::vector<std::string>> folder_files(const std::string& folder, std::vector<Diagnostic>& out);

/// Reads a folder's knowledge-base files (`*.yaml` at its top and in `modalities/`), sorted by
/// name. Problems reading it are appended to `out`.
Layer read_folder(const std::string& folder, std::vector<Diagnostic>& out);

/// The vocabularies (techniques.yaml, conditions.yaml …) of the knowledge-base folder of each file
/// given one by one (the folder above `modalities/`, else the file's own), as the layer read just
/// before those files: a technique defined beside a new modality is then known when it is checked
/// on its own. Folders already read (`options.folders`, folders among the paths) and the given
/// files themselves are left out.
Layer beside_paths(const LoadOptions& options, std::vector<Diagnostic>& out);

/// Reads files and folders given one by one into a single layer.
Layer read_paths(const std::vector<std::string>& paths, std::vector<Diagnostic>& out);

/// The bytes of a file that an entry came from (its `file`, as shown in messages): an embedded
/// "<built-in>/..." file or one on disk, read with the same checks as a knowledge-base file.
std::optional<std::string> entry_file_bytes(const std::string& name);

/// Parses, merges and checks layers held in memory: the entry point shared by the CLI, the tests
/// and the fuzzer. Each file's bytes are let go of once it is parsed.
LoadResult load_layers(std::vector<Layer> layers);

/// The embedded default (unless left out) and then each folder.
LoadResult load(const LoadOptions& options);

}  // namespace knots::load
