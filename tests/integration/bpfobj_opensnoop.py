#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
"""A BPF program nobody here wrote: `eunomia bpf-extract` takes the object
out of Debian's libbpf-tools opensnoop binary, and `eunomia run` runs it
with a schema file written here for its `struct event`. Debian builds the
tools so that the struct is a local variable, absent from the object's BTF;
its layout is that of libbpf-tools' opensnoop.h at the Debian version
(bcc v0.26.0):

    struct event { __u64 ts; pid_t pid; uid_t uid; int ret; int flags;
                   __u64 callers[2]; char comm[16]; char fname[255]; };

A child opens a unique file; its event must carry the path, the pid and
the fd open() returned.

usage: bpfobj_opensnoop.py EUNOMIA
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

OPENSNOOP = "/usr/sbin/opensnoop"

SCHEMA = """\
# struct event of libbpf-tools' opensnoop.h, bcc v0.26.0 (Debian 12's libbpf-tools)
map: events
name: open
size: 312
fields:
  - {name: ts, type: u64, offset: 0, header: ts, clock: monotonic}
  - {name: pid, type: s32, offset: 8}
  - {name: uid, type: u32, offset: 12}
  - {name: ret, type: s32, offset: 16, flags: [errno]}
  - {name: flags, type: s32, offset: 20, flags: [hex]}
  - {name: callers.0, type: u64, offset: 24, flags: [hex]}
  - {name: callers.1, type: u64, offset: 32, flags: [hex]}
  - {name: comm, type: str, offset: 40, size: 16}
  - {name: fname, type: str, offset: 56, size: 255}
"""

CHILD = r"""
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
print("ready", flush=True)
signal.sigwait({signal.SIGUSR1})
print(os.open(sys.argv[1], os.O_RDONLY), flush=True)
signal.sigwait({signal.SIGUSR1})
"""


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    cli = sys.argv[1]
    if os.geteuid() != 0:
        fail("must run as root (it loads BPF programs)")
    if not os.access("/sys/kernel/btf/vmlinux", os.R_OK):
        print("SKIP: this kernel has no BTF (/sys/kernel/btf/vmlinux)")
        sys.exit(77)
    if not os.access(OPENSNOOP, os.X_OK):
        fail(OPENSNOOP + " is missing: install Debian's libbpf-tools (scripts/setup does)")
    tmp = tempfile.mkdtemp(prefix="eun-opensnoop-")
    ext = subprocess.run([cli, "bpf-extract", OPENSNOOP, "-o", tmp], capture_output=True,
                         text=True)
    obj = os.path.join(tmp, "opensnoop.bpf.o")
    if ext.returncode != 0 or not os.path.exists(obj):
        fail("bpf-extract: %d %s %s" % (ext.returncode, ext.stdout, ext.stderr))
    with open(os.path.join(tmp, "opensnoop.schema.yaml"), "w") as f:
        f.write(SCHEMA)
    path = os.path.join(tmp, "unique-%d-%d" % (os.getpid(), time.time_ns()))
    open(path, "w").close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, path], stdout=subprocess.PIPE, text=True)
    if child.stdout.readline().strip() != "ready":
        fail("the child did not start")
    out, txt, err_path = (os.path.join(tmp, n) for n in ("events.json", "events.txt", "cli.err"))
    # targ_uid as the tool sets it by default: (uid_t)-1, every user.
    cmd = [cli, "run", obj, "--set", "opensnoop.targ_tgid=%d" % child.pid,
           "--set", "opensnoop.targ_uid=4294967295", "-o", "json:" + out, "-o", "text:" + txt]
    with open(err_path, "w") as err:
        run = subprocess.Popen(cmd, stderr=err)
    try:
        end = time.monotonic() + 20
        while not (os.path.exists(txt) and os.path.getsize(txt) > 0):
            if run.poll() is not None or time.monotonic() > end:
                fail("eunomia run did not start (%s): %s" % (run.poll(), open(err_path).read()))
            time.sleep(0.1)
        child.send_signal(signal.SIGUSR1)
        fd = int(child.stdout.readline())
        seen = None
        end = time.monotonic() + 10
        while not seen and time.monotonic() < end:
            time.sleep(0.1)
            for line in open(out):
                e = json.loads(line)
                if e.get("fname") == path:
                    seen = e
        run.send_signal(signal.SIGTERM)
        if run.wait(timeout=20) != 0:
            fail("eunomia run exited with %d: %s" % (run.returncode, open(err_path).read()))
    finally:
        if run.poll() is None:
            run.kill()
        child.kill()
        child.wait()
    if not seen:
        fail("no open of %s in %s" % (path, open(out).read()[:2000]))
    if seen["pid"] != child.pid or seen["ret"] != fd or seen["tracker"] != "opensnoop" or \
       seen["type"] != "open" or seen["comm"] != "python3":
        fail("event %s: want pid %d, ret %d" % (seen, child.pid, fd))
    print("ok: Debian's opensnoop, extracted and run with a schema file: %s" % json.dumps(seen))
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
