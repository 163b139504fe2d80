// knots recommend: criteria from flags (or asked one by one with --ask) to a ranked, safe shortlist.
#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <iostream>
#include <unistd.h>

#include "cli/commands.hpp"
#include "query/recommend.hpp"
#include "query/suggest.hpp"
#include "render/json.hpp"
#include "render/text.hpp"

namespace knots::cli {
namespace {

std::vector<std::string> split_answer(const std::string& line) {
  std::vector<std::string> out;
  std::string item;
  for (char c : line + ",") {
    if (c == ',') {
      const auto first = item.find_first_not_of(" \t\r");
      if (first != std::string::npos) out.push_back(item.substr(first, item.find_last_not_of(" \t\r") - first + 1));
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

/// Asks on stderr and reads one answer per line from stdin, so that it works in a terminal and
/// from a script. A wrong answer is explained and asked again; when the input ends, the questions
/// left are answered "none", unless a wrong answer is still waiting to be put right (exit 2).
class Interview {
 public:
  Interview() : interactive_(::isatty(STDIN_FILENO) == 1) {}

  /// Asks until every answer is in `valid` (any case); returns them lowercased.
  std::vector<std::string> ask(const std::string& question, const std::vector<std::string>& valid,
                               bool single = false) {
    std::string last_problem;
    for (;;) {
      std::fputs(fmt::format("{}\n  ({}; Enter for {}): ", question, fmt::join(valid, ", "),
                             single ? "any" : "none")
                     .c_str(),
                 stderr);
      std::string line;
      const bool got = static_cast<bool>(std::getline(std::cin, line));
      // From a script nothing echoes the answer, so show it: the transcript then reads as asked.
      if (!got) {
        std::fputs("(end of input)\n", stderr);
        // The input ended before a wrong answer was put right: do not guess what was meant.
        if (!last_problem.empty()) throw UsageError(last_problem);
      } else if (!interactive_) {
        std::fputs((render::sanitize(line) + "\n").c_str(), stderr);
      }
      auto answers = split_answer(line);
      std::string problem;
      if (single && answers.size() > 1) problem = "give one answer";
      for (auto& a : answers) {
        std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::replace(a.begin(), a.end(), ' ', '-');
        if (problem.empty() && std::find(valid.begin(), valid.end(), a) == valid.end()) {
          problem = fmt::format("'{}' is not one of the choices{}", render::sanitize(a),
                                render::sanitize(did_you_mean(a, valid)));
        }
      }
      if (problem.empty()) return answers;
      last_problem = problem;
      std::fputs(fmt::format("  {}; try again.\n", problem).c_str(), stderr);
    }
  }

 private:
  bool interactive_;
};

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

int run_recommend(Context& ctx, const RecommendOptions& options) {
  const KnowledgeBase& kb = ctx.kb();
  RecommendRequest request;
  request.pressure = pressure_option(options.pressure);
  request.goals = resolve_ids(kb.goals, options.goals, "--goal", "goal");
  request.conditions = resolve_ids(kb.conditions, options.conditions, "--condition", "condition");
  request.no_oil = options.no_oil;
  request.no_heat = options.no_heat;
  request.clothed = options.clothed;
  request.no_floor = options.no_floor;
  request.direct = options.direct;
  for (const auto& p : options.prefer) {
    if (auto pref = enum_from<Preference>(p)) add_unique(request.prefer, {*pref});
  }
  request.top = options.top;

  if (options.ask) {
    Interview interview;
    auto pressure = interview.ask("How firm do you like the pressure?", names_of<Pressure>(), true);
    if (!pressure.empty()) request.pressure = enum_from<Pressure>(pressure.front());
    add_unique(request.goals, interview.ask("What do you want from it? Separate several with commas.", ids_of(kb.goals)));
    add_unique(request.conditions,
               interview.ask("Any of these health conditions? Separate several with commas.", ids_of(kb.conditions)));
    for (const auto& must : interview.ask("Anything you need? Separate several with commas.",
                                          {"no-oil", "no-heat", "clothed", "no-floor", "direct"})) {
      if (must == "no-oil") request.no_oil = true;
      if (must == "no-heat") request.no_heat = true;
      if (must == "clothed") request.clothed = true;
      if (must == "no-floor") request.no_floor = true;
      if (must == "direct") request.direct = true;
    }
    for (const auto& p : interview.ask("Anything you would like? Separate several with commas.", names_of<Preference>())) {
      add_unique(request.prefer, {*enum_from<Preference>(p)});
    }
    std::fputs("\n", stderr);
  }

  const RecommendResult result = recommend(kb, request);
  if (options.json) {
    Context::print(render::recommend_json(result, request, options.explain));
  } else {
    const render::Style style = ctx.style();
    Context::print(render::recommend_text(result, request, kb, options.explain, style));
    // The notice goes to stderr so that the list itself can be piped; colour follows stdout's.
    const std::string notice = "\n" + render::recommend_notice_text(result, style);
    std::fputs(notice.c_str(), stderr);
  }
  return 0;
}

}  // namespace knots::cli
