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

/* Rewrites who may find the case (after its readers changed: case_access rebuilt, submitted). */
enum st search_rescope(struct db *db, int64_t case_id);

/* The MATCH expression for a query limited to one subject's cases ("u:7", "f:1", "c:2"). NULL
 * when the query has no terms. malloc'd. */
char *search_scope_expr(const char *query, const char *subject);

/* The FTS5 MATCH expression for a query: every term required; NULL when the query has no terms.
 * malloc'd; the caller frees. */
char *search_match_expr(const char *query);
#endif
