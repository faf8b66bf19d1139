// calendars.test.mjs: the working-day calendars in the browser (headless Chromium, real qiaod with
// the demo data): the administrator reads Macao's computed holidays for this year, is told in place
// when a date is out of range, records an announced working day and sees it listed; a case officer
// reads the same page without the form or a withdraw button; the administrator withdraws the change
// after confirming it. No console errors, no CSP violations, no unexpected failures.
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
  assert.match(await page.textContent(`#calendar-overrides tr[data-date="${YEAR}-10-10"]`), /Announced by the Government/);
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
  assert.equal(await page.locator('#calendar-overrides [data-action="withdraw"]').count(), 0);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  assert.match(await page.textContent('#calendars h1'), /工作日曆/);
  await b.signOut();
  b.clean();
});

test('an administrator withdraws a change recorded in error, after confirming it', async () => {
  await b.signIn('admin');
  await page.goto(`${b.srv.url}/calendars?calendar=macao&year=${YEAR}`);
  const row = page.locator(`#calendar-overrides tr[data-date="${YEAR}-10-10"]`);
  await row.waitFor();
  // asking, then thinking better of it, changes nothing
  await row.locator('[data-action="withdraw"]').click();
  assert.match(await row.textContent(), /computed calendar applies to that day again/);
  await row.locator('[data-action="withdraw-cancel"]').click();
  await row.locator('[data-action="withdraw"]').waitFor();
  // confirmed: the row is gone, the flash says so, and the API agrees
  await row.locator('[data-action="withdraw"]').click();
  await b.shots('calendars-withdraw');
  await row.locator('[data-action="withdraw-confirm"]').click();
  await page.locator('#flash-area').filter({ hasText: /withdrawn/ }).waitFor();
  assert.equal(await page.locator(`#calendar-overrides tr[data-date="${YEAR}-10-10"]`).count(), 0);
  const cal = await page.evaluate(async (y) => (await fetch(`/api/v1/calendars/macao?year=${y}`, { credentials: 'same-origin' })).json(), YEAR);
  assert.ok(!cal.overrides.some((o) => o.date === `${YEAR}-10-10`));
  await b.signOut();
  b.clean();
});
