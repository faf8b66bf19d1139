// calendars.test.mjs: the working-day calendars in the browser (headless Chromium, real qiaod with
// the demo data): the administrator reads Macao's computed holidays for this year, is told in place
// when a date is out of range, records an announced working day and sees it listed; a case officer
// reads the same page without the form. No console errors, no CSP violations, no unexpected
// failures.
//
// Run: cd tests/e2e && npm install; cd ../.. && QIAOD=build/qiaod node --test tests/e2e/
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './lib/browser.mjs';

let b;
let page;
const YEAR = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();

before(async () => {
  b = await openBrowser({ expectedFailures: [/^POST \/api\/v1\/calendars\/macao\/overrides 400$/] });
  ({ page } = b);
});
beforeEach(() => b.reset());
after(async () => {
  await b?.close();
});

test('an administrator reads Macao\'s holidays and records an announced working day', async () => {
  await b.signIn('admin');
  await page.click('#main-nav a[href="/calendars"]');
  await page.locator('#calendars[data-calendar="mainland"]').waitFor();
  await page.selectOption('#calendar-name', 'macao');
  await page.locator(`#calendars[data-calendar="macao"][data-year="${YEAR}"]`).waitFor();
  const sar = page.locator(`#calendar-holidays tr[data-key="macao_sar_establishment_day"]`);
  assert.equal(await sar.getAttribute('data-date'), `${YEAR}-12-20`);
  assert.match(await sar.textContent(), /Macao SAR Establishment Day/);
  assert.ok(await page.locator('#calendar-holidays tr[data-key="lunar_new_year"]').count() >= 1);

  // a year the calendars do not cover is refused in place
  await page.fill('#override-date', '1800-01-04');
  await page.click('#override-submit');
  await page.locator('#override-form .error-summary:not([hidden])').waitFor();
  assert.equal(await page.getAttribute('#override-date', 'aria-invalid'), 'true');

  await page.fill('#override-date', `${YEAR}-10-10`);
  await page.check('#override-kind-0'); // a working day
  await page.fill('#override-note', 'Announced by the Government');
  await page.click('#override-submit');
  await page.locator(`#calendar-overrides tr[data-date="${YEAR}-10-10"][data-working="true"]`).waitFor();
  assert.match(await page.textContent('#flash-area'), /is recorded/);
  await b.shots('calendars-admin');
  await b.signOut();
  b.clean();
});

test('a case officer reads the calendars but cannot change them', async () => {
  await b.signIn('officer.hq');
  await page.click('#main-nav a[href="/calendars"]');
  await page.locator('#calendars').waitFor();
  await page.selectOption('#calendar-name', 'macao');
  await page.locator(`#calendar-overrides tr[data-date="${YEAR}-10-10"]`).waitFor();
  assert.equal(await page.locator('#override-form').count(), 0);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  assert.match(await page.textContent('#calendars h1'), /工作日曆/);
  await b.signOut();
  b.clean();
});
