/* documents.c: documents (sealed titles and bytes), respondents' invitations, calendar overrides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit_log.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/seal.h"
#include "store/access.h"
#include "store/search.h"
#include "vault/digest.h"

struct doc_tx {
    int64_t case_id;
    const struct actor *who;
    const char *side, *title, *kind, *visibility, *media_type;
    const void *data;
    size_t len;
    int64_t limit, doc_id;
};

static enum st doc_tx(struct db *db, void *arg)
{
    struct doc_tx *t = arg;
    sqlite3_stmt *q = db_stmt(db, "SELECT coalesce(sum(size), 0) FROM documents WHERE case_id = ?");
    if (!q)
        return ST_ERROR;
    sqlite3_bind_int64(q, 1, t->case_id);
    int64_t used = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (used + (int64_t)t->len > t->limit)
        return ST_CONFLICT;
    sqlite3_stmt *n = db_stmt(db, "SELECT coalesce(max(id), 0) + 1 FROM documents");
    if (!n || sqlite3_step(n) != SQLITE_ROW) {
        if (n)
            sqlite3_reset(n);
        return ST_ERROR;
    }
    int64_t id = sqlite3_column_int64(n, 0);
    sqlite3_reset(n);
    struct sealer s;
    enum st r = sealer_load(db, t->case_id, &s);
    if (r != ST_OK)
        return r;
    char row[24], ad[96];
    snprintf(row, sizeof row, "d%lld", (long long)id);
    uint8_t sha[32];
    vault_sha256(t->data, t->len, sha);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO documents(id, case_id, title, kind, visibility, "
                                   "media_type, size, sha256, uploaded_by, side, created_at) "
                                   "VALUES (?,?,?,?,?,?,?,?,?,?,unixepoch())");
    if (!st) {
        sealer_wipe(&s);
        return ST_ERROR;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, t->case_id);
    int rc = seal_bind(&s, st, 3, "documents.title", row, t->title);
    db_bind_text(st, 4, t->kind);
    db_bind_text(st, 5, t->visibility);
    db_bind_text(st, 6, t->media_type);
    sqlite3_bind_int64(st, 7, (int64_t)t->len);
    sqlite3_bind_blob(st, 8, sha, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, t->who->user_id);
    db_bind_text(st, 10, t->side);
    r = rc == SQLITE_OK ? db_exec_stmt(db, st, "document") : ST_ERROR;
    if (rc != SQLITE_OK)
        sqlite3_reset(st);
    uint8_t *sealed = NULL;
    size_t slen = 0;
    snprintf(ad, sizeof ad, "document_blobs.data:%lld:%s", (long long)t->case_id, row);
    if (r == ST_OK && vault_seal_buf(&s.dk, ad, t->data, t->len, &sealed, &slen) != 0)
        r = ST_ERROR;
    if (r == ST_OK)
        r = search_reindex(db, &s, t->case_id); /* the document's title is searchable */
    sealer_wipe(&s);
    if (r == ST_OK) {
        sqlite3_stmt *b = db_stmt(db, "INSERT INTO document_blobs(document_id, data) VALUES (?,?)");
        if (!b)
            r = ST_ERROR;
        else {
            sqlite3_bind_int64(b, 1, id);
            sqlite3_bind_blob64(b, 2, sealed, slen, SQLITE_STATIC);
            r = db_exec_stmt(db, b, "document_blob");
        }
    }
    free(sealed);
    if (r == ST_OK)
        r = bump_version(db, t->case_id);
    if (r == ST_OK)
        r = audit_append(db, t->who, "document_upload", "case", t->case_id, "ok", t->kind);
    t->doc_id = id;
    return r;
}

enum st store_doc_add(int64_t case_id, const struct actor *who, const char *side,
                      const char *title, const char *kind, const char *visibility,
                      const char *media_type, const void *data, size_t len, int64_t case_limit,
                      int64_t *doc_id)
{
    struct doc_tx t = {case_id, who, side, title, kind, visibility, media_type, data, len,
                       case_limit, 0};
    enum st r = db_tx(doc_tx, &t);
    *doc_id = t.doc_id;
    return r;
}

