// Hostile and broken files (tests/fixtures/bad/, and some made at run time) are refused with a
// position and a reason, quickly, and never hang or crash the loader.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "load/loader.hpp"
#include "load/yaml_guard.hpp"

namespace {

const std::string kBad = std::string(KNOTS_SOURCE_DIR) + "/tests/fixtures/bad/";

/// Loads the built-in knowledge base and then `path`, as `knots validate PATH` does.
knots::load::LoadResult load_path(const std::string& path, bool embedded = true) {
  knots::load::LoadOptions options;
  options.use_embedded = embedded;
  options.paths = {path};
  return knots::load::load(options);
}

/// Every problem, one per line, with `dir` left out of the file names.
std::string report(const knots::load::LoadResult& r, const std::string& dir) {
  std::string out;
  for (const auto& d : r.diagnostics) {
    std::string line = d.to_string();
    if (line.starts_with(dir)) line.erase(0, dir.size());
    out += line + "\n";
  }
  return out;
}

/// The problems `knots validate` reports for one file of tests/fixtures/bad/.
std::string report(const std::string& fixture) {
  return report(load_path(kBad + fixture), kBad);
}

/// A fresh folder, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "knots-hardening-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern + "/";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::string file = path_ + name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

 private:
  std::string path_;
};

/// Only the structural pass, with its messages.
std::string structure(const std::string& text, const knots::load::StructureLimits& limits = {}) {
  std::vector<knots::Diagnostic> out;
  const bool ok = knots::load::check_structure("f.yaml", text, out, limits);
  std::string all;
  for (const auto& d : out) all += d.to_string() + "\n";
  CHECK(ok == all.empty());
  return all;
}

/// Where the one-pass tree and yaml-cpp's own tree (YAML::Load) first differ, or "" when they agree
/// on every node: its kind, position, text and what it holds, in order.
std::string differs(const knots::load::YamlTree::Node& ours, const YAML::Node& theirs,
                    const std::string& at) {
  using Type = knots::load::YamlTree::Type;
  const auto type = [](YAML::NodeType::value t) {
    switch (t) {
      case YAML::NodeType::Scalar:
        return Type::scalar;
      case YAML::NodeType::Sequence:
        return Type::sequence;
      case YAML::NodeType::Map:
        return Type::map;
      default:
        return Type::null;
    }
  };
  const std::string where = at + " (line " + std::to_string(ours.line()) + ")";
  if (ours.type() != type(theirs.Type())) return where + ": a different kind of node";
  if (ours.line() != theirs.Mark().line || ours.column() != theirs.Mark().column) return where + ": moved";
  if (ours.is_scalar() && ours.scalar() != theirs.Scalar()) return where + ": '" + ours.scalar() + "'";
  if (ours.size() != theirs.size()) return where + ": a different size";
  if (ours.is_sequence()) {
    std::size_t i = 0;
    for (const auto item : ours.items()) {
      if (auto d = differs(item, theirs[i], at + "/" + std::to_string(i)); !d.empty()) return d;
      ++i;
    }
  }
  if (ours.is_map()) {
    auto it = theirs.begin();
    for (const auto [key, value] : ours.pairs()) {
      if (auto d = differs(key, it->first, at + "/key"); !d.empty()) return d;
      if (auto d = differs(value, it->second, at + "/" + key.scalar()); !d.empty()) return d;
      ++it;
    }
  }
  return {};
}

/// The one-pass tree of `text` against YAML::Load's.
std::string tree_differs(const std::string& name, const std::string& text) {
  std::vector<knots::Diagnostic> out;
  const auto tree = knots::load::read_yaml(name, text, out);
  if (!tree) return name + ": refused: " + (out.empty() ? "" : out.front().to_string());
  const YAML::Node theirs = YAML::Load(text);
  if (!tree->root()) return theirs.IsNull() ? "" : name + ": no root";
  return differs(*tree->root(), theirs, name);
}

}  // namespace

