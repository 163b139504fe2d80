#!/usr/bin/env bash
# knots as a script uses it: a reader that goes away early (SIGPIPE ignored) ends knots quietly
# with 141; --help, help CMD and --version fail on a full disk; with --json every failure is one JSON
# object on one line of stderr, whatever the exit code and wherever --json stands; --ids and the
# plain listings feed a shell loop and awk.
#   usage: scripts_cli.sh KNOTS FIXTURES
set -u
knots=$(realpath "$1")
fixtures=$(realpath "$2")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir/data" XDG_CACHE_HOME="$dir/cache" KNOTS_PATH= KNOTS_NO_CACHE=1
unset COLUMNS
cd "$fixtures" || exit 1
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# 1. A closed pipe with SIGPIPE ignored (as some supervisors run programs): the reader has gone
#    before knots writes (it sleeps first), so the write fails with EPIPE; knots says nothing and
#    exits 141, what a shell reports when SIGPIPE ends a process.
for args in "list" "--json list" "show swedish" "--help" "--version" "help list" "list --help" "search oil"; do
  # shellcheck disable=SC2086 # the arguments are words
  (trap '' PIPE; sleep 0.3; exec "$knots" $args 2>"$dir/err") | true
  rc=${PIPESTATUS[0]}
  check "knots $args into a closed pipe, SIGPIPE ignored: exit 141 ($rc), nothing on stderr" \
    '[ "$rc" -eq 141 ] && [ ! -s "$dir/err" ]'
done
# With SIGPIPE as usual the signal ends knots: the same 141 through the shell.
(sleep 0.3; exec "$knots" list 2>"$dir/err") | true
rc=${PIPESTATUS[0]}
check "knots list into a closed pipe, SIGPIPE default: 141 ($rc), nothing on stderr" '[ "$rc" -eq 141 ] && [ ! -s "$dir/err" ]'

# 2. A full disk is an error, with a message: --help, help CMD and --version as much as a command.
for args in "--help" "--version" "help" "help list" "list --help" "list"; do
  # shellcheck disable=SC2086
  "$knots" $args >/dev/full 2>"$dir/err"
  rc=$?
  check "knots $args >/dev/full: exit 1 ($rc) and says why" \
    '[ "$rc" -eq 1 ] && grep -q "^knots: error: cannot write the output: No space left on device" "$dir/err"'
done
"$knots" --json list >/dev/full 2>"$dir/err"
rc=$?
check "knots --json list >/dev/full: exit 1 ($rc), the error as JSON of kind io" \
  '[ "$rc" -eq 1 ] && [ "$(wc -l <"$dir/err")" -eq 1 ] && jq -e ".error.kind == \"io\"" "$dir/err" >/dev/null'

