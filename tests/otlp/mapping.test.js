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
const { readEvents, checkRecord, checkMetrics } = require('./expect.js');

function checkResource(res) {
	assert.equal(res['service.name'], 'eunomia');
	assert.equal(res['host.name'], os.hostname());
	if (fs.existsSync('/etc/machine-id'))
		assert.equal(res['host.id'], fs.readFileSync('/etc/machine-id', 'utf8').trim());
	assert.equal(res['os.type'], 'linux');
	assert.equal(res['host.arch'], { x64: 'amd64', arm64: 'arm64' }[os.arch()] || res['host.arch']);
	assert.ok(!('container.id' in res), 'a host resource names no container');
}

for (const [protocol, attach] of [['protobuf', false], ['json', false], ['protobuf', true]]) {
	test('events and metrics over http/' + protocol + (attach ? ', exporter attached as a listener' : ''), async () => {
		const dir = tmpdir();
		const r = await startReceiver();
		const t0 = Date.now();
		const counts = { alpha: 40, beta: 30, req: 30, tick: 10, alert: 40 };
		const total = Object.values(counts).reduce((a, b) => a + b, 0);
		const { stats } = await feed(r, ['--opt', 'protocol=' + protocol, '--opt', 'batch_items=64',
			'--opt', 'batch_timeout_ms=100', '--metrics', '--json-out', path.join(dir, 'events.json'),
			'--prom-out', path.join(dir, 'metrics.prom'), ...(attach ? ['--attach'] : []),
			'--events', Object.entries(counts).map(([k, n]) => k + ':' + n).join(',')]);
		const t1 = Date.now();
		await r.close();

		assert.equal(stats.shutdown, 0, 'shutdown delivered everything in time');
		assert.equal(stats.received, total);
		assert.equal(stats.sent, total);
		for (const c of ['dropped', 'failed', 'rejected', 'points_failed', 'points_rejected', 'bus_dropped'])
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
