// Full-text search, as information retrieval does it: words are lowercased, stop words left out
// and the rest stemmed (Snowball); a query's words are read against the synonyms vocabulary; every
// entry is scored by BM25F over its fields, each with a weight (names and aliases most); a word
// found nowhere is read as the closest word of the knowledge base.
#include "query/search.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

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

// BM25F (Robertson and Zaragoza, "The Probabilistic Relevance Framework", 2009): a word's
// frequency in each field, normalised by the field's length against its average and weighed by
// the field, summed, then saturated (k1) and multiplied by how rare the word is (idf).
constexpr double kK1 = 1.2;
constexpr double kBText = 0.75;  ///< length normalisation of prose
constexpr double kBName = 0.3;   ///< of names and aliases: a long list of aliases is not padding

// What a match is worth, against the word as typed (1).
constexpr double kOtherForm = 0.9;  ///< another everyday form of the same thing ("tennis ball", "spiky ball")
constexpr double kMeaning = 0.6;    ///< the knowledge base's word for it ("massage ball")
constexpr double kPrefix = 0.7;     ///< the start of a longer word ("reflex" in "reflexology")
constexpr double kMeaningName = 0.5;  ///< a name holding only a related word says less than the word
constexpr double kPhrase = 1.5;       ///< the words asked for next to each other, in order
constexpr double kExactName = 2.0;    ///< the query is an entry's name or alias: what was asked for

struct Word {
  std::string lower;
  std::string stem;        ///< empty when the word cannot match (see words_of)
  std::size_t offset = 0;  ///< in the text
  std::size_t length = 0;
  bool stop = false;         ///< a stop word: skipped inside a phrase, never matched alone
  bool after_break = false;  ///< punctuation before it: a phrase does not run across
};

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

/// The words of `text`, lowercased and stemmed; with `only`, a word is stemmed only when it starts
/// with one of those, since no other word can match: most of a large knowledge base is not.
std::vector<Word> words_of(std::string_view text, const std::vector<std::string>* only = nullptr) {
  std::vector<Word> out;
  bool broken = false;
  for (std::size_t i = 0; i < text.size();) {
    if (!word_char(text[i])) {
      const char c = text[i];
      broken = broken || !(c == ' ' || c == '-' || c == '\'' || c == '\n' || c == '"');
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && word_char(text[j])) ++j;
    Word w;
    w.lower = ascii_lower(text.substr(i, j - i));
    w.stop = is_stop_word(w.lower);
    const bool wanted = !only || std::any_of(only->begin(), only->end(), [&](const std::string& start) {
      return w.lower.starts_with(start);
    });
    if (wanted) w.stem = stem(w.lower);
    w.offset = i;
    w.length = j - i;
    w.after_break = broken;
    broken = false;
    out.push_back(std::move(w));
    i = j;
  }
  return out;
}

/// Whether a lowercase word turns the meaning of the words after it around.
bool is_negation(std::string_view word) {
  static constexpr auto kNegations = std::to_array<std::string_view>(
      {"cannot", "cant", "didnt", "doesnt", "dont", "isnt", "no", "nor", "not", "wont"});
  return std::binary_search(kNegations.begin(), kNegations.end(), word);
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

/// The stems of the words that are not stop words; all of them when every word is one.
std::vector<std::string> content_stems(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) {
    if (!w.stop) out.push_back(w.stem);
  }
  if (out.empty()) {
    for (const auto& w : words) out.push_back(w.stem);
  }
  return out;
}

/// What every word with this stem starts with. A Snowball stem is not always the start of its
/// words: "flexibility" -> "flexibl", "happy" -> "happi", "relational" -> "relat" (its last
/// letters may be rewritten), so two letters are dropped, keeping at least three.
std::string start_of(std::string stemmed) {
  if (stemmed.size() > 3) stemmed.resize(std::max<std::size_t>(3, stemmed.size() - 2));
  return stemmed;
}

/// One way a searched-for thing can be written: a word, or a phrase of several.
struct Form {
  std::vector<std::string> stems;  ///< of its words that are not stop words
  std::string raw;                 ///< lowercase, as written
  double weight = 1;               ///< what a match is worth (kOtherForm, kMeaning)
  bool loose = false;              ///< a word typed freely: may match the start of a longer word
  bool meaning = false;            ///< the knowledge base's word for it, not a form people type
  bool stop = false;               ///< only stop words ("the"), searched when they are all there is
};

Form form_of(std::string_view text, double weight, bool loose, bool meaning = false) {
  Form form;
  const auto words = words_of(text);
  form.stems = content_stems(words);
  form.stop = std::all_of(words.begin(), words.end(), [](const Word& w) { return w.stop; });
  form.raw = ascii_lower(text);
  form.weight = weight;
  form.loose = loose;
  form.meaning = meaning;
  return form;
}

