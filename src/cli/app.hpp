// The command line: parse arguments, run one subcommand, map every error to an exit code.
#pragma once

namespace knots::cli {

/// Exit codes, as the manual documents them (man/knots.1, EXIT STATUS).
enum Exit : int { kOk = 0, kFailure = 1, kUsage = 2, kNotFound = 3, kInvalidKb = 4 };

/// The reader of stdout went away (with SIGPIPE ignored, so that knots saw EPIPE): ends quietly
/// with what a shell reports for a process that SIGPIPE ended, 128 + 13.
inline constexpr int kBrokenPipe = 141;

int main(int argc, char** argv);

}  // namespace knots::cli
