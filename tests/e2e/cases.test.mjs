// cases.test.mjs: a case's life in the browser client, driven in headless Chromium against a real
// qiaod with the demo data: resident.li files a family case through the guided flow (a field error
// shown in place and fixed, a reload that resumes the server's draft, a PDF upload) and submits
// it; officer.hq finds it in the intake queue, screens and accepts it and reads the invitation; a
// newly registered resident opens the invitation, redeems it and agrees to mediate; the applicant
// sees the new status, the timeline and, in Traditional Chinese, the labelled converted title with
// its original a press away; the auditor reads the case's entries and verifies the trail. The page
// stays clean: no console errors, no CSP violations, no failed request but the provoked ones.
//
// Run: cd tests/e2e && npm install; cd ../.. && QIAOD=build/qiaod node --test tests/e2e/
// QIAO_E2E_SCREENSHOTS=/some/dir saves screenshots there (desktop and 375 px wide).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openBrowser } from './lib/browser.mjs';

let b; // the browser session (lib/browser.mjs)
let srv;
let page;
// Failed requests the scenario provokes on purpose.
const expectedFailures = [
  /^GET \/api\/v1\/me 401$/, // the page asks who is signed in; nobody is, at first
  /^PATCH \/api\/v1\/cases\/\d+ 400$/, // the identity number with a wrong check digit
];

// What the scenario carries from one step to the next.
const state = {
  caseId: null,
  number: null,
  code: null,
  title: '关于孩子抚养费的调解申请',
  titleHant: '關於孩子撫養費的調解申請',
  respondentUser: `chan.${Date.now().toString(36)}`,
};

before(async () => {
  b = await openBrowser({ expectedFailures, permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true });
  ({ srv, page } = b);
});

after(async () => {
  await b?.close();
});

const shots = (name) => b.shots(name);

const signIn = (username, password) => b.signIn(username, password);
const signOut = () => b.signOut();

const step = (name) => page.locator(`#filing[data-step="${name}"]`).waitFor();
const clean = () => b.clean();

// A small but well-formed PDF (the server judges the type from the bytes).
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n'
);

