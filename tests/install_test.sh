#!/usr/bin/env bash
# cmake --install: into a DESTDIR under /usr, the binary, manual, completions, copyright and
# changelog land in the usual places and the installed knots works from another folder with
# nothing else installed; into another prefix (as a user without root would, ~/.local) it works
# the same, and the README's removal command (the install manifest) takes every file away again.
set -u
build=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

DESTDIR="$dir/root" cmake --install "$build" --prefix /usr >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
root="$dir/root/usr"
check "binary" '[ -x "$root/bin/knots" ]'
check "manual, section 1, compressed" 'gzip -t "$root/share/man/man1/knots.1.gz"'
check "manual, section 5, compressed" 'gzip -t "$root/share/man/man5/knots.5.gz"'
check "man reads it" 'MANPATH="$root/share/man" man -w knots | grep -q "knots.1.gz"'
check "bash completion" '[ -f "$root/share/bash-completion/completions/knots" ]'
check "zsh completion" '[ -f "$root/share/zsh/site-functions/_knots" ]'
check "fish completion" '[ -f "$root/share/fish/vendor_completions.d/knots.fish" ]'
check "licence, in the copyright file" 'grep -q "Permission is hereby granted" "$root/share/doc/knots/copyright"'
check "changelog" 'zcat "$root/share/doc/knots/changelog.gz" | head -n 1 | grep -q "^knots ("'
out=$(cd / && env -i HOME="$dir" PATH=/usr/bin:/bin "$root/bin/knots" recommend --pressure deep 2>/dev/null)
check "the installed binary answers from /" '[[ "$out" == *"Deep tissue massage"* ]]'
check "the installed completion parses" 'bash -n "$root/share/bash-completion/completions/knots"'

# Another prefix, no DESTDIR: what `cmake --install build --prefix ~/.local` does.
prefix="$dir/home/.local"
cmake --install "$build" --prefix "$prefix" >"$dir/log2" 2>&1 || { cat "$dir/log2"; exit 1; }
cp "$build/install_manifest.txt" "$dir/manifest"
check "another prefix gets the same files" \
  'diff <(cd "$dir/root/usr" && find . -type f | sort) <(cd "$prefix" && find . -type f | sort)'
out=$(cd / && env -i HOME="$dir/home" PATH="$prefix/bin:/usr/bin:/bin" knots recommend --pressure deep 2>/dev/null)
check "knots from that prefix answers" '[[ "$out" == *"Deep tissue massage"* ]]'
check "the manifest lists every file installed there" \
  '[ "$(grep -c "" "$dir/manifest")" -eq "$(find "$prefix" -type f | wc -l)" ] && ! grep -v "^$prefix/" "$dir/manifest"'
xargs -d '\n' rm -f <"$dir/manifest"
check "removing what the manifest lists leaves no file" '[ -z "$(find "$prefix" -type f)" ]'
exit $fail
