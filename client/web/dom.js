// dom.js: building elements without innerHTML (user data is always text), and the form pieces
// every view shares: labelled fields with hints, per-field errors wired with aria-describedby and
// aria-invalid, and an error summary that is announced.

import { t } from './i18n.js';

// h('p', {class: 'x', onclick: fn}, 'text', child…): an element; attributes set as given
// (true → present, false/null → absent), on* → listeners, children: nodes, strings, arrays.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value' && 'value' in el) el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// A decorative icon from /icons/<name>.svg (hidden from assistive technology).
export function icon(name, cls = 'icon') {
  return h('img', { src: `/icons/${name}.svg`, alt: '', class: cls, width: 24, height: 24 });
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

// A labelled form control. opts: {id, name, label, type ('text', 'password', 'select', …), hint,
// autocomplete, options: [{value, label, lang}], value, required, attrs}. The returned wrapper
// holds a label, an optional hint, the control and an (empty) error slot.
export function field(opts) {
  const id = opts.id || nextId(opts.name);
  const hintId = opts.hint ? `${id}-hint` : null;
  const errId = `${id}-error`;
  let control;
  if (opts.type === 'textarea') {
    control = h('textarea', { id, name: opts.name, rows: opts.rows || 4, ...(opts.attrs || {}) });
    if (opts.value !== undefined && opts.value !== null) control.value = opts.value;
  } else if (opts.type === 'select') {
    control = h(
      'select',
      { id, name: opts.name, ...(opts.attrs || {}) },
      (opts.options || []).map((o) => h('option', { value: o.value, lang: o.lang || null }, o.label))
    );
    if (opts.value !== undefined) control.value = opts.value;
  } else {
    control = h('input', {
      id,
      name: opts.name,
      type: opts.type || 'text',
      autocomplete: opts.autocomplete || null,
      value: opts.value,
      spellcheck: opts.type === 'password' || opts.name === 'username' ? 'false' : null,
      autocapitalize: opts.name === 'username' || opts.type === 'email' ? 'none' : null,
      ...(opts.attrs || {}),
    });
  }
  if (opts.required) control.setAttribute('aria-required', 'true');
  if (hintId) control.setAttribute('aria-describedby', hintId);
  control.dataset.field = opts.name;
  const optional = t('web.form.optional');
  // a space before "(optional)", none before the full-width "（选填）"
  const label = h('label', { for: id }, opts.label, opts.required ? null : h('span', { class: 'optional' }, /^[\x20-\x7e]/.test(optional) ? ` ${optional}` : optional));
  if (opts.followLang) control.dataset.followLang = opts.value;
  return h(
    'div',
    { class: 'field', 'data-field': opts.name, 'data-path': opts.path || null, 'data-label': opts.summaryLabel || null },
    label,
    hintId ? h('p', { id: hintId, class: 'hint' }, opts.hint) : null,
    h('p', { id: errId, class: 'field-error', hidden: true }),
    control
  );
}

// A group of checkboxes or radio buttons in a fieldset with a legend; items: [{value, label,
// hint}]. path (optional) is the API's name of the field, for placing its errors.
export function choiceGroup({ id: givenId, name, legend, type, items, hint, required, path, summaryLabel }) {
  const id = givenId || nextId(name);
  const hintId = hint ? `${id}-hint` : null;
  const fs = h(
    'fieldset',
    { class: 'field choices', 'data-field': name, 'data-path': path || null, 'data-label': summaryLabel || null, id, 'aria-describedby': hintId },
    h('legend', {}, legend),
    hintId ? h('p', { id: hintId, class: 'hint' }, hint) : null,
    h('p', { id: `${id}-error`, class: 'field-error', hidden: true }),
    items.map((it, i) =>
      h(
        'div',
        { class: 'choice' },
        h('input', {
          type,
          name,
          value: it.value,
          id: `${id}-${i}`,
          'data-field': name,
          'aria-required': required ? 'true' : null,
          'aria-describedby': it.hint ? `${id}-${i}-hint` : null,
        }),
        h('label', { for: `${id}-${i}` }, it.label),
        it.hint ? h('p', { class: 'hint choice-hint', id: `${id}-${i}-hint` }, it.hint) : null
      )
    )
  );
  return fs;
}

// Clears every field error and the summary of form.
export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const wrap of form.querySelectorAll('.field.has-error')) wrap.classList.remove('has-error');
  for (const p of form.querySelectorAll('.field-error')) {
    p.hidden = true;
    p.textContent = '';
    const ctl = p.parentElement.querySelector('input, select, textarea');
    const target = p.parentElement.tagName === 'FIELDSET' ? p.parentElement : ctl;
    if (target) dropDescribedBy(target, p.id);
  }
  const summary = form.querySelector('.error-summary');
  if (summary) {
    summary.hidden = true;
    summary.replaceChildren();
  }
}

