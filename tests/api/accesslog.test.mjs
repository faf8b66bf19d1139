// accesslog.test.mjs: qiaod's stderr: one JSON line per request (method, route pattern, status,
// ms, rid = the X-Request-Id it answered with), and never a password, a token, a query string or
// the user name someone signed in with.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, api, DEMO_PASSWORD } from './lib/server.mjs';

let srv;
const made = []; // [{rid, method, route, status}] of every request this file sent
const secrets = [];

before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

async function call(method, path, opts, route) {
  const r = await api(srv, method, path, opts);
  made.push({ rid: r.headers.get('x-request-id'), method, route, status: r.status });
  return r;
}

// The parsed stderr lines, once the lines of every request sent have arrived.
async function logLines() {
  for (let i = 0; i < 100; i++) {
    const lines = srv.stderr().split('\n').filter(Boolean);
    const rids = new Set(lines.map((l) => { try { return JSON.parse(l).rid; } catch { return null; } }));
    if (made.every((m) => rids.has(m.rid))) return lines;
    await sleep(20);
  }
  return srv.stderr().split('\n').filter(Boolean);
}

test('a varied set of requests', async () => {
  await call('GET', '/api/v1/health', {}, '/api/v1/health');
  const ok = await call('POST', '/api/v1/auth/login',
    { body: { username: 'resident.chan', password: DEMO_PASSWORD } }, '/api/v1/auth/login');
  assert.equal(ok.status, 200);
  secrets.push(ok.json.token, ok.json.csrf_token, DEMO_PASSWORD);
  const bad = await call('POST', '/api/v1/auth/login',
    { body: { username: 'mediator.wong', password: 'a-secret-guess-991' } }, '/api/v1/auth/login');
  assert.equal(bad.status, 401);
  secrets.push('a-secret-guess-991');
  await call('GET', '/api/v1/me', { token: ok.json.token }, '/api/v1/me');
  await call('GET', '/api/v1/me', { headers: { Cookie: `qiao_session=${ok.json.token}` } },
    '/api/v1/me');
  await call('PATCH', '/api/v1/me', { token: ok.json.token, body: { language: 'en' } },
    '/api/v1/me');
  await call('GET', '/api/v1/users?limit=5&cursor=secret-cursor-77', { token: ok.json.token },
    '/api/v1/users');
  await call('GET', '/api/v1/i18n/pt', {}, '/api/v1/i18n/{lang}');
  await call('POST', '/api/v1/auth/register', { body: { username: 'log.person',
    password: 'register-secret-5150', display_name: 'Log Person', language: 'en',
    phone: '+853 6699 0011' } }, '/api/v1/auth/register');
  secrets.push('register-secret-5150', '66990011');
  await call('GET', '/api/v1/does-not-exist', {}, '-');
  await call('DELETE', '/api/v1/me', {}, '-method');
  await call('POST', '/api/v1/auth/logout', { token: ok.json.token }, '/api/v1/auth/logout');
  assert.equal(made.length, 12);
});

test('one JSON line per request, with method, route, status, ms and rid', async () => {
  const lines = await logLines();
  const entries = lines.map((l) => {
    try { return JSON.parse(l); } catch { assert.fail(`not a JSON line: ${l}`); }
  });
  const http = entries.filter((e) => e.event === 'http');
  for (const m of made) {
    const mine = http.filter((e) => e.rid === m.rid);
    assert.equal(mine.length, 1, `exactly one line for ${m.method} ${m.route}`);
    const e = mine[0];
    assert.equal(e.method, m.method);
    assert.equal(e.route, m.route);
    assert.equal(e.status, m.status);
    assert.equal(typeof e.ms, 'number');
    assert.ok(e.ms >= 0 && e.ms < 10000);
    assert.match(e.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  assert.equal(http.length, made.length, 'no line for anything else');
});

test('the log never holds a password, a token, a query string or a signing-in user name', async () => {
  const log = (await logLines()).join('\n');
  assert.ok(secrets.length >= 5);
  for (const s of secrets) assert.ok(!log.includes(s), `a secret leaked into the log: ${s}`);
  for (const name of ['resident.chan', 'mediator.wong', 'log.person', '陳大文', 'Log Person']) {
    assert.ok(!log.includes(name), `${name} in the log`);
  }
  assert.ok(!log.includes('secret-cursor-77') && !log.includes('limit=5'), 'no query strings');
});

// MHD_OPTION_EXTERNAL_LOGGER must be the first option given to MHD_start_daemon; otherwise
// libmicrohttpd warns at every start (and may print early messages with its own logger).
test('a clean start logs no library warnings', async () => {
  const lines = (await logLines()).map((l) => JSON.parse(l));
  const library = lines.filter((e) => e.event === 'http_library');
  assert.deepEqual(library.map((e) => e.message), []);
});
