// cli.test.mjs: build/qiao against a real qiaod (and, for what a real server never does, a small
// fake one): sign-in with the password on stdin, whoami, logout, the credentials file, the
// language of messages, exit statuses, and the catalogs of the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, existsSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, api, QIAO, DEMO_PASSWORD } from './lib/server.mjs';

let srv;
const homes = [];

before(async () => { srv = await startServer(); });
after(async () => {
  await srv?.stop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

// A fresh home: HOME and XDG_CONFIG_HOME inside a new temporary directory.
function newHome() {
  const home = mkdtempSync(join(tmpdir(), 'qiao-cli-'));
  homes.push(home);
  return { home, xdg: join(home, 'xdg'), creds: join(home, 'xdg', 'qiao', 'credentials.json') };
}

// Runs qiao (asynchronously, so that a fake server in this process can answer).
function qiao(h, args, { input = '', env = {} } = {}) {
  const base = { ...process.env };
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE', 'QIAO_SERVER']) delete base[k];
  const e = { ...base, HOME: h.home, XDG_CONFIG_HOME: h.xdg, LANG: 'C', ...env };
  return new Promise((ok, fail) => {
    const p = spawn(QIAO, args, { env: e, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', fail);
    p.on('close', (status, signal) => ok({ status, signal, stdout, stderr }));
    p.stdin.on('error', () => {});
    p.stdin.end(input);
  });
}

async function signIn(h, user, extra = [], opts = {}) {
  const r = await qiao(h, ['--server', srv.url, ...extra, 'login', user],
    { input: `${DEMO_PASSWORD}\n`, ...opts });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

const storedToken = (h) => JSON.parse(readFileSync(h.creds, 'utf8')).token;

// A port nothing listens on.
async function closedPort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return port;
}

// A fake server: handler(req, res, body) answers; every request is recorded.
async function fakeServer(handler) {
  const seen = [];
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { seen.push({ method: req.method, url: req.url, headers: req.headers, body }); handler(req, res, body); });
  });
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${s.address().port}`, seen, close: () => new Promise((ok) => s.close(ok)) };
}

const json = (res, status, obj) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(obj));
};

test('--version and --help', async () => {
  const h = newHome();
  let r = await qiao(h, ['--version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^qiao \d+\.\d+\.\d+\n$/);
  r = await qiao(h, ['--json', '--version']);
  assert.equal(JSON.parse(r.stdout).name, 'qiao');
  r = await qiao(h, ['--help']);
  assert.equal(r.status, 0);
  for (const w of ['login', 'whoami', 'logout', '--server', '--json', '--lang']) assert.ok(r.stdout.includes(w), w);
  for (let x = 0; x <= 6; x++) assert.match(r.stdout, new RegExp(`^  ${x}  `, 'm'), `exit ${x} documented`);
  r = await qiao(h, ['help', 'login']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /qiao \[OPTIONS\] login \[USERNAME\]/);
  r = await qiao(h, ['--help'], { env: { LANG: 'zh_TW.UTF-8' } });
  assert.match(r.stdout, /結束狀態/);
});

test('usage errors exit 2', async () => {
  const h = newHome();
  let r = await qiao(h, ['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown command “frobnicate”/);
  assert.equal(r.stdout, '');
  r = await qiao(h, []);
  assert.equal(r.status, 2);
  r = await qiao(h, ['--bogus', 'whoami']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['whoami', 'extra']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['--lang', 'klingon', 'whoami']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['--server', 'ftp://127.0.0.1/', 'whoami']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['--server']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['help', 'frobnicate']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['--json', 'frobnicate']);
  assert.equal(r.status, 2);
  assert.equal(JSON.parse(r.stdout).error.code, 'cli.usage');
  r = await qiao(h, ['--server', srv.url, 'login', 'admin']); // no password on stdin
  assert.equal(r.status, 2);
});

test('login with the password on stdin, whoami, the credentials file', async () => {
  const h = newHome();
  const login = await signIn(h, 'officer.hq', ['--lang', 'en']);
  assert.match(login.stdout, /Signed in to .* as 黃嘉欣 \(officer\.hq\)/);
  const dirMode = statSync(join(h.xdg, 'qiao')).mode & 0o777;
  const fileMode = statSync(h.creds).mode & 0o777;
  assert.equal(dirMode, 0o700);
  assert.equal(fileMode, 0o600);
  const stored = JSON.parse(readFileSync(h.creds, 'utf8'));
  assert.equal(stored.server, srv.url);
  assert.equal(stored.username, 'officer.hq');
  assert.equal(stored.language, 'zh-Hant');
  assert.ok(stored.expires_at > Date.now() / 1000);
  assert.match(stored.token, /^[A-Za-z0-9_-]{20,}$/);
  assert.ok(!login.stdout.includes(stored.token) && !login.stderr.includes(stored.token));

  // text, in the user's stored language (zh-Hant), with the saved server
  let r = await qiao(h, ['whoami']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /用戶名稱：\s+officer\.hq/);
  assert.match(r.stdout, /黃嘉欣/);
  assert.match(r.stdout, /個案主任/);
  assert.match(r.stdout, /HQ/);
  assert.ok(!r.stdout.includes(stored.token));

  r = await qiao(h, ['--lang', 'en', 'whoami']);
  assert.match(r.stdout, /Role:\s+Case officer/);
  assert.match(r.stdout, /Centers:\s+HQ/);

  r = await qiao(h, ['--json', 'whoami']);
  assert.equal(r.status, 0);
  const me = JSON.parse(r.stdout);
  assert.equal(me.username, 'officer.hq');
  assert.equal(me.role, 'case_officer');
  assert.deepEqual(me.centers, ['HQ']);
  assert.equal(me.csrf_token, undefined);
  assert.ok(!r.stdout.includes(stored.token));

  // --json login: no token on stdout
  const h2 = newHome();
  r = await qiao(h2, ['--json', '--server', srv.url, 'login', 'lawyer.ho'], { input: `${DEMO_PASSWORD}\n` });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.user.firm, 'ZHM-LAW');
  assert.equal(out.token, undefined);
  assert.ok(!r.stdout.includes(storedToken(h2)));

  // the server from QIAO_SERVER
  r = await qiao(h2, ['whoami'], { env: { QIAO_SERVER: srv.url } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /lawyer\.ho/);
});

test('signing in again ends the session it replaces', async () => {
  const h = newHome();
  await signIn(h, 'mediator.wong');
  const first = storedToken(h);
  assert.equal((await api(srv, 'GET', '/api/v1/me', { token: first })).status, 200);
  await signIn(h, 'mediator.wong');
  const second = storedToken(h);
  assert.notEqual(second, first);
  assert.equal((await api(srv, 'GET', '/api/v1/me', { token: first })).status, 401);
  assert.equal((await api(srv, 'GET', '/api/v1/me', { token: second })).status, 200);
});

test('a configuration directory that cannot be written: exit 6', async () => {
  const h = newHome();
  writeFileSync(join(h.home, 'plain-file'), 'not a directory');
  const r = await qiao({ ...h, xdg: join(h.home, 'plain-file', 'xdg') },
    ['--lang', 'en', '--server', srv.url, 'login', 'resident.li'], { input: `${DEMO_PASSWORD}\n` });
  assert.equal(r.status, 6, r.stderr);
  assert.match(r.stderr, /Cannot save the sign-in in .*credentials\.json/);
});

test('user name and password both on stdin', async () => {
  const h = newHome();
  const r = await qiao(h, ['--server', srv.url, 'login'], { input: `resident.chan\n${DEMO_PASSWORD}\n` });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(h.creds, 'utf8')).username, 'resident.chan');
});

test('a wrong password exits 3 with the message in the user\'s language', async () => {
  const cases = [
    [{ LANG: 'C' }, [], 'mediator.chen', 'The user name or password is wrong.'],
    [{ LANG: 'zh_TW.UTF-8' }, [], 'mediator.leong', '用戶名稱或密碼錯誤。'],
    [{ LC_ALL: 'zh_HK.UTF-8', LANG: 'en_US.UTF-8' }, [], 'mediator.wong', '用戶名稱或密碼錯誤。'],
    [{ LANG: 'zh_TW.UTF-8' }, ['--lang', 'zh-Hans'], 'officer.zhc', '用户名或密码错误。'],
    [{ LANG: 'pt_PT.UTF-8' }, [], 'resident.li', 'O nome de utilizador ou a palavra-passe estão errados.'],
  ];
  for (const [env, extra, user, message] of cases) {
    const h = newHome();
    const r = await qiao(h, ['--server', srv.url, ...extra, 'login', user], { input: 'not-the-password\n', env });
    assert.equal(r.status, 3, `${user}: ${r.stderr}`);
    assert.ok(r.stderr.includes(message), `${JSON.stringify(env)} ${extra}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(h.creds));
  }
  const h = newHome();
  const r = await qiao(h, ['--json', '--server', srv.url, 'login', 'auditor'], { input: 'nope-nope\n' });
  assert.equal(r.status, 3);
  assert.equal(JSON.parse(r.stdout).error.code, 'auth.invalid_credentials');
});

