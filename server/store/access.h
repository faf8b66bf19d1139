/* access.h: the case_access index (who may list which case). For the store module only. */
#ifndef QIAO_STORE_ACCESS_H
#define QIAO_STORE_ACCESS_H
#include <stdint.h>

#include "store/db.h"

/* Rebuilds the case's rows from its filer, parties and their lawyers (and their firms), inside
 * the caller's transaction. */
enum st access_rebuild(struct db *db, int64_t case_id);
/* Bumps the case's version: something its views show changed (a document, a party's account, a
 * recusal) without a change of state. */
enum st bump_version(struct db *db, int64_t case_id);
#endif
