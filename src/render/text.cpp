// Text rendering with fmt: sections, columns and wrapping; every string from the knowledge base is
// sanitised on the way out.
#include "render/text.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "query/filter.hpp"
#include "render/blocks.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace knots::render {

// The blocks of blocks.hpp, shared with the pages of topics.cpp.

void paragraph(std::string& out, std::string_view text, std::size_t indent, const Style& style) {
  const std::size_t width = style.width > indent + 20 ? style.width - indent : 20;
  for (const auto& line : wrap(sanitize(text, true), width)) {
    if (line.empty()) {
      out += '\n';
    } else {
      out += std::string(indent, ' ') + line + '\n';
    }
  }
}

std::string wrap_indented(std::string_view text, std::size_t indent, const Style& style) {
  std::string out;
  paragraph(out, text, indent, style);
  return out;
}

void bullet(std::string& out, std::string_view text, std::size_t indent, const Style& style) {
  const std::size_t width = style.width > indent + 22 ? style.width - indent - 2 : 20;
  bool first = true;
  for (const auto& line : wrap(sanitize(text), width)) {
    out += std::string(indent, ' ') + (first ? "- " : "  ") + line + '\n';
    first = false;
  }
}

void heading(std::string& out, std::string_view title, const Style& style) {
  out += '\n';
  out += paint(title, Paint::heading, style);
  out += '\n';
}

std::string listed(const std::vector<std::string>& items, std::string_view sep) {
  return sanitize(joined(items, sep));
}

std::string citation(const std::vector<std::string>& sources) {
  return sources.empty() ? std::string() : " [" + listed(sources) + "]";
}

void field(std::string& out, std::string_view label, std::string_view value, const Style& style,
           Paint label_paint) {
  const std::size_t width = style.width > kLabel + kIndent + 20 ? style.width - kLabel - kIndent : 20;
  const auto lines = wrap(value, width);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string left = i == 0 ? pad(label, kLabel) : std::string(kLabel, ' ');
    out += std::string(kIndent, ' ') + (i == 0 ? paint(left, label_paint, style) : left) + lines[i] + '\n';
  }
}

namespace {

/// What an adapt rule asks beyond its note: "pressure light at most; leave out tapotement; keep off the
/// back".
std::string rule_terms(const Rule& rule, const KnowledgeBase& kb) {
  std::vector<std::string> terms;
  if (rule.max_pressure) terms.push_back(fmt::format("pressure {} at most", name_of(*rule.max_pressure)));
  if (!rule.leave_out.empty()) {
    std::vector<std::string> names;
    for (const auto& t : rule.leave_out) names.push_back(kb.techniques.name_or_id(t));
    terms.push_back("leave out " + listed(names));
  }
  if (!rule.keep_off.empty()) {
    std::vector<std::string> areas;
    for (auto a : rule.keep_off) areas.emplace_back(name_of(a));
    terms.push_back("keep off the " + listed(areas));
  }
  if (!rule.without.empty()) {
    std::vector<std::string> parts;
    for (auto p : rule.without) parts.emplace_back(name_of(p));
    terms.push_back("without " + listed(parts));
  }
  return listed(terms, "; ");
}

/// "[A] NHS, Back pain https://… (read at https://…)".
std::string source_line(const Source& src) {
  std::string line = fmt::format("[{}] ", name_of(src.tier));
  if (!src.publisher.empty()) line += src.publisher + ", ";
  line += src.title;
  if (!src.url.empty()) line += " " + src.url;
  if (!src.via.empty()) line += " (read at " + src.via + ")";
  return sanitize(line);
}

/// "Emergency", "Urgent", "Soon": the name of a group of warning signs.
const char* urgency_group(Urgency urgency) {
  return urgency == Urgency::emergency ? "Emergency" : urgency == Urgency::urgent ? "Urgent" : "Soon";
}

constexpr const char* kTiers =
    "Tiers: A = health agency, clinical guideline, systematic review or journal; B = professional body, "
    "major "
    "clinic or health charity; C = practitioner or other, used only to describe a style.";

std::string setting_line(const Setting& setting) {
  std::vector<std::string> surfaces;
  for (auto surface : setting.surfaces) {
    surfaces.emplace_back(surface == Surface::mat     ? "a floor mat"
                          : surface == Surface::chair ? "a chair"
                                                      : "a table");
  }
  std::string where = "On ";
  for (std::size_t i = 0; i < surfaces.size(); ++i) {
    if (i > 0) where += i + 1 == surfaces.size() ? " or " : ", ";
    where += surfaces[i];
  }
  const char* clothing = setting.clothing == Clothing::clothed     ? "clothed"
                         : setting.clothing == Clothing::undressed ? "undressed under a drape"
                                                                   : "clothed or undressed";
  const char* oil = setting.oil == Usage::used       ? "with oil"
                    : setting.oil == Usage::optional ? "oil optional"
                                                     : "no oil";
  const char* heat = setting.heat == Usage::used       ? "with heat"
                     : setting.heat == Usage::optional ? "heat optional"
                                                       : "no heat";
  return fmt::format("{} · {} · {} · {}", where, clothing, oil, heat);
}

}  // namespace

std::string pressure_bar(const PressureRange& range, std::size_t indent, const Style& style, bool scale) {
  constexpr std::size_t kCell = 8;
  std::string bar;
  std::string labels;
  for (auto level : {Pressure::light, Pressure::medium, Pressure::firm, Pressure::deep}) {
    const bool in = range.contains(level);
    std::string cell;
    for (std::size_t i = 0; i < kCell; ++i) cell += in ? "█" : "░";
    bar += in ? paint(cell, Paint::accent, style) : paint(cell, Paint::dim, style);
    labels += pad(name_of(level), kCell);
  }
  while (!labels.empty() && labels.back() == ' ') labels.pop_back();
  std::string out =
      fmt::format("{}{}  {}\n", std::string(indent, ' '), bar, pressure_span(range.min, range.max));
  if (scale) out += std::string(indent, ' ') + labels + '\n';
  return out;
}

std::string list_text(const std::vector<const Modality*>& items, const Style& style) {
  if (style.tabular) {
    std::string out;
    for (const auto* m : items)
      out += tabular_row({m->id, m->name, pressure_span(m->pressure.min, m->pressure.max), m->summary});
    return out;
  }
  std::size_t id_w = 0, name_w = 0, pressure_w = 0;
  for (const auto* m : items) {
    id_w = std::max(id_w, display_width(sanitize(m->id)));
    name_w = std::max(name_w, display_width(sanitize(m->name)));
    pressure_w = std::max(pressure_w, display_width(pressure_span(m->pressure.min, m->pressure.max)));
  }
  const std::size_t left = id_w + name_w + pressure_w + 6;
  std::string out;
  for (const auto* m : items) {
    out += paint(pad(sanitize(m->id), id_w), Paint::id, style) + "  " + pad(sanitize(m->name), name_w) +
           "  " + pressure_span(m->pressure.min, m->pressure.max);
    // The summary wraps beside the columns when there is room, else under the name.
    if (style.width >= left + 30) {
      const auto lines = wrap(sanitize(m->summary), style.width - left);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        out += i == 0
                   ? std::string(
                         pressure_w + 2 - display_width(pressure_span(m->pressure.min, m->pressure.max)), ' ')
                   : std::string(left, ' ');
        out += lines[i] + '\n';
      }
    } else {
      out += '\n';
      paragraph(out, m->summary, id_w + 2, style);
    }
  }
  return out;
}

