// views/case.js: one case for everyone who may see it: its header, where it stands, the steps the
// reader may take now (the server's `actions`), the narrative and claims, the parties, the
// documents, the timeline, deadlines and consent. Party text is shown as written; where the
// reader writes the other Chinese script, as a labelled converted view with the original a
// press away. After a case officer accepts, the respondent's invitation (code and link) is shown
// with copy buttons: the server shows it only in the reply to the acceptance.

import { loadShortlist, shortlistSection } from './shortlist.js';
import { t, list, ENDONYMS } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, busy } from '../dom.js';
import {
  label,
  statusBadge,
  typeLabel,
  converted,
  convBlock,
  fmtDay,
  fmtTime,
  timeEl,
  liveDeadlines,
  deadlineNode,
  centerLabel,
} from './casekit.js';
import { documentsTable, uploadForm } from './documents.js';
import { mediatorIndex, mediatorName, mediatorPlainName, forgetMediators } from './mediators.js';
import { ASSIGNABLE, PROPOSAL_FROM } from './assignment.js';

// Events that take a reason: required (the server refuses without) or invited.
const REASON_REQUIRED = ['decline', 'withdraw', 'respondent_refuse'];
const REASON_OPTIONAL = ['request_more_info', 'provide_more_info'];
// Events that move the case forward (primary buttons); the rest are secondary.
const FORWARD = ['start_screening', 'accept', 'provide_more_info', 'respondent_agree', 'submit'];
const UPLOAD_ROLES = ['resident', 'lawyer', 'case_officer', 'mediator'];

function dl(rows, cls = 'facts') {
  return h(
    'dl',
    { class: cls },
    rows.filter(Boolean).map(([k, v]) => h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v)))
  );
}

function notGiven() {
  return h('span', { class: 'muted' }, t('web.value.not_given'));
}

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), children);
}

// ---- parties -------------------------------------------------------------------------------

function partyCard(p, side, i) {
  const name = converted(p, 'name', { tag: 'span', cls: 'party-name-text' });
  const rows = [];
  if (p.name_latin) rows.push([t('web.party.name_latin'), p.name_latin]);
  rows.push([t('web.party.kind'), label('web.party.kind_value', p.kind)]);
  if (p.residence) rows.push([t('web.party.residence'), label('web.residence', p.residence)]);
  if (p.language) rows.push([t('web.party.language'), h('span', { lang: p.language }, ENDONYMS[p.language] || p.language)]);
  if (p.spoken && p.spoken.length) rows.push([t('web.party.spoken'), list(p.spoken.map((x) => label('web.spoken', x)))]);
  if ('id_document' in p) {
    rows.push([
      t('web.party.id_document'),
      p.id_document ? h('span', {}, label('web.idtype', p.id_document.type), ' ', h('span', { class: 'mono' }, p.id_document.number)) : notGiven(),
    ]);
    rows.push([t('web.party.phone'), p.phone ? h('span', { class: 'mono' }, p.phone) : notGiven()]);
    rows.push([t('web.party.email'), p.email || notGiven()]);
    rows.push([t('web.party.address'), p.address ? convBlock(p, 'address', { tag: 'span' }) : notGiven()]);
  }
  rows.push([t('web.party.lawyer'), p.lawyer ? h('span', { class: 'mono' }, p.lawyer) : h('span', { class: 'muted' }, t('web.party.no_lawyer'))]);
  return h(
    'article',
    { class: 'party-card', 'data-side': side, 'data-index': i },
    h('h4', { class: 'party-name' }, name.text),
    name.note ? h('p', { class: 'party-conv' }, name.note) : null,
    h('p', {}, p.registered ? h('span', { class: 'tag tag-ok' }, t('web.party.registered')) : h('span', { class: 'tag tag-off' }, t('web.party.not_registered'))),
    dl(rows)
  );
}

