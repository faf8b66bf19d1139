/* test_audit: the audit chain's canonical form, hashing, signed heads and the verifier
 * (server/vault/audit.h). Tampering is simulated on an array of entries the way someone with
 * write access to the database could: change, delete, insert, reorder, rehash, re-sign. */
#include "check.h"
#include "vault/audit.h"
#include "vault/crypt.h"
#include "vault/vault.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char KEY_A[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
static const char KEY_B[] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

#define N 100

struct head {
    int64_t seq, ts;
    uint8_t hash[32];
    uint8_t sig[64];
};

static void open_with(const char *hex)
{
    char err[256] = "";
    bool beside;
    setenv("QIAO_MASTER_KEY", hex, 1);
    int rc = vault_open("/nonexistent", NULL, &beside, err, sizeof err);
    if (rc)
        fprintf(stderr, "vault_open: %s\n", err);
    CHECK_INT(rc, 0);
}

static void fill(struct audit_entry *e, int64_t seq)
{
    static const char *actions[] = {"case.create", "case.assign", "party.update", "document.read",
                                    "session.sign_in"};
    static const char *roles[] = {"clerk", "mediator", "admin"};
    memset(e, 0, sizeof *e);
    e->seq = seq;
    e->ts = 1718000000000 + seq * 1000;
    e->actor_user_id = 1 + seq % 7;
    snprintf(e->actor_role, sizeof e->actor_role, "%s", roles[seq % 3]);
    snprintf(e->action, sizeof e->action, "%s", actions[seq % 5]);
    snprintf(e->object_type, sizeof e->object_type, "case");
    e->object_id = 1000 + seq / 3;
    snprintf(e->outcome, sizeof e->outcome, seq % 11 ? "ok" : "denied");
    snprintf(e->client_addr, sizeof e->client_addr, "192.0.2.%d", (int)(seq % 250));
    snprintf(e->detail, sizeof e->detail, "fields=name,phone");
}

/* A chain of n entries (seq 1..n). */
static void build(struct audit_entry *es, int n)
{
    for (int i = 0; i < n; i++) {
        fill(&es[i], i + 1);
        audit_chain_next(i ? es[i - 1].hash : NULL, &es[i]);
    }
}

/* Rechains es[from..n) after es[from-1], renumbering seq from its seq + 1: what someone who can
 * write the database but has no signing key can do to hide a change. */
static void rebuild(struct audit_entry *es, int from, int n)
{
    for (int i = from; i < n; i++) {
        es[i].seq = i ? es[i - 1].seq + 1 : 1;
        audit_chain_next(i ? es[i - 1].hash : NULL, &es[i]);
    }
}

static void sign(struct head *h, const struct audit_entry *e)
{
    h->seq = e->seq;
    h->ts = e->ts + 500;
    memcpy(h->hash, e->hash, 32);
    CHECK_INT(audit_sign_head(h->seq, h->hash, h->ts, h->sig), 0);
}

/* Runs the verifier as the store would: entries in order, each head right after the entry at its
 * seq (heads past the last entry at the end), then finish. */
static struct audit_verify run(const uint8_t pk[32], const struct audit_entry *es, int n,
                               const struct head *hs, int nh)
{
    struct audit_verify v;
    audit_verify_init(&v, pk);
    int h = 0;
    for (int i = 0; i < n; i++) {
        audit_verify_feed(&v, &es[i]);
        while (h < nh && hs[h].seq <= es[i].seq) {
            audit_verify_feed_head(&v, hs[h].seq, hs[h].hash, hs[h].ts, hs[h].sig);
            h++;
        }
    }
    for (; h < nh; h++)
        audit_verify_feed_head(&v, hs[h].seq, hs[h].hash, hs[h].ts, hs[h].sig);
    audit_verify_finish(&v);
    return v;
}

static void expect(const struct audit_verify *v, const char *reason, int64_t seq)
{
    CHECK_STR(v->reason ? v->reason : "ok", reason);
    CHECK_INT(v->broken_seq, seq);
}

