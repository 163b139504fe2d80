#!/usr/bin/env python3
"""The README's examples are real: every `$ knots …` line of a console block is run as written
(through bash, at 80 columns, in a fresh home) and its output must be what the README shows.

    readme_test.py KNOTS README            check; exit 1 with a diff on the first difference
    readme_test.py KNOTS README --update   rewrite the README's outputs from real runs

A shown line that starts with "…" stands for any number of lines (the README leaves them out).
Commands that only install something (`source <(…)`, `> ~/.config/…`, `| dot …`) are not run. A
command that fails shows its exit status on a last line, "[exit N]". The home folder is shown as
/home/you: the runs use a fresh one of the same length, so that wrapped lines stay as they are.
"""
import difflib
import os
import subprocess
import sys
import shutil

SKIP = ("source <(", "> ~/", "| dot ")
SHOWN_HOME = "/home/you"
HOME = "/tmp/knyo"  # as long as SHOWN_HOME


def blocks(lines):
    """(start, end) line ranges of the contents of each ```console block."""
    start = None
    for i, line in enumerate(lines):
        if line.rstrip() == "```console":
            start = i + 1
        elif line.rstrip() == "```" and start is not None:
            yield start, i
            start = None


def examples(lines, start, end):
    """(command, first output line, end of output) for each `$ ` line of a block."""
    commands = [i for i in range(start, end) if lines[i].startswith("$ ")]
    for n, i in enumerate(commands):
        stop = commands[n + 1] if n + 1 < len(commands) else end
        yield lines[i][2:].rstrip("\n"), i + 1, stop


def matches(shown, actual):
    """True when `actual` is `shown`, where a line of `shown` starting with "…" stands for any lines."""
    if not shown:
        return not actual
    if shown[0].startswith("…"):
        return any(matches(shown[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == shown[0] and matches(shown[1:], actual[1:])


def elided(shown, actual):
    """`actual` with the lines that `shown` leaves out at its first "…" left out again, when the
    line after the "…" is still there to resume from; else `actual` whole."""
    cut = next((i for i, line in enumerate(shown) if line.startswith("…")), None)
    if cut is None or cut + 1 >= len(shown):
        return actual
    resume = next((i for i in range(cut, len(actual)) if actual[i] == shown[cut + 1]), None)
    if resume is None:
        return actual
    return actual[:cut] + [shown[cut]] + actual[resume:]


def run(command, knots_dir, home, repo):
    env = {
        "PATH": knots_dir + os.pathsep + os.environ.get("PATH", ""),
        "HOME": home,
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
    }
    if "|" in command:
        # Piped, as the reader types it: no terminal, so no width either (listings are tab-separated).
        del env["COLUMNS"]
    done = subprocess.run(["bash", "-c", command], cwd=repo, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60)
    text = done.stdout.decode("utf-8", "replace").replace(home, SHOWN_HOME)
    if done.returncode != 0:
        text += f"[exit {done.returncode}]\n"
    return text.splitlines(keepends=True)


def main():
    knots, readme = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv[3:]
    repo = os.path.dirname(os.path.abspath(readme))
    with open(readme, encoding="utf-8") as f:
        lines = f.readlines()
    out = list(lines)
    shift = 0  # lines added or removed so far by --update
    failures = 0
    checked = 0
    shutil.rmtree(HOME, ignore_errors=True)
    os.makedirs(HOME)
    home = HOME
    try:
        for start, end in list(blocks(lines)):
            for command, first, stop in list(examples(lines, start, end)):
                if not command.startswith("knots") and "| knots" not in command:
                    continue
                if any(s in command for s in SKIP):
                    continue
                actual = run(command, os.path.dirname(knots), home, repo)
                shown = lines[first:stop]
                checked += 1
                if matches(shown, actual):
                    continue
                if update:
                    actual = elided(shown, actual)
                    out[first + shift:stop + shift] = actual
                    shift += len(actual) - len(shown)
                    continue
                failures += 1
                print(f"FAIL: README.md:{first}: `{command}` prints something else:")
                sys.stdout.writelines(difflib.unified_diff(shown, actual, "README.md", "actual"))
    finally:
        shutil.rmtree(HOME, ignore_errors=True)
    if update:
        with open(readme, "w", encoding="utf-8") as f:
            f.writelines(out)
        print(f"updated README.md from {checked} commands")
        return 0
    print(f"{checked - failures} of {checked} README examples print what the README shows")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
