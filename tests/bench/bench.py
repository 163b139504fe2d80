#!/usr/bin/env python3
"""Benchmark for knots (issues 7 and 18): start-up, query time and peak memory as the knowledge base
grows, raced against /bin/true and tealdeer.

Not part of the test suite: it never decides whether the build passes. Run it from the repository
root after a release build, for example:

    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF && cmake --build build-bench -j2
    python3 tests/bench/bench.py --knots build-bench/knots

What it does
  1. Generates seeded, deterministic synthetic knowledge bases of 100, 1,000 and 10,000 modalities
     (modalities/bench-NNNNN.yaml, every field filled with text of realistic length) that reference
     the built-in vocabulary, read from kb/*.yaml so that they stay valid. Each folder must pass
     `knots --kb DIR validate` and `list --json` must count every generated modality, or the
     benchmark stops with an error.
  2. Runs each command as a whole process, output to /dev/null, on the shipped knowledge base (no
     --kb) and on each synthetic size (--kb DIR): list --json, show ID, search TWO WORDS,
     compare THREE IDS, techniques ID, recommend --pressure firm --goal pain-relief --condition
     blood-thinners --clothed, graph, and a search of mistyped words. It measures /bin/true and
     tealdeer (`tldr --render PAGE` of a local tldr page, the nearest tool of its kind: one page of
     reference text, rendered for a terminal) the same way, and prints every time in milliseconds
     and as a ratio to each of those two peers.
  3. Records peak memory (max RSS) of a warm and of a cold run of each command, through GNU time
     (/usr/bin/time -f %M) so that the timed runs carry no wrapper; without GNU time, os.wait4 gives
     an upper bound (a child inherits this script's high-water mark through fork).
  4. Prints the growth factor from 1,000 to 10,000 modalities per command.
  5. Prints a Markdown table ready for the README and checks the targets of issue 18 (PASS/MISS):
     on the shipped knowledge base every command within 1.5x of /bin/true and faster than tealdeer,
     cold (no cache yet) and warm; at 10,000 modalities, warm, show, compare and techniques under
     5 ms and 32 MB, list --json under 200 ms and 64 MB, recommend and search under 100 ms and
     64 MB; and every command's first run (cold) under 1 s and 150 MB.
  6. Gives every command on every knowledge base a fresh, empty XDG_CACHE_HOME: the first run is
     reported as "cold" (it builds the model cache when the binary has one), the median of the
     following runs as "warm". The user's own cache and data folders are never touched: XDG_DATA_HOME
     points at an empty folder, KNOTS_PATH and KNOTS_NO_CACHE are removed from the environment.

Flags (defaults keep a full run under about 5 minutes on a 2-core machine)
  --knots PATH         the binary to measure (default: build-bench/knots)
  --kb-source DIR      where the built-in vocabulary is read from (default: kb/ of this repository)
  --sizes LIST         synthetic sizes, comma-separated (default: 100,1000,10000); 0 or empty = none
  --runs N             warm runs per command on the shipped KB and on sizes below 1,000 (default 15)
  --runs-1k N          warm runs per command on sizes from 1,000 to 9,999 (default 9)
  --runs-10k N         warm runs per command on sizes of 10,000 and more (default 5)
  --true-runs N        runs of /bin/true before the commands (default 21); it also runs once before
                       every warm run, and each ratio divides by the median of those paired runs
  --tldr PATH          tealdeer's tldr (default: the one on PATH); "" leaves the peer out
  --seed N             seed of the generator (default 7); the same seed gives the same files
  --data-dir DIR       where the synthetic knowledge bases go (default: a temporary folder that is
                       removed at the end); an existing folder generated with the same seed and
                       sizes is reused
  --keep               keep the temporary folder (its path is printed)
  --json FILE          also write every measurement as JSON
  --strict             exit 1 when a target is missed (by default the exit status only reports errors)

Exit status: 0 done (targets may be missed), 1 error (a command failed, a generated knowledge base
did not validate) or --strict with a missed target, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GENERATOR_VERSION = 1

# The closed vocabularies are enums in src/model/enums.hpp, not data; these mirror them.
PRESSURES = ["light", "medium", "firm", "deep"]
SURFACES = ["table", "mat", "chair"]
CLOTHING = ["undressed", "clothed", "either"]
USAGE = ["none", "optional", "used"]
FITS = ["some", "strong"]
RELATIONS = ["combines", "complements", "similar"]
GRADES = ["not-supported", "anecdotal", "mixed", "limited", "some"]

SEARCH_WORDS = ["heated", "stones"]
TYPO_WORDS = ["kneadign", "stonse", "qwzrtx"]  # no match: each is compared with the vocabulary
RECOMMEND_ARGS = ["--pressure", "firm", "--goal", "pain-relief", "--condition", "blood-thinners", "--clothed"]

# Targets (issue 18). On the shipped knowledge base, cold and warm: every command within this of
# /bin/true, and faster than tealdeer.
TARGET_SHIPPED_RATIO = 1.5
# At 10,000 modalities, warm: (ms, MB) per command; commands not named here have only the cold one.
TARGET_10K = {
    "show": (5.0, 32.0), "compare": (5.0, 32.0), "techniques": (5.0, 32.0),
    "list --json": (200.0, 64.0), "recommend": (100.0, 64.0), "search": (100.0, 64.0),
}
TARGET_10K_COLD = (1000.0, 150.0)  # every command's first run after a change
TARGET_GROWTH = 10.0  # 1,000 -> 10,000 at most ~10x (issue 7)

# The peer: a tldr page (the format tealdeer renders), of the length of a typical one.
TLDR_PAGE = """# tar

