/* crypt.h: encryption at rest and lookups without plaintext (libsodium).
 *
 * Envelope encryption: the installation's master key (vault_open) wraps per-record data keys;
 * data keys seal fields and documents. Erasing a record's wrapped data key makes everything sealed
 * under it unreadable (crypto-shredding), and rotating the master key only rewraps data keys.
 *
 * Blind indexes and search tokens are keyed hashes under a separate, long-lived index key, which
 * is itself kept wrapped under the master key: they do not change when the master key rotates.
 *
 * Every blob carries its own format version in its first byte. All byte formats are fixed:
 *   wrapped key  (VAULT_WRAPPED_LEN = 77 bytes)
 *       0x11 | master-key id (4, big-endian) | nonce (24) | key (32) + tag (16)
 *       XChaCha20-Poly1305-IETF under the master key; additional data = the first 5 bytes ‖ ad.
 *   sealed field (VAULT_SEAL_OVERHEAD = 41 bytes + the plaintext's length)
 *       0x21 | nonce (24) | ciphertext + tag (16)
 *       XChaCha20-Poly1305-IETF under a data key; additional data = 0x21 ‖ ad.
 *   sealed file
 *       0x31 | secretstream header (24) | chunks
 *       crypto_secretstream_xchacha20poly1305 under a data key. Every chunk but the last holds
 *       VAULT_FILE_CHUNK bytes of plaintext (+17); the last holds fewer (maybe none) and carries
 *       TAG_FINAL. The first chunk's additional data is 0x31 ‖ ad.
 *
 * An "ad" (associated data) names where the blob belongs: table, column and row for a field
 * ("parties.name:17"), the owner of a data key ("case_key:42"), the document for a file
 * ("documents.body:88"). A blob moved to another place, or altered in any byte, does not open.
 * ads are NUL-terminated, 1..VAULT_AD_MAX bytes; those starting with "vault:" are reserved.
 *
 * Threads: once vault_open and vault_index_key_load have returned (before worker threads start),
 * every function here may be called from any number of threads at once.
 * Errors are -1 and never say why (a wrong key and a tampered blob look the same); only misuse,
 * such as using the index before it is loaded, is logged, with a code and no data. */
#ifndef QIAO_VAULT_CRYPT_H
#define QIAO_VAULT_CRYPT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VAULT_AD_MAX 200
#define VAULT_WRAPPED_LEN 77         /* 1 + 4 + 24 + 32 + 16 */
#define VAULT_SEAL_OVERHEAD 41       /* 1 + 24 + 16 */
#define VAULT_FIELD_MAX (16u << 20)  /* the largest plaintext vault_seal takes */
#define VAULT_FILE_MAX (50u << 20)   /* the largest plaintext vault_seal_file takes */
#define VAULT_FILE_CHUNK (64u << 10) /* plaintext bytes per secretstream chunk */
#define VAULT_BLIND_LEN 16
#define VAULT_SEARCH_TOKEN_CHARS 13 /* 64 bits in lowercase base32 */

/* The additional data under which the index key is wrapped (for vault_dk_rewrap at rotation). */
#define VAULT_INDEX_KEY_AD "vault:index_key"

#define VAULT_MUST_CHECK __attribute__((warn_unused_result))

/* A data key in the clear. Keep it on the stack, for as short a time as possible, and always
 * vault_dk_wipe it (also on error paths). */
struct vault_dk {
    unsigned char key[32];
};

/* Creates a random data key in *dk and wraps it under the open master key, bound to ad, into
 * wrapped (cap >= VAULT_WRAPPED_LEN; *wlen is set to VAULT_WRAPPED_LEN). The wrapped form is
 * what the store keeps. 0 ok; -1 (dk wiped) when no master key is open, cap is too small or ad
 * is empty, too long or reserved. */
int vault_dk_new(struct vault_dk *dk, uint8_t *wrapped, size_t cap, size_t *wlen, const char *ad);

/* Unwraps a data key wrapped under the open master key with the same ad. 0 ok; -1 (dk wiped)
 * when it does not open: another master key (see vault_wrapped_master_id), another ad (the blob
 * was moved to another row), any byte altered, a wrong length or version. */
VAULT_MUST_CHECK int vault_dk_unwrap(const uint8_t *wrapped, size_t wlen, const char *ad,
                                     struct vault_dk *dk);

/* Wipes a data key. */
void vault_dk_wipe(struct vault_dk *dk);

/* Seals len bytes of pt under dk, bound to ad, into *out (malloc'd, VAULT_SEAL_OVERHEAD + len
 * bytes; the caller frees it with free) and *outlen. len may be 0. 0 ok; -1 (*out NULL) when ad
 * is bad, len > VAULT_FIELD_MAX or memory runs out. */
int vault_seal(const struct vault_dk *dk, const char *ad, const void *pt, size_t len, uint8_t **out,
               size_t *outlen);

/* Opens a sealed field. *pt is malloc'd, holds *ptlen bytes and a NUL after them; the caller
 * frees it, preferably with vault_free_plain. 0 ok; -1 (*pt NULL, *ptlen 0) when it does not
 * open: another key, another ad (another table, column or row), any byte altered, truncated. */
