/* test_crypt: envelope encryption, sealed fields and files, blind indexes, search tokens and
 * master-key rotation (server/vault/crypt.h). The master key comes from QIAO_MASTER_KEY, so the
 * test switches keys by reopening the vault. */
#include "check.h"
#include "vault/crypt.h"
#include "vault/vault.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char KEY_A[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char KEY_B[] = "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f";

static void open_with(const char *hex)
{
    char err[256] = "";
    bool beside = true;
    setenv("QIAO_MASTER_KEY", hex, 1);
    int rc = vault_open("/nonexistent", NULL, &beside, err, sizeof err);
    if (rc)
        fprintf(stderr, "vault_open: %s\n", err);
    CHECK_INT(rc, 0);
    CHECK(!beside);
}

static void key_bytes(const char *hex, unsigned char key[32])
{
    size_t got = 0;
    sodium_hex2bin(key, 32, hex, 64, NULL, &got, NULL);
    CHECK_INT(got, 32);
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void test_key_check(void)
{
    unsigned char a[32], b[32];
    uint8_t kc[VAULT_KEY_CHECK_LEN], kc_a[VAULT_KEY_CHECK_LEN], kc_b[VAULT_KEY_CHECK_LEN];
    key_bytes(KEY_A, a);
    key_bytes(KEY_B, b);
    vault_close();
    CHECK_INT(vault_key_check(kc), -1);
    CHECK(all_zero(kc, sizeof kc));
    CHECK_INT(vault_master_id(), 0);

    open_with(KEY_A);
    CHECK_INT(vault_key_check(kc), 0);
    vault_key_check_of(a, kc_a);
    vault_key_check_of(b, kc_b);
    CHECK(memcmp(kc, kc_a, sizeof kc) == 0);
    CHECK(memcmp(kc_a, kc_b, sizeof kc) != 0);
    CHECK(memcmp(kc, a, sizeof a) != 0); /* not the key itself */
    CHECK(vault_key_check_matches(kc_a));
    CHECK(!vault_key_check_matches(kc_b));
    CHECK(vault_master_id() == vault_master_id_of(a));
    CHECK(vault_master_id_of(a) != vault_master_id_of(b));

    open_with(KEY_B); /* reopening replaces the key */
    CHECK(vault_key_check_matches(kc_b));
    CHECK(!vault_key_check_matches(kc_a));
    CHECK(vault_master_id() == vault_master_id_of(b));
    open_with(KEY_A);
}

static void test_data_keys(void)
{
    struct vault_dk dk, dk2;
    uint8_t w[VAULT_WRAPPED_LEN + 8], w2[VAULT_WRAPPED_LEN];
    size_t wlen = 0, wlen2 = 0;

    CHECK_INT(vault_dk_new(&dk, w, sizeof w, &wlen, "case_key:42"), 0);
    CHECK_INT(wlen, VAULT_WRAPPED_LEN);
    CHECK_INT(w[0], 0x11);
    CHECK(vault_wrapped_master_id(w, wlen) == vault_master_id());
    CHECK(!all_zero(dk.key, sizeof dk.key));

    CHECK_INT(vault_dk_unwrap(w, wlen, "case_key:42", &dk2), 0);
    CHECK(memcmp(dk.key, dk2.key, sizeof dk.key) == 0);

    /* Another key for the same owner: different key, different blob. */
    CHECK_INT(vault_dk_new(&dk2, w2, sizeof w2, &wlen2, "case_key:42"), 0);
    CHECK(memcmp(dk.key, dk2.key, sizeof dk.key) != 0);
    CHECK(memcmp(w, w2, VAULT_WRAPPED_LEN) != 0);

    /* Moved to another row: does not open, and the output is wiped. */
    memset(dk2.key, 0xAA, sizeof dk2.key);
    CHECK_INT(vault_dk_unwrap(w, wlen, "case_key:43", &dk2), -1);
    CHECK(all_zero(dk2.key, sizeof dk2.key));
    CHECK_INT(vault_dk_unwrap(w, wlen, "party_key:42", &dk2), -1);
    CHECK_INT(vault_dk_unwrap(w, wlen, "", &dk2), -1);
    CHECK_INT(vault_dk_unwrap(w, wlen, NULL, &dk2), -1);

    /* Any bit of any byte altered, including the version and the master-key id. */
    int opened = 0;
    for (size_t i = 0; i < VAULT_WRAPPED_LEN; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            uint8_t t[VAULT_WRAPPED_LEN];
            memcpy(t, w, sizeof t);
            t[i] ^= (uint8_t)(1u << bit);
            if (vault_dk_unwrap(t, sizeof t, "case_key:42", &dk2) == 0)
                opened++;
        }
    }
    CHECK_INT(opened, 0);
    CHECK_INT(vault_dk_unwrap(w, wlen - 1, "case_key:42", &dk2), -1);
    CHECK_INT(vault_dk_unwrap(w, wlen + 1, "case_key:42", &dk2), -1);
    CHECK_INT(vault_dk_unwrap(NULL, 0, "case_key:42", &dk2), -1);

    /* Reserved and unusable ads, small buffers. */
    char longad[VAULT_AD_MAX + 2];
    memset(longad, 'x', sizeof longad - 1);
    longad[sizeof longad - 1] = 0;
    CHECK_INT(vault_dk_new(&dk2, w2, sizeof w2, &wlen2, "vault:index_key"), -1);
    CHECK(all_zero(dk2.key, sizeof dk2.key));
    CHECK_INT(vault_dk_new(&dk2, w2, sizeof w2, &wlen2, longad), -1);
    CHECK_INT(vault_dk_new(&dk2, w2, sizeof w2, &wlen2, ""), -1);
    CHECK_INT(vault_dk_new(&dk2, w2, VAULT_WRAPPED_LEN - 1, &wlen2, "case_key:1"), -1);
    longad[VAULT_AD_MAX] = 0; /* exactly the maximum is fine */
    CHECK_INT(vault_dk_new(&dk2, w2, sizeof w2, &wlen2, longad), 0);
    CHECK_INT(vault_dk_unwrap(w2, wlen2, longad, &dk2), 0);

    CHECK_INT(vault_wrapped_master_id(w, wlen - 1), 0);
    vault_dk_wipe(&dk);
    CHECK(all_zero(dk.key, sizeof dk.key));
    vault_dk_wipe(&dk2);
}