> Archiving utility.
> Often combined with a compression method, such as gzip or bzip2.
> More information: <https://www.gnu.org/software/tar>.

- [c]reate an archive and write it to a [f]ile:

`tar cf {{path/to/target.tar}} {{path/to/file1 path/to/file2 ...}}`

- [c]reate a g[z]ipped archive and write it to a [f]ile:

`tar czf {{path/to/target.tar.gz}} {{path/to/file1 path/to/file2 ...}}`

- E[x]tract a (compressed) archive [f]ile into the current directory [v]erbosely:

`tar xvf {{path/to/source.tar[.gz|.bz2|.xz]}}`

- E[x]tract a (compressed) archive [f]ile into the target directory:

`tar xf {{path/to/source.tar[.gz|.bz2|.xz]}} --directory={{path/to/directory}}`

- Lis[t] the contents of a tar [f]ile [v]erbosely:

`tar tvf {{path/to/source.tar}}`
"""


# --- the built-in vocabulary -----------------------------------------------------------------


def list_ids(path: Path) -> list[str]:
    """The ids of a vocabulary file: every top-level `- id: X` line."""
    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^- id:\s*(.+?)\s*$", line)
        if m:
            ids.append(m.group(1).strip("'\""))
    if not ids:
        raise SystemExit(f"bench: no ids found in {path}")
    return ids


def flow_items(text: str, key: str) -> set[str]:
    """Items of every top-level `key: [a, b]` line in a modality file."""
    items = set()
    for line in text.splitlines():
        m = re.match(rf"^{key}:\s*\[(.*)\]\s*$", line)
        if m:
            items.update(i.strip().strip("'\"") for i in m.group(1).split(",") if i.strip())
    return items


def read_vocabulary(kb: Path) -> dict:
    vocab = {
        "techniques": list_ids(kb / "techniques.yaml"),
        "conditions": list_ids(kb / "conditions.yaml"),
        "goals": list_ids(kb / "goals.yaml"),
        "sources": list_ids(kb / "sources.yaml"),
        "modalities": [],
        "targets": set(),
        "tools": set(),
    }
    for f in sorted((kb / "modalities").glob("*.yaml")):
        text = f.read_text(encoding="utf-8")
        m = re.search(r"^id:\s*(\S+)", text, re.M)
        if m:
            vocab["modalities"].append(m.group(1))
        vocab["targets"] |= flow_items(text, "targets")
        vocab["tools"] |= flow_items(text, "tools")
    vocab["targets"] = sorted(vocab["targets"])
    vocab["tools"] = sorted(vocab["tools"] | {"heated stones"})
    if not vocab["modalities"] or not vocab["targets"]:
        raise SystemExit(f"bench: no modalities found in {kb / 'modalities'}")
    return vocab


# --- synthetic text --------------------------------------------------------------------------

BODY = ["upper back", "lower back", "shoulders", "neck", "shoulder blades", "hips", "spine",
        "lumbar muscles", "trapezius", "rhomboids", "glutes", "side of the trunk"]
HANDS = ["palms", "thumbs", "fingertips", "forearms", "elbows", "knuckles", "heels of the hands",
         "heated stones", "a wooden tool", "a soft ball"]
MOTIONS = ["long gliding strokes", "slow kneading", "circular friction", "rhythmic pressing",
           "held pressure", "gentle rocking", "light tapping", "cross-fibre strokes",
           "passive stretches", "slow compression", "thumb walking", "skin rolling"]
FEELINGS = ["relaxed", "warm", "loose", "lighter", "sleepy", "a little sore", "calmer", "easier"]
PLACES = ["Sweden", "Japan", "Thailand", "China", "India", "Finland", "the United States",
          "Germany", "Hawaii", "Korea", "France", "the Netherlands", "Brazil", "Canada"]
PEOPLE = ["a physiotherapist", "a nurse", "a sports trainer", "a dancer", "a physician",
          "a group of therapists", "a spa owner", "a yoga teacher", "a chiropractor"]
ADJ = ["gentle", "firm", "slow", "steady", "rhythmic", "flowing", "focused", "brisk", "deep", "light"]

SUMMARY = [
    "{adj} {motion} with {hand}, aimed at tight spots in the {body}.",
    "{adj} table work combining {motion} and {motion2} for the {body}.",
    "A {adj} style that uses {hand} and {motion} to ease the {body}.",
    "{motion} and {motion2} with {hand}, mainly for relaxation and stiffness.",
]
DESCRIPTION = [
    "You lie on a {surface} while the therapist works over the {body} with {hand}.",
    "The session mixes {motion} and {motion2}, adjusted to what feels comfortable.",
    "Pressure starts {adj} and builds slowly, so the muscles have time to let go.",
    "Most sessions last about an hour, with a short talk first about what hurts and what to avoid.",
    "The therapist may use {hand} for {motion} across the {body} and the {body2}.",
    "Some practitioners add {motion}, and a few place heated stones along the {body}.",
    "You can ask for lighter or firmer work at any time, and the therapist checks in often.",
    "It is usually done {clothing}, with a sheet or towel covering what is not being worked on.",
    "Between strokes the therapist may hold a tender point for half a minute until it eases.",
    "Breathing slowly helps, and many people feel {feeling} by the end of the session.",
]
HELPS = [
    "The {motion} may loosen tight muscles in the {body} and help you relax.",
    "A tender spot may feel easier for a while, though the benefit is usually short-term.",
    "There are few trials of this style for back pain, so any benefit for knots is uncertain.",
    "It may suit people who like {adj} pressure and want to feel {feeling} afterwards.",
    "Combined with keeping active, it can make stiffness in the {body} easier to live with.",
]
ORIGIN = [
    "It is said to come from {place}, where {person} described it in the {century} century.",
    "The modern form was popularised by {person} in {place} in the {decade}s.",
    "Its early history is not well documented, and several schools claim to have started it.",
]
CAUTION = [
    "Tell the therapist beforehand; {motion} on the {body} may need to be left out.",
    "Keep the pressure {adj2} and ask your clinician first, especially before {motion}.",
    "Ask for a shorter session and avoid {motion} over sore or swollen areas.",
    "Practitioner sources advise care here, so agree any work on the {body} with your clinician.",
]
EVIDENCE = [
    "Small trials suggest a short-term easing of back pain, but they were small and unblinded.",
    "No trials of this style for back knots were found; related massage shows a small benefit.",
    "A review found low-certainty evidence that massage of this kind helps pain for a few weeks.",
    "Results for {motion} are mixed, and the better trials found little difference from rest.",
]


class Writer:
    """Fills sentence templates from seeded choices until a text reaches its target length."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fill(self, template: str) -> str:
        r = self.rng
        motion, motion2 = r.sample(MOTIONS, 2)
        body, body2 = r.sample(BODY, 2)
        text = template.format(
            adj=r.choice(ADJ), adj2=r.choice(["light", "gentle", "soft"]), motion=motion,
            motion2=motion2, hand=r.choice(HANDS), body=body, body2=body2,
            feeling=r.choice(FEELINGS), place=r.choice(PLACES), person=r.choice(PEOPLE),
            century=r.choice(["18th", "19th", "20th"]), decade=r.choice(["1930", "1950", "1970", "1990"]),
            surface=r.choice(["table", "mat", "futon", "chair"]),
            clothing=r.choice(["undressed to your comfort level", "in loose clothes", "fully clothed"]))
        return text[0].upper() + text[1:]

    def text(self, templates: list[str], length: int) -> str:
        """Sentences from distinct templates (in a seeded order) until the text is about `length`
        characters: it stops where that is nearer the target than one more sentence would be."""
        order = self.rng.sample(templates, len(templates))
        out, size = [], -1
        for k in range(4 * len(templates)):
            sentence = self.fill(order[k % len(order)])
            if out and abs(size + 1 + len(sentence) - length) > abs(size - length):
                break
            out.append(sentence)
            size += 1 + len(sentence)
        return " ".join(out)


