// knots compare on the shipped knowledge base: differences, what is shared, the advice, the width.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "load/loader.hpp"
#include "query/compare.hpp"
#include "render/text.hpp"

namespace {

const knots::KnowledgeBase& kb() {
  static const auto result = knots::load::load({});
  return result.kb;
}

knots::CompareResult compare_ids(std::initializer_list<const char*> ids) {
  std::vector<const knots::Modality*> items;
  for (const char* id : ids) items.push_back(kb().modalities.find(id));
  return knots::compare(kb(), items);
}

const knots::CompareRow& row(const knots::CompareResult& r, const std::string& field) {
  return *std::find_if(r.rows.begin(), r.rows.end(), [&](const auto& x) { return x.field == field; });
}

}  // namespace

TEST_CASE("Swedish and Thai differ in surface, clothing and oil, and those rows come first") {
  const auto r = compare_ids({"swedish", "thai"});
  CHECK(row(r, "setting.surface").differs);
  CHECK(row(r, "setting.surface").values == std::vector<std::string>{"table", "floor mat"});
  CHECK(row(r, "setting.clothing").values == std::vector<std::string>{"undressed, draped", "clothed"});
  CHECK(row(r, "setting.oil").values == std::vector<std::string>{"oil used", "no oil"});
  CHECK_FALSE(row(r, "back").differs);
  // every differing row before every shared one
  const auto first_shared =
      std::find_if(r.rows.begin(), r.rows.end(), [](const auto& x) { return !x.differs; });
  CHECK(std::none_of(first_shared, r.rows.end(), [](const auto& x) { return x.differs; }));
  // shared parts of list rows
  const auto& cautions = row(r, "ruled_out_by");
  CHECK(std::find(cautions.shared.begin(), cautions.shared.end(), "fever") != cautions.shared.end());
  // for scripts, the same as ids, and each one's list as ids
  CHECK(std::find(cautions.shared_ids.begin(), cautions.shared_ids.end(), "fever") !=
        cautions.shared_ids.end());
  REQUIRE(cautions.ids.size() == 2);
  CHECK(std::find(cautions.ids[1].begin(), cautions.ids[1].end(), "osteoporosis") != cautions.ids[1].end());
}

TEST_CASE("the advice is drawn from what differs") {
  const auto r = compare_ids({"swedish", "thai"});
  REQUIRE(r.choose.size() == 2);
  CHECK(r.choose[0].find("Choose Swedish massage if") == 0);
  CHECK(r.choose[0].find("you want oil") != std::string::npos);
  CHECK(r.choose[1].find("you'd rather stay clothed") != std::string::npos);
  CHECK(r.choose[1].find("skip oil") != std::string::npos);
}

TEST_CASE("three modalities fit an 80-column terminal, and every line of a narrow one fits too") {
  for (std::size_t width : {80u, 60u, 120u}) {
    const auto r = compare_ids({"deep-tissue", "trigger-point", "sports"});
    const std::string text = knots::render::compare_text(r, false, {false, width});
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      INFO(width << ": " << line);
      CHECK(knots::render::display_width(line) <= width);
    }
  }
}

TEST_CASE("--diff leaves out what they share") {
  const auto r = compare_ids({"swedish", "aromatherapy"});
  const std::string all = knots::render::compare_text(r, false, {false, 80});
  const std::string diff = knots::render::compare_text(r, true, {false, 80});
  CHECK(all.find("In common") != std::string::npos);
  CHECK(diff.find("In common") == std::string::npos);
  CHECK(diff.find("Where") == std::string::npos);  // both on a table
}
