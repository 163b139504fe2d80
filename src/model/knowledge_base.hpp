// The knowledge base: every entry, sorted by id, with lookup by id, name or alias.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/model.hpp"
#include "util/text.hpp"

namespace knots {

/// Lowercase letters, digits and single hyphens inside, like "deep-tissue": what an id must be.
bool is_valid_id(std::string_view id);

/// An id as words: "pain-relief" -> "pain relief".
std::string id_words(std::string_view id);

/// One kind of entry (modalities, techniques, …), sorted by id, found by id, name or alias.
template <class T>
class Catalog {
 public:
  Catalog() = default;
  explicit Catalog(std::vector<T> items);

  [[nodiscard]] const std::vector<T>& all() const { return items_; }
  [[nodiscard]] std::size_t size() const { return items_.size(); }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  /// By id, name or alias, in any case, with spaces, hyphens or underscores; nullptr if none.
  [[nodiscard]] const T* find(std::string_view name) const;
  /// The name of the entry with this id, or the id itself when there is none.
  [[nodiscard]] std::string name_or_id(std::string_view id) const {
    // if constexpr rather than a constraint: clang 14 instantiates constrained members anyway.
    if constexpr (requires(const T& t) { t.name; }) {
      const T* item = find(id);
      if (item) return item->name;
    }
    return std::string(id);
  }
  /// Every id, name and alias, as written, for suggestions and completion.
  [[nodiscard]] std::vector<std::string> names() const;

  /// The same entries in the same order (the index follows from them).
  bool operator==(const Catalog& other) const { return items_ == other.items_; }

 private:
  std::vector<T> items_;
  std::unordered_map<std::string, std::size_t> index_;
};

struct KnowledgeBase {
  Catalog<Modality> modalities;
  Catalog<Technique> techniques;
  Catalog<Condition> conditions;
  Catalog<Goal> goals;
  Catalog<SelfCareTip> self_care;
  Catalog<RedFlag> red_flags;
  Catalog<Source> sources;

  bool operator==(const KnowledgeBase&) const = default;
};

extern template class Catalog<Modality>;
extern template class Catalog<Technique>;
extern template class Catalog<Condition>;
extern template class Catalog<Goal>;
extern template class Catalog<SelfCareTip>;
extern template class Catalog<RedFlag>;
extern template class Catalog<Source>;

}  // namespace knots
