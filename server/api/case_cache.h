/* case_cache.h: rendered case views, reused while nothing that shapes them has changed. A view
 * depends on the case (its version: every change to it bumps that), the reader (user, role, how
 * they stand to the case), their language and the day (deadlines turn overdue). Entries live at
 * most CASE_CACHE_TTL seconds: decrypted text does not linger in memory. */
#ifndef QIAO_API_CASE_CACHE_H
#define QIAO_API_CASE_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CASE_CACHE_TTL 30

struct case_view_key {
    int64_t case_id, version, user_id;
    int32_t day;
    uint32_t bits; /* role, language and the access flags, packed */
};

/* A copy of the cached view (malloc'd, caller frees), or NULL. */
char *case_cache_get(const struct case_view_key *k, size_t *len);
/* Stores a copy of the view. */
void case_cache_put(const struct case_view_key *k, const char *json, size_t len);
/* Wipes and frees every entry (at shutdown). */
void case_cache_clear(void);
#endif
