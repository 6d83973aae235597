#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
#
# `eunomia rules check` and `eunomia rules test` end to end, without the
# kernel: validation messages and exit statuses, and recorded events
# (tests/fixtures/rules/events.jsonl, captured with `eunomia run -f json`)
# replayed through the example rules, checked alert by alert with jq.
#
# usage: rules_cli.sh EUNOMIA_BINARY FIXTURE_DIR   (plugins from $EUNOMIA_PLUGIN_PATH)
set -eu

cli=$1
fx=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v jq >/dev/null || fail "jq is needed (scripts/setup installs it)"

dir=$(mktemp -d /tmp/eun-rules-XXXXXX)
trap 'rm -rf "$dir"' EXIT

# run EXPECTED_STATUS ARGS...: run the CLI, keep stdout and stderr, check the status.
run() {
	want=$1
	shift
	rc=0
	"$cli" "$@" >"$dir/out" 2>"$dir/err" || rc=$?
	[ "$rc" = "$want" ] || fail "eunomia $* exited with $rc, not $want; stderr: $(cat "$dir/err")"
}
has_out() { grep -qxF -- "$1" "$dir/out" || fail "no line '$1' in: $(cat "$dir/out")"; }
has_err() { grep -qxF -- "$1" "$dir/err" || fail "no line '$1' in: $(cat "$dir/err")"; }

# ---- check ---------------------------------------------------------------
run 0 rules check "$fx/example.yaml"
has_out "loaded  Shell spawned                           process.exec"
has_out "loaded  Outbound connection to an unusual port  tcp.connect"
has_out "5 rules: 5 loaded, 0 not supported, 0 disabled, 0 invalid"
[ ! -s "$dir/err" ] || fail "messages for the example rules: $(cat "$dir/err")"

# Falco-shaped rules: what cannot run is reported per rule, the load succeeds.
run 0 rules check "$fx/falco_style.yaml"
has_out "not supported  Shell spawned by a web server   field proc.pname is not available"
has_out "not supported  PTRACE attached to process      fields evt.dir, evt.arg.request are not available; event ptrace is not available"
has_out "loaded         Shell in container              process.exec"
has_out "5 rules: 2 loaded, 3 not supported, 0 disabled, 0 invalid"
has_err "$fx/falco_style.yaml:34:12: warning: rule 'Read sensitive file by a shell': output fields proc.pname, user.name, proc.tty are not available: written as <NA>"

# Errors: every one, at its place, and exit status 2.
cat >"$dir/bad.yaml" <<'YAML'
- rule: r1
  desc: a typo
  condition: files.pth startswith /etc and evt.type = openat
  output: x
  priority: warning
- rule: r2
  desc: a string compared with <
  condition: evt.type = openat and files.path < 3
  output: x
  priority: warning
YAML
run 2 rules check "$dir/bad.yaml"
has_err "$dir/bad.yaml:3:14: error: rule 'r1': no field 'files.pth'; did you mean 'files.path'?"
has_err "$dir/bad.yaml:8:47: error: rule 'r2': operator '<' needs a number, but 'files.path' is a string"
has_err "eunomia: 2 errors, 0 warnings: the rules are invalid"
has_out "invalid  r1    it has errors (see the messages of the load)"

# A directory: its .yaml/.yml files in name order; a missing path.
run 0 rules check "$fx/dir"
has_out "loaded  Opened below a watched directory  files.open"
run 2 rules check "$dir/none.yaml"
has_err "eunomia: no rules file or directory $dir/none.yaml"

# Usage errors.
run 2 rules
run 2 rules frobnicate
run 2 rules test "$fx/example.yaml"
has_err "eunomia: --events EVENTS.jsonl is required"
run 2 rules check

