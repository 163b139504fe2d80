// The knowledge base: every entry, sorted by id, with lookup by id, name or alias.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
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
  // A copy makes its index again, when first needed; a move takes it along, with the entries it
  // points into, and leaves an empty catalog that makes a new one.
  Catalog(const Catalog& other) : items_(other.items_) {}
  Catalog(Catalog&& other) noexcept
      : items_(std::move(other.items_)), index_(std::exchange(other.index_, nullptr)) {
    other.items_.clear();
  }
  Catalog& operator=(const Catalog& other) {
    if (this != &other) *this = Catalog(other);
    return *this;
  }
  Catalog& operator=(Catalog&& other) noexcept {
    items_ = std::move(other.items_);
    other.items_.clear();
    index_ = std::exchange(other.index_, nullptr);
    return *this;
  }
  ~Catalog() = default;

  [[nodiscard]] const std::vector<T>& all() const { return items_; }
  [[nodiscard]] std::size_t size() const { return items_.size(); }
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
  /// Every key find() knows (the lookup_key of an id, name or alias) with the place in all() of the
  /// entry it finds, sorted by key: what the cache keeps to find one entry without the others.
  [[nodiscard]] std::vector<std::pair<std::string, std::uint32_t>> keys() const;

  /// The same entries in the same order (the index follows from them).
  bool operator==(const Catalog& other) const { return items_ == other.items_; }

 private:
  /// The lookup_key of every id, name and alias, with the place of its entry: made on the first
  /// find() (by whichever thread gets there first), since a run that finds nothing in a catalog
  /// should not pay for it; a thousandth of a second, at start-up, for the shipped knowledge base.
  struct Index {
    std::once_flag made;
    std::unordered_map<std::string, std::size_t> keys;
  };
  const std::unordered_map<std::string, std::size_t>& index() const;

  std::vector<T> items_;
  mutable std::unique_ptr<Index> index_ = std::make_unique<Index>();  ///< none only when moved from
};

/// One way to read a run of words as names of a catalog: the entries named, in order, and the
/// words that name each (joined by spaces).
template <class T>
struct Reading {
  std::vector<const T*> entries;
  std::vector<std::string> names;
};

/// The ways `words` read as consecutive names of `catalog` (ids, names or aliases, as find() takes
/// them), longest names first: "deep tissue thai" is deep-tissue, thai. A word that holds a space
/// was quoted, so it names an entry on its own. At most `limit` readings, each naming a different
/// list of entries; none when some words name nothing (see unread_words()).
template <class T>
std::vector<Reading<T>> readings(const Catalog<T>& catalog, const std::vector<std::string>& words,
                                 std::size_t limit);

/// When `words` do not read as names (readings() is empty): the first words that no reading gets
/// past, as [begin, end), ending where the rest reads again or at the last word. "deep tisue
/// thai" -> {0, 2}, "deep tisue".
template <class T>
std::pair<std::size_t, std::size_t> unread_words(const Catalog<T>& catalog,
                                                 const std::vector<std::string>& words);

struct KnowledgeBase {
  Catalog<Modality> modalities;
  Catalog<Technique> techniques;
  Catalog<Condition> conditions;
  Catalog<Goal> goals;
  Catalog<SelfCareTip> self_care;
  Catalog<RedFlag> red_flags;
  Catalog<KnotArea> areas;
  Catalog<GuideTopic> guide;
  Catalog<Source> sources;
  Catalog<Synonym> synonyms;

  bool operator==(const KnowledgeBase&) const = default;
};

/// One kind of entry: which files hold it, what it is called, and where the knowledge base keeps
/// it. The table below drives the loader (which file is which, merging, checks) and the cache.
template <class T>
struct EntryKind {
  using Entry = T;
  std::string_view file;    ///< the vocabulary file's name; "" for modalities (one per file, any name)
  std::string_view word;    ///< one entry, in messages: "self-care tip"
  std::string_view plural;  ///< "self-care tips"
  Catalog<T> KnowledgeBase::*catalog;
  std::optional<RefKind> ref;  ///< what a reference to it is, if it can be referred to
  bool unique_names = true;    ///< its ids, names and aliases must not clash (sources: ids only)
};

