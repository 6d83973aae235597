// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
//
// An OTLP/HTTP receiver for the tests: a node:http server on 127.0.0.1
// that decodes every request with the protobufjs root bundled in
// @opentelemetry/otlp-transformer 0.57.2 (protobuf) or JSON.parse +
// fromObject (JSON), and keeps each one in a plain form the tests read.
// That schema predates LogRecord.event_name (field 12), which is read
// from the raw bytes. Answers follow a script: 200 by default, or the
// next scripted answer (status, Retry-After, error message, partial success).
//
// As a module: const r = await startReceiver(); r.port, r.requests,
// r.script([{ status: 503, retryAfter: 1 }, { partial: { rejected: 3 } }, { hang: true }], path),
// await r.stop(), await r.restart(), await r.close().
// As a program: node receiver.js PORT_FILE OUT_FILE writes the port it
// listens on to PORT_FILE and one JSON line per request to OUT_FILE,
// until SIGTERM.
'use strict';

const http = require('node:http');
const zlib = require('node:zlib');
const fs = require('node:fs');

let root;
try {
	root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
} catch (e) {
	throw new Error('the test receiver needs @opentelemetry/otlp-transformer 0.57.2: ' +
		'run "npm ci --prefix tests/otlp" (scripts/test does): ' + e.message);
}
const protobuf = require('protobufjs/minimal');

const proto = root.opentelemetry.proto;
const LogsRequest = proto.collector.logs.v1.ExportLogsServiceRequest;
const LogsResponse = proto.collector.logs.v1.ExportLogsServiceResponse;
const MetricsRequest = proto.collector.metrics.v1.ExportMetricsServiceRequest;
const MetricsResponse = proto.collector.metrics.v1.ExportMetricsServiceResponse;

const toObjectOptions = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true };

// The event_name (field 12) of every LogRecord, in order, from the raw request.
function eventNames(buf) {
	const names = [];
	// Calls fn(field, reader, end) for each length-delimited field of the message in [pos, end).
	const fields = (r, end, fn) => {
		while (r.pos < end) {
			const key = r.uint32();
			if ((key & 7) === 2) {
				const len = r.uint32();
				const stop = r.pos + len;
				fn(key >>> 3, r, stop);
				r.pos = stop;
			} else {
				r.skipType(key & 7);
			}
		}
	};
	const r = protobuf.Reader.create(buf);
	fields(r, buf.length, (f, r, end) => {
		if (f !== 1) return; // ResourceLogs
		fields(r, end, (f, r, end) => {
			if (f !== 2) return; // ScopeLogs
			fields(r, end, (f, r, end) => {
				if (f !== 2) return; // LogRecord
				let name;
				fields(r, end, (f, r, end) => {
					if (f === 12) name = r.buf.toString('utf8', r.pos, end);
				});
				names.push(name);
			});
		});
	});
	return names;
}

// An AnyValue as [type, value]: int values as decimal strings.
function anyValue(v) {
	if (v === undefined || v === null) return ['none', null];
	if ('stringValue' in v) return ['str', v.stringValue];
	if ('intValue' in v) return ['int', String(v.intValue)];
	if ('boolValue' in v) return ['bool', v.boolValue];
	if ('doubleValue' in v) return ['double', v.doubleValue];
	if ('arrayValue' in v) return ['array', (v.arrayValue.values || []).map(anyValue)];
	if ('kvlistValue' in v) return ['kvlist', attrMap(v.kvlistValue.values)];
	if ('bytesValue' in v) return ['bytes', v.bytesValue];
	return ['none', null];
}

function attrMap(list) {
	const out = {};
	for (const kv of list || []) {
		if (kv.key in out) throw new Error('attribute ' + kv.key + ' is given twice');
		out[kv.key] = anyValue(kv.value);
	}
	return out;
}

function plainResource(res) {
	const attrs = attrMap(res && res.attributes);
	const out = {};
	for (const [k, [t, v]] of Object.entries(attrs))
		out[k] = t === 'str' ? v : [t, v];
	return out;
}

// ExportLogsServiceRequest (toObject form) to the tests' form.
function plainLogs(obj, names) {
	let i = 0;
	return (obj.resourceLogs || []).map((rl) => ({
		resource: plainResource(rl.resource),
		scopes: (rl.scopeLogs || []).map((sl) => ({
			scope: sl.scope || {},
			records: (sl.logRecords || []).map((lr) => ({
				eventName: names[i++],
				time: lr.timeUnixNano,
				observed: lr.observedTimeUnixNano,
				severity: lr.severityNumber || 0,
				severityText: lr.severityText || '',
				body: lr.body ? anyValue(lr.body) : null,
				attrs: attrMap(lr.attributes),
			})),
		})),
	}));
}

