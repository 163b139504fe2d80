// Lookup in the knowledge base: one normalised key for every id, name and alias.
#include "model/knowledge_base.hpp"

#include <algorithm>
#include <unordered_set>

namespace knots {

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string id_words(std::string_view id) {
  std::string out(id);
  std::replace(out.begin(), out.end(), '-', ' ');
  return out;
}

namespace {

template <class T>
std::vector<std::string_view> keys_of(const T& item) {
  std::vector<std::string_view> keys{item.id};
  if constexpr (requires { item.name; }) keys.push_back(item.name);
  if constexpr (requires { item.aliases; }) {
    for (const auto& alias : item.aliases) keys.push_back(alias);
  }
  return keys;
}

}  // namespace

template <class T>
Catalog<T>::Catalog(std::vector<T> items) : items_(std::move(items)) {
  // Already sorted when it comes from the cache: checking is cheaper than sorting again.
  const auto by_id = [](const T& a, const T& b) { return a.id < b.id; };
  if (!std::is_sorted(items_.begin(), items_.end(), by_id))
    std::stable_sort(items_.begin(), items_.end(), by_id);
}

template <class T>
const std::unordered_map<std::string, std::size_t>& Catalog<T>::index() const {
  if (!index_) index_ = std::make_unique<Index>();  // moved from, and used again
  std::call_once(index_->made, [this] {
    auto& keys = index_->keys;
    // Ids win over names and aliases, so they are indexed first.
    for (std::size_t i = 0; i < items_.size(); ++i) keys.emplace(lookup_key(items_[i].id), i);
    for (std::size_t i = 0; i < items_.size(); ++i) {
      for (auto key : keys_of(items_[i])) keys.emplace(lookup_key(key), i);
    }
  });
  return index_->keys;
}

template <class T>
const T* Catalog<T>::find(std::string_view name) const {
  const auto& keys = index();
  auto it = keys.find(lookup_key(name));
  return it == keys.end() ? nullptr : &items_[it->second];
}

template <class T>
std::vector<std::string> Catalog<T>::names() const {
  std::vector<std::string> out;
  for (const auto& item : items_) {
    for (auto key : keys_of(item)) out.emplace_back(key);
  }
  return out;
}

template <class T>
std::vector<std::pair<std::string, std::uint32_t>> Catalog<T>::keys() const {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  out.reserve(index().size());
  for (const auto& [key, place] : index()) out.emplace_back(key, static_cast<std::uint32_t>(place));
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

/// The most words any id, name or alias of `catalog` has: no longer run of words is looked up.
template <class T>
std::size_t most_words(const Catalog<T>& catalog) {
  std::size_t most = 1;
  for (const auto& name : catalog.names()) {
    const std::string key = lookup_key(name);
    most = std::max<std::size_t>(most, 1 + static_cast<std::size_t>(std::count(key.begin(), key.end(), '-')));
  }
  return most;
}

/// Reads runs of words as names of one catalog, remembering where no reading can start.
template <class T>
class WordReader {
 public:
  WordReader(const Catalog<T>& catalog, const std::vector<std::string>& words)
      : catalog_(catalog), words_(words), most_(most_words(catalog)) {}

  /// The names that start at word `i`, longest first: where each ends and what it names.
  [[nodiscard]] std::vector<std::pair<std::size_t, const T*>> names_at(std::size_t i) const {
    std::vector<std::pair<std::size_t, const T*>> found;
    std::string run;
    for (std::size_t end = i; end < words_.size() && end - i < most_; ++end) {
      // A quoted name (it holds a space) is never joined to its neighbours.
      if (end > i && (quoted(end) || quoted(i))) break;
      run += (end > i ? " " : "") + words_[end];
      if (const T* entry = catalog_.find(run)) found.emplace_back(end + 1, entry);
    }
    std::reverse(found.begin(), found.end());
    return found;
  }

  /// Adds the readings of the words from `i` on to `out`, after `so_far`; true when any exists.
  bool read(std::size_t i, Reading<T>& so_far, std::vector<Reading<T>>& out, std::size_t limit) {
    if (i == words_.size()) {
      const bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const Reading<T>& r) { return r.entries == so_far.entries; });
      if (!seen && out.size() < limit) out.push_back(so_far);
      return true;
    }
    if (dead_.contains(i)) return false;
    bool any = false;
    for (const auto& [end, entry] : names_at(i)) {
      if (out.size() >= limit) return true;
      so_far.entries.push_back(entry);
      so_far.names.push_back(
          joined(std::vector<std::string>(words_.begin() + static_cast<std::ptrdiff_t>(i),
                                          words_.begin() + static_cast<std::ptrdiff_t>(end)),
                 " "));
      any = read(end, so_far, out, limit) || any;
      so_far.entries.pop_back();
      so_far.names.pop_back();
    }
    if (!any) dead_.insert(i);
    return any;
  }

 private:
  [[nodiscard]] bool quoted(std::size_t i) const { return words_[i].find(' ') != std::string::npos; }

  const Catalog<T>& catalog_;
  const std::vector<std::string>& words_;
  std::size_t most_;
  std::unordered_set<std::size_t> dead_;
};

}  // namespace

template <class T>
std::vector<Reading<T>> readings(const Catalog<T>& catalog, const std::vector<std::string>& words,
                                 std::size_t limit) {
  std::vector<Reading<T>> out;
  if (words.empty()) return out;
  WordReader<T> reader(catalog, words);
  Reading<T> so_far;
  reader.read(0, so_far, out, limit);
  return out;
}

template <class T>
std::pair<std::size_t, std::size_t> unread_words(const Catalog<T>& catalog,
                                                 const std::vector<std::string>& words) {
  const WordReader<T> reader(catalog, words);
  const std::size_t n = words.size();
  // Where a reading from the start can get to, and from where a reading can finish.
  std::vector<bool> reached(n + 1, false), finishes(n + 1, false);
  reached[0] = true;
  for (std::size_t i = 0; i < n; ++i) {
    if (!reached[i]) continue;
    for (const auto& [end, entry] : reader.names_at(i)) reached[end] = true;
  }
  finishes[n] = true;
  for (std::size_t i = n; i-- > 0;) {
    for (const auto& [end, entry] : reader.names_at(i)) finishes[i] = finishes[i] || finishes[end];
  }
  std::size_t begin = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (reached[i]) begin = i;
  }
  std::size_t end = begin + 1;
  while (end < n && !finishes[end]) ++end;
  return {begin, end};
}

template class Catalog<Modality>;
template class Catalog<Technique>;
template class Catalog<Condition>;
template class Catalog<Goal>;
template class Catalog<SelfCareTip>;
template class Catalog<RedFlag>;
template class Catalog<KnotArea>;
template class Catalog<GuideTopic>;
template class Catalog<Source>;
template class Catalog<Synonym>;
template std::vector<Reading<Modality>> readings(const Catalog<Modality>&, const std::vector<std::string>&,
                                                 std::size_t);
template std::pair<std::size_t, std::size_t> unread_words(const Catalog<Modality>&,
                                                          const std::vector<std::string>&);

}  // namespace knots
