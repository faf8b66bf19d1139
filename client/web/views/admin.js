// views/admin.js: the administrator's page: the user directory (GET /api/v1/users, paged by
// cursor, filtered by role) and the form that creates staff accounts (POST /api/v1/users).

import { t, lang, list, LANGS, ENDONYMS } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, formValues, busy, compact, wirePager } from '../dom.js';
import { centers, firms, centerName } from './directory.js';
import { PASSWORD_MIN } from './auth.js';

const PAGE_SIZE = 10;
const ROLES = ['resident', 'lawyer', 'mediator', 'case_officer', 'auditor', 'admin'];
const STAFF_ROLES = ['lawyer', 'mediator', 'case_officer', 'auditor', 'admin'];

// Where the directory is (kept across re-renders, e.g. a language switch): the role filter and
// the cursors of the pages seen so far (cursors[i] opens page i; page 0 has none).
const dir = { role: '', cursors: [null], page: 0 };

function affiliation(u, centerList) {
  if (u.firm) return u.firm;
  if (u.centers && u.centers.length) {
    return list(u.centers.map((code) => {
      const c = centerList.find((x) => x.code === code);
      return c ? centerName(c) : code;
    }));
  }
  return '—';
}

// The user directory section; its first page is loaded before it is returned.
async function directory(app) {
  const centerList = await centers(app);
  const status = h('p', { class: 'visually-hidden', role: 'status', id: 'users-status' });
  const tableWrap = h('div', { class: 'table-wrap', id: 'users-table-wrap' });
  const prev = h('button', { type: 'button', class: 'button button-secondary', id: 'users-prev' }, t('web.admin.prev'));
  const next = h('button', { type: 'button', class: 'button button-secondary', id: 'users-next' }, t('web.admin.next'));
  const pageLabel = h('span', { class: 'page-label', id: 'users-page' });
  const errorBox = h('div', { class: 'inline-error', role: 'alert', hidden: true, id: 'users-error' });
  const roleFilter = field({
    id: 'users-role-filter',
    name: 'role_filter',
    type: 'select',
    label: t('web.admin.filter_role'),
    options: [{ value: '', label: t('web.admin.all_roles') }, ...ROLES.map((r) => ({ value: r, label: t(`web.role.${r}`) }))],
    value: dir.role,
    required: true,
  });

  let loading = false;
  // Loads page dir.page; announce says the result to screen readers (after paging or filtering).
  async function load(announce) {
    if (loading) return;
    loading = true;
    prev.disabled = true;
    next.disabled = true;
    tableWrap.setAttribute('aria-busy', 'true');
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (dir.role) q.set('role', dir.role);
    if (dir.cursors[dir.page]) q.set('cursor', dir.cursors[dir.page]);
    try {
      const reply = await api.get(`/api/v1/users?${q}`);
      errorBox.hidden = true;
      const items = reply.items || [];
      dir.cursors[dir.page + 1] = reply.next_cursor || null;
      dir.cursors.length = dir.page + 2;
      tableWrap.replaceChildren(usersTable(items, centerList));
      pageLabel.textContent = t('web.admin.page', { n: dir.page + 1 });
      prev.disabled = dir.page === 0;
      next.disabled = !reply.next_cursor || items.length === 0;
      if (announce) status.textContent = t('web.admin.users_shown', { count: items.length, n: dir.page + 1 });
    } catch (e) {
      if (app.handleAuthError(e)) return;
      errorBox.textContent = app.errorText(e);
      errorBox.hidden = false;
      prev.disabled = dir.page === 0;
    } finally {
      tableWrap.removeAttribute('aria-busy');
      loading = false;
    }
  }

  wirePager(prev, next, dir, load);
  const select = roleFilter.querySelector('select');
  select.addEventListener('change', () => {
    if (select.value === dir.role) return;
    dir.role = select.value;
    dir.cursors = [null];
    dir.page = 0;
    load(true);
  });

  await load(false);
  const sec = h(
    'section',
    { class: 'card', id: 'user-directory', 'aria-labelledby': 'user-directory-title' },
    h('h2', { id: 'user-directory-title' }, t('web.admin.users_title')),
    h('div', { class: 'toolbar' }, roleFilter),
    errorBox,
    tableWrap,
    h('nav', { class: 'pager', 'aria-label': t('web.admin.pager_label') }, prev, pageLabel, next),
    status
  );
  sec.reload = () => load(true);
  return sec;
}

function usersTable(items, centerList) {
  if (!items.length) return h('p', { class: 'muted', id: 'users-empty' }, t('web.admin.users_empty'));
  const cols = [
    ['username', t('web.field.username')],
    ['name', t('web.field.display_name')],
    ['role', t('web.account.role')],
    ['affiliation', t('web.admin.col_affiliation')],
    ['contact', t('web.admin.col_contact')],
    ['language', t('web.field.language')],
    ['status', t('web.admin.col_status')],
  ];
  const head = Object.fromEntries(cols);
  return h(
    'table',
    { class: 'data-table', id: 'users-table' },
    h('caption', { class: 'visually-hidden' }, t('web.admin.users_caption', { n: dir.page + 1 })),
    h('thead', {}, h('tr', {}, cols.map(([, text]) => h('th', { scope: 'col' }, text)))),
    h(
      'tbody',
      {},
      items.map((u) =>
        h(
          'tr',
          { 'data-username': u.username },
          h('th', { scope: 'row', 'data-label': head.username }, h('span', { class: 'mono' }, u.username)),
          h('td', { 'data-label': head.name }, u.display_name),
          h('td', { 'data-label': head.role }, t(`web.role.${u.role}`)),
          h('td', { 'data-label': head.affiliation }, affiliation(u, centerList)),
          h('td', { 'data-label': head.contact }, [u.email, u.phone].filter(Boolean).join(' · ') || '—'),
          h('td', { 'data-label': head.language, lang: u.language }, ENDONYMS[u.language] || u.language),
          h(
            'td',
            { 'data-label': head.status },
            h('span', { class: u.active ? 'tag tag-ok' : 'tag tag-off' }, u.active ? t('web.admin.active') : t('web.admin.inactive'))
          )
        )
      )
    )
  );
}

