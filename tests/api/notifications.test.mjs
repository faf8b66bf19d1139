// notifications.test.mjs: the in-app inbox (GET /api/v1/notifications, POST …/read): who is told
// of which step (the case's people, the center's officers for what a party asks of them, never
// the one who acted; a replaced or recused mediator too), messages in the reader's language,
// paging, the unread filter and count, marking read (only one's own), and refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const T = {};
const cat = {};

before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'resident.chan', 'officer.hq', 'officer.zhc', 'lawyer.ho',
    'lawyer.sousa', 'mediator.zhou', 'mediator.fonseca', 'mediator.liu', 'auditor'])
    T[u] = (await login(srv, u)).token;
  for (const l of ['en', 'zh-Hans', 'zh-Hant', 'pt'])
    cat[l] = (await api(srv, 'GET', `/api/v1/i18n/${l}`)).json;
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body, lang) => api(srv, method, path, { token: T[who], body, lang });
const inbox = (who, q = '') => call('GET', `/api/v1/notifications${q}`, who);
function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
}
// The events a user was told of on one case, oldest first.
async function told(who, caseId) {
  const r = await inbox(who, '?limit=100');
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((n) => n.case.id === caseId).map((n) => n.event).reverse();
}

test('the demo\'s steps reached the case\'s people, not the ones who took them', async () => {
  // case 2 (HQ, resident.chan's, in screening): submitted by the filer, screened by officer.hq
  assert.deepEqual(await told('resident.chan', 2), ['start_screening']);
  assert.deepEqual(await told('officer.hq', 2), ['submit']);
  assert.deepEqual(await told('officer.zhc', 2), [], 'another center\'s officer');
  assert.deepEqual(await told('lawyer.ho', 2), []);
  // case 9 (ZHC): the respondent (resident.li) agreed; the filer's firm lawyer was told
  const ho = await told('lawyer.ho', 9);
  assert.deepEqual(ho, ['start_screening', 'accept', 'invite_respondent', 'respondent_agree']);
  assert.deepEqual(await told('lawyer.sousa', 9), [], 'a firm colleague is not one of the case\'s people');
  assert.ok((await told('officer.zhc', 9)).includes('respondent_agree'));
  assert.ok(!(await told('officer.zhc', 9)).includes('accept'), 'their own step');
});

test('an entry: its shape, its message in the reader\'s language, the unread count', async () => {
  const r = await inbox('resident.chan');
  assert.equal(r.status, 200, r.text);
  const n = r.json.items.find((x) => x.case.id === 2);
  assert.deepEqual(Object.keys(n).sort(), ['actor_role', 'case', 'created_at', 'event', 'id',
    'message', 'read_at', 'to']);
  assert.equal(n.actor_role, 'case_officer');
  assert.equal(n.to, 'screening');
  assert.equal(n.read_at, null);
  // resident.chan reads Traditional Chinese (their preference wins over Accept-Language)
  assert.equal(n.message, `${n.case.number}：${cat['zh-Hant']['web.event.start_screening']}`);
  const en = await call('GET', '/api/v1/notifications', 'officer.zhc');
  const m = en.json.items[0];
  assert.equal(m.message.startsWith(`${m.case.number}`), true);
  assert.ok(r.json.unread >= r.json.items.filter((x) => !x.read_at).length);
  assert.equal(r.json.next_cursor, null);
});

