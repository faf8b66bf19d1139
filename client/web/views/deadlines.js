// views/deadlines.js: a case officer's running deadlines (GET /api/v1/deadlines): each case's
// respondent answer and end of mediation, soonest first, overdue ones flagged and counted.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h } from '../dom.js';
import { label, statusBadge, fmtDay } from './casekit.js';

export async function deadlinesView(app) {
  if (app.user.role !== 'case_officer') {
    return {
      title: t('web.deadlines.title'),
      node: h('section', { class: 'page narrow' }, h('h1', {}, t('web.deadlines.title')), h('p', {}, t('web.deadlines.not_for_role'))),
    };
  }
  const reply = await api.get('/api/v1/deadlines');
  const items = [...(reply.items || [])].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const overdue = items.filter((d) => d.overdue).length;
  const cols = ['due', 'case', 'kind', 'status'];
  const table = items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data-table deadlines-table', id: 'deadlines-table' },
          h('caption', { class: 'visually-hidden' }, t('web.deadlines.title')),
          h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(`web.deadlines.col_${k}`))))),
          h(
            'tbody',
            {},
            items.map((d) =>
              h(
                'tr',
                { class: d.overdue ? 'row-overdue' : null, 'data-case': d.case, 'data-kind': d.kind, 'data-overdue': d.overdue ? 'true' : 'false' },
                h(
                  'th',
                  { scope: 'row', 'data-label': t('web.deadlines.col_due') },
                  h(
                    'span',
                    { class: d.overdue ? 'deadline overdue' : 'deadline' },
                    d.overdue ? h('span', { class: 'overdue-flag' }, t('web.deadline.overdue')) : null,
                    h('time', { datetime: d.due }, fmtDay(d.due))
                  )
                ),
                h('td', { 'data-label': t('web.deadlines.col_case') }, h('a', { href: `/cases/${d.case}`, 'data-route': '', class: 'mono' }, d.number || `#${d.case}`)),
                h('td', { 'data-label': t('web.deadlines.col_kind') }, label('web.deadline', d.kind)),
                h('td', { 'data-label': t('web.deadlines.col_status') }, statusBadge(d.status))
              )
            )
          )
        )
      )
    : h('p', { class: 'muted', id: 'deadlines-empty' }, t('web.deadlines.empty'));
  return {
    title: t('web.deadlines.title'),
    node: h(
      'div',
      { class: 'page deadlines-page', id: 'deadlines' },
      h(
        'div',
        { class: 'page-head' },
        h('div', { class: 'page-head-text' }, h('h1', {}, t('web.deadlines.title')), h('p', { class: 'lead' }, t('web.deadlines.intro', { today: fmtDay(reply.today, 'full') })))
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'deadlines-list-title' },
        h('h2', { id: 'deadlines-list-title' }, t('web.deadlines.count', { count: items.length })),
        overdue ? h('p', { class: 'notice notice-error', id: 'deadlines-overdue' }, t('web.deadlines.overdue_count', { count: overdue })) : null,
        table
      )
    ),
  };
}
