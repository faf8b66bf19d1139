// views/inbox.js: the signed-in user's notifications (GET /api/v1/notifications), newest first:
// each names the case (a link) and the step taken on it, by whom (their role) and when; unread
// ones are marked and may be marked read one by one, all at once, or by opening the case.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, busy } from '../dom.js';
import { label, timeEl } from './casekit.js';

const PAGE = 20;
let seen = null; // {user, count}: the last count seen, for the header drawn before the next one

// The header's link to the inbox, with the signed-in user's unread count as a badge.
export function inboxLink(user) {
  const link = h(
    'a',
    { href: '/inbox', 'data-route': '', class: 'inbox-link', id: 'inbox-link' },
    h('span', { class: 'inbox-link-text' }, t('web.inbox.title')),
    h('span', { class: 'inbox-count', 'aria-hidden': 'true' })
  );
  const count = seen && seen.user === user.username ? seen.count : 0; // never another user's
  queueMicrotask(() => showUnread(count, user));
  return link;
}

// Updates the header's inbox link with the unread count of user (0: no badge).
export function showUnread(count, user) {
  seen = { user: user.username, count };
  const link = document.getElementById('inbox-link');
  if (!link) return;
  const badge = link.querySelector('.inbox-count');
  badge.textContent = count > 0 ? String(count) : '';
  badge.hidden = !(count > 0);
  link.setAttribute('aria-label', count > 0 ? t('web.inbox.link_unread', { count }) : t('web.inbox.title'));
  link.dataset.unread = String(count);
}

// Asks the server how many notifications are unread and shows it in the header.
export async function refreshUnread(app) {
  const user = app.user;
  try {
    const r = await api.get('/api/v1/notifications?unread=true&limit=1');
    if (app.user === user) showUnread(r.unread, user);
  } catch {
    /* the count is a convenience: the page itself reports errors */
  }
}

async function markRead(app, body) {
  const r = await api.post('/api/v1/notifications/read', body);
  showUnread(r.unread, app.user);
  return r.unread;
}

function item(app, n, onRead) {
  const unread = n.read_at === null;
  const li = h('li', { class: `inbox-item${unread ? ' unread' : ''}`, 'data-id': String(n.id), 'data-event': n.event, 'data-case': String(n.case.id) });
  const open = h(
    'a',
    { href: `/cases/${n.case.id}`, class: 'inbox-case mono' },
    n.case.number || `#${n.case.id}`
  );
  open.addEventListener('click', async (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    if (li.classList.contains('unread')) {
      try {
        await markRead(app, { ids: [n.id] });
      } catch {
        /* opening the case matters more than the mark */
      }
    }
    app.navigate(`/cases/${n.case.id}`);
  });
  const mark = unread
    ? h('button', { type: 'button', class: 'button button-quiet inbox-mark' }, t('web.inbox.mark_read'))
    : null;
  if (mark)
    mark.addEventListener('click', () =>
      busy(mark, async () => {
        try {
          await markRead(app, { ids: [n.id] });
          onRead(li);
        } catch (e) {
          if (!app.handleAuthError(e)) app.flash({ text: app.errorText(e) }, 'error');
        }
      })
    );
  li.append(
    unread ? h('span', { class: 'inbox-dot', title: t('web.inbox.unread') }, h('span', { class: 'visually-hidden' }, t('web.inbox.unread'))) : h('span', { class: 'inbox-dot-space', 'aria-hidden': 'true' }),
    h(
      'div',
      { class: 'inbox-body' },
      h('p', { class: 'inbox-what' }, open, ' ', h('strong', {}, label('web.event', n.event))),
      h('p', { class: 'inbox-meta muted' }, timeEl(n.created_at), ' · ', label('web.role', n.actor_role),
        n.to ? [' · ', t('web.timeline.status_to', { status: label('web.status', n.to) })] : null)
    ),
    mark
  );
  return li;
}