namespace {

/// The top of a modality's page: name, aliases (unless left out), summary.
void title(std::string& out, const Modality& m, const Style& style, bool aliases = true) {
  out += paint(sanitize(m.name), Paint::heading, style) + "  " +
         paint(fmt::format("({})", sanitize(m.id)), Paint::id, style) + '\n';
  if (aliases && !m.aliases.empty()) {
    for (const auto& line : wrap("Also called: " + listed(m.aliases), style.width))
      out += paint(line, Paint::dim, style) + '\n';
  }
  paragraph(out, m.summary, 0, style);
}

void what_happens(std::string& out, const Modality& m, const Style& style) {
  heading(out, "What happens", style);
  paragraph(out, m.description, kIndent, style);
}

void helps_knots(std::string& out, const Modality& m, const Style& style) {
  heading(out, "How it helps knots", style);
  paragraph(out, m.helps_knots, kIndent, style);
}

/// "At a glance": the facts a person compares styles by, one labelled line each.
/// How well it reaches a knot in each area, in the entry's own order (authors write from the neck
/// down; the catalog of areas is sorted by id): "neck and shoulders well, lower back partly".
std::string reach_line(const std::vector<AreaReach>& areas, const KnowledgeBase& kb) {
  std::vector<std::string> parts;
  for (const auto& r : areas) {
    const KnotArea* area = kb.areas.find(r.id);
    parts.push_back(fmt::format("{} {}", area ? lower_first(area->name) : id_words(r.id), name_of(r.value)));
  }
  return listed(parts);
}

/// Where to read more: the guide topics that name the modality.
void guide_line(std::string& out, const ModalityPage& page, const Style& style) {
  if (page.topics.empty()) return;
  std::vector<std::string> ids;
  for (const GuideTopic* t : page.topics) ids.push_back(sanitize(t->id));
  heading(out, "Read more", style);
  paragraph(out, "knots guide " + joined(ids, ", "), kIndent, style);
}

void at_a_glance(std::string& out, const Modality& m, const KnowledgeBase& kb, const Style& style) {
  heading(out, "At a glance", style);
  field(out, "Setting", setting_line(m.setting), style);
  std::vector<std::string> techniques;
  for (const auto& t : m.techniques) techniques.push_back(kb.techniques.name_or_id(t));
  field(out, "Techniques", listed(techniques), style);
  field(out, "Therapist uses", listed(m.tools), style);
  std::vector<std::string> targets;
  for (const auto& t : m.targets) targets.push_back(id_words(t));
  field(out, "Targets", listed(targets), style);
  field(out, "The back",
        m.back == BackContact::direct ? "worked on directly" : "reached indirectly, not worked on itself",
        style);
  if (!m.areas.empty()) field(out, "Reaches", reach_line(m.areas, kb), style);
  std::vector<std::string> goals;
  for (const auto& g : m.goals) {
    goals.push_back(fmt::format("{} ({})", kb.goals.name_or_id(g.id), name_of(g.value)));
  }
  field(out, "Suits", listed(goals), style);
  field(out, "Origin", sanitize(m.origin), style);
  if (!m.related.empty()) {
    std::vector<std::string> related;
    for (const auto& r : m.related) related.push_back(fmt::format("{} ({})", r.id, name_of(r.relation)));
    field(out, "Related", listed(related), style);
  }
}

/// "With blood thinners, pressure must …" as the start of a sentence.
std::string sentence(std::string text) {
  if (!text.empty()) text[0] = ascii_upper(text[0]);
  return text + ". ";
}

/// "Cautions": what rules the modality out first (with why, when it is an adapt it cannot meet),
/// then what only adapts it, each with its note.
void cautions_section(std::string& out, const ModalityPage& page, const KnowledgeBase& kb,
                      const Style& style) {
  heading(out, "Cautions", style);
  for (const bool avoid : {true, false}) {
    for (const auto& c : page.cautions) {
      if ((c.meaning == CautionMeaning::avoid) != avoid) continue;
      std::string title = sanitize(c.condition->name);
      if (!avoid && !rule_terms(c.rule, kb).empty()) title += fmt::format(" ({})", rule_terms(c.rule, kb));
      out += std::string(kIndent, ' ') +
             paint(avoid ? "avoid  " : "adapt  ", avoid ? Paint::bad : Paint::warn, style) +
             paint(title, Paint::heading, style) + '\n';
      std::string text;
      for (const auto& why : c.why) text += sentence(why);
      paragraph(out, text + c.rule.note + citation(c.rule.sources), kIndent + 7, style);
    }
  }
  if (page.cautions.empty())
    paragraph(out, "None recorded. Tell the therapist about any health condition.", kIndent, style);
}

/// "Evidence": how well it is supported, in plain words, and what the sources found.
void evidence_section(std::string& out, const Modality& m, const Style& style) {
  heading(out, "Evidence", style);
  out += std::string(kIndent, ' ') +
         paint(std::string(evidence_words(m.evidence.grade)), Paint::accent, style) + '\n';
  paragraph(out, m.evidence.note + citation(m.evidence.sources), kIndent, style);
}

/// "Sources": every source the page cites, in full, and what the tiers mean.
void sources_section(std::string& out, const ModalityPage& page, const KnowledgeBase& kb,
                     const Style& style) {
  heading(out, "Sources", style);
  std::size_t id_w = 0;
  for (const auto& id : page.cited) id_w = std::max(id_w, display_width(sanitize(id)));
  for (const auto& id : page.cited) {
    const Source* src = kb.sources.find(id);
    const std::size_t indent = kIndent + id_w + 2;
    const auto lines = wrap(src ? source_line(*src) : "(unknown source)",
                            style.width > indent + 20 ? style.width - indent : 20);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += std::string(kIndent, ' ') + (i == 0 ? pad(sanitize(id), id_w) : std::string(id_w, ' ')) + "  " +
             lines[i] + '\n';
    }
  }
  paragraph(out, kTiers, kIndent, style);
}

/// "Avoid with: blood clots, fever", wrapped with the lines after the first indented, the label
/// painted.
void labelled_list(std::string& out, std::string_view label, const std::vector<std::string>& items,
                   Paint label_paint, const Style& style) {
  constexpr std::size_t kHang = kIndent + 2;
  const std::string text = sanitize(fmt::format("{} {}", label, joined(items, ", ")));
  const auto lines = wrap(text, style.width > kHang + 20 ? style.width - kHang : 20);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // The label is painted when it is whole on the first line (the width can be narrower).
    if (i == 0 && lines[0].starts_with(label)) {
      out += std::string(kIndent, ' ') + paint(label, label_paint, style) + lines[0].substr(label.size());
    } else {
      out += std::string(i == 0 ? kIndent : kHang, ' ') + lines[i];
    }
    out += '\n';
  }
}

