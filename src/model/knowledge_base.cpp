// Lookup in the knowledge base: one normalised key for every id, name and alias.
#include "model/knowledge_base.hpp"

#include <algorithm>

namespace knots {

bool is_invisible(char32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x180E ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0;
}

namespace {

/// The length of the invisible character that starts at `i` (two or three bytes of UTF-8), or 0.
std::size_t invisible_at(std::string_view text, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  if (b(0) >= 0xC2 && b(0) <= 0xDF && i + 1 < text.size() && (b(1) & 0xC0) == 0x80) {
    return is_invisible(static_cast<char32_t>(((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu))) ? 2 : 0;
  }
  if (b(0) >= 0xE0 && b(0) <= 0xEF && i + 2 < text.size() && (b(1) & 0xC0) == 0x80 && (b(2) & 0xC0) == 0x80) {
    return is_invisible(
               static_cast<char32_t>(((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu)))
               ? 3
               : 0;
  }
  return 0;
}

}  // namespace

std::string lookup_key(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  bool separator = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0xC2) {
      if (const std::size_t n = invisible_at(text, i)) {
        i += n - 1;
        continue;
      }
    }
    if (c == ' ' || c == '_' || c == '-' || c == '\t') {
      separator = !key.empty();
      continue;
    }
    if (separator) key.push_back('-');
    separator = false;
    key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return key;
}

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
