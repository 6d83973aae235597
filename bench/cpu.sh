# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/cpu.sh — table 5 of bench/run: CPU seconds the eunomia process used
# per million events, gathered from the runs of sections 1 and 2 (user +
# system time from /usr/bin/time, less what it had used when its programs
# were attached, so start-up is left out; the drain at stop is in).
# Sourced by bench/run.

cpu_table() {
	local w key row label ops events cpu
	echo "5. Consumer CPU: eunomia's user+system seconds per million events it delivered"
	printf '%-34s %12s %10s %10s\n' run events "CPU s" "s per 1M"
	for w in $workloads; do
		key=$w/eunomia
		[[ -n ${oh_events[$key]:-} ]] || continue
		printf '%-34s %12s %10s %10s\n' "$w workload, ${eunomia_tracker[$w]}, JSON to a file" "${oh_events[$key]}" \
			"${oh_cpu[$key]}" "$(ratio "${oh_cpu[$key]}" "$(awk -v e="${oh_events[$key]}" 'BEGIN { print e / 1e6 }')" "%.2f")"
	done
	for row in "${loss_rows[@]}"; do
		IFS=$'\t' read -r label ops _ _ events _ _ cpu _ <<<"$row"
		printf '%-34s %12s %10s %10s\n' "files, $label, to /dev/null" "$events" "$cpu" \
			"$(ratio "$cpu" "$(awk -v e="$events" 'BEGIN { print e / 1e6 }')" "%.2f")"
	done
}
