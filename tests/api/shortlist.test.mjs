// shortlist.test.mjs: a commercial case's shortlist of three (POST/GET /api/v1/cases/{id}/shortlist,
// POST …/shortlist/ranking): who may offer and rank, every refusal with its code, what each side
// sees of the other's ranking, the joint choice (lowest sum of ranks, then the compromise, then the
// officer's order) assigning the mediator in the same step, a member who became ineligible passed
// over, an officer's own assignment withdrawing an open shortlist, and the notices sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const T = {};
const PW = 'long-enough-pass-4821';

before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'resident.chan', 'officer.hq', 'officer.zhc', 'lawyer.ho',
    'lawyer.sousa', 'admin', 'mediator.zhou', 'mediator.kwok', 'auditor'])
    T[u] = (await login(srv, u)).token;
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body, lang) => api(srv, method, path, { token: T[who], body, lang });
const offer = (id, mediators, who = 'officer.zhc') =>
  call('POST', `/api/v1/cases/${id}/shortlist`, who, { mediators });
const rank = (id, ranking, who) => call('POST', `/api/v1/cases/${id}/shortlist/ranking`, who, { ranking });
const get = (id, who) => call('GET', `/api/v1/cases/${id}/shortlist`, who);
const ev = (id, who, event) => call('POST', `/api/v1/cases/${id}/events`, who, { event });

function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
}
function fields(r, expected) {
  err(r, 400, 'request.validation');
  assert.deepEqual(r.json.error.fields.map((f) => [f.field, f.code]).sort(), [...expected].sort(), r.text);
}
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const TODAY = iso(Date.now() + 8 * 3600e3);
const addDays = (d, n) => iso(Date.parse(`${d}T00:00:00Z`) + n * 86400e3);

// The demo's commercial case whose parties both speak English (respondent_agreed).
async function demoCase() {
  const r = await call('GET', '/api/v1/cases?limit=50', 'officer.zhc');
  const c = r.json.items.find((k) => k.title === 'Unpaid freight charges — Macao shipments');
  assert.ok(c, 'the demo case');
  assert.equal(c.status, 'respondent_agreed');
  return c.id;
}

