// A cache of the parsed, validated model, so that a command does not parse YAML on every run.
//
// The cache is an optimisation and nothing more: whatever happens to its folder or files, and
// whatever time stamps a file system keeps, a run gives the answer a run without it would give,
// or rebuilds. It is trusted only when:
//  - its folder and file belong to the user and are writable by nobody else (folders are made 0700);
//  - the file carries a keyed checksum (BLAKE2b, with a random key kept 0600 beside it), so a file
//    that knots did not write with this user's key is rejected;
//  - it was built by this version from the same embedded knowledge base, and every input file has
//    the same path, device, inode, size, modification and change time (ctime, which nobody can set);
//  - no input was changed within the racy window (2 s) before the cache was written: an edit that
//    soon could leave every time stamp as it was on a coarse file system (git's racy-timestamp rule).
// It is bounded: the newest few files are kept, older and orphaned ones removed, and no file is
// written that the reader would refuse as too large.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "load/loader.hpp"

namespace knots::load {

/// The whole model as bytes, and back. `deserialize` checks every length and enum and returns
/// nothing for bytes it did not write.
std::string serialize(const LoadResult& result);
std::optional<LoadResult> deserialize(std::string_view bytes);

/// The times that say whether a file changed, in nanoseconds since the epoch.
struct FileTimes {
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
};

/// Git's racy-timestamp rule: a file whose modification or change time falls within `window_ns` of
/// `reference_ns` (the moment its time stamps were read for the cache), or after it, could be
/// changed again without any time stamp moving, so a cache must not rely on it. A change time of
/// zero or less says the file system keeps no usable times, which is racy too.
bool is_racy(const FileTimes& file, std::int64_t reference_ns, std::int64_t window_ns);

struct CacheSettings {
  std::string dir;                               ///< absolute; "" turns the cache off
  std::int64_t racy_window_ns = 2'000'000'000;   ///< covers 1 s (ext3, HFS+) and 2 s (FAT) stamps
  std::size_t keep = 8;                          ///< model files kept, newest first
  std::size_t max_bytes = std::size_t{1} << 28;  ///< larger files are neither read nor written
};

/// load(options) through the cache in `settings.dir` (created 0700 when missing). Only a knowledge
/// base without problems is cached; an invalid one is parsed every time so that every message
/// stays. When the cache folder is not safe to use, `note` says why (for a warning) and the
/// knowledge base is loaded without it.
LoadResult load_cached(const LoadOptions& options, const CacheSettings& settings,
                       std::string* note = nullptr);

/// The cache file a set of inputs uses (for tests): "<dir>/model-<hash>.bin".
std::string cache_file_for(const LoadOptions& options, const std::string& dir);

}  // namespace knots::load
