// Text for knots guide and knots self-care: aligned rows for the lists, sections for one entry;
// every string from the knowledge base is sanitised on the way out.
#include "render/topics.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "query/filter.hpp"
#include "render/blocks.hpp"
#include "util/text.hpp"

namespace knots::render {
namespace {

/// An entry another page points to: its id and its name.
struct Row {
  std::string id;
  std::string name;
};

/// Rows of an id and a name, the names lined up and wrapped, each row indented.
void rows(std::string& out, const std::vector<Row>& items, std::size_t indent, const Style& style) {
  std::size_t id_w = 0;
  for (const auto& r : items) id_w = std::max(id_w, display_width(sanitize(r.id)));
  const std::size_t left = indent + id_w + 2;
  if (style.width < left + 20) {
    // Too narrow for the names beside the ids: each name under its id.
    for (const auto& r : items) {
      out += std::string(indent, ' ') + paint(sanitize(r.id), Paint::id, style) + '\n';
      paragraph(out, r.name, indent + kIndent, style);
    }
    return;
  }
  for (const auto& r : items) {
    const auto lines = wrap(sanitize(r.name), style.width - left);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += i == 0 ? std::string(indent, ' ') + paint(pad(sanitize(r.id), id_w), Paint::id, style) + "  "
                    : std::string(left, ' ');
      out += lines[i] + '\n';
    }
  }
}

/// An entry's id, then its name beside it (the names lined up after `id_w` columns), wrapped; or,
/// too narrow for that, the name under the id.
void id_and_name(std::string& out, const std::string& id, const std::string& name, std::size_t id_w,
                 const Style& style) {
  if (style.width >= id_w + 2 + 20) {
    const auto names = wrap(sanitize(name), style.width - id_w - 2);
    for (std::size_t i = 0; i < names.size(); ++i) {
      out += (i == 0 ? paint(pad(sanitize(id), id_w), Paint::id, style) : std::string(id_w, ' ')) + "  " +
             paint(names[i], Paint::heading, style) + '\n';
    }
    return;
  }
  out += paint(sanitize(id), Paint::id, style) + '\n';
  for (const auto& line : wrap(sanitize(name), style.width > 2 * kIndent ? style.width - 2 * kIndent : 20))
    out += std::string(2 * kIndent, ' ') + paint(line, Paint::heading, style) + '\n';
}

/// A list entry: id and name on one line, then `about` wrapped beside the name when the columns
/// leave room for it, else under the id (so that long names never squeeze the text).
void entry(std::string& out, const std::string& id, const std::string& name, const std::string& about,
           std::size_t id_w, std::size_t name_w, const Style& style) {
  const std::size_t left = id_w + 2 + name_w + 2;
  if (style.width >= left + 30) {
    const auto lines = wrap(sanitize(about), style.width - left);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += i == 0 ? paint(pad(sanitize(id), id_w), Paint::id, style) + "  " + pad(sanitize(name), name_w) +
                          "  "
                    : std::string(left, ' ');
      out += lines[i] + '\n';
    }
    return;
  }
  id_and_name(out, id, name, id_w, style);
  // Under the name when the ids are short, as techniques does; else a little indented, so that
  // long ids ("ball-between-shoulder-blades") do not leave the text a narrow column.
  paragraph(out, about, id_w + 2 <= kLabel ? id_w + 2 : 2 * kIndent, style);
}

/// The title line of a page: name and id.
void title(std::string& out, const std::string& name, const std::string& id, const Style& style) {
  // On two lines when they do not fit on one, the name wrapped.
  const std::string tag = fmt::format("({})", sanitize(id));
  if (display_width(sanitize(name)) + 2 + display_width(tag) > style.width) {
    for (const auto& line : wrap(sanitize(name), style.width))
      out += paint(line, Paint::heading, style) + '\n';
    out += paint(tag, Paint::id, style) + '\n';
    return;
  }
  out += paint(sanitize(name), Paint::heading, style) + "  " +
         paint(fmt::format("({})", sanitize(id)), Paint::id, style) + '\n';
}

/// "Also asked as: …" or "Also called: …", dim, wrapped.
void aliases(std::string& out, std::string_view label, const std::vector<std::string>& names,
             const Style& style) {
  if (names.empty()) return;
  for (const auto& line : wrap(std::string(label) + listed(names), style.width))
    out += paint(line, Paint::dim, style) + '\n';
}

