// views/casekit.js: what every case page shares: status badges, type labels, dates and times in
// the reader's locale, deadlines, the labelled converted view of a party's text with its original
// one press away, and the paged case table (a resident's cases, a lawyer's matters, the intake
// queue).

import { t, has, lang } from '../i18n.js';
import * as api from '../api.js';
import { h, field, nextId, wirePager } from '../dom.js';
import { centers, centerName } from './directory.js';

// The Intl locales of the UI languages (as in i18n.js).
const INTL = { 'zh-Hans': 'zh-Hans-CN', 'zh-Hant': 'zh-Hant-MO', en: 'en-GB', pt: 'pt-PT' };
export const intlLocale = () => INTL[lang()] || 'en';

export const STATUSES = [
  'draft',
  'submitted',
  'screening',
  'more_info_requested',
  'accepted',
  'declined',
  'respondent_invited',
  'respondent_agreed',
  'respondent_refused',
  'respondent_no_answer',
  'mediator_assigned',
  'in_mediation',
  'settled',
  'partly_settled',
  'not_settled',
  'withdrawn',
  'closed',
  'archived',
  'erased',
];

export const SUBTYPES = {
  family: ['divorce', 'custody', 'maintenance', 'property', 'inheritance'],
  commercial: ['contract', 'sale_of_goods', 'debt', 'lease', 'shareholder', 'other'],
};

// The tone of a status badge: where the case stands, not a judgement.
const TONE = {
  draft: 'draft',
  submitted: 'intake',
  screening: 'intake',
  more_info_requested: 'attention',
  accepted: 'progress',
  respondent_invited: 'progress',
  respondent_agreed: 'good',
  mediator_assigned: 'good',
  in_mediation: 'good',
  settled: 'good',
  partly_settled: 'good',
  declined: 'ended',
  respondent_refused: 'ended',
  respondent_no_answer: 'ended',
  not_settled: 'ended',
  withdrawn: 'ended',
  closed: 'ended',
  archived: 'ended',
  erased: 'ended',
};

// A translated label for a code under prefix, or the code itself.
export function label(prefix, code) {
  return has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code;
}

export function statusBadge(status, id) {
  return h('span', { class: `status status-${TONE[status] || 'ended'}`, 'data-status': status, id: id || null }, label('web.status', status));
}

// A center's place in the UI language where the catalog knows it ("Hengqin" → 横琴), else as sent.
export function placeName(c) {
  const key = `web.office.${String((c && c.place) || '').toLowerCase().replace(/\s+/g, '_')}`;
  return has(key) ? t(key) : (c && c.place) || '';
}

// "Family · Maintenance"
export function typeLabel(type, subtype) {
  const a = label('web.case_type_title', type);
  return subtype ? t('web.case.type_subtype', { type: a, subtype: label('web.subtype', subtype) }) : a;
}

// A civil date "2026-12-03" in the reader's locale (no time zone shift: it is a calendar day).
export function fmtDay(iso, style = 'medium') {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return iso || '';
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: style, timeZone: 'UTC' }).format(d);
}

// A moment (Unix seconds) in the reader's locale and time zone.
export function fmtTime(unix, { dateOnly = false } = {}) {
  if (unix === null || unix === undefined) return '';
  const d = new Date(unix * 1000);
  const opts = dateOnly ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(intlLocale(), opts).format(d);
}

// A <time> element for a moment.
export function timeEl(unix, opts) {
  return h('time', { datetime: new Date(unix * 1000).toISOString() }, fmtTime(unix, opts));
}

// A file size in the reader's locale.
export function fmtSize(bytes) {
  const nf = (v, digits) => new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits }).format(v);
  if (bytes < 1024) return t('web.size.bytes', { n: bytes });
  if (bytes < 1024 * 1024) return t('web.size.kib', { n: nf(bytes / 1024, 0) });
  return t('web.size.mib', { n: nf(bytes / (1024 * 1024), 1) });
}

// A plain decimal amount ("12000.5") with its currency, formatted for reading, or null when the
// text is not a plain decimal (the server then says what is wrong). Exact: no floating point.
export function previewAmount(value, currency) {
  const v = String(value || '').trim();
  if (!/^\d{1,15}(\.\d{1,2})?$/.test(v) || !currency) return null;
  try {
    return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency, currencyDisplay: 'code' }).format(v);
  } catch {
    return `${currency} ${v}`;
  }
}

// ---- deadlines -----------------------------------------------------------------------------

// The deadlines that still matter in a status: the respondent's answer while they are invited,
// the end of mediation from acceptance until mediation ends.
const LIVE = {
  respondent_answer: ['respondent_invited'],
  mediation_end: ['accepted', 'respondent_invited', 'respondent_agreed', 'mediator_assigned', 'in_mediation'],
};

