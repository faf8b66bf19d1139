// cases-filing.test.mjs: filing a case (POST /api/v1/cases) and editing a draft (PATCH): numbers,
// drafts and merge patches, a lawyer filing for a client, numbering under concurrent filings,
// idempotent retries, and every kind of bad input reported at once by path, with nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const T = {};
before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'resident.chan', 'lawyer.ho', 'lawyer.sousa', 'officer.hq',
    'officer.zhc']) T[u] = (await login(srv, u)).token;
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body, headers = {}) =>
  api(srv, method, path, { token: T[who], body, headers });
const file = (body, who = 'resident.li', headers) => call('POST', '/api/v1/cases', who, body, headers);
const get = (id, who = 'resident.li') => call('GET', `/api/v1/cases/${id}`, who);
const patch = (id, body, who = 'resident.li') => call('PATCH', `/api/v1/cases/${id}`, who, body);

// The year in the centers' zone (UTC+8), as case numbers carry it.
const YEAR = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();

const family = (over = {}) => ({
  center: 'HQ', type: 'family', subtype: 'maintenance', title: '子女抚养费',
  summary: '对方近六个月没有支付抚养费。', request: '按月支付抚养费',
  applicants: [{ kind: 'person', name: '李明', residence: 'zhuhai', language: 'zh-Hans',
    id_document: { type: 'mainland_id', number: '11010519491231002X' },
    phone: '+86 138 0756 1234', email: 'li.ming@example.com', address: '珠海市横琴新区' }],
  respondents: [{ kind: 'person', name: '陳大文', residence: 'macao', language: 'zh-Hant' }],
  claims: [{ description: '拖欠的抚养费', amount: { value: '12000.00', currency: 'MOP' } }],
  consent: { mediation: true, electronic_service: true,
    addresses: [{ channel: 'email', value: 'li.ming@example.com' }] },
  submit: true,
  ...over,
});

// Every case id the user can list (all pages).
async function listIds(who) {
  const ids = [];
  let cursor = null;
  for (;;) {
    const r = await call('GET', `/api/v1/cases?limit=100${cursor ? `&cursor=${cursor}` : ''}`, who);
    assert.equal(r.status, 200, r.text);
    ids.push(...r.json.items.map((c) => c.id));
    if (!r.json.next_cursor) return ids.sort((a, b) => a - b);
    cursor = r.json.next_cursor;
  }
}

// Asserts the reply is the error given and returns its fields as sorted [path, code] pairs.
function fields(r, status = 400, code = 'request.validation') {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
  return (r.json.error.fields ?? []).map((f) => [f.field, f.code]).sort();
}

// Runs fn (a refused request) and asserts the filer's case list is the same before and after.
async function refusedWithoutWrite(who, fn) {
  const before = await listIds(who);
  const out = await fn();
  assert.deepEqual(await listIds(who), before, 'a refused filing must write nothing');
  return out;
}

const seqOf = (number) => Number(number.slice(-6));

test('a complete family case by a resident: 201, numbered, submitted, Location', async () => {
  const r = await file(family());
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  assert.equal(r.headers.get('location'), `/api/v1/cases/${c.id}`);
  assert.match(c.number, new RegExp(`^HQ-FAM-${YEAR}-\\d{6}$`));
  assert.equal(c.status, 'submitted');
  assert.equal(c.center, 'HQ');
  assert.equal(c.type, 'family');
  assert.equal(c.subtype, 'maintenance');
  assert.equal(c.title, '子女抚养费');
  assert.equal(typeof c.submitted_at, 'number');
  assert.equal(typeof c.version, 'number');
  assert.deepEqual(c.claims.map((x) => [x.description, x.amount.value, x.amount.currency]),
    [['拖欠的抚养费', '12000.00', 'MOP']]);
  assert.equal(c.applicants[0].registered, true, 'the filing resident is the first applicant');
  assert.deepEqual(c.applicants[0].id_document, { type: 'mainland_id', number: '11010519491231002X' });
  assert.deepEqual(c.timeline.map((e) => e.event), ['create', 'submit']);
  const g = await get(c.id);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.number, c.number);
  assert.ok((await listIds('resident.li')).includes(c.id));
  // the center's officer sees it too (a submitted case)
  assert.equal((await get(c.id, 'officer.hq')).status, 200);
});

