// cli_mediators.test.mjs: build/qiao's mediator and assignment commands against a real qiaod with
// the demo data: `mediators list|show`, `cases proposal|assign|recuse`, their help, usage errors,
// exit statuses (2 usage, 3 not signed in, 4 refused, 1 server error), --json (the server's reply
// as it came) and messages in the user's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';
import { qiao, newHome, cliSignIn, removeHomes } from './lib/cli.mjs';

let srv;
const cat = {};
const T = {};
const PW = 'long-enough-pass-4821';

before(async () => {
  srv = await startServer();
  for (const tag of ['en', 'zh-Hans', 'zh-Hant', 'pt'])
    cat[tag] = (await api(srv, 'GET', `/api/v1/i18n/${tag}`)).json;
  for (const u of ['officer.hq', 'resident.li'])
    T[u] = (await login(srv, u)).token;
});
after(async () => {
  await srv?.stop();
  removeHomes();
});

const signIn = (user, password) => cliSignIn(srv, user, password);

// The same request over the API, for comparing with --json.
const call = (method, path, who, body) => api(srv, method, path, { token: T[who], body });

// A case filed by resident.li with 陳大文 as respondent, walked to respondent_agreed through the
// API (the respondent: a newly registered resident). Returns {id, number, respondent}.
async function agreedCase(title) {
  let r = await call('POST', '/api/v1/cases', 'resident.li', {
    center: 'HQ', type: 'family', subtype: 'custody', title, summary: '双方对探视安排有分歧。',
    applicants: [{ kind: 'person', name: '李明', residence: 'zhuhai', language: 'zh-Hans',
      spoken: ['putonghua'] }],
    respondents: [{ kind: 'person', name: '陳大文', residence: 'macao', language: 'zh-Hant',
      spoken: ['cantonese'] }],
    claims: [{ description: '每月探视两次' }], consent: { mediation: true }, submit: true });
  assert.equal(r.status, 201, r.text);
  const { id, number } = r.json;
  for (const event of ['start_screening', 'accept']) {
    r = await call('POST', `/api/v1/cases/${id}/events`, 'officer.hq', { event });
    assert.equal(r.status, 200, r.text);
  }
  const code = r.json.invitation.code;
  const respondent = `resp.cli${id}`;
  r = await api(srv, 'POST', '/api/v1/auth/register', { body: { username: respondent, password: PW,
    display_name: '陳大文', language: 'zh-Hant', email: `${respondent}@example.com` } });
  assert.equal(r.status, 201, r.text);
  T[respondent] = (await login(srv, respondent, PW)).token;
  r = await call('POST', '/api/v1/invitations/redeem', respondent, { code });
  assert.equal(r.status, 200, r.text);
  r = await call('POST', `/api/v1/cases/${id}/events`, respondent, { event: 'respondent_agree' });
  assert.equal(r.status, 200, r.text);
  return { id, number, respondent };
}

let officer; // officer.hq's home
let C; // the case assigned through the CLI

test('help: mediators and the new cases sub-commands', async () => {
  const h = newHome();
  let r = await qiao(h, ['--help']);
  assert.match(r.stdout, /^ {2}mediators SUBCOMMAND/m);
  r = await qiao(h, ['help', 'mediators']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /qiao \[OPTIONS\] mediators SUBCOMMAND/);
  for (const w of ['list [--center C]', 'show USERNAME', '--json']) assert.ok(r.stdout.includes(w), w);
  r = await qiao(h, ['help', 'cases']);
  for (const w of ['proposal ID', 'assign ID MEDIATOR [MEDIATOR2]', '--override-reason',
    'recuse ID MEDIATOR --grounds']) assert.ok(r.stdout.includes(w), w);
  r = await qiao(h, ['--lang', 'zh-Hant', 'help', 'mediators']);
  assert.ok(r.stdout.includes(cat['zh-Hant']['cli.cmd.mediators.summary']), r.stdout);
  r = await qiao(h, ['--lang', 'pt', 'help', 'mediators']);
  assert.ok(r.stdout.includes(cat.pt['cli.cmd.mediators.summary']), r.stdout);
});

