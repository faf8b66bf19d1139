// views/directory.js: the installation's centers and law firms as the views need them, fetched once
// per session, and a center's name in the reader's language.

import { lang } from '../i18n.js';
import * as api from '../api.js';

// The installation's centers (public), fetched once per session.
export async function centers(app) {
  if (!app.cache.centers) app.cache.centers = (await api.get('/api/v1/centers')).items || [];
  return app.cache.centers;
}

// The law firms (signed in), fetched once per session.
export async function firms(app) {
  if (!app.cache.firms) app.cache.firms = (await api.get('/api/v1/firms')).items || [];
  return app.cache.firms;
}

// A center's name in the UI language (the server's names object carries all four).
export function centerName(c) {
  return (c.names && c.names[lang()]) || c.name || c.code;
}
