// Full-text search: words are lowercased and stemmed (Snowball); everyday words also find the
// knowledge base's words for the same thing (everyday.hpp); each field has a weight (names and
// aliases most, then the summary and how a style helps knots); an entry's score is its best field
// plus a quarter of the others.
#include "query/search.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "query/everyday.hpp"
#include "util/suggest.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace knots {
namespace {

/// A Snowball English stemmer, one per thread: a stemmer keeps state between calls.
class Stemmer {
 public:
  Stemmer() : stemmer_(sb_stemmer_new("english", nullptr)) {}
  ~Stemmer() { sb_stemmer_delete(stemmer_); }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  std::string operator()(std::string_view word) const {
    constexpr std::size_t kLongest = 64;  // no English word is longer: leave such a token as it is
    if (!stemmer_ || word.size() > kLongest) return std::string(word);
    const sb_symbol* out = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (!out) return std::string(word);  // out of memory: the word itself still matches itself
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_))};
  }

 private:
  sb_stemmer* stemmer_;
};

struct Word {
  std::string lower;
  std::string stem;
  std::size_t offset = 0;  ///< in the field text
  std::size_t length = 0;
};

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

/// The words of `text`, lowercased and stemmed; with `only`, a word is stemmed only when it starts
/// with one of those (start_of a stem), since no other word can match: most of a large knowledge
/// base is not.
std::vector<Word> words_of(std::string_view text, const std::vector<std::string>* only = nullptr) {
  std::vector<Word> out;
  for (std::size_t i = 0; i < text.size();) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && word_char(text[j])) ++j;
    std::string lower = ascii_lower(text.substr(i, j - i));
    const bool wanted = !only || std::any_of(only->begin(), only->end(), [&](const std::string& start) {
      return lower.starts_with(start);
    });
    std::string stemmed = wanted ? stem(lower) : std::string();
    out.push_back({std::move(lower), std::move(stemmed), i, j - i});
    i = j;
  }
  return out;
}

/// Whether `text` contains any of the lowercase `keys`, ignoring ASCII case.
bool contains_any(std::string_view text, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    const auto it = std::search(text.begin(), text.end(), key.begin(), key.end(),
                                [](char a, char b) { return ascii_lower(a) == b; });
    if (it != text.end()) return true;
  }
  return false;
}

/// One way a searched-for thing can be written: a word, or a phrase of several.
struct Form {
  std::vector<std::string> stems;  ///< one per word
  std::string raw;                 ///< lowercase, as typed
  double weight = 1;               ///< what a match is worth: less for a synonym than for what was typed
  bool loose = false;              ///< a word typed freely: may match the start of a longer word
  bool meaning = false;            ///< the knowledge base's word for it, not a form people type
};

/// One thing the query asks for: a word typed, or an everyday phrase with its other forms.
struct Concept {
  Sense sense = Sense::word;
  std::vector<Form> forms;  ///< what was typed first
};

/// What a query asks for, read against the everyday table.
struct Query {
  std::vector<Concept> concepts;
  std::vector<std::string> notes;   ///< from the table, for subjects knots does not cover
  std::vector<std::string> hinted;  ///< the words, as typed, that may get a closest-word hint
  std::vector<std::string> keys;    ///< a field holding none of these cannot match
  std::vector<std::string> starts;  ///< a word starting with none of these cannot match
  /// Only everyday words for a part of the back or what people feel ("knot between the shoulder
  /// blades", "back pain"): what helps comes before the warning signs and health conditions.
  bool everyday = false;
};

Form form_of(std::string_view text, double weight, bool loose) {
  Form form;
  for (const auto& w : words_of(text)) form.stems.push_back(w.stem);
  form.raw = ascii_lower(text);
  form.weight = weight;
  form.loose = loose;
  return form;
}

/// A row of the everyday table found in the query: which of its typed forms, and how many words.
struct TableMatch {
  const EverydayWord* row = nullptr;
  std::size_t form = 0;
  std::size_t length = 0;
};

/// The longest typed form of a table row that the query's words start with at `at`, if any.
TableMatch table_match(const std::vector<Word>& words, std::size_t at) {
  TableMatch best;
  for (const auto& row : everyday_words()) {
    for (std::size_t f = 0; f < row.typed.size(); ++f) {
      const auto typed = words_of(row.typed[f]);
      if (typed.size() <= best.length || at + typed.size() > words.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < typed.size() && same; ++k) same = words[at + k].stem == typed[k].stem;
      if (same) best = {&row, f, typed.size()};
    }
  }
  return best;
}

