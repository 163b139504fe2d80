#!/usr/bin/env bash
# Colour policy: escapes on a terminal; none with NO_COLOR, TERM=dumb, --color never, or a pipe.
set -u
exec </dev/null  # script(1) needs a readable stdin; CI may have none
knots=$1
esc=$'\e['
fail=0
check() {  # check NAME EXPECT(yes|no) OUTPUT
  if [[ "$3" == *"$esc"* ]]; then got=yes; else got=no; fi
  if [ "$got" != "$2" ]; then echo "FAIL: $1: colour=$got, expected $2"; fail=1; else echo "ok: $1"; fi
}
check "terminal" yes "$(env -u NO_COLOR TERM=xterm script -qec "$knots list" /dev/null)"
check "NO_COLOR=1 on a terminal" no "$(NO_COLOR=1 TERM=xterm script -qec "$knots list" /dev/null)"
check "NO_COLOR empty counts as unset" yes "$(NO_COLOR= TERM=xterm script -qec "$knots list" /dev/null)"
check "TERM=dumb" no "$(env -u NO_COLOR TERM=dumb script -qec "$knots list" /dev/null)"
check "--color never on a terminal" no "$(env -u NO_COLOR TERM=xterm script -qec "$knots --color never list" /dev/null)"
check "piped" no "$(env -u NO_COLOR "$knots" list | cat)"
check "--color always when piped" yes "$("$knots" --color always list | cat)"
exit $fail