# 3. Errors as data: each failure with --json writes one line to stderr, a JSON object with every
#    field, nothing on stdout, and the exit code of its kind.
kb="--no-default-kb --kb kb"
while IFS='|' read -r want kind args; do
  # shellcheck disable=SC2086
  "$knots" $args >"$dir/out" 2>"$dir/err"
  rc=$?
  check "knots $args: exit $want ($rc), one JSON line of kind $kind on stderr, stdout empty" \
    '[ "$rc" -eq "$want" ] && [ ! -s "$dir/out" ] && [ "$(wc -l <"$dir/err")" -eq 1 ] &&
     jq -e --arg kind "$kind" "
       .schema == \"knots/v1\" and .kind == \"error\" and .error.kind == \$kind and
       (.error.message | type == \"string\" and length > 0 and (contains(\"\n\") | not)) and
       (.error | has(\"name\") and has(\"suggestions\") and has(\"unknown\") and has(\"problems\")) and
       (.error.suggestions | type == \"array\") and (.error.unknown | type == \"array\") and
       (.error.problems | type == \"array\")" "$dir/err" >/dev/null'
done <<EOF
2|usage|--json $kb recommend --top abc
2|usage|$kb recommend --top --json
2|usage|--json $kb list extra
2|usage|--json $kb show
2|usage|--json $kb list --json=maybe
2|usage|--json --colour never list
2|usage|$kb list --presure deep --json
2|usage|--json $kb lsit
2|usage|--json $kb list --pressure extreme
2|usage|--json --ids $kb list
2|usage|--json $kb validate --ids
2|usage|--json help lsit
3|not_found|--json $kb show nope
3|not_found|$kb compare nope1 nope2 --json
3|not_found|--json $kb recommend --goal relax --goal nope
3|not_found|--json $kb list --technique efleurage
3|not_found|--json $kb list --pressure hard --goal nope
3|not_found|--json $kb sources S999
3|not_found|--json $kb techniques nope
3|not_found|--json $kb self-care nope
3|not_found|--json $kb guide nope
3|not_found|--json $kb show -- --json
1|io|--json --kb no-such-folder list
4|invalid_kb|--json --kb typo-kb list
EOF
# The data itself: every unknown name, each with its suggestions; problems located.
"$knots" --json $kb compare thia swedish nope2 2>"$dir/err" >/dev/null
check "compare thia swedish nope2: both names, thia's suggestion thai" \
  'jq -e ".error.name == \"thia\" and .error.suggestions == [\"thai\"] and
          ([.error.unknown[].name] == [\"thia\", \"nope2\"]) and .error.unknown[1].suggestions == []" "$dir/err" >/dev/null'
"$knots" --json --kb typo-kb list 2>"$dir/err" >/dev/null
check "an invalid knowledge base: each problem with its file, line and column" \
  'jq -e "(.error.problems | length > 0) and all(.error.problems[]; (.file | type == \"string\") and (.line | type == \"number\") and (.column | type == \"number\"))" "$dir/err" >/dev/null'
# After `--`, --json is a word: the error is text.
"$knots" $kb show -- --json 2>"$dir/err" >/dev/null
check "show -- --json: a text error about the modality '--json'" 'grep -q "^knots: error: no modality '"'"'--json'"'"'" "$dir/err"'

# 4. --ids feeds a loop; filters still apply; the plain listing feeds awk and cut.
ids=$("$knots" $kb list --ids --pressure deep | tr '\n' ' ')
check "list --ids --pressure deep: the ids alone ($ids)" '[ "$ids" = "deep-tissue thai " ]'
for id in $("$knots" $kb list --ids); do
  "$knots" $kb show "$id" >/dev/null || { check "show $id from list --ids" false; }
done
check "every id from list --ids shows" true
fields=$("$knots" $kb list | awk -F'\t' '{ print NF }' | sort -u)
check "list into a pipe: one line per modality, four tab-separated fields ($fields)" \
  '[ "$fields" = 4 ] && [ "$("$knots" $kb list | wc -l)" -eq "$("$knots" $kb list --ids | wc -l)" ]'
check "list into a pipe: the first field is the id" '[ "$("$knots" $kb list | cut -f1)" = "$("$knots" $kb list --ids)" ]'
check "COLUMNS set keeps the laid-out list" '! COLUMNS=80 "$knots" $kb list | grep -q "$(printf "\t")"'
urls=$("$knots" $kb sources | awk -F'\t' 'NF != 5 || ($5 != "" && $5 !~ /^https?:\/\//) { bad++ } END { print NR, bad + 0 }')
check "sources into a pipe: five fields, the fifth the address or empty ($urls)" '[ "${urls#* }" = 0 ] && [ "${urls% *}" -gt 0 ]'

# 5. help is --help: the same text, for knots and for each command; before or after the globals.
check "knots help is knots --help" '[ "$("$knots" help)" = "$("$knots" --help)" ]'
for cmd in list recommend completion; do
  check "knots help $cmd is knots $cmd --help" '[ "$("$knots" help "$cmd")" = "$("$knots" "$cmd" --help)" ]'
done
check "knots --no-pager help show is knots show --help" '[ "$("$knots" --no-pager help show)" = "$("$knots" show --help)" ]'
check "knots help --help is help's own" '"$knots" help --help | grep -q "^Usage: knots help "'

[ "$fail" = 0 ] && echo "PASS"
exit "$fail"
