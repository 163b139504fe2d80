// YAML to model values for one file, following each entry type's description (model.hpp). The
// file is parsed once, by read_yaml (yaml_guard.cpp, the only place that sees yaml-cpp); the
// values are read from the tree it returns.
#include "load/parse.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>

#include "load/bytes.hpp"
#include "load/validate.hpp"
#include "load/yaml_guard.hpp"
#include "util/suggest.hpp"

namespace knots::load {
namespace {

using Node = YamlTree::Node;

/// Where problems go, and the file they are about.
struct Report {
  const std::string& file;
  std::vector<Diagnostic>& out;

  [[nodiscard]] Location at(const Node& node) const {
    if (node.line() < 0) return {file, 0, 0};
    return {file, node.line() + 1, node.column() + 1};
  }
  void error(const Node& node, std::string message) const { error(at(node), std::move(message)); }
  void error(const Location& at, std::string message) const {
    out.push_back(Diagnostic::invalid(at.file, at.line, at.column, std::move(message)));
  }
};

std::string kind_word(const Node& node) {
  switch (node.type()) {
    case YamlTree::Type::sequence:
      return "a list";
    case YamlTree::Type::map:
      return "a mapping";
    case YamlTree::Type::scalar:
      return "text";
    default:
      return "empty";
  }
}

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\n");
  return s.substr(first, last - first + 1);
}

/// A described key and its flags, in the order of the description.
struct KeyInfo {
  std::string key;
  unsigned flags = 0;
  std::vector<std::string> nested;  ///< the keys of the mapping under it, when it holds one
};

template <class X>
const std::vector<KeyInfo>& keys_of();
template <class X>
std::vector<std::string> key_names();

/// Collects the keys of a description: what a mapping may hold, and what it must.
class KeyList {
 public:
  std::vector<KeyInfo> keys;

  void id(std::string_view key, const std::string&, unsigned flags) { add(key, flags); }
  void text(std::string_view key, const std::string&, unsigned flags) { add(key, flags); }
  void list(std::string_view key, const std::vector<std::string>&, unsigned flags) { add(key, flags); }
  void refs(std::string_view key, const std::vector<std::string>&, RefKind, unsigned flags) {
    add(key, flags);
  }
  void ref(std::string_view key, const std::string&, RefKind, unsigned flags) { add(key, flags); }
  template <std::size_t N>
  void words(std::string_view key, const std::vector<std::string>&, const std::array<std::string_view, N>&,
             std::string_view, unsigned flags) {
    add(key, flags);
  }
  template <class E>
  void enumeration(std::string_view key, const E&, unsigned flags) {
    add(key, flags);
  }
  template <class E>
  void enums(std::string_view key, const std::vector<E>&, std::string_view, unsigned flags) {
    add(key, flags);
  }
  template <class X>
  void object(std::string_view key, const X&, std::string_view, unsigned flags) {
    add(key, flags, key_names<X>());
  }
  template <class X>
  void object(std::string_view key, const std::optional<X>&, std::string_view, unsigned flags) {
    add(key, flags, key_names<X>());
  }
  template <class X>
  void objects(std::string_view key, const std::vector<X>&, std::string_view, unsigned flags) {
    add(key, flags);
  }
  template <class K>
  void fits(std::string_view key, const std::vector<K>&, unsigned flags) {
    add(key, flags);
  }
  void origin(std::string_view, const std::string&) {}  // not a key of the file