TEST_CASE("the tree of the one YAML pass holds what yaml-cpp's own tree would, node for node") {
  // Every file of the shipped knowledge base and of the test fixtures that loads.
  std::size_t files = 0;
  for (const char* folder : {"kb", "tests/fixtures/full-kb", "tests/fixtures/kb"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(KNOTS_SOURCE_DIR) + "/" + folder)) {
      if (entry.path().extension() != ".yaml") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      CHECK(tree_differs(entry.path().string(), text) == "");
      ++files;
    }
  }
  CHECK(files > 20);
  // And what YAML allows that those files may not show: nulls written every way, quoted nulls,
  // flow and block collections side by side, block texts, empty lists and mappings, a question-mark
  // key, comments, a document marker.
  for (const std::string text : {
           "a: ~\nb:\nc: null\nd: \"~\"\ne: 'null'\nf: [ ]\ng: {}\n",
           "---\nid: x # a comment\nlist:\n  - one\n  -\n  - {k: v, w: [1, 2]}\n  - - nested\n    - again\n",
           "text: |\n  first line\n  second\n\nfolded: >-\n  one\n  two\n? plain key\n: its value\n",
           "- a\n- b: c\n  d: e\n- [x, y, z]\n",
           "just a text\n",
           "",
           "# only a comment\n",
           "key: \"a \\u00e9 \\t b\"\nmulti: this plain text\n  goes on\n",
       }) {
    CHECK(tree_differs("inline", text) == "");
  }
}

TEST_CASE("duplicate keys are refused in block and flow maps, however they are quoted") {
  CHECK(report("dup-key.yaml") == "dup-key.yaml:3:1: duplicate key 'name'; the first is on line 2\n");
  CHECK(report("flow-dup-key.yaml") ==
        "flow-dup-key.yaml:1:24: duplicate key 'name'; the first is on line 1\n");
  CHECK(structure("{a: 1, 'a': 2, !!str a: 3}") ==
        "f.yaml:1:8: duplicate key 'a'; the first is on line 1\n"
        "f.yaml:1:16: duplicate key 'a'; the first is on line 1\n");
  // The same key in two different maps is fine.
  CHECK(structure("- {id: a}\n- {id: b}\n") == "");
}

TEST_CASE("a file full of problems stops after twenty") {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "a: 1\n";
  const std::string all = structure(text);
  CHECK(all.starts_with("f.yaml:2:1: duplicate key 'a'; the first is on line 1\n"));
  CHECK(all.ends_with("f.yaml: stopped reading this file after 20 problems\n"));
  CHECK(std::count(all.begin(), all.end(), '\n') == 21);
}

TEST_CASE("anchors and aliases are refused: billion laughs, cycles, merge keys") {
  CHECK(report("anchor.yaml") == "anchor.yaml:1:5: anchors and aliases are not allowed\n");
  CHECK(report("alias-cycle.yaml") == "alias-cycle.yaml:1:1: anchors and aliases are not allowed\n");
  CHECK(report("billion-laughs.yaml") == "billion-laughs.yaml:1:4: anchors and aliases are not allowed\n");
  CHECK(structure("base: &b {a: 1}\nother:\n  <<: *b\n") ==
        "f.yaml:1:7: anchors and aliases are not allowed\n");
  // An alias to nothing is the parser's error, in plain words, still with its position.
  CHECK(
      structure("a: *nope\n") ==
      "f.yaml:1:4: anchors and aliases are not allowed: put a text that starts with '&' or '*' in quotes\n");
}

TEST_CASE("nesting deeper than 16 is refused where the 17th level opens") {
  CHECK(report("deep-nesting.yaml") ==
        "deep-nesting.yaml:1:17: nesting deeper than 16 levels of lists and mappings\n");
  const std::string sixteen = std::string(16, '[') + std::string(16, ']');
  CHECK(structure(sixteen) == "");
  CHECK(structure("a:\n  b:\n    - c: [d]\n", {3, 100, 100}) ==
        "f.yaml:3:7: nesting deeper than 3 levels of lists and mappings\n");
}