/// The concept of a table row, with the typed form first, its other forms, then what it means.
Concept concept_of(const EverydayWord& row, std::size_t typed) {
  Concept c;
  c.sense = row.sense;
  c.forms.push_back(form_of(row.typed[typed], 1.0, false));
  for (std::size_t f = 0; f < row.typed.size(); ++f) {
    if (f != typed) c.forms.push_back(form_of(row.typed[f], 0.9, false));
  }
  for (const auto& m : row.means) {
    c.forms.push_back(form_of(m, 0.6, false));
    c.forms.back().meaning = true;
  }
  return c;
}

/// The start of every word with this stem: the stem itself, less a final "i" that Snowball makes
/// of "y" ("happy" -> "happi").
std::string start_of(std::string stemmed) {
  if (stemmed.size() > 2 && stemmed.back() == 'i') stemmed.pop_back();
  return stemmed;
}

/// A key that every field matching `form` contains.
std::string key_of(const Form& form) {
  return start_of(form.stems.empty() ? form.raw : form.stems.front());
}

/// The query's words read against the everyday table, longest phrase first; linking words left out.
Query read_query(const std::vector<std::string>& raw_terms) {
  std::vector<Word> words;
  for (const auto& t : raw_terms) {
    for (auto& w : words_of(t)) words.push_back(std::move(w));
  }
  Query q;
  std::set<const EverydayWord*> rows_seen;  // an everyday thing asked twice counts once
  std::set<std::string> stems_seen;         // so does a word given twice
  std::vector<std::string> fillers;
  for (std::size_t i = 0; i < words.size();) {
    const TableMatch m = table_match(words, i);
    if (m.row) {
      const bool first = rows_seen.insert(m.row).second;
      if (m.row->sense == Sense::uncovered) {
        if (first) q.notes.emplace_back(m.row->note);
      } else {
        for (std::size_t k = i; k < i + m.length; ++k) q.hinted.push_back(words[k].lower);
        if (first) q.concepts.push_back(concept_of(*m.row, m.form));
      }
      i += m.length;
      continue;
    }
    if (is_filler(words[i].lower)) {
      fillers.push_back(words[i].lower);
    } else {
      q.hinted.push_back(words[i].lower);
      if (stems_seen.insert(words[i].stem).second)
        q.concepts.push_back({Sense::word, {form_of(words[i].lower, 1.0, true)}});
    }
    ++i;
  }
  // Only linking words ("the"): search for them after all.
  if (q.concepts.empty() && q.notes.empty()) {
    for (const auto& f : fillers) {
      q.hinted.push_back(f);
      if (stems_seen.insert(stem(f)).second) q.concepts.push_back({Sense::word, {form_of(f, 1.0, true)}});
    }
  }
  q.everyday = !q.concepts.empty() && std::all_of(q.concepts.begin(), q.concepts.end(), [](const Concept& c) {
    return c.sense == Sense::area || c.sense == Sense::complaint;
  });
  for (const auto& c : q.concepts) {
    for (const auto& f : c.forms) {
      q.keys.push_back(key_of(f));
      for (const auto& word : f.stems) q.starts.push_back(start_of(word));
    }
  }
  return q;
}

struct Field {
  std::string name;   ///< the key, for JSON
  std::string label;  ///< for people
  std::string text;
  double weight;
  bool is_name = false;  ///< names and aliases also match inside words ("fascia" in "myofascial")
};

/// What `form` found at word `at` of a field: 1 for the same stems, 0.7 for the start of a
/// longer word or a word inside a name, 0 for nothing.
double match_at(const std::vector<Word>& words, std::size_t at, const Form& form, bool inside) {
  if (form.stems.size() == 1) {
    const Word& w = words[at];
    const std::string& term = form.stems.front();
    if (w.stem == term) return 1.0;
    if (!form.loose) return 0;
    if (term.size() >= 4 && w.stem.starts_with(term)) return 0.7;
    if (inside && form.raw.size() >= 5 && w.lower.find(form.raw) != std::string::npos) return 0.7;
    return 0;
  }
  if (at + form.stems.size() > words.size()) return 0;
  for (std::size_t k = 0; k < form.stems.size(); ++k) {
    if (words[at + k].stem != form.stems[k]) return 0;
  }
  return 1.0;
}

