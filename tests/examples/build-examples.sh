#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# Install the project into a temporary DESTDIR, build examples/plugin-hello
# and examples/embed out of tree with nothing but pkg-config pointed there,
# then (as root) run the built embedder on the built plugin and expect real
# fork events from the kernel; new threads only with the plugin's
# threads=true, which its kit binding passes to the BPF side.
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

# The plugin is built on the header-only kit: it must need no symbol of
# libeunomia (it reaches the core through the host table only).
if nm -D --undefined-only "$installed" | grep -q ' eun_'; then
	nm -D --undefined-only "$installed" | grep ' eun_' >&2
	fail "hello.so needs libeunomia symbols; the plugin kit must stay header-only"
fi

# A program that starts three threads and prints their thread ids.
cat >"$work/threads.c" <<'EOC'
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
static void *run(void *arg) { printf("%ld\n", (long)syscall(SYS_gettid)); return arg; }
int main(void)
{
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, run, NULL))
			return 1;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
EOC
${CC:-cc} -pthread -o "$work/threads" "$work/threads.c" || fail "cannot build the thread starter"

# The embedder finds libeunomia in DESTDIR and hello.so where make install put it.
libdir=$(dirname "$(find "$dest" -name 'libeunomia.so.0' | head -n 1)")

# run NAME [KEY=VALUE...]: run the embedder on hello for 2 s while this
# script forks processes (pids in $work/NAME.children) and starts threads
# (tids in $work/NAME.threads); its events go to $work/NAME.json.
run() {
	name=$1
	shift
	echo "== run embed hello $*"
	LD_LIBRARY_PATH=$libdir EUNOMIA_PLUGIN_PATH=$(dirname "$installed") \
		"$work/embed/embed" hello 2 "$@" >"$work/$name.json" 2>"$work/$name.err" &
	embed_pid=$!
	: >"$work/$name.children"
	: >"$work/$name.threads"
	i=0
	while [ $i -lt 15 ]; do
		sleep 0.1
		/bin/true &
		echo $! >>"$work/$name.children"
		"$work/threads" >>"$work/$name.threads" || fail "the thread starter failed"
		i=$((i + 1))
	done
	rc=0
	wait $embed_pid || rc=$?
	cat "$work/$name.err" >&2
	[ $rc = 0 ] || fail "embed $* exited with $rc"
	[ -s "$work/$name.json" ] || fail "embed $* printed no event"
	head -n 3 "$work/$name.json"
	grep -q '"tracker":"hello","type":"fork"' "$work/$name.json" ||
		fail "embed $*: no hello/fork event in the output"
	forks=0
	while read -r child; do
		if grep -q "\"child_pid\":$child,\"is_thread\":0" "$work/$name.json"; then
			forks=$((forks + 1))
		fi
	done <"$work/$name.children"
	[ $forks -gt 0 ] || fail "embed $*: none of the $i forks of this script was reported"
	threads=0
	while read -r tid; do
		if grep -q "\"child_pid\":$tid,\"is_thread\":1" "$work/$name.json"; then
			threads=$((threads + 1))
		fi
	done <"$work/$name.threads"
}

# Default threads=false: the kernel side must skip every new thread.
run default
grep -q '"is_thread":1' "$work/default.json" &&
	fail "threads=false (the default) but new threads were reported"
echo "ok: $forks of $i forks reported by hello.so through the embedder, no thread"

# threads=true, bound to report_threads by eun_skel_bind_bool(): threads too.
run threads threads=true
[ $threads -gt 0 ] || fail "threads=true but none of this script's new threads was reported"
echo "ok: threads=true: $forks forks and $threads of $((i * 3)) new threads reported"
