// What every subcommand shares: global options, the knowledge base (loaded once), output style,
// and the errors that the boundary in app.cpp turns into exit codes.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "load/cache.hpp"
#include "load/loader.hpp"
#include "model/knowledge_base.hpp"
#include "render/json.hpp"
#include "render/term.hpp"
#include "util/diagnostic.hpp"

namespace knots::cli {

/// A usage error: unknown subcommand or flag, a value outside a fixed list, a malformed value
/// (exit 2). `unknown`: the words that were not understood, with the nearest valid ones.
struct UsageError : std::runtime_error {
  explicit UsageError(const std::string& message, std::vector<UnknownName> names = {})
      : std::runtime_error(message), unknown(std::move(names)) {}
  std::vector<UnknownName> unknown;
};

/// A name that should be an entry of the knowledge base (a modality, technique, goal, condition,
/// area, source, topic, tip), as an argument or a flag's value, that is none (exit 3). `unknown`:
/// every such name of the command line, with the nearest names.
struct NotFoundError : std::runtime_error {
  explicit NotFoundError(const std::string& message, std::vector<UnknownName> names = {})
      : std::runtime_error(message), unknown(std::move(names)) {}
  std::vector<UnknownName> unknown;
};

/// Gathers what several lookups of one command line did not find (`--goal x --area y`), so that
/// one NotFoundError names every unknown name, not only the first: each lookup runs through it,
/// and check() throws for all of them.
class Missing {
 public:
  /// `lookup()`, or, when it throws NotFoundError, that error kept and a value-initialised result.
  template <class F>
  auto operator()(F&& lookup) -> decltype(lookup()) {
    try {
      return lookup();
    } catch (const NotFoundError& e) {
      add(e);
      if constexpr (!std::is_void_v<decltype(lookup())>) return {};
    }
  }
  /// Throws one NotFoundError with the messages and names of every lookup that failed, if any.
  void check() const {
    if (!unknown_.empty() || !message_.empty()) throw NotFoundError(message_, unknown_);
  }

 private:
  void add(const NotFoundError& e) {
    message_.append(message_.empty() ? "" : "\n").append(e.what());
    unknown_.insert(unknown_.end(), e.unknown.begin(), e.unknown.end());
  }

  std::string message_;
  std::vector<UnknownName> unknown_;
};

/// The knowledge base could not be read (exit 1) or is invalid (exit 4).
struct KnowledgeBaseError : std::runtime_error {
  explicit KnowledgeBaseError(std::vector<Diagnostic> d)
      : std::runtime_error("invalid knowledge base"), diagnostics(std::move(d)) {}
  std::vector<Diagnostic> diagnostics;
};

struct GlobalOptions {
  std::vector<std::string> kb_folders;
  bool no_default_kb = false;
  std::string color = "auto";
  bool no_pager = false;
  bool json = false;  ///< --json: documents (and errors) as JSON
  bool ids = false;   ///< --ids: only the ids of the entries, one per line
};

/// Whether output may go through the pager: never for what follows an interview on the terminal
/// (recommend --ask), whose prompts and answers must stay in view.
enum class Paging { allowed, never };

class Context {
 public:
  /// `json`: how every JSON document of this run is laid out (app.cpp: pretty when stdout is a
  /// terminal).
  Context(GlobalOptions options, render::JsonStyle json) : options_(std::move(options)), json_(json) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  /// The model is left for the operating system to reclaim: freeing ten thousand modalities one
  /// string at a time only delays the exit (ninja does the same). Under AddressSanitizer it is
  /// freed, so that its leak check stays meaningful.
  ~Context() {
#if !defined(KNOTS_FREE_AT_EXIT)
    (void)loaded_.release();
#endif
  }