/// One thing the query asks for: a word typed, or an everyday phrase with its other forms.
struct Concept {
  std::vector<Form> forms;  ///< what was typed first
};

/// What a query asks for, read against the synonyms vocabulary.
struct Query {
  std::vector<Concept> concepts;
  std::vector<std::string> notes;   ///< from the vocabulary, for subjects knots does not cover
  std::vector<std::string> hinted;  ///< the words, as typed, that may get a closest-word hint
  std::vector<std::string> typed;   ///< the stems of the query's own words, stop words left out
  std::set<std::string> named;      ///< those and negations: a warning sign is named in the person's words
  std::vector<std::string> keys;    ///< a field holding none of these cannot match
  std::vector<std::string> starts;  ///< a word starting with none of these cannot match
};

/// A synonym whose words the query holds at `at`: which row, which of its words, how many.
struct SynonymMatch {
  const Synonym* row = nullptr;
  std::size_t form = 0;
  std::size_t length = 0;
};

/// The synonyms vocabulary with its words stemmed once per search.
class Vocabulary {
 public:
  explicit Vocabulary(const Catalog<Synonym>& synonyms) {
    for (const auto& row : synonyms.all()) {
      for (std::size_t f = 0; f < row.words.size(); ++f) {
        std::vector<std::string> stems;
        for (const auto& w : words_of(row.words[f])) stems.push_back(w.stem);
        if (!stems.empty()) forms_.push_back({&row, f, std::move(stems)});
      }
    }
  }

  /// The longest word of a row that the query's words start with at `at` (every word, stop
  /// words too: "pins and needles", "small of the back").
  [[nodiscard]] SynonymMatch at(const std::vector<Word>& words, std::size_t at) const {
    SynonymMatch best;
    for (const auto& f : forms_) {
      if (f.stems.size() <= best.length || at + f.stems.size() > words.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < f.stems.size() && same; ++k) same = words[at + k].stem == f.stems[k];
      if (same) best = {f.row, f.form, f.stems.size()};
    }
    return best;
  }

  /// Every word the vocabulary knows, as written.
  [[nodiscard]] std::vector<std::string> words() const {
    std::vector<std::string> out;
    for (const auto& f : forms_) {
      for (const auto& w : words_of(f.row->words[f.form])) out.push_back(w.lower);
    }
    return out;
  }

 private:
  struct Stemmed {
    const Synonym* row;
    std::size_t form;
    std::vector<std::string> stems;
  };
  std::vector<Stemmed> forms_;
};

/// The concept of a synonym, with the form typed first, its other forms, then what it means.
Concept concept_of(const Synonym& row, std::size_t typed) {
  Concept c;
  c.forms.push_back(form_of(row.words[typed], 1.0, false));
  for (std::size_t f = 0; f < row.words.size(); ++f) {
    if (f != typed) c.forms.push_back(form_of(row.words[f], kOtherForm, false));
  }
  for (const auto& m : row.means) c.forms.push_back(form_of(m, kMeaning, false, true));
  return c;
}

/// The query's words (each mistyped one replaced by what it was read as) read against the
/// vocabulary, longest phrase first; stop words left out unless they are all there is.
Query read_query(const std::vector<Word>& words, const Vocabulary& vocabulary) {
  Query q;
  std::set<const Synonym*> rows_seen;  // an everyday thing asked twice counts once
  std::set<std::string> stems_seen;    // so does a word given twice
  for (const auto& w : words) {
    if (is_negation(w.lower)) q.named.insert(w.stem);
  }
  auto add_word = [&](const Word& w) {
    q.hinted.push_back(w.lower);
    q.typed.push_back(w.stem);
    q.named.insert(w.stem);
    if (stems_seen.insert(w.stem).second) q.concepts.push_back({{form_of(w.lower, 1.0, true)}});
  };
  for (std::size_t i = 0; i < words.size();) {
    const SynonymMatch m = vocabulary.at(words, i);
    if (m.row) {
      if (rows_seen.insert(m.row).second) {
        if (!m.row->note.empty()) q.notes.push_back(m.row->note);
        if (!m.row->means.empty()) {
          q.concepts.push_back(concept_of(*m.row, m.form));
        }
      }
      for (std::size_t k = i; k < i + m.length; ++k) {
        if (!words[k].stop) {
          q.hinted.push_back(words[k].lower);
          q.typed.push_back(words[k].stem);
          q.named.insert(words[k].stem);
        }
      }
      i += m.length;
      continue;
    }
    if (!words[i].stop) add_word(words[i]);
    ++i;
  }
  // Only stop words ("the"): search for them after all.
  if (q.concepts.empty() && q.notes.empty()) {
    for (const auto& w : words) add_word(w);
  }
  for (const auto& c : q.concepts) {
    for (const auto& f : c.forms) {
      q.keys.push_back(start_of(f.stems.empty() ? f.raw : f.stems.front()));
      for (const auto& s : f.stems) q.starts.push_back(start_of(s));
    }
  }
  return q;
}