/// The short page's cautions: the conditions that rule the modality out, then those that limit its
/// pressure, grouped by limit, each condition by its id in words as --condition takes it; the rest
/// counted, with where to read them.
void short_cautions(std::string& out, const ModalityPage& page, const Style& style) {
  heading(out, "Cautions", style);
  std::vector<std::string> avoid;
  std::vector<std::vector<std::string>> capped(names_of<Pressure>().size());
  std::size_t rest = 0;
  for (const auto& c : page.cautions) {
    if (c.meaning == CautionMeaning::avoid) {
      avoid.push_back(id_words(c.condition->id));
    } else if (c.meaning == CautionMeaning::cap) {
      capped[static_cast<std::size_t>(*c.rule.max_pressure)].push_back(id_words(c.condition->id));
    } else {
      ++rest;
    }
  }
  if (!avoid.empty()) labelled_list(out, "Avoid with:", avoid, Paint::bad, style);
  for (std::size_t level = 0; level < capped.size(); ++level) {
    if (capped[level].empty()) continue;
    const auto cap = name_of(static_cast<Pressure>(level));
    const std::string label =
        level == 0 ? "Light pressure only with:"
                   : fmt::format("{}{} pressure at most with:", ascii_upper(cap.front()), cap.substr(1));
    labelled_list(out, label, capped[level], Paint::warn, style);
  }
  if (page.cautions.empty()) {
    paragraph(out, "None recorded. Tell the therapist about any health condition.", kIndent, style);
  } else if (rest > 0) {
    paragraph(out,
              fmt::format("{} more caution{} adapt{} the massage: knots show {} --full", rest,
                          rest == 1 ? "" : "s", rest == 1 ? "s" : "", page.modality->id),
              kIndent, style);
  }
}

/// The short page's facts at a glance: the pressure bar (with the names of the levels under it when
/// `scale`), the setting, the evidence in plain words.
void short_glance(std::string& out, const Modality& m, const KnowledgeBase& kb, bool scale,
                  const Style& style) {
  const std::string plain = pressure_bar(m.pressure, 0, Style{false, style.width}, false);
  out += '\n' + std::string(kIndent, ' ');
  // Beside its label when there is room, else under it.
  if (style.width >= kIndent + kLabel + display_width(plain.substr(0, plain.find('\n')))) {
    out += paint(pad("Pressure", kLabel), Paint::dim, style) +
           pressure_bar(m.pressure, kIndent + kLabel, style, scale).substr(kIndent + kLabel);
  } else {
    out += paint("Pressure", Paint::dim, style) + '\n' + pressure_bar(m.pressure, kIndent, style, scale);
  }
  field(out, "Setting", setting_line(m.setting), style);
  field(out, "Evidence", std::string(evidence_words(m.evidence.grade)) + citation(m.evidence.sources), style);
  if (!m.areas.empty()) field(out, "Reaches", reach_line(m.areas, kb), style);
}

/// The short page's sources: the ids of the entry's own and its evidence's, and where to read more.
void short_sources(std::string& out, const ModalityPage& page, const Style& style) {
  heading(out, "Sources", style);
  paragraph(out, joined(page.described_by, ", "), kIndent, style);
  paragraph(out, "One in full: knots sources ID; all of them with --full", kIndent, style);
}

/// "Read more  knots guide …": a heading and its text on one line, the text wrapped under itself;
/// below 31 columns, the text under the heading.
void headed_line(std::string& out, std::string_view label, std::string_view text, const Style& style) {
  constexpr std::size_t kHead = 11;  // "Read more" and two spaces
  if (style.width < kHead + 20) {
    out += paint(label, Paint::heading, style) + '\n';
    paragraph(out, text, kIndent, style);
    return;
  }
  const auto lines = wrap(sanitize(text), style.width - kHead);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += (i == 0 ? paint(pad(label, kHead), Paint::heading, style) : std::string(kHead, ' ')) + lines[i] +
           '\n';
  }
}

/// "Read more" and "Sources" in two lines, for a page over its budget: the guide topics, and the
/// number of sources that --full lists, without their ids.
void short_pointers(std::string& out, const ModalityPage& page, const Style& style) {
  out += '\n';
  if (!page.topics.empty()) {
    std::vector<std::string> ids;
    for (const GuideTopic* t : page.topics) ids.push_back(t->id);
    headed_line(out, "Read more", "knots guide " + joined(ids, ", "), style);
  }
  const std::size_t n = page.cited.size();
  headed_line(out, "Sources",
              n == 0   ? "none cited"
              : n == 1 ? "1 cited; in full: knots sources ID, or with --full"
                       : fmt::format("{} cited; one in full: knots sources ID; all of them with --full", n),
              style);
}

/// The short page's budget: two screens of a 24-line terminal.
constexpr std::size_t kShortPageLines = 48;

/// What the short page gives up while it runs over its budget, one step at a time, the least
/// useful first, each still on the --full page: the ids of the sources and the "Read more" heading
/// (two lines of pointers instead), the names of the levels under the pressure bar (the range is
/// in words beside it), the other names of the style (the reader has found it already). Never
/// the summary, the facts at a glance, what happens, how it helps knots or a caution: that prose
/// carries safety advice (Thai massage's torn neck arteries, a clot after massage in pregnancy)
/// that no rule could tell from the rest, so a page too long even without those runs over rather
/// than drop a word of it.
enum class Cut { none, pointers, scale, aliases };

std::string short_page(const ModalityPage& page, const KnowledgeBase& kb, Cut cut, const Style& style) {
  const Modality& m = *page.modality;
  std::string out;
  title(out, m, style, cut < Cut::aliases);
  short_glance(out, m, kb, cut < Cut::scale, style);
  what_happens(out, m, style);
  helps_knots(out, m, style);
  short_cautions(out, page, style);
  if (cut < Cut::pointers) {
    guide_line(out, page, style);
    short_sources(out, page, style);
  } else {
    short_pointers(out, page, style);
  }
  return out;
}

}  // namespace