  /// The knowledge base: embedded default, KNOTS_PATH folders, then --kb folders. Loaded on first
  /// use; throws KnowledgeBaseError when it has problems.
  const KnowledgeBase& kb();
  /// What to load: the built-in knowledge base (unless --no-default-kb), the user folder when it
  /// exists, the KNOTS_PATH folders, then the --kb folders.
  [[nodiscard]] load::LoadOptions load_options() const;
  /// KNOTS_PATH entries that are not absolute paths, which are left out (and said so once).
  [[nodiscard]] static std::vector<std::string> ignored_path_entries();
  /// The load result whatever its problems (loaded on first use, as kb() does, without throwing):
  /// for `knots paths`, which shows the state of every folder.
  const load::LoadResult& load_result();
  /// The cache file when it is current, for a command that reads a few entries of a large
  /// knowledge base (search decodes only those it shows), or the compiled-in model when only the
  /// shipped knowledge base is read; nullptr when the knowledge base is already loaded or there is
  /// no current cache file (kb() then loads it, and writes one).
  const load::CachedModel* cached();
  /// For pages about a few modalities (`show`, `compare`): the knowledge base with every entry but
  /// the modalities, and of those only the ones `names` find (by id, name or alias, as
  /// Catalog::find takes them), decoded from the cache file without the others. nullptr when there
  /// is no current cache file, no name is one of those keys, or the file is damaged: kb() then
  /// gives the same pages, or says what is wrong.
  const KnowledgeBase* kb_with_modalities(const std::vector<std::string>& names);
  /// For the page of one technique (`techniques NAME`): the knowledge base with every entry but the
  /// modalities, and of those only the ones that list the technique `name` finds; nullptr as for
  /// kb_with_modalities().
  const KnowledgeBase* kb_with_technique_users(std::string_view name);
  /// The whole load result (layers, files), after kb() has succeeded.
  [[nodiscard]] const load::LoadResult& loaded();
  [[nodiscard]] const GlobalOptions& options() const {
    return options_;
  }

  /// --json: the command writes its JSON document.
  [[nodiscard]] bool json() const {
    return options_.json;
  }
  /// --ids: the command writes the ids of what it lists or shows, one per line (print_ids).
  [[nodiscard]] bool ids() const {
    return options_.ids;
  }
  /// For a command that lists or shows no entries: a UsageError when --ids was given.
  void refuse_ids(std::string_view command) const;
  /// `ids`, one per line, each made safe for a terminal.
  void print_ids(const std::vector<std::string>& ids) const;

  /// Colour and width; `tabular` (listings one line per entry, fields separated by tabs) when
  /// stdout is not a terminal, COLUMNS is not set and colour is not forced (--color always).
  [[nodiscard]] render::Style style() const;
  /// How JSON output is laid out, as decided once for the run.
  [[nodiscard]] render::JsonStyle json_style() const {
    return json_;
  }

  /// Writes the whole of `text` to stdout at once: through the pager (pager.hpp) when stdout is a
  /// terminal that it does not fit, unless --no-pager was given or `paging` is never.
  void print(std::string_view text, Paging paging = Paging::allowed) const;
  /// Output made a piece at a time: `make` hands each piece to the writer it is given. Through
  /// print() when the pager might show it (stdout a terminal); otherwise each piece is written as it
  /// comes, so that a large listing for a script never sits in memory whole.
  void print_pieces(const std::function<void(const std::function<void(std::string_view)>&)>& make) const;

 private:
  /// Says once which KNOTS_PATH entries are left out.
  void note_path_entries();
  /// Whether only the shipped knowledge base is read, whose model is compiled in (embedded_model()).
  [[nodiscard]] bool shipped_only() const;

