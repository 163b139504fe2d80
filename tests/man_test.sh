#!/usr/bin/env bash
# The manual pages: mandoc has nothing to warn about in either, and knots.1 documents every command,
# flag, flag value and positional argument that the binary defines. The command line is read from
# the binary itself (its bash completion script and its --help), never from a list kept here, so a
# new flag without a line in the manual fails this test.
#   usage: man_test.sh KNOTS MANDIR
set -u
knots=$1
mandir=$2
page1=$mandir/knots.1
page5=$mandir/knots.5
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_DATA_HOME="$dir/data" KNOTS_PATH=
fail=0
bad() { echo "FAIL: $*"; fail=1; }

for page in "$page1" "$page5"; do
  [ -f "$page" ] || { echo "FAIL: $page does not exist"; exit 1; }
done

# 1. mandoc's own checks, at warning level and above.
if command -v mandoc >/dev/null; then
  for page in "$page1" "$page5"; do
    out=$(mandoc -T lint -W warning "$page" 2>&1)
    if [ -n "$out" ]; then bad "mandoc -T lint -W warning $page:"; echo "$out"; else echo "ok: mandoc lint $page"; fi
  done
else
  echo "skip: mandoc is not installed, so the pages were not linted"
fi

# 2. Flags written with a plain hyphen render as typographic hyphens in groff, and a copied
#    command line then fails; every hyphen of a flag must be \-.
for page in "$page1" "$page5"; do
  raw=$(grep -nE '(^|[^\\])--[a-z]|\\-\\-([a-z0-9]|\\-)*[a-z0-9]-[a-z]' "$page" | grep -v '^[0-9]*:\.\\"')
  if [ -n "$raw" ]; then bad "$page has flags with unescaped hyphens (write \\-\\-name):"; echo "$raw"; fi
done

# The lines of one .SS section of knots.1 ("list", "Global options"), up to the next heading.
section() {
  awk -v name="$1" '
    /^\.S[HS]/ { if (on) exit }
    $0 ~ ("^\\.SS \"?" name "\"?( |$)") { on = 1; next }
    on { print }' "$page1"
}
# How a flag is written in roff: --no-oil as \-\-no\-oil.
roff_flag() { printf '%s' "$1" | sed 's/-/\\-/g'; }
# True when the roff text on stdin holds the flag, not merely a longer flag that starts with it.
has_flag() {
  local re
  re=$(roff_flag "$1" | sed 's/\\/\\\\/g')
  grep -qE -- "${re}([^a-zA-Z0-9\\\\]|\\\\[^-]|\$)"
}

# 3. The command line as the binary defines it: its bash completion script is generated from the
#    CLI11 definition. The top-level word list holds every command and global flag; each command's
#    block holds its flags, and the fixed values of its flags and arguments.
script=$("$knots" completion bash) || { echo "FAIL: '$knots completion bash' exited $?"; exit 1; }
top=$(printf '%s\n' "$script" | sed -n "s/.*\"\") COMPREPLY=(\$(compgen -W '\\([^']*\\)'.*/\\1/p" | head -1)
if [ -z "$top" ]; then echo "FAIL: no top-level word list in 'knots completion bash'"; exit 1; fi
commands=() globals=()
for w in $top; do
  case $w in --*) globals+=("$w") ;; -*) ;; *) commands+=("$w") ;; esac
