// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
//
// `eunomia run --otlp` with real trackers and real kernel events (root):
// a uniquely named program runs a known number of times and opens a
// marker file; every event of the run's JSON output must arrive as an
// OTLP LogRecord with the same values, the execs must be exactly those
// runs, and the last OTLP metrics export must equal a Prometheus scrape of
// the same run taken after the workload.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { promisify } = require('node:util');

const { startReceiver } = require('./receiver.js');
const { records, decoded, tmpdir, sleep } = require('./harness.js');
const { readEvents, checkRecord, checkMetrics } = require('./expect.js');

const run = promisify(execFile);

function get(url) {
	return new Promise((resolve, reject) => {
		http.get(url, (res) => {
			let body = '';
			res.on('data', (d) => { body += d; });
			res.on('end', () => resolve(body));
		}).on('error', reject);
	});
}

test('eunomia run process,files --otlp: records, their values, the metrics', async () => {
	assert.equal(process.getuid(), 0, 'must run as root: it loads BPF programs');
	const cli = process.env.EUN_CLI;
	assert.ok(cli, '$EUN_CLI is not set: run the test through meson test');
	const dir = tmpdir();
	const name = 'euotlp' + (process.pid % 100000);
	const prog = path.join(dir, name);
	const marker = path.join(dir, 'marker');
	fs.copyFileSync('/bin/cat', prog);
	fs.chmodSync(prog, 0o755);
	fs.writeFileSync(marker, 'x\n');
	const r = await startReceiver();
	const t0 = Date.now();
	const eun = spawn(cli, ['run', 'process,files', '--comm', name, '--otlp',
		'http://127.0.0.1:' + r.port, '--otlp-set', 'batch_timeout_ms=100',
		'--metrics', '127.0.0.1:0', '-o', 'json:' + path.join(dir, 'events.json'), '--stats'],
	{ stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	eun.stderr.on('data', (d) => { stderr += d; });
	const exited = new Promise((resolve) => eun.on('close', (code) => resolve(code)));
	try {
		let port;
		for (let i = 0; i < 100 && !port; i++) {
			const m = /serving Prometheus metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(stderr);
			if (m) port = m[1];
			else await sleep(100);
		}
		assert.ok(port, 'eunomia never said where it serves the metrics: ' + stderr);
		const scrape = () => get('http://127.0.0.1:' + port + '/metrics');
		const execs = async () => Number((/eunomia_events_total\{tracker="process",event="exec"\} (\d+)/
			.exec(await scrape()) || [])[1] || 0);
		// The trackers start after the endpoint is up: run until one exec is counted.
		let runs = 0;
		while (await execs() === 0) {
			assert.ok(runs < 100, 'no exec of ' + name + ' was ever counted: ' + stderr);
			await run(prog, [marker]);
			runs++;
			await sleep(100);
		}
		const K = 25;
		for (let i = 0; i < K; i++) await run(prog, [marker]);
		runs += K;
		for (let i = 0; i < 50 && await execs() < runs; i++) await sleep(100);
		assert.equal(await execs(), runs, 'the exporter counted every run');
		await sleep(1000); // the last batch goes after 100 ms
		const prom = await scrape();
		eun.kill('SIGTERM');
		assert.equal(await exited, 0, 'eunomia run exited badly: ' + stderr);
		const t1 = Date.now();
		await r.close();

		const events = readEvents(path.join(dir, 'events.json'));
		const recs = records(r, (q) => q.path === '/v1/logs' && q.status === 200);
		assert.ok(decoded(r, '/v1/logs').length > 0);
		assert.equal(recs.length, events.length, 'one record per event of the JSON output');
		recs.forEach((rec, i) => checkRecord(rec, events[i], t0, t1));
		const execRecs = recs.filter((x) => x.eventName === 'process.exec');
		assert.equal(execRecs.length, runs, 'one process.exec record per run');
		for (const x of execRecs) {
			assert.deepEqual(x.attrs['process.executable.path'], ['str', prog]);
			assert.deepEqual(x.attrs['process.command_line'], ['str', prog + ' ' + marker]);
			assert.equal(x.attrs['process.parent_pid'][0], 'int');
		}
		const opens = recs.filter((x) => x.eventName === 'files.open' &&
			x.attrs['eunomia.files.path'][1] === marker);
		assert.equal(opens.length, runs, 'one open of the marker per run');
		assert.deepEqual(opens[0].attrs['eunomia.files.ret'][0], 'int');

		const exports = decoded(r, '/v1/metrics');
		assert.ok(exports.length >= 1, 'the last metrics export at shutdown');
		checkMetrics(exports[exports.length - 1].metrics[0].scopes[0].metrics, prom);
		const m = /eunomia: otlp: (\d+) log records, (\d+) sent, 0 dropped \(queue full\), 0 failed, 0 rejected;.* 0 events lost before encoding/
			.exec(stderr);
		assert.ok(m, 'the exporter\'s counters at exit: ' + stderr);
		assert.equal(Number(m[1]), events.length);
		assert.equal(Number(m[2]), events.length);
	} finally {
		if (eun.exitCode === null) eun.kill('SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
