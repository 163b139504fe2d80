// knots recommend: criteria from flags (or asked one by one with --ask) to a ranked, safe shortlist.
#include <unistd.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <functional>
#include <iostream>

#include "cli/commands.hpp"
#include "query/recommend.hpp"
#include "render/json.hpp"
#include "render/text.hpp"
#include "util/suggest.hpp"
#include "util/text.hpp"

namespace knots::cli {
namespace {

/// The --help line of each need's flag (--no-oil …), in the order of Need.
constexpr std::array<std::string_view, kNeeds.size()> kNeedHelp = {
    "Rule out what needs oil", "Rule out what needs heat", "Rule out what needs you to undress",
    "Rule out what is only done on a floor mat", "Rule out what does not work on the back itself"};

/// What the flags and arguments of `knots recommend` set.
struct RecommendOptions {
  std::optional<std::string> pressure;
  std::vector<std::string> goals;
  std::vector<std::string> areas;
  std::vector<std::string> conditions;
  std::vector<std::string> symptoms;
  std::array<bool, kNeeds.size()> needs{};  ///< given or not, in the order of Need
  std::vector<std::string> prefer;
  std::size_t top = 3;
  bool explain = false;
  bool ask = false;
};

std::vector<std::string> split_answer(const std::string& line) {
  std::vector<std::string> out;
  std::string item;
  for (char c : line + ",") {
    if (c == ',') {
      const auto first = item.find_first_not_of(" \t\r");
      if (first != std::string::npos)
        out.push_back(item.substr(first, item.find_last_not_of(" \t\r") - first + 1));
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

/// One prompt's answers: what each typed word stands for (an id), or nothing.
using Resolver = std::function<std::optional<std::string>(const std::string&)>;

bool is_none(const std::string& answer) {
  const std::string word = ascii_lower(answer);
  return word == "none" || word == "no" || word == "nothing" || word == "n/a";
}

/// Asks and reads one answer per line from stdin, so that it works in a terminal and from a
/// script. In a terminal the questions go to the terminal itself (/dev/tty), so that they stay
/// visible whatever is done with stderr and the notice; from a script they go to stderr, with the
/// answers echoed. Every word is read as an id, a name or an everyday alias; a word with one close
/// match is offered back ("did you mean X? [Y/n]"), any other is explained and asked again. An
/// answer is never silently dropped: when the input ends with a problem still open, exit 2.
class Interview {
 public:
  explicit Interview(std::size_t width) : interactive_(::isatty(STDIN_FILENO) == 1), width_(width) {
    if (interactive_) tty_ = std::fopen("/dev/tty", "we");
  }
  ~Interview() {
    if (tty_ != nullptr) std::fclose(tty_);
  }
  Interview(const Interview&) = delete;
  Interview& operator=(const Interview&) = delete;

  /// Asks until every answer resolves; returns the ids, in order, without repeats.
  std::vector<std::string> ask(const std::string& question, const std::string& choices,
                               const Resolver& resolve, const std::vector<std::string>& names,
                               bool single = false) {
    for (;;) {
      say(question + "\n");
      prompt(fmt::format("({}; Enter for {}): ", choices, single ? "any" : "none"), 2);
      std::string line;
      if (!read(line)) return {};
      std::vector<std::string> ids;
      std::string problem;
      const auto answers = split_answer(line);
      if (single && answers.size() > 1) problem = "give one answer";
      for (const auto& a : answers) {
        if (!problem.empty()) break;
        if (is_none(a) && answers.size() == 1) break;
        if (auto id = resolve(a)) {
          add(ids, *id);
          continue;
        }
        if (auto guess = closest(a, names); guess && resolve(*guess)) {
          if (confirm(fmt::format("'{}' is not one of the choices; did you mean '{}'? [Y/n] ",
                                  render::sanitize(a), render::sanitize(*guess)))) {
            add(ids, *resolve(*guess));
            continue;
          }
        }
        problem = fmt::format("'{}' is not one of the choices", render::sanitize(a));
      }
      if (problem.empty()) return ids;
      last_problem_ = problem;
      say(fmt::format("{}; try again.\n", problem), 2);
    }
  }

  /// A paragraph for the person, wrapped to the width at spaces, each line after `indent` spaces;
  /// a line feed inside starts a new paragraph.
  void say(std::string_view text, std::size_t indent = 0) {
    if (text.ends_with('\n')) text.remove_suffix(1);
    std::string out;
    for (const auto& line : render::wrap(text, width_ > indent + 20 ? width_ - indent : 20)) {
      out += std::string(indent, ' ') + line + '\n';
    }
    write(out);
  }

  /// Rows of a list of choices: each name, then what it means, the meanings lined up.
  void choices(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::size_t name_w = 0;
    for (const auto& [name, words] : rows) name_w = std::max(name_w, name.size());
    const std::size_t indent = 4 + name_w + 2;
    for (const auto& [name, words] : rows) {
      const auto lines = render::wrap(words, width_ > indent + 20 ? width_ - indent : 20);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        write(fmt::format("    {:<{}}  {}\n", i == 0 ? name : "", name_w, lines[i]));
      }
    }
  }

 private:
  static void add(std::vector<std::string>& ids, const std::string& id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }

  void write(std::string_view text) {
    std::FILE* out = tty_ != nullptr ? tty_ : stderr;
    std::fwrite(text.data(), 1, text.size(), out);
    std::fflush(out);
  }

  /// A question that the answer follows on the same line: wrapped, without the last line feed.
  void prompt(const std::string& text, std::size_t indent) {
    std::string out;
    const auto lines = render::wrap(text, width_ > indent + 20 ? width_ - indent : 20);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += std::string(indent, ' ') + lines[i] + (i + 1 < lines.size() ? "\n" : " ");
    }
    write(out);
  }

  /// One line of input; at the end of input, nothing (or exit 2 when a problem is still open).
  bool read(std::string& line) {
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (!got) {
      write("(end of input)\n");
      // The input ended before a wrong answer was put right: do not guess what was meant.
      if (!last_problem_.empty()) throw UsageError(last_problem_);
      line.clear();
      return false;
    }
    // From a script nothing echoes the answer, so show it: the transcript then reads as asked.
    if (!interactive_) write(render::sanitize(line) + "\n");
    last_problem_.clear();
    return true;
  }

  /// A yes/no question, yes by default; the end of input leaves it unanswered (exit 2).
  bool confirm(const std::string& question) {
    prompt(question, 2);
    last_problem_ = "the question was not answered";
    std::string line;
    read(line);
    const auto first = line.find_first_not_of(" \t\r");
    return first == std::string::npos || line[first] == 'y' || line[first] == 'Y';
  }

  bool interactive_;
  std::size_t width_;
  std::FILE* tty_ = nullptr;
  std::string last_problem_;
};

template <class T>
Resolver resolver(const Catalog<T>& catalog) {
  return [&catalog](const std::string& word) -> std::optional<std::string> {
    if (const T* item = catalog.find(word)) return item->id;
    return std::nullopt;
  };
}

/// A resolver for a fixed list of words, in any case, with spaces or hyphens.
Resolver resolver(const std::vector<std::string>& words) {
  return [words](const std::string& word) -> std::optional<std::string> {
    for (const auto& w : words) {
      if (lookup_key(w) == lookup_key(word)) return w;
    }
    return std::nullopt;
  };
}

template <class T>
std::vector<std::string> ids_of(const Catalog<T>& catalog) {
  std::vector<std::string> out;
  for (const auto& item : catalog.all()) out.push_back(item.id);
  return out;
}

template <class T>
void add_unique(std::vector<T>& to, const std::vector<T>& from) {
  for (const auto& x : from) {
    if (std::find(to.begin(), to.end(), x) == to.end()) to.push_back(x);
  }
}

}  // namespace

namespace {

/// Entries as numbered choices, so that a person can answer "2, 7".
template <class T>
std::vector<std::pair<std::string, std::string>> numbered(const std::vector<const T*>& items) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (std::size_t i = 0; i < items.size(); ++i) {
    rows.emplace_back(fmt::format("{:>2}.", i + 1), render::sanitize(items[i]->name));
  }
  return rows;
}

/// Reads an answer to numbered choices: the number shown, or an id, name or alias of the catalog.
template <class T>
Resolver by_number_or_name(const Catalog<T>& catalog, const std::vector<const T*>& items) {
  return [&catalog, items](const std::string& word) -> std::optional<std::string> {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
    if (ec == std::errc() && end == word.data() + word.size() && n >= 1 && n <= items.size())
      return items[n - 1]->id;
    if (const T* item = catalog.find(word)) return item->id;
    return std::nullopt;
  };
}

/// The safety question, asked first: which warning signs the person has. True when one of them
/// needs a clinician, which ends the questions, since nothing will be recommended.
bool ask_symptoms(const KnowledgeBase& kb, Interview& interview, RecommendRequest& request) {
  std::vector<const RedFlag*> flags;
  for (const auto& f : kb.red_flags.all()) flags.push_back(&f);
  std::stable_sort(flags.begin(), flags.end(),
                   [](const RedFlag* a, const RedFlag* b) { return a->urgency < b->urgency; });
  interview.say("First, a safety question. Do you have any of these with your back pain?\n");
  interview.choices(numbered(flags));
  add_unique(
      request.symptoms,
      interview.ask("Do you have any of these now? Numbers or words, separated by commas.",
                    "e.g. 2, chest pain", by_number_or_name(kb.red_flags, flags), kb.red_flags.names()));
  return std::any_of(request.symptoms.begin(), request.symptoms.end(), [&](const std::string& id) {
    const RedFlag* f = kb.red_flags.find(id);
    return f && f->urgency != Urgency::soon;
  });
}

/// Health conditions; a warning sign given as a condition is screened, never dropped.
void ask_conditions(const KnowledgeBase& kb, Interview& interview, RecommendRequest& request) {
  const Resolver condition_or_flag = [&](const std::string& word) -> std::optional<std::string> {
    if (const Condition* c = kb.conditions.find(word)) return "condition:" + c->id;
    if (const RedFlag* f = kb.red_flags.find(word)) return "symptom:" + f->id;
    return std::nullopt;
  };
  std::vector<std::string> names = kb.conditions.names();
  for (const auto& n : kb.red_flags.names()) names.push_back(n);
  for (const auto& answer : interview.ask("Any health conditions? Words such as pregnant, warfarin or back "
                                          "surgery; separate several with commas.",
                                          "see 'knots conditions'", condition_or_flag, names)) {
    if (answer.starts_with("condition:")) add_unique(request.conditions, {answer.substr(10)});
    if (answer.starts_with("symptom:")) add_unique(request.symptoms, {answer.substr(8)});
  }
}

/// Where the knot is, by number, name or everyday words ("upper back"); several allowed.
void ask_area(const KnowledgeBase& kb, Interview& interview, RecommendRequest& request) {
  if (kb.areas.size() == 0) return;
  std::vector<const KnotArea*> areas;
  for (const auto& a : kb.areas.all()) areas.push_back(&a);
  interview.say("Where is the knot?\n");
  interview.choices(numbered(areas));
  add_unique(request.areas,
             interview.ask("Which? Numbers or words, separated by commas.", "e.g. 2, lower back",
                           by_number_or_name(kb.areas, areas), kb.areas.names()));
}

/// The pressure, by its level or an everyday word for it ("hard" is firm; the answer names the level).
void ask_pressure(Interview& interview, RecommendRequest& request) {
  std::vector<std::string> words = names_of<Pressure>();
  for (const auto& w : kPressureWords) words.emplace_back(w.word);
  const Resolver level = [](const std::string& word) -> std::optional<std::string> {
    if (auto p = pressure_from_words(word)) return std::string(name_of(*p));
    return std::nullopt;
  };
  const auto answer = interview.ask(
      "How firm do you like the pressure? Everyday words such as gentle or "
      "hard work too.",
      fmt::format("{}", fmt::join(names_of<Pressure>(), ", ")), level, words, true);
  if (answer.empty()) return;
  request.pressure = enum_from<Pressure>(answer.front());
}

/// Each value of an enum with what it means in plain words, for a list of choices.
template <class E>
std::vector<std::pair<std::string, std::string>> explained() {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& name : names_of<E>()) rows.emplace_back(name, plain_words(*enum_from<E>(name)));
  return rows;
}

/// What rules out (the needs) and what only ranks (the preferences), asked last.
void ask_needs_and_preferences(Interview& interview, RecommendRequest& request) {
  const std::vector<std::string> needs = names_of<Need>();
  interview.say("Anything you need? What cannot give it is left out. Separate several with commas.\n");
  interview.choices(explained<Need>());
  for (const auto& must : interview.ask("Which?", "words from the list", resolver(needs), needs)) {
    request.needs.insert(*enum_from<Need>(must));
  }
  const std::vector<std::string> prefer = names_of<Preference>();
  interview.say("Anything you would like? It only moves styles up the list. Separate several with commas.\n");
  interview.choices(explained<Preference>());
  for (const auto& p : interview.ask("Which?", "words from the list", resolver(prefer), prefer)) {
    add_unique(request.prefer, {*enum_from<Preference>(p)});
  }
}

}  // namespace