test('a resident files a family case through the guided flow', async () => {
  await page.goto(`${srv.url}/`);
  await page.locator('body.ready').waitFor();
  await signIn('resident.li');
  await page.locator('#home[data-role="resident"]').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans', 'resident.li reads Simplified Chinese');
  await page.locator('#my-cases-list table').waitFor();
  await shots('cases-resident-list');

  // 1. center and type: the center decides which types can be chosen
  await page.click('#file-case');
  await step('center');
  await page.locator('#drafts').waitFor(); // the demo draft of resident.li is offered to continue
  await page.check('#f-center input[value="HQ"]');
  assert.equal(await page.isDisabled('#f-type input[value="commercial"]'), true, 'HQ takes family cases only');
  assert.equal(await page.isChecked('#f-type input[value="family"]'), true);
  await page.check('#f-subtype input[value="maintenance"]');
  await shots('filing-1-center');
  await page.click('#step-next');
  await step('applicant');
  const m = /\/cases\/(\d+)\/edit\/applicant$/.exec(page.url());
  assert.ok(m, `the draft exists on the server: ${page.url()}`);
  state.caseId = Number(m[1]);
  assert.match(await page.textContent('#save-status'), /\d/, 'the saved time is shown');

  // 2. the applicant: a wrong check digit is reported next to the number, then fixed
  assert.equal(await page.inputValue('#app-0-name'), '李明', 'the account’s name is offered');
  await page.fill('#app-0-name-latin', 'LI Ming');
  await page.selectOption('#app-0-idtype', 'mainland_id');
  assert.match(await page.textContent('#app-0-idnumber-hint'), /11010519491231002X/, 'the hint follows the document type');
  await page.selectOption('#app-0-idtype', 'macao_bir');
  assert.match(await page.textContent('#app-0-idnumber-hint'), /1234567\(8\)/);
  await page.selectOption('#app-0-idtype', 'mainland_id');
  await page.fill('#app-0-idnumber', '110105194912310021');
  await page.fill('#app-0-phone', '+86 138 0756 1234');
  await page.fill('#app-0-email', 'li.ming@example.org');
  await page.fill('#app-0-address', '珠海市香洲区人民东路 1 号');
  await page.selectOption('#app-0-residence', 'zhuhai');
  await page.selectOption('#app-0-language', 'zh-Hans');
  await page.check('#app-0-spoken input[value="putonghua"]');
  await page.check('#app-0-spoken input[value="cantonese"]');
  await page.click('#step-next');
  await page.locator('#step-form .error-summary:not([hidden])').waitFor();
  const idInput = page.locator('#app-0-idnumber');
  assert.equal(await idInput.getAttribute('aria-invalid'), 'true', 'the number is marked invalid');
  assert.ok((await idInput.getAttribute('aria-describedby')).split(' ').includes('app-0-idnumber-error'));
  assert.match(await page.textContent('#app-0-idnumber-error'), /校验/, 'the server’s message, in Chinese, next to the field');
  assert.equal(await page.locator('#step-form .error-summary a[href="#app-0-idnumber"]').count(), 1, 'the summary links to the field');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('error-summary')), 'focus moves to the summary');
  await page.locator('#filing[data-step="applicant"]').waitFor(); // still on this step
  await shots('filing-2-applicant-error');
  await page.click('#step-form .error-summary a[href="#app-0-idnumber"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'app-0-idnumber');
  await page.fill('#app-0-idnumber', '11010519491231002X');
  await page.click('#step-next');
  await step('respondents');

  // 3. the other side: several respondents, added and removed
  await page.fill('#resp-0-name', '陳大文');
  await page.fill('#resp-0-phone', '+853 6612 3456');
  await page.selectOption('#resp-0-residence', 'macao');
  await page.selectOption('#resp-0-language', 'zh-Hant');
  await page.check('#resp-0-spoken input[value="cantonese"]');
  await page.click('#add-respondent');
  await page.locator('#resp-1').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'resp-1-name', 'focus goes to the new respondent');
  await page.check('#resp-1-kind input[value="company"]');
  await page.fill('#resp-1-name', '大文貿易有限公司');
  await page.fill('#resp-1-name-latin', 'Tai Man Trading Lda');
  await page.selectOption('#resp-1-residence', 'macao');
  await page.click('#add-respondent');
  await page.locator('#resp-2').waitFor();
  await page.click('#resp-2-remove');
  await page.locator('#resp-2').waitFor({ state: 'detached' });
  assert.equal(await page.locator('#respondent-list > fieldset').count(), 2);
  await shots('filing-3-respondents');
  await page.click('#step-next');
  await step('story');

  // 4. what happened and what is asked: amounts typed plainly, shown formatted
  await page.fill('#f-title', state.title);
  await page.fill('#f-summary', '离婚后，前夫自去年起没有按时支付两个孩子的抚养费。孩子在珠海上学，前夫在澳门工作。');
  await page.fill('#f-request', '希望双方就今后每月的抚养费及拖欠部分达成协议。');
  await page.fill('#claim-0-description', '每月两个孩子的抚养费');
  await page.fill('#claim-0-value', '3000');
  await page.selectOption('#claim-0-currency', 'MOP');
  assert.match(await page.textContent('#claim-0-preview'), /MOP\s3,000\.00/, 'the amount is shown formatted');
  await page.click('#add-claim');
  await page.fill('#claim-1-description', '拖欠的抚养费');
  await page.fill('#claim-1-value', '36000.5');
  assert.match(await page.textContent('#claim-1-preview'), /CNY\s36,000\.50/);
  await page.click('#step-save');
  await page.locator('#save-status[data-state="saved"]').waitFor();

  // ... a reload (or another device) continues from the server's draft
  await page.reload();
  await page.locator('body.ready').waitFor();
  await step('story');
  assert.equal(await page.inputValue('#f-title'), state.title, 'the title came back from the server');
  assert.equal(await page.inputValue('#claim-1-value'), '36000.50');
  assert.equal(await page.inputValue('#claim-0-currency'), 'MOP');
  await shots('filing-4-story');
  await page.click('#step-next');
  await step('evidence');

  // 5. evidence: a PDF uploaded to the draft
  await page.setInputFiles('#evidence-upload-file', { name: 'receipt.pdf', mimeType: 'application/pdf', buffer: PDF });
  assert.equal(await page.inputValue('#evidence-upload-title-input'), 'receipt', 'the title starts from the file name');
  await page.fill('#evidence-upload-title-input', '抚养费转账记录');
  await page.click('#evidence-upload-submit');
  await page.locator('#evidence-table tr[data-doc]').waitFor();
  assert.match(await page.textContent('#evidence-table'), /抚养费转账记录/);
  assert.match(await page.getAttribute('#evidence-table a.doc-link', 'href'), new RegExp(`^/api/v1/cases/${state.caseId}/documents/\\d+$`));
  await shots('filing-5-evidence');
  await page.click('#step-next');
  await step('consent');

  // 6. consent to mediation and to electronic service, with an address
  assert.equal(await page.isVisible('#f-addresses'), false, 'no addresses without consent to e-service');
  await page.check('#f-consent-mediation');
  await page.check('#f-consent-eservice');
  await page.locator('#addr-0-value').waitFor();
  assert.equal(await page.inputValue('#addr-0-value'), 'li.ming@example.org', 'the applicant’s e-mail is offered');
  await page.click('#add-address');
  await page.selectOption('#addr-1-channel', 'sms');
  await page.fill('#addr-1-value', '+86 138 0756 1234');
  await shots('filing-6-consent');
  await page.click('#step-next');
  await step('review');

  // 7. review (what the server holds) and submit
  assert.equal((await page.textContent('#review-title')).trim(), state.title);
  assert.match(await page.textContent('#review-claims'), /3,000\.00/);
  // the respondent's name as the reader's script shows it, labelled as converted
  assert.match(await page.textContent('#review-respondents'), /陈大文/);
  assert.equal(await page.locator('#review-respondents .conv-note').count(), 2, 'both names are in Traditional script');
  assert.match(await page.textContent('#review-documents'), /抚养费转账记录/);
  await shots('filing-7-review');
  await page.click('#submit-case');
  await page.locator('#case[data-status="submitted"]').waitFor();
  state.number = (await page.textContent('#case-number')).trim();
  assert.match(state.number, /^HQ-FAM-2026-\d{6}$/);
  assert.match(await page.textContent('#flash-area'), new RegExp(state.number));
  assert.equal(new URL(page.url()).pathname, `/cases/${state.caseId}`);
  await shots('case-submitted-applicant');

  // ... and sees it listed
  await page.click('#back-link');
  await page.locator(`#my-cases-list tr[data-case="${state.caseId}"]`).waitFor();
  const row = page.locator(`#my-cases-list tr[data-case="${state.caseId}"]`);
  assert.equal(await row.getAttribute('data-status'), 'submitted');
  assert.match(await row.textContent(), new RegExp(state.number));
  await signOut();
  clean();
});