test('a draft has no number; PATCH merges (fields not named stay), versions, then submits', async () => {
  const d = await file({ center: 'HQ', type: 'family', subtype: 'custody', title: '探视安排',
    applicants: [{ name: '李明', residence: 'zhuhai' }] });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.status, 'draft');
  assert.equal(d.json.number, null);
  assert.equal(d.json.submitted_at, null);
  const v1 = d.json.version;

  const p1 = await patch(d.json.id, { version: v1, summary: '暑假期间孩子去澳门的安排。' });
  assert.equal(p1.status, 200, p1.text);
  assert.equal(p1.json.version, v1 + 1);
  assert.equal(p1.json.summary, '暑假期间孩子去澳门的安排。');
  assert.equal(p1.json.title, '探视安排', 'a field the patch does not name stays');
  assert.deepEqual(p1.json.applicants.map((p) => p.name), ['李明']);
  assert.equal(p1.json.status, 'draft');

  // a stale version is refused and changes nothing
  const stale = await patch(d.json.id, { version: v1, title: '过时' });
  assert.deepEqual(fields(stale, 409, 'case.conflict'), []);
  assert.equal((await get(d.json.id)).json.title, '探视安排');

  // submitting while incomplete: everything missing at once, still a draft
  const inc = await patch(d.json.id, { submit: true });
  assert.deepEqual(fields(inc), [['consent.mediation', 'consent_required'],
    ['respondents', 'required']]);
  const still = await get(d.json.id);
  assert.equal(still.json.status, 'draft');
  assert.equal(still.json.version, v1 + 1);

  const sub = await patch(d.json.id, { version: v1 + 1, submit: true,
    respondents: [{ name: '陳大文', residence: 'macao' }], consent: { mediation: true },
    claims: [{ description: '每月两次探视' }] });
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.json.status, 'submitted');
  assert.match(sub.json.number, new RegExp(`^HQ-FAM-${YEAR}-\\d{6}$`));
  assert.equal(sub.json.title, '探视安排');
  assert.equal(sub.json.summary, '暑假期间孩子去澳门的安排。');
  assert.deepEqual(sub.json.respondents.map((p) => p.name), ['陳大文']);

  // no longer a draft: PATCH is refused, nothing changes
  const late = await patch(d.json.id, { title: '改了' });
  assert.equal(late.status, 403, late.text);
  assert.equal(late.json.error.code, 'auth.forbidden');
  assert.equal((await get(d.json.id)).json.title, '探视安排');
  // and another resident cannot patch it either (they cannot see it)
  assert.deepEqual(fields(await patch(d.json.id, { title: 'x' }, 'resident.chan'), 404,
    'case.not_found'), []);
});

