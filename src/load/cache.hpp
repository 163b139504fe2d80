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
//
// A command that reads a few entries of a large knowledge base decodes only those: each kind's
// entries follow a table of where each one starts (open_cached, CachedModel::decode). A blob made
// from the model (the search index) can be kept with it (CacheSettings::extra).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "load/loader.hpp"

namespace knots::load {

/// The whole model, and an extra blob, as bytes (what a cache file holds after its checksum and
/// inputs); `deserialize` decodes every entry of them, checking every length, offset and enum, and
/// returns nothing for bytes it did not write (the extra blob is left out).
std::string serialize(const LoadResult& result, std::string_view extra = {});
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
  /// Bytes made from the model and kept with it (the search index): called with the full, valid
  /// model only when a cache file is about to be written, and read back by CachedModel::extra().
  /// Bytes that would take the file past max_bytes are left out (the model is still cached).
  std::function<std::string(const KnowledgeBase&)> extra = nullptr;
};

/// A cache file that was found current and verified, held in memory; entries are decoded as asked.
/// Its tables (where each entry starts) were checked when it was opened, so a decode reads only the
/// bytes of the entries it returns.
class CachedModel {
 public:
  /// Bytes that serialize() made, checked as open_cached checks a file's (for tests and the fuzzer).
  static std::optional<CachedModel> parse(std::string bytes);

  /// Layers and files of the load; its kb is empty.
  [[nodiscard]] const LoadResult& header() const { return header_; }
  /// The selected entries: each kind's catalog holds every entry (sel.whole[k]) or exactly the
  /// entries at sel.places[k] (places in the catalog sorted by id, as the model held them), in order.
  /// Nothing when the bytes are damaged (a place out of range, a bad length): the caller then loads.
  [[nodiscard]] std::optional<KnowledgeBase> decode(const Selection& sel) const;
  /// Every entry: header() with the whole kb.
  [[nodiscard]] std::optional<LoadResult> decode_all() const;
  /// The extra blob written with it ("" when none).
  [[nodiscard]] std::string_view extra() const {
    return std::string_view(bytes_).substr(extra_at_, extra_size_);
  }
  /// How many entries each kind has (kEntryKinds order).
  [[nodiscard]] std::array<std::size_t, kKindCount> counts() const;

 private:
  /// Where one kind's entries are: its table of count + 1 offsets, and the entries they point into.
  struct Table {
    std::size_t count = 0;
    std::size_t offsets_at = 0;  ///< in bytes_
    std::size_t entries_at = 0;  ///< in bytes_; offsets count from here
  };
  CachedModel() = default;
  /// Reads the header and checks the tables of the model serialized at `at` in `bytes`.
  static std::optional<CachedModel> read(std::string bytes, std::size_t at);
  [[nodiscard]] std::string_view entry(const Table& table, std::size_t place) const;
  template <class T>
  bool decode_kind(std::size_t kind, const Selection& sel, Catalog<T>& out) const;

  std::string bytes_;  ///< offsets, not views, into it: moving a short string moves its bytes
  LoadResult header_;
  std::array<Table, kKindCount> tables_{};
  std::size_t extra_at_ = 0;
  std::size_t extra_size_ = 0;

  friend std::optional<CachedModel> open_cached(const LoadOptions&, const CacheSettings&, std::string*);
};

/// The current cache file for these inputs, verified (as load_cached does before it decodes),
/// or nothing (no cache, stale, racy, damaged, unsafe folder: `note` says why when it is the folder).
/// It never writes a cache file or key; a file it opens is marked used (its modification time), as
/// load_cached does, so that the clean-up keeps the files in use.
std::optional<CachedModel> open_cached(const LoadOptions& options, const CacheSettings& settings,
                                       std::string* note = nullptr);

/// load(options) through the cache in `settings.dir` (created 0700 when missing). Only a knowledge
/// base without problems is cached; an invalid one is parsed every time so that every message
/// stays. When the cache folder is not safe to use, `note` says why (for a warning) and the
/// knowledge base is loaded without it. A cache file it writes holds `settings.extra`'s blob.
LoadResult load_cached(const LoadOptions& options, const CacheSettings& settings,
                       std::string* note = nullptr);

/// The cache file a set of inputs uses (for tests): "<dir>/model-<hash>.bin".
std::string cache_file_for(const LoadOptions& options, const std::string& dir);

}  // namespace knots::load
