#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
"""`eunomia run` of two BPF objects at once, to JSON, CSV and text files and
the Prometheus exporter: openperf (a perf buffer, its struct from
--event-header, the user-space pid filter) and readhist (a histogram and
counters read as snapshots every 200 ms, its own targ_tgid parameter). A
child process opens a unique file five times and a missing one once, and
reads sizes known in advance from /dev/zero; every output must show exactly
that.

usage: bpfobj_cli.py EUNOMIA BPFOBJ_BUILD_DIR BPFOBJ_SOURCE_DIR
"""
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

CHILD = r"""
import os, signal, sys
path, missing = sys.argv[1], sys.argv[2]
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
print("ready", flush=True)
signal.sigwait({signal.SIGUSR1})
for _ in range(5):
    os.close(os.open(path, os.O_RDONLY))
try:
    os.open(missing, os.O_RDONLY)
except FileNotFoundError:
    pass
fd = os.open("/dev/zero", os.O_RDONLY)
for size, times in ((1, 3), (100, 5), (5000, 2)):
    for _ in range(times):
        os.read(fd, size)
os.close(fd)
print("done", flush=True)
signal.sigwait({signal.SIGUSR1})
"""


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def wait_for(what, cond, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    fail("timed out waiting for " + what)


def scrape(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5) as r:
        return r.read().decode()


def metric(text, name, labels):
    """The value of series name{labels...} (labels: a dict that must all match)."""
    for line in text.splitlines():
        m = re.match(r'^([a-z_:0-9]+)(\{[^}]*\})? ([0-9.e+-]+)$', line)
        if not m or m.group(1) != name:
            continue
        have = dict(re.findall(r'([a-z_0-9]+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            return float(m.group(3))
    return None


def main():
    cli, objdir, srcdir = sys.argv[1:4]
    if os.geteuid() != 0:
        fail("must run as root (it loads BPF programs)")
    if not os.access("/sys/kernel/btf/vmlinux", os.R_OK):
        print("SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="eun-bpfobj-cli-")
    path = os.path.join(tmp, "opened-%d" % os.getpid())
    missing = os.path.join(tmp, "missing-%d" % os.getpid())
    open(path, "w").close()
    out = {f: os.path.join(tmp, "events." + f) for f in ("json", "csv", "txt")}
    err_path = os.path.join(tmp, "cli.err")

    child = subprocess.Popen([sys.executable, "-c", CHILD, path, missing], stdout=subprocess.PIPE,
                             text=True)
    if child.stdout.readline().strip() != "ready":
        fail("the workload did not start")
    openperf = os.path.join(objdir, "openperf.bpf.o")
    readhist = os.path.join(objdir, "readhist.bpf.o")
    cmd = [cli, "run", openperf + "," + readhist,
           "--event-header", os.path.join(srcdir, "openperf.h"),
           "--set", "openperf.pid=%d" % child.pid,
           "--set", "readhist.targ_tgid=%d" % child.pid,
           "--set", "readhist.interval_ms=200",
           "-o", "json:" + out["json"], "-o", "csv:" + out["csv"], "-o", "text:" + out["txt"],
           "--metrics", "127.0.0.1:0", "--stats"]
    with open(err_path, "w") as err:
        run = subprocess.Popen(cmd, stderr=err)
    try:
        def port():
            m = re.search(r"serving Prometheus metrics on http://127\.0\.0\.1:(\d+)/metrics",
                          open(err_path).read())
            if run.poll() is not None:
                fail("eunomia run exited early (%d): %s" % (run.returncode, open(err_path).read()))
            return int(m.group(1)) if m else None
        p = wait_for("the metrics endpoint", port)
        # The CSV header is written once the trackers are attached.
        wait_for("the trackers to attach",
                 lambda: os.path.exists(out["csv"]) and os.path.getsize(out["csv"]) > 0)
        child.send_signal(signal.SIGUSR1)
        if child.stdout.readline().strip() != "done":
            fail("the workload did not finish")

        def counted():
            text = scrape(p)
            ev = metric(text, "eunomia_events_total", {"tracker": "openperf", "event": "event"})
            calls = metric(text, "eunomia_readhist_read_stats_calls_total", {})
            return text if ev is not None and ev >= 7 and calls == 10 else None
        text = wait_for("the metrics to count the workload", counted)
        # Exactly the workload: 7 opens (the file 5 times, the missing one,
        # /dev/zero), 10 reads, whose log2 histogram has the slots below.
        if metric(text, "eunomia_events_total", {"tracker": "openperf", "event": "event"}) != 7:
            fail("openperf events counted: " + text)
        if metric(text, "eunomia_readhist_read_stats_bytes_total", {}) != 10503:
            fail("read bytes counted:\n" + text)
        if metric(text, "eunomia_readhist_read_sizes_slots_count", {}) != 10:
            fail("histogram count:\n" + text)
        for le, want in (("1", 3), ("63", 3), ("127", 8), ("8191", 10)):
            got = metric(text, "eunomia_readhist_read_sizes_slots_bucket", {"le": le})
            if got != want:
                fail("histogram bucket le=%s: %s, want %d\n%s" % (le, got, want, text))
        run.send_signal(signal.SIGTERM)
        if run.wait(timeout=20) != 0:
            fail("eunomia run exited with %d: %s" % (run.returncode, open(err_path).read()))
    finally:
        if run.poll() is None:
            run.kill()
        child.kill()
        child.wait()

    # JSON: every open of the workload, every field as the kernel saw it.
    events = [json.loads(line) for line in open(out["json"])]
    opens = [e for e in events if e["tracker"] == "openperf"]
    mine = [e for e in opens if e["fname"] == path]
    if len(opens) != 7 or any(e["pid"] != child.pid for e in opens):
        fail("openperf events: %s" % opens)
    if len(mine) != 5 or any(e["ret"] < 0 or e["comm"] != "python3" or e["uid"] != 0 or
                             e["type"] != "event" for e in mine):
        fail("opens of %s: %s" % (path, mine))
    miss = [e for e in opens if e["fname"] == missing]
    if len(miss) != 1 or miss[0]["ret"] != -2:
        fail("open of %s: %s" % (missing, miss))
    slots = [0] * 32
    calls = total_calls = 0
    for e in events:
        if e["tracker"] != "readhist":
            continue
        if e["pid"] != child.pid and e["type"] != "read_totals":
            fail("readhist record of another process: %s" % e)
        if e["type"] == "read_sizes":
            slots = [a + b for a, b in zip(slots, e["slots"])]
        elif e["type"] == "read_stats":
            calls += e["calls"]
        elif e["type"] == "read_totals":
            total_calls += e["calls"]
    want = [0] * 32
    want[0], want[6], want[12] = 3, 5, 2
    if slots != want or calls != 10 or total_calls != 10:
        fail("readhist: slots %s, calls %d, totals %d" % (slots, calls, total_calls))

    # CSV: the same opens under the columns of both objects.
    rows = list(csv.DictReader(open(out["csv"], newline="")))
    csv_mine = [r for r in rows if r["tracker"] == "openperf" and r["fname"] == path]
    if len(csv_mine) != 5 or any(int(r["pid"]) != child.pid or r["ids.tid"] != str(child.pid)
                                 for r in csv_mine):
        fail("CSV rows of %s: %s" % (path, csv_mine))
    if not any(r["type"] == "read_sizes" and r["slots"].startswith("0-1:3,") for r in rows):
        fail("CSV: no read_sizes row with the histogram: %s" % [r for r in rows if r["type"] == "read_sizes"])

    # Text: one line per event, the fields as key=value.
    lines = [l for l in open(out["txt"]) if " openperf " in l and "fname=" + path in l]
    if len(lines) != 5 or not all("ret=" in l and "python3" in l for l in lines):
        fail("text lines of %s: %s" % (path, lines))
    stats = open(err_path).read()
    if not re.search(r"openperf: 7 events, 0 kernel drops, 0 decode errors", stats):
        fail("--stats: " + stats)
    print("ok: openperf and readhist objects to JSON, CSV, text and Prometheus")
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
