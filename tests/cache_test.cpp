// The model cache: an exact round trip, corruption refused, and staleness noticed.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "load/cache.hpp"
#include "render/json.hpp"

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

std::string everything(const knots::KnowledgeBase& kb) {
  std::vector<const knots::Modality*> all;
  for (const auto& m : kb.modalities.all()) all.push_back(&m);
  return knots::render::list_json(all, kb) + knots::render::techniques_json(kb) + knots::render::conditions_json(kb);
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
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
  CHECK(knots::load::load_cached(options, cache).kb.modalities.find("swedish")->name == "Swedish massage, edited");
  CHECK(knots::load::load_cached(options, cache).kb.modalities.find("swedish")->name == "Swedish massage, edited");

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