/// Paragraphs separated by line feeds, a blank line between each, the citation after the last.
void paragraphs(std::string& out, const std::string& text, const std::vector<std::string>& sources,
                std::size_t indent, const Style& style) {
  std::vector<std::string> paras;
  std::size_t from = 0;
  while (from <= text.size()) {
    std::size_t at = text.find('\n', from);
    if (at == std::string::npos) at = text.size();
    std::string para = text.substr(from, at - from);
    while (!para.empty() && para.back() == ' ') para.pop_back();
    if (!para.empty()) paras.push_back(std::move(para));
    from = at + 1;
  }
  for (std::size_t i = 0; i < paras.size(); ++i) {
    if (i > 0) out += '\n';
    paragraph(out, i + 1 == paras.size() ? paras[i] + citation(sources) : paras[i], indent, style);
  }
  if (paras.empty() && !sources.empty()) paragraph(out, citation(sources).substr(1), indent, style);
}

/// Wrapped text, each line indented and painted on its own, so that no colour runs past a line's end.
void painted(std::string& out, std::string_view text, std::size_t indent, Paint how, const Style& style) {
  const std::string block = wrap_indented(text, indent, style);
  std::size_t from = 0;
  for (std::size_t at = block.find('\n'); at != std::string::npos; at = block.find('\n', from)) {
    const std::string line = block.substr(from, at - from);
    const std::size_t text_at = std::min(line.find_first_not_of(' '), line.size());
    out += line.substr(0, text_at) + (text_at < line.size() ? paint(line.substr(text_at), how, style) : "") +
           '\n';
    from = at + 1;
  }
}

/// A pointer to where to read more, dim, indented under a section.
void see(std::string& out, const std::string& text, const Style& style) {
  painted(out, text, kIndent, Paint::dim, style);
}

/// The names of goals, for "suits" ("Pain relief, Relaxation").
std::string goal_names(const std::vector<std::string>& ids, const KnowledgeBase& kb) {
  std::vector<std::string> names;
  for (const auto& id : ids) names.push_back(kb.goals.name_or_id(id));
  return listed(names);
}

const char* reach_words(Reach reach) {
  return reach == Reach::well ? "well" : reach == Reach::partly ? "partly" : "not at all";
}

}  // namespace

std::string guide_text(const KnowledgeBase& kb, const Style& style) {
  if (style.tabular) {
    std::string out;
    for (const auto& t : kb.guide.all()) out += tabular_row({t.id, t.name, t.summary});
    return out;
  }
  std::size_t id_w = 0, name_w = 0;
  for (const auto& t : kb.guide.all()) {
    id_w = std::max(id_w, display_width(sanitize(t.id)));
    name_w = std::max(name_w, display_width(sanitize(t.name)));
  }
  std::string out;
  if (kb.guide.size() == 0) {
    paragraph(out, "The knowledge base has no guide topics.", 0, style);
    return out;
  }
  for (const auto& t : kb.guide.all()) entry(out, t.id, t.name, t.summary, id_w, name_w, style);
  out += '\n';
  painted(out, "Read one with 'knots guide TOPIC': its id, its name or the question in your own words.", 0,
          Paint::dim, style);
  return out;
}

namespace {

/// A section of entries, one per row with its id and name, and a hint on how to see one; nothing
/// when there are none.
template <class T>
void entries_section(std::string& out, std::string_view title, const std::vector<const T*>& entries,
                     std::string_view hint, const Style& style) {
  if (entries.empty()) return;
  heading(out, title, style);
  std::vector<Row> items;
  for (const T* e : entries) items.push_back({e->id, e->name});
  rows(out, items, kIndent, style);
  if (!hint.empty()) see(out, std::string(hint), style);
}

}  // namespace

std::string topic_text(const TopicPage& page, const Style& style) {
  const GuideTopic& t = *page.topic;
  std::string out;
  title(out, t.name, t.id, style);
  aliases(out, "Also asked as: ", t.aliases, style);
  paragraph(out, t.summary, 0, style);
  out += '\n';
  paragraphs(out, t.body, t.sources, 0, style);
  if (!page.red_flags.empty()) {
    heading(out, "See a clinician first if you have", style);
    for (const RedFlag* f : page.red_flags) {
      bullet(out, fmt::format("{} ({})", f->name, lower_first(std::string(urgency_heading(f->urgency)))),
             kIndent, style);
    }
    see(out, "What to do, and how soon: 'knots red-flags'.", style);
  }
  entries_section(out, "Styles it matters for", page.modalities, "More on one: 'knots show ID'.", style);
  entries_section(out, "Self-care", page.self_care, "How to do one: 'knots self-care ID'.", style);
  entries_section(out, "Areas of the back", page.areas, "", style);
  entries_section(out, "Related topics", page.related, "Read one: 'knots guide ID'.", style);
  return out;
}

