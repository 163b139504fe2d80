// A cache of the parsed, validated model, so that a command does not parse YAML on every run.
//
// The cache is an optimisation and nothing more: whatever happens to its folder or files, and
// whatever time stamps a file system keeps, a run gives the answer a run without it would give,
// or rebuilds. It is trusted only when:
//  - its folder and file belong to the user and are writable by nobody else (folders are made 0700);
//  - the file's header carries a keyed checksum (BLAKE2b, with a random key kept 0600 beside it),
//    so a file that knots did not write with this user's key is rejected; the header holds a hash
//    of every entry and of the extra blob, and an entry or blob is used only after its bytes,
//    read when asked for, match that hash (a damaged one is refused, and the command loads);
//  - it was built by this version from the same embedded knowledge base, and every input file has
//    the same path, device, inode, size, modification and change time (ctime, which nobody can set);
//  - no input was changed within the racy window (2 s) before the cache was written: an edit that
//    soon could leave every time stamp as it was on a coarse file system (git's racy-timestamp rule).
// It is bounded: the newest few files are kept, older and orphaned ones removed, and no file is
// written that the reader would refuse as too large.
//
// A command that reads a few entries of a large knowledge base reads, checks and decodes only
// those: opening reads the header alone, and each entry (or the extra blob, the search index) is
// read from the file when asked for (open_cached, CachedModel::decode, CachedModel::extra). A blob
// made from the model can be kept with it (CacheSettings::extra).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load/loader.hpp"

namespace knots::load {

/// The whole model, and an extra blob, as bytes (what a cache file holds after its checksum and
/// inputs: a header with the tables and hashes, then the entries and the blob); `deserialize`
/// decodes every entry of them, checking every length, offset, hash and enum, and returns nothing
/// for bytes it did not write (the extra blob is left out).
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

/// A cache file that was found current, with its header verified; entries are read from the file,
/// checked against their hashes and decoded as asked. The file stays open (and is closed) with it:
/// a file replaced meanwhile is not seen, and one cut short by another process makes a read fail,
/// never crash (it is read, not mapped). Not for use from two threads at once.
class CachedModel {
 public:
  /// Bytes that serialize() made, checked as open_cached checks a file's (for tests and the fuzzer).
  static std::optional<CachedModel> parse(std::string bytes);
  /// Bytes this build made and compiled into knots (the shipped model, cli/embedded_model.hpp):
  /// read as parse() reads them, but entries, the lookup section and the blob are not hashed again
  /// when read, since they are part of the program (hashing was a third of a run's instructions).
  /// The bytes are not copied: they must outlive the model (they are the program's own).
  static std::optional<CachedModel> trusted(std::string_view bytes);
  static std::optional<CachedModel> trusted(std::string&& bytes) = delete;  ///< they would not outlive it

  /// Layers and files of the load; its kb is empty.
  [[nodiscard]] const LoadResult& header() const { return header_; }
  /// The selected entries: each kind's catalog holds every entry (sel.whole[k]) or exactly the
  /// entries at sel.places[k] (places in the catalog sorted by id, as the model held them), in order.
  /// Nothing when the bytes are damaged (a place out of range, an entry that does not match its
  /// hash, a file cut short): the caller then loads.
  [[nodiscard]] std::optional<KnowledgeBase> decode(const Selection& sel) const;
  /// The place (as in Selection) of the entry of kind `kind` (kEntryKinds order) that
  /// Catalog::find(name) would give, read from the file's lookup section without decoding any
  /// entry; nothing when no entry has that id, name or alias, or the section is damaged (the
  /// caller then loads, and finds, or says what is missing, as usual).
  [[nodiscard]] std::optional<std::uint32_t> find(std::size_t kind, std::string_view name) const;
  template <class T>
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view name) const {
    return find(kind_index<T>(), name);
  }
  /// The places (as in Selection) of the modalities that list the technique at place `technique`
  /// among their techniques, in order, from the lookup section; nothing when it is damaged.
  [[nodiscard]] std::optional<std::vector<std::uint32_t>> technique_users(std::uint32_t technique) const;
  /// Every entry: header() with the whole kb.
  [[nodiscard]] std::optional<LoadResult> decode_all() const;
  /// The extra blob written with it, read and checked against its hash the first time it is asked
  /// for; "" when none, or when its bytes are damaged (the caller then does without). The view is
  /// valid while this model lives, moved or not.
  [[nodiscard]] std::string_view extra() const;
  /// How many entries each kind has (kEntryKinds order).
  [[nodiscard]] std::array<std::size_t, kKindCount> counts() const;

