# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/seccomp.sh — section "seccomp" of bench/run: what recording a
# subject with `eunomia seccomp record` costs its syscalls, and the time
# libeunomia-seccomp takes to write a profile. Sourced by bench/run.
#
# Workloads, run in a cgroup of their own (the recorded subject):
#   open     openat + close of one file (the syscall storm of the target)
#   getppid  the cheapest syscall, where any sys_enter program weighs most
# Configurations: untraced; empty (an empty program on tp_btf/sys_enter,
# the floor); record (eunomia seccomp record --cgroup on it). As in
# overhead.sh, each traced run follows an untraced run of its own and the
# ratio of the pair is kept.

declare -A sc_ns sc_pair
sc_dir=""            # the cgroup's directory
sc_path=""           # its path below the v2 root
sc_write=""          # "ms syscalls rules" of the profile write
sc_workloads="open getppid"

# Remove the section's cgroup (on exit too).
seccomp_cleanup() {
	[[ -n $sc_dir && -d $sc_dir ]] && rmdir "$sc_dir" 2>/dev/null || true
}

# One run of workload $1 inside the cgroup; sets op_ns.
seccomp_run() {
	local cmd
	case $1 in
	open) cmd=("$build/bench/workload_open" -c "$work_cpu" -n "$ops_open" "$work/target") ;;
	getppid) cmd=("$build/bench/workload_syscall" -c "$work_cpu" -n "$ops_syscall") ;;
	esac
	# shellcheck disable=SC2016
	run_parse sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$sc_dir" "${cmd[@]}"
}

# Start configuration $1 and wait until it records.
seccomp_start() {
	local i
	case $1 in
	empty)
		tracer_start empty "$build/bench/empty_loader" sys_enter && wait_attached sys_enter ||
			die "the empty sys_enter program did not attach: $(tracer_error)" ;;
	record)
		EUNOMIA_PLUGIN_PATH=$build/trackers tracer_start seccomp "$eunomia" seccomp record \
			--cgroup "$sc_path" -o "$work/seccomp-profile.json" \
			--report json:"$work/seccomp-recording.json" ||
			die "eunomia seccomp record did not start"
		for ((i = 0; i < 300; i++)); do
			grep -q '^eunomia: recording cgroup' "$work/seccomp.err" && return 0
			kill -0 "$tracer_pid" 2>/dev/null || break
			sleep 0.1
		done
		die "eunomia seccomp record did not start recording: $(tracer_error)" ;;
	esac
}

seccomp_one() {
	local w=$1 c=$2
	if [[ $c == untraced ]]; then
		seccomp_run "$w"
	else
		seccomp_start "$c"
		seccomp_run "$w"
		# the empty loader detaches on TERM; seccomp record writes its profile on INT
		if [[ $c == empty ]]; then tracer_stop TERM; else tracer_stop INT; fi
		((tracer_status == 0)) || die "$c exited with status $tracer_status: $(tracer_error)"
	fi
	sc_ns[$w/$c]+="$op_ns "
	note "  seccomp $w/$c: $op_ns ns/op"
}

seccomp_section() {
	local root w c r base
	root=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	[[ -n $root ]] || die "the seccomp section needs a cgroup v2 hierarchy"
	sc_path=/eunomia-bench-$$
	sc_dir=$root$sc_path
	mkdir "$sc_dir" || die "cannot make the cgroup $sc_dir"
	for w in $sc_workloads; do
		note "seccomp, $w: $runs rounds of untraced + each of: empty record"
		seccomp_run "$w" # warm-up
		for ((r = 0; r < runs; r++)); do
			for c in empty record; do
				seccomp_one "$w" untraced
				base=$op_ns
				seccomp_one "$w" "$c"
				sc_pair[$w/$c]+="$(ratio "$op_ns" "$base" "%.4f") "
			done
		done
	done
	seccomp_cleanup
	[[ -s $work/seccomp-profile.json ]] || die "eunomia seccomp record wrote no profile: $(tracer_error)"
	line=$("$build/bench/seccomp_write" "$work/seccomp-recording.json" "$(q 5 50)") ||
		die "seccomp_write failed"
	[[ $line =~ ms_per_profile=([0-9.]+)\ syscalls=([0-9]+)\ rules=([0-9]+) ]] ||
		die "cannot parse seccomp_write output: $line"
	sc_write="${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
	note "  seccomp profile write: ${BASH_REMATCH[1]} ms"
}

# Median (min-max) of the paired ratios of $1 (workload/config), as 1.23x.
seccomp_pair_stats() {
	# shellcheck disable=SC2086
	stats $(awk -v l="${sc_pair[$1]:-}" 'BEGIN { n = split(l, v, " "); for (i = 1; i <= n; i++) print v[i] * 1000 }') |
		awk '{ printf "%.2fx %.2fx %.2fx\n", $1 / 1000, $2 / 1000, $3 / 1000 }'
}

seccomp_table() {
	local w c med lo hi pair plo phi ms n rules
	echo "6. Seccomp recording: $runs rounds; ops per run: open $ops_open, getppid $ops_syscall"
	printf '%-8s %-9s %10s %21s %7s %13s\n' workload config "ns/op" "(min-max)" ratio "(min-max)"
	for w in $sc_workloads; do
		for c in untraced empty record; do
			# shellcheck disable=SC2086
			read -r med lo hi <<<"$(stats ${sc_ns[$w/$c]:-})"
			pair=- plo=- phi=-
			[[ $c != untraced ]] && read -r pair plo phi <<<"$(seccomp_pair_stats "$w/$c")"
			printf '%-8s %-9s %10s %21s %7s %13s\n' "$w" "$c" "$med" "($lo-$hi)" "$pair" "($plo-$phi)"
		done
	done
	read -r ms n rules <<<"$sc_write"
	echo "   empty: a program doing nothing on sys_enter (the floor); record: eunomia seccomp"
	echo "   record --cgroup on the workload's cgroup (every call counted in the kernel)"
	echo "   profile write: $ms ms per profile ($n recorded syscalls, $rules rules): built,"
	echo "   checked with libseccomp (filter built and exported), rendered as JSON"
}

# For the targets table: the paired ratio of record on the open storm, its
# floor, and the write time.
seccomp_target_values() {
	local r e
	read -r r _ _ <<<"$(seccomp_pair_stats open/record)"
	read -r e _ _ <<<"$(seccomp_pair_stats open/empty)"
	echo "${r%x} ${e%x} ${sc_write%% *}"
}
