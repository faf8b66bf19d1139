// i18n.test.mjs: the browser client's message formatter and language negotiation (client/web/i18n.js,
// run in Node: it is a plain ES module), and the web catalogs it formats: the same keys and the
// same arguments in all four languages, and every key the client names present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPattern, langFromTag, negotiate, parse } from '../../client/web/i18n.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGS = ['en', 'zh-Hans', 'zh-Hant', 'pt'];

test('formats {name}, plural with # and =N, select, nesting and quoting', () => {
  const cases = [
    ['en', 'Hello {name}!', { name: '李明' }, 'Hello 李明!'],
    ['en', '{n, plural, one {# user} other {# users}}', { n: 1 }, '1 user'],
    ['en', '{n, plural, one {# user} other {# users}}', { n: 1234 }, '1,234 users'],
    ['en', '{n, plural, =0 {none} one {# user} other {# users}}', { n: 0 }, 'none'],
    ['pt', '{n, plural, one {# utilizador} other {# utilizadores}}', { n: 0 }, '0 utilizadores'],
    ['pt', '{n, plural, one {# utilizador} other {# utilizadores}}', { n: 1 }, '1 utilizador'],
    ['zh-Hant', '{n, plural, other {共 # 位用戶}}', { n: 3 }, '共 3 位用戶'],
    ['en', '{r, select, admin {Admin} other {Someone}} here', { r: 'admin' }, 'Admin here'],
    ['en', '{r, select, admin {Admin} other {Someone}} here', { r: 'mediator' }, 'Someone here'],
    ['en', '{g, select, a {{n, plural, one {# a} other {# as}}} other {z}}', { g: 'a', n: 2 }, '2 as'],
    ['en', "It''s '{literal}' text", {}, "It's {literal} text"],
    ['en', "don't {x}", { x: 'stop' }, "don't stop"],
    ['en', 'Page {n}: {missing}', { n: 2 }, 'Page 2: {missing}'],
    ['en', 'Broken {x', {}, 'Broken {x'],
  ];
  for (const [lang, pattern, args, want] of cases) assert.equal(formatPattern(lang, pattern, args), want, pattern);
});

test('maps browser languages as the server does', () => {
  assert.equal(langFromTag('zh-CN'), 'zh-Hans');
  assert.equal(langFromTag('zh'), 'zh-Hans');
  assert.equal(langFromTag('zh-Hans-MO'), 'zh-Hans', 'a script subtag says more than a region');
  for (const tag of ['zh-TW', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-CN', 'yue']) assert.equal(langFromTag(tag), 'zh-Hant', tag);
  assert.equal(langFromTag('pt-BR'), 'pt');
  assert.equal(langFromTag('pt-PT'), 'pt');
  assert.equal(langFromTag('en-GB'), 'en');
  assert.equal(langFromTag('fr'), null);
  assert.equal(negotiate(['fr-FR', 'de']), 'en');
  assert.equal(negotiate(['fr-FR', 'zh-HK', 'en']), 'zh-Hant');
  assert.equal(negotiate([]), 'en');
});

// The argument names a pattern uses, sorted (plural/select keywords are not arguments).
function argNames(pattern) {
  const names = new Set();
  const walk = (parts) => {
    for (const p of parts) {
      if (typeof p === 'string') {
        assert.ok(!/[{}]/.test(p), `unbalanced or malformed braces in ${JSON.stringify(pattern)}`);
        continue;
      }
      if (p.hash) continue;
      names.add(p.name);
      if (p.options) for (const o of Object.values(p.options)) walk(o);
    }
  };
  walk(parse(pattern));
  return [...names].sort();
}

test('the web catalogs have the same keys and arguments in every language', () => {
  const cats = Object.fromEntries(
    LANGS.map((l) => [l, JSON.parse(readFileSync(join(ROOT, 'i18n', 'messages', `web.${l}.json`), 'utf8'))])
  );
  const keys = Object.keys(cats.en).sort();
  assert.ok(keys.length > 50);
  for (const l of LANGS) {
    assert.deepEqual(Object.keys(cats[l]).sort(), keys, `keys of web.${l}.json`);
    for (const k of keys) {
      assert.ok(k.startsWith('web.'), k);
      assert.equal(typeof cats[l][k], 'string', `${l} ${k}`);
      assert.ok(cats[l][k].trim(), `${l} ${k} is empty`);
      assert.deepEqual(argNames(cats[l][k]), argNames(cats.en[k]), `arguments of ${k} in ${l}`);
    }
  }
});

test('every message key the client names exists', () => {
  const en = JSON.parse(readFileSync(join(ROOT, 'i18n', 'messages', 'web.en.json'), 'utf8'));
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.js')) files.push(join(dir, e.name));
    }
  };
  walk(join(ROOT, 'client', 'web'));
  const missing = [];
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/'(web\.[a-z0-9_.]+)'/g)) {
      const prefix = Object.keys(en).some((k) => k.startsWith(`${m[1]}.`)); // label(prefix, code)
      if (!prefix && !(m[1] in en)) missing.push(`${m[1]} (${f})`);
    }
    // keys built from a prefix and a role: every role has its name
    for (const role of ['resident', 'lawyer', 'mediator', 'case_officer', 'auditor', 'admin']) {
      if (!(`web.role.${role}` in en)) missing.push(`web.role.${role}`);
    }
  }
  assert.deepEqual(missing, []);
});
