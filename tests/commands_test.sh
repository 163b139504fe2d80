#!/usr/bin/env bash
# The table of commands (src/cli/commands.hpp) drives the command line: every row is a command that
# `knots --help` lists, in the table's order, that runs (its --help), and that a mistyped word is
# matched against; and the global flags are skipped, with their values, as the parser defines them,
# when the command word is looked for.
#   usage: commands_test.sh KNOTS SOURCE_DIR
set -u
knots=$1
table=$2/src/cli/commands.hpp
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir/data" XDG_CACHE_HOME="$dir/cache" KNOTS_PATH=
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# 1. The rows of the table, as command names: "&red_flags_command," is red-flags.
mapfile -t rows < <(sed -n 's/^ *&\([a-z_]*\)_command,$/\1/p' "$table" | tr _ -)
declared=$(grep -c '^std::unique_ptr<Command> [a-z_]*_command();$' "$table")
check "the table has rows (${#rows[@]})" '[ ${#rows[@]} -gt 0 ]'
check "each command the table declares has a row ($declared)" '[ "$declared" -eq ${#rows[@]} ]'

# 2. knots --help lists exactly those, in the table's order (a description's wrapped lines are
#    indented further); plain `knots` prints a short start that points to it instead.
help=$("$knots" --help)
listed=$(printf '%s\n' "$help" | awk '/^Subcommands:/ { on = 1; next } on && /^$/ { exit } on && /^  [^ ]/ { print $1 }')
check "knots --help lists the table's commands in its order" '[ "$listed" = "$(printf "%s\n" "${rows[@]}")" ]'
start=$("$knots")
check "knots without a command prints a short start, not the help" \
  '[ "$start" != "$help" ] && printf "%s\n" "$start" | grep -q "knots recommend --ask" && printf "%s\n" "$start" | grep -q "knots --help"'

# The messages below are compared whole: wide enough that none is wrapped (wrap_test.py checks that).
export COLUMNS=1000

# 3. Each command runs (its own --help), and a mistyped one is matched against the table.
all=$(printf '%s, ' "${rows[@]}")
all=${all%, }
for cmd in "${rows[@]}"; do
  check "knots $cmd --help" '"$knots" "$cmd" --help | grep -q "^Usage: knots $cmd "'
  typo="${cmd:0:1}${cmd:2:1}${cmd:1:1}${cmd:3}"
  want="knots: error: unknown command '$typo'; did you mean '$cmd'?
Commands: $all"
  err=$("$knots" "$typo" 2>&1 >/dev/null); rc=$?
  check "knots $typo: exit 2, did you mean '$cmd'" '[ $rc -eq 2 ] && [ "$err" = "$want" ]'
done

# 4. Global flags before the command word, with their values (as a separate word or after "="),
#    are skipped: the mistyped word after them is still the one reported.
mkdir -p "$dir/kb"
want="knots: error: unknown command 'lsit'; did you mean 'list'?"
for flags in "--kb $dir/kb" "--kb=$dir/kb" "--color never" "--color=never" "--no-default-kb" \
  "--no-default-kb --kb $dir/kb --color=always --kb=$dir/kb"; do
  # shellcheck disable=SC2086 # the flags are words
  "$knots" $flags lsit >/dev/null 2>"$dir/err"; rc=$?
  check "knots $flags lsit: exit 2, did you mean 'list'" '[ $rc -eq 2 ] && [ "$(head -1 "$dir/err")" = "$want" ]'
done
# A flag's value is never taken for the command word.
check "knots --color never list: 'never' is the colour" '"$knots" --color never list >/dev/null 2>&1'
err=$("$knots" --kb lsit list 2>&1 >/dev/null)
check "knots --kb lsit list: 'lsit' is the folder" '! printf "%s\n" "$err" | grep -q "unknown command"'
exit $fail
