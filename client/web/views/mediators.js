// views/mediators.js: mediators as people the centers rely on: the directory officers and admins
// filter by center (GET /api/v1/mediators), one mediator's profile (GET /api/v1/mediators/{u}) with
// what its reader may change: officers and admins the case types, specialisms, languages,
// capacity and qualifications; the mediator (and they) the weekly hours and dated exceptions; the
// mediator (and admins) the declared relationships, which the server keeps only as keyed
// fingerprints of the names. Also the pieces other views share: the directory index (names for
// usernames) and a mediator's name, load and qualifications as text.

import { t, list } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, busy, nextId } from '../dom.js';
import { label, fmtDay, typeLabel, SUBTYPES, intlLocale } from './casekit.js';
import { centers, centerName } from './directory.js';

export const SPOKEN = ['putonghua', 'cantonese', 'portuguese', 'english', 'other'];
const CASE_TYPES = ['family', 'commercial'];
const JURISDICTIONS = ['mainland', 'macao', 'hong_kong'];
const SUBJECT_KINDS = ['person', 'company', 'firm'];
const RELATIONS = ['family', 'business', 'professional', 'personal', 'other'];
const ID_TYPES = ['mainland_id', 'macao_bir', 'hk_id', 'mainland_travel_permit', 'passport', 'business_registration'];
const DIRECTORY_ROLES = ['case_officer', 'admin', 'mediator'];

// ---- shared pieces -------------------------------------------------------------------------

// The address of a mediator's profile page (usernames have dots: the page is one segment deeper,
// as a last segment with a dot would be a file to the server).
export function profileHref(username) {
  return `/mediators/${encodeURIComponent(username)}/profile`;
}

// The mediators directory as a Map username → entry, fetched once per session (officers, admins
// and mediators may read it); null for roles that may not. forget() after a change.
export async function mediatorIndex(app) {
  if (!DIRECTORY_ROLES.includes(app.user.role)) return null;
  if (!app.cache.mediatorDir) {
    const reply = await api.get('/api/v1/mediators');
    app.cache.mediatorDir = new Map((reply.items || []).map((m) => [m.username, m]));
  }
  return app.cache.mediatorDir;
}

export function forgetMediators(app) {
  app.cache.mediatorDir = null;
}

// A mediator's name for reading: the directory's name with the username beside it, or only the
// username when the reader has no directory (parties).
export function mediatorName(index, username, { link = false } = {}) {
  const m = index && index.get(username);
  const nameText = m && m.name ? m.name : username;
  const nameEl = link ? h('a', { href: profileHref(username), 'data-route': '', class: 'med-name' }, nameText) : h('span', { class: 'med-name' }, nameText);
  return h('span', { class: 'med-ident' }, nameEl, m && m.name ? h('span', { class: 'mono med-user' }, username) : null);
}

// The plain name (for sentences and labels).
export function mediatorPlainName(index, username) {
  const m = index && index.get(username);
  return m && m.name ? m.name : username;
}

// A mediator's load as text: "3 of 10 open cases".
export function loadText(m) {
  if (!m.capacity) return t('web.med.load_none', { open: m.open_cases || 0 });
  return t('web.med.load', { open: m.open_cases || 0, capacity: m.capacity });
}

function todayIso() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A qualification's validity as a tag: valid (until when), expired (since when), not yet valid.
export function validityTag(q) {
  if (q.valid) {
    return h('span', { class: 'tag tag-ok', 'data-valid': 'true' }, q.valid_to ? t('web.med.valid_until', { date: fmtDay(q.valid_to) }) : t('web.med.valid_open'));
  }
  if (q.valid_to && q.valid_to < todayIso()) {
    return h('span', { class: 'tag tag-warn', 'data-valid': 'false' }, t('web.med.expired_on', { date: fmtDay(q.valid_to) }));
  }
  return h('span', { class: 'tag tag-warn', 'data-valid': 'false' }, t('web.med.valid_from', { date: fmtDay(q.valid_from) }));
}

