// views/filing.js: the guided filing of a case, in steps: center and type → the applicant → the
// other side → what happened and what is asked → evidence → consent → review and submit.
//
// The draft lives on the server: the first step creates it (POST /api/v1/cases, submit false),
// every later save PATCHes what changed with the draft's version, so a reload or another device
// continues from the server's draft (/cases/{id}/edit/{step}; drafts are listed by GET
// /api/v1/cases?status=draft). Saves happen on each step change, on "Save draft", and shortly
// after a field is left. Every error the server reports is shown next to its field (its path,
// e.g. applicants[0].id_document.number, names the input) and in a summary; errors that belong
// to another step link there.

import { t, LANGS, ENDONYMS } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, busy } from '../dom.js';
import { centers, centerName } from './directory.js';
import { label, placeName, SUBTYPES, typeLabel, previewAmount, converted, convBlock, fmtTime, statusBadge } from './casekit.js';
import { documentsTable, uploadForm } from './documents.js';

const STEPS = ['center', 'applicant', 'respondents', 'story', 'evidence', 'consent', 'review'];
// The top-level fields of the filing each step edits (what a save of that step may send).
const STEP_KEYS = {
  center: ['center', 'type', 'subtype'],
  applicant: ['applicants'],
  respondents: ['respondents'],
  story: ['title', 'summary', 'request', 'claims'],
  evidence: [],
  consent: ['consent'],
  review: [],
};
const ALL_KEYS = ['center', 'type', 'subtype', 'title', 'summary', 'request', 'applicants', 'respondents', 'claims', 'consent'];
const ID_TYPES = ['mainland_id', 'macao_bir', 'hk_id', 'mainland_travel_permit', 'passport', 'business_registration'];
const RESIDENCES = ['zhuhai', 'mainland', 'macao', 'hong_kong', 'elsewhere'];
const SPOKEN = ['putonghua', 'cantonese', 'portuguese', 'english', 'other'];
const CURRENCIES = ['CNY', 'MOP', 'HKD'];
const CHANNELS = ['email', 'sms', 'inbox'];
const MAX_PARTIES = 10;
const MAX_CLAIMS = 20;
const MAX_ADDRESSES = 5;
const AUTOSAVE_MS = 800;

// The filing being edited in this tab (kept across steps and re-renders):
// {id, version, data, saved: {key: JSON of the value as last saved}, idem, withheld, errors,
//  status: {kind: 'idle'|'saving'|'saved'|'error'|'conflict', at}, queue: Promise}
let session = null;

// ---- the filing as data ----------------------------------------------------------------------

function emptyParty(extra = {}) {
  return { kind: 'person', name: '', name_latin: '', id_document: null, phone: '', email: '', address: '', residence: '', language: '', spoken: [], lawyer: '', ...extra };
}

// A party of the server's case view as the filing flow edits it. withheld: the server did not
// return its identity and contact details (the other side's, to its filer).
function partyIn(p) {
  return {
    kind: p.kind || 'person',
    name: p.name || '',
    name_latin: p.name_latin || '',
    id_document: p.id_document ? { type: p.id_document.type || '', number: p.id_document.number || '' } : null,
    phone: p.phone || '',
    email: p.email || '',
    address: p.address || '',
    residence: p.residence || '',
    language: p.language || '',
    spoken: [...(p.spoken || [])],
    lawyer: p.lawyer || '',
    withheld: !('id_document' in p),
  };
}

function fromServer(c) {
  return {
    center: c.center || '',
    type: c.type || '',
    subtype: c.subtype || '',
    title: c.title || '',
    summary: c.summary || '',
    request: c.request || '',
    applicants: (c.applicants || []).map(partyIn),
    respondents: (c.respondents || []).map(partyIn),
    claims: (c.claims || []).map((cl) => ({
      description: cl.description || '',
      value: cl.amount ? cl.amount.value : '',
      currency: cl.amount ? cl.amount.currency : '',
    })),
    consent: {
      mediation: !!(c.consent && c.consent.mediation),
      electronic_service: !!(c.consent && c.consent.electronic_service),
      addresses: ((c.consent && c.consent.addresses) || []).map((a) => ({ channel: a.channel, value: a.value || '' })),
    },
  };
}

const trim = (v) => (typeof v === 'string' ? v.trim() : v);

function partyBody(p) {
  const o = { kind: p.kind || 'person' };
  for (const k of ['name', 'name_latin', 'phone', 'email', 'address', 'residence', 'language', 'lawyer']) {
    const v = trim(p[k]);
    if (v) o[k] = v;
  }
  const num = p.id_document && trim(p.id_document.number);
  if (num) {
    o.id_document = { number: num };
    if (p.id_document.type) o.id_document.type = p.id_document.type;
  }
  if (p.spoken && p.spoken.length) o.spoken = [...p.spoken];
  return o;
}

const partyIsBlank = (p) => Object.keys(partyBody(p)).length === 1 && !p.withheld;

// The request body's value of top-level field key.
function bodyValue(data, key) {
  switch (key) {
    case 'applicants':
      return data.applicants.filter((p, i) => i === 0 || !partyIsBlank(p)).map(partyBody);
    case 'respondents':
      return data.respondents.filter((p) => !partyIsBlank(p)).map(partyBody);
    case 'claims':
      return data.claims
        .map((c) => {
          const o = {};
          if (trim(c.description)) o.description = trim(c.description);
          if (trim(c.value)) o.amount = { value: trim(c.value), currency: c.currency };
          return o;
        })
        .filter((o) => Object.keys(o).length);
    case 'consent':
      return {
        mediation: !!data.consent.mediation,
        electronic_service: !!data.consent.electronic_service,
        addresses: data.consent.electronic_service
          ? data.consent.addresses.filter((a) => trim(a.value)).map((a) => ({ channel: a.channel, value: trim(a.value) }))
          : [],
      };
    default:
      return trim(data[key]) || undefined;
  }
}

// Marks every field as saved as it stands in data.
function markSaved(data, keys = ALL_KEYS) {
  for (const k of keys) session.saved[k] = JSON.stringify(bodyValue(data, k) ?? null);
}

function dirtyKeys() {
  return ALL_KEYS.filter((k) => JSON.stringify(bodyValue(session.data, k) ?? null) !== session.saved[k]);
}

function newSession(app) {
  session = {
    id: null,
    version: 0,
    data: {
      center: '',
      type: '',
      subtype: '',
      title: '',
      summary: '',
      request: '',
      applicants: [emptyParty()],
      respondents: [emptyParty()],
      claims: [{ description: '', value: '', currency: '' }],
      consent: { mediation: false, electronic_service: false, addresses: [] },
    },
    saved: {},
    idem: api.idempotencyKey(),
    withheld: false,
    errors: null,
    status: { kind: 'idle' },
    queue: Promise.resolve(),
    userId: app.user.id,
  };
  markSaved(session.data);
  fillDefaults(app); // suggestions count as changes: they are saved with the step
}