/// A field of an entry: its text, and how much a match in it counts.
struct Field {
  std::string name;   ///< the key, for JSON
  std::string label;  ///< for people
  std::string text;
  double weight;
  bool is_name = false;  ///< an id, name or alias: also matches inside words ("fascia" in "myofascial")
};

/// What search sees of an entry: its fields, its names one by one (for an exact match: its name,
/// its aliases, then its id), and the field to show when only a name matched.
struct Document {
  HitKind kind;
  const std::string* id;
  const std::string* name;
  std::vector<Field> fields;
  std::vector<std::string> names;
  std::size_t main;
};

/// The length of a match of `form` starting at word `at`, with its quality (1 for the same stems,
/// kPrefix for the start of a longer word or a word inside a name); {0, 0} for none. A phrase
/// skips stop words between its words, never punctuation.
std::pair<double, std::size_t> match_at(const std::vector<Word>& words, std::size_t at, const Form& form,
                                        bool inside) {
  const Word& w = words[at];
  if ((w.stop && !form.stop) || w.stem.empty()) return {0, 0};
  if (form.stems.size() == 1) {
    const std::string& term = form.stems.front();
    if (w.stem == term) return {1.0, 1};
    if (!form.loose) return {0, 0};
    if (term.size() >= 4 && w.stem.starts_with(term)) return {kPrefix, 1};
    if (inside && form.raw.size() >= 5 && w.lower.find(form.raw) != std::string::npos) return {kPrefix, 1};
    return {0, 0};
  }
  std::size_t i = at;
  for (std::size_t k = 0; k < form.stems.size(); ++k) {
    while (k > 0 && i < words.size() && words[i].stop && !words[i].after_break) ++i;
    if (i >= words.size() || words[i].stem != form.stems[k] || (k > 0 && words[i].after_break)) return {0, 0};
    ++i;
  }
  return {1.0, i - at};
}

/// How a field matched the query: per concept, the summed quality of its matches (BM25's term
/// frequency) and where the best one is.
struct FieldMatch {
  std::vector<double> tf;        ///< per concept: matches by forms people type
  std::vector<double> tf_meant;  ///< per concept: matches by the knowledge base's words for it
  std::vector<bool> typed;       ///< per concept: matched by a form people type, not only a meaning
  std::vector<std::pair<std::size_t, std::size_t>> best;  ///< per concept: [first, last] word
  std::vector<std::size_t> hits;                          ///< every matched word
  std::vector<Word> words;
  bool any = false;
};

FieldMatch match_field(const Field& field, const Query& query) {
  const auto& concepts = query.concepts;
  FieldMatch fm;
  fm.tf.assign(concepts.size(), 0);
  fm.tf_meant.assign(concepts.size(), 0);
  fm.typed.assign(concepts.size(), false);
  fm.best.assign(concepts.size(), {SIZE_MAX, SIZE_MAX});
  // A field without any key as a substring cannot match, so it need not be split into words at
  // all (most fields, in a large knowledge base).
  if (!contains_any(field.text, query.keys)) return fm;
  fm.words = words_of(field.text, &query.starts);
  for (std::size_t t = 0; t < concepts.size(); ++t) {
    double best = 0;
    for (std::size_t i = 0; i < fm.words.size(); ++i) {
      double q = 0;
      std::size_t length = 0;
      bool meant = false;
      for (const auto& form : concepts[t].forms) {
        auto [quality, len] = match_at(fm.words, i, form, field.is_name);
        quality *= form.weight * (form.meaning && field.is_name ? kMeaningName : 1.0);
        if (quality <= 0) continue;
        if (!form.meaning) fm.typed[t] = true;
        if (quality > q) {
          q = quality;
          length = len;
          meant = form.meaning;
        }
      }
      if (q <= 0) continue;
      // A meaning's weight applies to its score, not its frequency: however often a text says
      // "massage ball", it answers "tennis ball" less surely than one that says "tennis ball".
      (meant ? fm.tf_meant[t] : fm.tf[t]) += meant ? q / kMeaning : q;
      for (std::size_t k = i; k < i + length; ++k) {
        if (!fm.words[k].stop) fm.hits.push_back(k);
      }
      // A phrase is the words as typed, next to each other: not the knowledge base's words for them.
      if (q > best && !meant) {
        best = q;
        fm.best[t] = {i, i + length - 1};
      }
      fm.any = true;
    }
  }
  return fm;
}

