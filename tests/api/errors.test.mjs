// errors.test.mjs: bad input as users (and broken clients) send it: malformed JSON, wrong body
// shapes, wrong types, missing and unknown fields (all reported at once, by path), bodies over
// 1 MiB (with Content-Length and chunked), invalid UTF-8, control characters, unknown routes,
// wrong methods, strict query parsing; and that a refused request wrote nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, api, login } from './lib/server.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
});
after(async () => { await srv?.stop(); });

const MiB = 1024 * 1024;

// A plain node:http request, for what fetch cannot send: a body refused before it is read, a
// chunked body, raw bytes. Resolves {status, headers, text, json}; a connection that ends without
// a reply resolves with status 0 and the error (never hangs).
function raw(method, path, { headers = {}, body, chunked = false } = {}) {
  const url = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers,
      agent: false });
    let answered = false;
    const giveUp = setTimeout(() => { req.destroy(); reject(new Error('no reply in 15 s')); }, 15000);
    req.on('response', (res) => {
      answered = true;
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        clearTimeout(giveUp);
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    // the server may answer and close before it has read the whole body: the reply may still
    // arrive after the write failed, so wait a moment for it
    req.on('error', (e) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') {
        clearTimeout(giveUp);
        reject(e);
        return;
      }
      setTimeout(() => {
        if (answered) return;
        clearTimeout(giveUp);
        resolve({ status: 0, headers: {}, text: `connection ended without a reply: ${e.code}`,
          json: null });
      }, 2000);
    });
    if (body !== undefined) {
      const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
      if (chunked) {
        for (let i = 0; i < b.length; i += 64 * 1024) req.write(b.subarray(i, i + 64 * 1024));
      } else {
        req.setHeader('Content-Length', b.length);
        req.write(b);
      }
    }
    req.end();
  });
}

// Checks the error body's shape and code; returns [[field, code]…].
function fieldsOf(r, status, code) {
  assert.equal(r.status, status, r.text);
  const e = r.json?.error;
  assert.ok(e, `an error body: ${r.text}`);
  assert.deepEqual(Object.keys(e).sort(), ['code', 'fields', 'message']);
  assert.equal(e.code, code);
  assert.ok(Array.isArray(e.fields));
  for (const f of e.fields) {
    assert.deepEqual(Object.keys(f).sort(), ['code', 'field', 'message'], JSON.stringify(f));
    assert.equal(typeof f.message, 'string');
    assert.ok(f.message.length > 0 && !f.message.startsWith('field.'), f.message);
  }
  return e.fields.map((f) => [f.field, f.code]);
}

const sorted = (pairs) => [...pairs].sort((a, b) => (a.join() < b.join() ? -1 : 1));

async function userNames() {
  const r = await api(srv, 'GET', '/api/v1/users?limit=100', { token: admin.token });
  assert.equal(r.status, 200);
  return r.json.items.map((u) => u.username);
}

const goodRegistration = (username) => ({ username, password: 'harbour-lights-88',
  display_name: 'Test Person', language: 'en', email: `${username}@example.org` });

test('malformed JSON → 400 request.malformed_json with line and column', async () => {
  for (const body of ['{"username": "a",', '{username: "a"}', "{'a': 1}", '{"a": 1}}', '   ',
    '{"a": 01}', '{"a":"b","a":"c"}', '{"a":"\\x"}']) {
    const r = await api(srv, 'POST', '/api/v1/auth/register', { body });
    const f = fieldsOf(r, 400, 'request.malformed_json');
    assert.deepEqual(f, [['', 'malformed']], body);
    assert.match(r.json.error.fields[0].message, /line \d+, column \d+/);
  }
});

test('a JSON array body → 400 request.not_an_object', async () => {
  for (const body of ['[]', '[{"username":"a"}]']) {
    const r = await api(srv, 'POST', '/api/v1/auth/login', { body });
    assert.deepEqual(fieldsOf(r, 400, 'request.not_an_object'), [], body);
  }
});

// Well-formed JSON that is not an object is not "malformed": the client sent valid JSON of the
// wrong shape, and the reply should say so (request.not_an_object), not blame the syntax.
test('a JSON scalar body (42, "x", true, null) → 400 request.not_an_object', async () => {
  for (const body of ['42', '"x"', 'true', 'null']) {
    const r = await api(srv, 'POST', '/api/v1/auth/login', { body });
    assert.deepEqual(fieldsOf(r, 400, 'request.not_an_object'), [], body);
  }
});