// Files a commercial case at ZHC (both sides speak English) as lawyer.ho and walks it to
// respondent_agreed with a newly registered respondent; returns [id, respondent].
let nres = 0;
async function agreedCase(title) {
  const party = (name, residence) => ({ kind: 'company', name, residence, language: 'en', spoken: ['english'] });
  let r = await call('POST', '/api/v1/cases', 'lawyer.ho', {
    center: 'ZHC', type: 'commercial', subtype: 'contract', title,
    summary: 'Unpaid invoices for freight.', applicants: [party('Harbour Freight Limited', 'hong_kong')],
    respondents: [party('Lotus Trading Limited', 'macao')], claims: [{ description: 'Invoices' }],
    consent: { mediation: true, electronic_service: false, addresses: [] }, submit: true,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal((await ev(id, 'officer.zhc', 'start_screening')).status, 200);
  r = await ev(id, 'officer.zhc', 'accept');
  assert.equal(r.status, 200, r.text);
  const who = `resp.s${++nres}`;
  assert.equal((await api(srv, 'POST', '/api/v1/auth/register', { body: { username: who, password: PW,
    display_name: who, language: 'en', email: `${who}@example.com` } })).status, 201);
  T[who] = (await login(srv, who, PW)).token;
  assert.equal((await call('POST', '/api/v1/invitations/redeem', who, { code: r.json.invitation.code })).status, 200);
  r = await ev(id, who, 'respondent_agree');
  assert.equal(r.json.status, 'respondent_agreed', r.text);
  return [id, who];
}

const TRIO = ['mediator.kwok', 'mediator.wong', 'mediator.zhou'];

test('offering: officers of the center only, commercial cases waiting for their first mediator, three eligible', async () => {
  const id = await demoCase();
  const p = await call('GET', `/api/v1/cases/${id}/assignment-proposal`, 'officer.zhc');
  assert.deepEqual(p.json.candidates.map((c) => c.mediator).sort(), TRIO);

  err(await get(id, 'officer.zhc'), 404, 'shortlist.not_found');
  for (const u of ['lawyer.ho', 'resident.chan', 'mediator.zhou'])
    err(await offer(id, TRIO, u), 403, 'auth.forbidden');
  err(await offer(id, TRIO, 'officer.hq'), 404, 'case.not_found');
  err(await offer(id, TRIO, 'auditor'), 403, 'auth.forbidden');
  err(await api(srv, 'POST', `/api/v1/cases/${id}/shortlist`, { body: { mediators: TRIO } }), 401, 'auth.required');

  err(await offer(1, ['mediator.chen', 'mediator.yu', 'mediator.lam'], 'officer.hq'), 422, 'shortlist.not_commercial');
  err(await offer(13, TRIO), 409, 'case.transition_refused'); // ZHC commercial, in screening

  fields(await offer(id, TRIO.slice(0, 2)), [['mediators', 'too_few']]);
  fields(await offer(id, ['mediator.kwok', 'mediator.kwok', 'mediator.zhou']), [['mediators[1]', 'duplicate']]);
  fields(await offer(id, ['mediator.kwok', 'mediator.chen', 'mediator.tang']),
    [['mediators[1]', 'unknown_mediator'], ['mediators[2]', 'mediator_ineligible']]);
  err(await get(id, 'officer.zhc'), 404, 'shortlist.not_found'); // nothing was written
});

test('the joint choice: each side ranks, sees only its own ranking, and the compromise is assigned', async () => {
  const id = await demoCase();
  let r = await offer(id, TRIO);
  assert.equal(r.status, 201, r.text);
  const s = r.json;
  assert.equal(s.status, 'open');
  assert.equal(s.respond_by, addDays(TODAY, 7));
  assert.deepEqual(s.mediators.map((m) => [m.position, m.username]), TRIO.map((u, i) => [i + 1, u]));
  assert.equal(s.mediators[0].name, '郭家樂 (Kwok Ka Lok)');
  assert.deepEqual(s.mediators[2].spoken, ['putonghua', 'english']);
  assert.equal(s.mediators[0].capacity, undefined, 'the parties do not see a load');
  assert.deepEqual(s.sides, { applicant: { ranked: false }, respondent: { ranked: false } });
  assert.equal(s.your_side, null);
  assert.equal(s.can_rank, false);

  // the officers' deadlines show the parties' last day to rank
  const dl = (await call('GET', '/api/v1/deadlines', 'officer.zhc')).json.items
    .find((d) => d.case === id && d.kind === 'shortlist_ranking');
  assert.equal(dl?.due, s.respond_by);

  r = await get(id, 'lawyer.ho');
  assert.equal(r.json.your_side, 'applicant');
  assert.equal(r.json.can_rank, true);
  r = await get(id, 'resident.chan');
  assert.equal(r.json.your_side, 'respondent');
  for (const u of ['officer.zhc', 'mediator.zhou', 'lawyer.sousa'])
    err(await rank(id, TRIO, u), 403, 'auth.forbidden');
  fields(await rank(id, ['mediator.kwok', 'mediator.chen', 'mediator.kwok'], 'lawyer.ho'),
    [['ranking[1]', 'not_on_shortlist'], ['ranking[2]', 'duplicate']]);
  fields(await rank(id, ['mediator.kwok'], 'lawyer.ho'), [['ranking', 'too_few']]);

  r = await rank(id, ['mediator.zhou', 'mediator.kwok', 'mediator.wong'], 'lawyer.ho');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.sides.applicant, { ranked: true, ranking: ['mediator.zhou', 'mediator.kwok', 'mediator.wong'] });
  // a side may change its mind until the other has ranked
  r = await rank(id, ['mediator.kwok', 'mediator.zhou', 'mediator.wong'], 'lawyer.ho');
  assert.equal(r.json.status, 'open');
  r = await get(id, 'resident.chan');
  assert.deepEqual(r.json.sides.applicant, { ranked: true }, 'the other side\'s order is not shown');
  r = await get(id, 'officer.zhc');
  assert.deepEqual(r.json.sides.applicant.ranking, ['mediator.kwok', 'mediator.zhou', 'mediator.wong']);
  assert.equal((await call('GET', `/api/v1/cases/${id}`, 'officer.zhc')).json.status, 'respondent_agreed');

  // opposite first choices: every sum is 4; zhou, second for both, is the compromise
  r = await rank(id, ['mediator.wong', 'mediator.zhou', 'mediator.kwok'], 'resident.chan');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'chosen');
  assert.equal(r.json.chosen, 'mediator.zhou');
  assert.deepEqual(r.json.sides.respondent.ranking, ['mediator.wong', 'mediator.zhou', 'mediator.kwok']);
  assert.equal(r.json.sides.applicant.ranking, undefined);
  const k = (await call('GET', `/api/v1/cases/${id}`, 'officer.zhc')).json;
  assert.equal(k.status, 'mediator_assigned');
  assert.deepEqual(k.mediators.map((m) => [m.username, m.role]), [['mediator.zhou', 'lead']]);
  assert.deepEqual(k.timeline.map((e) => e.event).slice(-5),
    ['shortlist_offered', 'shortlist_ranked', 'shortlist_ranked', 'shortlist_ranked', 'shortlist_chosen']);
  const last = k.timeline.at(-1);
  assert.deepEqual([last.from, last.to, last.role], ['respondent_agreed', 'mediator_assigned', 'resident']);
  // the chosen mediator may now read the case
  assert.equal((await call('GET', `/api/v1/cases/${id}`, 'mediator.zhou')).status, 200);

  err(await rank(id, TRIO, 'lawyer.ho'), 409, 'shortlist.closed');
  assert.ok(!(await call('GET', '/api/v1/deadlines', 'officer.zhc')).json.items
    .some((d) => d.case === id && d.kind === 'shortlist_ranking'), 'no longer due');
  err(await offer(id, TRIO), 409, 'case.transition_refused');

  // the audit trail holds each step
  const a = await call('GET', `/api/v1/audit?case=${encodeURIComponent(k.number)}&limit=100`, 'auditor');
  assert.equal(a.status, 200, a.text);
  const actions = a.json.items.map((e) => e.action);
  for (const x of ['shortlist_offered', 'shortlist_ranked', 'shortlist_chosen'])
    assert.ok(actions.includes(x), x);

  // who was told: the parties' side and the officers of each step; the chosen mediator
  const inbox = async (u) => (await call('GET', '/api/v1/notifications?limit=100', u)).json.items
    .filter((n) => n.case.id === id).map((n) => n.event);
  assert.deepEqual(await inbox('mediator.zhou'), ['shortlist_chosen']);
  const ho = await inbox('lawyer.ho');
  assert.ok(ho.includes('shortlist_offered') && ho.includes('shortlist_chosen'), ho.join());
  assert.equal(ho.filter((e) => e === 'shortlist_ranked').length, 1, 'only the other side\'s ranking');
  const off = await inbox('officer.zhc');
  assert.ok(!off.includes('shortlist_offered'), 'not told of their own step');
  assert.ok(off.includes('shortlist_chosen'));
  assert.deepEqual(await inbox('mediator.kwok'), [], 'the shortlist itself does not tell the members');
});

