// The model cache: a flat binary encoding, a keyed checksum, a fingerprint of the inputs, and a
// private, bounded folder. See cache.hpp for what it trusts.
#include "load/cache.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <knots/version.hpp>
#include <thread>
#include <unordered_map>

#include "load/embedded.hpp"
#include "util/binary.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace knots::load {
namespace {

constexpr std::string_view kMagic = "KNOTSC\x04\n";
/// A digest of the model, its enums and this encoding, made by the build (CMakeLists.txt), so that
/// a change to any of them can never be read with the old layout.
constexpr std::string_view kFormat = KNOTS_CACHE_FORMAT;
constexpr std::size_t kMac = crypto_generichash_BYTES;          // 32
constexpr std::size_t kKeyBytes = crypto_generichash_KEYBYTES;  // 32
/// The inputs a file was built from, hashed; each entry's hash, and the extra blob's.
constexpr std::size_t kDigest = crypto_generichash_BYTES;  // 32
constexpr std::size_t kEntryHash = 16;
/// The extra blob (about 11 MB at 10,000 modalities, all of it read by every search) is checked
/// with Poly1305, three times as fast as BLAKE2b, under a key used for that one blob only: made
/// from the user's key and a random salt kept in the header.
constexpr std::size_t kSalt = 16;
constexpr std::size_t kTag = crypto_onetimeauth_BYTES;  // 16
static_assert(crypto_onetimeauth_KEYBYTES == 32);       // CachedModel::extra_key_
/// What a file starts with: magic, checksum, inputs; then the payload's header size (u64).
constexpr std::size_t kPrefix = 8 + kMac + kDigest;
static_assert(kMagic.size() == 8);
/// Cache files unused for this long are removed; temporaries this old were left by a killed run.
constexpr std::int64_t kStaleSeconds = 30 * 24 * 3600;
constexpr std::int64_t kOrphanSeconds = 600;

// --- encoding ----------------------------------------------------------------------------

// A cache file: magic, keyed checksum, the hash of the inputs it was built from (32 bytes), then the
// payload that serialize() makes:
//   u64 size of the header, then the header:
//     layers (u32 count, strings), files (u64);
//     for each kind, in kEntryKinds' order: u32 count, count + 1 u64 offsets into the body (the
//       first where the kind before ended, 0 for the first kind; the last where this kind's
//       entries end), then a 16-byte BLAKE2b hash of each entry's bytes;
//     the size (u64) and 16-byte BLAKE2b hash of the lookup section;
//     the extra blob's size (u64), a random 16-byte salt, and its 16-byte Poly1305 tag under the
//       key that BLAKE2b makes from the user's key and the salt (serialize() has no key, and a salt
//       of zeros);
//   the body: every kind's entries, each as Put writes it; the lookup section: for each kind, u32
//     count, then count pairs (string key, u32 place) sorted by key, Catalog::keys(); then for
//     each technique in order, u32 count and the places of the modalities that list it; then the
//     extra blob, to the end.
// The checksum is keyed BLAKE2b over the inputs' hash, the header's size and the header: opening
// reads and checks only those, and an entry or the blob is read and checked against its hash (tag)
// when it is asked for, so a command that reads a few entries never reads the rest.

void put_strs(ByteWriter& w, const std::vector<std::string>& v) {
  w.u32(static_cast<std::uint32_t>(v.size()));
  for (const auto& s : v) w.str(s);
}

std::vector<std::string> get_strs(ByteReader& r) {
  std::vector<std::string> v(r.count());
  for (auto& s : v) s = r.str();
  return v;
}

template <class E>
void put_enum(ByteWriter& w, E v) {
  w.u32(static_cast<std::uint32_t>(v));
}

/// An enum checked against its names: a value this build has no name for is damage.
template <class E>
E get_enum(ByteReader& r) {
  const std::uint32_t v = r.u32();
  if (v >= EnumNames<E>::names.size()) {
    r.fail();
    return E{};
  }
  return static_cast<E>(v);
}

/// An optional enum: 0 for none, else the value + 1.
template <class E>
void put_opt(ByteWriter& w, const std::optional<E>& v) {
  w.u32(v ? static_cast<std::uint32_t>(*v) + 1 : 0);
}

template <class E>
std::optional<E> get_opt(ByteReader& r) {
  const std::uint32_t v = r.u32();
  if (v == 0) return std::nullopt;
  if (v - 1 >= EnumNames<E>::names.size()) {
    r.fail();
    return std::nullopt;
  }
  return static_cast<E>(v - 1);
}

std::uint64_t load_u64(std::string_view bytes, std::size_t at) {
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

/// The unkeyed BLAKE2b hash of `bytes`, `size` bytes long: the keyed checksum of the header that
/// holds it is what makes it trusted.
void put_hash(ByteWriter& w, std::string_view bytes, std::size_t size) {
  unsigned char hash[crypto_generichash_BYTES_MAX];
  crypto_generichash(hash, size, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  w.bytes().append(reinterpret_cast<const char*>(hash), size);
}

/// Writes a value field by field, following its description (model.hpp).
class Put {
 public:
  explicit Put(ByteWriter& w) : w_(w) {}
  void id(std::string_view, const std::string& s, unsigned) { w_.str(s); }
  void text(std::string_view, const std::string& s, unsigned) { w_.str(s); }
  void list(std::string_view, const std::vector<std::string>& v, unsigned) { put_strs(w_, v); }
  void refs(std::string_view, const std::vector<std::string>& v, RefKind, unsigned) { put_strs(w_, v); }
  void ref(std::string_view, const std::string& s, RefKind, unsigned) { w_.str(s); }
  template <std::size_t N>
  void words(std::string_view, const std::vector<std::string>& v, const std::array<std::string_view, N>&,
             std::string_view, unsigned) {
    put_strs(w_, v);
  }
  template <class E>
  void enumeration(std::string_view, const E& e, unsigned) {
    put_enum(w_, e);
  }
  template <class E>
  void enumeration(std::string_view, const std::optional<E>& e, unsigned) {
    put_opt(w_, e);
  }
  template <class E>
  void enums(std::string_view, const std::vector<E>& v, std::string_view, unsigned) {
    w_.u32(static_cast<std::uint32_t>(v.size()));
    for (auto e : v) put_enum(w_, e);
  }
  template <class X>
  void object(std::string_view, const X& x, std::string_view, unsigned) {
    describe(*this, x);
  }
  template <class X>
  void object(std::string_view, const std::optional<X>& x, std::string_view, unsigned) {
    w_.u32(x ? 1 : 0);
    if (x) describe(*this, *x);
  }
  template <class X>
  void objects(std::string_view, const std::vector<X>& v, std::string_view, unsigned) {
    w_.u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& x : v) describe(*this, x);
  }
  template <class K>
  void fits(std::string_view, const std::vector<K>& v, unsigned) {
    w_.u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& g : v) {
      w_.str(g.id);
      put_enum(w_, g.value);
    }
  }
  void origin(std::string_view, const std::string& s) { w_.str(s); }

 private:
  ByteWriter& w_;
};

/// Reads a value back in the order Put wrote it; damaged bytes only make the reader not ok().
class Get {
 public:
  explicit Get(ByteReader& r) : r_(r) {}
  void id(std::string_view, std::string& s, unsigned) { s = r_.str(); }
  void text(std::string_view, std::string& s, unsigned) { s = r_.str(); }
  void list(std::string_view, std::vector<std::string>& v, unsigned) { v = get_strs(r_); }
  void refs(std::string_view, std::vector<std::string>& v, RefKind, unsigned) { v = get_strs(r_); }
  void ref(std::string_view, std::string& s, RefKind, unsigned) { s = r_.str(); }
  template <std::size_t N>
  void words(std::string_view, std::vector<std::string>& v, const std::array<std::string_view, N>&,
             std::string_view, unsigned) {
    v = get_strs(r_);
  }
  template <class E>
  void enumeration(std::string_view, E& e, unsigned) {
    e = get_enum<E>(r_);
  }
  template <class E>
  void enumeration(std::string_view, std::optional<E>& e, unsigned) {
    e = get_opt<E>(r_);
  }
  template <class E>
  void enums(std::string_view, std::vector<E>& v, std::string_view, unsigned) {
    v.resize(r_.count());
    for (auto& e : v) e = get_enum<E>(r_);
  }
  template <class X>
  void object(std::string_view, X& x, std::string_view, unsigned) {
    describe(*this, x);
  }
  template <class X>
  void object(std::string_view, std::optional<X>& x, std::string_view, unsigned) {
    if (r_.u32() != 0) describe(*this, x.emplace());
  }
  template <class X>
  void objects(std::string_view, std::vector<X>& v, std::string_view, unsigned) {
    v.resize(r_.count());
    for (auto& x : v) {
      if (!r_.ok()) break;
      describe(*this, x);
    }
  }
  template <class K>
  void fits(std::string_view, std::vector<K>& v, unsigned) {
    v.resize(r_.count());
    for (auto& g : v) {
      g.id = r_.str();
      g.value = get_enum<typename K::Value>(r_);
    }
  }
  void origin(std::string_view, std::string& s) { s = r_.str(); }