inline constexpr auto kEntryKinds = std::make_tuple(
    EntryKind<Modality>{"", "modality", "modalities", &KnowledgeBase::modalities, RefKind::modality},
    EntryKind<Technique>{"techniques.yaml", "technique", "techniques", &KnowledgeBase::techniques,
                         RefKind::technique},
    EntryKind<Condition>{"conditions.yaml", "condition", "conditions", &KnowledgeBase::conditions,
                         RefKind::condition},
    EntryKind<Goal>{"goals.yaml", "goal", "goals", &KnowledgeBase::goals, RefKind::goal},
    EntryKind<SelfCareTip>{"self-care.yaml", "self-care tip", "self-care tips", &KnowledgeBase::self_care,
                           RefKind::self_care},
    EntryKind<RedFlag>{"red-flags.yaml", "red flag", "red flags", &KnowledgeBase::red_flags,
                       RefKind::red_flag},
    EntryKind<KnotArea>{"areas.yaml", "area", "areas", &KnowledgeBase::areas, RefKind::area},
    EntryKind<GuideTopic>{"guide.yaml", "guide topic", "guide topics", &KnowledgeBase::guide, RefKind::topic},
    EntryKind<Source>{"sources.yaml", "source", "sources", &KnowledgeBase::sources, RefKind::source, false},
    EntryKind<Synonym>{"synonyms.yaml", "synonym", "synonyms", &KnowledgeBase::synonyms, std::nullopt});

/// The number of kinds, and a kind's place in the table.
inline constexpr std::size_t kKindCount = std::tuple_size_v<decltype(kEntryKinds)>;

/// Calls `f(kind)` for each kind of entry, in the table's order.
template <class F>
constexpr void for_each_kind(F&& f) {
  std::apply([&](const auto&... kind) { (f(kind), ...); }, kEntryKinds);
}

/// The place of the kind whose entries are of type `T` in kEntryKinds.
template <class T>
constexpr std::size_t kind_index() {
  std::size_t place = kKindCount, i = 0;
  for_each_kind([&](const auto& kind) {
    if (std::is_same_v<typename std::remove_cvref_t<decltype(kind)>::Entry, T>) place = i;
    ++i;
  });
  return place;
}

/// Some of the entries of a knowledge base, for a command that reads a few of a large one: per
/// kind (in kEntryKinds' order), every entry, or those at these places in its catalog (sorted by
/// id), sorted and without repeats.
struct Selection {
  std::array<bool, kKindCount> whole{};
  std::array<std::vector<std::uint32_t>, kKindCount> places;

  /// Every entry of every kind.
  static Selection everything() {
    Selection s;
    s.whole.fill(true);
    return s;
  }
};

/// True for the name of a vocabulary file ("techniques.yaml"), the one file of its kind in a folder.
constexpr bool is_vocabulary_file(std::string_view name) {
  bool found = false;
  for_each_kind([&](const auto& kind) { found = found || (!kind.file.empty() && kind.file == name); });
  return found;
}

/// The word for what a reference points to: "technique", "red flag".
constexpr std::string_view ref_word(RefKind ref) {
  std::string_view word;
  for_each_kind([&](const auto& kind) {
    if (kind.ref == ref) word = kind.word;
  });
  return word;
}

extern template class Catalog<Modality>;
extern template class Catalog<Technique>;
extern template class Catalog<Condition>;
extern template class Catalog<Goal>;
extern template class Catalog<SelfCareTip>;
extern template class Catalog<RedFlag>;
extern template class Catalog<KnotArea>;
extern template class Catalog<GuideTopic>;
extern template class Catalog<Source>;
extern template class Catalog<Synonym>;

}  // namespace knots
