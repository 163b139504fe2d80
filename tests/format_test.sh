#!/usr/bin/env bash
# One style: every C++ file under src/ and tests/ is as clang-format (.clang-format) leaves it.
# To fix: clang-format -i $(find src tests -name '*.cpp' -o -name '*.hpp')
set -u
root=$1
formatter=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$formatter" ]; then
  echo "skip: clang-format is not installed"
  exit 0
fi
cd "$root" || exit 1
mapfile -t files < <(find src tests -name '*.cpp' -o -name '*.hpp' | sort)
bad=0
for f in "${files[@]}"; do
  if ! "$formatter" --dry-run --Werror "$f" > /dev/null 2>&1; then
    echo "FAIL: $f is not formatted (clang-format -i $f)"
    bad=1
  fi
done
[ $bad -eq 0 ] && echo "ok: ${#files[@]} files formatted by $("$formatter" --version | head -1)"
exit $bad
