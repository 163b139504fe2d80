#!/usr/bin/env python3
"""Where the time goes: runs knots under valgrind --tool=callgrind and sums the instruction counts
(Ir) by stage: start-up, reading, the byte check, the one yaml-cpp pass (checks and tree),
building the model, merging and checking, the model cache, the command itself (JSON rendering
split out), and the rest.

Not part of the test suite. Slow: callgrind runs about 50x slower than native, so a command on
10,000 modalities takes minutes. Run from the repository root:

    python3 tests/bench/profile.py --knots build-bench/knots

Flags
  --knots PATH      the binary (default: build-bench/knots); symbols are enough, no -g needed
  --sizes LIST      knowledge bases: 0 = shipped, N = N synthetic modalities from bench.py's generator
                    (default: 0,10000)
  --commands LIST   semicolon-separated commands (default: "list --json"); ids in "show"/"compare"
                    are filled in per size as in bench.py
  --modes LIST      "nocache" (KNOTS_NO_CACHE=1: parse the YAML, as a binary without the cache does)
                    and/or "warm" (the model cache filled by a run beforehand) (default: nocache,warm)
  --seed N          generator seed (default 7, as bench.py)
  --data-dir DIR    where the synthetic knowledge bases go (default: a temporary folder)
  --keep            keep the callgrind.out files and the temporary folder (paths are printed)

Percentages are of the whole process's instructions, which track time closely for this CPU-bound
program but leave out the kernel (file reads, page faults).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

# Functions whose inclusive cost is looked up (the largest entry whose name starts with the prefix).
PREFIXES = {
    "dl": "_dl_start",
    "main": "knots::cli::main(",
    "run": "knots::cli::run_",
    "kb": "knots::cli::Context::kb(",
    "load_layers": "knots::load::load_layers(",
    "read": "knots::load::read_folder(",
    "embedded": "knots::load::embedded_layer(",
    "bytes": "knots::load::check_bytes(",
    "parse_file": "knots::load::parse_file(",
    "guard": "knots::load::read_yaml(",
    "fingerprint": "knots::load::(anonymous namespace)::fingerprint(",
    "deserialize": "knots::load::deserialize(",
    "serialize": "knots::load::serialize(",
    "write_cache": "knots::load::(anonymous namespace)::write_file(",
    "json_build": "knots::render::list_json",
    "json_dump": "knots::render::(anonymous namespace)::dump(",
    "json_build_one": "knots::render::modality_json",
    "catalog": "knots::Catalog<knots::Modality>::Catalog(",
    "free": "knots::KnowledgeBase::~KnowledgeBase(",
}


def inclusive_costs(out_file: Path) -> tuple[int, dict[str, int]]:
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out_file)],
                          capture_output=True, text=True, check=True).stdout
    total = 0
    costs: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        cost, rest = int(m.group(1).replace(",", "")), m.group(2)
        if rest.startswith("PROGRAM TOTALS"):
            total = cost
            continue
        name = rest.split(":", 1)[1] if ":" in rest.split(" ", 1)[0] else rest
        name = re.sub(r" \[[^\]]*\]$", "", name)
        for key, prefix in PREFIXES.items():
            if name.startswith(prefix):
                costs[key] = max(costs.get(key, 0), cost)
    return total, costs


def stages(total: int, c: dict[str, int]) -> list[tuple[str, int]]:
    g = lambda k: c.get(k, 0)  # noqa: E731
    json_build = g("json_build") or g("json_build_one")
    rows = [
        ("process start-up (dynamic linking)", g("dl")),
        ("reading files (folder walk, read)", g("read") + g("embedded")),
        ("byte check (UTF-8, control characters)", g("bytes")),
        ("yaml-cpp event pass: checks and tree (read_yaml)", g("guard")),
        ("building the model from the tree", g("parse_file") - g("guard")),
        ("merge, name and reference checks", g("load_layers") - g("bytes") - g("parse_file")
         - (g("catalog") if g("load_layers") else 0)),
        ("modality catalog (sort, name index)", g("catalog")),
        ("cache: fingerprint (stat every file)", g("fingerprint")),
        ("cache: deserialize the model", g("deserialize")),
        ("cache: serialize and write", g("serialize") + g("write_cache")),
    ]
    accounted_kb = sum(v for _, v in rows[1:])
    rows.append(("loading, other (reading the cache file, other catalogs)", max(0, g("kb") - accounted_kb)))
    command = g("run") - g("kb")
    rows.append(("command: JSON build (nlohmann objects)", json_build - g("json_dump") if json_build else 0))
    rows.append(("command: JSON dump (to text)", g("json_dump")))
    rows.append(("command: query and text rendering", max(0, command - json_build)))
    rows.append(("freeing the model", g("free")))
    rows.append(("CLI11 set-up, the rest of main", g("main") - g("run") - g("free")))
    rows.append(("other (libc start-up, kernel-side not counted)", total - g("dl") - g("main")))
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--knots", default=str(bench.REPO / "build-bench" / "knots"))
    p.add_argument("--sizes", default="0,10000")
    p.add_argument("--commands", default="list --json")
    p.add_argument("--modes", default="nocache,warm")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--data-dir")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
        p.error("needs valgrind and callgrind_annotate")
    knots = os.path.abspath(args.knots)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    commands = [c.split()[0] for c in args.commands.split(";") if c.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]

    scratch = Path(tempfile.mkdtemp(prefix="knots-profile-"))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else scratch / "kb"
    env = bench.base_env(scratch)
    vocab = bench.read_vocabulary(bench.REPO / "kb")
    try:
        for n in sizes:
            kb_args = []
            if n:
                folder = data_dir / f"kb-{n}"
                bench.generate(folder, n, vocab, args.seed)
                kb_args = ["--kb", str(folder)]
            for name, cmd in bench.commands_for(n, vocab):
                if name.split()[0] not in commands:
                    continue
                for mode in modes:
                    run_env = dict(env, XDG_CACHE_HOME=str(scratch / "cache" / f"kb-{n}"))
                    argv = [knots, *kb_args, *cmd]
                    if mode == "nocache":
                        run_env["KNOTS_NO_CACHE"] = "1"
                    else:
                        subprocess.run(argv, env=run_env, stdout=subprocess.DEVNULL, check=True)
                    out = scratch / f"callgrind-{n}-{cmd[0]}-{mode}.out"
                    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
                                   env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                    total, costs = inclusive_costs(out)
                    print(f"\n{bench.kb_label(n)} KB, `{' '.join(cmd)}`, {mode}: {total / 1e6:,.1f} M instructions")
                    for label, cost in stages(total, costs):
                        if cost > 0 and cost / total >= 0.005:
                            print(f"  {100 * cost / total:5.1f}%  {cost / 1e6:10,.1f} M  {label}")
                    sys.stdout.flush()
    finally:
        if args.keep:
            print(f"\ncallgrind files kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
