// mediators.test.mjs: mediators' profiles and the explainable assignment (GET/PATCH
// /api/v1/mediators…, GET /api/v1/cases/{id}/assignment-proposal, POST …/assignment,
// …/recusals) against the demo data: who may read and change what, every filter and reason code
// where the demo data (or a case filed here) puts it, pairs for a cross-border case in Putonghua
// and Portuguese, determinism, first choice / own choice / override / ineligible, the mediator's
// access to the case, and recusal asked by a party or by the mediator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const T = {};
const PW = 'long-enough-pass-4821';
const cat = {}; // merged message catalogs by language

before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'resident.chan', 'officer.hq', 'officer.zhc', 'lawyer.ho',
    'admin', 'auditor', 'mediator.chen', 'mediator.yu', 'mediator.lam', 'mediator.sun'])
    T[u] = (await login(srv, u)).token;
  for (const l of ['en', 'zh-Hans', 'zh-Hant', 'pt'])
    cat[l] = (await api(srv, 'GET', `/api/v1/i18n/${l}`)).json;
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body) => api(srv, method, path, { token: T[who], body });
const created = new Set(); // users made here (password PW), not the demo's
// Signs u in (once) and returns u.
async function signIn(u) {
  if (!T[u]) T[u] = (await login(srv, u, created.has(u) ? PW : undefined)).token;
  return u;
}
const ev = (id, who, event, reason) =>
  call('POST', `/api/v1/cases/${id}/events`, who, reason === undefined ? { event } : { event, reason });
const proposal = (id, who = 'officer.hq') =>
  call('GET', `/api/v1/cases/${id}/assignment-proposal`, who);
const assign = (id, body, who = 'officer.hq') =>
  call('POST', `/api/v1/cases/${id}/assignment`, who, body);

function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
}
// A 400 request.validation whose fields are exactly [[field, code], …].
function fields(r, expected) {
  err(r, 400, 'request.validation');
  assert.deepEqual(r.json.error.fields.map((f) => [f.field, f.code]).sort(), [...expected].sort(),
    r.text);
}

// Today and date arithmetic in the centers' zone (UTC+8), as YYYY-MM-DD.
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const TODAY = iso(Date.now() + 8 * 3600e3);
const addDays = (d, n) => iso(Date.parse(`${d}T00:00:00Z`) + n * 86400e3);

// A Mainland resident identity number with a correct ISO 7064 MOD 11-2 check character.
function mainlandId(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return first17 + (c === 10 ? 'X' : String(c));
}

const person = (name, residence, language, spoken, extra = {}) =>
  ({ kind: 'person', name, residence, language, spoken, ...extra });
const filing = (title, applicants, respondents, subtype = 'custody') => ({
  center: 'HQ', type: 'family', subtype, title, summary: '双方对子女抚养安排有分歧，希望调解。',
  applicants, respondents, claims: [{ description: '每月探视两次' }],
  consent: { mediation: true, electronic_service: false, addresses: [] }, submit: true,
});
async function fileCase(body, who = 'resident.li') {
  const r = await call('POST', '/api/v1/cases', who, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'submitted');
  return r.json;
}

// Registers a new resident and signs them in under their user name.
let nres = 0;
async function newResident() {
  const username = `resp.m${++nres}`;
  const r = await api(srv, 'POST', '/api/v1/auth/register', { body: { username, password: PW,
    display_name: username, language: 'pt', email: `${username}@example.com` } });
  assert.equal(r.status, 201, r.text);
  created.add(username);
  await signIn(username);
  return username;
}

// Screening, acceptance, the respondent (a newly registered resident) redeeming the invitation
// and agreeing: the case ends respondent_agreed. Returns the respondent's user name.
async function walkToAgreed(id) {
  let r = await ev(id, 'officer.hq', 'start_screening');
  assert.equal(r.status, 200, r.text);
  r = await ev(id, 'officer.hq', 'accept');
  assert.equal(r.status, 200, r.text);
  const code = r.json.invitation.code;
  const who = await newResident();
  r = await call('POST', '/api/v1/invitations/redeem', who, { code });
  assert.equal(r.status, 200, r.text);
  r = await ev(id, who, 'respondent_agree');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'respondent_agreed');
  return who;
}

// A mediator's entry in a proposal (candidate or excluded) and its reasons' codes.
const entry = (p, u) => p.candidates.find((e) => e.mediator === u) ||
  p.excluded.find((e) => e.mediator === u);
const codes = (e) => e.reasons.map((r) => r.code);
const reason = (e, code) => e.reasons.find((r) => r.code === code);
const sum = (e) => e.reasons.reduce((s, r) => s + r.points, 0);
// A case's mediators as [{username, role}] (the view also names them).
const meds = (k) => k.mediators.map(({ username, role }) => ({ username, role }));

