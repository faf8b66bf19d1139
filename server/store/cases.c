/* cases.c: SQL for cases, parties, claims, addresses, documents, the timeline and invitations.
 * Every write is one transaction; every protected column goes through seal.c. */
#include "store/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/seal.h"
#include "store/access.h"
#include "store/committer.h"
#include "store/search.h"
#include "store/audit_log.h"

void case_summary_free(struct case_summary *s)
{
    free(s->title);
    s->title = NULL;
}

void case_record_free(struct case_record *r)
{
    case_summary_free(&r->s);
    free(r->summary);
    free(r->request);
    for (int i = 0; i < r->nparties; i++) {
        struct case_party *p = &r->parties[i];
        free(p->name), free(p->name_latin), free(p->id_number);
        free(p->phone), free(p->email), free(p->address);
    }
    free(r->parties);
    for (int i = 0; i < r->nclaims; i++)
        free(r->claims[i].description);
    free(r->claims);
    for (int i = 0; i < r->naddresses; i++)
        free(r->addresses[i].value);
    free(r->addresses);
    for (int i = 0; i < r->ndocs; i++)
        free(r->docs[i].title);
    free(r->docs);
    for (int i = 0; i < r->nevents; i++)
        free(r->events[i].reason);
    free(r->events);
    memset(r, 0, sizeof *r);
}

/* The next id of a table, inside the caller's (IMMEDIATE) transaction: known before the insert,
 * so sealed columns can bind their row. */
static int64_t next_id(struct db *db, sqlite3_stmt *s)
{
    if (!s || sqlite3_step(s) != SQLITE_ROW) {
        if (s)
            sqlite3_reset(s);
        return 0;
    }
    int64_t id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    (void)db;
    return id;
}

static int year_now(void)
{
    time_t t = time(NULL) + 8 * 3600; /* both centers' zones are UTC+8 without summer time */
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

static void party_row(const char *side, int position, char *out, size_t cap)
{
    snprintf(out, cap, "%c%d", side[0], position);
}

/* Appends one timeline entry (reason sealed) in the caller's transaction. */
enum st timeline_add(struct db *db, struct sealer *s, int64_t case_id, const struct actor *who,
                     const char *event, const char *from, const char *to, const char *reason)
{
    int64_t id = next_id(db, db_stmt(db, "SELECT coalesce(max(id), 0) + 1 FROM case_events"));
    if (!id)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO case_events(id, case_id, ts, actor_id, actor_role, "
                                   "event, from_state, to_state, reason) "
                                   "VALUES (?,?,unixepoch(),?,?,?,?,?,?)");
    if (!st)
        return ST_ERROR;
    char row[24];
    snprintf(row, sizeof row, "e%lld", (long long)id);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, case_id);
    if (who->user_id)
        sqlite3_bind_int64(st, 3, who->user_id);
    else
        sqlite3_bind_null(st, 3);
    db_bind_text(st, 4, who->role);
    db_bind_text(st, 5, event);
    db_bind_text(st, 6, from);
    db_bind_text(st, 7, to);
    if (seal_bind(s, st, 8, "case_events.reason", row, reason) != SQLITE_OK) {
        sqlite3_reset(st);
        return ST_ERROR;
    }
    enum st r = db_exec_stmt(db, st, "case_event");
    return r == ST_OK ? notify_event(db, case_id, id, event, who) : r;
}

/* A timeline entry and its audit entry. */
static enum st add_event(struct db *db, struct sealer *s, int64_t case_id, const struct actor *who,
                         const char *event, const char *from, const char *to, const char *reason)
{
    enum st r = timeline_add(db, s, case_id, who, event, from, to, reason);
    if (r == ST_OK)
        r = audit_append(db, who, event, "case", case_id, "ok", to ? to : "");
    return r;
}