function partiesSection(c) {
  const group = (side, items) =>
    h(
      'div',
      { class: 'party-group', id: `parties-${side}` },
      h('h3', {}, t(`web.party.side_${side}`, { count: items.length })),
      items.length ? h('div', { class: 'party-grid' }, items.map((p, i) => partyCard(p, side, i))) : h('p', { class: 'muted' }, t('web.party.none'))
    );
  return section('parties', t('web.case.parties'), group('applicants', c.applicants || []), group('respondents', c.respondents || []));
}

// ---- narrative and claims ------------------------------------------------------------------

function narrativeSection(c) {
  const claims = c.claims || [];
  return section(
    'narrative',
    t('web.case.narrative'),
    h('h3', {}, t('web.case.summary')),
    c.summary ? convBlock(c, 'summary', { cls: 'prose', id: 'case-summary' }) : h('p', { class: 'muted' }, t('web.value.not_given')),
    c.request ? [h('h3', {}, t('web.case.request')), convBlock(c, 'request', { cls: 'prose', id: 'case-request' })] : null,
    h('h3', {}, t('web.case.claims', { count: claims.length })),
    claims.length
      ? h(
          'ol',
          { class: 'claims', id: 'claims' },
          claims.map((cl) =>
            h(
              'li',
              { class: 'claim' },
              h('div', { class: 'claim-text' }, convBlock(cl, 'description', { tag: 'p' })),
              h('div', { class: 'claim-amount' }, cl.amount ? h('span', { class: 'amount' }, cl.amount.display) : h('span', { class: 'muted' }, t('web.claim.no_amount')))
            )
          )
        )
      : h('p', { class: 'muted' }, t('web.claim.none'))
  );
}

// ---- timeline, deadlines, consent ----------------------------------------------------------

function timelineSection(c) {
  const items = [...(c.timeline || [])];
  return section(
    'timeline',
    t('web.case.timeline'),
    items.length
      ? h(
          'ol',
          { class: 'timeline', id: 'timeline-list' },
          items.map((e) => {
            const reason = e.reason ? convBlock(e, 'reason', { tag: 'p', cls: 'timeline-reason' }) : null;
            return h(
              'li',
              { class: 'timeline-item', 'data-event': e.event },
              h('p', { class: 'timeline-when' }, timeEl(e.at)),
              h('p', { class: 'timeline-what' }, h('strong', {}, label('web.event', e.event))),
              h(
                'p',
                { class: 'timeline-who muted' },
                t('web.timeline.by', { actor: e.actor || t('web.timeline.system'), role: label('web.role', e.role) }),
                e.to && e.from !== e.to ? [' · ', t('web.timeline.status_to', { status: label('web.status', e.to) })] : null
              ),
              reason ? h('div', { class: 'timeline-reason-wrap' }, h('span', { class: 'visually-hidden' }, t('web.timeline.reason')), reason) : null
            );
          })
        )
      : h('p', { class: 'muted' }, t('web.timeline.empty'))
  );
}

function deadlinesSection(c) {
  const live = liveDeadlines(c);
  const rows = [];
  for (const kind of ['respondent_answer', 'mediation_end']) {
    const d = c.deadlines && c.deadlines[kind];
    if (!d) continue;
    const running = live.find((x) => x.kind === kind);
    rows.push([
      label('web.deadline', kind),
      running
        ? deadlineNode(running, { withKind: false })
        : h('span', { class: 'muted' }, h('time', { datetime: d.date }, fmtDay(d.date)), ' ', t('web.deadline.not_running')),
    ]);
  }
  return section('deadlines', t('web.case.deadlines'), rows.length ? dl(rows) : h('p', { class: 'muted' }, t('web.deadline.none_set')));
}

function consentSection(c) {
  const k = c.consent || {};
  const yes = (v) => (v ? h('span', { class: 'tag tag-ok' }, t('web.value.yes')) : h('span', { class: 'tag tag-off' }, t('web.value.no')));
  const addrs = k.addresses || [];
  return section(
    'consent',
    t('web.case.consent'),
    dl([
      [t('web.consent.mediation_short'), yes(k.mediation)],
      [t('web.consent.eservice_short'), yes(k.electronic_service)],
      addrs.length
        ? [
            t('web.consent.addresses'),
            h(
              'ul',
              { class: 'plain-list' },
              addrs.map((a) => h('li', {}, t('web.filing.field_in', { where: label('web.channel', a.channel), field: a.value })))
            ),
          ]
        : null,
    ]),
    h('p', { class: 'hint' }, t('web.consent.withdraw_note'))
  );
}