 private:
  void add(std::string_view key, unsigned flags, std::vector<std::string> nested = {}) {
    keys.push_back({std::string(key), flags, std::move(nested)});
  }
};

/// The keys of a type's description, worked out once.
template <class X>
const std::vector<KeyInfo>& keys_of() {
  static const std::vector<KeyInfo> keys = [] {
    KeyList list;
    const X x{};
    describe(list, x);
    return list.keys;
  }();
  return keys;
}

template <class X>
std::vector<std::string> key_names() {
  std::vector<std::string> names;
  for (const auto& k : keys_of<X>()) names.push_back(k.key);
  return names;
}

/// "condition, level, note and sources": the keys a mapping of this type must have.
template <class X>
std::string required_keys() {
  std::vector<std::string> required;
  for (const auto& k : keys_of<X>()) {
    if ((k.flags & kRequired) != 0) required.push_back(k.key);
  }
  if (required.size() < 2) return joined(required);
  const std::string last = required.back();
  required.pop_back();
  return joined(required) + " and " + last;
}

/// What the mappings of one entry share while it is read: a key that a message already covers
/// (misplaced, or misspelt) is not also reported missing where it belongs, so one mistake gets one
/// message. Missing keys are reported once the whole entry has been read.
struct EntryKeys {
  std::vector<std::string> covered;                         ///< paths: "setting/heat", "helps_knots"
  std::vector<std::pair<std::string, Diagnostic>> missing;  ///< (path, message), reported at the end

  void flush(std::vector<Diagnostic>& out) {
    for (auto& [path, d] : missing) {
      if (std::find(covered.begin(), covered.end(), path) == covered.end()) out.push_back(std::move(d));
    }
    missing.clear();
  }
};

/// The keys of one YAML mapping, read once, with a check for unknown keys.
class Fields {
 public:
  /// `keys`: those the mapping may hold; `path`: where it is in the entry ("" at the top,
  /// "setting/" under setting); `parent`: the mapping that holds it, if any.
  Fields(const Node& map, const Report& report, std::string what, const std::vector<KeyInfo>& keys,
         EntryKeys& entry, std::string path = {}, const Fields* parent = nullptr)
      : map_(map),
        report_(report),
        what_(std::move(what)),
        keys_(keys),
        entry_(entry),
        path_(std::move(path)),
        parent_(parent) {
    for (const auto& k : keys_) known_.push_back(k.key);
    for (const auto [key, value] : map.pairs()) {
      if (!key.is_scalar()) {
        report_.error(key, fmt::format("keys in {} must be plain words", what_));
        continue;
      }
      const std::string& name = key.scalar();
      if (std::find(known_.begin(), known_.end(), name) == known_.end()) {
        report_.error(key, unknown_key(name));
        continue;
      }
      // Duplicate keys never get here: read_yaml refuses them.
      entries_.emplace_back(name, value);
    }
  }

  /// The value under `key`, or nothing when it is absent or null (`~`, empty).
  [[nodiscard]] std::optional<Node> get(std::string_view key) const {
    for (const auto& [name, value] : entries_) {
      if (name == key) {
        if (value.is_null()) return std::nullopt;
        return value;
      }
    }
    return std::nullopt;
  }

  /// Reported once the entry is read, unless a message about a misplaced or misspelt key covers it.
  void missing(std::string_view key, std::string_view allowed = {}) const {
    const Location at = report_.at(map_);
    entry_.missing.emplace_back(
        path_ + std::string(key),
        Diagnostic::invalid(at.file, at.line, at.column,
                            fmt::format("missing required key '{}' in {}{}", key, what_, allowed)));
  }

  /// A text field; `single_line` fields (names, ids) may not contain line breaks.
  std::string text(std::string_view key, bool required, bool single_line = false) const {
    auto node = get(key);
    if (!node) {
      if (required) missing(key);
      return {};
    }
    if (!node->is_scalar()) {
      report_.error(*node, fmt::format("'{}' in {} must be text, not {}", key, what_, kind_word(*node)));
      return {};
    }
    std::string value = trim(node->scalar());
    check_text(*node, key, value, single_line);
    if (value.empty() && required) missing(key);
    return value;
  }

  std::string id(std::string_view key, bool required) const {
    std::string value = text(key, required, true);
    if (!value.empty() && !is_valid_id(value)) {
      report_.error(*get(key), fmt::format("'{}' must be lowercase letters, digits and hyphens, like "
                                           "'deep-tissue'; got '{}'",
                                           key, value));
    }
    return value;
  }

