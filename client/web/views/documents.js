// views/documents.js: a case's documents: the list with download links, and the upload form
// (POST /api/v1/cases/{id}/documents, multipart/form-data). The server judges a file's type from
// its bytes; the form only says what is accepted and refuses a file that is plainly too large
// before sending it.

import { t } from '../i18n.js';
import * as api from '../api.js';
import { h, field, choiceGroup, errorSummary, showErrors, clearErrors, busy } from '../dom.js';
import { label, fmtSize, timeEl } from './casekit.js';

export const DOC_KINDS = ['evidence', 'id_copy', 'power_of_attorney', 'other'];
const MAX_FILE = 10 * 1024 * 1024; // the server's limit per file (10 MiB)
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.docx,application/pdf,image/jpeg,image/png,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const TYPE_NAMES = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
};

// The documents of case c as a table (or a note that there are none).
export function documentsTable(c, id = 'documents-table') {
  const docs = c.documents || [];
  if (!docs.length) return h('p', { class: 'muted', id: `${id}-empty` }, t('web.docs.none'));
  const cols = ['title', 'kind', 'visibility', 'file', 'uploaded'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data-table docs-table', id },
      h('caption', { class: 'visually-hidden' }, t('web.docs.title')),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(`web.docs.col_${k}`))))),
      h(
        'tbody',
        {},
        docs.map((d) =>
          h(
            'tr',
            { 'data-doc': d.id },
            h(
              'th',
              { scope: 'row', 'data-label': t('web.docs.col_title') },
              h(
                'a',
                {
                  href: `/api/v1/cases/${c.id}/documents/${d.id}`,
                  download: '',
                  class: 'doc-link',
                  'aria-label': t('web.docs.download', { title: d.title }),
                },
                d.title
              )
            ),
            h('td', { 'data-label': t('web.docs.col_kind') }, label('web.doc_kind', d.kind)),
            h(
              'td',
              { 'data-label': t('web.docs.col_visibility') },
              d.visibility === 'mediator' ? h('span', { class: 'tag tag-accent' }, label('web.visibility', d.visibility)) : label('web.visibility', d.visibility)
            ),
            h(
              'td',
              { 'data-label': t('web.docs.col_file') },
              h(
                'div',
                { class: 'cell' },
                h('span', { class: 'block' }, `${TYPE_NAMES[d.media_type] || d.media_type} · ${fmtSize(d.size)}`),
                h('span', { class: 'hash block' }, h('span', { class: 'visually-hidden' }, t('web.docs.sha256')), h('span', { 'aria-hidden': 'true' }, 'SHA-256 '), h('span', { class: 'mono' }, d.sha256.slice(0, 16)), '…')
              )
            ),
            h('td', { 'data-label': t('web.docs.col_uploaded') }, d.created_at ? timeEl(d.created_at) : '—')
          )
        )
      )
    )
  );
}

// The upload form for case caseId. onUploaded(doc) runs after a success. prefix: element ids.
export function uploadForm(app, caseId, { onUploaded, prefix = 'upload' } = {}) {
  const form = h('form', { class: 'form upload-form', id: `${prefix}-form`, novalidate: true, 'aria-labelledby': `${prefix}-title` });
  const submit = h('button', { type: 'submit', class: 'button button-secondary', id: `${prefix}-submit` }, t('web.upload.submit'));
  const done = h('p', { class: 'notice notice-info', role: 'status', id: `${prefix}-done`, tabindex: '-1', hidden: true });
  const fileField = field({
    id: `${prefix}-file`,
    name: 'file',
    path: 'file',
    type: 'file',
    label: t('web.upload.file'),
    hint: t('web.upload.file_hint'),
    required: true,
    attrs: { accept: ACCEPT },
  });
  const titleField = field({
    id: `${prefix}-title-input`,
    name: 'title',
    path: 'title',
    label: t('web.upload.doc_title'),
    hint: t('web.upload.doc_title_hint'),
    required: true,
    attrs: { maxlength: 200 },
  });
  const kindField = field({
    id: `${prefix}-kind`,
    name: 'kind',
    path: 'kind',
    type: 'select',
    label: t('web.upload.kind'),
    options: DOC_KINDS.map((k) => ({ value: k, label: label('web.doc_kind', k) })),
    value: 'evidence',
    required: true,
  });
  const vis = choiceGroup({
    id: `${prefix}-visibility`,
    name: 'visibility',
    path: 'visibility',
    type: 'radio',
    legend: t('web.upload.visibility'),
    items: [
      { value: 'case', label: t('web.visibility.case'), hint: t('web.upload.visibility_case_hint') },
      { value: 'mediator', label: t('web.visibility.mediator'), hint: t('web.upload.visibility_mediator_hint') },
    ],
    required: true,
  });
  vis.querySelector('input[value="case"]').checked = true;
  // a title from the file's name, when none is typed yet
  const fileInput = fileField.querySelector('input');
  const titleInput = titleField.querySelector('input');
  fileInput.addEventListener('change', () => {
    const f = fileInput.files && fileInput.files[0];
    if (f && !titleInput.value.trim()) titleInput.value = f.name.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 200);
  });
  form.append(
    h('h3', { id: `${prefix}-title` }, t('web.upload.title')),
    errorSummary(),
    fileField,
    h('div', { class: 'form-grid' }, titleField, kindField),
    vis,
    h('div', { class: 'actions' }, submit),
    done
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    done.hidden = true;
    const f = fileInput.files && fileInput.files[0];
    if (f && f.size > MAX_FILE) {
      showErrors(form, { fields: [{ field: 'file', message: t('web.upload.too_large', { max: 10 }) }] }, t('web.upload.failed'));
      return;
    }
    const data = new FormData();
    if (f) data.append('file', f, f.name);
    data.append('title', titleInput.value.trim());
    data.append('kind', kindField.querySelector('select').value);
    const v = form.querySelector('input[name="visibility"]:checked');
    data.append('visibility', v ? v.value : 'case');
    await busy(submit, async () => {
      try {
        const doc = await api.upload(`/api/v1/cases/${caseId}/documents`, data);
        form.reset();
        vis.querySelector('input[value="case"]').checked = true;
        kindField.querySelector('select').value = 'evidence';
        done.textContent = t('web.upload.done', { title: doc.title });
        done.hidden = false;
        if (onUploaded) await onUploaded(doc);
      } catch (e) {
        if (!(e instanceof api.ApiError)) throw e;
        if (app.handleAuthError(e)) return;
        showErrors(form, e, app.errorText(e));
      }
    });
  });
  return form;
}
