// views/invitation.js: /invitation/{code}, the page a respondent opens from the link the center
// gave them. Signed out: what the invitation is, and sign-in or registration that come back here.
// Signed in (a resident, or a lawyer answering for a client): one button redeems the code
// (POST /api/v1/invitations/redeem) and opens the case, where they agree or refuse.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, busy } from '../dom.js';

export async function invitationView(app, code) {
  const here = `/invitation/${code}`;
  const intro = [h('p', { class: 'lead' }, t('web.invitation.intro')), h('p', {}, t('web.invitation.voluntary'))];
  let body;
  if (!app.user) {
    app.rememberNext(here);
    body = h(
      'div',
      { class: 'card', id: 'invitation-signin' },
      h('h2', {}, t('web.invitation.signin_title')),
      h('p', {}, t('web.invitation.signin_body')),
      h(
        'div',
        { class: 'actions' },
        h('a', { href: '/sign-in', 'data-route': '', class: 'button button-primary', id: 'invitation-signin-link' }, t('web.invitation.signin')),
        h('a', { href: '/register', 'data-route': '', class: 'button button-secondary', id: 'invitation-register-link' }, t('web.invitation.register'))
      )
    );
  } else if (!['resident', 'lawyer'].includes(app.user.role)) {
    body = h('div', { class: 'card', id: 'invitation-wrong-role' }, h('p', {}, t('web.invitation.wrong_role', { role: t(`web.role.${app.user.role}`) })));
  } else {
    const error = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true, id: 'invitation-error' });
    const button = h('button', { type: 'button', class: 'button button-primary', id: 'invitation-redeem' }, t(app.user.role === 'lawyer' ? 'web.invitation.redeem_lawyer' : 'web.invitation.redeem'));
    button.addEventListener('click', () =>
      busy(button, async () => {
        error.hidden = true;
        try {
          const c = await api.post('/api/v1/invitations/redeem', { code });
          app.flash({ key: 'web.invitation.redeemed', args: { number: c.number || '' } });
          await app.navigate(`/cases/${c.id}`, { replace: true });
        } catch (e) {
          if (!(e instanceof api.ApiError)) throw e;
          if (app.handleAuthError(e)) return;
          error.replaceChildren(h('h2', { class: 'error-title' }, app.errorText(e)), e.status === 404 || e.status === 410 ? h('p', {}, t('web.invitation.ask_center')) : null);
          error.hidden = false;
          error.focus();
        }
      })
    );
    body = h(
      'div',
      { class: 'card', id: 'invitation-answer' },
      h('h2', {}, t('web.invitation.as_user', { name: app.user.display_name })),
      h('p', {}, t(app.user.role === 'lawyer' ? 'web.invitation.explain_lawyer' : 'web.invitation.explain')),
      error,
      h('div', { class: 'actions' }, button)
    );
  }
  return {
    title: t('web.invitation.title'),
    node: h('section', { class: 'page narrow invitation-page', id: 'invitation-page' }, h('p', { class: 'eyebrow' }, t('web.app.tagline')), h('h1', {}, t('web.invitation.title')), intro, body),
  };
}
