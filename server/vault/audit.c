/* audit.c: the audit chain's canonical form and hashes, the installation's head-signing key, and
 * the verifier. Formats are documented in audit.h; changing one means a new version label. */
#include "vault/audit.h"
#include "vault/crypt.h"
#include "vault/internal.h"

#include <sodium.h>
#include <string.h>

static const char canon_label[] = "qiao-audit-v1";
static const char head_label[] = "qiao-audit-head-v1";

_Static_assert(AUDIT_CANONICAL_MAX == 4 + sizeof canon_label - 1 + 8 * 4 + 6 * 4 + 16 + 48 + 24 +
                                          16 + 46 + 256 + 4 + 32,
               "canonical length");
_Static_assert(crypto_sign_PUBLICKEYBYTES == AUDIT_PK_LEN, "pk");
_Static_assert(crypto_sign_BYTES == AUDIT_SIG_LEN, "sig");
_Static_assert(crypto_sign_SEEDBYTES == VAULT_SECRET_LEN, "seed");

/* The loaded signing key: the secret half in guarded read-only memory. */
static unsigned char *sign_sk;
static unsigned char sign_pk[AUDIT_PK_LEN];

struct out {
    uint8_t *p;
    size_t len, cap;
    bool full;
};

static void put(struct out *o, const void *p, size_t n)
{
    if (o->full || n > o->cap - o->len) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->len, p, n);
    o->len += n;
}

static void put_u32(struct out *o, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(o, b, sizeof b);
}