test('a lawyer files a commercial case for a client; the firm (sharing matters) sees it', async () => {
  const r = await file({
    center: 'ZHC', type: 'commercial', subtype: 'debt', title: 'Unpaid invoices',
    summary: 'The buyer has not paid three invoices since June.',
    applicants: [{ kind: 'company', name: '澳門利興貿易有限公司', residence: 'macao',
      id_document: { type: 'business_registration', number: '12345' }, language: 'zh-Hant' }],
    respondents: [{ kind: 'company', name: '珠海市金灣建材有限公司', residence: 'zhuhai' }],
    claims: [{ description: 'Three invoices', amount: { value: '230000.00', currency: 'HKD' } }],
    consent: { mediation: true }, submit: true,
  }, 'lawyer.ho');
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  assert.match(c.number, new RegExp(`^ZHC-COM-${YEAR}-\\d{6}$`));
  assert.equal(c.applicants[0].kind, 'company');
  assert.equal(c.applicants[0].lawyer, 'lawyer.ho', 'the filing lawyer represents the applicant');
  assert.equal(c.applicants[0].registered, false, 'the lawyer is not the applicant');
  assert.ok((await listIds('lawyer.ho')).includes(c.id));
  // ZHM-LAW shares matters: lawyer.sousa sees it in her list and can open it
  assert.ok((await listIds('lawyer.sousa')).includes(c.id));
  assert.equal((await get(c.id, 'lawyer.sousa')).status, 200);
  // the ZHC officer sees it; the HQ officer and a resident do not
  assert.equal((await get(c.id, 'officer.zhc')).status, 200);
  assert.deepEqual(fields(await get(c.id, 'officer.hq'), 404, 'case.not_found'), []);
  assert.deepEqual(fields(await get(c.id, 'resident.li'), 404, 'case.not_found'), []);
});

test('20 concurrent filings: numbers never repeat and never skip', async () => {
  const first = await file(family({ title: '并发之前' }));
  assert.equal(first.status, 201, first.text);
  const start = seqOf(first.json.number);
  const who = ['resident.li', 'resident.chan'];
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    file(family({ title: `并发 ${i}` }), who[i % 2])));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const nums = rs.map((r) => r.json.number);
  assert.equal(new Set(nums).size, 20, `duplicate numbers: ${nums}`);
  for (const n of nums) assert.match(n, new RegExp(`^HQ-FAM-${YEAR}-\\d{6}$`));
  const seqs = nums.map(seqOf).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => start + 1 + i),
    'the 20 numbers follow the one before without a gap');
  assert.equal(new Set(rs.map((r) => r.json.id)).size, 20);
  const next = await file(family({ title: '并发之后' }));
  assert.equal(seqOf(next.json.number), start + 21);
  // a draft takes no number; the next submission continues the sequence
  const d = await file(family({ submit: false }));
  assert.equal(d.json.number, null);
  const after = await file(family({ title: '草稿之后' }));
  assert.equal(seqOf(after.json.number), start + 22);
});

test('an Idempotency-Key retry returns the first case (200, Idempotent-Replayed), once', async () => {
  const before = await listIds('resident.li');
  const headers = { 'Idempotency-Key': 'filing-7f3a-0001' };
  const a = await file(family({ title: '幂等' }), 'resident.li', headers);
  assert.equal(a.status, 201, a.text);
  assert.equal(a.headers.get('idempotent-replayed'), null);
  const b = await file(family({ title: '幂等' }), 'resident.li', headers);
  assert.equal(b.status, 200, b.text);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.json.id, a.json.id);
  assert.equal(b.json.number, a.json.number);
  // concurrent retries of the same key still make one case
  const cs = await Promise.all([1, 2, 3].map(() => file(family({ title: '幂等' }), 'resident.li',
    headers)));
  for (const c of cs) assert.equal(c.json.id, a.json.id, c.text);
  const afterIds = await listIds('resident.li');
  assert.deepEqual(afterIds, [...before, a.json.id].sort((x, y) => x - y), 'exactly one case made');
  // the key is the user's own: another user with the same key files their own case
  const other = await file(family({ title: '别人的' }), 'resident.chan', headers);
  assert.equal(other.status, 201, other.text);
  assert.notEqual(other.json.id, a.json.id);
});

test('missing center, type and subtype are all reported; nothing written', async () => {
  const r = await refusedWithoutWrite('resident.li', () => file({ title: '无中心' }));
  assert.deepEqual(fields(r), [['center', 'required'], ['subtype', 'required'],
    ['type', 'required']]);
  // empty strings are missing too
  const e = await refusedWithoutWrite('resident.li', () =>
    file({ center: '', type: 'family', subtype: '' }));
  assert.ok(fields(e).some(([f, c]) => f === 'center' && c === 'required'));
});

