// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
//
// The checks of runc_resources.sh: what receiver.js wrote (one decoded
// request per line) against the run's JSON output.
//
// usage: node check_resources.js REQUESTS.jsonl EVENTS.json CONTAINER_ID POD_UID
//                                MARKER_IN_CONTAINER MARKER_ON_HOST
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');

const { readEvents } = require('./expect.js');

const [reqFile, eventsFile, id, pod, inside, outside] = process.argv.slice(2);
const requests = fs.readFileSync(reqFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const events = readEvents(eventsFile);

for (const q of requests) {
	assert.equal(q.error, undefined, 'the receiver could not decode a request: ' + q.error);
	assert.equal(q.status, 200);
}
const logs = requests.filter((q) => q.path === '/v1/logs');
assert.ok(logs.length > 0, 'no logs request arrived');

// Every event of the JSON output, by what identifies it.
const byKey = new Map();
for (const e of events) {
	const k = e.ts + '/' + e.pid + '/' + e.tracker + '.' + e.type;
	byKey.set(k, (byKey.get(k) || []).concat([e]));
}

let inContainer = 0, onHost = 0, ctrOpens = 0, hostOpens = 0, n = 0;
let ctrResource;
for (const q of logs) {
	const seen = new Set();
	for (const rl of q.logs) {
		const res = rl.resource;
		const key = JSON.stringify(res);
		assert.ok(!seen.has(key), 'two ResourceLogs for one resource in a request: ' + key);
		seen.add(key);
		for (const sl of rl.scopes) {
			for (const rec of sl.records) {
				n++;
				const k = rec.time + '/' + rec.attrs['process.pid'][1] + '/' + rec.eventName;
				const matches = byKey.get(k);
				assert.ok(matches && matches.length, 'a record no event of the JSON output has: ' + k);
				const ev = matches.shift();
				assert.equal(res['container.id'] || '', ev.container_id,
					k + ': the resource is not the container of the event');
				assert.equal(res['k8s.pod.uid'] || '', ev.pod_uid, k + ': pod uid');
				const path = rec.attrs['eunomia.files.path'];
				if (ev.container_id === id) {
					inContainer++;
					ctrResource = res;
					if (rec.eventName === 'files.open' && path[1] === inside) ctrOpens++;
				} else if (!ev.container_id) {
					onHost++;
					if (rec.eventName === 'files.open' && path[1] === outside) hostOpens++;
				}
			}
		}
	}
}
assert.equal(n, events.length, 'one record per event of the JSON output');
assert.ok(inContainer > 0, 'no record of the container');
assert.ok(onHost > 0, 'no record of the host');
assert.ok(ctrOpens > 0, 'no open of ' + inside + ' inside the container');
assert.ok(hostOpens > 0, 'no open of ' + outside + ' on the host');
const want = {
	'container.id': id,
	'container.runtime.name': 'runc',
	'container.name': 'eun-otlp',
	'container.image.name': 'busybox',
	'container.image.tags': ['array', [['str', 'eun']]],
	'k8s.pod.uid': pod,
};
for (const [k, v] of Object.entries(want))
	assert.deepEqual(ctrResource[k], v, 'the container resource\'s ' + k);
assert.equal(ctrResource['service.name'], 'eunomia');
console.log('ok: ' + n + ' records, ' + inContainer + ' in the resource of container ' +
	id.slice(0, 12) + ' (pod ' + pod + '), ' + onHost + ' in the host\'s');
