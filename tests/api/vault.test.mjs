// vault.test.mjs: what people wrote never lies on disk in the clear. A case whose every free text,
// name, contact detail, claim, reason and document carries a marker is filed; then every file of
// the data directory (database, WAL, shared memory, keys) and a backup are searched for the marker
// as raw bytes, while the server runs and after it stopped. A ciphertext moved to another row does
// not open there; a wrong master key does not start the server and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync, writeFileSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, serveDir, api, login, QIAOD } from './lib/server.mjs';

const MARK = 'MARKER-7F3A';
// needles searched for case-insensitively as raw bytes: the marker, the phone numbers (as typed
// and normalized), the identity numbers and an e-mail address
const NEEDLES = [MARK, '6679 1357', '66791357', '2468 1357', '24681357', '11010519491231002X',
  'A123456', 'marker.mail'];

let srv; // the first server (startServer); later `cur` is whichever server runs on its directory
let cur;
let dataDir;
const T = {};
const work = mkdtempSync(join(tmpdir(), 'qiao-vault-'));
let A; // the marked case
let B; // a second case of the same filer, for the moved-ciphertext test
let docA;
let docB;

before(async () => {
  srv = await startServer();
  cur = srv;
  dataDir = srv.dataDir;
  for (const u of ['resident.li', 'officer.hq']) T[u] = (await login(srv, u)).token;
});
after(async () => {
  await cur?.stop({ keep: true });
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
});

const call = (method, path, who, body) => api(cur, method, path, { token: T[who], body });


// Every regular file under dir.
function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

// [file, needle] for every needle found in any of the files (case-insensitive, raw bytes).
function findNeedles(files) {
  const hits = [];
  for (const f of files) {
    const text = readFileSync(f).toString('latin1').toLowerCase();
    for (const n of NEEDLES) {
      if (text.includes(Buffer.from(n, 'utf8').toString('latin1').toLowerCase())) hits.push([f, n]);
    }
  }
  return hits;
}

const hashes = (dir) => Object.fromEntries(walk(dir).map((f) =>
  [f.slice(dir.length), createHash('sha256').update(readFileSync(f)).digest('hex')]));

