// views/home.js: each role's home page, with what exists so far and only real data: the account,
// the centers and firms from the API, and honest empty states for what is still to come.

import { t, has, list, ENDONYMS } from '../i18n.js';
import { h, icon } from '../dom.js';
import { adminSections } from './admin.js';
import { caseList, STATUSES, placeName, label } from './casekit.js';
import { centers, firms, centerName } from './directory.js';
import { auditSections } from './audit.js';
import { profileSummaryCard } from './mediators.js';

function dl(rows) {
  return h(
    'dl',
    { class: 'facts' },
    rows.filter(Boolean).map(([k, v]) => h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v)))
  );
}

function notGiven() {
  return h('span', { class: 'muted' }, t('web.value.not_given'));
}

// The signed-in user's own account.
function accountCard(u) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'account-title' },
    h('h2', { id: 'account-title' }, t('web.account.title')),
    dl([
      [t('web.field.display_name'), u.display_name],
      [t('web.field.username'), h('span', { class: 'mono' }, u.username)],
      [t('web.account.role'), t(`web.role.${u.role}`)],
      [t('web.field.email'), u.email || notGiven()],
      [t('web.field.phone'), u.phone || notGiven()],
      [t('web.field.language'), h('span', { lang: u.language }, ENDONYMS[u.language] || u.language)],
    ])
  );
}

// One center as a card: name, place, jurisdiction, case types; detailed adds calendar etc.
function centerCard(c, { detailed = false, headingLevel = 3 } = {}) {
  const types = (c.case_types || []).map((x) => label('web.case_type', x));
  const rows = [
    [t('web.center.place'), placeName(c)],
    [t('web.center.jurisdiction'), label('web.jurisdiction', c.jurisdiction)],
    [t('web.center.case_types'), types.length ? list(types) : notGiven()],
  ];
  if (detailed) {
    rows.push(
      [t('web.center.calendar'), label('web.calendar', c.calendar)],
      [t('web.center.time_zone'), h('span', { class: 'mono' }, c.time_zone)],
      [t('web.center.default_language'), h('span', { lang: c.default_language }, ENDONYMS[c.default_language] || c.default_language)],
      [t('web.center.code'), h('span', { class: 'mono' }, c.code)]
    );
  }
  return h(
    'article',
    { class: 'center-card' },
    h(`h${headingLevel}`, {}, centerName(c)),
    c.cross_border ? h('p', { class: 'tag tag-accent' }, t('web.center.cross_border')) : null,
    dl(rows)
  );
}

// An honest empty state: nothing here yet, and why (and, optionally, what to do: action).
export function emptyState(id, title, body, more, action) {
  return h(
    'div',
    { class: 'empty', id },
    icon('empty', 'empty-icon'),
    h('div', {}, h('p', { class: 'empty-title' }, title), h('p', {}, body), more ? h('p', { class: 'muted' }, more) : null, action || null)
  );
}

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), children);
}

function pageHead(title, u, action) {
  return h(
    'div',
    { class: 'page-head' },
    h(
      'div',
      { class: 'page-head-text' },
      h('h1', { id: 'page-title' }, title),
      h('p', { class: 'lead' }, t('web.home.greeting', { name: u.display_name, role: t(`web.role.${u.role}`) }))
    ),
    action ? h('div', { class: 'page-head-actions' }, action) : null
  );
}

function centerGrid(list_, opts) {
  return h('div', { class: 'center-grid' }, list_.map((c) => centerCard(c, opts)));
}

// ---- per role ------------------------------------------------------------------------------

function fileButton(id, key) {
  return h('a', { href: '/cases/new', 'data-route': '', class: 'button button-primary', id }, t(key));
}

async function residentHome(app) {
  const u = app.user;
  const cs = await centers(app);
  const empty = emptyState(
    'cases-empty',
    t('web.resident.empty_title'),
    t('web.resident.empty_body'),
    null,
    h('p', {}, fileButton('file-case-empty', 'web.resident.file_first'))
  );
  const list = await caseList(app, { key: 'mine', id: 'my-cases-list', caption: t('web.resident.cases_title'), empty });
  return [
    pageHead(t('web.resident.title'), u, fileButton('file-case', 'web.nav.file_case')),
    section('my-cases', t('web.resident.cases_title'), list),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        { class: 'col-main' },
        section('centers', t('web.centers.title'), h('p', { class: 'muted' }, t('web.centers.intro', { count: cs.length })), centerGrid(cs))
      ),
      h('div', { class: 'col-side' }, accountCard(u))
    ),
  ];
}

