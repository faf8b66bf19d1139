#include "vault/vault.h"
#include "vault/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MASTER_KEY_LEN 32

static char dummy_hash[VAULT_PWHASH_LEN];
/* The master key, in sodium_malloc'd memory (guard pages, mlock'd, wiped on free). After it is
 * loaded it is kept read-only rather than no-access: mprotect is per process, so toggling it
 * around each use would let one worker thread revoke access while another is reading, and a lock
 * around every unwrap would serialize the workers. Read-only still faults on any stray write, the
 * guard pages still catch overruns, and the key never reaches swap. */
static unsigned char *master_key;
/* Where the master key was read from ("" when from the environment): rotation writes PATH.next
 * beside it and renames it into place once the database is rewrapped. */
static char key_path[4224];
/* Keys replaced by a rotation while serving: kept (wiped at close) so that a thread still holding
 * the old pointer never reads freed memory. */
static unsigned char *retired[16];
static int nretired;
static unsigned char *next_key; /* the new key while a rotation is under way */
static unsigned char throttle_key[crypto_generichash_KEYBYTES];

int vault_init(void)
{
    if (sodium_init() < 0)
        return -1;
    if (!dummy_hash[0]) {
        char pw[32];
        randombytes_buf(pw, sizeof pw - 1);
        for (size_t i = 0; i < sizeof pw - 1; i++)
            pw[i] = (char)('a' + ((unsigned char)pw[i] % 26));
        pw[sizeof pw - 1] = 0;
        if (vault_pw_hash(pw, dummy_hash) != 0)
            return -1;
        sodium_memzero(pw, sizeof pw);
        randombytes_buf(throttle_key, sizeof throttle_key);
    }
    return 0;
}

int vault_pw_hash(const char *password, char out[VAULT_PWHASH_LEN])
{
    _Static_assert(VAULT_PWHASH_LEN >= crypto_pwhash_STRBYTES, "hash buffer");
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

bool vault_pw_verify(const char *hash, const char *password)
{
    if (!hash) {
        if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
            return false; /* cannot happen: nobody knows the dummy's password */
        return false;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static void hash_token(const char *token, uint8_t hash[VAULT_TOKEN_HASH_LEN])
{
    crypto_generichash(hash, VAULT_TOKEN_HASH_LEN, (const unsigned char *)token, strlen(token),
                       NULL, 0);
}

void vault_token_new(char token[VAULT_TOKEN_LEN + 1], uint8_t hash[VAULT_TOKEN_HASH_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, VAULT_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    hash_token(token, hash);
}

bool vault_token_hash(const char *token, uint8_t hash[VAULT_TOKEN_HASH_LEN])
{
    if (!token || strlen(token) != VAULT_TOKEN_LEN)
        return false;
    for (const char *p = token; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    hash_token(token, hash);
    return true;
}

void vault_csrf_for(const char *token, char csrf[VAULT_TOKEN_LEN + 1])
{
    unsigned char h[32];
    static const unsigned char ctx[] = "qiao csrf v1";
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), ctx,
                       sizeof ctx - 1);
    sodium_bin2base64(csrf, VAULT_TOKEN_LEN + 1, h, sizeof h,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void vault_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

bool vault_str_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

void vault_throttle_key(const char *kind, const char *value, uint8_t out[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, throttle_key, sizeof throttle_key, 16);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, out, 16);
}

static int read_key_file(const char *path, unsigned char *key, char *err, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, cap, "cannot read the master key %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || (sb.st_mode & 077)) {
        snprintf(err, cap,
                 "the master key %s is readable by others (mode %03o); it must be 0600 or 0400",
                 path, (unsigned)(sb.st_mode & 0777));
        close(fd);
        return -1;
    }
    char hex[2 * MASTER_KEY_LEN + 2];
    ssize_t n = read(fd, hex, sizeof hex);
    close(fd);
    if (n < 2 * MASTER_KEY_LEN) {
        snprintf(err, cap, "the master key %s is not 64 hexadecimal digits", path);
        return -1;
    }
    size_t got = 0;
    if (sodium_hex2bin(key, MASTER_KEY_LEN, hex, (size_t)n, "\n", &got, NULL) != 0 ||
        got != MASTER_KEY_LEN) {
        sodium_memzero(hex, sizeof hex);
        snprintf(err, cap, "the master key %s is not 64 hexadecimal digits", path);
        return -1;
    }
    sodium_memzero(hex, sizeof hex);
    return 0;
}

static int create_key_file(const char *dir, const char *path, char *err, size_t cap)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, cap, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    unsigned char key[MASTER_KEY_LEN];
    char hex[2 * MASTER_KEY_LEN + 1];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    sodium_memzero(key, sizeof key);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, cap, "cannot create the master key %s: %s", path, strerror(errno));
        return -1;
    }
    hex[2 * MASTER_KEY_LEN] = '\n';
    ssize_t w = write(fd, hex, sizeof hex);
    sodium_memzero(hex, sizeof hex);
    if (w != (ssize_t)sizeof hex || fsync(fd) != 0) {
        close(fd);
        unlink(path);
        snprintf(err, cap, "cannot write the master key %s", path);
        return -1;
    }
    close(fd);
    return 0;
}

