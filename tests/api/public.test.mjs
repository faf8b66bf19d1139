// public.test.mjs: what anyone may fetch without signing in: health, the API reference, and the
// message catalogs of the four languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { startServer, api } from './lib/server.mjs';

const LANGS = ['en', 'zh-Hans', 'zh-Hant', 'pt'];
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

// The error codes of the registry (server/api/errors.c).
function registryCodes() {
  const c = readFileSync('server/api/errors.c', 'utf8');
  return [...c.matchAll(/\{\s*"([a-z0-9_.]+)"\s*,\s*(\d{3})\s*\}/g)].map((m) => [m[1], Number(m[2])]);
}

test('GET /api/v1/health', async () => {
  const r = await api(srv, 'GET', '/api/v1/health');
  assert.equal(r.status, 200);
  // schema is the version of the last migration applied: one per file in schema/
  const migrations = readdirSync('schema').filter((f) => /^\d{4}_.*\.sql$/.test(f)).length;
  assert.deepEqual(r.json, { status: 'ok', version: '0.1.0', schema: migrations });
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  const again = await api(srv, 'GET', '/api/v1/health');
  assert.notEqual(again.headers.get('x-request-id'), r.headers.get('x-request-id'));
  // signed in or not makes no difference
  const withJunk = await api(srv, 'GET', '/api/v1/health', { token: 'x' });
  assert.equal(withJunk.status, 200);
});

test('GET /api/v1/openapi.yaml serves docs/openapi.yaml as built', async () => {
  const r = await api(srv, 'GET', '/api/v1/openapi.yaml');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/yaml; charset=utf-8');
  assert.match(r.text, /^openapi: ["']?3\.1\.\d+["']?$/m);
  assert.equal(r.text, readFileSync('docs/openapi.yaml', 'utf8'),
    'the compiled-in copy is the file in docs/ (rebuild after editing it)');
});

test('GET /api/v1/i18n/{lang}: the merged catalog of each of the four languages', async () => {
  const catalogs = {};
  for (const l of LANGS) {
    const r = await api(srv, 'GET', `/api/v1/i18n/${l}`);
    assert.equal(r.status, 200, l);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.equal(typeof r.json, 'object');
    assert.ok(!Array.isArray(r.json));
    for (const [k, v] of Object.entries(r.json)) {
      assert.equal(typeof v, 'string', `${l} ${k} is a flat string`);
      assert.ok(v.length > 0, `${l} ${k} is not empty`);
    }
    catalogs[l] = r.json;
  }
  const keys = Object.keys(catalogs.en).sort();
  assert.ok(keys.length > 20);
  for (const l of LANGS) assert.deepEqual(Object.keys(catalogs[l]).sort(), keys, `${l} has en's keys`);
  // every error of the registry has its message, in every language
  for (const [code] of registryCodes()) {
    for (const l of LANGS) assert.ok(catalogs[l][`error.${code}`], `${l}: error.${code}`);
  }
  // the catalogs are translations, not copies
  assert.notEqual(catalogs.en['error.auth.required'], catalogs['zh-Hans']['error.auth.required']);
  assert.notEqual(catalogs['zh-Hans']['error.auth.required'],
    catalogs['zh-Hant']['error.auth.required']);
  assert.notEqual(catalogs.en['error.auth.required'], catalogs.pt['error.auth.required']);
});

test('GET /api/v1/i18n/{lang} is 404 for any other language tag', async () => {
  for (const tag of ['fr', 'zh', 'zh-CN', 'zh-TW', 'zh-hans', 'EN', 'pt-BR', 'en-US', 'xx',
    '..%2Fetc', 'en.json']) {
    const r = await api(srv, 'GET', `/api/v1/i18n/${tag}`);
    assert.equal(r.status, 404, tag);
    assert.equal(r.json.error.code, 'request.not_found', tag);
  }
});

test('the error registry has the codes and statuses the contract gives', () => {
  const registry = Object.fromEntries(registryCodes());
  for (const [code, status] of Object.entries({
    'auth.csrf': 403, 'auth.forbidden': 403, 'auth.invalid_credentials': 401,
    'auth.invalid_token': 401, 'auth.locked': 429, 'auth.required': 401, 'auth.throttled': 429,
    'auth.token_expired': 401, internal: 500, 'request.empty_body': 400,
    'request.invalid_query': 400, 'request.invalid_utf8': 400, 'request.malformed_json': 400,
    'request.method_not_allowed': 405, 'request.not_an_object': 400, 'request.not_found': 404,
    'request.too_large': 413, 'request.validation': 400, 'store.busy': 503,
    'user.username_taken': 409,
  })) assert.equal(registry[code], status, code);
});
