// vault-lifecycle.test.mjs: the keys over time. A master key rotated while the server serves
// reads and filings; a case erased by destroying its key (the skeleton stays, the content does
// not open, the audit trail stays whole); backups restored with the same key (file or variable)
// and refused under another key without replacing anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, serveDir, api, login, QIAOD } from './lib/server.mjs';

let srv;
const extra = []; // servers started on other directories
const T = {};
const work = mkdtempSync(join(tmpdir(), 'qiao-life-'));
before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'officer.hq', 'admin', 'auditor']) T[u] = (await login(srv, u)).token;
});
after(async () => {
  for (const s of extra) await s.stop();
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
});

const call = (s, method, path, who, body) => api(s, method, path, { token: T[who], body });
const sha = (b) => createHash('sha256').update(b).digest('hex');
const keyFile = () => join(srv.dataDir, 'keys', 'master.key');

// Starts qiaod on an existing data directory, stopped with the suite.
async function serveExisting(dir, opts) {
  const s = await serveDir(dir, opts);
  extra.push(s);
  return s;
}

// Runs a qiaod command to its end without blocking the event loop (the server is served by this
// process's fetches meanwhile).
function qiaod(args, { env = {}, input } = {}) {
  return new Promise((ok) => {
    const p = spawn(QIAOD, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => ok({ status, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

const pdf = (text) => Buffer.from(`%PDF-1.4\n(${text})\ntrailer << >>\n%%EOF\n`);

async function upload(s, caseId, who, bytes, title) {
  const fd = new FormData();
  fd.append('file', new Blob([bytes]), 'e.pdf');
  fd.append('title', title);
  fd.append('kind', 'evidence');
  const res = await fetch(`${s.url}/api/v1/cases/${caseId}/documents`,
    { method: 'POST', headers: { Authorization: `Bearer ${T[who]}` }, body: fd });
  return { status: res.status, json: await res.json() };
}

async function download(s, caseId, docId, who) {
  const res = await fetch(`${s.url}/api/v1/cases/${caseId}/documents/${docId}`,
    { headers: { Authorization: `Bearer ${T[who]}` } });
  const body = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(body.toString()); } catch { json = null; }
  return { status: res.status, body, json };
}

const filing = (title) => ({
  center: 'HQ', type: 'family', subtype: 'inheritance', title, summary: `${title}的摘要`,
  applicants: [{ name: '李明', phone: '+86 138 0756 1234' }], respondents: [{ name: '李華' }],
  claims: [{ description: `${title}的请求` }], consent: { mediation: true }, submit: true,
});

async function fileCase(s, title) {
  const r = await call(s, 'POST', '/api/v1/cases', 'resident.li', filing(title));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const created = []; // [id, title] of every case filed here, to read back at the end

test('rotate-keys while the server serves reads and filings: all succeed, all readable', async () => {
  const c = await fileCase(srv, '轮换之前');
  created.push([c.id, '轮换之前']);
  const doc = pdf('before rotation');
  const up = await upload(srv, c.id, 'resident.li', doc, '轮换前的证据');
  assert.equal(up.status, 201);
  const oldKey = readFileSync(keyFile(), 'utf8');

  const failures = [];
  let rotation = null;
  let round = 0;
  const t0 = Date.now();
  while (Date.now() - t0 < 2000 || !rotation?.done) {
    if (round === 3) {
      rotation = { done: false };
      qiaod(['rotate-keys', '--data-dir', srv.dataDir]).then((r) => {
        Object.assign(rotation, r, { done: true });
      });
    }
    const title = `轮换中 ${round}`;
    const rs = await Promise.all([
      call(srv, 'GET', `/api/v1/cases/${c.id}`, 'resident.li'),
      call(srv, 'GET', '/api/v1/cases', 'officer.hq'),
      call(srv, 'POST', '/api/v1/cases', 'resident.li', filing(title)),
      download(srv, c.id, up.json.id, 'resident.li'),
    ]);
    for (const r of rs) if (r.status >= 300) failures.push(`${r.status} ${r.text ?? r.json}`);
    if (rs[0].status === 200 && rs[0].json.title !== '轮换之前') failures.push('title unreadable');
    if (rs[3].status === 200 && !rs[3].body.equals(doc)) failures.push('document changed');
    if (rs[2].status === 201) created.push([rs[2].json.id, title]);
    round++;
    if (Date.now() - t0 > 15000) break;
  }
  assert.ok(rotation?.done, 'the rotation finished');
  assert.equal(rotation.status, 0, rotation.stderr);
  assert.match(rotation.stdout, /a new master key now protects \d+ case keys?/);
  assert.deepEqual(failures, [], `${round} rounds`);
  assert.ok(round > 3);

  // the key file holds the new key; no rotation is left pending
  const newKey = readFileSync(keyFile(), 'utf8');
  assert.notEqual(newKey, oldKey);
  assert.match(newKey.trim(), /^[0-9a-f]{64}$/);
  assert.ok(!existsSync(`${keyFile()}.next`));
  // every case filed before, during and after reads back
  created.push([(await fileCase(srv, '轮换之后')).id, '轮换之后']);
  for (const [id, title] of created) {
    const g = await call(srv, 'GET', `/api/v1/cases/${id}`, 'resident.li');
    assert.equal(g.json.title, title, `case ${id}`);
    assert.equal(g.json.applicants[0].phone, '+8613807561234');
  }
  const v = await call(srv, 'GET', '/api/v1/audit/verify', 'auditor');
  assert.equal(v.json.intact, true, JSON.stringify(v.json));
  const cli = spawnSync(QIAOD, ['audit-verify', '--data-dir', srv.dataDir], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  // the retired key opens nothing any more
  const old = spawnSync(QIAOD, ['backup', '--data-dir', srv.dataDir, '--out', join(work, 'old.db')],
    { encoding: 'utf8', env: { ...process.env, QIAO_MASTER_KEY: oldKey.trim() } });
  assert.notEqual(old.status, 0);
  assert.match(old.stderr, /master key/);
});

let E; // the erased case
let eDoc;
let R; // an archived case left for the retention run

test('erasure: walked to archived, erased by an admin; the skeleton stays, nothing opens', async () => {
  const c = await fileCase(srv, '要删除的案件');
  E = c.id;
  const up = await upload(srv, E, 'resident.li', pdf('to be erased'), '要删除的证据');
  assert.equal(up.status, 201);
  eDoc = up.json.id;
  const erase = (who, body = { reason: 'lawful_request' }, id = E) =>
    call(srv, 'POST', `/api/v1/cases/${id}/erase`, who, body);
  const step = async (event, reason) => {
    const r = await call(srv, 'POST', `/api/v1/cases/${E}/events`, 'officer.hq',
      reason ? { event, reason } : { event });
    assert.equal(r.status, 200, r.text);
    return r.json.status;
  };
  assert.equal(await step('start_screening'), 'screening');
  assert.equal(await step('decline', '不属于本中心受理范围。'), 'declined');
  // not archived yet: refused, nothing erased
  let r = await erase('admin');
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'case.transition_refused');
  assert.equal(await step('close'), 'closed');
  assert.equal(await step('archive'), 'archived');
  r = await erase('officer.hq');
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'auth.forbidden');
  r = await erase('admin', { reason: 'because' });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(r.json.error.fields.map((f) => [f.field, f.code]), [['reason', 'choice']]);
  assert.equal((await call(srv, 'GET', `/api/v1/cases/${E}`, 'resident.li')).json.title, '要删除的案件');

  r = await erase('admin');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { id: E, status: 'erased' });
  r = await erase('admin');
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'case.transition_refused');
  r = await erase('admin', undefined, 999999);
  assert.equal(r.status, 404, r.text);
  assert.equal(r.json.error.code, 'case.not_found');

  for (const who of ['resident.li', 'officer.hq']) {
    const g = await call(srv, 'GET', `/api/v1/cases/${E}`, who);
    assert.equal(g.status, 200, g.text);
    const x = g.json;
    assert.equal(x.number, c.number, 'the number stays');
    assert.equal(x.status, 'erased');
    assert.equal(x.erased, true);
    assert.equal(x.title, null);
    assert.equal(x.summary, null);
    assert.deepEqual(x.applicants.map((p) => [p.name, p.phone]), [[null, null]]);
    assert.deepEqual(x.respondents.map((p) => p.name), [null]);
    assert.deepEqual(x.claims.map((cl) => cl.description), [null]);
    for (const d of x.documents) assert.equal(d.title, null);
    assert.ok(!g.text.includes('要删除') && !g.text.includes('13807561234'));
    const last = x.timeline[x.timeline.length - 1];
    assert.deepEqual([last.event, last.from, last.to, last.actor, last.role],
      ['erase', 'archived', 'erased', 'admin', 'admin']);
    const d = await download(srv, E, eDoc, who);
    assert.equal(d.status, 404, d.body.toString());
    assert.equal(d.json.error.code, 'document.not_found');
  }
  const list = await call(srv, 'GET', '/api/v1/cases', 'resident.li');
  const item = list.json.items.find((i) => i.id === E);
  assert.deepEqual([item.status, item.title, item.number], ['erased', null, c.number]);
  // the audit trail stays whole and records the erasure
  const v = await call(srv, 'GET', '/api/v1/audit/verify', 'auditor');
  assert.equal(v.json.intact, true, JSON.stringify(v.json));
  const a = await call(srv, 'GET', `/api/v1/audit?case=${E}&limit=500`, 'auditor');
  const er = a.json.items.filter((e) => e.action === 'erase');
  assert.equal(er.length, 1);
  assert.deepEqual([er[0].outcome, er[0].detail, er[0].actor_role], ['ok', 'lawful_request', 'admin']);

  // a second case archived, for the retention run once the server has stopped
  R = (await fileCase(srv, '保存期满')).id;
  for (const [event, reason] of [['start_screening'], ['decline', '不予受理'], ['close'], ['archive']]) {
    const x = await call(srv, 'POST', `/api/v1/cases/${R}/events`, 'officer.hq',
      reason ? { event, reason } : { event });
    assert.equal(x.status, 200, x.text);
  }
});

// An erased case can take nothing new: its key is gone, so nothing could be sealed for it.
test('uploading to an erased case is refused as a state error, not a 500', async () => {
  const before = (await call(srv, 'GET', `/api/v1/cases/${E}`, 'resident.li')).json.documents;
  const r = await upload(srv, E, 'resident.li', pdf('too late'), '太晚了');
  assert.notEqual(r.status, 500, JSON.stringify(r.json));
  assert.equal(r.status, 409, JSON.stringify(r.json));
  assert.equal(r.json.error.code, 'case.transition_refused');
  assert.deepEqual((await call(srv, 'GET', `/api/v1/cases/${E}`, 'resident.li')).json.documents, before);
});

let backupFile;
let snapshot; // what resident.li sees at the time of the backup

test('backup while serving; restore into a fresh directory with the same key (file or variable)', async () => {
  backupFile = join(work, 'qiao.backup');
  const b = await qiaod(['backup', '--data-dir', srv.dataDir, '--out', backupFile]);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /holds no key/);
  // never over an existing file
  const again = await qiaod(['backup', '--data-dir', srv.dataDir, '--out', backupFile]);
  assert.notEqual(again.status, 0);
  const list = await call(srv, 'GET', '/api/v1/cases?limit=100', 'resident.li');
  const [id] = created[0];
  const full = await call(srv, 'GET', `/api/v1/cases/${id}`, 'resident.li');
  const docId = full.json.documents[0].id;
  const bytes = (await download(srv, id, docId, 'resident.li')).body;
  snapshot = { list: list.json.items.map((i) => [i.id, i.number, i.status, i.title]), id, docId,
    bytes, full: full.json };

  const key = join(work, 'master.key');
  copyFileSync(keyFile(), key);
  chmodSync(key, 0o600);
  const hex = readFileSync(key, 'utf8').trim();
  const ways = [['file', { args: ['--key-file', key] }], ['variable', { env: { QIAO_MASTER_KEY: hex } }]];
  for (const [how, opts] of ways) {
    const dir = mkdtempSync(join(work, `restored-${how}-`));
    const r = await qiaod(['restore', '--data-dir', dir, '--from', backupFile, ...(opts.args ?? [])],
      { env: opts.env });
    assert.equal(r.status, 0, `${how}: ${r.stderr}`);
    const s = await serveExisting(dir, opts);
    const li = await login(s, 'resident.li');
    const l = await api(s, 'GET', '/api/v1/cases?limit=100', { token: li.token });
    assert.deepEqual(l.json.items.map((i) => [i.id, i.number, i.status, i.title]), snapshot.list, how);
    const g = await api(s, 'GET', `/api/v1/cases/${id}`, { token: li.token });
    assert.deepEqual({ ...g.json, actions: null }, { ...snapshot.full, actions: null }, how);
    const res = await fetch(`${s.url}/api/v1/cases/${id}/documents/${docId}`,
      { headers: { Authorization: `Bearer ${li.token}` } });
    const got = Buffer.from(await res.arrayBuffer());
    assert.equal(sha(got), sha(bytes), how);
    // the erased case stays erased in the copy
    const e = await api(s, 'GET', `/api/v1/cases/${E}`, { token: li.token });
    assert.deepEqual([e.json.status, e.json.title], ['erased', null]);
    await s.stop();
    const v = spawnSync(QIAOD, ['audit-verify', '--data-dir', dir], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
  }
});

test('restore under another master key is refused and replaces nothing', async () => {
  const dir = mkdtempSync(join(work, 'other-'));
  const env = { QIAO_MASTER_KEY: '5e'.repeat(32) };
  const u = await qiaod(['add-user', '--data-dir', dir, '--role', 'admin', '--username', 'keeper'],
    { env, input: 'keeper-password-2026\n' });
  assert.equal(u.status, 0, u.stderr);
  const db = join(dir, 'qiao.db');
  const before = sha(readFileSync(db));
  const r = await qiaod(['restore', '--data-dir', dir, '--from', backupFile], { env });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /another master key/);
  assert.match(r.stderr, /nothing was replaced/);
  assert.equal(sha(readFileSync(db)), before, 'the database file is unchanged');
  const q = spawnSync('sqlite3', ['-readonly', db, 'SELECT username FROM users;'], { encoding: 'utf8' });
  assert.equal(q.stdout.trim(), 'keeper');
  // a file that is no database is refused too
  const junk = join(work, 'junk.db');
  writeFileSync(junk, 'not a database at all');
  const j = await qiaod(['restore', '--data-dir', dir, '--from', junk], { env });
  assert.notEqual(j.status, 0);
  assert.match(j.stderr, /nothing was replaced/);
  assert.equal(sha(readFileSync(db)), before);
});

test('after the server stops: the erased case\'s key and document bytes are gone', async () => {
  const s = await srv.stop({ keep: true });
  assert.equal(s.code, 0);
  const db = join(srv.dataDir, 'qiao.db');
  const q = (sql) => spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' }).stdout.trim();
  assert.equal(q(`SELECT wrapped IS NULL, destroyed_at IS NOT NULL FROM case_keys WHERE case_id = ${E};`),
    '1|1');
  assert.equal(q(`SELECT count(*) FROM document_blobs WHERE document_id = ${eDoc};`), '0');
  assert.equal(q(`SELECT count(*) FROM cases WHERE id = ${E} AND title IS NULL AND summary IS NULL
    AND status = 'erased' AND number IS NOT NULL;`), '1');
  assert.equal(q(`SELECT count(*) FROM parties WHERE case_id = ${E} AND (id_blind IS NOT NULL OR
    phone_blind IS NOT NULL OR email_blind IS NOT NULL);`), '0');
  // retention: an archived case older than the period is erased the same way; a recent one not
  const ret = (years) => spawnSync(QIAOD, ['retention', '--data-dir', srv.dataDir, '--years', years],
    { encoding: 'utf8' });
  let r = ret('1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 archived cases past retention erased/);
  spawnSync('sqlite3', [db, `UPDATE cases SET updated_at = updated_at - 2 * 366 * 86400 WHERE id = ${R};`]);
  r = ret('1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 archived case past retention erased/);
  assert.equal(q(`SELECT status, title IS NULL FROM cases WHERE id = ${R};`), 'erased|1');
  assert.equal(q(`SELECT wrapped IS NULL FROM case_keys WHERE case_id = ${R};`), '1');
  assert.equal(q(`SELECT actor_role, detail FROM audit_log WHERE action = 'erase' AND object_id = ${R};`),
    'system|retention');
  const v = spawnSync(QIAOD, ['audit-verify', '--data-dir', srv.dataDir], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /audit trail intact/);
});