// Qualifications in short: one line each, jurisdiction and validity.
export function qualShort(m) {
  const qs = m.qualifications || [];
  if (!qs.length) return h('span', { class: 'muted' }, t('web.med.no_qualifications'));
  return h(
    'ul',
    { class: 'plain-list qual-short' },
    qs.map((q) => h('li', {}, h('span', {}, label('web.jurisdiction', q.jurisdiction)), ' ', validityTag(q)))
  );
}

export function spokenText(codes) {
  return codes && codes.length ? list(codes.map((x) => label('web.spoken', x))) : t('web.value.not_given');
}

function typesText(codes) {
  return codes && codes.length ? list(codes.map((x) => label('web.case_type_title', x))) : t('web.value.not_given');
}

function subtypesText(codes) {
  return codes && codes.length ? list(codes.map((x) => label('web.subtype', x))) : t('web.med.no_specialism');
}

function dl(rows, cls = 'facts') {
  return h(
    'dl',
    { class: cls },
    rows.filter(Boolean).map(([k, v]) => h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v)))
  );
}

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), children);
}

// The load as a meter with its text (no meter when the capacity is 0).
function loadMeter(m) {
  const text = h('span', { class: 'load-text' }, loadText(m));
  if (!m.capacity) return text;
  const full = m.open_cases >= m.capacity;
  return h(
    'span',
    { class: 'load' },
    h('meter', { min: 0, max: m.capacity, value: Math.min(m.open_cases || 0, m.capacity), high: Math.max(1, m.capacity - 1), optimum: 0, 'aria-hidden': 'true', class: full ? 'full' : null }),
    text
  );
}

// The weekday names Monday..Sunday in the UI language.
function weekdays(style = 'long') {
  const fmt = new Intl.DateTimeFormat(intlLocale(), { weekday: style, timeZone: 'UTC' });
  // 5 January 2026 was a Monday
  return Array.from({ length: 7 }, (_, i) => fmt.format(new Date(Date.UTC(2026, 0, 5 + i))));
}

// Minutes as hours for reading ("5 h", "4.5 h").
function hoursText(minutes) {
  const hrs = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 2 }).format(minutes / 60);
  return t('web.med.hours', { hours: hrs });
}

// Minutes as the text of an hours field ("5", "4.5"): plain ASCII digits, a dot for decimals.
function hoursValue(minutes) {
  return String(Math.round((minutes / 60) * 100) / 100);
}

// The minutes of an hours field's text ("4.5", "4,5", "4:30"), or null when it is not a number.
export function parseHours(text) {
  const v = String(text || '').trim();
  if (v === '') return null;
  let m = /^(\d{1,2}):([0-5]\d)$/.exec(v);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(v);
  if (!m) return null;
  return Math.round(Number(`${m[1]}.${m[2] || 0}`) * 60);
}

// A local (client-side) error next to one field, in the same form as the server's.
function localErrors(form, fields) {
  showErrors(form, { fields, serverMessage: null }, t('web.error.check_fields'));
}

// May the signed-in user change the accreditation side of m (types, languages, capacity,
// qualifications)? Admins, and officers of a center m serves.
function mayManage(app, m) {
  const u = app.user;
  if (u.role === 'admin') return true;
  return u.role === 'case_officer' && (m.centers || []).some((c) => (u.centers || []).includes(c));
}

// ---- the directory -------------------------------------------------------------------------

