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
};

struct Setting {
  std::vector<Surface> surfaces;
  Clothing clothing = Clothing::either;
  Usage oil = Usage::none;
  Usage heat = Usage::none;
};

struct GoalFit {
  std::string goal;  ///< a Goal id
  Fit fit = Fit::some;
};

struct RelatedModality {
  std::string id;
  Relation relation = Relation::similar;
};

/// What a modality needs with a condition: avoid it, or adapt it (optionally up to a pressure).
struct Caution {
  std::string condition;  ///< a Condition id
  CautionLevel level = CautionLevel::adapt;
  std::optional<Pressure> max_pressure;
  std::string note;
  std::vector<std::string> sources;
};

struct Evidence {
  EvidenceGrade grade = EvidenceGrade::anecdotal;
  std::string note;
  std::vector<std::string> sources;
};

struct Modality {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string summary;
  std::string description;
  PressureRange pressure;
  std::vector<std::string> techniques;  ///< Technique ids
  std::vector<std::string> tools;       ///< what the therapist works with
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
};

struct Technique {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string definition;
  std::vector<std::string> sources;
};

/// A rule that a condition sets for every modality, including ones added later.
struct ConditionRule {
  CautionLevel level = CautionLevel::adapt;
  std::optional<Pressure> max_pressure;
  std::string note;
};

struct Condition {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::string description;
  std::string guidance;
  std::optional<ConditionRule> every_modality;
  std::vector<std::string> sources;
};

struct Goal {
  std::string id;
  std::string name;
  std::string description;
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
};

struct RedFlag {
  std::string id;
  Urgency urgency = Urgency::urgent;
  std::string short_text;  ///< a few words, for compact lists
  std::string text;
  std::vector<std::string> sources;
};

struct Source {
  std::string id;
  Tier tier = Tier::C;
  std::string title;
  std::string url;
};

}  // namespace knots
