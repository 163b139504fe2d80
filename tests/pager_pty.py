#!/usr/bin/env python3
"""The pager, as a person at a terminal meets it: the real binary in a pseudo-terminal of 80x24.

Usage: tests/pager_pty.py KNOTS_BINARY

Each case runs one command line through /bin/sh in the pty, with PAGER set to a fake pager (a
script that records that it ran and what it read) or unset (less -FRX, when less is installed).
It proves that:
  * `knots show thai` (48 lines) goes through $PAGER, which gets the whole page with its colour;
  * with PAGER unset it goes through less -FRX, which waits for a key and quits on q with exit 0;
  * --no-pager (before or after the command), a pipe, PAGER=cat and an empty PAGER bypass it;
  * short output (`knots list --pressure deep`) is not paged;
  * JSON on a terminal is paged like text; `recommend --ask` never is (its control without --ask is);
  * a pager that cannot be started leaves the text printed directly, and one quit before the end
    (the pipe closed under a long output) is no error.
Prints one `ok:`, `FAIL:` or `skip:` line per check; exits 1 if any check failed.
"""
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

COLS, ROWS = 80, 24
failures = 0


def check(ok, what, detail=""):
    global failures
    if ok:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what}" + (f"\n{detail}" if detail else ""))


class Pty:
    """One command line run by /bin/sh in a pseudo-terminal of COLS x ROWS."""

    def __init__(self, line, env):
        self.buf = b""
        self.status = None
        pid, fd = pty.fork()
        if pid == 0:  # child: the pty is the controlling terminal on fds 0-2
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve("/bin/sh", ["sh", "-c", line], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    def pump(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: every process on the pty has gone
                data = b""
            self.buf += data
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)

    def wait_for(self, text, timeout):
        end = time.monotonic() + timeout
        while text.encode() not in self.buf and time.monotonic() < end:
            self.pump(0.05)
        return text.encode() in self.buf

    def finish(self, timeout):
        """The exit status, or None when it was still running after timeout seconds."""
        end = time.monotonic() + timeout
        while self.status is None and time.monotonic() < end:
            self.pump(0.05)
        for _ in range(20):  # what is left in the pty
            self.pump(0.01)
        return self.status

    def close(self):
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)

    def text(self):
        return self.buf.decode("utf-8", errors="replace")


def main():
    knots = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="knots-pager-")
    ran, got = os.path.join(work, "pager-ran"), os.path.join(work, "pager-input")
    fake = os.path.join(work, "fake-pager")
    with open(fake, "w") as f:
        f.write(f'#!/bin/sh\necho ran > "{ran}"\ncat > "{got}"\necho FAKE-PAGER-SHOWED\n')
    os.chmod(fake, 0o755)
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": work,
        "XDG_DATA_HOME": os.path.join(work, "data"),
        "XDG_CACHE_HOME": os.path.join(work, "cache"),
        "TERM": "xterm",
        "KNOTS_PATH": "",
    }

    def run(line, pager=fake, keys=None, timeout=10):
        """Runs `knots …` (the line, with KNOTS for the binary): (status, screen, pager input or None)."""
        for path in (ran, got):
            if os.path.exists(path):
                os.remove(path)
        env = dict(base)
        if pager is not None:
            env["PAGER"] = pager
        p = Pty(line.replace("KNOTS", f"'{knots}'"), env)
        status = p.finish(timeout)
        p.close()
        paged = open(got, "rb").read() if os.path.exists(ran) else None
        return status, p.text(), paged

    # What `show thai` prints at 80 columns with colour, to compare with what the pager gets.
    expected = subprocess.run(
        [knots, "--color", "always", "show", "thai"],
        env=dict(base, COLUMNS="80"),
        capture_output=True,
        check=True,
    ).stdout
    lines = expected.count(b"\n")
    check(lines > ROWS, f"show thai is longer than the screen ({lines} lines)")

    status, screen, paged = run("KNOTS show thai")
    check(status == 0 and paged is not None, "show thai on a terminal goes through $PAGER", screen)
    check(paged == expected, "the pager gets the whole page, as printed at 80 columns",
          f"pager got {len(paged or b'')} bytes, expected {len(expected)}")
    check(paged is not None and b"\x1b[" in paged, "colour stays on through the pager")
    check("FAKE-PAGER-SHOWED" in screen and "Thai massage" not in screen,
          "only the pager writes to the terminal", screen[:400])

    for line, what in [
        ("KNOTS --no-pager show thai", "--no-pager before the command"),
        ("KNOTS show thai --no-pager", "--no-pager after the command"),
        ("KNOTS show thai | cat", "a pipe"),
    ]:
        status, screen, paged = run(line)
        check(status == 0 and paged is None and "Thai massage" in screen and "knots sources ID" in screen,
              f"{what} bypasses the pager and prints the page", screen[-400:])

    for pager, what in [("cat", "PAGER=cat"), ("", "an empty PAGER")]:
        status, screen, paged = run("KNOTS show thai", pager=pager)
        check(status == 0 and "Thai massage" in screen and "knots sources ID" in screen,
              f"{what} means no pager: the page is printed", screen[-400:])

    status, screen, paged = run("KNOTS list --pressure deep")
    check(status == 0 and paged is None and "trigger-point" in screen,
          "short output (list --pressure deep) is not paged", screen)

    status, screen, paged = run("KNOTS show thai --json")
    check(status == 0 and paged is not None and b'"id": "thai"' in paged,
          "JSON on a terminal (indented, longer than the screen) is paged too", screen[-400:])

    answers = "printf 'none\\n\\n\\n\\n\\n\\n' | "
    status, screen, paged = run("KNOTS recommend --explain --top 10 2>/dev/null")
    check(status == 0 and paged is not None, "recommend --explain --top 10 (32 lines) is paged", screen[-400:])
    status, screen, paged = run(answers + "KNOTS recommend --ask --explain --top 10 2>/dev/null")
    check(status == 0 and paged is None and "Score:" in screen,
          "the same after --ask is never paged: it follows the interview", screen[-400:])

    status, screen, paged = run("KNOTS show thai", pager=os.path.join(work, "no-such-pager"))
    check(status == 0 and "Thai massage" in screen and "knots sources ID" in screen,
          "a pager that cannot be started: the page is printed directly", screen[-400:])

    # Indented on a terminal, list --json is far larger than a pipe's buffer: the pager reads a
    # little and quits, and knots meets a closed pipe.
    status, screen, paged = run("KNOTS list --json; echo exit=$?", pager="head -c 100 >/dev/null")
    check(status == 0 and "exit=0" in screen and "error" not in screen,
          "a pager quit before the end is no error (exit 0, nothing on stderr)", screen[-400:])

    if shutil.which("less"):
        env = dict(base)
        p = Pty(f"'{knots}' show thai; echo exit=$?", env)
        shown = p.wait_for("What happens", 10)
        time.sleep(0.5)
        p.pump(0.1)
        waiting = p.status is None and b"exit=" not in p.buf
        check(shown and waiting, "with PAGER unset, less -FRX shows the first screen and waits", p.text()[-400:])
        check(b"\x1b[" in p.buf and "knots sources ID" not in p.text(),
              "less keeps the colour and holds back what does not fit")
        os.write(p.fd, b"q")
        status = p.finish(5)
        check(status == 0 and "exit=0" in p.text(), "q quits less, and knots exits 0", p.text()[-400:])
        p.close()
    else:
        print("skip: less is not installed, so the default pager was not tried")

    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