def block(key: str, text: str, indent: int) -> str:
    """A folded block scalar (`key: >`), wrapped like the shipped files."""
    pad = " " * indent
    lines = textwrap.wrap(text, 92 - indent - 2)
    return f"{pad}{key}: >\n" + "".join(f"{pad}  {line}\n" for line in lines)


def flow(items) -> str:
    return "[" + ", ".join(items) + "]"


def modality_id(i: int) -> str:
    return f"bench-{i:05d}"


def modality_yaml(i: int, n: int, vocab: dict, rng: random.Random, seed: int) -> str:
    w = Writer(rng)
    mid = modality_id(i)
    lo = rng.randrange(4)
    hi = rng.randrange(lo, 4)
    aliases = [f"bench style {i}", f"knot work {i}", f"bm {i} massage"][: rng.randint(2, 3)]
    summary = w.text(SUMMARY, 80)
    goals = rng.sample(vocab["goals"], rng.randint(1, 4))
    cautions = rng.sample(vocab["conditions"], rng.randint(2, 6))
    others = [j for j in rng.sample(range(1, n + 1), min(n, 3)) if j != i][: rng.randint(0, 2)]
    related = [modality_id(j) for j in others]
    if rng.random() < 0.2:
        related.append(rng.choice(vocab["modalities"]))

    y = [f"# Synthetic modality for the knots benchmark (tests/bench/bench.py, seed {seed}).\n",
         f"id: {mid}\n", f"name: Bench massage {i}\n", f"aliases: {flow(aliases)}\n",
         f"summary: {summary}\n",
         block("description", w.text(DESCRIPTION, 500), 0),
         f"pressure:\n  min: {PRESSURES[lo]}\n  max: {PRESSURES[hi]}\n",
         f"techniques: {flow(rng.sample(vocab['techniques'], rng.randint(5, 8)))}\n",
         f"tools: {flow(rng.sample(vocab['tools'], rng.randint(2, 5)))}\n",
         "setting:\n",
         f"  surface: {flow(rng.sample(SURFACES, rng.randint(1, 3)))}\n",
         f"  clothing: {rng.choice(CLOTHING)}\n  oil: {rng.choice(USAGE)}\n  heat: {rng.choice(USAGE)}\n",
         f"targets: {flow(rng.sample(vocab['targets'], rng.randint(1, 3)))}\n",
         f"back: {'indirect' if rng.random() < 0.1 else 'direct'}\n",
         block("helps_knots", w.text(HELPS, 250), 0),
         "goals:\n" + "".join(f"  {g}: {rng.choice(FITS)}\n" for g in goals),
         block("origin", w.text(ORIGIN, 150), 0)]
    if related:
        y.append("related:\n" + "".join(f"  - id: {r}\n    relation: {rng.choice(RELATIONS)}\n" for r in related))
    y.append("cautions:\n")
    for c in cautions:
        level = rng.choice(["adapt", "avoid"])
        y.append(f"  - condition: {c}\n    level: {level}\n")
        if level == "adapt" and rng.random() < 0.4:
            y.append(f"    max_pressure: {rng.choice(['light', 'medium'])}\n")
        y.append(block("note", w.text(CAUTION, 100), 4))
        y.append(f"    sources: {flow(rng.sample(vocab['sources'], rng.randint(1, 4)))}\n")
    y.append(f"evidence:\n  grade: {rng.choice(GRADES)}\n")
    y.append(block("note", w.text(EVIDENCE, 200), 2))
    y.append(f"  sources: {flow(rng.sample(vocab['sources'], rng.randint(1, 3)))}\n")
    y.append(f"sources: {flow(rng.sample(vocab['sources'], rng.randint(5, 10)))}\n")
    return "".join(y)


