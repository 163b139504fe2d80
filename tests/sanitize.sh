#!/usr/bin/env bash
# Builds knots and every test with AddressSanitizer and UndefinedBehaviorSanitizer (g++, Debug) in
# build-asan, and runs the suite (all but two layout tests, below): any leak, overflow or undefined
# behaviour fails it.
# Usage: tests/sanitize.sh   (SANITIZE_BUILD_DIR overrides the folder)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SANITIZE_BUILD_DIR:-$root/build-asan}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DKNOTS_SANITIZE=ON
cmake --build "$build" -j"$jobs"
# Left out here: the two tests that drive real shells and widths to check what a person sees
# (completion in bash, zsh and fish; wrapping at three widths). They check layout, not memory, take
# minutes each under the sanitizers, and the release suite runs them; the code they reach runs here
# through the golden cases (completion values, narrow widths) and the unit tests.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$build" --output-on-failure -j"$jobs" -E '^cli\.(completion_tab|wrap)$'
