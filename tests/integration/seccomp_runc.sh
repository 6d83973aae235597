#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# A seccomp profile for a real runc container (busybox-static rootfs),
# recorded from the container's first syscall: `eunomia seccomp record
# --container NAME` starts before the container exists and finds its
# cgroup when runc makes it. Then:
# - runc's own syscalls are apart: its setup (mount, pivot_root) is not in
#   the profile, what it does after no_new_privs (it installs the profile
#   then, just before the exec) is;
# - with the profile in config.json linux.seccomp the container starts and
#   its workload passes;
# - with a syscall the workload needs removed (newfstatat, which ls needs
#   and runc does not under the profile), the container starts and its
#   workload fails, and its denials are events of the container (the
#   tracker's watch mode, found by the container's name).
#
# usage: seccomp_runc.sh EUNOMIA_BINARY   (plugins from $EUNOMIA_PLUGIN_PATH)
set -eu

cli=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads BPF programs and runs containers)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi
if ! awk '$9 == "cgroup2" { found = 1 } END { exit !found }' /proc/self/mountinfo; then
	echo "SKIP: no cgroup v2 hierarchy is mounted (a container is found by its cgroup)"
	exit 77
fi
for tool in runc jq; do
	command -v $tool >/dev/null || fail "$tool is missing; install it (./scripts/setup installs runc, busybox-static and jq)"
done
busybox=/bin/busybox
[ -x $busybox ] && ! ldd $busybox >/dev/null 2>&1 || fail "$busybox is missing or not static; install busybox-static"

