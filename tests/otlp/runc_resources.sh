#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# OTLP resources per container, with a real container: a busybox rootfs
# (Debian's busybox-static) run by runc in a Kubernetes-style cgroup
# (/kubepods/burstable/pod<UID>/<64-hex id>) with CRI name and image
# annotations, execing cat on a marker file, while a host cat opens the
# same file. `eunomia run process,files --otlp` sends to the Node receiver
# (receiver.js), and check_resources.js checks that the container's
# records come in a ResourceLogs of their own with container.id,
# container.runtime.name, container.name, container.image.name/tags and
# k8s.pod.uid, the host's in one without, each record where the run's
# JSON output says its event belongs. The container and its cgroups are
# removed on every exit path.
#
# usage: runc_resources.sh EUNOMIA_BINARY   (plugins from $EUNOMIA_PLUGIN_PATH)
set -eu

cli=$1
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads BPF programs and runs containers)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi
v2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
if [ -z "$v2" ]; then
	echo "SKIP: no cgroup v2 hierarchy is mounted (container metadata needs one)"
	exit 77
fi
for tool in runc jq node; do
	command -v $tool >/dev/null || fail "$tool is missing; install it (./scripts/setup installs runc, busybox-static, jq and nodejs)"
done
busybox=/bin/busybox
[ -x $busybox ] || fail "$busybox is missing; install busybox-static"
! ldd $busybox >/dev/null 2>&1 || fail "$busybox is not statically linked; install busybox-static"

dir=$(mktemp -d /tmp/eun-otlp-ctr-XXXXXX)
id=""
recv_pid=""
cli_pid=""

# Remove runc's cgroup directories of the container ("LEVELS DIR" lines in
# $dir/cgroup-dirs), each with the parents this test made.
remove_cgroups() {
	[ -f "$dir/cgroup-dirs" ] || return 0
	while read -r levels d; do
		i=0
		while [ $i -lt "$levels" ]; do
			rmdir "$d" 2>/dev/null || [ ! -d "$d" ] || break
			d=${d%/*} i=$((i + 1))
		done
	done <"$dir/cgroup-dirs"
}

cleanup() {
	for pid in $cli_pid $recv_pid; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	[ -z "$id" ] || runc delete -f "$id" >/dev/null 2>&1 || true
	remove_cgroups
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- the receiver
node "$here/receiver.js" "$dir/port" "$dir/requests.jsonl" 2>"$dir/receiver.err" &
recv_pid=$!
i=0
while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do
	kill -0 $recv_pid 2>/dev/null || fail "the receiver exited: $(cat "$dir/receiver.err")"
	sleep 0.1
	i=$((i + 1))
done
[ -s "$dir/port" ] || fail "the receiver never said its port"
port=$(cat "$dir/port")

# ---- the container: busybox rootfs, a marker, a Kubernetes cgroup path
mkdir -p "$dir/bundle/rootfs/bin" "$dir/bundle/rootfs/proc" "$dir/bundle/rootfs/dev" \
	"$dir/bundle/rootfs/sys" "$dir/bundle/rootfs/tmp"
cp "$busybox" "$dir/bundle/rootfs/bin/busybox"
for applet in sh cat sleep; do
	ln -s busybox "$dir/bundle/rootfs/bin/$applet"
done
marker=eun-otlp-marker-$$
echo inside >"$dir/bundle/rootfs/$marker"
(cd "$dir/bundle" && runc spec)
mv "$dir/bundle/config.json" "$dir/config.orig"
pod=$(cat /proc/sys/kernel/random/uuid)
id=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
cg=/kubepods/burstable/pod$pod/$id
jq --arg cg "$cg" --arg m "/$marker" '
	.process.terminal = false |
	.process.args = ["/bin/sh", "-c",
		"i=0; while [ $i -lt 1200 ]; do /bin/cat " + $m + " >/dev/null; /bin/sleep 0.05; i=$((i + 1)); done"] |
	.annotations = {"io.kubernetes.cri.container-name": "eun-otlp",
			"io.kubernetes.cri.image-name": "busybox:eun"} |
	.linux.cgroupsPath = $cg' "$dir/config.orig" >"$dir/bundle/config.json"
levels=0
p=$cg
while [ -n "$p" ] && [ "$p" != / ] && [ ! -d "$v2$p" ]; do
	levels=$((levels + 1)) p=${p%/*}
done
awk -v l="$levels" -v p="$cg" '$9 == "cgroup" || $9 == "cgroup2" { print l, $5 p }' \
	/proc/self/mountinfo >>"$dir/cgroup-dirs"
runc run -d -b "$dir/bundle" "$id" </dev/null >"$dir/runc.out" 2>&1 || fail "runc run: $(cat "$dir/runc.out")"
jq -r --arg l "$levels" '.cgroup_paths[] | $l + " " + .' "/run/runc/$id/state.json" >>"$dir/cgroup-dirs"
[ "$(runc state "$id" | jq -r .status)" = running ] || fail "the container is not running"

# ---- 3 s of tracing, a host cat opening the container's marker meanwhile
"$cli" run process,files --otlp "http://127.0.0.1:$port" --otlp-set batch_timeout_ms=100 \
	-o json:"$dir/events.json" --duration 3 2>"$dir/cli.err" &
cli_pid=$!
i=0
while kill -0 $cli_pid 2>/dev/null && [ $i -lt 80 ]; do
	cat "$dir/bundle/rootfs/$marker" >/dev/null
	sleep 0.05
	i=$((i + 1))
done
rc=0
wait $cli_pid || rc=$?
cli_pid=""
[ $rc = 0 ] || fail "eunomia run --otlp exited with $rc: $(cat "$dir/cli.err")"
# The exporter has delivered everything before eunomia exits.
kill $recv_pid
wait $recv_pid 2>/dev/null || true
recv_pid=""

node "$here/check_resources.js" "$dir/requests.jsonl" "$dir/events.json" "$id" "$pod" \
	"/$marker" "$dir/bundle/rootfs/$marker" || fail "see above (eunomia said: $(cat "$dir/cli.err"))"
