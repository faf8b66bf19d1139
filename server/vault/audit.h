/* audit.h: the tamper-evident audit trail: canonical form, hash chain, signed heads, verifier.
 * Storage is the store's; this is plain C over plain structs (no SQL).
 *
 * Every entry's hash covers its content and the previous entry's hash, so changing, removing,
 * inserting or reordering entries breaks the chain from that point on. A hash chain alone can be
 * rebuilt by whoever can write the database, so the installation signs the chain's head from time
 * to time (Ed25519, seed wrapped under the master key); a rebuilt or truncated chain no longer
 * matches the signed heads. Copy heads off the machine (export, receipts) for the strongest
 * assurance: signatures held only in the same database can be deleted along with the entries.
 *
 * Canonical form, version 1 (what audit_entry_hash hashes; every integer big-endian):
 *   u32 13 ‖ "qiao-audit-v1"
 *   i64 seq ‖ i64 ts ‖ i64 actor_user_id
 *   u32 n ‖ actor_role  (n bytes: the text up to its NUL, or the whole array if it has none)
 *   u32 n ‖ action
 *   u32 n ‖ object_type
 *   i64 object_id
 *   u32 n ‖ outcome
 *   u32 n ‖ client_addr
 *   u32 n ‖ detail
 *   u32 32 ‖ prev_hash
 * (i64 = two's complement in 8 bytes.) The hash is BLAKE2b-256 (unkeyed) of those bytes.
 *
 * Signed head, version 1: Ed25519 over "qiao-audit-head-v1" ‖ i64 seq ‖ i64 ts ‖ hash (32),
 * where hash is the chain's hash of the entry at seq, and ts when the head was signed. */
#ifndef QIAO_VAULT_AUDIT_H
#define QIAO_VAULT_AUDIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASH_LEN 32
#define AUDIT_SIG_LEN 64
#define AUDIT_PK_LEN 32
#define AUDIT_CANONICAL_MAX 515 /* the longest canonical form (all text arrays full) */
#define AUDIT_VERIFY_PENDING 8  /* signed heads ahead of the entries fed so far, held for later */

/* The additional data under which the signing seed is wrapped (for vault_dk_rewrap at rotation). */
#define AUDIT_KEY_AD "vault:audit_key"

struct audit_entry {
    int64_t seq; /* 1, 2, 3 … without gaps */
    int64_t ts;  /* the store's unit (e.g. Unix milliseconds) */
    int64_t actor_user_id;
    char actor_role[16];
    char action[48];
    char object_type[24];
    int64_t object_id;
    char outcome[16];
    char client_addr[46];
    char detail[256]; /* codes only, never protected values or personal data */
    uint8_t prev_hash[AUDIT_HASH_LEN];
    uint8_t hash[AUDIT_HASH_LEN];
};

/* Writes the canonical form of e (everything but e->hash) into buf and returns its length; 0 when
 * cap is too small (AUDIT_CANONICAL_MAX always suffices). */
size_t audit_entry_canonical(const struct audit_entry *e, uint8_t *buf, size_t cap);

/* Sets e->hash to BLAKE2b-256 of e's canonical form (which includes seq and prev_hash). */
void audit_entry_hash(struct audit_entry *e);

/* Chains e after the entry whose hash is prev_hash (NULL, or 32 zero bytes, for the first entry):
 * sets e->prev_hash and then e->hash. The caller sets seq and the other fields first. */
void audit_chain_next(const uint8_t prev_hash[AUDIT_HASH_LEN], struct audit_entry *e);

/* Creates a new random Ed25519 signing key for the installation and wraps its 32-byte seed under
 * the open master key (cap >= VAULT_WRAPPED_LEN, see crypt.h). The store keeps the wrapped form
 * in its settings, and the public key (audit_public_key after loading) beside it in the clear. It
 * is not loaded by this call. 0 ok; -1 when no master key is open or cap is too small. */
int audit_key_new(uint8_t *wrapped, size_t cap, size_t *wlen);

/* Unwraps the signing seed and keeps the key pair in guarded read-only memory until vault_close.
 * Call after vault_open and before worker threads start. Loading the same key again is a no-op;
 * another one is refused. 0 ok; -1 (logged) when it does not open or another key is loaded. */
int audit_key_load(const uint8_t *wrapped, size_t wlen);