test('subtype not of the type, unknown center, family case at a commercial center', async () => {
  const a = await refusedWithoutWrite('resident.li', () =>
    file(family({ type: 'family', subtype: 'debt' })));
  assert.deepEqual(fields(a), [['subtype', 'subtype_mismatch']]);
  const b = await refusedWithoutWrite('resident.li', () => file(family({ center: 'XYZ' })));
  assert.deepEqual(fields(b), [['center', 'unknown_center']]);
  const c = await refusedWithoutWrite('resident.li', () => file(family({ center: 'ZHC' })));
  assert.deepEqual(fields(c), [['type', 'center_type']]);
  // all three at once, each by its own path
  const d = await refusedWithoutWrite('resident.li', () =>
    file(family({ center: 'ZHC', subtype: 'lease', claims: [{ description: 'x',
      amount: { value: '1e3', currency: 'CNY' } }] })));
  assert.deepEqual(fields(d), [['claims[0].amount.value', 'money.format'],
    ['subtype', 'subtype_mismatch'], ['type', 'center_type']]);
});

test('identity numbers: check digits of Mainland ID and HKID refused, valid ones accepted', async () => {
  const bad = await refusedWithoutWrite('resident.li', () => file(family({
    applicants: [{ name: '李明', id_document: { type: 'mainland_id', number: '110105194912310021' } }],
    respondents: [{ name: '陳大文', id_document: { type: 'hk_id', number: 'A123456(4)' } }],
  })));
  assert.deepEqual(fields(bad), [['applicants[0].id_document.number', 'id.check_digit'],
    ['respondents[0].id_document.number', 'id.check_digit']]);
  const ok = await file(family({
    applicants: [{ name: '李明', id_document: { type: 'mainland_id', number: '11010519491231002X' } }],
    respondents: [
      { name: '陳大文', id_document: { type: 'hk_id', number: 'A123456(3)' } },
      { name: '黃志偉', id_document: { type: 'macao_bir', number: '1234567(8)' } }],
  }));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.applicants[0].id_document.number, '11010519491231002X');
  // the other side's identity documents are for staff (and that side) to see
  const staff = await get(ok.json.id, 'officer.hq');
  assert.equal(staff.json.respondents[0].id_document.type, 'hk_id');
  assert.match(staff.json.respondents[0].id_document.number, /^A123456\(?3\)?$/);
  assert.equal(staff.json.respondents[1].id_document.type, 'macao_bir');
  assert.match(staff.json.respondents[1].id_document.number, /^1234567\(?8\)?$/);
});

test('amounts: comma, exponent, three decimals, negative, unknown currency', async () => {
  const claim = (value, currency = 'CNY') => ({ description: '款项', amount: { value, currency } });
  const r = await refusedWithoutWrite('resident.li', () => file(family({ claims: [
    claim('12,000'), claim('1e3'), claim('12.345'), claim('-5'), claim('5', 'USD')] })));
  const got = fields(r);
  for (const want of [['claims[0].amount.value', 'money.format'],
    ['claims[1].amount.value', 'money.format'], ['claims[2].amount.value', 'money.precision'],
    ['claims[3].amount.value', 'money.negative'], ['claims[4].amount.currency', 'money.currency']]) {
    assert.ok(got.some(([f, c]) => f === want[0] && c === want[1]), `${want} in ${got}`);
  }
  // nothing else is reported (the currency may only be reported at its own path)
  assert.deepEqual([...new Set(got.map(([f]) => f))], ['claims[0].amount.value',
    'claims[1].amount.value', 'claims[2].amount.value', 'claims[3].amount.value',
    'claims[4].amount.currency']);
  // good amounts are kept exactly
  const ok = await file(family({ claims: [claim('0.5', 'HKD'), claim('1500000', 'CNY')] }));
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.json.claims.map((c) => [c.amount.value, c.amount.currency]),
    [['0.50', 'HKD'], ['1500000.00', 'CNY']]);
});

