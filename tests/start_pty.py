#!/usr/bin/env python3
"""Plain `knots`, as a person sees it: run in a real pseudo-terminal of 80x24 (COLUMNS unset, so
knots asks the terminal its width), the short start fits on the screen with the prompt below it:
at most 20 rows, none wider than the terminal, and it names `knots recommend --ask` first, then
where to read more. In a 50-column terminal, `knots --help` and an error wrap to 50 columns
without splitting a word.

usage: start_pty.py KNOTS
Prints one `ok:` or `FAIL:` line per check; exits 1 if any check failed.
"""
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

failures = 0


def check(what, ok, detail=""):
    global failures
    print(f"{'ok' if ok else 'FAIL'}: {what}")
    if not ok:
        failures += 1
        if detail:
            print(detail)


def in_pty(knots, args, cols, rows=24):
    """Runs knots in a pseudo-terminal of cols x rows; its exit code and what the screen got."""
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "KNOTS_PATH")}
        env.update(TERM="xterm", NO_COLOR="1", KNOTS_NO_CACHE="1", XDG_DATA_HOME="/nonexistent/knots-pty")
        os.execve(knots, [knots, *args], env)
    out = b""
    deadline = time.monotonic() + 20
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:  # waiting for a key (a pager?): a screen that needs no answer must not
            os.kill(pid, signal.SIGKILL)
            out += b"\n[knots still running after 20 s: killed]\n"
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace").replace("\r\n", "\n")


def screen_rows(text, cols):
    """How many rows of a cols-wide terminal the text takes (a longer line takes more than one)."""
    return sum(max(1, -(-len(line) // cols)) for line in text.rstrip("\n").split("\n"))


def main():
    knots = os.path.abspath(sys.argv[1])

    code, start = in_pty(knots, [], 80)
    lines = start.rstrip("\n").split("\n")
    check("plain knots exits 0", code == 0, start)
    check(f"plain knots takes {screen_rows(start, 80)} rows of 80x24: at most 20, with room for the prompt",
          screen_rows(start, 80) <= 20, start)
    check("no line of plain knots is wider than 80", all(len(line) <= 80 for line in lines), start)
    check("it says what knots is on its first line", lines[0].startswith("knots: massage for knots"), start)
    examples = [line.split()[:3] for line in lines if line.startswith("  knots ")]
    check("three example commands, `knots recommend --ask` first",
          len(examples) == 3 and examples[0] == ["knots", "recommend", "--ask"], start)
    check("it says where to read more (knots --help, man knots)",
          "knots --help" in start and "man knots" in start, start)

    for args in (["--help"], ["list", "--pressure", "extreme"]):
        code, text = in_pty(knots, args, 50)
        wide = [line for line in text.split("\n") if len(line) > 50 and len(line.split()) > 1]
        check(f"knots {' '.join(args)} in a 50-column terminal wraps to 50", not wide, "\n".join(wide))
    code, text = in_pty(knots, ["list", "--pressure", "extreme"], 50)
    check("the error in a 50-column terminal keeps its words whole",
          re.search(r"\blight, medium, firm, deep\b", " ".join(text.split())) is not None, text)

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
