/* access.h: what the store's files share about a case: who may list it (case_access), its
 * version, its timeline. For the store module only. */
#ifndef QIAO_STORE_ACCESS_H
#define QIAO_STORE_ACCESS_H
#include <stdint.h>

#include "store/cases.h"
#include "store/db.h"
#include "store/mediators.h"
#include "store/seal.h"

/* Rebuilds the case's rows from its filer, parties and their lawyers (and their firms), inside
 * the caller's transaction. */
enum st access_rebuild(struct db *db, int64_t case_id);
/* Bumps the case's version: something its views show changed (a document, a party's account, a
 * recusal) without a change of state. */
enum st bump_version(struct db *db, int64_t case_id);
/* Appends a timeline entry (its reason sealed with s) in the caller's transaction. */
enum st timeline_add(struct db *db, struct sealer *s, int64_t case_id, const struct actor *who,
                     const char *event, const char *from, const char *to, const char *reason);
/* Assigns as store_assign does, inside the caller's transaction (a choice from a shortlist). */
enum st assign_in_tx(struct db *db, int64_t case_id, const struct assignment_in *in,
                     const struct actor *who);
/* Puts a new timeline entry in the inbox of the case's people and, where the entry asks something
 * of the center, of its case officers; not in the actor's own (called by timeline_add). */
enum st notify_event(struct db *db, int64_t case_id, int64_t event_id, const char *event,
                     const struct actor *who);
/* Puts the case's latest timeline entry in the inbox of one more user (a mediator leaving the
 * case, who is no longer among its people), unless they are the one who acted. */
enum st notify_also(struct db *db, int64_t case_id, int64_t user_id, const struct actor *who);
#endif
