// cases-life.test.mjs: a case's life through POST /api/v1/cases/{id}/events: screening, more
// information, acceptance with its invitation and working-day deadlines, the respondent answering
// through the invitation, refusals (wrong state, wrong person, no reason), withdrawal, and the
// officers' deadline list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api, login, QIAOD } from './lib/server.mjs';

let srv;
let restarted; // the server started again on srv's directory by the last test
const T = {};
before(async () => {
  srv = await startServer();
  for (const u of ['resident.li', 'resident.chan', 'officer.hq', 'officer.zhc', 'lawyer.ho'])
    T[u] = (await login(srv, u)).token;
});
after(async () => {
  if (restarted) {
    await restarted.stop();
    rmSync(srv.dataDir, { recursive: true, force: true });
  } else {
    await srv?.stop();
  }
});

const call = (method, path, who, body) => api(srv, method, path, { token: T[who], body });
const get = (id, who = 'resident.li') => call('GET', `/api/v1/cases/${id}`, who);
const ev = (id, who, event, reason) =>
  call('POST', `/api/v1/cases/${id}/events`, who, reason === undefined ? { event } : { event, reason });

function err(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
}

// Registers a new resident and signs them in under name `key`.
async function newResident(key) {
  const r = await api(srv, 'POST', '/api/v1/auth/register', { body: { username: key,
    password: 'long-enough-pass-4821', display_name: key, language: 'zh-Hant',
    email: `${key}@example.com` } });
  assert.equal(r.status, 201, r.text);
  T[key] = (await login(srv, key, 'long-enough-pass-4821')).token;
}

const complete = (title) => ({
  center: 'HQ', type: 'family', subtype: 'custody', title, summary: '双方对探视安排有分歧。',
  applicants: [{ name: '李明', residence: 'zhuhai', language: 'zh-Hans' }],
  respondents: [{ name: '林秀英', residence: 'macao', language: 'zh-Hant' }],
  claims: [{ description: '每月探视两次' }], consent: { mediation: true }, submit: true,
});

async function fileCase(title, who = 'resident.li') {
  const r = await call('POST', '/api/v1/cases', who, complete(title));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Today and date arithmetic in the centers' zone (UTC+8), as YYYY-MM-DD.
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const TODAY = iso(Date.now() + 8 * 3600e3);
const addDays = (d, n) => iso(Date.parse(`${d}T00:00:00Z`) + n * 86400e3);

// The first working day on or after d in the mainland calendar (HQ's), from the calendar API.
async function firstWorkingDay(d) {
  const cache = {};
  const cal = async (year) => {
    if (!cache[year]) {
      const r = await call('GET', `/api/v1/calendars/mainland?year=${year}`, 'officer.hq');
      assert.equal(r.status, 200, r.text);
      cache[year] = r.json;
    }
    return cache[year];
  };
  for (let day = d; ; day = addDays(day, 1)) {
    const c = await cal(day.slice(0, 4));
    const ov = c.overrides.find((o) => o.date === day);
    const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
    const working = ov ? ov.working
      : wd !== 0 && wd !== 6 && !c.holidays.some((h) => h.date === day);
    if (working) return day;
  }
}

const last = (c) => c.timeline[c.timeline.length - 1];

let C; // the case walked through its life by the tests below, in order
let code; // its invitation code

test('screening: refusals first (wrong person, wrong state), then start_screening', async () => {
  C = await fileCase('探视安排');
  assert.equal(C.status, 'submitted');
  // a resident may not accept: 403 case.actor_refused, nothing changes
  err(await ev(C.id, 'resident.li', 'accept'), 403, 'case.actor_refused');
  // the officer may not accept before screening: 409 case.transition_refused
  err(await ev(C.id, 'officer.hq', 'accept'), 409, 'case.transition_refused');
  // an officer of another center does not even know the case
  err(await ev(C.id, 'officer.zhc', 'start_screening'), 404, 'case.not_found');
  err(await get(C.id, 'officer.zhc'), 404, 'case.not_found');
  const same = await get(C.id);
  assert.equal(same.json.status, 'submitted');
  assert.equal(same.json.version, C.version);
  assert.equal(same.json.timeline.length, C.timeline.length);
  // the officer sees what they may do now
  assert.deepEqual((await get(C.id, 'officer.hq')).json.actions, ['start_screening']);

  const r = await ev(C.id, 'officer.hq', 'start_screening');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'screening');
  const e = last(r.json);
  assert.deepEqual([e.event, e.actor, e.role, e.from, e.to],
    ['start_screening', 'officer.hq', 'case_officer', 'submitted', 'screening']);
  assert.equal(typeof e.at, 'number');
});

