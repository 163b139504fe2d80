// The model cache: an exact round trip, corruption refused, and staleness noticed.
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli/embedded_model.hpp"
#include "load/cache.hpp"
#include "query/filter.hpp"
#include "query/search.hpp"
#include "render/json.hpp"
#include "util/binary.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "knots-cache-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

/// tests/fixtures/full-kb alone: a knowledge base with every optional field filled in.
knots::load::LoadOptions full_kb_options() {
  knots::load::LoadOptions options;
  options.use_embedded = false;
  options.folders = {(fs::path(KNOTS_SOURCE_DIR) / "tests/fixtures/full-kb").string()};
  return options;
}

/// A knowledge base loaded, and its model read back from the bytes serialize() made of it.
struct RoundTrip {
  knots::load::LoadResult loaded;
  knots::load::CachedModel cached;
};

/// The round trips of the shipped knowledge base and of tests/fixtures/full-kb.
std::vector<RoundTrip> round_trips() {
  std::vector<RoundTrip> out;
  out.reserve(2);
  for (const auto& options : {knots::load::LoadOptions{}, full_kb_options()}) {
    auto loaded = knots::load::load(options);
    REQUIRE(loaded.ok());
    auto cached = knots::load::CachedModel::parse(knots::load::serialize(loaded));
    REQUIRE(cached.has_value());
    out.push_back({std::move(loaded), std::move(*cached)});
  }
  return out;
}

std::string everything(const knots::KnowledgeBase& kb) {
  std::vector<const knots::Modality*> all;
  for (const auto& m : kb.modalities.all()) all.push_back(&m);
  const knots::render::JsonStyle pretty{true};
  return knots::render::list_json(all, kb, knots::ListFilter{}, pretty) +
         knots::render::techniques_json(knots::technique_users(kb), pretty) +
         knots::render::conditions_json(knots::condition_summaries(kb), pretty);
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Where a cache file's payload starts: after the magic, the checksum and the inputs' hash; the
/// checksum covers everything from the inputs' hash to the end of the header.
constexpr std::size_t kMacAt = 8;
constexpr std::size_t kPayloadAt = kMacAt + 2 * crypto_generichash_BYTES;

/// Where things are in the payload that serialize() makes, at `at` in `bytes` (the layout in
/// cache.cpp): a u64 header size; the header: layers, the file count, then each kind's u32 count,
/// count + 1 u64 offsets into the body and a 16-byte hash of each entry, then the extra blob's u64
/// size, 16-byte salt and 16-byte tag; then the body: the entries, then the blob.
struct Layout {
  std::size_t layers = 0;           ///< the first layer's name (after the u32 count and its u32 length)
  std::size_t body = 0;             ///< where the header ends
  std::vector<std::size_t> tables;  ///< each kind's offsets
  std::vector<std::size_t> counts;
  std::size_t lookup_size = 0;  ///< the lookup section's u64 size, in the header (its hash follows)
  std::size_t extra_size = 0;   ///< the blob's u64 size, in the header

  Layout(std::string_view bytes, std::size_t at) {
    knots::ByteReader r(bytes, at);
    body = at + sizeof(std::uint64_t) + r.u64();
    layers = r.pos() + 8;
    for (std::size_t n = r.count(); n > 0; --n) r.view();
    r.u64();
    for (std::size_t k = 0; k < knots::kKindCount; ++k) {
      counts.push_back(r.u32());
      tables.push_back(r.pos());
      r = knots::ByteReader(bytes, r.pos() + (counts[k] + 1) * 8 + counts[k] * 16);
    }
    lookup_size = r.pos();
    extra_size = lookup_size + 8 + 16;
    REQUIRE(r.ok());
  }
  [[nodiscard]] std::uint64_t offset(std::string_view bytes, std::size_t kind, std::size_t i) const {
    std::uint64_t v = 0;
    std::memcpy(&v, bytes.data() + tables[kind] + i * 8, 8);
    return v;
  }
  /// Where entry `i` of `kind` is in `bytes`.
  [[nodiscard]] std::size_t entry(std::string_view bytes, std::size_t kind, std::size_t i) const {
    return body + offset(bytes, kind, i);
  }
  /// Where the lookup section is in `bytes`: after the last kind's entries.
  [[nodiscard]] std::size_t lookup(std::string_view bytes) const {
    return body + offset(bytes, knots::kKindCount - 1, counts.back());
  }
  /// Puts the right hash of every entry of `kind` in the header, as a forger would.
  void rehash(std::string& bytes, std::size_t kind) const {
    for (std::size_t i = 0; i < counts[kind]; ++i) {
      const std::uint64_t from = offset(bytes, kind, i);
      const std::uint64_t to = offset(bytes, kind, i + 1);
      crypto_generichash(
          reinterpret_cast<unsigned char*>(bytes.data()) + tables[kind] + (counts[kind] + 1) * 8 + i * 16, 16,
          reinterpret_cast<const unsigned char*>(bytes.data()) + body + from, to - from, nullptr, 0);
    }
  }
};

/// Sets a cache file's checksum as knots would with `key`.
void sign(std::string& file, std::string_view key) {
  const Layout layout(file, kPayloadAt);
  unsigned char mac[crypto_generichash_BYTES];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(file.data()) + kPayloadAt - 32,
                     layout.body - (kPayloadAt - 32), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size());
  file.replace(kMacAt, sizeof mac, reinterpret_cast<const char*>(mac), sizeof mac);
}

}  // namespace

TEST_CASE("the cache encodes the whole model exactly") {
  const auto loaded = knots::load::load({});
  REQUIRE(loaded.ok());
  const std::string bytes = knots::load::serialize(loaded);
  const auto back = knots::load::deserialize(bytes);
  REQUIRE(back.has_value());
  CHECK(everything(back->kb) == everything(loaded.kb));
  CHECK(back->kb.red_flags.size() == loaded.kb.red_flags.size());
  CHECK(back->kb.self_care.find("heat")->advice == loaded.kb.self_care.find("heat")->advice);
  CHECK(back->layers == loaded.layers);
  CHECK(knots::load::serialize(*back) == bytes);
}

