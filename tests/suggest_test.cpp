// "Did you mean": edit distance and the choice of the closest name.
#include <doctest/doctest.h>

#include "model/knowledge_base.hpp"
#include "util/suggest.hpp"
#include "util/utf8.hpp"

using knots::closest;
using knots::edit_distance;

TEST_CASE("edit distance counts insertions, deletions, substitutions and transpositions") {
  CHECK(edit_distance("swedish", "swedish") == 0);
  CHECK(edit_distance("sweedish", "swedish") == 1);
  CHECK(edit_distance("swdeish", "swedish") == 1);  // transposition
  CHECK(edit_distance("", "thai") == 4);
  CHECK(edit_distance("shiatsu", "thai") == 5);
}

TEST_CASE("the closest candidate is suggested only when it is plausibly a typo") {
  const std::vector<std::string> names = {"swedish", "thai", "deep-tissue", "trigger-point"};
  CHECK(closest("sweedish", names) == "swedish");
  CHECK(closest("Deep Tisue", names) == "deep-tissue");
  CHECK(closest("trig", names) == "trigger-point");
  CHECK_FALSE(closest("acupuncture", names).has_value());
  CHECK_FALSE(closest("", names).has_value());
}

TEST_CASE("did_you_mean is the tail of a message, or nothing") {
  CHECK(knots::did_you_mean("thia", {"thai"}) == "; did you mean 'thai'?");
  CHECK(knots::did_you_mean("zzzz", {"thai"}).empty());
}

TEST_CASE("a mistyped word is compared only with words of about its length, and a huge one with none") {
  // Words whose length differs by more than the edit limit are skipped, not measured: the answer
  // is the same as measuring them all.
  std::vector<std::string> words = {"fascia", "fasciae", "fas", "fascial-release-technique"};
  for (int i = 0; i < 1000; ++i) words.push_back(std::string(static_cast<std::size_t>(20 + i % 40), 'q'));
  CHECK(closest("facsia", words) == "fascia");
  CHECK(closest("fasc", words) == "fascia");  // a prefix still counts as one edit, at any length
  CHECK_FALSE(closest(std::string(65, 'q'), words).has_value());
  CHECK(closest(std::string(30, 'q'), words) == std::string(30, 'q'));
}

TEST_CASE("invisible characters do not count in a name: look-alikes are the same name") {
  CHECK(knots::lookup_key("swe\u200Bdish") == "swedish");
  CHECK(knots::lookup_key("\xEF\xBB\xBFThai") == "thai");
  CHECK(knots::lookup_key("deep\u00ADtissue") == "deeptissue");
  CHECK(knots::lookup_key("hot\u2060 stone") == "hot-stone");
  CHECK(knots::lookup_key("caf\u00E9") == "caf\u00E9");  // a visible accent is kept
  CHECK(knots::is_invisible(0x200D));
  CHECK_FALSE(knots::is_invisible(U'a'));
}
