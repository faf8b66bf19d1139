// sessions.test.mjs: sessions outlive a restart; an expired session's bearer token is 401
// auth.token_expired (its cookie just makes the request anonymous), and expired sessions are
// swept when new ones are made. Expiry is made by editing the stopped server's database with the
// sqlite3 CLI, then serving the same data directory again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, serveDir, api, login, QIAOD } from './lib/server.mjs';

const hasSqlite = spawnSync('sqlite3', ['-version']).status === 0;

const serveOn = (dataDir) => serveDir(dataDir);

function sql(dataDir, statement) {
  const r = spawnSync('sqlite3', [join(dataDir, 'qiao.db'), statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

let first, second, dataDir;
const s = {};
before(async () => {
  first = await startServer();
  dataDir = first.dataDir;
  s.li = await login(first, 'resident.li');
  s.chan = await login(first, 'resident.chan');
  s.ho = await login(first, 'lawyer.ho');
});
after(async () => {
  await second?.stop();
  await first?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('sessions survive a restart; an expired one is 401 auth.token_expired', { skip: !hasSqlite
  && 'the sqlite3 CLI is not installed' }, async () => {
  const stopped = await first.stop({ keep: true });
  assert.equal(stopped.code, 0, 'SIGTERM ends qiaod with exit code 0');
  // expire resident.li's and lawyer.ho's sessions, keep resident.chan's
  sql(dataDir, "UPDATE sessions SET expires_at = 0 WHERE user_id IN "
    + "(SELECT id FROM users WHERE username IN ('resident.li', 'lawyer.ho'))");
  assert.equal(sql(dataDir, 'SELECT count(*) FROM sessions WHERE expires_at = 0'), '2');
  second = await serveOn(dataDir);
  const srv = second;

  const alive = await api(srv, 'GET', '/api/v1/me', { token: s.chan.token });
  assert.equal(alive.status, 200, alive.text);
  assert.equal(alive.json.username, 'resident.chan');

  const expired = await api(srv, 'GET', '/api/v1/me', { token: s.li.token, lang: 'en' });
  assert.equal(expired.status, 401, expired.text);
  assert.equal(expired.json.error.code, 'auth.token_expired');
  assert.equal(expired.json.error.message, 'Your session has expired. Sign in again.');
  assert.deepEqual(expired.json.error.fields, []);
  const write = await api(srv, 'PATCH', '/api/v1/me',
    { token: s.li.token, body: { language: 'en' } });
  assert.equal(write.status, 401);
  assert.equal(write.json.error.code, 'auth.token_expired');
  assert.equal(sql(dataDir, "SELECT language FROM users WHERE username = 'resident.li'"),
    'zh-Hans', 'nothing was written');

  // the expired session's cookie is no session at all
  const byCookie = await api(srv, 'GET', '/api/v1/me',
    { headers: { Cookie: `qiao_session=${s.li.token}` } });
  assert.equal(byCookie.status, 401);
  assert.equal(byCookie.json.error.code, 'auth.required');
  // and an expired token does not stop a public route
  assert.equal((await api(srv, 'GET', '/api/v1/centers', { token: s.li.token })).status, 200);

  // signing out with the expired token deletes its session: then it is simply unknown
  const out = await api(srv, 'POST', '/api/v1/auth/logout', { token: s.ho.token });
  assert.equal(out.status, 204);
  const gone = await api(srv, 'GET', '/api/v1/me', { token: s.ho.token });
  assert.equal(gone.json.error.code, 'auth.invalid_token');
  assert.equal(sql(dataDir, 'SELECT count(*) FROM sessions WHERE expires_at = 0'), '1');

  // a new sign-in sweeps expired sessions away: then the old token is simply unknown
  const fresh = await login(srv, 'resident.li');
  assert.equal((await api(srv, 'GET', '/api/v1/me', { token: fresh.token })).status, 200);
  const swept = await api(srv, 'GET', '/api/v1/me', { token: s.li.token });
  assert.equal(swept.status, 401);
  assert.equal(swept.json.error.code, 'auth.invalid_token');
  assert.equal(sql(dataDir, 'SELECT count(*) FROM sessions WHERE expires_at = 0'), '0');
});

test('the database keeps only a hash of each token', { skip: !hasSqlite
  && 'the sqlite3 CLI is not installed' }, async () => {
  const dump = spawnSync('sqlite3', [join(dataDir, 'qiao.db'), '.dump'], { encoding: 'utf8' });
  assert.equal(dump.status, 0);
  for (const t of [s.li.token, s.chan.token, s.ho.token]) {
    assert.ok(!dump.stdout.includes(t), 'no session token in the database');
    assert.ok(!dump.stdout.includes(Buffer.from(t).toString('hex')), 'not even as a blob');
  }
  assert.ok(!dump.stdout.includes('qiao-demo-2026'), 'no password in the database');
});
