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
constexpr std::size_t kInside = 5;  ///< a typed word this long also matches inside a word of a name
constexpr double kMeaningName = 0.5;   ///< a name holding only a related word says less than the word
constexpr double kPhrase = 1.5;        ///< the words asked for next to each other, in order
constexpr double kNamed = 2.0;         ///< the whole query is an entry's name or an alias of it
constexpr double kNamedMeaning = 0.5;  ///< a concept whose meaning is the name counts half

struct Word {
  std::string lower;
  std::string stem;
  std::size_t offset = 0;  ///< in the text
  std::size_t length = 0;
  bool stop = false;         ///< a stop word: skipped inside a phrase, never matched alone
  bool after_break = false;  ///< punctuation or a word left out before it: a phrase does not run across
};

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

/// Whether a right single quotation mark (U+2019, the apostrophe of word processors) starts at `i`.
bool curly_at(std::string_view text, std::size_t i) {
  return text[i] == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' && text[i + 2] == '\x99';
}

/// The length of an apostrophe at `i` inside a word ("can't", "can’t", "back's"), or 0.
std::size_t apostrophe_at(std::string_view text, std::size_t i) {
  const std::size_t n = text[i] == '\'' ? 1 : curly_at(text, i) ? 3 : 0;
  const bool letter_after = n > 0 && i + n < text.size() && word_char(text[i + n]) &&
                            static_cast<unsigned char>(text[i + n]) < 0x80;
  return letter_after ? n : 0;
}

/// How many bytes at `i` are not part of a word: 0 when a word starts there.
std::size_t gap_at(std::string_view text, std::size_t i) {
  if (curly_at(text, i)) return 3;
  return word_char(text[i]) ? 0 : 1;
}

/// The end of the word that starts at `i`: an apostrophe followed by a letter stays inside it, so
/// that "can't" is one word, as "cant" is.
std::size_t word_end(std::string_view text, std::size_t i) {
  std::size_t j = i;
  while (j < text.size()) {
    const auto c = static_cast<unsigned char>(text[j]);
    const auto folded = static_cast<unsigned char>(c | 0x20U);
    if ((folded >= 'a' && folded <= 'z') || (c >= '0' && c <= '9')) {  // most of every text
      ++j;
    } else if (const std::size_t n = apostrophe_at(text, j); n > 0 && j > i) {
      j += n;
    } else if (c >= 0x80 && !curly_at(text, j)) {
      ++j;
    } else {
      break;
    }
  }
  return j;
}

/// A word as search reads it: lowercase, without its apostrophes ("Can't" -> "cant").
std::string word_text(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (const std::size_t n = apostrophe_at(word, i); n > 0) {
      i += n - 1;
      continue;
    }
    out += ascii_lower(word[i]);
  }
  return out;
}

/// The first letters of a word that are lowercased on the stack to test it: a stem (and so a
/// start) is at most 64 letters (Stemmer).
constexpr std::size_t kHead = 64;

/// The first kHead letters of a word as word_text() reads it, into `head`; returns how many. A
/// word that fills `head` may be longer.
std::size_t head_of(std::string_view word, std::array<char, kHead>& head) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < word.size() && n < head.size(); ++i) {
    if (const std::size_t a = apostrophe_at(word, i); a > 0) {
      i += a - 1;
      continue;
    }
    head[n++] = ascii_lower(word[i]);
  }
  return n;
}

/// The starts of the words a query can match, by their first letter: a word is looked up in its
/// letter's few, not compared with all.
class Starts {
 public:
  void add(std::string start) {
    if (start.empty()) return;
    auto& bucket = buckets_[static_cast<unsigned char>(start.front())];
    if (std::find(bucket.begin(), bucket.end(), start) == bucket.end()) bucket.push_back(std::move(start));
  }
  /// Whether any start begins with this letter, in any ASCII case.
  [[nodiscard]] bool first(char c) const {
    return !buckets_[static_cast<unsigned char>(ascii_lower(c))].empty();
  }
  [[nodiscard]] bool begins(std::string_view word) const {
    if (word.empty()) return false;
    const auto& bucket = buckets_[static_cast<unsigned char>(word.front())];
    return std::any_of(bucket.begin(), bucket.end(),
                       [&](const std::string& s) { return word.starts_with(s); });
  }

