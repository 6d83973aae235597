#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# Real containers: a busybox rootfs (Debian's busybox-static) run by runc,
# once per cgroup naming scheme:
#   kubepods   cgroupsPath /kubepods/burstable/pod<UID>/<64-hex id>
#   docker     cgroupsPath /docker/<64-hex id>
#   plain      no cgroupsPath: runc's default cgroup /<id>
# Inside, a loop execs cat on a marker file. For each container:
# - `eunomia run process,files --container ID|NAME` (or --cgroup of a parent
#   cgroup) shows the exec and open events of the container, each carrying
#   the container id, runtime and pod uid, and no event of the host cat that
#   opens the same file meanwhile;
# - without a filter the same run shows both, the host's with an empty
#   container_id;
# - `eunomia containers` lists the container with its runtime, name, pod,
#   cgroup and processes.
# Containers and the cgroups they created are removed on every exit path.
#
# usage: container_runc.sh EUNOMIA_BINARY   (plugins from $EUNOMIA_PLUGIN_PATH)
set -eu

cli=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads BPF programs and runs containers)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi
v2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
if [ -z "$v2" ]; then
	echo "SKIP: no cgroup v2 hierarchy is mounted (the container filter needs one)"
	exit 77
fi
for tool in runc jq; do
	command -v $tool >/dev/null || fail "$tool is missing; install it (./scripts/setup installs runc, busybox-static and jq)"
done
busybox=/bin/busybox
[ -x $busybox ] || fail "$busybox is missing; install busybox-static"
# ldd fails on a static executable.
! ldd $busybox >/dev/null 2>&1 || fail "$busybox is not statically linked; install busybox-static"

dir=$(mktemp -d /tmp/eun-ctr-XXXXXX)
containers=""     # runc ids to delete
cli_pid=""

# Remove the leaf cgroup directories listed in $dir/cgroup-dirs ("LEVELS
# DIR" lines: runc's leaf cgroup in one hierarchy, and how many levels of
# it this test created), each with its parents that this test created.
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
	[ -z "$cli_pid" ] || kill "$cli_pid" 2>/dev/null || true
	for id in $containers; do
		runc delete -f "$id" >/dev/null 2>&1 || true
	done
	remove_cgroups
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- the bundle: busybox rootfs, a marker file, a config from `runc spec`
mkdir -p "$dir/bundle/rootfs/bin" "$dir/bundle/rootfs/proc" "$dir/bundle/rootfs/dev" \
	"$dir/bundle/rootfs/sys" "$dir/bundle/rootfs/tmp"
cp "$busybox" "$dir/bundle/rootfs/bin/busybox"
for applet in sh cat sleep; do
	ln -s busybox "$dir/bundle/rootfs/bin/$applet"
done
marker=eun-marker-$$
echo inside >"$dir/bundle/rootfs/$marker"
(cd "$dir/bundle" && runc spec)
spec=$dir/bundle/config.json.orig
mv "$dir/bundle/config.json" "$spec"

# True if an event of FILE meets jq condition COND; jq options (--arg) follow.
# (jq -e 'select(...)' would judge only the last line.)
any_event() {
	file=$1 cond=$2
	shift 2
	jq -n -e "$@" "any(inputs; $cond)" "$file" >/dev/null
}

hex64() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
uuid() { cat /proc/sys/kernel/random/uuid; }