// ---- the invitation (after acceptance) ------------------------------------------------------

// Copies text to the clipboard; falls back to selecting the shown value so the user can copy it.
async function copy(text, el) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    el.focus();
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

function invitationCard(inv) {
  const link = `${location.origin}${inv.path}`;
  const status = h('p', { class: 'copy-status', role: 'status', id: 'invitation-copy-status' });
  // the value shown whole (it may be read out over the phone), with its copy button
  const row = (id, name, value) => {
    const shown = h('p', { id, class: 'mono copy-value', tabindex: '0', 'aria-labelledby': `${id}-label ${id}` }, value);
    const button = h('button', { type: 'button', class: 'button button-secondary', id: `${id}-copy` }, t('web.invitation.copy'));
    button.setAttribute('aria-label', t('web.invitation.copy_what', { what: name }));
    button.addEventListener('click', async () => {
      const ok = await copy(value, shown);
      status.textContent = ok ? t('web.invitation.copied', { what: name }) : t('web.invitation.copy_failed');
    });
    return h('div', { class: 'copy-row' }, h('p', { class: 'copy-label', id: `${id}-label` }, name), h('div', { class: 'copy-line' }, shown, button));
  };
  return h(
    'section',
    { class: 'card invitation-card', id: 'invitation', 'aria-labelledby': 'invitation-title', tabindex: '-1' },
    h('h2', { id: 'invitation-title' }, t('web.invitation.card_title')),
    h('p', {}, t('web.invitation.card_body')),
    h('p', { class: 'notice' }, t('web.invitation.once')),
    row('invitation-code', t('web.invitation.code'), inv.code),
    row('invitation-link', t('web.invitation.link'), link),
    status,
    dl([
      [t('web.invitation.expires'), fmtTime(inv.expires_at)],
      inv.respondent_due ? [t('web.invitation.respondent_due'), h('time', { datetime: inv.respondent_due }, fmtDay(inv.respondent_due))] : null,
    ])
  );
}

// ---- actions -------------------------------------------------------------------------------

function actionsSection(app, c) {
  let actions = [...(c.actions || [])];
  const extra = [];
  if (c.status === 'draft') {
    // a draft is submitted from the last step of the filing flow, after review
    actions = actions.filter((a) => a !== 'submit');
    extra.push(h('a', { href: `/cases/${c.id}/edit`, 'data-route': '', class: 'button button-primary', id: 'continue-filing' }, t('web.case.continue_filing')));
  }
  if (!actions.length && !extra.length) return null;
  const panel = h('div', { class: 'action-panel', id: 'action-panel' });
  const buttons = actions.map((ev) => {
    const b = h(
      'button',
      {
        type: 'button',
        class: `button ${FORWARD.includes(ev) ? 'button-primary' : 'button-secondary'}`,
        id: `action-${ev}`,
        'data-event': ev,
        'aria-expanded': 'false',
        'aria-controls': 'action-panel',
      },
      label('web.action_button', ev)
    );
    const running = liveDeadlines(c).find((d) => d.kind === 'respondent_answer');
    if (ev === 'respondent_deadline_passed' && !(running && running.overdue)) {
      // the server offers it at once; it is only true once the answer's deadline has passed
      b.disabled = true;
      b.setAttribute('aria-describedby', 'deadline-passed-hint');
    }
    b.addEventListener('click', () => {
      for (const other of buttonsRow.querySelectorAll('button[aria-expanded]')) other.setAttribute('aria-expanded', String(other === b));
      openAction(app, c, ev, panel, b);
    });
    return b;
  });
  const buttonsRow = h('div', { class: 'actions action-buttons' }, extra, buttons);
  const running = liveDeadlines(c).find((d) => d.kind === 'respondent_answer');
  const hint =
    actions.includes('respondent_deadline_passed') && !(running && running.overdue)
      ? h('p', { class: 'hint', id: 'deadline-passed-hint' }, t('web.action_help.deadline_not_passed', { date: running ? fmtDay(running.date) : '—' }))
      : null;
  const lead = c.status === 'respondent_invited' && actions.includes('respondent_agree') ? h('p', { class: 'lead-small' }, t('web.case.respondent_lead')) : null;
  return h(
    'section',
    { class: 'card actions-card', id: 'case-actions', 'aria-labelledby': 'case-actions-title' },
    h('h2', { id: 'case-actions-title' }, t('web.case.next_steps')),
    lead,
    buttonsRow,
    hint,
    panel
  );
}