 private:
  ByteReader& r_;
};

/// The model encoded: the header and the body, apart until the header is complete.
struct Encoded {
  ByteWriter header;
  ByteWriter body;
};

/// A kind: its count, offsets and hashes in the header, its entries in the body.
template <class T>
void put_kind(Encoded& e, const Catalog<T>& catalog) {
  e.header.u32(static_cast<std::uint32_t>(catalog.size()));
  std::vector<std::uint64_t> offsets;
  offsets.reserve(catalog.size() + 1);
  Put put(e.body);
  for (const T& entry : catalog.all()) {
    offsets.push_back(e.body.size());
    describe(put, entry);
  }
  offsets.push_back(e.body.size());
  for (const std::uint64_t offset : offsets) e.header.u64(offset);
  const std::string_view body = e.body.bytes();
  for (std::size_t i = 0; i + 1 < offsets.size(); ++i)
    put_hash(e.header, body.substr(offsets[i], offsets[i + 1] - offsets[i]), kEntryHash);
}

/// Every kind's keys and the places they find (Catalog::keys()), after the entries: how
/// CachedModel::find names one entry without reading the others. Then who uses each technique
/// (the modalities that list its id), for `techniques NAME`.
void put_lookup(Encoded& e, const KnowledgeBase& kb) {
  const std::size_t from = e.body.size();
  for_each_kind([&](const auto& kind) {
    const auto keys = (kb.*kind.catalog).keys();
    e.body.u32(static_cast<std::uint32_t>(keys.size()));
    for (const auto& [key, place] : keys) {
      e.body.str(key);
      e.body.u32(place);
    }
  });
  std::unordered_map<std::string_view, std::size_t> technique_at;
  for (std::size_t t = 0; t < kb.techniques.size(); ++t) technique_at.emplace(kb.techniques.all()[t].id, t);
  std::vector<std::vector<std::uint32_t>> users(kb.techniques.size());
  for (std::size_t m = 0; m < kb.modalities.size(); ++m) {
    for (const auto& id : kb.modalities.all()[m].techniques) {
      const auto it = technique_at.find(id);
      if (it == technique_at.end()) continue;
      auto& of = users[it->second];
      if (of.empty() || of.back() != m) of.push_back(static_cast<std::uint32_t>(m));
    }
  }
  for (const auto& of : users) {
    e.body.u32(static_cast<std::uint32_t>(of.size()));
    for (const std::uint32_t m : of) e.body.u32(m);
  }
  e.header.u64(e.body.size() - from);
  put_hash(e.header, std::string_view(e.body.bytes()).substr(from), kEntryHash);
}

/// Layers, files, every kind's table and entries, and the lookup section; the extra blob comes
/// after (put_extra).
Encoded encode(const LoadResult& result) {
  Encoded e;
  put_strs(e.header, result.layers);
  e.header.u64(result.files);
  for_each_kind([&](const auto& kind) { put_kind(e, result.kb.*kind.catalog); });
  put_lookup(e, result.kb);
  return e;
}

using ExtraKey = std::array<unsigned char, crypto_onetimeauth_KEYBYTES>;

/// The one-time key of the blob: `key` ("" for none) and `salt` hashed.
ExtraKey extra_key(std::string_view key, const unsigned char* salt) {
  ExtraKey out{};
  std::string message = "knots extra blob ";
  message.append(reinterpret_cast<const char*>(salt), kSalt);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return out;
}

/// What the blob adds to the header: its size, salt and tag.
constexpr std::size_t kExtraHeader = sizeof(std::uint64_t) + kSalt + kTag;

/// What the header says of the blob: its size, and its tag under a key made from `key` and a fresh
/// salt (zeros without a key: serialize() gives the same bytes every time). The blob itself follows
/// the body, where the caller puts it.
void put_extra(Encoded& e, std::string_view extra, std::string_view key) {
  std::array<unsigned char, kSalt> salt{};
  if (!key.empty()) randombytes_buf(salt.data(), salt.size());
  const ExtraKey one_time = extra_key(key, salt.data());
  std::array<unsigned char, kTag> tag{};
  crypto_onetimeauth(tag.data(), reinterpret_cast<const unsigned char*>(extra.data()), extra.size(),
                     one_time.data());
  e.header.u64(extra.size());
  e.header.bytes().append(reinterpret_cast<const char*>(salt.data()), salt.size());
  e.header.bytes().append(reinterpret_cast<const char*>(tag.data()), tag.size());
}

// --- inputs --------------------------------------------------------------------------------

std::int64_t ns(const timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::int64_t now_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return ns(t);
}

using Digest = std::array<unsigned char, kDigest>;

/// Fields gathered as bytes to be hashed: many small fields, no allocation each.
class Fields {
 public:
  void tag(char c) { bytes_ += c; }
  void num(std::int64_t v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  /// With its length first, so that no two lists of strings give the same bytes.
  void str(std::string_view s) {
    num(static_cast<std::int64_t>(s.size()));
    bytes_.append(s);
  }
  void reserve(std::size_t n) { bytes_.reserve(n); }
  void add(const Fields& other) {
    bytes_ += other.bytes_;
    racy = racy || other.racy;
  }
  [[nodiscard]] Digest digest() const {
    Digest out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes_.data()),
                       bytes_.size(), nullptr, 0);
    return out;
  }
  bool racy = false;  ///< some file's times are racy