def generate(folder: Path, n: int, vocab: dict, seed: int) -> None:
    """Writes folder/modalities/bench-00001.yaml .. bench-NNNNN.yaml, unless the same set is there."""
    stamp = folder / "bench-stamp.json"
    want = {"generator": GENERATOR_VERSION, "seed": seed, "size": n, "vocabulary": vocab}
    if stamp.exists():
        try:
            if json.loads(stamp.read_text()) == want:
                return
        except ValueError:
            pass
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "modalities").mkdir(parents=True)
    rng = random.Random(f"{seed}-{n}")
    for i in range(1, n + 1):
        (folder / "modalities" / f"{modality_id(i)}.yaml").write_text(
            modality_yaml(i, n, vocab, rng, seed), encoding="utf-8")
    stamp.write_text(json.dumps(want))  # not *.yaml, so knots does not read it


# --- running ---------------------------------------------------------------------------------


class BenchError(Exception):
    pass


def base_env(scratch: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOTS_")}
    data = scratch / "xdg-data"  # empty: no user knowledge base is read
    data.mkdir(parents=True, exist_ok=True)
    env.update(XDG_DATA_HOME=str(data), XDG_CACHE_HOME=str(scratch / "xdg-cache-unused"),
               NO_COLOR="1", COLUMNS="80", LC_ALL="C.UTF-8")
    return env


def run_once(argv: list[str], env: dict) -> tuple[float, float, int]:
    """Runs argv with output to /dev/null; returns (wall ms, CPU ms (user + system), exit status)."""
    with open(os.devnull, "wb") as null:
        start = time.perf_counter_ns()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=null, stderr=null, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = (time.perf_counter_ns() - start) / 1e6
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, (usage.ru_utime + usage.ru_stime) * 1000.0, proc.returncode


def capture(argv: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def gnu_time() -> str | None:
    """GNU time(1), when installed: it forks the command from a small process, so max RSS is the
    command's own. A child spawned from Python inherits Python's high-water mark through fork or
    vfork, so os.wait4 alone reports at least the size of this script."""
    path = shutil.which("time", path="/usr/bin:/bin:/usr/local/bin")
    if not path:
        return None
    try:
        res = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, timeout=10)
        int(res.stderr.strip().splitlines()[-1])
        return path
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None


def peak_rss(argv: list[str], env: dict, time_bin: str | None, scratch: Path) -> float:
    """Max RSS of one run in MB: by GNU time when there is one, else an upper bound by os.wait4."""
    if time_bin is None:
        with open(os.devnull, "wb") as null:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=null, stderr=null, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = rc = os.waitstatus_to_exitcode(status)
        mb = usage.ru_maxrss / 1024.0  # KiB on Linux
    else:
        report = scratch / "time-report"
        with open(os.devnull, "wb") as null:
            rc = subprocess.run([time_bin, "-f", "%M", "-o", str(report), "--", *argv],
                                stdin=subprocess.DEVNULL, stdout=null, stderr=null, env=env).returncode
        mb = int(report.read_text().strip().splitlines()[-1]) / 1024.0
    if rc != 0:
        raise BenchError(f"exit status {rc} while measuring memory: {' '.join(argv)}")
    return mb


def fresh(cache: Path) -> None:
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True)


