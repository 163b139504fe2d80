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
#include "util/file.hpp"

namespace knots::load {
namespace {

constexpr std::string_view kMagic = "KNOTSC\x02\n";
/// A digest of the model, its enums and this encoding, made by the build (CMakeLists.txt), so that
/// a change to any of them can never be read with the old layout.
constexpr std::string_view kFormat = KNOTS_CACHE_FORMAT;
constexpr std::size_t kMac = crypto_generichash_BYTES;     // 32
constexpr std::size_t kKey = crypto_generichash_KEYBYTES;  // 32
/// Cache files unused for this long are removed; temporaries this old were left by a killed run.
constexpr std::int64_t kStaleSeconds = 30 * 24 * 3600;
constexpr std::int64_t kOrphanSeconds = 600;

// --- encoding ----------------------------------------------------------------------------

class Writer {
 public:
  void u32(std::uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void u64(std::uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void strs(const std::vector<std::string>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) str(s);
  }
  template <class E>
  void e(E v) {
    u32(static_cast<std::uint32_t>(v));
  }
  template <class E>
  void opt(const std::optional<E>& v) {
    u32(v ? static_cast<std::uint32_t>(*v) + 1 : 0);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool done() const { return pos_ == in_.size(); }

  std::uint32_t u32() {
    std::uint32_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  std::string str() {
    const std::uint32_t n = u32();
    if (!ok_ || n > in_.size() - pos_) return fail<std::string>();
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(count());
    for (auto& s : v) s = str();
    return v;
  }
  /// A count of items, each at least 4 bytes: more than the bytes left is corruption.
  std::size_t count() {
    const std::uint32_t n = u32();
    if (!ok_ || n > (in_.size() - pos_) / 4) return fail<std::size_t>();
    return n;
  }
  template <class E>
  E e() {
    const std::uint32_t v = u32();
    if (v >= EnumNames<E>::names.size()) return fail<E>();
    return static_cast<E>(v);
  }
  template <class E>
  std::optional<E> opt() {
    const std::uint32_t v = u32();
    if (v == 0) return std::nullopt;
    if (v - 1 >= EnumNames<E>::names.size()) {
      ok_ = false;
      return std::nullopt;
    }
    return static_cast<E>(v - 1);
  }

 private:
  void take(void* dst, std::size_t n) {
    if (!ok_ || n > in_.size() - pos_) {
      ok_ = false;
      return;
    }
    std::memcpy(dst, in_.data() + pos_, n);
    pos_ += n;
  }
  template <class T>
  T fail() {
    ok_ = false;
    return T{};
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

template <class E>
void put_enums(Writer& w, const std::vector<E>& v) {
  w.u32(static_cast<std::uint32_t>(v.size()));
  for (auto e : v) w.e(e);
}
template <class E>
std::vector<E> get_enums(Reader& r) {
  std::vector<E> v(r.count());
  for (auto& e : v) e = r.e<E>();
  return v;
}

void put(Writer& w, const Rule& rule) {
  w.e(rule.level), w.opt(rule.max_pressure), w.strs(rule.leave_out);
  put_enums(w, rule.keep_off), put_enums(w, rule.without);
  w.str(rule.note), w.strs(rule.sources);
}
void get(Reader& r, Rule& rule) {
  rule.level = r.e<CautionLevel>(), rule.max_pressure = r.opt<Pressure>(), rule.leave_out = r.strs();
  rule.keep_off = get_enums<Area>(r), rule.without = get_enums<Part>(r);
  rule.note = r.str(), rule.sources = r.strs();
}

void put(Writer& w, const Modality& m) {
  w.str(m.id), w.str(m.name), w.strs(m.aliases), w.str(m.summary), w.str(m.description);
  w.e(m.pressure.min), w.e(m.pressure.max);
  w.strs(m.techniques), w.strs(m.core_techniques), w.strs(m.tools);
  put_enums(w, m.setting.surfaces);
  w.e(m.setting.clothing), w.e(m.setting.oil), w.e(m.setting.heat);
  w.strs(m.targets), w.e(m.back), w.str(m.helps_knots);
  w.u32(static_cast<std::uint32_t>(m.goals.size()));
  for (const auto& g : m.goals) w.str(g.goal), w.e(g.fit);
  w.str(m.origin);
  w.u32(static_cast<std::uint32_t>(m.related.size()));
  for (const auto& r : m.related) w.str(r.id), w.e(r.relation);
  w.u32(static_cast<std::uint32_t>(m.cautions.size()));
  for (const auto& c : m.cautions) w.str(c.condition), put(w, static_cast<const Rule&>(c));
  w.e(m.evidence.grade), w.str(m.evidence.note), w.strs(m.evidence.sources);
  w.strs(m.sources), w.str(m.file);
}

void get(Reader& r, Modality& m) {
  m.id = r.str(), m.name = r.str(), m.aliases = r.strs(), m.summary = r.str(), m.description = r.str();
  m.pressure.min = r.e<Pressure>(), m.pressure.max = r.e<Pressure>();
  m.techniques = r.strs(), m.core_techniques = r.strs(), m.tools = r.strs();
  m.setting.surfaces = get_enums<Surface>(r);
  m.setting.clothing = r.e<Clothing>(), m.setting.oil = r.e<Usage>(), m.setting.heat = r.e<Usage>();
  m.targets = r.strs(), m.back = r.e<BackContact>(), m.helps_knots = r.str();
  m.goals.resize(r.count());
  for (auto& g : m.goals) g.goal = r.str(), g.fit = r.e<Fit>();
  m.origin = r.str();
  m.related.resize(r.count());
  for (auto& rel : m.related) rel.id = r.str(), rel.relation = r.e<Relation>();
  m.cautions.resize(r.count());
  for (auto& c : m.cautions) c.condition = r.str(), get(r, static_cast<Rule&>(c));
  m.evidence.grade = r.e<EvidenceGrade>(), m.evidence.note = r.str(), m.evidence.sources = r.strs();
  m.sources = r.strs(), m.file = r.str();
}

void put(Writer& w, const Technique& t) {
  w.str(t.id), w.str(t.name), w.strs(t.aliases), w.str(t.definition), w.strs(t.sources);
}
void get(Reader& r, Technique& t) {
  t.id = r.str(), t.name = r.str(), t.aliases = r.strs(), t.definition = r.str(), t.sources = r.strs();
}

void put(Writer& w, const Condition& c) {
  w.str(c.id), w.str(c.name), w.strs(c.aliases), w.str(c.description), w.str(c.guidance);
  w.u32(c.every_modality ? 1 : 0);
  if (c.every_modality) put(w, *c.every_modality);
  w.strs(c.red_flags), w.strs(c.sources);
}
void get(Reader& r, Condition& c) {
  c.id = r.str(), c.name = r.str(), c.aliases = r.strs(), c.description = r.str(), c.guidance = r.str();
  if (r.u32() != 0) get(r, c.every_modality.emplace());
  c.red_flags = r.strs(), c.sources = r.strs();
}

void put(Writer& w, const Goal& g) {
  w.str(g.id), w.str(g.name), w.strs(g.aliases), w.str(g.description);
}
void get(Reader& r, Goal& g) {
  g.id = r.str(), g.name = r.str(), g.aliases = r.strs(), g.description = r.str();
}

void put(Writer& w, const SelfCareTip& t) {
  w.str(t.id), w.str(t.name), w.strs(t.aliases), w.str(t.advice), w.str(t.evidence), w.strs(t.suits);
  w.strs(t.avoid_with), w.strs(t.sources);
}
void get(Reader& r, SelfCareTip& t) {
  t.id = r.str(), t.name = r.str(), t.aliases = r.strs(), t.advice = r.str(), t.evidence = r.str(),
  t.suits = r.strs();
  t.avoid_with = r.strs(), t.sources = r.strs();
}

void put(Writer& w, const RedFlag& f) {
  w.str(f.id), w.str(f.name), w.strs(f.aliases), w.e(f.urgency), w.str(f.text), w.strs(f.sources);
}
void get(Reader& r, RedFlag& f) {
  f.id = r.str(), f.name = r.str(), f.aliases = r.strs(), f.urgency = r.e<Urgency>(), f.text = r.str(),
  f.sources = r.strs();
}

void put(Writer& w, const Source& s) {
  w.str(s.id), w.e(s.tier), w.str(s.publisher), w.str(s.title), w.str(s.url), w.str(s.via);
}
void get(Reader& r, Source& s) {
  s.id = r.str(), s.tier = r.e<Tier>(), s.publisher = r.str(), s.title = r.str(), s.url = r.str(),
  s.via = r.str();
}

template <class T>
void put_all(Writer& w, const Catalog<T>& catalog) {
  w.u32(static_cast<std::uint32_t>(catalog.size()));
  for (const auto& item : catalog.all()) put(w, item);
}

template <class T>
Catalog<T> get_all(Reader& r) {
  std::vector<T> items(r.count());
  for (auto& item : items) {
    if (!r.ok()) break;
    get(r, item);
  }
  return Catalog<T>(std::move(items));
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
    if (read("key", key, kKey) && key.size() == kKey) return key;
    if (!create) return std::nullopt;
    key.resize(kKey);
    randombytes_buf(key.data(), key.size());
    if (write("key", key, true)) return key;
    // Another run made it first: use that one.
    if (std::string theirs; read("key", theirs, kKey) && theirs.size() == kKey) return theirs;
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

std::string serialize(const LoadResult& result) {
  Writer w;
  put_all(w, result.kb.modalities);
  put_all(w, result.kb.techniques);
  put_all(w, result.kb.conditions);
  put_all(w, result.kb.goals);
  put_all(w, result.kb.self_care);
  put_all(w, result.kb.red_flags);
  put_all(w, result.kb.sources);
  w.strs(result.layers);
  w.u64(result.files);
  return std::move(w.bytes());
}

std::optional<LoadResult> deserialize(std::string_view bytes) {
  Reader r(bytes);
  LoadResult result;
  result.kb.modalities = get_all<Modality>(r);
  result.kb.techniques = get_all<Technique>(r);
  result.kb.conditions = get_all<Condition>(r);
  result.kb.goals = get_all<Goal>(r);
  result.kb.self_care = get_all<SelfCareTip>(r);
  result.kb.red_flags = get_all<RedFlag>(r);
  result.kb.sources = get_all<Source>(r);
  result.layers = r.strs();
  result.files = r.u64();
  if (!r.ok() || !r.done()) return std::nullopt;
  return result;
}

LoadResult load_cached(const LoadOptions& options, const CacheSettings& settings, std::string* note) {
  if (settings.dir.empty() || sodium_init() < 0) return load(options);
  // The moment the inputs' time stamps are read: an edit after it moves a change time to it or
  // later, which the racy rule (or a changed fingerprint) catches.
  const std::int64_t reference = now_ns();
  const auto inputs = fingerprint(options, reference, settings.racy_window_ns);
  if (!inputs) return load(options);
  const std::string name = file_name(options);

  // File: magic, keyed checksum of the body; body: the inputs it was built from, the payload.
  {
    CacheDir dir(settings.dir, false, note);
    std::string bytes;
    std::optional<std::string> key;
    if (dir.ok() && !inputs->racy && (key = dir.key(false)) && dir.read(name, bytes, settings.max_bytes) &&
        bytes.size() >= kMagic.size() + kMac && bytes.starts_with(kMagic)) {
      const std::string_view body = std::string_view(bytes).substr(kMagic.size() + kMac);
      if (sodium_memcmp(mac(*key, body).data(), bytes.data() + kMagic.size(), kMac) == 0) {
        Reader header(body);
        const std::string cached_inputs = header.str();
        if (header.ok() && cached_inputs == inputs->text) {
          if (auto result = deserialize(body.substr(4 + cached_inputs.size()))) {
            dir.touch(name);
            return std::move(*result);
          }
        }
      }
    }
  }

  LoadResult result = load(options);
  // Cached only when valid, when no input is racy, and when the inputs did not change while they
  // were read.
  if (!result.ok() || inputs->racy) return result;
  const auto after = fingerprint(options, reference, settings.racy_window_ns);
  if (!after || after->text != inputs->text || after->racy) return result;
  Writer w;
  w.str(inputs->text);
  w.bytes() += serialize(result);
  // The reader refuses larger files (10,000 modalities take a few tens of MB), so none is written.
  if (kMagic.size() + kMac + w.bytes().size() > settings.max_bytes) return result;
  CacheDir dir(settings.dir, true, note);
  if (!dir.ok()) return result;
  if (const auto key = dir.key(true)) {
    std::string file = std::string(kMagic) + mac(*key, w.bytes());
    file += w.bytes();
    if (dir.write(name, file)) dir.clean(settings.keep);
  }
  return result;
}

}  // namespace knots::load
