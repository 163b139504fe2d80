// The checks that are not a schema; see validate.hpp.
#include "load/validate.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <unordered_map>

#include "util/suggest.hpp"

namespace knots::load {
namespace {

void error(std::vector<Diagnostic>& out, const Location& at, std::string message) {
  out.push_back(Diagnostic::invalid(at.file, at.line, at.column, std::move(message)));
}

/// A rule whose level could not be read counts as avoid, the safe reading.
void validate_rule(const Rule& rule, const Sites& sites, const std::string& path,
                   std::vector<Diagnostic>& out) {
  const bool adapt = sites.find(path + "/level").has_value() && rule.level == CautionLevel::adapt;
  const bool adapts =
      rule.max_pressure || !rule.leave_out.empty() || !rule.keep_off.empty() || !rule.without.empty();
  if (!adapt && adapts) {
    if (const auto at = sites.find(path))
      error(out, *at, "max_pressure, leave_out, keep_off and without only go with level 'adapt'");
  }
}

void validate_pressure(const Parsed<Modality>& p, const Sites& sites, std::vector<Diagnostic>& out) {
  const PressureRange& range = p.value.pressure;
  const auto at = sites.find("pressure");
  if (!at || !sites.find("pressure/min") || !sites.find("pressure/max") || range.min <= range.max) return;
  error(out, *at,
        fmt::format("pressure min '{}' is above max '{}' in {}", name_of(range.min), name_of(range.max),
                    p.what));
}

void validate_core_techniques(Parsed<Modality>& p, const Sites& sites, std::vector<Diagnostic>& out) {
  Modality& m = p.value;
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < m.core_techniques.size(); ++i) {
    std::string& core = m.core_techniques[i];
    if (std::find(m.techniques.begin(), m.techniques.end(), core) != m.techniques.end()) {
      kept.push_back(std::move(core));
      continue;
    }
    if (const auto at = sites.find(fmt::format("core_techniques#{}", i))) {
      error(out, *at,
            fmt::format("core technique '{}' of {} is not in its techniques{}", core, p.what,
                        did_you_mean(core, m.techniques)));
    }
  }
  m.core_techniques = std::move(kept);
}

void validate_cautions(const Parsed<Modality>& p, const Sites& sites, std::vector<Diagnostic>& out) {
  const auto& cautions = p.value.cautions;
  for (std::size_t i = 0; i < cautions.size(); ++i) {
    const std::string path = fmt::format("cautions#{}", i);
    const std::string& condition = cautions[i].condition;
    const bool second =
        !condition.empty() && std::any_of(cautions.begin(), cautions.begin() + static_cast<long>(i),
                                          [&](const Caution& c) { return c.condition == condition; });
    const auto at = sites.find(path);
    if (second && at) error(out, *at, fmt::format("a second caution for '{}' in {}", condition, p.what));
    validate_rule(cautions[i], sites, path, out);
  }
}

// --- across entries ------------------------------------------------------------------------

/// Two entries of one kind must not share an id, name or alias (after normalisation).
template <class T>
void check_names(const Merged<T>& merged, std::string_view kind, std::vector<Diagnostic>& out) {
  std::unordered_map<std::string, std::pair<std::string, Location>> seen;  // key -> (owner id, where)
  for (const auto& [id, entry] : merged.by_id) {
    std::vector<std::string> own;
    for (const auto& name : entry.first.names) {
      const std::string key = lookup_key(name.text);
      if (std::find(own.begin(), own.end(), key) != own.end()) continue;
      own.push_back(key);
      const Location at = name.at.in(entry.first.at.file);
      auto [it, inserted] = seen.emplace(key, std::make_pair(id, at));
      if (!inserted) {
        const Location& first = it->second.second;
        error(out, at,
              fmt::format("'{}' already names {} '{}' (at {}:{}:{})", name.text, kind, it->second.first,
                          first.file, first.line, first.column));
      }
    }
  }
}

template <class T>
std::vector<std::string> all_names(const Merged<T>& merged) {
  std::vector<std::string> out;
  for (const auto& [id, entry] : merged.by_id) {
    for (const auto& name : entry.first.names) out.push_back(name.text);
  }
  return out;
}

/// The id that a name (id, name or alias) stands for, for a "did you mean" on a reference.
template <class T>
std::string id_for(const Merged<T>& merged, const std::string& name) {
  const std::string key = lookup_key(name);
  for (const auto& [id, entry] : merged.by_id) {
    for (const auto& n : entry.first.names) {
      if (lookup_key(n.text) == key) return id;
    }
  }
  return {};
}

template <class T>
void check_reference(const Merged<T>& merged, const Reference& ref, const Location& at, std::string_view kind,
                     std::vector<Diagnostic>& out) {
  if (merged.by_id.count(ref.id) != 0) return;
  std::string hint;
  if (std::string id = id_for(merged, ref.id); !id.empty()) {
    hint = fmt::format("; use its id '{}'", id);
  } else if (auto guess = closest(ref.id, all_names(merged))) {
    hint = fmt::format("; did you mean '{}'?", id_for(merged, *guess));
  }
  error(out, at, fmt::format("unknown {} '{}'{}", kind, ref.id, hint));
}

/// Checks a reference, at `at`, against the kind of entry it points to.
void check_reference(const Catalogs& c, const Reference& ref, const Location& at,
                     std::vector<Diagnostic>& out) {
  for_each_kind([&](const auto& kind) {
    using T = typename std::remove_cvref_t<decltype(kind)>::Entry;
    if (kind.ref == ref.kind) check_reference(std::get<Merged<T>>(c), ref, at, kind.word, out);
  });
}

template <class T>
void check_references(const Catalogs& c, const Merged<T>& merged, std::string_view word,
                      std::vector<Diagnostic>& out) {
  for (const auto& [id, entry] : merged.by_id) {
    for (const auto& ref : entry.first.references) {
      const Location at = ref.at.in(entry.first.at.file);
      if (ref.kind == RefKind::modality && ref.id == id) {
        error(out, at, fmt::format("{} '{}' is related to itself", word, id));
        continue;
      }
      check_reference(c, ref, at, out);
    }
  }
}

/// A synonym says what its words mean in the knowledge base's words, or what knots says about a
/// subject it does not cover, or both: one with neither would do nothing.
void validate_synonym(const Parsed<Synonym>& p, std::vector<Diagnostic>& out) {
  if (p.value.means.empty() && p.value.note.empty())
    error(out, p.at,
          fmt::format("{} needs 'means' (the knowledge base's words for the same thing) or 'note' "
                      "(what knots says about a subject it does not cover)",
                      p.what));
}

}  // namespace