// The deadlines of a case that still matter now: [{kind, date, overdue}], earliest first.
export function liveDeadlines(c) {
  const out = [];
  for (const kind of ['respondent_answer', 'mediation_end']) {
    const d = c.deadlines && c.deadlines[kind];
    if (d && d.date && LIVE[kind].includes(c.status)) out.push({ kind, date: d.date, overdue: !!d.overdue });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

// A deadline as text with its kind, flagged when overdue.
export function deadlineNode(d, { withKind = true } = {}) {
  return h(
    'span',
    { class: d.overdue ? 'deadline overdue' : 'deadline', 'data-overdue': d.overdue ? 'true' : 'false' },
    d.overdue ? h('span', { class: 'overdue-flag' }, t('web.deadline.overdue')) : null,
    h('time', { datetime: d.date }, fmtDay(d.date)),
    withKind ? h('span', { class: 'deadline-kind' }, label('web.deadline', d.kind)) : null
  );
}

// ---- text as written, and converted -------------------------------------------------------

// The text obj[key] for reading: when the server sent obj[key + '_converted'] (the reader writes
// the other Chinese script), the converted text is shown with a label saying so and that the
// original prevails, and a toggle button (aria-pressed) shows the original instead.
// Returns {text, note}: the text element and the note (null when nothing was converted).
export function converted(obj, key, { tag = 'span', cls = '', id = null } = {}) {
  const orig = obj ? obj[key] : null;
  const conv = obj ? obj[`${key}_converted`] : null;
  if (!conv || !conv.text || !orig) return { text: h(tag, { class: cls || null, id }, orig ?? ''), note: null };
  const from = conv.from === 'zh-Hant' ? 'hant' : 'hans';
  const textEl = h(tag, { class: `${cls} conv-text`.trim(), id, lang: lang(), 'data-shown': 'converted' }, conv.text);
  const labelId = nextId('conv-label');
  const labelEl = h('span', { class: 'conv-label', id: labelId }, t(`web.conv.converted_${from}`));
  const button = h(
    'button',
    { type: 'button', class: 'conv-toggle', 'aria-pressed': 'false', 'aria-describedby': labelId },
    t('web.conv.show_original')
  );
  button.addEventListener('click', () => {
    const original = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(original));
    textEl.textContent = original ? orig : conv.text;
    textEl.lang = original ? conv.from : lang();
    textEl.dataset.shown = original ? 'original' : 'converted';
    labelEl.textContent = t(original ? `web.conv.original_${from}` : `web.conv.converted_${from}`);
  });
  const note = h('span', { class: 'conv-note', 'data-from': conv.from }, labelEl, ' ', button);
  return { text: textEl, note };
}

// A block (div) with the text and, under it, its conversion note.
export function convBlock(obj, key, { tag = 'p', cls = '', id = null } = {}) {
  const { text, note } = converted(obj, key, { tag, cls, id });
  return note ? h('div', { class: 'conv-block' }, text, note) : text;
}

// ---- the case table ------------------------------------------------------------------------

const PAGE = 20;

// Where each list is (kept across re-renders, e.g. a language switch, and forgotten with the
// session's cache at sign-in and sign-out): filters and cursors.
function listState(app, key, filters) {
  const lists = (app.cache.lists = app.cache.lists || {});
  if (!lists[key]) lists[key] = { filters: { ...filters }, cursors: [null], page: 0 };
  return lists[key];
}

// The address of a case for its reader: a draft continues in the filing flow.
export function caseHref(c) {
  return c.status === 'draft' ? `/cases/${c.id}/edit` : `/cases/${c.id}`;
}

function caseRow(c, cols, centerList) {
  const cells = [];
  // one child per cell: on narrow screens a cell is a grid of its label and its content
  const td = (name, ...content) => h('td', { 'data-label': t(`web.cases.col_${name}`) }, h('div', { class: 'cell' }, content));
  const titleText = converted(c, 'title', { cls: 'case-title-text' });
  const linkText = c.title ? titleText.text : h('span', { class: 'muted' }, t('web.case.untitled'));
  const link = h('a', { href: caseHref(c), 'data-route': '', class: 'case-link' }, linkText);
  cells.push(
    h(
      'th',
      { scope: 'row', 'data-label': t('web.cases.col_number') },
      c.number ? h('span', { class: 'mono case-number' }, c.number) : h('span', { class: 'muted' }, t('web.case.draft_no_number'))
    )
  );
  cells.push(td('title', link, titleText.note ? h('div', {}, titleText.note) : null));
  if (cols.includes('center')) {
    const ce = centerList.find((x) => x.code === c.center);
    cells.push(td('center', ce ? centerName(ce) : c.center));
  }
  cells.push(td('type', typeLabel(c.type, c.subtype)));
  cells.push(td('status', statusBadge(c.status)));
  const live = liveDeadlines(c);
  cells.push(td('deadline', live.length ? deadlineNode(live[0]) : h('span', { class: 'muted' }, t('web.deadline.none'))));
  cells.push(td('updated', timeEl(c.updated_at, { dateOnly: true })));
  return h('tr', { 'data-case': c.id, 'data-number': c.number || '', 'data-status': c.status }, cells);
}

function caseTable(items, cols, centerList, caption) {
  const heads = ['number', 'title', ...(cols.includes('center') ? ['center'] : []), 'type', 'status', 'deadline', 'updated'];
  return h(
    'table',
    { class: 'data-table case-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col' }, t(`web.cases.col_${k}`))))),
    h('tbody', {}, items.map((c) => caseRow(c, cols, centerList)))
  );
}