// The mediators of a center by user name, from the list.
async function centerMediators(center) {
  const r = await call('GET', `/api/v1/mediators?center=${center}`, 'officer.hq');
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

const DEMO_HQ = ['mediator.almeida', 'mediator.chan', 'mediator.chen', 'mediator.lam',
  'mediator.leong', 'mediator.sun', 'mediator.yu'];
const DEMO_ZHC = ['mediator.fonseca', 'mediator.kwok', 'mediator.liu', 'mediator.tang',
  'mediator.wong', 'mediator.zhou'];

// ---- profiles -------------------------------------------------------------------------------

test('the list: who may read it, the center filter, qualification validity flags', async () => {
  const all = await call('GET', '/api/v1/mediators', 'officer.hq');
  assert.equal(all.status, 200, all.text);
  const names = all.json.items.map((m) => m.username);
  assert.deepEqual(names, [...names].sort(), 'by user name');
  for (const u of [...DEMO_HQ, ...DEMO_ZHC, 'mediator.costa', 'mediator.ieong'])
    assert.ok(names.includes(u), u);
  const m0 = all.json.items[0];
  assert.deepEqual(Object.keys(m0).sort(), ['capacity', 'case_types', 'centers', 'name',
    'open_cases', 'qualifications', 'spoken', 'subtypes', 'username']);

  assert.deepEqual((await centerMediators('HQ')).map((m) => m.username), DEMO_HQ);
  assert.deepEqual((await centerMediators('ZHC')).map((m) => m.username), DEMO_ZHC);
  assert.ok((await centerMediators('MOF')).every((m) => m.centers.includes('MOF')));
  err(await call('GET', '/api/v1/mediators?center=XX', 'officer.hq'), 400,
    'request.invalid_query');

  for (const u of ['admin', 'mediator.chen', 'officer.zhc'])
    assert.equal((await call('GET', '/api/v1/mediators', u)).status, 200, u);
  for (const u of ['resident.li', 'lawyer.ho', 'auditor'])
    err(await call('GET', '/api/v1/mediators', u), 403, 'auth.forbidden');
  err(await api(srv, 'GET', '/api/v1/mediators'), 401, 'auth.required');

  const by = Object.fromEntries(all.json.items.map((m) => [m.username, m]));
  assert.deepEqual(by['mediator.sun'].qualifications.map((q) => [q.jurisdiction, q.valid_to, q.valid]),
    [['mainland', '2025-06-30', false]], 'expired');
  assert.deepEqual(by['mediator.chan'].qualifications.map((q) => [q.jurisdiction, q.valid_to, q.valid])
    .sort(), [['macao', null, true], ['mainland', null, true]]);
  assert.equal(by['mediator.tang'].capacity, 0);
  assert.deepEqual(by['mediator.leong'].centers, ['HQ', 'MOF']);
  assert.equal(by['mediator.chen'].name, '陈志华');
});

test('one mediator: managers see the hours; declarations only to the mediator and admins', async () => {
  let r = await call('GET', '/api/v1/mediators/mediator.chen', 'officer.hq');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.weekly_minutes.length, 7);
  assert.equal(r.json.relationships, undefined);
  r = await call('GET', '/api/v1/mediators/mediator.wong', 'officer.hq'); // ZHC's
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.weekly_minutes, undefined, 'not a mediator officer.hq manages');
  r = await call('GET', '/api/v1/mediators/mediator.yu', 'mediator.yu');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.relationships.map(({ subject_kind, relation, hint, since }) =>
    [subject_kind, relation, hint, since]), [['person', 'family', '陈…', '2015-05-01']]);
  assert.ok(!r.text.includes('陈大文') && !r.text.includes('陳大文'), 'names are not kept');
  r = await call('GET', '/api/v1/mediators/mediator.yu', 'admin');
  assert.equal(r.json.relationships.length, 1);
  assert.equal(r.json.weekly_minutes.length, 7);
  err(await call('GET', '/api/v1/mediators/mediator.yu', 'mediator.chen'), 403, 'auth.forbidden');
  err(await call('GET', '/api/v1/mediators/nobody.here', 'officer.hq'), 404, 'mediator.not_found');
  err(await call('GET', '/api/v1/mediators/officer.hq', 'admin'), 404, 'mediator.not_found');
  err(await call('GET', '/api/v1/mediators/mediator.chen', 'resident.li'), 403, 'auth.forbidden');
});

// PATCH as a manager; returns the profile as GET then returns it (the reply agrees with it).
async function patchProfile(u, body, who = 'officer.hq') {
  const r = await call('PATCH', `/api/v1/mediators/${u}`, who, body);
  assert.equal(r.status, 200, r.text);
  const g = await call('GET', `/api/v1/mediators/${u}`, 'admin');
  for (const k of ['username', 'case_types', 'subtypes', 'spoken', 'capacity', 'weekly_minutes',
    'qualifications'])
    assert.deepEqual(r.json[k], g.json[k], k);
  return g.json;
}

test('PATCH: a mediator may change only weekly_minutes; officers only their centers\' mediators', async () => {
  const before = (await call('GET', '/api/v1/mediators/mediator.chen', 'mediator.chen')).json;
  const week = [300, 300, 300, 300, 300, 60, 0];
  fields(await call('PATCH', '/api/v1/mediators/mediator.chen', 'mediator.chen', { capacity: 9 }),
    [['capacity', 'not_for_role']]);
  fields(await call('PATCH', '/api/v1/mediators/mediator.chen', 'mediator.chen',
    { spoken: ['english'], case_types: ['commercial'] }),
  [['case_types', 'not_for_role'], ['spoken', 'not_for_role']]);
  const after = (await call('GET', '/api/v1/mediators/mediator.chen', 'mediator.chen')).json;
  assert.deepEqual(after, before, 'a refused PATCH changes nothing');
  err(await call('PATCH', '/api/v1/mediators/mediator.yu', 'mediator.chen', { weekly_minutes: week }),
    403, 'auth.forbidden');
  // an officer of another center
  err(await call('PATCH', '/api/v1/mediators/mediator.chen', 'officer.zhc', { capacity: 9 }), 403,
    'auth.forbidden');
  for (const u of ['resident.li', 'lawyer.ho', 'auditor'])
    err(await call('PATCH', '/api/v1/mediators/mediator.chen', u, { capacity: 9 }), 403,
      'auth.forbidden');
  err(await call('PATCH', '/api/v1/mediators/nobody.here', 'admin', { capacity: 9 }), 404,
    'mediator.not_found');
  // validation
  const P = (body) => call('PATCH', '/api/v1/mediators/mediator.chen', 'officer.hq', body);
  fields(await P({ capacity: 501 }), [['capacity', 'out_of_range']]);
  fields(await P({ capacity: -1 }), [['capacity', 'out_of_range']]);
  fields(await P({ weekly_minutes: [0, 0] }), [['weekly_minutes', 'too_few']]);
  fields(await P({ spoken: ['klingon'] }), [['spoken[0]', 'choice']]);
  fields(await P({ case_types: ['criminal'] }), [['case_types[0]', 'choice']]);
  fields(await P({ hobby: 'chess' }), [['hobby', 'unknown']]);
  assert.deepEqual((await call('GET', '/api/v1/mediators/mediator.chen', 'admin')).json.capacity,
    before.capacity);
  // the officers of the mediator's centers, and admins
  assert.equal((await patchProfile('mediator.chen', { capacity: 9 })).capacity, 9);
  assert.equal((await patchProfile('mediator.chen', { capacity: before.capacity })).capacity,
    before.capacity);
  assert.equal((await patchProfile('mediator.leong', { capacity: 7 })).capacity, 7); // HQ + MOF
  assert.equal((await patchProfile('mediator.leong', { capacity: 6 }, 'admin')).capacity, 6);
});

test('PATCH replies 200 with the updated profile', async () => {
  const r = await call('PATCH', '/api/v1/mediators/mediator.leong', 'officer.hq', { capacity: 6 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.username, 'mediator.leong');
  assert.equal(r.json.capacity, 6);
  assert.equal(r.json.weekly_minutes.length, 7);
});

// weekly_minutes is an array of 7 integers: the array's own bounds (7..7) must not be applied to
// its items (each 0..1440).
test('a mediator sets their own weekly minutes (0..1440 each)', async () => {
  const week = [300, 300, 300, 300, 300, 60, 0];
  const r = await call('PATCH', '/api/v1/mediators/mediator.chen', 'mediator.chen',
    { weekly_minutes: week });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await call('GET', '/api/v1/mediators/mediator.chen', 'mediator.chen')).json
    .weekly_minutes, week);
  fields(await call('PATCH', '/api/v1/mediators/mediator.chen', 'mediator.chen',
    { weekly_minutes: [1441, 0, 0, 0, 0, 0, 0] }), [['weekly_minutes[0]', 'out_of_range']]);
  // back to what the demo had
  const back = await call('PATCH', '/api/v1/mediators/mediator.chen', 'admin',
    { weekly_minutes: [240, 240, 240, 240, 240, 0, 0] });
  assert.equal(back.status, 200, back.text);
});