static void test_fields(void)
{
    struct vault_dk dk, other;
    uint8_t w[VAULT_WRAPPED_LEN];
    size_t wlen;
    CHECK_INT(vault_dk_new(&dk, w, sizeof w, &wlen, "case_key:7"), 0);
    CHECK_INT(vault_dk_new(&other, w, sizeof w, &wlen, "case_key:8"), 0);

    const char *name = "陳大文 Chan Tai-man";
    uint8_t *ct = NULL, *ct2 = NULL;
    size_t ctlen = 0, ct2len = 0;
    char *pt = NULL;
    size_t ptlen = 0;
    CHECK_INT(vault_seal(&dk, "parties.name:17", name, strlen(name), &ct, &ctlen), 0);
    CHECK_INT(ctlen, strlen(name) + VAULT_SEAL_OVERHEAD);
    CHECK_INT(ct[0], 0x21);
    CHECK(memmem(ct, ctlen, "Chan", 4) == NULL);
    CHECK_INT(vault_unseal(&dk, "parties.name:17", ct, ctlen, &pt, &ptlen), 0);
    CHECK_INT(ptlen, strlen(name));
    CHECK_STR(pt, name);
    vault_free_plain(pt, ptlen);

    /* The same value sealed twice looks different (random nonces). */
    CHECK_INT(vault_seal(&dk, "parties.name:17", name, strlen(name), &ct2, &ct2len), 0);
    CHECK(ct2len == ctlen && memcmp(ct, ct2, ctlen) != 0);
    free(ct2);

    /* Another row, another column, another table, another key: does not open. */
    pt = (char *)"junk";
    CHECK_INT(vault_unseal(&dk, "parties.name:18", ct, ctlen, &pt, &ptlen), -1);
    CHECK(pt == NULL && ptlen == 0);
    CHECK_INT(vault_unseal(&dk, "parties.phone:17", ct, ctlen, &pt, &ptlen), -1);
    CHECK_INT(vault_unseal(&dk, "lawyers.name:17", ct, ctlen, &pt, &ptlen), -1);
    CHECK_INT(vault_unseal(&other, "parties.name:17", ct, ctlen, &pt, &ptlen), -1);

    /* Tampered anywhere, truncated, extended. */
    int opened = 0;
    for (size_t i = 0; i < ctlen; i++) {
        ct[i] ^= 0x40;
        if (vault_unseal(&dk, "parties.name:17", ct, ctlen, &pt, &ptlen) == 0) {
            opened++;
            vault_free_plain(pt, ptlen);
        }
        ct[i] ^= 0x40;
    }
    CHECK_INT(opened, 0);
    CHECK_INT(vault_unseal(&dk, "parties.name:17", ct, ctlen - 1, &pt, &ptlen), -1);
    CHECK_INT(vault_unseal(&dk, "parties.name:17", ct, VAULT_SEAL_OVERHEAD - 1, &pt, &ptlen), -1);
    uint8_t *longer = malloc(ctlen + 1);
    memcpy(longer, ct, ctlen);
    longer[ctlen] = 0;
    CHECK_INT(vault_unseal(&dk, "parties.name:17", longer, ctlen + 1, &pt, &ptlen), -1);
    free(longer);
    CHECK_INT(vault_unseal(&dk, "parties.name:17", ct, ctlen, &pt, &ptlen), 0); /* intact */
    vault_free_plain(pt, ptlen);
    free(ct);

    /* Empty values and binary values with NULs round-trip. */
    CHECK_INT(vault_seal(&dk, "parties.note:1", "", 0, &ct, &ctlen), 0);
    CHECK_INT(ctlen, VAULT_SEAL_OVERHEAD);
    CHECK_INT(vault_unseal(&dk, "parties.note:1", ct, ctlen, &pt, &ptlen), 0);
    CHECK(pt && ptlen == 0 && pt[0] == 0);
    vault_free_plain(pt, ptlen);
    free(ct);
    const char bin[] = {'a', 0, 'b', 0};
    CHECK_INT(vault_seal(&dk, "parties.note:1", bin, sizeof bin, &ct, &ctlen), 0);
    CHECK_INT(vault_unseal(&dk, "parties.note:1", ct, ctlen, &pt, &ptlen), 0);
    CHECK(ptlen == sizeof bin && memcmp(pt, bin, sizeof bin) == 0 && pt[ptlen] == 0);
    vault_free_plain(pt, ptlen);
    free(ct);

    /* Refused: no ad, too much. */
    CHECK_INT(vault_seal(&dk, NULL, "x", 1, &ct, &ctlen), -1);
    CHECK(ct == NULL && ctlen == 0);
    CHECK_INT(vault_seal(&dk, "", "x", 1, &ct, &ctlen), -1);
    CHECK_INT(vault_seal(&dk, "t.c:1", "x", (size_t)VAULT_FIELD_MAX + 1, &ct, &ctlen), -1);
    vault_dk_wipe(&dk);
    vault_dk_wipe(&other);
}

