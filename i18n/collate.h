/* collate.h: sorting people's names the way readers expect: pinyin order for Simplified Chinese,
 * stroke order for Traditional Chinese, the language's own order for English and Portuguese. */
#ifndef QIAO_I18N_COLLATE_H
#define QIAO_I18N_COLLATE_H
#include <stddef.h>

#include "i18n/locale.h"

/* Sorts n strings (UTF-8, borrowed) in place for readers of lang. Thread-safe. 0 ok; -1 when ICU
 * cannot open the collator (the order is then unchanged). */
int collate_sort(enum lang l, const char **items, size_t n);

/* Sorts n records of size bytes by the name key(record) returns, for readers of lang. */
int collate_sort_by(enum lang l, void *records, size_t n, size_t size,
                    const char *(*key)(const void *record));
#endif
