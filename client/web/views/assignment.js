// views/assignment.js: a case officer assigns mediators (GET /api/v1/cases/{id}/assignment-proposal,
// POST /api/v1/cases/{id}/assignment). The proposal is shown whole and as the server explains it:
// its first choice (assigned with one press), the proposed pairs of a cross-border case, every
// ranked candidate with each reason and its points, and every excluded mediator with the reasons
// (a conflict of interest flagged). Choosing other than the first choice asks for a reason; a
// mediator excluded only for a conflict asks for a written override, which the parties will read
// in the timeline. The server's field errors are shown next to what they are about.

import { t, list } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, busy } from '../dom.js';
import { label, statusBadge, typeLabel, centerLabel, converted } from './casekit.js';
import { loadShortlist, offerSection } from './shortlist.js';
import { mediatorIndex, mediatorName, mediatorPlainName, loadText, qualShort, spokenText, forgetMediators } from './mediators.js';

// Statuses in which mediators may be assigned (or reassigned).
export const ASSIGNABLE = ['respondent_agreed', 'mediator_assigned', 'in_mediation'];
// Statuses in which the proposal is worth reading: from submission until mediation ends.
export const PROPOSAL_FROM = ['submitted', 'screening', 'more_info_requested', 'accepted', 'respondent_invited', ...ASSIGNABLE];

// The reasons of a candidate, pair or exclusion, each with its points (not for exclusions, where
// every reason is a reason to exclude).
function reasonsList(reasons, { excluded = false } = {}) {
  return h(
    'ul',
    { class: `reasons${excluded ? ' reasons-excluded' : ''}` },
    (reasons || []).map((r) => {
      const conflict = r.code === 'conflict_of_interest';
      return h(
        'li',
        { class: `reason${conflict ? ' reason-conflict' : ''}`, 'data-code': r.code, 'data-kind': r.kind || null },
        conflict ? h('span', { class: 'conflict-flag' }, t('web.assign.conflict_flag')) : null,
        h('span', { class: 'reason-text' }, r.message || r.code),
        excluded
          ? null
          : h(
              'span',
              { class: `points${r.points > 0 ? '' : ' points-zero'}`, 'aria-label': t('web.assign.points_label', { points: r.points || 0 }) },
              t('web.assign.points', { points: r.points || 0 })
            )
      );
    })
  );
}

// Facts about a mediator from the directory: languages, load, qualifications.
function mediatorFacts(index, username) {
  const m = index && index.get(username);
  if (!m) return null;
  return h(
    'dl',
    { class: 'facts facts-compact' },
    h('div', { class: 'fact' }, h('dt', {}, t('web.med.col_languages')), h('dd', {}, spokenText(m.spoken))),
    h('div', { class: 'fact' }, h('dt', {}, t('web.med.col_load')), h('dd', {}, loadText(m))),
    h('div', { class: 'fact' }, h('dt', {}, t('web.med.col_qualifications')), h('dd', {}, qualShort(m)))
  );
}

function scoreTag(score) {
  return h('span', { class: 'score' }, t('web.assign.score', { score }));
}

// The names of a choice, lead first: "周建华 (lead) and João Fonseca (co-mediator)".
function choiceNames(index, names) {
  if (names.length === 1) return mediatorPlainName(index, names[0]);
  return list(names.map((u, i) => t(i === 0 ? 'web.assign.as_lead' : 'web.assign.as_co', { name: mediatorPlainName(index, u) })));
}

