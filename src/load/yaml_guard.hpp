// The structural pass over a file's YAML events, before yaml-cpp builds any node tree.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.hpp"

namespace knots::load {

/// Bounds on what one knowledge-base file may hold. The shipped files stay far below them
/// (depth 4, a few hundred values); they exist so that a hostile file costs little to refuse.
struct StructureLimits {
  int max_depth = 16;                        ///< lists and mappings inside each other
  std::size_t max_nodes = 100'000;           ///< texts, lists and mappings in the whole file
  std::size_t max_scalar_bytes = 64 * 1024;  ///< one text, after YAML has decoded it
};

/// Streams byte-checked `text` through yaml-cpp's event parser and refuses what the node tree
/// would hide or make costly: nesting deeper than the limit, anchors and aliases (billion laughs,
/// cycles), duplicate keys (`a` and `"a"` are the same key), lists or mappings as keys, more than
/// one document or text after the first one, too many nodes, too long texts, and any value left
/// as the `knots new` template's placeholder (kPlaceholder). YAML syntax errors are reported with
/// the parser's position, in plain words (explain_yaml_error). Appends one diagnostic per problem
/// (file:line:col, 1-based) and returns true when there was none, so that the text may be loaded.
bool check_structure(const std::string& file, const std::string& text, std::vector<Diagnostic>& out,
                     const StructureLimits& limits = {});

/// yaml-cpp's message for a syntax error at (0-based) `line` and `column` of `text` (line -1
/// when it has no position), as a sentence a person can act on: "inconsistent indentation: this
/// line is indented 3 spaces, the line before 2; …". yaml-cpp's own wording never reaches the user.
std::string explain_yaml_error(std::string_view message, int line, int column, std::string_view text);

}  // namespace knots::load