static void test_canonical(void)
{
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    e.seq = 1;
    e.ts = 2;
    e.actor_user_id = -1;
    strcpy(e.action, "ab");
    strcpy(e.object_type, "c");
    e.object_id = 258;
    memset(e.prev_hash, 0x5A, 32);
    uint8_t buf[AUDIT_CANONICAL_MAX];
    size_t n = audit_entry_canonical(&e, buf, sizeof buf);
    /* The documented layout, written out by hand. */
    uint8_t want[AUDIT_CANONICAL_MAX];
    size_t w = 0;
#define B(...)                                                                                     \
    do {                                                                                           \
        const uint8_t b_[] = {__VA_ARGS__};                                                        \
        memcpy(want + w, b_, sizeof b_);                                                           \
        w += sizeof b_;                                                                            \
    } while (0)
    B(0, 0, 0, 13);
    memcpy(want + w, "qiao-audit-v1", 13);
    w += 13;
    B(0, 0, 0, 0, 0, 0, 0, 1);                         /* seq */
    B(0, 0, 0, 0, 0, 0, 0, 2);                         /* ts */
    B(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff); /* actor_user_id -1 */
    B(0, 0, 0, 0);                                     /* actor_role "" */
    B(0, 0, 0, 2, 'a', 'b');                           /* action */
    B(0, 0, 0, 1, 'c');                                /* object_type */
    B(0, 0, 0, 0, 0, 0, 1, 2);                         /* object_id 258 */
    B(0, 0, 0, 0);                                     /* outcome */
    B(0, 0, 0, 0);                                     /* client_addr */
    B(0, 0, 0, 0);                                     /* detail */
    B(0, 0, 0, 32);
    memset(want + w, 0x5A, 32);
    w += 32;
#undef B
    CHECK_INT(n, w);
    CHECK(n == w && memcmp(buf, want, w) == 0);
    CHECK_INT(audit_entry_canonical(&e, buf, n - 1), 0);

    /* The hash is BLAKE2b-256 of exactly that, and excludes the hash field itself. */
    uint8_t h[32];
    crypto_generichash(h, 32, want, w, NULL, 0);
    memset(e.hash, 0x77, 32);
    audit_entry_hash(&e);
    CHECK(memcmp(e.hash, h, 32) == 0);

    /* Where one field ends is part of the form: "ab"+"c" is not "a"+"bc". */
    struct audit_entry f = e;
    strcpy(f.action, "a");
    strcpy(f.object_type, "bc");
    audit_entry_hash(&f);
    CHECK(memcmp(e.hash, f.hash, 32) != 0);

    /* Full arrays without a NUL are taken whole; the longest form fits. */
    fill(&f, 1);
    memset(f.actor_role, 'r', sizeof f.actor_role);
    memset(f.action, 'a', sizeof f.action);
    memset(f.object_type, 'o', sizeof f.object_type);
    memset(f.outcome, 'x', sizeof f.outcome);
    memset(f.client_addr, '1', sizeof f.client_addr);
    memset(f.detail, 'd', sizeof f.detail);
    CHECK_INT(audit_entry_canonical(&f, buf, sizeof buf), AUDIT_CANONICAL_MAX);

    /* Every field counts. */
    struct audit_entry base;
    fill(&base, 5);
    audit_chain_next(NULL, &base);
    CHECK(memcmp(base.prev_hash, (uint8_t[32]){0}, 32) == 0);
    int same = 0;
    for (int k = 0; k < 11; k++) {
        f = base;
        switch (k) {
        case 0:
            f.seq++;
            break;
        case 1:
            f.ts++;
            break;
        case 2:
            f.actor_user_id++;
            break;
        case 3:
            f.actor_role[0] ^= 1;
            break;
        case 4:
            f.action[0] ^= 1;
            break;
        case 5:
            f.object_type[0] ^= 1;
            break;
        case 6:
            f.object_id++;
            break;
        case 7:
            f.outcome[0] ^= 1;
            break;
        case 8:
            f.client_addr[0] ^= 1;
            break;
        case 9:
            f.detail[0] ^= 1;
            break;
        case 10:
            f.prev_hash[31] ^= 1;
            break;
        }
        audit_entry_hash(&f);
        if (memcmp(f.hash, base.hash, 32) == 0)
            same++;
    }
    CHECK_INT(same, 0);
}