// The form that assigns `names` (the lead first). opts: {needsReason, override (a conflicted
// mediator), pair (offer the choice of lead), oneClick (no questions: the proposal's first choice),
// idPrefix}. On success the case page opens with a notice.
function assignForm(app, c, index, names, opts) {
  const p = opts.idPrefix;
  const form = h('form', { class: 'form assign-form', id: `${p}-form`, novalidate: true, 'data-mediators': names.join(' ') });
  let order = [...names];
  // where the server's errors about each chosen mediator are shown
  const anchors = h(
    'ul',
    { class: 'plain-list chosen-list' },
    names.map((u, i) =>
      h(
        'li',
        { class: 'field field-anchor', 'data-path': `mediators[${i}]`, id: `${p}-m${i}`, 'data-label': mediatorPlainName(index, u) },
        h('p', { class: 'field-error', id: `${p}-m${i}-error`, hidden: true })
      )
    )
  );
  let leadGroup = null;
  if (opts.pair && !opts.oneClick) {
    leadGroup = choiceGroup({
      id: `${p}-lead`,
      name: `${p}-lead`,
      legend: t('web.assign.lead_legend'),
      hint: t('web.assign.lead_hint'),
      type: 'radio',
      items: names.map((u) => ({ value: u, label: mediatorPlainName(index, u) })),
    });
    leadGroup.classList.add('inline-choices');
    leadGroup.querySelector('input').checked = true;
    leadGroup.addEventListener('change', () => {
      const lead = leadGroup.querySelector('input:checked').value;
      order = [lead, ...names.filter((x) => x !== lead)];
    });
  }
  const reason = opts.oneClick
    ? null
    : field({
        id: `${p}-reason`,
        name: 'reason',
        path: 'reason',
        type: 'textarea',
        rows: 3,
        label: t('web.assign.reason_label'),
        hint: t(opts.needsReason ? 'web.assign.reason_hint' : 'web.assign.reason_hint_optional'),
        required: opts.needsReason,
        attrs: { maxlength: 2000 },
      });
  const override = opts.override
    ? field({
        id: `${p}-override`,
        name: 'override_reason',
        path: 'override_reason',
        type: 'textarea',
        rows: 4,
        label: t('web.assign.override_label'),
        hint: t('web.assign.override_hint'),
        required: true,
        attrs: { maxlength: 2000 },
      })
    : null;
  const submit = h(
    'button',
    { type: 'submit', class: `button ${opts.override ? 'button-danger' : 'button-primary'}`, id: `${p}-submit` },
    opts.oneClick ? t('web.assign.assign_names', { names: choiceNames(index, names) }) : t(opts.override ? 'web.assign.confirm_override' : 'web.assign.confirm')
  );
  const cancel = opts.onCancel ? h('button', { type: 'button', class: 'button button-quiet', id: `${p}-cancel` }, t('web.action.cancel')) : null;
  if (cancel) cancel.addEventListener('click', opts.onCancel);
  form.append(
    ...[
      opts.title ? h('h4', { id: `${p}-title`, tabindex: '-1' }, opts.title) : null,
      opts.override ? h('div', { class: 'notice notice-error override-warning', id: `${p}-warning` }, h('p', {}, t('web.assign.override_warning'))) : null,
      errorSummary(),
      anchors,
      leadGroup,
      override,
      reason,
      h('div', { class: 'actions' }, submit, cancel),
    ].filter(Boolean)
  );
  if (opts.title) form.setAttribute('aria-labelledby', `${p}-title`);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { mediators: order };
    const why = reason ? reason.querySelector('textarea').value.trim() : '';
    const over = override ? override.querySelector('textarea').value.trim() : '';
    if (why) body.reason = why;
    if (over) body.override_reason = over;
    // the errors must be placed by the order sent: re-label the anchors for it
    order.forEach((u, i) => {
      const a = form.querySelector(`[data-path="mediators[${i}]"]`);
      if (a) a.dataset.label = mediatorPlainName(index, u);
    });
    await busy(submit, async () => {
      try {
        const reply = await api.post(`/api/v1/cases/${c.id}/assignment`, body);
        forgetMediators(app); // loads changed
        const now = (reply.mediators || []).map((x) => x.username);
        app.flash({ key: 'web.assign.done', args: { names: choiceNames(index, now.length ? now : order) } });
        await app.navigate(`/cases/${c.id}`);
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        // "needs a written override" is answered in the override box: show it there
        const fields = (err.fields || []).map((f) => (f.code === 'conflict_needs_override' && override ? { ...f, field: 'override_reason' } : f));
        showErrors(form, { ...err, fields, serverMessage: err.serverMessage }, app.errorText(err));
      }
    });
  });
  return form;
}

