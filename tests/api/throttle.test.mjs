// throttle.test.mjs: sign-in throttling. Per account: slowed after 5 failures (429 auth.throttled
// with Retry-After; every refused attempt counts too), locked at 10 for 15 minutes (429
// auth.locked). Per client address: slowed from 20 failures, locked at 50.
//
// Each scenario signs in from its own loopback address (127.0.2.x: Linux routes all of 127/8 to
// lo, so a client socket may bind any of them), so the address counters do not mix. The server's
// clock has one-second resolution and the first slow-down is one second, so the attempt that must
// be slowed is sent right after a second begins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, DEMO_PASSWORD } from './lib/server.mjs';

let srv;
// more threads than cores, so concurrent sign-ins really run side by side
before(async () => { srv = await startServer({ args: ['--threads', '16'] }); });
after(async () => { await srv?.stop(); });

const WRONG = 'definitely-not-it-42';

// POST /api/v1/auth/login from a given local address. Resolves {status, headers, json}.
function signIn(from, username, password) {
  const url = new URL(srv.url);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST',
      path: '/api/v1/auth/login', localAddress: from, agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
        'Accept-Language': 'en' } });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const code = (r) => r.json?.error?.code ?? `ok:${r.status}`;

// Waits until a new second has just begun (the server counts in whole seconds).
async function atSecondStart() {
  const ms = Date.now() % 1000;
  if (ms > 30) await sleep(1000 - ms + 5);
}

function assertRefusal(r, expected) {
  assert.equal(r.status, 429, JSON.stringify(r.json));
  assert.equal(r.json.error.code, expected);
  assert.deepEqual(r.json.error.fields, []);
  const retry = r.headers['retry-after'];
  assert.match(retry ?? '', /^[1-9][0-9]*$/, `Retry-After: ${retry}`);
  assert.ok(r.json.error.message.includes(retry), `the message names the wait: ${r.json.error.message}`);
  return Number(retry);
}

test('per account: slowed after 5 failures, then locked; the lock holds against the right password',
  async () => {
    const from = '127.0.2.1';
    for (let i = 1; i <= 4; i++) {
      const r = await signIn(from, 'officer.hq', WRONG);
      assert.equal(code(r), 'auth.invalid_credentials', `attempt ${i}`);
      assert.equal(r.status, 401);
    }
    await atSecondStart();
    assert.equal(code(await signIn(from, 'officer.hq', WRONG)), 'auth.invalid_credentials');

    // the very next attempt is refused before the password is looked at, even the right one
    const slowed = await signIn(from, 'officer.hq', DEMO_PASSWORD);
    const wait = assertRefusal(slowed, 'auth.throttled');
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);

    // hammering on: every refusal counts, so the account locks at the 10th
    const codes = [];
    for (let i = 0; i < 12 && codes.at(-1) !== 'auth.locked'; i++) {
      codes.push(code(await signIn(from, 'officer.hq', DEMO_PASSWORD)));
    }
    assert.deepEqual(codes, ['auth.throttled', 'auth.throttled', 'auth.throttled',
      'auth.throttled', 'auth.locked']);

    const locked = await signIn(from, 'officer.hq', DEMO_PASSWORD);
    const lockWait = assertRefusal(locked, 'auth.locked');
    assert.ok(lockWait > 880 && lockWait <= 900, `locked for 15 minutes, Retry-After ${lockWait}`);
    // the user name is matched case-insensitively, so no way around the lock that way
    assert.equal(code(await signIn(from, 'Officer.HQ', DEMO_PASSWORD)), 'auth.locked');
    // the lock is the account's, whatever the address
    assert.equal(code(await signIn('127.0.2.9', 'officer.hq', DEMO_PASSWORD)), 'auth.locked');

    // another account from the same address still signs in
    const other = await signIn(from, 'officer.zhc', DEMO_PASSWORD);
    assert.equal(other.status, 200, JSON.stringify(other.json));
    assert.equal(other.json.user.username, 'officer.zhc');
  });

test('per address: slowed from 20 failures, locked at 50, across many user names', async () => {
  const from = '127.0.2.2';
  for (let i = 1; i <= 19; i++) {
    assert.equal(code(await signIn(from, `ghost.${i}`, WRONG)), 'auth.invalid_credentials',
      `attempt ${i}`);
  }
  // 19 failures: a real user from this address still gets in
  const li = await signIn(from, 'resident.li', DEMO_PASSWORD);
  assert.equal(li.status, 200, JSON.stringify(li.json));

  await atSecondStart();
  assert.equal(code(await signIn(from, 'ghost.20', WRONG)), 'auth.invalid_credentials');
  // the 20th failure slows the address down: even a right password of an untouched account waits
  assertRefusal(await signIn(from, 'resident.chan', DEMO_PASSWORD), 'auth.throttled');

  const codes = [];
  for (let i = 21; i <= 80 && codes.at(-1) !== 'auth.locked'; i++) {
    codes.push(code(await signIn(from, `ghost.${i}`, WRONG)));
  }
  // the refusal above was the 21st counted attempt; 29 more refusals bring the count to 50,
  // which locks the address, and the attempt after that is told so
  assert.equal(codes.at(-1), 'auth.locked', codes.join(' '));
  const throttled = codes.slice(0, -1);
  assert.ok(throttled.every((c) => c === 'auth.throttled'), codes.join(' '));
  assert.equal(throttled.length, 50 - 21, codes.join(' '));

  const locked = await signIn(from, 'resident.li', DEMO_PASSWORD);
  const wait = assertRefusal(locked, 'auth.locked');
  assert.ok(wait > 880 && wait <= 900, `Retry-After ${wait}`);

  // the limit is the address's: the same account from elsewhere is fine
  const elsewhere = await signIn('127.0.2.3', 'resident.li', DEMO_PASSWORD);
  assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.json));
});

// The throttle state is read before the (slow) password check and written after it, with no
// lock or transaction around the pair: concurrent attempts all see the old count, so a burst
// gets many more password guesses than the 5 the policy allows.
test('a burst of concurrent wrong passwords gets no more than 5 password checks', async () => {
  // three bursts (accounts and addresses of their own), so that a lucky interleaving of one
  // burst cannot hide the race
  const report = [];
  for (const [i, user] of ['mediator.leong', 'mediator.chen', 'lawyer.ho'].entries()) {
    const from = `127.0.2.${4 + i}`;
    const burst = await Promise.all(Array.from({ length: 16 }, () => signIn(from, user, WRONG)));
    const tally = {};
    for (const r of burst) tally[code(r)] = (tally[code(r)] ?? 0) + 1;
    report.push({ user, checked: tally['auth.invalid_credentials'] ?? 0, tally });
    // whatever happened, the account is not open to more guesses right now
    assert.equal((await signIn(from, user, WRONG)).status, 429);
  }
  for (const r of report) {
    assert.ok(r.checked <= 5, `${r.checked} of 16 concurrent attempts on ${r.user} had their `
      + `password checked: ${JSON.stringify(report)}`);
  }
});
