#!/usr/bin/env bash
# The source release (README, Installing): cpack --config CPackSourceConfig.cmake makes
# knots-VERSION.tar.gz with every file of the checkout that git would keep (tracked, or new and
# not ignored), no build folder and no .git, and the unpacked folder configures.
set -u
build=$1
source=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

(cd "$dir" && cpack --config "$build/CPackSourceConfig.cmake" -B "$dir" >"$dir/log" 2>&1) || { cat "$dir/log"; exit 1; }
tarball=$(ls "$dir"/knots-*.tar.gz 2>/dev/null | head -n 1)
check "a knots-VERSION.tar.gz is made" '[ -n "$tarball" ]'
[ -n "$tarball" ] || exit 1
name=$(basename "$tarball" .tar.gz)
tar -tzf "$tarball" | grep -v '/$' | sed "s|^$name/||" | LC_ALL=C sort >"$dir/released"
check "it unpacks into $name/" '! tar -tzf "$tarball" | grep -v "^$name/"'
check "no build folder, no .git" '! grep -E "^(build[^/]*|\.git)/" "$dir/released"'
if git -C "$source" rev-parse --show-toplevel 2>/dev/null | grep -qx "$source"; then
  git -C "$source" ls-files --cached --others --exclude-standard | LC_ALL=C sort -u >"$dir/checkout"
  check "every file of the checkout, no other ($(wc -l <"$dir/checkout"))" 'diff "$dir/checkout" "$dir/released"'
else
  echo "skip: $source is not a git checkout to compare with"
fi
tar -xzf "$tarball" -C "$dir"
check "the unpacked source configures" 'cmake -S "$dir/$name" -B "$dir/$name/build" -DBUILD_TESTING=OFF >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; false; }'
exit $fail
