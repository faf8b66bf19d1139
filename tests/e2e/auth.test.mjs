// auth.test.mjs: the browser client's sign-in, registration, sign-out and language switcher, driven
// in headless Chromium against a real qiaod with the demo data. Also holds the page to a clean
// console: no script errors, no CSP violations, no failed request but the ones the scenario
// provokes on purpose.
//
// Run: cd tests/e2e && npm install; cd ../.. && QIAOD=build/qiaod node --test tests/e2e/
// QIAO_E2E_SCREENSHOTS=/some/dir saves a few screenshots there (never into the repository).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../api/lib/server.mjs';
import { openBrowser } from './lib/browser.mjs';

const SHOTS = process.env.QIAO_E2E_SCREENSHOTS;

let b; // the browser session (lib/browser.mjs)
let srv;
let page;
// Failed requests the scenario provokes on purpose.
const expectedFailures = [
  /^POST \/api\/v1\/auth\/login 401$/, // the wrong password
  /^POST \/api\/v1\/auth\/register 400$/, // the invalid registration
  /^POST \/api\/v1\/users 400$/, // the staff account without its center
];

before(async () => {
  b = await openBrowser({ expectedFailures });
  ({ srv, page } = b);
});

after(async () => {
  await b?.close();
});

async function shot(name) {
  if (SHOTS && existsSync(SHOTS)) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// The text of the label of the control with id.
const labelOf = (id) => page.locator(`label[for="${id}"]`).first();

async function waitForLabel(id, text) {
  await page.locator(`label[for="${id}"]`, { hasText: text }).first().waitFor();
}

async function signIn(username, password) {
  await page.locator('#signin-form').waitFor();
  await page.fill('#signin-username', username);
  await page.fill('#signin-password', password);
  await page.click('#signin-submit');
}

async function signOut() {
  await page.click('#sign-out');
  await page.locator('#signin-form').waitFor();
  assert.equal(await page.locator('#user-bar').isVisible(), false, 'nobody is shown as signed in');
}

const htmlLang = () => page.evaluate(() => document.documentElement.lang);

test('sign-in, registration, sign-out and the remembered language', async () => {
  const username = `e2e.${Date.now().toString(36)}`;
  const password = 'a bridge over the pearl river';
  const displayName = '陳小橋';

  // 1. A first visit in an English browser: the sign-in page, in English.
  await page.goto(`${srv.url}/`);
  await page.locator('body.ready').waitFor();
  await page.locator('#signin-form').waitFor();
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.equal(await htmlLang(), 'en');
  assert.match(await labelOf('signin-username').textContent(), /^User name/);
  assert.equal(await page.locator('a.skip-link').getAttribute('href'), '#main');
  assert.equal(await page.locator('main#main').count(), 1, 'a main landmark');
  await shot('signin-en');

  // 2. The switcher turns the page into Traditional Chinese, and remembers it.
  await page.selectOption('#lang-select', 'zh-Hant');
  await waitForLabel('signin-username', '用戶名稱');
  await waitForLabel('signin-password', '密碼');
  assert.equal(await htmlLang(), 'zh-Hant');
  assert.equal(await page.evaluate(() => localStorage.getItem('qiao.lang')), 'zh-Hant');
  assert.equal(await page.locator('#signin-submit').textContent(), '登入');

  // 3. Registration: invalid input first, so each field shows its own localized message.
  await page.click('#register-link');
  await page.locator('#register-form').waitFor();
  assert.equal(await page.inputValue('#register-language'), 'zh-Hant', 'the preferred language starts as the UI language');
  await page.fill('#register-username', '-bad-name');
  await page.fill('#register-display-name', displayName);
  await page.fill('#register-password', 'short');
  await page.click('#register-submit');
  await page.locator('#register-form .error-summary[role="alert"]:not([hidden])').waitFor();
  const usernameInput = page.locator('#register-username');
  assert.equal(await usernameInput.getAttribute('aria-invalid'), 'true');
  const describedBy = (await usernameInput.getAttribute('aria-describedby')).split(' ');
  assert.ok(describedBy.includes('register-username-error'), 'the error describes its field');
  assert.match(await page.locator('#register-username-error').textContent(), /[\u4e00-\u9fff]/, 'the field error is in Chinese');
  assert.equal(await page.locator('#register-password').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#register-email').getAttribute('aria-invalid'), 'true', 'e-mail or phone is required');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('error-summary')), 'focus moves to the error summary');
  await shot('register-errors-zh-Hant');

  // ... then valid input: the account is created and the resident lands signed in on their home.
  await page.fill('#register-username', username);
  await page.fill('#register-email', `${username}@example.org`);
  await page.fill('#register-password', password);
  await page.click('#register-submit');
  await page.locator('#home[data-role="resident"]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.locator('#who-name').textContent(), displayName);
  assert.equal(await page.locator('#who-role').textContent(), '居民');
  assert.equal(await page.locator('h1').textContent(), '我的個案');
  await page.locator('#cases-empty').waitFor(); // no cases: said honestly, none invented
  assert.ok((await page.locator('.center-card').count()) >= 1, 'the real centers are listed');
  await shot('resident-home-zh-Hant');

  // 4. Sign out; the language stays, also across a reload.
  await signOut();
  await waitForLabel('signin-username', '用戶名稱');
  await page.reload();
  await page.locator('body.ready').waitFor();
  await waitForLabel('signin-username', '用戶名稱');
  assert.equal(await htmlLang(), 'zh-Hant');

  // 5. Switched to English before signing in, the user's stored preference (zh-Hant) wins again.
  await page.selectOption('#lang-select', 'en');
  await waitForLabel('signin-username', 'User name');
  await signIn(username, password);
  await page.locator('#home[data-role="resident"]').waitFor();
  assert.equal(await htmlLang(), 'zh-Hant');
  assert.equal(await page.inputValue('#lang-select'), 'zh-Hant');
  assert.equal(await page.locator('h1').textContent(), '我的個案');

  // 6. Switching while signed in stores the preference on the account (PATCH /api/v1/me).
  const patched = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
  await page.selectOption('#lang-select', 'pt');
  const reply = await patched;
  assert.equal(reply.status(), 200);
  assert.equal((await reply.json()).language, 'pt');
  await page.locator('h1', { hasText: 'Os meus processos' }).waitFor();
  assert.equal(await htmlLang(), 'pt');
  await signOut();
  assert.equal(await page.locator('#signin-submit').textContent(), 'Iniciar sessão');

  // 7. The administrator (preference: English) sees the user directory, paged, new user included.
  await signIn('admin', DEMO_PASSWORD);
  await page.locator('#home[data-role="admin"]').waitFor();
  assert.equal(await htmlLang(), 'en');
  await page.locator('#users-table').waitFor();
  await page.locator('#users-table tr[data-username="admin"]').waitFor();
  assert.equal(await page.locator('#users-table tr[data-username="officer.hq"] td').nth(1).textContent(), 'Case officer');
  let found = (await page.locator(`#users-table tr[data-username="${username}"]`).count()) > 0;
  for (let pages = 1; !found && pages < 10; pages++) {
    assert.equal(await page.locator('#users-next').isDisabled(), false, 'the new user is on a later page');
    const before = await page.locator('#users-page').textContent();
    await page.click('#users-next');
    await page.locator('#users-page', { hasNotText: before }).waitFor();
    found = (await page.locator(`#users-table tr[data-username="${username}"]`).count()) > 0;
  }
  assert.ok(found, 'the registered resident is in the directory');
  await page.locator('#create-staff form').waitFor();
  assert.match(await labelOf('staff-role').textContent(), /^Role/);

  // ... and creates a case officer: the center is asked for only once the role needs it, and
  // leaving it out is reported on the center group.
  const officer = `officer.${Date.now().toString(36)}`;
  assert.equal(await page.locator('#staff-centers-one').isVisible(), false);
  await page.selectOption('#staff-role', 'case_officer');
  await page.locator('#staff-centers-one').waitFor();
  assert.equal(await page.locator('#staff-firm').isVisible(), false, 'no firm for a case officer');
  await page.fill('#staff-username', officer);
  await page.fill('#staff-display-name', 'Lei Ka Man 李嘉敏');
  await page.fill('#staff-email', `${officer}@example.org`);
  await page.fill('#staff-password', 'harbour lights at dusk');
  await page.click('#staff-submit');
  await page.locator('#staff-form .error-summary:not([hidden])').waitFor();
  assert.equal(await page.locator('#staff-centers-one input').first().getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#staff-centers-one-error').textContent(), /Required for this role/);
  await page.check('#staff-centers-one input[value="ZHC"]');
  await page.click('#staff-submit');
  await page.locator('#staff-created:not([hidden])', { hasText: officer }).waitFor();
  assert.equal(await page.inputValue('#staff-username'), '', 'the form is cleared for the next account');
  await shot('admin-en');
  await signOut();

  // 8. A wrong password, with the page in Traditional Chinese: the server's message, localized.
  await page.selectOption('#lang-select', 'zh-Hant');
  await waitForLabel('signin-username', '用戶名稱');
  await signIn(username, 'not the right password');
  const alert = page.locator('#signin-form .error-summary[role="alert"]:not([hidden])');
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(), '用戶名稱或密碼錯誤。');
  assert.equal(await page.inputValue('#signin-password'), '', 'the wrong password is cleared');
  assert.equal(new URL(page.url()).pathname, '/sign-in');

  // 9. Signing in by keyboard alone (Enter submits), then out again.
  await page.focus('#signin-username');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signin-password');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.locator('#home[data-role="resident"]').waitFor();
  assert.equal(await htmlLang(), 'pt', 'the stored preference (Portuguese, set in step 6) wins');
  await signOut();

  // The page stayed clean throughout.
  b.clean();
});

test('a phone-sized screen: no horizontal scrolling, and the switcher still works', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${srv.url}/register`);
  await page.locator('#register-form').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await page.selectOption('#lang-select', 'zh-Hans');
  await waitForLabel('register-username', '用户名');
  assert.equal(await htmlLang(), 'zh-Hans');
  await shot('register-phone-zh-Hans');
  b.clean();
});
