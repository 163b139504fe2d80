// The guide and self-care pages (query/pages.hpp): which tips a stated condition leaves out (never
// one it rules out), which topics list a tip, what a topic points to, and search finding topics.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "load/loader.hpp"
#include "query/pages.hpp"
#include "query/search.hpp"
#include "render/topics.hpp"
#include "util/utf8.hpp"

using namespace knots;
namespace fs = std::filesystem;

namespace {

const KnowledgeBase& full_kb() {
  static const auto result = [] {
    load::LoadOptions options;
    options.use_embedded = false;
    options.folders = {(fs::path(KNOTS_SOURCE_DIR) / "tests/fixtures/full-kb").string()};
    return load::load(options);
  }();
  REQUIRE(result.ok());
  return result.kb;
}

const KnowledgeBase& shipped() {
  static const auto result = load::load({});
  return result.kb;
}

std::vector<std::string> ids(const std::vector<const SelfCareTip*>& tips) {
  std::vector<std::string> out;
  for (const auto* t : tips) out.push_back(t->id);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE(
    "self-care without conditions lists every tip; a stated condition leaves out the tips it rules out") {
  const KnowledgeBase& kb = full_kb();
  const SelfCareList all = self_care_list(kb, {}, {});
  CHECK(all.items.size() == kb.self_care.size());
  CHECK(all.left_out.empty());

  const SelfCareList list = self_care_list(kb, {"heat-sensitivity", "pregnancy"}, {});
  CHECK_FALSE(has(ids(list.items), "heat"));
  CHECK(has(ids(list.items), "massage-ball"));
  REQUIRE(list.left_out.size() == 1);
  CHECK(list.left_out[0].tip->id == "heat");
  // Only the condition that was stated, not every condition the tip is not for.
  REQUIRE(list.left_out[0].because.size() == 1);
  CHECK(list.left_out[0].because[0]->id == "heat-sensitivity");
  CHECK(list.items.size() + list.left_out.size() == kb.self_care.size());
}

TEST_CASE("no stated condition ever gets a tip it rules out, in the fixture and the shipped knowledge base") {
  for (const KnowledgeBase* kb : {&full_kb(), &shipped()}) {
    for (const auto& c : kb->conditions.all()) {
      const SelfCareList list = self_care_list(*kb, {c.id}, {});
      for (const SelfCareTip* tip : list.items) {
        CHECK_MESSAGE(!has(tip->avoid_with, c.id), tip->id, " is offered with ", c.id);
      }
      for (const auto& left : list.left_out) CHECK(has(left.tip->avoid_with, c.id));
    }
  }
}

TEST_CASE("a warning sign that needs a clinician, stated or raised by a condition, stops every tip") {
  const KnowledgeBase& kb = full_kb();
  const SelfCareList raised = self_care_list(kb, {"fever"}, {});  // fever raises chest-pain
  CHECK(raised.screening.stops());
  CHECK(raised.items.empty());
  CHECK(raised.left_out.empty());
  const SelfCareList stated = self_care_list(kb, {}, {"chest-pain"});
  CHECK(stated.screening.stops());
  CHECK(stated.items.empty());
}

TEST_CASE("a tip's page names the guide topics that list it, and its areas in its own order") {
  const KnowledgeBase& kb = full_kb();
  const SelfCarePage heat = self_care_page(kb, *kb.self_care.find("heat"));
  REQUIRE(heat.listed_in.size() == 1);
  CHECK(heat.listed_in[0]->id == "soreness-after");
  REQUIRE(heat.avoid_with.size() == 2);
  CHECK(heat.avoid_with[0]->id == "heat-sensitivity");

  const SelfCarePage ball = self_care_page(kb, *kb.self_care.find("tennis ball"));
  CHECK(ball.listed_in.empty());
  REQUIRE(ball.reaches.size() == 3);
  CHECK(ball.reaches[0].area->id == "neck-shoulders");
  CHECK(ball.reaches[0].reach == Reach::partly);
  CHECK(ball.reaches[2].area->id == "lower-back");
  CHECK(ball.suits.size() == 1);
}

TEST_CASE("a topic's page resolves what it points to") {
  const KnowledgeBase& kb = full_kb();
  const GuideTopic* topic = kb.guide.find("Sore after massage");
  REQUIRE(topic != nullptr);
  const TopicPage page = topic_page(kb, *topic);
  REQUIRE(page.red_flags.size() == 1);
  CHECK(page.red_flags[0]->id == "chest-pain");
  REQUIRE(page.self_care.size() == 1);
  CHECK(page.self_care[0]->id == "heat");
  REQUIRE(page.related.size() == 1);
  CHECK(page.related[0]->id == "how-often");
  CHECK(page.modalities.size() == 1);
  CHECK(page.areas.size() == 1);

  const TopicPage bare = topic_page(kb, *kb.guide.find("how-often"));
  CHECK(bare.red_flags.empty());
  CHECK(bare.related.empty());
}

TEST_CASE("search finds a guide topic by the question in everyday words and by its body") {
  const KnowledgeBase& kb = full_kb();
  const SearchResult sore = search(kb, {{"sore", "after", "massage"}});
  REQUIRE_FALSE(sore.hits.empty());
  CHECK(sore.hits.front().kind == HitKind::topic);
  CHECK(sore.hits.front().id == "soreness-after");
  const SearchResult body = search(kb, {{"feel", "sore", "day"}, Match::all});
  REQUIRE_FALSE(body.hits.empty());
  CHECK(body.hits.front().kind == HitKind::topic);
  // A topic found by its answer alone shows the answer.
  const SearchResult answer = search(kb, {{"therapist", "pressure", "hurts"}, Match::all});
  const auto topic = std::find_if(answer.hits.begin(), answer.hits.end(),
                                  [](const SearchHit& h) { return h.id == "soreness-after"; });
  REQUIRE(topic != answer.hits.end());
  CHECK(topic->field == "body");
}

TEST_CASE("search finds a self-care tip by how to do it") {
  const SearchResult wall = search(full_kb(), {{"wall"}});
  REQUIRE_FALSE(wall.hits.empty());
  CHECK(wall.hits.front().id == "massage-ball");
  CHECK(wall.hits.front().field == "how");
}

TEST_CASE("the topic and tip pages keep the body's paragraphs apart and fit every width") {
  const KnowledgeBase& kb = full_kb();
  const TopicPage page = topic_page(kb, *kb.guide.find("soreness-after"));
  const std::string text = render::topic_text(page, {false, 80});
  CHECK(text.find("firm massage.\n\nTell the therapist if the pressure hurts. [S1]\n") != std::string::npos);
  for (std::size_t width : {40u, 60u, 80u, 120u}) {
    const render::Style style{false, width};
    for (const std::string& out :
         {render::topic_text(page, style), render::guide_text(kb, style),
          render::self_care_text(self_care_page(kb, *kb.self_care.find("massage-ball")), style),
          render::self_care_list_text(self_care_list(kb, {"heat-sensitivity"}, {}), kb, true, style)}) {
      std::size_t from = 0;
      for (std::size_t at = out.find('\n'); at != std::string::npos; at = out.find('\n', from)) {
        const std::string line = out.substr(from, at - from);
        CHECK_MESSAGE(render::display_width(line) <= width, "wider than ", width, ": ", line);
        from = at + 1;
      }
    }
  }
}

TEST_CASE("every shipped topic and tip page, and both lists, fit 40 to 120 columns") {
  const KnowledgeBase& kb = shipped();
  for (std::size_t width : {40u, 80u, 120u}) {
    const render::Style style{false, width};
    std::vector<std::string> pages = {
        render::guide_text(kb, style),
        render::self_care_list_text(self_care_list(kb, {}, {}), kb, false, style)};
    for (const auto& t : kb.guide.all()) pages.push_back(render::topic_text(topic_page(kb, t), style));
    for (const auto& t : kb.self_care.all())
      pages.push_back(render::self_care_text(self_care_page(kb, t), style));
    for (const std::string& out : pages) {
      std::size_t from = 0;
      for (std::size_t at = out.find('\n'); at != std::string::npos; at = out.find('\n', from)) {
        const std::string line = out.substr(from, at - from);
        CHECK_MESSAGE(render::display_width(line) <= width, "wider than ", width, ": ", line);
        from = at + 1;
      }
    }
  }
}
