// Terminal text: escaping, width and wrapping.
#include <doctest/doctest.h>

#include "render/term.hpp"

using knots::render::sanitize;
using knots::render::wrap;

TEST_CASE("sanitize makes control characters and bidi overrides visible") {
  CHECK(sanitize("evil\x1B]0;pwned\x07title") == "evil\\x1B]0;pwned\\x07title");
  CHECK(sanitize("carriage\rOVERWRITE") == "carriage\\x0DOVERWRITE");
  CHECK(sanitize("c1 \xC2\x9B"
                 "31m") == "c1 \\u009B31m");
  CHECK(sanitize("bidi \xE2\x80\xAEtxt") == "bidi \\u202Etxt");
  CHECK(sanitize("caf\xC3\xA9 \xE2\x80\x93 ok") == "caf\xC3\xA9 \xE2\x80\x93 ok");
  CHECK(sanitize("bad \xE9 byte") == "bad \xEF\xBF\xBD byte");
  CHECK(sanitize("two\nlines") == "two\\x0Alines");
  CHECK(sanitize("two\nlines", true) == "two\nlines");
  // Zero-width and other invisible characters, which make two names look alike.
  CHECK(sanitize("swe\xE2\x80\x8B"
                 "dish") == "swe\\u200Bdish");
  CHECK(sanitize("soft\xC2\xAD"
                 "hyphen") == "soft\\u00ADhyphen");
  CHECK(sanitize("joiner\xE2\x81\xA0") == "joiner\\u2060");
}

TEST_CASE("display width counts code points, not bytes") {
  CHECK(knots::render::display_width("light\xE2\x80\x93medium") == 12);
  CHECK(knots::render::pad("ab", 4) == "ab  ");
}

TEST_CASE("wrap breaks at spaces within the width and keeps paragraphs") {
  const auto lines = wrap("one two three four five six", 10);
  CHECK(lines == std::vector<std::string>{"one two", "three four", "five six"});
  CHECK(wrap("a\n\nb", 10) == std::vector<std::string>{"a", "", "b"});
  CHECK(wrap("averyveryverylongword x", 10) == std::vector<std::string>{"averyveryverylongword", "x"});
}

TEST_CASE("wrap never splits a URL or an id, and a word longer than the width stands alone") {
  const std::string url = "https://www.nccih.nih.gov/health/massage-therapy-what-you-need-to-know";
  const auto lines = wrap("See " + url + " for more on deep-tissue massage.", 30);
  CHECK(lines == std::vector<std::string>{"See", url, "for more on deep-tissue", "massage."});
}

TEST_CASE("wrap_block keeps each line's indentation and hangs what it wraps onto") {
  using knots::render::wrap_block;
  CHECK(wrap_block("knots: error: --pressure: 'extreme' is not a pressure level; choose one of light, medium",
                   40, 2) ==
        "knots: error: --pressure: 'extreme' is\n"
        "  not a pressure level; choose one of\n"
        "  light, medium\n");
  // An indented line (an example command) keeps its indentation; its continuation hangs under it.
  CHECK(wrap_block("Example:\n  knots compare deep tissue trigger point sports --diff", 30, 4) ==
        "Example:\n"
        "  knots compare deep tissue\n"
        "      trigger point sports\n"
        "      --diff\n");
  // Blank lines stay; a final line feed ends the last line and adds none.
  CHECK(wrap_block("a\n\nb\n", 20, 2) == "a\n\nb\n");
  // Nothing is ever split, however narrow.
  CHECK(wrap_block("see https://example.org/a/very/long/path/that/goes/on", 20, 2) ==
        "see\n  https://example.org/a/very/long/path/that/goes/on\n");
}
