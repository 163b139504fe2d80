// Full-text search, as information retrieval does it: words are lowercased, stop words left out
// and the rest stemmed (Snowball); a query's words are read against the synonyms vocabulary; every
// entry is scored by BM25F over its fields, each with a weight (names and aliases most); a word
// found nowhere is read as the closest word of the knowledge base.
#include "query/search.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "util/binary.hpp"
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

/// Calls `f(begin, end, after_break)` for each word of `text`: punctuation before it (not a space,
/// hyphen, quote or line break) is a break, which a phrase does not run across.
template <class F>
void each_word(std::string_view text, F&& f) {
  bool broken = false;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t gap = gap_at(text, i); gap > 0) {
      const char c = text[i];
      broken = broken || (gap == 1 && !(c == ' ' || c == '-' || c == '\'' || c == '\n' || c == '"'));
      i += gap;
      continue;
    }
    const std::size_t j = word_end(text, i);
    f(i, j, broken);
    broken = false;
    i = j;
  }
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
  [[nodiscard]] bool begins(std::string_view word) const {
    if (word.empty()) return false;
    const auto& bucket = buckets_[static_cast<unsigned char>(word.front())];
    return std::any_of(bucket.begin(), bucket.end(),
                       [&](const std::string& s) { return word.starts_with(s); });
  }
  /// Calls `f(start)` for each start.
  template <class F>
  void each(F&& f) const {
    for (const auto& bucket : buckets_) {
      for (const auto& start : bucket) f(start);
    }
  }

 private:
  std::array<std::vector<std::string>, 256> buckets_;
};

