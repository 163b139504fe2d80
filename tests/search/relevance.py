#!/usr/bin/env python3
"""Search relevance benchmark (issue 16): does `knots search` put what a person wants near the top?

Usage: tests/search/relevance.py KNOTS_BINARY [QUERIES_TSV] [--min-top3 0.95] [--min-mrr 0.85] [--verbose]

QUERIES_TSV (default: queries.tsv beside this file) holds `QUERY<TAB>EXPECTED` lines, EXPECTED being
one or more `kind:id`, any of which counts. Each query is split on whitespace and passed as separate
words, as a person types it unquoted: `knots search WORD… --json`. The rank of a query is the position
of the first item whose kind:id is expected (none: reciprocal rank 0). Prints one line per query that
misses the top 3 (every query with --verbose), then top-1, top-3 and the mean reciprocal rank; exits 1
when top-3 or MRR is below its minimum, or when a search fails (non-zero exit, or output that is not
the search JSON), since a benchmark that skips crashes would flatter the engine.

The binary runs in a throw-away HOME with the XDG folders inside it and no KNOTS_PATH, so that the
user's own knowledge-base folder and cache never change the figures.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KINDS = {"modality", "technique", "condition", "red-flag", "self-care", "goal", "topic", "area", "source"}


def load(path):
    """[(line number, query, [kind:id, …])]; a malformed line stops the run: a typo in the file
    would otherwise silently count as a miss of the engine."""
    cases = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            expected = parts[1].split() if len(parts) == 2 else []
            bad = [e for e in expected if e.split(":", 1)[0] not in KINDS or ":" not in e]
            if len(parts) != 2 or not parts[0].split() or not expected or bad:
                sys.exit(f"{path}:{n}: expected QUERY<TAB>kind:id [kind:id…] with kinds {sorted(KINDS)}: {line!r}")
            cases.append((n, parts[0], expected))
    return cases


def search(knots, query, env):
    """The items `knots search` returns, as kind:id strings in order, or an error message."""
    try:
        run = subprocess.run([knots, "search", *query.split(), "--json"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timed out after 60 s"
    if run.returncode != 0:
        return None, f"exit {run.returncode}: {run.stderr.strip()[:200]}"
    try:
        doc = json.loads(run.stdout)
        return [f"{item['kind']}:{item['id']}" for item in doc["items"]], None
    except (ValueError, KeyError, TypeError) as e:
        return None, f"not the search JSON ({e.__class__.__name__}: {e}): {run.stdout[:200]!r}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("knots")
    ap.add_argument("queries", nargs="?", default=os.path.join(HERE, "queries.tsv"))
    ap.add_argument("--min-top3", type=float, default=0.95)
    ap.add_argument("--min-mrr", type=float, default=0.85)
    ap.add_argument("--verbose", action="store_true", help="print every query, not only the misses")
    args = ap.parse_args()
    knots = os.path.abspath(args.knots)
    cases = load(args.queries)

    with tempfile.TemporaryDirectory(prefix="knots-relevance-") as home:
        env = {k: v for k, v in os.environ.items() if k not in ("KNOTS_PATH", "KNOTS_NO_CACHE")}
        env.update({"HOME": home, "XDG_DATA_HOME": os.path.join(home, "data"),
                    "XDG_CACHE_HOME": os.path.join(home, "cache"), "NO_COLOR": "1", "COLUMNS": "80"})
        top1 = top3 = 0
        rr_sum = 0.0
        errors = []
        for n, query, expected in cases:
            items, error = search(knots, query, env)
            if error:
                errors.append(f"ERROR line {n}: {query!r}: {error}")
                continue
            rank = next((i for i, item in enumerate(items, 1) if item in expected), None)
            top1 += rank == 1
            top3 += rank is not None and rank <= 3
            rr_sum += 1 / rank if rank else 0.0
            if args.verbose or not rank or rank > 3:
                got = ", ".join(items[:3]) or "no match"
                print(f"{'ok  ' if rank and rank <= 3 else 'MISS'} {query!r}: want {' '.join(expected)}; "
                      f"rank {rank or '-'}; got {got}")

    for e in errors:
        print(e)
    total = len(cases)
    r1, r3, mrr = top1 / total, top3 / total, rr_sum / total
    print(f"{total} queries: top-1 {100 * r1:.1f}%, top-3 {100 * r3:.1f}% (min {100 * args.min_top3:.0f}%), "
          f"MRR {mrr:.3f} (min {args.min_mrr:.2f})" + (f", {len(errors)} searches failed" if errors else ""))
    failed = errors or r3 < args.min_top3 or mrr < args.min_mrr
    print("FAIL" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
