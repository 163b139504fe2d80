#!/usr/bin/env bash
# knots new: a template in the folder the user chose, refused by every command until each TODO is
# replaced, never overwriting a file or silently replacing an entry; validate FILE reads the
# vocabularies beside it.
set -u
knots=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir/data" KNOTS_PATH= KNOTS_NO_CACHE=1
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# What an author writes in place of each placeholder: the texts keep the template's own sentences.
fill() {
  sed -e 's/^  TODO: some/  relaxation: some/' -e 's/TODO: //' -e 's/^  min: TODO/  min: firm/' -e 's/^  max: TODO/  max: deep/' \
    -e 's/^techniques: \[TODO\]/techniques: [effleurage]/' -e 's/^tools: \[TODO\]/tools: [hands]/' \
    -e 's/surface: \[TODO\]/surface: [table]/' -e 's/clothing: TODO/clothing: clothed/' \
    -e 's/oil: TODO/oil: none/' -e 's/heat: TODO/heat: none/' -e 's/targets: \[TODO\]/targets: [deep-muscle]/' \
    -e 's/^back: TODO/back: direct/' \
    -e 's/grade: TODO/grade: anecdotal/' -e 's/sources: \[TODO\]/sources: [seed]/' "$@"
}

out=$("$knots" new clinic-deep 2>"$dir/err"); rc=$?
file="$dir/data/knots/kb/modalities/clinic-deep.yaml"
check "new exits 0" '[ $rc -eq 0 ]'
check "prints the path" '[ "$out" = "$file" ]'
check "writes the file" '[ -f "$file" ]'
check "says it wrote in the user folder" 'grep -q "in your user folder, which knots reads automatically ($dir/data/knots/kb)" "$dir/err"'
check "no temporary file is left" '[ -z "$(ls -A "$dir/data/knots/kb/modalities" | grep -v "^clinic-deep.yaml$")" ]'

# A fresh template does not go live: validate and every loading command refuse it.
"$knots" validate "$file" >"$dir/out" 2>&1; rc=$?
check "a fresh template fails validate (exit 4)" '[ $rc -eq 4 ]'
check "each placeholder is named with file:line:col" \
  'grep -q "^$file:[0-9]*:[0-9]*: '"'"'summary'"'"' still holds the placeholder text from '"'"'knots new'"'"'" "$dir/out"'
check "a placeholder value says what to do" \
  'grep -q "'"'"'heat'"'"' under setting is still TODO, the placeholder from '"'"'knots new'"'"': replace it" "$dir/out"'
check "nothing but placeholders is reported" '[ "$(grep -c "placeholder" "$dir/out")" -eq "$(($(wc -l <"$dir/out") - 1))" ]'
"$knots" list >/dev/null 2>"$dir/err"; rc=$?
check "list refuses it too (exit 4)" '[ $rc -eq 4 ] && grep -q "clinic-deep.yaml:.*placeholder" "$dir/err"'
"$knots" recommend --goal relaxation >/dev/null 2>&1; rc=$?
check "recommend refuses it too (exit 4)" '[ $rc -eq 4 ]'

# One placeholder left is still refused, and named.
fill "$file" >"$dir/filled.yaml"
sed 's/^  heat: .*/  heat: TODO/' "$dir/filled.yaml" >"$file"
"$knots" validate >"$dir/out" 2>&1; rc=$?
check "one placeholder left: still refused" '[ $rc -eq 4 ] && [ "$(grep -c placeholder "$dir/out")" -eq 1 ] && grep -q "'"'"'heat'"'"' under setting" "$dir/out"'
sed 's/^  heat: .*/  heat: none/' "$dir/filled.yaml" >"$file"
check "every placeholder replaced: valid" '"$knots" validate >/dev/null 2>&1'
check "the user folder is read automatically" '"$knots" show clinic-deep >/dev/null 2>&1'
check "paths lists the user folder" '"$knots" paths | grep -q "$dir/data/knots/kb"'

echo "# edited" >> "$file"
before=$(cat "$file")
"$knots" new clinic-deep >/dev/null 2>"$dir/err"; rc=$?
check "refuses to overwrite (exit 2)" '[ $rc -eq 2 ] && grep -q "already exists" "$dir/err"'
check "the existing file is untouched" '[ "$(cat "$file")" = "$before" ]'
"$knots" new swedish >/dev/null 2>"$dir/err"; rc=$?
check "refuses a built-in id without --replace, naming where it is" \
  '[ $rc -eq 2 ] && grep -q "modality '"'"'swedish'"'"' exists (<built-in>/modalities/swedish.yaml)" "$dir/err" && grep -q -- "--replace" "$dir/err"'
check "and writes nothing" '[ ! -e "$dir/data/knots/kb/modalities/swedish.yaml" ]'
"$knots" new clinic-deep-2 >/dev/null 2>&1
check "another template can be started while one is unfinished" '[ -f "$dir/data/knots/kb/modalities/clinic-deep-2.yaml" ]'
rm -f "$dir/data/knots/kb/modalities/clinic-deep-2.yaml"

# Where it writes: --kb, else the first KNOTS_PATH folder, else the user folder.
KNOTS_PATH="$dir/first:$dir/second" "$knots" new from-path >/dev/null 2>"$dir/err"
check "the first KNOTS_PATH folder when there is no --kb" '[ -f "$dir/first/modalities/from-path.yaml" ] && [ ! -e "$dir/second/modalities/from-path.yaml" ]'
check "and says so" 'grep -q "in the first KNOTS_PATH folder ($dir/first)" "$dir/err"'
KNOTS_PATH="$dir/first" "$knots" --kb "$dir/clinic" new other >/dev/null 2>"$dir/err"
check "--kb DIR wins over KNOTS_PATH" '[ -f "$dir/clinic/modalities/other.yaml" ] && [ ! -e "$dir/first/modalities/other.yaml" ]'
check "and says so" 'grep -q "in the --kb folder ($dir/clinic)" "$dir/err"'
"$knots" new "Bad Id" >/dev/null 2>&1; rc=$?
check "an invalid id is a usage error" '[ $rc -eq 2 ]'

# validate FILE knows the techniques defined beside it, in a folder not in use.
mkdir -p "$dir/own/modalities"
cat >"$dir/own/techniques.yaml" <<'EOF'
- id: elbow-work
  name: Elbow work
  definition: Slow pressure with the forearm and elbow.
  sources: [seed]
EOF
fill "$dir/clinic/modalities/other.yaml" | sed 's/^techniques: .*/techniques: [elbow-work]/' >"$dir/own/modalities/own.yaml"
"$knots" validate "$dir/own/modalities/own.yaml" >"$dir/out" 2>&1; rc=$?
check "validate FILE resolves a technique from its own folder" '[ $rc -eq 0 ] && ! grep -q "unknown technique" "$dir/out"'
check "paths lists a folder's vocabulary files" '"$knots" --kb "$dir/own" paths | grep -q "^  $dir/own/techniques.yaml$"'
exit $fail
