#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# eunomia seccomp and eunomia caps from the command line, in the kernel:
# - record seccomp_target, write its profile, run it under it: it passes;
#   with sysinfo (never used) it fails with EPERM and the denial is an event
#   (-o json); with socket(AF_INET) (only AF_UNIX was seen) likewise;
# - the same 64-bit program calling getpid through int 0x80: both ABIs, the
#   compat call named with the i386 table; with the x32 bit: x32; and the
#   32-bit build of the
#   program (gcc -m32) recorded under x86 with i386 names, run under its
#   profile;
# - merge and diff of two recordings; profile from a saved recording;
# - capabilities: caps_target needs exactly CAP_CHOWN and
#   CAP_NET_BIND_SERVICE; run with them it passes, with one dropped it fails;
# - refused input: malformed JSON, an unknown syscall, an unknown
#   architecture, an unknown capability, each named.
#
# usage: seccomp_cli.sh EUNOMIA SECCOMP_TARGET SECCOMP_TARGET32|"" CAPS_TARGET
set -eu

cli=$1 target=$2 target32=$3 caps_target=$4
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads BPF programs and makes cgroups)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi
command -v jq >/dev/null || fail "jq is missing; install it (./scripts/setup does)"

dir=$(mktemp -d /tmp/eun-seccomp-XXXXXX)
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP
work=$dir/work
mkdir -m 700 "$work"

# True if a JSON array of FILE's jq path holds an object meeting COND.
has() {
	jq -e "$2" "$1" >/dev/null
}

# The rule names of PROFILE with action ACTION, one per line.
names() {
	jq -r --arg a "$2" '.syscalls[] | select(.action == $a) | .names[]' "$1"
}

# ---- record, profile, run -----------------------------------------------
"$cli" seccomp record -o "$dir/p.json" --complain "$dir/c.json" --report json:"$dir/r.json" \
	-- "$target" "$work" >"$dir/out" 2>"$dir/err" || fail "record: $(cat "$dir/err")"
grep -qx 'seccomp_target: ok' "$dir/out" || fail "the recorded command's output is not ours: $(cat "$dir/out")"
has "$dir/p.json" '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1' ||
	fail "profile: not SCMP_ACT_ERRNO/EPERM: $(head -c 300 "$dir/p.json")"
has "$dir/c.json" '.defaultAction == "SCMP_ACT_LOG"' || fail "complain profile: not SCMP_ACT_LOG"
for n in openat read write socket exit_group execve; do
	names "$dir/p.json" SCMP_ACT_ALLOW | grep -qx "$n" || fail "profile does not allow $n"
done
! names "$dir/p.json" SCMP_ACT_ALLOW | grep -qx sysinfo || fail "profile allows sysinfo, never used"
has "$dir/p.json" '.syscalls[] | select(.names == ["socket"] and .action == "SCMP_ACT_ALLOW") |
	.args == [{"index":0,"value":1,"valueTwo":0,"op":"SCMP_CMP_EQ"},
		  {"index":1,"value":15,"valueTwo":1,"op":"SCMP_CMP_MASKED_EQ"}]' ||
	fail "socket is not limited to AF_UNIX SOCK_STREAM: $(jq -c '.syscalls[] | select(.names == ["socket"])' "$dir/p.json")"
has "$dir/p.json" '.syscalls[] | select(.names | index("clone3")) | .action == "SCMP_ACT_ERRNO" and .errnoRet == 38' ||
	fail "clone3 does not get ENOSYS"
has "$dir/r.json" '.syscalls[] | select(.phase == "workload" and .name == "openat") | .count > 0 and .pid > 0 and .comm == "seccomp_target"' ||
	fail "the report lacks openat's count, first process"
echo "ok: recorded seccomp_target; profile allows its syscalls, socket only AF_UNIX, clone3 ENOSYS"