# ---- test: replay --------------------------------------------------------
run 0 rules test "$fx/example.yaml" --events "$fx/events.jsonl"
has_err "eunomia: 12 events replayed, 7 alerts"
[ "$(wc -l <"$dir/out")" = 7 ] || fail "7 alert lines expected: $(cat "$dir/out")"
jq -e . "$dir/out" >/dev/null || fail "the alerts are not JSON lines"
count() { jq -s --arg r "$1" '[.[] | select(.rule == $r)] | length' "$dir/out"; }
[ "$(count 'Shell spawned')" = 3 ] || fail "3 'Shell spawned' alerts expected"
[ "$(count 'Shell spawned in a container')" = 1 ] || fail "1 container shell alert expected"
[ "$(count 'Read sensitive file')" = 1 ] || fail "1 'Read sensitive file' alert expected (dpkg is excepted)"
[ "$(count 'Write below etc')" = 1 ] || fail "1 'Write below etc' alert expected"
[ "$(count 'Outbound connection to an unusual port')" = 1 ] || fail "1 connection alert expected (8080 is allowed)"

# first_alert RULE JQ_EXPR: the first alert of RULE satisfies JQ_EXPR.
first_alert() {
	jq -e -s --arg r "$1" "map(select(.rule == \$r)) | .[0] | $2" "$dir/out" >/dev/null ||
		fail "the '$1' alert: $(grep -F "\"rule\":\"$1\"" "$dir/out")"
}
sum=$(sha256sum "$fx/example.yaml" | cut -d' ' -f1)
jq -e -s --arg s "$sum" 'all(.ruleset == $s)' "$dir/out" >/dev/null ||
	fail "the ruleset sha256 is not that of the file ($sum)"
first_alert "Read sensitive file" '.priority == "Warning" and .tracker == "files" and .type == "open"
	and .comm == "cat" and .pid == 1765 and .fields.path == "/etc/shadow" and .fields.ret == 4
	and .output == "Sensitive file opened for reading (file=/etc/shadow process=cat uid=0)"
	and .output_fields == {"fd.name": "/etc/shadow", "proc.name": "cat", "user.uid": 0}
	and .tags == ["filesystem", "mitre_credential_access", "T1555"]
	and .time == "2026-12-04T19:16:53.878955944Z"'
first_alert "Shell spawned in a container" '.container_id == "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"
	and .output_fields["container.type"] == "runc" and .priority == "Warning"'
first_alert "Outbound connection to an unusual port" \
	'.output == "Outbound connection (127.0.0.1:37244 -> 127.0.0.1:47001 process=python3)"'
first_alert "Write below etc" '.output_fields["files.flags"] == 577 and .priority == "Error"'

# First match: the container shell fires only its first rule.
run 0 rules test --first-match --events "$fx/events.jsonl" "$fx/example.yaml"
has_err "eunomia: 12 events replayed, 6 alerts"
[ "$(count 'Shell spawned in a container')" = 0 ] || fail "--first-match fired a second rule"

# From standard input; a bad line is reported and skipped, the rest replayed.
{ head -n 3 "$fx/events.jsonl"; echo '{"tracker":"files","type":"open"}'; echo 'not json';
  sed -n 4p "$fx/events.jsonl"; } >"$dir/mixed.jsonl"
rc=0
"$cli" rules test --events - "$fx/example.yaml" <"$dir/mixed.jsonl" >"$dir/out" 2>"$dir/err" || rc=$?
[ "$rc" = 2 ] || fail "bad event lines must give exit status 2, not $rc"
has_err "<stdin>:4: 'ts' must be a number, not missing"
has_err "<stdin>:5: at byte 1: expected a value, found 'n'"
has_err "eunomia: 4 events replayed, 3 alerts; some lines could not be replayed"
[ "$(wc -l <"$dir/out")" = 3 ] || fail "the alerts of the good lines must still be printed"

# Invalid rules: nothing is replayed.
run 2 rules test --events "$fx/events.jsonl" "$dir/bad.yaml"
has_err "eunomia: the rules have 2 errors; nothing replayed"
[ ! -s "$dir/out" ] || fail "alerts from invalid rules"
echo "rules CLI: ok"