int vault_open(const char *data_dir, const char *key_file, bool *beside_data, char *err,
               size_t cap)
{
    *beside_data = false;
    if (master_key)
        vault_close(); /* opening again replaces the key and forgets what was derived from it */
    master_key = sodium_malloc(MASTER_KEY_LEN);
    if (!master_key) {
        snprintf(err, cap, "cannot allocate guarded memory for the master key");
        return -1;
    }
    int rc;
    const char *env = getenv("QIAO_MASTER_KEY");
    key_path[0] = 0;
    if (key_file) {
        rc = read_key_file(key_file, master_key, err, cap);
        snprintf(key_path, sizeof key_path, "%s", key_file);
    } else if (env && *env) {
        size_t got = 0;
        rc = (sodium_hex2bin(master_key, MASTER_KEY_LEN, env, strlen(env), NULL, &got, NULL) ==
                  0 &&
              got == MASTER_KEY_LEN)
                 ? 0
                 : -1;
        if (rc)
            snprintf(err, cap, "QIAO_MASTER_KEY is not 64 hexadecimal digits");
    } else {
        char dir[4096], path[4200];
        snprintf(dir, sizeof dir, "%s/keys", data_dir);
        snprintf(path, sizeof path, "%s/master.key", dir);
        rc = 0;
        if (access(path, F_OK) != 0)
            rc = create_key_file(dir, path, err, cap);
        if (rc == 0)
            rc = read_key_file(path, master_key, err, cap);
        snprintf(key_path, sizeof key_path, "%s", path);
        *beside_data = true;
    }
    if (rc != 0) {
        sodium_free(master_key);
        master_key = NULL;
        return -1;
    }
    /* The throttle's key is derived once, so that throttling survives restarts and no thread
     * has to unprotect the master key on the sign-in path. */
    static const unsigned char ctx[] = "qiao throttle v1";
    crypto_generichash(throttle_key, sizeof throttle_key, ctx, sizeof ctx - 1, master_key,
                       MASTER_KEY_LEN);
    sodium_mprotect_readonly(master_key); /* see the comment at master_key */
    return 0;
}

const unsigned char *vault_master_key_(void)
{
    return __atomic_load_n(&master_key, __ATOMIC_ACQUIRE);
}

void vault_key_check_of(const unsigned char master[32], uint8_t out[VAULT_KEY_CHECK_LEN])
{
    static const unsigned char label[] = "qiao master key check v1";
    crypto_generichash(out, VAULT_KEY_CHECK_LEN, label, sizeof label - 1, master, MASTER_KEY_LEN);
}

int vault_key_check(uint8_t out[VAULT_KEY_CHECK_LEN])
{
    if (!master_key) {
        sodium_memzero(out, VAULT_KEY_CHECK_LEN);
        return -1;
    }
    vault_key_check_of(master_key, out);
    return 0;
}

bool vault_key_check_matches(const uint8_t stored[VAULT_KEY_CHECK_LEN])
{
    uint8_t now[VAULT_KEY_CHECK_LEN];
    bool ok = vault_key_check(now) == 0 && sodium_memcmp(now, stored, sizeof now) == 0;
    sodium_memzero(now, sizeof now);
    return ok;
}

void vault_close(void)
{
    vault_crypt_close_();
    vault_audit_close_();
    for (int i = 0; i < nretired; i++)
        sodium_free(retired[i]);
    nretired = 0;
    if (next_key) {
        sodium_free(next_key);
        next_key = NULL;
    }
    if (master_key) {
        sodium_free(master_key); /* sodium_free wipes before it frees */
        master_key = NULL;
    }
}

/* Loads the key file at path into new guarded memory; NULL on failure. */
static unsigned char *load_key(const char *path)
{
    char err[512];
    unsigned char *k = sodium_malloc(MASTER_KEY_LEN);
    if (!k)
        return NULL;
    if (read_key_file(path, k, err, sizeof err) != 0) {
        sodium_free(k);
        return NULL;
    }
    sodium_mprotect_readonly(k);
    return k;
}