function sessionFromCase(app, c) {
  session = {
    id: c.id,
    version: c.version,
    data: fromServer(c),
    saved: {},
    idem: null,
    withheld: (c.respondents || []).some((p) => !('id_document' in p)),
    errors: null,
    status: { kind: 'saved', at: c.updated_at },
    queue: Promise.resolve(),
    userId: app.user.id,
  };
  markSaved(session.data);
  fillDefaults(app);
}

// Gaps filled for the user's convenience (not saved until they go on): a resident's own contact
// details, at least one empty row where rows are expected, the currency of the center's place.
function fillDefaults(app) {
  const d = session.data;
  if (!d.applicants.length) d.applicants.push(emptyParty());
  if (!d.respondents.length) d.respondents.push(emptyParty());
  if (!d.claims.length) d.claims.push({ description: '', value: '', currency: '' });
  const a = d.applicants[0];
  if (app.user.role === 'resident' && !a.name && !a.email && !a.phone) {
    a.name = app.user.display_name || '';
    a.email = app.user.email || '';
    a.phone = app.user.phone || '';
    a.language = a.language || app.user.language || '';
  }
}

function defaultCurrency(centerList) {
  const ce = centerList.find((x) => x.code === session.data.center);
  return { macao: 'MOP', hong_kong: 'HKD' }[ce && ce.jurisdiction] || 'CNY';
}

// ---- saving --------------------------------------------------------------------------------

let ui = null; // the current step's {form, statusEl, step, app, collect}

function setStatus(kind) {
  session.status = { kind, at: kind === 'saved' ? Math.floor(Date.now() / 1000) : session.status.at };
  drawStatus();
}

function drawStatus() {
  if (!ui || !ui.statusEl) return;
  const s = session.status;
  const el = ui.statusEl;
  el.dataset.state = s.kind;
  if (!session.id) el.textContent = t('web.filing.status_new');
  else if (s.kind === 'saving') el.textContent = t('web.filing.status_saving');
  else if (s.kind === 'error') el.textContent = t('web.filing.status_error');
  else if (s.kind === 'conflict') el.textContent = t('web.filing.status_conflict');
  else el.textContent = s.at ? t('web.filing.status_saved', { time: fmtTime(s.at) }) : t('web.filing.status_saved_plain');
}

// The longest prefix of path that names an element of form ("a[0].spoken[1]" → "a[0].spoken").
function placePath(form, path) {
  let p = String(path);
  for (;;) {
    if (form.querySelector(`[data-path="${CSS.escape(p)}"]`)) return p;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return null;
    p = p.slice(0, cut);
  }
}

function stepOf(path) {
  const p = String(path);
  if (/^(center|type|subtype)\b/.test(p)) return 'center';
  if (p.startsWith('applicants')) return 'applicant';
  if (p.startsWith('respondents')) return 'respondents';
  if (/^(title|summary|request|claims)\b/.test(p)) return 'story';
  if (p.startsWith('consent')) return 'consent';
  if (/^(file|kind|visibility)$/.test(p)) return 'evidence';
  return null;
}

// Shows err on the current step: its own fields in place, the others as links to their step.
function showStepErrors(err, { focus = true } = {}) {
  const form = ui.form;
  const order = (f) => {
    const i = STEPS.indexOf(stepOf(f.field));
    return i < 0 ? STEPS.length : i;
  };
  // in the order of the steps (a stable sort keeps the server's order within a step)
  const fields = [...(err.fields || [])].sort((a, b) => order(a) - order(b)).map((f) => {
    const placed = placePath(form, f.field);
    return placed ? { ...f, field: placed, original: f.field } : f;
  });
  showErrors(form, { ...err, fields }, ui.app.errorText(err), {
    focus,
    outside: (f) => {
      const step = stepOf(f.field);
      const msg = f.message || t('web.error.field_invalid');
      if (!step || !session.id || step === ui.step) return h('li', {}, msg);
      return h(
        'li',
        {},
        h(
          'a',
          {
            href: `/cases/${session.id}/edit/${step}`,
            onclick: (ev) => {
              ev.preventDefault();
              session.errors = err;
              ui.app.navigate(`/cases/${session.id}/edit/${step}`);
            },
          },
          t('web.filing.error_elsewhere', { step: t(`web.filing.step_${step}`), message: msg })
        )
      );
    },
  });
}

// Saves what changed (the current step's inputs first). mode: 'auto' (after leaving a field: no
// focus change), 'step' or 'button'. Resolves true when the server has everything.
function save(mode) {
  // read the step's inputs only while its form is on the page (never from a page left behind)
  if (ui && ui.collect && ui.form.isConnected) ui.collect();
  const run = async () => {
    const app = ui.app;
    if (!session.id) {
      if (mode === 'auto') return false; // the draft is created by "Next" on the first step
      const body = { center: session.data.center || undefined, type: session.data.type || undefined, subtype: session.data.subtype || undefined, submit: false };
      setStatus('saving');
      try {
        const c = await api.post('/api/v1/cases', body, { 'Idempotency-Key': session.idem });
        session.id = c.id;
        session.version = c.version;
        markSaved(session.data, ['center', 'type', 'subtype']);
        setStatus('saved');
        clearErrors(ui.form);
        return true;
      } catch (e) {
        return failed(app, e, mode);
      }
    }
    const keys = dirtyKeys();
    if (!keys.length) {
      if (session.status.kind === 'error') setStatus('saved');
      if (mode !== 'auto') clearErrors(ui.form);
      return true;
    }
    const body = { version: session.version };
    for (const k of keys) body[k] = bodyValue(session.data, k) ?? null;
    for (const k of keys) if (body[k] === null) delete body[k];
    setStatus('saving');
    try {
      const c = await api.patch(`/api/v1/cases/${session.id}`, body);
      session.version = c.version;
      markSaved(session.data, keys);
      if (keys.includes('respondents')) session.withheld = false;
      setStatus('saved');
      clearErrors(ui.form);
      return true;
    } catch (e) {
      return failed(app, e, mode);
    }
  };
  session.queue = session.queue.then(run, run);
  return session.queue;
}

function failed(app, e, mode) {
  if (!(e instanceof api.ApiError)) throw e;
  if (app.handleAuthError(e)) return false;
  if (e.status === 409) {
    setStatus('conflict');
    showConflict(e);
    return false;
  }
  setStatus('error');
  showStepErrors(e, { focus: mode !== 'auto' });
  return false;
}

