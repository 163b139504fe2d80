// Names for the model's enums that need more than a table.
#include "model/enums.hpp"

namespace knots {

std::string pressure_span(Pressure min, Pressure max) {
  if (min == max) return std::string(name_of(min));
  return std::string(name_of(min)) + "\u2013" + std::string(name_of(max));
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