/* Writes parties, claims and service addresses of f for the case (after deleting any old ones). */
static enum st write_content(struct db *db, struct sealer *s, int64_t case_id,
                             const struct filing *f)
{
    static const char *const wipe[] = {
        "DELETE FROM service_addresses WHERE case_id = ?",
        "DELETE FROM claims WHERE case_id = ?",
        "DELETE FROM parties WHERE case_id = ?",
    };
    for (size_t i = 0; i < sizeof wipe / sizeof wipe[0]; i++) {
        sqlite3_stmt *d = db_stmt(db, wipe[i]);
        if (!d)
            return ST_ERROR;
        sqlite3_bind_int64(d, 1, case_id);
        enum st r = db_exec_stmt(db, d, "wipe_content");
        if (r != ST_OK)
            return r;
    }
    int64_t first_applicant_party = 0;
    for (int i = 0; i < f->nparties; i++) {
        const struct party_in *p = &f->parties[i];
        const char *side = p->side == SIDE_APPLICANT ? "applicant" : "respondent";
        char row[16], spoken[64], idkind[40];
        party_row(side, p->position, row, sizeof row);
        spoken_format(p->spoken, spoken, sizeof spoken);
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO parties(case_id, side, position, kind, name, name_latin, id_type, "
                "id_number, id_blind, phone, phone_blind, email, email_blind, address, residence, "
                "language, spoken, user_id, lawyer_id, name_key, name_latin_key) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, case_id);
        db_bind_text(st, 2, side);
        sqlite3_bind_int(st, 3, p->position);
        db_bind_text(st, 4, p->kind ? p->kind : "person");
        const char *idtype = p->id_type != IDTYPE_UNKNOWN ? idtype_name(p->id_type) : NULL;
        snprintf(idkind, sizeof idkind, "id:%s", idtype ? idtype : "");
        int rc = seal_bind(s, st, 5, "parties.name", row, p->name);
        rc |= seal_bind(s, st, 6, "parties.name_latin", row, p->name_latin);
        db_bind_text(st, 7, idtype);
        rc |= seal_bind(s, st, 8, "parties.id_number", row, idtype ? p->id_number : NULL);
        rc |= blind_bind(st, 9, idkind, idtype ? p->id_number : NULL);
        rc |= seal_bind(s, st, 10, "parties.phone", row, p->phone);
        rc |= blind_bind(st, 11, "phone", p->phone);
        rc |= seal_bind(s, st, 12, "parties.email", row, p->email);
        rc |= blind_bind(st, 13, "email", p->email);
        rc |= seal_bind(s, st, 14, "parties.address", row, p->address);
        db_bind_text(st, 15, p->residence);
        db_bind_text(st, 16, p->language);
        db_bind_text(st, 17, spoken);
        if (p->user_id)
            sqlite3_bind_int64(st, 18, p->user_id);
        if (p->lawyer_id)
            sqlite3_bind_int64(st, 19, p->lawyer_id);
        rc |= name_key_bind(st, 20, p->name);
        rc |= name_key_bind(st, 21, p->name_latin);
        if (rc != SQLITE_OK) {
            sqlite3_reset(st);
            return ST_ERROR;
        }
        enum st r = db_exec_stmt(db, st, "party");
        if (r != ST_OK)
            return r;
        if (p->side == SIDE_APPLICANT && !first_applicant_party)
            first_applicant_party = sqlite3_last_insert_rowid(db_handle(db));
    }
    for (int i = 0; i < f->nclaims; i++) {
        const struct claim_in *c = &f->claims[i];
        char row[16];
        snprintf(row, sizeof row, "c%d", i);
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO claims(case_id, position, description, "
                                       "amount_minor, currency) VALUES (?,?,?,?,?)");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int(st, 2, i);
        if (seal_bind(s, st, 3, "claims.description", row,
                      c->description ? c->description : "") != SQLITE_OK) {
            sqlite3_reset(st);
            return ST_ERROR;
        }
        if (!c->description || !*c->description) /* a draft's claim may lack words yet */
            sqlite3_bind_zeroblob(st, 3, 0);
        if (c->has_amount) {
            sqlite3_bind_int64(st, 4, c->amount.minor);
            db_bind_text(st, 5, currency_code(c->amount.currency));
        }
        enum st r = db_exec_stmt(db, st, "claim");
        if (r != ST_OK)
            return r;
    }
    for (int i = 0; i < f->naddresses; i++) {
        char row[16];
        snprintf(row, sizeof row, "s%d", i);
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO service_addresses(case_id, party_id, channel, "
                                       "value) VALUES (?,?,?,?)");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, case_id);
        if (first_applicant_party)
            sqlite3_bind_int64(st, 2, first_applicant_party);
        db_bind_text(st, 3, f->addresses[i].channel);
        if (seal_bind(s, st, 4, "service_addresses.value", row, f->addresses[i].value) !=
            SQLITE_OK) {
            sqlite3_reset(st);
            return ST_ERROR;
        }
        enum st r = db_exec_stmt(db, st, "service_address");
        if (r != ST_OK)
            return r;
    }
    return ST_OK;
}

enum st bump_version(struct db *db, int64_t case_id)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE cases SET version = version + 1 WHERE id = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, case_id);
    return db_exec_stmt(db, st, "bump_version");
}

/* Rebuilds who may list the case (case_access) from its filer, parties and their lawyers. */
enum st access_rebuild(struct db *db, int64_t case_id)
{
    static const char *const steps[] = {
        "DELETE FROM case_access WHERE case_id = ?1",
        "INSERT OR IGNORE INTO case_access(subject, case_id) "
        " SELECT 'u:' || filed_by, id FROM cases WHERE id = ?1"
        " UNION SELECT 'f:' || firm_id, id FROM cases WHERE id = ?1 AND firm_id IS NOT NULL"
        " UNION SELECT 'u:' || user_id, case_id FROM parties WHERE case_id = ?1 "
        "       AND user_id IS NOT NULL"
        " UNION SELECT 'u:' || lawyer_id, case_id FROM parties WHERE case_id = ?1 "
        "       AND lawyer_id IS NOT NULL"
        " UNION SELECT 'f:' || u.firm_id, p.case_id FROM parties p JOIN users u "
        "       ON u.id = p.lawyer_id WHERE p.case_id = ?1 AND u.firm_id IS NOT NULL"
        " UNION SELECT 'u:' || user_id, case_id FROM case_mediators WHERE case_id = ?1 "
        "       AND ended_at IS NULL",
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *st = db_stmt(db, steps[i]);
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, case_id);
        enum st r = db_exec_stmt(db, st, "case_access");
        if (r != ST_OK)
            return r;
    }
    return search_rescope(db, case_id); /* who may find it by searching follows */
}

/* Gives a case its number and moves it from draft to submitted. */
static enum st submit_case(struct db *db, struct sealer *s, int64_t case_id, int64_t center_id,
                           const char *center_code, enum case_type type, const struct actor *who)
{
    int year = year_now();
    sqlite3_stmt *n = db_stmt(db, "INSERT INTO case_numbers(center_id, type, year, last_seq) "
                                  "VALUES (?,?,?,1) ON CONFLICT DO UPDATE SET "
                                  "last_seq = last_seq + 1 RETURNING last_seq");
    if (!n)
        return ST_ERROR;
    sqlite3_bind_int64(n, 1, center_id);
    db_bind_text(n, 2, case_type_name(type));
    sqlite3_bind_int(n, 3, year);
    int rc = sqlite3_step(n);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(n, 0) : 0;
    sqlite3_reset(n);
    if (!seq)
        return db_status(db, rc, "case_number");
    char number[40];
    case_number_format(center_code, type, year, seq, number, sizeof number);
    sqlite3_stmt *u = db_stmt(db, "UPDATE cases SET number = ?, status = 'submitted', "
                                  "submitted_at = unixepoch(), updated_at = unixepoch(), "
                                  "version = version + 1 WHERE id = ? AND status = 'draft'");
    if (!u)
        return ST_ERROR;
    db_bind_text(u, 1, number);
    sqlite3_bind_int64(u, 2, case_id);
    enum st r = db_exec_stmt(db, u, "case_submit");
    if (r != ST_OK)
        return r;
    if (sqlite3_changes(db_handle(db)) != 1)
        return ST_CONFLICT;
    return add_event(db, s, case_id, who, "submit", "draft", "submitted", NULL);
}

