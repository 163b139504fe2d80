// The table of everyday search words: one row per thing people mean, kept here as data so that
// tests can read it and a new word is a new row.
#include "query/everyday.hpp"

#include <algorithm>
#include <array>

namespace knots {

const std::vector<EverydayWord>& everyday_words() {
  // clang-format off
  static const std::vector<EverydayWord> table = {
      // Parts of the back: what knots is about, so the back itself is found too.
      {{"shoulder blade", "upper back", "middle back", "mid back", "thoracic"}, Sense::area,
       {"back", "spine", "shoulder"}, {}},
      {{"lower back", "low back", "lumbar"}, Sense::area, {"back", "spine"}, {}},
      {{"neck"}, Sense::area, {"shoulder", "upper back"}, {}},
      {{"shoulder"}, Sense::area, {"shoulder blade", "neck", "upper back"}, {}},
      {{"back"}, Sense::area, {"spine"}, {}},
      // What people feel, in the knowledge base's words.
      {{"knot", "muscle knot", "trigger point"}, Sense::complaint, {"tender spot", "tight band", "tight muscle"}, {}},
      {{"stiff", "stiffness", "rigid"}, Sense::complaint, {"tight", "mobility", "flexibility", "range of movement"}, {}},
      {{"tension", "tense"}, Sense::complaint, {"tight", "stress", "relax"}, {}},
      {{"tight", "tightness"}, Sense::complaint, {"tension", "stiff"}, {}},
      {{"referred pain"}, Sense::complaint, {"send pain", "another area", "trigger point"}, {}},
      {{"sore", "soreness", "ache", "aching", "achy"}, Sense::complaint, {"pain", "tender"}, {}},
      {{"pain", "hurt", "painful"}, Sense::complaint, {"sore", "tender"}, {}},
      // Plain synonyms.
      {{"gentle", "soft"}, Sense::word, {"light"}, {}},
      {{"hard", "strong"}, Sense::word, {"deep", "firm"}, {}},
      {{"hot", "warm"}, Sense::word, {"heat"}, {}},
      {{"pregnant", "expecting"}, Sense::word, {"pregnancy"}, {}},
      // What knots does not cover, and what it says instead.
      {{"cheap", "price", "cost", "expensive", "afford", "money", "budget", "insurance"}, Sense::uncovered, {},
       "knots does not cover prices: ask the place you book what a session costs. Self-care such as "
       "keeping active, gentle stretching or a tennis ball costs little or nothing; knots recommend lists "
       "the self-care that suits you."},
      {{"near me", "nearby"}, Sense::uncovered, {},
       "knots does not know who offers massage near you: it helps you choose what to ask for when you book."},
  };
  // clang-format on
  return table;
}

bool is_filler(std::string_view word) {
  static constexpr std::array<std::string_view, 30> kFillers = {
      "a",   "about", "am",  "an",  "and",  "around", "at",  "between", "do",   "does",
      "for", "from",  "got", "has", "have", "i",      "im",  "in",      "is",   "it",
      "its", "me",    "my",  "of",  "on",   "or",     "the", "to",      "what", "with"};
  return std::binary_search(kFillers.begin(), kFillers.end(), word);
}

}  // namespace knots
