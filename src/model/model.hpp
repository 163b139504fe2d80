// Plain value types for everything the knowledge base describes; no I/O, no third-party types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/enums.hpp"

namespace knots {

struct PressureRange {
  Pressure min = Pressure::light;
  Pressure max = Pressure::light;
  [[nodiscard]] bool contains(Pressure p) const { return min <= p && p <= max; }

  bool operator==(const PressureRange&) const = default;
};

struct Setting {
  std::vector<Surface> surfaces;
  Clothing clothing = Clothing::either;
  Usage oil = Usage::none;
  Usage heat = Usage::none;

  bool operator==(const Setting&) const = default;
};

struct GoalFit {
  std::string goal;  ///< a Goal id
  Fit fit = Fit::some;

  bool operator==(const GoalFit&) const = default;
};

struct RelatedModality {
  std::string id;
  Relation relation = Relation::similar;

  bool operator==(const RelatedModality&) const = default;
};

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

/// A modality's own rule with one condition.
struct Caution : Rule {
  std::string condition;  ///< a Condition id

  bool operator==(const Caution&) const = default;
};

struct Evidence {
  EvidenceGrade grade = EvidenceGrade::anecdotal;
  std::string note;
  std::vector<std::string> sources;

  bool operator==(const Evidence&) const = default;
};

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
  std::string helps_knots;
  std::vector<GoalFit> goals;
  std::string origin;
  std::vector<RelatedModality> related;
  std::vector<Caution> cautions;
  Evidence evidence;
  std::vector<std::string> sources;
  std::string file;  ///< where it was read from

  bool operator==(const Modality&) const = default;
};

struct Technique {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string definition;
  std::vector<std::string> sources;

  bool operator==(const Technique&) const = default;
};

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

struct Goal {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;  ///< everyday words ("relaxing", "flexibility")
  std::string description;

  bool operator==(const Goal&) const = default;
};

struct SelfCareTip {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string advice;
  std::string evidence;
  std::vector<std::string> suits;       ///< Goal ids
  std::vector<std::string> avoid_with;  ///< Condition ids
  std::vector<std::string> sources;

  bool operator==(const SelfCareTip&) const = default;
};

struct RedFlag {
  std::string id;
  std::string name;                  ///< a few words, for compact lists ("short" in the files)
  std::vector<std::string> aliases;  ///< everyday words a person types ("numb groin")
  Urgency urgency = Urgency::urgent;
  std::string text;  ///< what to do, and how soon
  std::vector<std::string> sources;

  bool operator==(const RedFlag&) const = default;
};

struct Source {
  std::string id;
  Tier tier = Tier::C;  ///< the publisher's tier; a copy never raises it
  std::string publisher;
  std::string title;
  std::string url;  ///< the publisher's own page
  std::string via;  ///< the copy that was read, when it was a copy

  bool operator==(const Source&) const = default;
};

}  // namespace knots
