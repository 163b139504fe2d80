// Full-text search: words are lowercased and stemmed; each field has a weight (names and aliases
// most); an entry's score is its best field plus a quarter of the others.
#include "query/search.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "util/suggest.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace knots {
namespace {

struct Word {
  std::string stem;
  std::size_t offset = 0;  ///< in the field text
  std::size_t length = 0;
};

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> out;
  for (std::size_t i = 0; i < text.size();) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && word_char(text[j])) ++j;
    out.push_back({stem(ascii_lower(text.substr(i, j - i))), i, j - i});
    i = j;
  }
  return out;
}

/// Whether `text` contains any of the lowercase `terms`, ignoring ASCII case.
bool contains_any(std::string_view text, const std::vector<std::string>& terms) {
  for (const auto& term : terms) {
    const auto it = std::search(text.begin(), text.end(), term.begin(), term.end(),
                                [](char a, char b) { return ascii_lower(a) == b; });
    if (it != text.end()) return true;
  }
  return false;
}

struct Field {
  std::string name;
  std::string text;
  double weight;
  bool is_name = false;  ///< names and aliases also match inside words ("fascia" in "myofascial")
};

enum class Match { none, partial, exact };

Match match(const Word& w, const std::string& term, bool inside) {
  if (w.stem == term) return Match::exact;
  if (term.size() >= 4 && w.stem.starts_with(term)) return Match::partial;
  if (inside && term.size() >= 5 && w.stem.find(term) != std::string::npos) return Match::partial;
  return Match::none;
}

struct FieldScore {
  double score = 0;
  std::vector<bool> matched;  ///< per term
  std::vector<const Word*> hits;
};

FieldScore score_field(const Field& field, const std::vector<Word>& words,
                       const std::vector<std::string>& terms) {
  FieldScore fs;
  fs.matched.assign(terms.size(), false);
  double quality = 0;
  std::vector<std::size_t> positions(terms.size(), SIZE_MAX);
  for (std::size_t t = 0; t < terms.size(); ++t) {
    Match best = Match::none;
    for (std::size_t i = 0; i < words.size(); ++i) {
      const Match m = match(words[i], terms[t], field.is_name);
      if (m == Match::none) continue;
      fs.hits.push_back(&words[i]);
      if (m > best) {
        best = m;
        positions[t] = i;
      }
    }
    if (best != Match::none) {
      fs.matched[t] = true;
      quality += best == Match::exact ? 1.0 : 0.7;
    }
  }
  fs.score = field.weight * quality / static_cast<double>(terms.size());
  // The words next to each other, in order, as typed: a phrase.
  bool phrase = terms.size() > 1;
  for (std::size_t t = 1; t < terms.size() && phrase; ++t) {
    phrase = positions[t - 1] != SIZE_MAX && positions[t] == positions[t - 1] + 1;
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
  for (const auto& g : m.goals) goals.push_back(id_words(g.goal));
  for (const auto& c : m.cautions) cautions.push_back(c.note);
  return {{"name", m.name, 10, true},
          {"aliases", joined(m.aliases), 9, true},
          {"id", id_words(m.id), 8, true},
          {"summary", m.summary, 4},
          {"techniques", joined(techniques), 5},
          {"tools", joined(m.tools), 3},
          {"targets", joined(targets), 3},
          {"description", m.description, 2},
          {"helps_knots", m.helps_knots, 2},
          {"goals", joined(goals), 2},
          {"origin", m.origin, 1},
          {"evidence", m.evidence.note, 1},
          {"cautions", joined(cautions, " "), 1}};
}

std::vector<Field> fields_of(const Technique& t) {
  return {{"name", t.name, 10, true},
          {"aliases", joined(t.aliases), 9, true},
          {"id", id_words(t.id), 8, true},
          {"definition", t.definition, 3}};
}

std::vector<Field> fields_of(const Condition& c) {
  return {{"name", c.name, 10, true},
          {"aliases", joined(c.aliases), 9, true},
          {"id", id_words(c.id), 8, true},
          {"description", c.description, 3},
          {"guidance", c.guidance, 2}};
}

std::vector<Field> fields_of(const RedFlag& f) {
  return {{"name", f.name, 10, true},
          {"aliases", joined(f.aliases), 9, true},
          {"id", id_words(f.id), 8, true},
          {"text", f.text, 3}};
}

std::vector<Field> fields_of(const SelfCareTip& t) {
  return {{"name", t.name, 10, true},
          {"aliases", joined(t.aliases), 9, true},
          {"id", id_words(t.id), 8, true},
          {"advice", t.advice, 3},
          {"evidence", t.evidence, 1}};
}

std::vector<Field> fields_of(const Goal& g) {
  return {{"name", g.name, 10, true},
          {"aliases", joined(g.aliases), 9, true},
          {"id", id_words(g.id), 8, true},
          {"description", g.description, 3}};
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
void search_in(const T& item, HitKind kind, std::vector<Field> fields, const std::vector<std::string>& terms,
               bool any, std::vector<SearchHit>& out) {
  std::vector<bool> matched(terms.size(), false);
  std::vector<FieldScore> scores;
  std::vector<std::vector<Word>> words(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    // A term can only match a word that contains it, so a field without any term as a substring
    // need not be split into words at all (most fields, in a large knowledge base).
    if (contains_any(fields[i].text, terms)) words[i] = words_of(fields[i].text);
  }
  double best = 0, rest = 0;
  std::size_t best_field = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    scores.push_back(score_field(fields[i], words[i], terms));
    for (std::size_t t = 0; t < terms.size(); ++t) matched[t] = matched[t] || scores[i].matched[t];
    if (scores[i].score > best) {
      rest += best;
      best = scores[i].score;
      best_field = i;
    } else {
      rest += scores[i].score;
    }
  }
  const bool ok = any ? std::any_of(matched.begin(), matched.end(), [](bool b) { return b; })
                      : std::all_of(matched.begin(), matched.end(), [](bool b) { return b; });
  if (!ok || best <= 0) return;
  SearchHit hit;
  hit.kind = kind;
  hit.id = item.id;
  hit.name = item.name;
  hit.score = std::round((best + rest / 4) * 10) / 10;
  // Show the text field that matches the most words (then scores best): a name alone says little.
  std::size_t shown = best_field;
  std::size_t shown_terms = 0;
  double shown_score = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].is_name || scores[i].score <= 0) continue;
    const auto terms_matched =
        static_cast<std::size_t>(std::count(scores[i].matched.begin(), scores[i].matched.end(), true));
    if (terms_matched > shown_terms || (terms_matched == shown_terms && scores[i].score > shown_score)) {
      shown = i;
      shown_terms = terms_matched;
      shown_score = scores[i].score;
    }
  }
  if (fields[shown].is_name) shown = 3;  // only the name matched: show what it is (summary, definition)
  hit.field = fields[shown].name;
  make_snippet(hit, fields[shown].text, scores[shown].hits);
  out.push_back(std::move(hit));
}

}  // namespace