 private:
  std::string bytes_;
};

/// A folder opened for fstatat (one at a time), closed on every way out.
class OpenFolder {
 public:
  OpenFolder() = default;
  ~OpenFolder() { close(); }
  OpenFolder(const OpenFolder&) = delete;
  OpenFolder& operator=(const OpenFolder&) = delete;
  void open(const std::string& path) {
    close();
    fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

/// What the cache was built from, hashed: the version, the embedded bytes, each folder's count of
/// files, and every input file's path, device, inode, size, modification and change time; and
/// whether any of those times is racy.
struct Inputs {
  Digest digest{};
  bool racy = false;
};

/// Adds a file's path, device, inode, size and times to `out`: stat'ed as `name` from the folder
/// `dir_fd`, or as `path` with AT_FDCWD.
bool stat_file(Fields& out, const std::string& path, int dir_fd, const char* name, std::int64_t reference_ns,
               std::int64_t window_ns) {
  struct stat st {};
  if (::fstatat(dir_fd, name, &st, 0) != 0) return false;
  out.tag('F');
  out.str(path);
  out.num(static_cast<std::int64_t>(st.st_dev));
  out.num(static_cast<std::int64_t>(st.st_ino));
  out.num(static_cast<std::int64_t>(st.st_size));
  out.num(ns(st.st_mtim));
  out.num(ns(st.st_ctim));
  out.racy = out.racy || is_racy({ns(st.st_mtim), ns(st.st_ctim)}, reference_ns, window_ns);
  return true;
}

/// files[from, to), each by its name from its folder (the folder, or its modalities/), opened once
/// for all its files: stat relative to an open folder does not walk the whole path for each of
/// 10,000 files.
bool stat_files(Fields& out, const std::vector<std::string>& files, std::size_t from, std::size_t to,
                std::int64_t reference_ns, std::int64_t window_ns) {
  out.reserve((to - from) * 96);
  std::string_view parent;
  bool opened = false;
  OpenFolder open;
  for (std::size_t i = from; i < to; ++i) {
    const std::string& path = files[i];
    const std::size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0 &&
        (!opened || std::string_view(path).substr(0, slash) != parent)) {
      parent = std::string_view(path).substr(0, slash);
      open.open(std::string(parent));
      opened = true;
    }
    const bool relative = slash != std::string::npos && slash > 0 && open.get() >= 0;
    if (!(relative ? stat_file(out, path, open.get(), path.c_str() + slash + 1, reference_ns, window_ns)
                   : stat_file(out, path, AT_FDCWD, path.c_str(), reference_ns, window_ns)))
      return false;
  }
  return true;
}

/// Nothing when a folder cannot be listed or holds too many files: the load reports that, and
/// nothing is cached.
std::optional<Inputs> fingerprint(const LoadOptions& options, std::int64_t reference_ns,
                                  std::int64_t window_ns) {
  Fields fields;
  fields.str(kVersion);
  fields.str(kFormat);
  if (options.use_embedded) {
    fields.tag('E');
    fields.str(embedded_digest());
  }
  // A folder's files are listed every time, so a file added or removed is seen without relying on
  // the folder's own time stamps.
  auto folder = [&](const std::string& dir) {
    std::vector<Diagnostic> ignored;
    const auto files = folder_files(dir, ignored);
    if (!files) return false;
    fields.tag('D');
    fields.str(dir);
    fields.num(static_cast<std::int64_t>(files->size()));
    // Many files on two threads: a stat takes a few microseconds, which at 10,000 files is most of
    // the time a warm search takes.
    constexpr std::size_t kParallelFrom = 1024;
    if (files->size() < kParallelFrom || std::thread::hardware_concurrency() < 2)
      return stat_files(fields, *files, 0, files->size(), reference_ns, window_ns);
    const std::size_t half = files->size() / 2;
    Fields second;
    bool second_ok = false;
    std::thread other(
        [&] { second_ok = stat_files(second, *files, half, files->size(), reference_ns, window_ns); });
    const bool first_ok = stat_files(fields, *files, 0, half, reference_ns, window_ns);
    other.join();
    fields.add(second);
    return first_ok && second_ok;
  };
  for (const auto& dir : options.folders) {
    if (!folder(dir)) return std::nullopt;
  }
  for (const auto& path : options.paths) {
    std::error_code ec;
    if (!(std::filesystem::is_directory(path, ec)
              ? folder(path)
              : stat_file(fields, path, AT_FDCWD, path.c_str(), reference_ns, window_ns)))
      return std::nullopt;
  }
  return Inputs{fields.digest(), fields.racy};
}

// --- the folder and its files ----------------------------------------------------------------

/// The cache folder, opened, when it is safe to use: a folder that belongs to this user and that
/// nobody else can write. Made (0700, with any missing parents) when `create` is set.
class CacheDir {
 public:
  CacheDir(const std::string& path, bool create, std::string* note) {
    if (path.empty() || path.front() != '/') return;
    if (create) make_private(path);
    fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) return;
    struct stat st {};
    const char* problem = nullptr;
    if (::fstat(fd_, &st) != 0) {
      problem = "it cannot be read";
    } else if (st.st_uid != ::geteuid()) {
      problem = "it belongs to another user";
    } else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
      problem = "other users can write to it";
    }
    if (problem) {
      if (note)
        *note = fmt::format("not using the cache in {}: {} (it should be yours, mode 700)", path, problem);
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~CacheDir() {
    if (fd_ >= 0) ::close(fd_);
  }
  CacheDir(const CacheDir&) = delete;
  CacheDir& operator=(const CacheDir&) = delete;
  [[nodiscard]] bool ok() const { return fd_ >= 0; }

  /// A file of the folder that this user owns and nobody else can write, up to the size limit,
  /// opened (a descriptor to close, its size in `size`), or -1.
  int open(const std::string& name, std::size_t limit, std::uint64_t& size) const {
    FileRead why;
    const int fd =
        open_file(name, {.max_bytes = limit, .dir_fd = fd_, .no_follow = true, .private_only = true}, why);
    size = why.size;
    return fd;
  }

  /// The same, read whole.
  bool read(const std::string& name, std::string& out, std::size_t limit) const {
    FileRead read =
        read_file(name, {.max_bytes = limit, .dir_fd = fd_, .no_follow = true, .private_only = true});
    if (!read.ok()) return false;
    out = std::move(read.bytes);
    return true;
  }

  /// Writes `bytes` to `name` atomically, private to this user. With `keep_existing`, an existing
  /// `name` wins (and false is returned).
  bool write(const std::string& name, std::string_view bytes, bool keep_existing = false) const {
    return write_file_atomic(name, bytes, {.dir_fd = fd_, .mode = 0600, .replace = !keep_existing}) == 0;
  }
  bool write(const std::string& name, std::initializer_list<std::string_view> pieces) const {
    return write_file_atomic(name, pieces, {.dir_fd = fd_, .mode = 0600}) == 0;
  }

  /// Marks a cache file as used, so that the clean-up keeps the ones in use.
  void touch(const std::string& name) const { ::utimensat(fd_, name.c_str(), nullptr, AT_SYMLINK_NOFOLLOW); }

  /// Keeps the `keep` newest model files and removes the rest, any unused for kStaleSeconds, and
  /// temporaries left by runs that were killed.
  void clean(std::size_t keep) const {
    const int dup = ::dup(fd_);
    if (dup < 0) return;
    DIR* d = ::fdopendir(dup);
    if (!d) {
      ::close(dup);
      return;
    }
    std::vector<std::pair<std::int64_t, std::string>> models;  // (mtime, name)
    const std::int64_t now = now_ns() / 1'000'000'000;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      const bool model = name.starts_with("model-") && name.ends_with(".bin");
      const bool temp = name.starts_with(kTempPrefix);
      if (!model && !temp) continue;
      struct stat st {};
      if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      const std::int64_t age = now - static_cast<std::int64_t>(st.st_mtim.tv_sec);
      if (temp ? age > kOrphanSeconds : age > kStaleSeconds) {
        ::unlinkat(fd_, name.c_str(), 0);
      } else if (model) {
        models.emplace_back(ns(st.st_mtim), name);
      }
    }
    ::closedir(d);
    std::sort(models.begin(), models.end(), std::greater<>());
    for (std::size_t i = keep; i < models.size(); ++i) ::unlinkat(fd_, models[i].second.c_str(), 0);
  }

