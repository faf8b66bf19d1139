/* lifecycle.c: the end of a record's life (erasure by destroying its key) and copies of the
 * whole store (backup and restore). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/audit_log.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/search.h"
#include "vault/vault.h"

struct erase_tx {
    int64_t id;
    const struct actor *who;
    const char *reason;
};

static enum st exec_id(struct db *db, const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, id);
    return db_exec_stmt(db, st, "erase");
}

static enum st erase_tx(struct db *db, void *arg)
{
    struct erase_tx *t = arg;
    sqlite3_stmt *u = db_stmt(db, "UPDATE cases SET status = 'erased', title = NULL, "
                                  "summary = NULL, request = NULL, updated_at = unixepoch(), "
                                  "version = version + 1 WHERE id = ? AND status = 'archived'");
    if (!u)
        return ST_ERROR;
    sqlite3_bind_int64(u, 1, t->id);
    enum st r = db_exec_stmt(db, u, "erase_case");
    if (r != ST_OK)
        return r;
    if (sqlite3_changes(db_handle(db)) != 1)
        return ST_CONFLICT;
    static const char *const steps[] = {
        "UPDATE case_keys SET wrapped = NULL, destroyed_at = unixepoch() WHERE case_id = ?",
        "DELETE FROM document_blobs WHERE document_id IN "
        "(SELECT id FROM documents WHERE case_id = ?)",
        "UPDATE parties SET id_blind = NULL, phone_blind = NULL, email_blind = NULL "
        "WHERE case_id = ?",
        "DELETE FROM invitations WHERE case_id = ?",
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && r == ST_OK; i++)
        r = exec_id(db, steps[i], t->id);
    if (r == ST_OK)
        r = search_forget(db, t->id);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *e = db_stmt(db, "INSERT INTO case_events(case_id, ts, actor_id, actor_role, "
                                  "event, from_state, to_state) "
                                  "VALUES (?, unixepoch(), ?, ?, 'erase', 'archived', 'erased')");
    if (!e)
        return ST_ERROR;
    sqlite3_bind_int64(e, 1, t->id);
    if (t->who->user_id)
        sqlite3_bind_int64(e, 2, t->who->user_id);
    db_bind_text(e, 3, t->who->role);
    if ((r = db_exec_stmt(db, e, "erase_event")) != ST_OK)
        return r;
    return audit_append(db, t->who, "erase", "case", t->id, "ok", t->reason);
}

enum st store_case_erase(int64_t case_id, const struct actor *who, const char *reason)
{
    struct erase_tx t = {case_id, who, reason};
    enum st r = db_tx(erase_tx, &t);
    struct db *db = db_get();
    if (r == ST_OK && db) /* no old page of the key may linger in the write-ahead log */
        sqlite3_wal_checkpoint_v2(db_handle(db), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return r;
}

enum st store_cases_archived_before(int64_t before, int64_t *ids, int cap, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM cases WHERE status = 'archived' AND "
                                   "updated_at < ? ORDER BY id LIMIT ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int(st, 2, cap);
    while (*n < cap && sqlite3_step(st) == SQLITE_ROW)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ST_OK;
}

enum st store_backup(const char *path, char *err, size_t cap)
{
    struct db *db = db_get();
    if (!db) {
        snprintf(err, cap, "cannot open the database");
        return ST_ERROR;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, cap, "cannot create %s: %s", path, strerror(errno));
        return ST_ERROR;
    }
    close(fd);
    sqlite3 *out = NULL;
    enum st r = ST_ERROR;
    if (sqlite3_open_v2(path, &out, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(out, "main", db_handle(db), "main");
        if (b) {
            int rc;
            /* all pages in one step: one read transaction, so the copy is one consistent state */
            while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
                usleep(10000);
            sqlite3_backup_finish(b);
            r = rc == SQLITE_DONE ? ST_OK : ST_ERROR;
        }
        if (r == ST_OK)
            sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    }
    if (r != ST_OK)
        snprintf(err, cap, "the backup failed: %s", out ? sqlite3_errmsg(out) : "?");
    sqlite3_close(out);
    if (r != ST_OK)
        unlink(path);
    return r;
}

/* The checks a file must pass before it may replace the live database. */
static int check_backup(sqlite3 *h, char *err, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    if (!ok) {
        snprintf(err, cap, "the file is not a sound SQLite database");
        return -1;
    }
    st = NULL;
    ok = sqlite3_prepare_v2(h, "SELECT value FROM settings WHERE key = 'vault.key_check'", -1,
                            &st, NULL) == SQLITE_OK &&
         sqlite3_step(st) == SQLITE_ROW;
    uint8_t check[VAULT_KEY_CHECK_LEN] = {0};
    const char *hex = ok ? (const char *)sqlite3_column_text(st, 0) : NULL;
    for (size_t i = 0; hex && i < VAULT_KEY_CHECK_LEN && ok; i++) {
        unsigned v;
        ok = sscanf(hex + 2 * i, "%2x", &v) == 1;
        check[i] = (uint8_t)v;
    }
    sqlite3_finalize(st);
    if (!ok) {
        snprintf(err, cap, "the file is not a Qiao database");
        return -1;
    }
    if (!vault_key_check_matches(check)) {
        snprintf(err, cap, "the backup was made under another master key: it cannot be read "
                           "with this one");
        return -1;
    }
    return 0;
}

enum st store_restore(const char *path, char *err, size_t cap)
{
    struct db *db = db_get();
    sqlite3 *in = NULL;
    if (!db) {
        snprintf(err, cap, "cannot open the database");
        return ST_ERROR;
    }
    if (access(path, R_OK) != 0 ||
        sqlite3_open_v2(path, &in, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, cap, "cannot read %s", path);
        sqlite3_close(in);
        return ST_ERROR;
    }
    enum st r = ST_ERROR;
    if (check_backup(in, err, cap) == 0) {
        sqlite3_backup *b = sqlite3_backup_init(db_handle(db), "main", in, "main");
        if (b) {
            int rc;
            while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
                usleep(10000);
            sqlite3_backup_finish(b);
            r = rc == SQLITE_DONE ? ST_OK : ST_ERROR;
        }
        if (r != ST_OK)
            snprintf(err, cap, "the restore failed: %s", sqlite3_errmsg(db_handle(db)));
    }
    sqlite3_close(in);
    return r;
}

enum st store_cases_answer_overdue(const char *today, int64_t *ids, int cap, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM cases WHERE status = 'respondent_invited' AND "
                                   "respondent_due < ? ORDER BY id LIMIT ?");
    if (!st)
        return ST_ERROR;
    db_bind_text(st, 1, today);
    sqlite3_bind_int(st, 2, cap);
    while (*n < cap && sqlite3_step(st) == SQLITE_ROW)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ST_OK;
}
