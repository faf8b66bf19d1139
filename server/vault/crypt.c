/* crypt.c: envelope encryption, sealed fields and files, blind indexes and search tokens. The
 * byte formats are documented in crypt.h; changing one means a new version byte. */
#include "vault/crypt.h"
#include "vault/internal.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRAP_V1 0x11
#define SEAL_V1 0x21
#define FILE_V1 0x31

#define WRAP_HDR 5                        /* version, master-key id */
#define AAD_MAX (WRAP_HDR + VAULT_AD_MAX) /* the longest additional data: a prefix and an ad */
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HDR (1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES)

_Static_assert(VAULT_WRAPPED_LEN == WRAP_HDR + NONCE_LEN + VAULT_SECRET_LEN + TAG_LEN, "wrap");
_Static_assert(VAULT_SEAL_OVERHEAD == 1 + NONCE_LEN + TAG_LEN, "seal");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32, "aead key");
_Static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == 32, "stream key");
_Static_assert(SS_ABYTES == 17, "stream tag");

/* The index subkeys, derived once by vault_index_key_load: in guarded read-only memory. */
#define BLIND_KEY 0
#define SEARCH_KEY 32
static unsigned char *index_keys;

void vault_log_(const char *code, const char *call)
{
    fprintf(stderr, "{\"event\":\"vault_error\",\"code\":\"%s\",\"call\":\"%s\"}\n", code, call);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The length of a usable ad (1..VAULT_AD_MAX bytes), or 0. */
static size_t ad_len(const char *ad)
{
    if (!ad)
        return 0;
    size_t n = strnlen(ad, VAULT_AD_MAX + 1);
    return n <= VAULT_AD_MAX ? n : 0;
}

static bool ad_reserved(const char *ad)
{
    return strncmp(ad, "vault:", 6) == 0;
}

/* aad = prefix ‖ ad; returns its length, or 0 when ad is unusable. */
static size_t make_aad(uint8_t aad[AAD_MAX], const uint8_t *prefix, size_t plen, const char *ad)
{
    size_t n = ad_len(ad);
    if (!n)
        return 0;
    memcpy(aad, prefix, plen);
    memcpy(aad + plen, ad, n);
    return plen + n;
}

uint32_t vault_master_id_of(const unsigned char master[32])
{
    static const unsigned char label[] = "qiao master key id v1";
    unsigned char h[32];
    crypto_generichash(h, sizeof h, label, sizeof label - 1, master, 32);
    uint32_t id = get_be32(h);
    sodium_memzero(h, sizeof h);
    return id;
}

uint32_t vault_master_id(void)
{
    const unsigned char *mk = vault_master_key_();
    return mk ? vault_master_id_of(mk) : 0;
}

uint32_t vault_wrapped_master_id(const uint8_t *wrapped, size_t wlen)
{
    if (!wrapped || wlen != VAULT_WRAPPED_LEN || wrapped[0] != WRAP_V1)
        return 0;
    return get_be32(wrapped + 1);
}

int vault_wrap_(const unsigned char master[32], const char *ad,
                const unsigned char secret[VAULT_SECRET_LEN], uint8_t *out, size_t cap,
                size_t *outlen)
{
    uint8_t aad[AAD_MAX];
    if (outlen)
        *outlen = 0;
    if (!master || !out || cap < VAULT_WRAPPED_LEN)
        return -1;
    out[0] = WRAP_V1;
    put_be32(out + 1, vault_master_id_of(master));
    size_t alen = make_aad(aad, out, WRAP_HDR, ad);
    if (!alen)
        return -1;
    randombytes_buf(out + WRAP_HDR, NONCE_LEN);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + WRAP_HDR + NONCE_LEN, &clen, secret,
                                               VAULT_SECRET_LEN, aad, alen, NULL, out + WRAP_HDR,
                                               master);
    if (outlen)
        *outlen = VAULT_WRAPPED_LEN;
    return 0;
}

