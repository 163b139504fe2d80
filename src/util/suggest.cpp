// Suggestions for mistyped names, from an edit distance over normalised keys.
#include "util/suggest.hpp"

#include <algorithm>
#include <numeric>

#include "util/text.hpp"

namespace knots {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    prev2.swap(prev);
    prev.swap(cur);
  }
  return prev[m];
}

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string key = lookup_key(word);
  // Nobody mistypes a word of more than 64 letters; comparing one with every word would be slow.
  if (key.empty() || key.size() > kMaxSuggestLength) return std::nullopt;
  // A third of the word's length, at least one and at most three edits.
  const std::size_t limit = std::clamp<std::size_t>(key.size() / 3, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::string other = lookup_key(candidate);
    // "trig" for "trigger-point": a prefix of three or more letters is as good as one edit.
    const bool prefix = key.size() >= 3 && other.starts_with(key);
    // Words whose lengths differ by more than the limit cannot be that close: skip the distance.
    const std::size_t gap = other.size() > key.size() ? other.size() - key.size() : key.size() - other.size();
    if (!prefix && gap > limit) continue;
    std::size_t distance = prefix ? (gap == 0 ? 0 : 1) : edit_distance(key, other);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::vector<std::string> suggestions(std::string_view word, const std::vector<std::string>& candidates) {
  auto guess = closest(word, candidates);
  return guess ? std::vector<std::string>{*guess} : std::vector<std::string>{};
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto guess = closest(word, candidates);
  return guess ? "; did you mean '" + *guess + "'?" : std::string();
}

}  // namespace knots
