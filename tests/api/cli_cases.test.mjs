// cli_cases.test.mjs: build/qiao's case and document commands against a real qiaod with the demo
// data (and, for what a real server never does, a small fake one): filing from a JSON file with
// a retry that files nothing new, listing and showing by id and by number, field errors, the
// officer's screening and acceptance with the respondent's invitation, redeeming it and agreeing,
// withdrawing, documents up and down (checked, never overwriting), --json, help.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync,
  statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, login, QIAO, DEMO_PASSWORD } from './lib/server.mjs';

let srv;
const dirs = [];
const catalogs = {};

before(async () => {
  srv = await startServer();
  for (const tag of ['en', 'zh-Hans', 'zh-Hant']) {
    catalogs[tag] = (await api(srv, 'GET', `/api/v1/i18n/${tag}`)).json;
  }
});
after(async () => {
  await srv?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// A fresh home (HOME, XDG_CONFIG_HOME) with a work directory for files.
function newHome() {
  const home = mkdtempSync(join(tmpdir(), 'qiao-cases-'));
  dirs.push(home);
  const work = join(home, 'work');
  mkdirSync(work);
  return { home, xdg: join(home, 'xdg'), work, creds: join(home, 'xdg', 'qiao', 'credentials.json') };
}

// Runs qiao in h.work; resolves {status, stdout, stderr} (stdout as a Buffer in raw mode).
function qiao(h, args, { input = '', env = {}, raw = false } = {}) {
  const base = { ...process.env };
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE', 'QIAO_SERVER']) delete base[k];
  const e = { ...base, HOME: h.home, XDG_CONFIG_HOME: h.xdg, LANG: 'C', ...env };
  return new Promise((ok, fail) => {
    const p = spawn(QIAO, args, { env: e, cwd: h.work, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    let stderr = '';
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', fail);
    p.on('close', (status) => {
      const buf = Buffer.concat(out);
      ok({ status, stdout: raw ? buf : buf.toString('utf8'), stderr });
    });
    p.stdin.on('error', () => {});
    p.stdin.end(input);
  });
}

async function signIn(user) {
  const h = newHome();
  const r = await qiao(h, ['--server', srv.url, 'login', user], { input: `${DEMO_PASSWORD}\n` });
  assert.equal(r.status, 0, r.stderr);
  return h;
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n');

// A filing as the API takes it; title makes each one distinct.
function filing(title) {
  return {
    center: 'HQ', type: 'family', subtype: 'custody', title,
    summary: '双方离婚后对孩子的抚养安排有分歧，希望通过调解解决。',
    applicants: [{ kind: 'person', name: '李明', residence: 'zhuhai', language: 'zh-Hans', spoken: ['putonghua'] }],
    respondents: [{ kind: 'person', name: '陳大文', residence: 'macao', language: 'zh-Hant', spoken: ['cantonese'] }],
    claims: [{ description: '每月抚养费', amount: { value: '2500.00', currency: 'CNY' } }],
    consent: { mediation: true, electronic_service: false, addresses: [] },
  };
}

let li, officer, chan;
let caseId, caseNumber, docId, code;

test('help for cases, docs and invitation', async () => {
  const h = newHome();
  let r = await qiao(h, ['--help']);
  for (const w of ['cases', 'docs', 'invitation']) assert.match(r.stdout, new RegExp(`^  ${w} `, 'm'), w);
  r = await qiao(h, ['help', 'cases']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /qiao \[OPTIONS\] cases SUBCOMMAND/);
  for (const w of ['list', 'show', 'file', 'withdraw', 'event', '--idempotency-key', '--all']) assert.ok(r.stdout.includes(w), w);
  r = await qiao(h, ['help', 'docs']);
  assert.equal(r.status, 0);
  for (const w of ['upload', 'download', '--kind', '--force', '10 MiB']) assert.ok(r.stdout.includes(w), w);
  r = await qiao(h, ['--lang', 'zh-Hant', 'help', 'invitation']);
  assert.match(r.stdout, /邀請碼/);
  r = await qiao(h, ['cases']);
  assert.equal(r.status, 2);
  r = await qiao(h, ['cases', 'frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /frobnicate/);
  r = await qiao(h, ['--server', srv.url, 'cases', 'list']);
  assert.equal(r.status, 3, 'not signed in');
  r = await qiao(h, ['--json', '--server', srv.url, 'cases', 'show', '1']);
  assert.equal(r.status, 3);
  assert.equal(JSON.parse(r.stdout).error.code, 'cli.not_signed_in');
});

test('resident.li files a case from a JSON file; a retry files nothing new', async () => {
  li = await signIn('resident.li');
  const file = join(li.work, 'case.json');
  writeFileSync(file, JSON.stringify(filing('孩子抚养权安排（测试）'), null, 2));
  const before = JSON.parse((await qiao(li, ['--json', 'cases', 'list', '--all'])).stdout).items.length;

  let r = await qiao(li, ['--lang', 'en', 'cases', 'file', 'case.json', '--submit']);
  assert.equal(r.status, 0, r.stderr);
  const m = r.stdout.match(/Filed case (HQ-FAM-\d{4}-\d{6}) \(id (\d+)\)/);
  assert.ok(m, r.stdout);
  [caseNumber, caseId] = [m[1], m[2]];

  // the same command again: the same case, and the server says it replayed
  r = await qiao(li, ['--lang', 'en', 'cases', 'file', 'case.json', '--submit']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`already made: case ${caseNumber} \\(id ${caseId}\\)`));
  r = await qiao(li, ['--json', 'cases', 'file', 'case.json', '--submit']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(String(JSON.parse(r.stdout).id), caseId);
  const after = JSON.parse((await qiao(li, ['--json', 'cases', 'list', '--all'])).stdout).items;
  assert.equal(after.length, before + 1, 'one case, however often the command runs');

  // without --submit it is another request (a draft), and --json gives the server's case
  r = await qiao(li, ['--json', 'cases', 'file', 'case.json']);
  assert.equal(r.status, 0, r.stderr);
  const draft = JSON.parse(r.stdout);
  assert.equal(draft.status, 'draft');
  assert.equal(draft.number, null);
  assert.notEqual(String(draft.id), caseId);

  // from standard input too
  r = await qiao(li, ['--lang', 'en', 'cases', 'file', '-', '--submit'],
    { input: JSON.stringify(filing('孩子抚养权安排（测试）')) });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`already made: case ${caseNumber}`), 'same content from stdin: same key');
});

test('the filed case in cases list and cases show, by id and by number', async () => {
  let r = await qiao(li, ['--lang', 'en', 'cases', 'list']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ID\s+Number\s+Status\s+Center\s+Type\s+Title\s+Next deadline$/m);
  const row = r.stdout.split('\n').find((l) => l.includes(caseNumber));
  assert.ok(row, r.stdout);
  assert.match(row, /Submitted\s+HQ\s+Family \/ Custody of children\s+孩子抚养权安排（测试）/);

  r = await qiao(li, ['--json', 'cases', 'list', '--limit', '2']);
  assert.equal(r.status, 0);
  const page = JSON.parse(r.stdout);
  assert.equal(page.items.length, 2);
  assert.ok('next_cursor' in page);

  r = await qiao(li, ['--lang', 'en', 'cases', 'show', caseId]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Number:\\s+${caseNumber}\\s+\\(id ${caseId}\\)`, 'm'));
  assert.match(r.stdout, /^Status:\s+Submitted$/m);
  assert.match(r.stdout, /Applicants:\n {2}1\. 李明/);
  // the respondent's name was written in Traditional: resident.li reads it converted, labelled
  assert.match(r.stdout, /Respondents:\n {2}1\. 陈大文\n\s+\[converted from Traditional Chinese — the original prevails\]\n\s+Original: 陳大文\n/);
  assert.match(r.stdout, /每月抚养费\n\s+CN¥2,500\.00|每月抚养费\n\s+¥2,500\.00|每月抚养费\n\s+CNY/);
  assert.match(r.stdout, /Timeline:\n.*Create.*resident\.li \(Resident\)/);
  assert.match(r.stdout, /Steps you may take now: Withdraw \(withdraw\)/);

  const byNumber = await qiao(li, ['--lang', 'en', 'cases', 'show', caseNumber.toLowerCase()]);
  assert.equal(byNumber.status, 0, byNumber.stderr);
  assert.equal(byNumber.stdout, r.stdout);

  r = await qiao(li, ['--json', 'cases', 'show', caseNumber]);
  const k = JSON.parse(r.stdout);
  assert.equal(String(k.id), caseId);
  assert.deepEqual(k.actions, ['withdraw']);

  r = await qiao(li, ['--lang', 'en', 'cases', 'show', 'HQ-FAM-2026-999999']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no case numbered HQ-FAM-2026-999999/);
  r = await qiao(li, ['cases', 'show', 'not a number']);
  assert.equal(r.status, 2);
});

test('text converted from the other script is labelled, with the original beside it', async () => {
  // resident.li reads Simplified; the demo case of resident.chan she answers is in Traditional
  const list = JSON.parse((await qiao(li, ['--json', 'cases', 'list', '--all'])).stdout).items;
  const trad = list.find((c) => c.title_converted && c.number);
  assert.ok(trad, 'a demo case written in Traditional Chinese');
  let r = await qiao(li, ['--lang', 'en', 'cases', 'list', '--all']);
  assert.ok(r.stdout.includes(`${trad.title_converted.text}*`), r.stdout);
  assert.match(r.stdout, /\* Title converted from Traditional Chinese; the original prevails/);
  r = await qiao(li, ['--lang', 'en', 'cases', 'show', trad.number]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(`Title:`), r.stdout);
  assert.match(r.stdout, new RegExp(`${trad.title_converted.text}\\n\\s+\\[converted from Traditional Chinese — the original prevails\\]\\n\\s+Original: ${trad.title}`));
});

test('a bad JSON file or bad fields: exit 1 with the field messages', async () => {
  writeFileSync(join(li.work, 'broken.json'), '{"center": "HQ",\n "type": }');
  let r = await qiao(li, ['--lang', 'en', 'cases', 'file', 'broken.json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /broken\.json is not valid JSON \(line 2, column \d+\)/);
  r = await qiao(li, ['--json', 'cases', 'file', 'broken.json']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'cli.invalid_input');
  writeFileSync(join(li.work, 'array.json'), '[1, 2]');
  r = await qiao(li, ['--lang', 'en', 'cases', 'file', 'array.json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /must hold one JSON object/);
  r = await qiao(li, ['--lang', 'en', 'cases', 'file', 'missing.json']);
  assert.equal(r.status, 6);

  const bad = filing('字段错误');
  bad.claims[0].amount.currency = 'EUR';
  bad.colour = 'red';
  writeFileSync(join(li.work, 'bad.json'), JSON.stringify(bad));
  r = await qiao(li, ['cases', 'file', 'bad.json', '--submit']);
  assert.equal(r.status, 1);
  const cat = catalogs['zh-Hans']; // resident.li's language: the server speaks it
  assert.ok(r.stderr.includes(cat['error.request.validation']), r.stderr);
  assert.match(r.stderr, /\n {2}claims\[0\]\.amount\.currency: /);
  assert.match(r.stderr, /\n {2}colour: /);
  r = await qiao(li, ['--json', 'cases', 'file', 'bad.json']);
  assert.equal(r.status, 1);
  const err = JSON.parse(r.stdout).error;
  assert.equal(err.code, 'request.validation');
  assert.deepEqual([...new Set(err.fields.map((f) => f.field))].sort(), ['claims[0].amount.currency', 'colour']);

  const noConsent = filing('未同意调解');
  noConsent.consent.mediation = false;
  writeFileSync(join(li.work, 'consent.json'), JSON.stringify(noConsent));
  r = await qiao(li, ['cases', 'file', 'consent.json', '--submit']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(cat['field.consent_required']), r.stderr);
});

test('docs: a small PDF goes up and comes back identical; a text file is refused', async () => {
  writeFileSync(join(li.work, 'evidence.pdf'), PDF);
  let r = await qiao(li, ['--lang', 'en', 'docs', 'upload', caseNumber, 'evidence.pdf', '--title', '出生证明', '--kind', 'evidence']);
  assert.equal(r.status, 0, r.stderr);
  const m = r.stdout.match(/as document (\d+) \(application\/pdf, (\d+) bytes, SHA-256 ([0-9a-f]{64})\)/);
  assert.ok(m, r.stdout);
  docId = m[1];
  assert.equal(Number(m[2]), PDF.length);
  assert.equal(m[3], sha256(PDF));

  r = await qiao(li, ['--lang', 'en', 'cases', 'show', caseId]);
  assert.match(r.stdout, new RegExp(`#${docId} {2}出生证明\\n\\s+Evidence · application/pdf · ${PDF.length} B · seen by all on the case`));

  r = await qiao(li, ['--lang', 'en', 'docs', 'download', caseId, docId]);
  assert.equal(r.status, 0, r.stderr);
  const saved = join(li.work, `document-${docId}.pdf`);
  assert.match(r.stdout, new RegExp(`Saved document-${docId}\\.pdf \\(${PDF.length} bytes; SHA-256 ${sha256(PDF)} verified\\)`));
  assert.deepEqual(readFileSync(saved), PDF);
  assert.equal(statSync(saved).mode & 0o777, 0o600);

  // never over an existing file without --force
  writeFileSync(saved, 'mine');
  r = await qiao(li, ['--lang', 'en', 'docs', 'download', caseId, docId]);
  assert.equal(r.status, 6);
  assert.match(r.stderr, /already exists/);
  assert.equal(readFileSync(saved, 'utf8'), 'mine');
  r = await qiao(li, ['--lang', 'en', 'docs', 'download', caseId, docId, '-o', `document-${docId}.pdf`]);
  assert.equal(r.status, 6);
  r = await qiao(li, ['docs', 'download', caseId, docId, '--force']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readFileSync(saved), PDF);
  assert.deepEqual(readdirSync(li.work).filter((f) => f.startsWith('.qiao')), [], 'no temporary file left');

  // -o into a directory, -o a path, -o - (standard output), --json
  mkdirSync(join(li.work, 'into'));
  r = await qiao(li, ['docs', 'download', caseNumber, docId, '-o', 'into']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readFileSync(join(li.work, 'into', `document-${docId}.pdf`)), PDF);
  r = await qiao(li, ['--json', 'docs', 'download', caseId, docId, '--output=copy.pdf']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.path, 'copy.pdf');
  assert.equal(out.sha256, sha256(PDF));
  assert.equal(out.size, PDF.length);
  assert.equal(out.media_type, 'application/pdf');
  r = await qiao(li, ['docs', 'download', caseId, docId, '-o', '-'], { raw: true });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout, PDF);

  // --json upload: the server's document
  r = await qiao(li, ['--json', 'docs', 'upload', caseId, 'evidence.pdf', '--title', 'copy', '--kind', 'other', '--visibility', 'mediator']);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.visibility, 'mediator');
  assert.equal(doc.sha256, sha256(PDF));

  // a text file renamed .pdf: the server judges by the bytes
  writeFileSync(join(li.work, 'notes.pdf'), 'just some text, not a PDF\n');
  r = await qiao(li, ['docs', 'upload', caseId, 'notes.pdf', '--title', 'notes', '--kind', 'evidence']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(catalogs['zh-Hans']['field.file_type']), r.stderr);
  assert.match(r.stderr, /\n {2}file: /);

  // refused here: no title, an unknown kind, a missing document
  r = await qiao(li, ['docs', 'upload', caseId, 'evidence.pdf', '--kind', 'evidence']);
  assert.equal(r.status, 2);
  r = await qiao(li, ['docs', 'upload', caseId, 'evidence.pdf', '--title', 't', '--kind', 'photo']);
  assert.equal(r.status, 2);
  r = await qiao(li, ['docs', 'download', caseId, '999999']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(catalogs['zh-Hans']['error.document.not_found']), r.stderr);
  assert.ok(!existsSync(join(li.work, 'document-999999.bin')));
});

test('a file over 10 MiB is refused before anything is sent', async () => {
  const fake = await fakeServer(() => {});
  try {
    const h = fakeHome(fake.url);
    writeFileSync(join(h.work, 'big.pdf'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x41));
    const r = await qiao(h, ['--lang', 'en', 'docs', 'upload', '7', 'big.pdf', '--title', 'big', '--kind', 'evidence']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /big\.pdf is larger than 10 MiB/);
    assert.equal(fake.seen.length, 0);
  } finally { await fake.close(); }
});

test('officer.hq screens and accepts: the invitation code', async () => {
  officer = await signIn('officer.hq');
  let r = await qiao(officer, ['--lang', 'en', 'cases', 'list', '--status', 'submitted', '--all']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(caseNumber));
  r = await qiao(officer, ['--lang', 'en', 'cases', 'event', caseNumber, 'start_screening']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Case ${caseNumber} is now: Screening\\.`));
  r = await qiao(officer, ['--lang', 'en', 'cases', 'show', caseId]);
  assert.match(r.stdout, /Steps you may take now: .*Accept \(accept\)/);
  r = await qiao(officer, ['--lang', 'en', 'cases', 'event', caseId, 'accept']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /is now: Respondent invited\./);
  const m = r.stdout.match(/Code:\s+([A-Za-z0-9_-]{16,})\n\s+Address:\s+(\S+)\n/);
  assert.ok(m, r.stdout);
  code = m[1];
  assert.equal(m[2], `${srv.url}/invitation/${code}`);
  assert.match(r.stdout, /The respondent is to answer by /);
  // again: refused in this state, in the officer's language (zh-Hant)
  r = await qiao(officer, ['cases', 'event', caseId, 'accept']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(catalogs['zh-Hant']['error.case.transition_refused']), r.stderr);
  r = await qiao(officer, ['--json', 'cases', 'event', caseId, 'no_such_step']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.fields[0].field, 'event');
});

test('resident.chan cannot see the case until she redeems the invitation, then agrees', async () => {
  chan = await signIn('resident.chan');
  let r = await qiao(chan, ['cases', 'show', caseId]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(catalogs['zh-Hant']['error.case.not_found']), r.stderr);
  r = await qiao(chan, ['--lang', 'en', 'cases', 'show', caseNumber]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no case numbered/);
  r = await qiao(chan, ['--lang', 'en', 'docs', 'download', caseId, docId]);
  assert.equal(r.status, 1);

  r = await qiao(chan, ['--lang', 'en', 'invitation', 'accept', 'not-a-real-code']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(catalogs['zh-Hant']['error.invitation.invalid']), r.stderr);

  // the code read from standard input, given as the invitation's address
  r = await qiao(chan, ['--lang', 'en', 'invitation', 'accept', '-'], { input: `${srv.url}/invitation/${code}\n` });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`you now answer case ${caseNumber}`));
  assert.match(r.stdout, /Agree to mediate \(respondent_agree\)/);
  r = await qiao(chan, ['--lang', 'en', 'cases', 'event', caseNumber, 'respondent_agree']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /is now: Respondent agreed to mediate\./);
  r = await qiao(chan, ['--json', 'cases', 'show', caseId]);
  assert.equal(r.status, 0, r.stderr);
  const k = JSON.parse(r.stdout);
  assert.equal(k.status, 'respondent_agreed');
  assert.equal(k.timeline.at(-1).actor, 'resident.chan');
  r = await qiao(chan, ['--lang', 'en', 'cases', 'list']);
  assert.ok(r.stdout.split('\n').find((l) => l.includes(caseNumber))?.match(/Respondent agreed to mediate/), r.stdout);
});

test('withdraw needs --reason', async () => {
  writeFileSync(join(li.work, 'other.json'), JSON.stringify(filing('另一宗测试案件')));
  let r = await qiao(li, ['--json', 'cases', 'file', 'other.json', '--submit']);
  assert.equal(r.status, 0, r.stderr);
  const other = JSON.parse(r.stdout);
  r = await qiao(li, ['--lang', 'en', 'cases', 'withdraw', String(other.id)]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /needs a reason/);
  r = await qiao(li, ['cases', 'event', String(other.id), 'withdraw']);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes(catalogs['zh-Hans']['error.case.reason_required']), r.stderr);
  r = await qiao(chan, ['cases', 'withdraw', other.number, '--reason', '不是我的案件']);
  assert.equal(r.status, 1, 'another resident does not even see it');
  r = await qiao(li, ['--lang', 'en', 'cases', 'withdraw', other.number, '--reason', '双方已自行和解']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Case ${other.number} is now: Withdrawn\\.`));
  r = await qiao(li, ['--json', 'cases', 'show', String(other.id)]);
  const k = JSON.parse(r.stdout);
  assert.equal(k.status, 'withdrawn');
  assert.equal(k.timeline.at(-1).reason, '双方已自行和解');
  r = await qiao(li, ['--lang', 'en', 'cases', 'show', String(other.id)]);
  assert.match(r.stdout, /Withdraw {2}resident\.li \(Resident\) {2}Submitted → Withdrawn\n\s+Reason: 双方已自行和解/);
});

test('a resident cannot see another resident\'s case', async () => {
  // resident.chan's own demo case, not one resident.li is party to
  const { token } = await login(srv, 'resident.chan');
  const mine = (await api(srv, 'GET', '/api/v1/cases?limit=100', { token })).json.items;
  const liSees = new Set(JSON.parse((await qiao(li, ['--json', 'cases', 'list', '--all'])).stdout).items.map((c) => c.id));
  const hidden = mine.find((c) => !liSees.has(c.id) && c.number);
  assert.ok(hidden, 'a case of resident.chan alone');
  let r = await qiao(li, ['cases', 'show', String(hidden.id)]);
  assert.ok(r.status === 1 || r.status === 4, String(r.status));
  assert.ok(r.stderr.includes(catalogs['zh-Hans']['error.case.not_found']), r.stderr);
  r = await qiao(li, ['--json', 'cases', 'show', hidden.number]);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'case.not_found');
  r = await qiao(li, ['--json', 'cases', 'show', String(hidden.id)]);
  assert.equal(JSON.parse(r.stdout).error.code, 'case.not_found');
});

test('--json output parses for every command; no token is printed', async () => {
  const token = JSON.parse(readFileSync(li.creds, 'utf8')).token;
  const runs = [
    ['cases', 'list'], ['cases', 'list', '--all'], ['cases', 'list', '--status', 'submitted'],
    ['cases', 'show', caseId], ['cases', 'show', caseNumber],
    ['docs', 'download', caseId, docId, '-o', 'json-copy.pdf'],
  ];
  for (const args of runs) {
    const r = await qiao(li, ['--json', ...args]);
    assert.equal(r.status, 0, `${args}: ${r.stderr}`);
    assert.doesNotThrow(() => JSON.parse(r.stdout), args.join(' '));
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));
  }
  const all = JSON.parse((await qiao(li, ['--json', 'cases', 'list', '--all'])).stdout);
  assert.equal(all.next_cursor, null);
  const firstTwo = JSON.parse((await qiao(li, ['--json', 'cases', 'list', '--limit', '2'])).stdout);
  assert.deepEqual(firstTwo.items, all.items.slice(0, 2));
  let r = await qiao(li, ['--json', 'cases', 'list', '--status', 'nonsense']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'request.invalid_query');
  r = await qiao(li, ['--json', 'cases', 'list', '--limit', 'many']);
  assert.equal(r.status, 2);
  assert.equal(JSON.parse(r.stdout).error.code, 'cli.usage');
});