std::string self_care_list_text(const SelfCareList& list, const KnowledgeBase& kb, bool conditions,
                                const Style& style) {
  std::string out;
  const Screening& screening = list.screening;
  // A warning sign stated keeps the laid-out text, whatever reads it: what to do comes first.
  if (style.tabular && !screening.urgency) {
    for (const SelfCareTip* tip : list.items) out += tabular_row({tip->id, tip->name, tip->advice});
    return out;
  }
  if (screening.urgency) {
    std::vector<std::string> flags;
    for (const RedFlag* f : screening.flags) flags.push_back(f->name);
    painted(out, fmt::format("{}: {}.", urgency_heading(*screening.urgency), listed(flags)), 0,
            screening.stops() ? Paint::bad : Paint::warn, style);
    paragraph(out, screening.action(), kIndent, style);
    if (screening.stops()) {
      paragraph(out, "Self-care is not offered until you have been seen. See 'knots red-flags'.", kIndent,
                style);
      return out;
    }
    out += '\n';
  }
  std::size_t id_w = 0;
  for (const SelfCareTip* tip : list.items) id_w = std::max(id_w, display_width(sanitize(tip->id)));
  for (const SelfCareTip* tip : list.items) {
    id_and_name(out, tip->id, tip->name, id_w, style);
    std::string about = "Suits: " + goal_names(tip->suits, kb) + ".";
    std::vector<std::string> well;
    for (const auto& reach : tip->areas) {
      if (reach.value == Reach::well) well.push_back(kb.areas.name_or_id(reach.id));
    }
    if (!well.empty()) about += " Reaches well: " + listed(well) + ".";
    paragraph(out, about, id_w + 2 <= kLabel ? id_w + 2 : 2 * kIndent, style);
  }
  if (list.items.empty()) paragraph(out, "No self-care tip fits every condition you stated.", 0, style);
  if (!list.left_out.empty()) {
    heading(out, "Left out for the conditions you stated", style);
    for (const auto& left : list.left_out) {
      std::vector<std::string> names;
      for (const Condition* c : left.because) names.push_back(lower_first(c->name));
      bullet(out, fmt::format("{} ({}): not with {}", left.tip->name, left.tip->id, listed(names, " or ")),
             kIndent, style);
    }
  } else if (conditions) {
    out += '\n';
    paragraph(out, "No tip is ruled out by the conditions you stated.", 0, style);
  }
  out += '\n';
  painted(out, "How to do one, for how long and what to take care of: 'knots self-care ID'.", 0, Paint::dim,
          style);
  return out;
}

std::string self_care_text(const SelfCarePage& page, const Style& style) {
  const SelfCareTip& t = *page.tip;
  std::string out;
  title(out, t.name, t.id, style);
  aliases(out, "Also called: ", t.aliases, style);
  paragraph(out, t.advice, 0, style);
  if (!t.how.empty() || !t.how_long.empty() || !t.how_often.empty()) {
    heading(out, "How to do it", style);
    if (!t.how.empty()) paragraph(out, t.how, kIndent, style);
    if (!t.how_long.empty()) field(out, "How long", sanitize(t.how_long), style);
    if (!t.how_often.empty()) field(out, "How often", sanitize(t.how_often), style);
  }
  if (!t.avoid.empty() || !page.avoid_with.empty()) {
    heading(out, "Take care", style);
    if (!t.avoid.empty()) paragraph(out, t.avoid, kIndent, style);
    if (!page.avoid_with.empty()) {
      std::vector<std::string> names;
      for (const Condition* c : page.avoid_with) names.push_back(c->name);
      painted(out, fmt::format("Not with: {}; ask your clinician.", listed(names)), kIndent, Paint::warn,
              style);
    }
  }
  if (!page.reaches.empty()) {
    heading(out, "Reaches a knot", style);
    // The area's name, then how well, lined up.
    std::size_t name_w = 0;
    for (const auto& r : page.reaches) name_w = std::max(name_w, display_width(sanitize(r.area->name)));
    for (const auto& r : page.reaches) {
      if (kIndent + name_w + 2 + std::string_view("not at all").size() <= style.width) {
        out += std::string(kIndent, ' ') + pad(sanitize(r.area->name), name_w) + "  " + reach_words(r.reach) +
               '\n';
      } else {
        paragraph(out, fmt::format("{}: {}", r.area->name, reach_words(r.reach)), kIndent, style);
      }
    }
  }
  heading(out, "Evidence", style);
  paragraph(out, t.evidence + citation(t.sources), kIndent, style);
  if (!page.suits.empty()) {
    std::vector<std::string> names;
    for (const Goal* g : page.suits) names.push_back(g->name);
    heading(out, "Suits", style);
    paragraph(out, listed(names), kIndent, style);
  }
  if (!page.listed_in.empty()) {
    heading(out, "In the guide", style);
    std::vector<Row> items;
    for (const GuideTopic* topic : page.listed_in) items.push_back({topic->id, topic->name});
    rows(out, items, kIndent, style);
    see(out, "Read one: 'knots guide ID'.", style);
  }
  return out;
}

}  // namespace knots::render
