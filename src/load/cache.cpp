// The model cache: a flat binary encoding with a checksum, and a fingerprint of the inputs.
#include "load/cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <knots/version.hpp>

#include "load/embedded.hpp"

namespace knots::load {
namespace {

constexpr std::string_view kMagic = "KNOTSC\x01\n";
/// Bump when the encoding or the model changes.
constexpr std::uint32_t kFormat = 2;

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = 1469598103934665603ull) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

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

void put(Writer& w, const Technique& t) { w.str(t.id), w.str(t.name), w.strs(t.aliases), w.str(t.definition), w.strs(t.sources); }
void get(Reader& r, Technique& t) { t.id = r.str(), t.name = r.str(), t.aliases = r.strs(), t.definition = r.str(), t.sources = r.strs(); }

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

void put(Writer& w, const Goal& g) { w.str(g.id), w.str(g.name), w.strs(g.aliases), w.str(g.description); }
void get(Reader& r, Goal& g) { g.id = r.str(), g.name = r.str(), g.aliases = r.strs(), g.description = r.str(); }

void put(Writer& w, const SelfCareTip& t) {
  w.str(t.id), w.str(t.name), w.strs(t.aliases), w.str(t.advice), w.str(t.evidence), w.strs(t.suits);
  w.strs(t.avoid_with), w.strs(t.sources);
}
void get(Reader& r, SelfCareTip& t) {
  t.id = r.str(), t.name = r.str(), t.aliases = r.strs(), t.advice = r.str(), t.evidence = r.str(), t.suits = r.strs();
  t.avoid_with = r.strs(), t.sources = r.strs();
}

void put(Writer& w, const RedFlag& f) {
  w.str(f.id), w.str(f.name), w.strs(f.aliases), w.e(f.urgency), w.str(f.text), w.strs(f.sources);
}
void get(Reader& r, RedFlag& f) {
  f.id = r.str(), f.name = r.str(), f.aliases = r.strs(), f.urgency = r.e<Urgency>(), f.text = r.str(), f.sources = r.strs();
}

void put(Writer& w, const Source& s) { w.str(s.id), w.e(s.tier), w.str(s.publisher), w.str(s.title), w.str(s.url), w.str(s.via); }
void get(Reader& r, Source& s) {
  s.id = r.str(), s.tier = r.e<Tier>(), s.publisher = r.str(), s.title = r.str(), s.url = r.str(), s.via = r.str();
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

/// What the cache was built from: the version, the embedded bytes, and for every folder and file
/// its path, size and modification time. Any change makes a different fingerprint.
std::string fingerprint(const LoadOptions& options) {
  std::string f = fmt::format("knots {} format {}\n", kVersion, kFormat);
  if (options.use_embedded) f += fmt::format("embedded {}\n", embedded_digest());
  auto stat_line = [&](const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      f += fmt::format("missing {}\n", path);
      return false;
    }
    f += fmt::format("{} {} {} {}.{:09} {}\n", S_ISDIR(st.st_mode) ? "dir" : "file", path, st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec, st.st_ino);
    return S_ISDIR(st.st_mode);
  };
  auto folder = [&](const std::string& dir) {
    if (!stat_line(dir)) return;
    // A file added or removed changes the folder's mtime; a file edited in place changes its own.
    std::error_code ec;
    const auto modalities = (std::filesystem::path(dir) / "modalities").string();
    if (std::filesystem::is_directory(modalities, ec)) stat_line(modalities);
    std::vector<std::string> files;
    for (const std::string& d : {dir, modalities}) {
      for (std::filesystem::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.ends_with(".yaml") || name.ends_with(".yml")) files.push_back(it->path().string());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) stat_line(file);
  };
  for (const auto& dir : options.folders) folder(dir);
  for (const auto& path : options.paths) {
    std::error_code ec;
    std::filesystem::is_directory(path, ec) ? folder(path) : (void)stat_line(path);
  }
  return f;
}

bool read_file(const std::string& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  // A cache larger than this did not come from knots (10,000 modalities take a few tens of MB).
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (1LL << 28);
  if (ok) {
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    ok = got == out.size();
  }
  ::close(fd);
  return ok;
}

/// Written to a temporary file and renamed into place: a reader sees the old cache or the new one.
void write_file(const std::string& dir, const std::string& path, const std::string& bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string temp = path + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return;
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) ::unlink(temp.c_str());
}

}  // namespace

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

LoadResult load_cached(const LoadOptions& options, const std::string& cache_dir) {
  if (cache_dir.empty()) return load(options);
  const std::string inputs = fingerprint(options);
  // One file per set of folders, so that an edit replaces the old cache instead of adding one.
  std::string which = fmt::format("{} {}", kVersion, options.use_embedded);
  for (const auto& list : {options.folders, options.paths}) {
    for (const auto& p : list) which += "\n" + p;
    which += "\n--";
  }
  const std::string path = fmt::format("{}/model-{:016x}.bin", cache_dir, fnv1a(which));

  // File: magic, the inputs it was built from, a checksum of the payload, the payload.
  std::string bytes;
  if (read_file(path, bytes) && bytes.starts_with(kMagic)) {
    Reader header(std::string_view(bytes).substr(kMagic.size()));
    const std::string cached_inputs = header.str();
    const std::uint64_t checksum = header.u64();
    const std::size_t payload_at = kMagic.size() + 4 + cached_inputs.size() + 8;
    if (header.ok() && cached_inputs == inputs && payload_at <= bytes.size()) {
      const std::string_view payload = std::string_view(bytes).substr(payload_at);
      if (fnv1a(payload) == checksum) {
        if (auto result = deserialize(payload)) return std::move(*result);
      }
    }
  }

  LoadResult result = load(options);
  // The inputs must not have changed while they were read; if they did, cache nothing.
  if (result.ok() && fingerprint(options) == inputs) {
    Writer w;
    w.bytes() = std::string(kMagic);
    w.str(inputs);
    const std::string payload = serialize(result);
    w.u64(fnv1a(payload));
    w.bytes() += payload;
    write_file(cache_dir, path, w.bytes());
  }
  return result;
}

}  // namespace knots::load