dir=$(mktemp -d /tmp/eun-scrunc-XXXXXX)
name=eun-seccomp-$$
rec_pid=""
cleanup() {
	[ -z "$rec_pid" ] || kill "$rec_pid" 2>/dev/null || true
	for c in "$name" "$name-2" "$name-3" "$name-4"; do
		runc delete -f "$c" >/dev/null 2>&1 || true
	done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

mkdir -p "$dir/bundle/rootfs/bin" "$dir/bundle/rootfs/proc" "$dir/bundle/rootfs/dev" \
	"$dir/bundle/rootfs/sys" "$dir/bundle/rootfs/tmp"
cp $busybox "$dir/bundle/rootfs/bin/busybox"
for applet in sh cat ls echo; do
	ln -s busybox "$dir/bundle/rootfs/bin/$applet"
done
echo inside >"$dir/bundle/rootfs/marker"
(cd "$dir/bundle" && runc spec)
jq '.root.readonly = false | .process.terminal = false |
    .process.args = ["/bin/sh", "-c",
	"cat /marker && echo hello >/tmp/x && cat /tmp/x && ls / >/dev/null && echo workload-ok"]' \
	"$dir/bundle/config.json" >"$dir/config.plain"

# run_container ID CONFIG: runc run in the foreground; its output in $dir/ID.out, exit
# status (a workload denied a syscall may loop: killed after 60 s).
run_container() {
	cp "$2" "$dir/bundle/config.json"
	rc=0
	timeout -s KILL 60 runc run -b "$dir/bundle" "$1" </dev/null >"$dir/$1.out" 2>&1 || rc=$?
	return $rc
}

# ---- record, eunomia first -------------------------------------------------
"$cli" seccomp record --container "$name" -o "$dir/profile.json" --report json:"$dir/rec.json" \
	>"$dir/record.out" 2>"$dir/record.err" &
rec_pid=$!
i=0
until grep -q '^eunomia: recording container' "$dir/record.err"; do
	kill -0 $rec_pid 2>/dev/null || fail "eunomia seccomp record ended: $(cat "$dir/record.err")"
	i=$((i + 1))
	[ $i -lt 300 ] || fail "eunomia seccomp record did not start in 30 s"
	sleep 0.1
done
[ ! -e "/run/runc/$name" ] || fail "the container exists already"
run_container "$name" "$dir/config.plain" || fail "the container failed while recorded: $(cat "$dir/$name.out")"
grep -qx workload-ok "$dir/$name.out" || fail "the workload did not pass: $(cat "$dir/$name.out")"
i=0
while kill -0 $rec_pid 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the recording did not end with the container"
	sleep 0.1
done
rc=0
wait $rec_pid || rc=$?
rec_pid=""
[ $rc = 0 ] || fail "eunomia seccomp record exited with $rc: $(cat "$dir/record.err")"

# From the first syscall: runc's own, before it unshares the namespaces.
jq -e '[.syscalls[] | select(.phase == "runtime" and (.comm | startswith("runc")))] | length > 10' \
	"$dir/rec.json" >/dev/null || fail "runc's own syscalls are missing: $(jq -c '[.syscalls[] | select(.phase == "runtime") | .name]' "$dir/rec.json")"
jq -e '.syscalls[] | select(.phase == "runtime" and .name == "unshare")' "$dir/rec.json" >/dev/null ||
	fail "runc's unshare of the namespaces was not recorded"
jq -e '.workload_starts[0].filename == "/bin/sh"' "$dir/rec.json" >/dev/null ||
	fail "the workload did not start with /bin/sh: $(jq -c .workload_starts "$dir/rec.json")"
jq -e '.syscalls[] | select(.phase == "workload" and .name == "sendfile" and .comm == "cat")' \
	"$dir/rec.json" >/dev/null || fail "cat's sendfile was not recorded in the workload"
jq -e '[.syscalls[] | select(.phase == "runtime_filtered")] | length > 0' "$dir/rec.json" >/dev/null ||
	fail "nothing of runc after no_new_privs was recorded"
for n in mount pivot_root sethostname; do
	! jq -e --arg n $n '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names | index($n)' \
		"$dir/profile.json" >/dev/null || fail "the profile allows $n, which only runc's setup needs"
done
echo "ok: container $name recorded from runc's first syscall; runc's setup kept apart"

# ---- the profile in linux.seccomp ----------------------------------------------
jq --slurpfile p "$dir/profile.json" '.linux.seccomp = $p[0]' "$dir/config.plain" >"$dir/config.profile"
run_container "$name-2" "$dir/config.profile" ||
	fail "the container did not start under its profile: $(cat "$dir/$name-2.out")"
grep -qx workload-ok "$dir/$name-2.out" || fail "the workload failed under its profile: $(cat "$dir/$name-2.out")"
echo "ok: the container starts under its profile and its workload passes"

jq '(.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names) -= ["newfstatat"]' \
	"$dir/config.profile" >"$dir/config.less"
! run_container "$name-3" "$dir/config.less" || ! grep -qx workload-ok "$dir/$name-3.out" ||
	fail "the workload passed without newfstatat: $(cat "$dir/$name-3.out")"
grep -qx hello "$dir/$name-3.out" && grep -q 'ls: .*Operation not permitted' "$dir/$name-3.out" ||
	fail "the container did not start, or ls did not fail with EPERM without newfstatat: $(cat "$dir/$name-3.out")"
echo "ok: without newfstatat, which ls needs, the container starts and its workload fails with EPERM"

# ---- its denials as events of the container --------------------------------------
# runc create starts the container's init, which waits; the tracker in watch
# mode then finds the container by name, and runc start lets it run.
cp "$dir/config.less" "$dir/bundle/config.json"
runc create -b "$dir/bundle" "$name-4" </dev/null >"$dir/create.out" 2>&1 ||
	fail "runc create: $(cat "$dir/create.out")"
"$cli" run seccomp --set seccomp.mode=watch --container "$name-4" --format json --duration 30 \
	>"$dir/watch.json" 2>"$dir/watch.err" &
rec_pid=$!
i=0
until bpftool prog show name watch_exit 2>/dev/null | grep -q watch_exit; do
	kill -0 $rec_pid 2>/dev/null || fail "eunomia run seccomp ended: $(cat "$dir/watch.err")"
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the watch did not start in 30 s"
	sleep 0.1
done
sleep 0.5 # loaded, then attached
runc start "$name-4" || fail "runc start"
i=0
while [ "$(runc state "$name-4" 2>/dev/null | jq -r .status)" = running ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the container did not stop"
	sleep 0.1
done
kill -INT $rec_pid
wait $rec_pid || fail "eunomia run seccomp failed: $(cat "$dir/watch.err")"
rec_pid=""
jq -e -n --arg id "$name-4" 'any(inputs; .type == "denied" and .syscall == "newfstatat" and
	.action == "errno" and .err == 1 and .comm == "ls" and .container_id == $id)' \
	"$dir/watch.json" >/dev/null ||
	fail "no denied newfstatat of ls in container $name-4: $(head -c 600 "$dir/watch.json")"
echo "ok: the denials of a container under its profile are events with its id (watch mode)"
