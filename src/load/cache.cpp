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

#include "load/embedded.hpp"
#include "util/binary.hpp"
#include "util/file.hpp"

namespace knots::load {
namespace {

constexpr std::string_view kMagic = "KNOTSC\x03\n";
/// A digest of the model, its enums and this encoding, made by the build (CMakeLists.txt), so that
/// a change to any of them can never be read with the old layout.
constexpr std::string_view kFormat = KNOTS_CACHE_FORMAT;
constexpr std::size_t kMac = crypto_generichash_BYTES;          // 32
constexpr std::size_t kKeyBytes = crypto_generichash_KEYBYTES;  // 32
/// Cache files unused for this long are removed; temporaries this old were left by a killed run.
constexpr std::int64_t kStaleSeconds = 30 * 24 * 3600;
constexpr std::int64_t kOrphanSeconds = 600;

// --- encoding ----------------------------------------------------------------------------

// A cache file: magic, keyed checksum of the body; body: the inputs it was built from (a string),
// then the payload that serialize() makes:
//   layers (u32 count, strings), files (u64);
//   for each kind, in kEntryKinds' order: u32 count, count + 1 u64 offsets (from the start of the
//     kind's entries; the last is where they end), then the entries, each as Put writes it;
//   the extra blob (a string, empty when none).
// The tables let a command decode the few entries it reads without touching the others.

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

void patch_u64(ByteWriter& w, std::size_t at, std::uint64_t v) {
  std::memcpy(w.bytes().data() + at, &v, sizeof v);
}

std::uint64_t load_u64(std::string_view bytes, std::size_t at) {
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
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

/// A kind's entries: the count, the table of offsets, then each entry.
template <class T>
void put_kind(ByteWriter& w, const Catalog<T>& catalog) {
  w.u32(static_cast<std::uint32_t>(catalog.size()));
  const std::size_t table = w.size();
  w.bytes().append((catalog.size() + 1) * sizeof(std::uint64_t), '\0');
  const std::size_t start = w.size();
  Put put(w);
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    patch_u64(w, table + i * sizeof(std::uint64_t), w.size() - start);
    describe(put, catalog.all()[i]);
  }
  patch_u64(w, table + catalog.size() * sizeof(std::uint64_t), w.size() - start);
}

/// The payload without its extra blob: layers, files, and every kind's table and entries.
void put_model(ByteWriter& w, const LoadResult& result) {
  put_strs(w, result.layers);
  w.u64(result.files);
  for_each_kind([&](const auto& kind) { put_kind(w, result.kb.*kind.catalog); });
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

/// What the cache was built from: the version, the embedded bytes, and every input file's path,
/// device, inode, size, modification and change time; plus the newest of those times.
struct Inputs {
  std::string text;
  bool racy = false;
};

/// Nothing when a folder cannot be listed or holds too many files: the load reports that, and
/// nothing is cached.
std::optional<Inputs> fingerprint(const LoadOptions& options, std::int64_t reference_ns,
                                  std::int64_t window_ns) {
  Inputs in;
  in.text = fmt::format("knots {} format {}\n", kVersion, kFormat);
  if (options.use_embedded) in.text += fmt::format("embedded {}\n", embedded_digest());
  auto file = [&](const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false;
    in.text += fmt::format("file {} {} {} {} {} {}\n", path, st.st_dev, st.st_ino, st.st_size, ns(st.st_mtim),
                           ns(st.st_ctim));
    in.racy = in.racy || is_racy({ns(st.st_mtim), ns(st.st_ctim)}, reference_ns, window_ns);
    return true;
  };
  // A folder's files are listed every time, so a file added or removed is seen without relying on
  // the folder's own time stamps.
  auto folder = [&](const std::string& dir) {
    std::vector<Diagnostic> ignored;
    const auto files = folder_files(dir, ignored);
    if (!files) return false;
    in.text += fmt::format("folder {} {}\n", dir, files->size());
    return std::all_of(files->begin(), files->end(), file);
  };
  for (const auto& dir : options.folders) {
    if (!folder(dir)) return std::nullopt;
  }
  for (const auto& path : options.paths) {
    std::error_code ec;
    if (!(std::filesystem::is_directory(path, ec) ? folder(path) : file(path))) return std::nullopt;
  }
  return in;
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

  /// A file of the folder that this user owns and nobody else can write, up to the size limit.
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

std::string mac(std::string_view key, std::string_view body) {
  std::string out(kMac, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return out;
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
  ByteWriter w;
  put_model(w, result);
  w.str(extra);
  return std::move(w.bytes());
}

std::optional<LoadResult> deserialize(std::string_view bytes) {
  const auto cached = CachedModel::parse(std::string(bytes));
  if (!cached) return std::nullopt;
  return cached->decode_all();
}

// --- a verified file, decoded as asked ------------------------------------------------------

std::optional<CachedModel> CachedModel::parse(std::string bytes) {
  return read(std::move(bytes), 0);
}

std::optional<CachedModel> CachedModel::read(std::string bytes, std::size_t at) {
  CachedModel cached;
  cached.bytes_ = std::move(bytes);
  ByteReader r(cached.bytes_, at);
  cached.header_.layers = get_strs(r);
  cached.header_.files = r.u64();
  // Each table is checked here, once: offsets from 0, never going back, ending inside the bytes.
  // A decode then reads an entry's bytes without checking where they are.
  for (Table& table : cached.tables_) {
    table.count = r.count(sizeof(std::uint64_t));
    table.offsets_at = r.pos();
    std::uint64_t end = 0;
    for (std::size_t i = 0; i <= table.count && r.ok(); ++i) {
      const std::uint64_t offset = r.u64();
      if (offset < end || (i == 0 && offset != 0)) r.fail();
      end = offset;
    }
    if (!r.ok() || end > r.left()) return std::nullopt;
    table.entries_at = r.pos();
    r = ByteReader(cached.bytes_, table.entries_at + end);
  }
  const std::size_t extra_at = r.pos() + sizeof(std::uint32_t);
  cached.extra_size_ = r.view().size();
  cached.extra_at_ = extra_at;
  if (!r.ok() || !r.done()) return std::nullopt;
  return cached;
}

std::string_view CachedModel::entry(const Table& table, std::size_t place) const {
  const std::string_view bytes = bytes_;
  const std::uint64_t from = load_u64(bytes, table.offsets_at + place * sizeof(std::uint64_t));
  const std::uint64_t to = load_u64(bytes, table.offsets_at + (place + 1) * sizeof(std::uint64_t));
  return bytes.substr(table.entries_at + from, to - from);
}

template <class T>
bool CachedModel::decode_kind(std::size_t kind, const Selection& sel, Catalog<T>& out) const {
  const Table& table = tables_[kind];
  std::vector<T> items;
  // An entry must fill its bytes exactly: a length that runs short or long is damage.
  const auto one = [&](std::size_t place) {
    ByteReader r(entry(table, place));
    Get get(r);
    describe(get, items.emplace_back());
    return r.ok() && r.done();
  };
  if (sel.whole[kind]) {
    items.reserve(table.count);
    for (std::size_t place = 0; place < table.count; ++place) {
      if (!one(place)) return false;
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
      if (place >= table.count || !one(place)) return false;
    }
  }
  out = Catalog<T>(std::move(items));
  return true;
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
  std::string bytes;
  if (!key || !dir.read(name, bytes, settings.max_bytes) || bytes.size() < kMagic.size() + kMac ||
      !bytes.starts_with(kMagic))
    return std::nullopt;
  // File: magic, keyed checksum of the body; body: the inputs it was built from, the payload.
  const std::string_view body = std::string_view(bytes).substr(kMagic.size() + kMac);
  if (sodium_memcmp(mac(*key, body).data(), bytes.data() + kMagic.size(), kMac) != 0) return std::nullopt;
  ByteReader header(body);
  if (header.view() != inputs->text || !header.ok()) return std::nullopt;
  const std::size_t payload = kMagic.size() + kMac + header.pos();
  auto cached = CachedModel::read(std::move(bytes), payload);
  if (cached) dir.touch(name);
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
  if (!after || after->text != inputs->text || after->racy) return result;
  // Made in place after the magic and a checksum left blank, so that tens of MB are not copied.
  ByteWriter w;
  w.bytes().append(kMagic).append(kMac, '\0');
  w.str(inputs->text);
  put_model(w, result);
  // The reader refuses larger files (10,000 modalities take a few tens of MB), so none is written;
  // an extra blob that does not fit is left out, so that the model is still cached.
  const auto fits = [&](std::size_t extra) {
    return extra <= UINT32_MAX && w.size() + sizeof(std::uint32_t) + extra <= settings.max_bytes;
  };
  if (!fits(0)) return result;
  CacheDir dir(settings.dir, true, note);
  if (!dir.ok()) return result;
  const auto key = dir.key(true);
  if (!key) return result;
  const std::string extra = settings.extra ? settings.extra(result.kb) : std::string();
  w.str(fits(extra.size()) ? std::string_view(extra) : std::string_view());
  const std::string sum = mac(*key, std::string_view(w.bytes()).substr(kMagic.size() + kMac));
  w.bytes().replace(kMagic.size(), kMac, sum);
  if (dir.write(file_name(options), w.bytes())) dir.clean(settings.keep);
  return result;
}

}  // namespace knots::load
