# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
# bench/lib.sh — helpers shared by the sections of bench/run: messages,
# statistics, starting and stopping a tracer under /usr/bin/time, waiting
# for its programs to attach, and the result rows. Sourced, not run.
# Expects $work (the run's scratch directory) and $tracer_cpu.

die() { echo "bench/run: $*" >&2; exit 1; }
note() { echo "bench/run: $*" >&2; }

# Median, min and max of the numbers given as arguments ("- - -" for none).
stats() {
	(($# > 0)) || { echo "- - -"; return; }
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}

# a / b formatted with printf format $3 ("-" when b is 0 or either is "-").
ratio() {
	awk -v a="$1" -v b="$2" -v f="${3:-%.2fx}" 'BEGIN {
		if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf f "\n", a / b }'
}

# Clock ticks of user + system CPU process $1 has used so far.
cpu_ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# --- one tracer at a time ------------------------------------------------------
# tracer_start NAME CMD...: run CMD pinned to $tracer_cpu under /usr/bin/time
# (rusage to $work/NAME.time), stdout to $work/NAME.out, stderr to
# $work/NAME.err. Sets tracer_pid (CMD itself) and time_pid.
tracer_pid=""
time_pid=""
tracer_name=""
tracer_start() {
	local i
	tracer_name=$1
	shift
	taskset -c "$tracer_cpu" /usr/bin/time -o "$work/$tracer_name.time" -f '%U %S %M %w %c' \
		"$@" >"$work/$tracer_name.out" 2>"$work/$tracer_name.err" &
	time_pid=$!
	tracer_pid=""
	for ((i = 0; i < 200; i++)); do
		tracer_pid=$(pgrep -P "$time_pid" | head -n1 || true)
		[[ -n $tracer_pid ]] && return 0
		kill -0 "$time_pid" 2>/dev/null || break
		sleep 0.01
	done
	return 1
}

# Wait until the tracer has a BPF program attached to each tracepoint named
# in the arguments (as `bpftool perf show` lists them). Fails if it exits
# first or after 30 s. Then remembers its CPU ticks so far (the start-up,
# left out of the consumer CPU).
tracer_ticks0=0
wait_attached() {
	local i tp missing
	for ((i = 0; i < 300; i++)); do
		kill -0 "$tracer_pid" 2>/dev/null || return 1
		missing=0
		for tp in "$@"; do
			bpftool perf show 2>/dev/null |
				awk -v p="$tracer_pid" -v t="$tp" '$2 == p && $NF == t { f = 1 } END { exit !f }' ||
				{ missing=1; break; }
		done
		if ((missing == 0)); then
			tracer_ticks0=$(cpu_ticks "$tracer_pid")
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# Stop the tracer with signal $1 and wait for it (SIGKILL after 30 s). Sets
# tracer_status (its exit status) and tracer_cpu_s (user + system seconds
# from when it was attached to its exit), tracer_rss_kb (its peak RSS).
tracer_stop() {
	local sig=$1 i u s m
	kill "-$sig" "$tracer_pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$tracer_pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$tracer_pid" 2>/dev/null; then
		note "$tracer_name ($tracer_pid) ignored SIG$sig; killing it"
		kill -KILL "$tracer_pid" 2>/dev/null || true
	fi
	tracer_status=0
	wait "$time_pid" || tracer_status=$?
	# GNU time prints "Command exited with non-zero status N" first then.
	read -r u s m _ < <(tail -n1 "$work/$tracer_name.time")
	tracer_cpu_s=$(awk -v u="$u" -v s="$s" -v t="$tracer_ticks0" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { c = u + s - t / hz; printf "%.3f\n", c < 0 ? 0 : c }')
	tracer_rss_kb=$m
	tracer_pid=""
	time_pid=""
}

# Kill what is still running of ours (on exit or error).
tracer_kill() {
	if [[ -n $tracer_pid ]] && kill -0 "$tracer_pid" 2>/dev/null; then
		kill -KILL "$tracer_pid" 2>/dev/null || true
	fi
	if [[ -n $time_pid ]]; then
		wait "$time_pid" 2>/dev/null || true
	fi
	tracer_pid=""
	time_pid=""
}

# First non-empty line of the tracer's stderr, cut to 160 bytes.
tracer_error() {
	grep -m1 -v '^$' "$work/$tracer_name.err" | head -c 160 || true
}

# --- eunomia ---------------------------------------------------------------------
# eunomia_stat TRACKER FIELD: from the --stats lines of the last eunomia run,
# the tracker's "events", "drops" or "errors" count.
eunomia_stat() {
	sed -n "s/^eunomia: $1: \([0-9]*\) events, \([0-9]*\) kernel drops, \([0-9]*\) decode errors.*/\1 \2 \3/p" \
		"$work/$tracer_name.err" | awk -v f="$2" '{
			print f == "events" ? $1 : f == "drops" ? $2 : $3; found = 1 } END { if (!found) exit 1 }'
}