function showConflict(e) {
  const summary = ui.form.querySelector('.error-summary');
  const reload = h('button', { type: 'button', class: 'button button-secondary', id: 'conflict-reload' }, t('web.filing.conflict_reload'));
  reload.addEventListener('click', () => {
    session = null;
    ui.app.rerender();
  });
  summary.replaceChildren(h('h2', { class: 'error-title' }, e.serverMessage || t('web.filing.status_conflict')), h('p', {}, t('web.filing.conflict_body')), reload);
  summary.hidden = false;
  summary.focus();
}

let autosaveTimer = null;
// Takes the step's inputs now (the page may be left before the save runs) and saves shortly.
function scheduleAutosave() {
  if (ui && ui.collect && ui.form.isConnected) ui.collect();
  clearTimeout(autosaveTimer);
  autosaveTimer = setTimeout(() => {
    if (session && session.id) save('auto');
  }, AUTOSAVE_MS);
}

// Saves, then goes to step (when the save worked).
async function go(step, button) {
  const doIt = async () => {
    const ok = await save('step');
    if (!ok) return;
    ui.app.navigate(`/cases/${session.id}/edit/${step}`);
  };
  if (button) await busy(button, doIt);
  else await doIt();
}

// ---- building blocks ---------------------------------------------------------------------

function select(id, path, lbl, options, value, { hint, required = false, name, summaryLabel } = {}) {
  return field({
    id,
    name: name || id,
    path,
    type: 'select',
    label: lbl,
    hint,
    options,
    value: value || '',
    required,
    summaryLabel,
  });
}

function choose(key = 'web.filing.choose') {
  return { value: '', label: t(key) };
}

// The hint of an identity document number, by type.
function idHint(type) {
  return type ? t(`web.idhint.${type}`) : t('web.idhint.none');
}

// The fields of one party, ids prefixed with prefix, paths under path ("respondents[1]").
// who: 'self' (a resident's own details), 'client' (a lawyer's client) or 'other'.
function partyFields(p, prefix, path, who, ctx) {
  const sl = (k) => (ctx ? t('web.filing.field_in', { where: ctx, field: k }) : null);
  const kind = choiceGroup({
    id: `${prefix}-kind`,
    name: `${prefix}-kind`,
    path: `${path}.kind`,
    type: 'radio',
    legend: t(`web.party.kind_legend_${who}`),
    items: [
      { value: 'person', label: t('web.party.kind_value.person') },
      { value: 'company', label: t('web.party.kind_value.company') },
    ],
    required: true,
    summaryLabel: sl(t('web.party.kind')),
  });
  kind.classList.add('inline-choices');
  (kind.querySelector(`input[value="${p.kind === 'company' ? 'company' : 'person'}"]`) || {}).checked = true;
  const nameKey = () => (kind.querySelector('input[value="company"]').checked ? 'web.party.company_name' : 'web.party.name');
  const name = field({
    id: `${prefix}-name`,
    name: `${prefix}-name`,
    path: `${path}.name`,
    label: t(nameKey()),
    hint: t('web.party.name_hint'),
    value: p.name,
    required: true,
    autocomplete: who === 'self' ? 'name' : 'off',
    attrs: { maxlength: 200, spellcheck: 'false' },
    summaryLabel: sl(t('web.party.name')),
  });
  kind.addEventListener('change', () => {
    name.querySelector('label').firstChild.textContent = t(nameKey());
  });
  const latin = field({
    id: `${prefix}-name-latin`,
    name: `${prefix}-name-latin`,
    path: `${path}.name_latin`,
    label: t('web.party.name_latin'),
    hint: t('web.party.name_latin_hint'),
    value: p.name_latin,
    autocomplete: 'off',
    attrs: { maxlength: 200, spellcheck: 'false', lang: 'und-Latn' },
    summaryLabel: sl(t('web.party.name_latin')),
  });
  const doc = p.id_document || { type: '', number: '' };
  const idType = select(
    `${prefix}-idtype`,
    `${path}.id_document.type`,
    t('web.party.id_type'),
    [{ value: '', label: t('web.party.id_none') }, ...ID_TYPES.map((x) => ({ value: x, label: label('web.idtype', x) }))],
    doc.type,
    { summaryLabel: sl(t('web.party.id_type')) }
  );
  const idNumber = field({
    id: `${prefix}-idnumber`,
    name: `${prefix}-idnumber`,
    path: `${path}.id_document.number`,
    label: t('web.party.id_number'),
    hint: idHint(doc.type),
    value: doc.number,
    autocomplete: 'off',
    attrs: { maxlength: 40, spellcheck: 'false', autocapitalize: 'characters' },
    summaryLabel: sl(t('web.party.id_number')),
  });
  idType.querySelector('select').addEventListener('change', (ev) => {
    idNumber.querySelector('.hint').textContent = idHint(ev.target.value);
  });
  const phone = field({
    id: `${prefix}-phone`,
    name: `${prefix}-phone`,
    path: `${path}.phone`,
    type: 'tel',
    label: t('web.party.phone'),
    hint: t('web.field.phone_hint'),
    value: p.phone,
    autocomplete: who === 'self' ? 'tel' : 'off',
    attrs: { maxlength: 24 },
    summaryLabel: sl(t('web.party.phone')),
  });
  const email = field({
    id: `${prefix}-email`,
    name: `${prefix}-email`,
    path: `${path}.email`,
    type: 'email',
    label: t('web.party.email'),
    value: p.email,
    autocomplete: who === 'self' ? 'email' : 'off',
    attrs: { maxlength: 254 },
    summaryLabel: sl(t('web.party.email')),
  });
  const address = field({
    id: `${prefix}-address`,
    name: `${prefix}-address`,
    path: `${path}.address`,
    type: 'textarea',
    rows: 3,
    label: t('web.party.address'),
    hint: t('web.party.address_hint'),
    value: p.address,
    attrs: { maxlength: 500, autocomplete: who === 'self' ? 'street-address' : 'off' },
    summaryLabel: sl(t('web.party.address')),
  });
  const residence = select(
    `${prefix}-residence`,
    `${path}.residence`,
    t('web.party.residence'),
    [choose(), ...RESIDENCES.map((x) => ({ value: x, label: label('web.residence', x) }))],
    p.residence,
    { hint: t('web.party.residence_hint'), summaryLabel: sl(t('web.party.residence')) }
  );
  const language = select(
    `${prefix}-language`,
    `${path}.language`,
    t('web.party.language'),
    [choose(), ...LANGS.map((l) => ({ value: l, label: ENDONYMS[l], lang: l }))],
    p.language,
    { hint: t(`web.party.language_hint_${who === 'other' ? 'other' : 'self'}`), summaryLabel: sl(t('web.party.language')) }
  );
  const spoken = choiceGroup({
    id: `${prefix}-spoken`,
    name: `${prefix}-spoken`,
    path: `${path}.spoken`,
    type: 'checkbox',
    legend: t('web.party.spoken'),
    hint: t('web.party.spoken_hint'),
    items: SPOKEN.map((x) => ({ value: x, label: label('web.spoken', x) })),
    summaryLabel: sl(t('web.party.spoken')),
  });
  spoken.classList.add('inline-choices');
  for (const x of p.spoken || []) {
    const box = spoken.querySelector(`input[value="${x}"]`);
    if (box) box.checked = true;
  }
  const lawyer =
    who === 'self'
      ? field({
          id: `${prefix}-lawyer`,
          name: `${prefix}-lawyer`,
          path: `${path}.lawyer`,
          label: t('web.party.lawyer_username'),
          hint: t('web.party.lawyer_username_hint'),
          value: p.lawyer,
          autocomplete: 'off',
          attrs: { maxlength: 32, spellcheck: 'false', autocapitalize: 'none' },
          summaryLabel: sl(t('web.party.lawyer_username')),
        })
      : null;
  return h(
    'div',
    { class: 'party-fields' },
    kind,
    h('div', { class: 'form-grid' }, name, latin),
    h(
      'fieldset',
      { class: 'group subgroup' },
      h('legend', {}, t('web.party.id_legend')),
      h('p', { class: 'hint' }, t(who === 'other' ? 'web.party.id_intro_other' : 'web.party.id_intro')),
      h('div', { class: 'form-grid' }, idType, idNumber)
    ),
    h(
      'fieldset',
      { class: 'group subgroup' },
      h('legend', {}, t('web.party.contact_legend')),
      h('div', { class: 'form-grid' }, phone, email),
      address
    ),
    h('div', { class: 'form-grid' }, residence, language),
    spoken,
    lawyer
  );
}