# Number of leading components of cgroup PATH that are not there yet, i.e.
# that runc will create (counted from the leaf).
new_levels() {
	p=$1 n=0
	while [ -n "$p" ] && [ "$p" != / ] && [ ! -d "$v2$p" ]; do
		n=$((n + 1)) p=${p%/*}
	done
	echo $n
}

# Start container ID with cgroupsPath CGPATH ("" for runc's default) and
# annotations JSON. Its init execs /bin/cat on the marker every 50 ms
# (for at most 60 s, should cleanup ever fail).
start_container() {
	id=$1 cgpath=$2 annotations=$3
	jq --arg cg "$cgpath" --argjson ann "$annotations" --arg m "/$marker" '
		.process.terminal = false |
		.process.args = ["/bin/sh", "-c",
			"i=0; while [ $i -lt 1200 ]; do /bin/cat " + $m + " >/dev/null; /bin/sleep 0.05; i=$((i + 1)); done"] |
		.annotations = $ann |
		(if $cg == "" then del(.linux.cgroupsPath) else .linux.cgroupsPath = $cg end)
		' "$spec" >"$dir/bundle/config.json"
	[ -n "$cgpath" ] || cgpath=/$id
	levels=$(new_levels "$cgpath")
	# Where runc will make the cgroup in each hierarchy (usually), then
	# where it did (its state), for cleanup.
	awk -v l="$levels" -v p="$cgpath" '$9 == "cgroup" || $9 == "cgroup2" { print l, $5 p }' \
		/proc/self/mountinfo >>"$dir/cgroup-dirs"
	containers="$containers $id"
	runc run -d -b "$dir/bundle" "$id" </dev/null >"$dir/runc.out" 2>&1 ||
		fail "runc run $id: $(cat "$dir/runc.out")"
	jq -r --arg l "$levels" '.cgroup_paths[] | $l + " " + .' "/run/runc/$id/state.json" \
		>>"$dir/cgroup-dirs"
	[ "$(runc state "$id" | jq -r .status)" = running ] || fail "container $id is not running"
	grep -qx "0::$cgpath" "/proc/$(runc state "$id" | jq -r .pid)/cgroup" ||
		fail "container $id is not in cgroup v2 $cgpath: $(cat "/proc/$(runc state "$id" | jq -r .pid)/cgroup")"
}

# Run `eunomia run process,files --format json ARGS...` for 2 s into FILE
# while a host cat opens the container's marker file from outside.
trace_with_host_cat() {
	out=$1
	shift
	"$cli" run process,files --format json --duration 2 "$@" >"$out" 2>"$dir/err" &
	cli_pid=$!
	i=0
	while kill -0 $cli_pid 2>/dev/null && [ $i -lt 60 ]; do
		cat "$dir/bundle/rootfs/$marker" >/dev/null
		sleep 0.05
		i=$((i + 1))
	done
	rc=0
	wait $cli_pid || rc=$?
	cli_pid=""
	[ $rc = 0 ] || fail "eunomia run $* exited with $rc: $(cat "$dir/err")"
}

# Check FILE (from a filtered run) for container ID / RUNTIME / POD: it has
# the container's exec of cat and open of the marker, all with those ids,
# and nothing from the host.
check_filtered() {
	out=$1 id=$2 runtime=$3 pod=$4 what=$5
	n=$(wc -l <"$out")
	[ "$n" -gt 0 ] || fail "$what: no events at all: $(cat "$dir/err")"
	any_event "$out" '.type == "open" and .path == $m' --arg m "/$marker" ||
		fail "$what: no open of /$marker from inside the container among $n events"
	any_event "$out" '.type == "exec" and .filename == "/bin/cat"' ||
		fail "$what: no exec of /bin/cat inside the container among $n events"
	bad=$(jq -c --arg id "$id" --arg rt "$runtime" --arg pod "$pod" \
		'select(.container_id != $id or .container_runtime != $rt or .pod_uid != $pod)' "$out" | head -n 3)
	[ -z "$bad" ] || fail "$what: events without container_id=$id container_runtime=$runtime pod_uid='$pod': $bad"
	! any_event "$out" '.path == $p' --arg p "$dir/bundle/rootfs/$marker" ||
		fail "$what: the host's open of the marker passed the container filter"
	echo "ok: $what: $n events, all of container ${id%"${id#????????????}"} ($runtime${pod:+, pod $pod})"
}

# Check FILE (an unfiltered run) has the container's open with its ids
# and the host's open with an empty container_id.
check_unfiltered() {
	out=$1 id=$2 runtime=$3 pod=$4
	any_event "$out" '.path == $m and .container_id == $id and .container_runtime == $rt and .pod_uid == $pod' \
		--arg m "/$marker" --arg id "$id" --arg rt "$runtime" --arg pod "$pod" ||
		fail "unfiltered: no open of /$marker with container_id=$id runtime=$runtime pod_uid='$pod'"
	any_event "$out" '.path == $p and .container_id == "" and .container_runtime == "" and .pod_uid == ""' \
		--arg p "$dir/bundle/rootfs/$marker" ||
		fail "unfiltered: no host open of $dir/bundle/rootfs/$marker with an empty container_id"
	echo "ok: unfiltered: the container's events carry its ids, the host's none"
}

# Check that `eunomia containers` lists ID with these values.
check_listed() {
	id=$1 runtime=$2 name=$3 pod=$4 qos=$5 cgpath=$6
	"$cli" containers --format json >"$dir/containers.json" 2>"$dir/err" ||
		fail "eunomia containers failed: $(cat "$dir/err")"
	row=$(jq -c --arg id "$id" 'select(.id == $id)' "$dir/containers.json")
	[ -n "$row" ] || fail "eunomia containers does not list $id: $(cat "$dir/containers.json")"
	echo "$row" | jq -e --arg rt "$runtime" --arg name "$name" --arg pod "$pod" --arg qos "$qos" \
		--arg cg "$cgpath" --argjson ino "$(stat -c %i "$v2$cgpath")" \
		'.runtime == $rt and .name == $name and .pod_uid == $pod and .qos == $qos and
		 .cgroup == $cg and .cgroup_id == $ino and .processes >= 1' >/dev/null ||
		fail "eunomia containers: $row, want runtime=$runtime name='$name' pod_uid='$pod' qos='$qos' cgroup=$cgpath"
	"$cli" containers >"$dir/containers.txt" || fail "eunomia containers (text) failed"
	grep -q "^$id " "$dir/containers.txt" || fail "the text listing lacks $id: $(cat "$dir/containers.txt")"
	echo "ok: eunomia containers lists $runtime container ${name:-$id}"
}

# ---- kubepods: burstable pod, runc-run (its state names the runtime), by name
pod=$(uuid)
id=$(hex64)
cg=/kubepods/burstable/pod$pod/$id
start_container "$id" "$cg" \
	'{"io.kubernetes.cri.container-name": "eun-web", "io.kubernetes.cri.image-name": "busybox:eun"}'
check_listed "$id" runc eun-web "$pod" burstable "$cg"
trace_with_host_cat "$dir/kube.json" --container eun-web
check_filtered "$dir/kube.json" "$id" runc "$pod" "--container eun-web (kubepods)"
trace_with_host_cat "$dir/all.json"
check_unfiltered "$dir/all.json" "$id" runc "$pod"
any_event "$dir/containers.json" '.id == $id and .image == "busybox:eun"' --arg id "$id" ||
	fail "the image annotation was not read from the runc state"

# ---- docker-style cgroupfs path; filter by id prefix, then by a parent cgroup
id=$(hex64)
start_container "$id" "/docker/$id" '{}'
check_listed "$id" docker "" "" "" "/docker/$id"
trace_with_host_cat "$dir/docker.json" --container "$(echo "$id" | cut -c1-12)"
check_filtered "$dir/docker.json" "$id" docker "" "--container ID-prefix (docker)"
# The text format names the container by its short id.
short=$(echo "$id" | cut -c1-12)
trace_with_host_cat "$dir/docker.json" --container "$short" -o - -o text:"$dir/docker.txt"
grep -q " path=/$marker .*container=$short\$" "$dir/docker.txt" ||
	fail "text output: no open of /$marker ending in container=$short: $(head -n 3 "$dir/docker.txt")"
echo "ok: text output ends container events with container=$short"
# "/docker/ID/.." is /docker: the filter's depth is counted on the real path.
trace_with_host_cat "$dir/parent.json" --cgroup "/docker/$id/.."
check_filtered "$dir/parent.json" "$id" docker "" "--cgroup /docker/ID/.. (a parent)"

# ---- plain runc: its default cgroup /<id>, found through the runc state
id=eun-plain-$$
start_container "$id" "" '{}'
check_listed "$id" runc "" "" "" "/$id"
trace_with_host_cat "$dir/plain.json" --container "$id"
check_filtered "$dir/plain.json" "$id" runc "" "--container $id (plain runc)"

# ---- refused filters name the problem
"$cli" run files --container eun-no-such-container --duration 1 >/dev/null 2>"$dir/err" && fail "an unknown container was accepted"
grep -q "eun-no-such-container" "$dir/err" || fail "unknown container: message does not name it: $(cat "$dir/err")"
"$cli" run files --cgroup /eun-no-such-cgroup --duration 1 >/dev/null 2>"$dir/err" && fail "an unknown cgroup was accepted"
grep -q "does not exist" "$dir/err" || fail "unknown cgroup: unclear message: $(cat "$dir/err")"
"$cli" run files --cgroup /.. --duration 1 >/dev/null 2>"$dir/err" && fail "a cgroup above the v2 mount was accepted"
grep -q "outside the cgroup v2 hierarchy" "$dir/err" || fail "cgroup /..: unclear message: $(cat "$dir/err")"
echo "ok: unknown container and cgroup, and a cgroup outside the hierarchy, refused"