test('POST qualifications replies 201 with the profile, the new qualification in it', async () => {
  // mediator.ieong serves MOF only, where no case is used here
  const r = await call('POST', '/api/v1/mediators/mediator.ieong/qualifications', 'admin',
    { jurisdiction: 'macao', body: 'Macao Social Welfare Bureau', number: 'MD-7777',
      valid_from: '2024-01-01' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.username, 'mediator.ieong');
  assert.ok(r.json.qualifications.some((q) => q.number === 'MD-7777' && q.valid), r.text);
});

test('qualifications: validity flags (from and to inclusive) and validation', async () => {
  const Q = (u, body, who = 'admin') =>
    call('POST', `/api/v1/mediators/${u}/qualifications`, who, body);
  const base = { jurisdiction: 'mainland', body: 'Zhuhai Judicial Bureau', number: 'T-1' };
  // mediator.costa serves MOF only, where no case is used here
  let r = await Q('mediator.costa', { ...base, valid_from: addDays(TODAY, 1) });
  assert.equal(r.status, 201, r.text);
  r = await Q('mediator.costa', { ...base, number: 'T-2', valid_from: '2020-01-01',
    valid_to: addDays(TODAY, -1) });
  assert.equal(r.status, 201, r.text);
  r = await Q('mediator.costa', { ...base, number: 'T-3', valid_from: TODAY, valid_to: TODAY });
  assert.equal(r.status, 201, r.text);
  const m = (await call('GET', '/api/v1/mediators/mediator.costa', 'admin')).json;
  const flags = Object.fromEntries(m.qualifications.map((q) => [q.number, [q.valid_to, q.valid]]));
  assert.deepEqual(flags, { 'MD-0105': [null, true], 'T-1': [null, false],
    'T-2': [addDays(TODAY, -1), false], 'T-3': [TODAY, true] });

  fields(await Q('mediator.costa', { ...base, valid_from: '2026-02-30' }), [['valid_from', 'date_format']]);
  fields(await Q('mediator.costa', { ...base, valid_from: '2026/01/01' }), [['valid_from', 'date_format']]);
  fields(await Q('mediator.costa', { ...base, valid_from: '2020-01-01', valid_to: '2026-13-01' }),
    [['valid_to', 'date_format']]);
  fields(await Q('mediator.costa', { ...base, valid_from: '2024-01-02', valid_to: '2024-01-01' }),
    [['valid_to', 'date_order']]);
  fields(await Q('mediator.costa', { ...base, jurisdiction: 'taiwan', valid_from: '2020-01-01' }),
    [['jurisdiction', 'choice']]);
  fields(await Q('mediator.costa', { jurisdiction: 'macao', number: 'X', valid_from: '2020-01-01' }),
    [['body', 'required']]);
  await signIn('mediator.costa');
  err(await Q('mediator.costa', { ...base, valid_from: '2020-01-01' }, 'mediator.costa'), 403,
    'auth.forbidden');
  err(await Q('mediator.costa', { ...base, valid_from: '2020-01-01' }, 'officer.hq'), 403,
    'auth.forbidden');
  err(await Q('nobody.here', { ...base, valid_from: '2020-01-01' }), 404, 'mediator.not_found');
  assert.equal((await call('GET', '/api/v1/mediators/mediator.costa', 'admin')).json
    .qualifications.length, 4, 'nothing added by the refusals');
});

test('availability and relationships: who may, and validation (date_format …)', async () => {
  const A = (u, body, who) => call('POST', `/api/v1/mediators/${u}/availability`, who, body);
  fields(await A('mediator.chen', { date: '2026-13-01', minutes: 60 }, 'mediator.chen'),
    [['date', 'date_format']]);
  fields(await A('mediator.chen', { date: '2026-02-29', minutes: 60 }, 'mediator.chen'),
    [['date', 'date_format']]);
  fields(await A('mediator.chen', { date: 'tomorrow!!', minutes: 60 }, 'mediator.chen'),
    [['date', 'date_format']]);
  fields(await A('mediator.chen', { date: '2030-01-07', minutes: 1441 }, 'mediator.chen'),
    [['minutes', 'out_of_range']]);
  fields(await A('mediator.chen', { date: '2030-01-07' }, 'mediator.chen'), [['minutes', 'required']]);
  let r = await A('mediator.chen', { date: '2030-01-07', minutes: 120 }, 'mediator.chen');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { mediator: 'mediator.chen', date: '2030-01-07', minutes: 120 });
  assert.equal((await A('mediator.chen', { date: '2030-01-08', minutes: 0 }, 'officer.hq')).status, 200);
  assert.equal((await A('mediator.chen', { date: '2030-01-08', minutes: 60 }, 'admin')).status, 200);
  err(await A('mediator.chen', { date: '2030-01-08', minutes: 0 }, 'officer.zhc'), 403, 'auth.forbidden');
  err(await A('mediator.chen', { date: '2030-01-08', minutes: 0 }, 'mediator.yu'), 403, 'auth.forbidden');

  const R = (u, body, who) => call('POST', `/api/v1/mediators/${u}/relationships`, who, body);
  const rel = { subject_kind: 'person', relation: 'personal', name: '馬文靜' };
  fields(await R('mediator.chen', { ...rel, since: '2020-02-30' }, 'mediator.chen'),
    [['since', 'date_format']]);
  fields(await R('mediator.chen', { ...rel, subject_kind: 'pet' }, 'mediator.chen'),
    [['subject_kind', 'choice']]);
  fields(await R('mediator.chen', { ...rel, relation: 'enemy' }, 'mediator.chen'),
    [['relation', 'choice']]);
  fields(await R('mediator.chen', { subject_kind: 'person', relation: 'family' }, 'mediator.chen'),
    [['name', 'required']]);
  fields(await R('mediator.chen', { ...rel, id_document: { type: 'mainland_id', number: '123' } },
    'mediator.chen'), [['id_document.number', 'id.format']]);
  const good = mainlandId('44040219850312123');
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  fields(await R('mediator.chen', { ...rel, id_document: { type: 'mainland_id', number: bad } },
    'mediator.chen'), [['id_document.number', 'id.check_digit']]);
  err(await R('mediator.chen', rel, 'officer.hq'), 403, 'auth.forbidden');
  err(await R('mediator.chen', rel, 'mediator.yu'), 403, 'auth.forbidden');
  r = await R('mediator.chen', { ...rel, since: '2019-09-01' }, 'mediator.chen');
  assert.equal(r.status, 201, r.text);
  assert.equal(typeof r.json.id, 'number');
  r = await R('mediator.chen', { ...rel, relation: 'other' }, 'admin');
  assert.equal(r.status, 201, r.text);
  const me = (await call('GET', '/api/v1/mediators/mediator.chen', 'mediator.chen')).json;
  assert.deepEqual(me.relationships.map((x) => [x.relation, x.hint, x.since]),
    [['personal', '馬…', '2019-09-01'], ['other', '馬…', null]]);
});

