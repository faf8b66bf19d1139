// app.js: the browser client's entry point: boot (language, session), the page chrome (skip link,
// header, language switcher, who is signed in), history routing, notices, and the session's life
// (sign-in, sign-out, expiry). Views live in views/*.js and build their own DOM.

import { initialLang, useLang, rememberLang, lang, t, LANGS, ENDONYMS } from './i18n.js';
import * as api from './api.js';
import { h } from './dom.js';
import { signInView, registerView } from './views/auth.js';
import { homeView } from './views/home.js';
import { filingView } from './views/filing.js';
import { caseView } from './views/case.js';
import { invitationView } from './views/invitation.js';
import { deadlinesView } from './views/deadlines.js';
import { assignmentView } from './views/assignment.js';
import { mediatorsView, mediatorProfileView, myProfileView } from './views/mediators.js';
import { inboxView, inboxLink, refreshUnread } from './views/inbox.js';
import { calendarsView } from './views/calendars.js';

const main = document.getElementById('main');

// The application state views read and the actions they call; passed to every view.
export const app = {
  user: null, // the signed-in user (GET /api/v1/me without csrf_token), or null
  cache: {}, // data fetched once per session: centers, firms
  navigate,
  signedIn,
  signOut,
  setLang,
  flash,
  announce,
  handleAuthError,
  errorText,
  rememberNext,
  takeNext,
  pendingNext,
  rerender: () => render('refresh'),
};

// The pages: an exact path or a pattern whose groups are passed to the view as params.
// auth: signed-in only (else sign-in, then back here); anon: signed-out only.
const routes = [
  { name: 'sign-in', path: '/sign-in', anon: true, view: signInView },
  { name: 'register', path: '/register', anon: true, view: registerView },
  { name: 'home', path: '/', auth: true, view: homeView },
  { name: 'file', path: '/cases/new', auth: true, view: filingView },
  { name: 'draft', re: /^\/cases\/(\d+)\/edit(?:\/([a-z_]+))?$/, auth: true, view: filingView },
  { name: 'case', re: /^\/cases\/(\d+)$/, auth: true, view: caseView },
  { name: 'invitation', re: /^\/invitation\/([A-Za-z0-9_-]{1,64})$/, view: invitationView },
  { name: 'deadlines', path: '/deadlines', auth: true, view: deadlinesView },
  { name: 'assignment', re: /^\/cases\/(\d+)\/assignment$/, auth: true, view: assignmentView },
  { name: 'mediators', path: '/mediators', auth: true, view: mediatorsView },
  // usernames have dots, and a last segment with a dot is a file to the server: hence /profile
  { name: 'mediator', re: /^\/mediators\/([A-Za-z0-9._-]{1,64})\/profile$/, auth: true, view: mediatorProfileView },
  { name: 'profile', path: '/profile', auth: true, view: myProfileView },
  { name: 'inbox', path: '/inbox', auth: true, view: inboxView },
  { name: 'calendars', path: '/calendars', auth: true, view: calendarsView },
];

// The route of path and its parameters, or [null, []].
function match(path) {
  for (const r of routes) {
    if (r.path === path) return [r, []];
    const m = r.re && r.re.exec(path);
    if (m) return [r, m.slice(1)];
  }
  return [null, []];
}

// ---- where to go after signing in ------------------------------------------------------------

const NEXT_KEY = 'qiao.next';

// Remembers (for this tab) the page to return to after signing in or registering.
function rememberNext(path) {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) return;
  try {
    sessionStorage.setItem(NEXT_KEY, path);
  } catch {
    /* storage disabled: the user lands on the home page instead */
  }
}

// The remembered page (or null) without forgetting it.
function pendingNext() {
  try {
    const v = sessionStorage.getItem(NEXT_KEY);
    return v && v.startsWith('/') && !v.startsWith('//') ? v : null;
  } catch {
    return null;
  }
}