  /// A list of one-line texts, each with its location.
  std::vector<std::pair<std::string, Location>> located_list(std::string_view key, bool required) const {
    std::vector<std::pair<std::string, Location>> items;
    auto node = get(key);
    if (!node) {
      if (required) missing(key);
      return items;
    }
    if (!node->is_sequence()) {
      report_.error(*node, fmt::format("'{}' in {} must be a list, not {}", key, what_, kind_word(*node)));
      return items;
    }
    for (const Node item : node->items()) {
      if (!item.is_scalar()) {
        report_.error(item,
                      fmt::format("items of '{}' in {} must be text, not {}", key, what_, kind_word(item)));
        continue;
      }
      std::string value = trim(item.scalar());
      check_text(item, key, value, true);
      if (value.empty()) {
        report_.error(item, fmt::format("empty item in '{}' in {}", key, what_));
        continue;
      }
      items.emplace_back(std::move(value), report_.at(item));
    }
    if (items.empty() && required && node->size() == 0) {
      report_.error(*node, fmt::format("'{}' in {} must not be empty", key, what_));
    }
    return items;
  }

  template <class E>
  std::optional<E> enumeration(std::string_view key, bool required) const {
    auto node = get(key);
    if (!node) {
      if (required) missing(key, fmt::format(" (one of {})", fmt::join(names_of<E>(), ", ")));
      return std::nullopt;
    }
    return enum_value<E>(*node, fmt::format("'{}' in {}", key, what_), report_);
  }

  template <class E>
  static std::optional<E> enum_value(const Node& node, const std::string& what, const Report& report) {
    if (!node.is_scalar()) {
      report.error(node, fmt::format("{} must be one word, not {}", what, kind_word(node)));
      return std::nullopt;
    }
    const std::string value = trim(node.scalar());
    if (auto e = enum_from<E>(value)) return e;
    const auto names = names_of<E>();
    report.error(node, fmt::format("{} must be one of {}; got '{}'{}", what, fmt::join(names, ", "), value,
                                   did_you_mean(value, names)));
    return std::nullopt;
  }

  [[nodiscard]] const std::string& what() const { return what_; }
  /// The location of a key's value (or of the mapping when the key is absent).
  [[nodiscard]] Location location(std::string_view key) const {
    auto node = get(key);
    return report_.at(node ? *node : map_);
  }

 private:
  /// One message for a key this mapping does not know: it belongs in the mapping under one of its
  /// keys (dedented by mistake), or in the one above (indented by mistake), or it is misspelt.
  /// The key it stands for is then covered, so that it is not also reported missing.
  std::string unknown_key(const std::string& name) const {
    for (const auto& k : keys_) {
      if (std::find(k.nested.begin(), k.nested.end(), name) == k.nested.end()) continue;
      entry_.covered.push_back(fmt::format("{}{}/{}", path_, k.key, name));
      return fmt::format("'{}' belongs under {}: indent it like the other keys of {}", name, k.key, k.key);
    }
    if (parent_ && parent_->knows(name)) {
      entry_.covered.push_back(parent_->path_ + name);
      return fmt::format("'{}' is not a key of {}; it belongs one level up: line it up with '{}'", name,
                         what_, scope_key());
    }
    if (auto guess = closest(name, known_)) {
      entry_.covered.push_back(path_ + *guess);
      return fmt::format("unknown key '{}' in {}; did you mean '{}'?", name, what_, *guess);
    }
    return fmt::format("unknown key '{}' in {} (known keys: {})", name, what_, fmt::join(known_, ", "));
  }

  [[nodiscard]] bool knows(const std::string& name) const {
    return std::find(known_.begin(), known_.end(), name) != known_.end();
  }

  /// The key this mapping is under in its parent: "setting" for "setting/", "cautions" for "cautions#0/".
  [[nodiscard]] std::string scope_key() const {
    std::string key = path_.substr(0, path_.size() - 1);
    key = key.substr(key.find_last_of('/') + 1);
    return key.substr(0, key.find('#'));
  }

