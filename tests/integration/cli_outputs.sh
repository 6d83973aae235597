#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# Several outputs of one `eunomia run files`: JSON lines and CSV to rotated
# files, text to standard output, while a program opens files whose names
# hold commas, quotes, newlines and bytes that are not UTF-8. Right after
# the last open, that program sends SIGTERM. Then (cli_outputs_check.py): exactly KEEP rotated
# files per output plus the current one, every line whole and valid, no
# file past the size, each name back byte for byte, every open on standard
# output, and the kept files holding the newest events in order.
#
# usage: cli_outputs.sh EUNOMIA_BINARY   (plugins from $EUNOMIA_PLUGIN_PATH)
set -eu

cli=$1
here=$(dirname "$0")
opens=3000        # about 1.5 MB of JSON: rotation drops the oldest files
rotate_kib=64
keep=5
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads BPF programs)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi
command -v python3 >/dev/null || fail "python3 is needed to check the outputs (scripts/setup installs it)"

dir=$(mktemp -d /tmp/eun-outputs-XXXXXX)
cli_pid=
cleanup() {
	[ -z "$cli_pid" ] || kill "$cli_pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

# Bad output options are usage errors (2), before anything is loaded.
for bad in "-o json:" "-o $dir/a -o $dir/a" "--rotate-size 10x -o $dir/a" \
	"--rotate-keep 3 -o $dir/a" "--rotate-size 1k"; do
	rc=0
	# shellcheck disable=SC2086 # the options are split on purpose
	"$cli" run files $bad >/dev/null 2>"$dir/err" || rc=$?
	[ $rc = 2 ] || fail "'eunomia run files $bad' exited with $rc, not 2: $(cat "$dir/err")"
done
[ ! -e "$dir/a" ] || fail "a refused run created its output file"

# A ring that holds every event, and wakeups only by the poll timeout, so
# that the last events are still in the ring when SIGTERM comes.
"$cli" run files --comm eun-opener --stats \
	--set files.ringbuf_kb=16384 --set files.wakeup_kb=8192 \
	-o "json:$dir/events.json" -o "csv:$dir/events.csv" -o text:- \
	--rotate-size ${rotate_kib}k --rotate-keep $keep \
	>"$dir/stdout.txt" 2>"$dir/stderr.txt" &
cli_pid=$!
# The text header reaches standard output once tracing has started.
i=0
while [ ! -s "$dir/stdout.txt" ]; do
	kill -0 $cli_pid 2>/dev/null || fail "eunomia run exited early: $(cat "$dir/stderr.txt")"
	[ $i -lt 200 ] || fail "eunomia run printed no header within 10 s"
	sleep 0.05
	i=$((i + 1))
done

python3 "$here/cli_outputs_check.py" open "$dir" $opens $cli_pid # then SIGTERM
rc=0
wait $cli_pid || rc=$?
cli_pid=
cat "$dir/stderr.txt" >&2
[ $rc = 0 ] || fail "eunomia run exited with $rc after SIGTERM"
grep -q '^eunomia: files: [0-9]* events, 0 kernel drops, 0 decode errors$' "$dir/stderr.txt" ||
	fail "events were lost in the kernel or not decoded"

python3 "$here/cli_outputs_check.py" check "$dir" $opens $keep $((rotate_kib * 1024))
