// api.js: the one way the page talks to qiaod. Every request carries Accept-Language of the UI
// language; every write carries the session's CSRF token. The session itself is the HttpOnly
// cookie set at sign-in: the bearer token in the login reply is never kept.

import { lang } from './i18n.js';

let csrfToken = null;

// Remembers (in memory only) the CSRF token of the current session; null forgets it.
export function setCsrf(token) {
  csrfToken = token || null;
}

// An error reply of the API: code, the localized message, and the per-field errors.
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : 'unknown');
    this.fields = Array.isArray(e.fields) ? e.fields : [];
    this.serverMessage = typeof e.message === 'string' && e.message ? e.message : null;
  }
}

// Calls method path with an optional body: a FormData goes as multipart/form-data (the browser
// sets its boundary), anything else as JSON. extraHeaders (e.g. Idempotency-Key) are added.
// Resolves to the parsed reply (null for 204), rejects with ApiError (status 0 when the server
// could not be reached).
export async function request(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang(), ...extraHeaders };
  const multipart = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = res.status === 204 ? '' : await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const get = (path) => request('GET', path);
export const post = (path, body, headers) => request('POST', path, body, headers);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);
// Uploads a FormData (multipart/form-data) with POST.
export const upload = (path, formData) => request('POST', path, formData);

// A fresh random key for Idempotency-Key (a retry of the same action sends the same key).
export function idempotencyKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