static enum st doc_meta(struct db *db, struct sealer *s, int64_t case_id, int64_t doc_id,
                        struct case_doc *m)
{
    memset(m, 0, sizeof *m);
    sqlite3_stmt *st = db_stmt(db, "SELECT id, title, kind, visibility, media_type, size, "
                                   "uploaded_by, created_at, sha256, side FROM documents "
                                   "WHERE id = ? AND case_id = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, doc_id);
    sqlite3_bind_int64(st, 2, case_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char row[24];
        snprintf(row, sizeof row, "d%lld", (long long)doc_id);
        m->id = doc_id;
        m->title = s ? seal_open(s, st, 1, "documents.title", row) : NULL;
        db_col_copy(st, 2, m->kind, sizeof m->kind);
        db_col_copy(st, 3, m->visibility, sizeof m->visibility);
        db_col_copy(st, 4, m->media_type, sizeof m->media_type);
        m->size = sqlite3_column_int64(st, 5);
        m->uploaded_by = sqlite3_column_int64(st, 6);
        m->created_at = sqlite3_column_int64(st, 7);
        if (sqlite3_column_bytes(st, 8) == 32)
            memcpy(m->sha256, sqlite3_column_blob(st, 8), 32);
        db_col_copy(st, 9, m->side, sizeof m->side);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "doc");
}

enum st store_doc_meta(int64_t case_id, int64_t doc_id, struct case_doc *meta)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    return doc_meta(db, NULL, case_id, doc_id, meta);
}

enum st store_doc_get(int64_t case_id, int64_t doc_id, struct case_doc *meta, void **data,
                      size_t *len)
{
    *data = NULL;
    *len = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    struct sealer s;
    enum st r = sealer_load(db, case_id, &s);
    if (r != ST_OK)
        return r;
    r = doc_meta(db, &s, case_id, doc_id, meta);
    if (r == ST_OK && !s.ready)
        r = ST_NONE; /* erased */
    if (r == ST_OK) {
        sqlite3_stmt *b = db_stmt(db, "SELECT data FROM document_blobs WHERE document_id = ?");
        if (!b)
            r = ST_ERROR;
        else {
            sqlite3_bind_int64(b, 1, doc_id);
            if (sqlite3_step(b) == SQLITE_ROW) {
                char ad[96];
                snprintf(ad, sizeof ad, "document_blobs.data:%lld:d%lld", (long long)case_id,
                         (long long)doc_id);
                uint8_t *pt = NULL;
                size_t ptlen = 0;
                if (vault_unseal_buf(&s.dk, ad, sqlite3_column_blob(b, 0),
                                     (size_t)sqlite3_column_bytes(b, 0), &pt, &ptlen) == 0) {
                    *data = pt;
                    *len = ptlen;
                } else {
                    fprintf(stderr, "{\"event\":\"vault_error\",\"what\":\"document does not "
                                    "open\",\"case\":%lld}\n", (long long)case_id);
                    r = ST_ERROR;
                }
            } else {
                r = ST_NONE;
            }
            sqlite3_reset(b);
        }
    }
    sealer_wipe(&s);
    if (r != ST_OK) {
        free(meta->title);
        meta->title = NULL;
    }
    return r;
}

/* ---- invitations ---- */

enum st store_invitation_create(int64_t case_id, const uint8_t code_hash[32], int64_t expires_at)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO invitations(case_id, party_id, code_hash, "
                                   "created_at, expires_at) SELECT ?1, id, ?2, unixepoch(), ?3 "
                                   "FROM parties WHERE case_id = ?1 AND side = 'respondent' "
                                   "ORDER BY position LIMIT 1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_blob(st, 2, code_hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, expires_at);
    enum st r = db_exec_stmt(db, st, "invitation");
    if (r == ST_OK && sqlite3_changes(db_handle(db)) != 1)
        return ST_NONE;
    return r;
}

struct redeem_tx {
    const uint8_t *hash;
    int64_t user_id;
    bool lawyer;
    int64_t now, case_id;
    bool own;
};