/// Whether the query's concepts sit next to each other in the field, in order, as typed.
bool is_phrase(const FieldMatch& fm, const std::vector<Word>& words) {
  if (fm.best.size() < 2) return false;
  for (std::size_t t = 1; t < fm.best.size(); ++t) {
    if (fm.best[t - 1].second == SIZE_MAX || fm.best[t].first == SIZE_MAX) return false;
    std::size_t next = fm.best[t - 1].second + 1;
    while (next < words.size() && words[next].stop) ++next;
    if (fm.best[t].first != next) return false;
  }
  return true;
}

std::vector<std::string> aliases_and(const std::string& name, const std::vector<std::string>& aliases,
                                     const std::string& id) {
  std::vector<std::string> out{name};
  out.insert(out.end(), aliases.begin(), aliases.end());
  out.push_back(id_words(id));
  return out;
}

// Every entry's fields: names first (id, name, aliases), then what it says.
Document document(const KnowledgeBase& kb, const Modality& m) {
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
  return {HitKind::modality,
          &m.id,
          &m.name,
          {{"name", "name", m.name, 10, true},
           {"aliases", "also called", joined(m.aliases), 9, true},
           {"id", "id", id_words(m.id), 8, true},
           {"summary", "summary", m.summary, 5},
           {"techniques", "techniques", joined(techniques), 4},
           {"tools", "therapist uses", joined(m.tools), 3},
           {"targets", "targets", joined(targets), 3},
           {"description", "what happens", m.description, 2},
           {"helps_knots", "how it helps knots", m.helps_knots, 4},
           {"back", "works on", m.back == BackContact::direct ? "the back directly" : "", 3},
           {"goals", "goals", joined(goals), 2},
           {"origin", "origin", m.origin, 1},
           {"evidence", "evidence", m.evidence.note, 1},
           {"cautions", "caution", joined(cautions, " "), 1}},
          aliases_and(m.name, m.aliases, m.id),
          3};
}

Document document(const KnowledgeBase&, const Technique& t) {
  return {HitKind::technique,
          &t.id,
          &t.name,
          {{"name", "name", t.name, 10, true},
           {"aliases", "also called", joined(t.aliases), 9, true},
           {"id", "id", id_words(t.id), 8, true},
           {"plain", "in plain words", t.plain, 5},
           {"definition", "what it is", t.definition, 3}},
          aliases_and(t.name, t.aliases, t.id),
          4};
}

Document document(const KnowledgeBase&, const Condition& c) {
  return {HitKind::condition,
          &c.id,
          &c.name,
          {{"name", "name", c.name, 10, true},
           {"aliases", "also called", joined(c.aliases), 9, true},
           {"id", "id", id_words(c.id), 8, true},
           {"description", "what it is", c.description, 3},
           {"guidance", "what to do", c.guidance, 2}},
          aliases_and(c.name, c.aliases, c.id),
          3};
}

Document document(const KnowledgeBase&, const RedFlag& f) {
  return {HitKind::red_flag,
          &f.id,
          &f.name,
          {{"name", "name", f.name, 10, true},
           {"aliases", "also called", joined(f.aliases), 9, true},
           {"id", "id", id_words(f.id), 8, true},
           {"text", "what to do", f.text, 3}},
          aliases_and(f.name, f.aliases, f.id),
          3};
}

Document document(const KnowledgeBase&, const SelfCareTip& t) {
  return {HitKind::self_care,
          &t.id,
          &t.name,
          {{"name", "name", t.name, 10, true},
           {"aliases", "also called", joined(t.aliases), 9, true},
           {"id", "id", id_words(t.id), 8, true},
           {"advice", "advice", t.advice, 3},
           {"how", "how to do it", t.how, 2},
           {"avoid", "take care", t.avoid, 1},
           {"evidence", "evidence", t.evidence, 1}},
          aliases_and(t.name, t.aliases, t.id),
          3};
}

Document document(const KnowledgeBase&, const Goal& g) {
  return {HitKind::goal,
          &g.id,
          &g.name,
          {{"name", "name", g.name, 10, true},
           {"aliases", "also called", joined(g.aliases), 9, true},
           {"id", "id", id_words(g.id), 8, true},
           {"description", "what it is", g.description, 3}},
          aliases_and(g.name, g.aliases, g.id),
          3};
}