std::string stem(std::string_view word) {
  std::string w(word);
  auto strip = [&](std::string_view suffix, std::size_t min_left) {
    if (w.size() >= suffix.size() + min_left && w.ends_with(suffix)) {
      w.resize(w.size() - suffix.size());
      return true;
    }
    return false;
  };
  if (!strip("ing", 3) && !strip("ies", 2) && !strip("ed", 3) && !strip("es", 3)) {
    if (!w.ends_with("ss")) strip("s", 3);
  }
  // "release"/"released", "stone"/"stones": drop a final e so the forms meet.
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  // "kneadd"-style doubled consonants from "-ing"/"-ed" ("rubbing" -> "rub").
  if (w.size() > 3 && w[w.size() - 1] == w[w.size() - 2] &&
      std::string_view("aeiousl").find(w.back()) == std::string_view::npos) {
    w.pop_back();
  }
  return w;
}

SearchResult search(const KnowledgeBase& kb, const std::vector<std::string>& raw_terms, bool any) {
  std::vector<std::string> terms;
  std::set<std::string> seen;  // a word given twice counts once
  for (const auto& t : raw_terms) {
    for (const auto& w : words_of(t)) {
      if (seen.insert(w.stem).second) terms.push_back(w.stem);
    }
  }
  SearchResult result;
  if (terms.empty()) return result;
  for_each_entry(kb, [&](const auto& item, HitKind kind, std::vector<Field> fields) {
    search_in(item, kind, std::move(fields), terms, any, result.hits);
  });
  std::sort(result.hits.begin(), result.hits.end(), [](const SearchHit& a, const SearchHit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.id < b.id;
  });

  if (result.hits.empty()) {
    // The words of the knowledge base, as written, closest to each word that found nothing.
    // Gathered unordered (a large knowledge base holds millions of words), then sorted, so that
    // ties go to the same word on every run.
    std::unordered_set<std::string> vocabulary;
    auto add = [&](const std::vector<Field>& fields) {
      for (const auto& f : fields) {
        for (const auto& w : words_of(f.text))
          vocabulary.insert(ascii_lower(f.text.substr(w.offset, w.length)));
      }
    };
    for_each_entry(kb, [&](const auto&, HitKind, const std::vector<Field>& fields) { add(fields); });
    std::vector<std::string> candidates(vocabulary.begin(), vocabulary.end());
    std::sort(candidates.begin(), candidates.end());
    // Suggestions for the first few words only: each one is compared with the whole vocabulary.
    std::size_t asked = 0;
    for (const auto& raw : raw_terms) {
      for (const auto& w : words_of(raw)) {
        if (++asked > kMaxHintedWords) break;
        auto guess = closest(ascii_lower(raw.substr(w.offset, w.length)), candidates);
        if (guess && std::find(result.hints.begin(), result.hints.end(), *guess) == result.hints.end()) {
          result.hints.push_back(*guess);
        }
      }
    }
  }
  return result;
}

}  // namespace knots