static enum st redeem_tx(struct db *db, void *arg)
{
    struct redeem_tx *t = arg;
    sqlite3_stmt *q = db_stmt(db, "SELECT id, case_id, party_id, expires_at, used_at, used_by "
                                  "FROM invitations WHERE code_hash = ?");
    if (!q)
        return ST_ERROR;
    sqlite3_bind_blob(q, 1, t->hash, 32, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return ST_NONE;
    }
    int64_t id = sqlite3_column_int64(q, 0), party = sqlite3_column_int64(q, 2);
    int64_t expires = sqlite3_column_int64(q, 3);
    bool used = sqlite3_column_type(q, 4) != SQLITE_NULL;
    int64_t used_by = sqlite3_column_int64(q, 5);
    t->case_id = sqlite3_column_int64(q, 1);
    sqlite3_reset(q);
    if (used)
        return used_by == t->user_id ? ST_OK : ST_NONE; /* the same person again: fine */
    if (expires <= t->now)
        return ST_CONFLICT;
    /* the applicant's side cannot answer for the respondent */
    sqlite3_stmt *o = db_stmt(db, "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1 AND "
                                  "filed_by = ?2) OR EXISTS (SELECT 1 FROM parties WHERE "
                                  "case_id = ?1 AND side = 'applicant' AND (user_id = ?2 OR "
                                  "lawyer_id = ?2))");
    if (!o)
        return ST_ERROR;
    sqlite3_bind_int64(o, 1, t->case_id);
    sqlite3_bind_int64(o, 2, t->user_id);
    t->own = sqlite3_step(o) == SQLITE_ROW && sqlite3_column_int(o, 0);
    sqlite3_reset(o);
    if (t->own)
        return ST_CONFLICT;
    sqlite3_stmt *u = db_stmt(db, "UPDATE invitations SET used_at = unixepoch(), used_by = ? "
                                  "WHERE id = ?");
    /* a resident answers as the respondent; a lawyer as the respondent's representative */
    sqlite3_stmt *p = db_stmt(db, t->lawyer ? "UPDATE parties SET lawyer_id = ? WHERE id = ?"
                                            : "UPDATE parties SET user_id = ? WHERE id = ?");
    if (!u || !p)
        return ST_ERROR;
    sqlite3_bind_int64(u, 1, t->user_id);
    sqlite3_bind_int64(u, 2, id);
    enum st r = db_exec_stmt(db, u, "invitation_use");
    if (r != ST_OK)
        return r;
    sqlite3_bind_int64(p, 1, t->user_id);
    sqlite3_bind_int64(p, 2, party);
    r = db_exec_stmt(db, p, "invitation_party");
    if (r == ST_OK)
        r = access_rebuild(db, t->case_id);
    if (r == ST_OK)
        r = bump_version(db, t->case_id);
    if (r != ST_OK)
        return r;
    struct actor who = {t->user_id, t->lawyer ? "lawyer" : "resident", ""};
    return audit_append(db, &who, "invitation_redeem", "case", t->case_id, "ok", "");
}

enum st store_invitation_redeem(const uint8_t code_hash[32], int64_t user_id, bool lawyer,
                                int64_t now, int64_t *case_id, bool *own_case)
{
    struct redeem_tx t = {code_hash, user_id, lawyer, now, 0, false};
    enum st r = db_tx(redeem_tx, &t);
    *case_id = t.case_id;
    *own_case = t.own;
    return r;
}

/* ---- calendar overrides ---- */

enum st store_calendar_overrides(const char *calendar, struct calendar_override_row *out, int cap,
                                 int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "SELECT day, working FROM calendar_overrides WHERE "
                                   "calendar = ? ORDER BY day");
    if (!st)
        return ST_ERROR;
    db_bind_text(st, 1, calendar);
    while (*n < cap && sqlite3_step(st) == SQLITE_ROW) {
        db_col_copy(st, 0, out[*n].day, sizeof out[*n].day);
        out[*n].working = sqlite3_column_int(st, 1);
        (*n)++;
    }
    sqlite3_reset(st);
    return ST_OK;
}

enum st store_calendar_overrides_year(const char *calendar, int year,
                                      struct calendar_override_entry *out, int cap, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "SELECT day, working, note FROM calendar_overrides WHERE "
                                   "calendar = ? AND day >= ? AND day < ? ORDER BY day");
    if (!st)
        return ST_ERROR;
    char from[24], to[24];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-01-01", year + 1);
    db_bind_text(st, 1, calendar);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    int rc = SQLITE_DONE;
    while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct calendar_override_entry *e = &out[*n];
        db_col_copy(st, 0, e->day, sizeof e->day);
        e->working = sqlite3_column_int(st, 1);
        db_col_copy(st, 2, e->note, sizeof e->note);
        (*n)++;
    }
    enum st r = rc == SQLITE_ROW || rc == SQLITE_DONE
                    ? ST_OK
                    : db_status(db, rc, "calendar_overrides_year");
    sqlite3_reset(st);
    return r;
}

enum st store_calendar_override_set(const char *calendar, const char *day, bool working,
                                    const char *note)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO calendar_overrides(calendar, day, "
                                   "working, note) VALUES (?,?,?,?)");
    if (!st)
        return ST_ERROR;
    db_bind_text(st, 1, calendar);
    db_bind_text(st, 2, day);
    sqlite3_bind_int(st, 3, working);
    db_bind_text(st, 4, note);
    return db_exec_stmt(db, st, "calendar_override");
}