/// The words of `text`, lowercased and stemmed. With `only`, just the words that start as one of
/// those do, since no other can match: the others are left out, a stop word as if it were not
/// there (a phrase skips it), any other word as a break (a phrase does not run across it, as
/// across punctuation). The index (search_index()) reads an entry's fields the same way.
std::vector<Word> words_of(std::string_view text, const Starts* only = nullptr) {
  std::vector<Word> out;
  bool broken = false;
  each_word(text, [&](std::size_t i, std::size_t j, bool after_break) {
    broken = broken || after_break;
    std::string lower = word_text(text.substr(i, j - i));
    const bool stop = is_stop_word(lower);
    if (only && !only->begins(lower)) {
      broken = broken || !stop;
      return;
    }
    Word w;
    w.stem = stem(lower);
    w.lower = std::move(lower);
    w.stop = stop;
    w.offset = i;
    w.length = j - i;
    w.after_break = broken;
    broken = false;
    out.push_back(std::move(w));
  });
  return out;
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
  each_word(name,
            [&](std::size_t i, std::size_t j, bool) { words.push_back(word_text(name.substr(i, j - i))); });
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
template <class A, class B>
bool same_name(const std::vector<std::pair<A, A>>& a, const std::vector<std::pair<B, B>>& b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::string_view(a[i].second) != std::string_view(b[i].second)) return false;
    std::string_view longer = a[i].first, shorter = b[i].first;
    if (longer.size() < shorter.size()) std::swap(longer, shorter);
    if (!longer.starts_with(shorter)) return false;
    const std::string_view ending = longer.substr(shorter.size());
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

/// Hashes a string and a view of one alike, so that a view finds a string key without a copy.
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// One thing the query asks for: a word typed, or an everyday phrase with its other forms.
struct Concept {
  std::vector<Form> forms;  ///< what was typed first
};

/// What a query asks for, read against the synonyms vocabulary.
struct Query {
  std::vector<Concept> concepts;
  std::vector<std::string> notes;   ///< from the vocabulary, for subjects knots does not cover
  std::vector<std::string> hinted;  ///< the words, as typed, that may get a closest-word hint
  std::set<std::string, std::less<>>
      named;      ///< those and negations: a warning sign is named in the person's words
  Starts starts;  ///< a word starting with none of these cannot match
  /// Every form by the stem of its first word, as (concept, form): a field's words are looked up
  /// here rather than compared with every form.
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>, ViewHash, std::equal_to<>>
      by_first;
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
  /// Its aliases, when it has a name beside its id (a source has not).
  const std::vector<std::string>* aliases = nullptr;

  /// Its name, its aliases, then its id as words (a source: its id), as the index keeps them.
  [[nodiscard]] std::vector<std::string> names() const {
    if (!aliases) return {*id};
    std::vector<std::string> out{*name};
    out.insert(out.end(), aliases->begin(), aliases->end());
    out.push_back(id_words(*id));
    return out;
  }
};

/// A word as matching reads it, borrowed from a Word of a text or from the index.
struct Token {
  std::string_view lower, stem;
  bool stop = false;
  bool after_break = false;
};

std::vector<Token> tokens_of(const std::vector<Word>& words) {
  std::vector<Token> out;
  out.reserve(words.size());
  for (const auto& w : words) out.push_back({w.lower, w.stem, w.stop, w.after_break});
  return out;
}

/// The length of a match of `form` starting at word `at`, with its quality (1 for the same stems,
/// kPrefix for the start of a longer word or a word inside a name); {0, 0} for none. A phrase
/// skips stop words between its words, never punctuation.
std::pair<double, std::size_t> match_at(const std::vector<Token>& words, std::size_t at, const Form& form,
                                        bool inside) {
  const Token& w = words[at];
  if (w.stop && !form.stop) return {0, 0};
  if (form.stems.size() == 1) {
    const std::string& term = form.stems.front();
    if (w.stem == term) return {1.0, 1};
    if (!form.loose) return {0, 0};
    if (term.size() >= 4 && w.stem.starts_with(term)) return {kPrefix, 1};
    if (inside && form.raw.size() >= kInside && w.lower.find(form.raw) != std::string_view::npos)
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
  std::vector<std::size_t> hits;  ///< the matched words, when kept
};

/// Matches the query against the words of a field that could match (the others left out, as
/// words_of() leaves them); `keep` keeps where they matched.
FieldMatch match_tokens(const std::vector<Token>& words, bool is_name, const Query& query,
                        bool keep = false) {
  const auto& concepts = query.concepts;
  const std::size_t n = concepts.size();
  FieldMatch fm;
  fm.tf.assign(n, 0);
  fm.tf_meant.assign(n, 0);
  fm.typed.assign(n, false);
  // Per concept: the best match so far at the current word, and the words of its best match. Kept
  // from call to call: a large knowledge base has many fields to match.
  thread_local std::vector<double> quality, best;
  thread_local std::vector<std::size_t> length, touched;
  thread_local std::vector<bool> meant;
  thread_local std::vector<std::pair<std::size_t, std::size_t>> span;
  quality.assign(n, 0);
  best.assign(n, 0);
  length.assign(n, 0);
  meant.assign(n, false);
  span.assign(n, {SIZE_MAX, SIZE_MAX});
  touched.clear();
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

/// Calls `fn(catalog)` for each kind of entry search finds, in HitKind's order: the order of the
/// index's documents, and of ties.
template <class Fn>
void for_each_catalog(const KnowledgeBase& kb, Fn&& fn) {
  fn(kb.modalities);
  fn(kb.techniques);
  fn(kb.conditions);
  fn(kb.red_flags);
  fn(kb.self_care);
  fn(kb.goals);
  fn(kb.guide);
  fn(kb.areas);
  fn(kb.sources);
}

constexpr std::size_t kHitKinds = EnumNames<HitKind>::names.size();

/// A field of a kind of document, as document() makes it for every entry of the kind.
struct FieldInfo {
  std::string_view name, label;
  double weight;
  bool is_name;
};

/// The fields of a kind of document, and its place among the kinds of entry (kEntryKinds).
struct Schema {
  std::vector<FieldInfo> fields;
  std::size_t main = 0;
  std::size_t entry_kind = 0;
};

/// Every kind's fields, in HitKind's order: the same for every entry of a kind.
const std::array<Schema, kHitKinds>& schemas() {
  static const auto all = [] {
    std::array<Schema, kHitKinds> out;
    const KnowledgeBase empty;
    std::size_t k = 0;
    for_each_catalog(empty, [&](const auto& catalog) {
      using T = typename std::remove_cvref_t<decltype(catalog.all())>::value_type;
      const T entry{};
      const Document doc = document(empty, entry);
      Schema& schema = out[k++];
      for (const auto& f : doc.fields) schema.fields.push_back({f.name, f.label, f.weight, f.is_name});
      schema.main = doc.main;
      schema.entry_kind = kind_index<T>();
    });
    return out;
  }();
  return all;
}

std::uint32_t size32(std::size_t n) {
  return static_cast<std::uint32_t>(n);
}

// --- the index -------------------------------------------------------------------------------
//
// What search reads of a knowledge base, made when the model is cached: every word as search
// reads it, sorted, with its stem, whether it is a stop word and how often it occurs; and each
// entry's fields as the ids of their words. A search then neither splits nor stems any text, and
// reads the text of only the entries it shows. Layout:
//
//   kIndexMagic, u32 documents
//   per kind (HitKind's order): u32 entries, u32 fields, f64 total length of each field in bytes
//   u32 words; a byte per word (1: a stop word); u32 offset of each word in the words' bytes;
//   str the words' bytes: per word, str text, str stem, varint count, then its postings: varint
//     how many bytes, and the fields that hold it as varint gaps between (document << 4 | field)
//   u32 offset of each document in the documents' bytes
//   str the documents' bytes, in for_each_catalog() order: per field, varint length in bytes,
//     varint bytes of its words, then varint words, each as varint (id << 1 | after a break);
//     then varint names, varint whether the last is the id as words, and per name varint words
//     and their ids
// A search reads the postings of the words it can match, then only the fields that hold one.

constexpr std::string_view kIndexMagic = "KNOTSI2\n";
/// A document's fields are numbered within 4 bits in the postings.
constexpr std::uint32_t kFieldBits = 4;

/// An index made by search_index(), read in place.
class Index {
 public:
  struct Entry {
    std::string_view text, stem;
    std::uint64_t count = 0;
    std::string_view postings;  ///< varint gaps between (document << kFieldBits | field)
  };

  /// Nothing for bytes search_index() did not make (checked whole but for the documents, whose
  /// reader stops at the first damage).
  static std::optional<Index> open(std::string_view bytes) {
    if (!bytes.starts_with(kIndexMagic)) return std::nullopt;
    Index x;
    ByteReader r(bytes, kIndexMagic.size());
    x.documents = r.u32();
    std::uint64_t sum = 0;
    for (std::size_t k = 0; k < kHitKinds; ++k) {
      x.entries[k] = r.u32();
      sum += x.entries[k];
      const std::size_t fields = r.count(8);
      if (fields != schemas()[k].fields.size() || fields > (1U << kFieldBits)) return std::nullopt;
      x.lengths[k].resize(fields);
      for (auto& length : x.lengths[k]) length = r.f64();
    }
    x.words_ = size32(r.count(5));
    if (!r.ok() || sum != x.documents || r.left() < x.words_) return std::nullopt;
    x.stops_ = bytes.substr(r.pos(), x.words_);
    ByteReader rest(bytes, r.pos() + x.words_);
    if (rest.left() / 4 < x.words_) return std::nullopt;
    x.offsets_ = bytes.substr(rest.pos(), std::size_t{x.words_} * 4);
    ByteReader tail(bytes, rest.pos() + x.offsets_.size());
    x.region_ = tail.view();
    if (!tail.ok() || tail.left() / 4 < x.documents) return std::nullopt;
    x.starts_ = bytes.substr(tail.pos(), std::size_t{x.documents} * 4);
    ByteReader last(bytes, tail.pos() + x.starts_.size());
    x.docs_ = last.view();
    if (!last.ok() || !last.done()) return std::nullopt;
    for (std::uint32_t d = 0; d < x.documents; ++d) {
      if (x.start(d) > x.docs_.size() || (d > 0 && x.start(d) < x.start(d - 1))) return std::nullopt;
    }
    // Every word is read once here, so that word() can trust the bytes (and the order is checked,
    // which prefix lookups rely on).
    std::string_view before;
    for (std::uint32_t id = 0; id < x.words_; ++id) {
      const std::uint32_t at = x.offset(id);
      ByteReader w(x.region_, at);
      const std::string_view text = w.view();
      w.view();
      w.varint();
      const std::uint64_t postings = w.varint();
      if (!w.ok() || postings > w.left() || (id > 0 && text <= before)) return std::nullopt;
      before = text;
    }
    return x;
  }

  [[nodiscard]] std::uint32_t size() const { return words_; }
  [[nodiscard]] bool stop(std::uint32_t id) const { return stops_[id] != 0; }
  [[nodiscard]] Entry word(std::uint32_t id) const {
    ByteReader r(region_, offset(id));
    Entry e;
    e.text = r.view();
    e.stem = r.view();
    e.count = r.varint();
    const std::uint64_t postings = r.varint();
    e.postings = region_.substr(r.pos(), static_cast<std::size_t>(postings));
    return e;
  }
  /// The first word not sorted before `text`.
  [[nodiscard]] std::uint32_t lower_bound(std::string_view text) const {
    std::uint32_t lo = 0, hi = words_;
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      if (word(mid).text < text) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
  [[nodiscard]] std::string_view documents_bytes() const { return docs_; }
  /// Where a document starts in documents_bytes().
  [[nodiscard]] std::uint32_t start(std::uint32_t document) const {
    std::uint32_t at = 0;
    std::memcpy(&at, starts_.data() + std::size_t{document} * 4, 4);
    return at;
  }

  std::uint32_t documents = 0;
  std::array<std::uint32_t, kHitKinds> entries{};
  std::array<std::vector<double>, kHitKinds> lengths;

 private:
  [[nodiscard]] std::uint32_t offset(std::uint32_t id) const {
    std::uint32_t at = 0;
    std::memcpy(&at, offsets_.data() + std::size_t{id} * 4, 4);
    return at;
  }

  std::uint32_t words_ = 0;
  std::string_view stops_, offsets_, region_, starts_, docs_;
};

/// Reads a query's words against the index: which words it can match, in any field (those that
/// start as one of its words does) and in a name (also those holding a word typed freely:
/// "fascia" in "myofascial").
class Wanted {
 public:
  static constexpr std::uint8_t kText = 1, kName = 2;

  Wanted(const Index& index, const Query& query) : flags_(index.size()), entries_(index.size()) {
    auto want = [&](std::uint32_t id, std::uint8_t how) {
      if (flags_[id] == 0) entries_[id] = index.word(id);
      flags_[id] |= how;
    };
    query.starts.each([&](const std::string& start) {
      for (std::uint32_t id = index.lower_bound(start); id < index.size(); ++id) {
        if (!index.word(id).text.starts_with(start)) break;
        want(id, kText | kName);
      }
    });
    if (!query.inside) return;
    std::vector<std::string_view> inside;
    for (const auto& [t, f] : query.loose) {
      const Form& form = query.concepts[t].forms[f];
      if (form.raw.size() >= kInside) inside.push_back(form.raw);
    }
    for (std::uint32_t id = 0; id < index.size(); ++id) {
      const std::string_view text = index.word(id).text;
      if (std::any_of(inside.begin(), inside.end(),
                      [&](std::string_view raw) { return text.find(raw) != std::string_view::npos; }))
        want(id, kName);
    }
  }

  /// Calls `f(id)` for each word the query can match, anywhere.
  template <class F>
  void each(F&& f) const {
    for (std::uint32_t id = 0; id < flags_.size(); ++id) {
      if (flags_[id] != 0) f(id);
    }
  }

  [[nodiscard]] bool in(std::uint32_t id, bool is_name) const {
    return (flags_[id] & (is_name ? kName : kText)) != 0;
  }
  [[nodiscard]] const Index::Entry& entry(std::uint32_t id) const { return entries_[id]; }

 private:
  std::vector<std::uint8_t> flags_;
  std::vector<Index::Entry> entries_;
};

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

/// The index of a knowledge base (see Index for the layout).
std::string build_index(const KnowledgeBase& kb) {
  // Words get ids as they come, and are sorted at the end: the documents are kept as numbers
  // until then, each word as its first id.
  std::unordered_map<std::string, std::uint32_t, ViewHash, std::equal_to<>> ids;
  std::vector<std::string_view> texts;
  std::vector<std::uint64_t> counts;
  auto intern = [&](std::string word, std::uint64_t add) {
    const auto [it, fresh] = ids.try_emplace(std::move(word), size32(texts.size()));
    if (fresh) {
      texts.emplace_back(it->first);
      counts.push_back(0);
    }
    counts[it->second] += add;
    return it->second;
  };
  // Per field: its length, how many words, then the words; per document then its names.
  std::vector<std::uint32_t> stream;
  // Per word: the fields that hold it, as (document << kFieldBits | field), in order.
  std::vector<std::vector<std::uint32_t>> postings;
  std::uint32_t number = 0;  // of the document being read
  auto words = [&](std::string_view text, std::uint64_t add, std::optional<std::size_t> field) {
    const std::size_t at = stream.size();
    stream.push_back(0);
    each_word(text, [&](std::size_t i, std::size_t j, bool after_break) {
      const std::uint32_t id = intern(word_text(text.substr(i, j - i)), add);
      stream.push_back(id << 1U | (after_break ? 1U : 0U));
      if (!field) return;
      if (postings.size() <= id) postings.resize(id + 1);
      const std::uint32_t where = number << kFieldBits | size32(*field);
      if (postings[id].empty() || postings[id].back() != where) postings[id].push_back(where);
    });
    stream[at] = size32(stream.size() - at - 1);
  };
  std::array<std::uint32_t, kHitKinds> entries{};
  std::array<std::vector<double>, kHitKinds> lengths;
  std::size_t k = 0;
  for_each_catalog(kb, [&](const auto& catalog) {
    lengths[k].assign(schemas()[k].fields.size(), 0);
    for (const auto& item : catalog.all()) {
      const Document doc = document(kb, item);
      ++entries[k];
      for (std::size_t f = 0; f < doc.fields.size(); ++f) {
        const std::string_view text = doc.fields[f].text();
        lengths[k][f] += static_cast<double>(text.size());
        stream.push_back(size32(text.size()));
        words(text, 1, f);
      }
      const auto names = doc.names();
      stream.push_back(size32(names.size()));
      stream.push_back(doc.aliases ? 1U : 0U);
      for (const auto& name : names) words(name, 0, std::nullopt);
      ++number;
    }
    ++k;
  });
  // The synonyms' words are words people may mean, for reading a mistyped word.
  for (const auto& row : kb.synonyms.all()) {
    for (const auto& phrase : row.words) {
      each_word(phrase,
                [&](std::size_t i, std::size_t j, bool) { intern(word_text(phrase.substr(i, j - i)), 1); });
    }
  }

  std::vector<std::uint32_t> order(texts.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return texts[a] < texts[b]; });
  std::vector<std::uint32_t> final_id(order.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) final_id[order[i]] = i;

  ByteWriter out;
  out.bytes() += kIndexMagic;
  std::uint32_t documents = 0;
  for (auto n : entries) documents += n;
  out.u32(documents);
  for (std::size_t kind = 0; kind < kHitKinds; ++kind) {
    out.u32(entries[kind]);
    out.u32(size32(lengths[kind].size()));
    for (double length : lengths[kind]) out.f64(length);
  }
  out.u32(size32(order.size()));
  for (std::uint32_t id : order) out.bytes() += is_stop_word(texts[id]) ? '\1' : '\0';
  ByteWriter region;
  std::vector<std::uint32_t> offsets;
  for (std::uint32_t id : order) {
    offsets.push_back(size32(region.size()));
    region.str(texts[id]);
    region.str(stem(texts[id]));
    region.varint(counts[id]);
    ByteWriter gaps;
    std::uint32_t previous = 0;
    if (id < postings.size()) {
      for (std::uint32_t where : postings[id]) {
        gaps.varint(where - previous);
        previous = where;
      }
    }
    region.varint(gaps.size());
    region.bytes() += gaps.bytes();
  }
  for (std::uint32_t at : offsets) out.u32(at);
  out.str(region.bytes());
  ByteWriter docs, words_of_field;
  std::vector<std::uint32_t> starts;
  std::size_t at = 0;
  auto copy_words = [&](ByteWriter& to) {
    const std::uint32_t n = stream[at++];
    to.varint(n);
    for (std::uint32_t i = 0; i < n; ++i, ++at)
      to.varint(final_id[stream[at] >> 1U] << 1U | (stream[at] & 1U));
  };
  for (std::size_t kind = 0; kind < kHitKinds; ++kind) {
    for (std::uint32_t e = 0; e < entries[kind]; ++e) {
      starts.push_back(size32(docs.size()));
      for (std::size_t f = 0; f < lengths[kind].size(); ++f) {
        docs.varint(stream[at++]);
        // Its words behind their size, so that a field that holds none of a query's is skipped.
        words_of_field.bytes().clear();
        copy_words(words_of_field);
        docs.varint(words_of_field.size());
        docs.bytes() += words_of_field.bytes();
      }
      const std::uint32_t names = stream[at++];
      docs.varint(names);
      docs.varint(stream[at++]);
      for (std::uint32_t i = 0; i < names; ++i) copy_words(docs);
    }
  }
  for (std::uint32_t start : starts) out.u32(start);
  out.str(docs.bytes());
  return std::move(out.bytes());
}

/// An entry that matched, as much of it as scoring and showing it need: its text is read only if
/// it is shown.
struct Candidate {
  std::size_t kind;     ///< HitKind's place
  std::uint32_t place;  ///< in its catalog
  std::uint32_t document;
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
  std::size_t shown = 0;
};

/// A hit before its entry is read: what ranks it, and where its entry is.
struct Ranked {
  double score;  ///< one decimal
  bool aside;
  std::size_t kind;
  std::uint32_t place;
  std::uint32_t document;
  std::size_t shown;

  /// The warning signs the query names first, then by score, kind and id (the index's order).
  bool operator<(const Ranked& other) const {
    if (aside != other.aside) return aside;
    if (score != other.score) return score > other.score;
    return document < other.document;
  }
};

/// Scores every document of the index against the query, with BM25F.
class Ranker {
 public:
  Ranker(const Index& index, const Query& query, Match match)
      : index_(index),
        query_(query),
        match_(match),
        wanted_(index, query),
        df_(query.concepts.size()),
        df_meant_(query.concepts.size()) {}

  /// Reads the fields that hold a word the query can match (by the postings of those words), of
  /// every document that has one.
  void run() {
    std::vector<std::uint16_t> fields(index_.documents);  // per document, a bit per field to read
    wanted_.each([&](std::uint32_t id) {
      ByteReader r(index_.word(id).postings);
      std::uint64_t where = 0;
      while (r.ok() && !r.done()) {
        where += r.varint();
        const std::uint64_t document = where >> kFieldBits;
        if (!r.ok() || document >= fields.size()) return;
        fields[document] |= static_cast<std::uint16_t>(1U << (where & ((1U << kFieldBits) - 1)));
      }
    });
    // The documents from `begin` to `end`, into a tally of their own.
    auto part = [&](std::uint32_t begin, std::uint32_t end, Tally& tally) {
      tally.df.assign(query_.concepts.size(), 0);
      tally.df_meant.assign(query_.concepts.size(), 0);
      std::size_t k = 0;
      std::uint32_t first = 0;  // the first document of kind k
      for (std::uint32_t document = begin; document < end; ++document) {
        while (k + 1 < kHitKinds && document >= first + index_.entries[k]) first += index_.entries[k++];
        if (fields[document] == 0) continue;
        ByteReader r(index_.documents_bytes(), index_.start(document));
        add(r, k, document - first, document, fields[document], tally);
      }
    };
    // A large knowledge base is read on two threads, each half of the documents to read; a small
    // one on this thread alone, since starting another costs more than it saves.
    constexpr std::uint32_t kAlone = 500;
    std::array<Tally, 2> tallies;
    const std::uint32_t end = index_.documents;
    std::uint32_t half = end;
    if (end >= kAlone && std::thread::hardware_concurrency() > 1) {
      const auto reading = static_cast<std::size_t>(
          std::count_if(fields.begin(), fields.end(), [](auto f) { return f != 0; }));
      std::size_t seen = 0;
      for (half = 0; half < end && seen < reading / 2; ++half) seen += fields[half] != 0 ? 1U : 0U;
    }
    if (half < end) {
      std::thread other(part, half, end, std::ref(tallies[1]));
      part(0, half, tallies[0]);
      other.join();
    } else {
      part(0, end, tallies[0]);
    }
    // In the documents' order, as if read on one thread.
    df_.assign(query_.concepts.size(), 0);
    df_meant_.assign(query_.concepts.size(), 0);
    for (auto& tally : tallies) {
      for (std::size_t t = 0; t < tally.df.size(); ++t) {
        df_[t] += tally.df[t];
        df_meant_[t] += tally.df_meant[t];
      }
      std::move(tally.candidates.begin(), tally.candidates.end(), std::back_inserter(candidates_));
    }
  }

  /// The concepts that matched no entry at all.
  [[nodiscard]] std::vector<bool> unmatched() const {
    std::vector<bool> out(query_.concepts.size());
    for (std::size_t t = 0; t < out.size(); ++t) out[t] = df_[t] == 0 && df_meant_[t] == 0;
    return out;
  }

  /// Every candidate that matched enough.
  [[nodiscard]] std::vector<Ranked> hits() const {
    std::vector<Ranked> out;
    for (const auto& c : candidates_) {
      if (match_ == Match::all && std::find(c.matched.begin(), c.matched.end(), false) != c.matched.end())
        continue;
      out.push_back({score(c), c.aside, c.kind, c.place, c.document, c.shown});
    }
    return out;
  }

 private:
  /// A number of items that follow, each at least a byte: more than the bytes left is damage.
  static std::size_t items(ByteReader& r) {
    const std::uint64_t n = r.varint();
    if (n > r.left()) r.fail();
    return r.ok() ? static_cast<std::size_t>(n) : 0;
  }

  /// Reads a word list of the index: its ids into `out`.
  void read_ids(ByteReader& r, std::vector<std::uint32_t>& out) const {
    out.clear();
    const std::size_t n = items(r);
    for (std::size_t i = 0; i < n; ++i) {
      const auto id = static_cast<std::uint32_t>(r.varint() >> 1U);
      if (id >= index_.size()) r.fail();
      if (!r.ok()) return;
      out.push_back(id);
    }
  }

  /// What reading a share of the documents gives, and the buffers it keeps from one to the next.
  struct Tally {
    std::vector<std::size_t> df, df_meant;
    std::vector<Candidate> candidates;
    std::vector<bool> as_typed, as_meant, typed;  ///< per concept, for the document being read
    std::vector<Token> tokens;
    std::vector<std::vector<std::uint32_t>> names;
    std::vector<std::pair<std::string_view, std::string_view>> written;  ///< a name being compared
  };

  void add(ByteReader& r, std::size_t k, std::uint32_t place, std::uint32_t document, std::uint16_t read,
           Tally& tally) {
    const Schema& schema = schemas()[k];
    const std::size_t n = query_.concepts.size();
    Candidate c{k, place, document, {}, {}, false, 0, false, schema.main};
    tally.as_typed.assign(n, false);
    tally.as_meant.assign(n, false);
    tally.typed.assign(n, false);
    auto& as_typed = tally.as_typed;
    auto& as_meant = tally.as_meant;
    auto& typed = tally.typed;
    auto& tokens = tally.tokens;
    auto& names = tally.names;
    double shown_score = 0;
    for (std::size_t f = 0; f < schema.fields.size(); ++f) {
      const FieldInfo& field = schema.fields[f];
      const auto length = static_cast<double>(r.varint());
      const std::size_t size = items(r);
      if ((read & (1U << f)) == 0) {
        ByteReader skipped(r);
        r = ByteReader(index_.documents_bytes(), r.pos() + size);
        if (!skipped.ok()) return;
        continue;
      }
      // Only the words that could match are read, as words_of() reads a text: any other word is
      // left out, a stop word as if it were not there, any other as a break.
      tokens.clear();
      const std::size_t count = items(r);
      bool broken = false;
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t v = r.varint();
        const auto id = static_cast<std::uint32_t>(v >> 1U);
        if (!r.ok() || id >= index_.size()) {
          r.fail();
          return;
        }
        broken = broken || (v & 1U) != 0;
        if (!wanted_.in(id, field.is_name)) {
          broken = broken || !index_.stop(id);
          continue;
        }
        const Index::Entry& e = wanted_.entry(id);
        tokens.push_back({e.text, e.stem, index_.stop(id), broken});
        broken = false;
      }
      if (tokens.empty()) continue;
      FieldMatch fm = match_tokens(tokens, field.is_name, query_);
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
        c.shown = f;
        shown_score = field.weight * quality * held;
      }
      c.fields.push_back({f, field.weight, length, field.is_name, std::move(fm.tf), std::move(fm.tf_meant)});
    }
    const std::size_t name_count = items(r);
    const bool last_is_id = r.varint() != 0;
    names.resize(name_count);
    for (auto& name : names) read_ids(r, name);
    if (!r.ok() || c.fields.empty()) return;
    c.matched.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
      c.matched[t] = as_typed[t] || as_meant[t];
      tally.df[t] += as_typed[t] ? 1U : 0U;
      tally.df_meant[t] += as_meant[t] ? 1U : 0U;
    }
    // A warning sign is named in words, as a person says it; its id is a slug that may hold the
    // words of another entry ("between-shoulder-blades" is where the upper back is).
    const bool red_flag = static_cast<HitKind>(k) == HitKind::red_flag;
    const std::size_t in_words = last_is_id ? names.size() - 1 : names.size();
    c.named = named_share(names, red_flag ? in_words : names.size(), tally.written);
    // A warning sign whose name or alias the query holds whole ("pins and needles", "chest pain")
    // is what the person asked about: named in words, so not by its id.
    c.aside = red_flag && named_by_query(names, in_words) &&
              std::find(typed.begin(), typed.end(), true) != typed.end();
    tally.candidates.push_back(std::move(c));
  }

  /// How rare a word is: the fewer entries hold it, the more it says about those that do. The
  /// forms people type and the knowledge base's words for them count apart, as separate words.
  [[nodiscard]] double idf(std::size_t df_count) const {
    const double n = static_cast<double>(index_.documents), df = static_cast<double>(df_count);
    return std::log(1 + (n - df + 0.5) / (df + 0.5));
  }

  [[nodiscard]] double average(std::size_t kind, std::size_t field) const {
    const double count = index_.entries[kind];
    const double avg = count > 0 ? index_.lengths[kind][field] / count : 0;
    return avg > 0 ? avg : 1;
  }

  /// A name's words as as_written() reads them, into `written`: stop words left out unless they
  /// are all it has.
  void read_written(const std::vector<std::uint32_t>& name,
                    std::vector<std::pair<std::string_view, std::string_view>>& written) const {
    const bool all_stop =
        std::all_of(name.begin(), name.end(), [&](std::uint32_t id) { return index_.stop(id); });
    written.clear();
    for (std::uint32_t id : name) {
      if (all_stop || !index_.stop(id)) {
        const auto e = index_.word(id);
        written.emplace_back(e.text, e.stem);
      }
    }
  }

  /// The share of the query's concepts that one of the first `count` names of the entry is, whole:
  /// in a form people type ("neck" for "stiff neck", whose everyday forms include "neck"; "what is
  /// a knot"), or, counting half, in the knowledge base's words for it ("reflexology" for "foot
  /// massage"). Compared with same_name(), not by stems alone, which would make "stoned" the name
  /// of "stones".
  [[nodiscard]] double named_share(
      const std::vector<std::vector<std::uint32_t>>& names, std::size_t count,
      std::vector<std::pair<std::string_view, std::string_view>>& written) const {
    const auto& concepts = query_.concepts;
    if (concepts.empty()) return 0;
    std::vector<double> is(concepts.size(), 0);
    for (std::size_t i = 0; i < count; ++i) {
      read_written(names[i], written);
      for (std::size_t t = 0; t < concepts.size(); ++t) {
        for (const auto& form : concepts[t].forms) {
          if (same_name(written, form.written)) is[t] = std::max(is[t], form.meaning ? kNamedMeaning : 1.0);
        }
      }
    }
    double named = 0;
    for (double x : is) named += x;
    return named / static_cast<double>(concepts.size());
  }

  /// Whether the query holds every word of one of the first `count` names (its name and aliases,
  /// not its id), in the person's words: stop words left out, but not a negation, which turns a
  /// warning sign around ("not improving").
  [[nodiscard]] bool named_by_query(const std::vector<std::vector<std::uint32_t>>& names,
                                    std::size_t count) const {
    for (std::size_t i = 0; i < count; ++i) {
      bool any = false, all = true;
      for (std::uint32_t id : names[i]) {
        const auto e = index_.word(id);
        if (index_.stop(id) && !is_negation(e.text)) continue;
        any = true;
        all = all && query_.named.find(e.stem) != query_.named.end();
      }
      if (any && all) return true;
    }
    return false;
  }

  [[nodiscard]] double score(const Candidate& c) const {
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

    return std::round(score * 10) / 10;
  }

  const Index& index_;
  const Query& query_;
  Match match_;
  Wanted wanted_;
  std::vector<std::size_t> df_;        ///< per concept: how many entries hold a form people type
  std::vector<std::size_t> df_meant_;  ///< per concept: how many hold the knowledge base's words
  std::vector<Candidate> candidates_;
};