  /// This user's key for the checksum: read, or made once (0600) when `create` is set.
  std::optional<std::string> key(bool create) const {
    std::string key;
    if (read("key", key, kKeyBytes) && key.size() == kKeyBytes) return key;
    if (!create) return std::nullopt;
    key.resize(kKeyBytes);
    randombytes_buf(key.data(), key.size());
    if (write("key", key, true)) return key;
    // Another run made it first: use that one.
    if (std::string theirs; read("key", theirs, kKeyBytes) && theirs.size() == kKeyBytes) return theirs;
    // A key file that cannot be used (damaged, or not private): replace it, which only makes the
    // cache files made with it useless.
    if (write("key", key)) return key;
    return std::nullopt;
  }

 private:
  static void make_private(const std::string& path) {
    for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
      const std::string part = path.substr(0, slash);
      if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return;
      if (slash == std::string::npos) return;
    }
  }

  int fd_ = -1;
};

/// The keyed checksum of the bytes that follow it: the inputs' hash, the header's size and the
/// header.
std::string mac(std::string_view key, std::string_view covered) {
  std::string out(kMac, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(covered.data()), covered.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return out;
}

/// Reads `size` bytes at `at`, retrying when a signal interrupts; false when the file is shorter.
bool read_at(int fd, char* out, std::size_t size, std::uint64_t at) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, out, size, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out += n;
    size -= static_cast<std::size_t>(n);
    at += static_cast<std::uint64_t>(n);
  }
  return true;
}