/// --ask: the warning signs first, then the criteria one by one; a warning sign that needs a
/// clinician ends the questions, since nothing will be recommended.
void interview(const KnowledgeBase& kb, RecommendRequest& request, std::size_t width) {
  Interview interview(width);
  if (ask_symptoms(kb, interview, request)) {
    interview.say("\n");
    return;
  }
  ask_area(kb, interview, request);
  ask_pressure(interview, request);
  add_unique(request.goals, interview.ask("What do you want from it? Separate several with commas.",
                                          fmt::format("{}", fmt::join(ids_of(kb.goals), ", ")),
                                          resolver(kb.goals), kb.goals.names()));
  ask_conditions(kb, interview, request);
  ask_needs_and_preferences(interview, request);
  interview.say("\n");
}

/// --condition values: conditions; a warning sign typed as a condition ("numbness") is screened as
/// the symptom it is, never dropped.
void resolve_conditions(const KnowledgeBase& kb, const std::vector<std::string>& names,
                        RecommendRequest& request) {
  std::vector<std::string> unknown;
  for (const auto& name : names) {
    if (const Condition* c = kb.conditions.find(name)) {
      add_unique(request.conditions, {c->id});
    } else if (const RedFlag* f = kb.red_flags.find(name)) {
      add_unique(request.symptoms, {f->id});
    } else {
      unknown.push_back(name);
    }
  }
  if (unknown.empty()) return;
  std::vector<std::string> known = kb.conditions.names();
  const auto flags = kb.red_flags.names();
  known.insert(known.end(), flags.begin(), flags.end());
  throw_not_found("--condition: unknown condition", unknown, known,
                  "See 'knots conditions' for the conditions and 'knots red-flags' for warning signs "
                  "(--symptom).");
}