static void put_i64(struct out *o, int64_t s)
{
    uint64_t v = (uint64_t)s;
    uint8_t b[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (uint8_t)v;
    put(o, b, sizeof b);
}

/* A length-prefixed byte string: the text up to its NUL, or the whole array. */
static void put_text(struct out *o, const char *arr, size_t size)
{
    size_t n = strnlen(arr, size);
    put_u32(o, (uint32_t)n);
    put(o, arr, n);
}

#define PUT_TEXT(o, field) put_text(o, field, sizeof field)

size_t audit_entry_canonical(const struct audit_entry *e, uint8_t *buf, size_t cap)
{
    struct out o = {.p = buf, .cap = cap};
    put_u32(&o, (uint32_t)(sizeof canon_label - 1));
    put(&o, canon_label, sizeof canon_label - 1);
    put_i64(&o, e->seq);
    put_i64(&o, e->ts);
    put_i64(&o, e->actor_user_id);
    PUT_TEXT(&o, e->actor_role);
    PUT_TEXT(&o, e->action);
    PUT_TEXT(&o, e->object_type);
    put_i64(&o, e->object_id);
    PUT_TEXT(&o, e->outcome);
    PUT_TEXT(&o, e->client_addr);
    PUT_TEXT(&o, e->detail);
    put_u32(&o, AUDIT_HASH_LEN);
    put(&o, e->prev_hash, AUDIT_HASH_LEN);
    return o.full ? 0 : o.len;
}

/* BLAKE2b-256 of e's canonical form, into h. */
static void entry_hash(const struct audit_entry *e, uint8_t h[AUDIT_HASH_LEN])
{
    uint8_t buf[AUDIT_CANONICAL_MAX];
    size_t n = audit_entry_canonical(e, buf, sizeof buf);
    crypto_generichash(h, AUDIT_HASH_LEN, buf, n, NULL, 0);
}

void audit_entry_hash(struct audit_entry *e)
{
    entry_hash(e, e->hash);
}

void audit_chain_next(const uint8_t prev_hash[AUDIT_HASH_LEN], struct audit_entry *e)
{
    if (prev_hash)
        memmove(e->prev_hash, prev_hash, AUDIT_HASH_LEN);
    else
        memset(e->prev_hash, 0, AUDIT_HASH_LEN);
    audit_entry_hash(e);
}

int audit_key_new(uint8_t *wrapped, size_t cap, size_t *wlen)
{
    const unsigned char *mk = vault_master_key_();
    unsigned char seed[crypto_sign_SEEDBYTES];
    if (!mk) {
        vault_log_("master_key_not_open", "audit_key_new");
        *wlen = 0;
        return -1;
    }
    randombytes_buf(seed, sizeof seed);
    int rc = vault_wrap_(mk, AUDIT_KEY_AD, seed, wrapped, cap, wlen);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int audit_key_load(const uint8_t *wrapped, size_t wlen)
{
    unsigned char seed[crypto_sign_SEEDBYTES], sk[crypto_sign_SECRETKEYBYTES], pk[AUDIT_PK_LEN];
    if (vault_unwrap_(wrapped, wlen, AUDIT_KEY_AD, seed) != 0) {
        vault_log_(vault_master_key_() ? "audit_key_does_not_open" : "master_key_not_open",
                   "audit_key_load");
        return -1;
    }
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    int rc = 0;
    if (sign_sk) {
        if (memcmp(pk, sign_pk, sizeof pk) != 0) { /* public values */
            vault_log_("another_audit_key_loaded", "audit_key_load");
            rc = -1;
        }
    } else if ((sign_sk = sodium_malloc(sizeof sk)) != NULL) {
        memcpy(sign_sk, sk, sizeof sk);
        sodium_mprotect_readonly(sign_sk);
        memcpy(sign_pk, pk, sizeof pk);
    } else {
        vault_log_("out_of_guarded_memory", "audit_key_load");
        rc = -1;
    }
    sodium_memzero(sk, sizeof sk);
    return rc;
}

int audit_public_key(uint8_t pk[AUDIT_PK_LEN])
{
    if (!sign_sk) {
        memset(pk, 0, AUDIT_PK_LEN);
        vault_log_("audit_key_not_loaded", "audit_public_key");
        return -1;
    }
    memcpy(pk, sign_pk, AUDIT_PK_LEN);
    return 0;
}

/* The signed message of a head. */
#define HEAD_MSG_LEN (sizeof head_label - 1 + 8 + 8 + AUDIT_HASH_LEN)
static void head_message(uint8_t m[HEAD_MSG_LEN], int64_t seq, const uint8_t hash[AUDIT_HASH_LEN],
                         int64_t ts)
{
    struct out o = {.p = m, .cap = HEAD_MSG_LEN};
    put(&o, head_label, sizeof head_label - 1);
    put_i64(&o, seq);
    put_i64(&o, ts);
    put(&o, hash, AUDIT_HASH_LEN);
}

int audit_sign_head(int64_t seq, const uint8_t hash[AUDIT_HASH_LEN], int64_t ts,
                    uint8_t sig[AUDIT_SIG_LEN])
{
    if (!sign_sk) {
        memset(sig, 0, AUDIT_SIG_LEN);
        vault_log_("audit_key_not_loaded", "audit_sign_head");
        return -1;
    }
    uint8_t m[HEAD_MSG_LEN];
    head_message(m, seq, hash, ts);
    crypto_sign_detached(sig, NULL, m, sizeof m, sign_sk);
    return 0;
}

bool audit_verify_head(const uint8_t pk[AUDIT_PK_LEN], int64_t seq,
                       const uint8_t hash[AUDIT_HASH_LEN], int64_t ts,
                       const uint8_t sig[AUDIT_SIG_LEN])
{
    if (!pk || !hash || !sig)
        return false;
    uint8_t m[HEAD_MSG_LEN];
    head_message(m, seq, hash, ts);
    return crypto_sign_verify_detached(sig, m, sizeof m, pk) == 0;
}

void vault_audit_close_(void)
{
    if (sign_sk) {
        sodium_free(sign_sk);
        sign_sk = NULL;
    }
    memset(sign_pk, 0, sizeof sign_pk);
}

/* The verifier. */

static void problem(struct audit_verify *v, int64_t seq, const char *reason)
{
    v->problems++;
    if (!v->reason) {
        v->reason = reason;
        v->broken_seq = seq;
    }
}

void audit_verify_init_at(struct audit_verify *v, const uint8_t pk[AUDIT_PK_LEN], int64_t first_seq,
                          const uint8_t prev_hash[AUDIT_HASH_LEN])
{
    memset(v, 0, sizeof *v);
    if (pk)
        memcpy(v->pk, pk, AUDIT_PK_LEN);
    v->next_seq = first_seq;
    if (prev_hash)
        memcpy(v->last_hash, prev_hash, AUDIT_HASH_LEN);
}

void audit_verify_init(struct audit_verify *v, const uint8_t pk[AUDIT_PK_LEN])
{
    audit_verify_init_at(v, pk, 1, NULL);
}

/* A signed head for the entry last fed (or the starting point): does it match the chain? */
static void head_here(struct audit_verify *v, int64_t seq, const uint8_t hash[AUDIT_HASH_LEN])
{
    if (sodium_memcmp(hash, v->last_hash, AUDIT_HASH_LEN) != 0) {
        problem(v, seq, "head_mismatch");
        return;
    }
    v->heads_verified++;
    if (seq > v->signed_through)
        v->signed_through = seq;
}

bool audit_verify_feed(struct audit_verify *v, const struct audit_entry *e)
{
    uint8_t h[AUDIT_HASH_LEN];
    if (v->entries++ == 0) {
        v->first_seq = e->seq;
        v->first_ts = e->ts;
    }
    v->last_seq = e->seq;
    v->last_ts = e->ts;

    entry_hash(e, h);
    if (sodium_memcmp(h, e->hash, AUDIT_HASH_LEN) != 0)
        problem(v, v->next_seq, "hash_mismatch");
    else if (e->seq != v->next_seq)
        problem(v, v->next_seq, "seq_gap");
    else if (sodium_memcmp(e->prev_hash, v->last_hash, AUDIT_HASH_LEN) != 0)
        problem(v, v->next_seq, "prev_mismatch");
    /* Carry on from the entry as stored, so that one break is reported once. */
    v->next_seq = e->seq + 1;
    memcpy(v->last_hash, e->hash, AUDIT_HASH_LEN);

    for (int i = 0; i < v->npending;) {
        if (v->pending[i].seq >= v->next_seq) {
            i++;
            continue;
        }
        if (v->pending[i].seq == e->seq)
            head_here(v, e->seq, v->pending[i].hash);
        else
            problem(v, v->pending[i].seq, "seq_gap"); /* the chain went past the head's seq */
        v->pending[i] = v->pending[--v->npending];
    }
    return v->reason == NULL;
}

bool audit_verify_feed_head(struct audit_verify *v, int64_t seq, const uint8_t hash[AUDIT_HASH_LEN],
                            int64_t ts, const uint8_t sig[AUDIT_SIG_LEN])
{
    if (!audit_verify_head(v->pk, seq, hash, ts, sig)) {
        problem(v, seq, "bad_signature");
    } else if (seq == v->next_seq - 1) {
        head_here(v, seq, hash);
    } else if (seq >= v->next_seq && v->npending < AUDIT_VERIFY_PENDING) {
        v->pending[v->npending].seq = seq;
        memcpy(v->pending[v->npending].hash, hash, AUDIT_HASH_LEN);
        v->npending++;
    } else {
        problem(v, seq, "head_order");
    }
    return v->reason == NULL;
}

bool audit_verify_finish(struct audit_verify *v)
{
    /* Report the lowest seq first. */
    while (v->npending > 0) {
        int lo = 0;
        for (int i = 1; i < v->npending; i++)
            if (v->pending[i].seq < v->pending[lo].seq)
                lo = i;
        problem(v, v->pending[lo].seq, "truncated");
        v->pending[lo] = v->pending[--v->npending];
    }
    return v->reason == NULL;
}