struct FieldScore {
  double score = 0;
  std::vector<bool> matched;  ///< per concept
  std::vector<bool> typed;    ///< per concept: matched by a form people type, not only a related word
  std::vector<const Word*> hits;
};

FieldScore score_field(const Field& field, const std::vector<Word>& words,
                       const std::vector<Concept>& concepts) {
  FieldScore fs;
  fs.matched.assign(concepts.size(), false);
  fs.typed.assign(concepts.size(), false);
  double quality = 0;
  std::vector<std::size_t> first(concepts.size(), SIZE_MAX), last(concepts.size(), SIZE_MAX);
  for (std::size_t t = 0; t < concepts.size(); ++t) {
    double best = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
      for (const auto& form : concepts[t].forms) {
        // A name that holds only a related word ("Trigger point" for "knot") says less than
        // the word itself would.
        const double q = match_at(words, i, form, field.is_name) * form.weight *
                         (form.meaning && field.is_name ? 0.5 : 1.0);
        if (q <= 0) continue;
        if (!form.meaning) fs.typed[t] = true;
        for (std::size_t k = 0; k < form.stems.size(); ++k) fs.hits.push_back(&words[i + k]);
        if (q > best) {
          best = q;
          first[t] = i;
          last[t] = i + form.stems.size() - 1;
        }
      }
    }
    if (best > 0) {
      fs.matched[t] = true;
      quality += best;
    }
  }
  fs.score = field.weight * quality / static_cast<double>(concepts.size());
  // The things asked for next to each other, in order, as typed: a phrase.
  bool phrase = concepts.size() > 1;
  for (std::size_t t = 1; t < concepts.size() && phrase; ++t) {
    phrase = last[t - 1] != SIZE_MAX && first[t] == last[t - 1] + 1;
  }
  if (phrase) fs.score *= 1.5;
  return fs;
}

// Every entry's fields start with name, aliases, id, then its main description (index 3).
std::vector<Field> fields_of(const KnowledgeBase& kb, const Modality& m) {
  std::vector<std::string> techniques, targets, goals, cautions;
  for (const auto& t : m.techniques) {
    const Technique* tech = kb.techniques.find(t);
    if (!tech) {
      techniques.push_back(t);
    } else if (tech->aliases.empty()) {
      techniques.push_back(tech->name);
    } else {
      techniques.push_back(tech->name + " (" + joined(tech->aliases) + ")");
    }
  }
  for (const auto& t : m.targets) targets.push_back(id_words(t));
  for (const auto& g : m.goals) goals.push_back(id_words(g.id));
  for (const auto& c : m.cautions) cautions.push_back(c.note);
  return {{"name", "name", m.name, 10, true},
          {"aliases", "also called", joined(m.aliases), 9, true},
          {"id", "id", id_words(m.id), 8, true},
          {"summary", "summary", m.summary, 5},
          {"techniques", "techniques", joined(techniques), 5},
          {"tools", "therapist uses", joined(m.tools), 3},
          {"targets", "targets", joined(targets), 3},
          {"description", "what happens", m.description, 2},
          {"helps_knots", "how it helps knots", m.helps_knots, 4},
          {"back", "works on", m.back == BackContact::direct ? "the back directly" : "", 6},
          {"goals", "goals", joined(goals), 2},
          {"origin", "origin", m.origin, 1},
          {"evidence", "evidence", m.evidence.note, 1},
          {"cautions", "caution", joined(cautions, " "), 1}};
}

std::vector<Field> fields_of(const Technique& t) {
  return {{"name", "name", t.name, 10, true},
          {"aliases", "also called", joined(t.aliases), 9, true},
          {"id", "id", id_words(t.id), 8, true},
          {"definition", "what it is", t.definition, 3}};
}

std::vector<Field> fields_of(const Condition& c) {
  return {{"name", "name", c.name, 10, true},
          {"aliases", "also called", joined(c.aliases), 9, true},
          {"id", "id", id_words(c.id), 8, true},
          {"description", "what it is", c.description, 3},
          {"guidance", "what to do", c.guidance, 2}};
}

