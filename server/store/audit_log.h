/* audit_log.h: the audit trail's storage: appending (inside a write's own transaction, or on its
 * own), signed heads, reading for auditors, verification, and the installation's keys kept in the
 * database (wrapped by the master key). */
#ifndef QIAO_STORE_AUDIT_LOG_H
#define QIAO_STORE_AUDIT_LOG_H
#include <stdbool.h>
#include <stdint.h>

#include "store/cases.h"
#include "store/db.h"
#include "vault/audit.h"

/* Appends an entry inside the caller's transaction (so the change and its record commit
 * together), signing the new head when it is due. detail holds codes only. */
enum st audit_append(struct db *db, const struct actor *who, const char *action,
                     const char *object_type, int64_t object_id, const char *outcome,
                     const char *detail);

/* Appends an entry in a transaction of its own (sign-ins, refusals, reads, exports). */
enum st store_audit(const struct actor *who, const char *action, const char *object_type,
                    int64_t object_id, const char *outcome, const char *detail);

/* Signs the chain's current head now (at shutdown, so the last entries are covered). */
enum st store_audit_sign_head(void);

struct audit_filter {
    int64_t object_id;   /* 0: any */
    const char *object_type;
    int64_t actor_id;    /* 0: any */
    int64_t from_ts, to_ts; /* 0: open */
};

/* Entries matching f in seq order after the cursor (a seq), at most limit. */
enum st store_audit_list(const struct audit_filter *f, int64_t cursor, int limit,
                         struct audit_entry *out, int *n);

/* Runs v over the whole stored chain and its signed heads. */
enum st store_audit_verify(struct audit_verify *v);

/* At start: checks the master key against the stored key-check value (first start: stores it),
 * and loads (or creates) the index key and the audit signing key. Fails with a message in err,
 * changing nothing, when the master key is not this installation's. */
int store_keys_init(char *err, size_t errcap);

/* Inside a transaction: makes sure the open master key is the one the database is wrapped under
 * (after a rotation by another process, the server switches to the new key). */
enum st store_key_check_sync(struct db *db);

/* Rewraps every data key, the index key and the audit key under vault_rotation_key() and stores
 * its key check, in one transaction. *rewrapped receives the number of case keys. */
enum st store_rotate_keys(int *rewrapped);

/* The installation's pinned audit public key (readable without the master key). 0 ok. */
int store_audit_pinned_key(uint8_t pk[AUDIT_PK_LEN]);
#endif
