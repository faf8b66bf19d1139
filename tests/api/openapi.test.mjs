// openapi.test.mjs: the served API reference (GET /api/v1/openapi.yaml) cannot silently fall
// behind what is built: every route of server/api/routes.c must appear under `paths` with exactly
// its methods, every documented path must exist, and every error code of server/api/errors.c and
// every field code the server emits must be named in it.
//
// No YAML library is needed: the test reads the `paths` block by indentation (two spaces per
// level, as docs/openapi.yaml is written), which is all it needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, api } from './lib/server.mjs';

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];
let srv, doc;
before(async () => {
  srv = await startServer({ seed: false });
  const r = await api(srv, 'GET', '/api/v1/openapi.yaml');
  assert.equal(r.status, 200);
  doc = r.text;
});
after(async () => { await srv?.stop(); });

// The route table: [{pattern, methods: ['get', …]}] from server/api/routes.c.
function builtRoutes() {
  const c = readFileSync('server/api/routes.c', 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const table = c.slice(c.indexOf('api_routes[]'));
  const routes = [];
  for (const m of table.matchAll(/\{\s*([A-Z_|\s]+?)\s*,\s*"([^"]+)"\s*,/g)) {
    const methods = m[1].split('|').map((s) => s.trim().replace(/^HTTP_/, '').toLowerCase());
    routes.push({ pattern: m[2], methods });
  }
  return routes;
}

// The documented paths: {"/api/v1/…": Set(methods)} from the `paths:` block.
function documentedPaths(yaml) {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^paths:\s*$/.test(l));
  assert.ok(start >= 0, 'a top-level paths: key');
  const paths = {};
  let current = null;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next top-level key
    const p = line.match(/^ {2}(['"]?)(\/[^'":]*)\1:\s*$/);
    if (p) {
      current = p[2];
      assert.ok(!paths[current], `${current} is listed once`);
      paths[current] = new Set();
      continue;
    }
    const m = line.match(/^ {4}([a-z]+):/);
    if (m && current && METHODS.includes(m[1])) paths[current].add(m[1]);
  }
  return paths;
}

test('the reference is OpenAPI 3.1 with the expected top-level parts', () => {
  assert.match(doc, /^openapi: ["']?3\.1\.\d+["']?$/m);
  for (const key of ['info', 'servers', 'paths', 'components']) {
    assert.match(doc, new RegExp(`^${key}:`, 'm'), key);
  }
  for (const part of ['securitySchemes:', 'bearerAuth:', 'cookieAuth:', 'X-CSRF-Token',
    'Accept-Language', 'Error:', 'User:']) {
    assert.ok(doc.includes(part), part);
  }
  assert.doesNotMatch(doc, /\t/, 'no tabs in YAML');
});

test('the route table parses', () => {
  const routes = builtRoutes();
  assert.ok(routes.length >= 12, `${routes.length} routes`);
  for (const r of routes) {
    assert.match(r.pattern, /^\/api\/v1\//);
    for (const m of r.methods) assert.ok(METHODS.includes(m), `${m} of ${r.pattern}`);
  }
});

test('every built route is documented with exactly its methods', () => {
  const documented = documentedPaths(doc);
  const built = {};
  for (const r of builtRoutes()) {
    built[r.pattern] ??= new Set();
    for (const m of r.methods) built[r.pattern].add(m);
  }
  for (const [pattern, methods] of Object.entries(built)) {
    assert.ok(documented[pattern], `${pattern} (server/api/routes.c) is missing from paths`);
    const doc = [...documented[pattern]].filter((m) => m !== 'head').sort();
    assert.deepEqual(doc, [...methods].sort(), `the methods of ${pattern}`);
  }
  for (const pattern of Object.keys(documented)) {
    assert.ok(built[pattern], `${pattern} is documented but not built`);
  }
});

test('every error code of the registry is named in the reference', () => {
  const c = readFileSync('server/api/errors.c', 'utf8');
  const codes = [...c.matchAll(/\{\s*"([a-z0-9_.]+)"\s*,\s*\d{3}\s*\}/g)].map((m) => m[1]);
  assert.ok(codes.length >= 20);
  for (const code of codes) assert.ok(doc.includes(code), `${code} is documented`);
});

test('every field code the server emits is named in the reference', () => {
  // field codes are the catalog's "field.<code>" keys
  const dir = 'i18n/messages';
  const codes = new Set();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.en.json'))) {
    for (const k of Object.keys(JSON.parse(readFileSync(join(dir, f), 'utf8')))) {
      if (k.startsWith('field.')) codes.add(k.slice(6));
    }
  }
  assert.ok(codes.size >= 20);
  for (const code of codes) {
    const re = new RegExp(`(^|[^a-z0-9_.])${code.replace(/\./g, '\\.')}($|[^a-z0-9_])`, 'm');
    assert.match(doc, re, `field code ${code}`);
  }
});
