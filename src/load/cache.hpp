// A cache of the parsed, validated model, so that a command does not parse YAML on every run.
// It is keyed by the binary's version and the embedded knowledge base, and validated against the
// size and modification time of every file and folder it was built from; anything stale, corrupt
// or from another version is rebuilt, never trusted.
#pragma once

#include <optional>
#include <string>

#include "load/loader.hpp"

namespace knots::load {

/// The whole model as bytes, and back. `deserialize` checks every length and enum and returns
/// nothing for bytes it did not write.
std::string serialize(const LoadResult& result);
std::optional<LoadResult> deserialize(std::string_view bytes);

/// load(options) through the cache in `cache_dir` (created when missing). Only a knowledge base
/// without problems is cached; an invalid one is parsed every time so that every message stays.
/// An empty `cache_dir` turns the cache off.
LoadResult load_cached(const LoadOptions& options, const std::string& cache_dir);

}  // namespace knots::load
