/* embedded.h: files compiled into the binary by tools/embed.c (catalogs, glossaries). */
#ifndef QIAO_I18N_EMBEDDED_H
#define QIAO_I18N_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
    const char *name; /* path relative to the embedded root, e.g. "messages/en.json" */
    const unsigned char *data; /* NUL-terminated; len excludes the NUL */
    size_t len;
};

/* The i18n directory's files: messages/<area>.<tag>.json and glossary/<name>.tsv; ends with a NULL name. */
extern const struct embedded_file qiao_i18n_files[];

/* Finds name in an embedded table (sorted by name); NULL if absent. */
const struct embedded_file *embedded_find(const struct embedded_file *table, const char *name);
#endif
