// The everyday words people type into search, and what they mean in the knowledge base's words.
#pragma once

#include <string_view>
#include <vector>

namespace knots {

/// What an everyday word is about, which decides how search treats it.
enum class Sense {
  area,       ///< a part of the back ("shoulder blades", "neck"): finds the back too
  complaint,  ///< what people feel ("knot", "stiff", "sore"): finds what helps first
  word,       ///< a plain synonym ("gentle" for light pressure)
  uncovered,  ///< a subject knots does not cover ("price"): answered by a note, never searched
};

/// One row of the table: the forms people type, the knowledge base's words for the same thing,
/// and for a subject knots does not cover, what knots says instead.
struct EverydayWord {
  std::vector<std::string_view> typed;  ///< lowercase words or phrases, matched by their stems
  Sense sense = Sense::word;
  std::vector<std::string_view> means;  ///< also found, ranked below what was typed
  std::string_view note;                ///< for Sense::uncovered only
};

/// The whole table. A query's words are read against it longest phrase first.
const std::vector<EverydayWord>& everyday_words();

/// Whether a lowercase word only links others ("the", "between", "my") and is left out of a
/// search that has other words.
bool is_filler(std::string_view word);

}  // namespace knots
