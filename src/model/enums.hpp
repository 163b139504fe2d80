// The closed vocabularies of the model (pressure, setting, levels, grades) and their names.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace knots {

/// Pressure on one scale everywhere: light < medium < firm < deep.
enum class Pressure { light, medium, firm, deep };
enum class Surface { table, mat, chair };
enum class Clothing { undressed, clothed, either };
/// Whether something (oil, heat) is part of a session.
enum class Usage { none, optional, used };
/// Whether a modality works on the back itself or reaches it indirectly (through the feet, say).
enum class BackContact { direct, indirect };
enum class Fit { some, strong };
/// How well a style or a self-care step reaches a knot in an area of the back.
enum class Reach { none, partly, well };
enum class CautionLevel { adapt, avoid };
enum class Relation { combines, complements, similar };
/// Ordered from weakest to strongest support for back pain and knots.
enum class EvidenceGrade { not_supported, anecdotal, mixed, limited, some };
enum class Urgency { emergency, urgent, soon };
enum class Tier { A, B, C };
/// Body areas a caution can keep the therapist away from.
enum class Area { back, neck, chest, abdomen, arms, legs, feet };
/// Parts of a session that a caution can take away.
enum class Part { heat, oil };

template <class E>
struct EnumNames;

#define KNOTS_ENUM_NAMES(E, ...)                                                  \
  template <>                                                                     \
  struct EnumNames<E> {                                                           \
    static constexpr auto names = std::to_array<std::string_view>({__VA_ARGS__}); \
  }

KNOTS_ENUM_NAMES(Pressure, "light", "medium", "firm", "deep");
KNOTS_ENUM_NAMES(Surface, "table", "mat", "chair");
KNOTS_ENUM_NAMES(Clothing, "undressed", "clothed", "either");
KNOTS_ENUM_NAMES(Usage, "none", "optional", "used");
KNOTS_ENUM_NAMES(BackContact, "direct", "indirect");
KNOTS_ENUM_NAMES(Fit, "some", "strong");
KNOTS_ENUM_NAMES(Reach, "none", "partly", "well");
KNOTS_ENUM_NAMES(CautionLevel, "adapt", "avoid");
KNOTS_ENUM_NAMES(Relation, "combines", "complements", "similar");
KNOTS_ENUM_NAMES(EvidenceGrade, "not-supported", "anecdotal", "mixed", "limited", "some");
KNOTS_ENUM_NAMES(Urgency, "emergency", "urgent", "soon");
KNOTS_ENUM_NAMES(Tier, "A", "B", "C");
KNOTS_ENUM_NAMES(Area, "back", "neck", "chest", "abdomen", "arms", "legs", "feet");
KNOTS_ENUM_NAMES(Part, "heat", "oil");
#undef KNOTS_ENUM_NAMES

/// The name of an enum value as written in the knowledge base and in JSON.
template <class E>
constexpr std::string_view name_of(E e) {
  return EnumNames<E>::names[static_cast<std::size_t>(e)];
}

/// Parses an exact name ("deep"); nothing else is accepted.
template <class E>
constexpr std::optional<E> enum_from(std::string_view text) {
  const auto& names = EnumNames<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

/// Everyday words for the pressure levels, gentlest first, as pressure_from_words() reads them (the
/// names themselves are read too). "Hard" is firm rather than deep: deep is the far end of the
/// scale, which people name by saying more ("very hard", "intense").
struct PressureWord {
  std::string_view word;
  Pressure level;
};
inline constexpr auto kPressureWords = std::to_array<PressureWord>({
    {"gentle", Pressure::light},
    {"soft", Pressure::light},
    {"very light", Pressure::light},
    {"very gentle", Pressure::light},
    {"very soft", Pressure::light},
    {"moderate", Pressure::medium},
    {"normal", Pressure::medium},
    {"average", Pressure::medium},
    {"hard", Pressure::firm},
    {"strong", Pressure::firm},
    {"heavy", Pressure::firm},
    {"very firm", Pressure::deep},
    {"very hard", Pressure::deep},
    {"very strong", Pressure::deep},
    {"intense", Pressure::deep},
    {"deepest", Pressure::deep},
});

/// A pressure level from its name or an everyday word for it (kPressureWords), in any case, with
/// spaces, hyphens or underscores alike: "Hard" -> firm, "very-hard" -> deep; nothing otherwise.
std::optional<Pressure> pressure_from_words(std::string_view text);

/// Every name of an enum, in order.
template <class E>
std::vector<std::string> names_of() {
  const auto& names = EnumNames<E>::names;
  return {names.begin(), names.end()};
}

/// A grade in plain words for people ("some evidence", "little evidence" …); JSON and files keep
/// the name. The strongest grade any entry has today is low-quality, short-term evidence, so none
/// of these words says "good".
std::string_view evidence_words(EvidenceGrade grade);

/// What a modality may target; a closed list so that a typo is caught.
inline constexpr std::array<std::string_view, 11> kTargets = {
    "superficial-muscle", "deep-muscle",     "connective-tissue", "trigger-points", "fascia",
    "energy-lines",       "pressure-points", "reflex-points",     "joints",         "skin",
    "lymph-vessels"};

/// A target in everyday words ("tender knots (trigger points)"); the id's words when it has none.
std::string target_words(std::string_view target);

/// "light–medium", or "firm" when both ends are the same.
std::string pressure_span(Pressure min, Pressure max);

}  // namespace knots