  void check_text(const Node& node, std::string_view key, const std::string& value, bool single_line) const {
    if (auto bad = forbidden_character(value); !bad.empty()) {
      report_.error(node, fmt::format("'{}' in {} contains {}, a control character", key, what_, bad));
    } else if (single_line && value.find_first_of("\n\t") != std::string::npos) {
      report_.error(node, fmt::format("'{}' in {} must be a single line", key, what_));
    }
  }

  Node map_;
  const Report& report_;
  std::string what_;
  const std::vector<KeyInfo>& keys_;
  std::vector<std::string> known_;
  EntryKeys& entry_;
  std::string path_;
  const Fields* parent_;
  std::vector<std::pair<std::string_view, Node>> entries_;
};

/// What reading an entry collects besides its value.
struct Collected {
  std::vector<Reference>& references;
  std::vector<NameSite>& names;
  Sites& sites;
  Location& key_at;
  EntryKeys& keys;
};

/// Reads the fields of one mapping into a value, following its description; nested mappings get
/// a Reader of their own, whose paths start with `prefix`.
class Reader {
 public:
  Reader(const Fields& f, const Report& report, Collected& c, std::string prefix)
      : f_(f), report_(report), c_(c), prefix_(std::move(prefix)) {}

  void id(std::string_view key, std::string& to, unsigned flags) {
    to = f_.id(key, required(flags));
    read_one(key, to, flags);
  }

  void text(std::string_view key, std::string& to, unsigned flags) {
    to = f_.text(key, required(flags), (flags & kOneLine) != 0);
    read_one(key, to, flags);
  }

  void list(std::string_view key, std::vector<std::string>& to, unsigned flags) {
    for (auto& [value, at] : f_.located_list(key, required(flags))) {
      if ((flags & kName) != 0) c_.names.push_back({value, Place::of(at)});
      c_.sites.add(item_path(key, to.size()), at);
      to.push_back(std::move(value));
    }
  }

  void refs(std::string_view key, std::vector<std::string>& to, RefKind kind, unsigned flags) {
    for (auto& [value, at] : f_.located_list(key, required(flags))) {
      c_.references.push_back({kind, value, Place::of(at)});
      to.push_back(std::move(value));
    }
  }

  void ref(std::string_view key, std::string& to, RefKind kind, unsigned flags) {
    to = f_.id(key, required(flags));
    if (to.empty()) return;
    c_.references.push_back({kind, to, Place::of(f_.location(key))});
    c_.sites.add(path(key), f_.location(key));
  }

  /// Words from a closed list that is not an enum (the targets).
  template <std::size_t N>
  void words(std::string_view key, std::vector<std::string>& to,
             const std::array<std::string_view, N>& vocabulary, std::string_view noun, unsigned flags) {
    const std::vector<std::string> names(vocabulary.begin(), vocabulary.end());
    for (auto& [word, at] : f_.located_list(key, required(flags))) {
      if (std::find(names.begin(), names.end(), word) == names.end()) {
        report_.error(
            at, fmt::format("unknown {} '{}' in {}{}", noun, word, f_.what(), did_you_mean(word, names)));
        continue;
      }
      to.push_back(std::move(word));
    }
  }

  template <class E>
  void enumeration(std::string_view key, E& to, unsigned flags) {
    if (auto e = f_.enumeration<E>(key, required(flags))) {
      to = *e;
      c_.sites.add(path(key), f_.location(key));
    }
  }

  template <class E>
  void enumeration(std::string_view key, std::optional<E>& to, unsigned flags) {
    to = f_.enumeration<E>(key, required(flags));
    if (to) c_.sites.add(path(key), f_.location(key));
  }

  template <class E>
  void enums(std::string_view key, std::vector<E>& to, std::string_view noun, unsigned flags) {
    const auto names = names_of<E>();
    for (auto& [word, at] : f_.located_list(key, required(flags))) {
      if (auto e = enum_from<E>(word)) {
        to.push_back(*e);
        continue;
      }
      report_.error(at, fmt::format("unknown {} '{}' in '{}' of {}; {}s are {}{}", noun, word, key, f_.what(),
                                    noun, fmt::join(names, ", "), did_you_mean(word, names)));
    }
  }

