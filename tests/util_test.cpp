// The bottom layer: UTF-8, the one list of characters that must not pass unseen, case folding,
// joining, and whole-file reads and atomic writes.
#include <sys/stat.h>
#include <unistd.h>
#include <doctest/doctest.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "load/bytes.hpp"
#include "model/enums.hpp"
#include "render/term.hpp"
#include "util/file.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace fs = std::filesystem;
using namespace knots;

namespace {

std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "knots-util-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("decode_utf8 takes every valid sequence and refuses overlong forms, surrogates and strays") {
  char32_t cp = 0;
  for (char32_t c : {U'a', U'\u00E9', U'\u20AC', U'\U0001F600', U'\U0010FFFF'}) {
    const std::string s = utf8(c);
    CHECK(decode_utf8(s, 0, cp) == s.size());
    CHECK(cp == c);
  }
  using namespace std::string_view_literals;
  CHECK(decode_utf8("\xC0\xAF"sv, 0, cp) == 0);          // overlong "/"
  CHECK(decode_utf8("\xE0\x80\xAF"sv, 0, cp) == 0);      // overlong, three bytes
  CHECK(decode_utf8("\xED\xA0\x80"sv, 0, cp) == 0);      // a surrogate
  CHECK(decode_utf8("\xF4\x90\x80\x80"sv, 0, cp) == 0);  // past U+10FFFF
  CHECK(decode_utf8("\x80"sv, 0, cp) == 0);              // a stray continuation byte
  CHECK(decode_utf8("\xE2\x82"sv, 0, cp) == 0);          // cut short
  CHECK(decode_utf8("\xC3("sv, 0, cp) == 0);             // not followed by a continuation
}

TEST_CASE("what the loader lets through, the terminal escaper shows: one list, no gap between them") {
  // Every code point of the Basic Multilingual Plane and a sample beyond: text the loader accepts
  // reaches a terminal either as it is (ordinary) or escaped, never raw and unseen.
  std::size_t accepted_but_escaped = 0;
  for (char32_t cp = 1; cp < 0x11000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    if (cp == U'\r') continue;  // a lone CR has its own message
    std::string text = "a";     // appended, not "a" + …: GCC 12 warns (-Wrestrict) on that falsely
    text += utf8(cp);
    text += 'b';
    std::vector<Diagnostic> problems;
    const bool loads = load::check_bytes("t.yaml", text, problems).has_value();
    const std::string shown = render::sanitize(text, true);
    const bool escaped = shown != text;
    if (cp == U'\n' || cp == U'\t') {
      CHECK(loads);
      continue;
    }
    if (loads && char_kind(cp) != CharKind::ordinary) {
      CHECK_MESSAGE(escaped, "U+", static_cast<unsigned>(cp), " loads and reaches the terminal raw");
      ++accepted_but_escaped;
    }
    if (!loads) CHECK_MESSAGE(escaped, "U+", static_cast<unsigned>(cp), " is refused but not escaped");
    if (char_kind(cp) == CharKind::ordinary) CHECK(loads);
  }
  CHECK(accepted_but_escaped > 0);  // the invisible kind: a soft hyphen, zero-width spaces …
  CHECK(is_invisible(0x200B));
  CHECK(is_invisible(0x202E));  // directional controls are invisible too (and refused by the loader)
  CHECK_FALSE(is_invisible(U'\u00E9'));
}

TEST_CASE("cutting at character boundaries never splits a character") {
  const std::string s = "ab\u00E9\u20ACz";  // a b é(2) €(3) z
  CHECK(boundary_before(s, 3) == 2);
  CHECK(boundary_before(s, 5) == 4);
  CHECK(boundary_before(s, 100) == s.size());
  CHECK(boundary_after(s, 3) == 4);
  CHECK(boundary_after(s, 5) == 7);
  CHECK(boundary_after(s, 100) == s.size());
  CHECK(chars_prefix(s, 3) == 4);
  CHECK(chars_prefix(s, 4) == 7);
  CHECK(chars_prefix(s, 99) == s.size());
  CHECK(char_count(s) == 5);
}

TEST_CASE("ASCII case folding leaves UTF-8 alone, joining puts the separator between items only") {
  CHECK(ascii_lower("DEEP Tissue") == "deep tissue");
  CHECK(ascii_lower("\u00C9COLE") == "\u00C9cole");  // É is not ASCII: kept
  CHECK(ascii_upper('q') == 'Q');
  CHECK(joined({}) == "");
  CHECK(joined({"a"}) == "a");
  CHECK(joined({"a", "b", "c"}) == "a, b, c");
  CHECK(joined({"a", "b"}, "; ") == "a; b");
}

