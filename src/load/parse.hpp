// One knowledge-base file's text to model values, with the locations that later checks need.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "model/knowledge_base.hpp"
#include "util/diagnostic.hpp"

namespace knots::load {

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// A line and column in the file its entry was read from (the entry's Parsed::at names it): what a
/// reference or a name keeps, since an entry has dozens and the file's name is the same for all (at
/// 10,000 modalities, a copy of it in each took a fifth of the memory of a first run).
struct Place {
  int line = 0;
  int column = 0;
  static Place of(const Location& at) { return {at.line, at.column}; }
  [[nodiscard]] Location in(const std::string& file) const { return {file, line, column}; }
};

/// A reference from one entry to another (a technique id, a condition id …), checked once every
/// layer is merged.
struct Reference {
  RefKind kind;
  std::string id;
  Place at;
};

/// A name under which an entry can be found (id, name or alias), to catch clashes between entries.
struct NameSite {
  std::string text;
  Place at;
};

/// Where each value of an entry was read, by its path in the entry: "pressure", "pressure/min",
/// "cautions#1", "cautions#1/level", "core_techniques#0". A value that could not be read (a wrong
/// kind, an unknown word) has no site, so later checks can tell it from one that was read. Kept
/// only while the entry is read and checked (validate.hpp), so it holds no file name per site.
class Sites {
 public:
  explicit Sites(std::string file) : file_(std::move(file)) {}
  void add(std::string path, const Location& at) { sites_.push_back({std::move(path), at.line, at.column}); }
  /// The value's location, or nothing when it was absent or could not be read.
  [[nodiscard]] std::optional<Location> find(std::string_view path) const {
    for (const auto& site : sites_) {
      if (site.path == path) return Location{file_, site.line, site.column};
    }
    return std::nullopt;
  }

 private:
  struct Site {
    std::string path;
    int line = 0;
    int column = 0;
  };
  std::string file_;
  std::vector<Site> sites_;
};

template <class T>
struct Parsed {
  T value;
  Location at;       ///< the entry's id, or its first line
  std::string what;  ///< the entry in messages: "modality 'swedish'"
  std::vector<Reference> references;
  std::vector<NameSite> names;
};

/// One list of parsed entries per kind of entry (kEntryKinds), in the table's order.
template <class Kinds>
struct ParsedLists;
template <class... K>
struct ParsedLists<std::tuple<K...>> {
  using type = std::tuple<std::vector<Parsed<typename K::Entry>>...>;
};
using ParsedFile = ParsedLists<std::remove_const_t<decltype(kEntryKinds)>>::type;

/// The entries of one kind in a parsed file.
template <class T>
std::vector<Parsed<T>>& entries(ParsedFile& file) {
  return std::get<std::vector<Parsed<T>>>(file);
}

/// Parses already byte-checked text; the file's name says what it holds (kEntryKinds). Every
/// problem is appended to `out`; entries with problems are still returned when they have an id,
/// so that later checks can run on the rest.
ParsedFile parse_file(const std::string& file, const std::string& text, std::vector<Diagnostic>& out);

}  // namespace knots::load