def measure(label: str, argv: list[str], env: dict, runs: int, cache: Path, time_bin: str | None,
            scratch: Path, true_bin: str) -> dict:
    """A cold run (fresh, empty cache folder), `runs` warm runs each right after a run of /bin/true
    (so that the ratio compares runs made under the same machine load), then memory: one warm run
    and one more cold run (cache emptied again) measured by GNU time, so timed runs carry no wrapper."""
    env = dict(env, XDG_CACHE_HOME=str(cache))
    fresh(cache)
    times, cpus, trues, true_cpus = [], [], [], []
    for k in range(runs + 1):
        if k > 0:
            t_ms, t_cpu, _ = run_once([true_bin], env)
            trues.append(t_ms)
            true_cpus.append(t_cpu)
        ms, cpu, rc = run_once(argv, env)
        if rc != 0:
            detail = capture(argv, env)
            raise BenchError(f"{label}: exit status {rc}: {' '.join(argv)}\n{detail.stderr.strip()[:2000]}")
        times.append(ms)
        cpus.append(cpu)
    cache_bytes = folder_bytes(cache)
    warm_mb = peak_rss(argv, env, time_bin, scratch)
    fresh(cache)
    cold_mb = peak_rss(argv, env, time_bin, scratch)
    warm = times[1:]
    return {
        "label": label, "argv": argv, "runs": runs,
        "cold_ms": times[0], "cold_mb": cold_mb, "cold_cpu_ms": cpus[0],
        "cpu_ms": statistics.median(cpus[1:]), "true_cpu_ms": statistics.median(true_cpus),
        "cpu_ratio": statistics.median(cpus[1:]) / max(statistics.median(true_cpus), 1e-3),
        "median_ms": statistics.median(warm), "min_ms": min(warm), "max_ms": max(warm),
        "true_ms": statistics.median(trues), "true_runs": trues,
        "ratio": statistics.median(warm) / statistics.median(trues),
        "min_ratio": min(warm) / min(trues),
        "warm_mb": warm_mb,
        "cache_bytes": cache_bytes,
    }


# --- the benchmark ---------------------------------------------------------------------------


