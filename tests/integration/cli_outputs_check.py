#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
"""Helper of cli_outputs.sh.

  open DIR N PID      create files with awkward names under DIR/names, rename
                      this process to 'eun-opener', open them N times in turn,
                      then send SIGTERM to PID at once
  check DIR N KEEP ROTATE_BYTES
                      check the outputs that `eunomia run` left in DIR
"""
import codecs
import csv
import io
import json
import os
import signal
import sys

COMM = 'eun-opener'

# Every name CSV must quote or JSON must escape, and bytes that are not UTF-8.
NAMES = [
    b'plain.log',
    b'comma,in,name',
    b'double"quote"',
    b"single'quote",
    b'new\nline',
    b'cr\rand\ttab',
    b'back\\slash',
    b'both, "quoted"\n',
    b'bad\xffbyte',
    b'\x80leading continuation',
    b'truncated\xc3',
    b'overlong\xc0\xaf',
    b'surrogate\xed\xa0\x80',
    b'valid \xc3\xa9 then bad \xe9',
]


def paths(d):
    return [os.path.join(d.encode(), b'names', n) for n in NAMES]


def fail(msg):
    sys.exit('FAIL: ' + msg)


def do_open(d, n, pid):
    os.mkdir(os.path.join(d, 'names'))
    ps = paths(d)
    for p in ps:
        with open(p, 'wb'):
            pass
    # From here on this process's opens carry the comm that eunomia filters on.
    with open('/proc/self/comm', 'w') as f:
        f.write(COMM)
    for i in range(n):
        os.close(os.open(ps[i % len(ps)], os.O_RDONLY))
    # The last events are still in the ring: stopping must deliver them.
    os.kill(pid, signal.SIGTERM)


# libeunomia's JSON rule: well-formed UTF-8 passes, each byte of an
# ill-formed sequence becomes \u00XX, i.e. the code point of the byte.
codecs.register_error('eun_bytes', lambda e: (''.join(chr(b) for b in e.object[e.start:e.end]), e.end))


def json_text(raw):
    return raw.decode('utf-8', 'eun_bytes')


def kept_files(d, name, keep):
    """The output's files, oldest first; exactly KEEP rotated ones plus the current."""
    base = os.path.join(d, name)
    files = [base + '.%d' % i for i in range(keep, 0, -1)] + [base]
    for f in files:
        if not os.path.exists(f):
            fail('%s is missing: rotation did not keep %d files' % (f, keep))
    if os.path.exists(base + '.%d' % (keep + 1)):
        fail('%s.%d exists: more than %d rotated files kept' % (base, keep + 1, keep))
    return files


def check_sizes(files, rotate_bytes, first_len):
    """No file is past the limit, and a file was rotated only when the next line did not fit."""
    for i, f in enumerate(files):
        size = os.path.getsize(f)
        if size > rotate_bytes:
            fail('%s has %d bytes, more than --rotate-size %d' % (f, size, rotate_bytes))
        if i + 1 < len(files) and size + first_len(files[i + 1]) <= rotate_bytes:
            fail('%s was rotated at %d bytes though the next line fit' % (f, size))


def check_tail(what, got, want, same):
    """got must be the newest len(got) of want (same(g, w) for each): rotation
    drops only whole files, the oldest ones."""
    if not got:
        fail('%s: no event of ours in the kept files' % what)
    if len(got) >= len(want):
        fail('%s: %d events kept of %d; the test is sized so that rotation drops some' %
             (what, len(got), len(want)))
    tail = want[len(want) - len(got):]
    for i, (g, w) in enumerate(zip(got, tail)):
        if not same(g, w):
            fail('%s: event %d of the kept tail has path %r, opened as %r' % (what, i, g, w))


def json_same(text, raw):
    """The JSON string of raw bytes; where they hold no well-formed non-ASCII
    character, every code point is exactly one of the bytes."""
    if text != json_text(raw):
        return False
    if all(ord(c) < 0x80 for c in raw.decode('utf-8', 'ignore')):
        return text.encode('latin-1') == raw
    return True


