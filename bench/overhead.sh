# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/overhead.sh — section 1 of bench/run: syscall overhead. Times the
# open, exec and tcp workloads untraced, under the empty programs (the
# floor), under `eunomia run` and under the libbpf-tools equivalents, in
# interleaved rounds (round r runs every configuration once), and counts
# what each tracer delivered. Sourced by bench/run; fills overhead_rows.
#
# Per workload W, the functions below give:
#   W_run            run the workload once; sets op_ns (and W-specific state)
#   W_configs        the configurations measured
#   W_start CONFIG   start the tracer; W_tps CONFIG: its tracepoints
#   W_count CONFIG   events of the workload the tracer delivered
# A configuration named "untraced" runs without a tracer.

# run_parse CMD...: run workload CMD once; sets line (its output) and op_ns.
run_parse() {
	line=$("$@") || die "${1##*/} failed"
	[[ $line =~ ns_per_op=([0-9.]+) ]] || die "cannot parse ${1##*/} output: $line"
	op_ns=${BASH_REMATCH[1]}
}

# --- open: openat + close of one file --------------------------------------------
open_target=""
open_run() {
	run_parse "$build/bench/workload_open" -c "$work_cpu" -n "$ops_open" "$open_target"
	op_count=$ops_open
}
open_configs() { echo "untraced empty empty_pair eunomia opensnoop"; }
open_tps() {
	case $1 in
	empty | eunomia) echo sys_exit_openat ;;
	empty_pair | opensnoop) echo sys_enter_openat sys_exit_openat ;;
	esac
}
open_start() {
	case $1 in
	empty) tracer_start "$1" "$build/bench/empty_loader" open ;;
	empty_pair) tracer_start "$1" "$build/bench/empty_loader" open_pair ;;
	eunomia) eunomia_start files ;;
	opensnoop) tracer_start "$1" "$(libbpf_tool opensnoop)" ;;
	esac
}
open_count() {
	case $1 in
	eunomia)
		grep -F '"comm":"workload_open"' "$work/eunomia.json" | grep -cF "\"path\":\"$open_target\"" || true ;;
	opensnoop)
		awk -v p="$open_target" '$2 == "workload_open" && $NF == p' "$work/$1.out" | wc -l ;;
	esac
}

# --- exec: spawn + wait of a copy of true(1) -------------------------------------
exec_prog=""
exec_run() {
	run_parse "$build/bench/workload_exec" -c "$work_cpu" -n "$ops_exec" "$exec_prog"
	op_count=$ops_exec
}
exec_configs() { echo "untraced empty eunomia execsnoop"; }
exec_tps() {
	case $1 in
	empty | eunomia) echo sched_process_exec sched_process_exit ;;
	execsnoop) echo sys_enter_execve sys_exit_execve ;;
	esac
}
exec_start() {
	case $1 in
	empty) tracer_start "$1" "$build/bench/empty_loader" exec ;;
	eunomia) eunomia_start process ;;
	execsnoop) tracer_start "$1" "$(libbpf_tool execsnoop)" ;;
	esac
}
exec_count() {
	case $1 in
	eunomia)
		grep -F '"type":"exec"' "$work/eunomia.json" | grep -cF "\"filename\":\"$exec_prog\"" || true ;;
	execsnoop) # PCOMM is the new program's comm
		awk -v c="${exec_prog##*/}" '$1 == c' "$work/$1.out" | wc -l ;;
	esac
}

# --- tcp: loopback connect + accept + close ---------------------------------------
tcp_port=""
tcp_run() {
	run_parse "$build/bench/workload_tcp" -c "$work_cpu" -n "$ops_tcp"
	[[ $line =~ port=([0-9]+) ]] || die "no port in workload_tcp output: $line"
	tcp_port=${BASH_REMATCH[1]}
	op_count=$ops_tcp
}
tcp_configs() { echo "untraced empty eunomia tcpconnect tcplife"; }
tcp_tps() {
	case $1 in
	empty | eunomia | tcplife) echo inet_sock_set_state ;;
	tcpconnect) echo tcp_v4_connect ;;
	esac
}
tcp_start() {
	case $1 in
	empty) tracer_start "$1" "$build/bench/empty_loader" tcp ;;
	eunomia) eunomia_start tcp ;;
	tcpconnect | tcplife) tracer_start "$1" "$(libbpf_tool "$1")" ;;
	esac
}
tcp_count() {
	case $1 in
	eunomia)
		grep -F '"type":"connect"' "$work/eunomia.json" | grep -cF "\"dport\":$tcp_port," || true ;;
	tcpconnect) # PID COMM IP SADDR DADDR DPORT
		awk -v p="$tcp_port" '$2 == "workload_tcp" && $NF == p' "$work/$1.out" | wc -l ;;
	tcplife) # one line per closed socket; the connecting one has RPORT = the port
		awk -v p="$tcp_port" '$2 == "workload_tcp" && $6 == p' "$work/$1.out" | wc -l ;;
	esac
}

