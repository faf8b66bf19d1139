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

// Calls method path with an optional JSON body; resolves to the parsed reply (null for 204),
// rejects with ApiError (status 0 when the server could not be reached).
export async function request(method, path, body) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
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
export const post = (path, body) => request('POST', path, body);
export const patch = (path, body) => request('PATCH', path, body);
