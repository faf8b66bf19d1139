/* search.h: the case search index (keyed terms only). For the store module. */
#ifndef QIAO_STORE_SEARCH_H
#define QIAO_STORE_SEARCH_H
#include <stdint.h>

#include "store/db.h"
#include "store/seal.h"

/* Rebuilds the index row of one case from its current (opened) texts: number, title, summary,
 * request, party names, claim descriptions and document titles. Inside the caller's transaction. */
enum st search_reindex(struct db *db, struct sealer *s, int64_t case_id);

/* Removes a case from the index (erasure). */
enum st search_forget(struct db *db, int64_t case_id);

/* The FTS5 MATCH expression for a query: every term required; NULL when the query has no terms.
 * malloc'd; the caller frees. */
char *search_match_expr(const char *query);
#endif
