// The shipped knowledge base: it loads cleanly and keeps the promises the project makes about it.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <thread>

#include "load/loader.hpp"
#include "query/filter.hpp"
#include "support.hpp"

namespace {

const knots::load::LoadResult& shipped() {
  static const auto result = knots::load::load({});
  return result;
}

bool cites_a_or_b(const knots::KnowledgeBase& kb, const std::vector<std::string>& sources) {
  return std::any_of(sources.begin(), sources.end(), [&](const std::string& id) {
    const auto* s = kb.sources.find(id);
    return s && s->tier != knots::Tier::C;
  });
}

}  // namespace

TEST_CASE("the embedded knowledge base loads with no problems") {
  INFO(knots::test::all_messages(shipped()));
  CHECK(shipped().ok());
}

TEST_CASE("the ten modalities of the source article are shipped") {
  for (const char* id : {"aromatherapy", "deep-tissue", "hot-stone", "myofascial-release", "reflexology",
                         "shiatsu", "sports", "swedish", "thai", "trigger-point"}) {
    INFO(id);
    CHECK(shipped().kb.modalities.find(id) != nullptr);
  }
}

TEST_CASE("the required vocabularies are complete") {
  const auto& kb = shipped().kb;
  for (const char* c :
       {"pregnancy", "blood-thinners", "blood-clots", "osteoporosis", "recent-surgery", "fracture",
        "skin-condition", "heat-sensitivity", "oil-allergy", "fever", "cancer", "varicose-veins"}) {
    INFO(c);
    CHECK(kb.conditions.find(c) != nullptr);
  }
  for (const char* g :
       {"relaxation", "pain-relief", "mobility", "athletic-recovery", "prevention", "stress"}) {
    INFO(g);
    CHECK(kb.goals.find(g) != nullptr);
  }
  for (const char* t : {"stretching", "heat", "foam-rolling", "massage-ball", "massage-gun",
                        "stress-management", "hydration"}) {
    INFO(t);
    CHECK(kb.self_care.find(t) != nullptr);
  }
  for (const char* t : {"effleurage", "petrissage", "friction", "tapotement", "vibration", "compression",
                        "acupressure", "stretching"}) {
    INFO(t);
    CHECK(kb.techniques.find(t) != nullptr);
  }
  CHECK(kb.red_flags.size() >= 10);
}

TEST_CASE("every caution, rule, red flag and evidence grade rests on an [A] or [B] source") {
  const auto& kb = shipped().kb;
  for (const auto& m : kb.modalities.all()) {
    INFO(m.id);
    CHECK(cites_a_or_b(kb, m.evidence.sources));
    for (const auto& c : m.cautions) {
      INFO(c.condition);
      CHECK(cites_a_or_b(kb, c.sources));
    }
  }
  for (const auto& c : kb.conditions.all()) {
    INFO(c.id);
    CHECK(cites_a_or_b(kb, c.sources));
    if (c.every_modality)
      CHECK(cites_a_or_b(kb, c.every_modality->sources.empty() ? c.sources : c.every_modality->sources));
  }
  for (const auto& f : kb.red_flags.all()) {
    INFO(f.id);
    CHECK(cites_a_or_b(kb, f.sources));
  }
}

TEST_CASE("the styles people hear of beyond the article are shipped, each complete") {
  const auto& kb = shipped().kb;
  CHECK(kb.modalities.size() >= 20);
  for (const char* id : {"chair", "prenatal", "cupping", "gua-sha", "craniosacral", "structural-integration",
                         "tui-na", "lymphatic-drainage", "active-release"}) {
    INFO(id);
    CHECK(kb.modalities.find(id) != nullptr);
  }
  // Everyday names find them.
  for (const char* name : {"Rolfing", "gua sha", "IASTM", "pregnancy massage", "seated massage", "tuina",
                           "lymphatic massage", "ART"}) {
    INFO(std::string(name));
    CHECK(kb.modalities.find(name) != nullptr);
  }
  for (const auto& m : kb.modalities.all()) {
    INFO(m.id);
    // Where a knot is: every shipped style says how well it reaches each area.
    for (const auto& area : kb.areas.all()) {
      INFO(area.id);
      CHECK(knots::keyed_find(m.areas, area.id) != nullptr);
    }
    CHECK_FALSE(m.evidence.note.empty());
    CHECK_FALSE(m.origin.empty());
  }
}

