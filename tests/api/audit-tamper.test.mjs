// audit-tamper.test.mjs: `qiaod audit-verify --data-dir DIR` on a stopped server's copy after
// each kind of tampering with the database (the append-only triggers dropped first, as an attacker
// with the file would): a changed field, a deleted entry, an inserted one, two entries' seq
// swapped, an altered signed head, a rewritten tail, a truncated tail, a trail re-signed with
// another key. Untampered it exits 0; tampered it exits 3 and names the first broken entry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, login, QIAOD } from './lib/server.mjs';

let srv;
let base; // the stopped server's data directory, copied for each tampering
const work = mkdtempSync(join(tmpdir(), 'qiao-tamper-'));
let lastSeq;
let heads; // seqs of the signed heads

before(async () => {
  srv = await startServer();
  const li = (await login(srv, 'resident.li')).token;
  // enough entries for a head in the middle of the chain (one every 64 entries)
  const filing = (i) => ({ center: 'HQ', type: 'family', subtype: 'divorce', title: `案件 ${i}`,
    summary: '摘要', applicants: [{ name: '李明' }], respondents: [{ name: '陳大文' }],
    consent: { mediation: true }, submit: true });
  for (let i = 0; i < 40; i++) {
    const r = await api(srv, 'POST', '/api/v1/cases', { token: li, body: filing(i) });
    assert.equal(r.status, 201, r.text);
  }
  await api(srv, 'POST', '/api/v1/auth/login', { body: { username: 'resident.li', password: 'nope-nope-nope' } });
  const s = await srv.stop({ keep: true });
  assert.equal(s.code, 0);
  base = srv.dataDir;
  lastSeq = Number(sql(base, 'SELECT max(seq) FROM audit_log;'));
  heads = sql(base, 'SELECT seq FROM audit_heads ORDER BY seq;').split('\n').map(Number);
});
after(async () => {
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
});

function sql(dir, statements) {
  const r = spawnSync('sqlite3', [join(dir, 'qiao.db')], { input: statements, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', r.stderr);
  return r.stdout.trim();
}

let copies = 0;
// A copy of the stopped data directory with the append-only triggers dropped.
function copy() {
  const dir = join(work, `copy-${copies++}`);
  cpSync(base, dir, { recursive: true });
  sql(dir, 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  return dir;
}

function verifyCli(dir) {
  return spawnSync(QIAOD, ['audit-verify', '--data-dir', dir], { encoding: 'utf8' });
}

function assertBroken(dir, seq, reason) {
  const r = verifyCli(dir);
  assert.equal(r.status, 3, r.stdout + r.stderr);
  const m = r.stdout.match(/audit trail BROKEN at entry (\d+): (\w+)/);
  assert.ok(m, r.stdout);
  assert.deepEqual([Number(m[1]), m[2]], [seq, reason], r.stdout);
}

// ---- BLAKE2b-256 (RFC 7693) and the chain's canonical form (server/vault/audit.c), so that a
// forger's entries can be made exactly as the server makes them ----
const M64 = (1n << 64n) - 1n;
const IV = [0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]];
const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & M64;
function mix(v, a, b, c, d, x, y) {
  v[a] = (v[a] + v[b] + x) & M64; v[d] = rotr(v[d] ^ v[a], 32n);
  v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 24n);
  v[a] = (v[a] + v[b] + y) & M64; v[d] = rotr(v[d] ^ v[a], 16n);
  v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 63n);
}
function blake2b256(data) {
  const h = IV.slice();
  h[0] ^= 0x01010000n ^ 32n;
  const blocks = Math.max(1, Math.ceil(data.length / 128));
  let t = 0n;
  for (let b = 0; b < blocks; b++) {
    const last = b === blocks - 1;
    const chunk = Buffer.alloc(128);
    data.copy(chunk, 0, b * 128, Math.min(data.length, (b + 1) * 128));
    t += BigInt(last ? data.length - b * 128 : 128);
    const m = Array.from({ length: 16 }, (_, i) => chunk.readBigUInt64LE(i * 8));
    const v = [...h, ...IV];
    v[12] ^= t & M64;
    v[13] ^= t >> 64n;
    if (last) v[14] ^= M64;
    for (let r = 0; r < 12; r++) {
      const s = SIGMA[r % 10];
      mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]); mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
      mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]); mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
      mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]); mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
      mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]); mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
  }
  const out = Buffer.alloc(64);
  h.forEach((x, i) => out.writeBigUInt64LE(x, i * 8));
  return out.subarray(0, 32);
}

const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const i64 = (n) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };
const text = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([u32(b.length), b]); };
function entryHash(e, prev) {
  return blake2b256(Buffer.concat([text('qiao-audit-v1'), i64(e.seq), i64(e.ts),
    i64(e.actor_id ?? 0), text(e.actor_role), text(e.action), text(e.object_type),
    i64(e.object_id), text(e.outcome), text(e.client_addr), text(e.detail), u32(32), prev]));
}