TEST_CASE("pressure is read from its level's name or from the everyday words people use") {
  using knots::Pressure;
  using knots::pressure_from_words;
  CHECK(pressure_from_words("deep") == Pressure::deep);
  CHECK(pressure_from_words("Gentle") == Pressure::light);
  CHECK(pressure_from_words("soft") == Pressure::light);
  CHECK(pressure_from_words("moderate") == Pressure::medium);
  CHECK(pressure_from_words("normal") == Pressure::medium);
  CHECK(pressure_from_words("HARD") == Pressure::firm);
  CHECK(pressure_from_words("strong") == Pressure::firm);
  CHECK(pressure_from_words("very hard") == Pressure::deep);
  CHECK(pressure_from_words("very-hard") == Pressure::deep);
  CHECK(pressure_from_words("intense") == Pressure::deep);
  CHECK_FALSE(pressure_from_words("extreme"));
  CHECK_FALSE(pressure_from_words("relaxing"));
  // Every everyday word is one level's, and none is a level's own name.
  for (const auto& w : knots::kPressureWords) {
    CHECK(pressure_from_words(w.word) == w.level);
    CHECK_FALSE(knots::enum_from<Pressure>(w.word));
  }
}

TEST_CASE("read_file takes regular files up to a limit, and says why it did not") {
  TempDir dir;
  const fs::path file = dir.path / "a.yaml";
  std::ofstream(file) << "id: a\n";
  FileRead r = read_file(file.string());
  REQUIRE(r.ok());
  CHECK(r.bytes == "id: a\n");

  r = read_file(file.string(), {.max_bytes = 3});
  CHECK(r.status == FileRead::Status::too_large);
  CHECK(r.message(3) == "file is 6 bytes; the limit is 3 bytes");
  CHECK(r.bytes.empty());

  r = read_file((dir.path / "missing").string());
  CHECK(r.status == FileRead::Status::cannot_open);
  CHECK(r.error == ENOENT);

  r = read_file(dir.path.string());
  CHECK(r.status == FileRead::Status::not_regular);

  const fs::path fifo = dir.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  r = read_file(fifo.string());  // returns at once instead of waiting for a writer
  CHECK(r.status == FileRead::Status::not_regular);

  fs::create_symlink(file, dir.path / "link");
  CHECK(read_file((dir.path / "link").string()).ok());
  CHECK(read_file((dir.path / "link").string(), {.no_follow = true}).status == FileRead::Status::cannot_open);

  ::chmod(file.c_str(), 0666);
  CHECK(read_file(file.string(), {.private_only = true}).status == FileRead::Status::not_private);
  ::chmod(file.c_str(), 0600);
  CHECK(read_file(file.string(), {.private_only = true}).ok());
}

TEST_CASE("write_file_atomic replaces or refuses, and never leaves a temporary file") {
  TempDir dir;
  const fs::path file = dir.path / "x.bin";
  CHECK(write_file_atomic(file.string(), "one") == 0);
  CHECK(slurp(file) == "one");
  CHECK(write_file_atomic(file.string(), "two") == 0);
  CHECK(slurp(file) == "two");
  CHECK(write_file_atomic(file.string(), "three", {.replace = false}) == EEXIST);
  CHECK(slurp(file) == "two");
  CHECK(write_file_atomic((dir.path / "y.bin").string(), "new", {.replace = false, .sync = true}) == 0);
  CHECK(slurp(dir.path / "y.bin") == "new");
  CHECK(dir.entries() == 2);  // x.bin and y.bin: no tmp-* left

  const mode_t mask = ::umask(022);
  CHECK(write_file_atomic((dir.path / "private").string(), "k", {.mode = 0600}) == 0);
  CHECK(write_file_atomic((dir.path / "shared").string(), "k", {.mode = 0666}) == 0);
  ::umask(mask);
  CHECK((fs::status(dir.path / "private").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK((fs::status(dir.path / "shared").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read));

  CHECK(write_file_atomic((dir.path / "no-such-folder" / "z").string(), "z") == ENOENT);
  CHECK(dir.entries() == 4);

  // A file of several pieces, never joined in memory: the pieces in order, empty ones too.
  CHECK(write_file_atomic(file.string(), {"header ", "", "body ", "blob"}) == 0);
  CHECK(slurp(file) == "header body blob");
  CHECK(write_file_atomic(file.string(), {"x"}, {.replace = false}) == EEXIST);
  CHECK(slurp(file) == "header body blob");
  CHECK(dir.entries() == 4);
}