def commands_for(n: int, vocab: dict) -> list[tuple[str, list[str]]]:
    technique = "effleurage" if "effleurage" in vocab["techniques"] else vocab["techniques"][0]
    if n == 0:  # the shipped knowledge base
        ids = [m for m in ["swedish", "thai", "shiatsu"] if m in vocab["modalities"]]
        ids = (ids + [m for m in vocab["modalities"] if m not in ids])[:3]
        show = "thai" if "thai" in ids else ids[0]
    else:
        ids = [modality_id(j) for j in sorted({1, max(1, n // 2), n})]
        show = modality_id(max(1, n // 2))
    return [
        ("list --json", ["list", "--json"]),
        ("show", ["show", show]),
        ("search", ["search", *SEARCH_WORDS]),
        ("compare", ["compare", *ids]),
        ("techniques", ["techniques", technique]),
        ("recommend", ["recommend", *RECOMMEND_ARGS]),
        # Work that once grew faster than the input: every pair of modalities, every word.
        ("graph", ["graph"]),
        ("search, typos", ["search", *TYPO_WORDS]),
    ]


def kb_label(n: int) -> str:
    return "shipped" if n == 0 else f"{n:,}"


def runs_for(n: int, args) -> int:
    if n >= 10000:
        return args.runs_10k
    if n >= 1000:
        return args.runs_1k
    return args.runs


def check_kb(knots: str, folder: Path, n: int, shipped: int, env: dict) -> float:
    """Fails loudly unless `knots --kb DIR validate` passes and list counts every modality."""
    start = time.perf_counter()
    res = capture([knots, "--kb", str(folder), "validate"], env)
    seconds = time.perf_counter() - start
    if res.returncode != 0:
        lines = (res.stdout + res.stderr).strip().splitlines()
        raise BenchError(f"generated knowledge base {folder} does not validate (exit {res.returncode}):\n"
                         + "\n".join(lines[:40]))
    res = capture([knots, "--kb", str(folder), "list", "--json"], env)
    try:
        count = len(json.loads(res.stdout)["items"])
    except (ValueError, KeyError, TypeError):
        raise BenchError(f"list --json on {folder} did not give JSON with items (exit {res.returncode})")
    if count != n + shipped:
        raise BenchError(f"list --json on {folder} has {count} modalities, expected {n} + {shipped} built-in")
    return seconds


def fmt_ms(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--knots", default=str(REPO / "build-bench" / "knots"))
    p.add_argument("--kb-source", default=str(REPO / "kb"))
    p.add_argument("--sizes", default="100,1000,10000")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--runs-1k", type=int, default=9)
    p.add_argument("--runs-10k", type=int, default=5)
    p.add_argument("--true-runs", type=int, default=21)
    p.add_argument("--tldr", default=shutil.which("tldr") or "")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--data-dir")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--json", dest="json_out")
    p.add_argument("--strict", action="store_true")
    args = p.parse_args(argv)

    knots = os.path.abspath(args.knots)
    if not os.access(knots, os.X_OK):
        p.error(f"no executable at {knots}; build it first (see the top of this file)")
    try:
        sizes = sorted({int(s) for s in args.sizes.replace("_", "").split(",") if s.strip() and int(s) > 0})
    except ValueError:
        p.error("--sizes takes numbers separated by commas")
    if min(args.runs, args.runs_1k, args.runs_10k, args.true_runs) < 1:
        p.error("run counts must be at least 1")
    true_bin = shutil.which("true") if not os.access("/bin/true", os.X_OK) else "/bin/true"

    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    scratch = Path(tempfile.mkdtemp(prefix="knots-bench-"))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else scratch / "kb"
    env = base_env(scratch)
    vocab = read_vocabulary(Path(args.kb_source))
    shipped = len(vocab["modalities"])
    version = capture([knots, "--version"], env).stdout.strip() or "?"
    time_bin = gnu_time()

    results: dict[str, dict] = {}
    out = sys.stdout
    try:
        print(f"knots benchmark: {knots} ({version}), seed {args.seed}, data in {data_dir}", file=out)
        for n in sizes:
            folder = data_dir / f"kb-{n}"
            t0 = time.perf_counter()
            generate(folder, n, vocab, args.seed)
            secs = check_kb(knots, folder, n, shipped, env)
            mb = folder_bytes(folder / "modalities") / 1e6
            print(f"  {n:>6,} modalities: {mb:.1f} MB of YAML, generated and checked in "
                  f"{time.perf_counter() - t0:.1f} s (validate {secs:.2f} s): OK", file=out)

        true_runs = []
        for _ in range(args.true_runs):
            true_runs.append(run_once([true_bin], env))
        peer = None
        if args.tldr:
            page = scratch / "tar.md"
            page.write_text(TLDR_PAGE, encoding="utf-8")
            peer_version = capture([args.tldr, "--version"], env).stdout.strip() or "tldr"
            print(f"  measuring {peer_version}: tldr --render PAGE ({args.runs} warm runs) ...", file=out, flush=True)
            peer = measure("tealdeer", [args.tldr, "--render", str(page)], env, args.runs,
                           scratch / "cache" / "tldr", time_bin, scratch, true_bin)
            peer["version"] = peer_version
        kbs = [0] + sizes
        for n in kbs:
            runs = runs_for(n, args)
            kb_args = [] if n == 0 else ["--kb", str(data_dir / f"kb-{n}")]
            print(f"  measuring {kb_label(n)} KB ({runs} warm runs per command) ...", file=out, flush=True)
            for name, cmd in commands_for(n, vocab):
                cache = scratch / "cache" / f"kb-{n}" / name.split()[0]
                r = measure(f"{name} on {kb_label(n)}", [knots, *kb_args, *cmd], env, runs, cache,
                            time_bin, scratch, true_bin)
                results[f"{n}/{name}"] = {"kb": n, "command": name, **r}
        for r in [*results.values(), *([peer] if peer else [])]:
            true_runs.extend((t, 0.0, 0) for t in r["true_runs"])
        true_ms = statistics.median(t for t, _, _ in true_runs)
        true_mb = peak_rss([true_bin], env, time_bin, scratch)
    except BenchError as e:
        print(f"bench: error: {e}", file=sys.stderr)
        return 1
    finally:
        if args.data_dir:
            print(f"  synthetic knowledge bases kept in {data_dir}", file=out)
        if args.keep:
            print(f"  scratch (synthetic KBs unless --data-dir, caches) kept in {scratch}", file=out)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    names = [name for name, _ in commands_for(0, vocab)]
    kbs = [0] + sizes
    cached = any(r["cache_bytes"] > 0 for r in results.values())

    # Detailed table.
    print(f"\n/bin/true: median {true_ms:.2f} ms, peak {true_mb:.1f} MB ({len(true_runs)} runs)", file=out)
    print("peak memory: " + (f"max RSS from {time_bin} -f %M (one warm and one cold run each)" if time_bin else
                             "GNU time not found: os.wait4 max RSS, an upper bound (it includes this "
                             "script's own size, inherited at fork)"), file=out)
    print("model cache: " + ("written (cold = first run with an empty XDG_CACHE_HOME)" if cached
                             else "none written by this binary (cold = first run, same work as warm)"), file=out)
    load = os.getloadavg()
    busy = max(load_before, load[0]) > 1.0 + 0.25 * (os.cpu_count() or 1)  # this script itself counts ~1
    print(f"load average: {load_before:.2f} before, {load[0]:.2f} at the end, on {os.cpu_count()} CPUs"
          + (" (busy machine: expect noise; cpu ms and the ratios suffer least)" if busy else ""), file=out)
    print("\n" + textwrap.fill("cold: first run, empty cache folder · warm: median of the runs after it (min, max) · true ms: "
          "median of the /bin/true runs made alternately with them · x true: warm / true · min x: min / min "
          "· cpu ms: median user+system CPU time of the warm runs (steadier than wall time on a busy machine), "
          "cpu x: the same over /bin/true's "
          "· warm MB, cold MB: max RSS of a warm and of a cold run · cache KB: the cache folder afterwards. Synthetic "
          f"sizes come on top of the {shipped} built-in modalities.", 100), file=out)
    def x_peer(r: dict) -> str:
        return f"{r['median_ms'] / peer['median_ms']:>6.1f}x" if peer else f"{'-':>7}"

    print(f"\n{'KB':>8}  {'command':<13} {'cold ms':>9} {'warm ms':>9} {'min':>8} {'max':>8} {'true ms':>8} "
          f"{'x true':>7} {'min x':>6} {'x tldr':>7} {'cpu ms':>7} {'cpu x':>6} {'warm MB':>8} {'cold MB':>8} "
          f"{'cache KB':>9}", file=out)
    rows = ([("peer", "tealdeer", peer)] if peer else []) + [
        (kb_label(n), name, results[f"{n}/{name}"]) for n in kbs for name in names]
    for kb, name, r in rows:
        print(f"{kb:>8}  {name:<13} {fmt_ms(r['cold_ms']):>9} {fmt_ms(r['median_ms']):>9} "
              f"{fmt_ms(r['min_ms']):>8} {fmt_ms(r['max_ms']):>8} {r['true_ms']:>8.2f} {r['ratio']:>6.1f}x "
              f"{r['min_ratio']:>5.1f}x {x_peer(r)} {fmt_ms(r['cpu_ms']):>7} {r['cpu_ratio']:>5.1f}x "
              f"{r['warm_mb']:>8.1f} {r['cold_mb']:>8.1f} {r['cache_bytes'] / 1024:>9.0f}", file=out)

    # Growth.
    growth = {}
    pairs = list(zip(sizes, sizes[1:]))
    if pairs:
        print("\nGrowth of the warm median between sizes (cold in brackets)", file=out)
        for name in names:
            cells = []
            for a, b in pairs:
                ra, rb = results[f"{a}/{name}"], results[f"{b}/{name}"]
                g = rb["median_ms"] / ra["median_ms"]
                growth[(a, b, name)] = g
                cells.append(f"{a:,}->{b:,}: {g:5.1f}x ({rb['cold_ms'] / ra['cold_ms']:.1f}x)")
            print(f"  {name:<13} " + "   ".join(cells), file=out)

    # Markdown for the README.
    print("\nMarkdown (warm median · ratio to /bin/true · max RSS; cold = first run, empty cache; "
          "on the shipped KB also the ratio to tealdeer):\n", file=out)
    head = "| command | " + " | ".join(
        f"{'shipped (' + str(shipped) + ')' if n == 0 else f'{n:,} modalities'}" for n in kbs)
    has_growth = 1000 in sizes and 10000 in sizes
    head += " | growth 1k→10k |" if has_growth else " |"
    print(head, file=out)
    print("|---" * (len(kbs) + 1 + has_growth) + "|", file=out)
    for name in names:
        cells = []
        for n in kbs:
            r = results[f"{n}/{name}"]
            cell = f"{fmt_ms(r['median_ms'])} ms · {r['ratio']:.1f}×"
            if n == 0 and peer:
                cell += f" ({r['median_ms'] / peer['median_ms']:.1f}× tldr)"
            cell += f" · {r['warm_mb']:.0f} MB"
            if cached:
                cell += f" (cold {fmt_ms(r['cold_ms'])} ms, {r['cold_mb']:.0f} MB)"
            cells.append(cell)
        row = f"| `{name}` | " + " | ".join(cells)
        row += f" | {growth[(1000, 10000, name)]:.1f}× |" if has_growth else " |"
        print(row, file=out)
    if peer:
        cells = [f"{fmt_ms(peer['median_ms'])} ms · {peer['ratio']:.1f}× · {peer['warm_mb']:.0f} MB"]
        cells += [""] * (len(kbs) - 1 + has_growth)
        print(f"| `tldr --render PAGE` ({peer['version']}) | " + " | ".join(cells) + " |", file=out)
    print(f"\n/bin/true: {true_ms:.2f} ms (× true divides by the /bin/true runs made alternately with "
          f"each command). Machine: {os.cpu_count()} CPUs, load {load[0]:.1f}; {version}.", file=out)

    # Targets.
    print("\nTargets (judged on the warm runs; cold figures for reference)", file=out)
    missed = 0

    def target(ok: bool, text: str) -> None:
        nonlocal missed
        missed += not ok
        print(f"  {'PASS' if ok else 'MISS'}  {text}", file=out)

    shipped_rs = [results[f"0/{n}"] for n in names]
    worst = max(shipped_rs, key=lambda r: r["ratio"])
    worst_cold = max(shipped_rs, key=lambda r: r["cold_ms"])
    target(worst["ratio"] <= TARGET_SHIPPED_RATIO,
           f"shipped KB, warm: every command within {TARGET_SHIPPED_RATIO:g}x of /bin/true "
           f"(worst: {worst['command']} {worst['ratio']:.1f}x)")
    target(worst_cold["cold_ms"] <= TARGET_SHIPPED_RATIO * true_ms,
           f"shipped KB, cold (no cache yet): every command within {TARGET_SHIPPED_RATIO:g}x of /bin/true "
           f"(worst: {worst_cold['command']} {worst_cold['cold_ms'] / true_ms:.1f}x)")
    if peer:
        target(worst["median_ms"] < peer["median_ms"] and worst_cold["cold_ms"] < peer["median_ms"],
               f"shipped KB, cold and warm: every command faster than tealdeer ({fmt_ms(peer['median_ms'])} ms; "
               f"slowest warm: {worst['command']} {fmt_ms(worst['median_ms'])} ms, cold: "
               f"{worst_cold['command']} {fmt_ms(worst_cold['cold_ms'])} ms)")
    else:
        print("  ----  faster than tealdeer: not measured (no tldr; apt-get install tealdeer)", file=out)
    for r in shipped_rs:
        print(f"          {r['command']:<13} {r['ratio']:5.1f}x warm, {r['cold_ms'] / true_ms:5.1f}x cold", file=out)
    if 10000 in sizes:
        for name in names:
            r = results[f"10000/{name}"]
            if name in TARGET_10K:
                ms, mb = TARGET_10K[name]
                target(r["median_ms"] < ms and r["warm_mb"] < mb,
                       f"10,000 modalities, {name}: under {fmt_ms(ms)} ms and {mb:.0f} MB "
                       f"({fmt_ms(r['median_ms'])} ms, {r['warm_mb']:.0f} MB)")
        ms, mb = TARGET_10K_COLD
        rs = [results[f"10000/{n}"] for n in names]
        slow = max(rs, key=lambda r: r["cold_ms"])
        big = max(rs, key=lambda r: r["cold_mb"])
        target(slow["cold_ms"] < ms and big["cold_mb"] < mb,
               f"10,000 modalities, first run: every command under {ms / 1000:g} s and {mb:.0f} MB "
               f"(slowest: {slow['command']} {fmt_ms(slow['cold_ms'])} ms; largest: {big['command']} "
               f"{big['cold_mb']:.0f} MB)")
    if has_growth:
        g = max((growth[(1000, 10000, n)], n) for n in names)
        target(g[0] <= TARGET_GROWTH,
               f"growth 1,000->10,000 at most ~{TARGET_GROWTH:g}x (largest: {g[1]} {g[0]:.1f}x)")
        for name in names:
            print(f"          {name:<13} {growth[(1000, 10000, name)]:5.1f}x", file=out)
    print(f"\nDone in {time.perf_counter() - began:.0f} s.", file=out)

    if args.json_out:
        Path(args.json_out).write_text(json.dumps({
            "knots": knots, "version": version, "seed": args.seed, "sizes": sizes,
            "true_ms": true_ms, "true_mb": true_mb, "cache_written": cached, "tealdeer": peer,
            "results": list(results.values()),
            "growth": [{"from": a, "to": b, "command": c, "factor": f} for (a, b, c), f in growth.items()],
        }, indent=2))
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
