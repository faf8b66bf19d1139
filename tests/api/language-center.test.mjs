// The last step of language negotiation: nobody signed in and no Accept-Language → the language
// of the center the request names (?center=CODE); otherwise English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

async function refused(query, headers = {}) {
  const res = await fetch(`${srv.url}/api/v1/auth/register${query}`, { method: 'POST', headers, body: '{}' });
  assert.equal(res.status, 400);
  return { lang: res.headers.get('content-language'), json: await res.json() };
}

test('a named center gives its default language when nothing else does', async () => {
  assert.equal((await refused('?center=MOF')).lang, 'zh-Hant');
  assert.equal((await refused('?center=HQ')).lang, 'zh-Hans');
  assert.equal((await refused('')).lang, 'en');
  assert.equal((await refused('?center=NOPE')).lang, 'en');
});

test('Accept-Language still comes before the center', async () => {
  assert.equal((await refused('?center=MOF', { 'Accept-Language': 'pt-PT' })).lang, 'pt');
});