TEST_CASE("a list or mapping as a key is refused") {
  CHECK(report("collection-key.yaml") == "collection-key.yaml:2:3: a key must be text, not a list\n");
  CHECK(structure("{{a: 1}: b}") == "f.yaml:1:2: a key must be text, not a mapping\n");
}

TEST_CASE("a second document, or anything after the first, is refused") {
  const std::string message = "more than one YAML document, or text after the end of the first one\n";
  CHECK(report("two-documents.yaml") == "two-documents.yaml:2:1: " + message);
  // YAML::Load keeps only the first of these and drops the rest without a word.
  CHECK(report("lone-comma.yaml") == "lone-comma.yaml:1:1: " + message);
  CHECK(report("quoted-pair.yaml") == "quoted-pair.yaml:1:6: " + message);
  CHECK(structure("\"foo\" bar") == "f.yaml:1:7: " + message);
  // Markers of the one document are fine.
  CHECK(structure("%YAML 1.2\n---\na: 1\n...\n# the end\n") == "");
}

TEST_CASE("a quoted text without its closing quote is refused instead of swallowing the keys after it") {
  CHECK(report("unclosed-quote.yaml") ==
        "unclosed-quote.yaml:27:9: this quoted text has no closing quote, so "
        "it would run to the end of the file\n");
  CHECK(structure("a: 'it''s\n") ==
        "f.yaml:1:4: this quoted text has no closing quote, so it would run to the end of the file\n");
  CHECK(structure("a: !!str \"x\nb: 1\n") ==
        "f.yaml:1:4: this quoted text has no closing quote, so it would run to the end of the file\n");
  CHECK(structure("a: \"say \\\"hi\\\"\"\nb: 'it''s'\nc: |\n  \"quoted\n") == "");
}