struct file_tx {
    const struct filing *f;
    const struct actor *who;
    int64_t firm_id;
    bool submit;
    const char *idem;
    int64_t case_id;
    bool replayed;
    bool no_center;
    uint8_t body_hash[32]; /* of the request, for the idempotency key */
    bool mismatch;         /* the key was first used for another request */
};

static enum st bind_case_text(struct sealer *s, sqlite3_stmt *st, int first, const char *row,
                              const struct filing *f)
{
    int rc = seal_bind(s, st, first, "cases.title", row, f->title);
    rc |= seal_bind(s, st, first + 1, "cases.summary", row, f->summary);
    rc |= seal_bind(s, st, first + 2, "cases.request", row, f->request);
    return rc == SQLITE_OK ? ST_OK : ST_ERROR;
}

static enum st file_tx(struct db *db, void *arg)
{
    struct file_tx *t = arg;
    const struct filing *f = t->f;
    if (t->idem) {
        sqlite3_stmt *q = db_stmt(db, "SELECT case_id, body_hash FROM idempotency_keys WHERE "
                                      "user_id = ? AND key = ?");
        if (!q)
            return ST_ERROR;
        sqlite3_bind_int64(q, 1, t->who->user_id);
        db_bind_text(q, 2, t->idem);
        if (sqlite3_step(q) == SQLITE_ROW) {
            t->case_id = sqlite3_column_int64(q, 0);
            t->replayed = true;
            /* the same key for a different request is a client's mistake, not a retry */
            t->mismatch = sqlite3_column_bytes(q, 1) == 32 &&
                          memcmp(sqlite3_column_blob(q, 1), t->body_hash, 32) != 0;
            sqlite3_reset(q);
            return t->mismatch ? ST_CONFLICT : ST_OK;
        }
        sqlite3_reset(q);
    }
    sqlite3_stmt *c = db_stmt(db, "SELECT id, code FROM centers WHERE code = ?");
    if (!c)
        return ST_ERROR;
    db_bind_text(c, 1, f->center);
    if (sqlite3_step(c) != SQLITE_ROW) {
        sqlite3_reset(c);
        t->no_center = true;
        return ST_NONE;
    }
    int64_t center_id = sqlite3_column_int64(c, 0);
    char center_code[17];
    db_col_copy(c, 1, center_code, sizeof center_code);
    sqlite3_reset(c);

    int64_t id = next_id(db, db_stmt(db, "SELECT coalesce(max(id), 0) + 1 FROM cases"));
    if (!id)
        return ST_ERROR;
    struct sealer s;
    enum st r = sealer_create(db, id, &s);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO cases(id, center_id, type, subtype, status, title, "
                                   "summary, request, script, filed_by, firm_id, "
                                   "consent_mediation, consent_eservice, created_at, updated_at) "
                                   "VALUES (?,?,?,?,'draft',?,?,?,?,?,?,?,?,unixepoch(),"
                                   "unixepoch())");
    if (!st) {
        sealer_wipe(&s);
        return ST_ERROR;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, center_id);
    db_bind_text(st, 3, case_type_name(f->type));
    db_bind_text(st, 4, f->subtype);
    r = bind_case_text(&s, st, 5, "", f);
    db_bind_text(st, 8, f->script);
    sqlite3_bind_int64(st, 9, t->who->user_id);
    if (t->firm_id)
        sqlite3_bind_int64(st, 10, t->firm_id);
    sqlite3_bind_int(st, 11, f->consent_mediation);
    sqlite3_bind_int(st, 12, f->consent_eservice);
    if (r == ST_OK)
        r = db_exec_stmt(db, st, "case_insert");
    else
        sqlite3_reset(st);
    if (r == ST_OK)
        r = write_content(db, &s, id, f);
    if (r == ST_OK)
        r = add_event(db, &s, id, t->who, "create", NULL, "draft", NULL);
    if (r == ST_OK && t->submit)
        r = submit_case(db, &s, id, center_id, center_code, f->type, t->who);
    if (r == ST_OK)
        r = search_reindex(db, &s, id);
    if (r == ST_OK)
        r = access_rebuild(db, id);
    if (r == ST_OK && t->idem) {
        sqlite3_stmt *k = db_stmt(db, "INSERT INTO idempotency_keys(user_id, key, case_id, "
                                      "created_at, body_hash) VALUES (?,?,?,unixepoch(),?)");
        if (!k)
            r = ST_ERROR;
        else {
            sqlite3_bind_int64(k, 1, t->who->user_id);
            db_bind_text(k, 2, t->idem);
            sqlite3_bind_int64(k, 3, id);
            sqlite3_bind_blob(k, 4, t->body_hash, 32, SQLITE_TRANSIENT);
            r = db_exec_stmt(db, k, "idempotency");
        }
    }
    sealer_wipe(&s);
    t->case_id = id;
    return r;
}

