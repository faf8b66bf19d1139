/* seal.c: per-case keys and sealed columns. */
#include "store/seal.h"

#include "store/audit_log.h"
#include "i18n/searchnorm.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ad_for(char *out, size_t cap, int64_t case_id, const char *column, const char *row)
{
    snprintf(out, cap, "%s:%lld:%s", column, (long long)case_id, row ? row : "");
}

enum st sealer_create(struct db *db, int64_t case_id, struct sealer *s)
{
    memset(s, 0, sizeof *s);
    s->case_id = case_id;
    /* never wrap a new key under a master key the database has rotated away from */
    enum st ks = store_key_check_sync(db);
    if (ks != ST_OK)
        return ks;
    uint8_t wrapped[256];
    size_t wlen = 0;
    char ad[64];
    snprintf(ad, sizeof ad, "case_key:%lld", (long long)case_id);
    if (vault_dk_new(&s->dk, wrapped, sizeof wrapped, &wlen, ad) != 0)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO case_keys(case_id, wrapped) VALUES (?, ?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_blob(st, 2, wrapped, (int)wlen, SQLITE_TRANSIENT);
    enum st r = db_exec_stmt(db, st, "case_key");
    s->ready = r == ST_OK;
    return r;
}

enum st sealer_load(struct db *db, int64_t case_id, struct sealer *s)
{
    memset(s, 0, sizeof *s);
    s->case_id = case_id;
    sqlite3_stmt *st = db_stmt(db, "SELECT wrapped FROM case_keys WHERE case_id = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "case_key");
    }
    enum st r = ST_OK;
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        s->erased = true;
    } else {
        char ad[64];
        snprintf(ad, sizeof ad, "case_key:%lld", (long long)case_id);
        const uint8_t *w = sqlite3_column_blob(st, 0);
        size_t wl = (size_t)sqlite3_column_bytes(st, 0);
        bool opened = vault_dk_unwrap(w, wl, ad, &s->dk) == 0;
        if (!opened && vault_wrapped_master_id(w, wl) != vault_master_id() &&
            store_key_check_sync(db) == ST_OK) /* rotated meanwhile: switch keys, try again */
            opened = vault_dk_unwrap(w, wl, ad, &s->dk) == 0;
        if (opened) {
            s->ready = true;
        } else {
            fprintf(stderr, "{\"event\":\"vault_error\",\"what\":\"case key does not open\","
                            "\"case\":%lld}\n", (long long)case_id);
            r = ST_ERROR;
        }
    }
    sqlite3_reset(st);
    return r;
}

/* The directory key, once unwrapped, stays in guarded read-only memory: rotation rewraps it
 * but never changes it, and every request that names a user needs it. */
static unsigned char *directory_key;
static pthread_mutex_t directory_lock = PTHREAD_MUTEX_INITIALIZER;

enum st sealer_directory(struct db *db, struct sealer *s)
{
    memset(s, 0, sizeof *s);
    const unsigned char *k = __atomic_load_n(&directory_key, __ATOMIC_ACQUIRE);
    if (k) {
        memcpy(s->dk.key, k, sizeof s->dk.key);
        s->ready = true;
        return ST_OK;
    }
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE key = 'vault.directory_key'");
    if (!st)
        return ST_ERROR;
    uint8_t wrapped[128];
    size_t n = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(st, 0);
        for (; hex && n < sizeof wrapped && hex[2 * n] && hex[2 * n + 1]; n++) {
            unsigned v;
            if (sscanf(hex + 2 * n, "%2x", &v) != 1)
                break;
            wrapped[n] = (uint8_t)v;
        }
    }
    sqlite3_reset(st);
    if (!n)
        return ST_ERROR;
    if (vault_dk_unwrap(wrapped, n, "directory_key", &s->dk) != 0) {
        if (vault_wrapped_master_id(wrapped, n) != vault_master_id() &&
            store_key_check_sync(db) == ST_OK && vault_dk_unwrap(wrapped, n, "directory_key",
                                                                 &s->dk) == 0)
            goto ok;
        fprintf(stderr, "{\"event\":\"vault_error\",\"what\":\"directory key does not "
                        "open\"}\n");
        return ST_ERROR;
    }
ok:
    s->ready = true;
    db_on_close(sealer_directory_forget); /* the key goes with the database */
    pthread_mutex_lock(&directory_lock);
    if (!directory_key) {
        unsigned char *g = sodium_malloc(sizeof s->dk.key);
        if (g) {
            memcpy(g, s->dk.key, sizeof s->dk.key);
            sodium_mprotect_readonly(g);
            __atomic_store_n(&directory_key, g, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&directory_lock);
    return ST_OK;
}

void sealer_directory_forget(void)
{
    pthread_mutex_lock(&directory_lock);
    if (directory_key)
        sodium_free(directory_key);
    directory_key = NULL;
    pthread_mutex_unlock(&directory_lock);
}

void sealer_wipe(struct sealer *s)
{
    vault_dk_wipe(&s->dk);
    s->ready = false;
}

int seal_bind(struct sealer *s, sqlite3_stmt *st, int i, const char *column, const char *row,
              const char *text)
{
    if (!text || !*text)
        return sqlite3_bind_null(st, i);
    if (!s->ready)
        return SQLITE_ERROR;
    char ad[128];
    ad_for(ad, sizeof ad, s->case_id, column, row);
    uint8_t *out = NULL;
    size_t len = 0;
    if (vault_seal(&s->dk, ad, text, strlen(text), &out, &len) != 0)
        return SQLITE_NOMEM;
    return sqlite3_bind_blob(st, i, out, (int)len, free);
}

char *seal_open(struct sealer *s, sqlite3_stmt *st, int col, const char *column, const char *row)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL || !s->ready)
        return NULL;
    char ad[128];
    ad_for(ad, sizeof ad, s->case_id, column, row);
    char *pt = NULL;
    size_t len = 0;
    if (vault_unseal(&s->dk, ad, sqlite3_column_blob(st, col),
                     (size_t)sqlite3_column_bytes(st, col), &pt, &len) != 0) {
        fprintf(stderr, "{\"event\":\"vault_error\",\"what\":\"sealed field does not open\","
                        "\"column\":\"%s\",\"case\":%lld}\n", column, (long long)s->case_id);
        return NULL;
    }
    return pt;
}

int blind_bind(sqlite3_stmt *st, int i, const char *kind, const char *value)
{
    if (!value || !*value)
        return sqlite3_bind_null(st, i);
    uint8_t b[16];
    if (vault_blind(kind, value, b) != 0)
        return SQLITE_ERROR;
    return sqlite3_bind_blob(st, i, b, 16, SQLITE_TRANSIENT);
}

struct joined {
    char buf[512];
    size_t len;
};

static void join_term(void *ctx, const char *term, size_t len)
{
    struct joined *j = ctx;
    if (j->len + len + 2 >= sizeof j->buf)
        return;
    if (j->len)
        j->buf[j->len++] = '|';
    memcpy(j->buf + j->len, term, len);
    j->len += len;
    j->buf[j->len] = 0;
}

bool name_key(const char *name, uint8_t out[16])
{
    struct joined j = {.len = 0};
    j.buf[0] = 0;
    if (!name || !*name || search_query_terms(name, strlen(name), join_term, &j) <= 0 || !j.len)
        return false;
    return vault_blind("name", j.buf, out) == 0;
}

int name_key_bind(sqlite3_stmt *st, int i, const char *name)
{
    uint8_t k[16];
    if (!name_key(name, k))
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_blob(st, i, k, 16, SQLITE_TRANSIENT);
}
