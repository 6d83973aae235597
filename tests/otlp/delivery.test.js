// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
//
// Delivery as the OTLP/HTTP spec and the Collector's exporterhelper do it,
// against a receiver that answers on cue: 503 with Retry-After (seconds
// and HTTP-date), 429/502/504 retried with backoff, 400 and 500 not
// retried, partial success counted and not retried, retries giving up
// after their total time, a receiver that never answers (the request
// timeout, the bounded shutdown), and a receiver killed for 10 s under
// load: the queue fills, drops are counted exactly, delivery resumes.
// Every record carries a sequence number, so loss and duplication are
// counted against the exporter's own counters.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');

const { startReceiver } = require('./receiver.js');
const { feed, records, decoded, seqOf, sleep } = require('./harness.js');

// Small backoffs, so that the tests run in seconds; Retry-After waits are
// 1 s and up, so a wait that long is Retry-After's doing.
const FAST = ['--opt', 'retry_initial_ms=100', '--opt', 'retry_max_interval_ms=300',
	'--opt', 'batch_timeout_ms=50'];

// Sequence numbers of the records of request q.
const seqs = (q) => records({ requests: [q] }).map(seqOf);

// The invariant of the counters after shutdown.
function balanced(stats) {
	assert.equal(stats.received, stats.sent + stats.dropped + stats.failed + stats.rejected,
		'received = sent + dropped + failed + rejected: ' + JSON.stringify(stats));
	assert.equal(stats.queue_items, 0);
	assert.equal(stats.queue_bytes, 0);
}

test('503 with Retry-After in seconds, then as an HTTP-date: retried after the wait', async () => {
	const r = await startReceiver();
	r.script([{ status: 503, retryAfter: 1 }, { status: 503, retryAfter: 2 }], '/v1/logs');
	let { stats } = await feed(r, [...FAST, '--opt', 'batch_items=100', '--events', 'alpha:20']);
	let logs = decoded(r, '/v1/logs');
	assert.deepEqual(logs.map((q) => q.status), [503, 503, 200]);
	assert.deepEqual(seqs(logs[1]), seqs(logs[0]), 'the same records again');
	assert.deepEqual(seqs(logs[2]), seqs(logs[0]));
	assert.ok(logs[1].t - logs[0].t >= 950, 'waited Retry-After: 1 (' + (logs[1].t - logs[0].t) + ' ms)');
	assert.ok(logs[2].t - logs[1].t >= 1950, 'waited Retry-After: 2 (' + (logs[2].t - logs[1].t) + ' ms)');
	assert.equal(stats.sent, 20);
	assert.equal(stats.retries, 2);
	assert.equal(stats.requests, 3);
	balanced(stats);
	await r.close();

	const d = await startReceiver();
	d.script([{ status: 503, retryAfter: new Date(Date.now() + 2500).toUTCString() }], '/v1/logs');
	({ stats } = await feed(d, [...FAST, '--events', 'alpha:5']));
	logs = decoded(d, '/v1/logs');
	assert.deepEqual(logs.map((q) => q.status), [503, 200]);
	assert.ok(logs[1].t - logs[0].t >= 900, 'waited for the HTTP-date (' + (logs[1].t - logs[0].t) + ' ms)');
	assert.equal(stats.sent, 5);
	balanced(stats);
	await d.close();
});

test('429, 502 and 504 are retried with backoff; nothing lost or doubled', async () => {
	const r = await startReceiver();
	r.script([{ status: 429 }, { status: 502 }, { status: 504 }], '/v1/logs');
	const { stats } = await feed(r, [...FAST, '--opt', 'batch_items=10', '--events', 'alpha:30']);
	await r.close();
	const logs = decoded(r, '/v1/logs');
	assert.deepEqual(logs.slice(0, 4).map((q) => q.status), [429, 502, 504, 200]);
	for (let i = 1; i < 4; i++) {
		const gap = logs[i].t - logs[i - 1].t;
		assert.ok(gap >= 40 && gap < 900, 'a backoff wait of ' + gap + ' ms (100 ms +/- 50%, growing to 300)');
	}
	const got = records({ requests: logs.filter((q) => q.status === 200) }).map(seqOf);
	assert.deepEqual(got.slice().sort((a, b) => a - b), [...Array(30).keys()], 'each record once');
	assert.equal(stats.sent, 30);
	assert.equal(stats.retries, 3);
	balanced(stats);
});

