// views/audit.js: the auditor's page: the audit trail (GET /api/v1/audit, filtered by case, user
// and dates, paged by cursor), its export as NDJSON with the same filters, the verification of
// the hash chain and its signed heads (GET /api/v1/audit/verify), and the public key the heads
// are signed with (GET /api/v1/audit/public-key).

import { t, has } from '../i18n.js';
import * as api from '../api.js';
import { h, field, errorSummary, showErrors, clearErrors, busy, wirePager } from '../dom.js';
import { label, timeEl } from './casekit.js';

const PAGE_SIZE = 50;

// An audit action in words: its own label, else the case event of the same name, else the code.
function actionLabel(code) {
  if (has(`web.audit_action.${code}`)) return t(`web.audit_action.${code}`);
  return label('web.event', code);
}

// The filters and the cursors of the pages seen (kept across re-renders in the session's cache).
let trail = null;

// A date "2026-11-26" as Unix seconds at the start (or end) of that day in the reader's zone.
function dayBound(iso, end) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return '';
  const d = end ? new Date(+m[1], +m[2] - 1, +m[3], 23, 59, 59) : new Date(+m[1], +m[2] - 1, +m[3], 0, 0, 0);
  return String(Math.floor(d.getTime() / 1000));
}

// The query of the current filters (for the list and the export).
function filterQuery() {
  const q = new URLSearchParams();
  const f = trail.filters;
  if (f.case.trim()) q.set('case', f.case.trim());
  if (f.user.trim()) q.set('user', f.user.trim());
  if (f.from) q.set('from', dayBound(f.from, false));
  if (f.to) q.set('to', dayBound(f.to, true));
  return q;
}

function entriesTable(items) {
  if (!items.length) return h('p', { class: 'muted', id: 'audit-empty' }, t('web.audit.none'));
  const cols = ['seq', 'time', 'actor', 'action', 'object', 'outcome', 'detail', 'hash'];
  return h(
    'table',
    { class: 'data-table audit-table', id: 'audit-table' },
    h('caption', { class: 'visually-hidden' }, t('web.audit.caption', { n: trail.page + 1 })),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(`web.audit.col_${k}`))))),
    h(
      'tbody',
      {},
      items.map((e) =>
        h(
          'tr',
          { 'data-seq': e.seq, 'data-object': `${e.object_type}:${e.object_id}`, 'data-action': e.action },
          h('th', { scope: 'row', 'data-label': t('web.audit.col_seq') }, h('span', { class: 'mono' }, String(e.seq))),
          h('td', { 'data-label': t('web.audit.col_time') }, timeEl(e.ts)),
          h(
            'td',
            { 'data-label': t('web.audit.col_actor') },
            h(
              'div',
              { class: 'cell' },
              e.actor_id ? t('web.audit.actor', { id: e.actor_id, role: label('web.role', e.actor_role) }) : label('web.role', e.actor_role || 'system'),
              e.client_addr ? h('span', { class: 'muted block mono' }, e.client_addr) : null
            )
          ),
          h('td', { 'data-label': t('web.audit.col_action') }, h('div', { class: 'cell' }, actionLabel(e.action), h('span', { class: 'muted block mono' }, e.action))),
          h('td', { 'data-label': t('web.audit.col_object') }, e.object_type ? t('web.audit.object', { type: label('web.audit_object', e.object_type), id: e.object_id }) : '—'),
          h(
            'td',
            { 'data-label': t('web.audit.col_outcome') },
            h('span', { class: `tag ${e.outcome === 'ok' ? 'tag-ok' : 'tag-warn'}` }, label('web.audit_outcome', e.outcome))
          ),
          h('td', { 'data-label': t('web.audit.col_detail') }, e.detail ? h('span', { class: 'mono' }, e.detail) : '—'),
          h('td', { 'data-label': t('web.audit.col_hash') }, h('span', { class: 'mono hash' }, `${e.hash.slice(0, 12)}…`))
        )
      )
    )
  );
}