// Opens the confirmation form of event ev in panel: what it does, a reason where one is asked.
function openAction(app, c, ev, panel, opener) {
  const needsReason = REASON_REQUIRED.includes(ev);
  const asksReason = needsReason || REASON_OPTIONAL.includes(ev);
  const form = h('form', { class: 'form action-form', id: 'action-form', novalidate: true, 'data-event': ev, 'aria-labelledby': 'action-form-title' });
  const confirm = h(
    'button',
    { type: 'submit', class: `button ${FORWARD.includes(ev) ? 'button-primary' : 'button-danger'}`, id: 'action-confirm' },
    label('web.action_confirm', ev)
  );
  const cancel = h('button', { type: 'button', class: 'button button-quiet', id: 'action-cancel' }, t('web.action.cancel'));
  const reasonField = asksReason
    ? field({
        id: 'action-reason',
        name: 'reason',
        path: 'reason',
        type: 'textarea',
        rows: 4,
        label: label('web.reason_label', ev),
        hint: t(needsReason ? 'web.reason.required_hint' : 'web.reason.optional_hint'),
        required: needsReason,
        attrs: { maxlength: 2000 },
      })
    : null;
  form.append(
    ...[
      h('h3', { id: 'action-form-title', tabindex: '-1' }, label('web.action_button', ev)),
      h('p', {}, label('web.action_help', ev)),
      errorSummary(),
      reasonField,
      h('div', { class: 'actions' }, confirm, cancel),
    ].filter(Boolean)
  );
  cancel.addEventListener('click', () => {
    panel.replaceChildren();
    opener.setAttribute('aria-expanded', 'false');
    opener.focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { event: ev };
    const reason = reasonField ? reasonField.querySelector('textarea').value.trim() : '';
    if (reason) body.reason = reason;
    await busy(confirm, async () => {
      try {
        const reply = await api.post(`/api/v1/cases/${c.id}/events`, body);
        if (reply.invitation) {
          app.cache.invitations = app.cache.invitations || {};
          app.cache.invitations[c.id] = reply.invitation;
          app.cache.invitationFresh = c.id;
        }
        app.flash({ key: 'web.case.event_done', args: { event: label('web.event', ev), status: label('web.status', reply.status) } });
        await app.navigate(`/cases/${c.id}`, { replace: true });
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        // "a reason is required" comes without a field: it belongs to the reason box
        const fields = err.code === 'case.reason_required' ? [{ field: 'reason', message: err.serverMessage }] : err.fields;
        showErrors(form, { ...err, fields, serverMessage: err.serverMessage }, app.errorText(err));
      }
    });
  });
  panel.replaceChildren(form);
  (reasonField ? reasonField.querySelector('textarea') : form.querySelector('h3')).focus();
}

// ---- mediators and recusals -----------------------------------------------------------------

const PARTY_ROLES = ['resident', 'lawyer'];

// Has the case ever had a mediator (so that recusals may exist)?
function everAssigned(c) {
  return (c.mediators || []).length > 0 || (c.timeline || []).some((e) => e.event === 'assign_mediator' || e.event === 'reassign_mediator');
}