/// One file per set of folders (however they are spelled), so that an edit replaces the old cache
/// instead of adding one.
std::string file_name(const LoadOptions& options) {
  std::string which = fmt::format("{} {}", kVersion, options.use_embedded);
  for (const auto& list : {options.folders, options.paths}) {
    for (const auto& p : list) {
      std::error_code ec;
      auto canonical = std::filesystem::weakly_canonical(p, ec);
      if (ec) canonical = std::filesystem::absolute(p, ec).lexically_normal();
      which += '\n';
      which += canonical.string();
    }
    which += "\n--";
  }
  unsigned char hash[8];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(which.data()), which.size(),
                     nullptr, 0);
  std::string name = "model-";
  for (unsigned char b : hash) name += fmt::format("{:02x}", b);
  return name + ".bin";
}

}  // namespace

bool is_racy(const FileTimes& file, std::int64_t reference_ns, std::int64_t window_ns) {
  if (file.ctime_ns <= 0) return true;
  return std::max(file.mtime_ns, file.ctime_ns) >= reference_ns - window_ns;
}

std::string cache_file_for(const LoadOptions& options, const std::string& dir) {
  return fmt::format("{}/{}", dir, file_name(options));
}

std::string serialize(const LoadResult& result, std::string_view extra) {
  Encoded e = encode(result);
  put_extra(e, extra, {});
  ByteWriter w;
  w.u64(e.header.size());
  w.bytes().append(e.header.bytes()).append(e.body.bytes()).append(extra);
  return std::move(w.bytes());
}

