// views/calendars.js: the working-day calendars deadlines are counted on (GET
// /api/v1/calendars/{calendar}?year=): each year's public holidays as computed (fixed dates, lunar
// and solar-term days, Easter) and the dated overrides administrators keep for announced changes
// (a swapped working day, an extra day off), which administrators add here
// (POST /api/v1/calendars/{calendar}/overrides) and withdraw when recorded in error
// (DELETE /api/v1/calendars/{calendar}/overrides/{date}).

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, busy } from '../dom.js';
import { label, fmtDay } from './casekit.js';

const CALENDARS = ['mainland', 'macao'];

function thisYear() {
  return new Date(Date.now() + 8 * 3600e3).getUTCFullYear(); // the centers' year (UTC+8)
}

// A table of dated rows: cols are [catalog key of the header, cell(row)]; attrs(row) gives the
// row's data attributes. The first column is the date.
function datedTable(id, caption, cols, rows, attrs) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data-table', id },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, cols.map(([key]) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, rows.map((r) => h('tr', attrs(r), cols.map(([key, cell]) => h('td', { 'data-label': t(key) }, cell(r))))))
    )
  );
}

const dateCell = (r) => h('time', { datetime: r.date }, fmtDay(r.date, 'full'));

function holidaysTable(cal) {
  if (!cal.holidays.length) return h('p', { class: 'muted' }, t('web.cal.no_holidays'));
  return datedTable(
    'calendar-holidays',
    t('web.cal.holidays'),
    [
      ['web.cal.col_date', dateCell],
      ['web.cal.col_holiday', (x) => [label('web.holiday', x.key), x.day > 1 ? ` ${t('web.cal.day_n', { n: x.day })}` : '']],
    ],
    cal.holidays,
    (x) => ({ 'data-date': x.date, 'data-key': x.key })
  );
}

// The announced changes; for administrators each row can be withdrawn (after a confirmation in the
// row itself) when it was recorded in error.
function overridesTable(app, name, cal, admin) {
  if (!cal.overrides.length) return h('p', { class: 'muted', id: 'calendar-overrides-none' }, t('web.cal.no_overrides'));
  const cols = [
    ['web.cal.col_date', dateCell],
    ['web.cal.col_kind', (o) => h('span', { class: `tag ${o.working ? 'tag-accent' : 'tag-off'}` }, t(o.working ? 'web.cal.working' : 'web.cal.day_off'))],
    ['web.cal.note', (o) => o.note || ''],
  ];
  if (admin) cols.push(['web.cal.col_action', (o) => withdrawCell(app, name, o)]);
  return datedTable('calendar-overrides', t('web.cal.overrides'), cols, cal.overrides, (o) => ({ 'data-date': o.date, 'data-working': o.working ? 'true' : 'false' }));
}

// After a change to calendar name on date: says so (message key) and shows that year again.
async function changed(app, key, name, date) {
  app.flash({ key, args: { date: fmtDay(date, 'long'), calendar: label('web.calendar', name) } });
  await app.navigate(`/calendars?calendar=${name}&year=${date.slice(0, 4)}`, { replace: true });
}

function withdrawCell(app, name, o) {
  const cell = h('div', { class: 'override-withdraw' });
  const ask = h('button', { type: 'button', class: 'button button-danger-quiet', 'data-action': 'withdraw' }, t('web.cal.remove'));
  const showAsk = () => cell.replaceChildren(ask);
  ask.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'button button-danger', 'data-action': 'withdraw-confirm' }, t('web.cal.remove_yes'));
    const no = h('button', { type: 'button', class: 'button', 'data-action': 'withdraw-cancel' }, t('web.action.cancel'));
    const msg = h('p', { class: 'inline-error', role: 'alert', hidden: true });
    no.addEventListener('click', () => { showAsk(); ask.focus(); });
    yes.addEventListener('click', () =>
      busy(yes, async () => {
        try {
          await api.del(`/api/v1/calendars/${name}/overrides/${o.date}`);
          await changed(app, 'web.cal.removed', name, o.date);
        } catch (err) {
          if (!(err instanceof api.ApiError)) throw err;
          if (app.handleAuthError(err)) return;
          msg.textContent = app.errorText(err);
          msg.hidden = false;
        }
      })
    );
    cell.replaceChildren(h('p', {}, t('web.cal.remove_confirm', { date: fmtDay(o.date, 'long') })), h('div', { class: 'actions' }, yes, no), msg);
    yes.focus();
  });
  showAsk();
  return cell;
}