// A paged list of cases from GET /api/v1/cases. opts: {key (list identity), id (element ids'
// prefix), caption, cols (['center']), filters: {status?, type?} defaults, filterControls (show
// status and type filters), statuses (the choices of the status filter), empty (a node for
// an empty first page without filters)}. Its first page is loaded before it is returned.
export async function caseList(app, opts) {
  const st = listState(app, opts.key, opts.filters || {});
  const centerList = await centers(app);
  const id = opts.id;
  const wrap = h('div', { class: 'table-wrap', id: `${id}-table-wrap` });
  const status = h('p', { class: 'visually-hidden', role: 'status', id: `${id}-status` });
  const errorBox = h('div', { class: 'inline-error', role: 'alert', hidden: true, id: `${id}-error` });
  const prev = h('button', { type: 'button', class: 'button button-secondary', id: `${id}-prev` }, t('web.pager.prev'));
  const next = h('button', { type: 'button', class: 'button button-secondary', id: `${id}-next` }, t('web.pager.next'));
  const pageLabel = h('span', { class: 'page-label', id: `${id}-page` });
  const pager = h('nav', { class: 'pager', 'aria-label': t('web.pager.label', { list: opts.caption }) }, prev, pageLabel, next);
  let loading = false;
  let reloadAfter = null; // a filter changed while a page was loading: load again when it lands

  async function load(announce) {
    if (loading) {
      reloadAfter = announce || reloadAfter === true;
      return;
    }
    loading = true;
    prev.disabled = true;
    next.disabled = true;
    wrap.setAttribute('aria-busy', 'true');
    const q = new URLSearchParams({ limit: String(opts.pageSize || PAGE) });
    for (const [k, v] of Object.entries(st.filters)) if (v) q.set(k, v);
    if (st.cursors[st.page]) q.set('cursor', st.cursors[st.page]);
    try {
      const reply = await api.get(`/api/v1/cases?${q}`);
      errorBox.hidden = true;
      const items = reply.items || [];
      st.cursors[st.page + 1] = reply.next_cursor || null;
      st.cursors.length = st.page + 2;
      const filtered = Object.values(st.filters).some(Boolean);
      if (!items.length && st.page === 0 && !filtered && opts.empty) wrap.replaceChildren(opts.empty);
      else if (!items.length) wrap.replaceChildren(h('p', { class: 'muted', id: `${id}-none` }, t('web.cases.none_match')));
      else wrap.replaceChildren(caseTable(items, opts.cols || [], centerList, opts.caption));
      pageLabel.textContent = t('web.pager.page', { n: st.page + 1 });
      prev.disabled = st.page === 0;
      next.disabled = !reply.next_cursor || items.length === 0;
      pager.hidden = st.page === 0 && !reply.next_cursor;
      if (announce) status.textContent = t('web.cases.shown', { count: items.length, n: st.page + 1 });
    } catch (e) {
      if (app.handleAuthError(e)) return;
      errorBox.textContent = app.errorText(e);
      errorBox.hidden = false;
      prev.disabled = st.page === 0;
    } finally {
      loading = false;
      if (reloadAfter !== null) {
        const again = reloadAfter;
        reloadAfter = null;
        load(again);
      } else {
        wrap.removeAttribute('aria-busy');
      }
    }
  }
  wirePager(prev, next, st, load);

  let toolbar = null;
  if (opts.filterControls) {
    const statusFilter = field({
      id: `${id}-filter-status`,
      name: 'status_filter',
      type: 'select',
      label: t('web.cases.filter_status'),
      options: [{ value: '', label: t('web.cases.all_statuses') }, ...(opts.statuses || STATUSES).map((s) => ({ value: s, label: label('web.status', s) }))],
      value: st.filters.status || '',
      required: true,
    });
    const typeFilter = field({
      id: `${id}-filter-type`,
      name: 'type_filter',
      type: 'select',
      label: t('web.cases.filter_type'),
      options: [{ value: '', label: t('web.cases.all_types') }, ...['family', 'commercial'].map((x) => ({ value: x, label: label('web.case_type_title', x) }))],
      value: st.filters.type || '',
      required: true,
    });
    for (const [f, name] of [
      [statusFilter, 'status'],
      [typeFilter, 'type'],
    ]) {
      const sel = f.querySelector('select');
      sel.addEventListener('change', () => {
        if ((st.filters[name] || '') === sel.value) return;
        st.filters[name] = sel.value;
        st.cursors = [null];
        st.page = 0;
        load(true);
      });
    }
    toolbar = h('div', { class: 'toolbar' }, statusFilter, typeFilter);
  }
  await load(false);
  return h('div', { class: 'case-list', id }, toolbar, errorBox, wrap, pager, status);
}

// The label of a center by code, in the UI language.
export async function centerLabel(app, code) {
  const ce = (await centers(app)).find((x) => x.code === code);
  return ce ? centerName(ce) : code;
}
