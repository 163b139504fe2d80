#!/usr/bin/env python3
"""What a person sees in a real terminal: knots typed at a bash prompt in tmux, 80x24.

Usage: tests/screen_test.py KNOTS_BINARY

Each check types a command as a person would, waits for the prompt to come back and reads the
screen as tmux shows it (capture-pane), so a line that scrolled away is really gone:
  * after `knots recommend` (and with --pressure deep) the command line, the whole shortlist and
    the safety notice are all still on the 24-line screen;
  * `knots recommend --ask 2>/dev/null` (the notice thrown away) still shows every question, a
    misspelt condition is offered back ("did you mean 'pregnancy'?"), and the answer honours it.
Prints one `ok:` or `FAIL:` line per check; exits 1 if any failed, 77 (skip) without tmux.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

COLS, ROWS = 80, 24
PROMPT = "READY$ "


class Screen:
    """A bash in a detached tmux session of its own (private socket), sized COLS x ROWS."""

    def __init__(self, knots, home):
        self.socket = f"knots-screen-{os.getpid()}"
        bindir = os.path.join(home, "bin")
        os.makedirs(bindir, exist_ok=True)
        os.symlink(os.path.abspath(knots), os.path.join(bindir, "knots"))
        env = {
            "HOME": home,
            "PATH": f"{bindir}:/usr/bin:/bin",
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "PS1": PROMPT,
            "KNOTS_NO_CACHE": "1",
            "HISTFILE": "/dev/null",
        }
        env_args = [f"{k}={v}" for k, v in env.items()]
        self.tmux("new-session", "-d", "-s", "t", "-x", str(COLS), "-y", str(ROWS),
                  "env", "-i", *env_args, "bash", "--norc", "--noprofile")
        self.tmux("set-option", "-t", "t", "status", "off")
        self.wait(lambda s: PROMPT.rstrip() in s, "the first prompt")

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], check=True,
                              capture_output=True, text=True).stdout

    def screen(self, history=False):
        """What the terminal shows; with `history`, what scrolled off the top as well."""
        return self.tmux("capture-pane", "-p", "-t", "t", *(["-S", "-"] if history else []))

    def wait(self, ready, what, timeout=20.0):
        end = time.time() + timeout
        while time.time() < end:
            text = self.screen()
            if ready(text):
                return text
            time.sleep(0.1)
        raise TimeoutError(f"timed out waiting for {what}; the screen:\n{self.screen()}")

    def type(self, text):
        self.tmux("send-keys", "-t", "t", "-l", text)
        self.tmux("send-keys", "-t", "t", "Enter")

    def run(self, command):
        """Clears the screen, types `command`, and returns the screen once the prompt is back."""
        self.type("clear")
        self.wait(lambda s: s.strip() == PROMPT.strip(), "a clear screen")
        self.type(command)
        return self.wait(lambda s: s.rstrip().endswith(PROMPT.rstrip()) and not s.rstrip().endswith(command),
                         f"`{command}` to finish")

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


class Test:
    def __init__(self):
        self.failed = 0

    def check(self, ok, what, screen=""):
        print(("ok: " if ok else "FAIL: ") + what)
        if not ok:
            self.failed += 1
            if screen:
                print("  the screen was:\n" + "\n".join("  | " + l for l in screen.splitlines()))


def fits(screen, command, musts):
    """The command line, and every line in `musts`, are on the screen at once."""
    return f"{PROMPT}{command}" in screen and all(m in screen for m in musts)


def recommend_fits(t, scr):
    for command in ["knots recommend", "knots recommend --pressure deep"]:
        s = scr.run(command)
        t.check(fits(s, command, ["1. ", "2. ", "3. ", "Not a diagnosis", "knots red-flags",
                                  "Self-care"]),
                f"after `{command}` the shortlist and the notice are both on the 80x24 screen", s)
        t.check(all(len(line) <= COLS for line in s.splitlines()), f"`{command}`: no line wider than {COLS}", s)


def ask_with_typo(t, scr):
    command = "knots recommend --ask 2>/dev/null"
    scr.type("clear")
    scr.wait(lambda s: s.strip() == PROMPT.strip(), "a clear screen")
    scr.type(command)
    steps = [
        ("Do you have any of these now?", ""),
        ("Where is the knot?", "upper back"),
        ("How firm", "medium"),
        ("What do you want", "pain relief"),
        ("health conditions", "pregnent"),
        ("did you mean 'pregnan", "y"),
        ("Anything you need", ""),
        ("Anything you would like", ""),
    ]
    for seen, answer in steps:
        try:
            s = scr.wait(lambda s, seen=seen: seen in s.splitlines()[-1] or seen in s, f"'{seen}'")
        except TimeoutError as e:
            t.check(False, f"--ask with stderr thrown away shows '{seen}'", str(e))
            return
        t.check(True, f"--ask with stderr thrown away shows '{seen}'")
        scr.type(answer)
        time.sleep(0.2)
    scr.wait(lambda s: s.rstrip().endswith(PROMPT.rstrip()), "the answer")
    s = scr.screen(history=True)
    answer = s[s.rfind("For: "):]
    shortlist = answer.split("Ruled out")[0]
    question = " ".join(answer.split("\n\n")[0].splitlines())
    t.check("Pregnancy" in question and "1. " in shortlist,
            "the misspelt condition, once confirmed, is part of the question answered", s)
    t.check("knot: between the shoulder blades" in question,
            "the area given in everyday words is part of the question answered", s)
    t.check("Thai massage" not in shortlist and "thai" in answer.split("Ruled out")[-1],
            "what pregnancy rules out (Thai massage) is not recommended", s)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if not shutil.which("tmux"):
        print("skip: tmux is not installed")
        sys.exit(77)
    t = Test()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        scr = Screen(sys.argv[1], home)
        try:
            recommend_fits(t, scr)
            ask_with_typo(t, scr)
        finally:
            scr.close()
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