/// A topic's name and aliases are questions in everyday words ("a sore back"), which hold the
/// words people search with as well as the names of the styles and goals they are looking for, so
/// they weigh less than the names of entries.
Document document(const KnowledgeBase&, const GuideTopic& t) {
  return {HitKind::topic,
          &t.id,
          &t.name,
          {{"name", "name", t.name, 7, true},
           {"aliases", "also asked as", joined(t.aliases), 7, true},
           {"id", "id", id_words(t.id), 6, true},
           {"summary", "summary", t.summary, 3},
           {"body", "answer", t.body, 1}},
          aliases_and(t.name, t.aliases, t.id),
          3};
}

Document document(const KnowledgeBase&, const KnotArea& a) {
  return {HitKind::area,
          &a.id,
          &a.name,
          {{"name", "name", a.name, 10, true},
           {"aliases", "also called", joined(a.aliases), 9, true},
           {"id", "id", id_words(a.id), 8, true},
           {"description", "where it is", a.description, 3}},
          aliases_and(a.name, a.aliases, a.id),
          3};
}

/// A source is found by its id, title and publisher; it is the evidence behind the other kinds,
/// not what a person looks for first, so its fields weigh less.
Document document(const KnowledgeBase&, const Source& s) {
  return {HitKind::source,
          &s.id,
          &s.title,
          {{"id", "id", s.id, 5, true},
           {"title", "title", s.title, 3},
           {"publisher", "publisher", s.publisher, 2}},
          {s.id},
          1};
}

/// Every entry of every kind, in the order ties are broken.
template <class Fn>
void for_each_document(const KnowledgeBase& kb, Fn fn) {
  auto all = [&](const auto& catalog) {
    for (const auto& item : catalog.all()) fn(document(kb, item));
  };
  all(kb.modalities);
  all(kb.techniques);
  all(kb.conditions);
  all(kb.red_flags);
  all(kb.self_care);
  all(kb.goals);
  all(kb.guide);
  all(kb.areas);
  all(kb.sources);
}

/// About 70 characters of `text` around the first match, on UTF-8 boundaries.
void make_snippet(SearchHit& hit, const std::string& text, const FieldMatch& fm) {
  constexpr std::size_t kBefore = 25, kLength = 70;
  std::size_t first = text.size();
  for (std::size_t k : fm.hits) first = std::min(first, fm.words[k].offset);
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
  for (std::size_t k : fm.hits) {
    const Word& w = fm.words[k];
    if (w.offset >= start && w.offset + w.length <= end)
      marks.insert({w.offset - start + prefix.size(), w.length});
  }
  hit.marks.assign(marks.begin(), marks.end());
}

/// An entry that matched, before it is scored: what is needed to score it and show it.
struct Candidate {
  Document doc;
  std::vector<FieldMatch> fields;
  std::vector<bool> matched;  ///< per concept
  std::vector<bool> typed;    ///< per concept
};

/// The stems of a name, stop words left out.
std::vector<std::string> name_stems(const std::string& name) {
  return content_stems(words_of(name));
}

/// The stems of a warning sign's name that the query must hold to name it: stop words left out,
/// but not a negation, which turns the sign around ("not improving").
std::vector<std::string> sign_stems(const std::string& name) {
  std::vector<std::string> out;
  for (const auto& w : words_of(name)) {
    if (!w.stop || is_negation(w.lower)) out.push_back(w.stem);
  }
  return out;
}

/// Scores every document against the query.
class Ranker {
 public:
  Ranker(const Query& query, Match match)
      : query_(query), match_(match), df_(query.concepts.size()), df_meant_(query.concepts.size()) {}

  void add(Document doc) {
    ++documents_;
    auto& lengths = lengths_[static_cast<std::size_t>(doc.kind)];
    lengths.resize(std::max(lengths.size(), doc.fields.size()));
    for (std::size_t f = 0; f < doc.fields.size(); ++f)
      lengths[f] += static_cast<double>(doc.fields[f].text.size());
    ++counts_[static_cast<std::size_t>(doc.kind)];
    const std::size_t n = query_.concepts.size();
    Candidate c{std::move(doc), {}, std::vector<bool>(n), std::vector<bool>(n)};
    std::vector<bool> as_typed(n), as_meant(n);
    bool any = false;
    for (const auto& field : c.doc.fields) {
      c.fields.push_back(match_field(field, query_));
      const FieldMatch& fm = c.fields.back();
      any = any || fm.any;
      for (std::size_t t = 0; t < n; ++t) {
        as_typed[t] = as_typed[t] || fm.tf[t] > 0;
        as_meant[t] = as_meant[t] || fm.tf_meant[t] > 0;
        if (fm.typed[t]) c.typed[t] = true;
      }
    }
    if (!any) return;
    for (std::size_t t = 0; t < n; ++t) {
      c.matched[t] = as_typed[t] || as_meant[t];
      df_[t] += as_typed[t] ? 1 : 0;
      df_meant_[t] += as_meant[t] ? 1 : 0;
    }
    candidates_.push_back(std::move(c));
  }