std::string modality_text(const ModalityPage& page, const KnowledgeBase& kb, bool full, const Style& style) {
  if (!full) {
    std::string out;
    for (const Cut cut : {Cut::none, Cut::pointers, Cut::scale, Cut::aliases}) {
      out = short_page(page, kb, cut, style);
      if (static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')) <= kShortPageLines) break;
    }
    return out;
  }
  const Modality& m = *page.modality;
  std::string out;
  title(out, m, style);
  heading(out, "Pressure", style);
  out += pressure_bar(m.pressure, kIndent, style);
  what_happens(out, m, style);
  helps_knots(out, m, style);
  at_a_glance(out, m, kb, style);
  cautions_section(out, page, kb, style);
  evidence_section(out, m, style);
  guide_line(out, page, style);
  sources_section(out, page, kb, style);
  return out;
}

std::string techniques_text(const KnowledgeBase& kb, const Style& style) {
  if (style.tabular) {
    std::string out;
    for (const auto& t : kb.techniques.all()) out += tabular_row({t.id, t.name, t.definition});
    return out;
  }
  std::size_t id_w = 0;
  for (const auto& t : kb.techniques.all()) id_w = std::max(id_w, display_width(sanitize(t.id)));
  std::string out;
  for (const auto& t : kb.techniques.all()) {
    out += paint(pad(sanitize(t.id), id_w), Paint::id, style) + "  " +
           paint(sanitize(t.name), Paint::heading, style) + '\n';
    paragraph(out, t.definition, id_w + 2, style);
  }
  return out;
}

std::string technique_text(const TechniqueUsers& page, const Style& style) {
  const Technique& t = *page.technique;
  std::string out;
  out += paint(sanitize(t.name), Paint::heading, style) + "  " +
         paint(fmt::format("({})", sanitize(t.id)), Paint::id, style) + '\n';
  if (!t.aliases.empty()) out += paint("Also called: " + listed(t.aliases), Paint::dim, style) + '\n';
  paragraph(out, t.definition + citation(t.sources), 0, style);
  heading(out, "Used by", style);
  const auto& users = page.used_by;
  if (users.empty()) paragraph(out, "No modality in the knowledge base.", kIndent, style);
  std::size_t id_w = 0;
  for (const auto* m : users) id_w = std::max(id_w, display_width(sanitize(m->id)));
  for (const auto* m : users) {
    out += std::string(kIndent, ' ') + paint(pad(sanitize(m->id), id_w), Paint::id, style) + "  " +
           sanitize(m->name) + '\n';
  }
  return out;
}

namespace {

/// The first lines of a vocabulary entry (a condition, a goal): its id and name, then its other
/// names, dimmed.
void vocabulary_heading(std::string& out, const std::string& id, const std::string& name,
                        const std::vector<std::string>& aliases, const Style& style) {
  out += paint(sanitize(id), Paint::id, style) + "  " + paint(sanitize(name), Paint::heading, style) + '\n';
  if (aliases.empty()) return;
  for (const auto& line : wrap("Also: " + listed(aliases), style.width - kIndent)) {
    out += std::string(kIndent, ' ') + paint(sanitize(line), Paint::dim, style) + '\n';
  }
}

}  // namespace

std::string conditions_text(const std::vector<ConditionSummary>& conditions, const KnowledgeBase& kb,
                            const Style& style) {
  if (style.tabular) {
    std::string out;
    for (const auto& summary : conditions) {
      const Condition& c = *summary.condition;
      out += tabular_row({c.id, c.name, c.guidance});
    }
    return out;
  }
  std::string out;
  bool first = true;
  for (const auto& summary : conditions) {
    const Condition& c = *summary.condition;
    if (!first) out += '\n';
    first = false;
    vocabulary_heading(out, c.id, c.name, c.aliases, style);
    paragraph(out, c.guidance + citation(c.sources), kIndent, style);
    if (c.every_modality && c.every_modality->level == CautionLevel::adapt) {
      if (const auto terms = rule_terms(*c.every_modality, kb); !terms.empty())
        field(out, "rule", terms, style, Paint::warn);
    }
    if (!c.red_flags.empty()) {
      std::vector<std::string> flags;
      for (const auto& id : c.red_flags) flags.push_back(kb.red_flags.name_or_id(id));
      field(out, "see a doctor", listed(flags), style, Paint::bad);
    }
    if (!summary.ruled_out.empty()) field(out, "ruled out", listed(summary.ruled_out), style, Paint::bad);
    if (!summary.capped.empty()) field(out, "adapted", listed(summary.capped), style, Paint::warn);
  }
  return out;
}

std::string goals_text(const std::vector<GoalPage>& goals, const Style& style) {
  if (style.tabular) {
    std::string out;
    for (const auto& page : goals)
      out += tabular_row({page.goal->id, page.goal->name, page.goal->description});
    return out;
  }
  std::string out;
  const auto ids = [](const auto& entries) {
    std::vector<std::string> names;
    for (const auto* e : entries) names.push_back(sanitize(e->id));
    return listed(names);
  };
  bool first = true;
  for (const auto& page : goals) {
    const Goal& g = *page.goal;
    if (!first) out += '\n';
    first = false;
    vocabulary_heading(out, g.id, g.name, g.aliases, style);
    if (!g.description.empty()) paragraph(out, g.description, kIndent, style);
    if (!page.strong.empty()) field(out, "suits well", ids(page.strong), style, Paint::good);
    if (!page.some.empty()) field(out, "can help", ids(page.some), style);
    if (!page.self_care.empty()) field(out, "self-care", ids(page.self_care), style);
  }
  return out;
}

namespace {

std::string first_sentence(const std::string& text) {
  const auto end = text.find(". ");
  return end == std::string::npos ? text : text.substr(0, end + 1);
}

/// A need as the "For:" line says it.
std::string_view need_words(Need need) {
  switch (need) {
    case Need::no_oil:
      return "no oil";
    case Need::no_heat:
      return "no heat";
    case Need::clothed:
      return "clothed";
    case Need::no_floor:
      return "not on the floor";
    case Need::direct:
      return "on the back itself";
  }
  return {};
}

std::string request_line(const RecommendRequest& request, const RecommendResult& result,
                         const KnowledgeBase& kb) {
  std::vector<std::string> parts;
  if (request.pressure) parts.push_back(fmt::format("{} pressure", name_of(*request.pressure)));
  if (!request.goals.empty()) {
    std::vector<std::string> goals;
    for (const auto& g : request.goals) goals.push_back(id_words(g));
    parts.push_back("goals: " + listed(goals));
  }
  if (!request.areas.empty()) {
    std::vector<std::string> areas;
    for (const auto& a : request.areas) areas.push_back(lower_first(kb.areas.name_or_id(a)));
    parts.push_back("knot: " + listed(areas));
  }
  if (!request.conditions.empty()) {
    std::vector<std::string> conditions;
    for (const auto& c : request.conditions) conditions.push_back(kb.conditions.name_or_id(c));
    parts.push_back("with: " + listed(conditions));
  }
  if (!request.symptoms.empty()) {
    std::vector<std::string> symptoms;
    for (const auto& id : request.symptoms) symptoms.push_back(kb.red_flags.name_or_id(id));
    parts.push_back("warning signs: " + listed(symptoms, "; "));
  }
  for (Need need : request.needs) parts.emplace_back(need_words(need));
  if (!request.prefer.empty()) {
    std::vector<std::string> prefer;
    for (auto p : request.prefer) prefer.emplace_back(name_of(p));
    parts.push_back("prefer: " + listed(prefer));
  }
  if (result.for_knots) {
    std::string line = "For a knot in the back and the tension around it";
    if (!parts.empty()) line += " · " + listed(parts, " · ");
    return line;
  }
  return "For: " + listed(parts, " · ");
}

}  // namespace

namespace {

/// The warning signs first, when there are any: how urgent, what to do, and which ones.
void screening_section(std::string& out, const Screening& screening, const Style& style) {
  if (!screening.urgency) return;
  const bool stops = screening.stops();
  heading(out, urgency_heading(*screening.urgency), style);
  out += paint(wrap_indented(screening.action(), kIndent, style), stops ? Paint::bad : Paint::warn, style);
  paragraph(out, "Because you have:", kIndent, style);
  for (const RedFlag* flag : screening.flags) {
    bullet(
        out,
        fmt::format("{} ({}). {}{}", flag->name, name_of(flag->urgency), flag->text, citation(flag->sources)),
        kIndent * 2, style);
  }
  if (stops) paragraph(out, "Nothing is recommended until a clinician has seen you.", kIndent, style);
}

/// The warning signs that pain where the knot is can also be, when an area was asked for and the
/// screening has not already sent the person to a clinician.
void area_section(std::string& out, const RecommendResult& result, const RecommendRequest& request,
                  const KnowledgeBase& kb, const Style& style) {
  if (result.area_flags.empty() || result.screening.stops()) return;
  std::vector<std::string> where;
  for (const auto& id : request.areas) {
    const KnotArea* area = kb.areas.find(id);
    if (area && !area->red_flags.empty()) where.push_back(area_words(*area));
  }
  std::vector<std::string> signs;
  for (const RedFlag* flag : result.area_flags) {
    signs.push_back(fmt::format("{} ({})", flag->name, name_of(flag->urgency)));
  }
  const std::string text = fmt::format(
      "A knot {} is common, but pain there can also be a warning sign. See a clinician before any "
      "massage if you have: {}. More: knots red-flags",
      listed(where, " or "), listed(signs, "; "));
  out += '\n' + paint(wrap_indented(text, 0, style), Paint::warn, style);
}

/// Where to read more: the guide topics about what was asked.
void topics_line(std::string& out, const RecommendResult& result, const Style& style) {
  if (result.topics.empty()) return;
  std::vector<std::string> ids;
  for (const GuideTopic* t : result.topics) ids.push_back(sanitize(t->id));
  out +=
      '\n' + paint(wrap_indented("Read more: knots guide " + listed(ids, ", "), 0, style), Paint::dim, style);
}

/// Why there is no shortlist, when there is none: a condition that postpones all massage, or
/// criteria that nothing meets (and, when it is the pressure, which pressure would do).
void without_shortlist(std::string& out, const RecommendResult& result, const RecommendRequest& request,
                       const KnowledgeBase& kb, const Style& style) {
  if (result.screening.stops()) return;  // the screening above is the answer
  if (!result.postpone.empty()) {
    heading(out, "No massage for now", style);
    for (const auto& p : result.postpone) {
      out +=
          std::string(kIndent, ' ') + paint(kb.conditions.name_or_id(p.condition), Paint::bad, style) + '\n';
      paragraph(out, p.note, kIndent * 2, style);
    }
  } else if (result.items.empty()) {
    heading(out, "Nothing fits every criterion", style);
    if (request.pressure && result.pressure_cap && *request.pressure > *result.pressure_cap) {
      paragraph(
          out,
          fmt::format("The conditions you named call for {} pressure at most, so nothing at {} pressure "
                      "is suitable; ask without --pressure to see what is.",
                      name_of(*result.pressure_cap), name_of(*request.pressure)),
          kIndent, style);
    } else {
      paragraph(out, "See why each one was ruled out below, and try with fewer criteria.", kIndent, style);
    }
  }
}

/// One recommendation: rank, name and score, then its reasons, notes, cautions and (with
/// `explain`) the parts of its score.
void recommendation(std::string& out, const Recommendation& rec, std::size_t rank, const KnowledgeBase& kb,
                    bool explain, const Style& style) {
  const Modality& m = *rec.modality;
  const std::string title = fmt::format("{}. {} ", rank, sanitize(m.name));
  const std::string id = fmt::format("({})", sanitize(m.id));
  const std::string score = fmt::format("score {:.1f}", rec.score);
  const std::size_t used = display_width(title) + display_width(id) + display_width(score);
  const std::size_t gap = style.width > used + 2 ? style.width - used : 2;
  out += paint(title, Paint::heading, style) + paint(id, Paint::id, style) + std::string(gap, ' ') +
         paint(score, Paint::accent, style) + '\n';
  paragraph(out, listed(reason_texts(rec.reasons), "; "), 3, style);
  for (const auto& note : rec.notes) paragraph(out, "Note: " + note.text + ".", 3, style);
  for (const auto& [condition, caution] : rec.cautions) {
    std::string text = fmt::format("Caution: {}. {}", kb.conditions.name_or_id(condition), caution.note);
    if (const auto terms = rule_terms(caution, kb); !terms.empty()) text += fmt::format(" ({})", terms);
    std::string line;
    for (const auto& l :
         wrap(sanitize(text) + citation(caution.sources), style.width > 23 ? style.width - 3 : 20)) {
      line += "   " + l + '\n';
    }
    out += paint(line, Paint::warn, style);
  }
  if (explain) {
    std::string sum;
    for (const auto& part : rec.breakdown) {
      if (!sum.empty()) sum += part.points < 0 ? " - " : " + ";
      sum += fmt::format("{} {:.1f}", part.criterion, std::abs(part.points));
    }
    paragraph(out, fmt::format("Score: {} = {:.1f}", sum, rec.score), 3, style);
  }
}

/// "Ruled out": every excluded modality with its reasons, or one line when all of them wait for a
/// clinician or for a condition to pass.
void ruled_out_section(std::string& out, const RecommendResult& result, const RecommendRequest& request,
                       const Style& style) {
  if (result.excluded.empty()) return;
  heading(out, "Ruled out", style);
  if (result.screening.stops()) {
    paragraph(out, fmt::format("All {} modalities, until a clinician has seen you.", result.excluded.size()),
              kIndent, style);
    return;
  }
  if (!result.postpone.empty()) {
    paragraph(out,
              fmt::format("All {} modalities, until the condition above has passed.", result.excluded.size()),
              kIndent, style);
    return;
  }
  // Those the pressure alone rules out, in one paragraph: with many styles they would fill the screen.
  std::vector<std::string> by_pressure;
  for (const auto& e : result.excluded) {
    if (e.pressure_only) by_pressure.push_back(sanitize(e.modality->id));
  }
  if (by_pressure.size() > 2 && request.pressure) {
    paragraph(out,
              fmt::format("Pressure range does not include {}: {}", name_of(*request.pressure),
                          joined(by_pressure, ", ")),
              kIndent, style);
  } else {
    by_pressure.clear();
  }
  std::size_t id_w = 0;
  for (const auto& e : result.excluded) id_w = std::max(id_w, display_width(sanitize(e.modality->id)));
  const std::size_t indent = kIndent + id_w + 2;
  for (const auto& e : result.excluded) {
    if (e.pressure_only && !by_pressure.empty()) continue;
    const auto lines =
        wrap(listed(reason_texts(e.reasons), "; "), style.width > indent + 20 ? style.width - indent : 20);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out +=
          std::string(kIndent, ' ') +
          (i == 0 ? paint(pad(sanitize(e.modality->id), id_w), Paint::id, style) : std::string(id_w, ' ')) +
          "  " + lines[i] + '\n';
    }
  }
}

}  // namespace