 private:
  std::array<std::vector<std::string>, 256> buckets_;
};

/// The words of `text`, lowercased and stemmed. With `only`, just the words that start as one of
/// those do, since no other can match (most of a large knowledge base): the others are left out,
/// a stop word as if it were not there (a phrase skips it), any other word as a break (a phrase
/// does not run across it, as across punctuation).
std::vector<Word> words_of(std::string_view text, const Starts* only = nullptr) {
  std::vector<Word> out;
  bool broken = false;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t gap = gap_at(text, i); gap > 0) {
      const char c = text[i];
      broken = broken || (gap == 1 && !(c == ' ' || c == '-' || c == '\'' || c == '\n' || c == '"'));
      i += gap;
      continue;
    }
    const std::size_t j = word_end(text, i);
    // Its first letters, lowercased on the stack, tell whether it is wanted and a stop word.
    std::array<char, kHead> head{};
    const std::size_t n = head_of(text.substr(i, j - i), head);
    const std::string_view start(head.data(), n);
    const bool whole = n < head.size();
    const bool stop = whole && is_stop_word(start);
    const bool wanted =
        !only || (whole ? only->begins(start) : only->begins(word_text(text.substr(i, j - i))));
    if (!wanted) {
      broken = broken || !stop;
      i = j;
      continue;
    }
    Word w;
    w.lower = word_text(text.substr(i, j - i));
    w.stem = stem(w.lower);
    w.stop = stop;
    w.offset = i;
    w.length = j - i;
    w.after_break = broken;
    broken = false;
    out.push_back(std::move(w));
    i = j;
  }
  return out;
}

/// Whether any word of `text` starts as one of `starts` (in any ASCII case): a field with none
/// cannot match, and is not split into words at all.
bool any_starts(std::string_view text, const Starts& starts) {
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t gap = gap_at(text, i); gap > 0) {
      i += gap;
      continue;
    }
    const std::size_t j = word_end(text, i);
    // Most words start with a letter no start does: they are passed over at once.
    if (starts.first(text[i])) {
      std::array<char, kHead> head;  // NOLINT: only the first n are read
      const std::size_t n = head_of(text.substr(i, j - i), head);
      if (starts.begins(std::string_view(head.data(), n))) return true;  // a start is a stem: at most 64
    }
    i = j;
  }
  return false;
}

/// Whether a lowercase word turns the meaning of the words after it around.
bool is_negation(std::string_view word) {
  static constexpr auto kNegations = std::to_array<std::string_view>(
      {"cannot", "cant", "didnt", "doesnt", "dont", "isnt", "no", "nor", "not", "wont"});
  return std::binary_search(kNegations.begin(), kNegations.end(), word);
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

/// What every word with this stem starts with. A Snowball stem is the start of its words but for
/// its last letter, which the stemmer may have rewritten: "happy" -> "happi", "hoping" -> "hope",
/// "flexibility" -> "flexibl" ("flexible" -> "flexibl" too). So a final e, i or l is dropped.
std::string start_of(std::string stemmed) {
  if (stemmed.size() > 3 && (stemmed.back() == 'e' || stemmed.back() == 'i' || stemmed.back() == 'l'))
    stemmed.pop_back();
  return stemmed;
}

/// A name's words as written (lowercase) with their stems, stop words left out unless they are all
/// it has: "What is a knot?" -> knot.
std::vector<std::pair<std::string, std::string>> as_written(std::string_view name) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < name.size();) {
    if (const std::size_t gap = gap_at(name, i); gap > 0) {
      i += gap;
      continue;
    }
    const std::size_t j = word_end(name, i);
    words.push_back(word_text(name.substr(i, j - i)));
    i = j;
  }
  const bool all_stop =
      std::all_of(words.begin(), words.end(), [](const std::string& w) { return is_stop_word(w); });
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& w : words) {
    if (!all_stop && is_stop_word(w)) continue;
    std::string stemmed = stem(w);
    out.emplace_back(std::move(w), std::move(stemmed));
  }
  return out;
}