test('400 and 500 are not retried: their records are counted as failed, the rest delivered', async () => {
	const r = await startReceiver();
	r.script([{ status: 400, message: 'bad request on cue' }, { status: 200 }, { status: 500 }],
		'/v1/logs');
	const { stats, stderr } = await feed(r, [...FAST, '--opt', 'batch_items=10', '--events', 'alpha:40']);
	await r.close();
	const logs = decoded(r, '/v1/logs');
	assert.deepEqual(logs.map((q) => q.status), [400, 200, 500, 200]);
	const all = logs.map(seqs).flat();
	assert.equal(new Set(all).size, 40, 'no batch was sent twice');
	assert.equal(stats.failed, 20);
	assert.equal(stats.sent, 20);
	assert.equal(stats.retries, 0);
	assert.match(stderr, /HTTP 400: bad request on cue/, 'the receiver\'s message is logged');
	balanced(stats);
});

test('partial success: rejected records counted, not retried', async () => {
	const r = await startReceiver();
	r.script([{ partial: { rejected: 3, message: 'three bad records' } }], '/v1/logs');
	r.script([{ partial: { rejected: 2, message: 'two bad points' } }], '/v1/metrics');
	const { stats, stderr } = await feed(r, [...FAST, '--opt', 'batch_items=10', '--metrics',
		'--events', 'alpha:25,tick:5']);
	await r.close();
	const logs = decoded(r, '/v1/logs');
	assert.equal(logs.length, 3, 'three batches, none sent again');
	assert.equal(stats.rejected, 3);
	assert.equal(stats.sent, 27);
	assert.equal(stats.retries, 0);
	assert.equal(stats.points_rejected, 2);
	assert.ok(stats.points_sent > 0);
	assert.match(stderr, /rejected 3 of 10 log records: three bad records/);
	balanced(stats);
});

test('partial success in OTLP/JSON', async () => {
	const r = await startReceiver();
	r.script([{ partial: { rejected: 4, message: 'json partial' } }], '/v1/logs');
	const { stats } = await feed(r, [...FAST, '--opt', 'protocol=json', '--events', 'beta:12']);
	await r.close();
	assert.equal(stats.rejected, 4);
	assert.equal(stats.sent, 8);
	balanced(stats);
});

test('retries stop after their total time; no_retry stops at once', async () => {
	const r = await startReceiver();
	r.script(Array(50).fill({ status: 503 }), '/v1/logs');
	const { stats, ms } = await feed(r, [...FAST, '--opt', 'retry_max_elapsed_ms=700',
		'--opt', 'batch_items=100', '--events', 'alpha:10']);
	await r.close();
	const logs = decoded(r, '/v1/logs');
	assert.ok(logs.length >= 3, logs.length + ' tries');
	assert.ok(logs[logs.length - 1].t - logs[0].t <= 800, 'no try after 700 ms');
	assert.equal(stats.failed, 10);
	assert.equal(stats.sent, 0);
	assert.equal(stats.retries, logs.length - 1);
	assert.ok(ms < 5000);
	balanced(stats);

	const n = await startReceiver();
	n.script(Array(5).fill({ status: 503 }), '/v1/logs');
	const once = await feed(n, [...FAST, '--opt', 'no_retry=1', '--events', 'alpha:10']);
	await n.close();
	assert.equal(decoded(n, '/v1/logs').length, 1);
	assert.equal(once.stats.failed, 10);
	assert.equal(once.stats.retries, 0);
});