TEST_CASE("truncated or damaged bytes are refused, never trusted") {
  const std::string bytes = knots::load::serialize(knots::load::load({}));
  for (std::size_t n = 0; n < bytes.size(); n += 97) {
    CHECK_FALSE(knots::load::deserialize(std::string_view(bytes).substr(0, n)).has_value());
  }
  // Counts and enums out of range: set a 4-byte field to a huge value at many places.
  std::size_t refused = 0;
  for (std::size_t at = 0; at + 4 < bytes.size(); at += 131) {
    std::string damaged = bytes;
    damaged.replace(at, 4, "\xFF\xFF\xFF\x7F", 4);
    refused += knots::load::deserialize(damaged).has_value() ? 0u : 1u;  // must not crash either way
  }
  CHECK(refused > 0);
}

TEST_CASE("a cached knowledge base is rebuilt when a file changes, and a broken cache is replaced") {
  TempDir dir;
  const fs::path kb = dir.path / "kb";
  fs::copy(fs::path(KNOTS_SOURCE_DIR) / "tests/fixtures/kb", kb, fs::copy_options::recursive);
  // No racy window here: the files were made a moment ago (a test below keeps the window).
  const knots::load::CacheSettings cache{(dir.path / "cache").string(), 0};
  knots::load::LoadOptions options;
  options.use_embedded = false;
  options.folders = {kb.string()};

  const auto first = knots::load::load_cached(options, cache);
  REQUIRE(first.ok());
  const fs::path cache_file = knots::load::cache_file_for(options, cache.dir);
  REQUIRE(fs::exists(cache_file));

  // Served from the cache: the same model.
  CHECK(everything(knots::load::load_cached(options, cache).kb) == everything(first.kb));

  // Edit a file: the next load sees the edit.
  const fs::path swedish = kb / "modalities/swedish.yaml";
  std::string text = read(swedish);
  text.replace(text.find("name: Swedish massage"), 21, "name: Swedish massage, edited");
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  write(swedish, text);
  CHECK(knots::load::load_cached(options, cache).kb.modalities.find("swedish")->name ==
        "Swedish massage, edited");
  CHECK(knots::load::load_cached(options, cache).kb.modalities.find("swedish")->name ==
        "Swedish massage, edited");

  // A new file in the folder is noticed too.
  std::string copy = text;
  copy.replace(copy.find("id: swedish"), 11, "id: swedish-two");
  copy.replace(copy.find("name: Swedish massage, edited"), 29, "name: Second Swedish");
  copy.replace(copy.find("aliases: [classic massage]"), 26, "aliases: []");
  write(kb / "modalities/swedish-two.yaml", copy);
  const auto added = knots::load::load_cached(options, cache);
  INFO(added.diagnostics.size());
  CHECK(added.kb.modalities.find("swedish-two") != nullptr);

  // Garbage in the cache file: ignored and replaced.
  write(cache_file, "KNOTSC\x02\ngarbage");
  const auto after = knots::load::load_cached(options, cache);
  CHECK(after.ok());
  CHECK(after.kb.modalities.find("swedish-two") != nullptr);
  CHECK(read(cache_file).size() > 100);

  // An invalid knowledge base is never cached: its problems are reported every time.
  write(kb / "modalities/bad.yaml", "id: bad\n");
  CHECK_FALSE(knots::load::load_cached(options, cache).ok());
  CHECK_FALSE(knots::load::load_cached(options, cache).ok());
}

// --- issue 11: a cache that is only ever an optimisation ------------------------------------------

namespace {

using knots::load::CacheSettings;
using knots::load::FileTimes;
using knots::load::is_racy;

constexpr std::int64_t kSecond = 1'000'000'000;

/// A copy of the fixture knowledge base and a cache folder in a fresh temporary folder.
struct Setup {
  TempDir dir;
  fs::path kb = dir.path / "kb";
  CacheSettings cache{(dir.path / "cache").string(), 0};
  knots::load::LoadOptions options;
  Setup() {
    fs::copy(fs::path(KNOTS_SOURCE_DIR) / "tests/fixtures/kb", kb, fs::copy_options::recursive);
    options.use_embedded = false;
    options.folders = {kb.string()};
  }
  [[nodiscard]] fs::path file() const { return knots::load::cache_file_for(options, cache.dir); }
  [[nodiscard]] std::string swedish_name(std::string* note = nullptr) const {
    const auto loaded = knots::load::load_cached(options, cache, note);
    REQUIRE(loaded.ok());
    return loaded.kb.modalities.find("swedish")->name;
  }
};

ino_t inode(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_ino;
}

std::size_t files_in(const fs::path& dir, std::string_view prefix) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    n += e.path().filename().string().starts_with(prefix) ? 1u : 0u;
  return n;
}

}  // namespace

TEST_CASE("the racy-timestamp rule: a file changed within the window of the reference time is not trusted") {
  const std::int64_t now = 1'700'000'000 * kSecond;
  const std::int64_t window = 2 * kSecond;
  // Old on both stamps: trusted.
  CHECK_FALSE(is_racy({now - 3 * kSecond, now - 3 * kSecond}, now, window));
  CHECK_FALSE(is_racy({now - window - 1, now - window - 1}, now, window));
  // Modified, or changed (a restored mtime leaves the ctime), within the window: racy.
  CHECK(is_racy({now - kSecond / 2, now - 10 * kSecond}, now, window));
  CHECK(is_racy({now - 10 * kSecond, now - kSecond / 2}, now, window));
  CHECK(is_racy({now - window, now - window}, now, window));
  // The same second on a 1-second file system: stamps truncated to now's second.
  CHECK(is_racy({now - now % kSecond, now - now % kSecond}, now, window));
  // Stamps in the future (a skewed clock, touch -d tomorrow): racy.
  CHECK(is_racy({now + 3600 * kSecond, now - 10 * kSecond}, now, window));
  // A file system that keeps no change time: never trusted.
  CHECK(is_racy({now - 10 * kSecond, 0}, now, window));
  CHECK(is_racy({0, -1}, now, window));
  // An old mtime set on purpose (touch -d 1970) is fine when the change time is real and old.
  CHECK_FALSE(is_racy({0, now - 10 * kSecond}, now, window));
  // With no window (tests), only the present and the future are racy.
  CHECK_FALSE(is_racy({now - 1, now - 1}, now, 0));
  CHECK(is_racy({now, now - 1}, now, 0));
}

