#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
"""
The control plane against the real kernel: `eunomia serve` on a unix
socket and on 127.0.0.1, driven with curl and with the CLI client.

- every endpoint of /v1/openapi.json answers, its JSON checked against the
  document's schemas;
- trackers started and stopped while another runs: none of its events lost
  (counted against a workload of a uniquely named program);
- PATCH and a hot update of its plugin while the workload runs: no gap, no
  duplicate; a broken new version is rolled back;
- signed, unsigned and badly signed uploads with trusted keys;
- roles: an observer gets 403 on mutations, on the unix socket by uid and
  over TCP by token; a tokens file others may read is refused;
- a stalled stream reader: its loss records and what it received tile the
  sequence numbers exactly; Last-Event-ID resumes;
- idle floods and slowloris from other addresses do not stop /healthz;
  malformed requests are logged at a bounded rate; keep-alive works;
- a non-loopback TCP listener without TLS is refused; TLS with a client
  certificate gives its role.

usage: serve_control.py EUNOMIA PROCESS_BROKEN_SO   (plugins from $EUNOMIA_PLUGIN_PATH)
"""
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

EUNOMIA, BROKEN = sys.argv[1], sys.argv[2]
PLUGINS = os.environ['EUNOMIA_PLUGIN_PATH']
TMP = tempfile.mkdtemp(prefix='eun-serve-')
os.chmod(TMP, 0o755)
FAILURES = []
daemons = []


