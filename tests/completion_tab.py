#!/usr/bin/env python3
"""Completion of hostile names in a real interactive bash, zsh and fish.

Usage: tests/completion_tab.py KNOTS_BINARY

Modality aliases come from knowledge-base files that other people may share (KNOTS_PATH),
so an alias can hold shell syntax: $(...), `...`, ${...}, {a,b}, ~, ;, >, (...), quotes, globs.
This test runs each shell in a pseudo-terminal (80x24), loads the script printed by
`knots completion SHELL`, types `knots show PREFIX`, presses TAB like a user and then Enter.
It proves that, for every hostile alias:
  * TAB completed the alias and inserted it quoted, so that `knots show` received the literal
    alias and printed the modality ("Hostile test massage");
  * nothing hidden in the alias ran, neither while completing nor when the line was run: no
    file named *pwned* appears under the test folder and the shell variable pwnedvar stays unset;
and that listing the candidates (TAB TAB; one TAB in fish) shows them without running them.

KNOTS_TAB_BASH_SCRIPT=FILE uses FILE instead of `knots completion bash`, e.g. to check that
the test catches an unsafe script (one that hands the names to compgen -W); likewise
KNOTS_TAB_ZSH_SCRIPT and KNOTS_TAB_FISH_SCRIPT.
Prints one `ok:`, `FAIL:` or `skip:` line per check; exits 1 if any check failed.
"""
import fcntl
import os
import pty
import re
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
PROMPT = "READY> "
NAME = "Hostile test massage"
BUDGET = 100.0  # seconds for the whole test (ctest allows 150); checks past it fail instead of running

# Each alias starts with a unique plain prefix (what the user types before TAB). The commands
# use `true>FILE` rather than a bare `>FILE`, which zsh would run as `cat >FILE` (waiting on
# the terminal) and fish would reject; `(...)` is fish's command substitution. lookup
# lowercases names, hence the lowercase variable.
ALIASES = [
    ("zqa", "zqa$(true>pwned-a)"),  # command substitution
    ("zqb", "zqb`true>pwned-b`"),  # backticks
    ("zqc", "zqc${pwnedvar:=x}"),  # parameter expansion with assignment
    ("zqd", "zqd{x,y}"),  # brace expansion
    ("zqe", "zqe~root"),  # tilde
    ("zqf", "zqf;true>pwned-f"),  # command separator
    ("zqg", "zqg>pwned-g"),  # redirection
    ("zqh", "zqh(true>pwned-h)"),  # fish command substitution
    ("zqi", "zqi'x\"y"),  # unbalanced quotes
    ("zqj", "zqj*"),  # glob
    ("zqk", "zqk\\x"),  # backslash
]

# CSI, OSC (ended by BEL or ST), other ESC sequences, and control characters except \n.
ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[()*+][0-9A-Za-z]"
    r"|\x1b[ -~]"
    r"|[\x00-\x09\x0b-\x1f\x7f]"
)


def strip_ansi(text):
    return ANSI.sub("", text.replace("\r\n", "\n"))


class Stuck(Exception):
    """The shell did not come back to its prompt."""