  template <class X>
  void object(std::string_view key, X& to, std::string_view noun, unsigned flags) {
    if (auto node = mapping<X>(key, flags))
      read_into(*node, fmt::format("the {} of {}", noun, f_.what()), path(key), to);
  }

  template <class X>
  void object(std::string_view key, std::optional<X>& to, std::string_view noun, unsigned flags) {
    if (auto node = mapping<X>(key, flags)) {
      X x{};
      read_into(*node, fmt::format("the {} of {}", noun, f_.what()), path(key), x);
      to = std::move(x);
    }
  }

  template <class X>
  void objects(std::string_view key, std::vector<X>& to, std::string_view noun, unsigned flags) {
    auto node = f_.get(key);
    if (!node) {
      if (required(flags)) f_.missing(key);
      return;
    }
    if (!node->is_sequence()) {
      report_.error(*node, fmt::format("'{}' in {} must be a list", key, f_.what()));
      return;
    }
    for (const Node item : node->items()) {
      if (!item.is_map()) {
        report_.error(item, fmt::format("each {} must be a mapping with {}", noun, required_keys<X>()));
        continue;
      }
      X x{};
      read_into(item, fmt::format("a {} of {}", noun, f_.what()), item_path(key, to.size()), x);
      to.push_back(std::move(x));
    }
  }

  /// A mapping of ids of one kind (goals, areas) to a word of an enum (how well it serves each).
  template <class K>
  void fits(std::string_view key, std::vector<K>& to, unsigned flags) {
    using E = typename K::Value;
    const std::string_view word = ref_word(K::kind);
    auto node = f_.get(key);
    if (!node) {
      if (required(flags)) f_.missing(key);
      return;
    }
    if (!node->is_map() || node->size() == 0) {
      report_.error(*node, fmt::format("'{}' in {} must map {} ids to {}", key, f_.what(), word,
                                       fmt::join(EnumNames<E>::names, " or ")));
      return;
    }
    for (const auto [id_key, id_value] : node->pairs()) {
      if (!id_key.is_scalar()) {
        report_.error(id_key, fmt::format("{} ids must be plain words", word));
        continue;
      }
      const std::string id = trim(id_key.scalar());
      if (keyed_find(to, id)) {
        report_.error(id_key, fmt::format("duplicate {} '{}' in {}", word, id, f_.what()));
        continue;
      }
      c_.references.push_back({K::kind, id, Place::of(report_.at(id_key))});
      const auto value = Fields::enum_value<E>(id_value, fmt::format("{} '{}'", word, id), report_);
      to.push_back({id, value.value_or(E{})});
    }
  }

  void origin(std::string_view, std::string& to) { to = report_.file; }

 private:
  static bool required(unsigned flags) { return (flags & kRequired) != 0; }
  [[nodiscard]] std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  [[nodiscard]] std::string item_path(std::string_view key, std::size_t i) const {
    return fmt::format("{}{}#{}", prefix_, key, i);
  }

  /// After an id or a text: where the entry is, the names it is found by, where the value was.
  void read_one(std::string_view key, const std::string& value, unsigned flags) {
    if (value.empty()) {
      if ((flags & kKey) != 0) c_.key_at = f_.location(key);
      return;
    }
    const Location at = f_.location(key);
    if ((flags & kKey) != 0) c_.key_at = at;
    if ((flags & kName) != 0) c_.names.push_back({value, Place::of(at)});
    c_.sites.add(path(key), at);
  }

  /// The mapping of an X under `key`, or nothing (with a message when it is missing or not a mapping).
  template <class X>
  std::optional<Node> mapping(std::string_view key, unsigned flags) const {
    auto node = f_.get(key);
    if (!node) {
      if (required(flags)) f_.missing(key);
      return std::nullopt;
    }
    if (!node->is_map()) {
      report_.error(*node,
                    fmt::format("'{}' in {} must be a mapping with {}", key, f_.what(), required_keys<X>()));
      return std::nullopt;
    }
    return node;
  }

