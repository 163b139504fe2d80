#!/usr/bin/env bash
# The Debian package as Debian's checker sees it: cpack builds knots_*.deb and knots-dbgsym_*.ddeb,
# and lintian (every tag: errors, warnings, info, pedantic, experimental) reports nothing on them.
# Then what lintian does not check on a binary package: the copyright file parses as DEP-5, the
# changelog as a Debian changelog whose newest entry is this version, the maintainer is one person
# everywhere, the binary is stripped and its symbols are in the dbgsym package under its build id.
# Exit 77 (skipped) without lintian or python3-debian, or for a sanitizer build, which is not shipped.
set -u
build=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
python=/usr/bin/python3  # Debian's, which python3-debian belongs to
for tool in lintian dpkg-shlibdeps; do
  command -v $tool >/dev/null || { echo "skip: $tool is not installed"; exit 77; }
done
"$python" -c 'import debian.copyright' 2>/dev/null || { echo "skip: python3-debian is not installed"; exit 77; }
if grep -q -E "KNOTS_(SANITIZE|FUZZ):BOOL=ON" "$build/CMakeCache.txt"; then
  echo "skip: a sanitizer build is not packaged"
  exit 77
fi

(cd "$dir" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$dir" >"$dir/log" 2>&1) || { cat "$dir/log"; exit 1; }
deb=$(ls "$dir"/knots_*.deb 2>/dev/null | head -n 1)
ddeb=$(ls "$dir"/knots-dbgsym_*.ddeb 2>/dev/null | head -n 1)
check "cpack makes knots_*.deb and knots-dbgsym_*.ddeb" '[ -n "$deb" ] && [ -n "$ddeb" ]'
[ -n "$deb" ] && [ -n "$ddeb" ] || exit 1

# Both together, so that lintian can follow the dbgsym package's doc link to knots.
lintian --pedantic --display-info --display-experimental --fail-on error,warning,info,pedantic,experimental \
  "$deb" "$ddeb" >"$dir/lintian" 2>&1
status=$?
grep -v "^running with root privileges" "$dir/lintian" >"$dir/tags"
echo "lintian $(lintian --version | cut -d' ' -f2) on $(basename "$deb") and $(basename "$ddeb"): exit $status, $(wc -l <"$dir/tags") tags"
cat "$dir/tags"
check "lintian reports no tag of any level" '[ $status -eq 0 ] && [ ! -s "$dir/tags" ]'

dpkg-deb -x "$deb" "$dir/root"
dpkg-deb -x "$ddeb" "$dir/root"
dpkg-deb -e "$deb" "$dir/control"
doc=$dir/root/usr/share/doc/knots
version=$(dpkg-deb -f "$deb" Version)
maintainer=$(dpkg-deb -f "$deb" Maintainer)
"$python" - "$doc" "$version" "$maintainer" >"$dir/py" 2>&1 <<'PY'
import gzip, sys
from debian import changelog, copyright
doc, version, maintainer = sys.argv[1:]
problems = []
with open(f"{doc}/copyright", encoding="utf-8") as f:
    c = copyright.Copyright(f, strict=True)  # raises on anything that is not DEP-5
header = c.header
if header.upstream_contact != (maintainer,):
    problems.append(f"copyright: Upstream-Contact {header.upstream_contact} is not {maintainer}")
defined = {p.license.synopsis for p in c.all_license_paragraphs()}
for files in c.all_files_paragraphs():
    if not files.license.text and files.license.synopsis not in defined:
        problems.append(f"copyright: {files.files} names licence {files.license.synopsis} with no text")
for name in defined:
    if name not in (header.comment or "") and not any(f.license.synopsis == name for f in c.all_files_paragraphs()):
        problems.append(f"copyright: licence paragraph {name} is used nowhere")
with gzip.open(f"{doc}/changelog.gz", "rt", encoding="utf-8") as f:
    log = changelog.Changelog(f.read(), strict=True)
if str(log.version) != version:
    problems.append(f"changelog: newest entry is {log.version}, the package is {version}")
for block in log:
    if block.author != maintainer:
        problems.append(f"changelog: {block.version} is signed by {block.author}, not {maintainer}")
print(f"copyright: {len(list(c.all_files_paragraphs()))} files paragraphs, licences {sorted(defined)}")
print(f"changelog: {len(log)} entries, newest {log.version}")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
status=$?
cat "$dir/py"
check "the copyright file is DEP-5, and the changelog's newest entry is this version, by this maintainer" '[ $status -eq 0 ]'
check "the maintainer is a name and an address" '[[ "$maintainer" =~ ^[^\<]+\ \<[^@\>]+@[^@\>]+\.[^@\>]+\>$ ]]'
check "the extended description says what knots is" '[ "$(dpkg-deb -f "$deb" Description | wc -l)" -ge 5 ]'
check "Section and Priority" '[ "$(dpkg-deb -f "$deb" Section)" = utils ] && [ "$(dpkg-deb -f "$deb" Priority)" = optional ]'
check "manual pages are gzip -9n" 'gzip -t "$dir"/root/usr/share/man/man*/knots.*.gz && ! ls "$dir"/root/usr/share/man/man*/knots.[15] 2>/dev/null'

bin=$dir/root/usr/bin/knots
check "the binary is stripped" '! readelf -S "$bin" | grep -q -E "\.(symtab|debug_line|comment)\b"'
build_id=$(readelf -n "$bin" | awk "/Build ID:/ { print \$3 }")
debug=$dir/root/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug
check "knots-dbgsym holds the symbols under the binary's build id" '[ -n "$build_id" ] && [ -f "$debug" ] && [ "$(readelf -n "$debug" 2>/dev/null | awk "/Build ID:/ { print \$3 }")" = "$build_id" ]'
check "and they name knots' own functions and lines" 'readelf -s "$debug" 2>/dev/null | grep -q "knots.*main\|_ZN5knots" && readelf --debug-dump=decodedline "$debug" 2>/dev/null | grep -q "search.cpp"'
check "the stripped binary still answers" '(cd / && env KNOTS_NO_CACHE=1 "$bin" recommend --pressure deep 2>/dev/null | grep -q "Deep tissue massage")'
exit $fail