async function trailSection(app) {
  if (!app.cache.auditTrail) app.cache.auditTrail = { filters: { case: '', user: '', from: '', to: '' }, cursors: [null], page: 0 };
  trail = app.cache.auditTrail;
  const form = h('form', { class: 'form audit-filters', id: 'audit-filter-form', novalidate: true, 'aria-labelledby': 'audit-filter-title' });
  const wrap = h('div', { class: 'table-wrap', id: 'audit-table-wrap' });
  const status = h('p', { class: 'visually-hidden', role: 'status', id: 'audit-status' });
  const errorBox = h('div', { class: 'inline-error', role: 'alert', hidden: true, id: 'audit-error' });
  const prev = h('button', { type: 'button', class: 'button button-secondary', id: 'audit-prev' }, t('web.pager.prev'));
  const next = h('button', { type: 'button', class: 'button button-secondary', id: 'audit-next' }, t('web.pager.next'));
  const pageLabel = h('span', { class: 'page-label', id: 'audit-page' });
  const exportLink = h('a', { class: 'button button-secondary', id: 'audit-export', download: 'audit.ndjson' }, t('web.audit.export'));
  const apply = h('button', { type: 'submit', class: 'button button-primary', id: 'audit-apply' }, t('web.audit.apply'));
  const reset = h('button', { type: 'button', class: 'button button-quiet', id: 'audit-reset' }, t('web.audit.reset'));
  const f = trail.filters;
  form.append(
    h('h3', { id: 'audit-filter-title' }, t('web.audit.filters')),
    errorSummary(),
    h(
      'div',
      { class: 'filter-grid' },
      field({ id: 'audit-case', name: 'case', path: 'case', label: t('web.audit.filter_case'), hint: t('web.audit.filter_case_hint'), value: f.case, attrs: { inputmode: 'numeric', autocomplete: 'off', maxlength: 15 } }),
      field({ id: 'audit-user', name: 'user', path: 'user', label: t('web.audit.filter_user'), hint: t('web.audit.filter_user_hint'), value: f.user, attrs: { inputmode: 'numeric', autocomplete: 'off', maxlength: 15 } }),
      field({ id: 'audit-from', name: 'from', path: 'from', type: 'date', label: t('web.audit.filter_from'), value: f.from }),
      field({ id: 'audit-to', name: 'to', path: 'to', type: 'date', label: t('web.audit.filter_to'), value: f.to })
    ),
    h('p', { class: 'hint' }, t('web.audit.dates_hint')),
    h('div', { class: 'actions' }, apply, reset, exportLink)
  );

  let loading = false;
  async function load(announce) {
    if (loading) return;
    loading = true;
    prev.disabled = true;
    next.disabled = true;
    wrap.setAttribute('aria-busy', 'true');
    const q = filterQuery();
    exportLink.href = `/api/v1/audit/export${q.toString() ? `?${q}` : ''}`;
    q.set('limit', String(PAGE_SIZE));
    if (trail.cursors[trail.page]) q.set('cursor', trail.cursors[trail.page]);
    try {
      const reply = await api.get(`/api/v1/audit?${q}`);
      errorBox.hidden = true;
      clearErrors(form);
      const items = reply.items || [];
      trail.cursors[trail.page + 1] = reply.next_cursor || null;
      trail.cursors.length = trail.page + 2;
      wrap.replaceChildren(entriesTable(items));
      pageLabel.textContent = t('web.pager.page', { n: trail.page + 1 });
      prev.disabled = trail.page === 0;
      next.disabled = !reply.next_cursor || !items.length;
      if (announce) status.textContent = t('web.audit.shown', { count: items.length, n: trail.page + 1 });
    } catch (e) {
      if (app.handleAuthError(e)) return;
      if (e instanceof api.ApiError && e.fields.length) showErrors(form, e, app.errorText(e));
      else {
        errorBox.textContent = app.errorText(e);
        errorBox.hidden = false;
      }
      prev.disabled = trail.page === 0;
    } finally {
      wrap.removeAttribute('aria-busy');
      loading = false;
    }
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const k of ['case', 'user', 'from', 'to']) trail.filters[k] = form.querySelector(`#audit-${k}`).value;
    trail.cursors = [null];
    trail.page = 0;
    await busy(apply, () => load(true));
  });
  reset.addEventListener('click', async () => {
    for (const k of ['case', 'user', 'from', 'to']) {
      trail.filters[k] = '';
      form.querySelector(`#audit-${k}`).value = '';
    }
    trail.cursors = [null];
    trail.page = 0;
    await load(true);
  });
  wirePager(prev, next, trail, load);
  await load(false);
  return h(
    'section',
    { class: 'card', id: 'audit', 'aria-labelledby': 'audit-title' },
    h('h2', { id: 'audit-title' }, t('web.auditor.trail_title')),
    h('p', { class: 'muted' }, t('web.audit.intro')),
    form,
    errorBox,
    wrap,
    h('nav', { class: 'pager', 'aria-label': t('web.pager.label', { list: t('web.auditor.trail_title') }) }, prev, pageLabel, next),
    status
  );
}