test('lists longer than a page are followed to the end', async () => {
  // resident.li files a few more drafts so that --all needs several pages of --limit
  for (let i = 0; i < 3; i++) {
    writeFileSync(join(li.work, `d${i}.json`), JSON.stringify(filing(`草稿 ${i}`)));
    assert.equal((await qiao(li, ['cases', 'file', `d${i}.json`])).status, 0);
  }
  const { token } = await login(srv, 'resident.li');
  const server = [];
  let cursor = null;
  do {
    const q = cursor ? `&cursor=${cursor}` : '';
    const page = (await api(srv, 'GET', `/api/v1/cases?limit=3${q}`, { token })).json;
    server.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  const r = await qiao(li, ['--json', 'cases', 'list', '--all']);
  assert.deepEqual(JSON.parse(r.stdout).items.map((c) => c.id), server.map((c) => c.id));
  const text = await qiao(li, ['--lang', 'en', 'cases', 'list', '--limit', '3']);
  assert.equal(text.stdout.trim().split('\n').filter((l) => /^\d+ /.test(l)).length, 3);
  assert.match(text.stdout, /There are more cases/);
});

// ---- a fake server, for replies a real one never gives ----

async function fakeServer(handler) {
  const seen = [];
  const s = createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      handler(req, res);
    });
  });
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${s.address().port}`, seen, close: () => new Promise((ok) => s.close(ok)) };
}

// A home whose stored session belongs to the fake server.
function fakeHome(url) {
  const h = newHome();
  mkdirSync(join(h.xdg, 'qiao'), { recursive: true, mode: 0o700 });
  writeFileSync(h.creds, JSON.stringify({ server: url, username: 'fake', token: 'F'.repeat(43),
    expires_at: Math.floor(Date.now() / 1000) + 3600 }), { mode: 0o600 });
  return h;
}

test('downloads: a checksum that does not match saves nothing; a hostile file name is tamed', async () => {
  let mode = 'bad';
  const fake = await fakeServer((req, res) => {
    const sum = mode === 'bad' ? sha256(Buffer.from('something else')) : sha256(PDF);
    // a name that would hide its real extension: U+202E (right-to-left override) and a control
    const headers = { 'Content-Type': 'application/pdf', 'X-Content-SHA256': sum,
      'Content-Disposition': "attachment; filename=\"x.pdf\"; filename*=UTF-8''%E2%80%AEfdp.exe%01" };
    if (mode === 'none') delete headers['X-Content-SHA256'];
    if (mode === 'traversal') headers['Content-Disposition'] = 'attachment; filename="../../etc/cron.d/x.pdf"';
    if (mode === 'huge') {
      res.writeHead(200, headers);
      return res.end(Buffer.alloc(11 * 1024 * 1024));
    }
    res.writeHead(200, headers);
    res.end(PDF);
  });
  try {
    const h = fakeHome(fake.url);
    let r = await qiao(h, ['--lang', 'en', 'docs', 'download', '3', '4']);
    assert.equal(r.status, 5);
    assert.match(r.stderr, /arrived damaged/);
    assert.deepEqual(readdirSync(h.work), []);
    assert.equal(fake.seen[0].url, '/api/v1/cases/3/documents/4');
    assert.equal(fake.seen[0].headers.authorization, `Bearer ${'F'.repeat(43)}`);
    mode = 'none';
    r = await qiao(h, ['--lang', 'en', 'docs', 'download', '3', '4']);
    assert.equal(r.status, 5);
    assert.match(r.stderr, /without a valid SHA-256/);
    assert.deepEqual(readdirSync(h.work), []);
    mode = 'huge';
    r = await qiao(h, ['--lang', 'en', 'docs', 'download', '3', '4']);
    assert.equal(r.status, 5);
    assert.match(r.stderr, /larger than 10 MiB/);
    assert.deepEqual(readdirSync(h.work), []);
    mode = 'traversal';
    r = await qiao(h, ['docs', 'download', '3', '4']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(h.work), ['x.pdf']);
    mode = 'good'; // the bidirectional override is refused, so the fallback name
    r = await qiao(h, ['docs', 'download', '3', '4']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(h.work).sort(), ['document-4.bin', 'x.pdf']);
  } finally { await fake.close(); }
});

test('filing sends a stable Idempotency-Key derived from the content and --submit', async () => {
  const fake = await fakeServer((req, res) => {
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: 1, number: 'HQ-FAM-2026-000001', status: 'submitted' }));
  });
  try {
    const h = fakeHome(fake.url);
    writeFileSync(join(h.work, 'a.json'), JSON.stringify(filing('x')));
    writeFileSync(join(h.work, 'b.json'), JSON.stringify(filing('x'), null, 4)); // same content
    for (const args of [['a.json', '--submit'], ['b.json', '--submit'], ['a.json'],
      ['a.json', '--idempotency-key', 'my-key-1']]) {
      const r = await qiao(h, ['cases', 'file', ...args]);
      assert.equal(r.status, 0, r.stderr);
    }
    const keys = fake.seen.map((s) => s.headers['idempotency-key']);
    assert.match(keys[0], /^qiao-cli-[0-9a-f]{64}$/);
    assert.equal(keys[1], keys[0]);
    assert.notEqual(keys[2], keys[0]);
    assert.equal(keys[3], 'my-key-1');
    assert.equal(JSON.parse(fake.seen[0].body).submit, true);
    assert.equal(JSON.parse(fake.seen[2].body).submit, undefined);
    const r = await qiao(h, ['cases', 'file', 'a.json', '--idempotency-key', 'has space']);
    assert.equal(r.status, 2);
  } finally { await fake.close(); }
});
