// One knowledge-base file's text to model values, with the locations that later checks need.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "util/diagnostic.hpp"

namespace knots::load {

/// What a file holds, decided by its name: the vocabularies have fixed names, anything else is a
/// modality.
enum class FileKind { modality, techniques, conditions, goals, self_care, red_flags, sources };

FileKind kind_of_file(std::string_view path);

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// A reference from one entry to another (a technique id, a condition id …), checked once every
/// layer is merged.
enum class RefKind { technique, condition, goal, modality, source, red_flag };

struct Reference {
  RefKind kind;
  std::string id;
  Location at;
};

/// A name under which an entry can be found (id, name or alias), to catch clashes between entries.
struct NameSite {
  std::string text;
  Location at;
};

template <class T>
struct Parsed {
  T value;
  Location at;  ///< the entry's id
  std::vector<Reference> references;
  std::vector<NameSite> names;
};

struct ParsedFile {
  FileKind kind = FileKind::modality;
  std::vector<Parsed<Modality>> modalities;
  std::vector<Parsed<Technique>> techniques;
  std::vector<Parsed<Condition>> conditions;
  std::vector<Parsed<Goal>> goals;
  std::vector<Parsed<SelfCareTip>> self_care;
  std::vector<Parsed<RedFlag>> red_flags;
  std::vector<Parsed<Source>> sources;
};

/// Parses already byte-checked text. Every problem is appended to `out`; entries with problems
/// are still returned when they have an id, so that later checks can run on the rest.
ParsedFile parse_file(const std::string& file, FileKind kind, const std::string& text,
                      std::vector<Diagnostic>& out);

}  // namespace knots::load