test('paging and the unread filter', async () => {
  const all = (await inbox('lawyer.ho', '?limit=100')).json.items;
  assert.ok(all.length >= 6, String(all.length));
  const ids = all.map((n) => n.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  const p1 = (await inbox('lawyer.ho', '?limit=2')).json;
  assert.deepEqual(p1.items.map((n) => n.id), ids.slice(0, 2));
  assert.equal(p1.next_cursor, String(ids[1]));
  const p2 = (await inbox('lawyer.ho', `?limit=2&cursor=${p1.next_cursor}`)).json;
  assert.deepEqual(p2.items.map((n) => n.id), ids.slice(2, 4));

  for (const q of ['?limit=0', '?limit=101', '?cursor=x', '?unread=yes'])
    err(await inbox('lawyer.ho', q), 400, 'request.invalid_query');
  err(await api(srv, 'GET', '/api/v1/notifications'), 401, 'auth.required');
});

test('marking read: by ids (only one\'s own) or all; the unread count follows', async () => {
  const mine = (await inbox('resident.li', '?limit=100')).json;
  assert.ok(mine.unread >= 2, String(mine.unread));
  const [a, b] = mine.items.map((n) => n.id);
  const theirs = (await inbox('resident.chan', '?limit=1')).json.items[0];
  let r = await call('POST', '/api/v1/notifications/read', 'resident.li', { ids: [a, theirs.id] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unread, mine.unread - 1);
  const after = (await inbox('resident.chan', '?limit=1')).json.items[0];
  assert.equal(after.read_at, null, 'another user\'s entry is untouched');
  const unread = (await inbox('resident.li', '?unread=true&limit=100')).json;
  assert.ok(!unread.items.some((n) => n.id === a));
  assert.ok(unread.items.some((n) => n.id === b));
  assert.equal(unread.unread, unread.items.length);
  const read = (await inbox('resident.li', '?limit=100')).json.items.find((n) => n.id === a);
  assert.equal(typeof read.read_at, 'number');

  for (const body of [{}, { ids: [b], all: true }]) {
    r = await call('POST', '/api/v1/notifications/read', 'resident.li', body);
    err(r, 400, 'request.validation');
    assert.deepEqual(r.json.error.fields.map((f) => [f.field, f.code]), [['ids', 'one_of']]);
  }
  r = await call('POST', '/api/v1/notifications/read', 'resident.li', { ids: ['x'] });
  err(r, 400, 'request.validation');
  r = await call('POST', '/api/v1/notifications/read', 'resident.li', { ids: [] });
  err(r, 400, 'request.validation');
  r = await call('POST', '/api/v1/notifications/read', 'resident.li', { all: true }, 'pt');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unread, 0);
  assert.equal((await inbox('resident.li', '?unread=true')).json.items.length, 0);
});

test('assignment, reassignment and recusal: the mediators in and out, the parties, the officers', async () => {
  // case 9: the first pair is assigned
  let r = await call('POST', '/api/v1/cases/9/assignment', 'officer.zhc',
    { mediators: ['mediator.zhou', 'mediator.fonseca'] });
  assert.equal(r.status, 200, r.text);
  for (const u of ['mediator.zhou', 'mediator.fonseca', 'resident.li', 'lawyer.ho'])
    assert.equal((await told(u, 9)).at(-1), 'assign_mediator', u);
  assert.notEqual((await told('officer.zhc', 9)).at(-1), 'assign_mediator');
  // the other pair replaces it: zhou, no longer on the case, is told all the same
  r = await call('POST', '/api/v1/cases/9/assignment', 'officer.zhc',
    { mediators: ['mediator.liu', 'mediator.fonseca'], reason: '周调解员下月休假。' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await told('mediator.zhou', 9), ['assign_mediator', 'reassign_mediator']);
  assert.deepEqual(await told('mediator.liu', 9), ['reassign_mediator']);
  assert.equal((await told('mediator.fonseca', 9)).at(-1), 'reassign_mediator');
  const z = (await inbox('mediator.zhou')).json.items[0];
  err(await call('GET', `/api/v1/cases/${z.case.id}`, 'mediator.zhou'), 404, 'case.not_found');

  // a party asks for fonseca's recusal: the center's officers and fonseca are told
  r = await call('POST', '/api/v1/cases/9/recusals', 'resident.li',
    { mediator: 'mediator.fonseca', grounds: '该调解员曾代理对方公司。' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await told('officer.zhc', 9)).at(-1), 'recusal_request');
  assert.equal((await told('mediator.fonseca', 9)).at(-1), 'recusal_request');
  assert.equal((await told('lawyer.ho', 9)).at(-1), 'recusal_request');
  r = await call('POST', `/api/v1/cases/9/recusals/${r.json.id}/decision`, 'officer.zhc',
    { accept: true, reason: '理由成立。' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await told('mediator.fonseca', 9)).at(-1), 'recusal_accepted', 'the recused mediator too');
  assert.equal((await told('resident.li', 9)).at(-1), 'recusal_accepted');
  const msg = (await inbox('resident.li')).json.items[0].message;
  assert.ok(msg.includes(cat['zh-Hans']['web.event.recusal_accepted']), msg);
});