// Reads the party whose fields carry prefix back from the page into p (kept: what is not shown).
function readParty(prefix, p) {
  const val = (suffix) => {
    const el = document.getElementById(`${prefix}-${suffix}`);
    return el ? el.value : '';
  };
  const checked = document.querySelector(`input[name="${prefix}-kind"]:checked`);
  const out = { ...p };
  out.kind = checked ? checked.value : 'person';
  out.name = val('name');
  out.name_latin = val('name-latin');
  const type = val('idtype');
  const number = val('idnumber');
  out.id_document = type || number ? { type, number } : null;
  out.phone = val('phone');
  out.email = val('email');
  out.address = val('address');
  out.residence = val('residence');
  out.language = val('language');
  out.spoken = [...document.querySelectorAll(`input[name="${prefix}-spoken"]:checked`)].map((x) => x.value);
  if (document.getElementById(`${prefix}-lawyer`)) out.lawyer = val('lawyer');
  return out;
}

// ---- the steps -----------------------------------------------------------------------------

async function centerStep(app, form) {
  const cs = await centers(app);
  const d = session.data;
  const centerGroup = choiceGroup({
    id: 'f-center',
    name: 'f-center',
    path: 'center',
    type: 'radio',
    legend: t('web.filing.center_legend'),
    hint: t('web.filing.center_hint'),
    items: cs.map((c) => ({
      value: c.code,
      label: centerName(c),
      hint: t('web.filing.center_item_hint', { place: placeName(c), types: (c.case_types || []).map((x) => label('web.case_type', x)).join(' / ') }),
    })),
    required: true,
  });
  centerGroup.classList.add('card-choices');
  const typeGroup = choiceGroup({
    id: 'f-type',
    name: 'f-type',
    path: 'type',
    type: 'radio',
    legend: t('web.filing.type_legend'),
    items: ['family', 'commercial'].map((x) => ({ value: x, label: label('web.case_type_title', x), hint: t(`web.filing.type_hint_${x}`) })),
    required: true,
  });
  typeGroup.classList.add('card-choices');
  const subtypeBox = h('div', { id: 'f-subtype-box' });
  function drawSubtypes() {
    const type = (form.querySelector('input[name="f-type"]:checked') || {}).value || '';
    if (!type) {
      subtypeBox.replaceChildren(h('p', { class: 'hint', id: 'f-subtype-wait' }, t('web.filing.subtype_wait')));
      return;
    }
    const g = choiceGroup({
      id: 'f-subtype',
      name: 'f-subtype',
      path: 'subtype',
      type: 'radio',
      legend: t('web.filing.subtype_legend', { type: label('web.case_type', type) }),
      items: SUBTYPES[type].map((x) => ({ value: x, label: label('web.subtype', x), hint: t(`web.subtype_hint.${x}`) })),
      required: true,
    });
    g.classList.add('card-choices');
    const current = d.subtype && SUBTYPES[type].includes(d.subtype) ? d.subtype : '';
    if (current) g.querySelector(`input[value="${current}"]`).checked = true;
    subtypeBox.replaceChildren(g);
  }
  // only the types the chosen center takes can be chosen
  function syncTypes() {
    const code = (form.querySelector('input[name="f-center"]:checked') || {}).value;
    const ce = cs.find((x) => x.code === code);
    const offered = ce ? ce.case_types || [] : ['family', 'commercial'];
    for (const input of typeGroup.querySelectorAll('input')) {
      input.disabled = !offered.includes(input.value);
      if (input.disabled) input.checked = false;
    }
    const enabled = [...typeGroup.querySelectorAll('input:not(:disabled)')];
    if (enabled.length === 1) enabled[0].checked = true;
    drawSubtypes();
  }
  if (d.center) (centerGroup.querySelector(`input[value="${CSS.escape(d.center)}"]`) || {}).checked = true;
  if (d.type) (typeGroup.querySelector(`input[value="${d.type}"]`) || {}).checked = true;
  centerGroup.addEventListener('change', syncTypes);
  typeGroup.addEventListener('change', drawSubtypes);
  syncTypes();
  if (d.type && !typeGroup.querySelector('input:checked')) (typeGroup.querySelector(`input[value="${d.type}"]`) || {}).checked = true;
  drawSubtypes();
  form.append(centerGroup, typeGroup, subtypeBox);
  return () => {
    d.center = (form.querySelector('input[name="f-center"]:checked') || {}).value || '';
    d.type = (form.querySelector('input[name="f-type"]:checked') || {}).value || '';
    d.subtype = (form.querySelector('input[name="f-subtype"]:checked') || {}).value || '';
  };
}

function applicantStep(app, form) {
  const who = app.user.role === 'lawyer' ? 'client' : 'self';
  const d = session.data;
  form.append(
    h('p', { class: 'lead-small' }, t(`web.filing.applicant_intro_${who}`)),
    h('div', { 'data-path': 'applicants', class: 'field field-anchor', id: 'f-applicants', 'data-label': t('web.filing.step_applicant') }, h('p', { class: 'field-error', id: 'f-applicants-error', hidden: true })),
    partyFields(d.applicants[0], 'app-0', 'applicants[0]', who, null)
  );
  if (d.applicants.length > 1) form.append(h('p', { class: 'hint' }, t('web.filing.more_applicants', { count: d.applicants.length - 1 })));
  return () => {
    d.applicants[0] = readParty('app-0', d.applicants[0]);
  };
}

