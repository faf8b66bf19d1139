/* catalog.h: the message catalogs (i18n/messages/<area>.<tag>.json, flat key → ICU MessageFormat
 * text; the areas of one language are merged), compiled into the binary. Every key exists in every catalog (a unit test holds that). */
#ifndef QIAO_I18N_CATALOG_H
#define QIAO_I18N_CATALOG_H
#include <stddef.h>

#include "i18n/locale.h"

/* Loads the embedded catalogs once; thread-safe; 0 ok, -1 if a catalog is malformed. */
int catalog_init(void);

/* The raw pattern of key in lang, falling back to English; NULL if the key is unknown.
 * Borrowed: valid until catalog_shutdown. */
const char *catalog_pattern(enum lang l, const char *key);

/* One named argument of a message: a string, or a number (for plural and number formatting). */
struct msg_arg {
    const char *name;
    const char *str; /* used when non-NULL */
    long long num;
};

/* Formats key in lang with args (a subset of ICU MessageFormat: {name}, {name, number},
 * {name, plural, =N {…} one {…} other {…}} with #, {name, select, a {…} other {…}},
 * '' for an apostrophe). Plural categories follow ICU's rules for the language.
 * Returns a malloc'd string the caller frees; an unknown key yields a copy of the key itself,
 * so a missing translation is visible but never fatal. NULL only when out of memory. */
char *msg_format(enum lang l, const char *key, const struct msg_arg *args, size_t nargs);

/* Formats an ICU MessageFormat pattern directly (as msg_format, for tests and generated text). */
char *msg_format_pattern(enum lang l, const char *pattern, const struct msg_arg *args,
                         size_t nargs);

/* The catalog of lang as JSON text (for the browser client); borrowed, static storage. */
const char *catalog_json(enum lang l, size_t *len);

void catalog_shutdown(void);
#endif