test('logout removes the token; whoami after it exits 3', async () => {
  const h = newHome();
  await signIn(h, 'mediator.chen');
  let r = await qiao(h, ['--lang', 'en', 'logout']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Signed out\./);
  const stored = JSON.parse(readFileSync(h.creds, 'utf8'));
  assert.equal(stored.token, undefined);
  assert.equal(statSync(h.creds).mode & 0o777, 0o600);
  r = await qiao(h, ['--lang', 'en', 'whoami']);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /not signed in/);
  r = await qiao(h, ['--json', 'whoami']);
  assert.equal(r.status, 3);
  assert.equal(JSON.parse(r.stdout).error.code, 'cli.not_signed_in');
  r = await qiao(h, ['logout']); // nothing to do: still fine
  assert.equal(r.status, 0);
});

test('a token the server no longer knows: whoami exits 3 with the server\'s message', async () => {
  const h = newHome();
  await signIn(h, 'admin');
  const stored = JSON.parse(readFileSync(h.creds, 'utf8'));
  stored.token = 'A'.repeat(43);
  writeFileSync(h.creds, JSON.stringify(stored), { mode: 0o600 });
  let r = await qiao(h, ['whoami']);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /Sign in again/);
  r = await qiao(h, ['logout']);
  assert.equal(r.status, 0);
  assert.equal(JSON.parse(readFileSync(h.creds, 'utf8')).token, undefined);
});

