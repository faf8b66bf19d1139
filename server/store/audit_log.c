/* audit_log.c: appending to the hash chain, signing heads, reading and verifying. */
#include "store/audit_log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/accounts.h"
#include "store/committer.h"
#include "store/seal.h"
#include "vault/crypt.h"
#include "vault/vault.h"

#define HEAD_EVERY_ENTRIES 64
#define HEAD_EVERY_SECONDS 60

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* Signs and stores the head (seq, hash) in the caller's transaction. */
static enum st sign_head(struct db *db, int64_t seq, const uint8_t hash[32], int64_t ts)
{
    uint8_t sig[AUDIT_SIG_LEN], pk[AUDIT_PK_LEN];
    if (audit_sign_head(seq, hash, ts, sig) != 0 || audit_public_key(pk) != 0)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO audit_heads(seq, hash, ts, signature, "
                                   "public_key) VALUES (?,?,?,?,?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_blob(st, 2, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, ts);
    sqlite3_bind_blob(st, 4, sig, 64, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 5, pk, 32, SQLITE_TRANSIENT);
    return db_exec_stmt(db, st, "audit_head");
}

enum st audit_append(struct db *db, const struct actor *who, const char *action,
                     const char *object_type, int64_t object_id, const char *outcome,
                     const char *detail)
{
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    uint8_t prev[32] = {0};
    sqlite3_stmt *q = db_stmt(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!q)
        return ST_ERROR;
    e.seq = 1;
    if (sqlite3_step(q) == SQLITE_ROW) {
        e.seq = sqlite3_column_int64(q, 0) + 1;
        if (sqlite3_column_bytes(q, 1) == 32)
            memcpy(prev, sqlite3_column_blob(q, 1), 32);
    }
    sqlite3_reset(q);
    e.ts = store_now();
    e.actor_user_id = who ? who->user_id : 0;
    copy(e.actor_role, sizeof e.actor_role, who && who->role ? who->role : "system");
    copy(e.action, sizeof e.action, action);
    copy(e.object_type, sizeof e.object_type, object_type);
    e.object_id = object_id;
    copy(e.outcome, sizeof e.outcome, outcome);
    copy(e.client_addr, sizeof e.client_addr, who ? who->addr : "");
    copy(e.detail, sizeof e.detail, detail);
    audit_chain_next(prev, &e);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO audit_log(seq, ts, actor_id, actor_role, action, "
                                   "object_type, object_id, outcome, client_addr, detail, "
                                   "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, e.seq);
    sqlite3_bind_int64(st, 2, e.ts);
    if (e.actor_user_id)
        sqlite3_bind_int64(st, 3, e.actor_user_id);
    db_bind_text(st, 4, e.actor_role);
    db_bind_text(st, 5, e.action);
    db_bind_text(st, 6, e.object_type);
    sqlite3_bind_int64(st, 7, e.object_id);
    db_bind_text(st, 8, e.outcome);
    db_bind_text(st, 9, e.client_addr);
    db_bind_text(st, 10, e.detail);
    sqlite3_bind_blob(st, 11, e.prev_hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 12, e.hash, 32, SQLITE_TRANSIENT);
    enum st r = db_exec_stmt(db, st, "audit_append");
    if (r != ST_OK)
        return r;
    /* a head is due every so many entries, or when the last one is old */
    sqlite3_stmt *h = db_stmt(db, "SELECT seq, ts FROM audit_heads ORDER BY seq DESC LIMIT 1");
    if (!h)
        return ST_ERROR;
    int64_t head_seq = 0, head_ts = 0;
    if (sqlite3_step(h) == SQLITE_ROW) {
        head_seq = sqlite3_column_int64(h, 0);
        head_ts = sqlite3_column_int64(h, 1);
    }
    sqlite3_reset(h);
    if (e.seq - head_seq >= HEAD_EVERY_ENTRIES || e.ts - head_ts >= HEAD_EVERY_SECONDS)
        r = sign_head(db, e.seq, e.hash, e.ts);
    return r;
}

struct append_tx {
    const struct actor *who;
    const char *action, *object_type, *outcome, *detail;
    int64_t object_id;
};

static enum st append_tx(struct db *db, void *arg)
{
    struct append_tx *t = arg;
    return audit_append(db, t->who, t->action, t->object_type, t->object_id, t->outcome,
                        t->detail);
}

/* An entry handed to the group committer, and the request thread waiting for it. */
struct append_wait {
    struct write_job job;
    struct append_tx t;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
};

static void append_done(struct write_job *job)
{
    struct append_wait *w = (struct append_wait *)job;
    pthread_mutex_lock(&w->lock);
    w->done = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

/* The entry is durable when this returns, as before; entries of requests arriving together
 * share one commit (one disk flush) through the group committer instead of one each. */
enum st store_audit(const struct actor *who, const char *action, const char *object_type,
                    int64_t object_id, const char *outcome, const char *detail)
{
    struct append_wait w = {.job = {.fn = append_tx, .done = append_done},
                            .t = {who, action, object_type, outcome, detail, object_id}};
    w.job.arg = &w.t;
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    committer_submit(&w.job);
    pthread_mutex_lock(&w.lock);
    while (!w.done)
        pthread_cond_wait(&w.cond, &w.lock);
    pthread_mutex_unlock(&w.lock);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    return w.job.result;
}

static enum st head_tx(struct db *db, void *arg)
{
    (void)arg;
    sqlite3_stmt *q = db_stmt(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!q)
        return ST_ERROR;
    enum st r = ST_OK;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 1) == 32) {
        int64_t seq = sqlite3_column_int64(q, 0);
        uint8_t hash[32];
        memcpy(hash, sqlite3_column_blob(q, 1), 32);
        sqlite3_reset(q);
        r = sign_head(db, seq, hash, store_now());
    } else {
        sqlite3_reset(q);
    }
    return r;
}

enum st store_audit_sign_head(void)
{
    return db_tx(head_tx, NULL);
}

static void entry_from_row(sqlite3_stmt *st, struct audit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->seq = sqlite3_column_int64(st, 0);
    e->ts = sqlite3_column_int64(st, 1);
    e->actor_user_id = sqlite3_column_int64(st, 2);
    db_col_copy(st, 3, e->actor_role, sizeof e->actor_role);
    db_col_copy(st, 4, e->action, sizeof e->action);
    db_col_copy(st, 5, e->object_type, sizeof e->object_type);
    e->object_id = sqlite3_column_int64(st, 6);
    db_col_copy(st, 7, e->outcome, sizeof e->outcome);
    db_col_copy(st, 8, e->client_addr, sizeof e->client_addr);
    db_col_copy(st, 9, e->detail, sizeof e->detail);
    if (sqlite3_column_bytes(st, 10) == 32)
        memcpy(e->prev_hash, sqlite3_column_blob(st, 10), 32);
    if (sqlite3_column_bytes(st, 11) == 32)
        memcpy(e->hash, sqlite3_column_blob(st, 11), 32);
}

#define AUDIT_COLS                                                                                 \
    "seq, ts, actor_id, actor_role, action, object_type, object_id, outcome, client_addr, "       \
    "detail, prev_hash, hash"

enum st store_audit_list(const struct audit_filter *f, int64_t cursor, int limit,
                         struct audit_entry *out, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > ?1 "
                                   "AND (?2 IS NULL OR object_type = ?2) "
                                   "AND (?3 = 0 OR object_id = ?3) AND (?4 = 0 OR actor_id = ?4) "
                                   "AND (?5 = 0 OR ts >= ?5) AND (?6 = 0 OR ts <= ?6) "
                                   "ORDER BY seq LIMIT ?7");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, cursor);
    db_bind_text(st, 2, f->object_type);
    sqlite3_bind_int64(st, 3, f->object_id);
    sqlite3_bind_int64(st, 4, f->actor_id);
    sqlite3_bind_int64(st, 5, f->from_ts);
    sqlite3_bind_int64(st, 6, f->to_ts);
    sqlite3_bind_int(st, 7, limit);
    int rc;
    while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
        entry_from_row(st, &out[(*n)++]);
    sqlite3_reset(st);
    return ST_OK;
}