std::string recommend_text(const RecommendResult& result, const RecommendRequest& request,
                           const KnowledgeBase& kb, bool explain, const Style& style) {
  std::string out;
  paragraph(out, request_line(request, result, kb), 0, style);
  if (result.for_knots && !result.items.empty()) {
    out += paint(wrap_indented("Ranked for easing the knot (pain relief) first, then relaxation, and how "
                               "directly the work reaches a knot; --goal, --pressure or --ask say what "
                               "you want.",
                               0, style),
                 Paint::dim, style);
  }
  screening_section(out, result.screening, style);
  area_section(out, result, request, kb, style);
  without_shortlist(out, result, request, kb, style);

  if (!result.items.empty()) out += '\n';
  std::size_t rank = 0;
  for (const auto& rec : result.items) recommendation(out, rec, ++rank, kb, explain, style);
  if (result.more > 0) {
    paragraph(out,
              fmt::format("({} more suit these criteria; see them with --top {})", result.more,
                          result.items.size() + result.more),
              0, style);
  }
  if (std::any_of(result.items.begin(), result.items.end(),
                  [](const Recommendation& r) { return r.made_for; })) {
    out += paint(
        wrap_indented("A style made for a condition you named comes first, whatever its score.", 0, style),
        Paint::dim, style);
  }
  if (result.ties) {
    out += paint(wrap_indented("Equal scores: by evidence, then work on the back itself, then id.", 0, style),
                 Paint::dim, style);
  }
  ruled_out_section(out, result, request, style);
  topics_line(out, result, style);
  return out;
}

