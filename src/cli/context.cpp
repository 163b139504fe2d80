// The shared context of subcommands: loading, style, output, lookups with suggestions.
#include "cli/context.hpp"
#include "cli/embedded_model.hpp"

#include <pwd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/pager.hpp"
#include "load/cache.hpp"
#include "query/search.hpp"
#include "util/suggest.hpp"

namespace knots::cli {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

/// The user's home; see user_folder().
Place home_folder() {
  const std::string home = env("HOME");
  if (!home.empty() && home.front() == '/') return {home, {}};
  // HOME unset, empty or relative: the password database knows where the user lives.
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->pw_dir && found->pw_dir[0] == '/') {
    return {found->pw_dir, {}};
  }
  return {{},
          home.empty() ? "HOME is not set and the password database has no home for this user"
                       : "HOME is not an absolute path and the password database has no home for this user"};
}

/// $VARIABLE/rest when VARIABLE holds an absolute path, else <home>/fallback, else none.
Place xdg_folder(const char* variable, std::string_view fallback, std::string_view rest) {
  const std::string base = env(variable);
  if (!base.empty() && base.front() == '/') return {fmt::format("{}/{}", base, rest), {}};
  Place home = home_folder();
  if (home.path.empty()) return home;
  return {fmt::format("{}/{}/{}", home.path == "/" ? "" : home.path, fallback, rest), {}};
}

bool absolute(std::string_view path) {
  return !path.empty() && path.front() == '/';
}

/// KNOTS_PATH split at colons, empty entries dropped.
std::vector<std::string> knots_path() {
  const std::string path = env("KNOTS_PATH");
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// One reading of a command line's names, for a person choosing between them: how to type it,
/// then what it names: `  "thai yoga massage" swedish  (thai, swedish)`.
std::string reading_line(const Reading<Modality>& reading) {
  std::vector<std::string> typed;
  for (const auto& name : reading.names) {
    typed.push_back(name.find(' ') == std::string::npos ? name : fmt::format("\"{}\"", name));
  }
  return render::sanitize(
      fmt::format("  {}  ({})", joined(typed, " "), joined(ids_of(reading.entries), ", ")));
}

}  // namespace

Place user_folder() {
  return xdg_folder("XDG_DATA_HOME", ".local/share", "knots/kb");
}

Place cache_folder() {
  if (!env("KNOTS_NO_CACHE").empty()) return {{}, "KNOTS_NO_CACHE is set"};
  return xdg_folder("XDG_CACHE_HOME", ".cache", "knots");
}

std::vector<std::string> knots_path_folders() {
  // Like PATH, KNOTS_PATH holds absolute folders only: a relative entry would trust whatever folder
  // the user stands in.
  std::vector<std::string> out;
  for (auto& entry : knots_path()) {
    if (absolute(entry)) out.push_back(std::move(entry));
  }
  return out;
}

std::vector<std::string> Context::ignored_path_entries() {
  std::vector<std::string> out;
  for (auto& entry : knots_path()) {
    if (!absolute(entry)) out.push_back(std::move(entry));
  }
  return out;
}

load::LoadOptions Context::load_options() const {
  load::LoadOptions options;
  options.use_embedded = !options_.no_default_kb;
  // The user folder, where `knots new` writes, counts when it exists.
  const Place user = user_folder();
  if (std::error_code ec; !user.path.empty() && std::filesystem::is_directory(user.path, ec)) {
    options.folders.push_back(user.path);
  }
  // KNOTS_PATH first, so that --kb on the command line has the last word.
  for (auto& folder : knots_path_folders()) options.folders.push_back(std::move(folder));
  options.folders.insert(options.folders.end(), options_.kb_folders.begin(), options_.kb_folders.end());
  return options;
}

const load::LoadResult& Context::loaded() {
  kb();
  return *loaded_;
}

const KnowledgeBase& Context::kb() {
  if (!load_result().ok()) throw KnowledgeBaseError(loaded_->diagnostics);
  return loaded_->kb;
}

void Context::note_path_entries() {
  if (noted_) return;
  noted_ = true;
  for (const auto& entry : ignored_path_entries()) {
    print_message(render::sanitize(
        fmt::format("knots: KNOTS_PATH entry '{}' is not an absolute path; left out", entry), true));
  }
}

namespace {

/// The cache, keeping the search index with the model.
load::CacheSettings cache_settings() {
  load::CacheSettings settings{cache_folder().path};
  settings.extra = [](const KnowledgeBase& kb) { return search_index(kb); };
  return settings;
}

}  // namespace

