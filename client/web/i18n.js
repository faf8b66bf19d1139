// i18n.js: the UI language (choice, negotiation, memory) and a small ICU MessageFormat formatter
// over the catalogs qiaod serves at /api/v1/i18n/{lang}. The formatter understands the same
// subset as the server's (i18n/catalog.c): {name}, {name, number}, {name, date|time, style},
// {name, plural, =N {…} one {…} other {…}} with #, {name, select, a {…} other {…}}, and ICU
// apostrophe quoting ('' is an apostrophe; '{…}' is literal text).

export const LANGS = ['zh-Hans', 'zh-Hant', 'en', 'pt'];

// Each language named in itself, for the switcher and the language fields.
export const ENDONYMS = {
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
  en: 'English',
  pt: 'Português',
};

// The locales handed to Intl: the script plus the region this system serves.
const INTL_LOCALE = { 'zh-Hans': 'zh-Hans-CN', 'zh-Hant': 'zh-Hant-MO', en: 'en', pt: 'pt-MO' };
// Plural rules: Macao Portuguese follows European Portuguese (0 is "other"), which Intl gives only
// for pt-PT (pt-MO falls back to the Brazilian rule there).
const PLURAL_LOCALE = { ...INTL_LOCALE, pt: 'pt-PT' };

const STORE_KEY = 'qiao.lang';

// Maps one BCP 47 tag to a catalog language as the server does (i18n/locale.c): zh-CN → zh-Hans,
// zh-TW/HK/MO, zh-Hant, yue → zh-Hant, pt-* → pt, en-* → en; null for anything else. A script
// subtag wins over a region (zh-Hans-MO is Simplified Chinese as used in Macao).
export function langFromTag(tag) {
  if (typeof tag !== 'string' || !tag) return null;
  const [primary, ...subs] = tag.toLowerCase().split(/[-_]/);
  if (primary === 'en') return 'en';
  if (primary === 'pt') return 'pt';
  if (primary === 'yue') return 'zh-Hant';
  if (primary === 'zh') {
    if (subs.includes('hans')) return 'zh-Hans';
    return subs.some((s) => ['hant', 'tw', 'hk', 'mo', 'yue'].includes(s)) ? 'zh-Hant' : 'zh-Hans';
  }
  return null;
}

// The first of the browser's languages that maps to a catalog, else English.
export function negotiate(tags) {
  for (const t of tags || []) {
    const l = langFromTag(t);
    if (l) return l;
  }
  return 'en';
}