namespace {

/// The names of the self-care tips on one line of the width, "and N more" for those that do not
/// fit; empty when there are none.
std::string self_care_line(const RecommendResult& result, const Style& style) {
  const auto& tips = result.self_care;
  std::string best;
  std::string names;
  for (std::size_t i = 0; i < tips.size(); ++i) {
    names += (i > 0 ? ", " : "") + lower_first(tips[i]->name);
    const std::size_t left = tips.size() - i - 1;
    std::string line = "Self-care may help too: " + names +
                       (left > 0 ? fmt::format(", and {} more.", left) : std::string("."));
    if (i > 0 && display_width(line) > style.width) break;
    best = std::move(line);
  }
  return best;
}

/// The whole notice, for --explain: the red flags grouped by urgency, then the self-care tips.
std::string full_notice(const RecommendResult& result, const Style& style) {
  std::string out;
  paragraph(out,
            "This is not a diagnosis. See a clinician before any massage if your back pain comes with any of "
            "these:",
            0, style);
  for (auto urgency : {Urgency::emergency, Urgency::urgent, Urgency::soon}) {
    std::vector<std::string> shorts;
    for (const RedFlag* flag : result.red_flags) {
      if (flag->urgency == urgency) shorts.push_back(flag->name);
    }
    if (shorts.empty()) continue;
    const std::string label =
        fmt::format("{} ({})", urgency_group(urgency), lower_first(std::string(urgency_heading(urgency))));
    out += std::string(kIndent, ' ') +
           paint(label, urgency == Urgency::emergency ? Paint::bad : Paint::warn, style) + '\n';
    paragraph(out, listed(shorts, "; ") + ".", kIndent * 2, style);
  }
  if (!result.self_care.empty()) {
    out += paint("Self-care that may help as well:", Paint::heading, style) + '\n';
    for (const SelfCareTip* tip : result.self_care) {
      paragraph(out, fmt::format("{}: {}", tip->name, first_sentence(tip->advice)), kIndent, style);
    }
  }
  return out;
}

}  // namespace

std::string recommend_notice_text(const RecommendResult& result, bool full, const Style& style) {
  std::string out;
  // With a warning sign that needs a clinician, the answer above is what matters: the whole list
  // again would push it off a small screen.
  if (result.screening.stops()) {
    paragraph(out, "This is not a diagnosis. Every warning sign: knots red-flags", 0, style);
    return out;
  }
  if (full) return full_notice(result, style);
  // Short, so that the shortlist above stays on a 24-line screen: the warning signs the person
  // named were answered above; the others are one command away.
  paragraph(out,
            result.screening.flags.empty()
                ? "Not a diagnosis. Warning signs that need a clinician first: knots red-flags"
                : "Not a diagnosis. Other warning signs that need a clinician: knots red-flags",
            0, style);
  if (const std::string care = self_care_line(result, style); !care.empty()) out += care + '\n';
  out += paint("The whole notice, and how each score is made: --explain", Paint::dim, style) + '\n';
  return out;
}

namespace {

/// Wrapped to `width`, and a word longer than a narrow column broken across lines, so that a
/// table keeps its columns.
std::vector<std::string> wrap_cell(std::string_view text, std::size_t width) {
  std::vector<std::string> out;
  for (const auto& line : wrap(text, width)) {
    std::string rest = line;
    while (display_width(rest) > width) {
      const std::size_t cut = chars_prefix(rest, width);
      out.push_back(rest.substr(0, cut));
      rest = rest.substr(cut);
    }
    out.push_back(rest);
  }
  return out;
}

/// Four cells for light, medium, firm, deep: "░██░".
std::string mini_bar(const PressureRange& range) {
  std::string bar;
  for (auto level : {Pressure::light, Pressure::medium, Pressure::firm, Pressure::deep}) {
    bar += range.contains(level) ? "█" : "░";
  }
  return bar;
}

/// The side-by-side table: a label column, then one column per modality, sized to the width.
class CompareTable {
 public:
  CompareTable(std::size_t columns, const Style& style)
      : n_(columns),
        col_(std::max<std::size_t>(10, style.width > fixed() ? (style.width - fixed()) / n_ : 10)),
        style_(style) {}