/* Opens a wrapped key under a given master key. */
static int unwrap_with(const unsigned char *master, const uint8_t *wrapped, size_t wlen,
                       const char *ad, unsigned char secret[VAULT_SECRET_LEN])
{
    uint8_t aad[AAD_MAX];
    unsigned long long mlen = 0;
    size_t alen;
    if (!master || !wrapped ||
        vault_wrapped_master_id(wrapped, wlen) != vault_master_id_of(master) ||
        !(alen = make_aad(aad, wrapped, WRAP_HDR, ad)) ||
        crypto_aead_xchacha20poly1305_ietf_decrypt(
            secret, &mlen, NULL, wrapped + WRAP_HDR + NONCE_LEN, VAULT_SECRET_LEN + TAG_LEN, aad,
            alen, wrapped + WRAP_HDR, master) != 0 ||
        mlen != VAULT_SECRET_LEN) {
        sodium_memzero(secret, VAULT_SECRET_LEN);
        return -1;
    }
    return 0;
}

int vault_unwrap_(const uint8_t *wrapped, size_t wlen, const char *ad,
                  unsigned char secret[VAULT_SECRET_LEN])
{
    return unwrap_with(vault_master_key_(), wrapped, wlen, ad, secret);
}

int vault_dk_new(struct vault_dk *dk, uint8_t *wrapped, size_t cap, size_t *wlen, const char *ad)
{
    const unsigned char *mk = vault_master_key_();
    if (!mk)
        vault_log_("master_key_not_open", "vault_dk_new");
    randombytes_buf(dk->key, sizeof dk->key);
    if (!mk || !ad_len(ad) || ad_reserved(ad) ||
        vault_wrap_(mk, ad, dk->key, wrapped, cap, wlen) != 0) {
        vault_dk_wipe(dk);
        return -1;
    }
    return 0;
}

int vault_dk_unwrap(const uint8_t *wrapped, size_t wlen, const char *ad, struct vault_dk *dk)
{
    if (!ad_len(ad) || ad_reserved(ad)) {
        vault_dk_wipe(dk);
        return -1;
    }
    return vault_unwrap_(wrapped, wlen, ad, dk->key);
}

void vault_dk_wipe(struct vault_dk *dk)
{
    sodium_memzero(dk->key, sizeof dk->key);
}

int vault_dk_rewrap(const uint8_t *wrapped, size_t wlen, const char *ad,
                    const unsigned char new_master[32], uint8_t *out, size_t cap, size_t *outlen)
{
    unsigned char secret[VAULT_SECRET_LEN];
    int rc = -1;
    *outlen = 0;
    if (!new_master || cap < VAULT_WRAPPED_LEN)
        return -1;
    if (vault_wrapped_master_id(wrapped, wlen) == vault_master_id_of(new_master)) {
        /* Already rewrapped (an interrupted rotation run again): keep it if it opens. */
        if (unwrap_with(new_master, wrapped, wlen, ad, secret) == 0) {
            memcpy(out, wrapped, VAULT_WRAPPED_LEN);
            *outlen = VAULT_WRAPPED_LEN;
            rc = 0;
        }
    } else if (vault_unwrap_(wrapped, wlen, ad, secret) == 0) {
        rc = vault_wrap_(new_master, ad, secret, out, cap, outlen);
    }
    sodium_memzero(secret, sizeof secret);
    return rc;
}

int vault_seal(const struct vault_dk *dk, const char *ad, const void *pt, size_t len, uint8_t **out,
               size_t *outlen)
{
    static const uint8_t version = SEAL_V1;
    uint8_t aad[AAD_MAX];
    *out = NULL;
    *outlen = 0;
    size_t alen = make_aad(aad, &version, 1, ad);
    if (!alen || len > VAULT_FIELD_MAX || (!pt && len))
        return -1;
    uint8_t *o = malloc(VAULT_SEAL_OVERHEAD + len);
    if (!o)
        return -1;
    o[0] = SEAL_V1;
    randombytes_buf(o + 1, NONCE_LEN);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(o + 1 + NONCE_LEN, &clen, pt, len, aad, alen, NULL,
                                               o + 1, dk->key);
    *out = o;
    *outlen = VAULT_SEAL_OVERHEAD + len;
    return 0;
}

