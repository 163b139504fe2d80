#!/usr/bin/env bash
# The completion scripts: bash completes in a real bash (compgen), zsh and fish parse them.
set -u
knots=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
export XDG_DATA_HOME="$dir/none" KNOTS_PATH=
"$knots" completion bash > "$dir/knots.bash" || { echo "FAIL: completion bash exited $?"; exit 1; }

# Runs _knots on a command line (the last word is the one being completed) and prints COMPREPLY,
# in its order: values are offered in their natural order (nosort), not alphabetically.
offers() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _knots
    printf "%s " "${COMPREPLY[@]}"
  ' _ "$dir/knots.bash" "$@"
}
expect() {  # expect "WANT" WORDS…
  local want=$1; shift
  local got
  got=$(offers "$@")
  if [ "$got" != "$want" ]; then echo "FAIL: '$*' offered '$got', expected '$want'"; fail=1; else echo "ok: '$*' -> $got"; fi
}
expect "show " "$knots" sh
expect "swedish " "$knots" show sw
expect "swedish " "$knots" show Sw
expect "light medium firm deep " "$knots" recommend --pressure ""
# ids first, one word per modality; names and aliases only once what is typed matches no id.
expect "abhyanga active-release acupressure aromatherapy chair craniosacral cupping deep-tissue gua-sha hot-stone lymphatic-drainage myofascial-release prenatal reflexology shiatsu sports structural-integration swedish thai trigger-point tui-na " "$knots" show ""
expect "classic-massage " "$knots" show cla
expect "thai " "$knots" compare swedish th
expect "thai-massage thai-yoga-massage " "$knots" compare swedish thai-
expect "--technique " "$knots" list --te
expect "blood-clots blood-thinners " "$knots" recommend --condition blood
expect "warfarin " "$knots" recommend --condition warf
expect "pain-relief " "$knots" recommend --goal pa
expect "bash zsh fish " "$knots" completion ""
# Guide topics (from a folder on top of the built-in ones) and self-care tips, by id, and by
# the question in everyday words once no id matches.
guide_kb=$(cd "$(dirname "$0")/fixtures/guide-kb" && pwd)
KNOTS_PATH=$guide_kb expect "layered-second layered-topic " "$knots" guide layered
KNOTS_PATH=$guide_kb expect "layered-question " "$knots" guide layered-q
expect "heat " "$knots" self-care hea
got=$("$knots" completion --values area --prefix upper | cut -f1)
[ "$got" = "upper-back" ] && echo "ok: areas for --area: $got" || { echo "FAIL: completion --values area --prefix upper gave '$got'"; fail=1; }
expect "auto always " "$knots" --color a
if command -v zsh >/dev/null; then
  "$knots" completion zsh > "$dir/_knots" && zsh -n "$dir/_knots" && echo "ok: zsh -n" || { echo "FAIL: zsh -n"; fail=1; }
  # Sourced (as `source <(knots completion zsh)` in .zshrc, before compinit): it registers _knots
  # quietly; with no completion system to start, it says in one line how to turn it on.
  got=$(HOME="$dir" zsh -f -c 'source "$1"; print -r -- "$_comps[knots]"' _ "$dir/_knots" 2>&1)
  [ "$got" = "_knots" ] && echo "ok: zsh source registers _knots quietly" || { echo "FAIL: zsh source said '$got'"; fail=1; }
  got=$(HOME="$dir" zsh -f -c 'fpath=(); source "$1"' _ "$dir/_knots" 2>&1)
  case $got in
    "knots: zsh completion needs compinit; add to ~/.zshrc: autoload -U compinit && compinit") echo "ok: zsh without compinit: $got" ;;
    *) echo "FAIL: zsh source without compinit said '$got'"; fail=1 ;;
  esac
else
  echo "skip: zsh is not installed"
fi
if command -v fish >/dev/null; then
  "$knots" completion fish > "$dir/knots.fish" && fish -n "$dir/knots.fish" && echo "ok: fish -n" || { echo "FAIL: fish -n"; fail=1; }
else
  echo "skip: fish is not installed"
fi
exit $fail
