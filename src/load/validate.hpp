// The checks that are not a schema, in one place: each entry on its own once it is read (pressure
// min ≤ max, what only an adapt rule may say, one caution per condition, core techniques among its
// techniques), then the merged knowledge base as a whole (clashing names, references that go
// nowhere). The schema itself (keys, kinds, required fields, vocabularies) is each type's
// description, read by parse.cpp.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "load/parse.hpp"

namespace knots::load {

/// Checks one entry just read; may drop what it refuses (a core technique that is not one of the
/// modality's techniques), so that the value stays consistent.
template <class T>
void validate_entry(Parsed<T>& entry, const Sites& sites, std::vector<Diagnostic>& out);

/// The entries of one kind from every layer, by id, with the layer each came from.
template <class T>
struct Merged {
  std::map<std::string, std::pair<Parsed<T>, std::size_t>> by_id;
};

template <class Kinds>
struct MergedOf;
template <class... K>
struct MergedOf<std::tuple<K...>> {
  using type = std::tuple<Merged<typename K::Entry>...>;
};
/// Every kind, merged (kEntryKinds order).
using Catalogs = MergedOf<std::remove_const_t<decltype(kEntryKinds)>>::type;

/// Across entries: two entries of one kind must not share an id, name or alias, and every
/// reference must name an entry that exists.
void validate_catalogs(const Catalogs& catalogs, std::vector<Diagnostic>& out);

}  // namespace knots::load
