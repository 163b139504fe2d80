// Plain value types for everything the knowledge base describes, each followed by its description:
// one line per field, which the YAML reader, the cache, the JSON and the `knots new` template all
// follow. No I/O, no third-party types.
#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/enums.hpp"

namespace knots {

/// What a reference points to: the kind of entry whose id it holds.
enum class RefKind { technique, condition, goal, modality, source, red_flag, area, self_care, topic };

/// How a described field is read, checked and shown (flags, combined with |).
enum FieldFlag : unsigned {
  kOptional = 0,
  kRequired = 1u << 0,  ///< must be there and not empty
  kOneLine = 1u << 1,   ///< no line breaks or tabs: names, ids, titles
  kName = 1u << 2,      ///< the entry is found by it (id, name, alias), so it must not clash
  kKey = 1u << 3,       ///< the entry's own id: what layers merge by, where messages point
};

/// What the `knots new` template puts wherever the author has to write something: a value that is
/// this word alone, or a text that starts with it ("TODO: one line on …"). The loader refuses every
/// one left in a file, so that an unfinished entry never goes live.
inline constexpr std::string_view kPlaceholder = "TODO";

/// True for a value or text left as the template put it (see kPlaceholder).
constexpr bool is_placeholder(std::string_view text) {
  return text.starts_with(kPlaceholder) &&
         (text.size() == kPlaceholder.size() || text[kPlaceholder.size()] == ':' ||
          text[kPlaceholder.size()] == ' ');
}

// How to read a description: `describe(v, x)` calls one method of the visitor `v` per field of
// `x`, in the order of the file format (and of the JSON):
//   v.id(key, s, flags)                 an id: lowercase letters, digits, hyphens
//   v.text(key, s, flags)               text (one line with kOneLine; in JSON null when optional and empty)
//   v.list(key, strings, flags)         a list of one-line texts
//   v.refs(key, ids, RefKind, flags)    a list of ids of other entries
//   v.ref(key, id, RefKind, flags)      one id of another entry
//   v.words(key, strings, vocabulary, noun, flags)   a list of words from a closed list
//   v.enumeration(key, e, flags)        one word of an enum (optional<E>: may be absent)
//   v.enums(key, list, noun, flags)     a list of words of an enum
//   v.object(key, x, noun, flags)       a mapping described by describe(v, x) (optional<X>: may be
//                                       absent); `noun` names it in messages ("the pressure of …")
//   v.objects(key, xs, noun, flags)     a list of such mappings; `noun` names one in messages
//   v.fits(key, keyed, flags)           a mapping of ids of one kind to a word of an enum (Keyed):
//                                       goals to how well they fit, areas to how well reached
//   v.origin(key, s)                    where the entry was read from: not in the file itself
// `x` is const for the visitors that only read (the cache writer, the JSON). Every key is the same
// in the files, the JSON and the manual.

struct PressureRange {
  Pressure min = Pressure::light;
  Pressure max = Pressure::light;
  [[nodiscard]] bool contains(Pressure p) const { return min <= p && p <= max; }