// ---- the proposal on the demo data ----------------------------------------------------------

test('demo case 1: only HQ\'s mediators are weighed (no wrong_center); exclusions explained', async () => {
  const c = (await call('GET', '/api/v1/cases/1', 'officer.hq')).json;
  assert.equal(c.number, 'HQ-FAM-2026-000001');
  assert.equal(c.respondents[0].name, '陳大文', 'Traditional on the case');
  const r = await proposal(1);
  assert.equal(r.status, 200, r.text);
  const p = r.json;
  assert.equal(p.case, 1);
  assert.equal(p.cross_border, true);
  const weighed = [...p.candidates, ...p.excluded].map((e) => e.mediator).sort();
  assert.deepEqual(weighed, (await centerMediators('HQ')).map((m) => m.username));
  assert.ok(!weighed.includes('mediator.wong') && !weighed.includes('mediator.costa'));
  const all = [...p.candidates, ...p.excluded, ...p.pairs].flatMap((e) => codes(e));
  assert.ok(!all.includes('wrong_center'), 'a mediator of another center is never listed');

  // expired qualification
  const sun = entry(p, 'mediator.sun');
  assert.ok(p.excluded.includes(sun));
  assert.ok(codes(sun).includes('qualification_expired'), JSON.stringify(sun));
  assert.ok(!codes(sun).includes('no_valid_qualification'));
  // a declared relationship across scripts (陈大文 declared, 陳大文 on the case)
  const yu = entry(p, 'mediator.yu');
  assert.ok(p.excluded.includes(yu));
  assert.deepEqual(yu.reasons.map(({ code, kind, basis, about }) => ({ code, kind, basis, about })),
    [{ code: 'conflict_of_interest', kind: 'declared_relationship', basis: 'same_name',
      about: { kind: 'party', side: 'respondent', position: 0 } }]);
  // languages
  const almeida = entry(p, 'mediator.almeida');
  assert.deepEqual(almeida.reasons.map((x) => [x.code, x.about.side, x.about.position]),
    [['language_missing', 'applicant', 0], ['language_missing', 'respondent', 0]]);
  for (const e of p.excluded) {
    assert.equal(e.score, 0);
    assert.ok(e.reasons.length > 0);
    assert.ok(e.reasons.every((x) => x.points === 0));
  }
  // candidates: score is the sum of the reasons' points; best first; reasons in a fixed order
  const order = ['load', 'free_hours_next_10_working_days', 'rotation', 'languages_covered',
    'subtype_specialist', 'cross_border_qualified', 'mediated_before'];
  assert.ok(p.candidates.length >= 2);
  for (const e of p.candidates) {
    assert.equal(e.score, sum(e), JSON.stringify(e));
    const cs = codes(e);
    assert.deepEqual(cs.slice(0, 4), order.slice(0, 4));
    assert.deepEqual(cs, order.filter((k) => cs.includes(k)), 'fixed order');
  }
  for (let i = 1; i < p.candidates.length; i++)
    assert.ok(p.candidates[i - 1].score >= p.candidates[i].score);
  assert.equal(reason(entry(p, 'mediator.chan'), 'cross_border_qualified').points, 100);
  assert.equal(reason(entry(p, 'mediator.chen'), 'cross_border_qualified'), undefined);
  // pairs: members' roles and the bonus
  assert.ok(p.pairs.length > 0);
  for (const pr of p.pairs) {
    assert.deepEqual(codes(pr), ['pair_members', 'cross_border_pair_bonus', 'languages_covered']);
    assert.equal(reason(pr, 'cross_border_pair_bonus').points, 200);
    assert.equal(pr.score, sum(pr));
  }
});

test('messages come in the caller\'s language', async () => {
  const p = (await proposal(1)).json; // officer.hq prefers zh-Hant
  const sun = entry(p, 'mediator.sun');
  assert.equal(reason(sun, 'qualification_expired').message, cat['zh-Hant']['match.qualification_expired']);
  const z = (await proposal(9, 'officer.zhc')).json; // zh-Hans
  const tang = entry(z, 'mediator.tang');
  assert.match(reason(tang, 'at_capacity').message, /0/);
  assert.notEqual(reason(tang, 'at_capacity').message, cat.en['match.at_capacity']);
  // an officer who reads Portuguese
  let r = await call('POST', '/api/v1/users', 'admin', { username: 'officer.pt', password: PW,
    role: 'case_officer', display_name: 'Ana Officer', language: 'pt', email: 'ana@example.com',
    centers: ['HQ'] });
  assert.equal(r.status, 201, r.text);
  created.add('officer.pt');
  await signIn('officer.pt');
  r = await proposal(1, 'officer.pt');
  assert.equal(r.status, 200, r.text);
  assert.equal(reason(entry(r.json, 'mediator.sun'), 'qualification_expired').message,
    cat.pt['match.qualification_expired']);
  const lang = reason(entry(r.json, 'mediator.almeida'), 'language_missing').message;
  assert.ok(!/[\u4e00-\u9fff]/.test(lang), lang);
});

test('demo case 9 (ZHC): at_capacity for mediator.tang; the pair zhou + fonseca', async () => {
  const r = await proposal(9, 'officer.zhc');
  assert.equal(r.status, 200, r.text);
  const p = r.json;
  assert.deepEqual([...p.candidates, ...p.excluded].map((e) => e.mediator).sort(), DEMO_ZHC);
  assert.deepEqual(entry(p, 'mediator.tang').reasons.map((x) => x.code), ['at_capacity']);
  assert.deepEqual(p.pairs[0].mediators, ['mediator.zhou', 'mediator.fonseca']);
  // an officer of another center does not know the case
  err(await proposal(9, 'officer.hq'), 404, 'case.not_found');
});

test('who may ask for a proposal: officers of the center and admins', async () => {
  for (const u of ['resident.li', 'resident.chan', 'lawyer.ho', 'mediator.chen', 'auditor'])
    err(await proposal(1, u), 403, 'auth.forbidden');
  // admins keep the roster: they see how it is weighed (mediators and reasons, no party's data),
  // though they cannot open the case itself, and they may not assign
  const a = await proposal(1, 'admin');
  assert.equal(a.status, 200);
  assert.equal(a.json.case, 1);
  assert.ok(a.json.candidates.length > 0);
  assert.ok(!JSON.stringify(a.json).includes('李'), 'no party name in the proposal');
  err(await call('GET', '/api/v1/cases/1', 'admin'), 403, 'auth.forbidden');
  err(await assign(1, { mediators: ['mediator.chen'] }, 'admin'), 403, 'auth.forbidden');
  err(await proposal(99999, 'admin'), 404, 'case.not_found');
  err(await api(srv, 'GET', '/api/v1/cases/1/assignment-proposal'), 401, 'auth.required');
  err(await proposal(1, 'officer.zhc'), 404, 'case.not_found');
  err(await proposal(99999), 404, 'case.not_found');
  // assignment comes after the respondent agreed
  err(await assign(1, { mediators: ['mediator.chen'] }), 409, 'case.transition_refused');
  err(await assign(1, { mediators: ['mediator.chen'] }, 'resident.li'), 403, 'auth.forbidden');
});