export async function mediatorsView(app) {
  const role = app.user.role;
  if (role !== 'case_officer' && role !== 'admin') {
    return {
      title: t('web.med.directory_title'),
      node: h('section', { class: 'page narrow' }, h('h1', {}, t('web.med.directory_title')), h('p', {}, t('web.med.directory_not_for_role'))),
    };
  }
  const cs = await centers(app);
  const st = (app.cache.mediatorFilter = app.cache.mediatorFilter || { center: role === 'case_officer' ? (app.user.centers || [])[0] || '' : '' });
  const wrap = h('div', { class: 'table-wrap', id: 'mediators-table-wrap' });
  const status = h('p', { class: 'visually-hidden', role: 'status', id: 'mediators-status' });
  const errorBox = h('div', { class: 'inline-error', role: 'alert', hidden: true, id: 'mediators-error' });

  async function load(announce) {
    wrap.setAttribute('aria-busy', 'true');
    try {
      const q = st.center ? `?center=${encodeURIComponent(st.center)}` : '';
      const reply = await api.get(`/api/v1/mediators${q}`);
      const items = reply.items || [];
      errorBox.hidden = true;
      wrap.replaceChildren(items.length ? directoryTable(items, cs) : h('p', { class: 'muted', id: 'mediators-none' }, t('web.med.none')));
      if (announce) status.textContent = t('web.med.shown', { count: items.length });
    } catch (e) {
      if (app.handleAuthError(e)) return;
      errorBox.textContent = app.errorText(e);
      errorBox.hidden = false;
    } finally {
      wrap.removeAttribute('aria-busy');
    }
  }

  const filter = field({
    id: 'mediators-center',
    name: 'center_filter',
    type: 'select',
    label: t('web.med.filter_center'),
    options: [{ value: '', label: t('web.med.all_centers') }, ...cs.map((c) => ({ value: c.code, label: centerName(c) }))],
    value: st.center,
    required: true,
  });
  const sel = filter.querySelector('select');
  sel.addEventListener('change', () => {
    st.center = sel.value;
    load(true);
  });
  await load(false);
  return {
    title: t('web.med.directory_title'),
    node: h(
      'div',
      { class: 'page mediators-page', id: 'mediators' },
      h('div', { class: 'page-head' }, h('div', { class: 'page-head-text' }, h('h1', {}, t('web.med.directory_title')), h('p', { class: 'lead' }, t('web.med.directory_intro')))),
      h('section', { class: 'card', 'aria-labelledby': 'mediators-list-title' }, h('h2', { id: 'mediators-list-title', class: 'visually-hidden' }, t('web.med.directory_title')), h('div', { class: 'toolbar' }, filter), errorBox, wrap, status)
    ),
  };
}

function directoryTable(items, cs) {
  const cols = ['name', 'centers', 'types', 'languages', 'load', 'qualifications'];
  const centerText = (codes) => list((codes || []).map((code) => {
    const c = cs.find((x) => x.code === code);
    return c ? centerName(c) : code;
  }));
  return h(
    'table',
    { class: 'data-table mediators-table', id: 'mediators-table' },
    h('caption', { class: 'visually-hidden' }, t('web.med.directory_title')),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(`web.med.col_${k}`))))),
    h(
      'tbody',
      {},
      items.map((m) =>
        h(
          'tr',
          { 'data-mediator': m.username },
          h('th', { scope: 'row', 'data-label': t('web.med.col_name') }, h('div', { class: 'cell' }, h('a', { href: profileHref(m.username), 'data-route': '', class: 'med-link' }, m.name || m.username), h('div', { class: 'mono muted med-user' }, m.username))),
          h('td', { 'data-label': t('web.med.col_centers') }, h('div', { class: 'cell' }, centerText(m.centers))),
          h('td', { 'data-label': t('web.med.col_types') }, h('div', { class: 'cell' }, typesText(m.case_types), m.subtypes && m.subtypes.length ? h('div', { class: 'muted small' }, subtypesText(m.subtypes)) : null)),
          h('td', { 'data-label': t('web.med.col_languages') }, h('div', { class: 'cell' }, spokenText(m.spoken))),
          h('td', { 'data-label': t('web.med.col_load') }, h('div', { class: 'cell' }, loadMeter(m))),
          h('td', { 'data-label': t('web.med.col_qualifications') }, h('div', { class: 'cell' }, qualShort(m)))
        )
      )
    )
  );
}

// ---- one mediator's profile ----------------------------------------------------------------

// The mediator's own profile (the "My profile" page).
export async function myProfileView(app) {
  if (app.user.role !== 'mediator') {
    return {
      title: t('web.med.my_profile'),
      node: h('section', { class: 'page narrow' }, h('h1', {}, t('web.med.my_profile')), h('p', {}, t('web.med.profile_not_for_role'))),
    };
  }
  return profilePage(app, app.user.username, true);
}