  /// One row: cells wrapped in their columns, lines padded so that the columns line up.
  [[nodiscard]] std::string row(std::string_view mark, std::string_view label,
                                const std::vector<std::string>& cells, Paint label_paint) const {
    std::vector<std::vector<std::string>> wrapped;
    std::size_t height = 1;
    for (const auto& cell : cells) {
      wrapped.push_back(wrap_cell(sanitize(cell), col_));
      height = std::max(height, wrapped.back().size());
    }
    std::string out;
    for (std::size_t line = 0; line < height; ++line) {
      std::string text = line == 0 ? paint(pad(mark, kMark), Paint::warn, style_) +
                                         paint(pad(label, kLabel), label_paint, style_)
                                   : std::string(kMark + kLabel, ' ');
      for (std::size_t i = 0; i < n_; ++i) {
        const std::string cell = line < wrapped[i].size() ? wrapped[i][line] : "";
        text += i + 1 < n_ ? pad(cell, col_ + kGap) : cell;
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += text + '\n';
    }
    return out;
  }

 private:
  static constexpr std::size_t kMark = 2;    // "≠ "
  static constexpr std::size_t kLabel = 15;  // "Therapist uses "
  static constexpr std::size_t kGap = 2;
  [[nodiscard]] std::size_t fixed() const { return kMark + kLabel + kGap * (n_ - 1); }

  std::size_t n_;
  std::size_t col_;
  const Style& style_;
};

/// "In common": the rows that do not differ, and what every one has of a list that does.
void in_common(std::string& out, const CompareResult& result, const Style& style) {
  std::vector<std::string> shared;
  for (const auto& r : result.rows) {
    if (!r.differs) {
      shared.push_back(r.label + ": " + r.values.front());
    } else if (!r.shared.empty()) {
      shared.push_back(r.label + " (all): " + listed(r.shared));
    }
  }
  if (shared.empty()) return;
  heading(out, "In common", style);
  for (const auto& line : shared) paragraph(out, line, kIndent, style);
}

/// "Which to choose": one line per modality that has something to say for it.
void which_to_choose(std::string& out, const CompareResult& result, const Style& style) {
  bool any_choice = false;
  for (const auto& line : result.choose) any_choice = any_choice || !line.empty();
  if (!any_choice) return;
  heading(out, "Which to choose", style);
  for (const auto& line : result.choose) {
    if (!line.empty()) paragraph(out, line, kIndent, style);
  }
}

}  // namespace

std::string compare_text(const CompareResult& result, bool diff_only, const Style& style) {
  const std::size_t n = result.items.size();
  const CompareTable table(n, style);
  std::string out;
  std::vector<std::string> names;
  for (const auto* m : result.items) names.push_back(fmt::format("{} ({})", m->name, m->id));
  out += paint(table.row("", "", names, Paint::heading), Paint::heading, style);
  out += '\n';
  for (const auto& r : result.rows) {
    if (!r.differs) continue;
    std::vector<std::string> cells = r.values;
    if (r.field == "pressure") {
      for (std::size_t i = 0; i < n; ++i) cells[i] = mini_bar(result.items[i]->pressure) + " " + cells[i];
    }
    out += table.row("≠", r.label, cells, Paint::heading);
  }
  if (!diff_only) in_common(out, result, style);
  which_to_choose(out, result, style);
  return out;
}

namespace {

/// The title line of a hit: rank, name, kind and id, and the score at the right edge.
void search_title(std::string& out, const SearchHit& hit, std::size_t rank, const Style& style) {
  std::string title = fmt::format("{}. {} ", rank, sanitize(hit.name));
  const std::string kind = fmt::format("({} {})", name_of(hit.kind), sanitize(hit.id));
  const std::string score = fmt::format("score {:.1f}", hit.score);
  // A long name (a red flag's) is wrapped, and the kind and score go on its last line or the next.
  if (display_width(title) + display_width(kind) + display_width(score) + 2 > style.width) {
    auto lines = wrap(title, style.width > 23 ? style.width - 3 : 20);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i)
      out += paint((i ? "   " : "") + lines[i], Paint::heading, style) + '\n';
    title = (lines.size() > 1 ? "   " : "") + lines.back() + " ";
    if (display_width(title) + display_width(kind) + display_width(score) + 2 > style.width) {
      title.pop_back();  // the space before the kind, which goes to the next line
      out += paint(title, Paint::heading, style) + '\n';
      title = "   ";
    }
  }
  const std::size_t used = display_width(title) + display_width(kind) + display_width(score);
  const std::size_t gap = style.width > used + 2 ? style.width - used : 2;
  out += paint(title, Paint::heading, style) + paint(kind, Paint::id, style) + std::string(gap, ' ') +
         paint(score, Paint::accent, style) + '\n';
}

/// "label: snippet", wrapped, with the matches coloured inside each line.
void search_snippet(std::string& out, const SearchHit& hit, const Style& style) {
  // Wrap the plain snippet first, then colour the matches inside each line.
  std::string snippet = hit.label + ": " + hit.snippet;
  const std::size_t shift = hit.label.size() + 2;
  std::size_t line_start = 0;  // offset of the current line within `snippet`
  for (const auto& line : wrap(snippet, style.width > 23 ? style.width - 3 : 20)) {
    const std::size_t at = snippet.find(line, line_start);
    std::string painted;
    std::size_t pos = 0;
    for (const auto& [offset, length] : hit.marks) {
      const std::size_t begin = offset + shift;
      if (begin < at + pos || begin + length > at + line.size()) continue;
      painted += sanitize(line.substr(pos, begin - at - pos));
      painted += paint(sanitize(line.substr(begin - at, length)), Paint::warn, style);
      pos = begin - at + length;
    }
    painted += sanitize(line.substr(pos));
    out += "   " + painted + '\n';
    line_start = at + line.size();
  }
}

}  // namespace

std::string search_read_as_text(const SearchResult& result, const Style& style) {
  if (result.read_as.empty()) return {};
  std::vector<std::string> read;
  for (const auto& r : result.read_as)
    read.push_back(fmt::format("'{}' as '{}'", sanitize(r.typed), sanitize(r.read)));
  return paint(wrap_indented("Read " + joined(read, ", ") + ".", 0, style), Paint::dim, style);
}

std::string search_text(const SearchResult& result, const Style& style) {
  std::string out = search_read_as_text(result, style);
  if (!out.empty() && !result.hits.empty()) out += '\n';
  std::size_t rank = 0, asides = 0;
  for (const auto& hit : result.hits) {
    if (hit.aside && rank == 0) {
      out += paint(wrap_indented("Warning signs that match your words; if you have one, see a clinician "
                                 "before any massage:",
                                 0, style),
                   Paint::warn, style);
    }
    if (!hit.aside && rank > 0 && result.hits[rank - 1].aside) {
      out += '\n' + paint("Other matches:", Paint::heading, style) + '\n';
    }
    asides += hit.aside ? 1 : 0;
    search_title(out, hit, ++rank, style);
    search_snippet(out, hit, style);
  }
  // A topic is read with its own command, which its kind ("topic") does not name.
  if (std::any_of(result.hits.begin(), result.hits.end(),
                  [](const SearchHit& h) { return h.kind == HitKind::topic; })) {
    out += '\n' + paint(wrap_indented("Read a topic with 'knots guide ID'.", 0, style), Paint::dim, style);
  }
  if (result.total > result.hits.size()) {
    out += paint(
        wrap_indented(fmt::format("Showing {} of {} matches; --top {} shows them all.",
                                  result.hits.size() - asides, result.total - asides, result.total - asides),
                      0, style),
        Paint::dim, style);
  }
  return out;
}