TEST_CASE("files changed a moment ago are not cached: the next edit could keep every time stamp") {
  Setup s;
  s.cache.racy_window_ns = 3600 * kSecond;  // every file in the copy is "just changed"
  CHECK(s.swedish_name() == "Swedish massage");
  CHECK_FALSE(fs::exists(s.file()));
  // An in-place edit of the same size, with the modification time put back: still the truth.
  const fs::path swedish = s.kb / "modalities/swedish.yaml";
  const auto mtime = fs::last_write_time(swedish);
  std::string text = read(swedish);
  text.replace(text.find("name: Swedish massage"), 21, "name: Swedish massagf");
  write(swedish, text);
  fs::last_write_time(swedish, mtime);
  CHECK(s.swedish_name() == "Swedish massagf");
}

TEST_CASE("an in-place edit with the modification time put back is seen (the change time moves)") {
  Setup s;
  CHECK(s.swedish_name() == "Swedish massage");
  REQUIRE(fs::exists(s.file()));
  const fs::path swedish = s.kb / "modalities/swedish.yaml";
  const auto mtime = fs::last_write_time(swedish);
  const auto size = fs::file_size(swedish);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::string text = read(swedish);
  text.replace(text.find("name: Swedish massage"), 21, "name: Swedish massagf");
  {
    std::fstream f(swedish, std::ios::in | std::ios::out | std::ios::binary);  // same inode
    f << text;
  }
  fs::last_write_time(swedish, mtime);
  REQUIRE(fs::file_size(swedish) == size);
  CHECK(s.swedish_name() == "Swedish massagf");
}

TEST_CASE("a cache file changed by anyone but knots is rejected and rebuilt") {
  Setup s;
  REQUIRE(s.swedish_name() == "Swedish massage");
  std::string bytes = read(s.file());
  // The name right after the id (each with its u32 length), not a mention elsewhere.
  const auto at = bytes.find(std::string("\x07\0\0\0swedish\x0f\0\0\0Swedish massage", 30)) + 15;
  REQUIRE(at != std::string::npos + 15);

  SUBCASE("the model changed, checksum left as it was") {
    bytes.replace(at, 15, "Swedish FORGED!");
    write(s.file(), bytes);
    CHECK(s.swedish_name() == "Swedish massage");
  }
  SUBCASE("the model changed, its hash and the checksum recomputed with another key") {
    bytes.replace(at, 15, "Swedish FORGED!");
    const Layout layout(bytes, kPayloadAt);
    for (std::size_t k = 0; k < knots::kKindCount; ++k) layout.rehash(bytes, k);
    sign(bytes, std::string(crypto_generichash_KEYBYTES, '\0'));  // a forger does not have the user's key
    write(s.file(), bytes);
    CHECK(s.swedish_name() == "Swedish massage");
  }
  SUBCASE("the same forgery signed with the user's key would be read: only the key stops it") {
    bytes.replace(at, 15, "Swedish FORGED!");
    const Layout layout(bytes, kPayloadAt);
    for (std::size_t k = 0; k < knots::kKindCount; ++k) layout.rehash(bytes, k);
    sign(bytes, read(fs::path(s.cache.dir) / "key"));
    write(s.file(), bytes);
    CHECK(s.swedish_name() == "Swedish FORGED!");
    fs::remove(s.file());
    REQUIRE(s.swedish_name() == "Swedish massage");
  }
  SUBCASE("the key replaced by one the forger knows") {
    write(fs::path(s.cache.dir) / "key", std::string(crypto_generichash_KEYBYTES, '\0'));
    bytes.replace(at, 15, "Swedish FORGED!");
    write(s.file(), bytes);
    CHECK(s.swedish_name() == "Swedish massage");
  }
  // Rebuilt: the file is knots' own again.
  CHECK(read(s.file()).find("Swedish massage") != std::string::npos);
}