TEST_CASE("too many nodes and too long texts are refused") {
  std::string many = "[";
  for (int i = 0; i < 100'000; ++i) many += "a,";
  many += "a]";
  // The list is node 1, so the 100 001st node is the 100 000th text, at column 2 * 100 000.
  CHECK(structure(many) == "f.yaml:1:200000: more than 100000 values, lists and mappings in one file\n");
  const std::string long_text = "name: " + std::string(64 * 1024 + 1, 'x') + "\n";
  CHECK(structure(long_text) == "f.yaml:1:7: a text of 65537 bytes; the limit is 65536 bytes\n");
  CHECK(structure("name: " + std::string(64 * 1024, 'x') + "\n") == "");
}

TEST_CASE("tab indentation and CR-only line endings are reported with a reason") {
  CHECK(report("tab-indent.yaml") ==
        "tab-indent.yaml:3:5: this line is indented with a tab; YAML indents with spaces only\n");
  CHECK(report("cr-only.yaml") ==
        "cr-only.yaml:1:9: carriage return without a line feed (old Mac line "
        "endings); save the file with LF or CRLF line endings\n");
}

TEST_CASE("encodings and control characters are refused at their byte") {
  CHECK(report("utf16le.yaml") == "utf16le.yaml:1:1: file is UTF-16 or UTF-32; save it as UTF-8\n");
  CHECK(report("utf16le-no-bom.yaml") ==
        "utf16le-no-bom.yaml:1:2: NUL byte: this is not a text file (or it is UTF-16/32)\n");
  CHECK(report("invalid-utf8.yaml") ==
        "invalid-utf8.yaml:2:10: invalid UTF-8 (byte 0xE9); save the file as UTF-8\n");
  CHECK(report("nul.yaml") == "nul.yaml:2:8: NUL byte: this is not a text file (or it is UTF-16/32)\n");
  CHECK(report("raw-esc.yaml") == "raw-esc.yaml:2:7: control character U+001B is not allowed\n");
  CHECK(report("bidi.yaml") == "bidi.yaml:2:12: control character U+202E is not allowed\n");
}

TEST_CASE("control characters written as YAML escapes are refused after decoding") {
  CHECK(report("escaped-esc.yaml") ==
        "escaped-esc.yaml:2:7: 'name' in modality 'escaped-esc' contains U+001B, a control character\n");
  CHECK(report("escaped-bidi.yaml") ==
        "escaped-bidi.yaml:2:7: 'name' in modality 'escaped-bidi' contains U+202E, a control character\n");
}

TEST_CASE("a BOM before valid text is accepted") {
  auto r = load_path(kBad + "bom-ok.yaml");
  CHECK(report(r, kBad) == "");
  REQUIRE(r.kb.modalities.find("bom-ok") != nullptr);
  CHECK(r.kb.modalities.find("bom-ok")->name == "Byte order mark");
}

TEST_CASE("null is a missing value, never the text 'null'") {
  CHECK(report("name-null.yaml") ==
        "name-null.yaml:1:1: missing required key 'name' in modality 'name-null'\n");
}

TEST_CASE("numbers and booleans stay the text that was written") {
  auto r = load_path(kBad + "numbers-as-text.yaml");
  CHECK(report(r, kBad) == "");
  const knots::Modality* m = r.kb.modalities.find("010");
  REQUIRE(m != nullptr);
  CHECK(m->id == "010");
  CHECK(m->name == "010");
  CHECK(m->aliases == std::vector<std::string>{"NO", "yes", "1e3", "0x1F", ".inf", "~x"});

  auto norway = load_path(kBad + "norway.yaml");
  CHECK(report(norway, kBad) == "");
  REQUIRE(norway.kb.modalities.find("norway") != nullptr);
  CHECK(norway.kb.modalities.find("norway")->name == "NO");
}

TEST_CASE(
    "a file of open brackets over the size cap is refused before parsing, one at the cap by its depth") {
  TempDir dir;
  const std::size_t cap = 1 << 20;
  dir.write("over.yaml", std::string(cap + 1, '['));
  CHECK(report(load_path(dir.path() + "over.yaml", false), dir.path()) ==
        "over.yaml: file is 1048577 bytes; the limit is 1048576 bytes\n");
  // The largest file that is read at all: yaml-cpp takes unclosed brackets as lists that are keys
  // of maps, so the depth limit stops it at the ninth bracket.
  dir.write("at-cap.yaml", std::string(cap, '['));
  std::string expected;
  for (int column = 1; column <= 8; ++column) {
    expected += "at-cap.yaml:1:" + std::to_string(column) + ": a key must be text, not a list\n";
  }
  expected += "at-cap.yaml:1:9: nesting deeper than 16 levels of lists and mappings\n";
  CHECK(report(load_path(dir.path() + "at-cap.yaml", false), dir.path()) == expected);
}

TEST_CASE("a FIFO, a device behind a symlink and a folder named x.yaml are skipped, not read") {
  TempDir dir;
  REQUIRE(::mkfifo((dir.path() + "fifo.yaml").c_str(), 0600) == 0);
  REQUIRE(::symlink("/dev/zero", (dir.path() + "zero.yaml").c_str()) == 0);
  REQUIRE(std::filesystem::create_directory(dir.path() + "x.yaml"));
  const std::string skipped = ": not a regular file (a folder, FIFO or device); skipped\n";

  // As a knowledge-base folder: every entry is looked at, none is read, nothing hangs.
  auto folder = load_path(dir.path(), false);
  CHECK(report(folder, dir.path()) == "fifo.yaml" + skipped + "x.yaml" + skipped + "zero.yaml" + skipped);
  for (const auto& d : folder.diagnostics) CHECK(d.io);

  // Given one by one.
  CHECK(report(load_path(dir.path() + "fifo.yaml", false), dir.path()) == "fifo.yaml" + skipped);
  CHECK(report(load_path(dir.path() + "zero.yaml", false), dir.path()) == "zero.yaml" + skipped);
}
