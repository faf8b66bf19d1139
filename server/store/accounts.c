/* accounts.c: SQL for centers, firms, users, sessions, the throttle and settings. */
#include "store/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/seal.h"

/* ---- centers ---- */

#define CENTER_COLS                                                                                \
    "id, code, name_en, name_zh_hans, name_zh_hant, name_pt, jurisdiction, place, time_zone, "     \
    "default_language, calendar, family, commercial, cross_border"

static void center_from_row(sqlite3_stmt *s, struct center *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, c->code, sizeof c->code);
    for (int l = 0; l < 4; l++)
        db_col_copy(s, 2 + l, c->name[l], sizeof c->name[l]);
    db_col_copy(s, 6, c->jurisdiction, sizeof c->jurisdiction);
    db_col_copy(s, 7, c->place, sizeof c->place);
    db_col_copy(s, 8, c->time_zone, sizeof c->time_zone);
    db_col_copy(s, 9, c->default_language, sizeof c->default_language);
    db_col_copy(s, 10, c->calendar, sizeof c->calendar);
    c->family = sqlite3_column_int(s, 11);
    c->commercial = sqlite3_column_int(s, 12);
    c->cross_border = sqlite3_column_int(s, 13);
}

enum st store_center_create(const struct center *c, int64_t *id)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO centers(code, name_en, name_zh_hans, name_zh_hant, "
                                  "name_pt, jurisdiction, place, time_zone, default_language, "
                                  "calendar, family, commercial, cross_border, created_at) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,unixepoch())");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, c->code);
    for (int l = 0; l < 4; l++)
        db_bind_text(s, 2 + l, c->name[l]);
    db_bind_text(s, 6, c->jurisdiction);
    db_bind_text(s, 7, c->place);
    db_bind_text(s, 8, c->time_zone);
    db_bind_text(s, 9, c->default_language);
    db_bind_text(s, 10, c->calendar);
    sqlite3_bind_int(s, 11, c->family);
    sqlite3_bind_int(s, 12, c->commercial);
    sqlite3_bind_int(s, 13, c->cross_border);
    enum st r = db_exec_stmt(db, s, "center_create");
    if (r == ST_OK && id)
        *id = sqlite3_last_insert_rowid(db_handle(db));
    return r;
}

enum st store_center_by_code(const char *code, struct center *out)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " CENTER_COLS " FROM centers WHERE code = ?");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, code);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        center_from_row(s, out);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "center");
}

enum st store_centers_list(struct center *out, size_t cap, size_t *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " CENTER_COLS " FROM centers ORDER BY code");
    if (!s)
        return ST_ERROR;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        center_from_row(s, &out[(*n)++]);
    sqlite3_reset(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? ST_OK : db_status(db, rc, "centers");
}

/* ---- firms ---- */

#define FIRM_COLS                                                                                  \
    "f.id, f.code, f.name, f.joint, f.share_matters, "                                             \
    "(SELECT group_concat(place, ',') FROM (SELECT place FROM firm_offices o "                     \
    "  WHERE o.firm_id = f.id ORDER BY place))"

static void firm_from_row(sqlite3_stmt *s, struct firm *f)
{
    memset(f, 0, sizeof *f);
    f->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, f->code, sizeof f->code);
    db_col_copy(s, 2, f->name, sizeof f->name);
    f->joint = sqlite3_column_int(s, 3);
    f->share_matters = sqlite3_column_int(s, 4);
    db_col_copy(s, 5, f->offices, sizeof f->offices);
}

struct firm_tx {
    const struct firm *f;
    int64_t id;
};

static enum st firm_create_tx(struct db *db, void *arg)
{
    struct firm_tx *t = arg;
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO firms(code, name, joint, share_matters, created_at) "
                                  "VALUES (?,?,?,?,unixepoch())");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, t->f->code);
    db_bind_text(s, 2, t->f->name);
    sqlite3_bind_int(s, 3, t->f->joint);
    sqlite3_bind_int(s, 4, t->f->share_matters);
    enum st r = db_exec_stmt(db, s, "firm_create");
    if (r != ST_OK)
        return r;
    t->id = sqlite3_last_insert_rowid(db_handle(db));
    char offices[sizeof t->f->offices];
    snprintf(offices, sizeof offices, "%s", t->f->offices);
    for (char *save = NULL, *p = strtok_r(offices, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        sqlite3_stmt *o = db_stmt(db, "INSERT INTO firm_offices(firm_id, place) VALUES (?, ?)");
        if (!o)
            return ST_ERROR;
        sqlite3_bind_int64(o, 1, t->id);
        db_bind_text(o, 2, p);
        if ((r = db_exec_stmt(db, o, "firm_office")) != ST_OK)
            return r;
    }
    return ST_OK;
}

