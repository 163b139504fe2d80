// Attribute-by-attribute comparison, and the data-driven "choose X if …" advice.
#include "query/compare.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "query/filter.hpp"
#include "util/text.hpp"

namespace knots {
namespace {

/// A list as a cell of the table: "a, b", or "none".
std::string cell(const std::vector<std::string>& items) {
  return items.empty() ? "none" : joined(items);
}

/// One element of a list attribute: its id, and how a person reads it.
struct Element {
  std::string id;
  std::string words;
};

/// A list attribute: the values as text and as ids, and what all share (the same words).
CompareRow list_row(std::string field, std::string label, const std::vector<std::vector<Element>>& lists) {
  CompareRow row{std::move(field), std::move(label), {}, false, true, {}, {}, {}};
  std::vector<std::set<std::string>> words;
  for (const auto& list : lists) {
    std::vector<std::string> shown;
    std::vector<std::string> ids;
    for (const auto& e : list) {
      shown.push_back(e.words);
      ids.push_back(e.id);
    }
    row.values.push_back(cell(shown));
    row.ids.push_back(std::move(ids));
    words.emplace_back(shown.begin(), shown.end());
  }
  for (const auto& e : lists.front()) {
    const bool everywhere =
        std::all_of(words.begin(), words.end(), [&](const auto& w) { return w.contains(e.words); });
    if (everywhere) {
      row.shared.push_back(e.words);
      row.shared_ids.push_back(e.id);
    }
  }
  row.differs = std::any_of(words.begin(), words.end(), [&](const auto& w) { return w != words.front(); });
  return row;
}

CompareRow value_row(std::string field, std::string label, std::vector<std::string> values) {
  CompareRow row{std::move(field), std::move(label), std::move(values), false, false, {}, {}, {}};
  row.differs = std::any_of(row.values.begin(), row.values.end(),
                            [&](const auto& v) { return v != row.values.front(); });
  return row;
}

std::string surfaces(const Setting& s) {
  std::vector<std::string> out;
  for (auto surface : s.surfaces) out.emplace_back(surface == Surface::mat ? "floor mat" : name_of(surface));
  return cell(out);
}

std::string clothing(Clothing c) {
  return c == Clothing::clothed ? "clothed" : c == Clothing::undressed ? "undressed, draped" : "either";
}

std::string usage(Usage u, std::string_view what) {
  return u == Usage::used       ? fmt::format("{} used", what)
         : u == Usage::optional ? fmt::format("{} optional", what)
                                : fmt::format("no {}", what);
}

bool only_mat(const Modality& m) {
  return m.setting.surfaces == std::vector{Surface::mat};
}

/// A technique in everyday words, its name in brackets: "quick, rhythmic tapping (tapotement)";
/// the name alone when the knowledge base gives no plain words.
std::string technique_words(const KnowledgeBase& kb, const std::string& id) {
  const Technique* t = kb.techniques.find(id);
  std::string name = t ? t->name : id_words(id);
  if (!name.empty() && !(name.size() > 1 && ascii_upper(name[1]) == name[1])) name[0] = ascii_lower(name[0]);
  if (!t || t->plain.empty()) return name;
  return fmt::format("{} ({})", t->plain, name);
}

/// Whether `pred` holds for every compared modality but `m`: what `m` alone has.
template <class Pred>
bool others(const Modality& m, const std::vector<const Modality*>& all, Pred pred) {
  return std::all_of(all.begin(), all.end(), [&](const Modality* o) { return o == &m || pred(*o); });
}

/// What the session itself offers that the others' do not: clothing, oil, heat, a table, the
/// back worked directly, the pressure.
void setting_advantages(const Modality& m, const std::vector<const Modality*>& all,
                        std::vector<std::string>& out) {
  if (m.setting.clothing == Clothing::clothed &&
      others(m, all, [](const Modality& o) { return o.setting.clothing != Clothing::clothed; })) {
    out.emplace_back("you'd rather stay clothed");
  }
  if (m.setting.oil == Usage::used &&
      others(m, all, [](const Modality& o) { return o.setting.oil == Usage::none; })) {
    out.emplace_back("you want oil");
  } else if (m.setting.oil == Usage::none &&
             others(m, all, [](const Modality& o) { return o.setting.oil == Usage::used; })) {
    out.emplace_back("you'd rather skip oil");
  }
  if (m.setting.heat == Usage::used &&
      others(m, all, [](const Modality& o) { return o.setting.heat != Usage::used; })) {
    out.emplace_back("you want heat");
  }
  if (!only_mat(m) && others(m, all, [](const Modality& o) { return only_mat(o); }))
    out.emplace_back("you'd rather lie on a table");
  if (m.back == BackContact::direct &&
      others(m, all, [](const Modality& o) { return o.back == BackContact::indirect; })) {
    out.emplace_back("you want the back itself worked on");
  }
  if (others(m, all, [&](const Modality& o) { return o.pressure.max < m.pressure.max; })) {
    out.push_back(fmt::format("you want {} pressure", name_of(m.pressure.max)));
  } else if (others(m, all, [&](const Modality& o) { return o.pressure.min > m.pressure.min; })) {
    out.push_back(fmt::format("you want {} pressure", name_of(m.pressure.min)));
  }
}

/// What the work itself offers that the others' does not: a goal it suits well, a technique, a
/// target (one of each is enough to tell them apart), better evidence.
void focus_advantages(const KnowledgeBase& kb, const Modality& m, const std::vector<const Modality*>& all,
                      std::vector<std::string>& out) {
  const auto lacks = [](const std::vector<std::string>& list, const std::string& x) {
    return std::find(list.begin(), list.end(), x) == list.end();
  };
  for (const auto& g : m.goals) {
    if (g.value != Fit::strong) continue;
    if (others(m, all, [&](const Modality& o) {
          return std::none_of(o.goals.begin(), o.goals.end(),
                              [&](const GoalFit& f) { return f.id == g.id && f.value == Fit::strong; });
        })) {
      out.push_back("your aim is " + id_words(g.id));
      break;
    }
  }
  for (const auto& t : m.techniques) {
    if (others(m, all, [&](const Modality& o) { return lacks(o.techniques, t); })) {
      out.push_back("you'd like " + technique_words(kb, t));
      break;
    }
  }
  for (const auto& t : m.targets) {
    if (others(m, all, [&](const Modality& o) { return lacks(o.targets, t); })) {
      out.push_back("you want work on " + target_words(t));
      break;
    }
  }
  if (others(m, all, [&](const Modality& o) { return o.evidence.grade < m.evidence.grade; })) {
    out.emplace_back("you want the better-studied option");
  }
}

/// What one modality offers that the others do not, in plain words; three at most.
std::vector<std::string> advantages(const KnowledgeBase& kb, const Modality& m,
                                    const std::vector<const Modality*>& all) {
  std::vector<std::string> out;
  setting_advantages(m, all, out);
  focus_advantages(kb, m, all, out);
  if (out.size() > 3) out.resize(3);
  return out;
}

/// `fn` of each compared modality, in order: one row's values.
template <class Fn>
auto each(const std::vector<const Modality*>& items, Fn fn) {
  std::vector<decltype(fn(*items.front()))> out;
  for (const auto* m : items) out.push_back(fn(*m));
  return out;
}

/// The rows about the session: pressure, where, clothing, oil and heat.
void setting_rows(const std::vector<const Modality*>& items, std::vector<CompareRow>& rows) {
  rows.push_back(value_row("pressure", "Pressure", each(items, [](const Modality& m) {
                             return pressure_span(m.pressure.min, m.pressure.max);
                           })));
  rows.push_back(value_row("setting.surface", "Where",
                           each(items, [](const Modality& m) { return surfaces(m.setting); })));
  rows.push_back(value_row("setting.clothing", "Clothing",
                           each(items, [](const Modality& m) { return clothing(m.setting.clothing); })));
  rows.push_back(value_row("setting.oil", "Oil",
                           each(items, [](const Modality& m) { return usage(m.setting.oil, "oil"); })));
  rows.push_back(value_row("setting.heat", "Heat",
                           each(items, [](const Modality& m) { return usage(m.setting.heat, "heat"); })));
}

/// The rows about the work: techniques, tools, targets and the back.
void work_rows(const KnowledgeBase& kb, const std::vector<const Modality*>& items,
               std::vector<CompareRow>& rows) {
  rows.push_back(list_row("techniques", "Techniques", each(items, [&](const Modality& m) {
                            std::vector<Element> out;
                            for (const auto& t : m.techniques)
                              out.push_back({t, kb.techniques.name_or_id(t)});
                            return out;
                          })));
  rows.push_back(list_row("tools", "Therapist uses", each(items, [](const Modality& m) {
                            std::vector<Element> out;
                            for (const auto& t : m.tools) out.push_back({t, t});
                            return out;
                          })));
  rows.push_back(list_row("targets", "Targets", each(items, [](const Modality& m) {
                            std::vector<Element> out;
                            for (const auto& t : m.targets) out.push_back({t, id_words(t)});
                            return out;
                          })));
  rows.push_back(value_row("back", "The back", each(items, [](const Modality& m) {
                             return std::string(m.back == BackContact::direct ? "worked directly"
                                                                              : "reached indirectly");
                           })));
}

/// The rows about what it is for and how safe: goals, evidence, what rules it out, and origin.
void fitness_rows(const KnowledgeBase& kb, const std::vector<const Modality*>& items,
                  std::vector<CompareRow>& rows) {
  rows.push_back(list_row("goals", "Goals", each(items, [&](const Modality& m) {
                            std::vector<Element> out;
                            for (const auto& g : m.goals) {
                              out.push_back({g.id, fmt::format("{} ({})", id_words(g.id), name_of(g.value))});
                            }
                            return out;
                          })));
  rows.push_back(value_row("evidence", "Evidence", each(items, [](const Modality& m) {
                             return std::string(evidence_words(m.evidence.grade));
                           })));
  rows.push_back(list_row("ruled_out_by", "Avoid with", each(items, [&](const Modality& m) {
                            std::vector<Element> out;
                            // What rules it out, by any rule: an avoid, or an adapt it cannot meet.
                            for (const auto& c : kb.conditions.all()) {
                              if (rules_out(kb, m, c)) out.push_back({c.id, id_words(c.id)});
                            }
                            return out;
                          })));
  rows.push_back(value_row("origin", "Origin", each(items, [](const Modality& m) { return m.origin; })));
}

/// "Choose X if a, b and c.", or "" when X has nothing the others lack.
std::string choose_line(const KnowledgeBase& kb, const Modality& m,
                        const std::vector<const Modality*>& items) {
  const auto reasons = advantages(kb, m, items);
  if (reasons.empty()) return {};
  std::string line = fmt::format("Choose {} if ", m.name);
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i > 0) line += i + 1 == reasons.size() ? " and " : ", ";
    line += reasons[i];
  }
  return line + ".";
}

}  // namespace

CompareResult compare(const KnowledgeBase& kb, const std::vector<const Modality*>& items) {
  CompareResult result;
  result.items = items;
  std::vector<CompareRow> rows;
  setting_rows(items, rows);
  work_rows(kb, items, rows);
  fitness_rows(kb, items, rows);
  std::stable_partition(rows.begin(), rows.end(), [](const CompareRow& r) { return r.differs; });
  result.rows = std::move(rows);
  for (const auto* m : items) result.choose.push_back(choose_line(kb, *m, items));
  return result;
}

}  // namespace knots
