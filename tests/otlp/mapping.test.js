// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
//
// What the exporter sends, decoded by the real OTLP schema: every event a
// LogRecord with its time, event_name, severity and each field as a typed
// attribute (checked against the core's own JSON of the same events); the
// alert mapping; the resource; the request headers and gzip; the metrics
// export against the Prometheus text of the same registry; in protobuf
// and in JSON.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startReceiver } = require('./receiver.js');
const { feed, records, decoded, tmpdir } = require('./harness.js');

const SEVERITY = {
	emergency: 23, alert: 22, critical: 21, error: 17, warning: 13, notice: 10,
	informational: 9, info: 9, debug: 5,
};
const HEADER = ['ts', 'tracker', 'type', 'pid', 'tid', 'uid', 'comm', 'cgroup_id', 'pid_ns', 'mnt_ns',
	'net_ns', 'user_ns', 'container_id', 'container_runtime', 'pod_uid'];
const ALERT_NAMES = { rule: 'security_rule.name', category: 'security_rule.category' };

// JSON lines of eun_event_to_json(), with 64-bit numbers kept exact as strings.
function readEvents(file) {
	return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) =>
		JSON.parse(l.replace(/:(-?\d{15,})([,}])/g, ':"$1"$2')));
}

// The attribute a field of the core's JSON should be, as [type, value].
function expectedAttr(v) {
	if (typeof v === 'boolean') return ['bool', v];
	if (typeof v === 'number' || /^-?\d+$/.test(v) && typeof v === 'string' && v.length >= 15)
		return ['int', String(v)];
	if (Array.isArray(v)) return ['array', v.map((e) => ['int', String(e)])];
	return ['str', v];
}

// Check one LogRecord against the event it came from.
function checkRecord(rec, ev, t0, t1) {
	const where = 'record of ' + ev.tracker + '.' + ev.type + ' ts ' + ev.ts;
	assert.equal(rec.eventName, ev.tracker + '.' + ev.type, where);
	assert.equal(rec.time, String(ev.ts), where + ': time_unix_nano is the event time');
	const observed = BigInt(rec.observed);
	assert.ok(observed >= BigInt(t0) * 1000000n && observed <= BigInt(t1) * 1000000n,
		where + ': observed_time_unix_nano ' + rec.observed + ' is not the delivery time');
	const want = {
		'process.pid': ['int', String(ev.pid)],
		'thread.id': ['int', String(ev.tid)],
		'process.real_user.id': ['int', String(ev.uid)],
		'process.executable.name': ['str', ev.comm],
	};
	for (const [k, v] of Object.entries(ev)) {
		if (HEADER.includes(k)) continue;
		if (ev.tracker === 'alert' && (k === 'output' || k === 'priority')) continue;
		const name = ev.tracker === 'alert' && ALERT_NAMES[k] ? ALERT_NAMES[k]
			: 'eunomia.' + ev.tracker + '.' + k;
		want[name] = expectedAttr(v);
		// The core's JSON escapes a byte that is not UTF-8 as \u00XX; OTLP
		// strings must be UTF-8, so the exporter writes U+FFFD instead.
		if (typeof v === 'string' && /bad/.test(v))
			want[name] = ['str', v.replace(/[\u0080-\u00ff]/g, '\ufffd')];
	}
	assert.deepEqual(rec.attrs, want, where + ': attributes');
	if (ev.tracker === 'alert') {
		assert.deepEqual(rec.body, ['str', ev.output], where + ': body is the output');
		assert.equal(rec.severityText, ev.priority, where);
		assert.equal(rec.severity, SEVERITY[ev.priority.toLowerCase()] || 0,
			where + ': severity of priority ' + ev.priority);
	} else {
		assert.equal(rec.body, null, where + ': no body');
		assert.equal(rec.severity, 9, where + ': INFO');
		assert.equal(rec.severityText, '', where);
	}
}

