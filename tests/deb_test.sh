#!/usr/bin/env bash
# cpack -G DEB: the package holds exactly what cmake --install does (one list serves both) and
# depends on the libraries the binary links. With KNOTS_TEST_DEB_INSTALL=1 (CI, as root) it is
# also installed with dpkg -i with its -dbgsym package, run, and removed again.
# (tests/lintian_test.sh checks the package against Debian's policy.)
set -u
build=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
if ! command -v dpkg-shlibdeps >/dev/null; then
  echo "skip: dpkg-shlibdeps (package dpkg-dev) is not installed"
  exit 0
fi
(cd "$dir" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$dir" >"$dir/log" 2>&1) || { cat "$dir/log"; exit 1; }
deb=$(ls "$dir"/knots_*.deb 2>/dev/null | head -n 1)
check "a .deb is built" '[ -n "$deb" ]'
[ -n "$deb" ] || exit 1
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
check "depends on the C library" '[[ "$depends" == *libc6* ]]'
# yaml-cpp, fmt and libstdc++ are linked in (KNOTS_STATIC_DEPS) unless the build says otherwise.
if grep -q "KNOTS_STATIC_DEPS:BOOL=ON" "$build/CMakeCache.txt" && ! grep -q "KNOTS_SANITIZE:BOOL=ON" "$build/CMakeCache.txt"; then
  check "needs no shared yaml-cpp, fmt or libstdc++" '[[ "$depends" != *libyaml-cpp* && "$depends" != *libfmt* && "$depends" != *libstdc++* ]]'
else
  check "depends on yaml-cpp and fmt" '[[ "$depends" == *libyaml-cpp* && "$depends" == *libfmt* ]]'
fi
contents=$(dpkg-deb -c "$deb")
check "holds the binary and the manual" '[[ "$contents" == *" ./usr/bin/knots"* && "$contents" == *"man1/knots.1.gz"* ]]'
# The same files as a source install into /usr.
DESTDIR="$dir/installed" cmake --install "$build" --prefix /usr >"$dir/install.log" 2>&1 || cat "$dir/install.log"
(cd "$dir/installed" && find . -type f | sort) >"$dir/installed.list"
awk '$1 !~ /^d/ { print $6 }' <<<"$contents" | sort >"$dir/packaged.list"
check "holds exactly the files cmake --install puts under /usr ($(wc -l <"$dir/packaged.list"))" \
  'diff "$dir/installed.list" "$dir/packaged.list"'
ddeb=$(ls "$dir"/knots-dbgsym_*.ddeb 2>/dev/null | head -n 1)
if [ "${KNOTS_TEST_DEB_INSTALL:-}" = 1 ] && [ "$(id -u)" = 0 ]; then
  # Another dpkg (apt in the background) may hold the lock for a while: wait for it.
  dpkg_retry() { for _ in $(seq 30); do "$@" >>"$dir/dpkg.log" 2>&1 && return 0; grep -q "lock" "$dir/dpkg.log" || return 1; sleep 2; done; return 1; }
  check "dpkg -i installs it, with its debug symbols" 'dpkg_retry dpkg -i "$deb" "$ddeb"'
  check "the packaged knots runs" '(cd / && /usr/bin/knots recommend --pressure deep 2>/dev/null | grep -q "Deep tissue massage")'
  check "man finds the page" 'man -w knots >/dev/null 2>&1 && man -w 5 knots >/dev/null 2>&1'
  build_id=$(readelf -n /usr/bin/knots | awk '/Build ID:/ { print $3 }')
  check "the symbols are where gdb looks for them" '[ -f "/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug" ]'
  check "dpkg -r removes both" 'dpkg_retry dpkg -r knots-dbgsym knots && [ ! -e /usr/bin/knots ] && [ ! -e /usr/share/doc/knots ]'
  [ $fail -eq 0 ] || cat "$dir/dpkg.log"
else
  echo "skip: dpkg -i (set KNOTS_TEST_DEB_INSTALL=1 and run as root)"
fi
exit $fail