/// Whether two names are the same words: the same stems, and each word the other but for a
/// plural or "-ing" ("prevent knots" and "preventing knot"), so that a stem shared by chance
/// ("stoned" and "stones") does not make one the other's name.
bool same_name(const std::vector<std::pair<std::string, std::string>>& a,
               const std::vector<std::pair<std::string, std::string>>& b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].second != b[i].second) return false;
    const auto& [longer, shorter] = a[i].first.size() >= b[i].first.size()
                                        ? std::pair(a[i].first, b[i].first)
                                        : std::pair(b[i].first, a[i].first);
    if (!longer.starts_with(shorter)) return false;
    const std::string_view ending = std::string_view(longer).substr(shorter.size());
    if (!(ending.empty() || ending == "s" || ending == "es" || ending == "ing")) return false;
  }
  return true;
}

/// One way a searched-for thing can be written: a word, or a phrase of several.
struct Form {
  std::vector<std::string> stems;  ///< of its words that are not stop words
  std::string raw;                 ///< lowercase, as written
  double weight = 1;               ///< what a match is worth (kOtherForm, kMeaning)
  bool loose = false;              ///< a word typed freely: may match the start of a longer word
  bool meaning = false;            ///< the knowledge base's word for it, not a form people type
  bool stop = false;               ///< only stop words ("the"), searched when they are all there is
  std::vector<std::pair<std::string, std::string>> written;  ///< as_written(), to compare with names
};

Form form_of(std::string_view text, double weight, bool loose, bool meaning = false) {
  Form form;
  const auto words = words_of(text);
  form.stems = content_stems(words);
  form.stop = std::all_of(words.begin(), words.end(), [](const Word& w) { return w.stop; });
  form.raw = ascii_lower(text);
  form.written = as_written(text);
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
  std::set<std::string> named;      ///< those and negations: a warning sign is named in the person's words
  Starts starts;                    ///< a word starting with none of these cannot match
  /// Every form by the stem of its first word, as (concept, form): a field's words are looked up
  /// here rather than compared with every form.
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> by_first;
  /// The forms of one word typed freely, which also match the start of a longer word.
  std::vector<std::pair<std::size_t, std::size_t>> loose;
  bool inside = false;  ///< one of those may match inside a word of a name (kInside letters or more)
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
  for (std::size_t t = 0; t < q.concepts.size(); ++t) {
    const auto& forms = q.concepts[t].forms;
    for (std::size_t f = 0; f < forms.size(); ++f) {
      if (forms[f].stems.empty()) continue;
      for (const auto& s : forms[f].stems) q.starts.add(start_of(s));
      q.by_first[forms[f].stems.front()].emplace_back(t, f);
      if (forms[f].loose && forms[f].stems.size() == 1) {
        q.loose.emplace_back(t, f);
        q.inside = q.inside || forms[f].raw.size() >= kInside;
      }
    }
  }
  return q;
}

/// A field of an entry: its text, and how much a match in it counts.
struct Field {
  /// The entry's own text, not copied: every entry of a large knowledge base is made a document.
  Field(std::string_view key, std::string_view for_people, const std::string& borrowed, double w,
        bool names_it = false)
      : name(key), label(for_people), ref(&borrowed), weight(w), is_name(names_it) {}
  /// A text made for search ("Petrissage (kneading), Effleurage"), which the field keeps.
  Field(std::string_view key, std::string_view for_people, std::string&& made, double w,
        bool names_it = false)
      : name(key), label(for_people), own(std::move(made)), weight(w), is_name(names_it) {}

  [[nodiscard]] std::string_view text() const { return ref ? std::string_view(*ref) : std::string_view(own); }

  std::string_view name;   ///< the key, for JSON
  std::string_view label;  ///< for people
  const std::string* ref = nullptr;
  std::string own;
  double weight;
  bool is_name = false;  ///< an id, name or alias: also matches inside words ("fascia" in "myofascial")
};

/// What search sees of an entry: its fields, its names (for an exact match) and the field to show
/// when only a name matched.
struct Document {
  HitKind kind;
  const std::string* id;
  const std::string* name;  ///< shown: a source's title
  std::vector<Field> fields;
  std::size_t main;
  /// Its names, when it has any beside its id (a source has not): made only for an entry that
  /// matched, since a large knowledge base has many.
  const std::vector<std::string>* aliases = nullptr;

  /// Its name, its aliases, then its id as words (a source: its id).
  [[nodiscard]] std::vector<std::string> names(bool with_id = true) const {
    if (!aliases) return {*id};
    std::vector<std::string> out{*name};
    out.insert(out.end(), aliases->begin(), aliases->end());
    if (with_id) out.push_back(id_words(*id));
    return out;
  }
};