test('an empty body → 400 request.empty_body', async () => {
  for (const path of ['/api/v1/auth/login', '/api/v1/auth/register']) {
    const r = await raw('POST', path, { headers: { 'Content-Type': 'application/json' }, body: '' });
    assert.deepEqual(fieldsOf(r, 400, 'request.empty_body'), []);
  }
  const noBody = await api(srv, 'PATCH', '/api/v1/me', { token: admin.token });
  assert.deepEqual(fieldsOf(noBody, 400, 'request.empty_body'), []);
});

test('wrong types, missing and unknown fields are all reported at once, by path', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/register', {
    body: { username: 42, display_name: ['Li'], language: 'fr', email: true, phone: 85366123456,
      role: 'admin', extra: { nested: 1 } },
  });
  assert.deepEqual(sorted(fieldsOf(r, 400, 'request.validation')), sorted([
    ['username', 'type'], ['password', 'required'], ['display_name', 'type'],
    ['email', 'type'], ['phone', 'type'], ['language', 'choice'], ['role', 'unknown'],
    ['extra', 'unknown'],
  ]));
  const typeMsg = r.json.error.fields.find((f) => f.field === 'username').message;
  assert.match(typeMsg, /string/);
  const choiceMsg = r.json.error.fields.find((f) => f.field === 'language').message;
  for (const l of ['zh-Hans', 'zh-Hant', 'en', 'pt']) assert.ok(choiceMsg.includes(l), choiceMsg);
});

test('an empty object lists every required field', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/register', { body: {} });
  assert.deepEqual(sorted(fieldsOf(r, 400, 'request.validation')), sorted([
    ['username', 'required'], ['password', 'required'], ['display_name', 'required'],
    ['language', 'required'], ['email', 'email_or_phone'],
  ]));
  const u = await api(srv, 'POST', '/api/v1/users', { token: admin.token, body: {} });
  assert.deepEqual(sorted(fieldsOf(u, 400, 'request.validation')), sorted([
    ['username', 'required'], ['password', 'required'], ['role', 'required'],
    ['display_name', 'required'], ['language', 'required'],
  ]));
});

test('null counts as missing for a required field', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/login', { body: { username: null, password: 'x' } });
  assert.deepEqual(fieldsOf(r, 400, 'request.validation'), [['username', 'required']]);
});

test('array items are reported by index', async () => {
  const r = await api(srv, 'POST', '/api/v1/users', { token: admin.token, body: {
    username: 'med.paths', password: 'harbour-lights-88', role: 'mediator', display_name: 'M',
    language: 'en', centers: ['HQ', 7, '', 'x'.repeat(201)], firm: 12 } });
  assert.deepEqual(sorted(fieldsOf(r, 400, 'request.validation')), sorted([
    ['centers[1]', 'type'], ['centers[2]', 'too_short'], ['centers[3]', 'too_long'],
    ['firm', 'type'],
  ]));
  const notArray = await api(srv, 'POST', '/api/v1/users', { token: admin.token, body: {
    username: 'med.paths', password: 'harbour-lights-88', role: 'mediator', display_name: 'M',
    language: 'en', centers: 'HQ' } });
  assert.deepEqual(fieldsOf(notArray, 400, 'request.validation'), [['centers', 'type']]);
  assert.ok(!(await userNames()).includes('med.paths'));
});

test('lengths are counted in characters, with the bounds in the message', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/register', { lang: 'en', body: {
    ...goodRegistration('ab'), display_name: '李'.repeat(101) } });
  const fields = r.json.error.fields;
  assert.deepEqual(fieldsOf(r, 400, 'request.validation'),
    [['username', 'too_short'], ['display_name', 'too_long']]);
  assert.equal(fields[0].message, 'Too short: at least 3 characters.');
  assert.equal(fields[1].message, 'Too long: at most 100 characters.');
  // 100 CJK characters (300 bytes) are within the bound
  const ok = await api(srv, 'POST', '/api/v1/auth/register', { body: {
    ...goodRegistration('long.name'), display_name: '李'.repeat(100) } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.display_name, '李'.repeat(100));
});