// An item of the proposal: a candidate, a pair or an excluded mediator, with its choose button
// and the form it opens (one open at a time on the page).
function proposalItem(app, c, index, state, { kind, names, score, reasons, rank, tags: givenTags = [], choose }) {
  let tags = givenTags;
  const id = `${kind}-${rank}`;
  const panel = h('div', { class: 'choose-panel', id: `${id}-panel` });
  let button = null;
  if (choose) {
    button = h(
      'button',
      { type: 'button', class: `button ${choose.override ? 'button-danger-quiet' : 'button-secondary'}`, id: `${id}-choose`, 'aria-expanded': 'false', 'aria-controls': `${id}-panel` },
      choose.label
    );
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') === 'true';
      state.closeAll();
      if (open) return;
      button.setAttribute('aria-expanded', 'true');
      const close = () => {
        panel.replaceChildren();
        button.setAttribute('aria-expanded', 'false');
        button.focus();
      };
      const form = assignForm(app, c, index, names, { ...choose, idPrefix: id, title: choose.title, onCancel: close });
      panel.replaceChildren(form);
      const first = form.querySelector('textarea') || form.querySelector('h4');
      first.focus();
    });
    state.closers.push(() => {
      panel.replaceChildren();
      button.setAttribute('aria-expanded', 'false');
    });
  }
  const current = names.every((u) => (c.mediators || []).some((m) => m.username === u));
  // a mediator who stepped aside from this case (the proposal does not know it)
  for (const u of names) {
    const r = (state.recused || []).find((x) => x.mediator === u);
    if (r) tags = [...tags, h('span', { class: 'tag tag-warn recused-tag', 'data-recused': u }, t('web.assign.recused', { name: mediatorPlainName(index, u) }))];
  }
  return h(
    'article',
    { class: `proposal-item proposal-${kind}${(reasons || []).some((r) => r.code === 'conflict_of_interest') ? ' has-conflict' : ''}`, id, 'data-mediators': names.join(' '), 'data-mediator': names.length === 1 ? names[0] : null, 'aria-labelledby': `${id}-name` },
    h(
      'div',
      { class: 'proposal-head' },
      h('span', { class: 'rank', 'aria-hidden': kind === 'excluded' ? 'true' : null }, kind === 'excluded' ? '✕' : `${rank}`),
      h(
        'h3',
        { class: 'proposal-name', id: `${id}-name` },
        kind === 'excluded' ? null : h('span', { class: 'visually-hidden' }, t('web.assign.rank', { rank }), ' '),
        names.map((u, i) => [i ? h('span', { class: 'plus', 'aria-hidden': 'true' }, ' + ') : null, i ? h('span', { class: 'visually-hidden' }, t('web.assign.and')) : null, mediatorName(index, u)])
      ),
      kind === 'excluded' ? h('span', { class: 'tag tag-off' }, t('web.assign.excluded_tag')) : scoreTag(score)
    ),
    tags.length || current ? h('p', { class: 'proposal-tags' }, tags, current ? h('span', { class: 'tag tag-ok' }, t('web.assign.current')) : null) : null,
    names.length === 1 ? mediatorFacts(index, names[0]) : h('div', { class: 'pair-facts' }, names.map((u) => h('div', {}, h('p', { class: 'pair-member' }, mediatorPlainName(index, u)), mediatorFacts(index, u)))),
    h('h4', { class: 'reasons-title' }, t(kind === 'excluded' ? 'web.assign.why_excluded' : 'web.assign.why_score')),
    reasonsList(reasons, { excluded: kind === 'excluded' }),
    button ? h('div', { class: 'actions' }, button) : null,
    panel
  );
}