test('case_type and no_valid_qualification: a new mediator of the center', async () => {
  let r = await call('POST', '/api/v1/users', 'admin', { username: 'mediator.ng', password: PW,
    role: 'mediator', display_name: '吳國強', language: 'zh-Hant', email: 'ng@example.com',
    centers: ['HQ'] });
  assert.equal(r.status, 201, r.text);
  created.add('mediator.ng');
  let p = (await proposal(1)).json; // demo case 1: maintenance
  let ng = entry(p, 'mediator.ng');
  assert.ok(p.excluded.includes(ng), 'no profile yet: excluded');
  for (const k of ['case_type', 'no_valid_qualification', 'at_capacity', 'language_missing'])
    assert.ok(codes(ng).includes(k), k);
  // family, but only divorce: still not a maintenance case
  const prof = await patchProfile('mediator.ng', { case_types: ['family'], subtypes: ['divorce'],
    spoken: ['putonghua', 'cantonese'], capacity: 4 });
  assert.deepEqual([prof.case_types, prof.subtypes, prof.capacity], [['family'], ['divorce'], 4]);
  r = await call('POST', '/api/v1/mediators/mediator.ng/qualifications', 'officer.hq',
    { jurisdiction: 'mainland', body: 'Zhuhai Judicial Bureau', number: 'GD-9001',
      valid_from: addDays(TODAY, 30) });
  assert.equal(r.status, 201, r.text);
  assert.equal((await call('GET', '/api/v1/mediators/mediator.ng', 'admin')).json.qualifications[0]
    .valid, false, 'not valid yet');
  ng = entry((await proposal(1)).json, 'mediator.ng');
  assert.deepEqual(codes(ng), ['case_type', 'no_valid_qualification']);
  // a specialist in maintenance with a valid qualification: a candidate
  await patchProfile('mediator.ng', { subtypes: ['divorce', 'maintenance'] });
  r = await call('POST', '/api/v1/mediators/mediator.ng/qualifications', 'officer.hq',
    { jurisdiction: 'mainland', body: 'Zhuhai Judicial Bureau', number: 'GD-9002',
      valid_from: '2020-01-01' });
  assert.equal(r.status, 201, r.text);
  p = (await proposal(1)).json;
  ng = entry(p, 'mediator.ng');
  assert.ok(p.candidates.includes(ng), JSON.stringify(ng));
  assert.equal(reason(ng, 'subtype_specialist').points, 50);
  assert.equal(ng.score, sum(ng));
  // not a specialist for a custody case
  const c2 = (await proposal(2)).json; // custody
  assert.ok(codes(entry(c2, 'mediator.ng')).includes('case_type'));
  // no subtypes listed: every family case
  await patchProfile('mediator.ng', { subtypes: [] });
  const again = entry((await proposal(2)).json, 'mediator.ng');
  assert.ok(!codes(again).includes('case_type'), JSON.stringify(again));
  assert.ok(!codes(again).includes('subtype_specialist'));
});

test('conflict by identity number: a declared relationship with an id_document', async () => {
  const id = mainlandId('44040219790521301');
  let r = await call('POST', '/api/v1/mediators/mediator.lam/relationships', 'mediator.lam',
    { subject_kind: 'person', relation: 'business', name: '何德明',
      id_document: { type: 'mainland_id', number: id } });
  assert.equal(r.status, 201, r.text);
  // the party has another name but the same number
  const c = await fileCase(filing('身份证号冲突测试',
    [person('趙一鳴', 'zhuhai', 'zh-Hans', ['cantonese'],
      { id_document: { type: 'mainland_id', number: id } })],
    [person('林小玲', 'macao', 'zh-Hant', ['cantonese'])]));
  const p = (await proposal(c.id)).json;
  const lam = entry(p, 'mediator.lam');
  assert.ok(p.excluded.includes(lam));
  assert.deepEqual(lam.reasons.map(({ code, kind, basis, about }) => ({ code, kind, basis, about })),
    [{ code: 'conflict_of_interest', kind: 'declared_relationship', basis: 'same_identity',
      about: { kind: 'party', side: 'applicant', position: 0 } }]);
  assert.ok(!p.excluded.some((e) => e.mediator === 'mediator.yu'), 'no 陳大文 here');
});

test('conflict: the mediator on the case (self), then acted_before with the other party', async () => {
  // mediator.chen's own name as the applicant
  const a = await fileCase(filing('调解员本人为当事人',
    [person('陈志华', 'zhuhai', 'zh-Hans', ['putonghua'])],
    [person('黃曉東', 'macao', 'zh-Hant', ['cantonese'])]));
  let p = (await proposal(a.id)).json;
  let chen = entry(p, 'mediator.chen');
  assert.ok(p.excluded.includes(chen), JSON.stringify(chen));
  assert.deepEqual(chen.reasons.map(({ code, kind, basis, about }) => ({ code, kind, basis, about })),
    [{ code: 'conflict_of_interest', kind: 'self', basis: 'same_name',
      about: { kind: 'party', side: 'applicant', position: 0 } }]);
  // a new case with the same other party (written in the other script)
  const b = await fileCase(filing('另一宗案件',
    [person('黄晓东', 'zhuhai', 'zh-Hans', ['putonghua'])],
    [person('周美玲', 'macao', 'zh-Hant', ['cantonese'])]));
  p = (await proposal(b.id)).json;
  chen = entry(p, 'mediator.chen');
  assert.ok(p.excluded.includes(chen), JSON.stringify(chen));
  assert.deepEqual(chen.reasons.map(({ code, kind, basis, about }) => ({ code, kind, basis, about })),
    [{ code: 'conflict_of_interest', kind: 'acted_before', basis: 'same_name',
      about: { kind: 'party', side: 'applicant', position: 0 } }]);
  assert.ok(p.candidates.some((e) => e.mediator === 'mediator.chan'), 'others are not affected');
});

// ---- a cross-border case in Putonghua and Portuguese: pairs ---------------------------------

let P; // the HQ case in Putonghua and Portuguese, walked to respondent_agreed
let Pprop; // its first proposal