test('a body over 1 MiB with Content-Length → 413 request.too_large, nothing written', async () => {
  const body = JSON.stringify({ ...goodRegistration('big.cl'), display_name: 'x'.repeat(MiB) });
  const r = await raw('POST', '/api/v1/auth/register',
    { headers: { 'Content-Type': 'application/json' }, body });
  assert.deepEqual(fieldsOf(r, 413, 'request.too_large'), []);
  assert.ok(!(await userNames()).includes('big.cl'));
});

test('a chunked body over 1 MiB → 413 request.too_large, nothing written', async () => {
  const body = JSON.stringify({ ...goodRegistration('big.chunked'), display_name: 'x'.repeat(MiB) });
  const r = await raw('POST', '/api/v1/auth/register',
    { headers: { 'Content-Type': 'application/json' }, body, chunked: true });
  assert.deepEqual(fieldsOf(r, 413, 'request.too_large'), []);
  assert.ok(!(await userNames()).includes('big.chunked'));
  // the server is still well
  assert.equal((await api(srv, 'GET', '/api/v1/health')).status, 200);
});

test('a body of exactly 1 MiB is read (and then judged on its fields)', async () => {
  const head = JSON.stringify({ ...goodRegistration('exact.mib'), display_name: '' });
  const pad = MiB - Buffer.byteLength(head);
  const body = head.replace('"display_name":""', `"display_name":"${'y'.repeat(pad)}"`);
  assert.equal(Buffer.byteLength(body), MiB);
  for (const chunked of [false, true]) {
    const r = await raw('POST', '/api/v1/auth/register',
      { headers: { 'Content-Type': 'application/json' }, body, chunked });
    assert.deepEqual(fieldsOf(r, 400, 'request.validation'), [['display_name', 'too_long']]);
  }
  const over = body.replace('"display_name":"', '"display_name":"y');
  assert.equal(Buffer.byteLength(over), MiB + 1);
  const r = await raw('POST', '/api/v1/auth/register',
    { headers: { 'Content-Type': 'application/json' }, body: over, chunked: true });
  assert.deepEqual(fieldsOf(r, 413, 'request.too_large'), []);
});

test('invalid UTF-8 bytes → 400 request.invalid_utf8, nothing written', async () => {
  const bad = [
    Buffer.concat([Buffer.from('{"username":"bad.utf","password":"harbour-lights-88",'
      + '"display_name":"Li'), Buffer.from([0xff, 0xfe]),
    Buffer.from('","language":"en","email":"b@example.org"}')]),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // C3 28
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // surrogate
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), // overlong '/'
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe6, 0x9d]), // truncated at the end
  ];
  for (const b of bad) {
    const r = await raw('POST', '/api/v1/auth/register',
      { headers: { 'Content-Type': 'application/json' }, body: b });
    assert.deepEqual(fieldsOf(r, 400, 'request.invalid_utf8'), [], b.toString('hex'));
  }
  assert.ok(!(await userNames()).includes('bad.utf'));
});

test('control characters in a name → field code controls', async () => {
  for (const name of ['Li\u0007Ming', 'Li\nMing', 'Li\tMing', 'Li\u007fMing', 'Li\u0085Ming',
    'Li\u001bMing']) {
    const r = await api(srv, 'POST', '/api/v1/auth/register',
      { body: { ...goodRegistration('ctl.name'), display_name: name } });
    assert.deepEqual(fieldsOf(r, 400, 'request.validation'), [['display_name', 'controls']],
      JSON.stringify(name));
  }
  const u = await api(srv, 'POST', '/api/v1/users', { token: admin.token,
    body: { ...goodRegistration('ctl.staff'), role: 'auditor', display_name: 'A\rB' } });
  assert.deepEqual(fieldsOf(u, 400, 'request.validation'), [['display_name', 'controls']]);
  const names = await userNames();
  assert.ok(!names.includes('ctl.name') && !names.includes('ctl.staff'));
});

test('a NUL escape is refused as malformed JSON', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/register',
    { body: JSON.stringify({ ...goodRegistration('nul.name'), display_name: 'a\u0000b' }) });
  assert.deepEqual(fieldsOf(r, 400, 'request.malformed_json'), [['', 'malformed']]);
});

test('text is stored in NFC', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/register',
    { body: { ...goodRegistration('nfc.name'), display_name: 'Jose\u0301 Sa\u0303o' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.display_name, 'José São'.normalize('NFC'));
  assert.equal(r.json.display_name, 'Jos\u00e9 S\u00e3o');
});