test('connection refused is retried, then given up', async () => {
	// A port nobody listens on: take one, then close it.
	const port = await new Promise((resolve) => {
		const s = net.createServer().listen(0, '127.0.0.1', () => {
			const p = s.address().port;
			s.close(() => resolve(p));
		});
	});
	const { stats, stderr } = await feed(null, [...FAST, '--opt', 'retry_max_elapsed_ms=600',
		'--events', 'alpha:8'], { endpoint: 'http://127.0.0.1:' + port });
	assert.equal(stats.failed, 8);
	assert.ok(stats.retries >= 2, stats.retries + ' retries');
	assert.match(stderr, /cannot send logs to http:\/\/127\.0\.0\.1:\d+\/v1\/logs \(.*[Cc]onnect/);
	balanced(stats);
});

test('a receiver that never answers: the request timeout, then a bounded shutdown', async () => {
	const r = await startReceiver();
	r.script(Array(20).fill({ hang: true }), '/v1/logs');
	const { stats, ms } = await feed(r, [...FAST, '--opt', 'timeout_ms=400',
		'--opt', 'shutdown_timeout_ms=1500', '--events', 'alpha:10']);
	await r.close();
	assert.equal(stats.shutdown, -110, 'eun_otlp_shutdown() says -ETIMEDOUT');
	assert.equal(stats.failed, 10, 'what could not be delivered is counted');
	assert.ok(ms < 1500 + 400 + 1500, 'shutdown took ' + ms + ' ms');
	assert.ok(decoded(r, '/v1/logs').length >= 2, 'timed-out requests are retried');
	balanced(stats);
});

// The receiver goes away for 10 s while events keep coming at 1000/s: the
// queue (2000 records) fills, the rest is dropped and counted, and once
// the receiver is back the queue drains. Every sequence number is either
// received or accounted for as a drop.
for (const policy of ['newest', 'oldest']) {
	test('receiver killed for 10 s under load, drop ' + policy, async () => {
		const r = await startReceiver();
		const N = 14000;
		const run = feed(r, ['--opt', 'retry_initial_ms=100', '--opt', 'retry_max_interval_ms=500',
			'--opt', 'batch_timeout_ms=100', '--opt', 'batch_items=200', '--opt', 'queue_items=2000',
			'--opt', 'drop=' + policy, '--opt', 'timeout_ms=1000', '--rate', '1000',
			'--events', 'alpha:' + N]);
		await sleep(2000);
		await r.stop();
		const down = Date.now();
		await sleep(10000);
		await r.restart();
		const up = Date.now();
		const { stats, stderr } = await run;
		await r.close();

		const ok = r.requests.filter((q) => q.status === 200 && q.path === '/v1/logs');
		const got = new Map();
		for (const q of ok)
			for (const s of seqs(q)) got.set(s, (got.get(s) || 0) + 1);
		// A request cut off by the kill may have been read but not
		// answered: it is sent again (at-least-once), never lost.
		assert.equal(got.size, stats.sent, 'distinct records received = sent');
		assert.equal(N - got.size, stats.dropped, 'every record not received was counted as a drop');
		assert.equal(stats.received, N);
		assert.equal(stats.failed, 0);
		assert.ok(stats.dropped > 5000 && stats.dropped < 10000,
			stats.dropped + ' dropped: about 10 s of events less a 2000-record queue');
		assert.ok(ok.some((q) => q.t >= up), 'delivery resumed after the restart');
		assert.ok(!ok.some((q) => q.t > down + 200 && q.t < up), 'nothing delivered while down');
		assert.match(stderr, /log records dropped: the queue is full/);
		const max = Math.max(...got.keys());
		assert.equal(max, N - 1, 'the last events arrived');
		if (policy === 'oldest') {
			// What was queued when the receiver came back is the newest 2000.
			const late = [...got.keys()].filter((s) => s >= 2000 && s < 12000).length;
			assert.ok(late <= 2000 + 3 * 200 + 500, late + ' records of the outage kept: at most the queue');
		}
		balanced(stats);
	});
}
