#!/usr/bin/env bash
# The layer order holds: util -> model -> load, query -> render -> cli (README, Layout).
# A file may include headers of its own layer and of the layers below it, never above or beside:
# load and query are siblings, and neither sees the other. The libraries are linked in the same
# order (CMakeLists.txt), so a call upwards also fails to link.
# Usage: layers_test.sh SOURCE_DIR
set -u
src="$1/src"

allowed() {  # allowed LAYER -> the layers its files may include
  case "$1" in
    util) echo "util" ;;
    model) echo "util model" ;;
    load) echo "util model load" ;;
    query) echo "util model query" ;;
    render) echo "util model query render" ;;
    cli) echo "util model load query render cli" ;;
    *) echo "" ;;
  esac
}

check_tree() {  # check_tree SRC -> prints every include that breaks the order; fails if any
  local root="$1" bad=0 layer file included ok
  for dir in "$root"/*/; do
    layer=$(basename "$dir")
    if [ -z "$(allowed "$layer")" ]; then
      echo "FAIL: src/$layer is not a known layer; add it to tests/layers_test.sh and to the README (Layout)"
      bad=1
      continue
    fi
    while IFS= read -r line; do
      file=${line%%:*}
      included=$(sed -E 's|.*#include "([a-z_]+)/.*|\1|' <<<"$line")
      ok=0
      for a in $(allowed "$layer"); do [ "$a" = "$included" ] && ok=1; done
      if [ $ok = 0 ]; then
        echo "FAIL: ${file#"$root"/} includes $included/ (a $layer file may include only: $(allowed "$layer"))"
        bad=1
      fi
    done < <(grep -HE '^#include "[a-z_]+/' "$dir"*.hpp "$dir"*.cpp 2>/dev/null)
  done
  return $bad
}

check_tree "$src" || exit 1

# The check itself can fail: a copy of the tree with one include upwards (model -> render), or
# sideways (load -> query), must be refused.
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
for injection in "model/knowledge_base.cpp render/term.hpp" "load/loader.cpp query/filter.hpp"; do
  read -r file header <<<"$injection"
  rm -rf "${copy:?}"/*
  cp -r "$src"/. "$copy"
  sed -i "0,/^#include \"/s||#include \"$header\"\n#include \"|" "$copy/$file"
  if check_tree "$copy" >/dev/null; then
    echo "FAIL: the check did not see $file include $header"
    exit 1
  fi
done
echo "ok: every include follows util -> model -> load, query -> render -> cli"