export async function mediatorProfileView(app, username) {
  const name = decodeURIComponent(username);
  if (app.user.role === 'mediator' && name === app.user.username) return { redirect: '/profile' };
  return profilePage(app, name, false);
}

async function profilePage(app, username, own) {
  const m = await api.get(`/api/v1/mediators/${encodeURIComponent(username)}`);
  const cs = await centers(app);
  const manage = mayManage(app, m);
  const here = own ? '/profile' : profileHref(username);
  // After a change: the page again from what the server now holds, with a notice.
  const done = (key, args) => {
    forgetMediators(app);
    app.flash({ key, args }, 'info');
    return app.navigate(here, { replace: true });
  };
  const centerText = list((m.centers || []).map((code) => {
    const c = cs.find((x) => x.code === code);
    return c ? centerName(c) : code;
  }));
  const back = own
    ? null
    : h('p', { class: 'back' }, h('a', { href: '/mediators', 'data-route': '', id: 'back-link' }, t('web.case.back', { page: t('web.med.directory_title') })));
  const head = h(
    'header',
    { class: 'case-head' },
    back,
    h('p', { class: 'eyebrow' }, t(own ? 'web.med.my_profile' : 'web.med.profile_eyebrow')),
    h('h1', { id: 'profile-name' }, m.name || m.username),
    h('div', { class: 'case-meta' }, h('span', { class: 'meta-item mono', id: 'profile-username' }, m.username), h('span', { class: 'meta-item' }, centerText)),
    own ? h('p', { class: 'lead-small' }, t('web.med.my_profile_intro')) : null
  );

  const overview = section(
    'profile-overview',
    t('web.med.overview'),
    dl([
      [t('web.med.col_types'), typesText(m.case_types)],
      [t('web.med.specialisms'), subtypesText(m.subtypes)],
      [t('web.med.col_languages'), h('span', { id: 'profile-spoken' }, spokenText(m.spoken))],
      [t('web.med.col_load'), h('span', { id: 'profile-load' }, loadMeter(m))],
    ]),
    manage ? profileForm(app, m, done) : null
  );

  const quals = section(
    'profile-qualifications',
    t('web.med.qualifications'),
    qualTable(m),
    manage ? qualForm(app, m, done) : null
  );

  const hours = m.weekly_minutes ? hoursSection(app, m, done) : null;
  const exceptions = m.weekly_minutes ? availabilitySection(app, m) : null;
  const rels = m.relationships ? relationshipsSection(app, m, done, own) : null;

  return {
    title: m.name || m.username,
    node: h(
      'div',
      { class: 'page profile-page', id: 'mediator-profile', 'data-mediator': m.username },
      head,
      h('div', { class: 'columns' }, h('div', { class: 'col-main' }, overview, quals), h('div', { class: 'col-side' }, hours, exceptions)),
      rels
    ),
  };
}

function qualTable(m) {
  const qs = m.qualifications || [];
  if (!qs.length) return h('p', { class: 'muted', id: 'qualifications-none' }, t('web.med.no_qualifications'));
  const cols = ['jurisdiction', 'body', 'number', 'period', 'validity'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data-table qual-table', id: 'qualifications-table' },
      h('caption', { class: 'visually-hidden' }, t('web.med.qualifications')),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(`web.med.qcol_${k}`))))),
      h(
        'tbody',
        {},
        qs.map((q) =>
          h(
            'tr',
            { 'data-valid': q.valid ? 'true' : 'false' },
            h('th', { scope: 'row', 'data-label': t('web.med.qcol_jurisdiction') }, h('div', { class: 'cell' }, label('web.jurisdiction', q.jurisdiction))),
            h('td', { 'data-label': t('web.med.qcol_body') }, h('div', { class: 'cell' }, q.body)),
            h('td', { 'data-label': t('web.med.qcol_number') }, h('div', { class: 'cell mono' }, q.number)),
            h(
              'td',
              { 'data-label': t('web.med.qcol_period') },
              h('div', { class: 'cell' }, q.valid_to ? t('web.med.period', { from: fmtDay(q.valid_from), to: fmtDay(q.valid_to) }) : t('web.med.period_open', { from: fmtDay(q.valid_from) }))
            ),
            h('td', { 'data-label': t('web.med.qcol_validity') }, h('div', { class: 'cell' }, validityTag(q)))
          )
        )
      )
    )
  );
}