static void test_keys(uint8_t pk[32], uint8_t wrapped[VAULT_WRAPPED_LEN])
{
    uint8_t sig[64], h[32] = {1};
    size_t wlen = 0;
    CHECK_INT(audit_sign_head(1, h, 2, sig), -1); /* no key yet */
    CHECK_INT(audit_public_key(pk), -1);

    uint8_t other[VAULT_WRAPPED_LEN];
    size_t olen, junk;
    CHECK_INT(audit_key_new(wrapped, VAULT_WRAPPED_LEN, &wlen), 0);
    CHECK_INT(wlen, VAULT_WRAPPED_LEN);
    CHECK_INT(audit_key_new(other, sizeof other, &olen), 0);
    uint8_t small[VAULT_WRAPPED_LEN];
    CHECK_INT(audit_key_new(small, VAULT_WRAPPED_LEN - 1, &junk), -1);
    /* The seed is not a data key. */
    struct vault_dk dk;
    CHECK_INT(vault_dk_unwrap(wrapped, wlen, AUDIT_KEY_AD, &dk), -1);
    CHECK_INT(audit_key_load(wrapped, wlen), 0);
    CHECK_INT(audit_key_load(wrapped, wlen), 0); /* again: a no-op */
    CHECK_INT(audit_key_load(other, olen), -1);  /* another: refused */
    CHECK_INT(audit_public_key(pk), 0);

    /* Signed heads: the documented message, verifiable with libsodium alone. */
    memset(h, 0x33, sizeof h);
    CHECK_INT(audit_sign_head(42, h, 1718000000123, sig), 0);
    CHECK(audit_verify_head(pk, 42, h, 1718000000123, sig));
    uint8_t m[18 + 8 + 8 + 32];
    memcpy(m, "qiao-audit-head-v1", 18);
    const uint8_t seq42[8] = {0, 0, 0, 0, 0, 0, 0, 42};
    const uint8_t ts[8] = {0, 0, 0x01, 0x90, 0x00, 0xc7, 0x9c, 0x7b}; /* 1718000000123 */
    memcpy(m + 18, seq42, 8);
    memcpy(m + 26, ts, 8);
    memcpy(m + 34, h, 32);
    CHECK_INT(crypto_sign_verify_detached(sig, m, sizeof m, pk), 0);
    CHECK(!audit_verify_head(pk, 43, h, 1718000000123, sig));
    CHECK(!audit_verify_head(pk, 42, h, 1718000000124, sig));
    h[0] ^= 1;
    CHECK(!audit_verify_head(pk, 42, h, 1718000000123, sig));
    h[0] ^= 1;
    sig[10] ^= 1;
    CHECK(!audit_verify_head(pk, 42, h, 1718000000123, sig));
    sig[10] ^= 1;
    uint8_t pk2[32], sk2[64];
    crypto_sign_keypair(pk2, sk2);
    CHECK(!audit_verify_head(pk2, 42, h, 1718000000123, sig));
    CHECK(!audit_verify_head(NULL, 42, h, 1718000000123, sig));
    sodium_memzero(sk2, sizeof sk2);
}