enum st store_calendar_override_delete(const char *calendar, const char *day)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st =
        db_stmt(db, "DELETE FROM calendar_overrides WHERE calendar = ? AND day = ?");
    if (!st)
        return ST_ERROR;
    db_bind_text(st, 1, calendar);
    db_bind_text(st, 2, day);
    enum st r = db_exec_stmt(db, st, "calendar_override_delete");
    if (r == ST_OK && sqlite3_changes(db_handle(db)) == 0)
        return ST_NONE;
    return r;
}

enum st store_deadlines(const struct principal *p, struct deadline_row *out, int cap, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT id, number, status, kind, due FROM ("
            " SELECT c.id, c.number, c.status, 'respondent_answer' AS kind, c.respondent_due AS due"
            " FROM cases c WHERE c.status = 'respondent_invited' AND c.respondent_due IS NOT NULL"
            " AND c.center_id IN (SELECT center_id FROM user_centers WHERE user_id = ?1)"
            " UNION ALL"
            " SELECT c.id, c.number, c.status, 'mediation_end', c.mediation_due FROM cases c"
            " WHERE c.status IN ('respondent_invited', 'respondent_agreed', 'mediator_assigned',"
            " 'in_mediation') AND c.mediation_due IS NOT NULL"
            " AND c.center_id IN (SELECT center_id FROM user_centers WHERE user_id = ?1)"
            " UNION ALL"
            " SELECT c.id, c.number, c.status, 'shortlist_ranking', s.respond_by FROM shortlists s"
            " JOIN cases c ON c.id = s.case_id WHERE s.status = 'open'"
            " AND c.center_id IN (SELECT center_id FROM user_centers WHERE user_id = ?1))"
            " ORDER BY due, id LIMIT ?2");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, p->user_id);
    sqlite3_bind_int(st, 2, cap);
    while (*n < cap && sqlite3_step(st) == SQLITE_ROW) {
        struct deadline_row *d = &out[(*n)++];
        d->case_id = sqlite3_column_int64(st, 0);
        db_col_copy(st, 1, d->number, sizeof d->number);
        db_col_copy(st, 2, d->status, sizeof d->status);
        db_col_copy(st, 3, d->kind, sizeof d->kind);
        db_col_copy(st, 4, d->due, sizeof d->due);
    }
    sqlite3_reset(st);
    return ST_OK;
}

enum st store_case_id_by_number(const char *number, int64_t *id)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT id FROM cases WHERE number = upper(?)");
    if (!s)
        return ST_ERROR;
    db_bind_text(s, 1, number);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "number");
}

struct reissue_tx {
    int64_t case_id;
    const uint8_t *hash;
    int64_t expires;
    const struct actor *who;
};

static enum st reissue_tx(struct db *db, void *arg)
{
    struct reissue_tx *t = arg;
    sqlite3_stmt *d = db_stmt(db, "DELETE FROM invitations WHERE case_id = ? AND used_at IS NULL");
    if (!d)
        return ST_ERROR;
    sqlite3_bind_int64(d, 1, t->case_id);
    enum st r = db_exec_stmt(db, d, "invitation_reissue");
    sqlite3_stmt *i = db_stmt(db, "INSERT INTO invitations(case_id, party_id, code_hash, "
                                  "created_at, expires_at) SELECT ?1, id, ?2, unixepoch(), ?3 "
                                  "FROM parties WHERE case_id = ?1 AND side = 'respondent' "
                                  "ORDER BY position LIMIT 1");
    if (r != ST_OK || !i)
        return r != ST_OK ? r : ST_ERROR;
    sqlite3_bind_int64(i, 1, t->case_id);
    sqlite3_bind_blob(i, 2, t->hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(i, 3, t->expires);
    r = db_exec_stmt(db, i, "invitation_reissue");
    if (r == ST_OK && sqlite3_changes(db_handle(db)) != 1)
        return ST_NONE;
    if (r == ST_OK)
        r = audit_append(db, t->who, "invitation_reissue", "case", t->case_id, "ok", "");
    return r;
}

enum st store_invitation_reissue(int64_t case_id, const uint8_t code_hash[32], int64_t expires_at,
                                 const struct actor *who)
{
    struct reissue_tx t = {case_id, code_hash, expires_at, who};
    return db_tx(reissue_tx, &t);
}