int vault_unseal(const struct vault_dk *dk, const char *ad, const uint8_t *in, size_t len,
                 char **pt, size_t *ptlen)
{
    static const uint8_t version = SEAL_V1;
    uint8_t aad[AAD_MAX];
    *pt = NULL;
    *ptlen = 0;
    size_t alen = make_aad(aad, &version, 1, ad);
    if (!alen || !in || len < VAULT_SEAL_OVERHEAD || len - VAULT_SEAL_OVERHEAD > VAULT_FIELD_MAX ||
        in[0] != SEAL_V1)
        return -1;
    size_t cap = len - VAULT_SEAL_OVERHEAD;
    char *m = malloc(cap + 1);
    if (!m)
        return -1;
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)m, &mlen, NULL,
                                                   in + 1 + NONCE_LEN, len - 1 - NONCE_LEN, aad,
                                                   alen, in + 1, dk->key) != 0 ||
        mlen != cap) {
        vault_free_plain(m, cap + 1);
        return -1;
    }
    m[cap] = 0;
    *pt = m;
    *ptlen = cap;
    return 0;
}

void vault_free_plain(void *pt, size_t len)
{
    if (pt) {
        sodium_memzero(pt, len);
        free(pt);
    }
}

/* Files: a byte source and sink that are either a descriptor or a buffer, so that the in-memory
 * and the descriptor forms share one implementation (and one set of tests). */
struct io {
    int fd;            /* >= 0: a descriptor; else the buffer below */
    const uint8_t *in; /* source buffer */
    uint8_t *out;      /* sink buffer, of cap bytes */
    size_t len, pos, cap;
};