enum st store_audit_verify(struct audit_verify *v)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq");
    sqlite3_stmt *h = db_stmt(db, "SELECT seq, hash, ts, signature FROM audit_heads ORDER BY seq");
    if (!st || !h)
        return ST_ERROR;
    int hrc = sqlite3_step(h);
    struct audit_entry e;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        entry_from_row(st, &e);
        audit_verify_feed(v, &e);
        while (hrc == SQLITE_ROW && sqlite3_column_int64(h, 0) <= e.seq) {
            if (sqlite3_column_bytes(h, 1) == 32 && sqlite3_column_bytes(h, 3) == 64)
                audit_verify_feed_head(v, sqlite3_column_int64(h, 0), sqlite3_column_blob(h, 1),
                                       sqlite3_column_int64(h, 2), sqlite3_column_blob(h, 3));
            hrc = sqlite3_step(h);
        }
    }
    /* heads past the last entry: the chain was cut short */
    while (hrc == SQLITE_ROW) {
        if (sqlite3_column_bytes(h, 1) == 32 && sqlite3_column_bytes(h, 3) == 64)
            audit_verify_feed_head(v, sqlite3_column_int64(h, 0), sqlite3_column_blob(h, 1),
                                   sqlite3_column_int64(h, 2), sqlite3_column_blob(h, 3));
        hrc = sqlite3_step(h);
    }
    sqlite3_reset(st);
    sqlite3_reset(h);
    audit_verify_finish(v);
    return rc == SQLITE_DONE ? ST_OK : db_status(db, rc, "audit_verify");
}