std::optional<LoadResult> deserialize(std::string_view bytes) {
  const auto cached = CachedModel::parse(std::string(bytes));
  if (!cached) return std::nullopt;
  return cached->decode_all();
}

// --- a verified header, entries read and checked as asked ---------------------------------------

CachedModel::File& CachedModel::File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

CachedModel::File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<CachedModel> CachedModel::from_bytes(std::string_view bytes) {
  ByteReader r(bytes);
  const std::uint64_t header_size = r.u64();
  if (!r.ok() || header_size > r.left()) return std::nullopt;
  const std::size_t body_at = r.pos() + static_cast<std::size_t>(header_size);
  auto cached = read(std::string(bytes.substr(r.pos(), static_cast<std::size_t>(header_size))),
                     bytes.size() - body_at, {});
  if (!cached) return std::nullopt;
  cached->bytes_ = bytes;
  cached->body_at_ = body_at;
  return cached;
}

std::optional<CachedModel> CachedModel::parse(std::string bytes) {
  auto owned = std::make_unique<const std::string>(std::move(bytes));
  auto cached = from_bytes(*owned);
  if (cached) cached->owned_ = std::move(owned);
  return cached;
}

std::optional<CachedModel> CachedModel::read(std::string index, std::uint64_t body_size,
                                             std::string_view key) {
  CachedModel cached;
  cached.index_ = std::move(index);
  ByteReader r(cached.index_);
  cached.header_.layers = get_strs(r);
  cached.header_.files = r.u64();
  // Each table is checked here, once: offsets going on from where the kind before ended, never
  // back, ending inside the body. A decode then reads an entry's bytes without checking where they
  // are; what they are, it checks against the entry's hash.
  std::uint64_t end = 0;
  for (Table& table : cached.tables_) {
    table.count = r.count(sizeof(std::uint64_t) + kEntryHash);
    table.offsets_at = r.pos();
    for (std::size_t i = 0; i <= table.count && r.ok(); ++i) {
      const std::uint64_t offset = r.u64();
      if (offset < end || (i == 0 && offset != end)) r.fail();
      end = offset;
    }
    table.hashes_at = r.pos();
    if (!r.ok() || table.count * kEntryHash > r.left() || end > body_size) return std::nullopt;
    r = ByteReader(cached.index_, table.hashes_at + table.count * kEntryHash);
  }
  // The lookup section follows the entries; the blob fills the rest of the body, exactly.
  const std::uint64_t lookup_size = r.u64();
  if (!r.ok() || kEntryHash > r.left() || lookup_size > body_size - end) return std::nullopt;
  cached.lookup_at_ = end;
  cached.lookup_size_ = static_cast<std::size_t>(lookup_size);
  cached.lookup_hash_at_ = r.pos();
  end += lookup_size;
  r = ByteReader(cached.index_, r.pos() + kEntryHash);
  const std::uint64_t extra_size = r.u64();
  if (!r.ok() || r.left() != kSalt + kTag || extra_size != body_size - end) return std::nullopt;
  const ExtraKey one_time =
      extra_key(key, reinterpret_cast<const unsigned char*>(cached.index_.data() + r.pos()));
  std::copy(one_time.begin(), one_time.end(), cached.extra_key_.begin());
  cached.extra_tag_at_ = r.pos() + kSalt;
  cached.extra_at_ = end;
  cached.extra_size_ = static_cast<std::size_t>(extra_size);
  return cached;
}

std::uint64_t CachedModel::offset(const Table& table, std::size_t i) const {
  return load_u64(index_, table.offsets_at + i * sizeof(std::uint64_t));
}

std::optional<CachedModel> CachedModel::trusted(std::string_view bytes) {
  auto cached = from_bytes(bytes);
  if (cached) cached->trusted_ = true;
  return cached;
}

bool CachedModel::intact(std::string_view bytes, std::size_t hash_at, std::size_t hash_size) const {
  if (trusted_) return true;
  unsigned char hash[crypto_generichash_BYTES_MAX];
  crypto_generichash(hash, hash_size, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                     nullptr, 0);
  return sodium_memcmp(hash, index_.data() + hash_at, hash_size) == 0;
}

std::optional<std::string_view> CachedModel::body(std::uint64_t at, std::size_t size,
                                                  std::string& buffer) const {
  if (file_.get() < 0) {
    // The tables were checked against the size of bytes_.
    return bytes_.substr(static_cast<std::size_t>(body_at_ + at), size);
  }
  // The file was as long as the tables say when it was opened; a file cut short since fails here.
  buffer.resize(size);
  if (!read_at(file_.get(), buffer.data(), size, body_at_ + at)) return std::nullopt;
  return std::string_view(buffer);
}