  template <class X>
  void read_into(const Node& map, std::string what, std::string at_path, X& to) {
    c_.sites.add(at_path, report_.at(map));
    const Fields fields(map, report_, std::move(what), keys_of<std::remove_const_t<X>>(), c_.keys,
                        at_path + "/", &f_);
    Reader nested(fields, report_, c_, at_path + "/");
    describe(nested, to);
  }

  const Fields& f_;
  const Report& report_;
  Collected& c_;
  std::string prefix_;
};

std::string entry_what(std::string_view kind, const Node& map) {
  // Name the entry by its id when it has one, to make messages readable.
  for (const auto [key, value] : map.pairs()) {
    if (key.is_scalar() && key.scalar() == "id" && value.is_scalar() && !value.scalar().empty() &&
        value.scalar().size() <= 64 && forbidden_character(value.scalar()).empty()) {
      return fmt::format("{} '{}'", kind, value.scalar());
    }
  }
  return std::string(kind);
}

/// One entry: read by its description, then checked by validate_entry.
template <class T>
Parsed<T> parse_entry(const Node& map, const Report& report, std::string_view word) {
  Parsed<T> p;
  p.what = entry_what(word, map);
  EntryKeys keys;
  const Fields f(map, report, p.what, keys_of<T>(), keys);
  Sites sites(report.file);
  Collected collected{p.references, p.names, sites, p.at, keys};
  Reader reader(f, report, collected, "");
  describe(reader, p.value);
  keys.flush(report.out);
  validate_entry(p, sites, report.out);
  return p;
}

template <class T>
void parse_list(const Node& root, const Report& report, const EntryKind<T>& kind,
                std::vector<Parsed<T>>& out) {
  if (!root.is_sequence()) {
    report.error(root, fmt::format("this file must be a list of {}, not {}", kind.plural, kind_word(root)));
    return;
  }
  for (const Node item : root.items()) {
    if (!item.is_map()) {
      report.error(item, fmt::format("each entry of a list of {} must be a mapping, not {}", kind.plural,
                                     kind_word(item)));
      continue;
    }
    out.push_back(parse_entry<T>(item, report, kind.word));
  }
}

/// The file's name alone says what it holds: a vocabulary file by its fixed name, else a modality.
std::string_view base_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// Reads the entries of the kind the file's name says it holds.
void parse_root(const Node& root, const Report& report, ParsedFile& parsed) {
  const std::string_view base = base_name(report.file);
  bool vocabulary = false;
  for_each_kind([&](const auto& kind) {
    using T = typename std::remove_cvref_t<decltype(kind)>::Entry;
    if (kind.file.empty() || kind.file != base) return;
    vocabulary = true;
    parse_list(root, report, kind, entries<T>(parsed));
  });
  if (vocabulary) return;
  const auto& modality = std::get<EntryKind<Modality>>(kEntryKinds);
  if (!root.is_map()) {
    report.error(root, fmt::format("a {} file must be a mapping, not {}", modality.word, kind_word(root)));
    return;
  }
  entries<Modality>(parsed).push_back(parse_entry<Modality>(root, report, modality.word));
}

}  // namespace

ParsedFile parse_file(const std::string& file, const std::string& text, std::vector<Diagnostic>& out) {
  ParsedFile parsed;
  const Report report{file, out};
  // One pass of yaml-cpp: depth, anchors, duplicate keys, documents and sizes are checked on the
  // event stream as the tree is built, and the values are then read from the tree.
  const auto tree = read_yaml(file, text, out);
  if (!tree) return parsed;
  const auto root = tree->root();
  if (!root || root->is_null()) {
    out.push_back(Diagnostic::invalid(file, "the file is empty"));
    return parsed;
  }
  parse_root(*root, report, parsed);
  return parsed;
}

}  // namespace knots::load
