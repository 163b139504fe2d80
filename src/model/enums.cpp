// Names for the model's enums that need more than a table.
#include "model/enums.hpp"

#include "util/text.hpp"

namespace knots {

std::string pressure_span(Pressure min, Pressure max) {
  if (min == max) return std::string(name_of(min));
  return std::string(name_of(min)) + "\u2013" + std::string(name_of(max));
}

std::optional<Pressure> pressure_from_words(std::string_view text) {
  const std::string key = lookup_key(text);
  if (auto level = enum_from<Pressure>(key)) return level;
  for (const auto& [word, level] : kPressureWords) {
    if (lookup_key(word) == key) return level;
  }
  return std::nullopt;
}

std::string_view evidence_words(EvidenceGrade grade) {
  switch (grade) {
    case EvidenceGrade::some:
      return "some evidence";
    case EvidenceGrade::limited:
      return "little evidence";
    case EvidenceGrade::mixed:
      return "mixed evidence";
    case EvidenceGrade::anecdotal:
      return "no evidence";
    case EvidenceGrade::not_supported:
      return "not shown to work";
  }
  return "no evidence";
}

}  // namespace knots
