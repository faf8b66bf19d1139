/* vault.h: secrets. Password hashing (Argon2id), bearer tokens, the installation's master key.
 * Everything here is libsodium; nothing here knows SQL or HTTP. */
#ifndef QIAO_VAULT_H
#define QIAO_VAULT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VAULT_PWHASH_LEN 128   /* room for libsodium's encoded Argon2id string */
#define VAULT_TOKEN_LEN 43     /* 32 random bytes in unpadded base64url */
#define VAULT_TOKEN_HASH_LEN 32
#define VAULT_KEY_CHECK_LEN 32 /* see vault_key_check */

/* Initializes libsodium; 0 ok, -1 if it cannot be. Call once before anything else here. */
int vault_init(void);

/* Hashes a password with Argon2id at libsodium's interactive limits into out (NUL-terminated).
 * 0 ok; -1 when out of memory. The password is not kept. */
int vault_pw_hash(const char *password, char out[VAULT_PWHASH_LEN]);

/* Verifies password against an encoded hash in constant time with respect to the password.
 * With hash NULL, spends the same effort on a fixed dummy hash and returns false, so that an
 * unknown user name cannot be told from a wrong password by timing. */
bool vault_pw_verify(const char *hash, const char *password);

/* A fresh random bearer token (NUL-terminated base64url) and the hash under which it is stored. */
void vault_token_new(char token[VAULT_TOKEN_LEN + 1], uint8_t hash[VAULT_TOKEN_HASH_LEN]);

/* The stored hash of a presented token; false if the token is not of the right form. */
bool vault_token_hash(const char *token, uint8_t hash[VAULT_TOKEN_HASH_LEN]);

/* The CSRF token bound to a session token (derived: nothing more is stored). */
void vault_csrf_for(const char *token, char csrf[VAULT_TOKEN_LEN + 1]);

/* Wipes a buffer that held a secret (not optimized away). */
void vault_wipe(void *p, size_t n);

/* Constant-time equality of two NUL-terminated strings of public length. */
bool vault_str_equal(const char *a, const char *b);

/* A 16-byte keyed hash of a name or address for the sign-in throttle (no plaintext stored). */
void vault_throttle_key(const char *kind, const char *value, uint8_t out[16]);

/* Opens the installation's master key: from key_file when given (refused if group- or
 * world-accessible), else from the environment variable QIAO_MASTER_KEY (64 hex digits), else
 * DIR/keys/master.key, created on first start. The key lives in guarded, locked, read-only memory
 * until vault_close, so that any number of threads may use it at once. Opening again first does
 * vault_close. *beside_data is set when the key is the one stored in the data directory. 0 ok, -1
 * with err (which never holds key material).
 *
 * This does not know whether the key is the right one for the data: the store keeps
 * vault_key_check's value and compares it (vault_key_check_matches) at every start. */
int vault_open(const char *data_dir, const char *key_file, bool *beside_data, char *err,
               size_t errcap);

/* The key-check value of the open master key: BLAKE2b-256 keyed by the master key over a fixed
 * label. It identifies the key without revealing it, so the store may keep it in plain text and
 * compare it at start to refuse a wrong key before anything is decrypted. 0 ok; -1 (out zeroed)
 * when no key is open. */
int vault_key_check(uint8_t out[VAULT_KEY_CHECK_LEN]);

/* Whether the open master key is the one whose key-check value is stored (constant time). False
 * when no key is open. */
bool vault_key_check_matches(const uint8_t stored[VAULT_KEY_CHECK_LEN]);

/* The same value for a given master key (for key rotation: the value to keep once the new key
 * takes over). The key is only read. */
void vault_key_check_of(const unsigned char master[32], uint8_t out[VAULT_KEY_CHECK_LEN]);

/* ---- rotation ----
 * rotate-keys: vault_rotate_begin writes a new key to KEYFILE.next; the store rewraps every key
 * under vault_rotation_key() and stores its key check in one transaction; vault_rotate_finish
 * renames KEYFILE.next over KEYFILE and switches to it. If anything stops in between, the next
 * start calls vault_recover_rotation with the stored check: the rotation is finished when the
 * database committed, undone when it did not. A server running meanwhile calls vault_reload when
 * the stored check no longer matches its key. */
int vault_rotate_begin(char *err, size_t errcap);
/* The new key during a rotation (borrowed, guarded, read-only); NULL otherwise. */
const unsigned char *vault_rotation_key(void);
int vault_rotate_finish(char *err, size_t errcap);
void vault_rotate_abort(void);
/* 1 when a pending rotation was finished, 0 when there was none or it was undone, -1 on error. */
int vault_recover_rotation(const uint8_t stored[VAULT_KEY_CHECK_LEN]);
/* Switches to the key (from the key file, or its .next) whose check is stored; 0 when the open
 * key matches afterwards. Thread-safe; the replaced key stays readable until vault_close. */
int vault_reload(const uint8_t stored[VAULT_KEY_CHECK_LEN]);

/* Wipes and frees the master key and everything loaded or derived under it (the index key's
 * subkeys, the audit signing key). */
void vault_close(void);
#endif