# --- tracers -------------------------------------------------------------------------
# eunomia_start TRACKER: the tracker through the CLI, JSON lines to a file.
eunomia_start() {
	EUNOMIA_PLUGIN_PATH=$build/trackers tracer_start eunomia "$eunomia" run "$1" \
		--format json --output "$work/eunomia.json" --stats "${eunomia_args[@]}"
}

# Path of a libbpf-tools program ("" if it is not installed).
libbpf_tool() {
	local p
	for p in "/usr/sbin/$1" "/usr/sbin/libbpf-tools/$1" "$(command -v "$1" || true)"; do
		[[ -n $p && -x $p ]] && { echo "$p"; return 0; }
	done
	echo ""
}

# Lost-sample count a libbpf-tools program printed ("Lost N events on CPU #C").
libbpf_tool_lost() {
	sed -n 's/.*[Ll]ost \([0-9]*\) events.*/\1/p' "$work/$1.err" | awk '{ s += $1 } END { print s + 0 }'
}

# Per (workload, config): the numbers of every run, and why it could not run.
declare -A oh_ns oh_delivered oh_expected oh_drops oh_cpu oh_events oh_why

# One run of workload $1 under config $2; appends to the arrays above.
overhead_one() {
	local w=$1 c=$2 key="$1/$2" delivered drops events
	[[ -n ${oh_why[$key]:-} ]] && return
	if [[ $c == untraced ]]; then
		"${w}_run"
		oh_ns[$key]+="$op_ns "
		note "  $key: $op_ns ns/op"
		return
	fi
	if [[ $c != empty* && $c != eunomia && -z $(libbpf_tool "$c") ]]; then
		oh_why[$key]="not installed (Debian package libbpf-tools)"
		return
	fi
	rm -f "$work/eunomia.json"
	# shellcheck disable=SC2046
	if ! "${w}_start" "$c" || ! wait_attached $("${w}_tps" "$c"); then
		local why
		why=$(grep -m1 -iE 'kprobe|fentry|fexit|not supported|permission' "$work/$tracer_name.err" |
			head -c 160 || true)
		[[ -n $why ]] || why=$(tracer_error)
		tracer_kill
		[[ $c == empty* || $c == eunomia ]] && die "$c did not attach for $w: $why"
		oh_why[$key]="cannot run here: ${why:-exited before attaching}"
		note "  $key: ${oh_why[$key]}"
		return
	fi
	"${w}_run"
	# opensnoop & co. flush their output on SIGINT; eunomia drains on SIGTERM.
	if [[ $c == eunomia || $c == empty* ]]; then tracer_stop TERM; else tracer_stop INT; fi
	((tracer_status == 0)) || die "$c exited with status $tracer_status during $w: $(tracer_error)"
	oh_ns[$key]+="$op_ns "
	[[ $c == empty* ]] && { note "  $key: $op_ns ns/op"; return; }
	delivered=$("${w}_count" "$c")
	if [[ $c == eunomia ]]; then
		local tr=${eunomia_tracker[$w]}
		drops=$(eunomia_stat "$tr" drops) || die "no --stats line from eunomia: $(tracer_error)"
		events=$(eunomia_stat "$tr" events)
	else
		drops=$(libbpf_tool_lost "$c")
		events=$(grep -c . "$work/$c.out" || true)
	fi
	oh_delivered[$key]=$((${oh_delivered[$key]:-0} + delivered))
	oh_expected[$key]=$((${oh_expected[$key]:-0} + op_count))
	oh_drops[$key]=$((${oh_drops[$key]:-0} + drops))
	oh_events[$key]=$((${oh_events[$key]:-0} + events))
	oh_cpu[$key]=$(awk -v a="${oh_cpu[$key]:-0}" -v b="$tracer_cpu_s" 'BEGIN { print a + b }')
	note "  $key: $op_ns ns/op, $delivered/$op_count delivered, $drops dropped, $events events, ${tracer_cpu_s}s CPU"
}