test('more information: requested with a reason, provided by the applicant', async () => {
  const r = await ev(C.id, 'officer.hq', 'request_more_info', '请补充出生证明。');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'more_info_requested');
  assert.equal(last(r.json).reason, '请补充出生证明。');
  // only the applicant side provides it
  err(await ev(C.id, 'officer.hq', 'provide_more_info'), 403, 'case.actor_refused');
  err(await ev(C.id, 'resident.chan', 'provide_more_info'), 404, 'case.not_found');
  const p = await ev(C.id, 'resident.li', 'provide_more_info');
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'screening');
  assert.deepEqual([last(p.json).actor, last(p.json).role], ['resident.li', 'resident']);
});

test('decline without a reason → 400 case.reason_required, nothing changes', async () => {
  const v = (await get(C.id)).json.version;
  err(await ev(C.id, 'officer.hq', 'decline'), 400, 'case.reason_required');
  err(await ev(C.id, 'officer.hq', 'decline', ''), 400, 'request.validation');
  const after = (await get(C.id)).json;
  assert.equal(after.status, 'screening');
  assert.equal(after.version, v);
});

test('accept: invitation code and working-day deadlines after today', async () => {
  const r = await ev(C.id, 'officer.hq', 'accept');
  assert.equal(r.status, 200, r.text);
  const c = r.json;
  assert.equal(c.status, 'respondent_invited');
  const inv = c.invitation;
  assert.ok(inv, 'the reply carries the invitation');
  assert.equal(typeof inv.code, 'string');
  assert.ok(inv.code.length >= 16, 'a code hard to guess');
  code = inv.code;
  assert.equal(inv.path, `/invitation/${inv.code}`);
  const now = Date.now() / 1000;
  assert.ok(inv.expires_at > now + 6 * 86400, 'the invitation outlives the answer period');
  const resp = c.deadlines.respondent_answer;
  const med = c.deadlines.mediation_end;
  assert.match(resp.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(med.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(inv.respondent_due, resp.date);
  assert.ok(resp.date > TODAY && med.date > resp.date);
  assert.equal(resp.overdue, false);
  assert.equal(typeof resp.display, 'string');
  // 7 and 30 calendar days, a last day off moving to the next working day
  assert.equal(resp.date, await firstWorkingDay(addDays(TODAY, 7)));
  assert.equal(med.date, await firstWorkingDay(addDays(TODAY, 30)));
  assert.deepEqual(c.timeline.slice(-2).map((e) => [e.event, e.from, e.to, e.actor]),
    [['accept', 'screening', 'accepted', 'officer.hq'],
      ['invite_respondent', 'accepted', 'respondent_invited', 'officer.hq']]);
  // the code is not shown again on a later read
  assert.equal((await get(C.id, 'officer.hq')).json.invitation, undefined);
  assert.ok(!(await get(C.id, 'officer.hq')).text.includes(code));
  // accepting twice is refused
  err(await ev(C.id, 'officer.hq', 'accept'), 409, 'case.transition_refused');
});

test('GET /api/v1/deadlines lists the accepted case for its center\'s officer only', async () => {
  const r = await call('GET', '/api/v1/deadlines', 'officer.hq');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.today, TODAY);
  const mine = r.json.items.filter((i) => i.case === C.id);
  const c = (await get(C.id)).json;
  assert.deepEqual(mine.map((i) => [i.kind, i.due, i.number, i.status, i.overdue]).sort(), [
    ['mediation_end', c.deadlines.mediation_end.date, c.number, 'respondent_invited', false],
    ['respondent_answer', c.deadlines.respondent_answer.date, c.number, 'respondent_invited', false],
  ]);
  const dues = r.json.items.map((i) => i.due);
  assert.deepEqual(dues, [...dues].sort(), 'soonest first');
  const zhc = await call('GET', '/api/v1/deadlines', 'officer.zhc');
  assert.equal(zhc.status, 200, zhc.text);
  assert.ok(!zhc.json.items.some((i) => i.case === C.id));
  err(await call('GET', '/api/v1/deadlines', 'resident.li'), 403, 'auth.forbidden');
});

test('the respondent redeems the invitation, sees the case and agrees', async () => {
  await newResident('respondent.lin');
  err(await get(C.id, 'respondent.lin'), 404, 'case.not_found');
  // the applicant cannot answer for the respondent
  err(await ev(C.id, 'resident.li', 'respondent_agree'), 403, 'case.actor_refused');
  const r = await call('POST', '/api/v1/invitations/redeem', 'respondent.lin', { code });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, C.id);
  assert.equal(r.json.respondents[0].registered, true);
  assert.ok(r.json.actions.includes('respondent_agree'));
  assert.ok(!r.json.actions.includes('withdraw'));
  const g = await get(C.id, 'respondent.lin');
  assert.equal(g.status, 200, g.text);
  const list = await call('GET', '/api/v1/cases', 'respondent.lin');
  assert.deepEqual(list.json.items.map((i) => i.id), [C.id]);
  // the same person redeeming again is harmless
  assert.equal((await call('POST', '/api/v1/invitations/redeem', 'respondent.lin', { code })).status,
    200);
  // the respondent cannot withdraw the applicant's case
  err(await ev(C.id, 'respondent.lin', 'withdraw', '不想调解'), 403, 'case.actor_refused');
  const a = await ev(C.id, 'respondent.lin', 'respondent_agree');
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.status, 'respondent_agreed');
  assert.deepEqual([last(a.json).actor, last(a.json).role, last(a.json).event],
    ['respondent.lin', 'resident', 'respondent_agree']);
  err(await ev(C.id, 'respondent.lin', 'respondent_agree'), 409, 'case.transition_refused');
});