  GlobalOptions options_;
  render::JsonStyle json_;
  std::unique_ptr<load::LoadResult> loaded_;
  std::optional<load::CachedModel> cached_;
  std::optional<KnowledgeBase> partial_;  ///< kb_with_modalities()'s
  bool tried_cache_ = false;
  bool noted_ = false;
};

/// A folder knots keeps for the user, or none and why.
struct Place {
  std::string path;  ///< absolute; empty when there is none
  std::string why;   ///< when there is none: the reason, for `knots paths` and error messages
};

/// The user's own knowledge-base folder: $XDG_DATA_HOME/knots/kb when XDG_DATA_HOME is absolute,
/// else <home>/.local/share/knots/kb, else none. <home> is $HOME when it is an absolute path, else
/// the password database's entry for the user: never relative, which would trust the current folder.
Place user_folder();

/// The KNOTS_PATH folders that are read, in order: its absolute entries.
std::vector<std::string> knots_path_folders();

/// Where the parsed model is cached: $XDG_CACHE_HOME/knots when absolute, else <home>/.cache/knots,
/// else none; none when KNOTS_NO_CACHE is set.
Place cache_folder();

/// The width to wrap text for the stream `fd` (STDOUT_FILENO, STDERR_FILENO) to: COLUMNS when it
/// holds a number from 20 to 1000, else the terminal's width when `fd` is a terminal, else 80.
std::size_t terminal_width(int fd);

/// Writes a message for the person (an error, a note) to stderr, wrapped to its width with the
/// lines it wraps onto indented by two; held back after hold_messages().
void print_message(std::string_view text);

/// With --json, a failure leaves one JSON object on stderr and nothing else, so that a script can
/// read stderr as one document: the notes printed before it ("reading 'hard' as firm pressure", a
/// KNOTS_PATH entry left out) are held back from now on, then dropped by drop_held_messages() when
/// the failure is reported, or written by release_messages() when the run ends otherwise.
void hold_messages();
void drop_held_messages();
void release_messages();

/// The ids of `entries`, in order: what --ids prints.
template <class T>
std::vector<std::string> ids_of(const std::vector<const T*>& entries) {
  std::vector<std::string> ids;
  ids.reserve(entries.size());
  for (const T* e : entries) ids.push_back(e->id);
  return ids;
}

/// NotFoundError for `names` that name nothing: `lead` and the name ("no technique 'x'"), and the
/// nearest of `known` ("; did you mean 'y'?"), a line for each, then `see` ("See 'knots
/// techniques' for every technique.") on a line of its own.
[[noreturn]] void throw_not_found(std::string_view lead, const std::vector<std::string>& names,
                                  const std::vector<std::string>& known, std::string_view see);

/// Where to look when `name` is not an entry of the kind `asked` but of another kind ("S1" is a
/// source: "it is a source.\nSee it with: knots sources S1"), or "".
std::string elsewhere(const KnowledgeBase& kb, std::string_view name, RefKind asked);

/// NotFoundError for a `name` that is no `noun` ("no goal 'x'"): pointing to the command that
/// shows it when it names an entry of another kind (elsewhere()), else with the nearest of `known`
/// and `see`, as throw_not_found().
[[noreturn]] void throw_no_entry(const KnowledgeBase& kb, const std::string& name, RefKind kind,
                                 std::string_view noun, const std::vector<std::string>& known,
                                 std::string_view see);

/// The entry of `catalog` (of the kind `kind`) that `name` names by id, name or alias; else
/// NotFoundError (throw_no_entry).
template <class T>
const T& find_entry(const KnowledgeBase& kb, const Catalog<T>& catalog, const std::string& name, RefKind kind,
                    std::string_view noun, std::string_view see) {
  if (const T* found = catalog.find(name)) return *found;
  throw_no_entry(kb, name, kind, noun, catalog.names(), see);
}

/// A modality by id, name or alias, or NotFoundError with a suggestion.
const Modality& find_modality(const KnowledgeBase& kb, std::string_view name);

/// One modality named by `words`, typed with or without quotes ("deep tissue"); NotFoundError with
/// a suggestion, or a UsageError when the words name several (pointing to `knots compare`).
const Modality& find_modality(const KnowledgeBase& kb, const std::vector<std::string>& words);

/// The modalities that `words` name one after the other ("hot stone thai": hot-stone, thai), read
/// with the longest names first, with the words that name each; NotFoundError for words that name
/// none, UsageError naming the readings when they can be read in more than one way.
Reading<Modality> find_modalities(const KnowledgeBase& kb, const std::vector<std::string>& words);

/// The --pressure value as a level (nothing when not given): a level's name, or an everyday word
/// for one (pressure_from_words), in which case what it was read as is said on stderr. The parser
/// has checked it; a value that still does not parse is a usage error, never a different question.
std::optional<Pressure> pressure_option(const std::optional<std::string>& value);

/// --condition values (recommend's, self-care's) into the request's conditions; a warning sign
/// typed as a condition ("numbness") goes to its symptoms, to be screened, never dropped; any other
/// word is a UsageError with a suggestion. Defined in cmd_recommend.cpp.
void resolve_conditions(const KnowledgeBase& kb, const std::vector<std::string>& names,
                        RecommendRequest& request);

/// Resolves names (ids, names or aliases) of a vocabulary to ids, or UsageError naming the flag
/// and the valid values.
template <class T>
std::vector<std::string> resolve_ids(const Catalog<T>& catalog, const std::vector<std::string>& names,
                                     std::string_view flag, std::string_view what);

}  // namespace knots::cli