struct case_file_job {
    struct write_job job;
    struct file_tx tx;
    void (*done)(void *ctx);
    void *ctx;
};

static enum st file_job_run(struct db *db, void *arg)
{
    return file_tx(db, arg);
}

static void file_job_done(struct write_job *job)
{
    struct case_file_job *j = (struct case_file_job *)job;
    j->done(j->ctx);
}

struct case_file_job *store_case_file_submit(const struct filing *f, const struct actor *who,
                                             int64_t firm_id, bool submit, const char *idem_key,
                                             const uint8_t *body_hash, void (*done)(void *ctx),
                                             void *ctx)
{
    struct case_file_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->tx = (struct file_tx){f, who, firm_id, submit, idem_key, 0, false, false, {0}, false};
    if (body_hash)
        memcpy(j->tx.body_hash, body_hash, 32);
    j->done = done;
    j->ctx = ctx;
    j->job.fn = file_job_run;
    j->job.arg = &j->tx;
    j->job.done = file_job_done;
    committer_submit(&j->job);
    return j;
}

enum st store_case_file_finish(struct case_file_job *j, int64_t *case_id, bool *replayed)
{
    enum st r = j->job.result;
    *case_id = j->tx.case_id;
    *replayed = j->tx.replayed;
    if (r == ST_CONFLICT && j->tx.mismatch)
        *case_id = -1; /* the key was used for another request */
    free(j);
    return r;
}

enum st store_case_file(const struct filing *f, const struct actor *who, int64_t firm_id,
                        bool submit, const char *idem_key, int64_t *case_id, bool *replayed)
{
    struct file_tx t = {f, who, firm_id, submit, idem_key, 0, false, false, {0}, false};
    enum st r = db_tx(file_tx, &t);
    *case_id = t.case_id;
    *replayed = t.replayed;
    return r;
}

struct update_tx {
    int64_t id;
    int version;
    const struct filing *f;
    const struct actor *who;
    bool submit;
};

static enum st update_tx(struct db *db, void *arg)
{
    struct update_tx *t = arg;
    const struct filing *f = t->f;
    sqlite3_stmt *q = db_stmt(db, "SELECT c.status, c.version, c.center_id, n.code, c.type "
                                  "FROM cases c JOIN centers n ON n.id = c.center_id "
                                  "WHERE c.id = ?");
    if (!q)
        return ST_ERROR;
    sqlite3_bind_int64(q, 1, t->id);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return ST_NONE;
    }
    bool draft = strcmp((const char *)sqlite3_column_text(q, 0), "draft") == 0;
    int version = sqlite3_column_int(q, 1);
    int64_t center_id = sqlite3_column_int64(q, 2);
    char center_code[17];
    db_col_copy(q, 3, center_code, sizeof center_code);
    sqlite3_reset(q);
    if (!draft || (t->version && t->version != version))
        return ST_CONFLICT;
    if (f->center) { /* a draft may move to another center before it is filed */
        sqlite3_stmt *c = db_stmt(db, "SELECT id, code FROM centers WHERE code = ?");
        if (!c)
            return ST_ERROR;
        db_bind_text(c, 1, f->center);
        if (sqlite3_step(c) != SQLITE_ROW) {
            sqlite3_reset(c);
            return ST_NONE;
        }
        center_id = sqlite3_column_int64(c, 0);
        db_col_copy(c, 1, center_code, sizeof center_code);
        sqlite3_reset(c);
    }
    struct sealer s;
    enum st r = sealer_load(db, t->id, &s);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *u = db_stmt(db, "UPDATE cases SET center_id = ?, type = ?, subtype = ?, "
                                  "title = ?, summary = ?, request = ?, script = ?, "
                                  "consent_mediation = ?, consent_eservice = ?, "
                                  "updated_at = unixepoch(), version = version + 1 WHERE id = ?");
    if (!u) {
        sealer_wipe(&s);
        return ST_ERROR;
    }
    sqlite3_bind_int64(u, 1, center_id);
    db_bind_text(u, 2, case_type_name(f->type));
    db_bind_text(u, 3, f->subtype);
    r = bind_case_text(&s, u, 4, "", f);
    db_bind_text(u, 7, f->script);
    sqlite3_bind_int(u, 8, f->consent_mediation);
    sqlite3_bind_int(u, 9, f->consent_eservice);
    sqlite3_bind_int64(u, 10, t->id);
    if (r == ST_OK)
        r = db_exec_stmt(db, u, "draft_update");
    else
        sqlite3_reset(u);
    if (r == ST_OK)
        r = write_content(db, &s, t->id, f);
    if (r == ST_OK)
        r = audit_append(db, t->who, "update_draft", "case", t->id, "ok", "");
    if (r == ST_OK && t->submit)
        r = submit_case(db, &s, t->id, center_id, center_code, f->type, t->who);
    if (r == ST_OK)
        r = search_reindex(db, &s, t->id);
    if (r == ST_OK)
        r = access_rebuild(db, t->id);
    sealer_wipe(&s);
    return r;
}

enum st store_case_update_draft(int64_t case_id, int expected_version, const struct filing *f,
                                const struct actor *who, bool submit)
{
    struct update_tx t = {case_id, expected_version, f, who, submit};
    return db_tx(update_tx, &t);
}

struct submit_tx {
    int64_t id;
    const struct actor *who;
};