function plainPoint(p) {
	const attrs = {};
	for (const [k, [, v]] of Object.entries(attrMap(p.attributes))) attrs[k] = v;
	const out = { attrs, start: p.startTimeUnixNano, time: p.timeUnixNano };
	if ('asInt' in p) out.int = String(p.asInt);
	if ('asDouble' in p) out.double = p.asDouble;
	if ('count' in p) {
		out.count = String(p.count);
		out.sum = p.sum;
		out.bucketCounts = (p.bucketCounts || []).map(String);
		out.bounds = p.explicitBounds || [];
	}
	return out;
}

function plainMetrics(obj) {
	return (obj.resourceMetrics || []).map((rm) => ({
		resource: plainResource(rm.resource),
		scopes: (rm.scopeMetrics || []).map((sm) => ({
			scope: sm.scope || {},
			metrics: (sm.metrics || []).map((m) => {
				const data = m.sum || m.gauge || m.histogram || {};
				return {
					name: m.name,
					description: m.description || '',
					unit: m.unit || '',
					type: m.sum ? 'sum' : m.gauge ? 'gauge' : m.histogram ? 'histogram' : 'other',
					monotonic: !!(m.sum && m.sum.isMonotonic),
					temporality: data.aggregationTemporality || 0,
					points: (data.dataPoints || []).map(plainPoint),
				};
			}),
		})),
	}));
}

// JSON bodies: OTLP/JSON writes 64-bit integers as decimal strings; check
// that the int64 members are strings, then decode through fromObject.
function checkJsonInts(v, path) {
	const int64 = new Set(['timeUnixNano', 'observedTimeUnixNano', 'startTimeUnixNano', 'intValue',
		'asInt', 'count']);
	if (Array.isArray(v)) v.forEach((e, i) => checkJsonInts(e, path + '[' + i + ']'));
	else if (v && typeof v === 'object') {
		for (const [k, e] of Object.entries(v)) {
			if (int64.has(k) && typeof e !== 'string')
				throw new Error('OTLP/JSON ' + path + '.' + k + ' must be a decimal string, not ' +
					JSON.stringify(e));
			if (k === 'bucketCounts' && !e.every((c) => typeof c === 'string'))
				throw new Error('OTLP/JSON ' + path + '.bucketCounts must be strings');
			checkJsonInts(e, path + '.' + k);
		}
	}
}

function jsonEventNames(obj) {
	const names = [];
	for (const rl of obj.resourceLogs || [])
		for (const sl of rl.scopeLogs || [])
			for (const lr of sl.logRecords || []) names.push(lr.eventName);
	return names;
}

// Decode one request body into the tests' form (throws on a bad body).
function decode(path, contentType, raw) {
	const json = /json/.test(contentType || '');
	if (path === '/v1/logs') {
		if (json) {
			const obj = JSON.parse(raw.toString('utf8'));
			checkJsonInts(obj, 'request');
			const msg = LogsRequest.fromObject(obj);
			return { logs: plainLogs(LogsRequest.toObject(msg, toObjectOptions), jsonEventNames(obj)) };
		}
		const msg = LogsRequest.decode(raw);
		return { logs: plainLogs(LogsRequest.toObject(msg, toObjectOptions), eventNames(raw)) };
	}
	if (path === '/v1/metrics') {
		let msg;
		if (json) {
			const obj = JSON.parse(raw.toString('utf8'));
			checkJsonInts(obj, 'request');
			msg = MetricsRequest.fromObject(obj);
		} else {
			msg = MetricsRequest.decode(raw);
		}
		return { metrics: plainMetrics(MetricsRequest.toObject(msg, toObjectOptions)) };
	}
	throw new Error('unexpected path ' + path);
}

// A google.rpc.Status with code and message, in protobuf or JSON.
function statusBody(json, code, message) {
	if (json) return Buffer.from(JSON.stringify({ code, message }));
	const w = protobuf.Writer.create();
	w.uint32(8).int32(code);
	w.uint32(18).string(message);
	return Buffer.from(w.finish());
}