declare -A eunomia_tracker=([open]=files [exec]=process [tcp]=tcp)

# The section: every workload, $runs interleaved rounds. In each round every
# traced configuration runs right after an untraced run of its own, and the
# ratio of the pair is kept: other load on the machine (other users' builds
# and tests) moves the speed of a run by up to 30%, far more than it
# changes within a few seconds.
declare -A oh_pair
overhead_section() {
	local w c r base
	open_target=$work/target
	exec_prog=$work/benchtrue
	for w in $workloads; do
		note "overhead, $w: $runs rounds of untraced + each of: $(${w}_configs | sed 's/untraced //')"
		"${w}_run" # warm-up
		for ((r = 0; r < runs; r++)); do
			for c in $(${w}_configs); do
				[[ $c == untraced || -n ${oh_why[$w/$c]:-} ]] && continue
				overhead_one "$w" untraced
				base=$op_ns
				op_ns=""
				overhead_one "$w" "$c"
				[[ -n $op_ns ]] && oh_pair[$w/$c]+="$(ratio "$op_ns" "$base" "%.4f") "
			done
		done
	done
}

# Median, min and max of the paired ratios of $1 (workload/config), as 1.23x.
overhead_pair_stats() {
	# shellcheck disable=SC2086
	stats $(awk -v l="${oh_pair[$1]:-}" 'BEGIN { n = split(l, v, " "); for (i = 1; i <= n; i++) print v[i] * 1000 }') |
		awk '{ printf "%.2fx %.2fx %.2fx\n", $1 / 1000, $2 / 1000, $3 / 1000 }'
}

# The table: median ns/op (min-max), paired ratio to untraced (min-max),
# ratio of medians, delivery and the tracer's CPU per million events.
overhead_table() {
	local w c key base med lo hi pair plo phi pair_range dl lost cpu1m
	echo "1. Syscall overhead: $runs rounds; ops per run: open $ops_open, exec $ops_exec, tcp $ops_tcp"
	printf '%-5s %-11s %10s %21s %7s %13s %8s %17s %7s %7s %9s  %s\n' workload config "ns/op" "(min-max)" ratio \
		"(min-max)" "of medns" "delivered/ops" lost drops "CPU s/1M" note
	for w in $workloads; do
		read -r base _ _ <<<"$(stats ${oh_ns[$w/untraced]})"
		for c in $(${w}_configs); do
			key=$w/$c
			if [[ -n ${oh_why[$key]:-} ]]; then
				printf '%-5s %-11s %10s %21s %7s %13s %8s %17s %7s %7s %9s  %s\n' "$w" "$c" - - - - - - - - - \
					"${oh_why[$key]}"
				continue
			fi
			# shellcheck disable=SC2086
			read -r med lo hi <<<"$(stats ${oh_ns[$key]})"
			pair=- pair_range=-
			if [[ $c != untraced ]]; then
				read -r pair plo phi <<<"$(overhead_pair_stats "$key")"
				pair_range="($plo-$phi)"
			fi
			dl=- lost=- cpu1m=-
			if [[ -n ${oh_expected[$key]:-} ]]; then
				dl="${oh_delivered[$key]}/${oh_expected[$key]}"
				lost=$((oh_expected[$key] - oh_delivered[$key]))
				cpu1m=$(ratio "${oh_cpu[$key]}" "$(awk -v e="${oh_events[$key]}" 'BEGIN { print e / 1e6 }')" "%.2f")
			fi
			printf '%-5s %-11s %10s %21s %7s %13s %8s %17s %7s %7s %9s\n' "$w" "$c" "$med" "($lo-$hi)" "$pair" \
				"$pair_range" "$(ratio "$med" "$base")" "$dl" "$lost" "${oh_drops[$key]:--}" "$cpu1m"
		done
	done
	echo "   ratio: median (min-max) over the rounds of ns/op / ns/op of the untraced run just before;"
	echo "   of medns: median ns/op / median untraced ns/op (more exposed to other load);"
	echo "   delivered: the workload's own events (open: its opens of the file; exec: exec events of"
	echo "   the program; tcp: its connects); lost = ops - delivered; drops:"
	echo "   eunomia's kernel drop counter, or the tool's lost perf samples, of all processes;"
	echo "   CPU s/1M: the tracer's user+system CPU from attached to exit per million events it wrote"
}