export async function assignmentView(app, idText) {
  const id = Number(idText);
  if (app.user.role !== 'case_officer') {
    return {
      title: t('web.assign.title'),
      node: h('section', { class: 'page narrow' }, h('h1', {}, t('web.assign.title')), h('p', {}, t('web.assign.not_for_role'))),
    };
  }
  const [c, proposal, index] = await Promise.all([api.get(`/api/v1/cases/${id}`), api.get(`/api/v1/cases/${id}/assignment-proposal`), mediatorIndex(app)]);
  // recusals accepted on this case: the proposal may still name those mediators
  let recused = [];
  if ((c.timeline || []).some((e) => e.event === 'assign_mediator' || e.event === 'reassign_mediator')) {
    recused = ((await api.get(`/api/v1/cases/${id}/recusals`)).items || []).filter((r) => r.status === 'accepted');
  }
  const center = await centerLabel(app, c.center);
  const shortlist = await loadShortlist(c);
  const canAssign = ASSIGNABLE.includes(c.status);
  const cands = proposal.candidates || [];
  const pairs = proposal.pairs || [];
  const excluded = proposal.excluded || [];
  const state = {
    recused,
    closers: [],
    closeAll() {
      for (const f of this.closers) f();
    },
  };
  // The proposal's first choice: for a cross-border case its first pair, else its first candidate.
  const firstPair = proposal.cross_border && pairs.length ? pairs[0] : null;
  const first = firstPair
    ? { names: firstPair.mediators, score: firstPair.score, reasons: firstPair.reasons, pair: true }
    : cands.length
      ? { names: [cands[0].mediator], score: cands[0].score, reasons: cands[0].reasons, pair: false }
      : pairs.length
        ? { names: pairs[0].mediators, score: pairs[0].score, reasons: pairs[0].reasons, pair: true }
        : null;
  const firstIsCurrent = first && (c.mediators || []).length === first.names.length && first.names.every((u, i) => c.mediators[i].username === u);
  const isFirst = (names) => first && names.length === first.names.length && names.every((u) => first.names.includes(u));
  const topCandidate = cands.length ? cands[0].mediator : null;
  const topPair = pairs.length ? pairs[0].mediators : null;
  // the server takes without a reason its first candidate, or its first pair
  const reasonFree = (names) =>
    (names.length === 1 && names[0] === topCandidate) || (names.length === 2 && topPair && names.every((u) => topPair.includes(u)));

  const title = converted(c, 'title', { tag: 'span' });
  const head = h(
    'header',
    { class: 'case-head' },
    h('p', { class: 'back' }, h('a', { href: `/cases/${c.id}`, 'data-route': '', id: 'back-link' }, t('web.assign.back', { number: c.number || `#${c.id}` }))),
    h('p', { class: 'eyebrow', id: 'case-number' }, c.number),
    h('h1', { id: 'assignment-title' }, t('web.assign.title')),
    h('p', { class: 'assign-case-title' }, title.text, title.note ? [' ', title.note] : null),
    h('div', { class: 'case-meta' }, statusBadge(c.status, 'case-status'), h('span', { class: 'meta-item' }, center), h('span', { class: 'meta-item' }, typeLabel(c.type, c.subtype))),
    h('p', { class: 'lead-small' }, t('web.assign.intro')),
    proposal.cross_border ? h('p', { class: 'notice cross-border-note', id: 'cross-border-note' }, t('web.assign.cross_border')) : null,
    (c.mediators || []).length
      ? h(
          'p',
          { class: 'notice', id: 'assigned-now' },
          t('web.assign.assigned_now', { names: choiceNames(index, c.mediators.map((m) => m.username)) })
        )
      : null,
    canAssign ? null : h('p', { class: 'notice', id: 'not-yet' }, t('web.assign.not_yet', { status: label('web.status', c.status) }))
  );

  // the first choice, assigned with one press
  let firstCard;
  if (first) {
    const item = proposalItem(app, c, index, state, { kind: 'first', names: first.names, score: first.score, reasons: first.reasons, rank: 1, tags: [h('span', { class: 'tag tag-accent' }, t(first.pair ? 'web.assign.first_pair' : 'web.assign.first_candidate'))] });
    firstCard = h(
      'section',
      { class: 'card first-choice', id: 'first-choice', 'aria-labelledby': 'first-choice-title' },
      h('h2', { id: 'first-choice-title' }, t('web.assign.first_choice')),
      item,
      canAssign && !firstIsCurrent ? assignForm(app, c, index, first.names, { oneClick: true, idPrefix: 'first-choice-assign', pair: first.pair }) : null
    );
  } else {
    firstCard = h(
      'section',
      { class: 'card first-choice', id: 'first-choice', 'aria-labelledby': 'first-choice-title' },
      h('h2', { id: 'first-choice-title' }, t('web.assign.first_choice')),
      h('p', { class: 'notice notice-error', id: 'no-proposal' }, t('web.assign.none_possible'))
    );
  }

  const chooseFor = (names, { pair = false, override = false } = {}) => {
    if (!canAssign) return null;
    const needsReason = !reasonFree(names);
    const who = choiceNames(index, names);
    return {
      pair,
      override,
      needsReason,
      label: override ? t('web.assign.choose_override') : t(pair ? 'web.assign.choose_pair' : 'web.assign.choose'),
      title: t(override ? 'web.assign.override_title' : 'web.assign.choose_title', { names: who }),
    };
  };

  const pairsSection = pairs.length
    ? h(
        'section',
        { class: 'card', id: 'proposal-pairs', 'aria-labelledby': 'proposal-pairs-title' },
        h('h2', { id: 'proposal-pairs-title' }, t('web.assign.pairs', { count: pairs.length })),
        h('p', { class: 'hint' }, t('web.assign.pairs_intro')),
        h(
          'div',
          { class: 'proposal-list' },
          pairs.map((p, i) =>
            proposalItem(app, c, index, state, {
              kind: 'pair',
              names: p.mediators,
              score: p.score,
              reasons: p.reasons,
              rank: i + 1,
              tags: isFirst(p.mediators) ? [h('span', { class: 'tag tag-accent' }, t('web.assign.first_choice'))] : [],
              choose: isFirst(p.mediators) && canAssign ? null : chooseFor(p.mediators, { pair: true }),
            })
          )
        )
      )
    : null;

  const candSection = h(
    'section',
    { class: 'card', id: 'proposal-candidates', 'aria-labelledby': 'proposal-candidates-title' },
    h('h2', { id: 'proposal-candidates-title' }, t('web.assign.candidates', { count: cands.length })),
    cands.length
      ? h(
          'div',
          { class: 'proposal-list' },
          cands.map((x, i) =>
            proposalItem(app, c, index, state, {
              kind: 'candidate',
              names: [x.mediator],
              score: x.score,
              reasons: x.reasons,
              rank: i + 1,
              tags: isFirst([x.mediator]) ? [h('span', { class: 'tag tag-accent' }, t('web.assign.first_choice'))] : [],
              choose: isFirst([x.mediator]) && canAssign ? null : chooseFor([x.mediator]),
            })
          )
        )
      : h('p', { class: 'muted', id: 'candidates-none' }, t(pairs.length ? 'web.assign.no_candidates_pairs' : 'web.assign.no_candidates'))
  );

  const exclSection = h(
    'section',
    { class: 'card', id: 'proposal-excluded', 'aria-labelledby': 'proposal-excluded-title' },
    h('h2', { id: 'proposal-excluded-title' }, t('web.assign.excluded', { count: excluded.length })),
    h('p', { class: 'hint' }, t('web.assign.excluded_intro')),
    excluded.length
      ? h(
          'div',
          { class: 'proposal-list' },
          excluded.map((x, i) => {
            const rs = x.reasons || [];
            const conflict = rs.some((r) => r.code === 'conflict_of_interest');
            const conflictOnly = rs.length > 0 && rs.every((r) => r.code === 'conflict_of_interest');
            return proposalItem(app, c, index, state, {
              kind: 'excluded',
              names: [x.mediator],
              score: 0,
              reasons: rs,
              rank: i + 1,
              tags: conflict ? [h('span', { class: 'tag tag-warn conflict-tag' }, t('web.assign.conflict_flag'))] : [],
              choose: conflictOnly ? chooseFor([x.mediator], { override: true }) : null,
            });
          })
        )
      : h('p', { class: 'muted' }, t('web.assign.none_excluded'))
  );

  return {
    title: t('web.assign.page_title', { number: c.number || `#${c.id}` }),
    node: h(
      'div',
      { class: 'page assignment-page', id: 'assignment', 'data-case': c.id, 'data-status': c.status },
      head,
      firstCard,
      offerSection(app, c, cands, shortlist, (u) => `${mediatorPlainName(index, u)} (${u})`),
      pairsSection,
      candSection,
      exclSection
    ),
  };
}