bool Context::shipped_only() const {
  const load::LoadOptions options = load_options();
  return options.use_embedded && options.folders.empty() && options.paths.empty();
}

const load::CachedModel* Context::cached() {
  if (loaded_) return nullptr;
  if (!tried_cache_) {
    tried_cache_ = true;
    note_path_entries();
    // The shipped knowledge base alone (no user folder, KNOTS_PATH or --kb): the model the build
    // made of it, compiled in; no file to check and nothing to parse.
    if (shipped_only()) {
      cached_ = load::CachedModel::trusted(embedded_model());
      if (cached_) return &*cached_;
    }
    std::string note;
    cached_ = load::open_cached(load_options(), cache_settings(), &note);
    if (!note.empty()) print_message(render::sanitize(fmt::format("knots: {}", note), true));
  }
  return cached_ ? &*cached_ : nullptr;
}

const KnowledgeBase* Context::kb_with_modalities(const std::vector<std::string>& names) {
  const load::CachedModel* model = cached();
  if (model == nullptr) return nullptr;
  std::vector<std::uint32_t> places;
  for (const auto& name : names) {
    if (const auto place = model->find<Modality>(name)) places.push_back(*place);
  }
  if (places.empty()) return nullptr;
  std::sort(places.begin(), places.end());
  places.erase(std::unique(places.begin(), places.end()), places.end());
  Selection selection = Selection::everything();
  selection.whole[kind_index<Modality>()] = false;
  selection.places[kind_index<Modality>()] = std::move(places);
  partial_ = model->decode(selection);
  return partial_ ? &*partial_ : nullptr;
}

const KnowledgeBase* Context::kb_with_technique_users(std::string_view name) {
  const load::CachedModel* model = cached();
  if (model == nullptr) return nullptr;
  const auto technique = model->find<Technique>(name);
  if (!technique) return nullptr;
  auto users = model->technique_users(*technique);
  if (!users) return nullptr;
  Selection selection = Selection::everything();
  selection.whole[kind_index<Modality>()] = false;
  selection.places[kind_index<Modality>()] = std::move(*users);
  partial_ = model->decode(selection);
  return partial_ ? &*partial_ : nullptr;
}

const load::LoadResult& Context::load_result() {
  if (!loaded_) {
    note_path_entries();
    if (!tried_cache_ && shipped_only()) cached();
    if (cached_) {
      if (auto all = cached_->decode_all()) loaded_ = std::make_unique<load::LoadResult>(std::move(*all));
    }
    if (!loaded_) {
      std::string note;
      // The folder was said to be unsafe when the cache was first tried: not twice.
      loaded_ = std::make_unique<load::LoadResult>(
          load::load_cached(load_options(), cache_settings(), tried_cache_ ? nullptr : &note));
      if (!note.empty()) print_message(render::sanitize(fmt::format("knots: {}", note), true));
    }
  }
  return *loaded_;
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
  style.width = terminal_width(STDOUT_FILENO);
  // Into a pipe or a file, a listing is for awk and cut: one line per entry, whatever the width.
  // COLUMNS, or colour asked for (--color always, for less -R), asks for the laid-out text that a
  // person at a terminal sees, wherever it goes.
  style.tabular = !tty && env("COLUMNS").empty() && options_.color != "always";
  return style;
}

void Context::refuse_ids(std::string_view command) const {
  if (!options_.ids) return;
  throw UsageError(fmt::format(
      "--ids does not go with 'knots {}', which lists no entries; it goes with list, show, search, "
      "recommend, compare and the vocabularies",
      command));
}

void Context::print_ids(const std::vector<std::string>& ids) const {
  std::string out;
  for (const auto& id : ids) out += render::sanitize(id) + "\n";
  write_stdout(out);
}

void Context::print(std::string_view text, Paging paging) const {
  if (paging == Paging::allowed && !options_.no_pager && longer_than_screen(text)) {
    if (const auto pager = pager_command(); pager && page(text, *pager)) return;
  }
  write_stdout(text);
}

void Context::print_pieces(
    const std::function<void(const std::function<void(std::string_view)>&)>& make) const {
  if (!options_.no_pager && ::isatty(STDOUT_FILENO) == 1) {
    std::string whole;
    make([&](std::string_view piece) { whole += piece; });
    print(whole);
    return;
  }
  make([](std::string_view piece) { write_stdout(piece); });
}

