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
 * DIR/keys/master.key, created on first start. The key lives in guarded memory until vault_close.
 * *beside_data is set when the key is the one stored in the data directory. 0 ok, -1 with err. */
int vault_open(const char *data_dir, const char *key_file, bool *beside_data, char *err,
               size_t errcap);

/* Wipes and frees the master key. */
void vault_close(void);
#endif
