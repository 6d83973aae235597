// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
//
// What the OTLP tests share: running otlp_feed (built by meson, named by
// $EUN_OTLP_FEED, with the test plugins of $EUN_OTLP_FIXTURES) against a
// receiver, and reading what the receiver got.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function need(name) {
	const v = process.env[name];
	if (!v) throw new Error('$' + name + ' is not set: run the OTLP tests through meson test');
	return v;
}

// Run otlp_feed with args against receiver r. Resolves with its counters
// (the JSON it prints), its stderr and its wall time in ms.
function feed(r, args, opts = {}) {
	const bin = need('EUN_OTLP_FEED');
	const fixtures = need('EUN_OTLP_FIXTURES').split(':');
	const endpoint = opts.endpoint || 'http://127.0.0.1:' + r.port;
	const start = Date.now();
	return new Promise((resolve, reject) => {
		const p = spawn(bin, ['--endpoint', endpoint, ...args, ...fixtures],
			{ stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '', err = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { err += d; });
		p.on('error', reject);
		p.on('close', (code) => {
			if (code !== 0) return reject(new Error('otlp_feed exited with ' + code + ': ' + err));
			try {
				resolve({ stats: JSON.parse(out), stderr: err, ms: Date.now() - start });
			} catch (e) {
				reject(new Error('otlp_feed printed no JSON: ' + out + err));
			}
		});
	});
}

// Every log record the receiver decoded, with the resource it came under.
function records(r, filter = () => true) {
	const out = [];
	for (const q of r.requests.filter(filter)) {
		for (const rl of q.logs || [])
			for (const sl of rl.scopes)
				for (const rec of sl.records) out.push(Object.assign({ resource: rl.resource }, rec));
	}
	return out;
}

// The requests to path that the receiver could decode; throws on any it could not.
function decoded(r, p) {
	const bad = r.requests.filter((q) => q.error);
	if (bad.length) throw new Error('the receiver could not decode a request: ' + bad[0].error);
	return r.requests.filter((q) => q.path === p);
}

function tmpdir() {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'eun-otlp-'));
}

// The sequence number each fixture record carries (see otlp_feed.c).
function seqOf(rec) {
	const a = rec.attrs;
	const v = a['eunomia.fixture.big'] || a['eunomia.alert.seq'] || a['eunomia.mfix.bytes'] ||
		a['eunomia.mfix.n'] || a['eunomia.fixture.flags'];
	return v ? Number(v[1]) : undefined;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { feed, records, decoded, tmpdir, seqOf, sleep };