// The shape check (field table) and the domain check (money, phone, e-mail, center) both run;
// a value the first refused must not be reported again by the second.
test('each bad field is reported once, not by both the shape and the domain check', async () => {
  const r = await refusedWithoutWrite('resident.li', () => file(family({
    center: '',
    applicants: [{ name: '李明', phone: '12', email: 'a' }],
    claims: [{ description: '款项', amount: { value: '5', currency: 'USD' } }] })));
  const got = fields(r);
  const paths = got.map(([f]) => f);
  assert.deepEqual(paths, [...new Set(paths)],
    `one error per path expected, got ${JSON.stringify(got)}`);
});

test('submit without consent to mediation; e-service without an address', async () => {
  const a = await refusedWithoutWrite('resident.li', () =>
    file(family({ consent: { mediation: false } })));
  assert.deepEqual(fields(a), [['consent.mediation', 'consent_required']]);
  const b = await refusedWithoutWrite('resident.li', () =>
    file(family({ consent: { electronic_service: true } })));
  assert.deepEqual(fields(b), [['consent.addresses', 'required'],
    ['consent.mediation', 'consent_required']]);
  // a draft needs no consent yet
  const d = await file(family({ consent: {}, submit: false }));
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.status, 'draft');
});

test('unknown fields, wrong types, oversized title, bad e-mail and phone: all at once', async () => {
  const r = await refusedWithoutWrite('resident.li', () => file({
    center: 5, type: 'family', subtype: 'divorce', title: 'x'.repeat(201), summary: ['no'],
    applicants: [{ name: '李明', nickname: '小明', email: 'not-an-email', phone: '66123456' }],
    respondents: {}, consent: { mediation: 'yes' }, submit: 'true', bogus: 1,
  }));
  assert.deepEqual(fields(r), [
    ['applicants[0].email', 'email_format'],
    ['applicants[0].nickname', 'unknown'],
    ['applicants[0].phone', 'phone_format'],
    ['bogus', 'unknown'],
    ['center', 'type'],
    ['consent.mediation', 'type'],
    ['respondents', 'type'],
    ['submit', 'type'],
    ['summary', 'type'],
    ['title', 'too_long'],
  ]);
  // 200 characters (not bytes) is the most a title may have
  const ok = await file(family({ title: '调'.repeat(200), submit: false }));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.title, '调'.repeat(200));
  const phone = await refusedWithoutWrite('resident.li', () => file(family({
    respondents: [{ name: '陳大文', phone: '6612 3456' }] })));
  assert.deepEqual(fields(phone), [['respondents[0].phone', 'phone_format']]);
});

test('malformed, empty and non-object bodies, an unknown lawyer; nothing written', async () => {
  const a = await refusedWithoutWrite('resident.li', () => file('{"center": "HQ",'));
  fields(a, 400, 'request.malformed_json');
  const b = await refusedWithoutWrite('resident.li', () => file('[]'));
  fields(b, 400, 'request.not_an_object');
  const c = await refusedWithoutWrite('resident.li', () => file(family({
    applicants: [{ name: '李明', lawyer: 'nobody.here' }] })));
  assert.deepEqual(fields(c), [['applicants[0].lawyer', 'unknown_lawyer']]);
  // the respondent's representative joins through the respondent's invitation only
  const c2 = await refusedWithoutWrite('resident.li', () => file(family({
    respondents: [{ name: '陳大文', lawyer: 'lawyer.ho' }] })));
  assert.deepEqual(fields(c2), [['respondents[0].lawyer', 'respondent_lawyer']]);
  // officers do not file
  const d = await file(family(), 'officer.hq');
  assert.deepEqual(fields(d, 403, 'auth.forbidden'), []);
});