std::vector<Field> fields_of(const RedFlag& f) {
  return {{"name", "name", f.name, 10, true},
          {"aliases", "also called", joined(f.aliases), 9, true},
          {"id", "id", id_words(f.id), 8, true},
          {"text", "what to do", f.text, 3}};
}

std::vector<Field> fields_of(const SelfCareTip& t) {
  return {{"name", "name", t.name, 10, true},     {"aliases", "also called", joined(t.aliases), 9, true},
          {"id", "id", id_words(t.id), 8, true},  {"advice", "advice", t.advice, 3},
          {"how", "how to do it", t.how, 2},      {"avoid", "take care", t.avoid, 1},
          {"evidence", "evidence", t.evidence, 1}};
}

std::vector<Field> fields_of(const Goal& g) {
  return {{"name", "name", g.name, 10, true},
          {"aliases", "also called", joined(g.aliases), 9, true},
          {"id", "id", id_words(g.id), 8, true},
          {"description", "what it is", g.description, 3}};
}

/// A topic's name and aliases are questions in everyday words ("a sore back"), which match the
/// words people search with as well as the styles and goals they are looking for; they weigh less
/// than the names of entries, so that a word finds what helps first and the topics about it next,
/// while a question asked in a topic's own words still finds the topic first.
std::vector<Field> fields_of(const GuideTopic& t) {
  return {{"name", "name", t.name, 5, true},
          {"aliases", "also asked as", joined(t.aliases), 5, true},
          {"id", "id", id_words(t.id), 4, true},
          {"summary", "summary", t.summary, 2},
          {"body", "answer", t.body, 1}};
}

/// Every entry of every kind, with its fields, in the order ties are broken.
template <class Fn>
void for_each_entry(const KnowledgeBase& kb, Fn fn) {
  for (const auto& m : kb.modalities.all()) fn(m, HitKind::modality, fields_of(kb, m));
  for (const auto& t : kb.techniques.all()) fn(t, HitKind::technique, fields_of(t));
  for (const auto& c : kb.conditions.all()) fn(c, HitKind::condition, fields_of(c));
  for (const auto& f : kb.red_flags.all()) fn(f, HitKind::red_flag, fields_of(f));
  for (const auto& t : kb.self_care.all()) fn(t, HitKind::self_care, fields_of(t));
  for (const auto& g : kb.goals.all()) fn(g, HitKind::goal, fields_of(g));
  for (const auto& t : kb.guide.all()) fn(t, HitKind::topic, fields_of(t));
}

/// About 70 characters of `text` around the first match, on UTF-8 boundaries.
void make_snippet(SearchHit& hit, const std::string& text, const std::vector<const Word*>& hits) {
  constexpr std::size_t kBefore = 25, kLength = 70;
  std::size_t first = text.size();
  for (const Word* w : hits) first = std::min(first, w->offset);
  if (first == text.size()) first = 0;
  std::size_t start = first > kBefore ? first - kBefore : 0;
  start = boundary_before(text, start);
  if (start > 0) {
    const auto space = text.find(' ', start);
    if (space != std::string::npos && space < first) start = space + 1;
  }
  std::size_t end = std::min(text.size(), start + kLength);
  end = boundary_after(text, end);
  if (end < text.size()) {
    const auto space = text.rfind(' ', end);
    if (space != std::string::npos && space > first) end = space;
  }
  std::string snippet = text.substr(start, end - start);
  std::replace(snippet.begin(), snippet.end(), '\n', ' ');
  const std::string prefix = start > 0 ? "…" : "";
  hit.snippet = prefix + snippet + (end < text.size() ? "…" : "");
  std::set<std::pair<std::size_t, std::size_t>> marks;
  for (const Word* w : hits) {
    if (w->offset >= start && w->offset + w->length <= end)
      marks.insert({w->offset - start + prefix.size(), w->length});
  }
  hit.marks.assign(marks.begin(), marks.end());
}

