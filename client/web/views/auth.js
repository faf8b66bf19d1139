// views/auth.js: sign-in and residents' registration. Both forms leave checking to the server
// (novalidate): its messages come back in the UI language, each next to its field.

import { t, lang, LANGS, ENDONYMS } from '../i18n.js';
import * as api from '../api.js';
import { h, field, errorSummary, showErrors, clearErrors, formValues, busy, compact } from '../dom.js';

export const PASSWORD_MIN = 10; // the server's rule (server/domain/account.h)

// A "show password" switch for the password inputs of form.
function showPassword(form, id) {
  const box = h('input', { type: 'checkbox', id, class: 'show-password' });
  box.addEventListener('change', () => {
    for (const p of form.querySelectorAll('input[data-secret]')) p.type = box.checked ? 'text' : 'password';
  });
  return h('div', { class: 'choice show-password-row' }, box, h('label', { for: id }, t('web.field.show_password')));
}

// When the visitor came with an invitation to answer, a note that they return to it.
function invitationNote(app) {
  const next = app.pendingNext();
  if (!next || !next.startsWith('/invitation/')) return null;
  return h('p', { class: 'notice', id: 'invitation-pending' }, t('web.invitation.after_signin'));
}

// Signs in with username/password; on success the session is the app's. Throws ApiError.
async function login(app, username, password) {
  const reply = await api.post('/api/v1/auth/login', compact({ username, password }));
  await app.signedIn(reply.user, reply.csrf_token);
  return reply.user;
}

export async function signInView(app) {
  const form = h('form', { class: 'form card', id: 'signin-form', novalidate: true, 'aria-labelledby': 'signin-title' });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'signin-submit' }, t('web.signin.submit'));
  form.append(
    errorSummary(),
    field({ id: 'signin-username', name: 'username', label: t('web.field.username'), autocomplete: 'username', required: true }),
    field({
      id: 'signin-password',
      name: 'password',
      type: 'password',
      label: t('web.field.password'),
      autocomplete: 'current-password',
      required: true,
      attrs: { 'data-secret': '' },
    }),
    showPassword(form, 'signin-show-password'),
    h('div', { class: 'actions' }, submit)
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    await busy(submit, async () => {
      try {
        const user = await login(app, v.username.trim(), v.password);
        app.flash({ key: 'web.signin.welcome', args: { name: user.display_name } });
        await app.navigate(app.takeNext() || '/');
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showErrors(form, e, app.errorText(e));
        const pw = form.querySelector('#signin-password');
        if (e.code === 'auth.invalid_credentials') pw.value = '';
      }
    });
  });
  return {
    title: t('web.signin.title'),
    node: h(
      'div',
      { class: 'auth-layout' },
      h(
        'section',
        { class: 'auth-intro' },
        h('p', { class: 'eyebrow' }, t('web.app.tagline')),
        h('h1', { id: 'signin-title' }, t('web.signin.title')),
        h('p', { class: 'lead' }, t('web.signin.intro')),
        invitationNote(app),
        h('img', { src: '/icons/bridge.svg', alt: '', class: 'auth-art', width: 480, height: 260 })
      ),
      h(
        'div',
        { class: 'auth-main' },
        form,
        h(
          'div',
          { class: 'aside' },
          h('h2', {}, t('web.signin.new_title')),
          h('p', {}, t('web.signin.new_body')),
          h('p', {}, h('a', { href: '/register', 'data-route': '', class: 'button button-secondary', id: 'register-link' }, t('web.signin.register_link'))),
          h('p', { class: 'hint' }, t('web.signin.staff_note'))
        )
      )
    ),
  };
}

export async function registerView(app) {
  const form = h('form', { class: 'form card', id: 'register-form', novalidate: true, 'aria-labelledby': 'register-title' });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'register-submit' }, t('web.register.submit'));
  const langOptions = LANGS.map((l) => ({ value: l, label: ENDONYMS[l], lang: l }));
  form.append(
    errorSummary(),
    field({
      id: 'register-username',
      name: 'username',
      label: t('web.field.username'),
      hint: t('web.register.username_hint'),
      autocomplete: 'username',
      required: true,
      attrs: { maxlength: 32 },
    }),
    field({
      id: 'register-display-name',
      name: 'display_name',
      label: t('web.field.display_name'),
      hint: t('web.register.display_name_hint'),
      autocomplete: 'name',
      required: true,
      attrs: { maxlength: 100 },
    }),
    h(
      'fieldset',
      { class: 'group', 'aria-describedby': 'register-contact-hint' },
      h('legend', {}, t('web.register.contact_legend')),
      h('p', { class: 'hint', id: 'register-contact-hint' }, t('web.register.contact_hint')),
      field({ id: 'register-email', name: 'email', type: 'email', label: t('web.field.email'), autocomplete: 'email', required: false }),
      field({
        id: 'register-phone',
        name: 'phone',
        type: 'tel',
        label: t('web.field.phone'),
        hint: t('web.field.phone_hint'),
        autocomplete: 'tel',
        required: false,
      })
    ),
    field({
      id: 'register-password',
      name: 'password',
      type: 'password',
      label: t('web.field.password'),
      hint: t('web.register.password_hint', { min: PASSWORD_MIN }),
      autocomplete: 'new-password',
      required: true,
      attrs: { 'data-secret': '' },
    }),
    showPassword(form, 'register-show-password'),
    field({
      id: 'register-language',
      name: 'language',
      type: 'select',
      label: t('web.field.language'),
      hint: t('web.register.language_hint'),
      options: langOptions,
      value: lang(),
      followLang: true,
      required: true,
    }),
    h('div', { class: 'actions' }, submit)
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const body = compact({
      username: v.username.trim(),
      display_name: v.display_name.trim(),
      password: v.password,
      language: v.language,
      email: v.email.trim(),
      phone: v.phone.trim(),
    });
    await busy(submit, async () => {
      try {
        await api.post('/api/v1/auth/register', body);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        showErrors(form, e, app.errorText(e));
        return;
      }
      try {
        const user = await login(app, body.username, body.password);
        app.flash({ key: 'web.register.welcome', args: { name: user.display_name } });
        await app.navigate(app.takeNext() || '/');
      } catch (e) {
        // the account exists; only the automatic sign-in failed: send them to sign in by hand
        app.flash({ text: app.errorText(e) }, 'error');
        await app.navigate('/sign-in');
      }
    });
  });
  return {
    title: t('web.register.title'),
    node: h(
      'div',
      { class: 'auth-layout' },
      h(
        'section',
        { class: 'auth-intro' },
        h('p', { class: 'eyebrow' }, t('web.app.tagline')),
        h('h1', { id: 'register-title' }, t('web.register.title')),
        h('p', { class: 'lead' }, t('web.register.intro')),
        invitationNote(app),
        h('img', { src: '/icons/bridge.svg', alt: '', class: 'auth-art', width: 480, height: 260 })
      ),
      h(
        'div',
        { class: 'auth-main' },
        form,
        h(
          'div',
          { class: 'aside' },
          h('h2', {}, t('web.register.have_account')),
          h('p', {}, h('a', { href: '/sign-in', 'data-route': '', class: 'button button-secondary', id: 'signin-link' }, t('web.register.signin_link')))
        )
      )
    ),
  };
}