async function lawyerHome(app) {
  const u = app.user;
  const fs = await firms(app);
  const firm = fs.find((f) => f.code === u.firm);
  let firmBody;
  if (!firm) {
    firmBody = h('p', {}, t('web.lawyer.no_firm'));
  } else {
    firmBody = h(
      'div',
      { class: 'firm' },
      h('h3', { id: 'firm-name' }, firm.name),
      firm.joint ? h('p', { class: 'tag tag-accent' }, t('web.firm.joint')) : null,
      dl([
        [t('web.firm.code'), h('span', { class: 'mono' }, firm.code)],
        [
          t('web.firm.offices'),
          firm.offices && firm.offices.length
            ? h('ul', { class: 'inline-list', id: 'firm-offices' }, firm.offices.map((o) => h('li', {}, label('web.office', o))))
            : notGiven(),
        ],
        [t('web.firm.matters'), firm.share_matters ? t('web.firm.share_matters_yes') : t('web.firm.share_matters_no')],
      ])
    );
  }
  const empty = emptyState('matters-empty', t('web.lawyer.matters_empty_title'), t('web.lawyer.matters_empty_body'));
  const list = await caseList(app, {
    key: 'matters',
    id: 'matters-list',
    caption: t('web.lawyer.matters_title'),
    cols: ['center'],
    filterControls: true,
    empty,
  });
  return [
    pageHead(t('web.lawyer.title'), u, fileButton('file-case', 'web.nav.file_for_client')),
    section('matters', t('web.lawyer.matters_title'), h('p', { class: 'muted' }, t('web.lawyer.matters_intro')), list),
    h(
      'div',
      { class: 'columns' },
      h('div', { class: 'col-main' }, section('firm', t('web.lawyer.firm_title'), firmBody)),
      h('div', { class: 'col-side' }, accountCard(u))
    ),
  ];
}

async function mediatorHome(app) {
  const u = app.user;
  const cs = (await centers(app)).filter((c) => (u.centers || []).includes(c.code));
  const empty = emptyState('assigned-empty', t('web.mediator.cases_empty_title'), t('web.mediator.cases_empty_body'));
  const list = await caseList(app, {
    key: 'mediated',
    id: 'mediated-list',
    caption: t('web.mediator.cases_title'),
    cols: ['center'],
    empty,
  });
  return [
    pageHead(
      t('web.mediator.title'),
      u,
      h('a', { href: '/profile', 'data-route': '', class: 'button button-secondary', id: 'my-profile-link' }, t('web.nav.my_profile'))
    ),
    section('assigned', t('web.mediator.cases_title'), h('p', { class: 'muted' }, t('web.mediator.cases_intro')), list),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        { class: 'col-main' },
        await profileSummaryCard(app),
        section(
          'served-centers',
          t('web.mediator.centers_title', { count: cs.length }),
          cs.length ? centerGrid(cs) : h('p', {}, t('web.mediator.no_centers'))
        )
      ),
      h('div', { class: 'col-side' }, accountCard(u))
    ),
  ];
}

async function officerHome(app) {
  const u = app.user;
  const c = (await centers(app)).find((x) => (u.centers || [])[0] === x.code);
  const empty = emptyState('queue-empty', t('web.officer.queue_empty_title'), t('web.officer.queue_empty_body'));
  const list = await caseList(app, {
    key: 'queue',
    id: 'queue',
    caption: t('web.officer.queue_title'),
    filterControls: true,
    statuses: STATUSES.filter((x) => x !== 'draft' && x !== 'erased'),
    empty,
  });
  return [
    pageHead(
      t('web.officer.title'),
      u,
      h('a', { href: '/deadlines', 'data-route': '', class: 'button button-secondary', id: 'deadlines-link' }, t('web.nav.deadlines'))
    ),
    section('intake', t('web.officer.queue_title'), h('p', { class: 'muted' }, t('web.officer.queue_intro', { center: c ? centerName(c) : '—' })), list),
    h(
      'div',
      { class: 'columns' },
      h('div', { class: 'col-main' }, section('my-center', t('web.officer.center_title'), c ? centerCard(c, { detailed: true }) : h('p', {}, t('web.officer.no_center')))),
      h('div', { class: 'col-side' }, accountCard(u))
    ),
  ];
}

async function auditorHome(app) {
  const u = app.user;
  return [pageHead(t('web.auditor.title'), u), await auditSections(app), h('div', { class: 'columns' }, h('div', { class: 'col-side wide' }, accountCard(u)))];
}

async function adminHome(app) {
  const u = app.user;
  const parts = await adminSections(app);
  return [pageHead(t('web.admin.title'), u), parts, h('div', { class: 'columns' }, h('div', { class: 'col-side wide' }, accountCard(u)))];
}

const homes = {
  resident: residentHome,
  lawyer: lawyerHome,
  mediator: mediatorHome,
  case_officer: officerHome,
  auditor: auditorHome,
  admin: adminHome,
};

export async function homeView(app) {
  const role = app.user.role;
  const build = homes[role] || residentHome;
  const titleKey = { case_officer: 'web.officer.title' }[role] || `web.${role}.title`;
  return {
    title: has(titleKey) ? t(titleKey) : t('web.resident.title'),
    node: h('div', { class: `page home home-${role}`, id: 'home', 'data-role': role }, await build(app)),
  };
}