def check_json(d, ps, n, keep, rotate_bytes):
    files = kept_files(d, 'events.json', keep)

    def first_len(f):
        with open(f, 'rb') as fh:
            return len(fh.readline())
    check_sizes(files, rotate_bytes, first_len)
    got = []
    for f in files:
        data = open(f, 'rb').read()
        if not data.endswith(b'\n'):
            fail('%s ends in a torn line' % f)
        for no, line in enumerate(data.split(b'\n')[:-1], 1):
            try:
                ev = json.loads(line.decode('utf-8'))  # valid UTF-8 and valid JSON
            except ValueError as e:
                fail('%s line %d is not a JSON object (%s): %r' % (f, no, e, line[:200]))
            if ev['tracker'] != 'files' or ev['comm'] != COMM:
                fail('%s line %d is not a files event of %s: %r' % (f, no, COMM, line[:200]))
            if ev['ret'] < 0:
                fail('%s line %d: the open failed: %r' % (f, no, line[:200]))
            got.append(ev['path'])
    check_tail('JSON', got, [ps[i % len(ps)] for i in range(n)], json_same)
    return len(got)


def check_csv(d, ps, n, keep, rotate_bytes):
    files = kept_files(d, 'events.csv', keep)
    header = None

    def rows_of(f):
        # CSV carries the bytes as they are: read them as Latin-1, one char per byte.
        text = open(f, 'rb').read().decode('latin-1')
        if not text.endswith('\n'):
            fail('%s ends in a torn row' % f)
        return list(csv.reader(io.StringIO(text, newline=''), strict=True))

    def first_len(f):
        text = open(f, 'rb').read().decode('latin-1')
        head = text.index('\n') + 1
        rest = io.StringIO(text[head:], newline='')
        next(csv.reader(rest, strict=True))
        return rest.tell()  # the header is in every file; the first row decides
    check_sizes(files, rotate_bytes, first_len)
    got = []
    for f in files:
        rows = rows_of(f)
        if header is None:
            header = rows[0]
        if rows[0] != header or header[:3] != ['ts', 'tracker', 'type']:
            fail('%s does not start with the CSV header: %r' % (f, rows[0]))
        col = {name: i for i, name in enumerate(header)}
        for row in rows[1:]:
            if len(row) != len(header):
                fail('%s: a row of %d cells under %d columns: %r' % (f, len(row), len(header), row))
            if row[col['comm']] != COMM:
                fail('%s: a row of another command: %r' % (f, row))
            got.append(row[col['path']].encode('latin-1'))
    check_tail('CSV', got, [ps[i % len(ps)] for i in range(n)], lambda g, w: g == w)
    return len(got)


def check_text(d, n):
    data = open(os.path.join(d, 'stdout.txt'), 'rb').read()
    if not data.endswith(b'\n'):
        fail('standard output ends in a torn line')
    lines = data.split(b'\n')[:-1]
    if not lines[0].startswith(b'TIME ') or b'FIELDS' not in lines[0]:
        fail('standard output does not start with the text header: %r' % lines[0])
    marker = os.path.join(d, 'names').encode()
    ours = [l for l in lines[1:] if b' ' + COMM.encode() + b' ' in l and marker in l]
    if len(ours) != n:
        fail('standard output has %d of the %d opens (one line each)' % (len(ours), n))


def do_check(d, n, keep, rotate_bytes):
    ps = paths(d)
    j = check_json(d, ps, n, keep, rotate_bytes)
    c = check_csv(d, ps, n, keep, rotate_bytes)
    check_text(d, n)
    print('ok: %d opens: all %d lines on standard output; the newest %d in %d JSON files and '
          '%d in %d CSV files, all whole; every awkward name intact' %
          (n, n, j, keep + 1, c, keep + 1))


if __name__ == '__main__':
    if sys.argv[1] == 'open':
        do_open(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        do_check(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