enum st store_firm_create(const struct firm *f, int64_t *id)
{
    struct firm_tx t = {f, 0};
    enum st r = db_tx(firm_create_tx, &t);
    if (r == ST_OK && id)
        *id = t.id;
    return r;
}

enum st store_firm_by_code(const char *code, struct firm *out)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " FIRM_COLS " FROM firms f WHERE f.code = ?");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, code);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        firm_from_row(s, out);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "firm");
}

enum st store_firms_list(struct firm *out, size_t cap, size_t *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " FIRM_COLS " FROM firms f ORDER BY f.code");
    if (!s)
        return ST_ERROR;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        firm_from_row(s, &out[(*n)++]);
    sqlite3_reset(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? ST_OK : db_status(db, rc, "firms");
}

/* ---- users ---- */

/* Columns of a user row with the firm's code and the user's centers (ids and codes). */
#define USER_COLS                                                                                  \
    "u.id, u.username, u.role, u.display_name, u.email, u.phone, u.language, u.firm_id, "         \
    "(SELECT code FROM firms WHERE id = u.firm_id), u.status, u.created_at, "                      \
    "(SELECT group_concat(c.id || ':' || c.code, ',') FROM user_centers uc "                       \
    "  JOIN centers c ON c.id = uc.center_id WHERE uc.user_id = u.id)"

/* Copies a sealed column (or, before the first start sealed it, plaintext) into buf. */
static void user_field(sqlite3_stmt *s, int col, struct sealer *dir, const char *column,
                       int64_t id, char *buf, size_t cap)
{
    buf[0] = 0;
    if (sqlite3_column_type(s, col) == SQLITE_TEXT) {
        db_col_copy(s, col, buf, cap);
        return;
    }
    char row[24];
    snprintf(row, sizeof row, "u%lld", (long long)id);
    char *v = dir ? seal_open(dir, s, col, column, row) : NULL;
    if (v)
        snprintf(buf, cap, "%s", v);
    free(v);
}

static void user_from_row(sqlite3_stmt *s, struct user *u, struct sealer *dir)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(s, 0);
    db_col_copy(s, 1, u->username, sizeof u->username);
    u->role = role_parse((const char *)sqlite3_column_text(s, 2));
    user_field(s, 3, dir, "users.display_name", u->id, u->display_name, sizeof u->display_name);
    user_field(s, 4, dir, "users.email", u->id, u->email, sizeof u->email);
    user_field(s, 5, dir, "users.phone", u->id, u->phone, sizeof u->phone);
    db_col_copy(s, 6, u->language, sizeof u->language);
    u->firm_id = sqlite3_column_int64(s, 7);
    db_col_copy(s, 8, u->firm_code, sizeof u->firm_code);
    const unsigned char *status = sqlite3_column_text(s, 9);
    u->active = status && strcmp((const char *)status, "active") == 0;
    u->created_at = sqlite3_column_int64(s, 10);
    char list[POLICY_MAX_CENTERS * 40];
    db_col_copy(s, 11, list, sizeof list);
    for (char *save = NULL, *p = strtok_r(list, ",", &save);
         p && u->ncenters < POLICY_MAX_CENTERS; p = strtok_r(NULL, ",", &save)) {
        long long cid;
        char code[17];
        if (sscanf(p, "%lld:%16s", &cid, code) == 2) {
            u->center_ids[u->ncenters] = cid;
            snprintf(u->center_codes[u->ncenters], sizeof u->center_codes[0], "%s", code);
            u->ncenters++;
        }
    }
}

/* user_from_row with the directory key unwrapped for this row (then wiped). */
static void user_row_opened(struct db *db, sqlite3_stmt *s, struct user *u)
{
    struct sealer dir;
    bool opened = sealer_directory(db, &dir) == ST_OK;
    user_from_row(s, u, opened ? &dir : NULL);
    if (opened)
        sealer_wipe(&dir);
}

struct user_tx {
    struct user *u;
    const char *hash;
};

