// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
//
// What the OTLP tests expect: a LogRecord for each event of the core's own
// JSON (eun_event_to_json()), and an OTLP metrics export equal to the
// Prometheus text of the same registry.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');

const SEVERITY = {
	emergency: 23, alert: 22, critical: 21, error: 17, warning: 13, notice: 10,
	informational: 9, info: 9, debug: 5,
};
const HEADER = ['ts', 'tracker', 'type', 'pid', 'tid', 'uid', 'comm', 'cgroup_id', 'pid_ns', 'mnt_ns',
	'net_ns', 'user_ns', 'container_id', 'container_runtime', 'pod_uid'];
// Fields with a semantic-convention name (docs/otlp.md); any other is eunomia.TRACKER.FIELD.
const SPECIAL = {
	process: { ppid: 'process.parent_pid', filename: 'process.executable.path',
		args: 'process.command_line', exit_code: 'process.exit.code' },
	alert: { rule: 'security_rule.name', category: 'security_rule.category' },
};

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
		const name = (SPECIAL[ev.tracker] || {})[k] || 'eunomia.' + ev.tracker + '.' + k;
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

module.exports = { readEvents, checkRecord, checkMetrics, parseProm };
