// cli_inbox.test.mjs: build/qiao's `inbox list|read` and `cases shortlist|offer|rank` against a
// real qiaod with the demo data: output in the user's language, --json as the server sent it,
// paging, usage errors (2), refusals (4) and server errors (1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from './lib/server.mjs';
import { qiao, newHome, cliSignIn, removeHomes } from './lib/cli.mjs';

let srv;
const cat = {};
const H = {};

before(async () => {
  srv = await startServer();
  for (const tag of ['en', 'zh-Hans', 'zh-Hant', 'pt'])
    cat[tag] = (await api(srv, 'GET', `/api/v1/i18n/${tag}`)).json;
  for (const u of ['officer.zhc', 'lawyer.ho', 'resident.chan', 'resident.li'])
    H[u] = await cliSignIn(srv, u);
});
after(async () => {
  await srv?.stop();
  removeHomes();
});

const q = (u, args) => qiao(H[u], args);

test('help and usage errors', async () => {
  const h = newHome();
  let r = await qiao(h, ['--help']);
  assert.match(r.stdout, /^ {2}inbox SUBCOMMAND/m);
  r = await qiao(h, ['help', 'inbox']);
  for (const w of ['list [--unread]', 'read ID…|--all']) assert.ok(r.stdout.includes(w), w);
  r = await qiao(h, ['help', 'cases']);
  for (const w of ['shortlist ID', 'offer ID MEDIATOR1 MEDIATOR2 MEDIATOR3', 'rank ID FIRST SECOND THIRD'])
    assert.ok(r.stdout.includes(w), w);
  for (const args of [['inbox'], ['inbox', 'list', '--limit', '0'], ['inbox', 'list', '--limit', '101'],
    ['inbox', 'list', '--cursor', 'x'], ['inbox', 'read'], ['inbox', 'read', '--all', '3'],
    ['inbox', 'read', 'x'], ['cases', 'offer', '14', 'mediator.kwok', 'mediator.wong'],
    ['cases', 'rank', '14', 'a', 'b', 'c', 'd'], ['cases', 'rank', '14', 'a', 'b', 'c!']]) {
    r = await q('lawyer.ho', args);
    assert.equal(r.status, 2, args.join(' ') + r.stderr);
  }
  r = await q('lawyer.ho', ['--lang', 'pt', 'inbox', 'read', 'x']);
  assert.ok(r.stderr.includes(cat.pt['cli.error.bad_notification_id'].replace('{value}', 'x')), r.stderr);
  r = await qiao(newHome(), ['--server', srv.url, 'inbox', 'list']);
  assert.equal(r.status, 3, r.stderr);
});

test('inbox list: unread first marks, paging, --json as the server sent it; read by id and --all', async () => {
  let r = await q('lawyer.ho', ['--lang', 'en', 'inbox', 'list', '--limit', '2']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const api2 = (await api(srv, 'GET', '/api/v1/notifications?limit=2', { token: (await login(srv, 'lawyer.ho')).token })).json;
  assert.equal(lines[0], `${api2.unread} unread notifications.`);
  assert.equal(lines.length, 4);
  assert.match(lines[1], new RegExp(`^\\* +${api2.items[0].id} .* ${api2.items[0].message.replace(/[—()]/g, '.')}$`));
  assert.equal(lines[3], `More: qiao inbox list --cursor ${api2.next_cursor}`);
  r = await q('lawyer.ho', ['--json', 'inbox', 'list', '--limit', '2', '--cursor', api2.next_cursor]);
  const page2 = JSON.parse(r.stdout);
  assert.ok(page2.items.every((n) => n.id < Number(api2.next_cursor)));

  r = await q('lawyer.ho', ['--lang', 'en', 'inbox', 'read', String(api2.items[0].id)]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${api2.unread - 1} unread notifications.`);
  r = await q('lawyer.ho', ['--lang', 'en', 'inbox', 'list', '--unread', '--limit', '100']);
  assert.ok(!r.stdout.includes(` ${api2.items[0].id}  `));
  r = await q('lawyer.ho', ['--lang', 'zh-Hant', 'inbox', 'read', '--all']);
  assert.equal(r.stdout.trim(), '沒有未讀通知。');
  r = await q('lawyer.ho', ['--lang', 'en', 'inbox', 'list', '--unread']);
  assert.deepEqual(r.stdout.trim().split('\n'), ['No unread notifications.', '  (none)']);
});

test('the shortlist from the command line: offer, rank on both sides, the choice', async () => {
  let r = await q('officer.zhc', ['--lang', 'en', 'cases', 'shortlist', '14']);
  assert.equal(r.status, 1);
  // the server speaks as the signed-in user prefers (officer.zhc: Simplified Chinese)
  assert.ok(r.stderr.includes(cat['zh-Hans']['error.shortlist.not_found']), r.stderr);
  r = await q('lawyer.ho', ['cases', 'offer', '14', 'mediator.kwok', 'mediator.wong', 'mediator.zhou']);
  assert.equal(r.status, 4, r.stderr);
  r = await q('officer.zhc', ['--lang', 'en', 'cases', 'offer', 'zhc-com-2026-000006', 'mediator.kwok',
    'mediator.wong', 'mediator.zhou']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Shortlist of mediators for case ZHC-COM-2026-000006: open for ranking$/m);
  assert.match(r.stdout, /^ {2}1\. mediator\.kwok {2}郭家樂 \(Kwok Ka Lok\)$/m);
  assert.match(r.stdout, /^ {5}Putonghua, English · qualified in: Mainland$/m);
  assert.match(r.stdout, /^Applicant’s side: not ranked yet\.$/m);

  r = await q('lawyer.ho', ['--lang', 'en', 'cases', 'shortlist', '14']);
  assert.match(r.stdout, /Rank it, most preferred first: qiao cases rank ZHC-COM-2026-000006 FIRST SECOND THIRD/);
  r = await q('lawyer.ho', ['--lang', 'en', 'cases', 'rank', '14', 'mediator.zhou', 'mediator.kwok', 'mediator.chen']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(cat.en['field.not_on_shortlist']), r.stderr);
  r = await q('lawyer.ho', ['--lang', 'en', 'cases', 'rank', '14', 'mediator.zhou', 'mediator.kwok', 'mediator.wong']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Applicant’s side: mediator\.zhou > mediator\.kwok > mediator\.wong$/m);
  r = await q('resident.chan', ['--lang', 'zh-Hant', 'cases', 'shortlist', '14']);
  assert.match(r.stdout, /^申請人一方：已排序。$/m, 'the order itself is not shown to the other side');
  r = await q('resident.chan', ['--json', 'cases', 'rank', '14', 'mediator.kwok', 'mediator.zhou', 'mediator.wong']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.status, 'chosen');
  // sums: zhou 1+2 = 3, kwok 2+1 = 3, both with a worst rank of 2: the officer's order (kwok first)
  assert.equal(s.chosen, 'mediator.kwok');
  r = await q('resident.chan', ['--lang', 'en', 'cases', 'rank', '14', 'mediator.kwok', 'mediator.zhou', 'mediator.wong']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(cat['zh-Hant']['error.shortlist.closed']), r.stderr);
});
