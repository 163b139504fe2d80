// Lookup in the knowledge base: one normalised key for every id, name and alias.
#include "model/knowledge_base.hpp"

#include <algorithm>

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
  // Ids win over names and aliases, so they are indexed first.
  for (std::size_t i = 0; i < items_.size(); ++i) index_.emplace(lookup_key(items_[i].id), i);
  for (std::size_t i = 0; i < items_.size(); ++i) {
    for (auto key : keys_of(items_[i])) index_.emplace(lookup_key(key), i);
  }
}

template <class T>
const T* Catalog<T>::find(std::string_view name) const {
  auto it = index_.find(lookup_key(name));
  return it == index_.end() ? nullptr : &items_[it->second];
}

template <class T>
std::vector<std::string> Catalog<T>::names() const {
  std::vector<std::string> out;
  for (const auto& item : items_) {
    for (auto key : keys_of(item)) out.emplace_back(key);
  }
  return out;
}

template class Catalog<Modality>;
template class Catalog<Technique>;
template class Catalog<Condition>;
template class Catalog<Goal>;
template class Catalog<SelfCareTip>;
template class Catalog<RedFlag>;
template class Catalog<Source>;

}  // namespace knots
