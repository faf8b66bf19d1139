// server.test.mjs: qiaod as a program: --help, --version, bad flags and commands (exit 2 with a
// message), unusable data directories and ports (non-zero with a message), a clean SIGTERM
// shutdown that keeps the data, seed-demo run twice, and add-user reading the password on stdin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, serveDir, api, login, QIAOD } from './lib/server.mjs';

let srv, scratch;
before(async () => {
  srv = await startServer();
  scratch = mkdtempSync(join(tmpdir(), 'qiao-server-test-'));
});
after(async () => {
  await srv?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const qiaod = (args, opts = {}) => spawnSync(QIAOD, args, { encoding: 'utf8', timeout: 20000,
  ...opts });

const serveOn = (dataDir, args = []) => serveDir(dataDir, { args });

test('qiaod --help prints the usage and exits 0', () => {
  for (const args of [['--help'], ['-h'], ['help'], ['serve', '--help']]) {
    const r = qiaod(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /usage: qiaod COMMAND/);
    for (const c of ['serve', 'seed-demo', 'add-user', '--data-dir', '--listen']) {
      assert.ok(r.stdout.includes(c), `${c} in the usage`);
    }
    assert.equal(r.stderr, '');
  }
});

test('qiaod --version prints the version', () => {
  const r = qiaod(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), 'qiaod 0.1.0');
});

test('bad flags and commands exit 2 with a message', () => {
  const d = join(scratch, 'never-made');
  const cases = [
    [[], /usage: qiaod/],
    [['frobnicate'], /unknown command: frobnicate/],
    [['serve', '--data-dir', d, '--bogus'], /unknown.*--bogus|--bogus.*unknown/],
    [['serve', '--data-dir'], /--data-dir/],
    [['serve'], /--data-dir DIR is required/],
    [['serve', '--data-dir', d, 'extra'], /unexpected argument: extra/],
    [['serve', '--data-dir', d, '--listen', 'nonsense'], /--listen wants HOST:PORT/],
    [['serve', '--data-dir', d, '--listen', '127.0.0.1:70000'], /--listen wants HOST:PORT/],
    [['serve', '--data-dir', d, '--threads', '0'], /--threads must be a number from 1 to 256/],
    [['serve', '--data-dir', d, '--threads', 'many'], /--threads/],
    [['seed-demo', '--data-dir', d, '--nope'], /--nope/],
  ];
  for (const [args, message] of cases) {
    const r = qiaod(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
  assert.equal(spawnSync('test', ['-e', d]).status, 1, 'no data directory was made');
});

test('an unusable data directory → non-zero exit with a message', () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'not a directory\n');
  for (const cmd of ['serve', 'seed-demo']) {
    const under = qiaod([cmd, '--data-dir', join(file, 'data'), '--listen', '127.0.0.1:0']
      .slice(0, cmd === 'serve' ? 5 : 3));
    assert.notEqual(under.status, 0, `${cmd} under a file`);
    assert.match(under.stderr, /cannot create the data directory .*a-file\/data/, under.stderr);
    const itself = qiaod([cmd, '--data-dir', file, '--listen', '127.0.0.1:0']
      .slice(0, cmd === 'serve' ? 5 : 3));
    assert.notEqual(itself.status, 0, `${cmd} on a file`);
    assert.match(itself.stderr, /not a directory/, itself.stderr);
    assert.equal(itself.stdout, '');
  }
});

test('a port in use → non-zero exit with "cannot listen"', () => {
  const port = new URL(srv.url).port;
  const r = qiaod(['serve', '--data-dir', join(scratch, 'port-clash'), '--listen',
    `127.0.0.1:${port}`]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
  assert.doesNotMatch(r.stdout, /listening on/);
});

test('SIGTERM → exit 0, and the data survives a restart on the same directory', async () => {
  const dir = join(scratch, 'restart');
  assert.equal(qiaod(['seed-demo', '--data-dir', dir]).status, 0);
  const a = await serveOn(dir);
  const reg = await api(a, 'POST', '/api/v1/auth/register', { body: { username: 'survivor',
    password: 'still-here-after-2026', display_name: 'Survivor', language: 'pt',
    email: 'survivor@example.org' } });
  assert.equal(reg.status, 201, reg.text);
  const s = await login(a, 'officer.zhc');
  assert.equal((await api(a, 'PATCH', '/api/v1/me', { token: s.token, body: { language: 'pt' } }))
    .status, 200);
  const stopped = await a.stop('SIGTERM');
  assert.equal(stopped.code, 0, `exit ${JSON.stringify(stopped)}: ${a.stderr()}`);
  assert.match(a.stderr(), /"event":"shutdown"/);

  const b = await serveOn(dir);
  try {
    const again = await login(b, 'survivor', 'still-here-after-2026');
    assert.equal(again.user.id, reg.json.id);
    assert.equal(again.user.language, 'pt');
    const me = await api(b, 'GET', '/api/v1/me', { token: s.token });
    assert.equal(me.status, 200, 'the session made before the restart still works');
    assert.equal(me.json.language, 'pt');
    const dup = await api(b, 'POST', '/api/v1/auth/register', { body: { username: 'survivor',
      password: 'still-here-after-2026', display_name: 'S', language: 'pt', email: 's@example.org' } });
    assert.equal(dup.status, 409);
  } finally {
    const r = await b.stop('SIGINT');
    assert.equal(r.code, 0, 'SIGINT ends it cleanly too');
  }
});

test('a second seed-demo on the same directory exits non-zero with a clear message', () => {
  const r = qiaod(['seed-demo', '--data-dir', srv.dataDir]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /already loaded/);
  assert.doesNotMatch(r.stdout, /is loaded/);
});

test('add-user creates an admin from a password on stdin, who can sign in', async () => {
  const dir = join(scratch, 'first-admin');
  const r = qiaod(['add-user', '--data-dir', dir, '--role', 'admin', '--username', 'root.admin',
    '--display-name', 'Root Admin', '--language', 'zh-Hant'],
  { input: 'a-long-harbour-passphrase\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created root\.admin \(admin\)/);
  assert.ok(!r.stdout.includes('a-long-harbour-passphrase') && !r.stderr.includes(
    'a-long-harbour-passphrase'), 'the password is not echoed');

  const weak = qiaod(['add-user', '--data-dir', dir, '--role', 'admin', '--username', 'weak.admin'],
    { input: 'password123\n' });
  assert.equal(weak.status, 2);
  assert.match(weak.stderr, /too weak/);
  const short = qiaod(['add-user', '--data-dir', dir, '--role', 'auditor', '--username',
    'short.pw'], { input: 'short\n' });
  assert.equal(short.status, 2);
  assert.match(short.stderr, /too weak/);
  const same = qiaod(['add-user', '--data-dir', dir, '--role', 'admin', '--username',
    'root.admin'], { input: 'another-long-passphrase\n' });
  assert.equal(same.status, 1);
  assert.match(same.stderr, /taken/);
  const noPw = qiaod(['add-user', '--data-dir', dir, '--role', 'admin', '--username', 'no.pw'],
    { input: '' });
  assert.equal(noPw.status, 2);
  assert.match(noPw.stderr, /no password/);
  for (const [args, message] of [
    [['--role', 'mediator', '--username', 'm.one'], /admin, auditor or resident/],
    [['--role', 'wizard', '--username', 'm.one'], /admin, auditor or resident/],
    [['--role', 'admin', '--username', 'x'], /user name/],
    [['--role', 'admin'], /needs --role and --username/],
    [['--role', 'admin', '--username', 'lang.x', '--language', 'fr'], /--language/],
  ]) {
    const bad = qiaod(['add-user', '--data-dir', dir, ...args], { input: 'a-long-harbour-pass\n' });
    assert.equal(bad.status, 2, args.join(' '));
    assert.match(bad.stderr, message, args.join(' '));
  }

  const b = await serveOn(dir);
  try {
    const s = await login(b, 'root.admin', 'a-long-harbour-passphrase');
    assert.equal(s.user.role, 'admin');
    assert.equal(s.user.display_name, 'Root Admin');
    assert.equal(s.user.language, 'zh-Hant');
    const list = await api(b, 'GET', '/api/v1/users', { token: s.token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.items.map((u) => u.username), ['root.admin'],
      'no refused user was created');
    const weakLogin = await api(b, 'POST', '/api/v1/auth/login',
      { body: { username: 'weak.admin', password: 'password123' } });
    assert.equal(weakLogin.status, 401);
  } finally {
    await b.stop();
  }
});

test('add-user works beside a running server on the same directory', async () => {
  const r = qiaod(['add-user', '--data-dir', srv.dataDir, '--role', 'auditor', '--username',
    'second.auditor'], { input: 'counting-every-pataca\n' });
  assert.equal(r.status, 0, r.stderr);
  const s = await login(srv, 'second.auditor', 'counting-every-pataca');
  assert.equal(s.user.role, 'auditor');
  assert.equal(s.user.language, 'en');
  assert.equal(s.user.display_name, 'second.auditor');
});