test('an expired session is reported without asking the server', async () => {
  const fake = await fakeServer((req, res) => json(res, 500, {}));
  const h = newHome();
  try {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(h.xdg, 'qiao'), { recursive: true, mode: 0o700 });
    writeFileSync(h.creds, JSON.stringify({ server: fake.url, username: 'x', token: 'B'.repeat(43), expires_at: 1000 }), { mode: 0o600 });
    const r = await qiao(h, ['--lang', 'en', 'whoami']);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /expired/);
    assert.equal(fake.seen.length, 0);
  } finally { await fake.close(); }
});

test('a credentials file others can read is narrowed to 0600', async () => {
  const h = newHome();
  await signIn(h, 'auditor');
  chmodSync(h.creds, 0o644);
  const r = await qiao(h, ['whoami']);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /credentials\.json/);
  assert.equal(statSync(h.creds).mode & 0o777, 0o600);
});

test('an unreachable server exits 5', async () => {
  const h = newHome();
  const port = await closedPort();
  let r = await qiao(h, ['--lang', 'en', '--server', `http://127.0.0.1:${port}`, 'login', 'admin'], { input: 'whatever-pw\n' });
  assert.equal(r.status, 5);
  assert.match(r.stderr, /Cannot reach the server/);
  r = await qiao(h, ['--json', '--server', `http://127.0.0.1:${port}`, 'login', 'admin'], { input: 'whatever-pw\n' });
  assert.equal(r.status, 5);
  assert.equal(JSON.parse(r.stdout).error.code, 'cli.network');
});

