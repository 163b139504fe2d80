// List filters and the caution that applies to a modality with a condition.
#include "query/filter.hpp"

#include <algorithm>
#include <fmt/format.h>
#include "util/text.hpp"

namespace knots {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool serves(const Modality& m, const std::string& goal) {
  return std::any_of(m.goals.begin(), m.goals.end(), [&](const GoalFit& g) { return g.id == goal; });
}

bool matches(const Modality& m, const ListFilter& f) {
  if (f.pressure && !m.pressure.contains(*f.pressure)) return false;
  for (const auto& t : f.techniques) {
    if (!contains(m.techniques, t)) return false;
  }
  for (const auto& g : f.goals) {
    if (!serves(m, g)) return false;
  }
  for (const auto& a : f.areas) {
    const AreaReach* reach = keyed_find(m.areas, a);
    if (!reach || reach->value == Reach::none) return false;
  }
  if (f.clothed && m.setting.clothing == Clothing::undressed) return false;
  if (f.no_oil && m.setting.oil == Usage::used) return false;
  if (f.heat && m.setting.heat == Usage::none) return false;
  return true;
}

}  // namespace

std::vector<const Modality*> filter_modalities(const KnowledgeBase& kb, const ListFilter& filter) {
  std::vector<const Modality*> out;
  for (const auto& m : kb.modalities.all()) {
    if (matches(m, filter)) out.push_back(&m);
  }
  return out;
}

std::vector<const Modality*> modalities_using(const KnowledgeBase& kb, const std::string& technique_id) {
  ListFilter filter;
  filter.techniques.push_back(technique_id);
  return filter_modalities(kb, filter);
}

std::optional<EffectiveCaution> caution_for(const Modality& modality, const Condition& condition) {
  std::optional<EffectiveCaution> general;
  if (condition.every_modality) {
    general.emplace();
    static_cast<Rule&>(*general) = *condition.every_modality;
    if (general->sources.empty()) general->sources = condition.sources;
    general->general = true;
  }
  for (const auto& c : modality.cautions) {
    if (c.condition != condition.id) continue;
    EffectiveCaution own;
    static_cast<Rule&>(own) = c;
    // A modality's own caution may be stricter than the general rule, never looser.
    if (!general || own.level == CautionLevel::avoid) return own;
    if (general->level == CautionLevel::avoid) return general;
    if (general->max_pressure && (!own.max_pressure || *general->max_pressure < *own.max_pressure)) {
      own.max_pressure = general->max_pressure;
    }
    const auto add = [](auto& to, const auto& from) {
      for (const auto& x : from) {
        if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
      }
    };
    add(own.leave_out, general->leave_out);
    add(own.keep_off, general->keep_off);
    add(own.without, general->without);
    return own;
  }
  return general;
}

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] != ascii_lower(text[0]) &&
      !(text.size() > 1 && text[1] != ascii_lower(text[1]))) {
    text[0] = ascii_lower(text[0]);
  }
  return text;
}

std::string_view leave_out_note(Part part) {
  return part == Part::heat ? "ask to leave out the heat" : "ask for it without oil";
}

CautionEffect caution_effect(const KnowledgeBase& kb, const Modality& m, const Condition& condition,
                             const EffectiveCaution& caution, std::optional<Pressure> requested) {
  CautionEffect effect;
  const std::string with = lower_first(condition.name);
  if (caution.max_pressure) {
    const Pressure cap = *caution.max_pressure;
    if (m.pressure.min > cap) {
      effect.out.push_back(fmt::format("with {}, pressure must stay {} or lighter, and it starts at {}", with,
                                       name_of(cap), name_of(m.pressure.min)));
    } else if (requested && *requested > cap) {
      effect.out.push_back(fmt::format("with {}, pressure must stay {} or lighter, not {}", with,
                                       name_of(cap), name_of(*requested)));
    }
  }
  for (const auto& t : caution.leave_out) {
    if (!contains(m.techniques, t)) continue;
    const std::string technique = lower_first(kb.techniques.name_or_id(t));
    // Without a list of core techniques every technique counts: safety first for entries that say nothing.
    if (m.core_techniques.empty() || contains(m.core_techniques, t)) {
      effect.out.push_back(
          fmt::format("with {}, {} must be left out, and it is part of what this style is", with, technique));
    } else {
      effect.techniques.push_back(t);
      effect.notes.push_back(fmt::format("ask to leave out {}", technique));
    }
  }
  for (Area area : caution.keep_off) {
    if (area == Area::back && m.back == BackContact::direct) {
      effect.out.push_back(
          fmt::format("with {}, the back must not be worked, and this style works it directly", with));
    } else if (area != Area::back) {  // a style that does not work the back needs no note about it
      effect.notes.push_back(fmt::format("ask for no work on the {}", name_of(area)));
    }
  }
  for (Part part : caution.without) {
    const Usage usage = part == Part::heat ? m.setting.heat : m.setting.oil;
    const std::string_view word = name_of(part);
    if (usage == Usage::used) {
      effect.out.push_back(
          fmt::format("with {}, it must be done without {}, and {} is part of it", with, word, word));
    } else {
      effect.parts.push_back(part);
      if (usage == Usage::optional) effect.notes.emplace_back(leave_out_note(part));
    }
  }
  return effect;
}

bool rules_out(const KnowledgeBase& kb, const Modality& m, const Condition& condition) {
  const auto caution = caution_for(m, condition);
  if (!caution) return false;
  return caution->level == CautionLevel::avoid || !caution_effect(kb, m, condition, *caution).out.empty();
}

bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = a[i] >= '0' && a[i] <= '9', db = b[j] >= '0' && b[j] <= '9';
    if (da && db) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && a[ei] >= '0' && a[ei] <= '9') ++ei;
      while (ej < b.size() && b[ej] >= '0' && b[ej] <= '9') ++ej;
      const std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei, j = ej;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i, ++j;
  }
  return a.size() - i < b.size() - j;
}

std::vector<const Source*> sources_in_order(const KnowledgeBase& kb) {
  std::vector<const Source*> sources;
  for (const auto& src : kb.sources.all()) sources.push_back(&src);
  std::sort(sources.begin(), sources.end(),
            [](const Source* a, const Source* b) { return natural_less(a->id, b->id); });
  return sources;
}

std::vector<Citation> citations_of(const KnowledgeBase& kb, const std::string& source_id) {
  std::vector<Citation> out;
  const auto cites = [&](const std::vector<std::string>& sources) { return contains(sources, source_id); };
  for (const auto& m : kb.modalities.all()) {
    bool any = cites(m.sources) || cites(m.evidence.sources);
    for (const auto& c : m.cautions) any = any || cites(c.sources);
    if (any) out.push_back({"modality", m.id});
  }
  for (const auto& t : kb.techniques.all()) {
    if (cites(t.sources)) out.push_back({"technique", t.id});
  }
  for (const auto& c : kb.conditions.all()) {
    if (cites(c.sources) || (c.every_modality && cites(c.every_modality->sources)))
      out.push_back({"condition", c.id});
  }
  for (const auto& f : kb.red_flags.all()) {
    if (cites(f.sources)) out.push_back({"red-flag", f.id});
  }
  for (const auto& t : kb.self_care.all()) {
    if (cites(t.sources)) out.push_back({"self-care", t.id});
  }
  for (const auto& t : kb.guide.all()) {
    if (cites(t.sources)) out.push_back({"topic", t.id});
  }
  return out;
}

}  // namespace knots
