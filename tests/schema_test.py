#!/usr/bin/env python3
"""Holds every --json output of knots to its published JSON Schema (man/knots.schema.json).

    schema_test.py KNOTS SCHEMA GOLDEN_DIR FIXTURE_KB

Checks, in one process:
  (a) the schema is a valid draft 2020-12 schema;
  (b) a strict copy of it (additionalProperties: false on every object schema with "properties",
      so that a field the schema does not describe fails) validates the stdout of every golden case
      whose command line has --json;
  (c) the same strict copy validates a run of every command with --json on the built-in knowledge
      base (every modality, technique, condition, goal, topic and tip; recommend, compare, search,
      validate, paths, graph and new with several arguments) and on FIXTURE_KB, and the error
      documents that failing runs with --json write to stderr;
  (d) the schema documents itself: every property has a description and an x-stability of "stable"
      or "display", every x-commands entry names only defined kinds, and every command of
      `knots --help` has an x-commands entry.
Prints one summary line; exits 1 on any failure, with the instance path and the validator's message.

Uses only what python3-jsonschema 4.10 (Debian 12) has: Draft202012Validator, check_schema,
iter_errors.
"""

import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("schema: python3-jsonschema is missing (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(1)

STABILITY = {"stable", "display"}


def strict(schema):
    """A copy of `schema` in which every object schema with "properties" allows no other key."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items()}
        if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def where(path):
    return "/" + "/".join(str(p) for p in path)


def discriminator(branches, defs):
    """The key whose const tells the branches of a oneOf apart ("kind", "rule"), with each branch's
    value; None when there is none: every branch a $ref to a $defs schema that requires the key
    and gives it a const of its own."""
    targets = []
    for branch in branches:
        ref = branch.get("$ref", "") if isinstance(branch, dict) else ""
        if not ref.startswith("#/$defs/") or ref[len("#/$defs/"):] not in defs:
            return None
        targets.append(defs[ref[len("#/$defs/"):]])
    for key in targets[0].get("properties", {}):
        consts = [t.get("properties", {}).get(key, {}).get("const") for t in targets]
        if all(c is not None and key in t.get("required", []) for c, t in zip(consts, targets)) \
                and len(set(map(json.dumps, consts))) == len(consts):
            return key, consts
    return None


def discriminated(schema, defs):
    """A copy of `schema` in which each oneOf told apart by a const is an if/then chain that goes
    straight to the one branch whose const matches. The same answer (only that branch can hold, as
    the consts differ), with the errors of that branch instead of the oneOf's "not valid under any",
    and fast: jsonschema checks every branch of a oneOf in full."""
    if isinstance(schema, list):
        return [discriminated(v, defs) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: discriminated(v, defs) for k, v in schema.items() if k != "oneOf"}
    if "oneOf" not in schema:
        return out
    found = discriminator(schema["oneOf"], defs)
    if found is None:
        out["oneOf"] = discriminated(schema["oneOf"], defs)
        return out
    key, consts = found
    chain = {"required": [key], "properties": {key: {"enum": consts}}}
    for const, branch in reversed(list(zip(consts, schema["oneOf"]))):
        chain = {"if": {"properties": {key: {"const": const}}, "required": [key]}, "then": branch, "else": chain}
    out.setdefault("allOf", []).append(chain)
    return out


def walk_properties(node, path, problems):
    """(d): every property described, with its stability."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for key, sub in props.items():
                at = f"{path}/properties/{key}"
                if not isinstance(sub, dict):
                    problems.append(f"{at}: not a schema object")
                    continue
                if not sub.get("description"):
                    problems.append(f"{at}: no description")
                if sub.get("x-stability") not in STABILITY:
                    problems.append(f"{at}: x-stability is {sub.get('x-stability')!r}, not stable or display")
        for key, sub in node.items():
            walk_properties(sub, f"{path}/{key}", problems)
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            walk_properties(sub, f"{path}/{i}", problems)


def document_kinds(schema):
    """The kinds of document the top-level oneOf allows, each to the $defs name of its schema."""
    kinds = {}
    for branch in schema.get("oneOf", []):
        ref = branch.get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        kind = schema["$defs"].get(name, {}).get("properties", {}).get("kind", {}).get("const")
        if kind is not None:
            kinds[kind] = name
    return kinds


def golden_cases(golden_dir):
    """(name, exit code, stdout, stderr) of every golden case whose command line has --json as an
    option, before any "--" (the format: run_golden.cmake); None for a file that does not have that
    format."""
    out = []
    for path in sorted(glob.glob(os.path.join(golden_dir, "*.txt"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        header = text.split("\n", 1)[0].split()
        # After "--", --json is an argument (show -- --json looks up a modality of that name).
        if "--json" not in header[: header.index("--") if "--" in header else len(header)]:
            continue
        m = re.search(r"^\[exit (\d+)\]\n\[stdout\]\n(.*)\[stderr\]\n(.*)\Z", text, re.S | re.M)
        out.append((os.path.basename(path), *(m.groups() if m else (None, None, None))))
    return out


class Runner:
    """Runs knots with a private cache and user folder, so that runs are alike everywhere."""

    def __init__(self, knots, home):
        self.knots = knots
        self.env = dict(os.environ)
        for key in ("KNOTS_PATH", "NO_COLOR", "KNOTS_NO_CACHE"):
            self.env.pop(key, None)
        self.env.update({"XDG_DATA_HOME": os.path.join(home, "data"), "XDG_CACHE_HOME": os.path.join(home, "cache"),
                         "HOME": home, "COLUMNS": "80", "TERM": "dumb"})

    def run(self, args):
        p = subprocess.run([self.knots, *args], env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=60)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def ids(self, *args):
        code, out, err = self.run([*args, "--json"])
        if code != 0:
            raise SystemExit(f"schema: knots {' '.join(args)} --json failed ({code}): {err.strip()}")
        return [item["id"] for item in json.loads(out)["items"]]


# What a run is expected to give: OK a document on stdout with exit 0; REPORT a document on stdout
# whatever the exit code (validate of a broken folder exits 4); FAIL a non-zero exit, with an error
# document on stderr once knots writes one; LATER a document on stdout once the binary has the
# option (completion --json is being added), else skipped with a note.
OK, REPORT, FAIL, LATER = "ok", "report", "fail", "later"

# The exit code of each kind of error (knots(1), EXIT STATUS).
ERROR_EXIT = {"usage": 2, "not_found": 3, "invalid_kb": 4, "io": 1}


def generated_runs(runner, fixture_kb, tmp):
    """(the arguments, what is expected) for every command with --json."""
    runs = []

    def ok(*args):
        runs.append((list(args) + ["--json"], OK))

    def fail(*args):
        runs.append((list(args) + ["--json"], FAIL))

    modalities = runner.ids("list")
    techniques = runner.ids("techniques")
    conditions = runner.ids("conditions")
    goals = runner.ids("goals")
    sources = runner.ids("sources")
    topics = runner.ids("guide")
    tips = runner.ids("self-care")

    ok("list")
    ok("list", "--pressure", "firm", "--clothed")
    ok("list", "--no-oil", "--heat")
    ok("list", "--technique", techniques[0], "--goal", goals[0], "--area", "upper-back")
    ok("list", "--pressure", "deep", "--goal", "relaxation", "--clothed", "--no-oil", "--heat")  # likely empty
    for m in modalities:
        ok("show", m)
    ok("techniques")
    for t in techniques:
        ok("techniques", t)
    ok("conditions")
    for c in conditions:
        ok("conditions", c)
    ok("goals")
    for g in goals:
        ok("goals", g)
    ok("red-flags")
    ok("sources")
    for s in sorted({sources[0], sources[len(sources) // 2], sources[-1], "S38"} & set(sources)):
        ok("sources", s)
    ok("guide")
    for t in topics:
        ok("guide", t)
    ok("self-care")
    for t in tips:
        ok("self-care", t)
    ok("self-care", "--condition", "pregnancy")
    ok("self-care", "--condition", "diabetes", "--condition", "fever")
    ok("self-care", "--symptom", "chest pain")
    for criteria in (
        [],
        ["--pressure", "deep"],
        ["--pressure", "light", "--goal", "relaxation", "--top", "10"],
        ["--condition", "pregnancy"],
        ["--condition", "blood-thinners", "--condition", "osteoporosis"],
        ["--symptom", "chest pain"],
        ["--symptom", "fever"],
        ["--area", "upper-back", "--explain"],
        ["--area", "lower-back", "--area", "neck-shoulders", "--goal", "pain-relief", "--explain"],
        ["--no-oil", "--clothed", "--prefer", "heat"],
        ["--no-heat", "--no-floor", "--direct", "--prefer", "quiet", "--prefer", "table", "--explain"],
        ["--condition", "fever"],
        ["--top", "30"],
        ["--no-heat", "--top", "30"],
        ["--pressure", "deep", "--condition", "pregnancy", "--top", "1"],
    ):
        ok("recommend", *criteria)
    ok("compare", modalities[0], modalities[1])
    ok("compare", "swedish", "deep-tissue", "thai")
    ok("compare", "swedish", "deep-tissue", "thai", "--diff")
    for words in (["oil"], ["knot", "between", "the", "shoulder", "blades"], ["heat", "stones"],
                  ["--any", "oil", "heat"], ["price"], ["zzzqqq"], ["numb", "groin"], ["pregnant"]):
        ok("search", *words)
    ok("validate")
    ok("--no-default-kb", "--kb", fixture_kb, "validate")
    ok("paths")
    ok("graph")
    for command in ("list", "techniques", "conditions", "goals", "red-flags", "sources", "guide", "self-care", "graph"):
        ok("--no-default-kb", "--kb", fixture_kb, command)
    ok("--no-default-kb", "--kb", fixture_kb, "recommend", "--explain")
    ok("--no-default-kb", "--kb", fixture_kb, "paths")

    # A broken folder and a missing one: validate and paths still answer in JSON.
    broken = os.path.join(tmp, "broken-kb")
    os.makedirs(os.path.join(broken, "modalities"))
    with open(os.path.join(broken, "modalities", "bad.yaml"), "w", encoding="utf-8") as f:
        f.write("id: bad\nname: [unclosed\n")
    missing = os.path.join(tmp, "no-such-kb")
    runs.append((["--kb", broken, "validate", "--json"], REPORT))
    runs.append((["validate", broken, "--json"], REPORT))
    ok("--kb", broken, "paths")
    ok("--kb", missing, "paths")
    newkb = os.path.join(tmp, "new-kb")
    os.makedirs(newkb)
    ok("--kb", newkb, "new", "my-style")

    # Failing runs: an error document on stderr, once the binary writes one.
    fail("show", "no-such-style")
    fail("recommend", "--pressure", "nope")
    fail("recommend", "--condition", "no-such-condition", "--symptom", "no-such-sign")
    fail("compare", "nope1", "nope2")
    fail("--kb", broken, "list")
    fail("--kb", missing, "list")
    fail("sources", "S0")
    fail("--kb", newkb, "new", "my-style")  # already exists
    for shell in ("bash", "zsh", "fish"):
        runs.append((["completion", shell, "--json"], LATER))
    return runs


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    knots, schema_path, golden_dir, fixture_kb = (os.path.abspath(a) for a in sys.argv[1:])
    failures = []
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)

    # (a) a valid draft 2020-12 schema.
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"schema: {schema_path} is not a valid draft 2020-12 schema at {where(e.path)}: {e.message}")
        return 1

    # (d) self-documented, and the commands' kinds defined.
    problems = []
    walk_properties(schema, "#", problems)
    kinds = document_kinds(schema)
    if len(set(kinds.values())) != len(kinds) or len(kinds) != len(schema.get("oneOf", [])):
        problems.append("#/oneOf: each branch must be a different $defs document with its own const kind")
    for command, listed in schema.get("x-commands", {}).items():
        for kind in listed:
            if kind not in kinds:
                problems.append(f"#/x-commands/{command}: kind {kind!r} is not a document of the oneOf")
    failures += [f"schema {p}" for p in problems]

    strict_schema = strict(schema)
    validator = jsonschema.Draft202012Validator(discriminated(strict_schema, strict_schema.get("$defs", {})))
    counts = {"valid": 0, "invalid": 0}
    smallest = {}  # kind: the shortest valid document of that kind, and its label
    pending = {}  # a kind knots does not write yet: the runs that would have given it

    def check(label, text):
        try:
            doc = json.loads(text)
        except (TypeError, ValueError) as e:
            counts["invalid"] += 1
            failures.append(f"{label}: not JSON: {e}")
            return False
        errors = list(validator.iter_errors(doc))
        if errors:
            counts["invalid"] += 1
            for e in sorted(errors, key=lambda e: list(map(str, e.path)))[:10]:
                failures.append(f"{label}: at {where(e.path)}: {e.message[:300]}")
            return False
        counts["valid"] += 1
        if len(text) < len(smallest.get(doc["kind"], (text + " ", None))[0]):
            smallest[doc["kind"]] = (text, label)
        return True

    def check_error(label, code, text):
        """An error document on stderr, its kind the one of the exit code."""
        if check(label + " (stderr)", text):
            kind = json.loads(text)["error"]["kind"]
            if ERROR_EXIT.get(kind) != code:
                failures.append(f"{label}: an error of kind {kind} exits {ERROR_EXIT.get(kind)}, not {code}")

    # (b) the golden outputs: the document on stdout, or the error document on stderr.
    for name, code, stdout, stderr in golden_cases(golden_dir):
        if code is None:
            failures.append(f"golden {name}: not in the format of run_golden.cmake")
        elif stdout.strip():
            check(f"golden {name}", stdout)
        elif stderr.lstrip().startswith("{"):
            check_error(f"golden {name}", int(code), stderr)
        elif code != "0":
            pending.setdefault("error", []).append(f"golden {name}")
        else:
            failures.append(f"golden {name}: exit 0 and nothing on stdout")

    # (c) generated runs on the built-in knowledge base.
    tmp = tempfile.mkdtemp(prefix="knots-schema-")
    try:
        runner = Runner(knots, tmp)
        code, out, _ = runner.run(["--help"])
        commands = re.findall(r"^  ([a-z][a-z-]+)  ", out.split("Subcommands:", 1)[-1].split("\n\n", 1)[0], re.M)
        for command in commands:
            if command not in schema.get("x-commands", {}):
                failures.append(f"schema #/x-commands: no entry for the command {command!r}")
        # `knots schema` prints the file it was built from, and `knots schema COMMAND` a schema of
        # its own for each command that prints a document, which its documents pass.
        code, out, _ = runner.run(["schema"])
        with open(schema_path, encoding="utf-8") as f:
            if code != 0 or out != f.read():
                failures.append("knots schema: does not print man/knots.schema.json as it is")
        for command, listed in schema.get("x-commands", {}).items():
            code, out, err = runner.run(["schema", command])
            if not listed:
                if code != 2:
                    failures.append(f"knots schema {command}: exit {code}, expected 2 (no document to describe)")
                continue
            try:
                one = json.loads(out)
                jsonschema.Draft202012Validator.check_schema(one)
                if [r["$ref"] for r in one["oneOf"]] != [f"#/$defs/document-{k}" for k in listed]:
                    failures.append(f"knots schema {command}: its oneOf is not the kinds {listed}")
            except (ValueError, KeyError, jsonschema.exceptions.SchemaError) as e:
                failures.append(f"knots schema {command}: not a valid schema ({code}): {e} {err.strip()}")
        runner.run(["list"])  # a warm cache for the runs below
        runs = generated_runs(runner, fixture_kb, tmp)
        def judge(args, expected, code, out, err):
            label = "knots " + " ".join(a if a and " " not in a else repr(a) for a in args).replace(tmp, "$TMP")
            if expected == FAIL:
                if code == 0:
                    failures.append(f"{label}: exit 0, expected a failure")
                elif err.lstrip().startswith("{"):
                    check_error(label, code, err)
                else:
                    pending.setdefault("error", []).append(label)
                if out:
                    failures.append(f"{label}: failed but wrote to stdout: {out[:200]!r}")
                return
            if expected == LATER and (code != 0 or not out.lstrip().startswith("{")):
                pending.setdefault("completion", []).append(label)
                return
            if expected in (OK, LATER) and code != 0:
                failures.append(f"{label}: exit {code}: {err.strip()[:300]}")
                return
            if not out.strip():
                failures.append(f"{label}: exit {code} and nothing on stdout")
                return
            check(label, out)

        # `new` writes, and a second `new` of the same id must fail: those two in order, after the
        # rest. The rest run two at a time (the machine's two cores), each checked as it comes back,
        # while the next ones run.
        ordered = [r for r in runs if "new" in r[0]]
        parallel = [r for r in runs if "new" not in r[0]]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for (args, expected), result in zip(parallel, pool.map(lambda r: runner.run(r[0]), parallel)):
                judge(args, expected, *result)
        for args, expected in ordered:
            judge(args, expected, *runner.run(args))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # The published oneOf itself, once per kind on its shortest document: the same answer as the
    # if/then chain above, as the kinds differ, but slow on large documents.
    literal = jsonschema.Draft202012Validator(strict_schema)
    for kind, (text, label) in sorted(smallest.items()):
        if not literal.is_valid(json.loads(text)):
            failures.append(f"{label}: valid as kind {kind}, but not under the schema's top-level oneOf")
    unseen = sorted(set(kinds) - set(smallest) - set(pending))
    if unseen:
        failures.append(f"no document of these kinds was checked: {', '.join(unseen)}")

    for f in failures:
        print(f"schema: {f}")
    note = "".join(f"; {len(labels)} runs skipped: knots writes no {kind} document yet ({labels[0]} …)"
                   for kind, labels in sorted(pending.items()))
    print(f"schema: {counts['valid']} documents valid, {counts['invalid']} invalid{note}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