std::size_t terminal_width(int fd) {
  const std::string columns = env("COLUMNS");
  char* end = nullptr;
  const long cols = columns.empty() ? 0 : std::strtol(columns.c_str(), &end, 10);
  if (cols >= 20 && cols <= 1000 && end && *end == '\0') return static_cast<std::size_t>(cols);
  if (winsize ws{}; ::isatty(fd) == 1 && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

namespace {
bool holding = false;  // NOLINT: one run, one thread
std::string held;      // NOLINT

void write_message(const std::string& text) {
  if (holding) {
    held += text;
  } else {
    std::fputs(text.c_str(), stderr);
  }
}
}  // namespace

void hold_messages() {
  holding = true;
}

void drop_held_messages() {
  held.clear();
}

void release_messages() {
  std::fputs(held.c_str(), stderr);
  held.clear();
}

void print_message(std::string_view text) {
  // Wrapped for a person at a terminal (or to COLUMNS when set); into a pipe or a log each
  // message keeps its lines whole, as compilers do, so that "file:line:col: …" stays greppable.
  const bool for_a_person = ::isatty(STDERR_FILENO) == 1 || !env("COLUMNS").empty();
  if (!for_a_person) {
    write_message(std::string(text).append(text.ends_with('\n') ? "" : "\n"));
    return;
  }
  write_message(render::wrap_block(text, terminal_width(STDERR_FILENO), 2));
}

void throw_no_entry(const KnowledgeBase& kb, const std::string& name, RefKind kind, std::string_view noun,
                    const std::vector<std::string>& known, std::string_view see) {
  if (const std::string other = elsewhere(kb, name, kind); !other.empty())
    throw NotFoundError(fmt::format("no {} '{}'; {}", noun, render::sanitize(name), other), {{name, {}}});
  throw_not_found(fmt::format("no {}", noun), {name}, known, see);
}

std::string elsewhere(const KnowledgeBase& kb, std::string_view name, RefKind asked) {
  // The first kind, other than the one asked for, that has an entry by this name.
  const auto see = [&](RefKind kind, const auto& catalog, std::string_view what, std::string_view command) {
    const auto* entry = kind == asked ? nullptr : catalog.find(name);
    return entry ? fmt::format("it is {}.\nSee it with: {} {}", what, command, render::sanitize(entry->id))
                 : std::string();
  };
  for (std::string found : {see(RefKind::modality, kb.modalities, "a massage style", "knots show"),
                            see(RefKind::technique, kb.techniques, "a technique", "knots techniques"),
                            see(RefKind::source, kb.sources, "a source", "knots sources"),
                            see(RefKind::self_care, kb.self_care, "a self-care tip", "knots self-care"),
                            see(RefKind::topic, kb.guide, "a guide topic", "knots guide"),
                            see(RefKind::condition, kb.conditions, "a health condition", "knots conditions"),
                            see(RefKind::goal, kb.goals, "a goal", "knots goals")}) {
    if (!found.empty()) return found;
  }
  if (asked != RefKind::red_flag && kb.red_flags.find(name))
    return "it is a warning sign.\nSee them all with: knots red-flags";
  if (const KnotArea* a = asked == RefKind::area ? nullptr : kb.areas.find(name))
    return fmt::format("it is an area of the back.\nThe styles that reach it: knots list --area {}",
                       render::sanitize(a->id));
  return {};
}

void throw_not_found(std::string_view lead, const std::vector<std::string>& names,
                     const std::vector<std::string>& known, std::string_view see) {
  std::vector<UnknownName> unknown;
  std::string message;
  for (const auto& name : names) {
    unknown.push_back({name, suggestions(name, known)});
    message += fmt::format("{}{} '{}'{}", message.empty() ? "" : "\n", lead, render::sanitize(name),
                           render::sanitize(did_you_mean(name, known)));
  }
  if (!see.empty()) message.append("\n").append(see);
  throw NotFoundError(message, std::move(unknown));
}

const Modality& find_modality(const KnowledgeBase& kb, std::string_view name) {
  if (const Modality* m = kb.modalities.find(name)) return *m;
  if (const std::string other = elsewhere(kb, name, RefKind::modality); !other.empty()) {
    throw NotFoundError(fmt::format("no modality '{}'; {}", render::sanitize(name), other),
                        {{std::string(name), {}}});
  }
  throw_not_found("no modality", {std::string(name)}, kb.modalities.names(),
                  "See 'knots list' for every modality.");
}

const Modality& find_modality(const KnowledgeBase& kb, const std::vector<std::string>& words) {
  const std::string name = joined(words, " ");
  if (const Modality* m = kb.modalities.find(name)) return *m;
  const auto read = readings(kb.modalities, words, 1);
  if (!read.empty() && read.front().entries.size() > 1) {
    throw UsageError(
        fmt::format("'{}' names {} modalities ({}); show takes one.\nTo see them side by side: "
                    "knots compare {}",
                    render::sanitize(name), read.front().entries.size(),
                    joined(ids_of(read.front().entries), ", "), render::sanitize(name)));
  }
  return find_modality(kb, name);
}

namespace {

/// The names among `words` that name no modality, in order, when the words cannot be read as
/// modalities: each stretch of words that no reading gets past, as one name when it is close to a
/// modality's name ("deep tisue"), else word by word ("nope1 nope2" are two names).
std::vector<std::string> unread_names(const KnowledgeBase& kb, const std::vector<std::string>& words) {
  std::vector<std::string> names;
  const auto known = kb.modalities.names();
  std::vector<std::string> rest = words;
  while (!rest.empty() && readings(kb.modalities, rest, 1).empty()) {
    const auto [begin, end] = unread_words(kb.modalities, rest);
    const std::vector<std::string> stretch(rest.begin() + static_cast<std::ptrdiff_t>(begin),
                                           rest.begin() + static_cast<std::ptrdiff_t>(end));
    if (stretch.size() == 1 || closest(joined(stretch, " "), known)) {
      names.push_back(joined(stretch, " "));
    } else {
      names.insert(names.end(), stretch.begin(), stretch.end());
    }
    rest.erase(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return names;
}

}  // namespace

Reading<Modality> find_modalities(const KnowledgeBase& kb, const std::vector<std::string>& words) {
  const auto read = readings(kb.modalities, words, 3);
  if (read.size() == 1) return read.front();
  if (read.empty()) {
    const auto names = unread_names(kb, words);
    if (names.size() == 1) find_modality(kb, names.front());  // says where it is, if it is elsewhere
    std::vector<std::string> unknown;
    for (const auto& name : names) {
      if (!kb.modalities.find(name)) unknown.push_back(name);
    }
    if (!unknown.empty())
      throw_not_found("no modality", unknown, kb.modalities.names(), "See 'knots list' for every modality.");
    // The words on their own name a modality, but not where they stand: say what is left over.
    throw NotFoundError(fmt::format("no modality '{}'", render::sanitize(joined(words, " "))) +
                            "\nSee 'knots list' for every modality.",
                        {{joined(words, " "), {}}});
  }
  std::string ways;
  for (const auto& r : read) ways.append("\n").append(reading_line(r));
  throw UsageError(
      fmt::format("'{}' can be read in more than one way:{}\nPut quotes around each name of several "
                  "words, as above, to say which you mean.",
                  render::sanitize(joined(words, " ")), ways));
}

std::optional<Pressure> pressure_option(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  if (auto level = enum_from<Pressure>(ascii_lower(*value))) return level;
  if (auto level = pressure_from_words(*value)) {
    print_message(
        fmt::format("knots: reading '{}' as {} pressure", render::sanitize(*value), name_of(*level)));
    return level;
  }
  throw UsageError(fmt::format("--pressure: '{}' is not a pressure level", render::sanitize(*value)));
}

template <class T>
std::vector<std::string> resolve_ids(const Catalog<T>& catalog, const std::vector<std::string>& names,
                                     std::string_view flag, std::string_view what) {
  std::vector<std::string> ids;
  std::vector<std::string> unknown;
  for (const auto& name : names) {
    if (const T* item = catalog.find(name)) {
      // A value given twice (or by two of its names) counts once.
      if (std::find(ids.begin(), ids.end(), item->id) == ids.end()) ids.push_back(item->id);
    } else {
      unknown.push_back(name);
    }
  }
  if (unknown.empty()) return ids;
  std::vector<std::string> valid;
  for (const auto& item : catalog.all()) valid.push_back(item.id);
  throw_not_found(fmt::format("{}: unknown {}", flag, what), unknown, catalog.names(),
                  valid.empty() ? "The knowledge base in use has none."
                                : render::sanitize(fmt::format("Valid values: {}", fmt::join(valid, ", "))));
}

template std::vector<std::string> resolve_ids(const Catalog<Technique>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);
template std::vector<std::string> resolve_ids(const Catalog<Goal>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);
template std::vector<std::string> resolve_ids(const Catalog<Condition>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);
template std::vector<std::string> resolve_ids(const Catalog<RedFlag>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);
template std::vector<std::string> resolve_ids(const Catalog<KnotArea>&, const std::vector<std::string>&,
                                              std::string_view, std::string_view);

}  // namespace knots::cli