  /// The concepts that matched no entry at all.
  [[nodiscard]] std::vector<bool> unmatched() const {
    std::vector<bool> out(query_.concepts.size());
    for (std::size_t t = 0; t < out.size(); ++t) out[t] = df_[t] == 0 && df_meant_[t] == 0;
    return out;
  }

  std::vector<SearchHit> hits() {
    std::vector<SearchHit> out;
    for (auto& c : candidates_) {
      if (match_ == Match::all && std::find(c.matched.begin(), c.matched.end(), false) != c.matched.end())
        continue;
      out.push_back(hit(c));
    }
    return out;
  }

 private:
  /// How rare a word is: the fewer entries hold it, the more it says about those that do. The
  /// forms people type and the knowledge base's words for them count apart, as separate words.
  [[nodiscard]] double idf(std::size_t df_count) const {
    const double n = static_cast<double>(documents_), df = static_cast<double>(df_count);
    return std::log(1 + (n - df + 0.5) / (df + 0.5));
  }

  [[nodiscard]] double average(HitKind kind, std::size_t field) const {
    const auto k = static_cast<std::size_t>(kind);
    const double avg = counts_[k] ? lengths_[k][field] / counts_[k] : 0;
    return avg > 0 ? avg : 1;
  }

  /// Whether a name or alias of the entry is the whole query, or a warning sign's name is all in it.
  [[nodiscard]] bool names_the_query(const Candidate& c) const {
    for (const auto& name : c.doc.names) {
      if (name_stems(name) == query_.typed) return true;
    }
    return false;
  }
  [[nodiscard]] bool named_by_query(const Candidate& c) const {
    // Its name and aliases, not its id: a person names the sign in words, not by its slug.
    for (std::size_t i = 0; i + 1 < c.doc.names.size(); ++i) {
      const auto stems = sign_stems(c.doc.names[i]);
      if (!stems.empty() && std::all_of(stems.begin(), stems.end(),
                                        [&](const std::string& s) { return query_.named.count(s) != 0; }))
        return true;
    }
    return false;
  }

  SearchHit hit(const Candidate& c) {
    const auto& concepts = query_.concepts;
    double score = 0;
    for (std::size_t t = 0; t < concepts.size(); ++t) {
      if (!c.matched[t]) continue;
      double tf = 0, tf_meant = 0;
      for (std::size_t f = 0; f < c.fields.size(); ++f) {
        const Field& field = c.doc.fields[f];
        const double b = field.is_name ? kBName : kBText;
        const double norm = 1 - b + b * static_cast<double>(field.text.size()) / average(c.doc.kind, f);
        tf += field.weight * c.fields[f].tf[t] / norm;
        tf_meant += field.weight * c.fields[f].tf_meant[t] / norm;
      }
      const auto saturated = [](double x) { return x * (kK1 + 1) / (kK1 + x); };
      score += idf(df_[t]) * saturated(tf) + kMeaning * idf(df_meant_[t]) * saturated(tf_meant);
    }
    bool phrase = false;
    for (std::size_t f = 0; f < c.fields.size() && !phrase; ++f)
      phrase = is_phrase(c.fields[f], c.fields[f].words);
    if (phrase) score *= kPhrase;
    if (names_the_query(c)) score *= kExactName;

    SearchHit hit;
    hit.kind = c.doc.kind;
    hit.id = *c.doc.id;
    hit.name = *c.doc.name;
    hit.score = std::round(score * 10) / 10;
    // A warning sign whose name or alias the query holds whole ("pins and needles", "chest pain")
    // is what the person asked about.
    hit.aside = c.doc.kind == HitKind::red_flag && named_by_query(c) &&
                std::find(c.typed.begin(), c.typed.end(), true) != c.typed.end();
    // Show the text field that matches best, weighed by how much of the query it holds: a name
    // alone says little, and a field holding every word says more than a heavier one holding one.
    std::size_t shown = c.doc.main;
    double shown_score = 0;
    for (std::size_t f = 0; f < c.fields.size(); ++f) {
      if (c.doc.fields[f].is_name) continue;
      double held = 0, quality = 0;
      for (std::size_t t = 0; t < concepts.size(); ++t) {
        const double tf = c.fields[f].tf[t] + kMeaning * c.fields[f].tf_meant[t];
        if (tf > 0) {
          ++held;
          quality += std::min(1.0, tf);
        }
      }
      const double s = c.doc.fields[f].weight * quality * held;
      if (s > shown_score) {
        shown = f;
        shown_score = s;
      }
    }
    hit.field = c.doc.fields[shown].name;
    hit.label = c.doc.fields[shown].label;
    // The snippet is made later, for the hits kept: the field's words are kept until then.
    shown_[hit.id + '\x1f' + std::string(name_of(hit.kind))] = {&c, shown};
    return hit;
  }

