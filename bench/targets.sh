# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/targets.sh — the closing table of bench/run: each target of issues 6 and 13
# with the value measured in this run and whether it was met. Reported,
# never enforced: the exit status does not depend on it. Sourced by
# bench/run, after the sections whose numbers it reads.

# verdict VALUE OP LIMIT: "met" or "MISSED" ("not measured" for "-").
verdict() {
	[[ $1 == - || -z $1 ]] && { echo "not measured"; return; }
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = op == "<=" ? v <= l : op == "<" ? v < l : v == l; print ok ? "met" : "MISSED" }'
}

targets_table() {
	local ratio_v=- ratio_med=- lost=- base med row label ops events drops errors cpu sus_lost=- one=- all=- rss=- size=-
	local key=open/eunomia
	if [[ -n ${oh_ns[$key]:-} ]]; then
		read -r base _ _ <<<"$(stats ${oh_ns[open/untraced]})"
		read -r med _ _ <<<"$(stats ${oh_ns[$key]})"
		ratio_med=$(ratio "$med" "$base" "%.2f")
		read -r ratio_v _ _ <<<"$(overhead_pair_stats "$key")"
		ratio_v=${ratio_v%x}
		lost=$((oh_expected[$key] - oh_delivered[$key]))
	fi
	for row in "${loss_rows[@]}"; do
		IFS=$'\t' read -r label ops _ _ events drops errors cpu _ <<<"$row"
		[[ $label == "sustained, full rate" ]] && sus_lost=$((drops + errors))
	done
	for row in "${startup_rows[@]}"; do
		IFS=$'\t' read -r label _ stats_ _ _ <<<"$row"
		[[ $label == one* ]] && one=${stats_%% *}
		[[ $label == all ]] && all=${stats_%% *}
	done
	if [[ $sections == *footprint* ]]; then
		rss=$(awk -v k="$footprint_rss_max" 'BEGIN { printf "%.1f", k / 1024 }')
		size=0
		for f in "$(readlink -f "$build/lib/libeunomia.so")" "$eunomia" "$build"/trackers/*.so; do
			size=$((size + $(sizes "$f" | cut -d' ' -f2)))
		done
		size=$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }')
	fi
	local bo_perf=- bo_ring=-
	if [[ $sections == *bpfobj* ]]; then
		bo_perf=$(bpfobj_ratio perf)
		bo_ring=$(bpfobj_ratio ring)
	fi
	echo "Targets (reported, not enforced)"
	printf '  %-52s %-16s %s\n' target measured verdict
	printf '  %-52s %-16s %s\n' "eunomia files overhead <= 1.30x untraced (paired)" "${ratio_v}x" "$(verdict "$ratio_v" "<=" 1.30)"
	printf '  %-52s %-16s %s\n' "  ... as a ratio of medians, for comparison" "${ratio_med}x" "$(verdict "$ratio_med" "<=" 1.30)"
	printf '  %-52s %-16s %s\n' "  ... with every event delivered (burst, lost)" "$lost" "$(verdict "$lost" "==" 0)"
	printf '  %-52s %-16s %s\n' "zero loss at one core's full open() rate, sustained" "$sus_lost" "$(verdict "$sus_lost" "==" 0)"
	printf '  %-52s %-16s %s\n' "startup, one tracker < 100 ms" "$one ms" "$(verdict "$one" "<" 100)"
	printf '  %-52s %-16s %s\n' "startup, all trackers < 300 ms" "$all ms" "$(verdict "$all" "<" 300)"
	printf '  %-52s %-16s %s\n' "RSS under load, all trackers < 20 MB" "$rss MB" "$(verdict "$rss" "<" 20)"
	printf '  %-52s %-16s %s\n' "library + CLI + all plugins (stripped) < 4 MB" "$size MB" "$(verdict "$size" "<" 4)"
	if [[ $sections == *seccomp* ]]; then
		local sc_r sc_e sc_ms
		read -r sc_r sc_e sc_ms <<<"$(seccomp_target_values)"
		printf '  %-52s %-16s %s\n' "seccomp record, openat+close storm <= 1.10x (paired)" "${sc_r}x" \
			"$(verdict "$sc_r" "<=" 1.10)"
		printf '  %-52s %-16s %s\n' "  ... its floor, an empty sys_enter program" "${sc_e}x" "(reference)"
		printf '  %-52s %-16s %s\n' "seccomp profile written and checked < 100 ms" "$sc_ms ms" \
			"$(verdict "$sc_ms" "<" 100)"
	fi
	printf '  %-52s %-16s %s\n' "BPF object, perf buffer: CPU/1M <= 1.10x native" "${bo_perf}x" "$(verdict "$bo_perf" "<=" 1.10)"
	printf '  %-52s %-16s %s\n' "BPF object, ring buffer: CPU/1M <= 1.10x native" "${bo_ring}x" "$(verdict "$bo_ring" "<=" 1.10)"
}