/// The word of the knowledge base that a mistyped word most likely is: the most frequent of those
/// closest to it (one edit for a word of up to 8 letters, two for a longer one), as spelling
/// correctors do; none for a word of fewer than 4 letters, which is too short to guess. Most typos
/// are one edit away; two, in a short word, would turn English words knots does not hold into
/// others ("supposed" into "supported").
std::string correction(const std::string& typed, const Index& index) {
  if (typed.size() < 4 || typed.size() > kMaxSuggestLength) return {};
  const std::size_t limit = typed.size() <= 8 ? 1 : 2;
  std::string_view best;
  std::size_t best_distance = limit + 1;
  std::uint64_t best_count = 0;
  for (std::uint32_t id = 0; id < index.size(); ++id) {
    // A stop word is never what was meant: "shouldr" is "shoulder", not "should".
    if (index.stop(id)) continue;
    const Index::Entry e = index.word(id);
    const std::string_view word = e.text;
    const std::size_t gap =
        word.size() > typed.size() ? word.size() - typed.size() : typed.size() - word.size();
    if (gap > limit || word.size() < 3) continue;
    const std::size_t d = edit_distance(typed, word);
    if (d == 0 || d > limit) continue;
    if (d < best_distance || (d == best_distance && e.count > best_count)) {
      best = word;
      best_distance = d;
      best_count = e.count;
    }
  }
  return std::string(best);
}