void validate_catalogs(const Catalogs& catalogs, std::vector<Diagnostic>& out) {
  for_each_kind([&](const auto& kind) {
    using T = typename std::remove_cvref_t<decltype(kind)>::Entry;
    if (kind.unique_names) check_names(std::get<Merged<T>>(catalogs), kind.word, out);
  });
  for_each_kind([&](const auto& kind) {
    using T = typename std::remove_cvref_t<decltype(kind)>::Entry;
    check_references(catalogs, std::get<Merged<T>>(catalogs), kind.word, out);
  });
}

template <class T>
void validate_entry(Parsed<T>& entry, const Sites& sites, std::vector<Diagnostic>& out) {
  if constexpr (std::is_same_v<T, Modality>) {
    validate_pressure(entry, sites, out);
    validate_core_techniques(entry, sites, out);
    validate_cautions(entry, sites, out);
  } else if constexpr (std::is_same_v<T, Condition>) {
    if (entry.value.every_modality) validate_rule(*entry.value.every_modality, sites, "every_modality", out);
  } else if constexpr (std::is_same_v<T, Synonym>) {
    validate_synonym(entry, out);
  }
}

template void validate_entry(Parsed<Modality>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<Technique>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<Condition>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<Goal>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<SelfCareTip>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<RedFlag>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<KnotArea>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<GuideTopic>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<Source>&, const Sites&, std::vector<Diagnostic>&);
template void validate_entry(Parsed<Synonym>&, const Sites&, std::vector<Diagnostic>&);

}  // namespace knots::load