TEST_CASE("the cache folder is private, and one that others can write is not used") {
  Setup s;
  REQUIRE(s.swedish_name() == "Swedish massage");
  CHECK((fs::status(s.cache.dir).permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK((fs::status(s.file()).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK((fs::status(fs::path(s.cache.dir) / "key").permissions() &
         (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

  SUBCASE("writable by others: not used, and said") {
    fs::permissions(s.cache.dir, fs::perms::all);
    std::string bytes = read(s.file());
    bytes.replace(bytes.find("Swedish massage"), 15, "Swedish FORGED!");
    write(s.file(), bytes);
    std::string note;
    CHECK(s.swedish_name(&note) == "Swedish massage");
    CHECK(note.find("other users can write to it") != std::string::npos);
  }
  SUBCASE("a cache file writable by others: not used") {
    fs::permissions(s.file(), fs::perms::others_write, fs::perm_options::add);
    const auto before = inode(s.file());
    CHECK(s.swedish_name() == "Swedish massage");
    CHECK(inode(s.file()) != before);  // rebuilt and replaced by a private one
  }
  if (::geteuid() == 0) {
    SUBCASE("a cache folder that belongs to another user: not used, and said") {
      REQUIRE(::chown(s.cache.dir.c_str(), 65534, 65534) == 0);
      std::string note;
      CHECK(s.swedish_name(&note) == "Swedish massage");
      CHECK(note.find("belongs to another user") != std::string::npos);
    }
    SUBCASE("a cache file that belongs to another user: not used") {
      REQUIRE(::chown(s.file().c_str(), 65534, 65534) == 0);
      const auto before = inode(s.file());
      CHECK(s.swedish_name() == "Swedish massage");
      CHECK(inode(s.file()) != before);
    }
  }
}

TEST_CASE("a new cache folder is made 0700, parents included") {
  Setup s;
  s.cache.dir = (s.dir.path / "a/b/knots").string();
  REQUIRE(s.swedish_name() == "Swedish massage");
  CHECK((fs::status(s.dir.path / "a").permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK((fs::status(s.cache.dir).permissions() & fs::perms::all) == fs::perms::owner_all);
}

TEST_CASE(
    "the cache stays bounded: one file per set of folders, however spelled; old ones and orphans removed") {
  Setup s;
  REQUIRE(s.swedish_name() == "Swedish massage");
  const std::string plain = s.kb.string();
  for (const std::string& spelling :
       {plain + "/", (s.dir.path / "." / "kb").string(), (s.dir.path / "kb/../kb").string()}) {
    s.options.folders = {spelling};
    REQUIRE(s.swedish_name() == "Swedish massage");
  }
  CHECK(files_in(s.cache.dir, "model-") == 1);

  // An orphan temporary from a killed run, and a model file unused for 40 days.
  const fs::path orphan = fs::path(s.cache.dir) / "tmp-0123456789abcdef";
  const fs::path stale = fs::path(s.cache.dir) / "model-0123456789abcdef.bin";
  write(orphan, "half a cache");
  write(stale, "an old cache");
  fs::permissions(orphan, fs::perms::owner_read | fs::perms::owner_write);
  fs::permissions(stale, fs::perms::owner_read | fs::perms::owner_write);
  const auto long_ago = fs::file_time_type::clock::now() - std::chrono::hours(24 * 40);
  fs::last_write_time(orphan, long_ago);
  fs::last_write_time(stale, long_ago);

  // At most `keep` files, the newest: four other sets of folders with keep = 2.
  s.cache.keep = 2;
  for (int i = 0; i < 4; ++i) {
    const fs::path other = s.dir.path / fmt::format("kb{}", i);
    fs::copy(s.kb, other, fs::copy_options::recursive);
    s.options.folders = {other.string()};
    REQUIRE(s.swedish_name() == "Swedish massage");
  }
  CHECK_FALSE(fs::exists(orphan));
  CHECK_FALSE(fs::exists(stale));
  CHECK(files_in(s.cache.dir, "model-") == 2);
  CHECK(fs::exists(s.file()));  // the one just used is kept
}

TEST_CASE("a model larger than the reader takes is never written") {
  Setup s;
  s.cache.max_bytes = 1000;  // smaller than the fixture's model
  REQUIRE(s.swedish_name() == "Swedish massage");
  CHECK_FALSE(fs::exists(s.file()));
  CHECK((!fs::exists(s.cache.dir) || files_in(s.cache.dir, "tmp-") == 0));
}

TEST_CASE("a damaged or public key is replaced, so the cache keeps working") {
  Setup s;
  REQUIRE(s.swedish_name() == "Swedish massage");
  const fs::path key = fs::path(s.cache.dir) / "key";
  SUBCASE("too short") {
    write(key, "short");
  }
  SUBCASE("readable and writable by others") {
    fs::permissions(key, fs::perms::all);
  }
  fs::remove(s.file());
  REQUIRE(s.swedish_name() == "Swedish massage");  // rebuilt, with a new key
  const auto inode_before = inode(s.file());
  CHECK(fs::file_size(key) == crypto_generichash_KEYBYTES);
  CHECK((fs::status(key).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  // And used: a second run reads the file it wrote (a rebuild would rename a new file into place).
  CHECK(s.swedish_name() == "Swedish massage");
  CHECK(inode(s.file()) == inode_before);
}

// --- the round trip, provable -----------------------------------------------------------------

namespace {

template <class T, class F>
bool any_of(const knots::Catalog<T>& c, F f) {
  return std::any_of(c.all().begin(), c.all().end(), f);
}

bool full_rule(const knots::Rule& r) {
  return r.max_pressure && !r.leave_out.empty() && !r.keep_off.empty() && !r.without.empty() &&
         !r.note.empty() && !r.sources.empty();
}

/// Each optional field of each kind of entry, and whether some entry of `kb` uses it.
std::vector<std::pair<std::string, bool>> optional_fields(const knots::KnowledgeBase& kb) {
  using namespace knots;
  const auto& m = kb.modalities;
  return {
      {"modality.aliases", any_of(m, [](const Modality& x) { return !x.aliases.empty(); })},
      {"modality.core_techniques", any_of(m, [](const Modality& x) { return !x.core_techniques.empty(); })},
      {"modality.tools", any_of(m, [](const Modality& x) { return !x.tools.empty(); })},
      {"modality.setting.surfaces (2+)",
       any_of(m, [](const Modality& x) { return x.setting.surfaces.size() > 1; })},
      {"modality.back indirect",
       any_of(m, [](const Modality& x) { return x.back == BackContact::indirect; })},
      {"modality.goals", any_of(m, [](const Modality& x) { return !x.goals.empty(); })},
      {"modality.origin", any_of(m, [](const Modality& x) { return !x.origin.empty(); })},
      {"modality.related", any_of(m, [](const Modality& x) { return !x.related.empty(); })},
      {"modality.cautions (a full adapt rule)", any_of(m,
                                                       [](const Modality& x) {
                                                         return std::any_of(x.cautions.begin(),
                                                                            x.cautions.end(), full_rule);
                                                       })},
      {"modality.cautions avoid", any_of(m,
                                         [](const Modality& x) {
                                           return std::any_of(x.cautions.begin(), x.cautions.end(),
                                                              [](const Caution& c) {
                                                                return c.level == CautionLevel::avoid;
                                                              });
                                         })},
      {"modality.evidence.sources", any_of(m, [](const Modality& x) { return !x.evidence.sources.empty(); })},
      {"technique.aliases", any_of(kb.techniques, [](const Technique& x) { return !x.aliases.empty(); })},
      {"technique.sources", any_of(kb.techniques, [](const Technique& x) { return !x.sources.empty(); })},
      {"condition.aliases", any_of(kb.conditions, [](const Condition& x) { return !x.aliases.empty(); })},
      {"condition.guidance", any_of(kb.conditions, [](const Condition& x) { return !x.guidance.empty(); })},
      {"condition.every_modality (a full rule)",
       any_of(kb.conditions,
              [](const Condition& x) { return x.every_modality && full_rule(*x.every_modality); })},
      {"condition.red_flags", any_of(kb.conditions, [](const Condition& x) { return !x.red_flags.empty(); })},
      {"goal.aliases", any_of(kb.goals, [](const Goal& x) { return !x.aliases.empty(); })},
      {"self-care.aliases", any_of(kb.self_care, [](const SelfCareTip& x) { return !x.aliases.empty(); })},
      {"self-care.suits", any_of(kb.self_care, [](const SelfCareTip& x) { return !x.suits.empty(); })},
      {"self-care.avoid_with",
       any_of(kb.self_care, [](const SelfCareTip& x) { return !x.avoid_with.empty(); })},
      {"red-flag.aliases", any_of(kb.red_flags, [](const RedFlag& x) { return !x.aliases.empty(); })},
      {"source.publisher", any_of(kb.sources, [](const Source& x) { return !x.publisher.empty(); })},
      {"source.via", any_of(kb.sources, [](const Source& x) { return !x.via.empty(); })},
  };
}

}  // namespace

TEST_CASE(
    "encode then decode gives back an equal knowledge base: the shipped one, and one using every optional "
    "field") {
  for (const auto& options : {knots::load::LoadOptions{}, full_kb_options()}) {
    const auto loaded = knots::load::load(options);
    REQUIRE(loaded.ok());
    const auto back = knots::load::deserialize(knots::load::serialize(loaded));
    REQUIRE(back.has_value());
    CHECK(back->kb == loaded.kb);
    CHECK(back->layers == loaded.layers);
    CHECK(back->files == loaded.files);
  }
  // The fixture really does use every optional field, so that a field the cache forgot shows.
  const auto loaded = knots::load::load(full_kb_options());
  for (const auto& [field, used] : optional_fields(loaded.kb)) {
    INFO(field);
    CHECK(used);
  }
  // And equality sees a difference in any of them.
  auto changed = loaded.kb;
  auto all = changed.conditions.all();
  for (auto& c : all) {
    if (c.every_modality && !c.every_modality->keep_off.empty()) c.every_modality->keep_off.pop_back();
  }
  changed.conditions = knots::Catalog<knots::Condition>(std::move(all));
  CHECK_FALSE(changed == loaded.kb);
}

// --- issue 16: decoding only the entries a command reads, and an extra blob ---------------------

namespace {

using knots::Selection;
using knots::load::CachedModel;

void set_u64(std::string& bytes, std::size_t at, std::uint64_t v) {
  std::memcpy(bytes.data() + at, &v, sizeof v);
}

std::uint64_t get_u64(const std::string& bytes, std::size_t at) {
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

/// Checks that `part` holds, for each kind, exactly the entries of `full` that `sel` asks for.
void check_selected(const knots::KnowledgeBase& part, const knots::KnowledgeBase& full,
                    const Selection& sel) {
  std::size_t k = 0;
  knots::for_each_kind([&](const auto& kind) {
    const auto& got = (part.*kind.catalog).all();
    const auto& all = (full.*kind.catalog).all();
    INFO(kind.plural);
    if (sel.whole[k]) {
      CHECK(part.*kind.catalog == full.*kind.catalog);
    } else {
      REQUIRE(got.size() == sel.places[k].size());
      for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == all[sel.places[k][i]]);
      // Found by id, name or alias like any catalog.
      for (const auto& entry : got) CHECK((part.*kind.catalog).find(entry.id) == &entry);
    }
    ++k;
  });
}

}  // namespace

TEST_CASE("a selection decodes to exactly the full model's entries at its places, and nothing else") {
  for (const auto& trip : round_trips()) {
    const auto& loaded = trip.loaded;
    const CachedModel& cached = trip.cached;
    CHECK(cached.header().layers == loaded.layers);
    CHECK(cached.header().files == loaded.files);
    CHECK(cached.header().kb == knots::KnowledgeBase{});
    CHECK(cached.extra().empty());

    std::size_t k = 0;
    knots::for_each_kind([&](const auto& kind) {
      CHECK(cached.counts()[k] == (loaded.kb.*kind.catalog).size());
      ++k;
    });
    CHECK(cached.decode(Selection::everything()) == loaded.kb);
    const auto all = cached.decode_all();
    REQUIRE(all.has_value());
    CHECK(all->kb == loaded.kb);
    CHECK(all->layers == loaded.layers);
    CHECK(all->files == loaded.files);

    SUBCASE("nothing selected: every catalog empty") {
      CHECK(cached.decode(Selection{}) == knots::KnowledgeBase{});
    }
    SUBCASE("every kind in part: the first, every third and the last entry") {
      Selection sel;
      for (std::size_t kind = 0; kind < knots::kKindCount; ++kind) {
        const auto n = static_cast<std::uint32_t>(cached.counts()[kind]);
        for (std::uint32_t i = 0; i < n; i += 3) sel.places[kind].push_back(i);
        if (n > 1 && sel.places[kind].back() != n - 1) sel.places[kind].push_back(n - 1);
      }
      const auto part = cached.decode(sel);
      REQUIRE(part.has_value());
      check_selected(*part, loaded.kb, sel);
    }
    SUBCASE("some kinds whole, some in part, some left out") {
      Selection sel;
      sel.whole[knots::kind_index<knots::Technique>()] = true;
      sel.whole[knots::kind_index<knots::Synonym>()] = true;
      sel.places[knots::kind_index<knots::Modality>()] = {1};
      sel.places[knots::kind_index<knots::Condition>()] = {0, 2};
      const auto part = cached.decode(sel);
      REQUIRE(part.has_value());
      check_selected(*part, loaded.kb, sel);
      CHECK(part->modalities.size() == 1);
      CHECK(part->sources.size() == 0);
    }
    SUBCASE("places out of order or repeated: each entry once, in the catalog's order") {
      Selection sel;
      sel.places[knots::kind_index<knots::Modality>()] = {2, 0, 2};
      const auto part = cached.decode(sel);
      REQUIRE(part.has_value());
      REQUIRE(part->modalities.size() == 2);
      CHECK(part->modalities.all()[0] == loaded.kb.modalities.all()[0]);
      CHECK(part->modalities.all()[1] == loaded.kb.modalities.all()[2]);
    }
    SUBCASE("a place out of range gives nothing") {
      for (std::size_t kind = 0; kind < knots::kKindCount; ++kind) {
        const auto n = static_cast<std::uint32_t>(cached.counts()[kind]);
        Selection sel;
        sel.places[kind] = {0, n};
        CHECK_FALSE(cached.decode(sel).has_value());
        sel.places[kind] = {0xFFFFFFFFu};
        CHECK_FALSE(cached.decode(sel).has_value());
      }
    }
  }
}

TEST_CASE("a damaged table of offsets is refused, and an entry's damage spoils only that entry") {
  const auto loaded = knots::load::load({});
  REQUIRE(loaded.ok());
  const std::string bytes = knots::load::serialize(loaded, "the index");
  REQUIRE(CachedModel::parse(bytes).has_value());
  CHECK(CachedModel::parse(bytes)->extra() == "the index");
  const Layout layout(bytes, 0);
  const auto& tables = layout.tables;
  const std::size_t modalities = tables[knots::kind_index<knots::Modality>()];
  const std::size_t n = loaded.kb.modalities.size();
  REQUIRE(n > 6);
  const auto offset_at = [&](std::size_t i) { return modalities + i * sizeof(std::uint64_t); };

  SUBCASE("the first offset not 0") {
    std::string damaged = bytes;
    set_u64(damaged, offset_at(0), 1);
    CHECK_FALSE(CachedModel::parse(damaged).has_value());
  }
  SUBCASE("an offset going back") {
    std::string damaged = bytes;
    set_u64(damaged, offset_at(3), get_u64(bytes, offset_at(2)) - 1);
    CHECK_FALSE(CachedModel::parse(damaged).has_value());
  }
  SUBCASE("the end past the bytes") {
    std::string damaged = bytes;
    for (const std::uint64_t end : {std::uint64_t{bytes.size()}, ~std::uint64_t{0}}) {
      set_u64(damaged, offset_at(n), end);
      CHECK_FALSE(CachedModel::parse(damaged).has_value());
    }
  }
  SUBCASE("a count larger than the table") {
    std::string damaged = bytes;
    const std::uint32_t count = 0x7FFFFFFF;
    std::memcpy(damaged.data() + modalities - 4, &count, 4);
    CHECK_FALSE(CachedModel::parse(damaged).has_value());
  }
  SUBCASE("the extra blob's length wrong") {
    std::string damaged = bytes;
    REQUIRE(get_u64(bytes, layout.extra_size) == 9);
    set_u64(damaged, layout.extra_size, 10);  // one more than it has
    CHECK_FALSE(CachedModel::parse(damaged).has_value());
    CHECK_FALSE(CachedModel::parse(bytes + "x").has_value());
  }
  SUBCASE("an offset moved inside the entries: those two entries refused, the others decoded") {
    std::string damaged = bytes;
    set_u64(damaged, offset_at(4), get_u64(bytes, offset_at(4)) + 1);
    const auto cached = CachedModel::parse(damaged);
    REQUIRE(cached.has_value());  // the table itself still goes forward
    CHECK_FALSE(cached->decode_all().has_value());
    CHECK_FALSE(knots::load::deserialize(damaged).has_value());
    for (const std::uint32_t bad : {3u, 4u}) {
      Selection sel;
      sel.places[knots::kind_index<knots::Modality>()] = {0, bad};
      CHECK_FALSE(cached->decode(sel).has_value());
    }
    Selection sel;
    sel.places[knots::kind_index<knots::Modality>()] = {0, 2, 5, static_cast<std::uint32_t>(n - 1)};
    sel.whole[knots::kind_index<knots::Technique>()] = true;
    const auto part = cached->decode(sel);
    REQUIRE(part.has_value());
    check_selected(*part, loaded.kb, sel);
  }
  SUBCASE("any 8 bytes of any table set to anything: refused or decoded, never a crash") {
    std::size_t refused = 0;
    for (const std::size_t table : tables) {
      for (std::size_t i = 0; i < 6; ++i) {
        for (const std::uint64_t v :
             {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{1} << 31, ~std::uint64_t{0}}) {
          std::string damaged = bytes;
          if (table + (i + 1) * 8 > damaged.size()) continue;
          set_u64(damaged, table + i * 8, v);
          const auto cached = CachedModel::parse(damaged);
          const bool decoded = cached && cached->decode_all();
          refused += decoded ? 0u : 1u;
        }
      }
    }
    CHECK(refused > 0);
  }
}

TEST_CASE("the cache file keeps the extra blob, made once from the full model when the file is written") {
  Setup s;
  int calls = 0;
  std::size_t modalities_seen = 0;
  // Binary bytes, a NUL among them, kept as they are.
  const std::string blob("index\0\xFF\x01 of ", 12);
  s.cache.extra = [&](const knots::KnowledgeBase& kb) {
    ++calls;
    modalities_seen = kb.modalities.size();
    return blob + std::to_string(kb.modalities.size());
  };
  const auto uncached = knots::load::load(s.options);
  REQUIRE(uncached.ok());

  // Nothing to open yet, and opening writes nothing.
  CHECK_FALSE(knots::load::open_cached(s.options, s.cache).has_value());
  CHECK_FALSE(fs::exists(s.cache.dir));

  const auto first = knots::load::load_cached(s.options, s.cache);
  CHECK(calls == 1);
  CHECK(modalities_seen == uncached.kb.modalities.size());
  CHECK(first.kb == uncached.kb);
  const auto second = knots::load::load_cached(s.options, s.cache);  // from the file
  CHECK(calls == 1);
  CHECK(second.kb == uncached.kb);
  CHECK(second.layers == uncached.layers);
  CHECK(second.files == uncached.files);

  const auto cached = knots::load::open_cached(s.options, s.cache);
  REQUIRE(cached.has_value());
  CHECK(cached->extra() == blob + std::to_string(uncached.kb.modalities.size()));
  CHECK(cached->counts()[knots::kind_index<knots::Modality>()] == uncached.kb.modalities.size());
  CHECK(cached->header().layers == uncached.layers);
  CHECK(cached->decode_all()->kb == uncached.kb);
  Selection sel;
  sel.places[knots::kind_index<knots::Modality>()] = {1};
  const auto one = cached->decode(sel);
  REQUIRE(one.has_value());
  REQUIRE(one->modalities.size() == 1);
  CHECK(one->modalities.all()[0] == uncached.kb.modalities.all()[1]);
  CHECK(calls == 1);

  SUBCASE("a stale file is not opened") {
    const fs::path swedish = s.kb / "modalities/swedish.yaml";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    write(swedish, read(swedish) + "\n");
    CHECK_FALSE(knots::load::open_cached(s.options, s.cache).has_value());
    CHECK(knots::load::load_cached(s.options, s.cache).kb == uncached.kb);
    CHECK(calls == 2);  // rewritten, with a new blob
    CHECK(knots::load::open_cached(s.options, s.cache).has_value());
  }
  SUBCASE("a blob that would pass the size cap is left out, and the model still cached") {
    REQUIRE(fs::file_size(s.file()) < 100000);  // room for the model, not for the blob
    fs::remove(s.file());
    s.cache.max_bytes = 100000;
    s.cache.extra = [](const knots::KnowledgeBase&) { return std::string(200000, 'x'); };
    REQUIRE(knots::load::load_cached(s.options, s.cache).ok());
    const auto small = knots::load::open_cached(s.options, s.cache);
    REQUIRE(small.has_value());
    CHECK(small->extra().empty());
    CHECK(small->decode_all()->kb == uncached.kb);
  }
  SUBCASE("a folder others can write is not opened, and said") {
    fs::permissions(s.cache.dir, fs::perms::all);
    std::string note;
    CHECK_FALSE(knots::load::open_cached(s.options, s.cache, &note).has_value());
    CHECK(note.find("other users can write to it") != std::string::npos);
  }
}

TEST_CASE("without an extra function the blob is empty, invalid or racy models never call it") {
  Setup s;
  REQUIRE(knots::load::load_cached(s.options, s.cache).ok());
  const auto cached = knots::load::open_cached(s.options, s.cache);
  REQUIRE(cached.has_value());
  CHECK(cached->extra().empty());
  CHECK(cached->decode_all()->kb == knots::load::load(s.options).kb);

  int calls = 0;
  s.cache.extra = [&](const knots::KnowledgeBase&) {
    ++calls;
    return std::string("blob");
  };
  SUBCASE("racy: nothing opened, nothing made") {
    s.cache.racy_window_ns = 3600 * kSecond;
    CHECK_FALSE(knots::load::open_cached(s.options, s.cache).has_value());
    REQUIRE(knots::load::load_cached(s.options, s.cache).ok());
  }
  SUBCASE("invalid: nothing cached") {
    write(s.kb / "modalities/bad.yaml", "id: bad\n");
    CHECK_FALSE(knots::load::load_cached(s.options, s.cache).ok());
    CHECK_FALSE(knots::load::open_cached(s.options, s.cache).has_value());
  }
  CHECK(calls == 0);
}

// --- issue 16: verify only what is read, read only what is needed ------------------------------

TEST_CASE("a byte flipped in an entry spoils that entry only, in the blob, the blob only") {
  const auto loaded = knots::load::load({});
  REQUIRE(loaded.ok());
  const std::string bytes = knots::load::serialize(loaded, "the index");
  const Layout layout(bytes, 0);
  const std::size_t m = knots::kind_index<knots::Modality>();
  const std::size_t n = loaded.kb.modalities.size();
  REQUIRE(n > 4);
  Selection other;
  other.places[m] = {0, 2, static_cast<std::uint32_t>(n - 1)};
  Selection spoiled;
  spoiled.places[m] = {3};

  SUBCASE("an entry: a byte in the middle of a text, the lengths all still right") {
    std::string damaged = bytes;
    const std::size_t at =
        layout.entry(bytes, m, 3) + (layout.offset(bytes, m, 4) - layout.offset(bytes, m, 3)) / 2;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
    const auto cached = CachedModel::parse(damaged);
    REQUIRE(cached.has_value());
    CHECK_FALSE(cached->decode(spoiled).has_value());
    CHECK_FALSE(cached->decode_all().has_value());
    const auto part = cached->decode(other);
    REQUIRE(part.has_value());
    check_selected(*part, loaded.kb, other);
    CHECK(cached->extra() == "the index");
  }
  SUBCASE("the blob") {
    std::string damaged = bytes;
    damaged[damaged.size() - 3] = 'X';
    const auto cached = CachedModel::parse(damaged);
    REQUIRE(cached.has_value());
    CHECK(cached->extra().empty());
    CHECK(cached->decode_all()->kb == loaded.kb);
  }
}

TEST_CASE("the model compiled into knots is the one the loader builds from kb/, with its search index") {
  const auto loaded = knots::load::load({});
  REQUIRE(loaded.ok());
  // As knots reads it (trusted: nothing hashed), and checked as a cache file is: every hash holds.
  for (const auto& model : {CachedModel::trusted(knots::cli::embedded_model()),
                            CachedModel::parse(std::string(knots::cli::embedded_model()))}) {
    REQUIRE(model.has_value());
    const auto all = model->decode_all();
    REQUIRE(all.has_value());
    CHECK(all->kb == loaded.kb);
    CHECK(all->layers == loaded.layers);
    CHECK(all->files == loaded.files);
    CHECK(all->diagnostics.empty());
    CHECK(model->extra() == knots::search_index(loaded.kb));
    CHECK(model->find<knots::Modality>("Thai massage") == model->find<knots::Modality>("thai"));
  }
}

TEST_CASE(
    "find gives the place of the entry Catalog::find gives, for every id, name and alias, decoding none") {
  for (const auto& trip : round_trips()) {
    const auto& loaded = trip.loaded;
    const CachedModel& cached = trip.cached;
    std::size_t k = 0;
    std::size_t names = 0;
    knots::for_each_kind([&](const auto& kind) {
      const auto& catalog = loaded.kb.*kind.catalog;
      for (const auto& name : catalog.names()) {
        // As written, and as people type it: in capitals, with hyphens for spaces.
        std::string typed = name;
        for (char& c : typed)
          c = c == ' ' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (const std::string& asked : {name, typed}) {
          INFO(kind.word << ": " << asked);
          const auto place = cached.find(k, asked);
          REQUIRE(place.has_value());
          CHECK(&catalog.all()[*place] == catalog.find(asked));
          ++names;
        }
      }
      CHECK_FALSE(cached.find(k, "no entry is called this").has_value());
      ++k;
    });
    CHECK(names > 20);
    CHECK_FALSE(cached.find(knots::kKindCount, "swedish").has_value());
  }
  const auto loaded = knots::load::load({});
  const std::string bytes = knots::load::serialize(loaded);
  const Layout layout(bytes, 0);
  SUBCASE("a byte flipped in the lookup section: nothing is found, every entry still decodes") {
    std::string damaged = bytes;
    damaged[layout.lookup(bytes) + 9] ^= 0x20;
    const auto cached = CachedModel::parse(damaged);
    REQUIRE(cached.has_value());
    CHECK_FALSE(cached->find<knots::Modality>("swedish").has_value());
    CHECK_FALSE(cached->find<knots::Modality>("thai").has_value());
    CHECK(cached->decode_all()->kb == loaded.kb);
  }
  SUBCASE("the section undamaged in the same bytes: found") {
    const auto cached = CachedModel::parse(bytes);
    REQUIRE(cached.has_value());
    CHECK(cached->find<knots::Modality>("Swedish massage").has_value());
  }
}

TEST_CASE("technique_users gives, for every technique, the modalities that filtering by it gives") {
  for (const auto& trip : round_trips()) {
    const auto& loaded = trip.loaded;
    const CachedModel& cached = trip.cached;
    const auto& modalities = loaded.kb.modalities.all();
    std::size_t users = 0;
    for (std::uint32_t t = 0; t < loaded.kb.techniques.size(); ++t) {
      const auto& technique = loaded.kb.techniques.all()[t];
      INFO(technique.id);
      const auto places = cached.technique_users(t);
      REQUIRE(places.has_value());
      std::vector<const knots::Modality*> from_cache;
      for (const auto place : *places) from_cache.push_back(&modalities[place]);
      CHECK(from_cache == knots::modalities_using(loaded.kb, technique.id));
      users += places->size();
    }
    CHECK(users > 10);
    CHECK_FALSE(cached.technique_users(static_cast<std::uint32_t>(loaded.kb.techniques.size())).has_value());
  }
}

TEST_CASE("a byte flipped anywhere in a cache file is never trusted, and the model is loaded instead") {
  Setup s;
  s.cache.extra = [](const knots::KnowledgeBase& kb) {
    return fmt::format("index of {}", kb.modalities.size());
  };
  const auto uncached = knots::load::load(s.options);
  REQUIRE(knots::load::load_cached(s.options, s.cache).ok());
  const std::string bytes = read(s.file());
  const Layout layout(bytes, kPayloadAt);
  const std::size_t m = knots::kind_index<knots::Modality>();
  const std::size_t last = layout.counts[m] - 1;
  const std::string blob = fmt::format("index of {}", uncached.kb.modalities.size());
  REQUIRE(bytes.ends_with(blob));

  enum class Spoils { file, entry, extra };
  const std::vector<std::pair<std::size_t, Spoils>> places = {
      {0, Spoils::file},                                              // the magic
      {kMacAt + 5, Spoils::file},                                     // the checksum
      {kMacAt + 40, Spoils::file},                                    // the inputs' hash
      {layout.layers + 1, Spoils::file},                              // a layer's name, in the header
      {layout.tables[m] + 8, Spoils::file},                           // a table's offset
      {layout.tables[m] + (layout.counts[m] + 1) * 8, Spoils::file},  // an entry's hash
      {layout.extra_size + 12, Spoils::file},                         // the blob's salt
      {layout.entry(bytes, m, last) + 6, Spoils::entry},              // the last modality's bytes
      {bytes.size() - 2, Spoils::extra},                              // the blob
  };
  for (const auto& [at, spoils] : places) {
    INFO(at);
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
    write(s.file(), damaged);
    const auto cached = knots::load::open_cached(s.options, s.cache);
    if (spoils == Spoils::file) {
      CHECK_FALSE(cached.has_value());
    } else {
      REQUIRE(cached.has_value());  // the header is intact: the damage shows when it is read
      Selection first;
      first.places[m] = {0};
      CHECK(cached->decode(first).has_value());
      Selection spoiled;
      spoiled.places[m] = {static_cast<std::uint32_t>(last)};
      CHECK(cached->decode(spoiled).has_value() == (spoils == Spoils::extra));
      CHECK(cached->decode_all().has_value() == (spoils == Spoils::extra));
      CHECK(cached->extra() == (spoils == Spoils::extra ? "" : blob));
    }
    // Loaded instead, and the file rebuilt (a damaged blob alone leaves the model good to use).
    const auto loaded = knots::load::load_cached(s.options, s.cache);
    CHECK(loaded.kb == uncached.kb);
    if (spoils != Spoils::extra) CHECK(knots::load::open_cached(s.options, s.cache)->extra() == blob);
  }
}

TEST_CASE(
    "an open cache file is read as asked: a moved model keeps reading it, and one cut short fails, never "
    "crashes") {
  Setup s;
  s.cache.extra = [](const knots::KnowledgeBase&) { return std::string(5000, 'i'); };
  const auto uncached = knots::load::load(s.options);
  REQUIRE(knots::load::load_cached(s.options, s.cache).ok());
  auto opened = knots::load::open_cached(s.options, s.cache);
  REQUIRE(opened.has_value());
  const std::string_view blob = opened->extra();
  REQUIRE(blob == std::string(5000, 'i'));
  const CachedModel model = std::move(*opened);
  opened.reset();
  CHECK(model.extra().data() == blob.data());  // a view handed out before the move still holds
  CHECK(blob == std::string(5000, 'i'));
  CHECK(model.decode_all()->kb == uncached.kb);
  const auto fresh = knots::load::open_cached(s.options, s.cache);
  REQUIRE(fresh.has_value());

  // Another process cuts the file in half: what lies past the cut can no longer be read.
  fs::resize_file(s.file(), fs::file_size(s.file()) / 2);
  CHECK(fresh->extra().empty());
  CHECK(model.extra() == blob);  // read and checked before the cut
  CHECK_FALSE(fresh->decode_all().has_value());
  CHECK_FALSE(model.decode_all().has_value());
  Selection first;
  first.places[knots::kind_index<knots::Modality>()] = {0};
  CHECK(model.decode(first).has_value());  // before the cut
  CHECK_FALSE(knots::load::open_cached(s.options, s.cache).has_value());
  CHECK(knots::load::load_cached(s.options, s.cache).kb == uncached.kb);
}

TEST_CASE("a file removed, or replaced by one of the same size and times, is seen") {
  Setup s;
  REQUIRE(s.swedish_name() == "Swedish massage");
  const fs::path swedish = s.kb / "modalities/swedish.yaml";
  SUBCASE("replaced: another inode, another change time") {
    const auto mtime = fs::last_write_time(swedish);
    std::string text = read(swedish);
    text.replace(text.find("name: Swedish massage"), 21, "name: Swedish massagf");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    write(s.kb / "swedish.tmp", text);
    fs::last_write_time(s.kb / "swedish.tmp", mtime);
    fs::rename(s.kb / "swedish.tmp", swedish);
    CHECK(s.swedish_name() == "Swedish massagf");
  }
  SUBCASE("removed") {
    fs::remove(swedish);
    const auto loaded = knots::load::load_cached(s.options, s.cache);
    CHECK(loaded.kb.modalities.find("swedish") == nullptr);
  }
}