test('a case officer screens and accepts it and reads the invitation', async () => {
  await signIn('officer.hq');
  await page.locator('#home[data-role="case_officer"]').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  // the queue filters by status
  await page.selectOption('#queue-filter-status', 'submitted');
  await page.locator(`#queue tr[data-case="${state.caseId}"]`).waitFor();
  await page.locator('#queue-table-wrap:not([aria-busy])').waitFor();
  assert.equal(await page.locator('#queue tr[data-status]:not([data-status="submitted"])').count(), 0);
  await shots('queue-officer');
  await page.click(`#queue tr[data-case="${state.caseId}"] a.case-link`);
  await page.locator('#case[data-status="submitted"]').waitFor();
  // the officer sees the respondents' details and the uploaded document
  assert.match(await page.textContent('#parties-respondents'), /\+85366123456/);
  await page.locator('#documents-table tr[data-doc]').waitFor();

  await page.click('#action-start_screening');
  await page.click('#action-confirm');
  await page.locator('#case[data-status="screening"]').waitFor();
  // declining needs a reason: the form says so before anything is sent
  await page.click('#action-decline');
  await page.locator('#action-reason').waitFor();
  assert.equal(await page.getAttribute('#action-reason', 'aria-required'), 'true');
  await page.click('#action-cancel');
  await page.click('#action-accept');
  await page.click('#action-confirm');
  await page.locator('#case[data-status="respondent_invited"]').waitFor();
  await page.locator('#invitation').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'invitation', 'the invitation gets the focus');
  state.code = (await page.textContent('#invitation-code')).trim();
  assert.match(state.code, /^[A-Za-z0-9_-]{20,64}$/);
  assert.equal((await page.textContent('#invitation-link')).trim(), `${srv.url}/invitation/${state.code}`);
  await page.click('#invitation-link-copy');
  await page.locator('#invitation-copy-status', { hasText: /\S/ }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${srv.url}/invitation/${state.code}`);
  // the respondent's deadline is running now
  await page.locator('#deadlines .deadline').first().waitFor();
  await shots('case-accepted-officer');

  await page.click('#main-nav a[href="/deadlines"]');
  await page.locator(`#deadlines-table tr[data-case="${state.caseId}"][data-kind="respondent_answer"]`).waitFor();
  await shots('deadlines-officer');
  await signOut();
  clean();
});

