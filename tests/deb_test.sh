#!/usr/bin/env bash
# cpack -G DEB: the package holds what cmake --install does and depends on the libraries the
# binary links. With KNOTS_TEST_DEB_INSTALL=1 (CI, as root) it is also installed with dpkg -i,
# run, and removed again.
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
check "holds the binary and the manual" 'dpkg-deb -c "$deb" | grep -q "./usr/bin/knots" && dpkg-deb -c "$deb" | grep -q "man1/knots.1"'
if [ "${KNOTS_TEST_DEB_INSTALL:-}" = 1 ] && [ "$(id -u)" = 0 ]; then
  # Another dpkg (apt in the background) may hold the lock for a while: wait for it.
  dpkg_retry() { for _ in $(seq 30); do "$@" >>"$dir/dpkg.log" 2>&1 && return 0; grep -q "lock" "$dir/dpkg.log" || return 1; sleep 2; done; return 1; }
  check "dpkg -i installs it" 'dpkg_retry dpkg -i "$deb"'
  check "the packaged knots runs" '(cd / && /usr/bin/knots recommend --pressure deep 2>/dev/null | grep -q "Deep tissue massage")'
  check "man finds the page" 'man -w knots >/dev/null 2>&1'
  check "dpkg -r removes it" 'dpkg_retry dpkg -r knots'
  [ $fail -eq 0 ] || cat "$dir/dpkg.log"
else
  echo "skip: dpkg -i (set KNOTS_TEST_DEB_INSTALL=1 and run as root)"
fi
exit $fail
