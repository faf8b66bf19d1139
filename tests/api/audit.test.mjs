// audit.test.mjs: the audit trail over the API: auditors read it (filtered by case, user and
// time, in pages), export it as NDJSON and verify it; nobody else may; sign-ins, failed sign-ins,
// refusals, staff reads and document downloads are recorded; no entry holds what people wrote or a
// password; the public key verifies the signed heads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, api, login, QIAOD } from './lib/server.mjs';

const MARK = 'MARKER-7F3A';
const WRONG = `wrong-${MARK}-pw`;
let srv;
const T = {};
const U = {}; // user ids
let C; // a case of resident.li
let D; // a document of C
let tFiled; // a time (Unix seconds) just before C was filed

before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'resident.chan', 'officer.hq', 'auditor', 'admin']) {
    const l = await login(srv, u);
    T[u] = l.token;
    U[u] = l.user.id;
  }
  // a failed sign-in of a known user and of an unknown name, both with a marked password
  for (const username of ['resident.chan', 'nobody.at.all']) {
    const r = await api(srv, 'POST', '/api/v1/auth/login', { body: { username, password: WRONG } });
    assert.equal(r.status, 401, r.text);
  }
  tFiled = Math.floor(Date.now() / 1000);
  const f = await call('POST', '/api/v1/cases', 'resident.li', {
    center: 'HQ', type: 'family', subtype: 'divorce', title: `离婚 ${MARK}`, summary: `摘要 ${MARK}`,
    applicants: [{ name: `李${MARK}`, phone: '+853 6679 1357' }], respondents: [{ name: `黃${MARK}` }],
    claims: [{ description: MARK }], consent: { mediation: true }, submit: true });
  assert.equal(f.status, 201, f.text);
  C = f.json.id;
  const fd = new FormData();
  fd.append('file', new Blob([`%PDF-1.4\n(${MARK})\n%%EOF\n`]), 'e.pdf');
  fd.append('title', `证据 ${MARK}`);
  fd.append('kind', 'evidence');
  const up = await fetch(`${srv.url}/api/v1/cases/${C}/documents`,
    { method: 'POST', headers: { Authorization: `Bearer ${T['resident.li']}` }, body: fd });
  assert.equal(up.status, 201);
  D = (await up.json()).id;
  // a staff read and a download by the officer
  assert.equal((await call('GET', `/api/v1/cases/${C}`, 'officer.hq')).status, 200);
  const dl = await fetch(`${srv.url}/api/v1/cases/${C}/documents/${D}`,
    { headers: { Authorization: `Bearer ${T['officer.hq']}` } });
  assert.equal(dl.status, 200);
  await dl.arrayBuffer();
  // refusals: another resident's case, an officer's event, the audit trail itself
  assert.equal((await call('GET', `/api/v1/cases/${C}`, 'resident.chan')).status, 404);
  assert.equal((await call('POST', `/api/v1/cases/${C}/events`, 'resident.li',
    { event: 'accept' })).status, 403);
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body) => api(srv, method, path, { token: T[who], body });

function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
}

// Every entry matching the query (all pages, 500 at a time).
async function entries(query = '') {
  const out = [];
  let cursor = null;
  for (;;) {
    const r = await call('GET', `/api/v1/audit?limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`,
      'auditor');
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items);
    if (!r.json.next_cursor) return out;
    cursor = r.json.next_cursor;
  }
}

test('only auditors read, export and verify the trail; the refusal is itself recorded', async () => {
  for (const who of ['resident.li', 'officer.hq', 'admin']) {
    for (const p of ['/api/v1/audit', '/api/v1/audit/export', '/api/v1/audit/verify']) {
      err(await call('GET', p, who), 403, 'auth.forbidden');
    }
  }
  err(await api(srv, 'GET', '/api/v1/audit'), 401, 'auth.required');
  const mine = await entries(`&user=${U['resident.li']}`);
  const refused = mine.filter((e) => e.action === 'access_refused' && e.object_type === 'route');
  assert.ok(refused.some((e) => e.outcome === 'refused' && e.detail === '/api/v1/audit'
    && e.actor_role === 'resident'), JSON.stringify(refused));
});