// The language remembered on this device, or null (storage may be unavailable).
export function rememberedLang() {
  try {
    const v = localStorage.getItem(STORE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null;
  }
}

export function rememberLang(lang) {
  try {
    localStorage.setItem(STORE_KEY, lang);
  } catch {
    /* private mode or storage disabled: the choice lasts for this page only */
  }
}

// The language to start in: the remembered choice, else the browser's.
export function initialLang() {
  return rememberedLang() || negotiate(navigator.languages || [navigator.language]);
}

// ---- the formatter -------------------------------------------------------------------------

// Parses an ICU MessageFormat pattern into a list of parts: strings, '#' markers (inside plural)
// and argument nodes {name, type, style, options}. Throws nothing: malformed text is kept
// literally so a broken translation stays visible instead of breaking the page.
export function parse(src) {
  let i = 0;
  function parseParts(inPlural, stopAtBrace) {
    const out = [];
    let text = '';
    const flush = () => {
      if (text) out.push(text);
      text = '';
    };
    while (i < src.length) {
      const c = src[i];
      if (c === "'") {
        if (src[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (src[i + 1] === '{' || src[i + 1] === '}' || (src[i + 1] === '#' && inPlural)) {
          const end = src.indexOf("'", i + 1);
          text += src.slice(i + 1, end < 0 ? src.length : end);
          i = end < 0 ? src.length : end + 1;
        } else {
          text += c;
          i++;
        }
      } else if (c === '{') {
        flush();
        out.push(parseArg());
      } else if (c === '}' && stopAtBrace) {
        break;
      } else if (c === '#' && inPlural) {
        flush();
        out.push({ hash: true });
        i++;
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return out;
  }
  function skipWs() {
    while (i < src.length && /\s/.test(src[i])) i++;
  }
  function word() {
    skipWs();
    const start = i;
    while (i < src.length && !/[\s,{}]/.test(src[i])) i++;
    return src.slice(start, i);
  }
  function parseArg() {
    const start = i;
    i++; // '{'
    const name = word();
    skipWs();
    if (src[i] === '}') {
      i++;
      return { name };
    }
    if (src[i] !== ',') return literalFrom(start);
    i++;
    const type = word();
    skipWs();
    if (src[i] === '}') {
      i++;
      return { name, type };
    }
    if (src[i] !== ',') return literalFrom(start);
    i++;
    if (type === 'plural' || type === 'select' || type === 'selectordinal') {
      const options = {};
      let offset = 0;
      for (;;) {
        skipWs();
        if (i >= src.length) return literalFrom(start);
        if (src[i] === '}') {
          i++;
          break;
        }
        const key = word();
        if (key.startsWith('offset:')) {
          offset = Number(key.slice(7)) || 0;
          continue;
        }
        skipWs();
        if (src[i] !== '{' || !key) return literalFrom(start);
        i++;
        options[key] = parseParts(type !== 'select', true);
        if (src[i] !== '}') return literalFrom(start);
        i++;
      }
      return { name, type, options, offset };
    }
    skipWs();
    const styleStart = i;
    while (i < src.length && src[i] !== '}') i++;
    const style = src.slice(styleStart, i).trim();
    i++;
    return { name, type, style };
  }
  // An argument that does not parse: keep its text as written.
  function literalFrom(start) {
    let depth = 0;
    let j = start;
    for (; j < src.length; j++) {
      if (src[j] === '{') depth++;
      else if (src[j] === '}' && --depth === 0) break;
    }
    i = Math.min(j + 1, src.length);
    return src.slice(start, i);
  }
  return parseParts(false, false);
}

const pluralRules = new Map();
function pluralCategory(lang, n, ordinal) {
  const k = `${lang}/${ordinal ? 'o' : 'c'}`;
  if (!pluralRules.has(k)) {
    pluralRules.set(k, new Intl.PluralRules(PLURAL_LOCALE[lang] || lang, { type: ordinal ? 'ordinal' : 'cardinal' }));
  }
  return pluralRules.get(k).select(n);
}

function formatNumber(lang, n) {
  return typeof n === 'number' ? new Intl.NumberFormat(INTL_LOCALE[lang] || lang).format(n) : String(n);
}

function formatDate(lang, v, type, style) {
  const d = v instanceof Date ? v : new Date(typeof v === 'number' ? v * 1000 : v);
  if (Number.isNaN(d.getTime())) return String(v);
  const s = ['short', 'medium', 'long', 'full'].includes(style) ? style : 'medium';
  const opts = type === 'time' ? { timeStyle: s } : { dateStyle: s };
  return new Intl.DateTimeFormat(INTL_LOCALE[lang] || lang, opts).format(d);
}

function render(parts, lang, args, hashValue) {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      out += p;
    } else if (p.hash) {
      out += hashValue === undefined ? '#' : formatNumber(lang, hashValue);
    } else if (!(p.name in args)) {
      out += `{${p.name}}`;
    } else {
      const v = args[p.name];
      if (!p.type) {
        out += typeof v === 'number' ? formatNumber(lang, v) : String(v);
      } else if (p.type === 'number') {
        out += formatNumber(lang, Number(v));
      } else if (p.type === 'date' || p.type === 'time') {
        out += formatDate(lang, v, p.type, p.style);
      } else if (p.type === 'plural' || p.type === 'selectordinal') {
        const n = Number(v);
        const exact = p.options[`=${n}`];
        const cat = pluralCategory(lang, n - p.offset, p.type === 'selectordinal');
        const chosen = exact || p.options[cat] || p.options.other || [];
        out += render(chosen, lang, args, n - p.offset);
      } else if (p.type === 'select') {
        out += render(p.options[String(v)] || p.options.other || [], lang, args, hashValue);
      } else {
        out += String(v);
      }
    }
  }
  return out;
}

const parsed = new Map();

// Formats an ICU pattern in lang with args (an object name → value).
export function formatPattern(lang, pattern, args = {}) {
  let ast = parsed.get(pattern);
  if (!ast) {
    ast = parse(pattern);
    parsed.set(pattern, ast);
  }
  return render(ast, lang, args, undefined);
}

// ---- the active catalog --------------------------------------------------------------------

let current = { lang: 'en', catalog: {} };
const cache = new Map();

// Fetches (once per language) the catalog of lang from the server.
export async function loadCatalog(lang) {
  if (!cache.has(lang)) {
    const res = await fetch(`/api/v1/i18n/${encodeURIComponent(lang)}`, {
      headers: { Accept: 'application/json', 'Accept-Language': lang },
      credentials: 'same-origin',
    });
    if (!res.ok) throw new Error(`catalog ${lang}: HTTP ${res.status}`);
    cache.set(lang, await res.json());
  }
  return cache.get(lang);
}

// Makes lang the UI language: loads its catalog and sets <html lang>.
export async function useLang(lang) {
  const l = LANGS.includes(lang) ? lang : 'en';
  const catalog = await loadCatalog(l);
  current = { lang: l, catalog };
  document.documentElement.lang = l;
  return l;
}

export function lang() {
  return current.lang;
}

// The message key formatted in the UI language; an unknown key shows as itself, never breaks.
export function t(key, args) {
  const pattern = current.catalog[key];
  if (typeof pattern !== 'string') return key;
  return formatPattern(current.lang, pattern, args);
}

// Is there a message for key (to pick a specific text with a general fallback)?
export function has(key) {
  return typeof current.catalog[key] === 'string';
}

// A list joined the way the UI language joins lists ("A, B and C", "A、B和C").
export function list(items) {
  try {
    return new Intl.ListFormat(INTL_LOCALE[current.lang], { type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}