// The remembered page, forgotten once taken.
function takeNext() {
  const v = pendingNext();
  try {
    sessionStorage.removeItem(NEXT_KEY);
  } catch {
    /* nothing to forget */
  }
  return v;
}

// ---- notices -------------------------------------------------------------------------------

let pendingFlash = null; // shown by the next render, dropped by the one after
let shownFlash = null;

// Shows a notice above the page: {key, args} is translated (and re-translated when the language
// changes), {text} is shown as given (a server message). kind: 'info' | 'error'.
function flash(notice, kind = 'info') {
  pendingFlash = { ...notice, kind };
}

function flashText(n) {
  return n.text || t(n.key, n.args);
}

function drawFlash() {
  const area = document.getElementById('flash-area');
  area.replaceChildren();
  if (!shownFlash) return;
  const text = flashText(shownFlash);
  const box = h(
    'div',
    { class: `notice notice-${shownFlash.kind}`, role: shownFlash.kind === 'error' ? 'alert' : null },
    h('p', {}, text),
    h(
      'button',
      {
        type: 'button',
        class: 'notice-close',
        'aria-label': t('web.action.dismiss'),
        onclick: () => {
          shownFlash = null;
          drawFlash();
          main.focus();
        },
      },
      '×'
    )
  );
  area.append(box);
  if (shownFlash.kind !== 'error') announce(text);
}

// Says text to screen readers through the page's polite live region.
function announce(text) {
  const a = document.getElementById('announcer');
  a.textContent = '';
  // a fresh text node after a tick so the same message twice is still announced
  setTimeout(() => {
    a.textContent = text;
  }, 50);
}

// ---- chrome --------------------------------------------------------------------------------

function renderChrome() {
  document.documentElement.lang = lang();
  document.getElementById('skip-link').textContent = t('web.skip_link');
  document.getElementById('brand-name').textContent = t('web.app.name');
  document.getElementById('brand-tag').textContent = t('web.app.tagline');
  document.getElementById('brand').setAttribute('aria-label', t('web.app.home_link', { app: t('web.app.name') }));
  document.getElementById('lang-label-text').textContent = t('web.lang.label');
  document.getElementById('lang-select').value = lang();
  document.getElementById('footer-text').textContent = t('web.footer.text');
  const bar = document.getElementById('user-bar');
  if (!app.user) {
    bar.hidden = true;
    bar.replaceChildren();
    return;
  }
  const u = app.user;
  const button = h('button', { type: 'button', class: 'button button-quiet', id: 'sign-out' }, t('web.action.sign_out'));
  button.addEventListener('click', () => signOut(button));
  bar.replaceChildren(
    h(
      'p',
      { class: 'who' },
      h('span', { class: 'visually-hidden' }, t('web.header.signed_in_as')),
      h('span', { class: 'who-name', id: 'who-name' }, u.display_name),
      ' ',
      h('span', { class: 'role-badge', id: 'who-role' }, t(`web.role.${u.role}`))
    ),
    inboxLink(u),
    button
  );
  bar.hidden = false;
}

// The signed-in user's main navigation (hidden when the role has a single page).
const NAV = {
  resident: [
    ['/', 'web.nav.my_cases'],
    ['/cases/new', 'web.nav.file_case'],
  ],
  lawyer: [
    ['/', 'web.nav.matters'],
    ['/cases/new', 'web.nav.file_for_client'],
  ],
  case_officer: [
    ['/', 'web.nav.queue'],
    ['/deadlines', 'web.nav.deadlines'],
    ['/mediators', 'web.nav.mediators'],
    ['/calendars', 'web.nav.calendars'],
  ],
  mediator: [
    ['/', 'web.nav.workbench'],
    ['/profile', 'web.nav.my_profile'],
  ],
  admin: [
    ['/', 'web.nav.admin_home'],
    ['/mediators', 'web.nav.mediators'],
    ['/calendars', 'web.nav.calendars'],
  ],
};

