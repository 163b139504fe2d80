// knots search: ranked full-text search over every kind of entry (modalities, techniques,
// conditions, red flags, self-care, goals, guide topics, areas of the back and sources), in the
// words people use.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/knowledge_base.hpp"

namespace knots {

/// What a hit is; a guide topic ("topic") is read with `knots guide ID`.
enum class HitKind { modality, technique, condition, red_flag, self_care, goal, topic, area, source };
template <>
struct EnumNames<HitKind> {
  static constexpr auto names = std::to_array<std::string_view>(
      {"modality", "technique", "condition", "red-flag", "self-care", "goal", "topic", "area", "source"});
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
  /// A warning sign that the query names ("pins and needles", "chest pain"): listed apart, before
  /// every other hit, whatever its score.
  bool aside = false;
};

/// A word of the query that matched nothing, and the word of the knowledge base it was read as.
struct ReadAs {
  std::string typed;
  std::string read;
};

/// Whether an entry must hold every word of the query (`all`) or is ranked by how well it matches
/// (`any`, the default: the words that match count, weighed by how rare they are).
enum class Match { any, all };

struct SearchQuery {
  std::vector<std::string> terms;  ///< the words as given; each may hold several
  Match match = Match::any;
  std::size_t top = 10;  ///< hits kept after the warning signs; 0 keeps them all
};

struct SearchResult {
  std::vector<SearchHit> hits;     ///< warning signs the query names first; then by score, kind, id
  std::size_t total = 0;           ///< hits before `top` cut the list
  std::vector<ReadAs> read_as;     ///< mistyped words, and what they were read as
  std::vector<std::string> hints;  ///< when nothing matched: the closest words in the knowledge base
  std::vector<std::string> notes;  ///< what knots says about a subject it does not cover ("price")
};

/// The first this many words that match nothing are read as the closest word of the knowledge
/// base; when nothing matched at all, as many get a closest word as a hint.
inline constexpr std::size_t kMaxHintedWords = 8;

/// The Snowball (Porter 2) English stem of a lowercase word: "kneading" -> "knead",
/// "stones" -> "stone", "released" -> "releas".
std::string stem(std::string_view word);

/// Whether a lowercase word is an English stop word ("the", "between", "my", "does"), left out of
/// a query that has other words.
bool is_stop_word(std::string_view word);

/// The search index of a knowledge base: every word, and every entry's fields as words, so that a
/// search reads the text of only the entries it shows. Made when the model is cached, and kept
/// with it.
std::string search_index(const KnowledgeBase& kb);

/// Gives a knowledge base whose catalog of each kind holds every entry or exactly the selected
/// ones (in their order); it must stay valid until search() returns.
using SearchFetch = std::function<const KnowledgeBase&(const Selection&)>;

/// search() over an index made by search_index() from the knowledge base that `fetch` reads:
/// only the entries shown are read (and the synonyms and techniques). Bytes that are not such an
/// index are ignored, and the index made again from every entry.
SearchResult search(std::string_view index, const SearchFetch& fetch, const SearchQuery& query);

/// Ranks every entry by BM25F over its fields (names and aliases weigh most). A query's words are
/// read against the synonyms vocabulary (kb/synonyms.yaml) longest phrase first, so that everyday
/// words also find the knowledge base's words for the same thing; a word found nowhere is read as
/// the closest word of the knowledge base, and the result says so. The index is made here, from
/// `kb`: a large knowledge base reads the one kept with the cache instead (the overload above).
SearchResult search(const KnowledgeBase& kb, const SearchQuery& query);

}  // namespace knots
