// "Did you mean": edit distance and the choice of the closest name.
#include <doctest/doctest.h>

#include "query/suggest.hpp"

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