function overrideForm(app, name, year) {
  const form = h('form', { class: 'form', id: 'override-form', novalidate: true, 'aria-labelledby': 'override-title' });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'override-submit' }, t('web.cal.add'));
  form.append(
    h('h3', { id: 'override-title' }, t('web.cal.add_title')),
    h('p', { class: 'hint' }, t('web.cal.add_help')),
    errorSummary(),
    field({ id: 'override-date', name: 'date', path: 'date', type: 'date', label: t('web.cal.col_date'), required: true, value: `${year}-01-01` }),
    choiceGroup({
      id: 'override-kind',
      name: 'working',
      path: 'working',
      legend: t('web.cal.col_kind'),
      type: 'radio',
      required: true,
      items: [
        { value: 'true', label: t('web.cal.working'), hint: t('web.cal.working_hint') },
        { value: 'false', label: t('web.cal.day_off'), hint: t('web.cal.day_off_hint') },
      ],
    }),
    field({ id: 'override-note', name: 'note', path: 'note', label: t('web.cal.note'), hint: t('web.cal.note_hint'), attrs: { maxlength: 200 } }),
    h('div', { class: 'actions' }, submit)
  );
  form.querySelector('#override-kind-0').checked = true;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const date = form.querySelector('#override-date').value;
    const working = form.querySelector('input[name="working"]:checked')?.value === 'true';
    const note = form.querySelector('#override-note').value.trim();
    await busy(submit, async () => {
      try {
        await api.post(`/api/v1/calendars/${name}/overrides`, { date, working, ...(note ? { note } : {}) });
        await changed(app, 'web.cal.added', name, date);
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  return form;
}

export async function calendarsView(app) {
  const params = new URLSearchParams(location.search);
  const name = CALENDARS.includes(params.get('calendar')) ? params.get('calendar') : 'mainland';
  const now = thisYear();
  const asked = Number(params.get('year'));
  const year = Number.isInteger(asked) && asked >= now - 5 && asked <= now + 5 ? asked : now;
  const cal = await api.get(`/api/v1/calendars/${name}?year=${year}`);
  const admin = app.user.role === 'admin';

  const pick = h(
    'form',
    { class: 'form form-inline calendar-pick', id: 'calendar-pick', role: 'search' },
    field({ id: 'calendar-name', name: 'calendar', type: 'select', label: t('web.cal.which'), required: true, value: name, options: CALENDARS.map((c) => ({ value: c, label: label('web.calendar', c) })) }),
    field({ id: 'calendar-year', name: 'year', type: 'select', label: t('web.cal.year'), required: true, value: String(year), options: [-1, 0, 1, 2].map((d) => ({ value: String(now + d), label: String(now + d) })) })
  );
  for (const sel of pick.querySelectorAll('select'))
    sel.addEventListener('change', () => app.navigate(`/calendars?calendar=${pick.querySelector('#calendar-name').value}&year=${pick.querySelector('#calendar-year').value}`));

  return {
    title: t('web.cal.title'),
    node: h(
      'div',
      { class: 'page calendars-page', id: 'calendars', 'data-calendar': name, 'data-year': String(year) },
      h('div', { class: 'page-head' }, h('div', { class: 'page-head-text' }, h('h1', {}, t('web.cal.title')), h('p', { class: 'lead' }, t('web.cal.intro')))),
      pick,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'holidays-title' },
        h('h2', { id: 'holidays-title' }, t('web.cal.holidays_of', { calendar: label('web.calendar', name), year: String(year) })),
        holidaysTable(cal)
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'overrides-title' },
        h('h2', { id: 'overrides-title' }, t('web.cal.overrides_of', { year: String(year) })),
        h('p', { class: 'hint' }, t('web.cal.overrides_help')),
        overridesTable(app, name, cal, admin),
        admin ? overrideForm(app, name, year) : null
      )
    ),
  };
}