test('a member who can no longer take the case is passed over; the officer may assign instead', async () => {
  const [id, resp] = await agreedCase('Freight invoices — first');
  let r = await offer(id, TRIO);
  assert.equal(r.status, 201, r.text);
  assert.equal((await rank(id, TRIO, 'lawyer.ho')).json.status, 'open');
  // kwok, first for both, reaches capacity before the choice is made
  r = await call('PATCH', '/api/v1/mediators/mediator.kwok', 'officer.zhc', { capacity: 0 });
  assert.equal(r.status, 200, r.text);
  try {
    r = await rank(id, TRIO, resp);
    assert.equal(r.json.status, 'chosen', r.text);
    assert.equal(r.json.chosen, 'mediator.wong');
  } finally {
    await call('PATCH', '/api/v1/mediators/mediator.kwok', 'officer.zhc', { capacity: 8 });
  }

  // an officer's own assignment withdraws an open shortlist
  const [id2, resp2] = await agreedCase('Freight invoices — second');
  assert.equal((await offer(id2, TRIO)).status, 201);
  // offering again replaces the first list
  r = await offer(id2, ['mediator.zhou', 'mediator.kwok', 'mediator.wong']);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.mediators[0].username, 'mediator.zhou');
  r = await call('POST', `/api/v1/cases/${id2}/assignment`, 'officer.zhc',
    { mediators: ['mediator.wong'], reason: 'The parties asked for an early date.' });
  assert.equal(r.status, 200, r.text);
  r = await get(id2, resp2);
  assert.equal(r.json.status, 'withdrawn');
  assert.equal(r.json.can_rank, false);
  err(await rank(id2, TRIO, resp2), 409, 'shortlist.closed');
});

test('errors come in the caller\'s language', async () => {
  const r = await call('POST', '/api/v1/cases/1/shortlist', 'officer.hq',
    { mediators: ['a.b', 'c.d', 'e.f'] }, 'zh-Hant');
  err(r, 422, 'shortlist.not_commercial');
  assert.match(r.json.error.message, /商事/);
});
