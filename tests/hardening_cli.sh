#!/usr/bin/env bash
# knots validate on files that cannot be committed: a FIFO, a symlink to /dev/zero, a folder named
# x.yaml, a file over the size cap, a file name holding an escape sequence. Never hangs (timeout).
# Usage: hardening_cli.sh path/to/knots
set -uo pipefail
knots=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect CODE PATTERN ARGS…: runs knots with ARGS and checks the exit code and that stdout matches.
expect() {
  local code=$1 pattern=$2
  shift 2
  local out rc
  out=$(timeout 10 "$knots" --no-default-kb validate "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$code" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL: knots --no-default-kb validate $* (exit $rc, expected $code, output must match: $pattern)" | cat -v
    echo "$out" | cat -v
    failures=$((failures + 1))
  fi
}

mkfifo "$dir/fifo.yaml"
ln -s /dev/zero "$dir/zero.yaml"
mkdir "$dir/x.yaml"
skipped='not a regular file \(a folder, FIFO or device\); skipped'
# Exit 1: nothing could be read, which is an I/O problem rather than bad content.
expect 1 "^$dir/fifo.yaml: $skipped\$" "$dir/fifo.yaml"
expect 1 "^$dir/zero.yaml: $skipped\$" "$dir/zero.yaml"
expect 1 "^$dir/x.yaml: $skipped\$" "$dir"

# One byte over the 1 MiB cap: refused before YAML sees it (it would need ~250 MB of memory).
rm -rf "$dir"/*
head -c 1048577 /dev/zero | tr '\0' '[' >"$dir/unclosed.yaml"
expect 4 "^$dir/unclosed.yaml: file is 1048577 bytes; the limit is 1048576 bytes\$" "$dir/unclosed.yaml"

# A file name is data too: its escape sequence is shown, not sent to the terminal.
rm -rf "$dir"/*
evil=$'title\e]0;pwned\a.yaml'
printf 'id: a\nid: b\n' >"$dir/$evil"
expect 4 'title\\x1B\]0;pwned\\x07\.yaml:2:1: duplicate key' "$dir/$evil"
if timeout 10 "$knots" --no-default-kb validate "$dir/$evil" 2>&1 | grep -q $'\e'; then
  echo "FAIL: a raw ESC from the file name reached the output"
  failures=$((failures + 1))
fi

exit $((failures > 0))
