#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# The exporter against a real Prometheus server: `eunomia run process
# --metrics 127.0.0.1:0` traces the execs of a uniquely named program, a
# Prometheus server on loopback scrapes it every second, and its HTTP API
# must report exactly the execs we did in eunomia_events_total. promtool
# must accept a scrape of the running exporter.
#
# usage: prometheus_scrape.sh EUNOMIA_BINARY   (plugins from $EUNOMIA_PLUGIN_PATH)
set -eu

cli=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (it loads BPF programs)"
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)"
	exit 77
fi
for tool in prometheus promtool curl jq python3; do
	command -v $tool >/dev/null ||
		fail "$tool is missing: install the Debian packages prometheus, curl, jq and python3"
done

dir=$(mktemp -d /tmp/eun-prom-XXXXXX)
cli_pid=
prom_pid=
cleanup() {
	for pid in $cli_pid $prom_pid; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$dir"
}
trap cleanup EXIT
# comm is at most 15 bytes: keep the name short and unique.
name=eunprom$$
prog=$dir/$name
cp /bin/true "$prog"

# Polls `cmd` (a shell function printing a number) every 0.5 s until it
# prints at least $2, or fails after $3 seconds; leaves the value in $value.
wait_for_at_least() {
	deadline=$(($(date +%s) + $3))
	while :; do
		value=$($1 || true)
		case $value in
		'' | *[!0-9]*) ;;
		*) [ "$value" -ge "$2" ] && return 0 ;;
		esac
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.5
	done
}

# ---- the exporter ------------------------------------------------------
"$cli" run process --comm "$name" --metrics 127.0.0.1:0 --output /dev/null 2>"$dir/cli.err" &
cli_pid=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's|.*serving Prometheus metrics on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' \
		"$dir/cli.err")
	[ -n "$port" ] && break
	kill -0 $cli_pid 2>/dev/null || { cat "$dir/cli.err" >&2; fail "eunomia run exited early"; }
	sleep 0.1
done
[ -n "$port" ] || { cat "$dir/cli.err" >&2; fail "eunomia never said where it serves the metrics"; }

# Exec count as the exporter itself sees it.
scraped_execs() {
	curl -sf "http://127.0.0.1:$port/metrics" |
		sed -n 's/^eunomia_events_total{tracker="process",event="exec"} \([0-9]*\)$/\1/p'
}
# The trackers start after the endpoint is up: exec until one is counted.
# Events reach the registry within a poll interval, so the count seen here
# is a lower bound of the warm-up execs counted; the lines of $dir/warm are
# an upper bound.
warm() {
	"$prog"
	echo >>"$dir/warm"
	scraped_execs
}
wait_for_at_least warm 1 30 || fail "no exec of $prog was counted within 30 s: $(cat "$dir/cli.err")"
baseline=$value

# ---- promtool on a real scrape ------------------------------------------
curl -sf "http://127.0.0.1:$port/metrics" >"$dir/scrape.txt" || fail "cannot scrape the exporter"
promtool check metrics <"$dir/scrape.txt" || { cat "$dir/scrape.txt" >&2; fail "promtool check metrics"; }

# ---- the Prometheus server ----------------------------------------------
prom_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$dir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: eunomia
    static_configs:
      - targets: ['127.0.0.1:$port']
EOF
promtool check config "$dir/prometheus.yml" >/dev/null || fail "promtool rejects our prometheus.yml"
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
	--web.listen-address="127.0.0.1:$prom_port" >"$dir/prom.log" 2>&1 &
prom_pid=$!

# A known number of execs; nothing else has this comm.
execs=25
i=0
while [ $i -lt $execs ]; do
	"$prog"
	i=$((i + 1))
done
want=$((baseline + execs))
most=$(($(wc -l <"$dir/warm") + execs))

# Instant query of Prometheus's HTTP API, printing the value (or nothing).
query() {
	curl -sf --get --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query" |
		jq -r '.data.result[0].value[1] // empty'
}
prom_execs() {
	query 'eunomia_events_total{job="eunomia",tracker="process",event="exec"}'
}
if ! wait_for_at_least prom_execs $want 120; then
	tail -n 20 "$dir/prom.log" >&2
	fail "Prometheus reports '$value' execs, want $want, after 120 s"
fi
# No more execs: Prometheus must come to show exactly what the exporter counted.
same_as_exporter() {
	p=$(prom_execs)
	[ -n "$p" ] && [ "$p" = "$(scraped_execs)" ] && echo 1
}
wait_for_at_least same_as_exporter 1 60 ||
	fail "Prometheus reports $(prom_execs) execs, the exporter $(scraped_execs)"
value=$(prom_execs)
[ "$value" -ge "$want" ] && [ "$value" -le "$most" ] ||
	fail "Prometheus reports $value execs of $name; we did between $want and $most while traced"

prom_up() { query 'up{job="eunomia"}'; }
wait_for_at_least prom_up 1 30 || fail "Prometheus says the eunomia target is not up"

exits() {
	query "sum(eunomia_events_total{tracker=\"process\",event=\"exit\",exit_code=\"0\"})"
}
wait_for_at_least exits $want 60 || fail "Prometheus reports '$value' clean exits, want $want"
echo "ok: Prometheus on port $prom_port scraped $value execs of $name from the exporter on port $port"