static void test_wrong_master_and_rotation(void)
{
    unsigned char b[32];
    key_bytes(KEY_B, b);
    open_with(KEY_A);
    struct vault_dk dk, dk2;
    uint8_t w[VAULT_WRAPPED_LEN], nw[VAULT_WRAPPED_LEN], nw2[VAULT_WRAPPED_LEN];
    size_t wlen, nwlen = 0, nw2len = 0;
    uint8_t *ct;
    size_t ctlen;
    char *pt;
    size_t ptlen;
    CHECK_INT(vault_dk_new(&dk, w, sizeof w, &wlen, "case_key:5"), 0);
    const char *summary = "調解摘要";
    CHECK_INT(vault_seal(&dk, "cases.summary:5", summary, strlen(summary), &ct, &ctlen), 0);

    /* Rewrap to B while A is open; the result is under B and no longer opens under A. */
    CHECK_INT(vault_dk_rewrap(w, wlen, "case_key:5", b, nw, sizeof nw, &nwlen), 0);
    CHECK_INT(nwlen, VAULT_WRAPPED_LEN);
    CHECK(vault_wrapped_master_id(nw, nwlen) == vault_master_id_of(b));
    CHECK(vault_wrapped_master_id(w, wlen) == vault_master_id());
    CHECK_INT(vault_dk_unwrap(nw, nwlen, "case_key:5", &dk2), -1);
    /* The wrong ad does not rewrap; a blob already under B is checked and kept as it is. */
    CHECK_INT(vault_dk_rewrap(w, wlen, "case_key:6", b, nw2, sizeof nw2, &nw2len), -1);
    CHECK_INT(vault_dk_rewrap(nw, nwlen, "case_key:5", b, nw2, sizeof nw2, &nw2len), 0);
    CHECK(nw2len == nwlen && memcmp(nw, nw2, nwlen) == 0);
    CHECK_INT(vault_dk_rewrap(nw, nwlen, "case_key:6", b, nw2, sizeof nw2, &nw2len), -1);
    CHECK_INT(vault_dk_rewrap(w, wlen, "case_key:5", b, nw2, VAULT_WRAPPED_LEN - 1, &nw2len), -1);

    /* Under B: the old blob is refused (wrong master key), the new one opens to the same key. */
    open_with(KEY_B);
    CHECK_INT(vault_dk_unwrap(w, wlen, "case_key:5", &dk2), -1);
    /* Even with B's id forged into A's blob, B cannot open it. */
    uint8_t forged[VAULT_WRAPPED_LEN];
    memcpy(forged, w, sizeof forged);
    memcpy(forged + 1, nw + 1, 4);
    CHECK_INT(vault_dk_unwrap(forged, sizeof forged, "case_key:5", &dk2), -1);
    CHECK_INT(vault_dk_unwrap(nw, nwlen, "case_key:5", &dk2), 0);
    CHECK(memcmp(dk.key, dk2.key, sizeof dk.key) == 0);
    CHECK_INT(vault_unseal(&dk2, "cases.summary:5", ct, ctlen, &pt, &ptlen), 0);
    CHECK_STR(pt, summary);
    vault_free_plain(pt, ptlen);
    free(ct);
    vault_dk_wipe(&dk);
    vault_dk_wipe(&dk2);
    open_with(KEY_A);
}