function verifySection(app) {
  const result = h('div', { id: 'verify-result', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button button-primary', id: 'audit-verify' }, t('web.audit.verify'));
  button.addEventListener('click', () =>
    busy(button, async () => {
      result.replaceChildren(h('p', { class: 'muted' }, t('web.audit.verifying')));
      try {
        const v = await api.get('/api/v1/audit/verify');
        const facts = t('web.audit.verify_facts', { entries: v.entries, last: v.last_seq, heads: v.heads_verified, signed: v.signed_through });
        result.replaceChildren(
          v.intact
            ? h('div', { class: 'notice notice-ok', id: 'verify-intact', 'data-intact': 'true' }, h('p', {}, h('strong', {}, t('web.audit.intact')), ' ', facts))
            : h(
                'div',
                { class: 'notice notice-error', id: 'verify-broken', 'data-intact': 'false' },
                h('p', {}, h('strong', {}, t('web.audit.broken', { seq: v.broken_seq ?? '—' })), ' ', v.reason ? h('span', { class: 'mono' }, v.reason) : null, ' ', facts)
              )
        );
      } catch (e) {
        if (app.handleAuthError(e)) return;
        result.replaceChildren(h('p', { class: 'inline-error' }, app.errorText(e)));
      }
    })
  );
  return h(
    'section',
    { class: 'card', id: 'audit-verify-section', 'aria-labelledby': 'verify-title' },
    h('h2', { id: 'verify-title' }, t('web.audit.verify_title')),
    h('p', { class: 'muted' }, t('web.audit.verify_intro')),
    h('div', { class: 'actions' }, button),
    result
  );
}

async function keySection(app) {
  let body;
  try {
    const k = await api.get('/api/v1/audit/public-key');
    body = h(
      'dl',
      { class: 'facts' },
      h('div', { class: 'fact' }, h('dt', {}, t('web.audit.key_algorithm')), h('dd', {}, k.algorithm)),
      h('div', { class: 'fact' }, h('dt', {}, t('web.audit.key_value')), h('dd', {}, h('code', { class: 'mono key', id: 'audit-public-key' }, k.public_key))),
      h('div', { class: 'fact' }, h('dt', {}, t('web.audit.key_message')), h('dd', {}, h('code', { class: 'mono' }, k.signed_message)))
    );
  } catch (e) {
    if (app.handleAuthError(e)) throw e;
    body = h('p', { class: 'inline-error' }, app.errorText(e));
  }
  return h(
    'section',
    { class: 'card', id: 'audit-key', 'aria-labelledby': 'key-title' },
    h('h2', { id: 'key-title' }, t('web.audit.key_title')),
    h('p', { class: 'muted' }, t('web.audit.key_intro')),
    body
  );
}

// The auditor's sections, loaded.
export async function auditSections(app) {
  const [trailSec, keySec] = await Promise.all([trailSection(app), keySection(app)]);
  return h('div', { class: 'audit-sections' }, trailSec, h('div', { class: 'columns' }, h('div', { class: 'col-main' }, verifySection(app)), h('div', { class: 'col-side' }, keySec)));
}
