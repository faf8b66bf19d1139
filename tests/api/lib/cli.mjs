// cli.mjs: running build/qiao in tests: a fresh home per user, the command with a clean
// environment (LANG=C unless given), and signing in through the CLI itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QIAO, DEMO_PASSWORD } from './server.mjs';

const dirs = [];

// A fresh home (HOME, XDG_CONFIG_HOME) with a work directory.
export function newHome() {
  const home = mkdtempSync(join(tmpdir(), 'qiao-cli-'));
  dirs.push(home);
  const work = join(home, 'work');
  mkdirSync(work);
  return { home, xdg: join(home, 'xdg'), work };
}

// Removes the homes made so far (call from after()).
export function removeHomes() {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

// Runs qiao in h.work; resolves {status, stdout, stderr}.
export function qiao(h, args, { input = '', env = {} } = {}) {
  const base = { ...process.env };
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE', 'QIAO_SERVER']) delete base[k];
  const e = { ...base, HOME: h.home, XDG_CONFIG_HOME: h.xdg, LANG: 'C', ...env };
  return new Promise((ok, fail) => {
    const p = spawn(QIAO, args, { env: e, cwd: h.work, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', fail);
    p.on('close', (status) => ok({ status, stdout, stderr }));
    p.stdin.on('error', () => {});
    p.stdin.end(input);
  });
}

// Signs user in to srv through `qiao login` in a fresh home; returns the home.
export async function cliSignIn(srv, user, password = DEMO_PASSWORD) {
  const h = newHome();
  const r = await qiao(h, ['--server', srv.url, 'login', user], { input: `${password}\n` });
  assert.equal(r.status, 0, r.stderr);
  return h;
}
