// A model value as a knowledge-base file (YAML), following its description: the `knots new`
// template is a sample modality written out this way, so it has every key the format knows.
#pragma once

#include <map>
#include <string>

#include "model/model.hpp"

namespace knots::render {

/// Comments for the keys of a file, by path ("pressure", "setting/clothing"); keys without one
/// get the values they allow (enums, closed lists) or nothing.
using KeyNotes = std::map<std::string, std::string, std::less<>>;

/// A template modality file: every described key in order, each required one with the placeholder
/// (kPlaceholder) for its value except the texts, which are the sample's own (its placeholder
/// sentences), and the id and name; an empty list of mappings followed by a commented example of
/// one; comments from `notes` or from the values a key allows. The loader refuses a placeholder
/// left in a file, so the author has to replace every one.
std::string modality_template(const Modality& modality, const KeyNotes& notes);

/// A word as a YAML value that reads back as that string: "null" unquoted would be a null, "true"
/// a boolean and "123" a number to other YAML readers, so those are quoted, as is anything YAML
/// would read as syntax.
std::string yaml_scalar(const std::string& text);

}  // namespace knots::render