/// The words of the knowledge base, as written, closest to each word that found nothing.
std::vector<std::string> closest_words(const Index& index, const std::vector<std::string>& hinted) {
  std::vector<std::string> candidates;
  candidates.reserve(index.size());
  for (std::uint32_t id = 0; id < index.size(); ++id) candidates.emplace_back(index.word(id).text);
  std::vector<std::string> hints;
  for (std::size_t i = 0; i < hinted.size() && i < kMaxHintedWords; ++i) {
    auto guess = closest(hinted[i], candidates);
    if (guess && std::find(hints.begin(), hints.end(), *guess) == hints.end()) hints.push_back(*guess);
  }
  return hints;
}

/// Ranks every document of the index against words already read (typos replaced): the warning
/// signs the query names first, then by score, kind and id (the index's order), `top` of them.
std::vector<Ranked> rank(const Index& index, const Query& query, Match match, std::size_t top,
                         std::size_t& total, std::vector<bool>* unmatched) {
  Ranker ranker(index, query, match);
  ranker.run();
  if (unmatched) *unmatched = ranker.unmatched();
  auto ranked = ranker.hits();
  total = ranked.size();
  // Every warning sign the query names is kept; `top` counts the rest.
  const auto asides = static_cast<std::size_t>(
      std::count_if(ranked.begin(), ranked.end(), [](const Ranked& r) { return r.aside; }));
  const std::size_t kept = top > 0 ? std::min(ranked.size(), asides + top) : ranked.size();
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kept), ranked.end());
  ranked.resize(kept);
  return ranked;
}

