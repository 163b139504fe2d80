// The loader's checks, one by one, on small inline knowledge bases.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "load/loader.hpp"
#include "support.hpp"

using knots::test::all_messages;
using knots::test::load_with;
using knots::test::modality_yaml;

namespace {

bool has(const knots::load::LoadResult& r, const std::string& text) {
  return all_messages(r).find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a valid modality loads with no problems") {
  auto r = load_with({{"kb/modalities/calm.yaml", modality_yaml("calm", "Calm massage")}});
  INFO(all_messages(r));
  CHECK(r.ok());
  REQUIRE(r.kb.modalities.size() == 1);
  const auto& m = r.kb.modalities.all().front();
  CHECK(m.id == "calm");
  CHECK(m.pressure.min == knots::Pressure::light);
  CHECK(m.pressure.max == knots::Pressure::medium);
  CHECK(m.file == "kb/modalities/calm.yaml");
}

TEST_CASE("an unknown technique is reported at its line and column with a suggestion") {
  std::string yaml = modality_yaml("calm", "Calm");
  yaml.replace(yaml.find("[effleurage, petrissage]"), 24, "[efleurage, petrissage]");
  auto r = load_with({{"kb/modalities/calm.yaml", yaml}});
  CHECK_FALSE(r.ok());
  CHECK(has(r, "kb/modalities/calm.yaml:8:14: unknown technique 'efleurage'; did you mean 'effleurage'?"));
}

TEST_CASE("a technique given by its alias points to the id") {
  std::string yaml = modality_yaml("calm", "Calm");
  yaml.replace(yaml.find("petrissage]"), 10, "kneading");
  auto r = load_with({{"kb/m.yaml", yaml}});
  CHECK(has(r, "unknown technique 'kneading'; use its id 'petrissage'"));
}

TEST_CASE("unknown condition, goal, source and related modality are each reported") {
  auto r = load_with({{"kb/m.yaml", modality_yaml("calm", "Calm", R"(related:
  - id: nowhere
    relation: similar
cautions:
  - condition: feverr
    level: avoid
    note: No.
    sources: [S9]
)")}});
  std::string yaml = modality_yaml("other", "Other");
  yaml.replace(yaml.find("relaxation: strong"), 18, "relax: strong");
  auto r2 = load_with({{"kb/o.yaml", yaml}});
  CHECK(has(r, "unknown modality 'nowhere'"));
  CHECK(has(r, "unknown condition 'feverr'; did you mean 'fever'?"));
  CHECK(has(r, "unknown source 'S9'"));
  CHECK(has(r2, "unknown goal 'relax'"));
}

TEST_CASE("pressure outside the scale, and min above max") {
  std::string bad_level = modality_yaml("a", "A");
  bad_level.replace(bad_level.find("max: medium"), 11, "max: extreme");
  std::string inverted = modality_yaml("b", "B");
  inverted.replace(inverted.find("min: light"), 10, "min: deep");
  auto r = load_with({{"kb/a.yaml", bad_level}, {"kb/b.yaml", inverted}});
  CHECK(has(r,
            "kb/a.yaml:7:8: 'max' in the pressure of modality 'a' must be one of light, medium, firm, "
            "deep; got 'extreme'"));
  CHECK(has(r, "kb/b.yaml:6:3: pressure min 'deep' is above max 'medium'"));
}

TEST_CASE("duplicate ids in one folder are an error, a later folder replaces by id") {
  auto dup = load_with(
      {{"kb/a.yaml", modality_yaml("calm", "Calm")}, {"kb/b.yaml", modality_yaml("calm", "Calm 2")}});
  CHECK(has(dup, "kb/b.yaml:1:5: duplicate modality id 'calm' (first defined at kb/a.yaml:1:5)"));

  knots::load::Layer base{"kb", knots::test::base_vocabulary()};
  base.files.push_back({"kb/a.yaml", modality_yaml("calm", "Calm")});
  knots::load::Layer clinic{"clinic", {{"clinic/a.yaml", modality_yaml("calm", "Clinic calm")}}};
  auto r = knots::load::load_layers({base, clinic});
  INFO(all_messages(r));
  CHECK(r.ok());
  REQUIRE(r.kb.modalities.find("calm") != nullptr);
  CHECK(r.kb.modalities.find("calm")->name == "Clinic calm");
  CHECK(r.kb.modalities.find("calm")->file == "clinic/a.yaml");
}

TEST_CASE("two modalities may not share a name or alias") {
  auto r = load_with({{"kb/a.yaml", modality_yaml("calm", "Calm", "aliases: [classic massage]\n")},
                      {"kb/b.yaml", modality_yaml("quiet", "Quiet", "aliases: [Classic_Massage]\n")}});
  CHECK(has(r, "'Classic_Massage' already names modality 'calm'"));
}

TEST_CASE("an unknown key is reported with the nearest known key") {
  auto r = load_with({{"kb/a.yaml", modality_yaml("calm", "Calm", "sumary: typo\n")}});
  CHECK(has(r, "unknown key 'sumary' in modality 'calm'; did you mean 'summary'?"));
}

TEST_CASE("a missing required field names the field and the entry") {
  std::string yaml = modality_yaml("calm", "Calm");
  yaml.erase(yaml.find("helps_knots:"), std::string("helps_knots: It may ease tension.\n").size());
  auto r = load_with({{"kb/a.yaml", yaml}});
  CHECK(has(r, "kb/a.yaml:1:1: missing required key 'helps_knots' in modality 'calm'"));
}

TEST_CASE("null and empty values count as missing, never as the text 'null'") {
  std::string yaml = modality_yaml("calm", "Calm");
  yaml.replace(yaml.find("summary: A gentle massage."), 26, "summary: ~");
  auto r = load_with({{"kb/a.yaml", yaml}});
  CHECK(has(r, "missing required key 'summary'"));
}

TEST_CASE("wrong types are reported") {
  std::string yaml = modality_yaml("calm", "Calm");
  yaml.replace(yaml.find("tools: [hands]"), 14, "tools: hands");
  yaml.replace(yaml.find("summary: A gentle massage."), 26, "summary: [a, b]");
  auto r = load_with({{"kb/a.yaml", yaml}});
  CHECK(has(r, "'tools' in modality 'calm' must be a list, not text"));
  CHECK(has(r, "'summary' in modality 'calm' must be text, not a list"));
}

TEST_CASE("a duplicate key is refused") {
  auto r = load_with({{"kb/a.yaml", modality_yaml("calm", "Calm", "origin: Elsewhere.\n")}});
  CHECK(has(r, "kb/a.yaml:26:1: duplicate key 'origin'; the first is on line 20"));
}

TEST_CASE("every problem is reported, not only the first") {
  std::string yaml = modality_yaml("calm", "Calm", "colour: blue\n");
  yaml.replace(yaml.find("back: direct"), 12, "back: sideways");
  yaml.replace(yaml.find("clothing: undressed"), 19, "clothing: naked");
  auto r = load_with({{"kb/a.yaml", yaml}});
  CHECK(r.diagnostics.size() == 3);
  CHECK(has(r, "unknown key 'colour'"));
  CHECK(has(r, "'back' in modality 'calm' must be one of direct, indirect; got 'sideways'"));
  CHECK(has(r, "'clothing' in the setting of modality 'calm' must be one of undressed, clothed, either"));
}

TEST_CASE("ids must be lowercase words with hyphens") {
  auto r = load_with({{"kb/a.yaml", modality_yaml("Calm Massage", "Calm")}});
  CHECK(has(r, "'id' must be lowercase letters, digits and hyphens"));
}

TEST_CASE("an adapt caution may carry a pressure cap, an avoid caution may not") {
  auto r = load_with({{"kb/a.yaml", modality_yaml("calm", "Calm", R"(cautions:
  - condition: oil-allergy
    level: avoid
    max_pressure: light
    note: No.
    sources: [S1]
)")}});
  CHECK(has(r, "max_pressure, leave_out, keep_off and without only go with level 'adapt'"));
}

TEST_CASE("bytes: BOM and CRLF are accepted") {
  std::string yaml = modality_yaml("calm", "Calm");
  std::string crlf;
  for (char c : yaml) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto r = load_with({{"kb/a.yaml", "\xEF\xBB\xBF" + crlf}});
  INFO(all_messages(r));
  CHECK(r.ok());
  CHECK(r.kb.modalities.find("calm")->summary == "A gentle massage.");
}

TEST_CASE("bytes: invalid UTF-8, NUL, UTF-16 and control characters are refused with a position") {
  auto bad_utf8 = load_with({{"kb/a.yaml", modality_yaml("calm", "Caf\xE9")}});
  CHECK(has(bad_utf8, "kb/a.yaml:2:10: invalid UTF-8 (byte 0xE9)"));
  auto nul = load_with({{"kb/a.yaml", std::string("id: a\nna\0me: x\n", 15)}});
  CHECK(has(nul, "kb/a.yaml:2:3: NUL byte"));
  auto utf16 = load_with({{"kb/a.yaml", std::string("\xFF\xFEi\0d\0", 6)}});
  CHECK(has(utf16, "kb/a.yaml:1:1: file is UTF-16 or UTF-32"));
  auto esc = load_with({{"kb/a.yaml", modality_yaml("calm", "Calm \x1B[2J")}});
  CHECK(has(esc, "kb/a.yaml:2:12: control character U+001B is not allowed"));
  auto escaped = load_with({{"kb/a.yaml", modality_yaml("calm", "\"Calm \\e]0;title\\a\"")}});
  CHECK(has(escaped, "'name' in modality 'calm' contains U+001B, a control character"));
}

TEST_CASE("YAML syntax errors carry the parser's position") {
  auto r = load_with({{"kb/a.yaml", "id: calm\nname: [unclosed\n"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics.front().file == "kb/a.yaml");
  CHECK(r.diagnostics.front().line > 0);
}

TEST_CASE("an empty file is an error, not an empty modality") {
  auto r = load_with({{"kb/a.yaml", "# nothing here\n"}});
  CHECK(has(r, "kb/a.yaml: the file is empty"));
}

TEST_CASE("a vocabulary file must be a list of mappings") {
  knots::load::Layer layer{"kb", {{"kb/goals.yaml", "id: relaxation\n"}}};
  auto r = knots::load::load_layers({layer});
  CHECK(has(r, "kb/goals.yaml:1:1: this file must be a list of goals, not a mapping"));
}

TEST_CASE("lookup ignores case and treats spaces, hyphens and underscores alike") {
  auto r = load_with(
      {{"kb/a.yaml", modality_yaml("deep-tissue", "Deep tissue massage", "aliases: [classic massage]\n")}});
  REQUIRE(r.ok());
  for (const char* name : {"deep-tissue", "Deep Tissue", "DEEP_TISSUE", "deep tissue massage",
                           "Classic  Massage", "classic-massage"}) {
    INFO(name);
    REQUIRE(r.kb.modalities.find(name) != nullptr);
    CHECK(r.kb.modalities.find(name)->id == "deep-tissue");
  }
  CHECK(r.kb.modalities.find("deep") == nullptr);
  CHECK(r.kb.techniques.find("Kneading")->id == "petrissage");
}

TEST_CASE("a missing folder is an I/O problem naming the path") {
  knots::load::LoadOptions options;
  options.use_embedded = false;
  options.folders = {"/nonexistent/knots-kb"};
  auto r = knots::load::load(options);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics.front().io);
  CHECK(r.diagnostics.front().to_string() == "/nonexistent/knots-kb: no such knowledge-base folder");
}

namespace {

/// How many problems the load reported.
std::size_t count(const knots::load::LoadResult& r) {
  return r.diagnostics.size();
}

/// `yaml` with its first `from` replaced by `to`.
std::string edited(std::string yaml, const std::string& from, const std::string& to) {
  yaml.replace(yaml.find(from), from.size(), to);
  return yaml;
}

}  // namespace

TEST_CASE("a placeholder left from the template is refused where it is, once, and nothing else is said") {
  std::string yaml = edited(modality_yaml("calm", "Calm"), "  heat: none", "  heat: TODO");
  yaml = edited(yaml, "summary: A gentle massage.", "summary: \"TODO: one line on what it is.\"");
  auto r = load_with({{"kb/modalities/calm.yaml", yaml}});
  INFO(all_messages(r));
  CHECK(count(r) == 2);
  CHECK(has(r,
            "kb/modalities/calm.yaml:3:10: 'summary' still holds the placeholder text from 'knots new' (it "
            "starts with TODO): replace it with your own words"));
  CHECK(has(r,
            "kb/modalities/calm.yaml:14:9: 'heat' under setting is still TODO, the placeholder from 'knots "
            "new': replace it"));
  CHECK(r.kb.modalities.size() == 0);
}

TEST_CASE("placeholders are found in lists, in goal ids and in vocabulary files") {
  std::string yaml = edited(modality_yaml("calm", "Calm"), "tools: [hands]", "tools: [TODO]");
  yaml = edited(yaml, "  relaxation: strong", "  TODO: some");
  auto r = load_with({{"kb/modalities/calm.yaml", yaml}});
  CHECK(count(r) == 2);
  CHECK(has(r, ":9:9: 'tools' is still TODO"));
  CHECK(has(r, ":19:3: 'goals' is still TODO"));
  // A word that only starts like the placeholder is text like any other.
  CHECK(load_with({{"kb/modalities/calm.yaml",
                    edited(modality_yaml("calm", "Calm"), "Somewhere.", "TODOS, a town.")}})
            .ok());
}

TEST_CASE("a key dedented out of its mapping is one message saying where it belongs") {
  auto r = load_with({{"kb/a.yaml", edited(modality_yaml("calm", "Calm"), "  heat: none", "heat: none")}});
  INFO(all_messages(r));
  CHECK(count(r) == 1);
  CHECK(has(r, "kb/a.yaml:14:1: 'heat' belongs under setting: indent it like the other keys of setting"));
}

TEST_CASE("a key indented into a mapping by mistake is one message too") {
  std::string yaml = edited(modality_yaml("calm", "Calm"), "back: direct\n", "");
  auto r = load_with({{"kb/a.yaml", edited(yaml, "  heat: none", "  heat: none\n  back: direct")}});
  INFO(all_messages(r));
  CHECK(count(r) == 1);
  CHECK(has(r,
            "'back' is not a key of the setting of modality 'calm'; it belongs one level up: line it up "
            "with 'setting'"));
}

TEST_CASE("a misspelt required key is one 'did you mean', not also a missing key") {
  auto r = load_with({{"kb/a.yaml", edited(modality_yaml("calm", "Calm"), "helps_knots:", "help_knots:")}});
  INFO(all_messages(r));
  CHECK(count(r) == 1);
  CHECK(has(r, "unknown key 'help_knots' in modality 'calm'; did you mean 'helps_knots'?"));
}

TEST_CASE("a missing value with a closed list of choices lists them") {
  auto r = load_with({{"kb/a.yaml", edited(modality_yaml("calm", "Calm"), "  grade: some\n", "")}});
  CHECK(has(r,
            "missing required key 'grade' in the evidence of modality 'calm' (one of not-supported, "
            "anecdotal, mixed, limited, some)"));
}

TEST_CASE("yaml-cpp's wording never reaches the user: each syntax error is a plain sentence") {
  struct Case {
    std::string from, to, message;
  };
  const Case cases[] = {
      {"  clothing: undressed", "   clothing: undressed",
       ":12:4: inconsistent indentation: this line is indented 3 spaces, the line before 2"},
      {"name: Calm\n", "name: Calm\n   nickname: x\n",
       ":3:12: inconsistent indentation: this line is indented 3 "
       "spaces, the line before 0"},
      {"origin: Somewhere.", "origin: Somewhere: here.", ":20:18: a second ': ' on this line: put a text"},
      {"tools: [hands]", "tools: [hands", "a list in brackets ('[') is not closed before this point"},
      {"origin: Somewhere.", "origin: \"Some\\qwhere.\"",
       "'\\q' is not an escape YAML knows in double quotes"},
      {"origin: Somewhere.", "origin: @home", "a character that cannot start or appear in a text here"},
      {"origin: Somewhere.", "origin: Somewhere.\n- x", "a list item ('- ') among the keys of a mapping"},
      {"  heat: none", "\theat: none", "this line is indented with a tab; YAML indents with spaces only"},
  };
  for (const auto& c : cases) {
    auto r = load_with({{"kb/a.yaml", edited(modality_yaml("calm", "Calm"), c.from, c.to)}});
    INFO(c.to, "\n", all_messages(r));
    CHECK(count(r) == 1);
    CHECK(has(r, c.message));
    for (const char* raw : {"end of map", "illegal", "unknown token", "unknown escape", "flow not found"})
      CHECK_FALSE(has(r, raw));
  }
}