test('a newly registered respondent redeems the invitation and agrees to mediate', async () => {
  await page.goto(`${srv.url}/invitation/${state.code}`);
  await page.locator('body.ready').waitFor();
  await page.locator('#invitation-signin').waitFor();
  await shots('invitation-signed-out');
  await page.click('#invitation-register-link');
  await page.locator('#register-form').waitFor();
  await page.locator('#invitation-pending').waitFor(); // the page says it comes back
  await page.fill('#register-username', state.respondentUser);
  await page.fill('#register-display-name', '陳大文');
  await page.fill('#register-email', `${state.respondentUser}@example.org`);
  await page.fill('#register-password', 'a bridge over the pearl river');
  await page.click('#register-submit');
  await page.locator('#invitation-answer').waitFor();
  assert.equal(new URL(page.url()).pathname, `/invitation/${state.code}`, 'back at the invitation');
  await page.click('#invitation-redeem');
  await page.locator('#case[data-status="respondent_invited"]').waitFor();
  assert.equal(new URL(page.url()).pathname, `/cases/${state.caseId}`);
  // the respondent reads Traditional Chinese: the Simplified title is shown converted, labelled
  assert.equal((await page.textContent('#case-title-text')).trim(), state.titleHant);
  await page.locator('#case-title-conv').waitFor();
  await shots('case-respondent');
  await page.click('#action-respondent_agree');
  await page.click('#action-confirm');
  await page.locator('#case[data-status="respondent_agreed"]').waitFor();
  assert.equal(await page.locator('#action-respondent_agree').count(), 0, 'no second answer');
  await signOut();
  clean();
});

test('the applicant sees the new status, the timeline and the converted view', async () => {
  await signIn('resident.li');
  await page.locator(`#my-cases-list tr[data-case="${state.caseId}"][data-status="respondent_agreed"]`).waitFor();
  await page.click(`#my-cases-list tr[data-case="${state.caseId}"] a.case-link`);
  await page.locator('#case[data-status="respondent_agreed"]').waitFor();
  const events = await page.locator('#timeline-list > li').evaluateAll((lis) => lis.map((li) => li.dataset.event));
  assert.deepEqual(events, ['create', 'submit', 'start_screening', 'accept', 'invite_respondent', 'respondent_agree']);
  assert.match(await page.textContent('#timeline-list > li[data-event="respondent_agree"]'), new RegExp(state.respondentUser));
  assert.match(await page.textContent('#claims'), /MOP\s?3,000\.00/, 'the server’s display of the amount');
  assert.equal((await page.textContent('#case-title-text')).trim(), state.title, 'in Simplified Chinese, as written');
  assert.equal(await page.locator('#case-title-conv').count(), 0, 'nothing converted for the writer’s own script');

  // in Traditional Chinese: the converted title, labelled, the original one press away
  await page.selectOption('#lang-select', 'zh-Hant');
  await page.locator('#case-title-conv').waitFor();
  assert.equal((await page.textContent('#case-title-text')).trim(), state.titleHant);
  assert.match(await page.textContent('#case-title-conv .conv-label'), /由簡體中文轉換.*以原文為準/);
  const toggle = page.locator('#case-title-conv button.conv-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal((await page.textContent('#case-title-text')).trim(), state.title, 'the original');
  assert.equal(await page.getAttribute('#case-title-text', 'lang'), 'zh-Hans');
  await toggle.focus();
  await page.keyboard.press('Space');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'the keyboard toggles back');
  assert.equal((await page.textContent('#case-title-text')).trim(), state.titleHant);
  await shots('case-applicant-zh-Hant');
  await signOut();
  clean();
});