test('usage errors (2) and not signed in (3)', async () => {
  const h = newHome();
  let r = await qiao(h, ['mediators']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /list, show/);
  r = await qiao(h, ['mediators', 'frobnicate']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['mediators', 'list', 'extra']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['mediators', 'list', '--center']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['mediators', 'list', '--center', 'H Q']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['mediators', 'show']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['--lang', 'en', 'mediators', 'show', '../admin']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a user name/);
  r = await qiao(h, ['cases', 'proposal']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['cases', 'assign', '1']);
  assert.equal(r.status, 2, 'a mediator is needed');
  r = await qiao(h, ['cases', 'assign', '1', 'a.b', 'c.d', 'e.f']);
  assert.equal(r.status, 2, 'two at most');
  r = await qiao(h, ['--lang', 'en', 'cases', 'recuse', '1', 'mediator.chen']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--grounds/);
  r = await qiao(h, ['cases', 'recuse', '1', 'mediator.chen', '--grounds', 'x', '--bogus']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['--server', srv.url, 'mediators', 'list']);
  assert.equal(r.status, 3);
  r = await qiao(h, ['--json', '--server', srv.url, 'cases', 'proposal', '1']);
  assert.equal(r.status, 3);
  assert.equal(JSON.parse(r.stdout).error.code, 'cli.not_signed_in');
});

test('mediators list: a table, --center, --json as the server sent it', async () => {
  officer = await signIn('officer.hq');
  let r = await qiao(officer, ['--lang', 'en', 'mediators', 'list']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^User name +Name +Centers +Case types +Languages +Open\/capacity +Valid qualifications$/);
  const api15 = (await call('GET', '/api/v1/mediators', 'officer.hq')).json.items;
  assert.equal(lines.length, 1 + api15.length);
  const row = (u) => lines.find((l) => l.startsWith(`${u} `));
  assert.match(row('mediator.sun'), /孙立新 +HQ +Family +Putonghua +0\/8 +—$/);
  assert.match(row('mediator.chan'), /HQ, MOF +Family +Cantonese, Portuguese, Putonghua +0\/6 +Macao, Mainland$/);
  assert.match(row('mediator.tang'), /ZHC +Commercial .* 0\/0 +Mainland$/);
  // columns line up (the names are wide characters)
  const col = (l) => l.indexOf('Family') >= 0 ? l.indexOf('Family') : l.indexOf('Commercial');
  const widthTo = (l, i) => [...l.slice(0, i)].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const cols = lines.slice(1).map((l) => widthTo(l, col(l)));
  assert.equal(new Set(cols).size, 1, `aligned: ${cols}`);

  r = await qiao(officer, ['--lang', 'en', 'mediators', 'list', '--center', 'hq']);
  assert.equal(r.status, 0, r.stderr);
  const hq = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(' ')[0]);
  assert.deepEqual(hq, ['mediator.almeida', 'mediator.chan', 'mediator.chen', 'mediator.lam',
    'mediator.leong', 'mediator.sun', 'mediator.yu']);
  r = await qiao(officer, ['--json', 'mediators', 'list', '--center', 'ZHC']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout),
    (await call('GET', '/api/v1/mediators?center=ZHC', 'officer.hq')).json);
  // the user's language (officer.hq prefers Traditional Chinese)
  r = await qiao(officer, ['mediators', 'list', '--center', 'ZHC']);
  assert.ok(r.stdout.startsWith(cat['zh-Hant']['cli.mediators.col.username']), r.stdout);
  assert.ok(r.stdout.includes('商事'));
  // an unknown center: the server's error, exit 1
  r = await qiao(officer, ['--json', 'mediators', 'list', '--center', 'XX']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'request.invalid_query');
  // residents may not
  const li = await signIn('resident.li');
  r = await qiao(li, ['mediators', 'list']);
  assert.equal(r.status, 4, r.stderr);
});