static enum st submit_tx(struct db *db, void *arg)
{
    struct submit_tx *t = arg;
    sqlite3_stmt *q = db_stmt(db, "SELECT c.center_id, n.code, c.type FROM cases c JOIN centers n "
                                  "ON n.id = c.center_id WHERE c.id = ?");
    if (!q)
        return ST_ERROR;
    sqlite3_bind_int64(q, 1, t->id);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return ST_NONE;
    }
    int64_t center_id = sqlite3_column_int64(q, 0);
    char code[17];
    db_col_copy(q, 1, code, sizeof code);
    enum case_type type = case_type_parse((const char *)sqlite3_column_text(q, 2));
    sqlite3_reset(q);
    struct sealer s;
    enum st r = sealer_load(db, t->id, &s);
    if (r == ST_OK)
        r = submit_case(db, &s, t->id, center_id, code, type, t->who);
    if (r == ST_OK)
        r = search_reindex(db, &s, t->id);
    sealer_wipe(&s);
    return r;
}

enum st store_case_submit(int64_t case_id, const struct actor *who)
{
    struct submit_tx t = {case_id, who};
    return db_tx(submit_tx, &t);
}

/* ---- reading ---- */

#define SUMMARY_COLS                                                                               \
    "c.id, c.number, n.code, c.type, c.subtype, c.status, c.script, c.title, c.created_at, "      \
    "c.updated_at, c.submitted_at, c.respondent_due, c.mediation_due, c.center_id, c.version"

static void summary_from_row(sqlite3_stmt *st, struct sealer *s, struct case_summary *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    db_col_copy(st, 1, out->number, sizeof out->number);
    db_col_copy(st, 2, out->center, sizeof out->center);
    db_col_copy(st, 3, out->type, sizeof out->type);
    db_col_copy(st, 4, out->subtype, sizeof out->subtype);
    db_col_copy(st, 5, out->status, sizeof out->status);
    db_col_copy(st, 6, out->script, sizeof out->script);
    out->title = seal_open(s, st, 7, "cases.title", "");
    out->created_at = sqlite3_column_int64(st, 8);
    out->updated_at = sqlite3_column_int64(st, 9);
    out->submitted_at = sqlite3_column_int64(st, 10);
    db_col_copy(st, 11, out->respondent_due, sizeof out->respondent_due);
    db_col_copy(st, 12, out->mediation_due, sizeof out->mediation_due);
    out->center_id = sqlite3_column_int64(st, 13);
    out->version = sqlite3_column_int(st, 14);
}

/* Appends one zeroed element of `size` bytes to the array *arr holding *n
 * elements; returns it, or NULL (array untouched) when memory runs out, so a
 * record is never handed back with rows silently missing. */
static void *append_zeroed(void **arr, int *n, size_t size)
{
    char *grown = realloc(*arr, (size_t)(*n + 1) * size);
    if (!grown)
        return NULL;
    *arr = grown;
    void *slot = grown + (size_t)(*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

/* Ends a row loop: resets the statement and maps its last step to a status. */
static enum st rows_done(struct db *db, sqlite3_stmt *st, int rc, const char *what)
{
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return ST_OK;
    return rc == SQLITE_ROW ? ST_ERROR : db_status(db, rc, what);
}

static enum st load_parties(struct db *db, struct sealer *s, struct case_record *r)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT p.id, p.side, p.position, p.kind, p.name, p.name_latin, "
                                   "p.id_type, p.id_number, p.phone, p.email, p.address, "
                                   "p.residence, p.language, p.spoken, p.user_id, p.lawyer_id, "
                                   "u.username FROM parties p LEFT JOIN users u ON u.id = "
                                   "p.lawyer_id WHERE p.case_id = ? ORDER BY p.side, p.position");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, r->s.id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct case_party *p = append_zeroed((void **)&r->parties, &r->nparties, sizeof *p);
        if (!p)
            break;
        p->id = sqlite3_column_int64(st, 0);
        db_col_copy(st, 1, p->side, sizeof p->side);
        p->position = sqlite3_column_int(st, 2);
        db_col_copy(st, 3, p->kind, sizeof p->kind);
        char row[16];
        party_row(p->side, p->position, row, sizeof row);
        p->name = seal_open(s, st, 4, "parties.name", row);
        p->name_latin = seal_open(s, st, 5, "parties.name_latin", row);
        db_col_copy(st, 6, p->id_type, sizeof p->id_type);
        p->id_number = seal_open(s, st, 7, "parties.id_number", row);
        p->phone = seal_open(s, st, 8, "parties.phone", row);
        p->email = seal_open(s, st, 9, "parties.email", row);
        p->address = seal_open(s, st, 10, "parties.address", row);
        db_col_copy(st, 11, p->residence, sizeof p->residence);
        db_col_copy(st, 12, p->language, sizeof p->language);
        db_col_copy(st, 13, p->spoken, sizeof p->spoken);
        p->user_id = sqlite3_column_int64(st, 14);
        p->lawyer_id = sqlite3_column_int64(st, 15);
        db_col_copy(st, 16, p->lawyer_username, sizeof p->lawyer_username);
    }
    return rows_done(db, st, rc, "parties");
}