"$cli" seccomp run --profile "$dir/p.json" -- "$target" "$work" >"$dir/out" 2>"$dir/err" ||
	fail "seccomp_target failed under its profile: $(cat "$dir/err")"
rc=0
"$cli" seccomp run --profile "$dir/p.json" -o json:"$dir/denied.json" -- "$target" "$work" extra \
	>"$dir/out" 2>"$dir/err" || rc=$?
[ $rc = 3 ] || fail "with sysinfo, exit $rc (want 3): $(cat "$dir/err")"
grep -q 'sysinfo: Operation not permitted' "$dir/err" || fail "sysinfo did not fail with EPERM: $(cat "$dir/err")"
grep -q 'seccomp denied sysinfo (x86_64 99) action=errno errno=1 pid=[0-9]* comm=seccomp_target' "$dir/err" ||
	fail "no denial line for sysinfo: $(cat "$dir/err")"
jq -e -n 'any(inputs; .tracker == "seccomp" and .type == "denied" and .syscall == "sysinfo" and
	.nr == 99 and .abi == "x86_64" and .action == "errno" and .err == 1 and .comm == "seccomp_target")' \
	"$dir/denied.json" >/dev/null || fail "no denied event for sysinfo in -o json: $(cat "$dir/denied.json")"
echo "ok: under the profile it passes; sysinfo fails with EPERM and is a denied event"
rc=0
"$cli" seccomp run --profile "$dir/p.json" -- "$target" "$work" inet >"$dir/out" 2>"$dir/err" || rc=$?
[ $rc = 3 ] && grep -q 'seccomp denied socket' "$dir/err" ||
	fail "socket(AF_INET) was not denied (exit $rc): $(cat "$dir/err")"
rc=0
"$cli" seccomp run --profile "$dir/p.json" --action log -- "$target" "$work" extra >"$dir/out" 2>"$dir/err" || rc=$?
[ $rc = 0 ] && grep -q 'seccomp denied sysinfo (x86_64 99) action=log' "$dir/err" ||
	fail "--action log: exit $rc, or no log denial of sysinfo: $(cat "$dir/err")"
rc=0
"$cli" seccomp run --profile "$dir/p.json" --action kill -- "$target" "$work" extra >"$dir/out" 2>"$dir/err" || rc=$?
[ $rc = $((128 + 31)) ] && grep -q 'seccomp denied sysinfo (x86_64 99) action=kill' "$dir/err" ||
	fail "--action kill: exit $rc (want 159, SIGSYS), or no kill denial: $(cat "$dir/err")"
echo "ok: an argument never seen is denied; the log and kill actions are reported too"

# ---- both ABIs in one process, and a 32-bit program ------------------------
if ! "$target" "$work" int80 >/dev/null 2>&1; then
	echo "SKIP: this kernel runs no 32-bit syscalls (CONFIG_IA32_EMULATION off or ia32_emulation=0)"
	exit 77
fi
"$cli" seccomp record -o "$dir/i80.json" --report json:"$dir/i80r.json" -- "$target" "$work" int80 \
	>/dev/null 2>"$dir/err" || fail "record int80: $(cat "$dir/err")"
has "$dir/i80r.json" '[.syscalls[] | select(.arch == "x86" and .phase == "workload")] == [] | not' ||
	fail "the int 0x80 call is not under the x86 ABI"
has "$dir/i80r.json" '.syscalls[] | select(.arch == "x86" and .nr == 20) | .name == "getpid"' ||
	fail "i386 syscall 20 is not named getpid: $(jq -c '[.syscalls[] | select(.arch == "x86")]' "$dir/i80r.json")"
has "$dir/i80.json" '.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]' ||
	fail "architectures: $(jq -c .architectures "$dir/i80.json")"
"$cli" seccomp run --profile "$dir/i80.json" -- "$target" "$work" int80 >/dev/null 2>"$dir/err" ||
	fail "int80 under its profile: $(cat "$dir/err")"