export async function inboxView(app) {
  const params = new URLSearchParams(location.search);
  const unreadOnly = params.get('unread') === 'true';
  const query = (cursor) => `/api/v1/notifications?limit=${PAGE}${unreadOnly ? '&unread=true' : ''}${cursor ? `&cursor=${cursor}` : ''}`;
  const first = await api.get(query());
  showUnread(first.unread, app.user);
  const list = h('ol', { class: 'inbox-list', id: 'inbox-list' });
  const count = h('p', { class: 'inbox-count-line', id: 'inbox-unread', 'aria-live': 'polite' });
  let unread = first.unread;
  const setCount = (n) => {
    unread = n;
    count.textContent = t('web.inbox.count', { count: n });
    markAll.hidden = n === 0;
  };
  const onRead = (li) => {
    li.classList.remove('unread');
    li.querySelector('.inbox-mark')?.remove();
    li.querySelector('.inbox-dot')?.replaceWith(h('span', { class: 'inbox-dot-space', 'aria-hidden': 'true' }));
    if (unreadOnly) li.remove();
    setCount(Math.max(0, unread - 1));
    if (!list.children.length) list.replaceWith(emptyNode());
  };
  const emptyNode = () => h('p', { class: 'muted', id: 'inbox-empty' }, t(unreadOnly ? 'web.inbox.empty_unread' : 'web.inbox.empty'));
  const markAll = h('button', { type: 'button', class: 'button', id: 'inbox-mark-all' }, t('web.inbox.mark_all'));
  markAll.addEventListener('click', () =>
    busy(markAll, async () => {
      try {
        setCount(await markRead(app, { all: true }));
        for (const li of [...list.querySelectorAll('.inbox-item.unread')]) onReadQuiet(li);
        if (unreadOnly) list.replaceWith(emptyNode());
        app.announce(t('web.inbox.all_read'));
      } catch (e) {
        if (!app.handleAuthError(e)) app.flash({ text: app.errorText(e) }, 'error');
      }
    })
  );
  const onReadQuiet = (li) => {
    li.classList.remove('unread');
    li.querySelector('.inbox-mark')?.remove();
    li.querySelector('.inbox-dot')?.replaceWith(h('span', { class: 'inbox-dot-space', 'aria-hidden': 'true' }));
  };
  setCount(first.unread);
  for (const n of first.items) list.append(item(app, n, onRead));
  const more = h('button', { type: 'button', class: 'button button-quiet', id: 'inbox-more' }, t('web.inbox.more'));
  let cursor = first.next_cursor;
  more.hidden = !cursor;
  more.addEventListener('click', () =>
    busy(more, async () => {
      try {
        const page = await api.get(query(cursor));
        for (const n of page.items) list.append(item(app, n, onRead));
        cursor = page.next_cursor;
        more.hidden = !cursor;
        const firstNew = list.querySelector(`[data-id="${page.items[0]?.id}"] a`);
        if (firstNew) firstNew.focus();
      } catch (e) {
        if (!app.handleAuthError(e)) app.flash({ text: app.errorText(e) }, 'error');
      }
    })
  );
  const filter = h(
    'p',
    { class: 'inbox-filter' },
    h('a', { href: '/inbox', 'data-route': '', 'aria-current': unreadOnly ? null : 'page', id: 'inbox-filter-all' }, t('web.inbox.filter_all')),
    ' · ',
    h('a', { href: '/inbox?unread=true', 'data-route': '', 'aria-current': unreadOnly ? 'page' : null, id: 'inbox-filter-unread' }, t('web.inbox.filter_unread'))
  );
  return {
    title: t('web.inbox.title'),
    node: h(
      'div',
      { class: 'page inbox-page', id: 'inbox' },
      h('div', { class: 'page-head' }, h('div', { class: 'page-head-text' }, h('h1', {}, t('web.inbox.title')), h('p', { class: 'lead' }, t('web.inbox.intro')))),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'inbox-unread' },
        h('div', { class: 'inbox-toolbar' }, count, filter, markAll),
        first.items.length ? list : emptyNode(),
        more
      )
    ),
  };
}
