# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/bpfobj.sh — section 6 of bench/run: a BPF object run with no C
# wrapper (the generic path: `eunomia run ./bpfobj_open_perf.bpf.o`, its
# records described by a schema file, built into records in user space)
# against the same object in a hand-written plugin (bench/native_open.c),
# for the perf buffer variant and the ring buffer variant of
# bench/bpfobj_open.bpf.c. Each run: workload_open's openat+close pairs at
# full rate while the tracer writes JSON to /dev/null; events delivered per
# second of the workload and the consumer's CPU seconds per million events
# (from attach to exit, as in section 5). Both read 1 MiB buffers (per CPU
# for perf buffers) and are woken once 64 KiB wait. Rounds interleave the four
# configurations; the paired ratio is generic / native of the same round.
# Sourced by bench/run; fills bo_*.

declare -A bo_events bo_drops bo_cpu bo_rate bo_pair

bpfobj_configs() { echo "generic_perf native_perf generic_ring native_ring"; }

# The layout of struct bench_open (bench/bpfobj_open.h), which the object's
# BTF lacks: the generic path reads it from a schema file, as it would for
# a tool only available as a binary.
bpfobj_schema() {
	cat >"$work/bench_open.schema.yaml" <<'YAML'
map: events
name: event
size: 104
fields:
  - {name: ts, type: u64, offset: 0}
  - {name: pid, type: s32, offset: 8}
  - {name: uid, type: u32, offset: 12}
  - {name: ret, type: s32, offset: 16, flags: [errno]}
  - {name: flags, type: s32, offset: 20}
  - {name: comm, type: str, offset: 24, size: 16}
  - {name: fname, type: str, offset: 40, size: 64}
YAML
}

# bpfobj_one CONFIG: one run; appends to the arrays. Sets bo_last (CPU s per 1M).
bpfobj_one() {
	local c=$1 v=${1#*_} tracker line ops ns events drops
	if [[ $c == generic_* ]]; then
		tracker=bpfobj_open_$v
		tracer_start "$c" "$eunomia" run "$build/bench/$tracker.bpf.o" \
			--schema "$work/bench_open.schema.yaml" --set "$tracker.targ_comm=workload_open" \
			--set "$tracker.ringbuf_kb=1024" \
			--format json --output /dev/null --stats || die "cannot start $c: $(tracer_error)"
	else
		tracker=native_open_$v
		tracer_start "$c" "$eunomia" --plugin-path "$build/bench" run "$tracker" \
			--format json --output /dev/null --stats || die "cannot start $c: $(tracer_error)"
	fi
	wait_attached sys_enter_openat sys_exit_openat || die "$c did not attach: $(tracer_error)"
	line=$("$build/bench/workload_open" -c "$work_cpu" -n "$bpfobj_ops" "$work/target") ||
		die "workload_open failed"
	[[ $line =~ ops=([0-9]+)\ elapsed_ns=([0-9]+) ]] || die "cannot parse workload_open output: $line"
	ops=${BASH_REMATCH[1]}
	ns=${BASH_REMATCH[2]}
	tracer_stop TERM
	((tracer_status == 0)) || die "$c exited with status $tracer_status: $(tracer_error)"
	events=$(eunomia_stat "$tracker" events) || die "no --stats line from $c: $(tracer_error)"
	drops=$(eunomia_stat "$tracker" drops)
	bo_events[$c]=$((${bo_events[$c]:-0} + events))
	bo_drops[$c]=$((${bo_drops[$c]:-0} + drops))
	bo_last=$(ratio "$tracer_cpu_s" "$(awk -v e="$events" 'BEGIN { print e / 1e6 }')" "%.4f")
	bo_cpu[$c]+="$bo_last "
	bo_rate[$c]+="$(awk -v e="$events" -v n="$ns" 'BEGIN { printf "%.0f", e * 1e9 / n }') "
	note "  $c: $ops ops, $events events, $drops drops, ${tracer_cpu_s}s CPU ($bo_last s per 1M)"
}

bpfobj_section() {
	local r v generic
	bpfobj_schema
	note "bpfobj: $runs rounds of $(bpfobj_configs), $bpfobj_ops opens each"
	for ((r = 0; r < runs; r++)); do
		for v in perf ring; do
			bpfobj_one "generic_$v"
			generic=$bo_last
			bpfobj_one "native_$v"
			bo_pair[$v]+="$(ratio "$generic" "$bo_last" "%.4f") "
		done
	done
}

# Median, min and max of the numbers given, to 3 decimals (stats() keeps one).
stats3() {
	# shellcheck disable=SC2046
	stats $(printf '%s\n' "$@" | awk 'NF { print $1 * 1000 }') |
		awk '{ if ($1 == "-") print "- - -"; else printf "%.3f %.3f %.3f\n", $1 / 1000, $2 / 1000, $3 / 1000 }'
}

# Median of the paired generic / native CPU ratios of variant $1.
bpfobj_ratio() {
	# shellcheck disable=SC2086
	stats3 ${bo_pair[$1]:-} | cut -d' ' -f1
}

bpfobj_table() {
	local c med lo hi rate
	echo "6. BPF object with no wrapper (generic) vs the same object in a hand-written plugin (native):"
	echo "   bench/bpfobj_open.bpf.c, $runs rounds of $bpfobj_ops opens at full rate, JSON to /dev/null"
	printf '%-13s %11s %7s %12s %10s %17s %14s\n' config events drops "events/s" "CPU s/1M" "(min-max)" "generic/native"
	for c in $(bpfobj_configs); do
		# shellcheck disable=SC2086
		read -r med lo hi <<<"$(stats3 ${bo_cpu[$c]})"
		# shellcheck disable=SC2086
		read -r rate _ _ <<<"$(stats ${bo_rate[$c]})"
		printf '%-13s %11s %7s %12s %10s %17s %14s\n' "$c" "${bo_events[$c]}" "${bo_drops[$c]}" "$rate" \
			"$med" "($lo-$hi)" "$([[ $c == generic_* ]] && echo "$(bpfobj_ratio "${c#*_}")x" || echo -)"
	done
	echo "   generic/native: median over the rounds of the generic run's CPU per 1M events / the"
	echo "   native run's right after it; events/s: events delivered / the workload's run time"
}