static void test_chain(const uint8_t pk[32])
{
    static struct audit_entry good[N], es[N + 1];
    struct head heads[4], hs[4];
    build(good, N);
    for (int i = 0; i < 4; i++)
        sign(&heads[i], &good[25 * (i + 1) - 1]); /* heads at 25, 50, 75, 100 */

    /* Intact: verifies, with its summary. */
    struct audit_verify v = run(pk, good, N, heads, 4);
    expect(&v, "ok", 0);
    CHECK_INT(v.entries, N);
    CHECK_INT(v.first_seq, 1);
    CHECK_INT(v.last_seq, N);
    CHECK_INT(v.first_ts, good[0].ts);
    CHECK_INT(v.last_ts, good[N - 1].ts);
    CHECK_INT(v.heads_verified, 4);
    CHECK_INT(v.signed_through, 100);
    CHECK_INT(v.problems, 0);
    CHECK(audit_verify_finish(&v));

    /* A field changed: the entry's hash no longer matches. */
    memcpy(es, good, sizeof good);
    strcpy(es[39].outcome, "ok");
    strcpy(es[39].detail, "fields=none");
    v = run(pk, es, N, heads, 4);
    expect(&v, "hash_mismatch", 40);
    CHECK_INT(v.problems, 1); /* one change, one problem */
    CHECK(!audit_verify_finish(&v));
    memcpy(es, good, sizeof good);
    es[0].actor_user_id = 99; /* the very first */
    v = run(pk, es, N, heads, 4);
    expect(&v, "hash_mismatch", 1);

    /* Changed and rehashed: the next entry does not follow it. */
    memcpy(es, good, sizeof good);
    es[39].object_id = 7;
    audit_entry_hash(&es[39]);
    v = run(pk, es, N, heads, 4);
    expect(&v, "prev_mismatch", 41);

    /* Changed and the whole rest of the chain rebuilt: only the signed head catches it. */
    memcpy(es, good, sizeof good);
    es[39].object_id = 7;
    rebuild(es, 39, N);
    v = run(pk, es, N, heads, 4);
    expect(&v, "head_mismatch", 50);
    CHECK_INT(v.heads_verified, 1); /* 25 still matched */

    /* One deleted. */
    memcpy(es, good, 59 * sizeof es[0]);
    memcpy(es + 59, good + 60, (N - 60) * sizeof es[0]);
    v = run(pk, es, N - 1, heads, 4);
    expect(&v, "seq_gap", 60);
    /* One deleted and the rest renumbered and rechained. */
    rebuild(es, 59, N - 1);
    v = run(pk, es, N - 1, heads, 4);
    expect(&v, "head_mismatch", 75);
    /* The tail cut off: the signed head at 100 names an entry the chain no longer reaches. */
    v = run(pk, good, 90, heads, 4);
    expect(&v, "truncated", 100);
    CHECK_INT(v.heads_verified, 3);
    /* Without a head past the cut, a shorter chain is all one can see: signed_through says how
     * far the signatures vouch. */
    v = run(pk, good, 90, heads, 3);
    expect(&v, "ok", 0);
    CHECK_INT(v.signed_through, 75);
    CHECK_INT(v.last_seq, 90);

    /* One inserted, chained properly after 30 with the next seq: the old 31 then stands where
     * 32 should. */
    memcpy(es, good, 30 * sizeof es[0]);
    fill(&es[30], 31);
    strcpy(es[30].action, "case.close");
    audit_chain_next(es[29].hash, &es[30]);
    memcpy(es + 31, good + 30, (N - 30) * sizeof es[0]);
    v = run(pk, es, N + 1, heads, 4);
    expect(&v, "seq_gap", 32);
    /* Inserted and everything after renumbered and rechained. */
    rebuild(es, 30, N + 1);
    v = run(pk, es, N + 1, heads, 4);
    expect(&v, "head_mismatch", 50);
    /* Inserted with a made-up link. */
    memcpy(es, good, sizeof good);
    memset(es[30].prev_hash, 0, 32);
    audit_entry_hash(&es[30]);
    v = run(pk, es, N, heads, 4);
    expect(&v, "prev_mismatch", 31);

    /* Two swapped. */
    memcpy(es, good, sizeof good);
    es[69] = good[70];
    es[70] = good[69];
    v = run(pk, es, N, heads, 4);
    expect(&v, "seq_gap", 70);
    /* Swapped with their seqs kept in place. */
    es[69].seq = 70;
    es[70].seq = 71;
    v = run(pk, es, N, heads, 4);
    expect(&v, "hash_mismatch", 70);

    /* A signed head altered: its hash, seq or time. */
    memcpy(hs, heads, sizeof hs);
    memcpy(hs[1].hash, good[48].hash, 32);
    v = run(pk, good, N, hs, 4);
    expect(&v, "bad_signature", 50);
    memcpy(hs, heads, sizeof hs);
    hs[2].seq = 74;
    v = run(pk, good, N, hs, 4);
    expect(&v, "bad_signature", 74);
    memcpy(hs, heads, sizeof hs);
    hs[3].ts++;
    v = run(pk, good, N, hs, 4);
    expect(&v, "bad_signature", 100);

    /* Signed by another key: a forger rebuilds the chain and signs new heads. */
    uint8_t pk2[32], sk2[64];
    crypto_sign_keypair(pk2, sk2);
    memcpy(es, good, sizeof good);
    es[9].actor_user_id = 1;
    rebuild(es, 9, N);
    for (int i = 0; i < 4; i++) {
        const struct audit_entry *e = &es[25 * (i + 1) - 1];
        hs[i].seq = e->seq;
        hs[i].ts = e->ts;
        memcpy(hs[i].hash, e->hash, 32);
        uint8_t m[66];
        memcpy(m, "qiao-audit-head-v1", 18);
        for (int b = 0; b < 8; b++) {
            m[18 + b] = (uint8_t)((uint64_t)hs[i].seq >> (56 - 8 * b));
            m[26 + b] = (uint8_t)((uint64_t)hs[i].ts >> (56 - 8 * b));
        }
        memcpy(m + 34, hs[i].hash, 32);
        crypto_sign_detached(hs[i].sig, NULL, m, sizeof m, sk2);
    }
    CHECK(audit_verify_head(pk2, hs[0].seq, hs[0].hash, hs[0].ts, hs[0].sig)); /* well formed */
    v = run(pk, es, N, hs, 4);
    expect(&v, "bad_signature", 25);
    CHECK_INT(v.heads_verified, 0);
    v = run(pk2, es, N, hs, 4); /* under the forger's own key it holds: pin the real pk */
    expect(&v, "ok", 0);
    sodium_memzero(sk2, sizeof sk2);

    /* Heads fed out of place prove nothing and are reported as the caller's mistake. */
    audit_verify_init(&v, pk);
    for (int i = 0; i < 30; i++)
        CHECK(audit_verify_feed(&v, &good[i]));
    CHECK(!audit_verify_feed_head(&v, heads[0].seq, heads[0].hash, heads[0].ts, heads[0].sig));
    expect(&v, "head_order", 25);

    /* Heads fed early are held until their entry comes. */
    audit_verify_init(&v, pk);
    for (int i = 0; i < 4; i++)
        CHECK(audit_verify_feed_head(&v, heads[i].seq, heads[i].hash, heads[i].ts, heads[i].sig));
    for (int i = 0; i < N; i++)
        CHECK(audit_verify_feed(&v, &good[i]));
    CHECK(audit_verify_finish(&v));
    CHECK_INT(v.heads_verified, 4);

    /* Starting past archived entries, from a point a signed head vouches for. */
    audit_verify_init_at(&v, pk, 51, good[49].hash);
    CHECK(audit_verify_feed_head(&v, heads[1].seq, heads[1].hash, heads[1].ts, heads[1].sig));
    for (int i = 50; i < N; i++)
        audit_verify_feed(&v, &good[i]);
    CHECK(audit_verify_feed_head(&v, heads[3].seq, heads[3].hash, heads[3].ts, heads[3].sig));
    CHECK(audit_verify_finish(&v));
    CHECK_INT(v.entries, 50);
    CHECK_INT(v.first_seq, 51);
    CHECK_INT(v.heads_verified, 2);
    audit_verify_init_at(&v, pk, 51, good[48].hash); /* the wrong starting point */
    audit_verify_feed(&v, &good[50]);
    expect(&v, "prev_mismatch", 51);
}