template <class T>
bool CachedModel::decode_kind(std::size_t kind, const Selection& sel, Catalog<T>& out) const {
  const Table& table = tables_[kind];
  std::vector<T> items;
  // An entry must match its hash, and fill its bytes exactly.
  const auto one = [&](std::string_view bytes, std::size_t place) {
    if (!intact(bytes, table.hashes_at + place * kEntryHash, kEntryHash)) return false;
    ByteReader r(bytes);
    Get get(r);
    describe(get, items.emplace_back());
    return r.ok() && r.done();
  };
  std::string buffer;
  if (sel.whole[kind]) {
    // The whole kind in one read.
    const std::uint64_t from = offset(table, 0);
    const auto all = body(from, static_cast<std::size_t>(offset(table, table.count) - from), buffer);
    if (!all) return false;
    items.reserve(table.count);
    for (std::size_t place = 0; place < table.count; ++place) {
      const std::uint64_t at = offset(table, place);
      const auto size = static_cast<std::size_t>(offset(table, place + 1) - at);
      if (!one(all->substr(static_cast<std::size_t>(at - from), size), place)) return false;
    }
  } else {
    // Selection promises its places sorted, without repeats; a caller that did not keep the promise
    // still gets each entry once.
    std::vector<std::uint32_t> places = sel.places[kind];
    if (std::adjacent_find(places.begin(), places.end(), std::greater_equal<>()) != places.end()) {
      std::sort(places.begin(), places.end());
      places.erase(std::unique(places.begin(), places.end()), places.end());
    }
    items.reserve(places.size());
    for (const std::uint32_t place : places) {
      if (place >= table.count) return false;
      const std::uint64_t at = offset(table, place);
      const auto bytes = body(at, static_cast<std::size_t>(offset(table, place + 1) - at), buffer);
      if (!bytes || !one(*bytes, place)) return false;
    }
  }
  out = Catalog<T>(std::move(items));
  return true;
}

bool CachedModel::read_lookup() const {
  if (lookup_read_) return lookup_ok_;
  lookup_read_ = true;
  std::string buffer;
  const auto bytes = body(lookup_at_, lookup_size_, buffer);
  if (!bytes || !intact(*bytes, lookup_hash_at_, kEntryHash)) return false;
  ByteReader r(*bytes);
  for (std::size_t k = 0; k < kKindCount && r.ok(); ++k) {
    auto& keys = lookup_[k];
    keys.resize(r.count(8));
    for (auto& [key, place] : keys) {
      key = r.str();
      place = r.u32();
      // A place past the kind's table is damage, as in decode().
      if (place >= tables_[k].count) r.fail();
    }
  }
  users_.resize(tables_[kind_index<Technique>()].count);
  for (auto& of : users_) {
    of.resize(r.count(4));
    for (auto& m : of) {
      m = r.u32();
      if (m >= tables_[kind_index<Modality>()].count) r.fail();
    }
  }
  lookup_ok_ = r.ok() && r.done();
  return lookup_ok_;
}

std::optional<std::vector<std::uint32_t>> CachedModel::technique_users(std::uint32_t technique) const {
  if (!read_lookup() || technique >= users_.size()) return std::nullopt;
  return users_[technique];
}

std::optional<std::uint32_t> CachedModel::find(std::size_t kind, std::string_view name) const {
  if (!read_lookup() || kind >= kKindCount) return std::nullopt;
  const auto& keys = lookup_[kind];
  const std::string key = lookup_key(name);
  const auto it = std::lower_bound(keys.begin(), keys.end(), key,
                                   [](const auto& entry, const std::string& k) { return entry.first < k; });
  if (it == keys.end() || it->first != key) return std::nullopt;
  return it->second;
}

std::optional<KnowledgeBase> CachedModel::decode(const Selection& sel) const {
  KnowledgeBase kb;
  bool ok = true;
  std::size_t k = 0;
  for_each_kind([&](const auto& kind) {
    ok = ok && decode_kind(k, sel, kb.*kind.catalog);
    ++k;
  });
  if (!ok) return std::nullopt;
  return kb;
}

std::optional<LoadResult> CachedModel::decode_all() const {
  auto kb = decode(Selection::everything());
  if (!kb) return std::nullopt;
  LoadResult result = header_;
  result.kb = std::move(*kb);
  return result;
}

std::string_view CachedModel::extra() const {
  if (!extra_read_) {
    extra_read_ = true;
    std::string_view blob;
    if (file_.get() >= 0) {
      // Read into bytes not filled first: zeroing 11 MB costs more than a millisecond.
      auto buffer = std::make_unique_for_overwrite<char[]>(extra_size_);
      if (read_at(file_.get(), buffer.get(), extra_size_, body_at_ + extra_at_)) {
        extra_ = std::move(buffer);
        blob = std::string_view(extra_.get(), extra_size_);
      }
    } else {
      blob = bytes_.substr(static_cast<std::size_t>(body_at_ + extra_at_), extra_size_);  // no copy
    }
    if (blob.size() == extra_size_ &&
        (trusted_ ||
         crypto_onetimeauth_verify(reinterpret_cast<const unsigned char*>(index_.data() + extra_tag_at_),
                                   reinterpret_cast<const unsigned char*>(blob.data()), blob.size(),
                                   extra_key_.data()) == 0)) {
      extra_view_ = blob;
    } else {
      extra_.reset();
    }
  }
  return extra_view_;
}