// The entries of a copy, as stored.
function readEntries(dir) {
  const out = spawnSync('sqlite3', ['-json', join(dir, 'qiao.db'), 'SELECT seq, ts, actor_id, '
    + 'actor_role, action, object_type, object_id, outcome, client_addr, detail, hex(prev_hash) AS '
    + 'prev, hex(hash) AS hash FROM audit_log ORDER BY seq;'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

// Rewrites the chain from entry `from` on so that every hash and link is right again.
function rechain(dir, from) {
  const es = readEntries(dir);
  let prev = Buffer.from(es.find((e) => e.seq === from - 1)?.hash ?? '00'.repeat(32), 'hex');
  const stmts = ['BEGIN;'];
  for (const e of es.filter((x) => x.seq >= from)) {
    const h = entryHash(e, prev);
    stmts.push(`UPDATE audit_log SET prev_hash = x'${prev.toString('hex')}', hash = x'${h.toString('hex')}'
      WHERE seq = ${e.seq};`);
    prev = h;
  }
  stmts.push('COMMIT;');
  sql(dir, stmts.join('\n'));
  return prev;
}

test('the forger\'s tools are right: every stored hash recomputes', () => {
  assert.equal(blake2b256(Buffer.alloc(0)).toString('hex'),
    '0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
  let prev = Buffer.alloc(32);
  for (const e of readEntries(base)) {
    assert.equal(e.prev, prev.toString('hex').toUpperCase(), `prev of ${e.seq}`);
    prev = entryHash(e, prev);
    assert.equal(prev.toString('hex').toUpperCase(), e.hash, `hash of ${e.seq}`);
  }
  assert.ok(lastSeq > 70, `${lastSeq} entries`);
  assert.ok(heads.length >= 2 && heads[0] < lastSeq, `heads at ${heads}`);
  assert.equal(heads[heads.length - 1], lastSeq, 'the stop signed the last entry');
});

test('untampered: exit 0, intact', () => {
  const r = verifyCli(copy());
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`audit trail intact: ${lastSeq} entries \\(seq 1 to ${lastSeq}\\)`));
});

test('a field changed → broken at that entry (hash_mismatch)', () => {
  const dir = copy();
  sql(dir, "UPDATE audit_log SET detail = 'tampered' WHERE seq = 10;");
  assertBroken(dir, 10, 'hash_mismatch');
  const d2 = copy();
  // an entry that has an actor (the demo data's own entries are the system's)
  const seq = Number(sql(d2, 'SELECT min(seq) FROM audit_log WHERE seq >= 20 AND actor_id IS NOT NULL;'));
  sql(d2, `UPDATE audit_log SET actor_id = NULL WHERE seq = ${seq};`);
  assertBroken(d2, seq, 'hash_mismatch');
});

test('an entry deleted → broken there (seq_gap)', () => {
  const dir = copy();
  sql(dir, 'DELETE FROM audit_log WHERE seq = 10;');
  assertBroken(dir, 10, 'seq_gap');
});

test('an entry inserted (made exactly as the server would) → broken after it', () => {
  const dir = copy();
  const es = readEntries(dir);
  const e9 = es.find((e) => e.seq === 9);
  const forged = { seq: 10, ts: e9.ts, actor_id: null, actor_role: 'system', action: 'erase',
    object_type: 'case', object_id: 1, outcome: 'ok', client_addr: '', detail: 'retention' };
  const h = entryHash(forged, Buffer.from(e9.hash, 'hex'));
  sql(dir, `UPDATE audit_log SET seq = -seq WHERE seq >= 10;
    UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0;
    INSERT INTO audit_log(seq, ts, actor_id, actor_role, action, object_type, object_id, outcome,
      client_addr, detail, prev_hash, hash) VALUES (10, ${forged.ts}, NULL, 'system', 'erase',
      'case', 1, 'ok', '', 'retention', x'${e9.hash}', x'${h.toString('hex')}');`);
  assertBroken(dir, 11, 'hash_mismatch');
  // an inserted entry with a made-up hash is broken at itself
  const d2 = copy();
  sql(d2, `UPDATE audit_log SET seq = -seq WHERE seq >= 10;
    UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0;
    INSERT INTO audit_log(seq, ts, actor_id, actor_role, action, object_type, object_id, outcome,
      client_addr, detail, prev_hash, hash) VALUES (10, 0, NULL, 'system', 'erase', 'case', 1, 'ok',
      '', '', randomblob(32), randomblob(32));`);
  assertBroken(d2, 10, 'hash_mismatch');
});

test('two entries\' seq swapped → broken at the first', () => {
  const dir = copy();
  sql(dir, `UPDATE audit_log SET seq = -1 WHERE seq = 10;
    UPDATE audit_log SET seq = 10 WHERE seq = 11;
    UPDATE audit_log SET seq = 11 WHERE seq = -1;`);
  assertBroken(dir, 10, 'hash_mismatch');
});

test('a signed head altered → bad_signature at that head', () => {
  const h = heads[0];
  for (const change of ['ts = ts + 1', 'hash = randomblob(32)', 'seq = seq - 1',
    "signature = zeroblob(64)"]) {
    const dir = copy();
    sql(dir, `UPDATE audit_heads SET ${change} WHERE seq = ${h};`);
    assertBroken(dir, change.startsWith('seq') ? h - 1 : h, 'bad_signature');
  }
});

test('the whole tail rewritten with right hashes → the signed heads catch it', () => {
  const dir = copy();
  sql(dir, "UPDATE audit_log SET detail = 'rewritten' WHERE seq = 10;");
  rechain(dir, 10);
  assertBroken(dir, heads.find((h) => h >= 10), 'head_mismatch');
});

test('the last entries cut off → truncated', () => {
  const dir = copy();
  sql(dir, `DELETE FROM audit_log WHERE seq = ${lastSeq};`);
  assertBroken(dir, lastSeq, 'truncated');
});

test('the running server reports the break too (GET /api/v1/audit/verify)', async () => {
  const dir = copy();
  sql(dir, "UPDATE audit_log SET outcome = 'failed' WHERE seq = 12;");
  assert.equal(verifyCli(dir).status, 3);
  const p = spawn(QIAOD, ['serve', '--data-dir', dir, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stderr.resume();
  try {
    const url = await new Promise((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error('qiaod did not start')), 15000);
      p.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (http:\/\/\S+)/);
        if (m) { clearTimeout(timer); ok(m[1]); }
      });
    });
    const s = { url };
    const { token } = await login(s, 'auditor');
    const v = await api(s, 'GET', '/api/v1/audit/verify', { token });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.intact, false);
    assert.deepEqual([v.json.broken_seq, v.json.reason], [12, 'hash_mismatch']);
  } finally {
    p.kill('SIGTERM');
    await new Promise((ok) => p.on('exit', ok));
  }
});

