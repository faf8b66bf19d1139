// access.test.mjs: who sees which cases (lists and single reads) and which party details:
// residents their own, lawyers their matters and their sharing firm's, officers their center's
// submitted cases, drafts only their filer; identity and contact details only to the party's own
// side and staff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const T = {};
const USERS = ['resident.li', 'resident.chan', 'lawyer.ho', 'lawyer.sousa', 'officer.hq',
  'officer.zhc', 'mediator.chen', 'auditor', 'admin'];
before(async () => {
  srv = await startServer();
  for (const u of USERS) T[u] = (await login(srv, u)).token;
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body) => api(srv, method, path, { token: T[who], body });
const get = (id, who) => call('GET', `/api/v1/cases/${id}`, who);

function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
}

// Every case summary the user can list (all pages).
async function list(who, query = '') {
  const items = [];
  let cursor = null;
  for (;;) {
    const r = await call('GET', `/api/v1/cases?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`,
      who);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    if (!r.json.next_cursor) return items;
    cursor = r.json.next_cursor;
  }
}
const ids = (items) => items.map((c) => c.id).sort((a, b) => a - b);

const PRIVATE = ['id_document', 'phone', 'email', 'address'];
const party = (name, extra) => ({ kind: 'person', name, residence: 'macao', language: 'zh-Hant',
  ...extra });

test('a resident sees only the cases they filed or are party to', async () => {
  const li = await list('resident.li');
  const chan = await list('resident.chan');
  assert.ok(li.length > 0 && chan.length > 0);
  for (const c of li) assert.equal((await get(c.id, 'resident.li')).status, 200, `case ${c.id}`);
  // li is the respondent (a registered party) in a commercial case filed by lawyer.ho
  const asRespondent = li.filter((c) => c.type === 'commercial');
  assert.equal(asRespondent.length, 1);
  const g = (await get(asRespondent[0].id, 'resident.li')).json;
  assert.equal(g.respondents[0].registered, true);
  // chan's cases li has no part in: not listed, and 404 (not 403) when asked for directly
  const liIds = new Set(ids(li));
  const foreign = chan.filter((c) => !liIds.has(c.id));
  assert.ok(foreign.length >= 2);
  for (const c of foreign) err(await get(c.id, 'resident.li'), 404, 'case.not_found');
  // ... and cases of lawyers' clients neither
  for (const c of await list('lawyer.ho')) {
    if (!liIds.has(c.id)) err(await get(c.id, 'resident.li'), 404, 'case.not_found');
  }
  // a case id that does not exist reads the same as one that is not yours
  err(await get(999999, 'resident.li'), 404, 'case.not_found');
});

test('a lawyer sees their matters and their sharing firm\'s; not residents\' own cases', async () => {
  const firms = await call('GET', '/api/v1/firms', 'lawyer.ho');
  assert.equal(firms.json.items.find((f) => f.code === 'ZHM-LAW').share_matters, true);
  const ho = await list('lawyer.ho');
  const sousa = await list('lawyer.sousa');
  assert.deepEqual(ids(ho), ids(sousa), 'one firm, one list of matters');
  assert.ok(ho.length >= 5);
  for (const c of ho) {
    assert.equal(c.type, 'commercial');
    assert.notEqual(c.status, 'draft');
    assert.equal((await get(c.id, 'lawyer.sousa')).status, 200);
  }
  // a resident's cases are not the firm's, except where the firm acts on the other side
  const chan = await list('resident.chan');
  const shared = chan.filter((c) => ids(ho).includes(c.id));
  assert.deepEqual(shared.map((c) => c.title), ['Unpaid freight charges — Macao shipments']);
  for (const c of chan.filter((k) => !shared.includes(k)))
    err(await get(c.id, 'lawyer.ho'), 404, 'case.not_found');
});

test('an officer sees their center\'s submitted cases only', async () => {
  const hq = await list('officer.hq');
  const zhc = await list('officer.zhc');
  assert.ok(hq.length > 0 && zhc.length > 0);
  for (const c of hq) {
    assert.equal(c.center, 'HQ');
    assert.notEqual(c.status, 'draft');
  }
  for (const c of zhc) {
    assert.equal(c.center, 'ZHC');
    err(await get(c.id, 'officer.hq'), 404, 'case.not_found');
  }
  // the Macao family service's case (chan's) is for neither
  const mof = (await list('resident.chan')).filter((c) => c.center === 'MOF');
  assert.equal(mof.length, 1);
  err(await get(mof[0].id, 'officer.hq'), 404, 'case.not_found');
  assert.ok(!ids(hq).includes(mof[0].id));
  // every HQ case a resident can see (not a draft) is on the HQ officer's list
  const hqIds = new Set(ids(hq));
  for (const c of [...await list('resident.li'), ...await list('resident.chan')]) {
    if (c.center === 'HQ' && c.status !== 'draft') assert.ok(hqIds.has(c.id), `case ${c.id}`);
  }
});

