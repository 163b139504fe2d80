#!/usr/bin/env python3
"""knots search as a person sees it: the real binary in an 80x24 pseudo-terminal.

Usage: tests/search_screen.py KNOTS_BINARY

With no COLUMNS, knots reads the width from the terminal and colours its output; PAGER=cat lets
the whole of it scroll by as it would without a pager (pager_pty.py tests the pager). Checks, on what
the terminal shows (escape sequences stripped, lines as the terminal would hold them):
  * `search knot between the shoulder blades`: what helps there comes first (the guide's topic
    on a ball between the shoulder blades), every line fits 80 columns, fields are named in plain
    words (never a key such as helps_knots), the matches are coloured, the warning sign about
    the spine between the shoulder blades is listed, and the last line says how to see more;
  * `search pins and needles`: the warning sign comes first, under a heading that says to see a
    clinician, before the other matches;
  * `search sholder`: the first line says what the mistyped word was read as;
  * `search cheap`: the guide's topic on cost first, and a note that knots gives no prices;
  * `search zzqxv`: no hit; the lines say what knots covers, and `knots recommend --ask` whole on
    a line of its own, on one screen.
Prints one `ok:` or `FAIL:` line per check; exits 1 if any check failed.
"""
import fcntl
import os
import pty
import re
import select
import struct
import sys
import tempfile
import termios
import time

COLS, ROWS = 80, 24
ANSI = re.compile(r"\x1b\[[0-9;]*m")
failures = 0


def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    failures += 0 if ok else 1


def run(knots, args, home):
    """The binary's output in a pty of COLS x ROWS, as raw text with \\r\\n line ends."""
    pid, fd = pty.fork()
    if pid == 0:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color", "PAGER": "cat", "HOME": home,
               "XDG_DATA_HOME": os.path.join(home, "data"), "XDG_CACHE_HOME": os.path.join(home, "cache")}
        os.execve(knots, [knots, *args], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    out, deadline = b"", time.time() + 30
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode("utf-8", "replace")


def main():
    knots = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as home:
        raw = run(knots, ["search", "knot", "between", "the", "shoulder", "blades"], home)
        lines = ANSI.sub("", raw).replace("\r\n", "\n").rstrip("\n").split("\n")
        check(lines[0].startswith("1. A ball for a knot between the shoulder blades"),
              "a knot between the shoulder blades: what helps there first")
        check(all(len(line) <= COLS for line in lines), "every line fits 80 columns")
        check("how it helps knots:" in raw and "helps_knots" not in raw, "fields are named in plain words")
        check("\x1b[33mknot\x1b[0m" in raw, "the matched word is coloured on a terminal")
        check(any("red-flag between-shoulder-blades" in line for line in lines), "the warning sign is listed")
        check(re.match(r"Showing 10 of \d+ matches; --top \d+ shows them all\.", lines[-1]) is not None,
              "the last line says how to see more")

        raw = run(knots, ["search", "pins", "and", "needles"], home)
        lines = ANSI.sub("", raw).replace("\r\n", "\n").rstrip("\n").split("\n")
        check(lines[0].startswith("Warning signs that match your words") and "clinician" in " ".join(lines[:2]),
              "pins and needles: the warning heading first")
        first = next((line for line in lines if line.startswith("1. ")), "")
        check("numbness" in first, "pins and needles: the warning sign first")
        check("Other matches:" in lines, "pins and needles: the other matches after it")

        raw = run(knots, ["search", "sholder"], home)
        lines = ANSI.sub("", raw).replace("\r\n", "\n").rstrip("\n").split("\n")
        check(lines[0] == "Read 'sholder' as 'shoulder'.", "sholder: says what it read")

        raw = run(knots, ["search", "cheap"], home)
        lines = ANSI.sub("", raw).replace("\r\n", "\n").rstrip("\n").split("\n")
        check(lines[0].startswith("1. Cost and insurance cover"), "cheap: the guide on cost first")
        check(any("knots gives no prices" in line for line in lines), "cheap: knots says it gives no prices")

        raw = run(knots, ["search", "zzqxv"], home)
        lines = ANSI.sub("", raw).replace("\r\n", "\n").rstrip("\n").split("\n")
        check(lines[0] == "knots: no match for 'zzqxv'", "zzqxv: no match")
        check(any(line.startswith("knots covers massage styles") for line in lines), "zzqxv: what knots covers")
        check("  knots recommend --ask" in lines, "zzqxv: knots recommend --ask whole, on its own line")
        check(len(lines) <= ROWS, "zzqxv: the answer fits one screen")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