std::string search_message_text(const SearchResult& result, const SearchQuery& query, const Style& style) {
  std::vector<std::string> lines;
  if (result.hits.empty()) {
    std::string message = fmt::format("knots: no match for '{}'", joined(query.terms, " "));
    if (!result.hints.empty()) {
      std::vector<std::string> quoted;
      for (const auto& h : result.hints) quoted.push_back("'" + h + "'");
      message += "; closest words in the knowledge base: " + joined(quoted);
    }
    if (query.match == Match::all && query.terms.size() > 1)
      message += "; without --all, any of the words may match";
    lines.push_back(message);
  }
  for (const auto& note : result.notes) lines.push_back(note);
  if (result.hits.empty()) {
    lines.emplace_back(
        "knots covers massage styles, techniques, health conditions, warning signs, self-care, goals, areas "
        "of the back, sources and a guide to common questions ('knots guide'). "
        "To find what suits you, answer a few questions:");
  }
  std::string out;
  for (const auto& line : lines) paragraph(out, line, 0, style);
  if (result.hits.empty()) out += "  knots recommend --ask\n";  // a command is never broken
  return out;
}

std::string paths_text(const std::vector<FolderStatus>& folders, const Places& places,
                       const KnowledgeBase* kb, const Style& style) {
  std::string out = paint("Knowledge-base folders, in order (later ones win):", Paint::heading, style) + '\n';
  std::size_t n = 0;
  for (const auto& f : folders) {
    std::string line = fmt::format("  {}. {}", ++n, sanitize(f.path));
    if (f.status == "missing") {
      out += paint(line + " (missing: no such folder)", Paint::bad, style) + '\n';
    } else if (f.status == "unreadable") {
      out += paint(line + " (cannot be read)", Paint::bad, style) + '\n';
    } else if (f.status == "invalid") {
      out += paint(fmt::format("{} (invalid: {} problem{}; see knots validate)", line, f.problems,
                               f.problems == 1 ? "" : "s"),
                   Paint::bad, style) +
             '\n';
    } else {
      out += line + '\n';
    }
  }
  for (const auto& entry : places.ignored) {
    out += paint(
        wrap_indented(fmt::format("KNOTS_PATH entry '{}' left out: not an absolute path", sanitize(entry)),
                      kIndent, style),
        Paint::warn, style);
  }
  auto place = [&](std::string_view label, const std::string& path, const std::string& note) {
    std::string line = path.empty()   ? fmt::format("{}: none ({})", label, note)
                       : note.empty() ? fmt::format("{}: {}", label, sanitize(path))
                                      : fmt::format("{}: {} ({})", label, sanitize(path), note);
    out += wrap_indented(line, 0, style);
  };
  out += '\n';
  place("User folder", places.user_folder, places.user_note);
  place("Cache", places.cache, places.cache_note);
  out += '\n' + paint("Vocabularies (techniques, conditions …):", Paint::heading, style) + '\n';
  for (const auto& file : places.vocabularies) out += "  " + sanitize(file) + '\n';
  out += '\n' + paint("Modalities:", Paint::heading, style) + '\n';
  if (!kb) {
    out += wrap_indented("none loaded: the folders above have problems; 'knots validate' lists them", kIndent,
                         style);
    return out;
  }
  std::size_t id_w = 0;
  for (const auto& m : kb->modalities.all()) id_w = std::max(id_w, display_width(sanitize(m.id)));
  for (const auto& m : kb->modalities.all()) {
    out += "  " + paint(pad(sanitize(m.id), id_w), Paint::id, style) + "  " + sanitize(m.file) + '\n';
  }
  return out;
}

std::string red_flags_text(const KnowledgeBase& kb, const Style& style) {
  if (style.tabular) {
    std::string out;
    for (auto urgency : {Urgency::emergency, Urgency::urgent, Urgency::soon}) {
      for (const auto& f : kb.red_flags.all()) {
        if (f.urgency == urgency) out += tabular_row({f.id, std::string(name_of(urgency)), f.name, f.text});
      }
    }
    return out;
  }
  std::string out;
  bool first = true;
  for (auto urgency : {Urgency::emergency, Urgency::urgent, Urgency::soon}) {
    std::vector<const RedFlag*> flags;
    for (const auto& f : kb.red_flags.all()) {
      if (f.urgency == urgency) flags.push_back(&f);
    }
    if (flags.empty()) continue;
    if (!first) out += '\n';
    first = false;
    const std::string title =
        fmt::format("{}: {}", urgency_group(urgency), lower_first(std::string(urgency_heading(urgency))));
    out += paint(title, urgency == Urgency::soon ? Paint::warn : Paint::bad, style) + '\n';
    paragraph(out, urgency_action(urgency), kIndent, style);
    for (const RedFlag* f : flags) {
      out += '\n' + paint(wrap_indented(f->name, kIndent, style), Paint::heading, style);
      paragraph(out, f->text + citation(f->sources), kIndent * 2, style);
      std::string also = "id: " + f->id;
      if (!f->aliases.empty()) also += " · also: " + listed(f->aliases);
      out += paint(wrap_indented(also, kIndent * 2, style), Paint::dim, style);
    }
  }
  return out;
}

std::string sources_text(const std::vector<const Source*>& sources, const Style& style) {
  if (style.tabular) {
    std::string out;
    for (const Source* src : sources)
      out += tabular_row({src->id, std::string(name_of(src->tier)), src->publisher, src->title, src->url});
    return out;
  }
  std::size_t id_w = 0;
  for (const Source* src : sources) id_w = std::max(id_w, display_width(sanitize(src->id)));
  std::string out;
  const std::size_t indent = id_w + 6;
  for (const Source* src : sources) {
    std::string line = src->publisher.empty() ? src->title : src->publisher + ", " + src->title;
    const auto lines = wrap(sanitize(line), style.width > indent + 20 ? style.width - indent : 20);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += (i == 0 ? paint(pad(sanitize(src->id), id_w), Paint::id, style) + "  " +
                           paint(fmt::format("[{}]", name_of(src->tier)), Paint::accent, style) + "  "
                     : std::string(indent, ' ')) +
             lines[i] + '\n';
    }
  }
  out += '\n';
  paragraph(out, kTiers, 0, style);
  return out;
}

std::string source_text(const Source& src, const std::vector<Citation>& citations, const Style& style) {
  std::string out;
  out += paint(sanitize(src.title), Paint::heading, style) + "  " +
         paint(fmt::format("({})", sanitize(src.id)), Paint::id, style) + '\n';
  field(out, "Tier", std::string(name_of(src.tier)), style);
  if (!src.publisher.empty()) field(out, "Publisher", sanitize(src.publisher), style);
  if (!src.url.empty()) field(out, "Address", sanitize(src.url), style);
  if (!src.via.empty()) field(out, "Read at", sanitize(src.via) + " (a copy)", style);
  heading(out, "Cited by", style);
  if (citations.empty()) paragraph(out, "No entry in the knowledge base.", kIndent, style);
  for (const auto& c : citations) paragraph(out, c.kind + " " + c.id, kIndent, style);
  out += '\n';
  paragraph(out, kTiers, 0, style);
  return out;
}

}  // namespace knots::render