echo "ok: int 0x80 getpid recorded under x86 (nr 20, getpid), run under its profile"
"$cli" seccomp record -o "$dir/x32.json" --report json:"$dir/x32r.json" -- "$target" "$work" x32 \
	>/dev/null 2>"$dir/err" || fail "record x32: $(cat "$dir/err")"
has "$dir/x32r.json" '.syscalls[] | select(.arch == "x32" and .nr == 39) | .name == "getpid"' ||
	fail "the call with __X32_SYSCALL_BIT is not x32 getpid: $(jq -c '[.syscalls[] | select(.arch != "x86_64")]' "$dir/x32r.json")"
has "$dir/x32.json" '.architectures | index("SCMP_ARCH_X32")' || fail "no SCMP_ARCH_X32: $(jq -c .architectures "$dir/x32.json")"
echo "ok: a syscall with __X32_SYSCALL_BIT recorded under x32 (39, getpid)"

if [ -n "$target32" ]; then
	"$cli" seccomp record -o "$dir/p32.json" --report json:"$dir/r32.json" -- "$target32" "$work" \
		>/dev/null 2>"$dir/err" || fail "record 32-bit: $(cat "$dir/err")"
	for n in mmap2 set_thread_area getpid _llseek; do
		has "$dir/r32.json" ".syscalls[] | select(.arch == \"x86\" and .phase == \"workload\" and .name == \"$n\")" ||
			fail "32-bit program: no x86 $n (i386 names): $(jq -c '[.syscalls[] | select(.arch == "x86") | .name]' "$dir/r32.json")"
	done
	! has "$dir/r32.json" '.syscalls[] | select(.arch == "x86_64" and .phase == "workload")' ||
		fail "the 32-bit program's calls were taken for x86_64 ones"
	names "$dir/p32.json" SCMP_ACT_ALLOW | grep -qx mmap2 || fail "the 32-bit profile lacks mmap2"
	"$cli" seccomp run --profile "$dir/p32.json" -- "$target32" "$work" >/dev/null 2>"$dir/err" ||
		fail "the 32-bit program failed under its profile: $(cat "$dir/err")"
	rc=0
	"$cli" seccomp run --profile "$dir/p32.json" -- "$target32" "$work" extra >/dev/null 2>"$dir/err" || rc=$?
	[ $rc = 3 ] && grep -q 'seccomp denied sysinfo (x86 116)' "$dir/err" ||
		fail "32-bit sysinfo: exit $rc: $(cat "$dir/err")"
	echo "ok: the 32-bit program is recorded under x86 with i386 names and runs under its profile"
else
	echo "note: no 32-bit build (the compiler cannot link -m32: install gcc-multilib); the int 0x80 case covered the compat ABI"
fi

# ---- merge, diff, profile from a saved recording -------------------------
"$cli" seccomp merge -o "$dir/m.json" "$dir/p.json" "$dir/i80.json" 2>"$dir/err" || fail "merge: $(cat "$dir/err")"
has "$dir/m.json" '.architectures | index("SCMP_ARCH_X86")' || fail "merge lost SCMP_ARCH_X86"
"$cli" seccomp diff "$dir/p.json" "$dir/m.json" >"$dir/diff" 2>"$dir/err" || fail "diff: $(cat "$dir/err")"
grep -q '^+ arch     SCMP_ARCH_X86$' "$dir/diff" || fail "diff does not show the added arch: $(cat "$dir/diff")"
jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and .args == null) | .names) -= ["openat"]' \
	"$dir/p.json" >"$dir/less.json"
"$cli" seccomp diff "$dir/p.json" "$dir/less.json" >"$dir/diff" 2>"$dir/err" || fail "diff: $(cat "$dir/err")"
grep -q '^- syscall  openat$' "$dir/diff" || fail "diff does not show openat removed: $(cat "$dir/diff")"
"$cli" seccomp profile -o "$dir/again.json" "$dir/r.json" >/dev/null 2>&1 || fail "profile from the recording"
"$cli" seccomp diff "$dir/p.json" "$dir/again.json" | grep -q 'the profiles allow the same' ||
	fail "the profile written again from the saved recording differs"
