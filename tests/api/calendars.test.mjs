// calendars.test.mjs: the working-day calendars (GET /api/v1/calendars/{calendar}, POST …/overrides,
// DELETE …/overrides/{date}): the computed holidays, who may record and withdraw an announced
// change, validation in the reader's language, what a withdrawal leaves behind, and the audit
// entries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';

let srv;
const T = {};

before(async () => {
  srv = await startServer();
  for (const u of ['admin', 'officer.hq', 'resident.li', 'auditor'])
    T[u] = (await login(srv, u)).token;
});
after(async () => { await srv?.stop(); });

const call = (method, path, who, body, lang) => api(srv, method, path, { token: T[who], body, lang });
const calendar = (name, year, who = 'officer.hq') => call('GET', `/api/v1/calendars/${name}?year=${year}`, who);
const record = (name, body, who = 'admin') => call('POST', `/api/v1/calendars/${name}/overrides`, who, body);
const withdraw = (name, date, who = 'admin') => call('DELETE', `/api/v1/calendars/${name}/overrides/${date}`, who);

function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
}

test('the computed holidays of both calendars; years out of range are refused', async () => {
  const mo = await calendar('macao', 2030);
  assert.equal(mo.status, 200, mo.text);
  assert.ok(mo.json.holidays.some((h) => h.date === '2030-12-20' && h.key === 'macao_sar_establishment_day'));
  const ml = await calendar('mainland', 2030);
  assert.ok(ml.json.holidays.some((h) => h.date === '2030-10-01' && h.key === 'national_day'));
  assert.ok(!ml.json.holidays.some((h) => h.key === 'macao_sar_establishment_day'));
  err(await calendar('mainland', 1800), 400, 'request.invalid_query');
  err(await calendar('atlantis', 2030), 404, 'request.not_found');
  err(await api(srv, 'GET', '/api/v1/calendars/macao'), 401, 'auth.required');
});

test('an admin records an announced change and withdraws it; the computed day applies again', async () => {
  // 2030-10-12 is a Saturday: recorded as a working day (a swap announced to bridge a holiday)
  const r = await record('mainland', { date: '2030-10-12', working: true, note: 'State Council notice' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await calendar('mainland', 2030)).json.overrides,
    [{ date: '2030-10-12', working: true, note: 'State Council notice' }]);
  // only that year's changes are listed
  assert.deepEqual((await calendar('mainland', 2029)).json.overrides, []);
  assert.deepEqual((await calendar('mainland', 2031)).json.overrides, []);

  const d = await withdraw('mainland', '2030-10-12');
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json, { calendar: 'mainland', date: '2030-10-12', deleted: true });
  assert.deepEqual((await calendar('mainland', 2030)).json.overrides, []);
  // withdrawing it again: nothing is recorded for that day any more
  err(await withdraw('mainland', '2030-10-12'), 404, 'calendar.override_not_found');
  // each calendar keeps its own changes: the same day on the other calendar was never recorded
  assert.equal((await record('mainland', { date: '2030-10-12', working: true })).status, 200);
  err(await withdraw('macao', '2030-10-12'), 404, 'calendar.override_not_found');
  assert.deepEqual((await calendar('mainland', 2030)).json.overrides, [{ date: '2030-10-12', working: true }]);
});

test('bad dates and unknown calendars are refused with stable codes, in the reader\'s language', async () => {
  for (const bad of ['2030-13-01', '2030-02-30', '20301012', '2030-1-12', 'tomorrow', '2030-10-12x',
    '1800-01-04']) {
    const r = await withdraw('macao', encodeURIComponent(bad));
    err(r, 400, 'request.validation');
    assert.deepEqual(r.json.error.fields.map((f) => [f.field, f.code]), [['date', 'date_format']]);
  }
  err(await withdraw('atlantis', '2030-10-12'), 404, 'request.not_found');
  // in the admin's own language (the stored preference comes first)
  for (const [language, re] of [['zh-Hant', /日曆/], ['pt', /calendário/], ['en', /calendar/]]) {
    assert.equal((await call('PATCH', '/api/v1/me', 'admin', { language })).status, 200);
    const r = await withdraw('macao', '2031-01-02');
    err(r, 404, 'calendar.override_not_found');
    assert.match(r.json.error.message, re);
  }
});

test('only admins change the calendars; a refusal changes nothing', async () => {
  assert.equal((await record('macao', { date: '2030-05-06', working: false, note: 'Typhoon day' })).status, 200);
  for (const u of ['officer.hq', 'resident.li', 'auditor']) {
    err(await withdraw('macao', '2030-05-06', u), 403, 'auth.forbidden');
    err(await record('macao', { date: '2030-05-07', working: false }, u), 403, 'auth.forbidden');
  }
  err(await api(srv, 'DELETE', '/api/v1/calendars/macao/overrides/2030-05-06'), 401, 'auth.required');
  assert.deepEqual((await calendar('macao', 2030)).json.overrides, [{ date: '2030-05-06', working: false, note: 'Typhoon day' }]);
});

test('recording and withdrawing are in the audit trail, with the day and no note', async () => {
  assert.equal((await record('macao', { date: '2030-06-03', working: false, note: 'Announced on TV' })).status, 200);
  assert.equal((await withdraw('macao', '2030-06-03')).status, 200);
  const r = await call('GET', '/api/v1/audit?limit=500', 'auditor');
  assert.equal(r.status, 200, r.text);
  const mine = r.json.items.filter((e) => e.object_type === 'calendar' && e.detail === '2030-06-03');
  assert.deepEqual(mine.map((e) => e.action).sort(), ['calendar_override', 'calendar_override_delete']);
  assert.ok(!JSON.stringify(r.json).includes('Announced on TV'), 'the note is not in the trail');
});