function dropDescribedBy(el, id) {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
  else el.removeAttribute('aria-describedby');
}

function addDescribedBy(el, id) {
  const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  if (!ids.includes(id)) ids.push(id);
  el.setAttribute('aria-describedby', ids.join(' '));
}

// The wrapper of the field named name in form: the one whose data-path is exactly the API's
// path (e.g. "applicants[0].id_document.number"), else by base name ("centers[1]" is the field
// "centers").
export function fieldWrap(form, name) {
  const exact = [...form.querySelectorAll(`[data-path="${CSS.escape(String(name))}"]`)].find((el) => !el.closest('[hidden]'));
  if (exact) return exact;
  if (form.querySelector('[data-path]')) return null; // a form with paths places by path only
  const base = String(name).replace(/\[\d+\].*$/, '').replace(/\..*$/, '');
  const all = [...form.querySelectorAll(`.field[data-field="${CSS.escape(base)}"]`)];
  return all.find((el) => !el.closest('[hidden]')) || null;
}

// Shows an API error on form: the message in the summary (announced), each field's message next
// to its field with aria-invalid and aria-describedby, and links from the summary to the fields.
// Moves focus to the summary (unless opts.focus is false) so keyboard and screen-reader users
// land on it. opts.outside(fieldError) may give the summary item (an li) for a field that is not
// in this form (e.g. on another step of a guided flow).
export function showErrors(form, err, fallbackMessage, opts = {}) {
  clearErrors(form);
  const summary = form.querySelector('.error-summary');
  const items = []; // [wrap or null, li]
  for (const f of err.fields || []) {
    const wrap = fieldWrap(form, f.field);
    const msg = f.message || t('web.error.field_invalid');
    if (!wrap) {
      const li = opts.outside ? opts.outside(f) : null;
      items.push([null, li || h('li', {}, msg)]);
      continue;
    }
    wrap.classList.add('has-error');
    const slot = wrap.querySelector('.field-error');
    slot.textContent = slot.textContent ? `${slot.textContent} ${msg}` : msg;
    slot.hidden = false;
    const isGroup = wrap.tagName === 'FIELDSET';
    const ctl = isGroup ? wrap.querySelector('input') : wrap.querySelector('input, select, textarea');
    const describedTarget = isGroup ? wrap : ctl;
    if (describedTarget) addDescribedBy(describedTarget, slot.id);
    if (ctl) {
      if (isGroup) for (const c of wrap.querySelectorAll('input')) c.setAttribute('aria-invalid', 'true');
      else ctl.setAttribute('aria-invalid', 'true');
    }
    const labelText = wrap.dataset.label || (isGroup ? wrap.querySelector('legend').textContent : wrap.querySelector('label').firstChild.textContent);
    const link = h(
      'a',
      {
        href: `#${ctl ? ctl.id : wrap.id}`,
        onclick: (ev) => {
          ev.preventDefault();
          if (ctl) {
            ctl.focus();
          } else {
            // a field without a control of its own (e.g. "at least one respondent"): its message
            wrap.tabIndex = -1;
            wrap.focus();
          }
        },
      },
      t('web.error.field_item', { field: labelText, message: msg })
    );
    items.push([wrap, h('li', {}, link)]);
  }
  // in the order of the form, not of the reply
  items.sort(([a], [b]) => {
    if (a === b) return 0;
    if (!a || !b) return a ? -1 : 1;
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  if (summary) {
    const title = err.serverMessage || fallbackMessage || t('web.error.generic');
    summary.replaceChildren(...[h('h2', { class: 'error-title' }, title), items.length ? h('ul', {}, items.map(([, li]) => li)) : null].filter(Boolean));
    summary.hidden = false;
    if (opts.focus !== false) summary.focus();
  }
}

// The empty, hidden error summary a form starts with (role=alert: announced when filled).
export function errorSummary() {
  return h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
}

// The values of a form's named controls (checkbox groups → arrays of the checked values).
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') {
      out[el.name] = out[el.name] || [];
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    } else {
      out[el.name] = el.value;
    }
  }
  return out;
}

// A button that shows it is busy (and cannot be pressed twice) while fn runs.
export async function busy(button, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// obj without the members whose value is an empty string (so the server says "required" for a
// field left empty, rather than "too short").
export function compact(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== '' && v !== undefined));
}

// Wires a pager's previous/next buttons: state.page moves, load(true) draws that page, and focus
// stays on a button that can still be pressed.
export function wirePager(prev, next, state, load) {
  prev.addEventListener('click', async () => {
    if (state.page > 0) state.page--;
    await load(true);
    (prev.disabled ? next : prev).focus();
  });
  next.addEventListener('click', async () => {
    state.page++;
    await load(true);
    (next.disabled ? prev : next).focus();
  });
}