test('logout when the server is gone still removes the token (exit 5)', async () => {
  const other = await startServer();
  const h = newHome();
  const r1 = await qiao(h, ['--server', other.url, 'login', 'admin'], { input: `${DEMO_PASSWORD}\n` });
  assert.equal(r1.status, 0, r1.stderr);
  await other.stop();
  const r = await qiao(h, ['--lang', 'en', 'logout']);
  assert.equal(r.status, 5);
  assert.match(r.stderr, /removed from this computer/);
  assert.equal(JSON.parse(readFileSync(h.creds, 'utf8')).token, undefined);
});

test('the token goes to no other server; status mapping; bounded replies', async () => {
  const token = 'C'.repeat(43);
  let mode = 'login';
  const fake = await fakeServer((req, res) => {
    if (req.url === '/api/v1/auth/login') return json(res, 200, { token, csrf_token: 'x', expires_at: Math.floor(Date.now() / 1000) + 3600, user: { username: 'fake', display_name: 'Fake', role: 'admin', language: 'en', centers: [] } });
    if (mode === 'forbidden') return json(res, 403, { error: { code: 'auth.forbidden', message: 'Not for you.\u001b[2J' } });
    if (mode === 'busy') return json(res, 503, { error: { code: 'store.busy', message: 'Busy.', fields: [{ field: 'x', code: 'required', message: 'Required.' }] } });
    if (mode === 'html') { res.writeHead(200, { 'Content-Type': 'text/html' }); return res.end('<html></html>'); }
    if (mode === 'huge') { res.writeHead(200, { 'Content-Type': 'application/json' }); return res.end('"' + 'x'.repeat(9 * 1024 * 1024) + '"'); }
    if (mode === 'redirect') { res.writeHead(302, { Location: srv.url + '/api/v1/me' }); return res.end(); }
    return json(res, 200, { username: 'fake' });
  });
  try {
    const h = newHome();
    let r = await qiao(h, ['--lang', 'en', '--server', fake.url, 'login', 'fake'], { input: 'pw-pw-pw-pw\n' });
    assert.equal(r.status, 0, r.stderr);
    const login = fake.seen.at(-1);
    assert.equal(JSON.parse(login.body).password, 'pw-pw-pw-pw');
    assert.equal(login.headers['accept-language'], 'en');
    // another server never sees the token
    r = await qiao(h, ['--server', srv.url, 'whoami']);
    assert.equal(r.status, 3);
    const n = fake.seen.length;
    mode = 'forbidden';
    r = await qiao(h, ['whoami']);
    assert.equal(r.status, 4);
    assert.match(r.stderr, /Not for you\./);
    assert.ok(!r.stderr.includes('\u001b'), 'terminal controls from a server are not printed');
    assert.equal(fake.seen[n].headers.authorization, `Bearer ${token}`);
    mode = 'busy';
    r = await qiao(h, ['whoami']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Busy\.\n  x: Required\./);
    mode = 'html';
    r = await qiao(h, ['whoami']);
    assert.equal(r.status, 5);
    mode = 'huge';
    r = await qiao(h, ['--lang', 'en', 'whoami']);
    assert.equal(r.status, 5);
    assert.match(r.stderr, /too large/);
    mode = 'redirect';
    const before = fake.seen.length;
    r = await qiao(h, ['whoami']);
    assert.equal(r.status, 5);
    assert.equal(fake.seen.length, before + 1);
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));
  } finally { await fake.close(); }
});

test('the four CLI catalogs have the same keys and placeholders', () => {
  const dir = resolve('i18n/messages');
  const load = (tag) => JSON.parse(readFileSync(join(dir, `cli.${tag}.json`), 'utf8'));
  const placeholders = (s) => [...s.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((m) => m[1]).sort();
  const en = load('en');
  const keys = Object.keys(en).sort();
  for (const k of keys) assert.ok(k.startsWith('cli.'), k);
  for (const tag of ['zh-Hans', 'zh-Hant', 'pt']) {
    const other = load(tag);
    assert.deepEqual(Object.keys(other).sort(), keys, tag);
    for (const k of keys) assert.deepEqual(placeholders(other[k]), placeholders(en[k]), `${tag} ${k}`);
  }
});
