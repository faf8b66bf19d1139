/* format.h: numbers, money and dates for a reader, with ICU, in their language. */
#ifndef QIAO_I18N_FORMAT_H
#define QIAO_I18N_FORMAT_H
#include <stddef.h>
#include <stdint.h>

#include "i18n/locale.h"

/* An amount (minor units, two decimals) in currency ("CNY", "MOP", "HKD") as the reader's locale
 * writes it: "MOP 12,000.00", "MOP 12.000,00" (pt), "MOP 12,000.00" / "12,000.00澳門元"… into out.
 * 0 ok; -1 on failure (out then holds the plain amount). */
int format_money(enum lang l, int64_t minor, const char *currency, char *out, size_t cap);

/* A moment (Unix seconds) in time_zone ("Asia/Macau") as a medium date and short time in the
 * reader's locale. 0 ok; -1 on failure (out then holds an ISO form). */
int format_datetime(enum lang l, int64_t unix_seconds, const char *time_zone, char *out,
                    size_t cap);

/* A calendar date "YYYY-MM-DD" as the reader's locale writes a medium date ("2026年12月1日",
 * "1 Dec 2026", "01/12/2026"). 0 ok; -1 on failure (out then holds the input). */
int format_date(enum lang l, const char *iso_date, char *out, size_t cap);
/* Frees the calling thread's cached formatters now (they are freed at thread exit anyway). */
void format_thread_cleanup(void);
#endif