TEST_CASE("the areas of the back, the guide and the self-care tips are complete and sourced") {
  const auto& kb = shipped().kb;
  for (const char* words : {"neck and shoulders", "between the shoulder blades", "upper back", "lower back",
                            "low back", "neck"}) {
    INFO(std::string(words));
    CHECK(kb.areas.find(words) != nullptr);
  }
  // Pain in the spine between the shoulder blades is a warning sign, named with the area.
  const auto& upper = kb.areas.find("upper-back")->red_flags;
  CHECK(std::find(upper.begin(), upper.end(), "between-shoulder-blades") != upper.end());

  CHECK(kb.guide.size() >= 12);
  for (const auto& t : kb.guide.all()) {
    INFO(t.id);
    CHECK(cites_a_or_b(kb, t.sources));
    CHECK(t.body.find('\n') != std::string::npos);  // a few paragraphs, not one block
  }
  for (const char* question : {"how often", "sore after massage", "what is a knot", "heat or ice",
                               "massage gun how long", "what to wear", "chiropractor", "cost"}) {
    INFO(std::string(question));
    CHECK(kb.guide.find(question) != nullptr);
  }
  for (const auto& tip : kb.self_care.all()) {
    INFO(tip.id);
    CHECK(cites_a_or_b(kb, tip.sources));
    CHECK_FALSE(tip.how.empty());
    CHECK_FALSE(tip.how_long.empty());
    CHECK_FALSE(tip.how_often.empty());
    CHECK_FALSE(tip.avoid.empty());
    for (const auto& area : kb.areas.all()) {
      INFO(area.id);
      CHECK(knots::keyed_find(tip.areas, area.id) != nullptr);
    }
  }
}

TEST_CASE("every source names its publisher and the publisher's own page, a copy is only 'via'") {
  const auto& kb = shipped().kb;
  for (const auto& s : kb.sources.all()) {
    INFO(s.id);
    if (s.id == "seed") continue;  // the source article, named by its title
    CHECK_FALSE(s.publisher.empty());
    CHECK(s.url != s.via);
    // An [A] or [B] source is the publisher's own page; a [C] one may be known only from the copy read.
    if (s.tier != knots::Tier::C) CHECK(s.url.rfind("http", 0) == 0);
    CHECK((s.url.rfind("http", 0) == 0 || s.via.rfind("http", 0) == 0));
  }
}

TEST_CASE(
    "every name a person types finds exactly one entry, and warning signs never hide behind a condition") {
  const auto& kb = shipped().kb;
  for (const auto& c : kb.conditions.all()) {
    for (const auto& alias : c.aliases) {
      INFO(c.id << " alias " << alias);
      REQUIRE(kb.conditions.find(alias) != nullptr);
      CHECK(kb.conditions.find(alias)->id == c.id);
    }
  }
  for (const auto& f : kb.red_flags.all()) {
    for (const auto& alias : f.aliases) {
      INFO(f.id << " alias " << alias);
      REQUIRE(kb.red_flags.find(alias) != nullptr);
      CHECK(kb.red_flags.find(alias)->id == f.id);
      // --condition falls back to warning signs only for words that are not conditions; a word
      // that names both must name a condition that raises this very sign (fever).
      const auto* c = kb.conditions.find(alias);
      CHECK(
          (c == nullptr || std::find(c->red_flags.begin(), c->red_flags.end(), f.id) != c->red_flags.end()));
    }
  }
  // The words the safety review found misrouted.
  CHECK(kb.conditions.find("numbness") == nullptr);
  CHECK(kb.red_flags.find("numbness") != nullptr);
  const auto* infection = kb.conditions.find("infection");
  CHECK((infection == nullptr || infection->id != "fever"));
}