namespace {

int run_recommend(Context& ctx, const RecommendOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  RecommendRequest request;
  request.pressure = pressure_option(options.pressure);
  Missing missing;
  request.goals = missing([&] { return resolve_ids(kb.goals, options.goals, "--goal", "goal"); });
  request.areas = missing([&] { return resolve_ids(kb.areas, options.areas, "--area", "area"); });
  request.symptoms =
      missing([&] { return resolve_ids(kb.red_flags, options.symptoms, "--symptom", "symptom"); });
  missing([&] { resolve_conditions(kb, options.conditions, request); });
  missing.check();
  for (std::size_t i = 0; i < kNeeds.size(); ++i) {
    if (options.needs[i]) request.needs.insert(kNeeds[i]);
  }
  for (const auto& p : options.prefer) {
    if (auto pref = enum_from<Preference>(p)) add_unique(request.prefer, {*pref});
  }
  request.top = options.top;

  if (options.ask) interview(kb, request, ctx.style().width);

  const RecommendResult result = recommend(kb, request);
  // After --ask, the answer follows the interview on the screen, not in a pager that hides it.
  const Paging paging = options.ask ? Paging::never : Paging::allowed;
  if (ctx.json()) {
    ctx.print(render::recommend_json(result, request, options.explain, ctx.json_style()), paging);
  } else {
    const render::Style style = ctx.style();
    if (ctx.ids()) {
      std::vector<std::string> ids;
      for (const auto& rec : result.items) ids.push_back(rec.modality->id);
      ctx.print_ids(ids);
    } else {
      ctx.print(render::recommend_text(result, request, kb, options.explain, style), paging);
    }
    // The notice goes to stderr so that the list itself can be piped; colour follows stdout's.
    const std::string notice = "\n" + render::recommend_notice_text(result, options.explain, style);
    std::fputs(notice.c_str(), stderr);
  }
  return 0;
}

/// `knots recommend` in the table: its flags bound to RecommendOptions, then run_recommend.
class RecommendCommand final : public Command {
 public:
  RecommendCommand()
      : Command(
            "recommend", "A ranked, explained, safe shortlist for your criteria",
            "Example:\n  knots recommend --pressure firm --goal pain-relief --condition blood-thinners\n"
            "  knots recommend --clothed --prefer stretching --explain\n  knots recommend --symptom \"numb "
            "groin\"\n"
            "  knots recommend --ask") {}