/* Reads up to n bytes, fewer only at the end: the count, or -1 on an error. */
static ssize_t io_read(struct io *s, uint8_t *p, size_t n)
{
    if (s->fd < 0) {
        size_t k = s->len - s->pos;
        if (k > n)
            k = n;
        if (k)
            memcpy(p, s->in + s->pos, k);
        s->pos += k;
        return (ssize_t)k;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(s->fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int io_write(struct io *s, const uint8_t *p, size_t n)
{
    if (s->fd < 0) {
        if (n > s->cap - s->len)
            return -1;
        if (n)
            memcpy(s->out + s->len, p, n);
        s->len += n;
        return 0;
    }
    while (n) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int seal_stream(const struct vault_dk *dk, const char *ad, struct io *src, struct io *dst)
{
    static const uint8_t version = FILE_V1;
    uint8_t aad[AAD_MAX];
    size_t alen = make_aad(aad, &version, 1, ad);
    if (!alen)
        return -1;
    uint8_t *pbuf = malloc(VAULT_FILE_CHUNK), *cbuf = malloc(VAULT_FILE_CHUNK + SS_ABYTES);
    crypto_secretstream_xchacha20poly1305_state st;
    uint8_t hdr[SS_HDR];
    int rc = -1;
    if (!pbuf || !cbuf)
        goto out;
    hdr[0] = FILE_V1;
    crypto_secretstream_xchacha20poly1305_init_push(&st, hdr + 1, dk->key);
    if (io_write(dst, hdr, sizeof hdr) != 0)
        goto out;
    size_t total = 0;
    for (bool first = true;; first = false) {
        ssize_t n = io_read(src, pbuf, VAULT_FILE_CHUNK);
        if (n < 0 || (total += (size_t)n) > VAULT_FILE_MAX)
            goto out;
        uint8_t tag = (size_t)n < VAULT_FILE_CHUNK
                          ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                          : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
        unsigned long long clen = 0;
        crypto_secretstream_xchacha20poly1305_push(&st, cbuf, &clen, pbuf, (size_t)n,
                                                   first ? aad : NULL, first ? alen : 0, tag);
        if (io_write(dst, cbuf, (size_t)clen) != 0)
            goto out;
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
            break;
    }
    rc = 0;
out:
    sodium_memzero(&st, sizeof st);
    if (pbuf)
        vault_free_plain(pbuf, VAULT_FILE_CHUNK);
    free(cbuf);
    return rc;
}

static int unseal_stream(const struct vault_dk *dk, const char *ad, struct io *src, struct io *dst)
{
    static const uint8_t version = FILE_V1;
    uint8_t aad[AAD_MAX];
    size_t alen = make_aad(aad, &version, 1, ad);
    if (!alen)
        return -1;
    uint8_t *cbuf = malloc(VAULT_FILE_CHUNK + SS_ABYTES), *pbuf = malloc(VAULT_FILE_CHUNK);
    crypto_secretstream_xchacha20poly1305_state st;
    uint8_t hdr[SS_HDR];
    int rc = -1;
    sodium_memzero(&st, sizeof st);
    if (!pbuf || !cbuf || io_read(src, hdr, sizeof hdr) != (ssize_t)sizeof hdr ||
        hdr[0] != FILE_V1 ||
        crypto_secretstream_xchacha20poly1305_init_pull(&st, hdr + 1, dk->key) != 0)
        goto out;
    size_t total = 0;
    for (bool first = true;; first = false) {
        ssize_t n = io_read(src, cbuf, VAULT_FILE_CHUNK + SS_ABYTES);
        if (n < (ssize_t)SS_ABYTES) /* an error, or the end before the final chunk */
            goto out;
        unsigned long long mlen = 0;
        uint8_t tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, pbuf, &mlen, &tag, cbuf, (size_t)n,
                                                       first ? aad : NULL, first ? alen : 0) != 0)
            goto out;
        bool final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (!final && (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE ||
                       (size_t)n != VAULT_FILE_CHUNK + SS_ABYTES))
            goto out;
        if ((total += (size_t)mlen) > VAULT_FILE_MAX || io_write(dst, pbuf, (size_t)mlen) != 0)
            goto out;
        if (final) {
            uint8_t extra;
            if (io_read(src, &extra, 1) != 0) /* bytes after the final chunk */
                goto out;
            break;
        }
    }
    rc = 0;
out:
    sodium_memzero(&st, sizeof st);
    if (pbuf)
        vault_free_plain(pbuf, VAULT_FILE_CHUNK);
    free(cbuf);
    return rc;
}

int vault_seal_file(const struct vault_dk *dk, const char *ad, int in_fd, int out_fd)
{
    struct io src = {.fd = in_fd}, dst = {.fd = out_fd};
    if (in_fd < 0 || out_fd < 0)
        return -1;
    return seal_stream(dk, ad, &src, &dst);
}

int vault_unseal_file(const struct vault_dk *dk, const char *ad, int in_fd, int out_fd)
{
    struct io src = {.fd = in_fd}, dst = {.fd = out_fd};
    if (in_fd < 0 || out_fd < 0)
        return -1;
    return unseal_stream(dk, ad, &src, &dst);
}

int vault_seal_buf(const struct vault_dk *dk, const char *ad, const void *pt, size_t len,
                   uint8_t **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (len > VAULT_FILE_MAX || (!pt && len))
        return -1;
    size_t cap = SS_HDR + len + (len / VAULT_FILE_CHUNK + 1) * SS_ABYTES;
    struct io src = {.fd = -1, .in = pt, .len = len};
    struct io dst = {.fd = -1, .out = malloc(cap), .cap = cap};
    if (!dst.out || seal_stream(dk, ad, &src, &dst) != 0 || dst.len != cap) {
        free(dst.out);
        return -1;
    }
    *out = dst.out;
    *outlen = dst.len;
    return 0;
}

int vault_unseal_buf(const struct vault_dk *dk, const char *ad, const uint8_t *in, size_t len,
                     uint8_t **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (!in || len < SS_HDR + SS_ABYTES)
        return -1;
    size_t cap = len - SS_HDR - SS_ABYTES; /* at least the plaintext's length */
    struct io src = {.fd = -1, .in = in, .len = len};
    struct io dst = {.fd = -1, .out = malloc(cap ? cap : 1), .cap = cap};
    if (!dst.out || unseal_stream(dk, ad, &src, &dst) != 0) {
        vault_free_plain(dst.out, cap);
        return -1;
    }
    *out = dst.out;
    *outlen = dst.len;
    return 0;
}

int vault_index_key_new(uint8_t *wrapped, size_t cap, size_t *wlen)
{
    const unsigned char *mk = vault_master_key_();
    unsigned char ik[VAULT_SECRET_LEN];
    if (!mk) {
        vault_log_("master_key_not_open", "vault_index_key_new");
        *wlen = 0;
        return -1;
    }
    randombytes_buf(ik, sizeof ik);
    int rc = vault_wrap_(mk, VAULT_INDEX_KEY_AD, ik, wrapped, cap, wlen);
    sodium_memzero(ik, sizeof ik);
    return rc;
}

int vault_index_key_load(const uint8_t *wrapped, size_t wlen)
{
    static const unsigned char blind_label[] = "qiao blind index v1";
    static const unsigned char search_label[] = "qiao search token v1";
    unsigned char ik[VAULT_SECRET_LEN], sub[64];
    if (vault_unwrap_(wrapped, wlen, VAULT_INDEX_KEY_AD, ik) != 0) {
        vault_log_(vault_master_key_() ? "index_key_does_not_open" : "master_key_not_open",
                   "vault_index_key_load");
        return -1;
    }
    crypto_generichash(sub + BLIND_KEY, 32, blind_label, sizeof blind_label - 1, ik, sizeof ik);
    crypto_generichash(sub + SEARCH_KEY, 32, search_label, sizeof search_label - 1, ik, sizeof ik);
    sodium_memzero(ik, sizeof ik);
    int rc = 0;
    if (index_keys) {
        if (sodium_memcmp(index_keys, sub, sizeof sub) != 0) {
            vault_log_("another_index_key_loaded", "vault_index_key_load");
            rc = -1;
        }
    } else if ((index_keys = sodium_malloc(sizeof sub)) != NULL) {
        memcpy(index_keys, sub, sizeof sub);
        sodium_mprotect_readonly(index_keys);
    } else {
        vault_log_("out_of_guarded_memory", "vault_index_key_load");
        rc = -1;
    }
    sodium_memzero(sub, sizeof sub);
    return rc;
}

bool vault_index_loaded(void)
{
    return index_keys != NULL;
}

int vault_blind(const char *kind, const char *normalized, uint8_t out[VAULT_BLIND_LEN])
{
    sodium_memzero(out, VAULT_BLIND_LEN);
    if (!index_keys) {
        vault_log_("index_key_not_loaded", "vault_blind");
        return -1;
    }
    size_t klen = kind ? strlen(kind) : 0;
    if (!klen || !normalized) {
        vault_log_("bad_argument", "vault_blind");
        return -1;
    }
    /* BLAKE2b-128 keyed by the blind subkey over be32(len(kind)) ‖ kind ‖ value. */
    crypto_generichash_state st;
    uint8_t l[4];
    put_be32(l, (uint32_t)klen);
    crypto_generichash_init(&st, index_keys + BLIND_KEY, 32, VAULT_BLIND_LEN);
    crypto_generichash_update(&st, l, sizeof l);
    crypto_generichash_update(&st, (const unsigned char *)kind, klen);
    crypto_generichash_update(&st, (const unsigned char *)normalized, strlen(normalized));
    crypto_generichash_final(&st, out, VAULT_BLIND_LEN);
    sodium_memzero(&st, sizeof st);
    return 0;
}

int vault_search_token(const char *token, size_t len, char out[VAULT_SEARCH_TOKEN_CHARS + 1])
{
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    out[0] = 0;
    if (!index_keys) {
        vault_log_("index_key_not_loaded", "vault_search_token");
        return -1;
    }
    if (!token && len) {
        vault_log_("bad_argument", "vault_search_token");
        return -1;
    }
    uint8_t h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, len, index_keys + SEARCH_KEY, 32);
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof h; i++)
        v = v << 8 | h[i];
    /* 13 groups of 5 bits, most significant first; the last group has one padding zero bit. */
    for (int i = 0; i < VAULT_SEARCH_TOKEN_CHARS; i++) {
        int shift = 59 - 5 * i;
        unsigned d = shift >= 0 ? (unsigned)(v >> shift) & 31u : (unsigned)(v << -shift) & 31u;
        out[i] = b32[d];
    }
    out[VAULT_SEARCH_TOKEN_CHARS] = 0;
    return 0;
}

void vault_crypt_close_(void)
{
    if (index_keys) {
        sodium_free(index_keys);
        index_keys = NULL;
    }
}