test('a used invitation is invalid for anyone else; a bogus code is invalid', async () => {
  await newResident('someone.else');
  const r = await call('POST', '/api/v1/invitations/redeem', 'someone.else', { code });
  err(r, 404, 'invitation.invalid');
  err(await get(C.id, 'someone.else'), 404, 'case.not_found');
  assert.deepEqual((await call('GET', '/api/v1/cases', 'someone.else')).json.items, []);
  err(await call('POST', '/api/v1/invitations/redeem', 'someone.else',
    { code: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), 404, 'invitation.invalid');
  err(await call('POST', '/api/v1/invitations/redeem', 'someone.else', { code: 'x' }), 404,
    'invitation.invalid');
  // officers do not redeem invitations
  err(await call('POST', '/api/v1/invitations/redeem', 'officer.hq', { code }), 403,
    'auth.forbidden');
});

test('withdrawal by the applicant needs a reason; the timeline keeps actor, role, reason', async () => {
  err(await ev(C.id, 'resident.li', 'withdraw'), 400, 'case.reason_required');
  assert.equal((await get(C.id)).json.status, 'respondent_agreed');
  const r = await ev(C.id, 'resident.li', 'withdraw', '双方已自行和解。');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'withdrawn');
  const e = last(r.json);
  assert.deepEqual([e.event, e.actor, e.role, e.from, e.to, e.reason],
    ['withdraw', 'resident.li', 'resident', 'respondent_agreed', 'withdrawn', '双方已自行和解。']);
  // every entry has an actor, a role and a time
  for (const t of r.json.timeline) {
    assert.equal(typeof t.at, 'number');
    assert.ok(t.actor && t.role, JSON.stringify(t));
  }
  err(await ev(C.id, 'resident.li', 'withdraw', '再撤一次'), 409, 'case.transition_refused');
  // a withdrawn case has no running deadlines for the officer
  const d = await call('GET', '/api/v1/deadlines', 'officer.hq');
  assert.ok(!d.json.items.some((i) => i.case === C.id));
  // the respondent still sees the case and its end
  assert.equal((await get(C.id, 'respondent.lin')).json.status, 'withdrawn');
});

