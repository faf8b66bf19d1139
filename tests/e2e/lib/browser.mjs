// browser.mjs: what a browser suite needs around its scenario: a qiaod with the demo data, one
// headless Chromium page that records console errors, page errors, CSP violations and failed
// requests, signing in and out, screenshots (QIAO_E2E_SCREENSHOTS) with the check that nothing
// scrolls sideways on a phone, and the final "nothing went wrong but what was provoked".
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, DEMO_PASSWORD } from '../../api/lib/server.mjs';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  throw new Error('playwright-core is not installed: run `npm ci` (or `npm install`) in tests/e2e first');
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.QIAO_E2E_SCREENSHOTS;

// Starts the server and the browser. expectedFailures: regular expressions of "METHOD path
// status" the scenario provokes on purpose; permissions: granted to the server's origin
// (e.g. clipboard-read). Returns the session: {srv, context, page, signIn, signOut, shots, clean,
// reset, close}.
export async function openBrowser({ expectedFailures = [], locale = 'en-US', permissions = [], acceptDownloads = false } = {}) {
  const srv = await startServer();
  const profile = mkdtempSync(join(tmpdir(), 'qiao-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    locale,
    viewport: { width: 1280, height: 900 },
    acceptDownloads,
  });
  if (permissions.length) await context.grantPermissions(permissions, { origin: srv.url });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
  const problems = [];
  const failedRequests = [];
  await page.exposeFunction('__qiaoCspViolation', (what) => problems.push(`CSP violation: ${what}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__qiaoCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failedRequests.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/^Failed to load resource: the server responded with a status of \d+/.test(text)) return;
    problems.push(`console error: ${text}`);
  });
  const allowed = [/^GET \/api\/v1\/me 401$/, ...expectedFailures];

  const s = {
    srv,
    context,
    page,
    // each step answers for its own requests and messages
    reset() {
      failedRequests.length = 0;
      problems.length = 0;
    },
    clean() {
      const unexpected = failedRequests.filter((f) => !allowed.some((re) => re.test(f)));
      assert.deepEqual(unexpected, [], 'no request failed but the provoked ones');
      assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
    },
    async signIn(username, password = DEMO_PASSWORD) {
      if (!(await page.locator('body.ready').count())) {
        await page.goto(`${srv.url}/`);
        await page.locator('body.ready').waitFor();
      }
      if (await page.locator('#sign-out').count()) await s.signOut();
      await page.locator('#signin-form').waitFor();
      await page.fill('#signin-username', username);
      await page.fill('#signin-password', password);
      await page.click('#signin-submit');
      await page.locator('#sign-out').waitFor();
    },
    async signOut() {
      await page.click('#sign-out');
      await page.locator('#signin-form').waitFor();
    },
    // A full-page screenshot at desktop size and at 375 px (when QIAO_E2E_SCREENSHOTS is set), and
    // the check that nothing scrolls sideways at 360 and 375 px.
    async shots(name) {
      const size = page.viewportSize();
      const overflowAt = async (width) => {
        await page.setViewportSize({ width, height: 812 });
        await page.waitForTimeout(50);
        return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      };
      const overflow = Math.max(await overflowAt(360), await overflowAt(375));
      if (SHOTS && existsSync(SHOTS)) await page.screenshot({ path: join(SHOTS, `${name}-375.png`), fullPage: true });
      await page.setViewportSize(size);
      if (SHOTS && existsSync(SHOTS)) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than a 360 or 375 px screen`);
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      await srv.stop();
    },
  };
  return s;
}