echo "ok: merge, diff, and the profile written again from the saved recording"

# ---- capabilities ----------------------------------------------------------
"$cli" caps record --format docker -o "$dir/caps" -- "$caps_target" "$work" >"$dir/out" 2>"$dir/err" ||
	fail "caps record: $(cat "$dir/err")"
[ "$(cat "$dir/caps")" = "--cap-drop ALL --cap-add CHOWN --cap-add NET_BIND_SERVICE" ] ||
	fail "needed capabilities: '$(cat "$dir/caps")', want CHOWN and NET_BIND_SERVICE; $(cat "$dir/err")"
"$cli" caps record --format k8s -- "$caps_target" "$work" 2>/dev/null | grep -q 'add: \["CHOWN", "NET_BIND_SERVICE"\]' ||
	fail "no Kubernetes securityContext"
"$cli" caps record --format oci -o "$dir/caps.json" -- "$caps_target" "$work" >/dev/null 2>&1 ||
	fail "caps record --format oci"
jq -e '.bounding == ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"] and .effective == .bounding and
	.permitted == .bounding' "$dir/caps.json" >/dev/null ||
	fail "no OCI process.capabilities: $(cat "$dir/caps.json")"
"$cli" caps run --caps CAP_CHOWN,CAP_NET_BIND_SERVICE -- "$caps_target" "$work" >/dev/null 2>"$dir/err" ||
	fail "caps_target failed with its capabilities: $(cat "$dir/err")"
rc=0
"$cli" caps run --caps CAP_NET_BIND_SERVICE -- "$caps_target" "$work" >/dev/null 2>"$dir/err" || rc=$?
[ $rc = 3 ] || fail "without CAP_CHOWN: exit $rc (want 3): $(cat "$dir/err")"
rc=0
"$cli" caps run --caps CAP_CHOWN -- "$caps_target" "$work" >/dev/null 2>"$dir/err" || rc=$?
[ $rc = 4 ] || fail "without CAP_NET_BIND_SERVICE: exit $rc (want 4): $(cat "$dir/err")"
echo "ok: caps_target needs CAP_CHOWN and CAP_NET_BIND_SERVICE; with them it passes, without either it fails"

# ---- refused input names the entry ----------------------------------------------
refused() {
	what=$1 want=$2
	shift 2
	rc=0
	"$@" >/dev/null 2>"$dir/err" || rc=$?
	[ $rc = 2 ] || fail "$what: exit $rc (want 2): $(cat "$dir/err")"
	grep -qF -- "$want" "$dir/err" || fail "$what: message does not say '$want': $(cat "$dir/err")"
}
printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [\n' >"$dir/bad1.json"
refused "malformed profile" "bad1.json:3:" "$cli" seccomp check "$dir/bad1.json"
jq '.syscalls[0].names += ["no_such_syscall"]' "$dir/p.json" >"$dir/bad2.json"
refused "unknown syscall" "syscalls[0].names[" "$cli" seccomp run --profile "$dir/bad2.json" -- true
grep -qF "'no_such_syscall' is not a syscall" "$dir/err" || fail "unknown syscall: not named: $(cat "$dir/err")"
jq '.architectures += ["SCMP_ARCH_Z80"]' "$dir/p.json" >"$dir/bad3.json"
refused "unknown architecture" "architectures[1]: 'SCMP_ARCH_Z80' is not an architecture" \
	"$cli" seccomp check "$dir/bad3.json"
refused "unknown capability" "'CAP_FLY'" "$cli" caps run --caps CAP_CHOWN,CAP_FLY -- true
refused "no subject" "nothing to record" "$cli" seccomp record -o "$dir/x.json"
echo "ok: malformed profile, unknown syscall, architecture and capability refused, each named"
