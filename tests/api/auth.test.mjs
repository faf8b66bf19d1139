// auth.test.mjs: sign-in, sign-out and the signed-in user: bearer tokens and the session cookie,
// the cookie's attributes, CSRF protection of cookie-authenticated writes, and token errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, api, login, DEMO_PASSWORD } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const cookie = (token) => ({ Cookie: `qiao_session=${token}` });

// The body of an error reply, checked for the registry's shape.
function assertError(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.ok(r.json && r.json.error, `an error body: ${r.text}`);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'fields', 'message']);
  assert.equal(r.json.error.code, code);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
  assert.notEqual(r.json.error.message, `error.${code}`, 'the message is a text, not the key');
  assert.ok(Array.isArray(r.json.error.fields));
  assert.match(r.headers.get('content-type'), /^application\/json/);
  return r.json.error;
}

test('login returns a token, a CSRF token, an expiry and the user', async () => {
  const t0 = Math.floor(Date.now() / 1000);
  const r = await api(srv, 'POST', '/api/v1/auth/login',
    { body: { username: 'officer.hq', password: DEMO_PASSWORD } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['csrf_token', 'expires_at', 'token', 'user']);
  assert.match(r.json.token, /^[A-Za-z0-9_-]{40,}$/);
  assert.match(r.json.csrf_token, /^[A-Za-z0-9_-]{40,}$/);
  assert.notEqual(r.json.token, r.json.csrf_token);
  assert.ok(Math.abs(r.json.expires_at - (t0 + 12 * 3600)) <= 5, `expires_at ${r.json.expires_at}`);
  assert.deepEqual(r.json.user, {
    id: r.json.user.id, username: 'officer.hq', role: 'case_officer', display_name: '黃嘉欣',
    language: 'zh-Hant', email: 'officer.hq@qiao.example', phone: null, firm: null,
    centers: ['HQ'], active: true,
  });
  assert.equal(typeof r.json.user.id, 'number');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.ok(!('password_hash' in r.json.user));
});

test('the session cookie is HttpOnly, SameSite=Strict, Path=/ and lives 12 hours', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/login',
    { body: { username: 'resident.li', password: DEMO_PASSWORD } });
  assert.equal(r.status, 200);
  const cookies = r.headers.getSetCookie();
  assert.equal(cookies.length, 1, cookies.join(' | '));
  const parts = cookies[0].split(';').map((s) => s.trim());
  assert.equal(parts[0], `qiao_session=${r.json.token}`);
  const attrs = parts.slice(1).map((a) => a.toLowerCase());
  assert.ok(attrs.includes('httponly'), cookies[0]);
  assert.ok(attrs.includes('samesite=strict'), cookies[0]);
  assert.ok(attrs.includes('path=/'), cookies[0]);
  assert.ok(attrs.includes('max-age=43200'), cookies[0]);
  assert.ok(!attrs.includes('secure'), 'no Secure flag without --secure-cookies');
});

test('GET /me works with the bearer token and with the cookie, and gives the CSRF token', async () => {
  const s = await login(srv, 'mediator.leong');
  const byBearer = await api(srv, 'GET', '/api/v1/me', { token: s.token });
  assert.equal(byBearer.status, 200, byBearer.text);
  assert.equal(byBearer.json.username, 'mediator.leong');
  assert.deepEqual(byBearer.json.centers, ['HQ', 'MOF']);
  assert.equal(byBearer.json.csrf_token, s.csrf_token);
  const byCookie = await api(srv, 'GET', '/api/v1/me', { headers: cookie(s.token) });
  assert.equal(byCookie.status, 200, byCookie.text);
  assert.deepEqual(byCookie.json, byBearer.json);
});

test('anonymous GET /me is 401 auth.required', async () => {
  assertError(await api(srv, 'GET', '/api/v1/me'), 401, 'auth.required');
  assertError(await api(srv, 'PATCH', '/api/v1/me', { body: { language: 'en' } }), 401,
    'auth.required');
});

test('signing out always succeeds and clears the cookie, whoever asks', async () => {
  const fake = randomBytes(32).toString('base64url');
  for (const opts of [{}, { token: fake }, { headers: cookie(fake) },
    { headers: { Authorization: 'Basic eDp5' } }]) {
    const r = await api(srv, 'POST', '/api/v1/auth/logout', opts);
    assert.equal(r.status, 204, `${JSON.stringify(opts)}: ${r.text}`);
    assert.match(r.headers.getSetCookie()[0] ?? '', /^qiao_session=;.*Max-Age=0/i);
  }
});

