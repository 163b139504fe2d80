// The shared context of subcommands: loading, style, output, lookups with suggestions.
#include "cli/context.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "load/cache.hpp"
#include "query/suggest.hpp"

namespace knots::cli {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

std::string user_folder() {
  const std::string data = env("XDG_DATA_HOME");
  if (!data.empty() && data.front() == '/') return data + "/knots/kb";
  const std::string home = env("HOME");
  return (home.empty() ? std::string(".") : home) + "/.local/share/knots/kb";
}

std::string cache_folder() {
  if (!env("KNOTS_NO_CACHE").empty()) return {};
  const std::string cache = env("XDG_CACHE_HOME");
  if (!cache.empty() && cache.front() == '/') return cache + "/knots";
  const std::string home = env("HOME");
  return home.empty() ? std::string() : home + "/.cache/knots";
}

load::LoadOptions Context::load_options() const {
  load::LoadOptions options;
  options.use_embedded = !options_.no_default_kb;
  // The user folder, where `knots new` writes, counts when it exists.
  if (std::error_code ec; std::filesystem::is_directory(user_folder(), ec)) options.folders.push_back(user_folder());
  // KNOTS_PATH first, so that --kb on the command line has the last word.
  const std::string path = env("KNOTS_PATH");
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) options.folders.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  options.folders.insert(options.folders.end(), options_.kb_folders.begin(), options_.kb_folders.end());
  return options;
}

const load::LoadResult& Context::loaded() {
  kb();
  return *loaded_;
}

const KnowledgeBase& Context::kb() {
  if (!loaded_) loaded_ = std::make_unique<load::LoadResult>(load::load_cached(load_options(), cache_folder()));
  if (!loaded_->ok()) throw KnowledgeBaseError(loaded_->diagnostics);
  return loaded_->kb;
}

render::Style Context::style() const {
  render::Style style;
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  if (options_.color == "always") {
    style.color = true;
  } else if (options_.color == "never") {
    style.color = false;
  } else {
    style.color = tty && env("NO_COLOR").empty() && env("TERM") != "dumb";
  }
  const std::string columns = env("COLUMNS");
  char* end = nullptr;
  const long cols = columns.empty() ? 0 : std::strtol(columns.c_str(), &end, 10);
  if (cols >= 20 && cols <= 1000 && end && *end == '\0') {
    style.width = static_cast<std::size_t>(cols);
  } else if (winsize ws{}; tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) {
    style.width = ws.ws_col;
  }
  return style;
}

void Context::print(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    throw std::runtime_error(fmt::format("cannot write the output: {}", std::strerror(errno)));
  }
}

const Modality& find_modality(const KnowledgeBase& kb, std::string_view name) {
  if (const Modality* m = kb.modalities.find(name)) return *m;
  throw NotFoundError(fmt::format("no modality '{}'{}", render::sanitize(name),
                                  render::sanitize(did_you_mean(name, kb.modalities.names()))) +
                      "\nSee 'knots list' for every modality.");
}

std::optional<Pressure> pressure_option(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  if (auto level = enum_from<Pressure>(*value)) return level;
  throw UsageError(fmt::format("--pressure: '{}' is not a pressure level", render::sanitize(*value)));
}

template <class T>
std::vector<std::string> resolve_ids(const Catalog<T>& catalog, const std::vector<std::string>& names,
                                     std::string_view flag, std::string_view what) {
  std::vector<std::string> ids;
  for (const auto& name : names) {
    if (const T* item = catalog.find(name)) {
      ids.push_back(item->id);
      continue;
    }
    std::vector<std::string> valid;
    for (const auto& item : catalog.all()) valid.push_back(item.id);
    throw UsageError(fmt::format("{}: unknown {} '{}'{}\nValid values: {}", flag, what,
                                 render::sanitize(name),
                                 render::sanitize(did_you_mean(name, catalog.names())),
                                 render::sanitize(fmt::format("{}", fmt::join(valid, ", ")))));
  }
  return ids;
}

template std::vector<std::string> resolve_ids(const Catalog<Technique>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);
template std::vector<std::string> resolve_ids(const Catalog<Goal>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);
template std::vector<std::string> resolve_ids(const Catalog<Condition>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);
template std::vector<std::string> resolve_ids(const Catalog<RedFlag>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);

}  // namespace knots::cli