/// The length of a match of `form` starting at word `at`, with its quality (1 for the same stems,
/// kPrefix for the start of a longer word or a word inside a name); {0, 0} for none. A phrase
/// skips stop words between its words, never punctuation.
std::pair<double, std::size_t> match_at(const std::vector<Word>& words, std::size_t at, const Form& form,
                                        bool inside) {
  const Word& w = words[at];
  if (w.stop && !form.stop) return {0, 0};
  if (form.stems.size() == 1) {
    const std::string& term = form.stems.front();
    if (w.stem == term) return {1.0, 1};
    if (!form.loose) return {0, 0};
    if (term.size() >= 4 && w.stem.starts_with(term)) return {kPrefix, 1};
    if (inside && form.raw.size() >= kInside && w.lower.find(form.raw) != std::string::npos)
      return {kPrefix, 1};
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
/// frequency), and whether the concepts stand next to each other as typed.
struct FieldMatch {
  std::vector<double> tf;        ///< per concept: matches by forms people type
  std::vector<double> tf_meant;  ///< per concept: matches by the knowledge base's words for it
  std::vector<bool> typed;       ///< per concept: matched by a form people type, not only a meaning
  bool phrase = false;           ///< every concept, as typed, next to the one before, in order
  bool any = false;
  std::vector<Word> words;        ///< kept only when asked (for a snippet)
  std::vector<std::size_t> hits;  ///< the matched words, when kept
};

/// Matches the query against one field; `keep` keeps its words and where they matched.
FieldMatch match_field(std::string_view text, bool is_name, const Query& query, bool keep = false) {
  const auto& concepts = query.concepts;
  const std::size_t n = concepts.size();
  FieldMatch fm;
  fm.tf.assign(n, 0);
  fm.tf_meant.assign(n, 0);
  fm.typed.assign(n, false);
  // A name may match inside its words ("fascia" in "myofascial"), so when the query has a word
  // that may, every word of a name is read. Of other fields only the words that start as a word
  // of the query does are: in a field with none (most, in a large knowledge base), nothing can match.
  const bool inside = is_name && query.inside;
  if (!inside && !any_starts(text, query.starts)) return fm;
  std::vector<Word> words = words_of(text, inside ? nullptr : &query.starts);
  // Per concept: the best match so far at the current word, and the words of its best match.
  std::vector<double> quality(n), best(n, 0);
  std::vector<std::size_t> length(n);
  std::vector<bool> meant(n);
  std::vector<std::pair<std::size_t, std::size_t>> span(n, {SIZE_MAX, SIZE_MAX});
  std::vector<std::size_t> touched;
  auto consider = [&](std::size_t i, std::size_t t, std::size_t f) {
    const Form& form = concepts[t].forms[f];
    auto [q, len] = match_at(words, i, form, is_name);
    q *= form.weight * (form.meaning && is_name ? kMeaningName : 1.0);
    if (q <= 0) return;
    if (!form.meaning) fm.typed[t] = true;
    if (quality[t] == 0) touched.push_back(t);
    if (q > quality[t]) {
      quality[t] = q;
      length[t] = len;
      meant[t] = form.meaning;
    }
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (const auto it = query.by_first.find(words[i].stem); it != query.by_first.end()) {
      for (const auto& [t, f] : it->second) consider(i, t, f);
    }
    for (const auto& [t, f] : query.loose) {
      if (quality[t] == 0) consider(i, t, f);  // the same stem was looked up above
    }
    for (std::size_t t : touched) {
      // A meaning's weight applies to its score, not its frequency: however often a text says
      // "massage ball", it answers "tennis ball" less surely than one that says "tennis ball".
      (meant[t] ? fm.tf_meant[t] : fm.tf[t]) += meant[t] ? quality[t] / kMeaning : quality[t];
      if (keep) {
        for (std::size_t k = i; k < i + length[t]; ++k) {
          if (!words[k].stop) fm.hits.push_back(k);
        }
      }
      // A phrase is the words as typed, next to each other: not the knowledge base's words for them.
      if (quality[t] > best[t] && !meant[t]) {
        best[t] = quality[t];
        span[t] = {i, i + length[t] - 1};
      }
      quality[t] = 0;
      fm.any = true;
    }
    touched.clear();
  }
  fm.phrase = n > 1;
  for (std::size_t t = 1; t < n && fm.phrase; ++t) {
    if (span[t - 1].second == SIZE_MAX || span[t].first == SIZE_MAX) {
      fm.phrase = false;
      break;
    }
    std::size_t next = span[t - 1].second + 1;
    while (next < words.size() && words[next].stop && !words[next].after_break) ++next;
    fm.phrase = next < words.size() && span[t].first == next && !words[next].after_break;
  }
  if (keep) fm.words = std::move(words);
  return fm;
}

/// The document of an entry with a name and aliases: its id, name and aliases as fields of these
/// weights, then `rest`; `main` counts in `rest`.
template <class T>
Document named(HitKind kind, const T& x, std::array<double, 3> weights, std::vector<Field> rest,
               std::size_t main, std::string_view also = "also called") {
  std::vector<Field> fields;
  fields.reserve(3 + rest.size());
  fields.emplace_back("name", "name", x.name, weights[0], true);
  fields.emplace_back("aliases", also, joined(x.aliases), weights[1], true);
  fields.emplace_back("id", "id", id_words(x.id), weights[2], true);
  for (auto& f : rest) fields.push_back(std::move(f));
  return {kind, &x.id, &x.name, std::move(fields), 3 + main, &x.aliases};
}

/// The weights of names and aliases: above every other field.
constexpr std::array<double, 3> kNames = {10, 9, 8};

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
  std::vector<Field> rest;
  rest.emplace_back("summary", "summary", m.summary, 5);
  rest.emplace_back("techniques", "techniques", joined(techniques), 4);
  rest.emplace_back("tools", "therapist uses", joined(m.tools), 3);
  rest.emplace_back("targets", "targets", joined(targets), 3);
  rest.emplace_back("description", "what happens", m.description, 2);
  rest.emplace_back("helps_knots", "how it helps knots", m.helps_knots, 4);
  rest.emplace_back("back", "works on", std::string(m.back == BackContact::direct ? "the back directly" : ""),
                    3);
  rest.emplace_back("goals", "goals", joined(goals), 2);
  rest.emplace_back("origin", "origin", m.origin, 1);
  rest.emplace_back("evidence", "evidence", m.evidence.note, 1);
  rest.emplace_back("cautions", "caution", joined(cautions, " "), 1);
  return named(HitKind::modality, m, kNames, std::move(rest), 0);
}

Document document(const KnowledgeBase&, const Technique& t) {
  std::vector<Field> rest;
  rest.emplace_back("plain", "in plain words", t.plain, 5);
  rest.emplace_back("definition", "what it is", t.definition, 3);
  return named(HitKind::technique, t, kNames, std::move(rest), 1);
}

Document document(const KnowledgeBase&, const Condition& c) {
  std::vector<Field> rest;
  rest.emplace_back("description", "what it is", c.description, 3);
  rest.emplace_back("guidance", "what to do", c.guidance, 2);
  return named(HitKind::condition, c, kNames, std::move(rest), 0);
}

Document document(const KnowledgeBase&, const RedFlag& f) {
  std::vector<Field> rest;
  rest.emplace_back("text", "what to do", f.text, 3);
  return named(HitKind::red_flag, f, kNames, std::move(rest), 0);
}

Document document(const KnowledgeBase&, const SelfCareTip& t) {
  std::vector<Field> rest;
  rest.emplace_back("advice", "advice", t.advice, 3);
  rest.emplace_back("how", "how to do it", t.how, 2);
  rest.emplace_back("avoid", "take care", t.avoid, 1);
  rest.emplace_back("evidence", "evidence", t.evidence, 1);
  return named(HitKind::self_care, t, kNames, std::move(rest), 0);
}

Document document(const KnowledgeBase&, const Goal& g) {
  std::vector<Field> rest;
  rest.emplace_back("description", "what it is", g.description, 3);
  return named(HitKind::goal, g, kNames, std::move(rest), 0);
}

/// A topic's name and aliases are questions in everyday words ("a sore back"), which hold the
/// words people search with as well as the names of the styles and goals they are looking for, so
/// they weigh less than the names of entries.
Document document(const KnowledgeBase&, const GuideTopic& t) {
  std::vector<Field> rest;
  rest.emplace_back("summary", "summary", t.summary, 3);
  rest.emplace_back("body", "answer", t.body, 1);
  return named(HitKind::topic, t, {7, 7, 6}, std::move(rest), 0, "also asked as");
}

Document document(const KnowledgeBase&, const KnotArea& a) {
  std::vector<Field> rest;
  rest.emplace_back("description", "where it is", a.description, 3);
  return named(HitKind::area, a, kNames, std::move(rest), 0);
}

/// A source is found by its id, title and publisher; it is the evidence behind the other kinds,
/// not what a person looks for first, so its fields weigh less.
Document document(const KnowledgeBase&, const Source& s) {
  std::vector<Field> fields;
  fields.emplace_back("id", "id", s.id, 5, true);
  fields.emplace_back("title", "title", s.title, 3);
  fields.emplace_back("publisher", "publisher", s.publisher, 2);
  return {HitKind::source, &s.id, &s.title, std::move(fields), 1};
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
void make_snippet(SearchHit& hit, const std::string& text, const std::vector<Word>& words,
                  const std::vector<std::size_t>& matched) {
  constexpr std::size_t kBefore = 25, kLength = 70;
  std::size_t first = text.size();
  for (std::size_t k : matched) first = std::min(first, words[k].offset);
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
  for (std::size_t k : matched) {
    const Word& w = words[k];
    if (w.offset >= start && w.offset + w.length <= end)
      marks.insert({w.offset - start + prefix.size(), w.length});
  }
  hit.marks.assign(marks.begin(), marks.end());
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

/// An entry that matched, as much of it as scoring and showing it need: the document itself is
/// gone by then (a large knowledge base has many).
struct Candidate {
  HitKind kind;
  const std::string* id;
  const std::string* name;
  struct Scored {
    std::size_t field;  ///< its place in the document, for the average length of its kind
    double weight;
    double length;
    bool is_name;
    std::vector<double> tf, tf_meant;
  };
  std::vector<Scored> fields;  ///< those that matched
  std::vector<bool> matched;   ///< per concept
  bool phrase = false;
  double named = 0;    ///< the share of the query's concepts that a name or alias of it is
  bool aside = false;  ///< a warning sign the query names
  std::string_view shown_key, shown_label;
  std::string shown_text;  ///< the field shown, for the snippet
};

/// Scores every document against the query, with BM25F.
class Ranker {
 public:
  Ranker(const Query& query, Match match)
      : query_(query), match_(match), df_(query.concepts.size()), df_meant_(query.concepts.size()) {}

  void add(const Document& doc) {
    ++documents_;
    const auto k = static_cast<std::size_t>(doc.kind);
    auto& lengths = lengths_[k];
    lengths.resize(std::max(lengths.size(), doc.fields.size()));
    for (std::size_t f = 0; f < doc.fields.size(); ++f)
      lengths[f] += static_cast<double>(doc.fields[f].text().size());
    ++counts_[k];
    const std::size_t n = query_.concepts.size();
    Candidate c{doc.kind, doc.id, doc.name, {}, std::vector<bool>(n), false, 0, false, {}, {}, {}};
    std::vector<bool> as_typed(n), as_meant(n), typed(n);
    std::size_t shown = doc.main;
    double shown_score = 0;
    for (std::size_t f = 0; f < doc.fields.size(); ++f) {
      const Field& field = doc.fields[f];
      FieldMatch fm = match_field(field.text(), field.is_name, query_);
      if (!fm.any) continue;
      c.phrase = c.phrase || fm.phrase;
      double held = 0, quality = 0;
      for (std::size_t t = 0; t < n; ++t) {
        as_typed[t] = as_typed[t] || fm.tf[t] > 0;
        as_meant[t] = as_meant[t] || fm.tf_meant[t] > 0;
        typed[t] = typed[t] || fm.typed[t];
        const double tf = fm.tf[t] + kMeaning * fm.tf_meant[t];
        if (tf > 0) {
          ++held;
          quality += std::min(1.0, tf);
        }
      }
      // Show the text field that matches best, weighed by how much of the query it holds: a name
      // alone says little, and a field holding every word says more than a heavier one holding one.
      if (!field.is_name && field.weight * quality * held > shown_score) {
        shown = f;
        shown_score = field.weight * quality * held;
      }
      c.fields.push_back({f, field.weight, static_cast<double>(field.text().size()), field.is_name,
                          std::move(fm.tf), std::move(fm.tf_meant)});
    }
    if (c.fields.empty()) return;
    for (std::size_t t = 0; t < n; ++t) {
      c.matched[t] = as_typed[t] || as_meant[t];
      df_[t] += as_typed[t] ? 1U : 0U;
      df_meant_[t] += as_meant[t] ? 1U : 0U;
    }
    c.named = named_share(doc);
    // A warning sign whose name or alias the query holds whole ("pins and needles", "chest pain")
    // is what the person asked about.
    c.aside = doc.kind == HitKind::red_flag && named_by_query(doc) &&
              std::find(typed.begin(), typed.end(), true) != typed.end();
    c.shown_key = doc.fields[shown].name;
    c.shown_label = doc.fields[shown].label;
    c.shown_text = doc.fields[shown].text();
    candidates_.push_back(std::move(c));
  }

  /// The concepts that matched no entry at all.
  [[nodiscard]] std::vector<bool> unmatched() const {
    std::vector<bool> out(query_.concepts.size());
    for (std::size_t t = 0; t < out.size(); ++t) out[t] = df_[t] == 0 && df_meant_[t] == 0;
    return out;
  }

  /// Every candidate that matched enough, with its index for snippet().
  std::vector<std::pair<SearchHit, std::size_t>> hits() const {
    std::vector<std::pair<SearchHit, std::size_t>> out;
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      const auto& c = candidates_[i];
      if (match_ == Match::all && std::find(c.matched.begin(), c.matched.end(), false) != c.matched.end())
        continue;
      out.emplace_back(hit(c), i);
    }
    return out;
  }

  /// The snippet of a hit: the field chosen when it was scored, around its matches.
  void snippet(SearchHit& hit, std::size_t candidate) const {
    const Candidate& c = candidates_[candidate];
    const FieldMatch fm = match_field(c.shown_text, false, query_, true);
    std::vector<Word> words = fm.words;
    if (words.empty()) words = words_of(c.shown_text);
    make_snippet(hit, c.shown_text, words, fm.hits);
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
    const double avg = counts_[k] > 0 ? lengths_[k][field] / counts_[k] : 0;
    return avg > 0 ? avg : 1;
  }

  /// The share of the query's concepts that a name or alias of the entry is, whole: in a form
  /// people type ("neck" for "stiff neck", whose everyday forms include "neck"; "what is a knot"),
  /// or, counting half, in the knowledge base's words for it ("reflexology" for "foot massage").
  /// Compared with same_name(), not by stems alone, which would make "stoned" the name of "stones".
  [[nodiscard]] double named_share(const Document& doc) const {
    const auto& concepts = query_.concepts;
    std::vector<std::vector<std::pair<std::string, std::string>>> names;
    for (const auto& name : doc.names()) names.push_back(as_written(name));
    double named = 0;
    for (const auto& asked : concepts) {
      double is = 0;
      for (const auto& form : asked.forms) {
        for (const auto& name : names) {
          if (same_name(name, form.written)) is = std::max(is, form.meaning ? kNamedMeaning : 1.0);
        }
      }
      named += is;
    }
    return concepts.empty() ? 0 : named / static_cast<double>(concepts.size());
  }

  /// Whether the query holds every word of a name or alias of the entry, in the person's words.
  [[nodiscard]] bool named_by_query(const Document& doc) const {
    // Its name and aliases, not its id: a person names the sign in words, not by its slug.
    for (const auto& name : doc.names(false)) {
      const auto stems = sign_stems(name);
      if (!stems.empty() && std::all_of(stems.begin(), stems.end(),
                                        [&](const std::string& s) { return query_.named.count(s) != 0; }))
        return true;
    }
    return false;
  }

  [[nodiscard]] SearchHit hit(const Candidate& c) const {
    const auto saturated = [](double x) { return x * (kK1 + 1) / (kK1 + x); };
    double score = 0;
    for (std::size_t t = 0; t < query_.concepts.size(); ++t) {
      if (!c.matched[t]) continue;
      double tf = 0, tf_meant = 0;
      for (const auto& f : c.fields) {
        const double b = f.is_name ? kBName : kBText;
        const double norm = 1 - b + b * f.length / average(c.kind, f.field);
        tf += f.weight * f.tf[t] / norm;
        tf_meant += f.weight * f.tf_meant[t] / norm;
      }
      score += idf(df_[t]) * saturated(tf) + kMeaning * idf(df_meant_[t]) * saturated(tf_meant);
    }
    if (c.phrase) score *= kPhrase;
    // An entry whose name is what was asked ("tennis ball", "stiff neck" for the neck) is the
    // answer, more surely the more of the query its names cover.
    score *= 1 + (kNamed - 1) * c.named;

    SearchHit hit;
    hit.kind = c.kind;
    hit.id = *c.id;
    hit.name = *c.name;
    hit.score = std::round(score * 10) / 10;
    hit.aside = c.aside;
    hit.field = c.shown_key;
    hit.label = c.shown_label;
    return hit;
  }

  const Query& query_;
  Match match_;
  std::size_t documents_ = 0;
  std::array<std::vector<double>, 9> lengths_{};
  std::array<double, 9> counts_{};
  std::vector<std::size_t> df_;        ///< per concept: how many entries hold a form people type
  std::vector<std::size_t> df_meant_;  ///< per concept: how many hold the knowledge base's words
  std::vector<Candidate> candidates_;
};

/// Every word of the knowledge base and the vocabulary, as written, with how often it occurs.
std::map<std::string, std::size_t> all_words(const KnowledgeBase& kb, const Vocabulary& vocabulary) {
  // Gathered unordered (a large knowledge base holds millions of words), then sorted, so that
  // ties go to the same word on every run.
  std::unordered_map<std::string, std::size_t> counts;
  for_each_document(kb, [&](const Document& doc) {
    for (const auto& f : doc.fields) {
      const std::string_view text = f.text();
      for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t gap = gap_at(text, i); gap > 0) {
          i += gap;
          continue;
        }
        const std::size_t j = word_end(text, i);
        ++counts[word_text(text.substr(i, j - i))];
        i = j;
      }
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
    // A stop word is never what was meant: "shouldr" is "shoulder", not "should".
    if (gap > limit || word.size() < 3 || is_stop_word(word)) continue;
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
  for_each_document(kb, [&](const Document& doc) { ranker.add(doc); });
  if (unmatched) *unmatched = ranker.unmatched();
  auto ranked = ranker.hits();
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    const SearchHit& a = x.first;
    const SearchHit& b = y.first;
    if (a.aside != b.aside) return a.aside;
    if (a.score != b.score) return a.score > b.score;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.id < b.id;
  });
  total = ranked.size();
  // Every warning sign the query names is kept; `top` counts the rest.
  const auto asides = static_cast<std::size_t>(
      std::count_if(ranked.begin(), ranked.end(), [](const auto& h) { return h.first.aside; }));
  if (top > 0 && ranked.size() > asides + top) ranked.resize(asides + top);
  std::vector<SearchHit> hits;
  for (auto& [hit, candidate] : ranked) {
    ranker.snippet(hit, candidate);
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace

std::string stem(std::string_view word) {
  static thread_local const Stemmer stemmer;
  // The same words come back in field after field: each is stemmed once. The memo is bounded, so
  // that a knowledge base of millions of different words cannot grow it without end.
  constexpr std::size_t kMemo = 1 << 16;
  static thread_local std::unordered_map<std::string, std::string> memo;
  std::string key(word);
  if (const auto it = memo.find(key); it != memo.end()) return it->second;
  if (memo.size() >= kMemo) memo.clear();
  std::string stemmed = stemmer(word);
  memo.emplace(std::move(key), stemmed);
  return stemmed;
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
  constexpr std::size_t kLongestStop = 10;  // "themselves", "yourselves"
  if (word.empty() || word.size() > kLongestStop) return false;
  // Each word is looked up among the few with its first letter: every word of every field is.
  static const auto by_letter = [] {
    std::array<std::pair<std::size_t, std::size_t>, 256> ranges{};
    for (std::size_t i = 0; i < kStop.size(); ++i) {
      auto& r = ranges[static_cast<unsigned char>(kStop[i].front())];
      if (r.second == 0) r.first = i;
      r.second = i + 1;
    }
    return ranges;
  }();
  const auto [first, last] = by_letter[static_cast<unsigned char>(word.front())];
  return std::binary_search(kStop.begin() + static_cast<std::ptrdiff_t>(first),
                            kStop.begin() + static_cast<std::ptrdiff_t>(last), word);
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