static enum st load_rest(struct db *db, struct sealer *s, struct case_record *r)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT position, description, amount_minor, currency "
                                   "FROM claims WHERE case_id = ? ORDER BY position");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, r->s.id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct case_claim *c = append_zeroed((void **)&r->claims, &r->nclaims, sizeof *c);
        if (!c)
            break;
        char row[16];
        snprintf(row, sizeof row, "c%d", sqlite3_column_int(st, 0));
        c->description = sqlite3_column_bytes(st, 1) ? seal_open(s, st, 1, "claims.description",
                                                                 row)
                                                      : NULL;
        c->has_amount = sqlite3_column_type(st, 2) != SQLITE_NULL;
        c->amount_minor = sqlite3_column_int64(st, 2);
        db_col_copy(st, 3, c->currency, sizeof c->currency);
    }
    enum st done = rows_done(db, st, rc, "claims");
    if (done != ST_OK)
        return done;

    st = db_stmt(db, "SELECT channel, value FROM service_addresses WHERE case_id = ? ORDER BY id");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, r->s.id);
    for (int i = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
        struct case_address *a = append_zeroed((void **)&r->addresses, &r->naddresses,
                                               sizeof *a);
        if (!a)
            break;
        db_col_copy(st, 0, a->channel, sizeof a->channel);
        char row[16];
        snprintf(row, sizeof row, "s%d", i);
        a->value = seal_open(s, st, 1, "service_addresses.value", row);
    }
    done = rows_done(db, st, rc, "service_addresses");
    if (done != ST_OK)
        return done;

    st = db_stmt(db, "SELECT id, title, kind, visibility, media_type, size, uploaded_by, "
                     "created_at, sha256, side FROM documents WHERE case_id = ? ORDER BY id");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, r->s.id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct case_doc *d = append_zeroed((void **)&r->docs, &r->ndocs, sizeof *d);
        if (!d)
            break;
        d->id = sqlite3_column_int64(st, 0);
        char row[24];
        snprintf(row, sizeof row, "d%lld", (long long)d->id);
        d->title = seal_open(s, st, 1, "documents.title", row);
        db_col_copy(st, 2, d->kind, sizeof d->kind);
        db_col_copy(st, 3, d->visibility, sizeof d->visibility);
        db_col_copy(st, 4, d->media_type, sizeof d->media_type);
        d->size = sqlite3_column_int64(st, 5);
        d->uploaded_by = sqlite3_column_int64(st, 6);
        d->created_at = sqlite3_column_int64(st, 7);
        if (sqlite3_column_bytes(st, 8) == 32)
            memcpy(d->sha256, sqlite3_column_blob(st, 8), 32);
        db_col_copy(st, 9, d->side, sizeof d->side);
    }
    done = rows_done(db, st, rc, "documents");
    if (done != ST_OK)
        return done;

    st = db_stmt(db, "SELECT e.id, e.ts, e.actor_id, e.actor_role, e.event, e.from_state, "
                     "e.to_state, e.reason, u.username FROM case_events e LEFT JOIN users u "
                     "ON u.id = e.actor_id WHERE e.case_id = ? ORDER BY e.id");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, r->s.id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct case_timeline_entry *e = append_zeroed((void **)&r->events, &r->nevents,
                                                      sizeof *e);
        if (!e)
            break;
        e->id = sqlite3_column_int64(st, 0);
        e->ts = sqlite3_column_int64(st, 1);
        e->actor_id = sqlite3_column_int64(st, 2);
        db_col_copy(st, 3, e->actor_role, sizeof e->actor_role);
        db_col_copy(st, 4, e->event, sizeof e->event);
        db_col_copy(st, 5, e->from_state, sizeof e->from_state);
        db_col_copy(st, 6, e->to_state, sizeof e->to_state);
        char row[24];
        snprintf(row, sizeof row, "e%lld", (long long)e->id);
        e->reason = seal_open(s, st, 7, "case_events.reason", row);
        db_col_copy(st, 8, e->actor_username, sizeof e->actor_username);
    }
    return rows_done(db, st, rc, "case_events");
}

enum st store_case_get(int64_t case_id, struct case_record *out)
{
    memset(out, 0, sizeof *out);
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    struct sealer s;
    enum st r = sealer_load(db, case_id, &s);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *st = db_stmt(db, "SELECT " SUMMARY_COLS ", c.summary, c.request, c.filed_by, "
                                   "c.firm_id, c.consent_mediation, c.consent_eservice "
                                   "FROM cases c JOIN centers n ON n.id = c.center_id "
                                   "WHERE c.id = ?");
    if (!st) {
        sealer_wipe(&s);
        return ST_ERROR;
    }
    sqlite3_bind_int64(st, 1, case_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        sealer_wipe(&s);
        return rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "case");
    }
    summary_from_row(st, &s, &out->s);
    out->summary = seal_open(&s, st, 15, "cases.summary", "");
    out->request = seal_open(&s, st, 16, "cases.request", "");
    out->filed_by = sqlite3_column_int64(st, 17);
    out->firm_id = sqlite3_column_int64(st, 18);
    out->consent_mediation = sqlite3_column_int(st, 19);
    out->consent_eservice = sqlite3_column_int(st, 20);
    out->erased = s.erased;
    sqlite3_reset(st);
    r = load_parties(db, &s, out);
    if (r == ST_OK)
        r = load_rest(db, &s, out);
    sealer_wipe(&s);
    if (r != ST_OK)
        case_record_free(out);
    return r;
}

