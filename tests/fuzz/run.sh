#!/usr/bin/env bash
# Fuzzes the loader: builds load_fuzz with clang-14 (libFuzzer + ASan + UBSan) in build-fuzz, runs
# it for a bounded time from a seed corpus (kb/ and tests/fixtures/bad/), then replays every input
# once. Fails on any crash, leak, undefined behaviour, timeout (5 s) or memory blow-up (2 GB).
# Needs: apt-get install -y clang-14 libclang-rt-14-dev
# Usage: tests/fuzz/run.sh   (FUZZ_SECONDS=60 by default; FUZZ_BUILD_DIR overrides build-fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKNOTS_FUZZ=ON -DBUILD_TESTING=OFF
cmake --build "$build" --target load_fuzz -j"$jobs"

# The seeds: every shipped file and every bad fixture, each behind the byte that makes load_fuzz
# read it under its own kind of name (see kNames in load_fuzz.cpp).
seeds=$build/fuzz-seeds
corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$artifacts"
selector() {
  case $(basename "$1") in
    techniques.yaml) echo 1 ;;
    conditions.yaml) echo 2 ;;
    goals.yaml) echo 3 ;;
    self-care.yaml) echo 4 ;;
    red-flags.yaml) echo 5 ;;
    sources.yaml) echo 6 ;;
    *) echo 0 ;;
  esac
}
for file in "$root"/kb/*.yaml "$root"/kb/modalities/*.yaml "$root"/tests/fixtures/bad/*.yaml; do
  seed="$seeds/$(basename "$(dirname "$file")")-$(basename "$file")"
  { printf "\\$(printf '%03o' "$(selector "$file")")"; cat "$file"; } >"$seed"
done
echo "seeds: $(find "$seeds" -type f | wc -l) files"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
limits=(-max_len=65536 -timeout=5 -rss_limit_mb=2048 -artifact_prefix="$artifacts/")

# New inputs go to the first folder, which is kept between runs.
"$build/load_fuzz" "$corpus" "$seeds" -dict="$root/tests/fuzz/yaml.dict" -max_total_time="$seconds" \
  -print_final_stats=1 "${limits[@]}"

# Replay: each input once, without mutation, so a regression in a known input fails here too.
"$build/load_fuzz" -runs=0 "${limits[@]}" "$seeds" "$corpus"
echo "fuzz: ok ($seconds s, corpus $(find "$corpus" -type f | wc -l) files)"