test('a draft is seen by its filer alone', async () => {
  const draft = (await list('resident.li')).find((c) => c.status === 'draft');
  assert.ok(draft, 'the demo data has a draft of resident.li');
  assert.equal((await get(draft.id, 'resident.li')).status, 200);
  for (const who of ['officer.hq', 'resident.chan', 'lawyer.ho']) {
    err(await get(draft.id, who), 404, 'case.not_found');
    assert.ok(!ids(await list(who)).includes(draft.id), who);
  }
  // a lawyer's draft is not the firm's yet
  const d = await call('POST', '/api/v1/cases', 'lawyer.ho', { center: 'ZHC', type: 'commercial',
    subtype: 'lease', title: 'Draft lease matter' });
  assert.equal(d.status, 201, d.text);
  assert.ok(ids(await list('lawyer.ho')).includes(d.json.id));
  assert.ok(!ids(await list('lawyer.sousa')).includes(d.json.id));
  err(await get(d.json.id, 'lawyer.sousa'), 404, 'case.not_found');
  err(await get(d.json.id, 'officer.zhc'), 404, 'case.not_found');
});

test('mediators (unassigned) list nothing; auditors and admins may not list or read cases', async () => {
  const m = await call('GET', '/api/v1/cases', 'mediator.chen');
  assert.equal(m.status, 200, m.text);
  assert.deepEqual(m.json, { items: [], next_cursor: null });
  const some = (await list('officer.hq'))[0];
  err(await get(some.id, 'mediator.chen'), 404, 'case.not_found');
  for (const who of ['auditor', 'admin']) {
    err(await call('GET', '/api/v1/cases', who), 403, 'auth.forbidden');
    err(await get(some.id, who), 403, 'auth.forbidden');
  }
  err(await api(srv, 'GET', '/api/v1/cases'), 401, 'auth.required');
  err(await api(srv, 'GET', `/api/v1/cases/${some.id}`), 401, 'auth.required');
});