static enum st user_create_tx(struct db *db, void *arg)
{
    struct user_tx *t = arg;
    struct user *u = t->u;
    sqlite3_stmt *n = db_stmt(db, "SELECT coalesce(max(id), 0) + 1 FROM users");
    if (!n || sqlite3_step(n) != SQLITE_ROW) {
        if (n)
            sqlite3_reset(n);
        return ST_ERROR;
    }
    u->id = sqlite3_column_int64(n, 0);
    sqlite3_reset(n);
    struct sealer dir;
    enum st r = sealer_directory(db, &dir);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO users(id, username, role, display_name, email, "
                                  "phone, email_blind, phone_blind, language, password_hash, "
                                  "firm_id, created_at) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,unixepoch())");
    if (!s) {
        sealer_wipe(&dir);
        return ST_ERROR;
    }
    char row[24];
    snprintf(row, sizeof row, "u%lld", (long long)u->id);
    sqlite3_bind_int64(s, 1, u->id);
    db_bind_text(s, 2, u->username);
    db_bind_text(s, 3, role_name(u->role));
    int rc = seal_bind(&dir, s, 4, "users.display_name", row, u->display_name);
    rc |= seal_bind(&dir, s, 5, "users.email", row, u->email);
    rc |= seal_bind(&dir, s, 6, "users.phone", row, u->phone);
    rc |= blind_bind(s, 7, "email", u->email);
    rc |= blind_bind(s, 8, "phone", u->phone);
    db_bind_text(s, 9, u->language);
    db_bind_text(s, 10, t->hash);
    if (u->firm_id)
        sqlite3_bind_int64(s, 11, u->firm_id);
    else
        sqlite3_bind_null(s, 11);
    sealer_wipe(&dir);
    if (rc != SQLITE_OK) {
        sqlite3_reset(s);
        return ST_ERROR;
    }
    r = db_exec_stmt(db, s, "user_create");
    if (r != ST_OK)
        return r;
    for (int i = 0; i < u->ncenters; i++) {
        sqlite3_stmt *c = db_stmt(db, "INSERT INTO user_centers(user_id, center_id) VALUES (?,?)");
        if (!c)
            return ST_ERROR;
        sqlite3_bind_int64(c, 1, u->id);
        sqlite3_bind_int64(c, 2, u->center_ids[i]);
        if ((r = db_exec_stmt(db, c, "user_center")) != ST_OK)
            return r;
    }
    return ST_OK;
}

enum st store_user_create(struct user *u, const char *password_hash)
{
    struct user_tx t = {u, password_hash};
    return db_tx(user_create_tx, &t);
}

enum st store_user_get(int64_t id, struct user *out)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " USER_COLS " FROM users u WHERE u.id = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        user_row_opened(db, s, out);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "user");
}

enum st store_user_by_username(const char *username, struct user *out, char *hash, size_t cap)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s =
        db_stmt(db, "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.username = ?");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, username);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        user_row_opened(db, s, out);
        db_col_copy(s, 12, hash, cap);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "user");
}

enum st store_user_set_language(int64_t id, const char *language)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "UPDATE users SET language = ? WHERE id = ?");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, language);
    sqlite3_bind_int64(s, 2, id);
    enum st r = db_exec_stmt(db, s, "user_language");
    if (r == ST_OK && sqlite3_changes(db_handle(db)) == 0)
        return ST_NONE;
    return r;
}

enum st store_users_list(int64_t after_id, int role_filter, struct user *out, size_t limit,
                         size_t *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " USER_COLS " FROM users u WHERE u.id > ? "
                                  "AND (?2 IS NULL OR u.role = ?2) ORDER BY u.id LIMIT ?3");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, after_id);
    db_bind_text(s, 2, role_filter >= 0 ? role_name((enum role)role_filter) : NULL);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)limit);
    int rc;
    struct sealer dir;
    bool opened = sealer_directory(db, &dir) == ST_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < limit)
        user_from_row(s, &out[(*n)++], opened ? &dir : NULL);
    if (opened)
        sealer_wipe(&dir);
    sqlite3_reset(s);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? ST_OK : db_status(db, rc, "users");
}

/* ---- sessions ---- */

enum st store_session_create(const uint8_t hash[32], int64_t user_id, int64_t expires_at)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO sessions(token_hash, user_id, created_at, "
                                  "expires_at) VALUES (?, ?, unixepoch(), ?)");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, expires_at);
    enum st r = db_exec_stmt(db, s, "session_create");
    /* Expired sessions are swept as new ones are made: no timer thread, bounded work. */
    sqlite3_stmt *sweep = db_stmt(db, "DELETE FROM sessions WHERE token_hash IN (SELECT "
                                      "token_hash FROM sessions WHERE expires_at < unixepoch() "
                                      "LIMIT 16)");
    if (r == ST_OK && sweep)
        db_exec_stmt(db, sweep, "session_sweep");
    return r;
}

enum st store_session_user(const uint8_t hash[32], struct user *out, int64_t *expires_at)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " USER_COLS ", s.expires_at FROM sessions s "
                                  "JOIN users u ON u.id = s.user_id "
                                  "WHERE s.token_hash = ? AND u.status = 'active'");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        user_row_opened(db, s, out);
        if (expires_at)
            *expires_at = sqlite3_column_int64(s, 12);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "session");
}

enum st store_session_delete(const uint8_t hash[32])
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "DELETE FROM sessions WHERE token_hash = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_TRANSIENT);
    return db_exec_stmt(db, s, "session_delete");
}

/* ---- throttle ---- */