test('wrong password and unknown user are both 401 auth.invalid_credentials, alike', async () => {
  const wrong = await api(srv, 'POST', '/api/v1/auth/login',
    { body: { username: 'resident.chan', password: 'not-the-password-1' } });
  const unknown = await api(srv, 'POST', '/api/v1/auth/login',
    { body: { username: 'nobody.here', password: 'not-the-password-1' } });
  assertError(wrong, 401, 'auth.invalid_credentials');
  assertError(unknown, 401, 'auth.invalid_credentials');
  assert.equal(wrong.text, unknown.text, 'identical bodies: no user enumeration');
  assert.equal(wrong.headers.get('content-language'), unknown.headers.get('content-language'));
  assert.deepEqual(wrong.headers.getSetCookie(), []);
  assert.deepEqual(unknown.headers.getSetCookie(), []);
  assert.deepEqual(wrong.json.error.fields, []);
});

test('logout deletes the session and clears the cookie', async () => {
  const s = await login(srv, 'lawyer.ho');
  const r = await api(srv, 'POST', '/api/v1/auth/logout', { token: s.token });
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  const set = r.headers.getSetCookie();
  assert.equal(set.length, 1);
  assert.match(set[0], /^qiao_session=;/);
  assert.match(set[0], /Max-Age=0/i);
  assert.match(set[0], /HttpOnly/i);
  assert.match(set[0], /Path=\//);
  // the bearer token is dead
  assertError(await api(srv, 'GET', '/api/v1/me', { token: s.token }), 401, 'auth.invalid_token');
  assertError(await api(srv, 'PATCH', '/api/v1/me', { token: s.token, body: { language: 'pt' } }),
    401, 'auth.invalid_token');
  // signing out again is harmless
  assert.equal((await api(srv, 'POST', '/api/v1/auth/logout', { token: s.token })).status, 204);
  // the same token presented as a cookie makes the request anonymous
  assertError(await api(srv, 'GET', '/api/v1/me', { headers: cookie(s.token) }), 401,
    'auth.required');
});

test('logout kills only its own session', async () => {
  const a = await login(srv, 'auditor');
  const b = await login(srv, 'auditor');
  assert.notEqual(a.token, b.token);
  assert.equal((await api(srv, 'POST', '/api/v1/auth/logout', { token: a.token })).status, 204);
  assertError(await api(srv, 'GET', '/api/v1/me', { token: a.token }), 401, 'auth.invalid_token');
  assert.equal((await api(srv, 'GET', '/api/v1/me', { token: b.token })).status, 200);
});

// Sign-out is public (it always succeeds), so it takes no CSRF token even with the cookie; the
// session cookie is SameSite=Strict, so no other site can make a browser send it anyway.
test('cookie sign-out needs no CSRF token and ends the session', async () => {
  const s = await login(srv, 'lawyer.sousa');
  const r = await api(srv, 'POST', '/api/v1/auth/logout', { headers: cookie(s.token) });
  assert.equal(r.status, 204, r.text);
  assert.match(r.headers.getSetCookie()[0], /^qiao_session=;.*Max-Age=0/i);
  assertError(await api(srv, 'GET', '/api/v1/me', { token: s.token }), 401, 'auth.invalid_token');
});

// The token is read from "Authorization: Bearer …" the same way for every request: if extra
// spaces after "Bearer" authenticate the request, sign-out must delete that very session.
test('sign-out deletes the session however the Bearer header was spaced', async () => {
  const s = await login(srv, 'auditor');
  const spaced = { Authorization: `Bearer   ${s.token}` };
  assert.equal((await api(srv, 'GET', '/api/v1/me', { headers: spaced })).status, 200);
  const out = await api(srv, 'POST', '/api/v1/auth/logout', { headers: spaced });
  assert.equal(out.status, 204);
  assertError(await api(srv, 'GET', '/api/v1/me', { token: s.token }), 401, 'auth.invalid_token');
});

test('malformed Authorization headers are 401 auth.invalid_token', async () => {
  for (const h of ['Basic YWRtaW46cWlhby1kZW1vLTIwMjY=', 'Token abc', 'Bearer', 'Bearerabc']) {
    const r = await api(srv, 'GET', '/api/v1/me', { headers: { Authorization: h } });
    assertError(r, 401, 'auth.invalid_token');
  }
  // "Bearer " with nothing after it
  const empty = await api(srv, 'GET', '/api/v1/me', { headers: { Authorization: 'Bearer  ' } });
  assertError(empty, 401, 'auth.invalid_token');
});

test('a random well-formed token is 401 auth.invalid_token', async () => {
  const fake = randomBytes(32).toString('base64url');
  assertError(await api(srv, 'GET', '/api/v1/me', { token: fake }), 401, 'auth.invalid_token');
  assertError(await api(srv, 'GET', '/api/v1/firms', { token: fake }), 401, 'auth.invalid_token');
  // a random cookie is just no session
  assertError(await api(srv, 'GET', '/api/v1/me', { headers: cookie(fake) }), 401,
    'auth.required');
});

test('a bad bearer token does not stop public routes', async () => {
  const fake = randomBytes(32).toString('base64url');
  const r = await api(srv, 'GET', '/api/v1/health', { token: fake });
  assert.equal(r.status, 200, r.text);
  const c = await api(srv, 'GET', '/api/v1/centers', { headers: { Authorization: 'Basic x' } });
  assert.equal(c.status, 200, c.text);
});

test('a bearer token wins over a cookie', async () => {
  const a = await login(srv, 'officer.zhc');
  const b = await login(srv, 'mediator.wong');
  const r = await api(srv, 'GET', '/api/v1/me', { token: a.token, headers: cookie(b.token) });
  assert.equal(r.status, 200);
  assert.equal(r.json.username, 'officer.zhc');
  const bad = randomBytes(32).toString('base64url');
  assertError(await api(srv, 'GET', '/api/v1/me', { token: bad, headers: cookie(b.token) }), 401,
    'auth.invalid_token');
});

test('CSRF: a cookie-authenticated PATCH /me without X-CSRF-Token is refused; nothing changes',
  async () => {
    const s = await login(srv, 'resident.chan');
    assert.equal(s.user.language, 'zh-Hant');
    const none = await api(srv, 'PATCH', '/api/v1/me',
      { headers: cookie(s.token), body: { language: 'pt' } });
    assertError(none, 403, 'auth.csrf');
    const wrong = await api(srv, 'PATCH', '/api/v1/me',
      { headers: { ...cookie(s.token), 'X-CSRF-Token': randomBytes(32).toString('base64url') },
        body: { language: 'pt' } });
    assertError(wrong, 403, 'auth.csrf');
    // the token of another session does not fit this one
    const other = await login(srv, 'resident.chan');
    const foreign = await api(srv, 'PATCH', '/api/v1/me',
      { headers: { ...cookie(s.token), 'X-CSRF-Token': other.csrf_token }, body: { language: 'pt' } });
    assertError(foreign, 403, 'auth.csrf');
    // the session's token itself is no CSRF token
    const itself = await api(srv, 'PATCH', '/api/v1/me',
      { headers: { ...cookie(s.token), 'X-CSRF-Token': s.token }, body: { language: 'pt' } });
    assertError(itself, 403, 'auth.csrf');
    const me = await api(srv, 'GET', '/api/v1/me', { token: s.token });
    assert.equal(me.json.language, 'zh-Hant', 'the refused changes wrote nothing');

    const ok = await api(srv, 'PATCH', '/api/v1/me',
      { headers: { ...cookie(s.token), 'X-CSRF-Token': s.csrf_token }, body: { language: 'pt' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.language, 'pt');
    assert.equal(ok.json.username, 'resident.chan');
    assert.ok(!('csrf_token' in ok.json));
    const after = await api(srv, 'GET', '/api/v1/me', { headers: cookie(s.token) });
    assert.equal(after.json.language, 'pt');
    // the CSRF token from GET /me works too
    const back = await api(srv, 'PATCH', '/api/v1/me',
      { headers: { ...cookie(s.token), 'X-CSRF-Token': after.json.csrf_token },
        body: { language: 'zh-Hant' } });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.json.language, 'zh-Hant');
  });

test('bearer writes need no CSRF token', async () => {
  const s = await login(srv, 'mediator.chen');
  const r = await api(srv, 'PATCH', '/api/v1/me', { token: s.token, body: { language: 'en' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.language, 'en');
  const me = await api(srv, 'GET', '/api/v1/me', { token: s.token });
  assert.equal(me.json.language, 'en');
  // and the new preference is what the next sign-in reports
  const again = await login(srv, 'mediator.chen');
  assert.equal(again.user.language, 'en');
});

test('PATCH /me validates the language and refuses unknown fields', async () => {
  const s = await login(srv, 'officer.zhc');
  const bad = await api(srv, 'PATCH', '/api/v1/me',
    { token: s.token, body: { language: 'fr', role: 'admin' } });
  const e = assertError(bad, 400, 'request.validation');
  assert.deepEqual(e.fields.map((f) => [f.field, f.code]),
    [['language', 'choice'], ['role', 'unknown']]);
  const missing = await api(srv, 'PATCH', '/api/v1/me', { token: s.token, body: {} });
  assert.deepEqual(assertError(missing, 400, 'request.validation').fields.map((f) => [f.field, f.code]),
    [['language', 'required']]);
  const me = await api(srv, 'GET', '/api/v1/me', { token: s.token });
  assert.equal(me.json.role, 'case_officer');
  assert.equal(me.json.language, 'zh-Hans');
});

test('login checks its body: missing fields, wrong types, unknown fields', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/login',
    { body: { username: 7, remember: true } });
  const e = assertError(r, 400, 'request.validation');
  assert.deepEqual(e.fields.map((f) => [f.field, f.code]),
    [['username', 'type'], ['password', 'required'], ['remember', 'unknown']]);
  // an empty string is no answer to a required field
  const empty = await api(srv, 'POST', '/api/v1/auth/login',
    { body: { username: '', password: '' } });
  assert.deepEqual(assertError(empty, 400, 'request.validation').fields.map((f) => [f.field, f.code]),
    [['username', 'required'], ['password', 'required']]);
});