function respondentsStep(app, form) {
  const d = session.data;
  const listBox = h('div', { class: 'repeat-list', id: 'respondent-list' });
  const addButton = h('button', { type: 'button', class: 'button button-secondary', id: 'add-respondent' }, t('web.filing.add_respondent'));
  const collect = () => {
    d.respondents = d.respondents.map((p, i) => (document.getElementById(`resp-${i}-name`) ? readParty(`resp-${i}`, p) : p));
  };
  function draw(focusIndex) {
    listBox.replaceChildren(
      ...d.respondents.map((p, i) => {
        const ctx = t('web.filing.respondent_n', { n: i + 1 });
        const remove = h('button', { type: 'button', class: 'button button-quiet remove', id: `resp-${i}-remove`, 'aria-label': t('web.filing.remove_respondent_n', { n: i + 1 }) }, t('web.filing.remove'));
        remove.hidden = d.respondents.length < 2;
        remove.addEventListener('click', () => {
          collect();
          d.respondents.splice(i, 1);
          draw(Math.max(0, i - 1));
          app.announce(t('web.filing.respondent_removed', { n: i + 1 }));
          scheduleAutosave();
        });
        return h(
          'fieldset',
          { class: 'repeat-item', id: `resp-${i}` },
          h('legend', { id: `resp-${i}-legend`, tabindex: '-1' }, ctx),
          p.withheld ? h('p', { class: 'notice', id: `resp-${i}-withheld` }, t('web.filing.withheld_note')) : null,
          partyFields(p, `resp-${i}`, `respondents[${i}]`, 'other', ctx),
          h('div', { class: 'repeat-tools' }, remove)
        );
      })
    );
    addButton.hidden = d.respondents.length >= MAX_PARTIES;
    if (focusIndex !== undefined) {
      const legend = document.getElementById(`resp-${focusIndex}-legend`);
      if (legend) legend.focus();
    }
  }
  addButton.addEventListener('click', () => {
    collect();
    d.respondents.push(emptyParty());
    draw(d.respondents.length - 1);
    const name = document.getElementById(`resp-${d.respondents.length - 1}-name`);
    if (name) name.focus();
    app.announce(t('web.filing.respondent_added', { n: d.respondents.length }));
  });
  draw();
  form.append(
    h('p', { class: 'lead-small' }, t('web.filing.respondents_intro')),
    h('fieldset', { class: 'field field-anchor', 'data-path': 'respondents', id: 'f-respondents' }, h('legend', { class: 'visually-hidden' }, t('web.filing.step_respondents')), h('p', { class: 'field-error', id: 'f-respondents-error', hidden: true })),
    listBox,
    h('div', { class: 'actions' }, addButton)
  );
  return collect;
}

function storyStep(app, form, cs) {
  const d = session.data;
  const title = field({
    id: 'f-title',
    name: 'f-title',
    path: 'title',
    label: t('web.filing.title'),
    hint: t('web.filing.title_hint'),
    value: d.title,
    required: true,
    attrs: { maxlength: 200 },
  });
  const summary = field({
    id: 'f-summary',
    name: 'f-summary',
    path: 'summary',
    type: 'textarea',
    rows: 8,
    label: t('web.filing.summary'),
    hint: t('web.filing.summary_hint'),
    value: d.summary,
    required: true,
    attrs: { maxlength: 10000 },
  });
  const request = field({
    id: 'f-request',
    name: 'f-request',
    path: 'request',
    type: 'textarea',
    rows: 4,
    label: t('web.filing.request'),
    hint: t('web.filing.request_hint'),
    value: d.request,
    attrs: { maxlength: 5000 },
  });
  const claimsBox = h('div', { class: 'repeat-list', id: 'claim-list' });
  const addButton = h('button', { type: 'button', class: 'button button-secondary', id: 'add-claim' }, t('web.filing.add_claim'));
  const currency = defaultCurrency(cs);
  const collect = () => {
    d.title = document.getElementById('f-title').value;
    d.summary = document.getElementById('f-summary').value;
    d.request = document.getElementById('f-request').value;
    d.claims = d.claims.map((c, i) =>
      document.getElementById(`claim-${i}-description`)
        ? {
            description: document.getElementById(`claim-${i}-description`).value,
            value: document.getElementById(`claim-${i}-value`).value,
            currency: document.getElementById(`claim-${i}-currency`).value,
          }
        : c
    );
  };
  function draw(focusIndex) {
    claimsBox.replaceChildren(
      ...d.claims.map((c, i) => {
        const ctx = t('web.filing.claim_n', { n: i + 1 });
        const desc = field({
          id: `claim-${i}-description`,
          name: `claim-${i}-description`,
          path: `claims[${i}].description`,
          type: 'textarea',
          rows: 2,
          label: t('web.filing.claim_description'),
          hint: i === 0 ? t('web.filing.claim_description_hint') : null,
          value: c.description,
          required: true,
          attrs: { maxlength: 2000 },
          summaryLabel: t('web.filing.field_in', { where: ctx, field: t('web.filing.claim_description') }),
        });
        const amount = field({
          id: `claim-${i}-value`,
          name: `claim-${i}-value`,
          path: `claims[${i}].amount.value`,
          label: t('web.filing.claim_amount'),
          hint: t('web.filing.claim_amount_hint'),
          value: c.value,
          attrs: { inputmode: 'decimal', maxlength: 24, autocomplete: 'off', spellcheck: 'false' },
          summaryLabel: t('web.filing.field_in', { where: ctx, field: t('web.filing.claim_amount') }),
        });
        const cur = select(
          `claim-${i}-currency`,
          `claims[${i}].amount.currency`,
          t('web.filing.claim_currency'),
          CURRENCIES.map((x) => ({ value: x, label: t('web.currency_name', { code: x, name: label('web.currency', x) }) })),
          c.currency || currency,
          { required: true, summaryLabel: t('web.filing.field_in', { where: ctx, field: t('web.filing.claim_currency') }) }
        );
        const preview = h('p', { class: 'amount-preview', id: `claim-${i}-preview`, 'aria-live': 'polite' });
        const valueInput = amount.querySelector('input');
        const curSelect = cur.querySelector('select');
        const updatePreview = () => {
          const v = valueInput.value.trim();
          const shown = previewAmount(v, curSelect.value);
          preview.textContent = v ? (shown ? t('web.filing.amount_preview', { amount: shown }) : t('web.filing.amount_plain_hint')) : '';
          preview.classList.toggle('warn', !!v && !shown);
        };
        valueInput.addEventListener('input', updatePreview);
        curSelect.addEventListener('change', updatePreview);
        updatePreview();
        valueInput.setAttribute('aria-describedby', `${valueInput.getAttribute('aria-describedby') || ''} claim-${i}-preview`.trim());
        const remove = h('button', { type: 'button', class: 'button button-quiet remove', id: `claim-${i}-remove`, 'aria-label': t('web.filing.remove_claim_n', { n: i + 1 }) }, t('web.filing.remove'));
        remove.hidden = d.claims.length < 2;
        remove.addEventListener('click', () => {
          collect();
          d.claims.splice(i, 1);
          draw(Math.max(0, i - 1));
          app.announce(t('web.filing.claim_removed', { n: i + 1 }));
          scheduleAutosave();
        });
        return h(
          'fieldset',
          { class: 'repeat-item claim-item', id: `claim-${i}` },
          h('legend', { id: `claim-${i}-legend`, tabindex: '-1' }, ctx),
          desc,
          h('div', { class: 'amount-row' }, amount, cur),
          preview,
          h('div', { class: 'repeat-tools' }, remove)
        );
      })
    );
    addButton.hidden = d.claims.length >= MAX_CLAIMS;
    if (focusIndex !== undefined) {
      const legend = document.getElementById(`claim-${focusIndex}-legend`);
      if (legend) legend.focus();
    }
  }
  addButton.addEventListener('click', () => {
    collect();
    d.claims.push({ description: '', value: '', currency });
    draw();
    document.getElementById(`claim-${d.claims.length - 1}-description`).focus();
    app.announce(t('web.filing.claim_added', { n: d.claims.length }));
  });
  draw();
  form.append(
    h('p', { class: 'lead-small' }, t('web.filing.story_intro')),
    title,
    summary,
    request,
    h(
      'fieldset',
      { class: 'group claims-group' },
      h('legend', {}, t('web.filing.claims_legend')),
      h('p', { class: 'hint' }, t('web.filing.claims_hint')),
      h('div', { class: 'field field-anchor', 'data-path': 'claims', id: 'f-claims', 'data-label': t('web.filing.claims_legend') }, h('p', { class: 'field-error', id: 'f-claims-error', hidden: true })),
      claimsBox,
      h('div', { class: 'actions' }, addButton)
    )
  );
  return collect;
}