TEST_CASE("the condition vocabulary covers a clinic's intake form") {
  const auto& kb = shipped().kb;
  CHECK(kb.conditions.size() >= 35);
  for (const char* word : {"high blood pressure",
                           "pacemaker",
                           "spinal surgery",
                           "hip replacement",
                           "epilepsy",
                           "shingles",
                           "lymphoedema",
                           "breastfeeding",
                           "postpartum",
                           "pregnancy",
                           "diabetes",
                           "neuropathy",
                           "stroke",
                           "heart disease",
                           "sciatica",
                           "whiplash",
                           "rheumatoid arthritis",
                           "multiple sclerosis",
                           "fibromyalgia",
                           "kidney disease",
                           "hernia",
                           "nut allergy",
                           "latex allergy",
                           "impetigo",
                           "flu",
                           "steroids",
                           "alcohol"}) {
    INFO(std::string(word));
    CHECK(kb.conditions.find(word) != nullptr);
  }
}

TEST_CASE("the article's relations are recorded") {
  const auto& kb = shipped().kb;
  auto related = [&](const char* from, const char* to, knots::Relation rel) {
    const auto& r = kb.modalities.find(from)->related;
    return std::any_of(r.begin(), r.end(), [&](const auto& x) { return x.id == to && x.relation == rel; });
  };
  CHECK(related("sports", "swedish", knots::Relation::combines));
  CHECK(related("sports", "deep-tissue", knots::Relation::combines));
  CHECK(related("aromatherapy", "swedish", knots::Relation::complements));
  CHECK(related("aromatherapy", "deep-tissue", knots::Relation::complements));
}

TEST_CASE("the names people use find the right modality") {
  const auto& kb = shipped().kb;
  CHECK(kb.modalities.find("classic massage")->id == "swedish");
  CHECK(kb.modalities.find("trigger point therapy")->id == "trigger-point");
  // Neuromuscular therapy is a wider system than trigger-point work (safety review A.17).
  CHECK(kb.modalities.find("neuromuscular therapy") == nullptr);
  CHECK(kb.modalities.find("Thai yoga massage")->id == "thai");
}

TEST_CASE("names of several words are read without quotes, longest first, and only one way") {
  const auto& kb = shipped().kb;
  const auto ids = [&](std::vector<std::string> words) {
    std::vector<std::vector<std::string>> out;
    for (const auto& r : knots::readings(kb.modalities, words, 3)) {
      std::vector<std::string> one;
      for (const auto* m : r.entries) one.push_back(m->id);
      out.push_back(one);
    }
    return out;
  };
  using Ids = std::vector<std::vector<std::string>>;
  CHECK(ids({"hot", "stone", "thai"}) == Ids{{"hot-stone", "thai"}});
  CHECK(ids({"deep", "tissue", "trigger", "point"}) == Ids{{"deep-tissue", "trigger-point"}});
  CHECK(ids({"Thai", "yoga", "massage", "swedish"}) == Ids{{"thai", "swedish"}});
  CHECK(ids({"trigger", "point", "pressure", "release", "swedish"}) == Ids{{"trigger-point", "swedish"}});
  CHECK(ids({"thai", "tissue"}).empty());
  // A quoted name (a word with a space) stands alone: "stone massage" is hot-stone, "hot" nothing.
  CHECK(ids({"hot", "stone massage"}).empty());
  CHECK(ids({"hot stone", "thai"}) == Ids{{"hot-stone", "thai"}});
  // A second way to read the words is found: a clinic's "Yoga massage" beside Thai yoga massage.
  std::vector<knots::Modality> items = kb.modalities.all();
  knots::Modality yoga = *kb.modalities.find("swedish");
  yoga.id = "yoga-massage";
  yoga.name = "Yoga massage";
  yoga.aliases.clear();
  items.push_back(yoga);
  const knots::Catalog<knots::Modality> with_yoga(items);
  const auto both = knots::readings(with_yoga, {"thai", "yoga", "massage", "swedish"}, 3);
  REQUIRE(both.size() == 2);
  CHECK(both[0].names == std::vector<std::string>{"thai yoga massage", "swedish"});
  CHECK(both[1].names == std::vector<std::string>{"thai", "yoga massage", "swedish"});
}