test('mediators show: qualifications with validity, hours, declared relationships', async () => {
  let r = await qiao(officer, ['--lang', 'en', 'mediators', 'show', 'mediator.sun']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^User name: +mediator\.sun$/m);
  assert.match(r.stdout, /^Open cases: +0 of 8 at most$/m);
  assert.match(r.stdout, /^Weekly hours: +Mon \d+:\d\d · Tue/m);
  assert.match(r.stdout, /Mainland · Zhuhai Judicial Bureau · GD-0104 · .*2018.* to .*2025.* · NOT valid today/);
  const a = await call('POST', '/api/v1/mediators/mediator.chan/availability', 'officer.hq',
    { date: '2030-01-07', minutes: 90 });
  assert.equal(a.status, 200, a.text);
  r = await qiao(officer, ['--lang', 'en', 'mediators', 'show', 'mediator.chan']);
  assert.match(r.stdout, /Macao · Macao Social Welfare Bureau · MD-0111 · from .*2020, no end · valid today/);
  assert.match(r.stdout, /^Dated hours: +.*2030 1:30$/m);
  assert.ok(!r.stdout.includes('Declared relationships'), 'only to the mediator and admins');
  // another center's mediator: no hours for this officer
  r = await qiao(officer, ['--lang', 'en', 'mediators', 'show', 'mediator.wong']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes('Weekly hours'));
  r = await qiao(officer, ['--json', 'mediators', 'show', 'mediator.chan']);
  assert.deepEqual(JSON.parse(r.stdout),
    (await call('GET', '/api/v1/mediators/mediator.chan', 'officer.hq')).json);
  // the mediator's own declarations
  const yu = await signIn('mediator.yu');
  r = await qiao(yu, ['--lang', 'en', 'mediators', 'show', 'mediator.yu']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Declared relationships/);
  assert.match(r.stdout, /#\d+ Person · family · 陈… · since .*2015/);
  r = await qiao(yu, ['mediators', 'show', 'mediator.chen']);
  assert.equal(r.status, 4, 'a mediator sees only their own');
  r = await qiao(officer, ['--json', 'mediators', 'show', 'nobody.here']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'mediator.not_found');
  r = await qiao(officer, ['--lang', 'zh-Hans', 'mediators', 'show', 'nobody.here']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes('qiao: '), r.stderr);
});

test('cases proposal: candidates with scores and reasons, pairs, exclusions; --json', async () => {
  let r = await qiao(officer, ['--lang', 'en', 'cases', 'proposal', 'hq-fam-2026-000001']);
  assert.equal(r.status, 0, r.stderr);
  const p = (await call('GET', '/api/v1/cases/1/assignment-proposal', 'officer.hq')).json;
  assert.match(r.stdout, /^Assignment proposal for case HQ-FAM-2026-000001 \(id 1\), a cross-border case$/m);
  const out = r.stdout;
  const at = (s) => { const i = out.indexOf(s); assert.ok(i >= 0, s); return i; };
  assert.ok(at('Candidates, best first:') < at('Proposed pairs') && at('Proposed pairs') < at('Not eligible'));
  const c0 = p.candidates[0];
  assert.ok(out.includes(`  1. ${c0.mediator}  score ${c0.score}\n`), out);
  for (const reason of c0.reasons) assert.ok(out.includes(reason.message), reason.message);
  const pr = p.pairs[0];
  assert.ok(out.includes(`  1. ${pr.mediators[0]} + ${pr.mediators[1]}  score ${pr.score}\n`), out);
  const yu = p.excluded.find((e) => e.mediator === 'mediator.yu');
  assert.ok(out.includes(`- ${yu.reasons[0].message}`), out);
  assert.ok(out.includes('qiao cases assign 1 MEDIATOR'));
  // --json: the server's proposal
  r = await qiao(officer, ['--json', 'cases', 'proposal', '1']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), p);
  // the headings in the user's language
  r = await qiao(officer, ['cases', 'proposal', '1']);
  assert.ok(r.stdout.includes(cat['zh-Hant']['cli.proposal.candidates']), r.stdout);
  assert.match(r.stdout.split('\n')[0], /HQ-FAM-2026-000001/, 'the number, given the id');
  // not for residents (403 → 4), nor for another center's officer (404 → 1)
  const li = await signIn('resident.li');
  r = await qiao(li, ['cases', 'proposal', '1']);
  assert.equal(r.status, 4, r.stderr);
  const zhc = await signIn('officer.zhc');
  r = await qiao(zhc, ['--json', 'cases', 'proposal', '1']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'case.not_found');
});

