// shortlist.test.mjs: the commercial shortlist and the inbox in the browser, in headless Chromium
// against a real qiaod with the demo data. officer.zhc offers three of the candidates of demo case
// 14 (the offer button waits for exactly three); lawyer.ho finds the notice in the inbox (the
// header counts it), opens the case from it (which marks it read), is stopped from naming a
// mediator twice, and gives the applicant's order; resident.chan sees that the other side has
// ranked (not how) and gives the respondent's order, which chooses and assigns the mediator;
// the inbox marks everything read. No console errors, no CSP violations, no unexpected failures.
//
// Run: cd tests/e2e && npm install; cd ../.. && QIAOD=build/qiaod node --test tests/e2e/
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './lib/browser.mjs';

let b;
let page;
let url;
const CASE = 14; // ZHC-COM-2026-000006: commercial, respondent_agreed, both sides speak English

before(async () => {
  b = await openBrowser();
  ({ page } = b);
  url = b.srv.url;
});
beforeEach(() => b.reset());
after(async () => {
  await b?.close();
});

test('an officer offers three candidates to the parties', async () => {
  await b.signIn('officer.zhc');
  await page.goto(`${url}/cases/${CASE}/assignment`);
  await page.locator(`#assignment[data-case="${CASE}"]`).waitFor();
  await page.locator('#shortlist-offer-form').waitFor();
  const submit = page.locator('#shortlist-offer-submit');
  assert.equal(await submit.isDisabled(), true, 'nothing ticked yet');
  for (const u of ['mediator.zhou', 'mediator.kwok']) await page.check(`#shortlist-offer-choices input[value="${u}"]`);
  assert.equal(await submit.isDisabled(), true, 'two are not a shortlist');
  await page.check('#shortlist-offer-choices input[value="mediator.wong"]');
  assert.equal(await submit.isDisabled(), false);
  await b.shots('shortlist-offer');
  await submit.click();
  await page.locator(`#case[data-case="${CASE}"] #shortlist[data-status="open"]`).waitFor();
  assert.deepEqual(await page.locator('#shortlist-members > li').evaluateAll((lis) => lis.map((li) => li.dataset.mediator)),
    ['mediator.zhou', 'mediator.kwok', 'mediator.wong'], 'in the order ticked');
  assert.equal(await page.locator('#shortlist-rank').count(), 0, 'an officer does not rank');
  await b.signOut();
  b.clean();
});

test('the applicant\'s lawyer finds the notice, opens the case from it and ranks', async () => {
  await b.signIn('lawyer.ho');
  const link = page.locator('#inbox-link');
  await page.waitForFunction(() => Number(document.getElementById('inbox-link')?.dataset.unread) > 0);
  const unread = Number(await link.getAttribute('data-unread'));
  assert.match(await link.getAttribute('aria-label'), new RegExp(`${unread} unread`));
  await link.click();
  await page.locator('#inbox-list').waitFor();
  const item = page.locator(`#inbox-list li.unread[data-case="${CASE}"][data-event="shortlist_offered"]`);
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), /ZHC-COM-2026-000006.*Shortlist of mediators offered/);
  await b.shots('inbox');
  await item.locator('a.inbox-case').click();
  await page.locator(`#case[data-case="${CASE}"] #shortlist-rank`).waitFor();
  assert.equal(await page.getAttribute('#inbox-link', 'data-unread'), String(unread - 1), 'opening it read it');

  // the same mediator twice is refused before anything is sent
  await page.selectOption('#shortlist-rank-1', 'mediator.kwok');
  await page.selectOption('#shortlist-rank-2', 'mediator.kwok');
  await page.click('#shortlist-rank-submit');
  await page.locator('#shortlist-rank .error-summary:not([hidden])').waitFor();
  assert.equal(await page.getAttribute('#shortlist-rank-2', 'aria-invalid'), 'true');

  await page.selectOption('#shortlist-rank-1', 'mediator.zhou');
  await page.selectOption('#shortlist-rank-2', 'mediator.kwok');
  await page.selectOption('#shortlist-rank-3', 'mediator.wong');
  await page.click('#shortlist-rank-submit');
  await page.locator('#shortlist-sides > li[data-side="applicant"][data-ranked="true"]').waitFor();
  assert.match(await page.textContent('#shortlist-sides > li[data-side="applicant"]'), /周建华 › 郭家樂/);
  assert.match(await page.textContent('#flash-area'), /Your order is recorded/);
  assert.equal(await page.textContent('#shortlist-rank-submit'), 'Change our order');
  await b.shots('shortlist-ranked');
  await b.signOut();
  b.clean();
});

test('the respondent ranks; the mediator is chosen; the inbox is marked read', async () => {
  await b.signIn('resident.chan'); // reads Traditional Chinese
  await page.goto(`${url}/cases/${CASE}`);
  await page.locator('#shortlist-rank').waitFor();
  const applicant = await page.textContent('#shortlist-sides > li[data-side="applicant"]');
  assert.match(applicant, /已排序/);
  assert.doesNotMatch(applicant, /周建华|郭家樂/, 'the other side\'s order stays hidden');
  await page.selectOption('#shortlist-rank-1', 'mediator.kwok');
  await page.selectOption('#shortlist-rank-2', 'mediator.zhou');
  await page.selectOption('#shortlist-rank-3', 'mediator.wong');
  await page.click('#shortlist-rank-submit');
  // zhou 1+2, kwok 2+1: a tie, both with a worst rank of 2; the officer ticked zhou first
  await page.locator('#shortlist[data-status="chosen"]').waitFor();
  assert.equal(await page.getAttribute('#shortlist-members > li[data-chosen="true"]', 'data-mediator'), 'mediator.zhou');
  await page.locator('#case[data-status="mediator_assigned"]').waitFor();
  assert.equal(await page.getAttribute('#case-mediators li', 'data-mediator'), 'mediator.zhou');
  assert.equal(await page.locator('#timeline-list li[data-event="shortlist_chosen"]').count(), 1);

  await page.click('#inbox-link');
  await page.locator('#inbox-list').waitFor();
  await page.click('#inbox-mark-all');
  await page.waitForFunction(() => document.getElementById('inbox-link')?.dataset.unread === '0');
  assert.equal(await page.locator('#inbox-list li.unread').count(), 0);
  assert.equal(await page.isHidden('#inbox-mark-all'), true);
  await page.click('#inbox-filter-unread');
  await page.locator('#inbox-empty').waitFor();
  await b.signOut();
  b.clean();
});
