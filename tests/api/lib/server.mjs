// server.mjs: start a real qiaod on a free loopback port with a fresh data directory, for the
// API, CLI and browser tests. Every test file starts its own server, so files run in parallel.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const QIAOD = process.env.QIAOD || resolve('build/qiaod');
export const QIAO = process.env.QIAO || resolve('build/qiao');
export const DEMO_PASSWORD = 'qiao-demo-2026';

// Starts qiaod; with seed (the default) the demo data set is loaded first.
// Returns { url, dataDir, proc, stop(), stderr() }.
export async function startServer({ seed = true, args = [], env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'qiao-test-'));
  if (seed) {
    const r = spawnSync(QIAOD, ['seed-demo', '--data-dir', dataDir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`seed-demo failed: ${r.stderr}`);
  }
  return serveDir(dataDir, { args, env, owned: true });
}

// Serves the data directory dataDir on a free loopback port; resolves once it listens. stop()
// sends SIGTERM (or stop('SIGINT'), stop({signal})) and resolves with {code, sig}; a directory the
// server owns (made by startServer) is removed then, unless stop({keep: true}).
export async function serveDir(dataDir, { args = [], env = {}, owned = false } = {}) {
  const proc = spawn(QIAOD, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`qiaod did not start: ${err}`)),
      Number(process.env.QIAO_TEST_START_TIMEOUT || 15000));
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); fail(new Error(`qiaod exited ${code}: ${err}`)); });
  });
  proc.removeAllListeners('exit');
  return {
    url,
    dataDir,
    proc,
    stderr: () => err,
    async stop(how = {}) {
      const { keep = false, signal = 'SIGTERM' } = typeof how === 'string' ? { signal: how } : how;
      let r = { code: proc.exitCode };
      if (proc.exitCode === null) {
        const exited = new Promise((ok) => proc.on('exit', (code, sig) => ok({ code, sig })));
        proc.kill(signal);
        r = await exited;
      }
      if (owned && !keep) rmSync(dataDir, { recursive: true, force: true });
      return r;
    },
  };
}

// A small JSON client: api(srv, 'POST', '/api/v1/auth/login', {body, token, headers, lang}).
export async function api(srv, method, path, { body, token, headers = {}, lang, raw } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (lang) h['Accept-Language'] = lang;
  let payload = raw;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['Content-Type'] = h['Content-Type'] || 'application/json';
  }
  const res = await fetch(srv.url + path, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: res.status, headers: res.headers, json, text };
}

// Signs a demo user in and returns the login reply's JSON ({token, csrf_token, user}).
export async function login(srv, username, password = DEMO_PASSWORD) {
  const r = await api(srv, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  return r.json;
}
