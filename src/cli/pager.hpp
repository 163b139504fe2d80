// Output to stdout, and the pager that long output on a terminal goes through, as git does:
// $PAGER, else less -FRX.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace knots::cli {

/// The reader of stdout has gone (EPIPE: `knots list | head -1` with SIGPIPE ignored): not an
/// error to report, as the reader wanted no more. knots ends quietly with kBrokenPipe (app.hpp).
struct BrokenPipe : std::runtime_error {
  BrokenPipe() : std::runtime_error("the reader of the output has gone") {}
};

/// Writes the whole of `text` to stdout at once; BrokenPipe when the reader has gone, else
/// std::runtime_error when it cannot (a full disk).
void write_stdout(std::string_view text);

/// True when stdout is a terminal of known height and `text` needs more of its rows than it has
/// less one (the shell's prompt comes after it), counting long lines as the rows they wrap to and
/// colour escapes as nothing.
bool longer_than_screen(std::string_view text);

/// The pager to run: `shell`, a command for /bin/sh (from $PAGER), or less -FRX when it is empty.
struct PagerCommand {
  std::string shell;
};

/// The pager the environment asks for: $PAGER when it is set, none when it is empty (or blank) or
/// "cat", less -FRX when PAGER is unset.
std::optional<PagerCommand> pager_command();

/// Writes `text` into the pager's standard input (its output and errors go to the terminal) and
/// waits for it. Quitting it before the end is no error. False when it could not be started, and
/// then nothing was shown: the caller prints the text itself.
bool page(std::string_view text, const PagerCommand& pager);

}  // namespace knots::cli