/* The loaded key's public half. 0 ok; -1 (pk zeroed, logged) when no key is loaded. */
int audit_public_key(uint8_t pk[AUDIT_PK_LEN]);

/* Signs the head (seq, hash of the entry at seq, ts of signing) with the loaded key. 0 ok; -1
 * (sig zeroed, logged) when no key is loaded. */
int audit_sign_head(int64_t seq, const uint8_t hash[AUDIT_HASH_LEN], int64_t ts,
                    uint8_t sig[AUDIT_SIG_LEN]);

/* Whether sig is pk's signature of that head. Needs no secret: an auditor can run it anywhere. */
bool audit_verify_head(const uint8_t pk[AUDIT_PK_LEN], int64_t seq,
                       const uint8_t hash[AUDIT_HASH_LEN], int64_t ts,
                       const uint8_t sig[AUDIT_SIG_LEN]);

/* A verifier over a chain, fed entries in seq order and signed heads as they come. No allocation:
 * keep it anywhere and drop it when done. Read the summary fields; leave the rest alone.
 *
 * After a break the verifier carries on from the entry as stored (so that later problems are
 * counted too) but reports only the first. Reasons:
 *   "hash_mismatch"    the entry at broken_seq is not what was hashed (a field was changed)
 *   "seq_gap"          the entry expected at broken_seq is missing, or another stands in its
 *                      place (removed, inserted, reordered)
 *   "prev_mismatch"    the entry at broken_seq does not follow the one before it (one before it
 *                      was changed and rehashed, or removed/inserted and renumbered)
 *   "bad_signature"    the signed head for broken_seq was not signed by pk (forged or altered)
 *   "head_mismatch"    a validly signed head for broken_seq does not match the chain there (the
 *                      chain was rebuilt after the head was signed)
 *   "truncated"        a signed head names broken_seq, which the chain does not reach (entries
 *                      were cut off the end)
 *   "head_order"       a head came after the entries had moved past its seq, or too many heads
 *                      came ahead of them (a caller's mistake; it proves nothing either way)
 */
struct audit_verify {
    /* summary */
    int64_t entries; /* entries fed */
    int64_t first_seq, last_seq;
    int64_t first_ts, last_ts; /* of the first and last entries fed */
    int64_t heads_verified;    /* signed heads that matched the chain */
    int64_t signed_through;    /* the highest seq covered by a matching signed head; 0 if none */
    int64_t problems;          /* breaks found, counting the first */
    int64_t broken_seq;        /* where the first break is; 0 if none */
    const char *reason;        /* the first break's reason (static string), NULL if none */
    /* state */
    uint8_t pk[AUDIT_PK_LEN];
    int64_t next_seq;
    uint8_t last_hash[AUDIT_HASH_LEN];
    int npending;
    struct {
        int64_t seq;
        uint8_t hash[AUDIT_HASH_LEN];
    } pending[AUDIT_VERIFY_PENDING];
};

/* Starts verifying a chain whose first entry is seq 1 after 32 zero bytes, with heads signed by
 * pk (pk may be NULL when no heads will be fed). */
void audit_verify_init(struct audit_verify *v, const uint8_t pk[AUDIT_PK_LEN]);

/* The same for a chain that is checked from first_seq on, following prev_hash (e.g. after older
 * entries were archived, from a point vouched for by a signed head). */
void audit_verify_init_at(struct audit_verify *v, const uint8_t pk[AUDIT_PK_LEN], int64_t first_seq,
                          const uint8_t prev_hash[AUDIT_HASH_LEN]);

/* Feeds the next entry, in seq order as stored. False once anything is broken. */
bool audit_verify_feed(struct audit_verify *v, const struct audit_entry *e);

/* Feeds a signed head: feed it right after the entry at its seq (heads for seqs not yet fed are
 * held, up to AUDIT_VERIFY_PENDING, and checked when that entry comes). False once anything is
 * broken. */
bool audit_verify_feed_head(struct audit_verify *v, int64_t seq, const uint8_t hash[AUDIT_HASH_LEN],
                            int64_t ts, const uint8_t sig[AUDIT_SIG_LEN]);

/* Ends the run: heads still held name seqs past the end ("truncated"). True when nothing is
 * broken. Whether enough of the chain is signed is the caller's call: see signed_through. */
bool audit_verify_finish(struct audit_verify *v);
#endif