async function evidenceStep(app, form, c) {
  const listBox = h('div', { id: 'evidence-list' }, documentsTable(c, 'evidence-table'));
  const upload = uploadForm(app, session.id, {
    prefix: 'evidence-upload',
    onUploaded: async () => {
      const fresh = await api.get(`/api/v1/cases/${session.id}`);
      listBox.replaceChildren(documentsTable(fresh, 'evidence-table'));
    },
  });
  form.append(h('p', { class: 'lead-small' }, t('web.filing.evidence_intro')), h('h3', {}, t('web.filing.evidence_uploaded')), listBox);
  // the upload form is a form of its own: it lives after the step's form (see stepPage)
  return { collect: () => {}, extra: upload };
}

function consentStep(app, form) {
  const d = session.data;
  const k = d.consent;
  const box = (id, path, checked, lbl, explain) => {
    const input = h('input', { type: 'checkbox', id, name: id, 'aria-describedby': `${id}-explain` });
    input.checked = checked;
    return h(
      'div',
      { class: 'field consent-item', 'data-path': path, 'data-label': lbl },
      h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
      h('div', { class: 'choice' }, input, h('label', { for: id }, lbl)),
      h('div', { class: 'explain', id: `${id}-explain` }, explain.map((p) => h('p', {}, p)))
    );
  };
  const mediation = box('f-consent-mediation', 'consent.mediation', k.mediation, t('web.consent.mediation_label'), [
    t('web.consent.mediation_explain_1'),
    t('web.consent.mediation_explain_2'),
  ]);
  const eservice = box('f-consent-eservice', 'consent.electronic_service', k.electronic_service, t('web.consent.eservice_label'), [
    t('web.consent.eservice_explain_1'),
    t('web.consent.eservice_explain_2'),
    t('web.consent.eservice_explain_3'),
  ]);
  const addrBox = h('div', { class: 'repeat-list', id: 'address-list' });
  const addButton = h('button', { type: 'button', class: 'button button-secondary', id: 'add-address' }, t('web.consent.add_address'));
  const addrGroup = h(
    'fieldset',
    { class: 'group addresses', id: 'f-addresses' },
    h('legend', {}, t('web.consent.addresses_legend')),
    h('p', { class: 'hint' }, t('web.consent.addresses_hint')),
    h('div', { class: 'field field-anchor', 'data-path': 'consent.addresses', id: 'f-addresses-anchor', 'data-label': t('web.consent.addresses_legend') }, h('p', { class: 'field-error', id: 'f-addresses-error', hidden: true })),
    addrBox,
    h('div', { class: 'actions' }, addButton)
  );
  const collect = () => {
    k.mediation = document.getElementById('f-consent-mediation').checked;
    k.electronic_service = document.getElementById('f-consent-eservice').checked;
    k.addresses = k.addresses.map((a, i) =>
      document.getElementById(`addr-${i}-value`)
        ? { channel: document.getElementById(`addr-${i}-channel`).value, value: document.getElementById(`addr-${i}-value`).value }
        : a
    );
  };
  const placeholder = (channel) => (channel === 'inbox' ? app.user.username : channel === 'sms' ? '+853 6612 3456' : 'name@example.org');
  function draw() {
    addrBox.replaceChildren(
      ...k.addresses.map((a, i) => {
        const ctx = t('web.consent.address_n', { n: i + 1 });
        const channel = select(
          `addr-${i}-channel`,
          `consent.addresses[${i}].channel`,
          t('web.consent.channel'),
          CHANNELS.map((x) => ({ value: x, label: label('web.channel', x) })),
          a.channel || 'email',
          { required: true, summaryLabel: t('web.filing.field_in', { where: ctx, field: t('web.consent.channel') }) }
        );
        const value = field({
          id: `addr-${i}-value`,
          name: `addr-${i}-value`,
          path: `consent.addresses[${i}].value`,
          label: t('web.consent.address_value'),
          value: a.value,
          required: true,
          attrs: { maxlength: 254, placeholder: placeholder(a.channel || 'email'), autocomplete: 'off', spellcheck: 'false' },
          summaryLabel: t('web.filing.field_in', { where: ctx, field: t('web.consent.address_value') }),
        });
        const sel = channel.querySelector('select');
        const inp = value.querySelector('input');
        sel.addEventListener('change', () => {
          inp.placeholder = placeholder(sel.value);
          if (sel.value === 'inbox' && !inp.value) inp.value = app.user.username;
        });
        const remove = h('button', { type: 'button', class: 'button button-quiet remove', id: `addr-${i}-remove`, 'aria-label': t('web.consent.remove_address_n', { n: i + 1 }) }, t('web.filing.remove'));
        remove.addEventListener('click', () => {
          collect();
          k.addresses.splice(i, 1);
          draw();
          addButton.focus();
          scheduleAutosave();
        });
        return h('fieldset', { class: 'repeat-item address-item', id: `addr-${i}` }, h('legend', { class: 'visually-hidden' }, ctx), h('div', { class: 'address-row' }, channel, value, remove));
      })
    );
    addButton.hidden = k.addresses.length >= MAX_ADDRESSES;
  }
  addButton.addEventListener('click', () => {
    collect();
    k.addresses.push({ channel: 'email', value: '' });
    draw();
    document.getElementById(`addr-${k.addresses.length - 1}-value`).focus();
  });
  const eInput = eservice.querySelector('input');
  const sync = () => {
    addrGroup.hidden = !eInput.checked;
    if (eInput.checked && !k.addresses.length) {
      // the applicant's e-mail (or a resident's own account's) as a start; the user confirms it
      const a = d.applicants[0] || {};
      const email = (a.email || '').trim() || (app.user.role === 'resident' ? app.user.email || '' : '');
      k.addresses.push({ channel: 'email', value: email });
      draw();
    }
  };
  eInput.addEventListener('change', () => {
    collect();
    sync();
  });
  draw();
  sync();
  form.append(h('p', { class: 'lead-small' }, t('web.consent.intro')), mediation, eservice, addrGroup);
  return collect;
}

