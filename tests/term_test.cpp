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