 private:
  /// An open file descriptor that closes itself, and moves (as a model moves into an optional).
  class File {
   public:
    File() = default;
    explicit File(int fd) : fd_(fd) {}
    File(File&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    File& operator=(File&& other) noexcept;
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File();
    [[nodiscard]] int get() const { return fd_; }

   private:
    int fd_ = -1;
  };
  /// Where one kind's entries are: count + 1 offsets into the body, and a hash of each entry.
  struct Table {
    std::size_t count = 0;
    std::size_t offsets_at = 0;  ///< in index_
    std::size_t hashes_at = 0;   ///< in index_
  };
  CachedModel() = default;
  /// Reads and checks the header `index` (its tables must go forward and end where a body of
  /// `body_size` bytes does); `key` makes the extra blob's ("" for serialize()'s bytes).
  static std::optional<CachedModel> read(std::string index, std::uint64_t body_size, std::string_view key);
  [[nodiscard]] std::uint64_t offset(const Table& table, std::size_t i) const;
  [[nodiscard]] bool intact(std::string_view bytes, std::size_t hash_at, std::size_t hash_size) const;
  /// `size` bytes of the body at `at`: a view into bytes_, or read from the file into `buffer`.
  [[nodiscard]] std::optional<std::string_view> body(std::uint64_t at, std::size_t size,
                                                     std::string& buffer) const;
  template <class T>
  bool decode_kind(std::size_t kind, const Selection& sel, Catalog<T>& out) const;

  /// The header and body of `bytes`, everything serialize() made, viewed, not copied.
  static std::optional<CachedModel> from_bytes(std::string_view bytes);

  File file_;  ///< the cache file (open_cached), or none: the bytes are in bytes_
  std::unique_ptr<const std::string> owned_;  ///< parse()'s bytes; a pointer, so that views survive a move
  std::string_view bytes_;                    ///< parse() and trusted(): everything serialize() made
  std::uint64_t body_at_ = 0;                 ///< where the entries start, in the file or in bytes_
  std::string index_;                         ///< the header: offsets, not views, into it survive a move
  LoadResult header_;
  std::array<Table, kKindCount> tables_{};
  std::uint64_t lookup_at_ = 0;  ///< in the body, after every entry
  std::size_t lookup_size_ = 0;
  std::size_t lookup_hash_at_ = 0;  ///< in index_
  /// Reads and checks the lookup section, once; false when it is damaged.
  [[nodiscard]] bool read_lookup() const;
  /// Each kind's keys and places, and each technique's users, read by read_lookup().
  mutable std::array<std::vector<std::pair<std::string, std::uint32_t>>, kKindCount> lookup_;
  mutable std::vector<std::vector<std::uint32_t>> users_;
  mutable bool lookup_read_ = false;
  mutable bool lookup_ok_ = false;
  std::uint64_t extra_at_ = 0;  ///< in the body, after the lookup section
  std::size_t extra_size_ = 0;
  std::size_t extra_tag_at_ = 0;               ///< in index_
  std::array<unsigned char, 32> extra_key_{};  ///< the blob's one-time key
  mutable std::unique_ptr<char[]> extra_;      ///< the blob, once read from the file and checked
  mutable std::string_view extra_view_;        ///< the blob, once checked (into extra_ or bytes_)
  mutable bool extra_read_ = false;
  bool trusted_ = false;  ///< trusted(): nothing is hashed

  friend std::optional<CachedModel> open_cached(const LoadOptions&, const CacheSettings&, std::string*);
};

/// The current cache file for these inputs, its header read and verified (as load_cached does
/// before it decodes; each entry, and the blob, is checked when it is read), or nothing (no cache,
/// stale, racy, damaged, unsafe folder: `note` says why when it is the folder).
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