function reviewStep(app, form, c, cs) {
  const ce = cs.find((x) => x.code === c.center);
  const rows = (pairs) => h('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v))));
  const none = () => h('span', { class: 'muted' }, t('web.value.not_given'));
  const change = (step) =>
    h(
      'a',
      {
        href: `/cases/${c.id}/edit/${step}`,
        class: 'change-link',
        onclick: (ev) => {
          ev.preventDefault();
          ui.app.navigate(`/cases/${c.id}/edit/${step}`);
        },
      },
      t('web.filing.change'),
      h('span', { class: 'visually-hidden' }, ` ${t(`web.filing.step_${step}`)}`)
    );
  const block = (step, ...content) =>
    h('section', { class: 'review-block', 'aria-labelledby': `review-${step}-title` }, h('div', { class: 'review-head' }, h('h3', { id: `review-${step}-title` }, t(`web.filing.step_${step}`)), change(step)), content);
  const party = (p) => {
    const name = converted(p, 'name');
    return h(
      'li',
      {},
      h('strong', {}, p.name ? name.text : t('web.value.not_given')),
      p.name_latin ? ` (${p.name_latin})` : '',
      ' — ',
      [label('web.party.kind_value', p.kind), p.residence ? label('web.residence', p.residence) : null, p.id_document ? `${label('web.idtype', p.id_document.type)} ${p.id_document.number}` : null, p.phone, p.email]
        .filter(Boolean)
        .join(' · '),
      name.note ? h('span', { class: 'block' }, name.note) : null
    );
  };
  const k = c.consent || {};
  form.append(
    h('p', { class: 'lead-small' }, t('web.filing.review_intro')),
    block('center', rows([[t('web.case.center'), ce ? centerName(ce) : c.center], [t('web.case.type'), typeLabel(c.type, c.subtype)]])),
    block('applicant', h('ul', { class: 'plain-list', id: 'review-applicants' }, (c.applicants || []).map(party))),
    block('respondents', (c.respondents || []).length ? h('ul', { class: 'plain-list', id: 'review-respondents' }, c.respondents.map(party)) : none()),
    block(
      'story',
      rows([
        [t('web.filing.title'), c.title ? convBlock(c, 'title', { tag: 'span', id: 'review-title' }) : none()],
        [t('web.filing.summary'), c.summary ? convBlock(c, 'summary', { cls: 'prose' }) : none()],
        [t('web.filing.request'), c.request ? convBlock(c, 'request', { cls: 'prose' }) : none()],
        [
          t('web.filing.claims_legend'),
          (c.claims || []).length
            ? h('ol', { class: 'plain-list', id: 'review-claims' }, c.claims.map((cl) => h('li', {}, cl.description ? inlineConverted(cl, 'description') : '—', cl.amount ? [' — ', h('span', { class: 'amount' }, cl.amount.display)] : null)))
            : none(),
        ],
      ])
    ),
    block('evidence', (c.documents || []).length ? h('ul', { class: 'plain-list', id: 'review-documents' }, c.documents.map((d) => h('li', {}, d.title, ' · ', label('web.doc_kind', d.kind)))) : h('p', { class: 'muted' }, t('web.docs.none'))),
    block(
      'consent',
      rows([
        [t('web.consent.mediation_short'), k.mediation ? t('web.value.yes') : t('web.value.no')],
        [t('web.consent.eservice_short'), k.electronic_service ? t('web.value.yes') : t('web.value.no')],
        (k.addresses || []).length ? [t('web.consent.addresses'), h('ul', { class: 'plain-list' }, (k.addresses || []).map((a) => h('li', {}, t('web.filing.field_in', { where: label('web.channel', a.channel), field: a.value }))))] : null,
      ])
    ),
    h('p', { class: 'notice', id: 'submit-note' }, t('web.filing.submit_note'))
  );
  return () => {};
}

// ---- the page ------------------------------------------------------------------------------

function progress(step) {
  const i = STEPS.indexOf(step);
  return h(
    'nav',
    { class: 'steps', 'aria-label': t('web.filing.steps_label') },
    h(
      'ol',
      {},
      STEPS.map((s, j) => {
        const text = [h('span', { class: 'step-n', 'aria-hidden': 'true' }, String(j + 1)), h('span', { class: 'step-name' }, t(`web.filing.step_${s}`))];
        const state = j < i ? 'done' : j === i ? 'current' : 'ahead';
        if (s === step || !session.id) return h('li', { class: `step step-${state}`, 'aria-current': s === step ? 'step' : null }, h('span', { class: 'step-inner' }, text));
        const a = h('a', { href: `/cases/${session.id}/edit/${s}`, class: 'step-inner', id: `step-link-${s}` }, text);
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          go(s);
        });
        return h('li', { class: `step step-${state}` }, a);
      })
    )
  );
}

// Drafts the user may continue (on the first page of a new filing).
async function draftsNotice(app) {
  let items = [];
  try {
    items = (await api.get('/api/v1/cases?status=draft&limit=10')).items || [];
  } catch (e) {
    if (app.handleAuthError(e)) throw e;
    return null;
  }
  if (!items.length) return null;
  return h(
    'section',
    { class: 'card drafts-card', id: 'drafts', 'aria-labelledby': 'drafts-title' },
    h('h2', { id: 'drafts-title' }, t('web.filing.drafts_title', { count: items.length })),
    h('p', {}, t('web.filing.drafts_body')),
    h(
      'ul',
      { class: 'plain-list drafts-list' },
      items.map((c) => {
        const title = converted(c, 'title');
        return h(
          'li',
          { 'data-case': c.id },
          h('a', { href: `/cases/${c.id}/edit`, 'data-route': '', class: 'draft-link' }, c.title ? title.text : t('web.case.untitled')),
          title.note ? [' ', title.note] : null,
          ' · ',
          typeLabel(c.type, c.subtype),
          ' · ',
          t('web.filing.draft_updated', { time: fmtTime(c.updated_at) })
        );
      })
    )
  );
}