test('unknown routes → 404 request.not_found', async () => {
  for (const p of ['/api/v1/nope', '/api/v2/health', '/api/v1/health/extra', '/api/v1/users/1',
    '/api/v1/i18n/', '/api/v1/i18n/en/x', '/api/', '/api/v1/HEALTH']) {
    const r = await api(srv, 'GET', p);
    assert.deepEqual(fieldsOf(r, 404, 'request.not_found'), [], p);
  }
  const post = await api(srv, 'POST', '/api/v1/nope', { body: {} });
  assert.deepEqual(fieldsOf(post, 404, 'request.not_found'), []);
  const del = await api(srv, 'DELETE', '/api/v1/nope');
  assert.deepEqual(fieldsOf(del, 404, 'request.not_found'), []);
});

test('a wrong method → 405 request.method_not_allowed with Allow', async () => {
  const cases = [
    ['DELETE', '/api/v1/me', 'GET, HEAD, PATCH'],
    ['PUT', '/api/v1/me', 'GET, HEAD, PATCH'],
    ['POST', '/api/v1/me', 'GET, HEAD, PATCH'],
    ['PUT', '/api/v1/users', 'GET, HEAD, POST'],
    ['GET', '/api/v1/auth/login', 'POST'],
    ['GET', '/api/v1/auth/logout', 'POST'],
    ['DELETE', '/api/v1/auth/register', 'POST'],
    ['POST', '/api/v1/health', 'GET, HEAD'],
    ['PATCH', '/api/v1/centers', 'GET, HEAD'],
    ['POST', '/api/v1/firms', 'GET, HEAD'],
    ['POST', '/api/v1/i18n/en', 'GET, HEAD'],
    ['OPTIONS', '/api/v1/openapi.yaml', 'GET, HEAD'],
  ];
  for (const [m, p, allow] of cases) {
    const r = await api(srv, m, p, m === 'GET' || m === 'OPTIONS' ? {} : { body: {} });
    assert.deepEqual(fieldsOf(r, 405, 'request.method_not_allowed'), [], `${m} ${p}`);
    assert.equal(r.headers.get('allow'), allow, `${m} ${p}`);
  }
});

test('the method is checked before authentication', async () => {
  const r = await api(srv, 'DELETE', '/api/v1/users');
  assert.equal(r.status, 405);
});

test('HEAD works where GET does', async () => {
  const r = await raw('HEAD', '/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});

test('strict query parsing → 400 request.invalid_query with fields', async () => {
  const q = async (query) => api(srv, 'GET', `/api/v1/users?${query}`, { token: admin.token });
  for (const [query, expected] of [
    ['limit=12x', [['limit', 'out_of_range']]],
    ['limit=0', [['limit', 'out_of_range']]],
    ['limit=101', [['limit', 'out_of_range']]],
    ['limit=-1', [['limit', 'out_of_range']]],
    ['limit=%2B1', [['limit', 'out_of_range']]],
    ['limit=01', [['limit', 'out_of_range']]],
    ['limit=1.5', [['limit', 'out_of_range']]],
    ['limit=', [['limit', 'out_of_range']]],
    ['limit=99999999999999999999999', [['limit', 'out_of_range']]],
    ['cursor=abc', [['cursor', 'cursor']]],
    ['cursor=-5', [['cursor', 'cursor']]],
    ['cursor=', [['cursor', 'cursor']]],
    ['cursor=99999999999999999999999', [['cursor', 'cursor']]],
    ['limit=12x&cursor=abc', [['limit', 'out_of_range'], ['cursor', 'cursor']]],
    ['role=boss', [['role', 'choice']]],
    ['role=', [['role', 'choice']]],
  ]) {
    const r = await q(query);
    assert.deepEqual(fieldsOf(r, 400, 'request.invalid_query'), expected, query);
  }
  const r = await q('limit=0');
  assert.equal(r.json.error.fields[0].message, 'Must be from 1 to 100.');
  for (const ok of ['limit=1', 'limit=100', 'cursor=0', 'cursor=3&limit=2', 'role=admin']) {
    assert.equal((await q(ok)).status, 200, ok);
  }
});

test('every error reply carries the usual headers', async () => {
  const r = await api(srv, 'GET', '/api/v1/nope');
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  assert.equal(r.headers.get('content-language'), 'en');
});