function pdfWith(text) {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Title (${text}) >> endobj\nBT (${text}) Tj ET\n` +
    `trailer << >>\n%%EOF\n`);
}

async function upload(caseId, who, bytes, title) {
  const fd = new FormData();
  fd.append('file', new Blob([bytes]), 'evidence.pdf');
  fd.append('title', title);
  fd.append('kind', 'evidence');
  const res = await fetch(`${cur.url}/api/v1/cases/${caseId}/documents`,
    { method: 'POST', headers: { Authorization: `Bearer ${T[who]}` }, body: fd });
  return { status: res.status, json: await res.json() };
}

async function download(caseId, docId, who) {
  const res = await fetch(`${cur.url}/api/v1/cases/${caseId}/documents/${docId}`,
    { headers: { Authorization: `Bearer ${T[who]}` } });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

test('a case with the marker everywhere: absent from every file while the server runs', async () => {
  const r = await call('POST', '/api/v1/cases', 'resident.li', {
    center: 'HQ', type: 'family', subtype: 'property', title: `房产 ${MARK}`,
    summary: `双方的房产 ${MARK} 需要分割。`, request: `请求 ${MARK}`,
    applicants: [{ kind: 'person', name: `李${MARK}`, name_latin: `Li ${MARK}`, residence: 'zhuhai',
      language: 'zh-Hans', id_document: { type: 'mainland_id', number: '11010519491231002X' },
      phone: '+853 6679 1357', email: 'marker.mail-7f3a@example.com', address: `横琴${MARK}路1号` }],
    respondents: [{ kind: 'person', name: `黃${MARK}`, residence: 'hong_kong',
      id_document: { type: 'hk_id', number: 'A123456(3)' }, phone: '+86 139 2468 1357',
      address: `香港${MARK}道` }],
    claims: [{ description: `一半份额 ${MARK}`, amount: { value: '100.00', currency: 'CNY' } }],
    consent: { mediation: true, electronic_service: true,
      addresses: [{ channel: 'email', value: 'marker.mail-7f3a@example.com' }] },
    submit: true,
  });
  assert.equal(r.status, 201, r.text);
  A = r.json.id;
  const up = await upload(A, 'resident.li', pdfWith(`${MARK} ${MARK}`), `证据 ${MARK}`);
  assert.equal(up.status, 201, JSON.stringify(up.json));
  docA = up.json.id;
  for (const [who, ev, reason] of [['officer.hq', 'start_screening'],
    ['officer.hq', 'request_more_info', `请补充 ${MARK}`], ['resident.li', 'provide_more_info']]) {
    const e = await call('POST', `/api/v1/cases/${A}/events`, who, reason ? { event: ev, reason } : { event: ev });
    assert.equal(e.status, 200, e.text);
  }
  // everything reads back as written
  const g = await call('GET', `/api/v1/cases/${A}`, 'resident.li');
  assert.equal(g.json.title, `房产 ${MARK}`);
  assert.equal(g.json.applicants[0].address, `横琴${MARK}路1号`);
  assert.equal(g.json.timeline.find((e) => e.event === 'request_more_info').reason, `请补充 ${MARK}`);
  // a last write so the WAL holds fresh pages
  const b = await call('POST', '/api/v1/cases', 'resident.li', {
    center: 'HQ', type: 'family', subtype: 'custody', title: 'B的标题', summary: 'B的摘要',
    applicants: [{ name: 'B的申请人' }], respondents: [{ name: 'B的被申请人' }],
    consent: { mediation: true }, submit: true });
  assert.equal(b.status, 201, b.text);
  B = b.json.id;
  const ub = await upload(B, 'resident.li', pdfWith('plain B evidence'), 'B的证据');
  assert.equal(ub.status, 201);
  docB = ub.json.id;

  // the search finds what it looks for (a control file in the clear)
  const control = join(work, 'control.txt');
  writeFileSync(control, `x${MARK.toLowerCase()}x 6679 1357`);
  assert.deepEqual(findNeedles([control]).map(([, n]) => n), [MARK, '6679 1357']);
  rmSync(control);
  const files = walk(dataDir);
  const names = files.map((f) => f.slice(dataDir.length));
  assert.ok(names.includes('/qiao.db') && names.includes('/keys/master.key'), names.join(' '));
  const wal = files.find((f) => f.endsWith('-wal'));
  assert.ok(wal && statSync(wal).size > 0, `the WAL is in use: ${names.join(' ')}`);
  assert.deepEqual(findNeedles(files), []);
});

test('a backup taken while the server runs holds no marker either', async () => {
  const out = join(work, 'running.backup');
  const r = spawnSync(QIAOD, ['backup', '--data-dir', dataDir, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(statSync(out).size > 0);
  assert.deepEqual(findNeedles([out]), []);
});

test('after the server stopped: no marker in any file of the data directory', async () => {
  const s = await cur.stop({ keep: true });
  assert.equal(s.code, 0);
  assert.deepEqual(findNeedles(walk(dataDir)), []);
});

test('a ciphertext moved to another row does not open there (null), never the other\'s text', async () => {
  const sql = [
    `UPDATE cases SET title = (SELECT title FROM cases WHERE id = ${A}) WHERE id = ${B};`,
    // within one case, from one column to another
    `UPDATE cases SET summary = (SELECT title FROM cases WHERE id = ${B}) WHERE id = ${B};`,
    `UPDATE parties SET name = (SELECT name FROM parties WHERE case_id = ${A} AND side = 'applicant'
       AND position = 0) WHERE case_id = ${B} AND side = 'applicant' AND position = 0;`,
    // within one case, from one party to the other
    `UPDATE parties SET name = (SELECT name FROM parties WHERE case_id = ${B} AND side = 'applicant'
       AND position = 0) WHERE case_id = ${B} AND side = 'respondent';`,
    `UPDATE document_blobs SET data = (SELECT data FROM document_blobs WHERE document_id = ${docA})
       WHERE document_id = ${docB};`,
  ].join('\n');
  const q = spawnSync('sqlite3', [join(dataDir, 'qiao.db')], { input: sql, encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  cur = await serveDir(dataDir);
  T['resident.li'] = (await login(cur, 'resident.li')).token;
  const g = await call('GET', `/api/v1/cases/${B}`, 'resident.li');
  // what the server does: the case reads, with each moved field null
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.title, null);
  assert.equal(g.json.summary, null);
  assert.equal(g.json.applicants[0].name, null);
  assert.equal(g.json.respondents[0].name, null);
  assert.ok(!g.text.includes(MARK), 'never A\'s text');
  assert.ok(!g.text.includes('B的申请人'));
  const list = await call('GET', '/api/v1/cases', 'resident.li');
  assert.equal(list.json.items.find((c) => c.id === B).title, null);
  // a moved document does not open: an error, never A's bytes
  const d = await download(B, docB, 'resident.li');
  assert.equal(d.status, 500, d.body.toString());
  assert.equal(JSON.parse(d.body.toString()).error.code, 'internal');
  assert.ok(!d.body.toString('latin1').includes(MARK));
  // case A is untouched
  const a = await call('GET', `/api/v1/cases/${A}`, 'resident.li');
  assert.equal(a.json.title, `房产 ${MARK}`);
  assert.equal(a.json.applicants[0].name, `李${MARK}`);
  assert.equal((await download(A, docA, 'resident.li')).status, 200);
  // the failures are logged, without the text
  assert.match(cur.stderr(), /vault_error/);
  assert.ok(!cur.stderr().includes(MARK));
});

test('a wrong master key: the server does not start, says why, and changes nothing', async () => {
  const s = await cur.stop();
  assert.equal(s.code, 0);
  const before = hashes(dataDir);
  const other = 'ab'.repeat(32);
  const r = spawnSync(QIAOD, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
    { encoding: 'utf8', env: { ...process.env, QIAO_MASTER_KEY: other }, timeout: 10000 });
  assert.notEqual(r.status, 0, 'it must not start');
  assert.equal(r.signal, null, `it exits by itself: ${r.stderr}`);
  assert.match(r.stderr, /master key is not the one this data directory was created with/);
  assert.doesNotMatch(r.stdout, /listening/);
  assert.ok(!r.stderr.includes(other));
  assert.deepEqual(hashes(dataDir), before, 'the data directory is unchanged');
  // the other commands refuse the same way
  for (const cmd of [['backup', '--out', join(work, 'wrong.backup')], ['retention', '--years', '1']]) {
    const c = spawnSync(QIAOD, [cmd[0], '--data-dir', dataDir, ...cmd.slice(1)],
      { encoding: 'utf8', env: { ...process.env, QIAO_MASTER_KEY: other } });
    assert.notEqual(c.status, 0, cmd[0]);
    assert.match(c.stderr, /master key/, cmd[0]);
  }
  assert.ok(!existsSync(join(work, 'wrong.backup')));
  assert.deepEqual(hashes(dataDir), before, 'the data directory is unchanged');
  // a malformed key is refused as such
  const bad = spawnSync(QIAOD, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
    { encoding: 'utf8', env: { ...process.env, QIAO_MASTER_KEY: 'xyz' }, timeout: 10000 });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /QIAO_MASTER_KEY is not 64 hexadecimal digits/);
  // the right key still opens everything
  cur = await serveDir(dataDir);
  const g = await call('GET', `/api/v1/cases/${A}`, 'resident.li');
  assert.equal(g.json.title, `房产 ${MARK}`);
});
