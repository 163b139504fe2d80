// knots search: ranked full-text search over every kind of entry: modalities, techniques,
// conditions, red flags, self-care, goals and guide topics.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

/// What a hit is; a guide topic ("topic") is read with `knots guide ID`.
enum class HitKind { modality, technique, condition, red_flag, self_care, goal, topic };
template <>
struct EnumNames<HitKind> {
  static constexpr auto names = std::to_array<std::string_view>(
      {"modality", "technique", "condition", "red-flag", "self-care", "goal", "topic"});
};

struct SearchHit {
  HitKind kind = HitKind::modality;
  std::string id;
  std::string name;
  double score = 0;     ///< one decimal
  std::string field;    ///< the key of the field shown: "name", "summary", "helps_knots" …
  std::string label;    ///< the same for people: "name", "summary", "how it helps knots" …
  std::string snippet;  ///< part of that field around the match ("…" where cut)
  std::vector<std::pair<std::size_t, std::size_t>> marks;  ///< (offset, length) of matches in snippet
  /// A warning sign or health condition found by everyday words only ("knot", "back pain"):
  /// listed after what helps, never dropped.
  bool aside = false;
};

struct SearchResult {
  std::vector<SearchHit> hits;     ///< those not aside first; then by score, then kind, then id
  std::vector<std::string> hints;  ///< when nothing matched: the closest words in the knowledge base
  std::vector<std::string> notes;  ///< what knots says about a subject it does not cover ("price")
};

/// When nothing matched, the first this many words of the query get a closest word.
inline constexpr std::size_t kMaxHintedWords = 8;

/// The Snowball (Porter 2) English stem of a lowercase word: "kneading" -> "knead",
/// "stones" -> "stone", "released" -> "releas".
std::string stem(std::string_view word);

/// Every word must match (a word matches its stem, or the start of a longer word) unless `any`.
/// Everyday words (everyday.hpp) also find the knowledge base's words for the same thing, and
/// linking words ("the", "between") are left out.
SearchResult search(const KnowledgeBase& kb, const std::vector<std::string>& terms, bool any);

}  // namespace knots
