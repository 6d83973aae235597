#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# Install the project into a temporary DESTDIR, build examples/plugin-hello
# and examples/embed out of tree with nothing but pkg-config pointed there,
# then (as root) run the built embedder on the built plugin and expect a
# real fork event from the kernel.
#
# usage: build-examples.sh BUILD_DIR SOURCE_DIR
set -eu

build=$1
src=$2

fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads a BPF program)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi

work=$(mktemp -d /tmp/eun-examples-XXXXXX)
trap 'rm -rf "$work"' EXIT
dest=$work/destdir

echo "== meson install --destdir $dest"
meson install -C "$build" --no-rebuild --destdir "$dest" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "meson install failed"; }

pc=$(find "$dest" -name libeunomia.pc | head -n 1)
[ -n "$pc" ] || fail "no libeunomia.pc installed under $dest"
PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

cflags=$(pkg-config --cflags libeunomia)
libs=$(pkg-config --libs libeunomia)
plugindir=$(pkg-config --variable=plugindir libeunomia)
echo "cflags: $cflags"
echo "libs: $libs"
echo "plugindir: $plugindir"
case "$cflags" in *"-I$dest/"*) ;; *) fail "pkg-config --cflags does not point into DESTDIR: $cflags" ;; esac
case "$libs" in *"-L$dest/"*) ;; *) fail "pkg-config --libs does not point into DESTDIR: $libs" ;; esac
case "$plugindir" in /*/eunomia/plugins) ;; *) fail "odd plugindir: $plugindir" ;; esac
# pkgconf does not prefix variables with the sysroot; the Makefile's
# `make install DESTDIR=...` does that.
case "$plugindir" in "$dest"/*) install_destdir= ;; *) install_destdir=$dest ;; esac

# Out-of-tree copies: nothing from the source tree but the examples' own files.
cp -r "$src/examples/plugin-hello" "$src/examples/embed" "$work/"
rm -f "$work/plugin-hello/"*.so "$work/embed/embed"

echo "== make plugin-hello"
make -C "$work/plugin-hello" DESTDIR="$install_destdir" all install ||
	fail "building examples/plugin-hello failed"
installed=$install_destdir$plugindir/hello.so
[ -f "$installed" ] || fail "make install did not put hello.so at $installed"

echo "== make embed"
make -C "$work/embed" || fail "building examples/embed failed"

# The embedder finds libeunomia in DESTDIR and hello.so where make install put it.
libdir=$(dirname "$(find "$dest" -name 'libeunomia.so.0' | head -n 1)")
echo "== run embed hello"
LD_LIBRARY_PATH=$libdir EUNOMIA_PLUGIN_PATH=$(dirname "$installed") \
	"$work/embed/embed" hello 2 >"$work/events.json" 2>"$work/embed.err" &
embed_pid=$!
# Fork a few processes while the embedder runs, and remember their pids.
: >"$work/children"
i=0
while [ $i -lt 15 ]; do
	sleep 0.1
	/bin/true &
	echo $! >>"$work/children"
	i=$((i + 1))
done
rc=0
wait $embed_pid || rc=$?
cat "$work/embed.err" >&2
[ $rc = 0 ] || fail "embed exited with $rc"
[ -s "$work/events.json" ] || fail "embed printed no event"
head -n 3 "$work/events.json"

grep -q '"tracker":"hello","type":"fork"' "$work/events.json" ||
	fail "no hello/fork event in the output"
found=0
while read -r child; do
	if grep -q "\"child_pid\":$child," "$work/events.json"; then
		found=$((found + 1))
	fi
done <"$work/children"
[ $found -gt 0 ] || fail "none of the $i forks of this script was reported"
echo "ok: $found of $i forks reported by hello.so through the embedder"
