// views/shortlist.js: a commercial case's shortlist of three (GET/POST
// /api/v1/cases/{id}/shortlist, POST …/shortlist/ranking). On the case page, everyone on the case
// sees the list (who, their languages and where they are qualified), its state and the last day;
// each party's side puts the three in its order of preference (and may change it until the other
// side has ranked); the choice is announced. On the assignment page, a case officer picks three
// of the proposal's candidates and offers them.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, busy } from '../dom.js';
import { label, fmtDay } from './casekit.js';
import { qualShort, spokenText, forgetMediators } from './mediators.js';

const SIZE = 3;
// Statuses in which a commercial case may have (had) a shortlist worth showing.
const SHORTLIST_FROM = ['respondent_agreed', 'mediator_assigned', 'in_mediation'];

// The case's latest shortlist, or null when it has none (its timeline tells whether one was
// ever offered) or the reader may not see it.
export async function loadShortlist(c) {
  if (c.type !== 'commercial' || !SHORTLIST_FROM.includes(c.status)) return null;
  if (!(c.timeline || []).some((e) => e.event === 'shortlist_offered')) return null;
  try {
    return await api.get(`/api/v1/cases/${c.id}/shortlist`);
  } catch (e) {
    if (e instanceof api.ApiError && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}

const memberName = (s, username) => (s.mediators.find((m) => m.username === username) || {}).name || username;

function membersList(s) {
  return h(
    'ol',
    { class: 'shortlist-members', id: 'shortlist-members' },
    s.mediators.map((m) =>
      h(
        'li',
        { class: 'shortlist-member', 'data-mediator': m.username, 'data-chosen': s.chosen === m.username ? 'true' : null },
        h('p', { class: 'shortlist-name' }, h('strong', {}, m.name || m.username), ' ', h('span', { class: 'mono muted' }, m.username),
          s.chosen === m.username ? [' ', h('span', { class: 'tag tag-accent' }, t('web.shortlist.chosen_tag'))] : null),
        h(
          'dl',
          { class: 'facts facts-compact' },
          h('div', { class: 'fact' }, h('dt', {}, t('web.med.col_languages')), h('dd', {}, spokenText(m.spoken))),
          h('div', { class: 'fact' }, h('dt', {}, t('web.med.col_qualifications')), h('dd', {}, qualShort(m)))
        )
      )
    )
  );
}

// What each side has done, as far as the reader may see.
function sidesList(s) {
  return h(
    'ul',
    { class: 'plain-list shortlist-sides', id: 'shortlist-sides' },
    ['applicant', 'respondent'].map((side) => {
      const x = s.sides[side];
      const text = !x.ranked
        ? t('web.shortlist.side_waiting')
        : x.ranking
          ? t('web.shortlist.side_ranking', { order: x.ranking.map((u) => memberName(s, u)).join(' › ') })
          : t('web.shortlist.side_ranked');
      return h('li', { 'data-side': side, 'data-ranked': x.ranked ? 'true' : 'false' }, h('strong', {}, label('web.shortlist.side', side)), ' ', text);
    })
  );
}

// The ranking form of the reader's side: three selects, first to third choice.
function rankForm(app, c, s) {
  const mine = s.sides[s.your_side].ranking || s.mediators.map((m) => m.username);
  const options = s.mediators.map((m) => ({ value: m.username, label: `${m.name || m.username} (${m.username})` }));
  const form = h('form', { class: 'form shortlist-rank', id: 'shortlist-rank', novalidate: true, 'aria-labelledby': 'shortlist-rank-title' });
  const selects = [0, 1, 2].map((i) =>
    field({ id: `shortlist-rank-${i + 1}`, name: `rank${i + 1}`, path: `ranking[${i}]`, type: 'select', label: t(`web.shortlist.choice_${i + 1}`), options, value: mine[i], required: true })
  );
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'shortlist-rank-submit' }, t(s.sides[s.your_side].ranked ? 'web.shortlist.rank_change' : 'web.shortlist.rank_submit'));
  form.append(
    h('h3', { id: 'shortlist-rank-title' }, t('web.shortlist.rank_title')),
    h('p', { class: 'hint' }, t('web.shortlist.rank_help')),
    errorSummary(),
    ...selects,
    h('div', { class: 'actions' }, submit)
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const ranking = [...form.querySelectorAll('select')].map((x) => x.value);
    if (new Set(ranking).size !== SIZE) {
      // said here, before asking the server: each of the three once
      const at = ranking.findIndex((u, i) => ranking.indexOf(u) !== i);
      showErrors(form, { fields: [{ field: `ranking[${at}]`, message: t('web.shortlist.each_once') }] }, t('web.shortlist.each_once'));
      return;
    }
    await busy(submit, async () => {
      try {
        const r = await api.post(`/api/v1/cases/${c.id}/shortlist/ranking`, { ranking });
        forgetMediators(app);
        app.flash(r.status === 'chosen' ? { key: 'web.shortlist.chosen_done', args: { name: memberName(r, r.chosen) } } : { key: 'web.shortlist.ranked_done' });
        await app.navigate(`/cases/${c.id}`, { replace: true });
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  return form;
}

// The shortlist card of the case page (null when the case has none).
export function shortlistSection(app, c, s) {
  if (!s) return null;
  const open = s.status === 'open';
  return h(
    'section',
    { class: 'card shortlist', id: 'shortlist', 'data-status': s.status, 'aria-labelledby': 'shortlist-title' },
    h('h2', { id: 'shortlist-title' }, t('web.shortlist.title')),
    h('p', { class: 'shortlist-state', id: 'shortlist-state' }, label('web.shortlist.status', s.status)),
    open ? h('p', { class: 'lead-small' }, t('web.shortlist.intro', { date: fmtDay(s.respond_by, 'long') })) : null,
    membersList(s),
    sidesList(s),
    open && s.can_rank ? rankForm(app, c, s) : null
  );
}

// The officer's offer on the assignment page: three of the candidates, in the order ticked.
export function offerSection(app, c, candidates, current, nameOf) {
  if (c.type !== 'commercial' || c.status !== 'respondent_agreed') return null;
  const intro = h('p', { class: 'hint' }, t('web.shortlist.offer_intro'));
  if (candidates.length < SIZE) {
    return h(
      'section',
      { class: 'card', id: 'shortlist-offer', 'aria-labelledby': 'shortlist-offer-title' },
      h('h2', { id: 'shortlist-offer-title' }, t('web.shortlist.offer_title')),
      intro,
      h('p', { class: 'muted', id: 'shortlist-offer-none' }, t('web.shortlist.too_few', { count: candidates.length }))
    );
  }
  const order = []; // usernames in the order ticked
  const group = choiceGroup({
    id: 'shortlist-offer-choices',
    name: 'mediators',
    path: 'mediators',
    legend: t('web.shortlist.offer_pick'),
    hint: t('web.shortlist.offer_pick_hint'),
    type: 'checkbox',
    items: candidates.map((x) => ({ value: x.mediator, label: nameOf(x.mediator) })),
  });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'shortlist-offer-submit', disabled: true }, t('web.shortlist.offer_submit'));
  const boxes = [...group.querySelectorAll('input')];
  const sync = () => {
    for (const b of boxes) b.disabled = !b.checked && order.length >= SIZE;
    submit.disabled = order.length !== SIZE;
  };
  for (const b of boxes)
    b.addEventListener('change', () => {
      const i = order.indexOf(b.value);
      if (b.checked && i < 0) order.push(b.value);
      if (!b.checked && i >= 0) order.splice(i, 1);
      sync();
    });
  const form = h('form', { class: 'form', id: 'shortlist-offer-form', novalidate: true }, errorSummary(), group, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    await busy(submit, async () => {
      try {
        await api.post(`/api/v1/cases/${c.id}/shortlist`, { mediators: order });
        app.flash({ key: 'web.shortlist.offered_done' });
        await app.navigate(`/cases/${c.id}`);
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
        sync();
      }
    });
  });
  return h(
    'section',
    { class: 'card', id: 'shortlist-offer', 'aria-labelledby': 'shortlist-offer-title' },
    h('h2', { id: 'shortlist-offer-title' }, t('web.shortlist.offer_title')),
    intro,
    current && current.status === 'open' ? h('p', { class: 'notice', id: 'shortlist-offer-replaces' }, t('web.shortlist.replaces', { date: fmtDay(current.respond_by, 'long') })) : null,
    form
  );
}
