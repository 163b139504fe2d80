// knots new ID: a commented template entry in the user's folder, written atomically, never over a file.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <vector>

#include "cli/commands.hpp"
#include "render/json.hpp"
#include "render/yaml.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

namespace knots::cli {
namespace {

/// What the flags and arguments of `knots new` set.
struct NewOptions {
  std::string id;
  bool replace = false;  ///< start from a copy of the existing entry with that id, which it replaces
};

/// The first lines of a new entry's file.
constexpr const char* kHeader =
    R"(# {name}: a clinic's own entry. Replace every TODO with your own words or values (the comment
# beside a key lists what it allows), then check it with: knots validate {path}
# Until then, knots refuses to load this folder, so that an unfinished entry never reaches anyone.
# The format is described in knots(5); `knots techniques` and `knots conditions` list the ids.
)";

/// Comments for keys whose allowed values alone do not say enough.
const render::KeyNotes& key_notes() {
  static const render::KeyNotes notes = {
      {"aliases", "other names people use"},
      {"pressure", "light < medium < firm < deep"},
      {"core_techniques", "those without which it is no longer this style"},
      {"tools", "what the therapist works with"},
      {"back", "direct, or indirect (through the feet, say)"},
      {"evidence/sources", "ids from sources.yaml; add your own sources there"},
  };
  return notes;
}

/// A new modality: its id and name, and a placeholder sentence in each text, saying what to write.
/// The template shows the placeholder for every other value it must have (modality_template).
Modality sample_modality(const std::string& id, const std::string& name) {
  auto todo = [](std::string_view what) { return fmt::format("{}: {}", kPlaceholder, what); };
  Modality m;
  m.id = id;
  m.name = name;
  m.summary = todo("one line on what it is and how it feels.");
  m.description = todo(
      "what happens in a session, in your own words: where the person lies, what the therapist does, how "
      "long it takes.");
  m.helps_knots = todo("how it may help knots, honestly: what the evidence does and does not show.");
  m.origin = todo("where and when it comes from.");
  m.evidence.note = todo("what the evidence says, and where from.");
  return m;
}

/// Refuses an id that the loader would refuse (or that makes an unwieldy file name).
void check_id(const std::string& id) {
  if (!is_valid_id(id) || id.size() > 64) {
    throw UsageError(
        fmt::format("'{}' is not a valid id: use lowercase letters, digits and hyphens, like 'clinic-deep'",
                    render::sanitize(id)));
  }
}

/// A folder for the new entry, and how the user chose it (for the message that says where it went).
struct Target {
  std::filesystem::path folder;
  std::string chosen;
};

/// Where the new entry goes: the first --kb folder, else the first KNOTS_PATH folder, else the
/// user's folder (or a usage error when there is none).
Target target_folder(const Context& ctx, const std::string& id) {
  const auto& folders = ctx.options().kb_folders;
  if (!folders.empty()) return {folders.front(), "the --kb folder"};
  if (const auto path = knots_path_folders(); !path.empty())
    return {path.front(), "the first KNOTS_PATH folder"};
  const Place user = user_folder();
  if (user.path.empty()) {
    throw UsageError(fmt::format(
        "there is no user folder to write to ({}); name one: knots --kb FOLDER new {}", user.why, id));
  }
  return {user.path, "your user folder, which knots reads automatically"};
}

/// A name already in use would hide that entry, and its cautions, behind a placeholder: refuses,
/// unless the user asks to replace it, and then returns a copy of the entry itself to start from
/// ("" for a new id). A folder that is not there yet holds nothing, so the knowledge base is read
/// without it.
std::string copy_of_existing(const Context& ctx, const NewOptions& options,
                             const std::filesystem::path& path) {
  load::LoadOptions existing_only = ctx.load_options();
  std::erase_if(existing_only.folders, [](const std::string& f) {
    std::error_code ec;
    return !std::filesystem::exists(f, ec);
  });
  // Whatever else is wrong in those folders (another entry still being written, say), the entries
  // that could be read are the ones a new file would replace.
  const load::LoadResult loaded = load::load(existing_only);
  const Modality* existing = loaded.kb.modalities.find(options.id);
  if (!existing) {
    if (options.replace)
      throw UsageError(fmt::format("--replace: there is no modality '{}' to replace", options.id));
    return {};
  }
  if (existing->file == path.string()) {
    throw UsageError(
        fmt::format("{} already exists; edit it, or choose another id", render::sanitize(path.string())));
  }
  if (existing->id != options.id) {
    throw UsageError(fmt::format("'{}' already names modality '{}'; choose another id, like 'clinic-{}'",
                                 options.id, existing->id, options.id));
  }
  if (!options.replace) {
    throw UsageError(fmt::format(
        "modality '{}' exists ({}); a new entry with that id would replace it, cautions included.\n"
        "Choose another id, like 'clinic-{}', or start from a copy of it: knots new --replace {}",
        options.id, render::sanitize(existing->file), options.id, options.id));
  }
  const auto bytes = load::entry_file_bytes(existing->file);
  if (!bytes) throw std::runtime_error(fmt::format("cannot read {}", render::sanitize(existing->file)));
  return fmt::format(
             "# A copy of {}: while this file is here, it replaces that entry. Check it with: knots "
             "validate\n",
             render::sanitize(existing->file)) +
         *bytes;
}

/// The commented template for a new id, its name made from the id ("clinic-deep": "Clinic deep").
std::string template_for(const std::string& id, const std::filesystem::path& path) {
  std::string name = id;
  std::replace(name.begin(), name.end(), '-', ' ');
  name[0] = ascii_upper(name[0]);
  return fmt::format(fmt::runtime(kHeader), fmt::arg("name", name), fmt::arg("path", path.string())) +
         render::modality_template(sample_modality(id, name), key_notes());
}

/// Writes the file, never over an existing one (link, not rename), and flushed: the user keeps it.
void write_new(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    throw std::runtime_error(fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));
  if (const int error = write_file_atomic(path.string(), text, {.replace = false, .sync = true});
      error != 0) {
    if (error == EEXIST) {
      throw UsageError(
          fmt::format("{} already exists; edit it, or choose another id", render::sanitize(path.string())));
    }
    throw std::runtime_error(fmt::format("cannot create {}: {}", path.string(), std::strerror(error)));
  }
}

