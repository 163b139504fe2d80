// "Did you mean …": the closest known name to a mistyped one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace knots {

/// Edit distance with transpositions (optimal string alignment), on bytes.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Longer words get no suggestion.
inline constexpr std::size_t kMaxSuggestLength = 64;

/// The candidate closest to `word` (compared as lookup keys), if it is close enough to be a
/// plausible typo or a prefix of it; ties go to the earlier candidate.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

/// The names to suggest for `word`: the closest one (closest()), or none. What scripts read in a
/// JSON error's "suggestions"; did_you_mean() says the same in words.
std::vector<std::string> suggestions(std::string_view word, const std::vector<std::string>& candidates);

/// "; did you mean 'x'?" or "" — the tail of an error message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace knots
