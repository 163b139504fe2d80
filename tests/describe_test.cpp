// Each entry type is described once (model.hpp); the manual and the `knots new` template must
// know every key of those descriptions, so that a new field cannot ship undocumented.
#include <unistd.h>
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "load/loader.hpp"
#include "model/knowledge_base.hpp"

namespace fs = std::filesystem;
using namespace knots;

namespace {

/// Every key of a description, nested ones as "setting/clothing" or "cautions/level".
class KeyPaths {
 public:
  std::vector<std::string> paths;
  explicit KeyPaths(std::string prefix = {}) : prefix_(std::move(prefix)) {}

  void id(std::string_view key, const std::string&, unsigned) { add(key); }
  void text(std::string_view key, const std::string&, unsigned) { add(key); }
  void list(std::string_view key, const std::vector<std::string>&, unsigned) { add(key); }
  void refs(std::string_view key, const std::vector<std::string>&, RefKind, unsigned) { add(key); }
  void ref(std::string_view key, const std::string&, RefKind, unsigned) { add(key); }
  template <class A>
  void words(std::string_view key, const std::vector<std::string>&, const A&, std::string_view, unsigned) {
    add(key);
  }
  template <class E>
  void enumeration(std::string_view key, const E&, unsigned) {
    add(key);
  }
  template <class E>
  void enums(std::string_view key, const std::vector<E>&, std::string_view, unsigned, std::string_view = {}) {
    add(key);
  }
  template <class X>
  void object(std::string_view key, const X&, std::string_view, unsigned) {
    add(key);
    nested<X>(key);
  }
  template <class X>
  void object(std::string_view key, const std::optional<X>&, std::string_view, unsigned) {
    add(key);
    nested<X>(key);
  }
  template <class X>
  void objects(std::string_view key, const std::vector<X>&, std::string_view, unsigned) {
    add(key);
    nested<X>(key);
  }
  template <class K>
  void fits(std::string_view key, const std::vector<K>&, unsigned) {
    add(key);
  }
  void origin(std::string_view, const std::string&) {}

 private:
  void add(std::string_view key) { paths.push_back(prefix_ + std::string(key)); }
  template <class X>
  void nested(std::string_view key) {
    KeyPaths inner(prefix_ + std::string(key) + "/");
    const X x{};
    describe(inner, x);
    paths.insert(paths.end(), inner.paths.begin(), inner.paths.end());
  }
  std::string prefix_;
};

template <class T>
std::vector<std::string> key_paths() {
  KeyPaths keys;
  const T x{};
  describe(keys, x);
  return keys.paths;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The key paths of a YAML file as written (commented example lines included), from indentation.
std::set<std::string> yaml_paths(const std::string& text) {
  std::set<std::string> out;
  std::vector<std::pair<std::size_t, std::string>> stack;  // (indent, key)
  std::istringstream lines(text);
  const std::regex key_line(R"(^#?( *)(- )?([a-z_]+):)");
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, key_line)) continue;
    const auto indent = static_cast<std::size_t>(m[1].length()) + (m[2].matched ? 2u : 0u);
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    std::string path;
    for (const auto& [i, key] : stack) path += key + "/";
    path += m[3].str();
    out.insert(path);
    stack.emplace_back(indent, m[3].str());
  }
  return out;
}

/// For every optional field of a description (nested ones too): whether some entry fills it.
class OptionalUse {
 public:
  std::map<std::string, bool>& used;
  std::string prefix;

