/* internal.h: shared by the vault module's own files (vault.c, crypt.c, audit.c) only. Nothing
 * outside server/vault/ includes it: the master key never leaves the module. */
#ifndef QIAO_VAULT_INTERNAL_H
#define QIAO_VAULT_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#define VAULT_SECRET_LEN 32 /* the length of every key that is wrapped under the master key */

/* The open master key (32 bytes, read-only guarded memory), or NULL when none is open. Borrowed:
 * valid until vault_close; never copied out of the vault module, never written. */
const unsigned char *vault_master_key_(void);

/* Wraps a 32-byte secret under `master` into the wrapped-key format described in crypt.h, bound
 * to ad (which may be one of the reserved "vault:" labels). 0 ok; -1 when cap is too small or ad
 * is too long or empty. */
int vault_wrap_(const unsigned char master[32], const char *ad,
                const unsigned char secret[VAULT_SECRET_LEN], uint8_t *out, size_t cap,
                size_t *outlen);

/* Unwraps a secret wrapped under the open master key with ad (reserved labels allowed). 0 ok; -1
 * (secret wiped) when it does not open or no key is open. */
int vault_unwrap_(const uint8_t *wrapped, size_t wlen, const char *ad,
                  unsigned char secret[VAULT_SECRET_LEN]);

/* One structured line on stderr for a misuse or a missing key: {"event":"vault_error",
 * "code":code,"call":call}. Both must be constant strings without data or secrets. */
void vault_log_(const char *code, const char *call);

/* Forget and wipe what crypt.c and audit.c loaded or derived (called by vault_close). */
void vault_crypt_close_(void);
void vault_audit_close_(void);
#endif
