// knots search: stemming, ranking, tie order, the all-words rule and hints.
#include <doctest/doctest.h>

#include <algorithm>

#include "load/loader.hpp"
#include "query/search.hpp"
#include "support.hpp"

namespace {

const knots::KnowledgeBase& kb() {
  static const auto result = knots::load::load({});
  return result.kb;
}

std::vector<std::string> ids(const knots::SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

}  // namespace

TEST_CASE("stems bring word forms together") {
  using knots::stem;
  CHECK(stem("kneading") == stem("knead"));
  CHECK(stem("stones") == stem("stone"));
  CHECK(stem("heated") == stem("heat"));
  CHECK(stem("released") == stem("release"));
  CHECK(stem("rubbing") == stem("rub"));
  CHECK(stem("stress") == "stress");
}

TEST_CASE("the examples from the issue rank as people expect") {
  CHECK(ids(knots::search(kb(), {"fascia"}, false)).front() == "myofascial-release");
  CHECK(ids(knots::search(kb(), {"heated", "stones"}, false)).front() == "hot-stone");
  const auto effleurage = knots::search(kb(), {"effleurage"}, false);
  REQUIRE(effleurage.hits.size() > 3);
  CHECK(effleurage.hits.front().kind == knots::HitKind::technique);
  CHECK(effleurage.hits.front().id == "effleurage");
  CHECK(std::find(ids(effleurage).begin(), ids(effleurage).end(), "swedish") != ids(effleurage).end());
  // "kneading" finds the technique by its alias and the modalities that use it
  const auto kneading = ids(knots::search(kb(), {"Kneading"}, false));
  CHECK(kneading.front() == "petrissage");
  CHECK(std::find(kneading.begin(), kneading.end(), "shiatsu") != kneading.end());
}

TEST_CASE("every word must match unless any is asked for") {
  const auto all = knots::search(kb(), {"oil", "floor"}, false);
  const auto any = knots::search(kb(), {"oil", "floor"}, true);
  CHECK(any.hits.size() > all.hits.size());
  for (const auto& hit : all.hits) CHECK(hit.score > 0);
}

TEST_CASE("equal scores are ordered by id, whatever the file order") {
  // Two modalities that match equally, through the same field of the same weight.
  using knots::test::modality_yaml;
  auto r = knots::test::load_with(
      {{"kb/b.yaml", modality_yaml("beta", "Beta")}, {"kb/a.yaml", modality_yaml("alpha", "Alpha")}});
  REQUIRE(r.ok());
  const auto result = knots::search(r.kb, {"gentle"}, false);
  REQUIRE(result.hits.size() >= 2);
  CHECK(result.hits[0].id == "alpha");
  CHECK(result.hits[1].id == "beta");
  CHECK(result.hits[0].score == result.hits[1].score);
}

TEST_CASE("a snippet shows the match, and no match gives the closest words") {
  const auto r = knots::search(kb(), {"fascia"}, false);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& hit : r.hits) {
    REQUIRE_FALSE(hit.marks.empty());
    const auto [offset, length] = hit.marks.front();
    CHECK(hit.snippet.substr(offset, length).find("ascia") != std::string::npos);
  }
  const auto none = knots::search(kb(), {"fashia"}, false);
  CHECK(none.hits.empty());
  CHECK(none.hints == std::vector<std::string>{"fascia"});
}