test('Putonghua and Portuguese: pairs cover both languages, one Mainland and one Macao member', async () => {
  P = await fileCase(filing('跨境抚养安排（普通话/葡语）',
    [person('李明', 'zhuhai', 'zh-Hans', ['putonghua'])],
    [person('Ana Pereira', 'macao', 'pt', ['portuguese'])]));
  await walkToAgreed(P.id);
  const p = (await proposal(P.id)).json;
  Pprop = p;
  assert.equal(p.cross_border, true);
  assert.ok(p.pairs.length > 0, JSON.stringify(p));
  const list = Object.fromEntries((await centerMediators('HQ')).map((m) => [m.username, m]));
  const valid = (u, j) => list[u].qualifications.some((q) => q.valid && q.jurisdiction === j);
  for (const pr of p.pairs) {
    const [a, b] = pr.mediators;
    const spoken = new Set([...list[a].spoken, ...list[b].spoken]);
    assert.ok(spoken.has('putonghua') && spoken.has('portuguese'), pr.mediators.join('+'));
    assert.ok(valid(a, 'mainland'), `${a}: the Mainland member first`);
    assert.ok(valid(b, 'macao'), `${b}: a Macao qualification`);
    assert.deepEqual(codes(pr), ['pair_members', 'cross_border_pair_bonus', 'languages_covered']);
    assert.equal(reason(pr, 'cross_border_pair_bonus').points, 200);
    assert.equal(pr.score, sum(pr));
    for (const u of pr.mediators) { // members pass every filter but languages
      const e = entry(p, u);
      assert.ok(p.candidates.includes(e) || codes(e).every((k) => k === 'language_missing'), u);
    }
  }
  for (let i = 1; i < p.pairs.length; i++) assert.ok(p.pairs[i - 1].score >= p.pairs[i].score);
  // the first pair has a member who could not mediate alone
  assert.ok(p.pairs[0].mediators.some((u) => p.excluded.includes(entry(p, u))),
    JSON.stringify(p.pairs[0]));
  // determinism: the same proposal again, byte for byte
  const again = await proposal(P.id);
  assert.deepEqual(again.json, p);
});

test('the first pair is assigned without a reason: lead and co', async () => {
  assert.equal((await call('GET', `/api/v1/cases/${P.id}`, 'officer.hq')).json.status,
    'respondent_agreed', 'nothing assigned by the refusals above');
  const first = Pprop.pairs[0];
  const r = await assign(P.id, { mediators: first.mediators });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'mediator_assigned');
  assert.deepEqual(meds(r.json), [{ username: first.mediators[0], role: 'lead' },
    { username: first.mediators[1], role: 'co' }]);
});

