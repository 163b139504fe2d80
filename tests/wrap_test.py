#!/usr/bin/env python3
"""Text wraps like a book: at widths 40, 60 and 80, every command's --help, `knots --help`, plain
`knots` and the message of every golden case that fails (its stderr) fit the width, except a line
that is one word alone (a URL, an id), and no word is split: the words are the same, in the same
order, as when nothing needs wrapping (COLUMNS=1000).

For the cases that answer questions on stdin (--ask), only the error at the end is checked: the
prompts before it are the interview's own layout.

usage: wrap_test.py KNOTS SOURCE_DIR
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

WIDTHS = (40, 60, 80)


def run(knots, args, columns, cwd, stdin=None):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "KNOTS_PATH")}
    env.update(COLUMNS=str(columns), TERM="dumb", KNOTS_NO_CACHE="1", XDG_DATA_HOME="/nonexistent/knots-wrap")
    return subprocess.run([knots, *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=60)


def too_wide(text, width):
    """The lines of `text` longer than `width` that are more than one word."""
    return [line for line in text.splitlines() if len(line) > width and len(line.split()) > 1]


def golden_errors(source):
    """(name, args, stdin) of every golden case that exits with an error in words (not --json)."""
    folder = os.path.join(source, "tests", "golden")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        head = re.match(r"\$ (?:COLUMNS=\d* )?knots ?(.*)\n", text)
        code = re.search(r"^\[exit (\d+)\]$", text, re.M)
        if not head or not code or code.group(1) == "0":
            continue
        stdin = re.match(r"[^\n]*\n\[stdin\]\n(.*?)\n\[end stdin\]\n", text, re.S)
        args = shlex.split(head.group(1))
        # With --json (before a "--") the error is one JSON object on one line, for a script.
        if "--json" in args[: args.index("--") if "--" in args else len(args)]:
            continue
        yield name, args, stdin.group(1) + "\n" if stdin else None


def checked_part(stderr, asked):
    if not asked:
        return stderr
    start = stderr.find("knots: error:")
    return stderr[start:] if start >= 0 else ""


def main():
    knots, source = os.path.abspath(sys.argv[1]), sys.argv[2]
    fixtures = os.path.join(source, "tests", "fixtures")
    failures = 0
    checked = 0

    def check(what, text, wide, width):
        nonlocal failures, checked
        checked += 1
        bad = too_wide(text, width)
        if bad:
            failures += 1
            print(f"FAIL: {what} at {width} columns has lines wider than that:")
            for line in bad:
                print(f"  {len(line):3} | {line}")
        if text.split() != wide.split():
            failures += 1
            print(f"FAIL: {what} at {width} columns does not have the same words as unwrapped")

    with tempfile.TemporaryDirectory() as home:
        help_text = run(knots, ["--help"], 1000, home).stdout
        commands = re.findall(r"^  ([a-z][a-z-]*) ", help_text.split("Subcommands:")[1], re.M)
        screens = [["--help"], []] + [[c, "--help"] for c in commands]
        for args in screens:
            wide = run(knots, args, 1000, home).stdout
            for width in WIDTHS:
                check("knots " + " ".join(args), run(knots, args, width, home).stdout, wide, width)
        errors = list(golden_errors(source))
        for name, args, stdin in errors:
            wide = checked_part(run(knots, args, 1000, fixtures, stdin).stderr, stdin is not None)
            for width in WIDTHS:
                got = checked_part(run(knots, args, width, fixtures, stdin).stderr, stdin is not None)
                check(f"the error of {name}", got, wide, width)

    print(f"{'FAIL' if failures else 'ok'}: {len(screens)} help screens and {len(errors)} golden errors at "
          f"{', '.join(map(str, WIDTHS))} columns ({checked} checks, {failures} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
