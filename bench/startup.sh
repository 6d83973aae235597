# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/startup.sh — section 3 of bench/run: start-up time. bench/startup_probe
# starts `eunomia run TRACKERS --format csv --output -` and times, from the
# fork, the first BPF link in its file table (first program attached) and
# the CSV header on its standard output, which the CLI writes once every
# tracker has started (so, for one tracker, when that tracker is attached).
# For one tracker (files) and for every tracker that runs without
# configuration. Sourced by bench/run; fills startup_rows.

declare -a startup_rows=()

# Trackers that start with no configuration: all of `eunomia list` but
# memleak, which needs the pid of the process to watch.
all_trackers() {
	EUNOMIA_PLUGIN_PATH=$build/trackers "$eunomia" list | awk 'NR > 1 && $1 != "memleak" { print $1 }' |
		paste -sd,
}

# startup_one LABEL TRACKERS
startup_one() {
	local label=$1 trackers=$2 r line ready=() first=() links=""
	for ((r = 0; r < startup_runs; r++)); do
		line=$(EUNOMIA_PLUGIN_PATH=$build/trackers "$build/bench/startup_probe" \
			"$eunomia" run "$trackers" --format csv --output - 2>"$work/startup.err") ||
			die "eunomia run $trackers did not start: $(head -c 300 "$work/startup.err")"
		[[ $line =~ first_link_ms=([0-9.]+)\ ready_ms=([0-9.]+)\ links=([0-9]+) ]] ||
			die "cannot parse startup_probe output: $line"
		first+=("${BASH_REMATCH[1]}")
		ready+=("${BASH_REMATCH[2]}")
		links=${BASH_REMATCH[3]}
		note "  $label run $((r + 1)): first link ${BASH_REMATCH[1]} ms, ready ${BASH_REMATCH[2]} ms, $links links"
	done
	startup_rows+=("$(printf '%s\t' "$label" "$(tr ',' ' ' <<<"$trackers" | wc -w)" \
		"$(stats "${ready[@]}")" "$(stats "${first[@]}" | cut -d' ' -f1)" "$links")")
}

startup_section() {
	startup_all=$(all_trackers)
	[[ -n $startup_all ]] || die "eunomia list found no trackers in $build/trackers"
	note "startup: $startup_runs runs each of files, and of $startup_all"
	startup_one "one (files)" files
	startup_one "all" "$startup_all"
}

startup_table() {
	local label n med lo hi first links
	echo "3. Startup: from fork to attached, median of $startup_runs runs (all = $startup_all)"
	printf '%-12s %8s %10s %17s %15s %6s\n' trackers count "ready ms" "(min-max)" "first link ms" links
	for row in "${startup_rows[@]}"; do
		IFS=$'\t' read -r label n stats_ first links <<<"$row"
		read -r med lo hi <<<"$stats_"
		printf '%-12s %8s %10s %17s %15s %6s\n' "$label" "$n" "$med" "($lo-$hi)" "$first" "$links"
	done
}
