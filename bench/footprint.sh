# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/footprint.sh — section 4 of bench/run: memory and disk footprint.
# RSS of `eunomia run` with every tracker that runs without configuration
# (bench/startup.sh's all_trackers) while the open, exec and tcp workloads
# run together for $footprint_s seconds (events as JSON to /dev/null),
# sampled every 0.1 s; and the sizes of libeunomia.so, the CLI and each
# plugin, as built and stripped (what `meson install --strip` installs).
# Sourced by bench/run.

footprint_rss_max=0
footprint_peak_kb=0
footprint_status=""

footprint_section() {
	local trackers kb pids=() p
	trackers=$(all_trackers)
	note "footprint: eunomia run $trackers under load for $footprint_s s"
	EUNOMIA_PLUGIN_PATH=$build/trackers tracer_start footprint "$eunomia" run "$trackers" \
		--format json --output /dev/null --stats || die "cannot start eunomia: $(tracer_error)"
	wait_attached sys_exit_openat sched_process_exec inet_sock_set_state ||
		die "eunomia run $trackers did not attach: $(tracer_error)"
	"$build/bench/workload_open" -c "$work_cpu" -t "$footprint_s" -r 100000 "$work/target" >/dev/null &
	pids+=($!)
	"$build/bench/workload_exec" -c "$work_cpu" -n $((footprint_s * 200)) "$work/benchtrue" >/dev/null &
	pids+=($!)
	"$build/bench/workload_tcp" -c "$work_cpu" -n $((footprint_s * 2000)) >/dev/null &
	pids+=($!)
	footprint_rss_max=0
	while kill -0 "${pids[0]}" 2>/dev/null; do
		kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$tracer_pid/status" 2>/dev/null || echo 0)
		((kb > footprint_rss_max)) && footprint_rss_max=$kb
		footprint_status=$(grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):' "/proc/$tracer_pid/status" |
			awk '{ printf "%s %s kB  ", $1, $2 }')
		sleep 0.1
	done
	for p in "${pids[@]}"; do wait "$p" || die "a footprint workload failed"; done
	tracer_stop TERM
	((tracer_status == 0)) || die "eunomia exited with status $tracer_status: $(tracer_error)"
	footprint_peak_kb=$tracer_rss_kb
	note "  RSS at most $footprint_rss_max kB under load; peak (rusage) $footprint_peak_kb kB"
}

# Size in bytes of file $1, and of a stripped copy of it.
sizes() {
	local s
	strip -o "$work/stripped" "$1" 2>/dev/null || cp "$1" "$work/stripped"
	s=$(stat -c %s "$work/stripped")
	rm -f "$work/stripped"
	echo "$(stat -c %s "$1") $s"
}

footprint_table() {
	local f b s tb=0 ts=0 lib
	echo "4. Footprint: eunomia run $(all_trackers | tr ',' ' ' | wc -w) trackers under load ($footprint_s s of open, exec and tcp workloads)"
	echo "   RSS: $(awk -v k="$footprint_rss_max" 'BEGIN { printf "%.1f MB", k / 1024 }') at most while loaded (sampled every 0.1 s);" \
		"$(awk -v k="$footprint_peak_kb" 'BEGIN { printf "%.1f MB", k / 1024 }') peak over the whole run (rusage)"
	echo "   last sample: $footprint_status"
	printf '   %-26s %12s %14s\n' file "bytes" "stripped"
	lib=$(readlink -f "$build/lib/libeunomia.so")
	for f in "$lib" "$eunomia" "$build"/trackers/*.so; do
		read -r b s <<<"$(sizes "$f")"
		tb=$((tb + b))
		ts=$((ts + s))
		printf '   %-26s %12s %14s\n' "${f##*/}" "$b" "$s"
	done
	printf '   %-26s %12s %14s  (%s MB stripped)\n' "total" "$tb" "$ts" "$(awk -v s="$ts" 'BEGIN { printf "%.2f", s / 1048576 }')"
}
