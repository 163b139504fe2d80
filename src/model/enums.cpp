// Names for the model's enums that need more than a table.
#include "model/enums.hpp"

#include <utility>
#include "util/text.hpp"

namespace knots {

std::string pressure_span(Pressure min, Pressure max) {
  if (min == max) return std::string(name_of(min));
  return std::string(name_of(min)) + "\u2013" + std::string(name_of(max));
}

std::string target_words(std::string_view target) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, kTargets.size()> kWords = {{
      {"superficial-muscle", "the muscles near the surface"},
      {"deep-muscle", "the deeper layers of muscle"},
      {"connective-tissue", "the tissue that wraps and links the muscles"},
      {"trigger-points", "tender knots (trigger points)"},
      {"fascia", "the fascia, the thin sheath around the muscles"},
      {"energy-lines", "the lines its tradition treats as energy channels"},
      {"pressure-points", "pressure points"},
      {"reflex-points", "points on the feet, hands or ears (reflex points)"},
      {"joints", "the joints"},
      {"skin", "the skin and the tissue just under it"},
      {"lymph-vessels", "the lymph vessels just under the skin"},
  }};
  for (const auto& [id, words] : kWords) {
    if (id == target) return std::string(words);
  }
  std::string out(target);
  for (char& c : out) c = c == '-' ? ' ' : c;
  return out;
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