/* Makes k the master key; the old one is retired, not freed (threads may still hold it). */
static void switch_to(unsigned char *k)
{
    unsigned char *old = __atomic_exchange_n(&master_key, k, __ATOMIC_ACQ_REL);
    if (old && nretired < 16)
        retired[nretired++] = old;
}

static void next_path(char *out, size_t cap)
{
    snprintf(out, cap, "%s.next", key_path);
}

int vault_rotate_begin(char *err, size_t cap)
{
    if (!key_path[0]) {
        snprintf(err, cap, "the master key comes from QIAO_MASTER_KEY: rotate it by giving the "
                           "key in a file (--key-file), or rotate the variable yourself");
        return -1;
    }
    char path[4240];
    next_path(path, sizeof path);
    if (access(path, F_OK) == 0) {
        snprintf(err, cap, "an interrupted rotation is pending (%s): start qiaod once to finish "
                           "or undo it, then rotate again", path);
        return -1;
    }
    next_key = sodium_malloc(MASTER_KEY_LEN);
    if (!next_key) {
        snprintf(err, cap, "out of guarded memory");
        return -1;
    }
    randombytes_buf(next_key, MASTER_KEY_LEN);
    char hex[2 * MASTER_KEY_LEN + 1];
    sodium_bin2hex(hex, sizeof hex, next_key, MASTER_KEY_LEN);
    hex[2 * MASTER_KEY_LEN] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ssize_t w = fd >= 0 ? write(fd, hex, sizeof hex) : -1;
    sodium_memzero(hex, sizeof hex);
    if (fd < 0 || w != (ssize_t)sizeof hex || fsync(fd) != 0) {
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        snprintf(err, cap, "cannot write the new key %s: %s", path, strerror(errno));
        sodium_free(next_key);
        next_key = NULL;
        return -1;
    }
    close(fd);
    sodium_mprotect_readonly(next_key);
    return 0;
}

const unsigned char *vault_rotation_key(void)
{
    return next_key;
}

int vault_rotate_finish(char *err, size_t cap)
{
    char path[4240];
    next_path(path, sizeof path);
    if (rename(path, key_path) != 0) {
        snprintf(err, cap, "the database is rewrapped, but %s could not replace %s (%s): start "
                           "qiaod once and it finishes the rotation", path, key_path,
                 strerror(errno));
        return -1;
    }
    switch_to(next_key);
    next_key = NULL;
    return 0;
}

void vault_rotate_abort(void)
{
    char path[4240];
    next_path(path, sizeof path);
    unlink(path);
    if (next_key) {
        sodium_free(next_key);
        next_key = NULL;
    }
}

int vault_recover_rotation(const uint8_t stored[VAULT_KEY_CHECK_LEN])
{
    if (!key_path[0])
        return 0;
    char path[4240];
    next_path(path, sizeof path);
    if (access(path, F_OK) != 0)
        return 0;
    unsigned char *k = load_key(path);
    uint8_t check[VAULT_KEY_CHECK_LEN];
    if (k)
        vault_key_check_of(k, check);
    if (k && sodium_memcmp(check, stored, VAULT_KEY_CHECK_LEN) == 0) {
        /* the rewrap committed: finish by putting the new key in place */
        if (rename(path, key_path) != 0) {
            sodium_free(k);
            return -1;
        }
        switch_to(k);
        return 1;
    }
    /* the rewrap never committed: the new key was never used; undo */
    if (k)
        sodium_free(k);
    unlink(path);
    return 0;
}

int vault_reload(const uint8_t stored[VAULT_KEY_CHECK_LEN])
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    if (vault_key_check_matches(stored))
        return 0;
    if (!key_path[0])
        return -1;
    pthread_mutex_lock(&lock);
    int rc = -1;
    if (vault_key_check_matches(stored)) {
        rc = 0;
    } else {
        char next[4240];
        next_path(next, sizeof next);
        const char *paths[2] = {key_path, next};
        for (int i = 0; i < 2 && rc != 0; i++) {
            unsigned char *k = load_key(paths[i]);
            uint8_t check[VAULT_KEY_CHECK_LEN];
            if (!k)
                continue;
            vault_key_check_of(k, check);
            if (sodium_memcmp(check, stored, VAULT_KEY_CHECK_LEN) == 0) {
                switch_to(k);
                rc = 0;
            } else {
                sodium_free(k);
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}