test('the auditor reads the case’s entries, exports them and verifies the trail', async () => {
  await signIn('auditor');
  await page.locator('#home[data-role="auditor"]').waitFor();
  await page.locator('#audit-table').waitFor();
  await page.fill('#audit-case', String(state.caseId));
  await page.click('#audit-apply');
  await page.locator(`#audit-table tr[data-object="case:${state.caseId}"]`).first().waitFor();
  const objects = await page.locator('#audit-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.object));
  assert.ok(objects.length >= 8, `the case has its entries (${objects.length})`);
  assert.ok(objects.every((o) => o === `case:${state.caseId}`), 'only this case');
  const actions = await page.locator('#audit-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.action));
  for (const a of ['create', 'update_draft', 'document_upload', 'submit', 'accept', 'invitation_redeem', 'respondent_agree']) {
    assert.ok(actions.includes(a), `the trail has ${a}`);
  }
  assert.match(await page.getAttribute('#audit-export', 'href'), new RegExp(`^/api/v1/audit/export\\?case=${state.caseId}$`));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
  const lines = readFileSync(await download.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, objects.length, 'the export holds the filtered entries');
  assert.ok(lines.every((e) => e.object_id === state.caseId));
  await page.click('#audit-verify');
  await page.locator('#verify-intact').waitFor();
  assert.match(await page.textContent('#audit-public-key'), /^[0-9a-f]{64}$/);
  await shots('audit');
  await signOut();
  clean();
});

test('a lawyer files for a client and sees all their matters with the next deadline', async () => {
  await signIn('lawyer.ho');
  await page.locator('#home[data-role="lawyer"]').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.locator('#matters-list table').waitFor();
  // a demo matter waiting for the respondent shows that deadline
  const invited = page.locator('#matters-list tr[data-status="respondent_invited"]').first();
  assert.match(await invited.locator('.deadline').textContent(), /respondent’s answer/);
  await shots('matters-lawyer');

  await page.click('#file-case');
  await step('center');
  await page.check('#f-center input[value="ZHC"]');
  assert.equal(await page.isChecked('#f-type input[value="commercial"]'), true);
  await page.check('#f-subtype input[value="sale_of_goods"]');
  await page.click('#step-next');
  await step('applicant');
  assert.equal((await page.textContent('h1')).trim(), 'Your client, the applicant');
  assert.equal(await page.inputValue('#app-0-name'), '', 'nothing of the lawyer’s own is offered');
  assert.equal(await page.locator('#app-0-lawyer').count(), 0);
  await page.check('#app-0-kind input[value="company"]');
  assert.match(await page.textContent('label[for="app-0-name"]'), /^Company name/);
  await page.fill('#app-0-name', '澳門美酒貿易有限公司');
  await page.fill('#app-0-name-latin', 'Vinhos de Macau Lda');
  await page.selectOption('#app-0-idtype', 'business_registration');
  await page.fill('#app-0-idnumber', '12345');
  await page.selectOption('#app-0-residence', 'macao');
  await page.selectOption('#app-0-language', 'pt');
  await page.click('#step-next');
  await step('respondents');
  await page.check('#resp-0-kind input[value="company"]');
  await page.fill('#resp-0-name', '珠海海岸贸易有限公司');
  await page.selectOption('#resp-0-residence', 'zhuhai');
  await page.click('#step-next');
  await step('story');
  await page.fill('#f-title', 'Venda de vinho com defeito');
  await page.fill('#f-summary', 'Duzentas caixas de vinho entregues em Zhuhai chegaram estragadas.');
  await page.fill('#claim-0-description', 'Devolução do preço');
  await page.fill('#claim-0-value', '150000');
  await page.selectOption('#claim-0-currency', 'HKD');
  await page.click('#step-next');
  await step('evidence');
  await page.click('#step-next');
  await step('consent');
  await page.check('#f-consent-mediation');
  await page.click('#step-next');
  await step('review');
  await page.click('#submit-case');
  await page.locator('#case[data-status="submitted"]').waitFor();
  assert.match((await page.textContent('#case-number')).trim(), /^ZHC-COM-2026-\d{6}$/);
  assert.match(await page.textContent('#parties-applicants'), /lawyer\.ho/, 'the lawyer is recorded as the client’s lawyer');
  assert.match(await page.textContent('#parties-applicants'), /Vinhos de Macau Lda/);
  const id = new URL(page.url()).pathname.split('/').pop();
  await page.click('#back-link');
  await page.locator(`#matters-list tr[data-case="${id}"][data-status="submitted"]`).waitFor();
  assert.match(await page.textContent(`#matters-list tr[data-case="${id}"]`), /Zhuhai Commercial Mediation Center/);
  await signOut();
  clean();
});