/// The document of the entry at `place` of the kind `k`, in a knowledge base fetched for `sel`
/// (whose catalog of the kind holds every entry or only the selected ones).
std::optional<Document> document_at(const KnowledgeBase& kb, const Selection& sel, const Index& index,
                                    std::size_t k, std::uint32_t place) {
  std::optional<Document> out;
  std::size_t i = 0;
  for_each_catalog(kb, [&](const auto& catalog) {
    if (i++ != k) return;
    std::size_t at = place;
    if (catalog.size() != index.entries[k]) {
      const auto& places = sel.places[schemas()[k].entry_kind];
      const auto it = std::lower_bound(places.begin(), places.end(), place);
      if (it == places.end() || *it != place) return;
      at = static_cast<std::size_t>(it - places.begin());
    }
    if (at < catalog.size()) out = document(kb, catalog.all()[at]);
  });
  return out;
}

/// Reads the entries of the ranked hits (only those) for their ids, names and snippets.
std::vector<SearchHit> finish(const std::vector<Ranked>& ranked, const Index& index, const Query& query,
                              const SearchFetch& fetch) {
  if (ranked.empty()) return {};
  Selection sel;
  for (const auto& r : ranked) sel.places[schemas()[r.kind].entry_kind].push_back(r.place);
  for (auto& places : sel.places) {
    std::sort(places.begin(), places.end());
    places.erase(std::unique(places.begin(), places.end()), places.end());
  }
  // A modality's techniques are shown by their names.
  sel.whole[kind_index<Technique>()] = true;
  const KnowledgeBase& kb = fetch(sel);
  std::vector<SearchHit> hits;
  for (const auto& r : ranked) {
    const auto doc = document_at(kb, sel, index, r.kind, r.place);
    if (!doc) continue;
    SearchHit hit;
    hit.kind = static_cast<HitKind>(r.kind);
    hit.score = r.score;
    hit.aside = r.aside;
    hit.field = schemas()[r.kind].fields[r.shown].name;
    hit.label = schemas()[r.kind].fields[r.shown].label;
    hit.id = *doc->id;
    hit.name = *doc->name;
    // The snippet: the field chosen when it was scored, around its matches.
    const std::string text(doc->fields[r.shown].text());
    std::vector<Word> words = words_of(text, &query.starts);
    const FieldMatch fm = match_tokens(tokens_of(words), false, query, true);
    if (words.empty()) words = words_of(text);
    make_snippet(hit, text, words, fm.hits);
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

std::string search_index(const KnowledgeBase& kb) {
  return build_index(kb);
}

SearchResult search(std::string_view index_bytes, const SearchFetch& fetch, const SearchQuery& request) {
  const std::optional<Index> opened = Index::open(index_bytes);
  if (!opened) {
    // Not an index (an older cache, damaged bytes): made again from the whole knowledge base.
    const KnowledgeBase& kb = fetch(Selection::everything());
    const std::string made = build_index(kb);
    if (!Index::open(made)) return {};  // cannot happen: never search again and again
    return search(
        made, [&](const Selection&) -> const KnowledgeBase& { return kb; }, request);
  }
  const Index& index = *opened;
  std::vector<Word> words;
  for (const auto& t : request.terms) {
    for (auto& w : words_of(t)) words.push_back(std::move(w));
  }
  Selection synonyms;
  synonyms.whole[kind_index<Synonym>()] = true;
  const Vocabulary vocabulary(fetch(synonyms).synonyms);
  Query query = read_query(words, vocabulary);
  SearchResult result;
  result.notes = query.notes;
  if (query.concepts.empty()) return result;
  std::vector<bool> unmatched;
  auto ranked = rank(index, query, request.match, request.top, result.total, &unmatched);
  // A word found nowhere is most likely mistyped: read it as the closest word there is, say so,
  // and search again.
  if (std::find(unmatched.begin(), unmatched.end(), true) != unmatched.end()) {
    bool changed = false;
    // Each guess compares the word with every word there is: the first few are guessed, however
    // many were given.
    std::size_t guessed = 0;
    for (std::size_t t = 0; t < unmatched.size() && guessed < kMaxHintedWords; ++t) {
      const Form& typed = query.concepts[t].forms.front();
      if (!unmatched[t] || !typed.loose) continue;
      ++guessed;
      const std::string read = correction(typed.raw, index);
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
      ranked = rank(index, query, request.match, request.top, result.total, nullptr);
    }
    if (ranked.empty()) result.hints = closest_words(index, query.hinted);
  }
  result.hits = finish(ranked, index, query, fetch);
  return result;
}

SearchResult search(const KnowledgeBase& kb, const SearchQuery& request) {
  return search(
      build_index(kb), [&](const Selection&) -> const KnowledgeBase& { return kb; }, request);
}

}  // namespace knots