/* Reads a hex-encoded wrapped key from settings into buf; 0 absent, 1 found, -1 error. */
static int setting_blob(const char *key, uint8_t *buf, size_t cap, size_t *len)
{
    char hex[1024];
    enum st r = store_setting_get(key, hex, sizeof hex);
    if (r == ST_NONE)
        return 0;
    if (r != ST_OK)
        return -1;
    size_t n = strlen(hex) / 2;
    if (n > cap)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        buf[i] = (uint8_t)v;
    }
    *len = n;
    return 1;
}

static enum st setting_put_blob(const char *key, const uint8_t *buf, size_t len)
{
    char hex[1024];
    if (len * 2 + 1 > sizeof hex)
        return ST_ERROR;
    for (size_t i = 0; i < len; i++)
        snprintf(hex + 2 * i, 3, "%02x", buf[i]);
    return store_setting_insert(key, hex);
}

int store_keys_init(char *err, size_t cap)
{
    uint8_t check[32], stored[64];
    size_t len = 0;
    if (vault_key_check(check) != 0) {
        snprintf(err, cap, "the master key is not open");
        return -1;
    }
    int found = setting_blob("vault.key_check", stored, sizeof stored, &len);
    if (found < 0) {
        snprintf(err, cap, "cannot read the key check from the database");
        return -1;
    }
    if (found && len == 32 && !vault_key_check_matches(stored) &&
        vault_recover_rotation(stored) < 0) {
        snprintf(err, cap, "a pending key rotation could not be finished");
        return -1;
    }
    if (found && len == 32 && vault_key_check_matches(stored))
        vault_recover_rotation(stored); /* a .next that never committed is undone */
    if (found && (len != 32 || !vault_key_check_matches(stored))) {
        snprintf(err, cap, "the master key is not the one this data directory was created with "
                           "(give the right --key-file or QIAO_MASTER_KEY); nothing was changed");
        return -1;
    }
    if (!found && setting_put_blob("vault.key_check", check, 32) != ST_OK) {
        snprintf(err, cap, "cannot store the key check");
        return -1;
    }
    struct {
        const char *setting;
        int (*create)(uint8_t *, size_t, size_t *);
        int (*load)(const uint8_t *, size_t);
        const char *what;
    } keys[] = {
        {"vault.index_key", vault_index_key_new, vault_index_key_load, "index key"},
        {"vault.audit_key", audit_key_new, audit_key_load, "audit signing key"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        uint8_t wrapped[256];
        size_t wlen = 0;
        found = setting_blob(keys[i].setting, wrapped, sizeof wrapped, &wlen);
        if (found < 0) {
            snprintf(err, cap, "cannot read the %s", keys[i].what);
            return -1;
        }
        if (!found) {
            if (keys[i].create(wrapped, sizeof wrapped, &wlen) != 0 ||
                setting_put_blob(keys[i].setting, wrapped, wlen) != ST_OK) {
                snprintf(err, cap, "cannot create the %s", keys[i].what);
                return -1;
            }
        }
        if (keys[i].load(wrapped, wlen) != 0) {
            snprintf(err, cap, "the %s does not open with this master key", keys[i].what);
            return -1;
        }
    }
    /* the directory key (users' names and contact details) */
    {
        uint8_t wrapped[256];
        size_t wlen = 0;
        found = setting_blob("vault.directory_key", wrapped, sizeof wrapped, &wlen);
        if (found < 0) {
            snprintf(err, cap, "cannot read the directory key");
            return -1;
        }
        if (!found) {
            struct vault_dk dk;
            if (vault_dk_new(&dk, wrapped, sizeof wrapped, &wlen, "directory_key") != 0 ||
                setting_put_blob("vault.directory_key", wrapped, wlen) != ST_OK) {
                vault_dk_wipe(&dk);
                snprintf(err, cap, "cannot create the directory key");
                return -1;
            }
            vault_dk_wipe(&dk);
        }
        struct vault_dk dk;
        if (vault_dk_unwrap(wrapped, wlen, "directory_key", &dk) != 0) {
            snprintf(err, cap, "the directory key does not open with this master key");
            return -1;
        }
        vault_dk_wipe(&dk);
    }
    if (store_seal_plain_users() != ST_OK) {
        snprintf(err, cap, "cannot seal the users' details");
        return -1;
    }
    /* the audit public key is pinned in the clear: verification uses it, never the key stored
     * beside each head (which whoever rewrote the chain could have replaced) */
    uint8_t pk[AUDIT_PK_LEN], pinned[64];
    if (audit_public_key(pk) != 0) {
        snprintf(err, cap, "the audit signing key is not loaded");
        return -1;
    }
    found = setting_blob("vault.audit_pk", pinned, sizeof pinned, &len);
    if (found < 0 || (found && (len != AUDIT_PK_LEN || memcmp(pk, pinned, AUDIT_PK_LEN) != 0))) {
        snprintf(err, cap, "the audit signing key does not match the pinned public key");
        return -1;
    }
    if (!found && setting_put_blob("vault.audit_pk", pk, AUDIT_PK_LEN) != ST_OK) {
        snprintf(err, cap, "cannot pin the audit public key");
        return -1;
    }
    return 0;
}

int store_audit_pinned_key(uint8_t pk[AUDIT_PK_LEN])
{
    size_t len = 0;
    return setting_blob("vault.audit_pk", pk, AUDIT_PK_LEN, &len) == 1 && len == AUDIT_PK_LEN
               ? 0
               : -1;
}

enum st store_key_check_sync(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE key = 'vault.key_check'");
    if (!st)
        return ST_ERROR;
    uint8_t check[VAULT_KEY_CHECK_LEN];
    bool ok = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(st, 0);
        ok = hex && strlen(hex) == 2 * VAULT_KEY_CHECK_LEN;
        for (size_t i = 0; ok && i < VAULT_KEY_CHECK_LEN; i++) {
            unsigned v;
            ok = sscanf(hex + 2 * i, "%2x", &v) == 1;
            check[i] = (uint8_t)v;
        }
    }
    sqlite3_reset(st);
    if (!ok)
        return ST_ERROR;
    return vault_reload(check) == 0 ? ST_OK : ST_ERROR;
}

