#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# CLI smoke test: `eunomia run process --format json --duration 1` must
# print, as a JSON line, the exec of a uniquely named program we run meanwhile.
#
# usage: cli_smoke.sh EUNOMIA_BINARY   (plugins from $EUNOMIA_PLUGIN_PATH)
set -eu

cli=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads BPF programs)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi

dir=$(mktemp -d /tmp/eun-cli-XXXXXX)
trap 'rm -rf "$dir"' EXIT
prog=$dir/eun-cli-$$
cp /bin/true "$prog"

"$cli" run process --format json --duration 1 >"$dir/out.json" 2>"$dir/err" &
cli_pid=$!
# Run our program repeatedly while the CLI is tracing (it needs a moment to start).
i=0
while kill -0 $cli_pid 2>/dev/null && [ $i -lt 30 ]; do
	"$prog"
	sleep 0.05
	i=$((i + 1))
done
rc=0
wait $cli_pid || rc=$?
cat "$dir/err" >&2
[ $rc = 0 ] || fail "eunomia run exited with $rc"

grep -F "\"filename\":\"$prog\"" "$dir/out.json" >"$dir/ours" ||
	fail "no exec event with \"filename\":\"$prog\" among $(wc -l <"$dir/out.json") lines"
grep -q '"tracker":"process","type":"exec"' "$dir/ours" || fail "not a process/exec event: $(head -n 1 "$dir/ours")"
# Every line is one JSON object.
if command -v python3 >/dev/null; then
	python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$dir/out.json" ||
		fail "the output is not JSON lines"
fi
echo "ok: $(wc -l <"$dir/ours") exec events of $prog in $(wc -l <"$dir/out.json") lines"

# Ring buffer settings against each tracker's own ring: bind declares a
# 64 KiB one, syscall none (it aggregates in maps).
refused() { # EXPECTED_TEXT ARGS...: `eunomia run ARGS` must exit 2 saying EXPECTED_TEXT
	want=$1
	shift
	rc=0
	"$cli" run "$@" --duration 0.1 >/dev/null 2>"$dir/err" || rc=$?
	[ $rc = 2 ] || fail "eunomia run $* exited with $rc, want 2 (usage): $(cat "$dir/err")"
	grep -q "$want" "$dir/err" || fail "eunomia run $*: no '$want' in: $(cat "$dir/err")"
}
refused "64 KiB ring buffer" bind --set bind.wakeup_kb=64
refused "reads no ring buffer" syscall --set syscall.ringbuf_kb=4096
"$cli" run bind --set bind.ringbuf_kb=128 --set bind.wakeup_kb=64 --duration 0.1 >/dev/null 2>"$dir/err" ||
	fail "a 64 KiB wakeup in a 128 KiB ring was refused: $(cat "$dir/err")"
echo "ok: ring buffer settings checked against each tracker's own ring"

# A key that would do nothing is refused, not ignored.
refused "io=true" files --set files.io_top=5
echo "ok: io-mode keys are refused while the io mode is off"

# Conflicting or meaningless filters are refused, not silently resolved.
refused "disagree" process --pid 1 --set process.pid=2
refused "names no process" process --pid 0
"$cli" run process --pid 1 --set process.pid=1 --duration 0.1 -o /dev/null 2>"$dir/err" ||
	fail "--pid 1 with --set process.pid=1 was refused: $(cat "$dir/err")"
echo "ok: --pid against --set process.pid, and --pid 0"

# One file under two names would get two formats interleaved.
refused "are the same file" process -o "json:$dir/b.json" -o "csv:$dir/./b.json"
ln -s "$dir/c.json" "$dir/link.json"
: >"$dir/c.json"
refused "are the same file" process -o "json:$dir/c.json" -o "text:$dir/link.json"
echo "ok: outputs that resolve to one file are refused"

# A bad metrics label: the library's message lists the fields, and the CLI
# (not the library) adds its own hint.
refused "its fields: .*filename" process --metrics 127.0.0.1:0 --metrics-label process.nosuch
grep -q "Try 'eunomia list TRACKER'" "$dir/err" || fail "no 'eunomia list' hint: $(cat "$dir/err")"
echo "ok: a bad metrics label names the fields, and the CLI hints at 'eunomia list'"