done
[ ${#commands[@]} -gt 0 ] || { echo "FAIL: no commands found in 'knots completion bash'"; exit 1; }
echo "ok: the binary defines ${#commands[@]} commands (${commands[*]}) and global flags ${globals[*]}"

is_global() { local g; for g in "${globals[@]}"; do [ "$g" = "$1" ] && return 0; done; return 1; }

# Global flags: in the "Global options" section, and their fixed values (--color WHEN) with them.
global_text=$(section "Global options")
[ -n "$global_text" ] || bad "knots.1 has no '.SS Global options' section"
for flag in "${globals[@]}"; do
  if printf '%s\n' "$global_text" | has_flag "$flag"; then echo "ok: global $(roff_flag "$flag")"
  else bad "global flag $flag is not documented as $(roff_flag "$flag") under Global options in knots.1"; fi
done
# The completion script's `--flag) COMPREPLY=($(compgen -W 'a b c'` lines before the commands.
global_block=$(printf '%s\n' "$script" | awk '/case "\$cmd" in/ { exit } { print }')
while IFS= read -r line; do
  flag=$(printf '%s' "$line" | sed -n 's/^ *\(--[a-z0-9-]*\)).*/\1/p')
  values=$(printf '%s' "$line" | sed -n "s/.*compgen -W '\\([^']*\\)'.*/\\1/p")
  [ -n "$flag" ] && [ -n "$values" ] || continue
  for v in $values; do
    printf '%s\n' "$global_text" | grep -qw -- "$v" || bad "value '$v' of global $flag is not in Global options in knots.1"
  done
done <<< "$global_block"

# Each command: a .SS section; in it, each of its own flags as \-\-name, each fixed value of its
# flags and arguments, and each positional argument (from `knots CMD --help`).
for cmd in "${commands[@]}"; do
  text=$(section "$cmd")
  if [ -z "$text" ]; then bad "command '$cmd' has no '.SS $cmd' section in knots.1"; continue; fi
  block=$(printf '%s\n' "$script" | awk -v cmd="$cmd" '
    $0 ~ ("^ *" cmd "\\)$") { on = 1; next }
    on && /^ *[a-z][a-z0-9-]*\)$/ { exit }
    on && /^ *esac$/ && seen_fi { exit }
    on { print; if ($0 ~ /fi ;;$/) seen_fi = 1 }')
  [ -n "$block" ] || bad "no block for '$cmd' in 'knots completion bash'"
  flags=0 values=0
  for w in $(printf '%s\n' "$block" | sed -n "s/.*compgen -W '\\([^']*\\)'.*/\\1/p"); do
    case $w in
      --*)
        is_global "$w" && continue
        flags=$((flags + 1))
        printf '%s\n' "$text" | has_flag "$w" || bad "'knots $cmd $w' is not documented as $(roff_flag "$w") in the '$cmd' section of knots.1"
        ;;
      *)
        values=$((values + 1))
        # A value with a hyphen is written with \- in roff (self\-care), as a flag is.
        printf '%s\n' "$text" | sed 's/\\-/-/g' | grep -qw -- "$w" || bad "value '$w' of 'knots $cmd' is not in the '$cmd' section of knots.1"
        ;;
    esac
  done
  # Positionals: "  name NAME REQUIRED …" or "  shell TEXT:{bash,zsh,fish} …" under "Positionals:".
  help=$("$knots" "$cmd" --help) || bad "'knots $cmd --help' exited $?"
  positionals=0
  while read -r pname ptype _; do
    positionals=$((positionals + 1))
    case $ptype in
      *:{*}) # fixed values: each must be named
        for v in $(printf '%s' "${ptype#*:}" | tr -d '{}' | tr ',' ' '); do
          printf '%s\n' "$text" | grep -qw -- "$v" || bad "value '$v' of argument '$pname' of 'knots $cmd' is not in the '$cmd' section of knots.1"
        done ;;
      *)
        printf '%s\n' "$text" | grep -qw -- "$ptype" || bad "argument $ptype ('$pname') of 'knots $cmd' is not in the '$cmd' section of knots.1" ;;
    esac
  done < <(printf '%s\n' "$help" | awk '/^Positionals:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1, $2 }')
  echo "ok: knots $cmd ($flags flags, $values fixed values, $positionals arguments)"
done

# 4. knots.5 names every key of the template that `knots new` writes (the binary's own idea of a
#    complete modality entry).
if "$knots" --kb "$dir/kb" new man-test-entry >/dev/null 2>&1; then
  keys=$(grep -v '^ *#' "$dir/kb/modalities/man-test-entry.yaml" | sed -n 's/^ *\([a-z_][a-z_-]*\):.*/\1/p' | sort -u)
  for key in $keys; do
    grep -qw -- "$(printf '%s' "$key" | sed 's/-/\\\\-/g')" "$page5" || bad "key '$key' of the 'knots new' template is not in knots.5"
  done
  echo "ok: knots.5 has the $(printf '%s\n' "$keys" | wc -l) keys of the 'knots new' template"
else
  bad "'knots new' could not write its template in $dir/kb"
fi

[ "$fail" = 0 ] && echo "PASS: the manual pages lint clean and document the whole command line"
exit "$fail"
