// knots new ID: a commented template entry in the user's folder, written atomically, never over a file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>

#include "cli/commands.hpp"

namespace knots::cli {
namespace {

constexpr const char* kTemplate = R"(# {name}: a clinic's own entry. Edit every field, then check it with: knots validate {path}
# The format is described in knots(5); `knots techniques` and `knots conditions` list the ids.
id: {id}
name: {name}
aliases: []                      # other names people use
summary: One line on what it is and how it feels.
description: >
  What happens in a session, in your own words: where the person lies, what the therapist
  does, how long it takes.
pressure:                        # light < medium < firm < deep
  min: light
  max: medium
techniques: [effleurage, petrissage]
tools: [hands]                   # what the therapist works with
setting:
  surface: [table]               # table, mat, chair
  clothing: undressed            # undressed, clothed, either
  oil: used                      # used, none, optional
  heat: none                     # used, none, optional
targets: [superficial-muscle]    # superficial-muscle, deep-muscle, connective-tissue, trigger-points,
                                 # fascia, energy-lines, pressure-points, reflex-points, joints
back: direct                     # direct, or indirect (through the feet, say)
helps_knots: >
  How it may help knots, honestly: what the evidence does and does not show.
goals:                           # relaxation, pain-relief, mobility, athletic-recovery, prevention, stress
  relaxation: some               # strong or some
origin: Where and when it comes from.
related: []                      # - {{id: swedish, relation: similar}}  (combines, complements, similar)
cautions: []                     # - condition: oil-allergy
                                 #   level: adapt                (avoid or adapt)
                                 #   note: Ask for an unscented oil.
                                 #   sources: [S8b]
evidence:
  grade: anecdotal               # some, limited, mixed, anecdotal, not-supported
  note: What the evidence says, and where from.
  sources: [seed]                # ids from sources.yaml; add your own sources there
sources: [seed]
)";

}  // namespace

int run_new(Context& ctx, const NewOptions& options) {
  if (!is_valid_id(options.id) || options.id.size() > 64) {
    throw UsageError(fmt::format("'{}' is not a valid id: use lowercase letters, digits and hyphens, like 'clinic-deep'",
                                 render::sanitize(options.id)));
  }
  const auto& folders = ctx.options().kb_folders;
  const std::filesystem::path folder = folders.empty() ? user_folder() : folders.front();
  const std::filesystem::path dir = folder / "modalities";
  const std::filesystem::path path = dir / (options.id + ".yaml");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));

  std::string name = options.id;
  std::replace(name.begin(), name.end(), '-', ' ');
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  const std::string text = fmt::format(fmt::runtime(kTemplate), fmt::arg("id", options.id), fmt::arg("name", name),
                                       fmt::arg("path", path.string()));

  // Write a temporary file, then link it into place: link() fails if the name exists, so an
  // existing file is never replaced, and a reader never sees a half-written one.
  std::string temp = (dir / ("." + options.id + ".yaml.XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw std::runtime_error(fmt::format("cannot write in {}: {}", dir.string(), std::strerror(errno)));
  // mkstemp makes the file private; a knowledge-base entry is as readable as any file the user makes.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  const bool written = ::fchmod(fd, 0666 & ~mask) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  const int linked = written ? ::link(temp.c_str(), path.c_str()) : -1;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (!written) throw std::runtime_error(fmt::format("cannot write {}", temp));
  if (linked != 0) {
    if (link_errno == EEXIST) {
      throw UsageError(fmt::format("{} already exists; edit it, or choose another id", render::sanitize(path.string())));
    }
    throw std::runtime_error(fmt::format("cannot create {}: {}", path.string(), std::strerror(link_errno)));
  }
  Context::print(path.string() + "\n");
  std::string note = fmt::format("knots: wrote a template; edit it, then run: knots validate {}\n", path.string());
  if (folders.empty()) note += "knots: this folder is read automatically; see 'knots paths'\n";
  std::fputs(render::sanitize(note, true).c_str(), stderr);
  return 0;
}

}  // namespace knots::cli