function renderNav() {
  const nav = document.getElementById('main-nav');
  const items = (app.user && NAV[app.user.role]) || [];
  nav.hidden = items.length < 2;
  nav.setAttribute('aria-label', t('web.nav.label'));
  const here = location.pathname.replace(/\/+$/, '') || '/';
  const current = (p) => here === p || (p === '/cases/new' && /^\/cases\/\d+\/edit/.test(here)) || (p === '/mediators' && here.startsWith('/mediators/'));
  nav.replaceChildren(
    h(
      'ul',
      {},
      items.map(([path, key]) =>
        h('li', {}, h('a', { href: path, 'data-route': '', 'aria-current': current(path) ? 'page' : null }, t(key)))
      )
    )
  );
}

// ---- routing -------------------------------------------------------------------------------

let renderSeq = 0;

function notFoundView() {
  return {
    title: t('web.notfound.title'),
    node: h(
      'section',
      { class: 'page narrow' },
      h('h1', {}, t('web.notfound.title')),
      h('p', {}, t('web.notfound.body')),
      h('p', {}, h('a', { href: '/', 'data-route': '' }, t('web.notfound.home')))
    ),
  };
}

function snapshotInputs() {
  const snap = [];
  for (const el of main.querySelectorAll('input[id], select[id], textarea[id]')) {
    if (el.type === 'password' && !el.value) continue;
    // a language field left as it was follows the UI language (the view sets it anew)
    if (el.dataset.followLang !== undefined && el.value === el.dataset.followLang) continue;
    snap.push([el.id, el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value]);
  }
  return snap;
}

function restoreInputs(snap) {
  for (const [id, v] of snap) {
    const el = document.getElementById(id);
    if (!el || !main.contains(el)) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = v;
    else el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

// Renders the view of the current address. mode: 'initial' (page load), 'navigate' (focus moves
// to the new page's heading), 'relang' / 'refresh' (same page again; typed input is kept).
async function render(mode = 'navigate') {
  const seq = ++renderSeq;
  let path = location.pathname.replace(/\/+$/, '') || '/';
  let [route, params] = match(path);
  if (route && route.auth && !app.user) {
    if (path !== '/') rememberNext(path + location.search);
    path = '/sign-in';
    history.replaceState(null, '', path);
    [route, params] = match(path);
  } else if (route && route.anon && app.user) {
    path = '/';
    history.replaceState(null, '', path);
    [route, params] = match(path);
  }
  if (mode !== 'relang' && mode !== 'refresh') {
    shownFlash = pendingFlash;
    pendingFlash = null;
  }
  renderChrome();
  renderNav();
  drawFlash();
  const keep = mode === 'relang' || mode === 'refresh' ? snapshotInputs() : null;
  const hadFocus = keep && document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : null;
  let result;
  try {
    result = route ? await route.view(app, ...params) : notFoundView();
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e instanceof api.ApiError && handleAuthError(e)) return;
    result = {
      title: t('web.error.title'),
      node: h(
        'section',
        { class: 'page narrow' },
        h('h1', {}, t('web.error.title')),
        h('p', { role: 'alert' }, errorText(e)),
        h('p', {}, h('a', { href: location.pathname, 'data-route': '' }, t('web.action.retry')))
      ),
    };
  }
  if (seq !== renderSeq) return; // a newer render won
  if (result.redirect) {
    // the view found the page elsewhere (e.g. a draft's next step): go there instead
    history.replaceState(null, '', result.redirect);
    if (mode !== 'relang' && mode !== 'refresh') pendingFlash = shownFlash; // still to be shown
    return render(mode);
  }
  main.replaceChildren(result.node);
  document.title = t('web.title', { page: result.title, app: t('web.app.name') });
  if (keep) restoreInputs(keep);
  if (hadFocus && document.getElementById(hadFocus)) document.getElementById(hadFocus).focus();
  if (mode === 'navigate') {
    const h1 = main.querySelector('h1');
    if (h1) {
      h1.tabIndex = -1;
      h1.focus();
    }
  }
  document.body.dataset.view = route ? route.name : 'notfound';
  if (app.user && (!route || route.name !== 'inbox')) refreshUnread(app);
  if (result.after) result.after();
  main.dispatchEvent(new CustomEvent('qiao:rendered', { bubbles: true }));
}

// The message of an error for the page: the server's (already in the UI language), else ours.
export function errorText(e) {
  if (e instanceof api.ApiError) {
    if (e.status === 0) return t('web.error.network');
    if (e.serverMessage) return e.serverMessage;
  }
  return t('web.error.generic');
}

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return render('navigate');
}

