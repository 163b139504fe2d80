// The one pass over a file's YAML events: the structural checks, and the tree the model is read from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

/// A file's YAML as the structural pass read it: every value, list and mapping in document order,
/// each with the line and column yaml-cpp gave it. The model is read from this tree, so yaml-cpp
/// parses each file once; the tree holds no anchors, aliases or tags (the pass refuses the first
/// two and drops the third: `a`, "a" and !!str a are the same text).
class YamlTree {
 public:
  enum class Type : unsigned char { null, scalar, sequence, map };

 private:
  friend class TreeBuilder;
  static constexpr std::uint32_t kNone = 0xffffffff;
  struct Item {
    Type type = Type::null;
    int line = -1;
    int column = -1;
    std::uint32_t next = kNone;  ///< the next node under the same parent
    std::uint32_t children = 0;  ///< nodes right under this one (a mapping's keys and values)
    std::string scalar;
  };

 public:
  /// One node: a view into the tree, cheap to copy, valid while the tree lives.
  class Node {
   public:
    Node(const YamlTree& tree, std::uint32_t index) : tree_(&tree), index_(index) {}
    [[nodiscard]] Type type() const { return item().type; }
    [[nodiscard]] bool is_null() const { return type() == Type::null; }
    [[nodiscard]] bool is_scalar() const { return type() == Type::scalar; }
    [[nodiscard]] bool is_sequence() const { return type() == Type::sequence; }
    [[nodiscard]] bool is_map() const { return type() == Type::map; }
    /// The text of a scalar (empty for anything else).
    [[nodiscard]] const std::string& scalar() const { return item().scalar; }
    /// 0-based, as yaml-cpp counts; -1 when yaml-cpp gave no position.
    [[nodiscard]] int line() const { return item().line; }
    [[nodiscard]] int column() const { return item().column; }
    /// The items of a list, or the pairs of a mapping.
    [[nodiscard]] std::size_t size() const { return is_map() ? item().children / 2 : item().children; }

    /// The nodes under a list or mapping, in turn: one at a time (a list's items, or a mapping's
    /// keys and values), or two at a time (a mapping's pairs).
    template <bool kPairs>
    class Children {
     public:
      class iterator {
       public:
        iterator(const YamlTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}
        auto operator*() const {
          if constexpr (kPairs) {
            return std::pair<Node, Node>{{*tree_, index_}, {*tree_, tree_->nodes_[index_].next}};
          } else {
            return Node{*tree_, index_};
          }
        }
        iterator& operator++() {
          index_ = tree_->nodes_[index_].next;
          if constexpr (kPairs) index_ = tree_->nodes_[index_].next;
          return *this;
        }
        bool operator!=(const iterator& other) const { return index_ != other.index_; }

       private:
        const YamlTree* tree_;
        std::uint32_t index_;
      };
      Children(const YamlTree* tree, std::uint32_t first) : tree_(tree), first_(first) {}
      [[nodiscard]] iterator begin() const { return {tree_, first_}; }
      [[nodiscard]] iterator end() const { return {tree_, kNone}; }

     private:
      const YamlTree* tree_;
      std::uint32_t first_;
    };
    /// A list's items: `for (Node item : list.items())`.
    [[nodiscard]] Children<false> items() const { return {tree_, item().children ? index_ + 1 : kNone}; }
    /// A mapping's pairs: `for (auto [key, value] : map.pairs())`.
    [[nodiscard]] Children<true> pairs() const {
      return {tree_, is_map() && item().children ? index_ + 1 : kNone};
    }

   private:
    [[nodiscard]] const Item& item() const { return tree_->nodes_[index_]; }
    const YamlTree* tree_;
    std::uint32_t index_;
  };

  /// The document's top node; none for a file without one (empty, or only comments).
  [[nodiscard]] std::optional<Node> root() const {
    if (nodes_.empty()) return std::nullopt;
    return Node(*this, 0);
  }

 private:
  std::vector<Item> nodes_;  ///< in document order: a list or mapping is followed by what it holds
};

/// Streams byte-checked `text` through yaml-cpp's event parser, once, and refuses what a node tree
/// would hide or make costly: nesting deeper than the limit, anchors and aliases (billion laughs,
/// cycles), duplicate keys (`a` and `"a"` are the same key), lists or mappings as keys, more than
/// one document or text after the first one, too many nodes, too long texts, and any value left
/// as the `knots new` template's placeholder (kPlaceholder). YAML syntax errors are reported with
/// the parser's position, in plain words (explain_yaml_error). Appends one diagnostic per problem
/// (file:line:col, 1-based); returns the tree when there was none.
std::optional<YamlTree> read_yaml(const std::string& file, const std::string& text,
                                  std::vector<Diagnostic>& out, const StructureLimits& limits = {});

/// read_yaml, for when only the verdict matters: true when the text may be loaded.
bool check_structure(const std::string& file, const std::string& text, std::vector<Diagnostic>& out,
                     const StructureLimits& limits = {});

/// yaml-cpp's message for a syntax error at (0-based) `line` and `column` of `text` (line -1
/// when it has no position), as a sentence a person can act on: "inconsistent indentation: this
/// line is indented 3 spaces, the line before 2; …". yaml-cpp's own wording never reaches the user.
std::string explain_yaml_error(std::string_view message, int line, int column, std::string_view text);

}  // namespace knots::load
