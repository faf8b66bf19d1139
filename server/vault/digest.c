#include "vault/digest.h"

#include <sodium.h>

void vault_sha256(const void *data, size_t len, uint8_t out[32])
{
    crypto_hash_sha256(out, data, len);
}

void vault_hex32(const uint8_t in[32], char out[65])
{
    sodium_bin2hex(out, 65, in, 32);
}
