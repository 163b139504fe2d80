#!/usr/bin/env bash
# cmake --install into a DESTDIR: the binary, manual, completions and licence land in the usual
# places, and the installed knots works from another folder with nothing else installed.
set -u
build=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

DESTDIR="$dir/root" cmake --install "$build" --prefix /usr >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
root="$dir/root/usr"
check "binary" '[ -x "$root/bin/knots" ]'
check "manual, section 1" '[ -f "$root/share/man/man1/knots.1" ]'
check "manual, section 5" '[ -f "$root/share/man/man5/knots.5" ]'
check "bash completion" '[ -f "$root/share/bash-completion/completions/knots" ]'
check "zsh completion" '[ -f "$root/share/zsh/site-functions/_knots" ]'
check "fish completion" '[ -f "$root/share/fish/vendor_completions.d/knots.fish" ]'
check "licence" '[ -f "$root/share/doc/knots/LICENSE" ]'
out=$(cd / && env -i HOME="$dir" PATH=/usr/bin:/bin "$root/bin/knots" recommend --pressure deep 2>/dev/null)
check "the installed binary answers from /" '[[ "$out" == *"Deep tissue massage"* ]]'
check "the installed completion parses" 'bash -n "$root/share/bash-completion/completions/knots"'
exit $fail