// ---- session -------------------------------------------------------------------------------

// Takes a signed-in user (from login or GET /me) and its CSRF token; the user's stored language
// becomes the UI language (and is remembered on this device).
async function signedIn(user, csrf) {
  const { csrf_token: _ignored, ...u } = user;
  app.user = u;
  app.cache = {};
  api.setCsrf(csrf);
  if (LANGS.includes(u.language) && u.language !== lang()) await useLang(u.language);
  rememberLang(lang());
}

async function signOut(button) {
  if (button) button.disabled = true;
  try {
    await api.post('/api/v1/auth/logout');
  } catch (e) {
    // a session that has already ended is as good as signed out; anything else is reported
    if (!(e instanceof api.ApiError) || e.status !== 401) {
      if (button) button.disabled = false;
      flash({ text: errorText(e) }, 'error');
      shownFlash = pendingFlash;
      pendingFlash = null;
      drawFlash();
      return;
    }
  }
  app.user = null;
  app.cache = {};
  api.setCsrf(null);
  flash({ key: 'web.signout.done' });
  await navigate('/sign-in');
}

// A 401 while signed in means the session ended (expired, or signed out elsewhere): go back to
// sign-in and say so. Returns true when it handled e.
function handleAuthError(e) {
  if (!(e instanceof api.ApiError) || e.status !== 401 || !app.user) return false;
  const here = location.pathname;
  if (here !== '/' && here !== '/sign-in') rememberNext(here + location.search);
  app.user = null;
  app.cache = {};
  api.setCsrf(null);
  flash({ key: 'web.session.expired' }, 'error');
  navigate('/sign-in', { replace: true });
  return true;
}

// Switches the UI language: remembered on this device and, when signed in, stored as the user's
// preference (PATCH /api/v1/me).
async function setLang(l) {
  if (!LANGS.includes(l)) return;
  try {
    await useLang(l);
  } catch (e) {
    flash({ key: 'web.error.network' }, 'error');
    render('refresh');
    return;
  }
  rememberLang(l);
  if (app.user && app.user.language !== l) {
    try {
      app.user = await api.patch('/api/v1/me', { language: l });
    } catch (e) {
      if (handleAuthError(e)) return;
      flash({ text: errorText(e) }, 'error');
    }
  }
  await render('relang');
  announce(t('web.lang.changed', { language: ENDONYMS[l] }));
}

// ---- boot ----------------------------------------------------------------------------------

document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a[data-route]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  ev.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => render('navigate'));

async function boot() {
  try {
    await useLang(initialLang());
  } catch {
    try {
      await useLang('en');
    } catch {
      document.getElementById('boot-status').textContent =
        'The server cannot be reached. Reload the page to try again. 無法連線到伺服器。无法连接服务器。';
      return;
    }
  }
  try {
    const me = await api.get('/api/v1/me');
    await signedIn(me, me.csrf_token);
  } catch (e) {
    if (!(e instanceof api.ApiError) || e.status !== 401) flash({ text: errorText(e) }, 'error');
  }
  const select = document.getElementById('lang-select');
  select.addEventListener('change', () => setLang(select.value));
  await render('initial');
  document.body.classList.add('ready');
}

boot();
