// The page of a modality (knots show): what it says about a caution agrees with what recommend
// does, the short page fits about two screens at 80 columns for every shipped modality, and a
// long JSON list of pages is written as it is made.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "load/loader.hpp"
#include "query/compare.hpp"
#include "query/pages.hpp"
#include "query/recommend.hpp"
#include "render/json.hpp"
#include "render/text.hpp"
#include "support.hpp"

using namespace knots;

namespace {

const KnowledgeBase& shipped() {
  static const auto result = load::load({});
  return result.kb;
}

bool recommended(const RecommendResult& result, const Modality& m) {
  return std::any_of(result.items.begin(), result.items.end(),
                     [&](const Recommendation& r) { return r.modality == &m; });
}

const PageCaution& caution_on(const ModalityPage& page, std::string_view condition) {
  const auto found = std::find_if(page.cautions.begin(), page.cautions.end(),
                                  [&](const PageCaution& c) { return c.condition->id == condition; });
  REQUIRE(found != page.cautions.end());
  return *found;
}

/// The text with every run of spaces and line feeds made one space, so that a phrase is found
/// wherever it wraps.
std::string flat(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const bool space = ch == ' ' || ch == '\n';
    if (!space) {
      out += ch;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

std::size_t lines_of(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("show calls a caution 'avoid' exactly when recommend rules the modality out with it") {
  const KnowledgeBase& kb = shipped();
  std::size_t avoided = 0, kept = 0;
  for (const auto& m : kb.modalities.all()) {
    const ModalityPage page = modality_page(kb, m);
    for (const auto& c : page.cautions) {
      RecommendRequest request;
      request.conditions = {c.condition->id};
      // A style made for a condition (pregnancy massage) is weighed for someone who has it.
      for (const auto& only : m.only_with) {
        if (only != c.condition->id) request.conditions.push_back(only);
      }
      request.top = kb.modalities.all().size();
      const RecommendResult result = recommend(kb, request);
      INFO(m.id << " with " << c.condition->id);
      if (c.meaning == CautionMeaning::avoid) {
        CHECK_FALSE(recommended(result, m));
        ++avoided;
      } else if (result.postpone.empty() && !result.screening.stops()) {
        CHECK(recommended(result, m));
        ++kept;
      }
    }
  }
  CHECK(avoided > 50);
  CHECK(kept > 50);
}

TEST_CASE("a pressure cap below a style's lowest pressure reads as avoid, as recommend rules it out") {
  // Reflexology as the review met it: its pressure starts at medium, and blood thinners allow light.
  const auto loaded = test::load_with(
      {{"kb/modalities/reflexology.yaml", test::modality_yaml("reflexology", "Reflexology")}});
  REQUIRE(loaded.ok());
  const KnowledgeBase& kb = loaded.kb;
  // The inline modality is light–medium; a copy that starts at medium is the review's case.
  Modality medium = *kb.modalities.find("reflexology");
  medium.pressure = {Pressure::medium, Pressure::firm};
  const Condition& thinners = *kb.conditions.find("blood-thinners");

  const ModalityPage light_page = modality_page(kb, *kb.modalities.find("reflexology"));
  CHECK(caution_on(light_page, "blood-thinners").meaning == CautionMeaning::cap);
  CHECK(caution_on(light_page, "blood-thinners").why.empty());

  const ModalityPage page = modality_page(kb, medium);
  const PageCaution& caution = caution_on(page, "blood-thinners");
  CHECK(caution.meaning == CautionMeaning::avoid);
  REQUIRE(caution.why.size() == 1);
  CHECK(caution.why[0] ==
        "with blood thinners, pressure must stay light or lighter, and it starts at medium");
  CHECK(rules_out(kb, medium, thinners));

  const render::Style style;
  const std::string short_page = flat(render::modality_text(page, kb, false, style));
  CHECK(short_page.find("Avoid with: blood thinners") != std::string::npos);
  CHECK(short_page.find("pressure only with: blood thinners") == std::string::npos);
  const std::string full_page = flat(render::modality_text(page, kb, true, style));
  CHECK(full_page.find("avoid Blood thinners") != std::string::npos);
  CHECK(full_page.find("adapt Blood thinners") == std::string::npos);
  CHECK(
      full_page.find("With blood thinners, pressure must stay light or lighter, and it starts at medium.") !=
      std::string::npos);
}

TEST_CASE("the short page of every shipped modality fits two screens at 80 columns") {
  const KnowledgeBase& kb = shipped();
  const render::Style style;  // 80 columns, no colour
  REQUIRE(style.width == 80);
  for (const auto& m : kb.modalities.all()) {
    const std::string short_page = render::modality_text(modality_page(kb, m), kb, false, style);
    INFO(m.id << ":\n" << short_page);
    CHECK(lines_of(short_page) <= 48);
  }
}

TEST_CASE("the short page of every shipped modality names every caution, --full has more") {
  const KnowledgeBase& kb = shipped();
  const render::Style style;  // 80 columns, no colour
  REQUIRE(style.width == 80);
  for (const auto& m : kb.modalities.all()) {
    const ModalityPage page = modality_page(kb, m);
    const std::string short_page = render::modality_text(page, kb, false, style);
    const std::string full_page = render::modality_text(page, kb, true, style);
    INFO(m.id << ":\n" << short_page);
    CHECK(lines_of(full_page) > lines_of(short_page));
    // Every caution is on the short page, or counted in its pointer to --full.
    std::size_t adapted = 0;
    for (const auto& c : page.cautions) {
      if (c.meaning == CautionMeaning::adapt) {
        ++adapted;
      } else {
        CHECK(flat(short_page).find(id_words(c.condition->id)) != std::string::npos);
      }
    }
    if (adapted > 0) {
      CHECK(short_page.find(std::to_string(adapted) + " more caution") != std::string::npos);
      CHECK(flat(short_page).find("knots show " + m.id + " --full") != std::string::npos);
    }
    // The evidence in plain words, and the sources by id with where to read them.
    CHECK(short_page.find(std::string(evidence_words(m.evidence.grade))) != std::string::npos);
    CHECK(short_page.find("knots sources ID") != std::string::npos);
    CHECK(short_page.find("https://") == std::string::npos);
  }
}

TEST_CASE(
    "a short page over two screens gives up the sources' ids, the pressure scale, then the other names") {
  // A user's own entry whose "What happens" grows a sentence at a time, past the 48 lines.
  const auto loaded = test::load_with(
      {{"kb/modalities/long.yaml",
        test::modality_yaml("long", "Long massage", "aliases: [a longer name, another name]\n")}});
  REQUIRE(loaded.ok());
  const KnowledgeBase& kb = loaded.kb;
  Modality m = *kb.modalities.find("long");
  const render::Style style;  // 80 columns, no colour
  bool whole = false, no_ids = false, no_scale = false, no_aliases = false;
  for (int n = 1; n <= 150; ++n) {
    m.description.clear();
    // Short sentences, so that the page grows by one line at most each time.
    for (int i = 1; i <= n; ++i) m.description += "Stroke " + std::to_string(i) + " eases the back. ";
    const std::string text = render::modality_text(modality_page(kb, m), kb, false, style);
    INFO(n << " sentences:\n" << text);
    const bool ids = text.find("One in full: knots sources ID") != std::string::npos;
    const bool scale = text.find("light   medium  firm    deep") != std::string::npos;
    const bool aliases = text.find("Also called: a longer name, another name") != std::string::npos;
    // The least useful part goes first, the next only once it has gone, and each only when the page
    // would run over two screens with it: the ids take two lines more than the line that replaces
    // them, the scale and the other names one each.
    if (!scale) CHECK_FALSE(ids);
    if (!aliases) CHECK_FALSE(scale);
    CHECK((lines_of(text) <= 48 || (!ids && !scale && !aliases)));
    if (!ids && scale) CHECK(lines_of(text) + 2 > 48);
    if (!scale && aliases) CHECK(lines_of(text) + 1 > 48);
    if (!aliases) CHECK(lines_of(text) + 1 > 48);
    if (!ids) {
      CHECK(text.find("\nSources    1 cited; in full: knots sources ID, or with --full\n") !=
            std::string::npos);
    }
    // Never the prose or a caution, however long the page.
    CHECK(flat(text).find(flat(m.description)) != std::string::npos);
    CHECK(flat(text).find("Avoid with: fever") != std::string::npos);
    CHECK(flat(text).find("Light pressure only with: blood thinners") != std::string::npos);
    CHECK(flat(text).find(flat(m.helps_knots)) != std::string::npos);
    whole = whole || (ids && scale && aliases);
    no_ids = no_ids || (!ids && scale && aliases);
    no_scale = no_scale || (!ids && !scale && aliases);
    no_aliases = no_aliases || (!ids && !scale && !aliases);
  }
  // Every step was taken on the way, one at a time, and the longest page ran over rather than lose
  // a sentence.
  CHECK(whole);
  CHECK(no_ids);
  CHECK(no_scale);
  CHECK(no_aliases);
}

TEST_CASE("at any width the short page keeps what happens, how it helps knots and every caution") {
  // Below 80 columns every shipped page runs over two screens and gives up all it can: this is
  // where the budget presses hardest.
  const KnowledgeBase& kb = shipped();
  for (const std::size_t width : {40u, 50u, 60u, 80u, 120u}) {
    for (const auto& m : kb.modalities.all()) {
      const ModalityPage page = modality_page(kb, m);
      const std::string text = flat(render::modality_text(page, kb, false, render::Style{false, width}));
      INFO(m.id << " at " << width << ":\n" << text);
      CHECK(text.find(flat(m.summary)) != std::string::npos);
      CHECK(text.find(flat(m.description)) != std::string::npos);
      CHECK(text.find(flat(m.helps_knots)) != std::string::npos);
      std::size_t adapted = 0;
      for (const auto& c : page.cautions) {
        if (c.meaning == CautionMeaning::adapt) {
          ++adapted;
        } else {
          CHECK(text.find(id_words(c.condition->id)) != std::string::npos);
        }
      }
      if (adapted > 0) CHECK(text.find(std::to_string(adapted) + " more caution") != std::string::npos);
    }
  }
}

TEST_CASE("both pages render at every width knots accepts, in colour, with what rules the style out") {
  const KnowledgeBase& kb = shipped();
  for (const auto& m : kb.modalities.all()) {
    const ModalityPage page = modality_page(kb, m);
    for (std::size_t width = 20; width <= 120; ++width) {
      for (const bool full : {false, true}) {
        INFO(m.id << " at " << width << (full ? " --full" : ""));
        std::string text;
        CHECK_NOTHROW(text = render::modality_text(page, kb, full, render::Style{true, width}));
        CHECK(text.find(full ? "avoid  " : "Avoid with:") != std::string::npos);
      }
    }
  }
}

TEST_CASE("conditions, compare and recommend agree on what each condition rules out") {
  const KnowledgeBase& kb = shipped();
  std::vector<const Modality*> all;
  for (const auto& m : kb.modalities.all()) all.push_back(&m);
  const CompareResult table = compare(kb, all);
  const auto row = std::find_if(table.rows.begin(), table.rows.end(),
                                [](const CompareRow& r) { return r.field == "ruled_out_by"; });
  REQUIRE(row != table.rows.end());
  std::size_t ruled_out = 0;
  for (const auto& c : kb.conditions.all()) {
    const ConditionSummary summary = condition_summary(kb, c);
    RecommendRequest request;
    request.conditions = {c.id};
    request.top = all.size();
    const RecommendResult result = recommend(kb, request);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Modality& m = *all[i];
      if (!m.only_with.empty()) continue;  // made for others: not weighed for this person
      INFO(m.id << " with " << c.id);
      const bool listed =
          std::find(summary.ruled_out.begin(), summary.ruled_out.end(), m.id) != summary.ruled_out.end();
      const bool in_compare = std::find(row->ids[i].begin(), row->ids[i].end(), c.id) != row->ids[i].end();
      CHECK(listed == !recommended(result, m));
      CHECK(listed == in_compare);
      const bool capped =
          std::find(summary.capped.begin(), summary.capped.end(), m.id) != summary.capped.end();
      CHECK_FALSE((listed && capped));
      ruled_out += listed ? 1 : 0;
    }
  }
  CHECK(ruled_out > 100);
}

TEST_CASE("a long JSON list is written a batch at a time, and the pieces join into the whole list") {
  // Over 300 modalities: the shipped ones under new ids, sixteen times over.
  KnowledgeBase kb = shipped();
  std::vector<Modality> many;
  for (int copy = 0; copy < 16; ++copy) {
    for (Modality m : shipped().modalities.all()) {
      m.id.append("-").append(std::to_string(copy));
      many.push_back(std::move(m));
    }
  }
  kb.modalities = Catalog<Modality>(std::move(many));
  std::vector<const Modality*> items;
  for (const auto& m : kb.modalities.all()) items.push_back(&m);
  REQUIRE(items.size() > 300);

  for (const bool pretty : {false, true}) {
    std::string joined;
    std::size_t pieces = 0;
    std::size_t largest = 0;
    render::list_json(items, kb, ListFilter{}, render::JsonStyle{pretty}, [&](std::string_view piece) {
      joined += piece;
      ++pieces;
      largest = std::max(largest, piece.size());
    });
    // Written as made: no piece holds more than a fraction of the list, so memory does not grow with it.
    CHECK(pieces > 3);
    CHECK(largest < joined.size() / 2);
    const auto json = nlohmann::json::parse(joined);
    REQUIRE(json["items"].size() == items.size());
    for (std::size_t i = 0; i < items.size(); ++i) CHECK(json["items"][i]["id"] == items[i]->id);
    CHECK(json["items"][0] ==
          nlohmann::json::parse(render::modality_json(modality_page(kb, *items[0]), kb, render::Query{},
                                                      render::JsonStyle{false}))["item"]);
  }
}