TEST_CASE("the words that name nothing are found where the reading stops") {
  const auto& kb = shipped().kb;
  using Span = std::pair<std::size_t, std::size_t>;
  CHECK(knots::unread_words(kb.modalities, {"deep", "tisue", "thai"}) == Span{0, 2});
  CHECK(knots::unread_words(kb.modalities, {"thai", "thia", "swedish"}) == Span{1, 2});
  CHECK(knots::unread_words(kb.modalities, {"swedish", "hot", "stone", "thia"}) == Span{3, 4});
  // Thousands of words are read in time: each place where no reading starts is tried once.
  std::vector<std::string> many(5000, "thai");
  many.emplace_back("nothing");
  CHECK(knots::readings(kb.modalities, many, 2).empty());
}

TEST_CASE("safety facts from the research hold in the shipped data") {
  const auto& kb = shipped().kb;
  auto level = [&](const char* modality, const char* condition) {
    auto c = knots::caution_for(*kb.modalities.find(modality), *kb.conditions.find(condition));
    return c ? std::string(knots::name_of(c->level)) : std::string("none");
  };
  CHECK(level("deep-tissue", "blood-thinners") == "avoid");
  CHECK(level("aromatherapy", "oil-allergy") == "avoid");
  CHECK(level("hot-stone", "heat-sensitivity") == "avoid");
  for (const auto& m : kb.modalities.all()) {
    INFO(m.id);
    CHECK(level(m.id.c_str(), "fever") == "avoid");
    CHECK(level(m.id.c_str(), "blood-clots") == "avoid");
  }
  CHECK(kb.modalities.find("reflexology")->back == knots::BackContact::indirect);
  CHECK(kb.modalities.find("thai")->setting.clothing == knots::Clothing::clothed);
  CHECK(kb.modalities.find("thai")->setting.surfaces == std::vector{knots::Surface::mat});
}

TEST_CASE("a catalog finds by id, name or alias after it is copied, moved or assigned, on any thread") {
  const auto& shipped_techniques = shipped().kb.techniques;
  const auto id = shipped_techniques.all().front().id;
  const auto name = shipped_techniques.all().front().name;

  auto copy = shipped_techniques;  // indexed again, for its own entries
  REQUIRE(copy.find(name) != nullptr);
  CHECK(copy.find(name) == &copy.all().front());
  CHECK(copy.find(id) != shipped_techniques.find(id));

  auto moved = std::move(copy);  // takes the index along with the entries it points into
  CHECK(moved.find(name) == &moved.all().front());
  CHECK(copy.find(name) == nullptr);  // NOLINT(bugprone-use-after-move): emptied, and safe to use

  knots::Catalog<knots::Technique> assigned;
  CHECK(assigned.find(id) == nullptr);
  assigned = moved;
  CHECK(assigned.find(id) == &assigned.all().front());
  assigned = std::move(moved);
  CHECK(assigned.find(id) == &assigned.all().front());

  // The first lookups of a fresh copy from two threads at once: both see the whole index.
  const auto fresh = shipped_techniques;
  const knots::Technique* seen[2] = {nullptr, nullptr};
  std::thread other([&] { seen[1] = fresh.find(name); });
  seen[0] = fresh.find(name);
  other.join();
  CHECK(seen[0] == &fresh.all().front());
  CHECK(seen[1] == seen[0]);
}
