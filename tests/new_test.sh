#!/usr/bin/env bash
# knots new: a valid template in the user folder (read automatically), never overwriting a file.
set -u
knots=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir/data" KNOTS_PATH=
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

out=$("$knots" new clinic-deep 2>/dev/null); rc=$?
file="$dir/data/knots/kb/modalities/clinic-deep.yaml"
check "new exits 0" '[ $rc -eq 0 ]'
check "prints the path" '[ "$out" = "$file" ]'
check "writes the file" '[ -f "$file" ]'
check "no temporary file is left" '[ -z "$(ls -A "$dir/data/knots/kb/modalities" | grep -v "^clinic-deep.yaml$")" ]'
check "the template is valid" '"$knots" validate >/dev/null 2>&1'
check "the user folder is read automatically" '"$knots" show clinic-deep >/dev/null 2>&1'
check "paths lists the user folder" '"$knots" paths | grep -q "$dir/data/knots/kb"'
echo "# edited" >> "$file"
before=$(cat "$file")
"$knots" new clinic-deep >/dev/null 2>"$dir/err"; rc=$?
check "refuses to overwrite (exit 2)" '[ $rc -eq 2 ] && grep -q "already exists" "$dir/err"'
check "the existing file is untouched" '[ "$(cat "$file")" = "$before" ]'
"$knots" --kb "$dir/clinic" new other >/dev/null 2>&1
check "--kb DIR writes there" '[ -f "$dir/clinic/modalities/other.yaml" ]'
"$knots" new "Bad Id" >/dev/null 2>&1; rc=$?
check "an invalid id is a usage error" '[ $rc -eq 2 ]'
exit $fail