static bool token_ok(const char *t)
{
    if (strlen(t) != VAULT_SEARCH_TOKEN_CHARS)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '2' && *p <= '7')))
            return false;
    /* 13 base32 digits carry 65 bits: the last one's low bit is padding. */
    char last = t[VAULT_SEARCH_TOKEN_CHARS - 1];
    int v = last >= 'a' ? last - 'a' : last - '2' + 26;
    return (v & 1) == 0;
}

static void test_index_and_tokens(void)
{
    unsigned char b[32];
    key_bytes(KEY_B, b);
    open_with(KEY_A);
    uint8_t bl[VAULT_BLIND_LEN], bl2[VAULT_BLIND_LEN];
    char tok[VAULT_SEARCH_TOKEN_CHARS + 1], tok2[VAULT_SEARCH_TOKEN_CHARS + 1];

    /* Before the index key is loaded: refused, loudly, with nothing usable in the output. */
    CHECK(!vault_index_loaded());
    memset(bl, 0xFF, sizeof bl);
    CHECK_INT(vault_blind("phone", "85361234567", bl), -1);
    CHECK(all_zero(bl, sizeof bl));
    strcpy(tok, "x");
    CHECK_INT(vault_search_token("調解", strlen("調解"), tok), -1);
    CHECK_STR(tok, "");

    uint8_t ik[VAULT_WRAPPED_LEN], ik2[VAULT_WRAPPED_LEN], ikb[VAULT_WRAPPED_LEN];
    size_t iklen, ik2len, ikblen;
    CHECK_INT(vault_index_key_new(ik, sizeof ik, &iklen), 0);
    CHECK_INT(vault_index_key_new(ik2, sizeof ik2, &ik2len), 0);
    CHECK(!vault_index_loaded());
    /* The index key is not a data key: the data-key calls refuse its reserved ad. */
    struct vault_dk dk;
    CHECK_INT(vault_dk_unwrap(ik, iklen, VAULT_INDEX_KEY_AD, &dk), -1);
    CHECK_INT(vault_dk_unwrap(ik, iklen, "case_key:1", &dk), -1);
    uint8_t t[VAULT_WRAPPED_LEN];
    memcpy(t, ik, sizeof t);
    t[40] ^= 1;
    CHECK_INT(vault_index_key_load(t, sizeof t), -1);
    CHECK(!vault_index_loaded());

    CHECK_INT(vault_index_key_load(ik, iklen), 0);
    CHECK(vault_index_loaded());
    CHECK_INT(vault_index_key_load(ik, iklen), 0);    /* again: a no-op */
    CHECK_INT(vault_index_key_load(ik2, ik2len), -1); /* another: refused */

    /* Stable, and separated by kind and value (and by where the kind ends). */
    CHECK_INT(vault_blind("id:mainland_id", "11010519491231002X", bl), 0);
    CHECK_INT(vault_blind("id:mainland_id", "11010519491231002X", bl2), 0);
    CHECK(memcmp(bl, bl2, sizeof bl) == 0);
    CHECK(!all_zero(bl, sizeof bl));
    CHECK_INT(vault_blind("id:hk_id", "11010519491231002X", bl2), 0);
    CHECK(memcmp(bl, bl2, sizeof bl) != 0);
    CHECK_INT(vault_blind("id:mainland_id", "110105194912310021", bl2), 0);
    CHECK(memcmp(bl, bl2, sizeof bl) != 0);
    CHECK_INT(vault_blind("ab", "c", bl), 0);
    CHECK_INT(vault_blind("a", "bc", bl2), 0);
    CHECK(memcmp(bl, bl2, sizeof bl) != 0);
    CHECK_INT(vault_blind("", "x", bl), -1);
    CHECK_INT(vault_blind(NULL, "x", bl), -1);
    /* Not a plain hash of the value. */
    uint8_t plain[VAULT_BLIND_LEN];
    crypto_generichash(plain, sizeof plain, (const unsigned char *)"85361234567", 11, NULL, 0);
    CHECK_INT(vault_blind("phone", "85361234567", bl), 0);
    CHECK(memcmp(bl, plain, sizeof bl) != 0);
    uint8_t phone_a[VAULT_BLIND_LEN];
    memcpy(phone_a, bl, sizeof bl);

    CHECK_INT(vault_search_token("調解", strlen("調解"), tok), 0);
    CHECK(token_ok(tok));
    CHECK_INT(vault_search_token("調解", strlen("調解"), tok2), 0);
    CHECK_STR(tok2, tok);
    CHECK_INT(vault_search_token("解協", strlen("解協"), tok2), 0);
    CHECK(token_ok(tok2) && strcmp(tok, tok2) != 0);
    CHECK_INT(vault_search_token("mediation", 9, tok2), 0);
    CHECK(token_ok(tok2) && strcmp(tok, tok2) != 0);
    CHECK_INT(vault_search_token("mediation-x", 9, tok), 0); /* only len bytes count */
    CHECK_STR(tok, tok2);
    char tok_a[VAULT_SEARCH_TOKEN_CHARS + 1];
    CHECK_INT(vault_search_token("調解", strlen("調解"), tok_a), 0);
    /* Many tokens: all well-formed, no collisions among a few thousand. */
    int bad = 0, same = 0;
    char prev[VAULT_SEARCH_TOKEN_CHARS + 1] = "";
    for (int i = 0; i < 3000; i++) {
        char w[16];
        int n = snprintf(w, sizeof w, "w%d", i);
        if (vault_search_token(w, (size_t)n, tok) != 0 || !token_ok(tok))
            bad++;
        if (strcmp(tok, prev) == 0)
            same++;
        memcpy(prev, tok, sizeof tok);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(same, 0);

    /* Rotation: the index key is rewrapped under B; under B the same index gives the same
     * blind indexes and search tokens. */
    CHECK_INT(vault_dk_rewrap(ik, iklen, VAULT_INDEX_KEY_AD, b, ikb, sizeof ikb, &ikblen), 0);
    open_with(KEY_B);
    CHECK(!vault_index_loaded());                   /* reopening forgets the index */
    CHECK_INT(vault_index_key_load(ik, iklen), -1); /* the old wrapping no longer opens */
    CHECK_INT(vault_index_key_load(ikb, ikblen), 0);
    CHECK_INT(vault_blind("phone", "85361234567", bl), 0);
    CHECK(memcmp(bl, phone_a, sizeof bl) == 0);
    CHECK_INT(vault_search_token("調解", strlen("調解"), tok), 0);
    CHECK_STR(tok, tok_a);

    /* Keyed: another index key gives other values. */
    open_with(KEY_A);
    CHECK_INT(vault_index_key_load(ik2, ik2len), 0);
    CHECK_INT(vault_blind("phone", "85361234567", bl), 0);
    CHECK(memcmp(bl, phone_a, sizeof bl) != 0);
    CHECK_INT(vault_search_token("調解", strlen("調解"), tok), 0);
    CHECK(token_ok(tok) && strcmp(tok, tok_a) != 0);
    vault_close();
    CHECK_INT(vault_blind("phone", "85361234567", bl), -1);
    open_with(KEY_A);
}

/* The sealed size for len bytes of plaintext. */
static size_t sealed_size(size_t len)
{
    return 25 + len + (len / VAULT_FILE_CHUNK + 1) * 17;
}

static bool unseals_to(const struct vault_dk *dk, const char *ad, const uint8_t *c, size_t clen,
                       const uint8_t *want, size_t wlen)
{
    uint8_t *p = NULL;
    size_t plen = 0;
    if (vault_unseal_buf(dk, ad, c, clen, &p, &plen) != 0)
        return false;
    bool same = plen == wlen && (wlen == 0 || memcmp(p, want, wlen) == 0);
    vault_free_plain(p, plen);
    return same;
}

static bool opens(const struct vault_dk *dk, const char *ad, const uint8_t *c, size_t clen)
{
    uint8_t *p = (uint8_t *)"junk";
    size_t plen = 1;
    int rc = vault_unseal_buf(dk, ad, c, clen, &p, &plen);
    if (rc == 0) {
        vault_free_plain(p, plen);
        return true;
    }
    CHECK(p == NULL && plen == 0);
    return false;
}

static int temp_file(const void *data, size_t len)
{
    char path[] = "/tmp/qiao-test-crypt-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    if (len)
        CHECK(write(fd, data, len) == (ssize_t)len);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static uint8_t *read_all(int fd, size_t *len)
{
    off_t end = lseek(fd, 0, SEEK_END);
    lseek(fd, 0, SEEK_SET);
    uint8_t *p = malloc(end > 0 ? (size_t)end : 1);
    CHECK(read(fd, p, (size_t)end) == (ssize_t)end);
    *len = (size_t)end;
    return p;
}

static void test_files(void)
{
    struct vault_dk dk, other;
    uint8_t w[VAULT_WRAPPED_LEN];
    size_t wlen;
    CHECK_INT(vault_dk_new(&dk, w, sizeof w, &wlen, "case_key:9"), 0);
    CHECK_INT(vault_dk_new(&other, w, sizeof w, &wlen, "case_key:10"), 0);

    const size_t len = 3u << 20; /* 3 MiB: 48 full chunks and an empty final one */
    uint8_t *doc = malloc(len);
    static const unsigned char seed[randombytes_SEEDBYTES] = "qiao test document seed 3 MiB";
    randombytes_buf_deterministic(doc, len, seed);

    uint8_t *c = NULL;
    size_t clen = 0;
    CHECK_INT(vault_seal_buf(&dk, "documents.body:88", doc, len, &c, &clen), 0);
    CHECK_INT(clen, sealed_size(len));
    CHECK_INT(c[0], 0x31);
    CHECK(unseals_to(&dk, "documents.body:88", c, clen, doc, len));

    /* Swapped between documents, or under another key: does not open. */
    CHECK(!opens(&dk, "documents.body:89", c, clen));
    CHECK(!opens(&dk, "documents.thumb:88", c, clen));
    CHECK(!opens(&other, "documents.body:88", c, clen));

    /* Truncation: the empty final chunk dropped (a clean chunk boundary), half the file, one
     * byte less; and a byte more. */
    CHECK(!opens(&dk, "documents.body:88", c, clen - 17));
    CHECK(!opens(&dk, "documents.body:88", c, 25 + 10 * (VAULT_FILE_CHUNK + 17)));
    CHECK(!opens(&dk, "documents.body:88", c, clen - 1));
    CHECK(!opens(&dk, "documents.body:88", c, 25));
    CHECK(!opens(&dk, "documents.body:88", c, 10));
    uint8_t *more = malloc(clen + 1);
    memcpy(more, c, clen);
    more[clen] = 0;
    CHECK(!opens(&dk, "documents.body:88", more, clen + 1));
    free(more);

    /* Altered: the version, the header, a byte in the middle, the final tag. Chunks reordered. */
    size_t at[] = {0, 5, 25, clen / 2, clen - 1};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        c[at[i]] ^= 0x01;
        CHECK(!opens(&dk, "documents.body:88", c, clen));
        c[at[i]] ^= 0x01;
    }
    const size_t cs = VAULT_FILE_CHUNK + 17;
    uint8_t *tmp = malloc(cs);
    memcpy(tmp, c + 25 + 3 * cs, cs);
    memmove(c + 25 + 3 * cs, c + 25 + 4 * cs, cs);
    memcpy(c + 25 + 4 * cs, tmp, cs);
    CHECK(!opens(&dk, "documents.body:88", c, clen));
    memcpy(c + 25 + 4 * cs, c + 25 + 3 * cs, cs);
    memcpy(c + 25 + 3 * cs, tmp, cs);
    free(tmp);
    CHECK(unseals_to(&dk, "documents.body:88", c, clen, doc, len)); /* restored */

    /* The first chunk of another document grafted onto this one. */
    uint8_t *c2 = NULL;
    size_t c2len = 0;
    CHECK_INT(vault_seal_buf(&dk, "documents.body:89", doc, len, &c2, &c2len), 0);
    CHECK(c2len == clen && memcmp(c, c2, clen) != 0);
    memcpy(c2 + 25, c + 25, cs);
    CHECK(!opens(&dk, "documents.body:89", c2, c2len));
    CHECK(!opens(&dk, "documents.body:88", c2, c2len));
    free(c2);

    /* Descriptors: sealed in memory, opened from a file, and the other way round. */
    int in = temp_file(c, clen), out = temp_file(NULL, 0);
    CHECK_INT(vault_unseal_file(&dk, "documents.body:88", in, out), 0);
    size_t plen = 0;
    uint8_t *p = read_all(out, &plen);
    CHECK(plen == len && memcmp(p, doc, len) == 0);
    free(p);
    close(out);
    lseek(in, 0, SEEK_SET);
    out = temp_file(NULL, 0);
    CHECK_INT(vault_unseal_file(&dk, "documents.body:89", in, out), -1);
    close(out);
    close(in);
    in = temp_file(c, clen - 17); /* a truncated file */
    out = temp_file(NULL, 0);
    CHECK_INT(vault_unseal_file(&dk, "documents.body:88", in, out), -1);
    close(out);
    close(in);

    in = temp_file(doc, len);
    out = temp_file(NULL, 0);
    CHECK_INT(vault_seal_file(&dk, "documents.body:90", in, out), 0);
    size_t flen = 0;
    uint8_t *f = read_all(out, &flen);
    CHECK_INT(flen, sealed_size(len));
    CHECK(unseals_to(&dk, "documents.body:90", f, flen, doc, len));
    free(f);
    close(out);
    close(in);
    CHECK_INT(vault_seal_file(&dk, "documents.body:90", -1, 1), -1);
    free(c);

    /* Sizes at the edges: empty, one byte, one chunk exactly, one chunk and a byte. */
    size_t sizes[] = {0, 1, VAULT_FILE_CHUNK - 1, VAULT_FILE_CHUNK, VAULT_FILE_CHUNK + 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        CHECK_INT(vault_seal_buf(&dk, "documents.body:1", doc, sizes[i], &c, &clen), 0);
        CHECK_INT(clen, sealed_size(sizes[i]));
        CHECK(unseals_to(&dk, "documents.body:1", c, clen, doc, sizes[i]));
        CHECK(!opens(&dk, "documents.body:1", c, clen - 1));
        free(c);
    }

    /* Refused: over the limit, no ad. */
    CHECK_INT(vault_seal_buf(&dk, "documents.body:1", doc, (size_t)VAULT_FILE_MAX + 1, &c, &clen),
              -1);
    CHECK(c == NULL && clen == 0);
    CHECK_INT(vault_seal_buf(&dk, NULL, doc, 10, &c, &clen), -1);
    free(doc);
    vault_dk_wipe(&dk);
    vault_dk_wipe(&other);
}

static void test_no_master(void)
{
    struct vault_dk dk;
    uint8_t w[VAULT_WRAPPED_LEN];
    size_t wlen = 5;
    vault_close();
    memset(dk.key, 1, sizeof dk.key);
    CHECK_INT(vault_dk_new(&dk, w, sizeof w, &wlen, "case_key:1"), -1);
    CHECK(all_zero(dk.key, sizeof dk.key));
    CHECK_INT(vault_index_key_new(w, sizeof w, &wlen), -1);
    CHECK_INT(wlen, 0);
    open_with(KEY_A);
}

int main(void)
{
    if (vault_init() != 0) {
        fprintf(stderr, "libsodium cannot be initialized\n");
        return 1;
    }
    test_key_check();
    test_data_keys();
    test_fields();
    test_wrong_master_and_rotation();
    test_index_and_tokens();
    test_files();
    test_no_master();
    vault_close();
    return check_summary();
}