// The checked values of a checkbox group.
function checked(group) {
  return [...group.querySelectorAll('input:checked')].map((x) => x.value);
}

function check(group, values) {
  for (const x of group.querySelectorAll('input')) x.checked = (values || []).includes(x.value);
}

// A write whose reply may be an error although the server kept the change (see the report of
// qiaod's PATCH /mediators: a 500 after the write). Sends it; on a server error (5xx) reads the
// profile back and counts the write as done when the profile now holds what was sent.
async function writeProfile(app, m, body, holds) {
  try {
    return await api.patch(`/api/v1/mediators/${encodeURIComponent(m.username)}`, body);
  } catch (e) {
    if (!(e instanceof api.ApiError) || e.status < 500) throw e;
    let fresh = null;
    try {
      fresh = await api.get(`/api/v1/mediators/${encodeURIComponent(m.username)}`);
    } catch {
      throw e;
    }
    if (fresh && holds(fresh)) return fresh;
    throw e;
  }
}

const sameSet = (a, b) => [...(a || [])].sort().join() === [...(b || [])].sort().join();

// Officers and admins: case types, specialisms, languages and capacity.
function profileForm(app, m, done) {
  const form = h('form', { class: 'form sub-form', id: 'profile-form', novalidate: true, 'aria-labelledby': 'profile-form-title' });
  const types = choiceGroup({
    id: 'pf-types',
    name: 'case_types',
    path: 'case_types',
    legend: t('web.med.col_types'),
    type: 'checkbox',
    items: CASE_TYPES.map((x) => ({ value: x, label: label('web.case_type_title', x) })),
  });
  const subs = choiceGroup({
    id: 'pf-subtypes',
    name: 'subtypes',
    path: 'subtypes',
    legend: t('web.med.specialisms'),
    hint: t('web.med.specialisms_hint'),
    type: 'checkbox',
    items: CASE_TYPES.flatMap((ty) => SUBTYPES[ty].map((s) => ({ value: s, label: typeLabel(ty, s) }))),
  });
  const langs = choiceGroup({
    id: 'pf-spoken',
    name: 'spoken',
    path: 'spoken',
    legend: t('web.med.col_languages'),
    type: 'checkbox',
    items: SPOKEN.map((x) => ({ value: x, label: label('web.spoken', x) })),
  });
  const capacity = field({
    id: 'pf-capacity',
    name: 'capacity',
    path: 'capacity',
    type: 'number',
    label: t('web.med.capacity'),
    hint: t('web.med.capacity_hint'),
    value: String(m.capacity ?? 0),
    required: true,
    attrs: { min: 0, max: 500, step: 1, inputmode: 'numeric' },
  });
  check(types, m.case_types);
  check(subs, m.subtypes);
  check(langs, m.spoken);
  for (const g of [types, subs, langs]) g.classList.add('inline-choices');
  const save = h('button', { type: 'submit', class: 'button button-primary', id: 'profile-save' }, t('web.med.save_profile'));
  form.append(
    h('h3', { id: 'profile-form-title' }, t('web.med.edit_profile')),
    errorSummary(),
    types,
    subs,
    langs,
    capacity,
    h('div', { class: 'actions' }, save)
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const capText = capacity.querySelector('input').value.trim();
    const body = { case_types: checked(types), subtypes: checked(subs), spoken: checked(langs) };
    if (!/^\d{1,3}$/.test(capText)) {
      localErrors(form, [{ field: 'capacity', message: t('web.med.capacity_invalid') }]);
      return;
    }
    body.capacity = Number(capText);
    await busy(save, async () => {
      try {
        await writeProfile(app, m, body, (f) => sameSet(f.case_types, body.case_types) && sameSet(f.subtypes, body.subtypes) && sameSet(f.spoken, body.spoken) && f.capacity === body.capacity);
        await done('web.med.profile_saved', { name: m.name || m.username });
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  return form;
}

// Officers and admins: a new qualification.
function qualForm(app, m, done) {
  const form = h('form', { class: 'form sub-form', id: 'qualification-form', novalidate: true, 'aria-labelledby': 'qualification-form-title' });
  const jur = field({
    id: 'qf-jurisdiction',
    name: 'jurisdiction',
    path: 'jurisdiction',
    type: 'select',
    label: t('web.med.qcol_jurisdiction'),
    options: JURISDICTIONS.map((x) => ({ value: x, label: label('web.jurisdiction', x) })),
    required: true,
  });
  const body = field({ id: 'qf-body', name: 'body', path: 'body', label: t('web.med.qcol_body'), hint: t('web.med.body_hint'), required: true, attrs: { maxlength: 64 } });
  const number = field({ id: 'qf-number', name: 'number', path: 'number', label: t('web.med.qcol_number'), required: true, attrs: { maxlength: 32, spellcheck: 'false' } });
  const from = field({ id: 'qf-from', name: 'valid_from', path: 'valid_from', type: 'date', label: t('web.med.valid_from_label'), required: true });
  const to = field({ id: 'qf-to', name: 'valid_to', path: 'valid_to', type: 'date', label: t('web.med.valid_to_label'), hint: t('web.med.valid_to_hint') });
  const add = h('button', { type: 'submit', class: 'button button-secondary', id: 'qualification-add' }, t('web.med.add_qualification'));
  form.append(
    h('h3', { id: 'qualification-form-title' }, t('web.med.add_qualification')),
    errorSummary(),
    h('div', { class: 'form-grid' }, jur, number, body, h('div', {}), from, to),
    h('div', { class: 'actions' }, add)
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = (f) => f.querySelector('input, select').value.trim();
    const payload = { jurisdiction: v(jur), body: v(body), number: v(number), valid_from: v(from) };
    if (v(to)) payload.valid_to = v(to);
    // empty fields are sent so that the server names each one that is required
    await busy(add, async () => {
      try {
        // the reply's profile is not relied upon: the page is read again after the change
        await api.post(`/api/v1/mediators/${encodeURIComponent(m.username)}/qualifications`, payload);
        await done('web.med.qualification_added', { name: m.name || m.username });
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  return form;
}

// Weekly hours: read for everyone who may manage; the form for them too.
function hoursSection(app, m, done) {
  const days = weekdays('long');
  const total = m.weekly_minutes.reduce((a, b) => a + b, 0);
  const form = h('form', { class: 'form', id: 'hours-form', novalidate: true, 'aria-labelledby': 'profile-hours-title' });
  const inputs = days.map((day, i) =>
    field({
      id: `hours-${i}`,
      name: `hours-${i}`,
      path: `weekly_minutes[${i}]`,
      label: day,
      value: hoursValue(m.weekly_minutes[i]),
      required: true,
      attrs: { inputmode: 'decimal', autocomplete: 'off', size: 5, class: 'hours-input', 'aria-describedby': 'hours-unit' },
    })
  );
  for (const f of inputs) {
    f.classList.add('hours-field');
    f.append(h('span', { class: 'unit', 'aria-hidden': 'true' }, t('web.med.hours_unit')));
  }
  const save = h('button', { type: 'submit', class: 'button button-primary', id: 'hours-save' }, t('web.med.save_hours'));
  form.append(
    h('p', { class: 'hint', id: 'hours-unit' }, t('web.med.hours_hint')),
    errorSummary(),
    h('div', { class: 'hours-grid' }, inputs),
    h('p', { class: 'muted', id: 'hours-total' }, t('web.med.hours_total', { total: hoursText(total) })),
    h('div', { class: 'actions' }, save)
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const minutes = [];
    const bad = [];
    inputs.forEach((f, i) => {
      const v = parseHours(f.querySelector('input').value);
      if (v === null || v > 1440) bad.push({ field: `weekly_minutes[${i}]`, message: t('web.med.hours_invalid') });
      minutes.push(v);
    });
    if (bad.length) {
      localErrors(form, bad);
      return;
    }
    await busy(save, async () => {
      try {
        await writeProfile(app, m, { weekly_minutes: minutes }, (f) => JSON.stringify(f.weekly_minutes) === JSON.stringify(minutes));
        await done('web.med.hours_saved', { total: hoursText(minutes.reduce((a, b) => a + b, 0)) });
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  return section('profile-hours', t('web.med.weekly_hours'), form);
}

// Dated exceptions to the weekly hours. The API records them but cannot list them: what was
// saved on this page in this session is shown from the server's replies.
function availabilitySection(app, m) {
  const saved = ((app.cache.availability = app.cache.availability || {})[m.username] = app.cache.availability[m.username] || []);
  const form = h('form', { class: 'form', id: 'availability-form', novalidate: true, 'aria-labelledby': 'profile-availability-title' });
  const date = field({ id: 'av-date', name: 'date', path: 'date', type: 'date', label: t('web.med.exception_date'), required: true });
  const hrs = field({
    id: 'av-hours',
    name: 'hours',
    path: 'minutes',
    label: t('web.med.exception_hours'),
    hint: t('web.med.exception_hours_hint'),
    required: true,
    attrs: { inputmode: 'decimal', autocomplete: 'off' },
  });
  const add = h('button', { type: 'submit', class: 'button button-secondary', id: 'availability-save' }, t('web.med.save_exception'));
  const listBox = h(
    'div',
    { id: 'availability-saved' },
    saved.length
      ? [
          h('h3', {}, t('web.med.exceptions_saved')),
          h(
            'ul',
            { class: 'plain-list' },
            saved.map((x) => h('li', { 'data-date': x.date }, t('web.med.exception_item', { date: fmtDay(x.date, 'full'), hours: hoursText(x.minutes) })))
          ),
        ]
      : null
  );
  form.append(h('p', { class: 'hint' }, t('web.med.exceptions_intro')), errorSummary(), date, hrs, h('div', { class: 'actions' }, add), listBox);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const minutes = parseHours(hrs.querySelector('input').value);
    const day = date.querySelector('input').value.trim();
    if (minutes === null || minutes > 1440) {
      localErrors(form, [{ field: 'minutes', message: t('web.med.hours_invalid') }]);
      return;
    }
    await busy(add, async () => {
      try {
        const reply = await api.post(`/api/v1/mediators/${encodeURIComponent(m.username)}/availability`, { date: day, minutes });
        const i = saved.findIndex((x) => x.date === reply.date);
        if (i >= 0) saved.splice(i, 1);
        saved.push({ date: reply.date, minutes: reply.minutes });
        saved.sort((a, b) => (a.date < b.date ? -1 : 1));
        app.flash({ key: 'web.med.exception_saved', args: { date: fmtDay(reply.date, 'full'), hours: hoursText(reply.minutes) } });
        await app.navigate(location.pathname, { replace: true });
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  return section('profile-availability', t('web.med.exceptions'), form);
}

// Declared relationships: the list (hints only) and, for the mediator and admins, a new one.
function relationshipsSection(app, m, done, own) {
  const rels = m.relationships || [];
  const listNode = rels.length
    ? h(
        'ul',
        { class: 'rel-list', id: 'relationships-list' },
        rels.map((r) =>
          h(
            'li',
            { class: 'rel-item', 'data-relationship': r.id },
            h('span', { class: 'rel-hint', lang: 'zh' }, r.hint || '…'),
            h(
              'span',
              { class: 'rel-facts' },
              t('web.med.rel_item', { kind: label('web.med.subject', r.subject_kind), relation: label('web.med.relation', r.relation) }),
              r.since ? h('span', { class: 'muted' }, ' · ', t('web.med.rel_since', { date: fmtDay(r.since) })) : null
            )
          )
        )
      )
    : h('p', { class: 'muted', id: 'relationships-none' }, t('web.med.rel_none'));

  const form = h('form', { class: 'form sub-form', id: 'relationship-form', novalidate: true, 'aria-labelledby': 'relationship-form-title' });
  const kind = choiceGroup({
    id: 'rel-kind',
    name: 'subject_kind',
    path: 'subject_kind',
    legend: t('web.med.rel_kind'),
    type: 'radio',
    required: true,
    items: SUBJECT_KINDS.map((x) => ({ value: x, label: label('web.med.subject', x) })),
  });
  kind.classList.add('inline-choices');
  kind.querySelector('input').checked = true;
  const relation = field({
    id: 'rel-relation',
    name: 'relation',
    path: 'relation',
    type: 'select',
    label: t('web.med.rel_relation'),
    options: RELATIONS.map((x) => ({ value: x, label: label('web.med.relation', x) })),
    required: true,
  });
  const name = field({ id: 'rel-name', name: 'name', path: 'name', label: t('web.med.rel_name'), hint: t('web.med.rel_name_hint'), required: true, attrs: { maxlength: 200, autocomplete: 'off', spellcheck: 'false' } });
  const idType = field({
    id: 'rel-idtype',
    name: 'id_type',
    path: 'id_document.type',
    type: 'select',
    label: t('web.med.rel_idtype'),
    options: [{ value: '', label: t('web.med.rel_no_id') }, ...ID_TYPES.map((x) => ({ value: x, label: label('web.idtype', x) }))],
  });
  const idNumber = field({ id: 'rel-idnumber', name: 'id_number', path: 'id_document.number', label: t('web.med.rel_idnumber'), attrs: { maxlength: 40, autocomplete: 'off', spellcheck: 'false' } });
  const since = field({ id: 'rel-since', name: 'since', path: 'since', type: 'date', label: t('web.med.rel_since_label') });
  const save = h('button', { type: 'submit', class: 'button button-primary', id: 'relationship-save' }, t('web.med.rel_save'));
  const explainId = nextId('rel-explain');
  form.setAttribute('aria-describedby', explainId);
  form.append(
    h('h3', { id: 'relationship-form-title' }, t('web.med.rel_add')),
    h(
      'div',
      { class: 'explain', id: explainId },
      h('p', {}, t(own ? 'web.med.rel_why_own' : 'web.med.rel_why')),
      h('p', {}, t('web.med.rel_privacy'))
    ),
    errorSummary(),
    kind,
    h('div', { class: 'form-grid' }, relation, name, idType, idNumber, since)
  );
  form.append(h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const val = (f) => f.querySelector('input, select').value.trim();
    const body = { subject_kind: (form.querySelector('input[name="subject_kind"]:checked') || {}).value, relation: val(relation), name: val(name) };
    if (val(idType) || val(idNumber)) body.id_document = { type: val(idType), number: val(idNumber) };
    if (val(since)) body.since = val(since);
    await busy(save, async () => {
      try {
        await api.post(`/api/v1/mediators/${encodeURIComponent(m.username)}/relationships`, body);
        await done('web.med.rel_saved', {});
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  return section('profile-relationships', t('web.med.relationships'), h('p', { class: 'hint' }, t('web.med.rel_intro')), listNode, form);
}

// The profile summary on a mediator's workbench.
export async function profileSummaryCard(app) {
  let m;
  try {
    m = await api.get(`/api/v1/mediators/${encodeURIComponent(app.user.username)}`);
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 404) {
      return section('profile-summary', t('web.med.my_profile'), h('p', { class: 'muted' }, t('web.med.no_profile')));
    }
    throw e;
  }
  const total = (m.weekly_minutes || []).reduce((a, b) => a + b, 0);
  return section(
    'profile-summary',
    t('web.med.my_profile'),
    dl([
      [t('web.med.col_load'), loadMeter(m)],
      [t('web.med.col_languages'), spokenText(m.spoken)],
      [t('web.med.qualifications'), qualShort(m)],
      m.weekly_minutes ? [t('web.med.weekly_hours'), hoursText(total)] : null,
    ]),
    h('p', { class: 'actions' }, h('a', { href: '/profile', 'data-route': '', class: 'button button-secondary', id: 'profile-link' }, t('web.med.open_profile')))
  );
}