/* The signing key survives a master-key rotation: same public key, old heads still verify. */
static void test_rotation(const uint8_t pk[32], const uint8_t wrapped[VAULT_WRAPPED_LEN])
{
    unsigned char b[32];
    size_t got = 0;
    sodium_hex2bin(b, 32, KEY_B, 64, NULL, &got, NULL);
    uint8_t h[32], sig[64], none[64], nw[VAULT_WRAPPED_LEN], pk_b[32];
    size_t nwlen;
    memset(h, 9, sizeof h);
    CHECK_INT(audit_sign_head(7, h, 8, sig), 0);
    CHECK_INT(vault_dk_rewrap(wrapped, VAULT_WRAPPED_LEN, AUDIT_KEY_AD, b, nw, sizeof nw, &nwlen),
              0);
    open_with(KEY_B);
    CHECK_INT(audit_sign_head(7, h, 8, none), -1); /* reopening forgets the key */
    CHECK(memcmp(none, (uint8_t[64]){0}, 64) == 0);
    CHECK_INT(audit_key_load(wrapped, VAULT_WRAPPED_LEN), -1);
    CHECK_INT(audit_key_load(nw, nwlen), 0);
    CHECK_INT(audit_public_key(pk_b), 0);
    CHECK(memcmp(pk, pk_b, 32) == 0);
    CHECK(audit_verify_head(pk_b, 7, h, 8, sig));
    uint8_t sig2[64];
    CHECK_INT(audit_sign_head(7, h, 8, sig2), 0);
    CHECK(audit_verify_head(pk, 7, h, 8, sig2));
}

int main(void)
{
    if (vault_init() != 0) {
        fprintf(stderr, "libsodium cannot be initialized\n");
        return 1;
    }
    open_with(KEY_A);
    uint8_t pk[32], wrapped[VAULT_WRAPPED_LEN];
    test_canonical();
    test_keys(pk, wrapped);
    test_chain(pk);
    test_rotation(pk, wrapped);
    vault_close();
    return check_summary();
}
