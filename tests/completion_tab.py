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

It also checks what a person notices, in each shell and in zsh loaded the three ways people load
it (installed as _knots on $fpath with compinit; `source`d before compinit; after it):
  * loading the script prints nothing (no "_arguments:comparguments: can only be called from
    completion function");
  * `knots show` TAB lists one id per modality and no alias; `knots show cla` TAB gives the alias
    classic-massage;
  * names, conditions, goals, warning signs and pressure complete, pressure listed light, medium,
    firm, deep (not alphabetically);
  * fish shows no description repeated from row to row.

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
BUDGET = 170.0  # seconds for the whole test (ctest allows 240); checks past it fail instead of running

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
    if shell in ("zsh-sourced", "zsh-compinit"):  # `source <(knots completion zsh)` in .zshrc
        return [
            "PROMPT='%s'; RPROMPT=''" % PROMPT,
            "unset zle_bracketed_paste",
            "unsetopt beep",
        ] + (["autoload -Uz compinit; compinit -D"] if shell == "zsh-compinit" else []) + [
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
# The two other ways zsh users load the script: sourced from .zshrc before compinit (the script
# must start the completion system itself), and after it. Both are checked as people use them,
# without the hostile aliases (the installed zsh above covers those).
SHELLS["zsh-sourced"] = dict(SHELLS["zsh"], script="zsh", hostile=False)
SHELLS["zsh-compinit"] = dict(SHELLS["zsh"], script="zsh", hostile=False)

# What the people checks expect of the shipped knowledge base (plus the test's hostile entry).
IDS = ["aromatherapy", "deep-tissue", "hot-stone", "myofascial-release", "reflexology", "shiatsu",
       "sports", "swedish", "thai", "trigger-point", "hostile"]
ALIAS_WORDS = ["classic-massage", "thai-yoga-massage", "swedish-massage", "zqa"]
PRESSURE = ["light", "medium", "firm", "deep"]
# A line typed, TAB, and what the shell must then hold: values from the knowledge base.
VALUES = [
    ("knots show sw", "knots show swedish"),
    ("knots recommend --condition blood-t", "knots recommend --condition blood-thinners"),
    ("knots recommend --goal pain", "knots recommend --goal pain-relief"),
    ("knots recommend --symptom saddle", "knots recommend --symptom saddle-numbness"),
    ("knots list --pressure fi", "knots list --pressure firm"),
]
# Words on screen that mean the script failed as it loaded or completed.
ERRORS = r"comparguments|can only be called|command not found|not found|[Ee]rror|compdef"


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
        # PAGER=cat: `knots show` on a terminal may page its output, which would wait for keys.
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
        done = self.run_knots("completion", "--values", "modality", "--prefix", "zq")
        print("knots completion --values modality --prefix zq:")
        for line in done.stdout.splitlines():
            print("  " + line)
        values = [line.split("\t")[0] for line in done.stdout.splitlines()]
        missing = [a for _, a in ALIASES if a.lower() not in values]
        self.report(not missing, "completion --values modality --prefix zq lists the hostile aliases",
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

    def cancel_line(self, sh):
        """Abandons the line being typed and waits for a fresh prompt."""
        cleared = sh.mark()
        sh.send("\x03")  # Ctrl-C: abandon the line
        sh.settle(quiet=0.2, timeout=1.0)
        sh.send("\x15")  # Ctrl-U: in case anything is left on it
        sh.settle(quiet=0.2, timeout=1.0)
        if not sh.wait_for(re.escape(PROMPT), 2.0, cleared):
            sh.send("\r")  # fish may keep the line after Ctrl-C; Enter on an empty line
            self.prompt_after(sh, cleared)

    def list_after_tab(self, sh, spec, typed, last):
        """Types a line, presses TAB as a person does to see the candidates, and returns the
        screen text from then on (the line is abandoned afterwards). `last` is a pattern that
        shows the list has come (knots answers slowly on a loaded machine)."""
        self.type_prefix(sh, typed)
        start = sh.mark()
        for _ in range(spec["list_tabs"]):
            sh.send("\t")
            sh.settle(quiet=0.4, timeout=3.0)
        if not sh.wait_for(last, 10.0, start):
            sh.send("\t")
            sh.wait_for(last, 10.0, start)
        sh.settle(quiet=0.4, timeout=3.0)
        screen = sh.text(start)
        self.cancel_line(sh)
        return screen

    def line_after_tab(self, sh, typed, want):
        """Types a line, presses TAB once, and returns the line the shell then holds, read back
        by running it as an echo (Ctrl-A, `echo @@`, Enter), and the screen text."""
        start = sh.mark()
        self.type_prefix(sh, typed)
        sh.send("\t")
        sh.wait_for(re.escape(want), 10.0, start)
        sh.settle(quiet=0.3, timeout=3.0)
        entered = sh.mark()
        sh.send("\x01echo @@\r")
        self.prompt_after(sh, entered)
        found = re.search(r"^@@(.*)$", sh.text(entered), re.M)
        return (found.group(1).strip() if found else "?"), sh.text(start)

    def check_loaded(self, shell, screen):
        """Loading the script printed nothing: no zsh error such as _arguments' "can only be
        called from completion function"."""
        said = screen.split("\n", 1)[-1].replace(PROMPT, "")
        words = re.findall(r"\S*[A-Za-z]\S*", said)  # not zsh's end-of-line mark (% or #)
        bad = bool(words) or re.search(ERRORS, said)
        self.report(not bad, "%s: loading the script prints nothing" % shell
                    + (": " + " ".join(words) if words else ""), screen if bad else None)

    def check_ids_first(self, shell, sh, spec):
        """TAB on nothing lists one id per modality, no alias; an alias comes once typed."""
        screen = self.list_after_tab(sh, spec, "knots show ", r"trigger-point")
        missing = [i for i in IDS if not re.search(r"(^|\s)%s(\s|$)" % re.escape(i), screen)]
        aliases = [a for a in ALIAS_WORDS if a in screen]
        line, typed = self.line_after_tab(sh, "knots show cla", "classic-massage")
        problems = []
        if missing:
            problems.append("ids not listed: %s" % " ".join(missing))
        if aliases:
            problems.append("aliases listed before any was typed: %s" % " ".join(aliases))
        if line != "knots show classic-massage":
            problems.append("'knots show cla' TAB gave %r" % line)
        what = "%s: 'knots show' TAB lists the %d ids only; 'cla' TAB gives the alias" % (
            shell, len(IDS))
        self.report(not problems, what + ("" if not problems else ": " + "; ".join(problems)),
                    None if not problems else screen + typed)

    def check_values(self, shell, sh, spec):
        """Values from the knowledge base complete, and pressure is offered light to deep."""
        problems = []
        screens = ""
        for typed, want in VALUES:
            line, screen = self.line_after_tab(sh, typed, want)
            if line != want:
                problems.append("%r TAB gave %r" % (typed, line))
                screens += screen
        screen = self.list_after_tab(sh, spec, "knots recommend --pressure ", r"deep")
        at = [screen.find(level) for level in PRESSURE]
        if -1 in at or at != sorted(at):
            problems.append("pressure listed as %s" % " ".join(
                p for _, p in sorted((a, p) for a, p in zip(at, PRESSURE) if a >= 0)))
            screens += screen
        what = "%s: show, --condition, --goal, --symptom, --pressure complete; pressure %s" % (
            shell, " ".join(PRESSURE))
        self.report(not problems, what + ("" if not problems else ": " + "; ".join(problems)),
                    None if not problems else screens)

    def check_descriptions(self, shell, sh, spec):
        """fish shows each value with its own description (the name it stands for), or none:
        never the same text on every row."""
        problems = []
        screens = ""
        for typed, last, least in (("knots show ", r"trigger-point", len(IDS)),
                                   ("knots recommend --pressure ", r"deep", 0),
                                   ("knots completion ", r"fish", 0)):
            screen = self.list_after_tab(sh, spec, typed, last)
            about = re.findall(r"\(([^()\n]+)\)", screen)
            repeated = sorted({a for a in about if about.count(a) > 1})
            if repeated or len(about) < least:
                problems.append("%r TAB: %s" % (typed, "; ".join(
                    ["%r on %d rows" % (a, about.count(a)) for a in repeated]
                    + (["%d descriptions for %d ids" % (len(about), least)]
                       if len(about) < least else []))))
                screens += screen
        what = "%s: no description repeated from row to row" % shell
        self.report(not problems, what + ("" if not problems else ": " + "; ".join(problems)),
                    None if not problems else screens)

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
        self.cancel_line(sh)
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

    def checks_for(self, shell, spec):
        """What to check in one shell: the hostile aliases, then what people notice."""
        checks = []
        if spec.get("hostile", True):
            checks = [("list", None)] + [("alias", p) for p, _ in ALIASES]
        checks += [("ids", None), ("values", None)]
        if shell == "fish":
            checks.append(("descriptions", None))
        return checks

    def run_check(self, shell, sh, spec, kind, prefix):
        if kind == "list":
            self.check_list(shell, sh, spec)
        elif kind == "alias":
            self.check_alias(shell, sh, spec, prefix, dict(ALIASES)[prefix])
        elif kind == "ids":
            self.check_ids_first(shell, sh, spec)
        elif kind == "values":
            self.check_values(shell, sh, spec)
        else:
            self.check_descriptions(shell, sh, spec)

    def run_shell(self, shell):
        spec = SHELLS[shell]
        if not shutil.which(spec["argv"][0], path=self.env["PATH"]):
            print("skip: %s is not installed" % shell)
            return
        rc = os.path.join(self.dir, "setup." + shell)
        with open(rc, "w") as f:
            script = self.script(spec.get("script", shell))
            f.write("\n".join(setup_lines(shell, script, self.dir)) + "\n")
        work = os.path.join(self.dir, "work-" + shell)
        os.makedirs(work)
        sh = PtyShell(spec["argv"], self.env, work)
        checks = self.checks_for(shell, spec)
        try:
            sh.settle(quiet=0.5, timeout=5.0)
            start = sh.mark()
            sh.send("source '%s'\r" % rc)
            # The first compinit writes its dump file: slow on a loaded machine.
            self.prompt_after(sh, start, 20.0)
            sh.settle(quiet=0.3, timeout=2.0)
            if not spec.get("hostile", True):
                self.check_loaded(shell, sh.text(start))
            while checks:
                if self.over_budget():
                    raise Stuck("over the time budget of %gs" % BUDGET)
                self.run_check(shell, sh, spec, *checks[0])
                checks.pop(0)
        except Stuck as why:
            names = ", ".join(p or kind for kind, p in checks)
            self.report(False, "%s: %s; not checked: %s" % (shell, why, names), sh.text())
        finally:
            sh.close()

    def run(self):
        try:
            self.make_kb()
            self.make_env()
            if self.check_kb():
                for shell in ("bash", "zsh", "fish", "zsh-sourced", "zsh-compinit"):
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