// Prometheus text to { 'name{k="v",...}': number } (labels sorted).
function parseProm(text) {
	const out = {};
	for (const line of text.split('\n')) {
		if (!line || line[0] === '#') continue;
		const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		assert.ok(m, 'bad exposition line ' + line);
		const labels = {};
		for (const l of (m[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
			labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
		out[key(m[1], labels)] = Number(m[3] === '+Inf' ? Infinity : m[3]);
	}
	return out;
}

function key(name, labels) {
	const l = Object.keys(labels).sort().map((k) => k + '=' + JSON.stringify(labels[k]));
	return name + '{' + l.join(',') + '}';
}

// The OTLP metrics of a request as Prometheus samples, the same way.
function otlpAsProm(metrics) {
	const out = {};
	for (const m of metrics) {
		for (const p of m.points) {
			if (m.type === 'sum') {
				assert.ok(m.monotonic && m.temporality === 2, m.name + ': cumulative monotonic sum');
				assert.ok(p.start && BigInt(p.start) <= BigInt(p.time), m.name + ': start time');
				out[key(m.name + '_total', p.attrs)] = 'int' in p ? Number(p.int) : p.double;
			} else if (m.type === 'gauge') {
				out[key(m.name, p.attrs)] = 'int' in p ? Number(p.int) : p.double;
			} else if (m.type === 'histogram') {
				assert.equal(m.temporality, 2, m.name + ': cumulative histogram');
				assert.equal(p.bucketCounts.length, p.bounds.length + 1, m.name + ': buckets');
				let cum = 0;
				p.bounds.forEach((b, i) => {
					cum += Number(p.bucketCounts[i]);
					out[key(m.name + '_bucket', Object.assign({ le: String(b) }, p.attrs))] = cum;
				});
				cum += Number(p.bucketCounts[p.bounds.length]);
				out[key(m.name + '_bucket', Object.assign({ le: '+Inf' }, p.attrs))] = cum;
				out[key(m.name + '_count', p.attrs)] = Number(p.count);
				out[key(m.name + '_sum', p.attrs)] = p.sum;
			} else {
				assert.fail(m.name + ': unexpected type ' + m.type);
			}
		}
	}
	return out;
}

// Prometheus writes le in its shortest form; compare bounds by value.
function normalizeLe(samples) {
	const out = {};
	for (const [k, v] of Object.entries(samples))
		out[k.replace(/le="([^"]+)"/, (_, le) => 'le="' + (le === '+Inf' ? le : String(Number(le))) + '"')] = v;
	return out;
}

function checkMetrics(last, promText) {
	const prom = normalizeLe(parseProm(promText));
	const otlp = normalizeLe(otlpAsProm(last));
	// The exporter's own counters move on after its last export (that
	// export's success is counted after it was encoded).
	const own = (k) => k.startsWith('eunomia_otlp_');
	const promKeys = Object.keys(prom).filter((k) => !own(k)).sort();
	const otlpKeys = Object.keys(otlp).filter((k) => !own(k)).sort();
	assert.deepEqual(otlpKeys, promKeys, 'the OTLP export has the series of the Prometheus scrape');
	for (const k of promKeys) {
		const a = otlp[k], b = prom[k];
		assert.ok(a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)),
			k + ': OTLP ' + a + ', Prometheus ' + b);
	}
	assert.ok(Object.keys(otlp).some(own), 'the exporter\'s own counters are exported too');
	assert.ok(Object.keys(prom).some(own), 'the exporter\'s own counters are in the scrape too');
}

function checkResource(res) {
	assert.equal(res['service.name'], 'eunomia');
	assert.equal(res['host.name'], os.hostname());
	if (fs.existsSync('/etc/machine-id'))
		assert.equal(res['host.id'], fs.readFileSync('/etc/machine-id', 'utf8').trim());
	assert.equal(res['os.type'], 'linux');
	assert.equal(res['host.arch'], { x64: 'amd64', arm64: 'arm64' }[os.arch()] || res['host.arch']);
	assert.ok(!('container.id' in res), 'a host resource names no container');
}

for (const protocol of ['protobuf', 'json']) {
	test('events and metrics over http/' + protocol, async () => {
		const dir = tmpdir();
		const r = await startReceiver();
		const t0 = Date.now();
		const counts = { alpha: 40, beta: 30, req: 30, tick: 10, alert: 40 };
		const total = Object.values(counts).reduce((a, b) => a + b, 0);
		const { stats } = await feed(r, ['--opt', 'protocol=' + protocol, '--opt', 'batch_items=64',
			'--opt', 'batch_timeout_ms=100', '--metrics', '--json-out', path.join(dir, 'events.json'),
			'--prom-out', path.join(dir, 'metrics.prom'),
			'--events', Object.entries(counts).map(([k, n]) => k + ':' + n).join(',')]);
		const t1 = Date.now();
		await r.close();

		assert.equal(stats.shutdown, 0, 'shutdown delivered everything in time');
		assert.equal(stats.received, total);
		assert.equal(stats.sent, total);
		for (const c of ['dropped', 'failed', 'rejected', 'points_failed', 'points_rejected'])
			assert.equal(stats[c], 0, c);

		const logs = decoded(r, '/v1/logs');
		const ctype = protocol === 'json' ? 'application/json' : 'application/x-protobuf';
		for (const q of r.requests) {
			assert.equal(q.method, 'POST');
			assert.equal(q.contentType, ctype);
			assert.equal(q.contentEncoding, 'gzip', 'gzip by default');
			assert.ok(q.wireBytes < q.bytes, 'gzip made it smaller');
			assert.match(q.userAgent, /^libeunomia-otlp\//);
			assert.equal(q.status, 200);
		}
		assert.ok(logs.length >= Math.ceil(total / 64), 'batches of at most 64 records');
		for (const q of logs) {
			assert.equal(q.logs.length, 1, 'host events: one resource');
			checkResource(q.logs[0].resource);
			assert.deepEqual(q.logs[0].scopes.map((s) => s.scope.name), ['eunomia']);
			const n = q.logs[0].scopes[0].records.length;
			assert.ok(n >= 1 && n <= 64, 'a request of ' + n + ' records');
		}

		const events = readEvents(path.join(dir, 'events.json'));
		const recs = records(r, (q) => q.path === '/v1/logs');
		assert.equal(events.length, total);
		assert.equal(recs.length, total, 'one record per event, none twice');
		// One queue, one request at a time: the records keep the events' order.
		recs.forEach((rec, i) => checkRecord(rec, events[i], t0, t1));
		const sev = new Set(recs.filter((x) => x.eventName === 'alert.match').map((x) => x.severity));
		assert.deepEqual([...sev].sort((a, b) => a - b), [0, 5, 9, 10, 13, 17, 21, 22, 23],
			'every priority, and an unknown one as UNSPECIFIED');

		const metrics = decoded(r, '/v1/metrics');
		assert.ok(metrics.length >= 1, 'a last metrics export at shutdown');
		assert.equal(metrics.length, 1, 'one export: the interval (60 s) never came');
		checkResource(metrics[0].metrics[0].resource);
		checkMetrics(metrics[0].metrics[0].scopes[0].metrics,
			fs.readFileSync(path.join(dir, 'metrics.prom'), 'utf8'));
		const points = metrics[0].metrics[0].scopes[0].metrics.reduce((n, m) => n + m.points.length, 0);
		assert.equal(stats.points_sent, points, 'every data point counted as sent');
		fs.rmSync(dir, { recursive: true });
	});
}

test('resource attributes, service name, headers, no compression, small batches', async () => {
	const r = await startReceiver();
	const { stats } = await feed(r, ['--opt', 'service_name=svc-a', '--opt',
		'resource_attributes=deployment.environment=test%2Cone, team = blue ,service.name=ignored',
		'--opt', 'headers=x-tenant=t%201,authorization=Bearer abc', '--opt', 'compression=none',
		'--opt', 'batch_items=7', '--opt', 'batch_timeout_ms=50', '--events', 'alpha:50']);
	await r.close();
	assert.equal(stats.sent, 50);
	const logs = decoded(r, '/v1/logs');
	assert.equal(logs.length, Math.ceil(50 / 7), 'requests of 7 records');
	for (const q of logs) {
		assert.equal(q.contentEncoding, '', 'compression none: no Content-Encoding');
		assert.equal(q.wireBytes, q.bytes);
		assert.equal(q.headers['x-tenant'], 't 1', '%-decoded header value');
		assert.equal(q.headers['authorization'], 'Bearer abc');
		const res = q.logs[0].resource;
		assert.equal(res['service.name'], 'svc-a', 'the service name wins over the attributes');
		assert.equal(res['deployment.environment'], 'test,one');
		assert.equal(res['team'], 'blue', 'blanks around keys and values are dropped');
		assert.ok(q.logs[0].scopes[0].records.length <= 7);
	}
});

test('batches by bytes', async () => {
	const r = await startReceiver();
	const { stats } = await feed(r, ['--opt', 'batch_bytes=2000', '--opt', 'batch_items=1000',
		'--opt', 'compression=none', '--opt', 'batch_timeout_ms=50', '--events', 'beta:60']);
	await r.close();
	assert.equal(stats.sent, 60);
	const logs = decoded(r, '/v1/logs');
	assert.ok(logs.length >= 5, logs.length + ' requests for 60 records of ~200 bytes in 2000');
	for (const q of logs)
		assert.ok(q.bytes < 2000 + 600, 'a request of ' + q.bytes + ' bytes');
});

test('flush sends what is queued and the metrics at once', async () => {
	const r = await startReceiver();
	const { stats } = await feed(r, ['--opt', 'batch_timeout_ms=600000', '--metrics', '--flush',
		'--events', 'alpha:5,req:3']);
	await r.close();
	assert.equal(stats.flush, 0);
	assert.equal(stats.sent_at_flush, 8, 'delivered by the flush, not by the batch timer');
	assert.ok(stats.points_sent_at_flush > 0, 'the flush exported the metrics');
	assert.equal(decoded(r, '/v1/metrics').length, 2, 'one export for the flush, one at shutdown');
});