  void define(Flags& flags) override {
    define_criteria(flags);
    flags
        .option("--prefer", options_.prefer,
                "What you would like (repeatable; ranks, never rules out); quiet: a still session, "
                "points: pressure on particular points or tender spots")
        .choices(names_of<Preference>(), "preference")
        .type_name("WHAT")
        .single();
    flags.option("--top", options_.top, "How many to recommend (default 3)").range(1, 1000).type_name("N");
    flags.flag("--explain", options_.explain, "Show each criterion's share of each score");
    flags.flag("--ask", options_.ask, "Ask the questions one by one (answers read line by line from stdin)");
  }

  int run(Context& ctx) override { return run_recommend(ctx, options_); }

 private:
  /// The flags that say what you want and what rules a modality out.
  void define_criteria(Flags& flags) {
    flags.option("--pressure", options_.pressure, "Pressure you like; rules out what cannot give it")
        .pressure()
        .type_name("LEVEL");
    flags
        .option("--goal", options_.goals,
                "What you want (repeatable): relaxation, pain-relief, mobility, athletic-recovery, "
                "prevention, stress")
        .values("goal")
        .type_name("GOAL")
        .single();
    flags
        .option("--area", options_.areas,
                "Where the knot is (repeatable): neck and shoulders, between the shoulder blades, lower "
                "back; ranks by how well each style reaches it")
        .values("area")
        .type_name("AREA")
        .single();
    flags
        .option("--condition", options_.conditions,
                "A health condition you have (repeatable; see 'knots conditions')")
        .values("condition")
        .type_name("COND")
        .single();
    flags
        .option("--symptom", options_.symptoms,
                "A warning sign you have now (repeatable; see 'knots red-flags'): screened first")
        .values("symptom")
        .type_name("SYMPTOM")
        .single();
    for (std::size_t i = 0; i < kNeeds.size(); ++i) {
      flags.flag(fmt::format("--{}", name_of(kNeeds[i])), options_.needs[i], std::string(kNeedHelp[i]));
    }
  }

  RecommendOptions options_;
};

}  // namespace

std::unique_ptr<Command> recommend_command() {
  return std::make_unique<RecommendCommand>();
}

}  // namespace knots::cli
