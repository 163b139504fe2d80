#!/usr/bin/env bash
# The cache is only an optimisation: every golden case gives the same output with the cache off,
# cold (emptied before each case), warm (each case run twice, the second compared), and corrupted
# between runs (each cache file damaged in a different way before the case runs again).
# Usage: tests/golden_cache.sh KNOTS SOURCE_DIR [SAMPLE]
# With SAMPLE N > 1 (the sanitizer build, where each run is slow), each mode runs every Nth case,
# each mode a different share, so that every case still runs in one of the modes.
set -u
knots=$(realpath "$1")
src=$(realpath "$2")
sample=${3:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
all=("$src"/tests/golden/*.txt)

# The cases of mode number $1 (0-3): all of them, or with a sample, every Nth from its own offset.
pick() {
  cases=()
  local i
  for i in "${!all[@]}"; do
    if [ "$sample" -le 1 ] || [ $(( i % sample )) -eq $(( $1 % sample )) ]; then cases+=("${all[$i]}"); fi
  done
}

run() {  # run CASE CACHE [extra -D…]: one golden case; prints FAIL and the diff when it differs
  local case=$1 cache=$2
  shift 2
  if ! out=$(cd "$dir" && cmake -DKNOTS="$knots" -DCASE="$case" -DWORKDIR="$src/tests/fixtures" -DCACHE="$cache" "$@" \
      -P "$src/tests/golden/run_golden.cmake" 2>&1); then
    echo "FAIL: $(basename "$case") ($mode)"
    echo "$out" | head -20
    fail=1
  fi
}

# Damage every model file in a cache folder, the way chosen by $1 (0-6).
damage() {
  local way=$1 f
  for f in "$2"/model-*.bin; do
    [ -e "$f" ] || continue
    case $way in
      0) truncate -s $(( $(stat -c %s "$f") / 2 )) "$f" ;;                      # cut in half
      1) printf '\377' | dd of="$f" bs=1 seek=$(( $(stat -c %s "$f") / 2 )) conv=notrunc status=none ;;  # one byte flipped
      2) head -c 4096 /dev/urandom > "$f" ;;                                     # garbage
      3) : > "$f" ;;                                                             # empty
      4) rm -f "$f"; ln -s /dev/zero "$f" ;;                                     # a symlink to a device
      5) chmod 666 "$f" ;;                                                       # writable by others
      6) head -c 32 /dev/urandom > "$2/key"; chmod 600 "$2/key" ;;               # another key
    esac
  done
}

mode=off
pick 0
for c in "${cases[@]}"; do
  case $(basename "$c") in paths*) continue ;; esac  # these say whether the cache is on, by design
  run "$c" "$dir/off" -DNO_CACHE=1
done
[ -e "$dir/off" ] && { echo "FAIL: KNOTS_NO_CACHE wrote a cache"; fail=1; }

mode=cold
pick 1
for c in "${cases[@]}"; do rm -rf "$dir/cold"; run "$c" "$dir/cold"; done

mode=warm
pick 2
for c in "${cases[@]}"; do run "$c" "$dir/warm"; run "$c" "$dir/warm"; done
models=$(ls "$dir/warm/knots" 2>/dev/null | grep -c '^model-')
echo "warm: $models cache files in use"
[ "$models" -gt 0 ] || { echo "FAIL: the warm runs cached nothing"; fail=1; }

mode=corrupted
pick 3
i=0
for c in "${cases[@]}"; do
  run "$c" "$dir/corrupt"
  damage $(( i % 7 )) "$dir/corrupt/knots"
  run "$c" "$dir/corrupt"
  i=$(( i + 1 ))
done

[ $fail -eq 0 ] && echo "ok: ${#all[@]} golden cases (1 in $sample per mode) alike with the cache off, cold, warm and corrupted"
exit $fail