// A success answer, with a partial success if given.
function successBody(json, path, partial) {
	const metrics = path === '/v1/metrics';
	const Response = metrics ? MetricsResponse : LogsResponse;
	const body = {};
	if (partial) {
		body.partialSuccess = { errorMessage: partial.message || '' };
		body.partialSuccess[metrics ? 'rejectedDataPoints' : 'rejectedLogRecords'] = partial.rejected;
	}
	if (json) {
		if (partial) body.partialSuccess[metrics ? 'rejectedDataPoints' : 'rejectedLogRecords'] =
			String(partial.rejected);
		return Buffer.from(JSON.stringify(body));
	}
	return Buffer.from(Response.encode(Response.fromObject(body)).finish());
}

function startReceiver(opts = {}) {
	const state = {
		port: 0,
		requests: [], // every request, answered or not, in arrival order
		answers: {},  // the script: path (or '*') -> answers still to give
		server: null,
		sockets: new Set(),
		onRequest: null,
	};

	const handler = (req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const t = Date.now();
			const wire = Buffer.concat(chunks);
			const ctype = req.headers['content-type'] || '';
			const json = /json/.test(ctype);
			const entry = {
				t, path: req.url, method: req.method, contentType: ctype,
				contentEncoding: req.headers['content-encoding'] || '',
				userAgent: req.headers['user-agent'] || '', headers: req.headers,
				wireBytes: wire.length,
			};
			try {
				const raw = entry.contentEncoding === 'gzip' ? zlib.gunzipSync(wire) : wire;
				entry.bytes = raw.length;
				Object.assign(entry, decode(req.url, ctype, raw));
			} catch (e) {
				entry.error = String(e && e.message || e);
			}
			const queue = (state.answers[req.url] || []).length ? state.answers[req.url] :
				state.answers['*'] || [];
			const answer = entry.error ? { status: 400, message: entry.error } :
				queue.length ? queue.shift() : { status: 200 };
			entry.status = answer.status || 200;
			entry.answer = answer;
			state.requests.push(entry);
			if (state.onRequest) state.onRequest(entry);
			if (answer.hang) return; // never answer: the client's timeout must act
			const headers = { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' };
			if (answer.retryAfter !== undefined) headers['Retry-After'] = String(answer.retryAfter);
			let body;
			if (entry.status === 200) body = successBody(json, req.url, answer.partial);
			else body = statusBody(json, answer.code || 3, answer.message || 'scripted ' + entry.status);
			res.writeHead(entry.status, headers);
			res.end(body);
		});
	};

	const listen = (port) => new Promise((resolve, reject) => {
		state.server = http.createServer(handler);
		state.server.keepAliveTimeout = 30000;
		state.server.on('connection', (s) => {
			state.sockets.add(s);
			s.on('close', () => state.sockets.delete(s));
		});
		state.server.once('error', reject);
		state.server.listen(port, '127.0.0.1', () => {
			state.port = state.server.address().port;
			resolve();
		});
	});

	const api = {
		get port() { return state.port; },
		get requests() { return state.requests; },
		set onRequest(fn) { state.onRequest = fn; },
		// Answers for the next requests to path ('*': any path without its own).
		script(answers, path = '*') { (state.answers[path] = state.answers[path] || []).push(...answers); },
		// Stop listening and cut every connection, as a killed receiver would.
		stop() {
			return new Promise((resolve) => {
				state.server.close(() => resolve());
				for (const s of state.sockets) s.destroy();
			});
		},
		restart() { return listen(state.port); },
		close() { return api.stop(); },
	};
	return listen(opts.port || 0).then(() => api);
}

module.exports = { startReceiver, eventNames };

if (require.main === module) {
	const [portFile, outFile] = process.argv.slice(2);
	if (!portFile || !outFile) {
		console.error('usage: node receiver.js PORT_FILE OUT_FILE');
		process.exit(2);
	}
	startReceiver().then((r) => {
		const out = fs.openSync(outFile, 'a');
		r.onRequest = (e) => {
			const copy = Object.assign({}, e);
			delete copy.headers;
			fs.writeSync(out, JSON.stringify(copy) + '\n');
		};
		fs.writeFileSync(portFile + '.tmp', String(r.port));
		fs.renameSync(portFile + '.tmp', portFile);
		const quit = () => r.close().then(() => { fs.closeSync(out); process.exit(0); });
		process.on('SIGTERM', quit);
		process.on('SIGINT', quit);
	});
}