test('a respondent refusing needs a reason; unknown events are refused', async () => {
  const c = await fileCase('第二件');
  for (const e of ['start_screening', 'accept']) {
    const r = await ev(c.id, 'officer.hq', e);
    assert.equal(r.status, 200, r.text);
    if (e === 'accept') code = r.json.invitation.code;
  }
  await newResident('respondent.two');
  assert.equal((await call('POST', '/api/v1/invitations/redeem', 'respondent.two', { code })).status,
    200);
  err(await ev(c.id, 'respondent.two', 'respondent_refuse'), 400, 'case.reason_required');
  const r = await ev(c.id, 'respondent.two', 'respondent_refuse', '我希望通过法院解决。');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'respondent_refused');
  const bad = await ev(c.id, 'officer.hq', 'explode');
  err(bad, 400, 'request.validation');
  assert.deepEqual(bad.json.error.fields.map((f) => [f.field, f.code]), [['event', 'unknown_event']]);
  // acceptance already invited the respondent; inviting again is no transition from here
  err(await ev(c.id, 'officer.hq', 'invite_respondent'), 409, 'case.transition_refused');
  err(await ev(999999, 'officer.hq', 'start_screening'), 404, 'case.not_found');
});

// The invitation is the respondent's: someone already on the applicant's side (the applicant, or
// the lawyer who filed) redeeming it would become "the respondent", see the respondent's identity
// details and use up the code the real respondent needs.
test('the applicant side cannot redeem the respondent\'s invitation', async () => {
  const f = await call('POST', '/api/v1/cases', 'resident.li', { ...complete('自己兑换'),
    respondents: [{ name: '林秀英', phone: '+853 6612 4321',
      id_document: { type: 'hk_id', number: 'A123456(3)' } }] });
  assert.equal(f.status, 201, f.text);
  const id = f.json.id;
  assert.equal((await ev(id, 'officer.hq', 'start_screening')).status, 200);
  const a = await ev(id, 'officer.hq', 'accept');
  assert.equal(a.status, 200, a.text);
  const own = await call('POST', '/api/v1/invitations/redeem', 'resident.li',
    { code: a.json.invitation.code });
  assert.notEqual(own.status, 200,
    `the applicant became the respondent: ${JSON.stringify(own.json?.respondents)}`);
  const view = (await get(id)).json;
  assert.equal(view.respondents[0].registered, false);
  assert.ok(!('id_document' in view.respondents[0]));
  // the real respondent can still answer
  await newResident('lin.xiuying');
  const r = await call('POST', '/api/v1/invitations/redeem', 'lin.xiuying',
    { code: a.json.invitation.code });
  assert.equal(r.status, 200, r.text);
});

test('an invitation past its expiry → 410 invitation.expired, the case stays hidden', async () => {
  const c = await fileCase('过期邀请');
  assert.equal((await ev(c.id, 'officer.hq', 'start_screening')).status, 200);
  const a = await ev(c.id, 'officer.hq', 'accept');
  assert.equal(a.status, 200, a.text);
  await newResident('late.comer');
  // move the invitation's expiry into the past (the server stopped), then serve again
  const dir = srv.dataDir;
  assert.equal((await srv.stop({ keep: true })).code, 0);
  const q = spawnSync('sqlite3', [join(dir, 'qiao.db'),
    `UPDATE invitations SET expires_at = unixepoch() - 1 WHERE case_id = ${c.id};`], { encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  const proc = spawn(QIAOD, ['serve', '--data-dir', dir, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.resume();
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('qiaod did not start')), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
  });
  restarted = { url, stop: () => new Promise((ok) => { proc.on('exit', ok); proc.kill('SIGTERM'); }) };
  const token = (await login(restarted, 'late.comer', 'long-enough-pass-4821')).token;
  const r = await api(restarted, 'POST', '/api/v1/invitations/redeem', { token,
    body: { code: a.json.invitation.code } });
  err(r, 410, 'invitation.expired');
  err(await api(restarted, 'GET', `/api/v1/cases/${c.id}`, { token }), 404, 'case.not_found');
});
