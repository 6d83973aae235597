# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/loss.sh — section 2 of bench/run: loss at a sustained rate.
# `eunomia run files` with the default ring buffer while workload_open runs
# for $sustained_s seconds, once as fast as one core goes and once paced to
# $sustained_rate opens per second. Events are rendered as JSON to
# /dev/null (30 s at full rate would be gigabytes of file; the overhead
# section measures writing to a file). Loss is what the kernel side
# counted as dropped (records that did not fit into the ring) plus decode
# errors; every record that made it into the ring reaches the callback.
# The full-rate burst numbers come from section 1. Sourced by bench/run.

declare -a loss_rows=()

# One sustained run; $1: label, $2: rate (0: full rate).
loss_one() {
	local label=$1 rate=$2 line ops ns events drops errors args=()
	((rate > 0)) && args=(-r "$rate")
	EUNOMIA_PLUGIN_PATH=$build/trackers tracer_start eunomia "$eunomia" run files \
		--format json --output /dev/null --stats "${eunomia_args[@]}" ||
		die "cannot start eunomia: $(tracer_error)"
	wait_attached sys_exit_openat || die "eunomia did not attach: $(tracer_error)"
	line=$("$build/bench/workload_open" -c "$work_cpu" -t "$sustained_s" "${args[@]}" "$work/target") ||
		die "workload_open failed"
	[[ $line =~ ops=([0-9]+).*ns_per_op=([0-9.]+) ]] || die "cannot parse workload_open output: $line"
	ops=${BASH_REMATCH[1]}
	ns=${BASH_REMATCH[2]}
	tracer_stop TERM
	((tracer_status == 0)) || die "eunomia exited with status $tracer_status: $(tracer_error)"
	events=$(eunomia_stat files events) || die "no --stats line from eunomia: $(tracer_error)"
	drops=$(eunomia_stat files drops)
	errors=$(eunomia_stat files errors)
	note "  $label: $ops ops, $events events, $drops kernel drops, ${tracer_cpu_s}s CPU"
	loss_rows+=("$(printf '%s\t' "$label" "$ops" "$(awk -v o="$ops" -v s="$sustained_s" 'BEGIN { printf "%.0f", o / s }')" \
		"$ns" "$events" "$drops" "$errors" "$tracer_cpu_s" "$tracer_rss_kb")")
}

loss_section() {
	note "loss: $sustained_s s at full rate, then $sustained_s s at $sustained_rate opens/s"
	loss_one "sustained, full rate" 0
	loss_one "sustained, paced" "$sustained_rate"
}

loss_table() {
	local label ops rate ns events drops errors cpu rss key=open/eunomia
	echo "2. Loss: eunomia run files, default ring buffer (ringbuf_kb=1024, wakeup_kb=64)"
	printf '%-22s %10s %9s %8s %11s %11s %10s %9s\n' run "ops" "ops/s" "ns/op" "events" "drops+err" "lost %" "CPU s/1M"
	if [[ -n ${oh_expected[$key]:-} ]]; then
		printf '%-22s %10s %9s %8s %11s %11s %10s %9s\n' "burst, full rate" "${oh_expected[$key]}" - - \
			"${oh_delivered[$key]}" "${oh_drops[$key]}" \
			"$(ratio $((oh_expected[$key] - oh_delivered[$key])) "$(awk -v e="${oh_expected[$key]}" 'BEGIN { print e / 100 }')" "%.2f")" -
	fi
	for row in "${loss_rows[@]}"; do
		IFS=$'\t' read -r label ops rate ns events drops errors cpu rss <<<"$row"
		printf '%-22s %10s %9s %8s %11s %11s %10s %9s\n' "$label" "$ops" "$rate" "$ns" "$events" \
			$((drops + errors)) "$(ratio $((drops + errors)) "$(awk -v e="$ops" 'BEGIN { print e / 100 }')" "%.2f")" \
			"$(ratio "$cpu" "$(awk -v e="$events" 'BEGIN { print e / 1e6 }')" "%.2f")"
	done
	echo "   burst: the eunomia open runs of section 1 (events: the workload's own, delivered to the"
	echo "   file); sustained: events of all processes, to /dev/null; lost % = (drops+err) / ops"
}
