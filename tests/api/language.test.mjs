// language.test.mjs: the language errors are written in: the signed-in user's stored preference,
// else Accept-Language (zh-CN → zh-Hans, zh-TW/HK/MO → zh-Hant, pt-* → pt, en), else English.
// Each expected text is taken from the served catalog, so the test checks the negotiation, not
// the wording.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

const LANGS = ['en', 'zh-Hans', 'zh-Hant', 'pt'];
let srv;
const catalog = {};

before(async () => {
  srv = await startServer();
  for (const l of LANGS) catalog[l] = (await api(srv, 'GET', `/api/v1/i18n/${l}`)).json;
});
after(async () => { await srv?.stop(); });

// An anonymous GET /me (401 auth.required) with the given Accept-Language.
async function anonymousError(acceptLanguage) {
  const headers = acceptLanguage === undefined ? {} : { 'Accept-Language': acceptLanguage };
  const r = await api(srv, 'GET', '/api/v1/me', { headers });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'auth.required');
  return r;
}

test('the four catalogs hold different texts for the same error', () => {
  const texts = LANGS.map((l) => catalog[l]['error.auth.required']);
  for (const t of texts) assert.equal(typeof t, 'string');
  assert.equal(new Set(texts).size, 4, texts.join(' | '));
});

const cases = [
  [undefined, 'en'],
  ['en', 'en'],
  ['en-GB', 'en'],
  ['zh-CN', 'zh-Hans'],
  ['zh', 'zh-Hans'],
  ['zh-Hans', 'zh-Hans'],
  ['zh-SG', 'zh-Hans'],
  ['zh-TW', 'zh-Hant'],
  ['zh-HK', 'zh-Hant'],
  ['zh-MO', 'zh-Hant'],
  ['zh-Hant', 'zh-Hant'],
  ['zh-Hant-HK', 'zh-Hant'],
  ['pt', 'pt'],
  ['pt-BR', 'pt'],
  ['pt-PT', 'pt'],
  ['fr', 'en'],
  ['*', 'en'],
  ['fr;q=1, zh-TW;q=0.5', 'zh-Hant'],
  ['en;q=0.3, pt-MO;q=0.9, zh-CN;q=0.5', 'pt'],
  ['zh-CN;q=0.8, zh-TW', 'zh-Hant'],
  ['de-DE, fr;q=0.9', 'en'],
];
for (const [header, lang] of cases) {
  test(`Accept-Language ${JSON.stringify(header)} → ${lang}`, async () => {
    const r = await anonymousError(header);
    assert.equal(r.headers.get('content-language'), lang);
    assert.equal(r.json.error.message, catalog[lang]['error.auth.required']);
  });
}

test('field messages are localized too, with their arguments', async () => {
  const body = { username: 'x'.repeat(33), password: 'a-fine-passphrase', display_name: 'X',
    language: 'en', email: 'x@example.org' };
  const en = await api(srv, 'POST', '/api/v1/auth/register', { body, lang: 'en' });
  assert.equal(en.status, 400);
  assert.equal(en.headers.get('content-language'), 'en');
  assert.deepEqual(en.json.error.fields,
    [{ field: 'username', code: 'too_long', message: 'Too long: at most 32 characters.' }]);
  assert.equal(en.json.error.message, catalog.en['error.request.validation']);
  const seen = new Set();
  for (const [header, lang] of [['zh-CN', 'zh-Hans'], ['zh-MO', 'zh-Hant'], ['pt-BR', 'pt']]) {
    const r = await api(srv, 'POST', '/api/v1/auth/register', { body, lang: header });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('content-language'), lang);
    assert.equal(r.json.error.message, catalog[lang]['error.request.validation']);
    const m = r.json.error.fields[0].message;
    assert.match(m, /32/, m);
    assert.ok(!m.includes('{'), `formatted: ${m}`);
    seen.add(m);
  }
  seen.add(en.json.error.fields[0].message);
  assert.equal(seen.size, 4, [...seen].join(' | '));
});