 public:
  /// The snippet of a hit, from the field chosen when it was scored.
  void snippet(SearchHit& hit) {
    const auto it = shown_.find(hit.id + '\x1f' + std::string(name_of(hit.kind)));
    if (it == shown_.end()) return;
    const auto& [c, f] = it->second;
    FieldMatch fm = c->fields[f];
    if (fm.words.empty()) fm.words = words_of(c->doc.fields[f].text);
    make_snippet(hit, c->doc.fields[f].text, fm);
  }

 private:
  const Query& query_;
  Match match_;
  std::size_t documents_ = 0;
  std::array<std::vector<double>, 9> lengths_{};
  std::array<double, 9> counts_{};
  std::vector<std::size_t> df_;        ///< per concept: how many entries hold a form people type
  std::vector<std::size_t> df_meant_;  ///< per concept: how many hold the knowledge base's words
  std::vector<Candidate> candidates_;
  std::unordered_map<std::string, std::pair<const Candidate*, std::size_t>> shown_;
};

/// Every word of the knowledge base and the vocabulary, as written, with how often it occurs.
std::map<std::string, std::size_t> all_words(const KnowledgeBase& kb, const Vocabulary& vocabulary) {
  // Gathered unordered (a large knowledge base holds millions of words), then sorted, so that
  // ties go to the same word on every run.
  std::unordered_map<std::string, std::size_t> counts;
  const std::vector<std::string> none;  // the words as written are enough: no stems
  for_each_document(kb, [&](const Document& doc) {
    for (const auto& f : doc.fields) {
      for (auto& w : words_of(f.text, &none)) ++counts[std::move(w.lower)];
    }
  });
  for (auto& w : vocabulary.words()) ++counts[std::move(w)];
  return {counts.begin(), counts.end()};
}

/// The word of the knowledge base that a mistyped word most likely is: the most frequent of those
/// closest to it (one edit for a word of up to 8 letters, two for a longer one), as spelling
/// correctors do; none for a word of fewer than 4 letters, which is too short to guess. Most typos
/// are one edit away; two, in a short word, would turn English words knots does not hold into
/// others ("supposed" into "supported").
std::string correction(const std::string& typed, const std::map<std::string, std::size_t>& words) {
  if (typed.size() < 4 || typed.size() > kMaxSuggestLength) return {};
  const std::size_t limit = typed.size() <= 8 ? 1 : 2;
  std::string best;
  std::size_t best_distance = limit + 1, best_count = 0;
  for (const auto& [word, count] : words) {
    const std::size_t gap =
        word.size() > typed.size() ? word.size() - typed.size() : typed.size() - word.size();
    if (gap > limit || word.size() < 3) continue;
    const std::size_t d = edit_distance(typed, word);
    if (d == 0 || d > limit) continue;
    if (d < best_distance || (d == best_distance && count > best_count)) {
      best = word;
      best_distance = d;
      best_count = count;
    }
  }
  return best;
}

/// The words of the knowledge base, as written, closest to each word that found nothing.
std::vector<std::string> closest_words(const std::map<std::string, std::size_t>& words,
                                       const std::vector<std::string>& hinted) {
  std::vector<std::string> candidates;
  for (const auto& [word, count] : words) candidates.push_back(word);
  std::vector<std::string> hints;
  for (std::size_t i = 0; i < hinted.size() && i < kMaxHintedWords; ++i) {
    auto guess = closest(hinted[i], candidates);
    if (guess && std::find(hints.begin(), hints.end(), *guess) == hints.end()) hints.push_back(*guess);
  }
  return hints;
}

/// Ranks the knowledge base against words already read (typos replaced).
std::vector<SearchHit> rank(const KnowledgeBase& kb, const Query& query, Match match, std::size_t top,
                            std::size_t& total, std::vector<bool>* unmatched) {
  Ranker ranker(query, match);
  for_each_document(kb, [&](Document doc) { ranker.add(std::move(doc)); });
  if (unmatched) *unmatched = ranker.unmatched();
  std::vector<SearchHit> hits = ranker.hits();
  std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    if (a.aside != b.aside) return a.aside;
    if (a.score != b.score) return a.score > b.score;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.id < b.id;
  });
  total = hits.size();
  // Every warning sign the query names is kept; `top` counts the rest.
  const std::size_t asides = static_cast<std::size_t>(
      std::count_if(hits.begin(), hits.end(), [](const SearchHit& h) { return h.aside; }));
  if (top > 0 && hits.size() > asides + top) hits.resize(asides + top);
  for (auto& hit : hits) ranker.snippet(hit);
  return hits;
}

}  // namespace