/* Rewraps one wrapped blob under the rotation key, in place in buf. */
static int rewrap(const uint8_t *in, size_t len, const char *ad, uint8_t *out, size_t cap,
                  size_t *outlen)
{
    return vault_dk_rewrap(in, len, ad, vault_rotation_key(), out, cap, outlen);
}

static enum st rotate_setting(struct db *db, const char *key, const char *ad)
{
    uint8_t in[256], out[256];
    size_t len = 0, olen = 0;
    if (setting_blob(key, in, sizeof in, &len) != 1 || rewrap(in, len, ad, out, sizeof out, &olen))
        return ST_ERROR;
    char hex[600];
    for (size_t i = 0; i < olen; i++)
        snprintf(hex + 2 * i, 3, "%02x", out[i]);
    sqlite3_stmt *u = db_stmt(db, "UPDATE settings SET value = ? WHERE key = ?");
    if (!u)
        return ST_ERROR;
    db_bind_text(u, 1, hex);
    db_bind_text(u, 2, key);
    return db_exec_stmt(db, u, "rotate_setting");
}

static enum st rotate_tx(struct db *db, void *arg)
{
    int *count = arg;
    *count = 0;
    sqlite3_stmt *q = db_stmt(db, "SELECT case_id, wrapped FROM case_keys WHERE wrapped IS NOT "
                                  "NULL ORDER BY case_id");
    if (!q)
        return ST_ERROR;
    enum st r = ST_OK;
    while (r == ST_OK && sqlite3_step(q) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        char ad[64];
        snprintf(ad, sizeof ad, "case_key:%lld", (long long)id);
        uint8_t out[256];
        size_t olen = 0;
        if (rewrap(sqlite3_column_blob(q, 1), (size_t)sqlite3_column_bytes(q, 1), ad, out,
                   sizeof out, &olen) != 0) {
            r = ST_ERROR;
            break;
        }
        sqlite3_stmt *u = db_stmt(db, "UPDATE case_keys SET wrapped = ? WHERE case_id = ?");
        if (!u) {
            r = ST_ERROR;
            break;
        }
        sqlite3_bind_blob(u, 1, out, (int)olen, SQLITE_TRANSIENT);
        sqlite3_bind_int64(u, 2, id);
        r = db_exec_stmt(db, u, "rotate_case_key");
        (*count)++;
    }
    sqlite3_reset(q);
    if (r == ST_OK)
        r = rotate_setting(db, "vault.index_key", VAULT_INDEX_KEY_AD);
    if (r == ST_OK)
        r = rotate_setting(db, "vault.audit_key", AUDIT_KEY_AD);
    if (r == ST_OK)
        r = rotate_setting(db, "vault.directory_key", "directory_key");
    if (r == ST_OK) {
        uint8_t check[VAULT_KEY_CHECK_LEN];
        char hex[2 * VAULT_KEY_CHECK_LEN + 1];
        vault_key_check_of(vault_rotation_key(), check);
        for (size_t i = 0; i < VAULT_KEY_CHECK_LEN; i++)
            snprintf(hex + 2 * i, 3, "%02x", check[i]);
        sqlite3_stmt *u = db_stmt(db, "UPDATE settings SET value = ? WHERE key = "
                                      "'vault.key_check'");
        if (!u)
            return ST_ERROR;
        db_bind_text(u, 1, hex);
        r = db_exec_stmt(db, u, "rotate_check");
    }
    if (r == ST_OK) {
        struct actor system = {0, "system", ""};
        r = audit_append(db, &system, "rotate_keys", "vault", 0, "ok", "");
    }
    return r;
}

enum st store_rotate_keys(int *rewrapped)
{
    if (!vault_rotation_key())
        return ST_ERROR;
    return db_tx(rotate_tx, rewrapped);
}