// A small form in panel: a heading, an explanation, fields, a confirm button; send(values) does
// the request and returns what to do next. Server field errors are shown in place.
function panelForm(app, { id, title, intro, warning, fields, confirmLabel, danger, send, opener, panel }) {
  const form = h('form', { class: 'form action-form', id, novalidate: true, 'aria-labelledby': `${id}-title` });
  const confirm = h('button', { type: 'submit', class: `button ${danger ? 'button-danger' : 'button-primary'}`, id: `${id}-submit` }, confirmLabel);
  const cancel = h('button', { type: 'button', class: 'button button-quiet', id: `${id}-cancel` }, t('web.action.cancel'));
  form.append(
    ...[
      h('h3', { id: `${id}-title`, tabindex: '-1' }, title),
      intro ? h('p', {}, intro) : null,
      warning ? h('p', { class: 'notice notice-error' }, warning) : null,
      errorSummary(),
      ...fields,
      h('div', { class: 'actions' }, confirm, cancel),
    ].filter(Boolean)
  );
  cancel.addEventListener('click', () => {
    panel.replaceChildren();
    if (opener) {
      opener.setAttribute('aria-expanded', 'false');
      opener.focus();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    await busy(confirm, async () => {
      try {
        await send(form);
      } catch (err) {
        if (!(err instanceof api.ApiError)) throw err;
        if (app.handleAuthError(err)) return;
        showErrors(form, err, app.errorText(err));
      }
    });
  });
  panel.replaceChildren(form);
  if (opener) opener.setAttribute('aria-expanded', 'true');
  (form.querySelector('textarea, input') || form.querySelector('h3')).focus();
  return form;
}

function groundsField(id, labelKey, hintKey) {
  return field({ id, name: 'grounds', path: 'grounds', type: 'textarea', rows: 4, label: t(labelKey), hint: t(hintKey), required: true, attrs: { maxlength: 2000 } });
}

function recusalItem(app, c, index, r, panelFor) {
  const officer = app.user.role === 'case_officer';
  const pending = r.status === 'pending';
  const panel = h('div', { class: 'action-panel', id: `recusal-${r.id}-panel` });
  const decide = (accept, button) => {
    const reason = field({
      id: `recusal-${r.id}-reason`,
      name: 'reason',
      path: 'reason',
      type: 'textarea',
      rows: 3,
      label: t(accept ? 'web.recusal.accept_reason' : 'web.recusal.refuse_reason'),
      hint: t('web.recusal.decision_hint'),
      required: true,
      attrs: { maxlength: 2000 },
    });
    panelFor(panel);
    panelForm(app, {
      id: `recusal-${r.id}-decision`,
      title: t(accept ? 'web.recusal.accept_title' : 'web.recusal.refuse_title', { name: mediatorPlainName(index, r.mediator) }),
      intro: t(accept ? 'web.recusal.accept_help' : 'web.recusal.refuse_help'),
      fields: [reason],
      confirmLabel: t(accept ? 'web.recusal.accept' : 'web.recusal.refuse'),
      danger: !accept,
      opener: button,
      panel,
      send: async (form) => {
        const text = form.querySelector('textarea').value.trim();
        const reply = await api.post(`/api/v1/cases/${c.id}/recusals/${r.id}/decision`, { accept, reason: text });
        forgetMediators(app); // loads changed
        app.flash({ key: accept ? 'web.recusal.accepted_done' : 'web.recusal.refused_done', args: { name: mediatorPlainName(index, r.mediator), status: label('web.status', reply.status) } });
        await app.navigate(`/cases/${c.id}`, { replace: true });
      },
    });
  };
  let buttons = null;
  if (officer && pending) {
    const acceptB = h('button', { type: 'button', class: 'button button-primary', id: `recusal-${r.id}-accept`, 'aria-expanded': 'false', 'aria-controls': panel.id }, t('web.recusal.accept'));
    const refuseB = h('button', { type: 'button', class: 'button button-secondary', id: `recusal-${r.id}-refuse`, 'aria-expanded': 'false', 'aria-controls': panel.id }, t('web.recusal.refuse'));
    acceptB.addEventListener('click', () => {
      refuseB.setAttribute('aria-expanded', 'false');
      decide(true, acceptB);
    });
    refuseB.addEventListener('click', () => {
      acceptB.setAttribute('aria-expanded', 'false');
      decide(false, refuseB);
    });
    buttons = h('div', { class: 'actions' }, acceptB, refuseB);
  }
  const tone = { pending: 'status-attention', accepted: 'status-good', refused: 'status-ended' }[r.status] || 'status-ended';
  return h(
    'li',
    { class: 'recusal-item', 'data-recusal': r.id, 'data-status': r.status, 'data-mediator': r.mediator },
    h(
      'p',
      { class: 'recusal-head' },
      h('span', { class: `status ${tone}` }, label('web.recusal.status', r.status)),
      ' ',
      h('strong', {}, t('web.recusal.of', { name: mediatorPlainName(index, r.mediator) })),
      ' ',
      h('span', { class: 'muted' }, timeEl(r.created_at))
    ),
    h('p', { class: 'recusal-label' }, t('web.recusal.grounds')),
    h('p', { class: 'prose recusal-grounds' }, r.grounds),
    r.decision ? [h('p', { class: 'recusal-label' }, t('web.recusal.decision')), h('p', { class: 'prose recusal-decision' }, r.decision)] : null,
    buttons,
    panel
  );
}

// The mediators of the case (lead and co-mediator), its recusal requests, and what the reader may
// do about them: officers open the assignment proposal and decide requests, parties ask for a
// recusal, a mediator of the case recuses themself. Null when there is nothing to show.
async function mediatorsSection(app, c) {
  const role = app.user.role;
  const assigned = c.mediators || [];
  const officer = role === 'case_officer';
  const showProposal = officer && PROPOSAL_FROM.includes(c.status);
  const hadMediators = everAssigned(c);
  if (!hadMediators && !showProposal) return null;
  const index = await mediatorIndex(app).catch((e) => {
    if (e instanceof api.ApiError && e.status === 401) throw e;
    return null; // names are a help, not a need: usernames still say who
  });
  const errorBox = h('p', { class: 'inline-error', role: 'alert', hidden: true, id: 'recusals-error' });
  let recusals = [];
  if (hadMediators) {
    try {
      recusals = (await api.get(`/api/v1/cases/${c.id}/recusals`)).items || [];
    } catch (e) {
      if (e instanceof api.ApiError && e.status === 401) throw e;
      errorBox.textContent = app.errorText(e);
      errorBox.hidden = false;
    }
  }
  const me = app.user.username;
  const mine = role === 'mediator' && assigned.some((m) => m.username === me);
  // one open form at a time in this card
  const panels = [];
  const panelFor = (p) => {
    for (const x of panels) if (x !== p) x.replaceChildren();
    for (const b of card.querySelectorAll('button[aria-expanded="true"]')) b.setAttribute('aria-expanded', 'false');
  };

  const mediatorList = assigned.length
    ? h(
        'ul',
        { class: 'mediator-list', id: 'case-mediators' },
        assigned.map((m) =>
          h(
            'li',
            { class: 'mediator-item', 'data-mediator': m.username, 'data-role': m.role },
            h('span', { class: `tag ${m.role === 'lead' ? 'tag-accent' : 'tag-off'} med-role` }, label('web.mediator_role', m.role)),
            ' ',
            mediatorName(index, m.username, { link: officer }),
            m.username === me ? h('span', { class: 'muted' }, ' ', t('web.case.mediators_you')) : null
          )
        )
      )
    : h('p', { class: 'muted', id: 'case-mediators-none' }, t(hadMediators && ASSIGNABLE.includes(c.status) ? 'web.case.mediators_none_now' : 'web.case.mediators_none'));

  const actions = [];
  const panel = h('div', { class: 'action-panel', id: 'mediators-panel' });
  panels.push(panel);
  if (showProposal) {
    const primary = ASSIGNABLE.includes(c.status) && !assigned.length;
    actions.push(
      h(
        'a',
        { href: `/cases/${c.id}/assignment`, 'data-route': '', class: `button ${primary ? 'button-primary' : 'button-secondary'}`, id: 'open-assignment' },
        t(primary ? 'web.case.assign_mediators' : ASSIGNABLE.includes(c.status) ? 'web.case.reassign_mediators' : 'web.case.view_proposal')
      )
    );
  }
  if (PARTY_ROLES.includes(role) && assigned.length) {
    const ask = h('button', { type: 'button', class: 'button button-secondary', id: 'ask-recusal', 'aria-expanded': 'false', 'aria-controls': 'mediators-panel' }, t('web.recusal.ask'));
    ask.addEventListener('click', () => {
      panelFor(panel);
      const fields = [];
      let pick = null;
      if (assigned.length > 1) {
        pick = choiceGroup({
          id: 'recusal-mediator',
          name: 'mediator',
          path: 'mediator',
          legend: t('web.recusal.which'),
          type: 'radio',
          required: true,
          items: assigned.map((m) => ({ value: m.username, label: `${mediatorPlainName(index, m.username)} · ${label('web.mediator_role', m.role)}` })),
        });
        fields.push(pick);
      } else {
        fields.push(h('div', { class: 'field field-anchor', 'data-path': 'mediator', id: 'recusal-mediator', 'data-label': t('web.recusal.which') }, h('p', { class: 'field-error', id: 'recusal-mediator-error', hidden: true })));
      }
      fields.push(groundsField('recusal-grounds', 'web.recusal.grounds', 'web.recusal.grounds_hint'));
      panelForm(app, {
        id: 'recusal-form',
        title: t('web.recusal.ask'),
        intro: t('web.recusal.ask_help'),
        fields,
        confirmLabel: t('web.recusal.send'),
        opener: ask,
        panel,
        send: async (form) => {
          const chosen = pick ? (form.querySelector('input[name="mediator"]:checked') || {}).value : assigned[0].username;
          const body = { grounds: form.querySelector('textarea').value.trim() };
          if (chosen) body.mediator = chosen;
          await api.post(`/api/v1/cases/${c.id}/recusals`, body);
          app.flash({ key: 'web.recusal.sent', args: { name: mediatorPlainName(index, chosen) } });
          await app.navigate(`/cases/${c.id}`, { replace: true });
        },
      });
    });
    actions.push(ask);
  }
  if (mine) {
    const self = h('button', { type: 'button', class: 'button button-secondary', id: 'self-recusal', 'aria-expanded': 'false', 'aria-controls': 'mediators-panel' }, t('web.recusal.self'));
    self.addEventListener('click', () => {
      panelFor(panel);
      panelForm(app, {
        id: 'self-recusal-form',
        title: t('web.recusal.self'),
        intro: t('web.recusal.self_help'),
        warning: t('web.recusal.self_warning'),
        fields: [groundsField('self-recusal-grounds', 'web.recusal.grounds', 'web.recusal.self_grounds_hint')],
        confirmLabel: t('web.recusal.self_confirm'),
        danger: true,
        opener: self,
        panel,
        send: async (form) => {
          await api.post(`/api/v1/cases/${c.id}/recusals`, { mediator: me, grounds: form.querySelector('textarea').value.trim() });
          forgetMediators(app);
          app.flash({ key: 'web.recusal.self_done', args: { number: c.number || `#${c.id}` } });
          await app.navigate('/');
        },
      });
    });
    actions.push(self);
  }

  const items = recusals.map((r) => recusalItem(app, c, index, r, panelFor));
  for (const li of items) panels.push(li.querySelector('.action-panel'));
  const pendingCount = recusals.filter((r) => r.status === 'pending').length;
  const card = h(
    'section',
    { class: 'card mediators-card', id: 'mediators', 'aria-labelledby': 'mediators-title' },
    h('h2', { id: 'mediators-title' }, t('web.case.mediators', { count: assigned.length })),
    mediatorList,
    actions.length ? h('div', { class: 'actions' }, actions) : null,
    panel,
    hadMediators
      ? h(
          'div',
          { class: 'recusals', id: 'recusals' },
          h('h3', { id: 'recusals-title' }, t('web.recusal.title', { count: recusals.length }), pendingCount && officer ? [' ', h('span', { class: 'status status-attention' }, t('web.recusal.pending_count', { count: pendingCount }))] : null),
          errorBox,
          recusals.length ? h('ol', { class: 'recusal-list', id: 'recusal-list', 'aria-labelledby': 'recusals-title' }, items) : h('p', { class: 'muted', id: 'recusals-none' }, t('web.recusal.none'))
        )
      : null
  );
  return card;
}

// ---- the page ------------------------------------------------------------------------------

function backLink(app) {
  const key = { lawyer: 'web.nav.matters', case_officer: 'web.nav.queue', mediator: 'web.nav.workbench' }[app.user.role] || 'web.nav.my_cases';
  return h('p', { class: 'back' }, h('a', { href: '/', 'data-route': '', id: 'back-link' }, t('web.case.back', { page: t(key) })));
}

export async function caseView(app, idText) {
  const id = Number(idText);
  const c = await api.get(`/api/v1/cases/${id}`);
  const title = converted(c, 'title', { tag: 'span', id: 'case-title-text' });
  const center = await centerLabel(app, c.center);
  const inv = app.cache.invitations && app.cache.invitations[c.id];
  const mediators = await mediatorsSection(app, c);
  const shortlist = shortlistSection(app, c, await loadShortlist(c));

  const docsBox = h('div', { id: 'documents-list' }, documentsTable(c));
  const canUpload = UPLOAD_ROLES.includes(app.user.role) && c.status !== 'erased' && !c.erased;
  const upload = canUpload
    ? uploadForm(app, c.id, {
        prefix: 'case-upload',
        onUploaded: async () => {
          const fresh = await api.get(`/api/v1/cases/${c.id}`);
          docsBox.replaceChildren(documentsTable(fresh));
        },
      })
    : null;

  const head = h(
    'header',
    { class: 'case-head' },
    backLink(app),
    h('p', { class: 'eyebrow', id: 'case-number' }, c.number ? c.number : t('web.case.draft_no_number')),
    h('h1', { id: 'case-title' }, c.title ? title.text : t('web.case.untitled')),
    title.note ? h('p', { class: 'title-conv', id: 'case-title-conv' }, title.note) : null,
    h(
      'div',
      { class: 'case-meta' },
      statusBadge(c.status, 'case-status'),
      h('span', { class: 'meta-item', id: 'case-center' }, center),
      h('span', { class: 'meta-item', id: 'case-type' }, typeLabel(c.type, c.subtype)),
      c.submitted_at ? h('span', { class: 'meta-item' }, t('web.case.submitted_on', { date: fmtTime(c.submitted_at, { dateOnly: true }) })) : null
    ),
    c.status === 'draft' ? h('p', { class: 'notice' }, t('web.case.draft_note')) : null
  );

  const node = h(
    'div',
    { class: 'page case-page', id: 'case', 'data-case': c.id, 'data-status': c.status },
    head,
    inv ? invitationCard(inv) : null,
    actionsSection(app, c),
    shortlist,
    mediators,
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        { class: 'col-main' },
        narrativeSection(c),
        partiesSection(c),
        section('documents', t('web.docs.title'), docsBox, upload),
        timelineSection(c)
      ),
      h('div', { class: 'col-side' }, deadlinesSection(c), consentSection(c))
    )
  );
  return {
    title: c.number || t('web.case.draft_no_number'),
    node,
    after: () => {
      // right after the acceptance, the invitation is what the officer needs: focus it
      const box = document.getElementById('invitation');
      if (box && app.cache.invitationFresh === c.id) {
        app.cache.invitationFresh = null;
        box.focus();
      }
    },
  };
}