// After a clean stop the server has signed the last entry; entries after the last signed head are
// vouched for by nobody. A forger who can write the file appends a well-made entry (or rewrites
// the tail and drops the heads that covered it) and the trail must not pass as intact.
test('entries past the last signed head (appended, or heads dropped) are not passed as intact', () => {
  const dir = copy();
  const es = readEntries(dir);
  const last = es[es.length - 1];
  const forged = { seq: lastSeq + 1, ts: last.ts, actor_id: null, actor_role: 'system',
    action: 'erase', object_type: 'case', object_id: 2, outcome: 'ok', client_addr: '',
    detail: 'retention' };
  const h = entryHash(forged, Buffer.from(last.hash, 'hex'));
  sql(dir, `INSERT INTO audit_log(seq, ts, actor_id, actor_role, action, object_type, object_id,
    outcome, client_addr, detail, prev_hash, hash) VALUES (${forged.seq}, ${forged.ts}, NULL,
    'system', 'erase', 'case', 2, 'ok', '', 'retention', x'${last.hash}', x'${h.toString('hex')}');`);
  const a = verifyCli(dir);
  assert.notEqual(a.status, 0, `an appended unsigned entry passes: ${a.stdout}`);

  const d2 = copy();
  sql(d2, `UPDATE audit_log SET detail = 'rewritten' WHERE seq = 10;
    DELETE FROM audit_heads WHERE seq >= 10;`);
  rechain(d2, 10);
  const b = verifyCli(d2);
  assert.notEqual(b.status, 0, `a rewritten tail without its heads passes: ${b.stdout}`);
});

// The verifier takes the public key pinned in the same database it checks. A forger who can write
// the file but has no master key rewrites the chain, signs the heads with a key of their own and
// pins that key. The server itself refuses to start on it (its signing key, opened with the master
// key, no longer matches the pin); audit-verify must not call it intact either.
test('a trail re-signed with another key and that key pinned is not intact', () => {
  const dir = copy();
  sql(dir, "UPDATE audit_log SET detail = 'rewritten' WHERE seq = 10;");
  rechain(dir, 10);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pk = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const hs = JSON.parse(spawnSync('sqlite3', ['-json', join(dir, 'qiao.db'),
    'SELECT a.seq, h.ts, hex(a.hash) AS hash FROM audit_heads h JOIN audit_log a ON a.seq = h.seq;'],
  { encoding: 'utf8' }).stdout);
  const stmts = [`UPDATE settings SET value = '${pk.toString('hex')}' WHERE key = 'vault.audit_pk';`];
  for (const h of hs) {
    const msg = Buffer.concat([Buffer.from('qiao-audit-head-v1'), i64(h.seq), i64(h.ts),
      Buffer.from(h.hash, 'hex')]);
    const sig = sign(null, msg, privateKey);
    stmts.push(`UPDATE audit_heads SET hash = x'${h.hash}', signature = x'${sig.toString('hex')}',
      public_key = x'${pk.toString('hex')}' WHERE seq = ${h.seq};`);
  }
  sql(dir, stmts.join('\n'));
  // the server will not start on it
  const serve = spawnSync(QIAOD, ['serve', '--data-dir', dir, '--listen', '127.0.0.1:0'],
    { encoding: 'utf8', timeout: 10000 });
  assert.notEqual(serve.status, 0, serve.stdout);
  assert.match(serve.stderr, /audit signing key does not match the pinned public key/);
  const r = verifyCli(dir);
  assert.notEqual(r.status, 0, `a re-signed trail passes audit-verify: ${r.stdout}`);
});
