// Each subcommand's options and the function that runs it; app.cpp binds the options to flags.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "cli/spec.hpp"

namespace knots::cli {

struct ListOptions {
  std::optional<std::string> pressure;
  std::vector<std::string> techniques;
  std::vector<std::string> goals;
  bool clothed = false;
  bool no_oil = false;
  bool heat = false;
  bool json = false;
};
int run_list(Context& ctx, const ListOptions& options);

struct ShowOptions {
  std::string name;
  bool json = false;
};
int run_show(Context& ctx, const ShowOptions& options);

struct TechniquesOptions {
  std::optional<std::string> name;
  bool json = false;
};
int run_techniques(Context& ctx, const TechniquesOptions& options);

struct ConditionsOptions {
  bool json = false;
};
int run_conditions(Context& ctx, const ConditionsOptions& options);

struct RedFlagsOptions {
  bool json = false;
};
int run_red_flags(Context& ctx, const RedFlagsOptions& options);

struct SourcesOptions {
  std::optional<std::string> id;
  bool json = false;
};
int run_sources(Context& ctx, const SourcesOptions& options);

struct RecommendOptions {
  std::optional<std::string> pressure;
  std::vector<std::string> goals;
  std::vector<std::string> conditions;
  std::vector<std::string> symptoms;
  bool no_oil = false;
  bool no_heat = false;
  bool clothed = false;
  bool no_floor = false;
  bool direct = false;
  std::vector<std::string> prefer;
  std::size_t top = 3;
  bool explain = false;
  bool json = false;
  bool ask = false;
};
int run_recommend(Context& ctx, const RecommendOptions& options);

struct CompareOptions {
  std::vector<std::string> names;
  bool diff = false;
  bool json = false;
};
int run_compare(Context& ctx, const CompareOptions& options);

struct SearchOptions {
  std::vector<std::string> terms;
  bool any = false;
  bool json = false;
};
int run_search(Context& ctx, const SearchOptions& options);

struct CompletionOptions {
  std::string shell;   ///< bash, zsh or fish
  std::string values;  ///< with --values: print the values of one kind, one per line
  CliSpec spec;
};
int run_completion(Context& ctx, const CompletionOptions& options);

struct PathsOptions {
  bool json = false;
};
int run_paths(Context& ctx, const PathsOptions& options);

struct NewOptions {
  std::string id;
  bool replace = false;  ///< start from a copy of the existing entry with that id, which it replaces
};
int run_new(Context& ctx, const NewOptions& options);

struct GraphOptions {
  std::string format = "dot";
};
int run_graph(Context& ctx, const GraphOptions& options);

struct ValidateOptions {
  std::vector<std::string> paths;  ///< files or folders; none means the knowledge base in use
  bool json = false;
};
int run_validate(Context& ctx, const ValidateOptions& options);

}  // namespace knots::cli