enum st store_case_access(int64_t case_id, const struct principal *p, struct resource *r)
{
    memset(r, 0, sizeof *r);
    r->is_case = true;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT c.center_id, c.status = 'draft', c.filed_by = ?2, "
            "EXISTS (SELECT 1 FROM parties WHERE case_id = c.id AND side = 'applicant' "
            "        AND (user_id = ?2 OR lawyer_id = ?2)), "
            "EXISTS (SELECT 1 FROM parties WHERE case_id = c.id AND side = 'respondent' "
            "        AND (user_id = ?2 OR lawyer_id = ?2)), "
            "?3 > 0 AND (SELECT share_matters FROM firms WHERE id = ?3) = 1 AND ("
            "  c.firm_id = ?3 OR EXISTS (SELECT 1 FROM parties pp JOIN users lu "
            "  ON lu.id = pp.lawyer_id WHERE pp.case_id = c.id AND pp.side = 'applicant' "
            "  AND lu.firm_id = ?3)), "
            "?3 > 0 AND (SELECT share_matters FROM firms WHERE id = ?3) = 1 AND "
            "  EXISTS (SELECT 1 FROM parties pp JOIN users lu "
            "  ON lu.id = pp.lawyer_id WHERE pp.case_id = c.id AND pp.side = 'respondent' "
            "  AND lu.firm_id = ?3), "
            "c.status IN ('draft', 'submitted', 'screening', 'more_info_requested', 'accepted', "
            "  'respondent_invited', 'respondent_agreed', 'mediator_assigned', 'in_mediation'), "
            "EXISTS (SELECT 1 FROM case_mediators WHERE case_id = c.id AND user_id = ?2 "
            "  AND ended_at IS NULL), c.version "
            "FROM cases c WHERE c.id = ?1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, p->user_id);
    sqlite3_bind_int64(st, 3, p->role == ROLE_LAWYER ? p->firm_id : 0);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->center_id = sqlite3_column_int64(st, 0);
        r->draft = sqlite3_column_int(st, 1);
        r->filer = sqlite3_column_int(st, 2);
        r->applicant = sqlite3_column_int(st, 3);
        r->respondent = sqlite3_column_int(st, 4);
        r->firm_applicant = sqlite3_column_int(st, 5);
        r->firm_respondent = sqlite3_column_int(st, 6);
        r->firm_matter = r->firm_applicant || r->firm_respondent;
        r->open = sqlite3_column_int(st, 7);
        r->mediator = sqlite3_column_int(st, 8);
        r->version = sqlite3_column_int64(st, 9);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? ST_OK : rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "access");
}

/* One statement per scope, each one index range newest first. Each takes ?1 user, ?2 the subject
 * whose cases are listed ('u:<user>' or, for a lawyer of a sharing firm, 'f:<firm>'), ?3 status,
 * ?4 type, ?5 center, ?6 cursor (0: none), ?7 limit; searches add ?8, the MATCH expression, and
 * are ranked best first with the cursor an offset into the ranking. */
#define LIST_FILTERS                                                                               \
    " AND (?3 IS NULL OR c.status = ?3) AND (?4 IS NULL OR c.type = ?4)"                           \
    " AND (?5 IS NULL OR n.code = ?5) AND (?9 IS NULL OR c.number = upper(?9))"
#define BY_SUBJECT                                                                                 \
    "SELECT " SUMMARY_COLS " FROM case_access a JOIN cases c ON c.id = a.case_id "                \
    "JOIN centers n ON n.id = c.center_id WHERE a.subject = ?2 "                                   \
    "AND (c.status <> 'draft' OR c.filed_by = ?1)"
#define BY_CENTERS                                                                                 \
    "SELECT " SUMMARY_COLS " FROM cases c JOIN centers n ON n.id = c.center_id "                  \
    "WHERE c.center_id IN (SELECT center_id FROM user_centers WHERE user_id = ?1) "               \
    "AND c.status <> 'draft'"
static const char *const list_sql[] = {
    [SCOPE_OWN] = BY_SUBJECT LIST_FILTERS
    " AND (?6 = 0 OR a.case_id < ?6) ORDER BY a.case_id DESC LIMIT ?7",
    [SCOPE_LAWYER] = BY_SUBJECT LIST_FILTERS
    " AND (?6 = 0 OR a.case_id < ?6) ORDER BY a.case_id DESC LIMIT ?7",
    [SCOPE_MEDIATOR] = BY_SUBJECT LIST_FILTERS
    " AND (?6 = 0 OR a.case_id < ?6) ORDER BY a.case_id DESC LIMIT ?7",
    [SCOPE_CENTERS] = BY_CENTERS LIST_FILTERS
    " AND (?6 = 0 OR c.id < ?6) ORDER BY c.id DESC LIMIT ?7",
};
/* Searches: the caller's subject is in the index, so the match and the access rule are one
 * intersection, ranked by FTS5 itself; ?8 is that expression (search_scope_expr). */
#define SEARCH_FROM                                                                                \
    "SELECT " SUMMARY_COLS " FROM (SELECT rowid AS id, rank FROM case_search WHERE "            \
    "case_search MATCH ?8 ORDER BY rank LIMIT ?7 OFFSET ?6) s JOIN cases c ON c.id = s.id "      \
    "JOIN centers n ON n.id = c.center_id WHERE 1"
#define RANKED " ORDER BY s.rank, c.id DESC"
static const char *const search_sql[] = {
    [SCOPE_OWN] = SEARCH_FROM LIST_FILTERS RANKED,
    [SCOPE_LAWYER] = SEARCH_FROM LIST_FILTERS RANKED,
    [SCOPE_MEDIATOR] = SEARCH_FROM LIST_FILTERS RANKED,
    [SCOPE_CENTERS] = SEARCH_FROM LIST_FILTERS RANKED,
};
/* A broad query (more than BROAD_MATCHES cases) is ordered newest first, which FTS5 walks without
 * scoring every match; a selective one by relevance (bm25). */
#define BROAD_MATCHES 300
#define SEARCH_BROAD                                                                               \
    "SELECT " SUMMARY_COLS " FROM (SELECT rowid AS id, 0 AS rank FROM case_search WHERE "       \
    "case_search MATCH ?8 ORDER BY rowid DESC LIMIT ?7 OFFSET ?6) s JOIN cases c ON c.id = s.id "\
    "JOIN centers n ON n.id = c.center_id WHERE 1"
static const char *const search_sql_broad = SEARCH_BROAD LIST_FILTERS " ORDER BY c.id DESC";
static const char *const count_sql =
    "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE case_search MATCH ? LIMIT 301)";