  void id(std::string_view key, const std::string& s, unsigned flags) { mark(key, flags, !s.empty()); }
  void text(std::string_view key, const std::string& s, unsigned flags) { mark(key, flags, !s.empty()); }
  void list(std::string_view key, const std::vector<std::string>& v, unsigned flags) {
    mark(key, flags, !v.empty());
  }
  void refs(std::string_view key, const std::vector<std::string>& v, RefKind, unsigned flags) {
    mark(key, flags, !v.empty());
  }
  void ref(std::string_view key, const std::string& s, RefKind, unsigned flags) {
    mark(key, flags, !s.empty());
  }
  template <class A>
  void words(std::string_view key, const std::vector<std::string>& v, const A&, std::string_view,
             unsigned flags) {
    mark(key, flags, !v.empty());
  }
  template <class E>
  void enumeration(std::string_view, const E&, unsigned) {}  // always has a value
  template <class E>
  void enumeration(std::string_view key, const std::optional<E>& e, unsigned flags) {
    mark(key, flags, e.has_value());
  }
  template <class E>
  void enums(std::string_view key, const std::vector<E>& v, std::string_view, unsigned flags,
             std::string_view = {}) {
    mark(key, flags, !v.empty());
  }
  template <class X>
  void object(std::string_view key, const X& x, std::string_view, unsigned) {
    inside(key, x);
  }
  template <class X>
  void object(std::string_view key, const std::optional<X>& x, std::string_view, unsigned flags) {
    mark(key, flags, x.has_value());
    if (x) inside(key, *x);
  }
  template <class X>
  void objects(std::string_view key, const std::vector<X>& v, std::string_view, unsigned flags) {
    mark(key, flags, !v.empty());
    for (const auto& x : v) inside(key, x);
  }
  template <class K>
  void fits(std::string_view key, const std::vector<K>& v, unsigned flags) {
    mark(key, flags, !v.empty());
  }
  void origin(std::string_view, const std::string&) {}

 private:
  void mark(std::string_view key, unsigned flags, bool filled) {
    if ((flags & kRequired) != 0) return;
    used[prefix + std::string(key)] |= filled;
  }
  template <class X>
  void inside(std::string_view key, const X& x) {
    OptionalUse nested{used, prefix + std::string(key) + "/"};
    describe(nested, x);
  }
};

}  // namespace

TEST_CASE(
    "tests/fixtures/full-kb fills every optional field of every description, so the cache round trip covers "
    "it") {
  load::LoadOptions full;
  full.use_embedded = false;
  full.folders = {(fs::path(KNOTS_SOURCE_DIR) / "tests/fixtures/full-kb").string()};
  const auto loaded = load::load(full);
  REQUIRE(loaded.ok());
  std::size_t optional = 0;
  for_each_kind([&](const auto& kind) {
    std::map<std::string, bool> used;
    for (const auto& entry : (loaded.kb.*kind.catalog).all()) {
      OptionalUse visitor{used, ""};
      describe(visitor, entry);
    }
    for (const auto& [field, filled] : used) {
      CHECK_MESSAGE(filled, "no ", kind.word, " in tests/fixtures/full-kb fills '", field, "'");
      ++optional;
    }
  });
  CHECK(optional > 15);
}

TEST_CASE("every key of every description is documented in knots(5)") {
  const std::string man = slurp(fs::path(KNOTS_SOURCE_DIR) / "man" / "knots.5");
  REQUIRE_FALSE(man.empty());
  std::size_t checked = 0;
  for_each_kind([&](const auto& kind) {
    using T = typename std::remove_cvref_t<decltype(kind)>::Entry;
    for (const auto& path : key_paths<T>()) {
      const std::string key = path.substr(path.rfind('/') + 1);
      // A key is documented as a tagged paragraph or list item: ".B key" (or ".BR key …").
      const std::regex documented("\n\\.BR? " + key + "( |\n)");
      CHECK_MESSAGE(std::regex_search(man, documented), kind.word, " key '", path, "' is not in man/knots.5");
      ++checked;
    }
  });
  CHECK(checked > 50);
}

TEST_CASE("the knots new template has every key of a modality, nested ones in their place") {
  std::string dir = (fs::temp_directory_path() / "knots-describe-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()) != nullptr);
  const std::string command =
      std::string(KNOTS_BINARY) + " --no-default-kb --kb " + dir + " new probe-entry >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string text = slurp(fs::path(dir) / "modalities" / "probe-entry.yaml");
  fs::remove_all(dir);
  const std::set<std::string> written = yaml_paths(text);
  const auto described = key_paths<Modality>();
  for (const auto& path : described)
    CHECK_MESSAGE(written.count(path) == 1, "'", path, "' is not in the template");
  for (const auto& path : written) {
    if (path.starts_with("goals/")) continue;  // goal ids: the mapping's data, not keys
    CHECK_MESSAGE(std::find(described.begin(), described.end(), path) != described.end(),
                  "the template has '", path, "', which no description has");
  }
  CHECK(described.size() > 30);
}
