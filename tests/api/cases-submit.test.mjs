// cases-submit.test.mjs: a draft becomes "submitted" only when it is complete, and a submitted
// case always has its number and submission time — whichever route submits it: PATCH with
// {"submit": true} or the "submit" event of POST /api/v1/cases/{id}/events. (The rest of the case
// routes is covered by cases-filing, cases-life and access.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const s = {};
before(async () => {
  srv = await startServer();
  s['resident.li'] = await login(srv, 'resident.li');
});
after(async () => { await srv?.stop(); });

const NUMBER = /^HQ-FAM-\d{4}-\d{6}$/;
const complete = (over = {}) => ({
  center: 'HQ', type: 'family', subtype: 'custody', title: '子女抚养权',
  summary: '双方已分居，希望就子女的抚养安排达成协议。',
  applicants: [{ name: '李明', residence: 'zhuhai', language: 'zh-Hans' }],
  respondents: [{ name: '黄小红', residence: 'macao' }],
  claims: [{ description: '子女由申请人抚养' }],
  consent: { mediation: true },
  ...over,
});

const file = (body, who = 'resident.li', headers = {}) =>
  api(srv, 'POST', '/api/v1/cases', { token: s[who].token, body, headers });
const get = (id, who = 'resident.li') => api(srv, 'GET', `/api/v1/cases/${id}`, { token: s[who].token });
const event = (id, body, who = 'resident.li') =>
  api(srv, 'POST', `/api/v1/cases/${id}/events`, { token: s[who].token, body });

function fields(r, status = 400, code = 'request.validation') {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code);
  return r.json.error.fields.map((f) => [f.field, f.code]);
}

// PATCH {"submit": true} checks that the filing is complete and numbers the case; the "submit"
// event of POST /cases/{id}/events must not be a way around either.
test('the submit event refuses an incomplete draft, as PATCH submit does', async () => {
  const d = await file({ center: 'HQ', type: 'family', subtype: 'divorce', title: '离婚调解' });
  assert.equal(d.status, 201, d.text);
  const viaPatch = await api(srv, 'PATCH', `/api/v1/cases/${d.json.id}`,
    { token: s['resident.li'].token, body: { submit: true } });
  const expected = fields(viaPatch).sort();
  assert.ok(expected.some(([f, c]) => f === 'consent.mediation' && c === 'consent_required'));
  assert.equal((await get(d.json.id)).json.status, 'draft');

  const viaEvent = await event(d.json.id, { event: 'submit' });
  const after = (await get(d.json.id)).json;
  assert.equal(after.status, 'draft',
    `an incomplete draft (no respondent, no consent to mediation) became "${after.status}" `
    + `with number ${after.number}`);
  assert.deepEqual(fields(viaEvent).sort(), expected);
});

test('a complete draft submitted by the event gets its number and submission time', async () => {
  const d = await file(complete({ title: '草稿后提交' }));
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.status, 'draft');
  const r = await event(d.json.id, { event: 'submit' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'submitted');
  assert.match(r.json.number ?? 'null', NUMBER, 'a submitted case has its number');
  assert.equal(typeof r.json.submitted_at, 'number', 'and its submission time');
});