class PtyShell:
    """One interactive shell in a pseudo-terminal: spawn, send keys, read, close."""

    def __init__(self, argv, env, cwd):
        self.buf = b""
        self.alive = True
        pid, fd = pty.fork()
        if pid == 0:  # child: the pty is our controlling terminal on fds 0-2
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))

    def _pump(self, timeout):
        """Reads what arrives within timeout seconds; True if anything did."""
        if not self.alive:
            time.sleep(timeout)
            return False
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child has gone
            data = b""
        if not data:
            self.alive = False
            return False
        self.buf += data
        return True

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def mark(self):
        return len(self.buf)

    def text(self, since=0):
        """The output since a mark, decoded and without escape sequences."""
        return strip_ansi(self.buf[since:].decode("utf-8", errors="replace"))

    def wait_for(self, pattern, timeout, since=0):
        """The first match of pattern in text(since), or None after timeout seconds."""
        regex = re.compile(pattern)
        end = time.monotonic() + timeout
        while True:
            found = regex.search(self.text(since))
            if found or time.monotonic() >= end:
                return found
            self._pump(min(0.05, end - time.monotonic()))

    def settle(self, quiet=0.3, timeout=3.0):
        """Reads until no output came for quiet seconds (at most timeout seconds)."""
        end = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() < end and time.monotonic() - last < quiet:
            if self._pump(0.05):
                last = time.monotonic()

    def close(self):
        try:
            os.kill(self.pid, signal.SIGHUP)
        except ProcessLookupError:
            pass
        end = time.monotonic() + 2
        while time.monotonic() < end:
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            self._pump(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def setup_lines(shell, script, dir_):
    """The start-up file for each shell: simple prompt, no distractions, the knots script."""
    if shell == "bash":
        return [
            "PS1='%s'; PS2='> '; unset PROMPT_COMMAND" % PROMPT,
            "bind 'set enable-bracketed-paste off'",
            "bind 'set bell-style none'",
            "source '%s'" % script,
        ]
    if shell == "zsh":
        funcs = os.path.join(dir_, "zfunc")
        os.makedirs(funcs, exist_ok=True)
        shutil.copy(script, os.path.join(funcs, "_knots"))
        return [
            "PROMPT='%s'; RPROMPT=''" % PROMPT,
            "unset zle_bracketed_paste",
            "unsetopt beep",
            "fpath=('%s' $fpath)" % funcs,
            "autoload -Uz compinit; compinit -D",
        ]
    return [  # fish
        "function fish_prompt; echo -n '%s'; end" % PROMPT,
        "function fish_right_prompt; end",
        "function fish_mode_prompt; end",
        "function fish_title; end",
        "set -g fish_greeting ''",
        "set -g fish_autosuggestion_enabled 0",
        "source '%s'" % script,
    ]


SHELLS = {
    "bash": {
        "argv": ["bash", "--norc", "--noprofile", "-i"],
        "history": "fc -ln -1",
        "var": 'echo "VAR=[${pwnedvar-unset}]"',
        "unset": "unset pwnedvar",
        "list_tabs": 2,
    },
    "zsh": {
        "argv": ["zsh", "-f", "-i"],
        "history": "fc -ln -1",
        "var": 'echo "VAR=[${pwnedvar-unset}]"',
        "unset": "unset pwnedvar",
        "list_tabs": 2,
    },
    "fish": {
        "argv": ["fish", "--no-config", "-i"],
        "history": "history search --max 1 | cat",
        "var": 'if set -q pwnedvar; echo "VAR=[$pwnedvar]"; else; echo "VAR=[unset]"; end',
        "unset": "set -e pwnedvar",
        "list_tabs": 1,
    },
}


class Test:
    def __init__(self, knots):
        self.knots = knots
        self.failed = False
        self.start = time.monotonic()
        self.dir = tempfile.mkdtemp(prefix="knots-tab-")

    def report(self, ok, message, screen=None):
        print(("ok: " if ok else "FAIL: ") + message)
        if not ok:
            self.failed = True
            if screen is not None:
                print("  --- screen text ---")
                for line in screen.strip("\n").splitlines()[-30:]:
                    print("  | " + line)
        sys.stdout.flush()

    def pwned(self):
        """Files under the test folder whose name says something ran; they are removed so
        that the next check is judged on its own."""
        found = []
        for root, dirs, files in os.walk(self.dir):
            for name in dirs + files:
                if "pwned" in name:
                    found.append(os.path.join(root, name))
        for path in found:
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                os.remove(path)
        return [os.path.relpath(p, self.dir) for p in found]

    # --- setup ---------------------------------------------------------------------------

    def make_kb(self):
        """kb/modalities/hostile.yaml: the fixture's Swedish massage, renamed, hostile aliases."""
        fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "fixtures", "kb", "modalities", "swedish.yaml")
        with open(fixture) as f:
            text = f.read()
        quoted = "".join("  - '%s'\n" % alias.replace("'", "''") for _, alias in ALIASES)
        text = re.sub(r"^id: .*$", "id: hostile", text, count=1, flags=re.M)
        text = re.sub(r"^name: .*$", "name: " + NAME, text, count=1, flags=re.M)
        text = re.sub(r"^aliases:.*\n", lambda _: "aliases:\n" + quoted, text, count=1,
                      flags=re.M)
        self.kb = os.path.join(self.dir, "kb")
        os.makedirs(os.path.join(self.kb, "modalities"))
        with open(os.path.join(self.kb, "modalities", "hostile.yaml"), "w") as f:
            f.write(text)

    def make_env(self):
        bin_dir = os.path.join(self.dir, "bin")
        os.makedirs(bin_dir)
        os.symlink(self.knots, os.path.join(bin_dir, "knots"))
        # PAGER=cat: the page `knots show` prints is checked on the screen, not in a pager
        # (pager_pty.py tests that).
        self.env = {"PATH": bin_dir + ":/usr/bin:/bin", "TERM": "xterm", "LANG": "C.UTF-8",
                    "KNOTS_PATH": self.kb, "PAGER": "cat"}
        for var, sub in (("HOME", "home"), ("XDG_DATA_HOME", "data"),
                         ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
            self.env[var] = os.path.join(self.dir, sub)
            os.makedirs(self.env[var])

    def run_knots(self, *args):
        return subprocess.run([self.knots, *args], env=self.env, cwd=self.dir, timeout=10,
                              capture_output=True, text=True)

    def check_kb(self):
        """The hostile file loads, and `completion --values modality` lists every alias."""
        done = self.run_knots("validate", self.kb)
        self.report(done.returncode == 0, "knots validate kb: " + done.stdout.strip(),
                    None if done.returncode == 0 else done.stdout + done.stderr)
        # Files changed in the last 2 s are never cached (the racy-timestamp rule): wait that long,
        # so that every TAB reads the cached model, not the YAML (slow under the sanitizers).
        time.sleep(2.2)
        done = self.run_knots("completion", "--values", "modality")
        print("knots completion --values modality:")
        for line in done.stdout.splitlines():
            print("  " + line)
        values = done.stdout.splitlines()
        missing = [a for _, a in ALIASES if a.lower() not in values]
        self.report(not missing, "completion --values modality lists the hostile aliases",
                    None if not missing else "missing: %r" % missing)
        return done.returncode == 0 and not missing

    def script(self, shell):
        path = os.path.join(self.dir, "knots." + shell)
        var = "KNOTS_TAB_%s_SCRIPT" % shell.upper()
        override = os.environ.get(var)
        if override:
            print("note: %s uses %s (%s)" % (shell, override, var))
            shutil.copy(override, path)
            return path
        done = self.run_knots("completion", shell)
        with open(path, "w") as f:
            f.write(done.stdout)
        return path

    # --- one shell -------------------------------------------------------------------------

    def over_budget(self):
        return time.monotonic() - self.start > BUDGET

    def prompt_after(self, sh, since, timeout=5.0):
        if not sh.wait_for(re.escape(PROMPT), timeout, since):
            raise Stuck("no prompt within %gs" % timeout)

    def run_line(self, sh, line, timeout=5.0):
        """Types a line, presses Enter, waits for the next prompt; returns the output text."""
        start = sh.mark()
        sh.send(line + "\r")
        self.prompt_after(sh, start, timeout)
        sh.settle(quiet=0.1, timeout=1.0)
        return sh.text(start)

    def aftermath(self, sh, spec):
        """What the last line left behind: its history entry, pwned files, pwnedvar."""
        out = self.run_line(sh, 'echo "@@""L"; %s; echo "L""@@"; %s'
                            % (spec["history"], spec["var"]))
        found = re.search(r"@@L\n(.*?)\n?L@@", out, re.S)
        line = found.group(1).strip() if found else "?"
        var = re.search(r"VAR=\[([^$\]]*)\]", out)
        var = var.group(1) if var else "?"
        if var != "unset":
            self.run_line(sh, spec["unset"])
        return line, self.pwned(), var

    def type_prefix(self, sh, text):
        start = sh.mark()
        sh.send(text)
        sh.wait_for(re.escape(text[-3:]), 2.0, start)
        sh.settle(quiet=0.15, timeout=1.0)

    def check_alias(self, shell, sh, spec, prefix, alias):
        start = sh.mark()
        self.type_prefix(sh, "knots show " + prefix)
        sh.send("\t")
        sh.settle(quiet=0.3, timeout=3.0)
        completing_pwned = self.pwned()
        entered = sh.mark()
        sh.send("\r")
        result = sh.wait_for(re.escape(NAME) + r"|no modality|error|not found", 5.0, entered)
        self.prompt_after(sh, entered)
        screen = sh.text(start)
        line, run_pwned, var = self.aftermath(sh, spec)
        problems = []
        if not result:
            problems.append("knots printed neither %r nor an error within 5s" % NAME)
        elif result.group(0) != NAME:
            problems.append("knots did not get the literal alias %r" % alias)
        if completing_pwned:
            problems.append("TAB ran something: %s" % ", ".join(completing_pwned))
        if run_pwned:
            problems.append("the completed line ran something: %s" % ", ".join(run_pwned))
        if var != "unset":
            problems.append("pwnedvar is set: [%s]" % var)
        what = "%s %s -> %s" % (shell, prefix, line)
        if problems:
            self.report(False, what + ": " + "; ".join(problems), screen)
        else:
            self.report(True, what)

    def check_list(self, shell, sh, spec):
        start = sh.mark()
        self.type_prefix(sh, "knots show zq")
        typed = sh.mark()
        for _ in range(spec["list_tabs"]):
            sh.send("\t")
            sh.settle(quiet=0.4, timeout=3.0)
        # The list comes when knots has answered, which a loaded machine or a sanitizer build
        # slows down: wait for the last candidate, and press TAB once more if it is not there.
        last = re.escape(ALIASES[-1][0])
        if not sh.wait_for(last, 10.0, typed):
            sh.send("\t")
            sh.wait_for(last, 10.0, typed)
        sh.settle(quiet=0.4, timeout=3.0)
        screen = sh.text(start)
        completing_pwned = self.pwned()
        cleared = sh.mark()
        sh.send("\x03")  # Ctrl-C: abandon the line
        sh.settle(quiet=0.2, timeout=1.0)
        sh.send("\x15")  # Ctrl-U: in case anything is left on it
        sh.settle(quiet=0.2, timeout=1.0)
        if not sh.wait_for(re.escape(PROMPT), 2.0, cleared):
            sh.send("\r")  # fish may keep the line after Ctrl-C; Enter on an empty line
            self.prompt_after(sh, cleared)
        _, run_pwned, var = self.aftermath(sh, spec)
        # A listing may show the names quoted (bash prints the %q forms): compare unquoted.
        shown = screen.replace("\\", "")
        missing = [a for _, a in ALIASES if a.lower().replace("\\", "") not in shown]
        problems = []
        if missing:
            problems.append("candidates not listed: %s" % " ".join(missing))
        if completing_pwned or run_pwned:
            problems.append("listing ran something: %s" % ", ".join(completing_pwned + run_pwned))
        if var != "unset":
            problems.append("pwnedvar is set: [%s]" % var)
        what = "%s zq %s lists the %d candidates" % (shell, "TAB" * spec["list_tabs"],
                                                    len(ALIASES))
        if problems:
            self.report(False, what + ": " + "; ".join(problems), screen)
        else:
            self.report(True, what)

    def run_shell(self, shell):
        spec = SHELLS[shell]
        if not shutil.which(spec["argv"][0], path=self.env["PATH"]):
            print("skip: %s is not installed" % shell)
            return
        rc = os.path.join(self.dir, "setup." + shell)
        with open(rc, "w") as f:
            f.write("\n".join(setup_lines(shell, self.script(shell), self.dir)) + "\n")
        work = os.path.join(self.dir, "work-" + shell)
        os.makedirs(work)
        sh = PtyShell(spec["argv"], self.env, work)
        checks = [("list", None, None)] + [("alias", p, a) for p, a in ALIASES]
        try:
            sh.settle(quiet=0.5, timeout=5.0)
            start = sh.mark()
            sh.send("source '%s'\r" % rc)
            self.prompt_after(sh, start, 10.0)
            sh.settle(quiet=0.3, timeout=2.0)
            while checks:
                if self.over_budget():
                    raise Stuck("over the time budget of %gs" % BUDGET)
                kind, prefix, alias = checks[0]
                if kind == "list":
                    self.check_list(shell, sh, spec)
                else:
                    self.check_alias(shell, sh, spec, prefix, alias)
                checks.pop(0)
        except Stuck as why:
            names = ", ".join(p or "zq" for _, p, _ in checks)
            self.report(False, "%s: %s; not checked: %s" % (shell, why, names), sh.text())
        finally:
            sh.close()

    def run(self):
        try:
            self.make_kb()
            self.make_env()
            if self.check_kb():
                for shell in ("bash", "zsh", "fish"):
                    self.run_shell(shell)
            left = self.pwned()
            self.report(not left, "no file named *pwned* under the test folder"
                        + (": " + ", ".join(left) if left else ""))
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
        print("%s in %.1fs" % ("FAILED" if self.failed else "passed",
                               time.monotonic() - self.start))
        return 1 if self.failed else 0


def main():
    if len(sys.argv) != 2:
        print("usage: completion_tab.py KNOTS_BINARY", file=sys.stderr)
        return 2
    return Test(os.path.abspath(sys.argv[1])).run()


if __name__ == "__main__":
    sys.exit(main())
