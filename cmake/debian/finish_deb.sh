#!/usr/bin/env bash
# Finishes the .deb that cpack made as Debian's own tools (dh_strip, dh_gencontrol) finish theirs:
# the binary is stripped (with the .comment and .note sections dh_strip removes), its debug
# symbols go to knots-dbgsym_VERSION_ARCH.ddeb next to it, under /usr/lib/debug/.build-id where
# gdb looks for them, and md5sums and Installed-Size are made again for what is now in the package.
# Usage: finish_deb.sh PACKAGE.deb OUTPUT_DIR   (run by cpack through finish_deb.cmake; the .ddeb
# goes to OUTPUT_DIR, where cpack copies the .deb)
set -euo pipefail
umask 022
deb=$1
out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
main=$work/main
dbgsym=$work/dbgsym
dpkg-deb -R "$deb" "$main"

field() { sed -n "s/^$1: //p" "$main/DEBIAN/control"; }
package=$(field Package)
version=$(field Version)
arch=$(field Architecture)
bin=$main/usr/bin/$package

build_id=$(readelf -n "$bin" | awk '/Build ID:/ { print $3 }')
if [ -z "$build_id" ]; then
  echo "finish_deb.sh: $bin has no build id, so gdb could not find its symbols" >&2
  exit 1
fi
debug=$dbgsym/usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug
mkdir -p "$(dirname "$debug")" "$dbgsym/usr/share/doc" "$dbgsym/DEBIAN"
objcopy --only-keep-debug --compress-debug-sections "$bin" "$debug"
chmod 0644 "$debug"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$bin"
objcopy --add-gnu-debuglink="$debug" "$bin"
# As in Debian's dbgsym packages, the documentation is the main package's: a link to its folder.
# lintian checks where the link points when given both packages together, as
# tests/lintian_test.sh does (alone, it says it cannot: an I: tag).
ln -s "$package" "$dbgsym/usr/share/doc/$package-dbgsym"

md5sums() { (cd "$1" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum); }
installed_size() { du -s -k --apparent-size --exclude=DEBIAN "$1" | cut -f1; }

md5sums "$main" >"$main/DEBIAN/md5sums"
sed -i "s/^Installed-Size: .*/Installed-Size: $(installed_size "$main")/" "$main/DEBIAN/control"

cat >"$dbgsym/DEBIAN/control" <<CONTROL
Package: $package-dbgsym
Source: $package
Version: $version
Auto-Built-Package: debug-symbols
Architecture: $arch
Maintainer: $(field Maintainer)
Installed-Size: $(installed_size "$dbgsym")
Depends: $package (= $version)
Section: debug
Priority: optional
Description: debug symbols for $package
Build-Ids: $build_id
CONTROL
md5sums "$dbgsym" >"$dbgsym/DEBIAN/md5sums"

dpkg-deb --root-owner-group -b "$main" "$deb" >/dev/null
dpkg-deb --root-owner-group -b "$dbgsym" "$out/${package}-dbgsym_${version}_${arch}.ddeb" >/dev/null
