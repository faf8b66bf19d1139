/* digest.h: content hashes (not secrets): SHA-256 of documents, as published in receipts. */
#ifndef QIAO_VAULT_DIGEST_H
#define QIAO_VAULT_DIGEST_H
#include <stddef.h>
#include <stdint.h>

/* SHA-256 of data[0..len). */
void vault_sha256(const void *data, size_t len, uint8_t out[32]);
/* Lower-case hex of a 32-byte digest into out (65 bytes). */
void vault_hex32(const uint8_t in[32], char out[65]);
#endif