std::string stem(std::string_view word) {
  static thread_local const Stemmer stemmer;
  return stemmer(word);
}

bool is_stop_word(std::string_view word) {
  // The Snowball English stop list, with the contractions as people type them without an
  // apostrophe ("cant", "dont"), the letters an apostrophe leaves ("s", "t") and a few verbs that
  // carry nothing in a question ("can", "get", "will").
  static constexpr auto kStop = std::to_array<std::string_view>(
      {"a",       "about",   "above",     "after",     "again",  "against", "all",        "am",
       "an",      "and",     "any",       "are",       "aren",   "arent",   "as",         "at",
       "be",      "because", "been",      "before",    "being",  "below",   "between",    "both",
       "but",     "by",      "can",       "cannot",    "cant",   "could",   "couldnt",    "d",
       "did",     "didnt",   "do",        "does",      "doesnt", "doing",   "dont",       "down",
       "during",  "each",    "few",       "for",       "from",   "further", "get",        "gets",
       "getting", "got",     "had",       "hadnt",     "has",    "hasnt",   "have",       "havent",
       "having",  "he",      "her",       "here",      "hers",   "herself", "him",        "himself",
       "his",     "how",     "i",         "if",        "im",     "in",      "into",       "is",
       "isnt",    "it",      "its",       "itself",    "ive",    "just",    "ll",         "m",
       "me",      "more",    "most",      "my",        "myself", "no",      "nor",        "not",
       "of",      "off",     "on",        "once",      "only",   "or",      "other",      "ought",
       "our",     "ours",    "ourselves", "out",       "over",   "own",     "re",         "s",
       "same",    "she",     "should",    "shouldnt",  "so",     "some",    "such",       "t",
       "than",    "that",    "the",       "their",     "theirs", "them",    "themselves", "then",
       "there",   "these",   "they",      "this",      "those",  "through", "to",         "too",
       "under",   "until",   "up",        "ve",        "very",   "was",     "wasnt",      "we",
       "were",    "werent",  "what",      "when",      "where",  "which",   "while",      "who",
       "whom",    "why",     "will",      "with",      "wont",   "would",   "wouldnt",    "you",
       "your",    "yours",   "yourself",  "yourselves"});
  static_assert(std::is_sorted(kStop.begin(), kStop.end()));
  return std::binary_search(kStop.begin(), kStop.end(), word);
}

SearchResult search(const KnowledgeBase& kb, const SearchQuery& request) {
  std::vector<Word> words;
  for (const auto& t : request.terms) {
    for (auto& w : words_of(t)) words.push_back(std::move(w));
  }
  const Vocabulary vocabulary(kb.synonyms);
  Query query = read_query(words, vocabulary);
  SearchResult result;
  result.notes = query.notes;
  if (query.concepts.empty()) return result;
  std::vector<bool> unmatched;
  result.hits = rank(kb, query, request.match, request.top, result.total, &unmatched);
  // A word found nowhere is most likely mistyped: read it as the closest word there is, say so,
  // and search again.
  if (std::find(unmatched.begin(), unmatched.end(), true) != unmatched.end()) {
    const auto known = all_words(kb, vocabulary);
    bool changed = false;
    // Each guess compares the word with every word there is: the first few are guessed, however
    // many were given.
    std::size_t guessed = 0;
    for (std::size_t t = 0; t < unmatched.size() && guessed < kMaxHintedWords; ++t) {
      const Form& typed = query.concepts[t].forms.front();
      if (!unmatched[t] || !typed.loose) continue;
      ++guessed;
      const std::string read = correction(typed.raw, known);
      if (read.empty()) continue;
      for (auto& w : words) {
        if (w.lower == typed.raw) {
          w.lower = read;
          w.stem = stem(read);
          w.stop = is_stop_word(read);
        }
      }
      result.read_as.push_back({typed.raw, read});
      changed = true;
    }
    if (changed) {
      query = read_query(words, vocabulary);
      for (const auto& note : query.notes) {
        if (std::find(result.notes.begin(), result.notes.end(), note) == result.notes.end())
          result.notes.push_back(note);
      }
      result.hits = rank(kb, query, request.match, request.top, result.total, nullptr);
    }
    if (result.hits.empty()) result.hints = closest_words(known, query.hinted);
  }
  return result;
}

}  // namespace knots