test('when the lead of a pair recuses, the other mediator stays on the case', async () => {
  const [lead, co] = Pprop.pairs[0].mediators;
  await signIn(lead);
  const r = await call('POST', `/api/v1/cases/${P.id}/recusals`, lead,
    { mediator: lead, grounds: '时间冲突' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'accepted');
  const k = (await call('GET', `/api/v1/cases/${P.id}`, 'officer.hq')).json;
  assert.deepEqual(k.mediators.map((m) => m.username), [co]);
  assert.equal(k.status, 'mediator_assigned');
});

// Two mediators that are not a proposed pair, neither speaking Putonghua: leong and almeida are
// each a member of some proposed pair (so "language-only excluded, member of a pair"), but
// together they leave the applicant without a language.
test('two language-only-excluded mediators that are not a proposed pair are refused', async () => {
  const fresh = (await proposal(P.id)).json;
  const inPairs = (u) => fresh.pairs.some((pr) => pr.mediators.includes(u));
  assert.ok(inPairs('mediator.leong') && inPairs('mediator.almeida'), JSON.stringify(fresh.pairs));
  assert.ok(!fresh.pairs.some((pr) => pr.mediators.includes('mediator.leong') &&
    pr.mediators.includes('mediator.almeida')));
  const r = await assign(P.id, { mediators: ['mediator.leong', 'mediator.almeida'],
    reason: '两位都熟悉澳门家事' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'request.validation');
  assert.ok(r.json.error.fields.some((f) => f.code === 'mediator_ineligible'), r.text);
});

// The first choice is the first candidate alone (or the first pair): the first candidate with
// someone else of one's choosing is an own choice.
test('the first candidate plus a second mediator of one\'s own choosing needs a reason', async () => {
  const fresh = (await proposal(P.id)).json;
  const c0 = fresh.candidates[0].mediator;
  const second = fresh.excluded.find((e) => codes(e).every((k) => k === 'language_missing') &&
    !fresh.pairs.slice(0, 1).some((pr) => pr.mediators.includes(e.mediator) &&
      pr.mediators.includes(c0)))?.mediator;
  assert.ok(second, JSON.stringify(fresh));
  const r = await assign(P.id, { mediators: [c0, second] });
  fields(r, [['reason', 'reason_for_own_choice']]);
});

// ---- assignment, override, access and recusal on one case ------------------------------------

let Y; // HQ custody case with 陳大文 as respondent, walked to respondent_agreed
let Yresp; // its respondent (a newly registered resident)
let first; // the mediator assigned first

test('first choice needs no reason; the mediator then sees and reads the case', async () => {
  Y = await fileCase(filing('子女抚养安排（陳大文）',
    [person('李明', 'zhuhai', 'zh-Hans', ['putonghua'])],
    [person('陳大文', 'macao', 'zh-Hant', ['cantonese'])]));
  // before the respondent agreed: refused
  err(await assign(Y.id, { mediators: ['mediator.chen'] }), 409, 'case.transition_refused');
  Yresp = await walkToAgreed(Y.id);
  const p = (await proposal(Y.id)).json;
  assert.deepEqual((await proposal(Y.id)).json, p, 'the same proposal twice');
  assert.ok(p.candidates.length >= 2, JSON.stringify(p));
  first = p.candidates[0].mediator;
  const open = (await call('GET', `/api/v1/mediators/${first}`, 'officer.hq')).json.open_cases;
  await signIn(first);
  err(await call('GET', `/api/v1/cases/${Y.id}`, first), 404, 'case.not_found');
  const r = await assign(Y.id, { mediators: [first] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'mediator_assigned');
  assert.deepEqual(meds(r.json), [{ username: first, role: 'lead' }]);
  const e = r.json.timeline[r.json.timeline.length - 1];
  assert.deepEqual([e.event, e.actor, e.from, e.to],
    ['assign_mediator', 'officer.hq', 'respondent_agreed', 'mediator_assigned']);
  // the case's mediators, as everyone on it reads them
  for (const u of ['officer.hq', 'resident.li', Yresp])
    assert.deepEqual(meds((await call('GET', `/api/v1/cases/${Y.id}`, u)).json),
      [{ username: first, role: 'lead' }], u);
  // the mediator lists and reads it
  const list = await call('GET', '/api/v1/cases?limit=100', first);
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some((i) => i.id === Y.id), list.text);
  const g = await call('GET', `/api/v1/cases/${Y.id}`, first);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.number, Y.number);
  // and the profile counts it as open
  const m = (await call('GET', `/api/v1/mediators/${first}`, 'officer.hq')).json;
  assert.equal(m.open_cases, open + 1);
});

test('mediated_before: the assigned mediator on a new case with the same parties', async () => {
  const z = await fileCase(filing('同一当事人的新案件',
    [person('李明', 'zhuhai', 'zh-Hans', ['putonghua'])],
    [person('陳大文', 'macao', 'zh-Hant', ['cantonese'])]));
  const e = entry((await proposal(z.id)).json, first);
  const mb = reason(e, 'mediated_before');
  assert.ok(mb, JSON.stringify(e));
  assert.equal(mb.points, 0);
  assert.equal(mb.basis, 'same_name');
});

test('own choice needs a reason; ineligible and unknown mediators are refused', async () => {
  const p = (await proposal(Y.id)).json;
  const other = p.candidates.find((e) => e.mediator !== p.candidates[0].mediator &&
    e.mediator !== first).mediator;
  fields(await assign(Y.id, { mediators: [other] }), [['reason', 'reason_for_own_choice']]);
  // (whether "reason" is asked for beside these is not what is checked here)
  const only = (r, expected) => {
    err(r, 400, 'request.validation');
    assert.deepEqual(r.json.error.fields.filter((f) => f.field !== 'reason')
      .map((f) => [f.field, f.code]), expected, r.text);
  };
  only(await assign(Y.id, { mediators: ['mediator.sun'] }), [['mediators[0]', 'mediator_ineligible']]);
  only(await assign(Y.id, { mediators: ['mediator.sun'], override_reason: '我们知道' }),
    [['mediators[0]', 'mediator_ineligible']]);
  fields(await assign(Y.id, { mediators: ['mediator.sun'], override_reason: '我们知道', reason: 'x' }),
    [['mediators[0]', 'mediator_ineligible']]);
  // another center's mediator is not among those weighed
  only(await assign(Y.id, { mediators: ['mediator.wong'] }), [['mediators[0]', 'unknown_mediator']]);
  fields(await assign(Y.id, { mediators: [other, other], reason: 'x' }), [['mediators[1]', 'duplicate']]);
  fields(await assign(Y.id, { mediators: [] }), [['mediators', 'too_few']]);
  // nothing changed
  assert.deepEqual(meds((await call('GET', `/api/v1/cases/${Y.id}`, 'officer.hq')).json),
    [{ username: first, role: 'lead' }]);
  // with a reason it is done
  const r = await assign(Y.id, { mediators: [other], reason: '当事人要求男性调解员' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(meds(r.json), [{ username: other, role: 'lead' }]);
  const e = r.json.timeline[r.json.timeline.length - 1];
  assert.deepEqual([e.event, e.from, e.to, e.reason],
    ['reassign_mediator', 'mediator_assigned', 'mediator_assigned', '当事人要求男性调解员']);
  // the mediator replaced no longer reads the case
  err(await call('GET', `/api/v1/cases/${Y.id}`, first), 404, 'case.not_found');
});

test('a conflicted mediator needs override_reason', async () => {
  const p = (await proposal(Y.id)).json;
  const yu = entry(p, 'mediator.yu');
  assert.deepEqual(codes(yu), ['conflict_of_interest']);
  assert.equal(yu.reasons[0].kind, 'declared_relationship');
  // both missing reasons are named at once
  fields(await assign(Y.id, { mediators: ['mediator.yu'] }),
    [['mediators[0]', 'conflict_needs_override'], ['reason', 'reason_for_own_choice']]);
  fields(await assign(Y.id, { mediators: ['mediator.yu'], reason: '经验丰富' }),
    [['mediators[0]', 'conflict_needs_override']]);
  assert.notEqual((await call('GET', `/api/v1/cases/${Y.id}`, 'officer.hq')).json.mediators[0]
    .username, 'mediator.yu');
});

// Not the proposal's choice: the override reason does not replace the reason for one's own choice.
test('a conflicted mediator also needs a reason for one\'s own choice', async () => {
  fields(await assign(Y.id, { mediators: ['mediator.yu'], override_reason: '双方书面同意。' }),
    [['reason', 'reason_for_own_choice']]);
});

test('an override is assigned, audited (conflict_override) and written in the timeline', async () => {
  const why = '申报的亲属关系已于十年前结束，双方书面同意。';
  const r = await assign(Y.id, { mediators: ['mediator.yu'], override_reason: why, reason: '熟悉本地家事' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(meds(r.json), [{ username: 'mediator.yu', role: 'lead' }]);
  const e = r.json.timeline[r.json.timeline.length - 1];
  assert.equal(e.event, 'reassign_mediator');
  assert.ok((e.reason || '').includes(why), JSON.stringify(e));
  const a = await call('GET', `/api/v1/audit?case=${Y.id}&limit=500`, 'auditor');
  assert.equal(a.status, 200, a.text);
  const o = a.json.items.filter((x) => x.action === 'conflict_override');
  assert.ok(o.length >= 1, a.text);
  assert.deepEqual([o[0].object_type, o[0].object_id, o[0].outcome, o[0].actor_role],
    ['case', Y.id, 'ok', 'case_officer']);
  assert.ok(!a.text.includes(why), 'the reason itself is not in the audit trail');
  assert.equal((await call('GET', `/api/v1/cases/${Y.id}`, 'mediator.yu')).status, 200);
});

test('recusal asked by a party: pending, accepted by the officer, then reassignment', async () => {
  const R = (body, who) => call('POST', `/api/v1/cases/${Y.id}/recusals`, who, body);
  fields(await R({ mediator: 'mediator.chen', grounds: '不认识' }, 'resident.li'),
    [['mediator', 'not_on_case']]);
  fields(await R({ mediator: 'mediator.yu' }, 'resident.li'), [['grounds', 'required']]);
  err(await R({ mediator: 'mediator.yu', grounds: 'x' }, 'officer.hq'), 403, 'auth.forbidden');
  err(await R({ mediator: 'mediator.yu', grounds: 'x' }, 'resident.chan'), 404, 'case.not_found');
  const grounds = '调解员与被申请人有亲属关系。';
  let r = await R({ mediator: 'mediator.yu', grounds }, Yresp);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending');
  const rid = r.json.id;
  r = await call('GET', `/api/v1/cases/${Y.id}/recusals`, 'officer.hq');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((i) => [i.id, i.mediator, i.status, i.grounds]),
    [[rid, 'mediator.yu', 'pending', grounds]]);
  // still on the case while pending
  assert.equal((await call('GET', `/api/v1/cases/${Y.id}`, 'mediator.yu')).status, 200);
  const D = (body, who = 'officer.hq') =>
    call('POST', `/api/v1/cases/${Y.id}/recusals/${rid}/decision`, who, body);
  err(await D({ accept: true, reason: 'x' }, 'resident.li'), 403, 'auth.forbidden');
  fields(await D({ accept: true }), [['reason', 'required']]);
  r = await D({ accept: true, reason: '理由成立。' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(meds(r.json), []);
  err(await call('GET', `/api/v1/cases/${Y.id}`, 'mediator.yu'), 404, 'case.not_found');
  err(await D({ accept: true, reason: 'again' }), 404, 'recusal.not_found');
  r = await call('GET', `/api/v1/cases/${Y.id}/recusals`, 'resident.li');
  assert.deepEqual(r.json.items.map((i) => [i.status, i.decision]), [['accepted', '理由成立。']]);
  // reassignment
  const p = (await proposal(Y.id)).json;
  r = await assign(Y.id, { mediators: [p.candidates[0].mediator] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(meds(r.json), [{ username: p.candidates[0].mediator, role: 'lead' }]);
});

test('a mediator recusing themself is accepted at once', async () => {
  const m = (await call('GET', `/api/v1/cases/${Y.id}`, 'officer.hq')).json.mediators[0].username;
  await signIn(m);
  const open = (await call('GET', `/api/v1/mediators/${m}`, 'officer.hq')).json.open_cases;
  // another mediator cannot recuse them
  err(await call('POST', `/api/v1/cases/${Y.id}/recusals`, 'mediator.sun',
    { mediator: m, grounds: 'x' }), 404, 'case.not_found');
  const r = await call('POST', `/api/v1/cases/${Y.id}/recusals`, m,
    { mediator: m, grounds: '本人近期工作量过大。' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'accepted');
  assert.deepEqual((await call('GET', `/api/v1/cases/${Y.id}`, 'officer.hq')).json.mediators, []);
  err(await call('GET', `/api/v1/cases/${Y.id}`, m), 404, 'case.not_found');
  const l = (await call('GET', `/api/v1/cases/${Y.id}/recusals`, 'officer.hq')).json.items;
  assert.deepEqual(l[l.length - 1].status, 'accepted');
  assert.equal((await call('GET', `/api/v1/mediators/${m}`, 'officer.hq')).json.open_cases, open - 1);
});

// ---- more mediators than one batch of the store ------------------------------------------------

test('every mediator of the center is listed and weighed, however many (here more than 64)', async () => {
  const before = (await centerMediators('HQ')).length;
  const want = 66 - before; // HQ ends with 66 mediators, all centers with more than 70
  for (let i = 0; i < want; i += 6) { // a few at a time: each account hashes a password
    const batch = [];
    for (let k = i; k < Math.min(want, i + 6); k++)
      batch.push(call('POST', '/api/v1/users', 'admin', { username: `mediator.bulk${k}`, password: PW,
        role: 'mediator', display_name: `Bulk ${k}`, language: 'en', email: `bulk${k}@example.com`,
        centers: ['HQ'] }));
    for (const r of await Promise.all(batch)) assert.equal(r.status, 201, r.text);
  }
  const hq = await centerMediators('HQ');
  assert.equal(hq.length, 66);
  const all = (await call('GET', '/api/v1/mediators', 'admin')).json.items;
  assert.ok(all.some((m) => m.username === 'mediator.zhou'), 'ZHC mediators sort after the bulk ones');
  assert.equal(all.length, new Set(all.map((m) => m.username)).size);
  assert.ok(all.length > 70, `${all.length}`);
  // all are weighed; the reply lists the best `limit` of each (20 by default, up to 500)
  const p0 = (await proposal(1)).json;
  assert.equal(p0.weighed, 66);
  assert.equal(p0.candidates_total + p0.excluded_total, 66);
  assert.ok(p0.candidates.length <= 20 && p0.excluded.length <= 20);
  const p = (await call('GET', '/api/v1/cases/1/assignment-proposal?limit=500', 'officer.hq')).json;
  assert.equal(p.candidates.length + p.excluded.length, 66);
  assert.ok(p.candidates.some((e) => e.mediator === 'mediator.yu') ||
    p.excluded.some((e) => e.mediator === 'mediator.yu'), 'mediator.yu sorts last and is weighed');
});

// ---- the roster kept between proposals: a change shows in the very next one --------------------

// Every step asks for a proposal first (so the center's mediators are in memory), changes one
// thing, and expects the next proposal to show it.
test('a change to a mediator shows in the very next proposal (capacity, relationship, assignment)', async () => {
  const P500 = async (id) =>
    (await call('GET', `/api/v1/cases/${id}/assignment-proposal?limit=500`, 'officer.hq')).json;
  const p0 = await P500(1);
  const c = p0.candidates[0].mediator;
  const before = entry(p0, c);
  const cap = (await call('GET', `/api/v1/mediators/${c}`, 'admin')).json.capacity;
  // capacity 0: at capacity at once; and back
  await patchProfile(c, { capacity: 0 });
  let e = entry(await P500(1), c);
  assert.ok(codes(e).includes('at_capacity'), JSON.stringify(e));
  await patchProfile(c, { capacity: cap });
  assert.deepEqual(entry(await P500(1), c), before, 'the same entry as before the change');

  // an assignment: the mediator's load on another case's proposal counts it at once
  const k = await fileCase(filing('名冊快取：指派',
    [person('鄭家明', 'zhuhai', 'zh-Hans', ['putonghua'])],
    [person('方子健', 'macao', 'zh-Hant', ['cantonese'])]));
  await walkToAgreed(k.id);
  const pk = await P500(k.id);
  const d = pk.candidates[0].mediator;
  const load0 = reason(entry(await P500(1), d), 'load');
  const r = await assign(k.id, { mediators: [d] });
  assert.equal(r.status, 200, r.text);
  const m = (await call('GET', `/api/v1/mediators/${d}`, 'admin')).json;
  const load1 = reason(entry(await P500(1), d), 'load');
  assert.notDeepEqual(load1, load0);
  assert.equal(load1.points, Math.floor(300 * (m.capacity - m.open_cases) / m.capacity));

  // a declared relationship with the case's respondent: a conflict at once
  const q0 = await P500(1);
  assert.ok(!codes(entry(q0, c)).includes('conflict_of_interest'), JSON.stringify(entry(q0, c)));
  await signIn(c);
  const rel = await call('POST', `/api/v1/mediators/${c}/relationships`, c,
    { subject_kind: 'person', relation: 'business', name: '陳大文' });
  assert.equal(rel.status, 201, rel.text);
  const q1 = await P500(1);
  e = entry(q1, c);
  assert.ok(q1.excluded.includes(e), JSON.stringify(e));
  assert.ok(e.reasons.some((x) => x.code === 'conflict_of_interest' &&
    x.kind === 'declared_relationship'), JSON.stringify(e));
});