def fail(msg):
    print('FAIL: ' + msg, file=sys.stderr)
    FAILURES.append(msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


class Daemon:
    def __init__(self, name, *args, state=None):
        self.name = name
        self.sock = os.path.join(TMP, name + '.sock')
        self.errpath = os.path.join(TMP, name + '.err')
        self.err = open(self.errpath, 'w')
        self.proc = subprocess.Popen([EUNOMIA, 'serve', '--listen', 'unix:' + self.sock,
                                      '--state-dir', os.path.join(TMP, (state or name) + '-state')] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        daemons.append(self)
        self.port = None
        for _ in range(300):
            text = open(self.errpath).read()
            m = re.search(r'listening on https?://127\.0\.0\.1:(\d+)', text)
            if m:
                self.port = int(m.group(1))
            if 'ready' in text or self.proc.poll() is not None:
                break
            time.sleep(0.02)
        if self.proc.poll() is not None or 'ready' not in open(self.errpath).read():
            raise SystemExit('FAIL: daemon %s did not start: %s' % (name, open(self.errpath).read()))

    def log(self):
        return open(self.errpath).read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                rc = self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = 'hung'
            check(rc == 0, 'daemon %s exited with %s: %s' % (self.name, rc, self.log()[-2000:]))
        daemons.remove(self)


def curl(d, method, path, body=None, token=None, tcp=False, ctype='application/json',
         headers=(), data_file=None, user=None, timeout=20):
    """(status, parsed JSON or text, content type)"""
    args = ['curl', '-s', '-S', '-X', method, '-o', '-', '-w', '\n%{http_code} %{content_type}',
            '--max-time', str(timeout)]
    if tcp:
        url = 'http://127.0.0.1:%d%s' % (d.port, path)
    else:
        args += ['--unix-socket', d.sock]
        url = 'http://localhost' + path
    if token:
        args += ['-H', 'Authorization: Bearer ' + token]
    for h in headers:
        args += ['-H', h]
    if body is not None:
        args += ['-H', 'Content-Type: ' + ctype, '--data-binary',
                 body if isinstance(body, str) else json.dumps(body)]
    if data_file:
        args += ['-H', 'Content-Type: application/octet-stream', '--data-binary', '@' + data_file]
    args.append(url)
    if user is not None:
        args = ['setpriv', '--reuid', str(user), '--regid', str(user), '--clear-groups'] + args
    out = subprocess.run(args, capture_output=True, text=True).stdout
    text, _, tail = out.rpartition('\n')
    code, _, ctype_got = tail.partition(' ')
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return int(code or 0), parsed, ctype_got


def cli(d, *args, token_file=None, tcp=False):
    server = 'http://127.0.0.1:%d' % d.port if tcp else 'unix:' + d.sock
    cmd = [EUNOMIA, '--server', server] + (['--token-file', token_file] if token_file else []) + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout, r.stderr


# ---- the workload: a uniquely named program, run N times -----------------

PROG = os.path.join(TMP, 'eunwl%d' % os.getpid())
shutil.copy('/bin/true', PROG)
COMM = os.path.basename(PROG)[:15]


def workload(n, pause=0.0):
    for _ in range(n):
        subprocess.run([PROG])
        if pause:
            time.sleep(pause)


def count_execs(path):
    n = 0
    with open(path) as f:
        for line in f:
            ev = json.loads(line)
            if ev['tracker'] == 'process' and ev['type'] == 'exec' and ev.get('filename') == PROG:
                n += 1
    return n


# ---- a small JSON Schema check for the OpenAPI document ------------------

def resolve(doc, s):
    while '$ref' in s:
        node = doc
        for part in s['$ref'].lstrip('#/').split('/'):
            node = node[part]
        s = node
    return s


def validate(doc, s, v, where):
    s = resolve(doc, s)
    if v is None:
        return s.get('nullable', False) or where + ': null where not nullable'
    if 'allOf' in s:
        for sub in s['allOf']:
            r = validate(doc, sub, v, where)
            if r is not True:
                return r
        return True
    if 'oneOf' in s:
        ok = [sub for sub in s['oneOf'] if validate(doc, sub, v, where) is True]
        return len(ok) >= 1 or where + ': matches none of oneOf'
    t = s.get('type')
    types = {'object': dict, 'array': list, 'string': str, 'boolean': bool}
    if t == 'integer':
        if not isinstance(v, int) or isinstance(v, bool):
            return where + ': not an integer'
    elif t in types and not isinstance(v, types[t]):
        return where + ': not a ' + t
    if 'enum' in s and v not in s['enum']:
        return '%s: %r not in %s' % (where, v, s['enum'])
    if t == 'object':
        for k in s.get('required', []):
            if k not in v:
                return where + ': no member ' + k
        for k, sub in s.get('properties', {}).items():
            if k in v:
                r = validate(doc, sub, v[k], where + '.' + k)
                if r is not True:
                    return r
        extra = s.get('additionalProperties')
        if isinstance(extra, dict):
            for k, val in v.items():
                r = validate(doc, extra, val, where + '.' + k)
                if r is not True:
                    return r
    if t == 'array':
        for i, item in enumerate(v):
            r = validate(doc, s.get('items', {}), item, '%s[%d]' % (where, i))
            if r is not True:
                return r
    return True


def check_response(doc, path, method, status, body, ctype):
    op = doc['paths'][path][method]
    resp = op['responses'].get(str(status))
    if not check(resp is not None, '%s %s answered %d, not documented' % (method, path, status)):
        return
    resp = resolve(doc, resp)
    media = resp.get('content', {})
    base = ctype.split(';')[0].strip()
    if not check(base in media, '%s %s: content type %s not documented' % (method, path, ctype)):
        return
    if base == 'application/json':
        r = validate(doc, media[base]['schema'], body, '%s %s' % (method, path))
        check(r is True, str(r))


def test_every_endpoint(d):
    st, doc, _ = curl(d, 'GET', '/v1/openapi.json')
    check(st == 200 and doc.get('openapi', '').startswith('3.'), 'no OpenAPI 3 document')
    outfile = os.path.join(TMP, 'sweep.json')
    # The order matters: create before reading one, delete last.
    plan = [
        ('/healthz', 'get', {}), ('/readyz', 'get', {}), ('/metrics', 'get', {}),
        ('/v1/openapi.json', 'get', {}), ('/v1/whoami', 'get', {}),
        ('/v1/plugins', 'get', {}),
        ('/v1/plugins/{name}', 'put', {'name': 'signal', 'file': os.path.join(PLUGINS, 'signal.so')}),
        ('/v1/plugins/{name}', 'get', {'name': 'signal'}),
        ('/v1/trackers', 'post', {'body': {'tracker': 'signal', 'config': {'comm': COMM}}}),
        ('/v1/trackers', 'get', {}),
        ('/v1/trackers/{id}', 'get', {'id': 'T'}),
        ('/v1/trackers/{id}', 'patch', {'id': 'T', 'body': {'config': {'comm': None, 'sig': 15}}}),
        ('/v1/outputs', 'post', {'body': {'format': 'json', 'path': outfile}}),
        ('/v1/outputs', 'get', {}),
        ('/v1/outputs/{id}', 'get', {'id': 'O'}),
        ('/v1/outputs/{id}', 'patch', {'id': 'O', 'body': {'rotate_size': 1 << 20, 'rotate_keep': 2}}),
        ('/v1/events', 'get', {'query': '?format=ndjson&tracker=signal'}),
        ('/v1/outputs/{id}', 'delete', {'id': 'O'}),
        ('/v1/trackers/{id}', 'delete', {'id': 'T'}),
    ]
    ids = {}
    done = set()
    for path, method, a in plan:
        url = path.replace('{name}', a.get('name', '')).replace('{id}', ids.get(a.get('id'), ''))
        url += a.get('query', '')
        if path == '/v1/events':
            st, body, ctype = curl(d, 'GET', url, timeout=1)
            check(ctype.startswith('application/x-ndjson'), 'events: content type %s' % ctype)
            done.add((path, method))
            continue
        st, body, ctype = curl(d, method.upper(), url, body=a.get('body'), data_file=a.get('file'))
        check(st < 400, '%s %s: %d %s' % (method, url, st, body))
        check_response(doc, path, method, st, body, ctype)
        if method == 'post' and isinstance(body, dict):
            ids['T' if path == '/v1/trackers' else 'O'] = body.get('id', '')
        done.add((path, method))
    for path, ops in doc['paths'].items():
        for method in ops:
            if method != 'parameters':
                check((path, method) in done, 'documented %s %s not exercised' % (method, path))
    # Error replies are documented too.
    for method, path, want in [('GET', '/v1/trackers/none', 404), ('POST', '/v1/trackers', 400),
                               ('PUT', '/v1/trackers', 405)]:
        st, body, ctype = curl(d, method, path, body='{"tracker": 1}' if method == 'POST' else None)
        check(st == want, '%s %s: %d, want %d' % (method, path, st, want))
        check(isinstance(body, dict) and set(body) == {'error', 'message', 'hint'},
              '%s %s: error body %r' % (method, path, body))
    print('ok: every documented endpoint answers as documented')


def start_counted(d, out):
    st, t, _ = curl(d, 'POST', '/v1/trackers', {'tracker': 'process', 'config': {'comm': COMM}})
    check(st == 201, 'POST process: %d %s' % (st, t))
    st, o, _ = curl(d, 'POST', '/v1/outputs', {'format': 'json', 'path': out})
    check(st == 201, 'POST output: %d %s' % (st, o))
    return t['id'], o['id']


def finish_counted(d, tid, oid):
    time.sleep(0.3)
    curl(d, 'DELETE', '/v1/trackers/' + tid)
    curl(d, 'DELETE', '/v1/outputs/' + oid)


def test_no_loss_while_others_change(d):
    out = os.path.join(TMP, 'others.json')
    tid, oid = start_counted(d, out)
    n = 150
    w = threading.Thread(target=workload, args=(n, 0.002))
    w.start()
    changes = 0
    while w.is_alive() and changes < 12:
        for name in ('files', 'bind', 'signal'):
            st, t, _ = curl(d, 'POST', '/v1/trackers', {'tracker': name})
            if check(st == 201, 'POST %s: %d %s' % (name, st, t)):
                check(curl(d, 'DELETE', '/v1/trackers/' + t['id'])[0] == 200, 'DELETE ' + t['id'])
                changes += 1
    w.join()
    finish_counted(d, tid, oid)
    got = count_execs(out)
    check(got == n, 'starting/stopping %d other trackers lost events: %d of %d execs' % (changes, got, n))
    print('ok: %d of %d execs while %d other trackers came and went' % (got, n, changes))


def test_patch_and_hot_update(d):
    out = os.path.join(TMP, 'swap.json')
    tid, oid = start_counted(d, out)
    n = 200
    w = threading.Thread(target=workload, args=(n, 0.003))
    w.start()
    time.sleep(0.1)
    for value in ('true', 'false'):
        st, t, _ = curl(d, 'PATCH', '/v1/trackers/' + tid, {'config': {'fork': value}})
        check(st == 200 and t['config'].get('fork') == value, 'PATCH: %d %s' % (st, t))
    st, p, _ = curl(d, 'PUT', '/v1/plugins/process', data_file=os.path.join(PLUGINS, 'process.so'))
    check(st == 200 and tid in p.get('updated', []), 'hot update: %d %s' % (st, p))
    w.join()
    st, t, _ = curl(d, 'GET', '/v1/trackers/' + tid)
    check(t['generation'] == 3 and '-state/plugins/sha256-' in t['plugin_path'],
          'after two PATCHes and an update: generation %s, path %s' % (t['generation'], t['plugin_path']))
    # A new version that cannot start: rolled back, the instance keeps running the old one.
    st, e, _ = curl(d, 'PUT', '/v1/plugins/process', data_file=BROKEN)
    check(st == 422 and e.get('error') == 'update_failed', 'broken update: %d %s' % (st, e))
    st, t2, _ = curl(d, 'GET', '/v1/trackers/' + tid)
    check(t2['state'] == 'running' and t2['plugin_path'] == t['plugin_path'],
          'after the rollback: %s' % t2)
    st, p, _ = curl(d, 'GET', '/v1/plugins/process')
    check(p['state'] == 'load_error' and 'rolled back' in (p['error'] or ''), 'plugin state %s' % p)
    workload(50)
    finish_counted(d, tid, oid)
    got = count_execs(out)
    check(got == n + 50, 'PATCH x2, hot update and rollback: %d of %d execs' % (got, n + 50))
    print('ok: %d of %d execs through two PATCHes, a hot update and a rolled back one '
          '(%d overlap events dropped)' % (got, n + 50, t2['stats']['replaced_skipped']))


# ---- streams ------------------------------------------------------------

def open_stream(d, query, headers=(), rcvbuf=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(d.sock)
    req = 'GET /v1/events%s HTTP/1.0\r\nHost: x\r\n%s\r\n' % (query, ''.join(h + '\r\n' for h in headers))
    s.sendall(req.encode())
    return s


def read_for(s, seconds, quiet=None):
    """Bytes until the peer closes, `seconds` pass, or nothing came for `quiet` s."""
    data = b''
    end = time.time() + seconds
    while time.time() < end:
        s.settimeout(quiet if quiet else max(0.01, end - time.time()))
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            if quiet:
                break
            continue
        if not chunk:
            break
        data += chunk
    return data


def ndjson_records(data):
    body = data.split(b'\r\n\r\n', 1)[1]
    return [json.loads(line) for line in body.decode().splitlines() if line.strip()]


def test_stalled_stream(d):
    st, t, _ = curl(d, 'POST', '/v1/trackers', {'tracker': 'process', 'config': {'comm': COMM}})
    s = open_stream(d, '?format=ndjson', rcvbuf=4096)
    head = read_for(s, 0.5)
    check(b'200 OK' in head.split(b'\r\n')[0], 'stream status: %r' % head[:80])
    # Stop reading while thousands of events pass through a ring of 64.
    workload(700)
    time.sleep(0.3)
    data = head + read_for(s, 15, quiet=1.0)
    s.close()
    recs = ndjson_records(data)
    seqs = [r['seq'] for r in recs if 'seq' in r]
    losses = [r for r in recs if 'lost' in r]
    check(len(losses) >= 1, 'a stalled reader got no loss record (%d records)' % len(recs))
    # Received and lost sequence numbers tile one range exactly, in order.
    expect = None
    covered = 0
    for r in recs:
        if 'heartbeat' in r:
            continue
        first = r['since_seq'] if 'lost' in r else r['seq']
        if expect is not None and not check(first == expect, 'stream jumps from %d to %d' % (expect - 1, first)):
            break
        n = r['lost'] if 'lost' in r else 1
        expect = first + n
        covered += n
    check(covered == seqs[-1] - recs[0].get('seq', recs[0].get('since_seq')) + 1,
          'received + lost = %d, not the range' % covered)
    print('ok: stalled stream: %d events and %d loss records (%d lost) tile seq %d..%d'
          % (len(seqs), len(losses), sum(r['lost'] for r in losses), recs[0].get('seq', recs[0].get('since_seq')), seqs[-1]))
    last = seqs[-1]
    # Resume: after an id still in the ring, and after one long gone.
    s = open_stream(d, '', headers=['Last-Event-ID: %d' % (last - 5)])
    text = read_for(s, 0.8).decode()
    s.close()
    ids = [int(m) for m in re.findall(r'^id: (\d+)$', text, re.M)]
    check(ids[:5] == list(range(last - 4, last + 1)), 'Last-Event-ID %d resumed with %s' % (last - 5, ids[:6]))
    check('text/event-stream' in text.split('\r\n\r\n')[0], 'SSE content type')
    s = open_stream(d, '?format=ndjson&after=1')
    recs = ndjson_records(read_for(s, 0.8))
    s.close()
    check('lost' in recs[0] and recs[0]['since_seq'] == 2 and recs[1]['seq'] == 2 + recs[0]['lost'],
          'resume after an evicted id: %s' % recs[:2])
    curl(d, 'DELETE', '/v1/trackers/' + t['id'])
    print('ok: Last-Event-ID resumes; an evicted id starts with a loss record')


# ---- roles ----------------------------------------------------------------

def test_roles(d, admin_tok, obs_tok):
    nobody = 65534
    st, _, _ = curl(d, 'GET', '/v1/trackers', user=nobody)
    check(st == 200, 'unix observer GET: %d' % st)
    st, body, _ = curl(d, 'POST', '/v1/trackers', {'tracker': 'signal'}, user=nobody)
    check(st == 403 and body['error'] == 'forbidden', 'unix observer POST: %d %s' % (st, body))
    st, _, _ = curl(d, 'GET', '/v1/trackers', tcp=True)
    check(st == 401, 'TCP without a token: %d' % st)
    st, _, _ = curl(d, 'GET', '/v1/trackers', tcp=True, token='eun_wrong')
    check(st == 401, 'TCP with a bad token: %d' % st)
    st, _, _ = curl(d, 'GET', '/v1/trackers', tcp=True, token=obs_tok)
    check(st == 200, 'TCP observer GET: %d' % st)
    for method, path, body in [('POST', '/v1/trackers', {'tracker': 'signal'}),
                               ('DELETE', '/v1/trackers/audit', None),
                               ('PUT', '/v1/plugins/signal', None)]:
        st, _, _ = curl(d, method, path, body, tcp=True, token=obs_tok)
        check(st == 403, 'TCP observer %s %s: %d' % (method, path, st))
    st, t, _ = curl(d, 'POST', '/v1/trackers', {'tracker': 'signal'}, tcp=True, token=admin_tok)
    check(st == 201, 'TCP admin POST: %d %s' % (st, t))
    st, who, _ = curl(d, 'GET', '/v1/whoami', tcp=True, token=admin_tok)
    check(who == {'who': 'token ops', 'auth': 'token', 'role': 'admin'}, 'whoami %s' % who)
    curl(d, 'DELETE', '/v1/trackers/' + t['id'], tcp=True, token=admin_tok)
    # The refusals are audit events.
    st, out, _ = curl(d, 'GET', '/v1/trackers/audit')
    check(out['stats']['events'] >= 4, 'audit events: %s' % out['stats'])
    print('ok: observers get 403 on mutations (unix uid %d, TCP token); admins may' % nobody)


# ---- abuse ----------------------------------------------------------------

def tcp_conn(src, port):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(2)
    s.connect(('127.0.0.1', port))
    return s


def closed(s):
    s.settimeout(0.2)
    try:
        return s.recv(1024) == b''
    except socket.timeout:
        return False
    except OSError:
        return True


def test_abuse(d):
    log_before = d.log().count('\n')
    t_start = time.time()
    idle = []
    for _ in range(40):
        try:
            idle.append(tcp_conn('127.0.0.2', d.port))
        except OSError:
            pass
    slow = [tcp_conn('127.0.0.3', d.port) for _ in range(3)]
    for s in slow:
        s.sendall(b'GET /healthz HTTP/1.1\r\n')
    t0 = time.time()
    st, body, _ = curl(d, 'GET', '/healthz', tcp=True, timeout=3)
    check(st == 200, '/healthz from 127.0.0.1 during a flood: %d %s' % (st, body))
    check(time.time() - t0 < 2, '/healthz took %.1f s during a flood' % (time.time() - t0))
    time.sleep(0.3)
    refused = sum(closed(s) for s in idle)
    check(refused >= 40 - 4, 'only %d of 40 idle connections from one address were refused' % refused)
    # Slowloris: a byte at a time never finishes its headers within the request timeout.
    for _ in range(8):
        for s in slow:
            try:
                s.sendall(b'X')
            except OSError:
                pass
        time.sleep(0.4)
    check(all(closed(s) for s in slow), 'slowloris connections still open after the request timeout')
    for s in idle + slow:
        s.close()
    # A unix peer's flood blocks that uid only.
    flood = subprocess.Popen(['setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups',
                              sys.executable, '-c',
                              'import socket,time,sys\n'
                              'c=[]\n'
                              'for i in range(40):\n'
                              '  s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); c.append(s)\n'
                              'print("up", flush=True); time.sleep(3)\n', d.sock],
                             stdout=subprocess.PIPE, text=True)
    check(flood.stdout.readline().strip() == 'up', 'the unix flood did not connect')
    st, _, _ = curl(d, 'GET', '/healthz')
    check(st == 200, 'root /healthz on the unix socket during a flood by another uid: %d' % st)
    flood.kill()
    flood.wait()
    # Malformed and refused requests: answered, and with all of the above
    # logged at a bounded rate (10 messages per 10 s, then a count).
    for i in range(60):
        s = tcp_conn('127.0.0.4', d.port)
        s.sendall(b'BLAH /\x01\x02 HTTP/9\r\n\r\n' if i % 2 else
                  b'GET /v1/trackers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        reply = read_for(s, 2)
        check(reply.startswith(b'HTTP/1.1 4') or reply.startswith(b'HTTP/1.0 4') or not reply,
              'a bad request was answered %r' % reply[:40])
        s.close()
    time.sleep(0.2)
    lines = d.log().count('\n') - log_before
    windows = int((time.time() - t_start) / 10) + 1
    check(1 <= lines <= 11 * windows, '%d refused connections and requests in %d s wrote %d log '
          'lines' % (36 + 3 + 40 + 60, time.time() - t_start, lines))
    # Keep-alive, not Connection: close.
    r = subprocess.run(['curl', '-sv', 'http://127.0.0.1:%d/healthz' % d.port,
                        'http://127.0.0.1:%d/readyz' % d.port], capture_output=True, text=True)
    check('Re-using existing connection' in r.stderr and 'Connection: close' not in r.stderr,
          'no keep-alive: %s' % r.stderr[-800:])
    print('ok: floods, slowloris and bad requests from other addresses leave /healthz up; %d log lines '
          'for about 140 refusals; keep-alive' % lines)


def test_cli(d):
    rc, out, err = cli(d, 'list')
    check(rc == 0 and 'process' in out, 'cli list: %d %s' % (rc, err))
    rc, out, err = cli(d, 'list', 'files')
    check(rc == 0 and 'event type open' in out, 'cli list files: %d %s %s' % (rc, out[:200], err))
    rc, out, err = cli(d, 'run', 'process,signal', '-c', COMM, '--set', 'process.fork=true')
    ids = out.split()
    check(rc == 0 and len(ids) == 2, 'cli run: %d %s %s' % (rc, out, err))
    rc, out, err = cli(d, 'set', ids[0], 'fork=false')
    check(rc == 0, 'cli set: %d %s' % (rc, err))
    rc, out, err = cli(d, 'status')
    check(rc == 0 and ids[0] in out and '"comm":"%s"' % COMM in out, 'cli status: %s %s' % (out, err))
    ev = subprocess.Popen([EUNOMIA, '--server', 'unix:' + d.sock, 'events', '--tracker', ids[0],
                           '--type', 'exec'], stdout=subprocess.PIPE, text=True)
    time.sleep(0.3)
    workload(5)
    time.sleep(0.4)
    ev.terminate()
    lines = ev.communicate(timeout=10)[0].splitlines()
    got = [json.loads(l) for l in lines]
    check(len([e for e in got if e.get('filename') == PROG]) == 5, 'cli events: %s' % lines[:3])
    rc, out, err = cli(d, 'output-add', 'csv:' + os.path.join(TMP, 'cli.csv'))
    check(rc == 0 and out.strip().startswith('o'), 'cli output-add: %d %s %s' % (rc, out, err))
    rc, out2, err = cli(d, 'outputs')
    check(rc == 0 and 'cli.csv' in out2, 'cli outputs: %s' % out2)
    check(cli(d, 'output-rm', out.strip())[0] == 0, 'cli output-rm')
    rc, out, err = cli(d, 'load-plugin', os.path.join(PLUGINS, 'bind.so'))
    check(rc == 0 and 'bind' in out, 'cli load-plugin: %d %s %s' % (rc, out, err))
    rc, out, err = cli(d, 'stop', *ids)
    check(rc == 0, 'cli stop: %d %s' % (rc, err))
    rc, out, err = cli(d, 'stop', 't999')
    check(rc == 2 and 'no tracker has the id' in err, 'cli stop unknown: %d %s' % (rc, err))
    print('ok: the CLI client: list, run, set, status, events, outputs, load-plugin, stop')


def test_signatures():
    key = os.path.join(TMP, 'k')
    subprocess.run([EUNOMIA, 'keygen', key], check=True, capture_output=True)
    os.chmod(key + '.pub', 0o644)
    so = os.path.join(TMP, 'signal.so')
    shutil.copy(os.path.join(PLUGINS, 'signal.so'), so)
    other = os.path.join(TMP, 'bind.so')
    shutil.copy(os.path.join(PLUGINS, 'bind.so'), other)
    subprocess.run([EUNOMIA, 'sign', '--key', key + '.key', so], check=True)
    subprocess.run([EUNOMIA, 'sign', '--key', key + '.key', other], check=True)
    d = Daemon('signed', '--trusted-keys', key + '.pub')
    sig = open(so + '.sig').read().strip()
    wrong = open(other + '.sig').read().strip()
    st, e, _ = curl(d, 'PUT', '/v1/plugins/signal', data_file=so)
    check(st == 403 and e['error'] == 'bad_signature', 'unsigned upload: %d %s' % (st, e))
    st, e, _ = curl(d, 'PUT', '/v1/plugins/signal', data_file=so, headers=['X-Eunomia-Signature: ' + wrong])
    check(st == 403 and 'does not verify' in e['message'], 'badly signed upload: %d %s' % (st, e))
    st, e, _ = curl(d, 'PUT', '/v1/plugins/signal', data_file=so, headers=['X-Eunomia-Signature: AAAA'])
    check(st == 403, 'garbage signature: %d %s' % (st, e))
    st, p, _ = curl(d, 'PUT', '/v1/plugins/signal', data_file=so, headers=['X-Eunomia-Signature: ' + sig])
    check(st == 200 and p['signed_by_key'] == 1, 'signed upload: %d %s' % (st, p))
    rc, out, err = cli(d, 'load-plugin', other, '--sig', so + '.sig')
    check(rc == 3, 'cli upload with the wrong signature: %d %s' % (rc, err))
    rc, out, err = cli(d, 'load-plugin', other, '--sig', other + '.sig')
    check(rc == 0, 'cli signed upload: %d %s' % (rc, err))
    # Signatures made by OpenSSL verify too (plain Ed25519).
    if shutil.which('openssl'):
        pem = os.path.join(TMP, 'o.pem')
        subprocess.run(['openssl', 'genpkey', '-algorithm', 'ed25519', '-out', pem], check=True)
        der = subprocess.run(['openssl', 'pkey', '-in', pem, '-pubout', '-outform', 'DER'],
                             check=True, capture_output=True).stdout
        import base64
        with open(key + '.pub', 'a') as f:
            f.write(base64.b64encode(der[-32:]).decode() + ' openssl\n')
        osig = subprocess.run(['openssl', 'pkeyutl', '-sign', '-rawin', '-inkey', pem, '-in', other],
                              check=True, capture_output=True).stdout
        d.stop()
        d = Daemon('signed2', '--trusted-keys', key + '.pub')
        st, p, _ = curl(d, 'PUT', '/v1/plugins/bind', data_file=other,
                        headers=['X-Eunomia-Signature: ' + base64.b64encode(osig).decode()])
        check(st in (200, 201) and p['signed_by_key'] == 2, 'OpenSSL-signed upload: %d %s' % (st, p))
    d.stop()
    print('ok: with trusted keys only validly signed plugins are accepted')


def test_refusals():
    r = subprocess.run([EUNOMIA, 'serve', '--listen', '0.0.0.0:0', '--state-dir', TMP + '/x'],
                       capture_output=True, text=True, timeout=20)
    check(r.returncode == 2 and 'TLS' in r.stderr, 'non-loopback without TLS: %d %s' % (r.returncode, r.stderr))
    loose = os.path.join(TMP, 'loose-tokens')
    subprocess.run([EUNOMIA, 'token', 'add', loose, 'x', 'admin'], check=True, capture_output=True)
    os.chmod(loose, 0o644)
    r = subprocess.run([EUNOMIA, 'serve', '--listen', 'unix:' + TMP + '/l.sock', '--tokens', loose,
                        '--state-dir', TMP + '/x'], capture_output=True, text=True, timeout=20)
    check(r.returncode == 2 and 'chmod 600' in r.stderr, 'a 0644 tokens file: %d %s' % (r.returncode, r.stderr))
    print('ok: a non-loopback listener without TLS and a readable tokens file are refused')


def test_restart_keeps_uploads():
    d = Daemon('again', state='main')
    st, p, _ = curl(d, 'GET', '/v1/plugins/process')
    check(st == 200 and '/main-state/plugins/sha256-' in p['path'] and p['sha256'],
          'after a restart the uploaded process plugin is not the one found: %s' % p.get('path'))
    check('loaded the uploaded process' in d.log(), 'no boot message: %s' % d.log())
    d.stop()
    print('ok: uploads are loaded again at boot')


def test_tls():
    def ossl(*a):
        subprocess.run(['openssl'] + list(a), check=True, capture_output=True)
    p = lambda n: os.path.join(TMP, n)
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
         '-keyout', p('ca.key'), '-out', p('ca.pem'), '-subj', '/CN=eun-test-ca', '-days', '2')
    for name, cn, ext in (('srv', '127.0.0.1', 'subjectAltName=IP:127.0.0.1'), ('cli', 'tester', 'extendedKeyUsage=clientAuth')):
        ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
             '-keyout', p(name + '.key'), '-out', p(name + '.csr'), '-subj', '/CN=' + cn)
        with open(p(name + '.ext'), 'w') as f:
            f.write(ext + '\n')
        ossl('x509', '-req', '-in', p(name + '.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'),
             '-CAcreateserial', '-out', p(name + '.pem'), '-days', '2', '-extfile', p(name + '.ext'))
    d = Daemon('tls', '--listen', '127.0.0.1:0', '--tls-cert', p('srv.pem'), '--tls-key', p('srv.key'),
               '--tls-client-ca', p('ca.pem'), '--cert-role', 'tester=admin')
    base = ['curl', '-s', '--max-time', '5', '--cacert', p('ca.pem')]
    url = 'https://127.0.0.1:%d' % d.port
    who = json.loads(subprocess.run(base + ['--cert', p('cli.pem'), '--key', p('cli.key'), url + '/v1/whoami'],
                                    capture_output=True, text=True).stdout or '{}')
    check(who.get('who') == 'cert tester' and who.get('role') == 'admin', 'TLS client certificate: %s' % who)
    code = subprocess.run(base + ['-o', '/dev/null', '-w', '%{http_code}', url + '/v1/trackers'],
                          capture_output=True, text=True).stdout
    check(code == '401', 'TLS without a certificate or token: %s' % code)
    rc = subprocess.run([EUNOMIA, '--server', url, '--cacert', p('ca.pem'), '--cert', p('cli.pem'),
                         '--key', p('cli.key'), 'status'], capture_output=True, text=True)
    check(rc.returncode == 0 and 'audit' in rc.stdout, 'cli over TLS: %s %s' % (rc.stdout, rc.stderr))
    d.stop()
    print('ok: TLS; a client certificate\'s common name gives its role')


def main():
    if os.geteuid() != 0:
        raise SystemExit('FAIL: must run as root (it loads BPF programs)')
    tokens = os.path.join(TMP, 'tokens')
    admin_tok = subprocess.run([EUNOMIA, 'token', 'add', tokens, 'ops', 'admin'], check=True,
                               capture_output=True, text=True).stdout.strip()
    obs_tok = subprocess.run([EUNOMIA, 'token', 'add', tokens, 'grafana', 'observer'], check=True,
                             capture_output=True, text=True).stdout.strip()
    check(stat.S_IMODE(os.stat(tokens).st_mode) == 0o600 and admin_tok not in open(tokens).read(),
          'the tokens file holds a token in clear or is not 0600')
    d = Daemon('main', '--listen', '127.0.0.1:0', '--tokens', tokens, '--socket-group', '65534',
               '--stream-buffer', '64', '--max-per-address', '4', '--request-timeout', '2')
    check(stat.S_IMODE(os.stat(d.sock).st_mode) == 0o660, 'socket mode')
    try:
        test_every_endpoint(d)
        test_no_loss_while_others_change(d)
        test_patch_and_hot_update(d)
        test_stalled_stream(d)
        test_roles(d, admin_tok, obs_tok)
        test_cli(d)
        test_abuse(d)
        d.stop()
        test_restart_keeps_uploads()
        test_signatures()
        test_refusals()
        test_tls()
    finally:
        for x in list(daemons):
            x.stop()
        if FAILURES and os.environ.get('EUN_KEEP_TMP'):
            print('kept ' + TMP, file=sys.stderr)
        else:
            shutil.rmtree(TMP, ignore_errors=True)
    if FAILURES:
        raise SystemExit('%d failure(s)' % len(FAILURES))
    print('all control plane checks passed')


main()