test('entries have their fields; filtered by case they are that case\'s, in order', async () => {
  const all = await entries(`&case=${C}`);
  assert.ok(all.length >= 5);
  for (const e of all) {
    assert.deepEqual(Object.keys(e).sort(), ['action', 'actor', 'actor_id', 'actor_role', 'client_addr',
      'detail', 'hash', 'object_id', 'object_type', 'outcome', 'prev_hash', 'seq', 'ts'].sort());
    assert.equal(e.object_type, 'case');
    assert.equal(e.object_id, C);
    assert.match(e.hash, /^[0-9a-f]{64}$/);
  }
  const seqs = all.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  const acts = all.map((e) => `${e.action}:${e.outcome}`);
  for (const want of ['create:ok', 'submit:ok', 'document_upload:ok', 'case_read:ok',
    'document_download:ok', 'access_refused:refused', 'event_refused:refused']) {
    assert.ok(acts.includes(want), `${want} in ${acts}`);
  }
  const read = all.find((e) => e.action === 'case_read');
  assert.deepEqual([read.actor_id, read.actor_role], [U['officer.hq'], 'case_officer']);
  const refused = all.find((e) => e.action === 'access_refused');
  assert.deepEqual([refused.actor_id, refused.actor_role], [U['resident.chan'], 'resident']);
  const ev = all.find((e) => e.action === 'event_refused');
  assert.deepEqual([ev.actor_id, ev.detail], [U['resident.li'], 'accept']);
  assert.equal(all.find((e) => e.action === 'create').actor_id, U['resident.li']);
});

test('filtered by user and by time', async () => {
  const off = await entries(`&user=${U['officer.hq']}`);
  assert.ok(off.length >= 3);
  for (const e of off) assert.equal(e.actor_id, U['officer.hq']);
  const now = Math.floor(Date.now() / 1000);
  const since = await entries(`&from=${tFiled}`);
  assert.ok(since.some((e) => e.action === 'create' && e.object_id === C));
  for (const e of since) assert.ok(e.ts >= tFiled);
  const upTo = await entries(`&to=${tFiled - 1}`);
  for (const e of upTo) assert.ok(e.ts <= tFiled - 1);
  assert.ok(!upTo.some((e) => e.action === 'create' && e.object_id === C));
  assert.deepEqual(await entries(`&from=${now + 3600}`), []);
  // combined: the case, the officer, the window
  const both = await entries(`&case=${C}&user=${U['officer.hq']}&from=${tFiled}&to=${now + 60}`);
  assert.deepEqual([...new Set(both.map((e) => e.action))].sort(), ['case_read', 'document_download']);
});

test('bad filters and pages are refused; pages follow each other', async () => {
  // case and user may be named (a case number, a user name): unknown ones are refused as such
  const r = await call('GET', '/api/v1/audit?case=abc&user=-1&from=1.5', 'auditor');
  err(r, 400, 'request.invalid_query');
  assert.deepEqual(r.json.error.fields.map((f) => [f.field, f.code]).sort(),
    [['case', 'unknown_case'], ['from', 'type'], ['user', 'unknown_user']]);
  err(await call('GET', '/api/v1/audit?limit=501', 'auditor'), 400, 'request.invalid_query');
  const p1 = await call('GET', '/api/v1/audit?limit=5', 'auditor');
  assert.equal(p1.json.items.length, 5);
  assert.ok(p1.json.next_cursor);
  const p2 = await call('GET', `/api/v1/audit?limit=5&cursor=${p1.json.next_cursor}`, 'auditor');
  assert.equal(p2.json.items[0].seq, p1.json.items[4].seq + 1);
  assert.equal(p2.json.items[0].prev_hash, p1.json.items[4].hash);
});

test('sign-ins and failed sign-ins are recorded, without the password tried', async () => {
  const li = await entries(`&user=${U['resident.li']}`);
  assert.ok(li.some((e) => e.action === 'sign_in' && e.outcome === 'ok'
    && e.object_type === 'user' && e.object_id === U['resident.li']));
  const chan = await entries(`&user=${U['resident.chan']}`);
  assert.ok(chan.some((e) => e.action === 'sign_in' && e.outcome === 'failed'
    && e.detail === 'invalid_credentials'), JSON.stringify(chan.filter((e) => e.action === 'sign_in')));
  const all = await entries();
  assert.ok(all.some((e) => e.action === 'sign_in' && e.outcome === 'failed'
    && e.actor_id === null && e.actor_role === 'anonymous'));
  for (const e of all) assert.match(e.client_addr, /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1|)$/);
});