// A party's text inline (in a sentence), with its conversion note after it when converted.
function inlineConverted(obj, key) {
  const { text, note } = converted(obj, key);
  return note ? [text, ' ', note] : text;
}

// The first step that still needs something, for /cases/{id}/edit without a step.
function firstIncomplete(c) {
  const a = (c.applicants || [])[0];
  if (!a || !a.name) return 'applicant';
  if (!(c.respondents || []).some((p) => p.name)) return 'respondents';
  if (!c.title || !c.summary) return 'story';
  if (!(c.consent && c.consent.mediation)) return 'consent';
  return 'review';
}

export async function filingView(app, idText, stepName) {
  const cs = await centers(app);
  let c = null;
  let step;
  if (idText) {
    const id = Number(idText);
    c = await api.get(`/api/v1/cases/${id}`);
    if (c.status !== 'draft') return { redirect: `/cases/${id}` };
    if (!stepName) return { redirect: `/cases/${id}/edit/${firstIncomplete(c)}` };
    if (!STEPS.includes(stepName)) return { redirect: `/cases/${id}/edit/center` };
    step = stepName;
    // the server's draft is the truth unless this tab holds the same version (with what the
    // server does not show back, e.g. the other side's contact details)
    if (!session || session.userId !== app.user.id || session.id !== id || session.version !== c.version) sessionFromCase(app, c);
  } else {
    step = 'center';
    if (!session || session.userId !== app.user.id || session.id || session.submitted) newSession(app);
  }
  if (!['resident', 'lawyer'].includes(app.user.role)) {
    return {
      title: t('web.filing.title_page'),
      node: h('section', { class: 'page narrow' }, h('h1', {}, t('web.filing.title_page')), h('p', {}, t('web.filing.not_for_role'))),
    };
  }
  const n = STEPS.indexOf(step);
  const form = h('form', { class: 'form card step-form', id: 'step-form', novalidate: true, 'data-step': step, 'aria-labelledby': 'step-title' });
  const statusEl = h('p', { class: 'save-status', id: 'save-status', role: 'status', 'aria-live': 'polite' });
  form.append(errorSummary());
  ui = { app, form, statusEl, step, collect: null };
  let extra = null;
  if (step === 'center') ui.collect = await centerStep(app, form);
  else if (step === 'applicant') ui.collect = applicantStep(app, form);
  else if (step === 'respondents') ui.collect = respondentsStep(app, form);
  else if (step === 'story') ui.collect = storyStep(app, form, cs);
  else if (step === 'evidence') ({ collect: ui.collect, extra } = await evidenceStep(app, form, c));
  else if (step === 'consent') ui.collect = consentStep(app, form);
  else ui.collect = reviewStep(app, form, c, cs);

  const back = n > 0 ? h('button', { type: 'button', class: 'button button-secondary', id: 'step-back' }, t('web.filing.back')) : null;
  const saveButton = session.id && step !== 'review' && step !== 'evidence' ? h('button', { type: 'button', class: 'button button-quiet', id: 'step-save' }, t('web.filing.save')) : null;
  const nextButton =
    step === 'review'
      ? h('button', { type: 'submit', class: 'button button-primary', id: 'submit-case' }, t('web.filing.submit'))
      : h('button', { type: 'submit', class: 'button button-primary', id: 'step-next' }, t(n === 0 && !session.id ? 'web.filing.start' : 'web.filing.next'));
  if (back) back.addEventListener('click', () => go(STEPS[n - 1], back));
  if (saveButton) saveButton.addEventListener('click', () => busy(saveButton, () => save('button')));
  const nav = h('div', { class: 'actions step-actions' }, nextButton, saveButton, back);
  // the step's buttons: in the form, unless the step has a form of its own (the upload)
  if (!extra) form.append(nav);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (step !== 'review') {
      await busy(nextButton, async () => {
        const ok = await save('step');
        if (!ok) return;
        if (!idText) history.replaceState(null, '', `/cases/${session.id}/edit/center`);
        await app.navigate(`/cases/${session.id}/edit/${STEPS[n + 1]}`);
      });
      return;
    }
    await busy(nextButton, async () => {
      clearErrors(form);
      try {
        const done = await api.patch(`/api/v1/cases/${session.id}`, { version: session.version, submit: true });
        session = { submitted: true, id: null };
        app.flash({ key: 'web.filing.submitted', args: { number: done.number || '' } });
        await app.navigate(`/cases/${done.id}`, { replace: true });
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        if (app.handleAuthError(e)) return;
        if (e.status === 409) {
          setStatus('conflict');
          showConflict(e);
          return;
        }
        showStepErrors(e);
      }
    });
  });
  form.addEventListener('change', (ev) => {
    if (ev.target.closest('.upload-form')) return;
    scheduleAutosave();
  });

  const head = h(
    'div',
    { class: 'filing-head' },
    h('p', { class: 'eyebrow', id: 'filing-eyebrow' }, t(app.user.role === 'lawyer' ? 'web.filing.eyebrow_lawyer' : 'web.filing.eyebrow'), ' · ', t('web.filing.step_of', { n: n + 1, total: STEPS.length })),
    h('h1', { id: 'step-title' }, t(`web.filing.step_${step}_title`, { who: app.user.role })),
    c ? h('p', { class: 'muted filing-case' }, statusBadge('draft'), ' ', c.title ? inlineConverted(c, 'title') : t('web.case.untitled'), ' · ', typeLabel(c.type, c.subtype), ' · ', t('web.filing.created', { time: fmtTime(c.created_at) })) : null,
    statusEl
  );
  const drafts = !idText ? await draftsNotice(app) : null;
  drawStatus();
  const node = h(
    'div',
    { class: 'page filing', id: 'filing', 'data-step': step, 'data-case': session.id || '' },
    head,
    progress(step),
    drafts,
    form,
    extra ? h('div', { class: 'card' }, extra) : null,
    extra ? h('div', { class: 'card step-nav-card' }, nav) : null
  );
  if (extra) {
    // the buttons outside the step's form still act for it
    nextButton.type = 'button';
    nextButton.addEventListener('click', () => form.requestSubmit());
  }
  return {
    title: t(`web.filing.step_${step}`),
    node,
    after: () => {
      // errors met on another step that led here: show them in place
      if (session && session.errors) {
        const err = session.errors;
        session.errors = null;
        showStepErrors(err);
      }
    },
  };
}