/* With filters on top of the text, the page is cut after filtering (slower, exact). */
static const char *const search_sql_filtered =
    "SELECT " SUMMARY_COLS " FROM (SELECT rowid AS id, rank FROM case_search WHERE "
    "case_search MATCH ?8) s JOIN cases c ON c.id = s.id JOIN centers n ON n.id = c.center_id "
    "WHERE 1" LIST_FILTERS " ORDER BY s.rank, c.id DESC LIMIT ?7 OFFSET ?6";

enum st store_cases_list(const struct principal *p, enum case_scope scope,
                         const struct case_filter *f, int64_t cursor, int limit,
                         struct case_summary *out, int *n)
{
    *n = 0;
    if (scope != SCOPE_OWN && scope != SCOPE_LAWYER && scope != SCOPE_CENTERS &&
        scope != SCOPE_MEDIATOR)
        return ST_OK; /* nothing to see */
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    int64_t firm = 0;
    if (scope == SCOPE_LAWYER && p->firm_id) {
        sqlite3_stmt *fs = db_stmt(db, "SELECT share_matters FROM firms WHERE id = ?");
        if (!fs)
            return ST_ERROR;
        sqlite3_bind_int64(fs, 1, p->firm_id);
        if (sqlite3_step(fs) == SQLITE_ROW && sqlite3_column_int(fs, 0))
            firm = p->firm_id;
        sqlite3_reset(fs);
    }
    /* whose cases: a lawyer of a sharing firm sees the firm's matters (their own among them);
     * an officer their center's (one center each); everyone else their own */
    char subject[32];
    if (firm)
        snprintf(subject, sizeof subject, "f:%lld", (long long)firm);
    else if (scope == SCOPE_CENTERS && p->ncenters > 0)
        snprintf(subject, sizeof subject, "c:%lld", (long long)p->center_ids[0]);
    else
        snprintf(subject, sizeof subject, "u:%lld", (long long)p->user_id);
    char *match = NULL;
    if (f->q) {
        match = search_scope_expr(f->q, subject);
        if (!match)
            return ST_OK; /* a query with no terms finds nothing */
    }
    bool filtered = f->status || f->type || f->center || f->number;
    bool broad = false;
    if (match && !filtered) {
        sqlite3_stmt *cnt = db_stmt(db, count_sql);
        if (cnt) {
            sqlite3_bind_text(cnt, 1, match, -1, SQLITE_STATIC);
            broad = sqlite3_step(cnt) == SQLITE_ROW && sqlite3_column_int(cnt, 0) > BROAD_MATCHES;
            sqlite3_reset(cnt);
        }
    }
    const char *sql = !match      ? list_sql[scope]
                      : filtered ? search_sql_filtered
                      : broad    ? search_sql_broad
                                 : search_sql[scope];
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st) {
        free(match);
        return ST_ERROR;
    }
    if (match)
        sqlite3_bind_text(st, 8, match, -1, free);
    if (scope == SCOPE_CENTERS) /* the list itself takes the officer's id */
        snprintf(subject, sizeof subject, "u:%lld", (long long)p->user_id);
    sqlite3_bind_int64(st, 1, p->user_id);
    db_bind_text(st, 2, subject);
    db_bind_text(st, 3, f->status);
    db_bind_text(st, 4, f->type);
    db_bind_text(st, 5, f->center);
    db_bind_text(st, 9, f->number);
    sqlite3_bind_int64(st, 6, cursor);
    sqlite3_bind_int(st, 7, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < limit) {
        struct sealer s;
        int64_t id = sqlite3_column_int64(st, 0);
        if (sealer_load(db, id, &s) != ST_OK)
            memset(&s, 0, sizeof s); /* the title reads as absent; logged by sealer_load */
        summary_from_row(st, &s, &out[(*n)++]);
        sealer_wipe(&s);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        for (int i = 0; i < *n; i++)
            case_summary_free(&out[i]);
        *n = 0;
        return db_status(db, rc, "cases_list");
    }
    return ST_OK;
}

struct transition_tx {
    int64_t id;
    const char *from, *to, *event, *reason;
    const struct actor *who;
    const struct case_transition_set *set;
};

static enum st transition_tx(struct db *db, void *arg)
{
    struct transition_tx *t = arg;
    sqlite3_stmt *u = db_stmt(db, "UPDATE cases SET status = ?1, updated_at = unixepoch(), "
                                  "version = version + 1, "
                                  "accepted_at = CASE WHEN ?2 THEN unixepoch() ELSE accepted_at END, "
                                  "respondent_due = coalesce(?3, respondent_due), "
                                  "mediation_due = coalesce(?4, mediation_due) "
                                  "WHERE id = ?5 AND status = ?6");
    if (!u)
        return ST_ERROR;
    db_bind_text(u, 1, t->to);
    sqlite3_bind_int(u, 2, t->set && t->set->set_accepted_at);
    db_bind_text(u, 3, t->set ? t->set->respondent_due : NULL);
    db_bind_text(u, 4, t->set ? t->set->mediation_due : NULL);
    sqlite3_bind_int64(u, 5, t->id);
    db_bind_text(u, 6, t->from);
    enum st r = db_exec_stmt(db, u, "transition");
    if (r != ST_OK)
        return r;
    if (sqlite3_changes(db_handle(db)) != 1)
        return ST_CONFLICT;
    struct sealer s;
    if ((r = sealer_load(db, t->id, &s)) != ST_OK)
        return r;
    r = add_event(db, &s, t->id, t->who, t->event, t->from, t->to, t->reason);
    sealer_wipe(&s);
    return r;
}

enum st store_case_transition(int64_t case_id, const char *from, const char *to, const char *event,
                              const struct actor *who, const char *reason,
                              const struct case_transition_set *set)
{
    struct transition_tx t = {case_id, from, to, event, reason, who, set};
    return db_tx(transition_tx, &t);
}