VAULT_MUST_CHECK int vault_unseal(const struct vault_dk *dk, const char *ad, const uint8_t *in,
                                  size_t len, char **pt, size_t *ptlen);

/* Wipes and frees plaintext returned by vault_unseal or vault_unseal_buf (NULL is fine). */
void vault_free_plain(void *pt, size_t len);

/* Seals everything read from in_fd (up to VAULT_FILE_MAX bytes, read until end of file) under dk,
 * bound to ad, and writes the sealed file to out_fd. Neither descriptor is closed. 0 ok; -1 on a
 * read or write error, a plaintext over VAULT_FILE_MAX, a bad ad or no memory: what was written
 * to out_fd by then is garbage for the caller to discard. */
int vault_seal_file(const struct vault_dk *dk, const char *ad, int in_fd, int out_fd);

/* Opens a sealed file read from in_fd and writes the plaintext to out_fd. -1 on another key or
 * ad (a file swapped between documents), any altered byte, truncation (no final chunk), trailing
 * bytes, I/O errors. Plaintext is written chunk by chunk as each chunk authenticates, so on -1 the
 * caller must discard what was written (write to a temporary file, rename on 0). */
VAULT_MUST_CHECK int vault_unseal_file(const struct vault_dk *dk, const char *ad, int in_fd,
                                       int out_fd);

/* The same two in memory: *out (malloc'd, caller frees) receives the sealed file or the
 * plaintext; on -1 *out is NULL and *outlen 0. */
int vault_seal_buf(const struct vault_dk *dk, const char *ad, const void *pt, size_t len,
                   uint8_t **out, size_t *outlen);
VAULT_MUST_CHECK int vault_unseal_buf(const struct vault_dk *dk, const char *ad, const uint8_t *in,
                                      size_t len, uint8_t **out, size_t *outlen);

/* Creates a new random index key and wraps it under the open master key (cap >=
 * VAULT_WRAPPED_LEN). The store keeps the wrapped form in its settings, once per installation,
 * forever: every blind index and search token depends on it. It is not loaded by this call. 0 ok;
 * -1 when no master key is open or cap is too small. */
int vault_index_key_new(uint8_t *wrapped, size_t cap, size_t *wlen);

/* Unwraps the index key and derives the blind-index and search-token subkeys into guarded
 * read-only memory, once; the index key itself is wiped. Call after vault_open and before worker
 * threads start. Loading the same key again is a no-op; a different one is refused. 0 ok; -1
 * (logged) when it does not open under the master key or another index key is loaded. */
int vault_index_key_load(const uint8_t *wrapped, size_t wlen);

/* Whether an index key is loaded. */
bool vault_index_loaded(void);

/* The blind index of a normalized value (the caller normalizes: trimmed, case-folded, NFC,
 * digits only for numbers …): a 16-byte keyed BLAKE2b, domain-separated by kind
 * ("id:mainland_id", "phone", "email", "name" …). Equal inputs give equal outputs, under any
 * master key, as long as the index key is the same. 0 ok; -1 (out zeroed, logged) when no index
 * key is loaded or kind is empty. */
VAULT_MUST_CHECK int vault_blind(const char *kind, const char *normalized,
                                 uint8_t out[VAULT_BLIND_LEN]);

/* The search token of one normalized search term (a CJK bigram, a Latin word) of len bytes: a
 * 64-bit keyed BLAKE2b as 13 lowercase base32 characters [a-z2-7] plus a NUL, which SQLite FTS5's
 * ascii tokenizer indexes as one token. 0 ok; -1 (out "", logged) when no index key is loaded. */
VAULT_MUST_CHECK int vault_search_token(const char *token, size_t len,
                                        char out[VAULT_SEARCH_TOKEN_CHARS + 1]);

/* The 4-byte id of the open master key (first 4 bytes, big-endian, of BLAKE2b keyed by the key
 * over a fixed label); 0 when none is open. Public: it is written in every wrapped key. */
uint32_t vault_master_id(void);

/* The id of a given master key (for rotation). */
uint32_t vault_master_id_of(const unsigned char master[32]);

/* The master-key id recorded in a wrapped key; 0 when the blob is not a wrapped key. */
uint32_t vault_wrapped_master_id(const uint8_t *wrapped, size_t wlen);

/* Rewraps a key (a data key, or with VAULT_INDEX_KEY_AD / AUDIT_KEY_AD the index or audit key)
 * from the open master key to new_master, same ad, into out (cap >= VAULT_WRAPPED_LEN). A blob
 * already under new_master is checked to open under it and copied unchanged, so an interrupted
 * rotation can be run again. new_master is only read. 0 ok; -1 when it opens under neither. */
VAULT_MUST_CHECK int vault_dk_rewrap(const uint8_t *wrapped, size_t wlen, const char *ad,
                                     const unsigned char new_master[32], uint8_t *out, size_t cap,
                                     size_t *outlen);
#endif