test('a malformed body is reported in the requested language', async () => {
  const r = await api(srv, 'POST', '/api/v1/auth/login', { body: '{"username":', lang: 'zh-HK' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'request.malformed_json');
  assert.equal(r.headers.get('content-language'), 'zh-Hant');
  assert.equal(r.json.error.message, catalog['zh-Hant']['error.request.malformed_json']);
  assert.equal(r.json.error.fields[0].code, 'malformed');
  assert.ok(!r.json.error.fields[0].message.includes('{line}'));
});

test('a signed-in user\'s stored preference beats Accept-Language', async () => {
  const hq = await login(srv, 'officer.hq'); // zh-Hant
  const r = await api(srv, 'GET', '/api/v1/users', { token: hq.token, lang: 'en' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'auth.forbidden');
  assert.equal(r.headers.get('content-language'), 'zh-Hant');
  assert.equal(r.json.error.message, catalog['zh-Hant']['error.auth.forbidden']);

  const sousa = await login(srv, 'lawyer.sousa'); // pt
  const p = await api(srv, 'GET', '/api/v1/users', { token: sousa.token, lang: 'zh-CN' });
  assert.equal(p.headers.get('content-language'), 'pt');
  assert.equal(p.json.error.message, catalog.pt['error.auth.forbidden']);

  const li = await login(srv, 'resident.li'); // zh-Hans
  const z = await api(srv, 'PATCH', '/api/v1/me',
    { token: li.token, lang: 'pt-BR', body: { language: 'xx' } });
  assert.equal(z.status, 400);
  assert.equal(z.headers.get('content-language'), 'zh-Hans');
  assert.equal(z.json.error.message, catalog['zh-Hans']['error.request.validation']);
});

test('changing the preference changes the language of later errors', async () => {
  const s = await login(srv, 'mediator.wong'); // zh-Hant
  const before = await api(srv, 'GET', '/api/v1/users', { token: s.token, lang: 'pt' });
  assert.equal(before.headers.get('content-language'), 'zh-Hant');
  const patch = await api(srv, 'PATCH', '/api/v1/me', { token: s.token, body: { language: 'en' } });
  assert.equal(patch.status, 200);
  const after = await api(srv, 'GET', '/api/v1/users', { token: s.token, lang: 'pt' });
  assert.equal(after.headers.get('content-language'), 'en');
  assert.equal(after.json.error.message, catalog.en['error.auth.forbidden']);
});

test('a bad token is reported in the Accept-Language (nobody is signed in)', async () => {
  const r = await api(srv, 'GET', '/api/v1/me', { token: 'A'.repeat(43), lang: 'zh-TW' });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'auth.invalid_token');
  assert.equal(r.headers.get('content-language'), 'zh-Hant');
  assert.equal(r.json.error.message, catalog['zh-Hant']['error.auth.invalid_token']);
});

test('centers are named in the caller\'s language', async () => {
  const names = {};
  for (const [header, lang] of [['en', 'en'], ['zh-CN', 'zh-Hans'], ['zh-TW', 'zh-Hant'],
    ['pt-BR', 'pt']]) {
    const r = await api(srv, 'GET', '/api/v1/centers', { lang: header });
    assert.equal(r.status, 200);
    const hq = r.json.items.find((c) => c.code === 'HQ');
    assert.equal(hq.name, hq.names[lang]);
    names[lang] = hq.name;
  }
  assert.equal(names['zh-Hans'], '珠澳家事调解服务交流中心');
  assert.equal(names['zh-Hant'], '珠澳家事調解服務交流中心');
  // a signed-in user's preference wins here too
  const s = await login(srv, 'lawyer.ho'); // en
  const r = await api(srv, 'GET', '/api/v1/centers', { token: s.token, lang: 'zh-TW' });
  assert.equal(r.json.items.find((c) => c.code === 'HQ').name, names.en);
});