std::array<std::size_t, kKindCount> CachedModel::counts() const {
  std::array<std::size_t, kKindCount> counts{};
  for (std::size_t k = 0; k < kKindCount; ++k) counts[k] = tables_[k].count;
  return counts;
}

// --- through the folder ------------------------------------------------------------------------

std::optional<CachedModel> open_cached(const LoadOptions& options, const CacheSettings& settings,
                                       std::string* note) {
  if (settings.dir.empty() || sodium_init() < 0) return std::nullopt;
  const auto inputs = fingerprint(options, now_ns(), settings.racy_window_ns);
  if (!inputs) return std::nullopt;
  const std::string name = file_name(options);
  CacheDir dir(settings.dir, false, note);
  if (!dir.ok() || inputs->racy) return std::nullopt;
  const auto key = dir.key(false);
  if (!key) return std::nullopt;
  std::uint64_t size = 0;
  CachedModel::File file(dir.open(name, settings.max_bytes, size));
  // The file: magic, checksum, the inputs' hash, the header's size, the header, then the body
  // (read as asked).
  std::string start(kPrefix + sizeof(std::uint64_t), '\0');
  if (file.get() < 0 || size < start.size() || !read_at(file.get(), start.data(), start.size(), 0) ||
      !start.starts_with(kMagic) || std::memcmp(start.data() + 8 + kMac, inputs->digest.data(), kDigest) != 0)
    return std::nullopt;
  const std::uint64_t header_size = load_u64(start, kPrefix);
  if (header_size > size - start.size()) return std::nullopt;
  std::string covered = start.substr(8 + kMac);
  covered.resize(covered.size() + static_cast<std::size_t>(header_size));
  if (!read_at(file.get(), covered.data() + kDigest + sizeof(std::uint64_t),
               static_cast<std::size_t>(header_size), start.size()))
    return std::nullopt;
  if (sodium_memcmp(mac(*key, covered).data(), start.data() + 8, kMac) != 0) return std::nullopt;
  const std::uint64_t body_at = start.size() + header_size;
  auto cached = CachedModel::read(covered.substr(kDigest + sizeof(std::uint64_t)), size - body_at, *key);
  if (!cached) return std::nullopt;
  cached->file_ = std::move(file);
  cached->body_at_ = body_at;
  dir.touch(name);
  return cached;
}

LoadResult load_cached(const LoadOptions& options, const CacheSettings& settings, std::string* note) {
  if (settings.dir.empty() || sodium_init() < 0) return load(options);
  if (auto cached = open_cached(options, settings, note)) {
    if (auto result = cached->decode_all()) return std::move(*result);
  }

  // The moment the inputs' time stamps are read: an edit after it moves a change time to it or
  // later, which the racy rule (or a changed fingerprint) catches.
  const std::int64_t reference = now_ns();
  const auto inputs = fingerprint(options, reference, settings.racy_window_ns);
  if (!inputs) return load(options);
  LoadResult result = load(options);
  // Cached only when valid, when no input is racy, and when the inputs did not change while they
  // were read.
  if (!result.ok() || inputs->racy) return result;
  const auto after = fingerprint(options, reference, settings.racy_window_ns);
  if (!after || after->digest != inputs->digest || after->racy) return result;
  CacheDir dir(settings.dir, true, note);
  if (!dir.ok()) return result;
  const auto key = dir.key(true);
  if (!key) return result;
  // The blob before the model is encoded: what making it takes is given back by then, and never
  // sits in memory beside the encoded model.
  const std::string extra = settings.extra ? settings.extra(result.kb) : std::string();
  Encoded e = encode(result);
  // The reader refuses larger files (10,000 modalities take a few tens of MB), so none is written;
  // an extra blob that does not fit is left out, so that the model is still cached.
  const std::size_t model = kPrefix + sizeof(std::uint64_t) + e.header.size() + kExtraHeader + e.body.size();
  const auto fits = [&](std::size_t blob_size) {
    return model <= settings.max_bytes && blob_size <= settings.max_bytes - model;
  };
  if (!fits(0)) return result;
  const std::string_view blob = fits(extra.size()) ? std::string_view(extra) : std::string_view();
  put_extra(e, blob, *key);
  ByteWriter w;
  w.bytes().append(kMagic).append(kMac, '\0');
  w.bytes().append(reinterpret_cast<const char*>(inputs->digest.data()), kDigest);
  w.u64(e.header.size());
  w.bytes().append(e.header.bytes());
  const std::string sum = mac(*key, std::string_view(w.bytes()).substr(kMagic.size() + kMac));
  w.bytes().replace(kMagic.size(), kMac, sum);
  // The body and the blob (tens of MB at 10,000 modalities) follow the header in the file, not in
  // memory.
  if (dir.write(file_name(options), {w.bytes(), e.body.bytes(), blob})) dir.clean(settings.keep);
  return result;
}

}  // namespace knots::load