test('cases assign: first choice, own choice needs --reason, ineligible refused', async () => {
  C = await agreedCase('CLI 指派测试');
  const p = (await call('GET', `/api/v1/cases/${C.id}/assignment-proposal`, 'officer.hq')).json;
  const first = p.candidates[0].mediator;
  let r = await qiao(officer, ['--lang', 'en', 'cases', 'assign', C.number, first]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(`Case ${C.number} is now: Mediator assigned. Mediators: ${first} (lead mediator).`),
    r.stdout);
  const p2 = (await call('GET', `/api/v1/cases/${C.id}/assignment-proposal`, 'officer.hq')).json;
  const other = p2.candidates.find((e) => e.mediator !== p2.candidates[0].mediator &&
    e.mediator !== first)?.mediator || p2.candidates.find((e) => e.mediator !== p2.candidates[0].mediator).mediator;
  r = await qiao(officer, ['cases', 'assign', String(C.id), other]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(cat['zh-Hant']['field.reason_for_own_choice']), r.stderr);
  r = await qiao(officer, ['--json', 'cases', 'assign', String(C.id), 'mediator.sun']);
  assert.equal(r.status, 1);
  assert.ok(JSON.parse(r.stdout).error.fields.some((f) => f.field === 'mediators[0]' &&
    f.code === 'mediator_ineligible'), r.stdout);
  r = await qiao(officer, ['--json', 'cases', 'assign', String(C.id), other, '--reason', '当事人要求']);
  assert.equal(r.status, 0, r.stderr);
  const k = JSON.parse(r.stdout);
  assert.deepEqual(k.mediators.map(({ username, role }) => ({ username, role })),
    [{ username: other, role: 'lead' }]);
  assert.equal(k.timeline[k.timeline.length - 1].reason, '当事人要求');
  // residents may not assign
  const li = await signIn('resident.li');
  r = await qiao(li, ['cases', 'assign', String(C.id), first]);
  assert.equal(r.status, 4);
});

test('cases assign with --override-reason for a conflicted mediator', async () => {
  let r = await qiao(officer, ['--json', 'cases', 'assign', String(C.id), 'mediator.yu', '--reason', '熟悉家事']);
  assert.equal(r.status, 1);
  assert.deepEqual(JSON.parse(r.stdout).error.fields.map((f) => [f.field, f.code]),
    [['mediators[0]', 'conflict_needs_override']]);
  // (--reason too: the server asks for both today, see mediators.test.mjs)
  r = await qiao(officer, ['--lang', 'zh-Hans', 'cases', 'assign', String(C.id), 'mediator.yu',
    '--override-reason', '亲属关系已结束，双方书面同意。', '--reason', '熟悉家事']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('调解员：mediator.yu（主调解员）。'), r.stdout);
  const k = (await call('GET', `/api/v1/cases/${C.id}`, 'officer.hq')).json;
  assert.ok(k.timeline[k.timeline.length - 1].reason.includes('亲属关系已结束'));
});

test('cases recuse: a party asks (pending); the mediator steps aside at once', async () => {
  const resp = await signIn(C.respondent, PW);
  let r = await qiao(resp, ['--lang', 'en', 'cases', 'recuse', C.number, 'mediator.yu',
    '--grounds', '调解员与本人有亲属关系。']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Recusal request \d+ for mediator\.yu recorded; a case officer of the center will decide\.$/m);
  const l = (await call('GET', `/api/v1/cases/${C.id}/recusals`, 'officer.hq')).json.items;
  assert.deepEqual(l.map((i) => [i.mediator, i.status]), [['mediator.yu', 'pending']]);
  // not on the case: the server's field error, exit 1
  r = await qiao(resp, ['--json', 'cases', 'recuse', String(C.id), 'mediator.chen', '--grounds', 'x']);
  assert.equal(r.status, 1);
  assert.deepEqual(JSON.parse(r.stdout).error.fields.map((f) => [f.field, f.code]),
    [['mediator', 'not_on_case']]);
  // the mediator recuses themself
  const yu = await signIn('mediator.yu');
  r = await qiao(yu, ['--json', 'cases', 'recuse', String(C.id), 'mediator.yu', '--grounds', '避免利益冲突']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status, 'accepted');
  assert.deepEqual((await call('GET', `/api/v1/cases/${C.id}`, 'officer.hq')).json.mediators, []);
  // and no longer sees the case
  r = await qiao(yu, ['cases', 'recuse', String(C.id), 'mediator.yu', '--grounds', 'x']);
  assert.equal(r.status, 1);
});

test('cases recuse prints the mediator\'s outcome in the user\'s language', async () => {
  const r0 = (await call('GET', `/api/v1/cases/${C.id}/assignment-proposal`, 'officer.hq')).json;
  const m = r0.candidates[0].mediator;
  let r = await qiao(officer, ['--json', 'cases', 'assign', String(C.id), m]);
  assert.equal(r.status, 0, r.stderr);
  const h = await signIn(m);
  r = await qiao(h, ['--lang', 'pt', 'cases', 'recuse', C.number, m, '--grounds', 'indisponível']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Escusa \\d+ aceite: ${m.replace('.', '\\.')} deixa de mediar este processo\\.$`, 'm'));
});