enum st store_throttle_get(const uint8_t key[16], struct throttle *out)
{
    memset(out, 0, sizeof *out);
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT failures, first_failure, last_failure, locked_until "
                                  "FROM login_throttle WHERE key_hash = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_blob(s, 1, key, 16, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->failures = sqlite3_column_int(s, 0);
        out->first_failure = sqlite3_column_int64(s, 1);
        out->last_failure = sqlite3_column_int64(s, 2);
        out->locked_until = sqlite3_column_int64(s, 3);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "throttle");
}

enum st store_throttle_put(const uint8_t key[16], const struct throttle *t)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "INSERT OR REPLACE INTO login_throttle(key_hash, failures, "
                                  "first_failure, last_failure, locked_until) VALUES (?,?,?,?,?)");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_blob(s, 1, key, 16, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, t->failures);
    sqlite3_bind_int64(s, 3, t->first_failure);
    sqlite3_bind_int64(s, 4, t->last_failure);
    sqlite3_bind_int64(s, 5, t->locked_until);
    return db_exec_stmt(db, s, "throttle_put");
}

enum st store_throttle_clear(const uint8_t key[16])
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "DELETE FROM login_throttle WHERE key_hash = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_blob(s, 1, key, 16, SQLITE_TRANSIENT);
    return db_exec_stmt(db, s, "throttle_clear");
}

/* ---- settings ---- */

enum st store_setting_get(const char *key, char *value, size_t cap)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT value FROM settings WHERE key = ?");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        db_col_copy(s, 0, value, cap);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "setting");
}

enum st store_setting_insert(const char *key, const char *value)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO settings(key, value) VALUES (?, ?)");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, key);
    db_bind_text(s, 2, value);
    return db_exec_stmt(db, s, "setting_insert");
}

struct attempt_tx {
    const uint8_t *key;
    enum throttle_kind kind;
    int64_t now, retry;
    enum throttle_verdict verdict;
};

static enum st attempt_tx(struct db *db, void *arg)
{
    (void)db;
    struct attempt_tx *t = arg;
    struct throttle th;
    enum st r = store_throttle_get(t->key, &th);
    if (r != ST_OK && r != ST_NONE)
        return r;
    t->verdict = throttle_decide(t->kind, &th, t->now, &t->retry);
    if (t->verdict == THROTTLE_LOCKED)
        return ST_OK; /* the lock is the penalty: nothing to add */
    throttle_record_failure(t->kind, &th, t->now);
    return store_throttle_put(t->key, &th);
}

enum st store_throttle_attempt(const uint8_t key[16], enum throttle_kind kind, int64_t now,
                               enum throttle_verdict *verdict, int64_t *retry_after)
{
    struct attempt_tx t = {key, kind, now, 0, THROTTLE_ALLOW};
    enum st r = db_tx(attempt_tx, &t);
    *verdict = t.verdict;
    *retry_after = t.retry;
    return r;
}

enum st store_throttle_forgive(const uint8_t key[16])
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "UPDATE login_throttle SET failures = max(failures - 1, 0) "
                                  "WHERE key_hash = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_blob(s, 1, key, 16, SQLITE_TRANSIENT);
    return db_exec_stmt(db, s, "throttle_forgive");
}

static enum st seal_users_tx(struct db *db, void *arg)
{
    (void)arg;
    struct sealer dir;
    enum st r = sealer_directory(db, &dir);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *q = db_stmt(db, "SELECT id, display_name, email, phone FROM users WHERE "
                                  "typeof(display_name) = 'text' OR typeof(email) = 'text' OR "
                                  "typeof(phone) = 'text'");
    sqlite3_stmt *u = db_stmt(db, "UPDATE users SET display_name = ?, email = ?, phone = ?, "
                                  "email_blind = ?, phone_blind = ? WHERE id = ?");
    if (!q || !u) {
        sealer_wipe(&dir);
        return ST_ERROR;
    }
    while (r == ST_OK && sqlite3_step(q) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        char name[401], email[255], phone[21], row[24];
        db_col_copy(q, 1, name, sizeof name);
        db_col_copy(q, 2, email, sizeof email);
        db_col_copy(q, 3, phone, sizeof phone);
        snprintf(row, sizeof row, "u%lld", (long long)id);
        int rc = seal_bind(&dir, u, 1, "users.display_name", row, name);
        rc |= seal_bind(&dir, u, 2, "users.email", row, email);
        rc |= seal_bind(&dir, u, 3, "users.phone", row, phone);
        rc |= blind_bind(u, 4, "email", email);
        rc |= blind_bind(u, 5, "phone", phone);
        sqlite3_bind_int64(u, 6, id);
        r = rc == SQLITE_OK ? db_exec_stmt(db, u, "seal_user") : ST_ERROR;
        if (rc != SQLITE_OK)
            sqlite3_reset(u);
    }
    sqlite3_reset(q);
    sealer_wipe(&dir);
    return r;
}

enum st store_seal_plain_users(void)
{
    return db_tx(seal_users_tx, NULL);
}