int run_new(Context& ctx, const NewOptions& options) {
  check_id(options.id);
  const Target target = target_folder(ctx, options.id);
  const std::filesystem::path path = target.folder / "modalities" / (options.id + ".yaml");
  std::string text = copy_of_existing(ctx, options, path);
  if (text.empty()) text = template_for(options.id, path);
  write_new(path, text);
  // The path on stdout is the command's answer; when it cannot be written, the file goes too, so
  // that a failed run leaves nothing behind and the retry does not find it "already exists".
  try {
    ctx.print(ctx.json() ? render::new_json(options.id, path.string(), ctx.json_style())
                         : path.string() + "\n");
  } catch (...) {
    ::unlink(path.c_str());
    throw;
  }
  const std::string note =
      options.replace ? fmt::format("knots: wrote a copy in {} ({}); edit it, then run: knots validate {}\n",
                                    target.chosen, target.folder.string(), path.string())
                      : fmt::format(
                            "knots: wrote a template in {} ({}); replace every {} in it, then run: knots "
                            "validate {}\nknots: until then, knots refuses to load that folder\n",
                            target.chosen, target.folder.string(), kPlaceholder, path.string());
  print_message(render::sanitize(note, true));
  return 0;
}

/// `knots new` in the table: its flags bound to NewOptions, then run_new.
class NewCommand final : public Command {
 public:
  NewCommand()
      : Command("new", "Write a commented template entry to start your own modality",
                "Writes modalities/ID.yaml in the first --kb folder, else in the first KNOTS_PATH folder,\n"
                "else in $XDG_DATA_HOME/knots/kb (~/.local/share/knots/kb), which knots reads\n"
                "automatically. Every value to write is TODO: knots refuses the file until none is left.\n"
                "Never overwrites a file, and never takes an id or name already in use unless --replace\n"
                "is given.\n"
                "Example:\n  knots new clinic-deep\n  knots --kb ~/clinic-kb new clinic-deep\n  knots new "
                "--replace "
                "swedish") {}

  void define(Flags& flags) override {
    flags.option("id", options_.id, "The new modality's id (lowercase, hyphens)").required().type_name("ID");
    flags.flag("--replace", options_.replace,
               "Start from a copy of the modality with this id, to replace it (cautions included)");
  }

  int run(Context& ctx) override {
    ctx.refuse_ids(name());
    return run_new(ctx, options_);
  }

 private:
  NewOptions options_;
};

}  // namespace

std::unique_ptr<Command> new_command() {
  return std::make_unique<NewCommand>();
}

}  // namespace knots::cli
