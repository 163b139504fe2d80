// The command line: parse arguments, run one subcommand, map every error to an exit code.
#pragma once

namespace knots::cli {

/// Exit codes, as the manual documents them (man/knots.1, EXIT STATUS).
enum Exit : int { kOk = 0, kFailure = 1, kUsage = 2, kNotFound = 3, kInvalidKb = 4 };

int main(int argc, char** argv);

}  // namespace knots::cli