let exported;

test('export is NDJSON of the whole chain, each entry linked to the one before', async () => {
  const res = await fetch(`${srv.url}/api/v1/audit/export`,
    { headers: { Authorization: `Bearer ${T.auditor}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/x-ndjson/);
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="audit\.ndjson"$/);
  exported = await res.text();
  assert.ok(exported.endsWith('\n'));
  const lines = exported.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].seq, 1);
  assert.equal(lines[0].prev_hash, '0'.repeat(64));
  for (let i = 1; i < lines.length; i++) {
    assert.equal(lines[i].seq, lines[i - 1].seq + 1);
    assert.equal(lines[i].prev_hash, lines[i - 1].hash);
  }
  // the export is recorded before it is taken: it is the export's own last line
  const last = lines[lines.length - 1];
  assert.deepEqual([last.action, last.actor_id, last.outcome], ['audit_export', U.auditor, 'ok']);
  // and a filtered export holds only what the filter lets through
  const f = await fetch(`${srv.url}/api/v1/audit/export?case=${C}`,
    { headers: { Authorization: `Bearer ${T.auditor}` } });
  for (const l of (await f.text()).trimEnd().split('\n').map((x) => JSON.parse(x))) {
    assert.deepEqual([l.object_type, l.object_id], ['case', C]);
  }
});

test('no entry holds what people wrote, a phone number or a password', async () => {
  for (const needle of [MARK, WRONG, 'qiao-demo-2026', '66791357', '6679 1357', '李', 'nobody.at.all']) {
    assert.ok(!exported.includes(needle), `the trail holds ${needle}`);
  }
});

test('verify reports the chain intact; the public key is public and verifies the heads', async () => {
  const v = await call('GET', '/api/v1/audit/verify', 'auditor');
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.intact, true);
  assert.equal(v.json.broken_seq, null);
  assert.equal(v.json.reason, null);
  assert.ok(v.json.entries >= exported.trimEnd().split('\n').length);
  assert.ok(v.json.heads_verified >= 1);
  const pk = await api(srv, 'GET', '/api/v1/audit/public-key');
  assert.equal(pk.status, 200, pk.text);
  assert.equal(pk.json.algorithm, 'Ed25519');
  assert.match(pk.json.public_key, /^[0-9a-f]{64}$/);

  // check every stored head's signature independently, with the published key
  const s = await srv.stop({ keep: true });
  assert.equal(s.code, 0);
  const db = join(srv.dataDir, 'qiao.db');
  const rows = spawnSync('sqlite3', ['-readonly', db,
    "SELECT seq, ts, hex(hash), hex(signature), hex(public_key) FROM audit_heads ORDER BY seq;"],
  { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => l.split('|'));
  assert.ok(rows.length >= 1);
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'),
    Buffer.from(pk.json.public_key, 'hex')]), format: 'der', type: 'spki' });
  const i64 = (n) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };
  for (const [seq, ts, hash, sig, stored] of rows) {
    assert.equal(stored.toLowerCase(), pk.json.public_key);
    const msg = Buffer.concat([Buffer.from('qiao-audit-head-v1'), i64(seq), i64(ts),
      Buffer.from(hash, 'hex')]);
    assert.ok(verify(null, msg, key, Buffer.from(sig, 'hex')), `head ${seq}`);
  }
  // the last entry is covered by a head signed at shutdown
  const last = spawnSync('sqlite3', ['-readonly', db, 'SELECT max(seq) FROM audit_log;'],
    { encoding: 'utf8' }).stdout.trim();
  assert.equal(rows[rows.length - 1][0], last);
  const cli = spawnSync(QIAOD, ['audit-verify', '--data-dir', srv.dataDir],
    { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, new RegExp(`audit trail intact: \\d+ entries \\(seq 1 to ${last}\\)`));
  assert.match(cli.stdout, new RegExp(`signed through entry ${last}`));
});