// The form that creates a staff account; onCreated runs after a success.
async function createStaffForm(app, onCreated) {
  const [centerList, firmList] = await Promise.all([centers(app), firms(app)]);
  const form = h('form', { class: 'form', id: 'staff-form', novalidate: true, 'aria-labelledby': 'staff-title' });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'staff-submit' }, t('web.admin.create_submit'));
  const done = h('p', { class: 'notice notice-info', role: 'status', id: 'staff-created', tabindex: '-1', hidden: true });
  const centerItems = centerList.map((c) => ({ value: c.code, label: centerName(c) }));
  const roleField = field({
    id: 'staff-role',
    name: 'role',
    type: 'select',
    label: t('web.account.role'),
    hint: t('web.admin.role_hint'),
    options: [{ value: '', label: t('web.admin.choose_role') }, ...STAFF_ROLES.map((r) => ({ value: r, label: t(`web.role.${r}`) }))],
    required: true,
  });
  const mediatorCenters = choiceGroup({
    id: 'staff-centers-many',
    name: 'centers',
    type: 'checkbox',
    legend: t('web.admin.centers_mediator'),
    hint: t('web.admin.centers_mediator_hint'),
    items: centerItems,
    required: true,
  });
  const officerCenter = choiceGroup({
    id: 'staff-centers-one',
    name: 'centers',
    type: 'radio',
    legend: t('web.admin.center_officer'),
    hint: t('web.admin.center_officer_hint'),
    items: centerItems,
    required: true,
  });
  const firmField = field({
    id: 'staff-firm',
    name: 'firm',
    type: 'select',
    label: t('web.admin.firm'),
    options: [{ value: '', label: t('web.admin.choose_firm') }, ...firmList.map((f) => ({ value: f.code, label: f.name }))],
    required: true,
  });
  // Shows the affiliation fields the chosen role needs; hidden ones are disabled (not sent).
  function syncRole() {
    const role = roleField.querySelector('select').value;
    const show = (el, on) => {
      el.hidden = !on;
      for (const c of el.querySelectorAll('input, select')) c.disabled = !on;
    };
    show(mediatorCenters, role === 'mediator');
    show(officerCenter, role === 'case_officer');
    show(firmField, role === 'lawyer');
  }
  roleField.querySelector('select').addEventListener('change', syncRole);

  form.append(
    errorSummary(),
    h(
      'div',
      { class: 'form-grid' },
      roleField,
      field({ id: 'staff-username', name: 'username', label: t('web.field.username'), hint: t('web.admin.username_hint'), autocomplete: 'off', required: true, attrs: { maxlength: 32 } }),
      field({ id: 'staff-display-name', name: 'display_name', label: t('web.field.display_name'), autocomplete: 'off', required: true, attrs: { maxlength: 100 } }),
      field({
        id: 'staff-language',
        name: 'language',
        type: 'select',
        label: t('web.field.language'),
        options: LANGS.map((l) => ({ value: l, label: ENDONYMS[l], lang: l })),
        value: lang(),
        followLang: true,
        required: true,
      }),
      field({ id: 'staff-email', name: 'email', type: 'email', label: t('web.field.email'), autocomplete: 'off', required: false }),
      field({ id: 'staff-phone', name: 'phone', type: 'tel', label: t('web.field.phone'), hint: t('web.field.phone_hint'), autocomplete: 'off', required: false })
    ),
    mediatorCenters,
    officerCenter,
    firmField,
    field({
      id: 'staff-password',
      name: 'password',
      type: 'password',
      label: t('web.admin.password'),
      hint: t('web.admin.password_hint', { min: PASSWORD_MIN }),
      autocomplete: 'new-password',
      required: true,
    }),
    h('div', { class: 'actions' }, submit)
  );
  syncRole();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    done.hidden = true;
    const v = formValues(form);
    const body = compact({
      role: v.role,
      username: v.username.trim(),
      display_name: v.display_name.trim(),
      language: v.language,
      password: v.password,
      email: v.email.trim(),
      phone: v.phone.trim(),
    });
    if (v.role === 'mediator' && v.centers && v.centers.length) body.centers = v.centers;
    if (v.role === 'case_officer' && typeof v.centers === 'string') body.centers = [v.centers];
    if (v.role === 'lawyer' && v.firm) body.firm = v.firm;
    await busy(submit, async () => {
      try {
        const user = await api.post('/api/v1/users', body);
        form.reset();
        form.querySelector('#staff-language').value = lang();
        syncRole();
        done.textContent = t('web.admin.created', { username: user.username, name: user.display_name, role: t(`web.role.${user.role}`) });
        done.hidden = false;
        done.focus();
        await onCreated(user);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        if (app.handleAuthError(e)) return;
        showErrors(form, e, app.errorText(e));
      }
    });
  });
  return h(
    'section',
    { class: 'card', id: 'create-staff', 'aria-labelledby': 'staff-title' },
    h('h2', { id: 'staff-title' }, t('web.admin.create_title')),
    h('p', { class: 'muted' }, t('web.admin.create_intro')),
    done,
    form
  );
}

// The admin page's sections: the directory and the staff form.
export async function adminSections(app) {
  const directorySection = await directory(app);
  const formSection = await createStaffForm(app, () => directorySection.reload());
  return h('div', { class: 'admin-sections' }, directorySection, formSection);
}
