#!/usr/bin/env bash
# Builds knots and every test with AddressSanitizer and UndefinedBehaviorSanitizer (g++, Debug) in
# build-asan, and runs the suite (all but the tests listed below): any leak, overflow or undefined
# behaviour fails it.
# Usage: tests/sanitize.sh   (SANITIZE_BUILD_DIR overrides the folder)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SANITIZE_BUILD_DIR:-$root/build-asan}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DKNOTS_SANITIZE=ON
cmake --build "$build" -j"$jobs"
# Left out here, as they check no code that runs only under them:
# - the two tests that drive real shells and widths to check what a person sees (completion in
#   bash, zsh and fish; wrapping at three widths). They check layout, not memory, and take minutes
#   each under the sanitizers; the code they reach runs here through the golden cases (completion
#   values, narrow widths) and the unit tests;
# - the packaging tests (package.*: cpack, dpkg and lintian on files the build made), the search
#   relevance sets (ranking quality: the search goldens and unit tests run the same code here),
#   the source style checks (style.*) and the manual pages (mandoc). They took 180 of the suite's
#   1,075 test seconds here (run two at a time), and the release suite runs them all.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$build" --output-on-failure -j"$jobs" \
  -E '^(cli\.(completion_tab|wrap)|package\..*|search\.relevance.*|style\..*|man\.pages)$'