test('list filters and pages', async () => {
  const all = await list('officer.hq');
  const sub = await list('officer.hq', '&status=submitted');
  assert.deepEqual(ids(sub), ids(all.filter((c) => c.status === 'submitted')));
  assert.deepEqual(ids(await list('lawyer.ho', '&type=family')), []);
  assert.deepEqual(ids(await list('resident.chan', '&center=MOF')),
    ids((await list('resident.chan')).filter((c) => c.center === 'MOF')));
  // pages are disjoint and together the whole list, newest first
  const pages = [];
  let cursor = null;
  do {
    const r = await call('GET', `/api/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      'officer.hq');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2);
    pages.push(...r.json.items.map((c) => c.id));
    cursor = r.json.next_cursor;
  } while (cursor);
  assert.deepEqual(pages, [...pages].sort((a, b) => b - a));
  assert.deepEqual([...pages].sort((a, b) => a - b), ids(all));
  const bad = await call('GET', '/api/v1/cases?status=nonsense&type=x', 'officer.hq');
  err(bad, 400, 'request.invalid_query');
  assert.deepEqual(bad.json.error.fields.map((f) => [f.field, f.code]).sort(),
    [['status', 'choice'], ['type', 'choice']]);
  err(await call('GET', '/api/v1/cases?limit=0', 'officer.hq'), 400, 'request.invalid_query');
});

// A family case with identity and contact details on both sides, accepted, its invitation
// redeemed by `respondentUser` (a resident or a lawyer).
async function caseWithDetails(respondentUser) {
  const f = await call('POST', '/api/v1/cases', 'resident.li', {
    center: 'HQ', type: 'family', subtype: 'divorce', title: '离婚财产安排', summary: '财产分割。',
    applicants: [party('李明', { id_document: { type: 'mainland_id', number: '11010519491231002X' },
      phone: '+86 138 0756 1234', email: 'li@example.com', address: '珠海市香洲区' })],
    respondents: [party('何美玲', { id_document: { type: 'hk_id', number: 'A123456(3)' },
      phone: '+853 6612 0000', email: 'ho.ml@example.com', address: '澳門氹仔' })],
    claims: [{ description: '房产分割' }],
    consent: { mediation: true, electronic_service: true,
      addresses: [{ channel: 'email', value: 'li@example.com' }] },
    submit: true,
  });
  assert.equal(f.status, 201, f.text);
  const id = f.json.id;
  assert.equal((await call('POST', `/api/v1/cases/${id}/events`, 'officer.hq',
    { event: 'start_screening' })).status, 200);
  const a = await call('POST', `/api/v1/cases/${id}/events`, 'officer.hq', { event: 'accept' });
  assert.equal(a.status, 200, a.text);
  const r = await call('POST', '/api/v1/invitations/redeem', respondentUser,
    { code: a.json.invitation.code });
  assert.equal(r.status, 200, r.text);
  return id;
}

function hasDetails(p) {
  return PRIVATE.every((k) => k in p && p[k] !== null);
}
function noDetails(p) {
  return PRIVATE.every((k) => !(k in p));
}

test('party details: own side and staff see them; the other side does not (residents)', async () => {
  const reg = await api(srv, 'POST', '/api/v1/auth/register', { body: { username: 'he.meiling',
    password: 'another-long-pass-93', display_name: '何美玲', language: 'zh-Hant',
    phone: '+853 6612 0000' } });
  assert.equal(reg.status, 201, reg.text);
  T['he.meiling'] = (await login(srv, 'he.meiling', 'another-long-pass-93')).token;
  const id = await caseWithDetails('he.meiling');

  const li = (await get(id, 'resident.li')).json;
  assert.ok(hasDetails(li.applicants[0]), JSON.stringify(li.applicants[0]));
  assert.ok(noDetails(li.respondents[0]), JSON.stringify(li.respondents[0]));
  assert.equal(li.respondents[0].name, '何美玲');
  assert.deepEqual(li.consent.addresses, [{ channel: 'email', value: 'li@example.com' }]);

  const he = (await get(id, 'he.meiling')).json;
  assert.ok(hasDetails(he.respondents[0]), JSON.stringify(he.respondents[0]));
  assert.ok(noDetails(he.applicants[0]), JSON.stringify(he.applicants[0]));
  assert.equal(he.applicants[0].name, '李明');
  assert.deepEqual(he.consent.addresses, [], 'the applicant\'s service addresses are theirs');
  assert.ok(!JSON.stringify(he).includes('11010519491231002X'));
  assert.ok(!JSON.stringify(he).includes('+86 138 0756 1234'));

  const staff = (await get(id, 'officer.hq')).json;
  assert.ok(hasDetails(staff.applicants[0]) && hasDetails(staff.respondents[0]));
});

test('party details: the applicant\'s lawyer (and firm) do not see the respondent\'s', async () => {
  const f = await call('POST', '/api/v1/cases', 'lawyer.ho', {
    center: 'ZHC', type: 'commercial', subtype: 'contract', title: 'Supply of steel',
    summary: 'Late delivery.',
    applicants: [{ kind: 'company', name: 'Ho Client Ltd', residence: 'hong_kong',
      phone: '+852 2123 4567', email: 'client@example.com', address: 'Central, Hong Kong' }],
    respondents: [party('張三', { id_document: { type: 'macao_bir', number: '1234567(8)' },
      phone: '+853 6612 9999', email: 'zhang@example.com', address: '澳門新口岸' })],
    claims: [{ description: 'Penalty', amount: { value: '1000.00', currency: 'MOP' } }],
    consent: { mediation: true }, submit: true,
  });
  assert.equal(f.status, 201, f.text);
  for (const who of ['lawyer.ho', 'lawyer.sousa']) {
    const c = (await get(f.json.id, who)).json;
    const a = c.applicants[0]; // the client: their contact details are the firm's to see
    assert.deepEqual([a.phone, a.email, a.address],
      ['+85221234567', 'client@example.com', 'Central, Hong Kong'], who);
    assert.ok(noDetails(c.respondents[0]),
      `${who} (applicant side) sees the respondent's details: ${JSON.stringify(c.respondents[0])}`);
  }
  const staff = (await get(f.json.id, 'officer.zhc')).json;
  assert.ok(hasDetails(staff.respondents[0]));
});

test('party details: the respondent\'s lawyer does not see the applicant\'s', async () => {
  const id = await caseWithDetails('lawyer.sousa');
  const c = (await get(id, 'lawyer.sousa')).json;
  assert.equal(c.respondents[0].lawyer, 'lawyer.sousa');
  assert.ok(hasDetails(c.respondents[0]), JSON.stringify(c.respondents[0]));
  assert.ok(c.actions.includes('respondent_agree'), 'the lawyer answers for the respondent');
  assert.ok(!c.actions.includes('withdraw'));
  assert.ok(noDetails(c.applicants[0]),
    `the respondent's lawyer sees the applicant's details: ${JSON.stringify(c.applicants[0])}`);
  assert.deepEqual(c.consent.addresses, []);
  // and the applicant still does not see the respondent's
  assert.ok(noDetails((await get(id, 'resident.li')).json.respondents[0]));
});