template <class T>
void search_in(const T& item, HitKind kind, std::vector<Field> fields, const Query& query, bool any,
               std::vector<SearchHit>& out) {
  const auto& concepts = query.concepts;
  std::vector<bool> matched(concepts.size(), false), typed(concepts.size(), false);
  std::vector<FieldScore> scores;
  std::vector<std::vector<Word>> words(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    // A field without any key as a substring cannot match, so it need not be split into words
    // at all (most fields, in a large knowledge base).
    if (contains_any(fields[i].text, query.keys)) words[i] = words_of(fields[i].text, &query.starts);
  }
  double best = 0, rest = 0;
  std::size_t best_field = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    scores.push_back(score_field(fields[i], words[i], concepts));
    for (std::size_t t = 0; t < concepts.size(); ++t) {
      matched[t] = matched[t] || scores[i].matched[t];
      typed[t] = typed[t] || scores[i].typed[t];
    }
    if (scores[i].score > best) {
      rest += best;
      best = scores[i].score;
      best_field = i;
    } else {
      rest += scores[i].score;
    }
  }
  auto covered = [any](const std::vector<bool>& v) {
    return any ? std::any_of(v.begin(), v.end(), [](bool b) { return b; })
               : std::all_of(v.begin(), v.end(), [](bool b) { return b; });
  };
  if (!covered(matched) || best <= 0) return;
  // A warning sign or condition that only a related word found ("pain" for "sore", "back" for
  // "upper back") is not what the person asked about: it is listed when the words typed match it.
  const bool aside = query.everyday && (kind == HitKind::red_flag || kind == HitKind::condition);
  if (aside && !covered(typed)) return;
  SearchHit hit;
  hit.kind = kind;
  hit.id = item.id;
  hit.name = item.name;
  hit.score = std::round((best + rest / 4) * 10) / 10;
  // Show the text field that matches best, weighed by how much of the query it holds: a name
  // alone says little, and a field holding every word says more than a heavier one holding one.
  std::size_t shown = best_field;
  double shown_score = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].is_name) continue;
    const auto held = std::count(scores[i].matched.begin(), scores[i].matched.end(), true);
    const double score = scores[i].score * static_cast<double>(held) / static_cast<double>(concepts.size());
    if (score > shown_score) {
      shown = i;
      shown_score = score;
    }
  }
  if (fields[shown].is_name) shown = 3;  // only the name matched: show what it is (summary, definition)
  hit.field = fields[shown].name;
  hit.label = fields[shown].label;
  hit.aside = aside;
  make_snippet(hit, fields[shown].text, scores[shown].hits);
  out.push_back(std::move(hit));
}

/// The words of the knowledge base, as written, closest to each word that found nothing.
std::vector<std::string> closest_words(const KnowledgeBase& kb, const std::vector<std::string>& hinted) {
  // Gathered unordered (a large knowledge base holds millions of words), then sorted, so that
  // ties go to the same word on every run.
  std::unordered_set<std::string> vocabulary;
  const std::vector<std::string> none;  // the words as written are enough: no stems
  auto add = [&](const std::vector<Field>& fields) {
    for (const auto& f : fields) {
      for (auto& w : words_of(f.text, &none)) vocabulary.insert(std::move(w.lower));
    }
  };
  for_each_entry(kb, [&](const auto&, HitKind, const std::vector<Field>& fields) { add(fields); });
  std::vector<std::string> candidates(vocabulary.begin(), vocabulary.end());
  std::sort(candidates.begin(), candidates.end());
  // Suggestions for the first few words only: each one is compared with the whole vocabulary.
  std::vector<std::string> hints;
  for (std::size_t i = 0; i < hinted.size() && i < kMaxHintedWords; ++i) {
    auto guess = closest(hinted[i], candidates);
    if (guess && std::find(hints.begin(), hints.end(), *guess) == hints.end()) hints.push_back(*guess);
  }
  return hints;
}

}  // namespace

std::string stem(std::string_view word) {
  static thread_local const Stemmer stemmer;
  return stemmer(word);
}

SearchResult search(const KnowledgeBase& kb, const std::vector<std::string>& raw_terms, bool any) {
  const Query query = read_query(raw_terms);
  SearchResult result;
  result.notes = query.notes;
  if (query.concepts.empty()) return result;
  for_each_entry(kb, [&](const auto& item, HitKind kind, std::vector<Field> fields) {
    search_in(item, kind, std::move(fields), query, any, result.hits);
  });
  std::sort(result.hits.begin(), result.hits.end(), [](const SearchHit& a, const SearchHit& b) {
    if (a.aside != b.aside) return b.aside;
    if (a.score != b.score) return a.score > b.score;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.id < b.id;
  });
  if (result.hits.empty()) result.hints = closest_words(kb, query.hinted);
  return result;
}

}  // namespace knots