  bool operator==(const PressureRange&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, PressureRange>
void describe(V& v, X& x) {
  v.enumeration("min", x.min, kRequired);
  v.enumeration("max", x.max, kRequired);
}

struct Setting {
  std::vector<Surface> surfaces;
  Clothing clothing = Clothing::either;
  Usage oil = Usage::none;
  Usage heat = Usage::none;

  bool operator==(const Setting&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Setting>
void describe(V& v, X& x) {
  v.enums("surface", x.surfaces, "surface", kRequired);
  v.enumeration("clothing", x.clothing, kRequired);
  v.enumeration("oil", x.oil, kRequired);
  v.enumeration("heat", x.heat, kRequired);
}

/// One line of a mapping from ids of one kind of entry to a word of an enum ("pain-relief: strong").
template <class E, RefKind K>
struct Keyed {
  using Value = E;
  static constexpr RefKind kind = K;
  std::string id;  ///< an id of the kind K
  E value{};

  bool operator==(const Keyed&) const = default;
};

/// How well a modality serves a goal.
using GoalFit = Keyed<Fit, RefKind::goal>;
/// How well a modality or a self-care step reaches a knot in an area of the back.
using AreaReach = Keyed<Reach, RefKind::area>;

/// The value for `id` in a mapping, if it has one.
template <class K>
const K* keyed_find(const std::vector<K>& mapping, std::string_view id) {
  for (const auto& k : mapping) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

struct RelatedModality {
  std::string id;
  Relation relation = Relation::similar;

  bool operator==(const RelatedModality&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, RelatedModality>
void describe(V& v, X& x) {
  v.ref("id", x.id, RefKind::modality, kRequired);
  v.enumeration("relation", x.relation, kRequired);
}

/// What a condition asks of a session: avoid it, or adapt it: up to a pressure, without some
/// techniques, away from some areas, without a part such as heat.
struct Rule {
  CautionLevel level = CautionLevel::adapt;
  std::optional<Pressure> max_pressure;
  std::vector<std::string> leave_out;  ///< Technique ids that must be left out
  std::vector<Area> keep_off;          ///< areas the therapist must not work
  std::vector<Part> without;           ///< parts of the session that must go
  std::string note;
  std::vector<std::string> sources;  ///< for a condition's rule, empty means the condition's sources

  bool operator==(const Rule&) const = default;
};

/// A rule's fields; a condition's rule for every modality may leave out its sources (it then cites
/// the condition's), a modality's caution may not.
template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Rule>
void describe_rule(V& v, X& x, FieldFlag sources) {
  v.enumeration("level", x.level, kRequired);
  v.enumeration("max_pressure", x.max_pressure, kOptional);
  v.refs("leave_out", x.leave_out, RefKind::technique, kOptional);
  v.enums("keep_off", x.keep_off, "area", kOptional);
  v.enums("without", x.without, "part", kOptional);
  v.text("note", x.note, kRequired);
  v.refs("sources", x.sources, RefKind::source, sources);
}

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Rule>
void describe(V& v, X& x) {
  describe_rule(v, x, kOptional);
}

/// A modality's own rule with one condition.
struct Caution : Rule {
  std::string condition;  ///< a Condition id

  bool operator==(const Caution&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Caution>
void describe(V& v, X& x) {
  v.ref("condition", x.condition, RefKind::condition, kRequired);
  using R = std::conditional_t<std::is_const_v<X>, const Rule, Rule>;
  describe_rule(v, static_cast<R&>(x), kRequired);
}

struct Evidence {
  EvidenceGrade grade = EvidenceGrade::anecdotal;
  std::string note;
  std::vector<std::string> sources;

  bool operator==(const Evidence&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Evidence>
void describe(V& v, X& x) {
  v.enumeration("grade", x.grade, kRequired);
  v.text("note", x.note, kRequired);
  v.refs("sources", x.sources, RefKind::source, kRequired);
}

struct Modality {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string summary;
  std::string description;
  PressureRange pressure;
  std::vector<std::string> techniques;  ///< Technique ids
  /// The techniques without which it is no longer this style; empty means every technique.
  std::vector<std::string> core_techniques;
  std::vector<std::string> tools;  ///< what the therapist works with
  Setting setting;
  std::vector<std::string> targets;  ///< from kTargets
  BackContact back = BackContact::direct;
  std::vector<AreaReach> areas;  ///< how well it reaches a knot in each area of the back
  std::string helps_knots;
  std::vector<GoalFit> goals;
  /// Condition ids: a style made for people with one of them (pregnancy massage) is suggested
  /// only to them, and first among what suits them; empty: for anyone.
  std::vector<std::string> only_with;
  std::string origin;
  std::vector<RelatedModality> related;
  std::vector<Caution> cautions;
  Evidence evidence;
  std::vector<std::string> sources;
  std::string file;  ///< where it was read from

  bool operator==(const Modality&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Modality>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.text("name", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("summary", x.summary, kRequired | kOneLine);
  v.text("description", x.description, kRequired);
  v.object("pressure", x.pressure, "pressure", kRequired);
  v.refs("techniques", x.techniques, RefKind::technique, kRequired);
  // Checked against its own techniques (load/validate.cpp), so a plain list, not references.
  v.list("core_techniques", x.core_techniques, kOptional);
  v.list("tools", x.tools, kRequired);
  v.object("setting", x.setting, "setting", kRequired);
  v.words("targets", x.targets, kTargets, "target", kRequired);
  v.enumeration("back", x.back, kRequired);
  v.fits("areas", x.areas, kOptional);
  v.text("helps_knots", x.helps_knots, kRequired);
  v.fits("goals", x.goals, kRequired);
  v.refs("only_with", x.only_with, RefKind::condition, kOptional);
  v.text("origin", x.origin, kRequired);
  v.objects("related", x.related, "related entry", kOptional);
  v.objects("cautions", x.cautions, "caution", kOptional);
  v.object("evidence", x.evidence, "evidence", kRequired);
  v.refs("sources", x.sources, RefKind::source, kRequired);
  v.origin("file", x.file);
}

struct Technique {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string definition;
  /// A few everyday words for it ("quick, rhythmic tapping"), said where the name alone would be
  /// jargon; empty: the name is plain enough.
  std::string plain;
  std::vector<std::string> sources;

  bool operator==(const Technique&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Technique>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.text("name", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("definition", x.definition, kRequired);
  v.text("plain", x.plain, kOneLine);
  v.refs("sources", x.sources, RefKind::source, kRequired);
}

struct Condition {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string description;
  std::string guidance;
  /// The rule for every modality, including ones added later.
  std::optional<Rule> every_modality;
  std::vector<std::string> red_flags;  ///< RedFlag ids that stating this condition raises
  std::vector<std::string> sources;

  bool operator==(const Condition&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Condition>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.text("name", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("description", x.description, kRequired);
  v.text("guidance", x.guidance, kRequired);
  v.object("every_modality", x.every_modality, "every_modality rule", kOptional);
  v.refs("red_flags", x.red_flags, RefKind::red_flag, kOptional);
  v.refs("sources", x.sources, RefKind::source, kRequired);
}

struct Goal {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;  ///< everyday words ("relaxing", "flexibility")
  std::string description;

  bool operator==(const Goal&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Goal>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.text("name", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("description", x.description, kRequired);
}

struct SelfCareTip {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string advice;    ///< what it is and why
  std::string how;       ///< how to do it
  std::string how_long;  ///< each time
  std::string how_often;
  std::string avoid;  ///< what to avoid while doing it, and who should not
  std::vector<AreaReach> areas;
  std::string evidence;
  std::vector<std::string> suits;       ///< Goal ids
  std::vector<std::string> avoid_with;  ///< Condition ids
  std::vector<std::string> sources;

  bool operator==(const SelfCareTip&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, SelfCareTip>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.text("name", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("advice", x.advice, kRequired);
  v.text("how", x.how, kOptional);
  v.text("how_long", x.how_long, kOneLine);
  v.text("how_often", x.how_often, kOneLine);
  v.text("avoid", x.avoid, kOptional);
  v.fits("areas", x.areas, kOptional);
  v.text("evidence", x.evidence, kRequired);
  v.refs("suits", x.suits, RefKind::goal, kRequired);
  v.refs("avoid_with", x.avoid_with, RefKind::condition, kOptional);
  v.refs("sources", x.sources, RefKind::source, kRequired);
}

struct RedFlag {
  std::string id;
  std::string name;                  ///< a few words, for compact lists ("short" in the files)
  std::vector<std::string> aliases;  ///< everyday words a person types ("numb groin")
  Urgency urgency = Urgency::urgent;
  std::string text;  ///< what to do, and how soon
  std::vector<std::string> sources;

  bool operator==(const RedFlag&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, RedFlag>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.enumeration("urgency", x.urgency, kRequired);
  v.text("short", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("text", x.text, kRequired);
  v.refs("sources", x.sources, RefKind::source, kRequired);
}

/// Where in the back a knot is: a place a person can name ("between the shoulder blades").
struct KnotArea {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string description;
  std::vector<std::string> red_flags;  ///< RedFlag ids that pain in this area can be

  bool operator==(const KnotArea&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, KnotArea>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.text("name", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("description", x.description, kRequired);
  v.refs("red_flags", x.red_flags, RefKind::red_flag, kOptional);
}

/// A topic of the guide: a short, sourced answer to a question people bring ("how often?").
struct GuideTopic {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;     ///< the question in everyday words ("sore after massage")
  std::string summary;                  ///< the answer in one line
  std::string body;                     ///< a few paragraphs, separated by line breaks
  std::vector<std::string> modalities;  ///< Modality ids whose pages point here
  std::vector<std::string> self_care;   ///< SelfCareTip ids
  std::vector<std::string> areas;       ///< KnotArea ids
  std::vector<std::string> red_flags;   ///< RedFlag ids
  std::vector<std::string> related;     ///< other GuideTopic ids
  std::vector<std::string> sources;

  bool operator==(const GuideTopic&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, GuideTopic>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.text("name", x.name, kRequired | kOneLine | kName);
  v.list("aliases", x.aliases, kName);
  v.text("summary", x.summary, kRequired | kOneLine);
  v.text("body", x.body, kRequired);
  v.refs("modalities", x.modalities, RefKind::modality, kOptional);
  v.refs("self_care", x.self_care, RefKind::self_care, kOptional);
  v.refs("areas", x.areas, RefKind::area, kOptional);
  v.refs("red_flags", x.red_flags, RefKind::red_flag, kOptional);
  v.refs("related", x.related, RefKind::topic, kOptional);
  v.refs("sources", x.sources, RefKind::source, kRequired);
}

/// Everyday words people search with and the knowledge base's words for the same thing ("tennis
/// ball" -> "massage ball"); for a subject knots does not cover ("price"), what it says about it.
struct Synonym {
  std::string id;
  std::vector<std::string> words;  ///< what people type: words or phrases, matched by their stems
  std::vector<std::string> means;  ///< the knowledge base's words for the same thing, also searched
  std::string note;                ///< for a subject knots does not cover: printed beside the hits

  bool operator==(const Synonym&) const = default;
};

template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Synonym>
void describe(V& v, X& x) {
  v.id("id", x.id, kRequired | kKey | kName);
  v.list("words", x.words, kRequired | kName);
  v.list("means", x.means, kOptional);
  v.text("note", x.note, kOptional);
}

struct Source {
  std::string id;
  Tier tier = Tier::C;  ///< the publisher's tier; a copy never raises it
  std::string publisher;
  std::string title;
  std::string url;  ///< the publisher's own page
  std::string via;  ///< the copy that was read, when it was a copy

  bool operator==(const Source&) const = default;
};

/// Source ids follow the research notes ("S8b"), so they keep their case: text, not an id.
template <class V, class X>
requires std::same_as<std::remove_const_t<X>, Source>
void describe(V& v, X& x) {
  v.text("id", x.id, kRequired | kOneLine | kKey | kName);
  v.enumeration("tier", x.tier, kRequired);
  v.text("publisher", x.publisher, kOneLine);
  v.text("title", x.title, kRequired | kOneLine);
  v.text("url", x.url, kOneLine);
  v.text("via", x.via, kOneLine);
}

}  // namespace knots
