/* mediators.c: SQL for mediators' profiles, proposals' inputs, assignments and recusals. */
#include "store/mediators.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/case_state.h"
#include "store/access.h"
#include "store/arena.h"
#include "store/audit_log.h"
#include "store/db.h"
#include "store/roster.h"
#include "store/seal.h"

/* ---- profiles ---- */

#define MEDIATOR_COLS                                                                              \
    "u.id, coalesce(p.case_types, ''), coalesce(p.subtypes, ''), coalesce(p.spoken, ''), "        \
    "coalesce(p.capacity, 0), coalesce(p.weekly_minutes, '0,0,0,0,0,0,0'), "                       \
    "coalesce(p.last_assigned_at, 0), p.user_id IS NOT NULL, "                                     \
    "(SELECT count(*) FROM case_mediators m JOIN cases c ON c.id = m.case_id "                     \
    " WHERE m.user_id = u.id AND m.ended_at IS NULL AND c.status IN ('respondent_agreed', "      \
    " 'mediator_assigned', 'in_mediation'))"

static enum st load_quals(struct db *db, struct mediator_info *m)
{
    sqlite3_stmt *q = db_stmt(db, "SELECT id, jurisdiction, body, number, valid_from, "
                                  "coalesce(valid_to, '') FROM mediator_qualifications "
                                  "WHERE user_id = ? ORDER BY valid_from, id");
    if (!q)
        return ST_ERROR;
    sqlite3_bind_int64(q, 1, m->user.id);
    m->nquals = 0;
    while (m->nquals < MATCH_MAX_QUALIFICATIONS && sqlite3_step(q) == SQLITE_ROW) {
        struct mediator_qual_row *r = &m->quals[m->nquals++];
        r->id = sqlite3_column_int64(q, 0);
        db_col_copy(q, 1, r->jurisdiction, sizeof r->jurisdiction);
        db_col_copy(q, 2, r->body, sizeof r->body);
        db_col_copy(q, 3, r->number, sizeof r->number);
        db_col_copy(q, 4, r->valid_from, sizeof r->valid_from);
        db_col_copy(q, 5, r->valid_to, sizeof r->valid_to);
    }
    sqlite3_reset(q);
    return ST_OK;
}

static void info_from_row(sqlite3_stmt *s, struct mediator_info *m)
{
    db_col_copy(s, 1, m->case_types, sizeof m->case_types);
    db_col_copy(s, 2, m->subtypes, sizeof m->subtypes);
    db_col_copy(s, 3, m->spoken, sizeof m->spoken);
    m->capacity = sqlite3_column_int(s, 4);
    profile_weekly((const char *)sqlite3_column_text(s, 5), m->weekly_minutes);
    m->last_assigned_at = sqlite3_column_int64(s, 6);
    m->has_profile = sqlite3_column_int(s, 7);
    m->open_cases = sqlite3_column_int(s, 8);
}

enum st store_mediator_get(const char *username, struct mediator_info *out)
{
    memset(out, 0, sizeof *out);
    char hash[8];
    enum st r = store_user_by_username(username, &out->user, hash, sizeof hash);
    if (r != ST_OK)
        return r;
    if (out->user.role != ROLE_MEDIATOR)
        return ST_NONE;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT " MEDIATOR_COLS " FROM users u LEFT JOIN "
                                  "mediator_profiles p ON p.user_id = u.id WHERE u.id = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, out->user.id);
    if (sqlite3_step(s) == SQLITE_ROW)
        info_from_row(s, out);
    sqlite3_reset(s);
    return load_quals(db, out);
}

enum st store_mediators_list(int64_t center_id, struct mediator_info *out, int cap, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT u.username FROM users u WHERE u.role = 'mediator' "
                                  "AND u.status = 'active' AND (?1 = 0 OR u.id IN (SELECT "
                                  "user_id FROM user_centers WHERE center_id = ?1)) "
                                  "ORDER BY u.username LIMIT ?2");
    if (!s)
        return ST_ERROR;
    /* the names first: loading each profile uses statements of its own */
    char(*names)[33] = calloc((size_t)(cap > 0 ? cap : 1), sizeof *names);
    if (!names)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, center_id);
    sqlite3_bind_int(s, 2, cap);
    int k = 0;
    while (k < cap && sqlite3_step(s) == SQLITE_ROW)
        db_col_copy(s, 0, names[k++], sizeof names[0]);
    sqlite3_reset(s);
    enum st r = ST_OK;
    for (int i = 0; i < k && r == ST_OK; i++) {
        r = store_mediator_get(names[i], &out[*n]);
        if (r == ST_OK)
            (*n)++;
        else if (r == ST_NONE)
            r = ST_OK;
    }
    free(names);
    return r;
}

struct profile_tx {
    int64_t user_id;
    const struct mediator_profile_in *in;
    const struct actor *who;
};

static enum st profile_tx(struct db *db, void *arg)
{
    struct profile_tx *t = arg;
    struct user u;
    if (store_user_get(t->user_id, &u) != ST_OK)
        return ST_NONE;
    char weekly[64] = "";
    if (t->in->set_weekly)
        snprintf(weekly, sizeof weekly, "%d,%d,%d,%d,%d,%d,%d", t->in->weekly_minutes[0],
                 t->in->weekly_minutes[1], t->in->weekly_minutes[2], t->in->weekly_minutes[3],
                 t->in->weekly_minutes[4], t->in->weekly_minutes[5], t->in->weekly_minutes[6]);
    sqlite3_stmt *s = db_stmt(
        db, "INSERT INTO mediator_profiles(user_id, case_types, subtypes, spoken, capacity, "
            "weekly_minutes, name_key, updated_at) VALUES (?1, coalesce(?2, ''), coalesce(?3, ''), "
            "coalesce(?4, ''), coalesce(?5, 10), coalesce(?6, '0,0,0,0,0,0,0'), ?7, unixepoch()) "
            "ON CONFLICT(user_id) DO UPDATE SET case_types = coalesce(?2, case_types), "
            "subtypes = coalesce(?3, subtypes), spoken = coalesce(?4, spoken), "
            "capacity = coalesce(?5, capacity), weekly_minutes = coalesce(?6, weekly_minutes), "
            "name_key = ?7, updated_at = unixepoch()");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, t->user_id);
    db_bind_text(s, 2, t->in->case_types);
    db_bind_text(s, 3, t->in->subtypes);
    db_bind_text(s, 4, t->in->spoken);
    if (t->in->capacity >= 0)
        sqlite3_bind_int(s, 5, t->in->capacity);
    db_bind_text(s, 6, t->in->set_weekly ? weekly : NULL);
    /* the mediator's own name: a party of the same name is a conflict (SELF) */
    char name[401];
    snprintf(name, sizeof name, "%s", u.display_name);
    char *paren = strstr(name, " (");
    if (paren)
        *paren = 0;
    name_key_bind(s, 7, name);
    enum st r = db_exec_stmt(db, s, "mediator_profile");
    if (r == ST_OK)
        r = audit_append(db, t->who, "mediator_profile", "user", t->user_id, "ok", "");
    return r;
}

enum st store_mediator_profile_put(int64_t user_id, const struct mediator_profile_in *in,
                                   const struct actor *who)
{
    struct profile_tx t = {user_id, in, who};
    return db_tx(profile_tx, &t);
}

enum st store_mediator_qualification_add(int64_t user_id, const struct mediator_qual_row *q,
                                         const struct actor *who, int64_t *id)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO mediator_qualifications(user_id, jurisdiction, "
                                  "body, number, valid_from, valid_to) VALUES (?,?,?,?,?,?)");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, user_id);
    db_bind_text(s, 2, q->jurisdiction);
    db_bind_text(s, 3, q->body);
    db_bind_text(s, 4, q->number);
    db_bind_text(s, 5, q->valid_from);
    db_bind_text(s, 6, q->valid_to[0] ? q->valid_to : NULL);
    enum st r = db_exec_stmt(db, s, "qualification");
    if (r == ST_OK) {
        *id = sqlite3_last_insert_rowid(db_handle(db));
        store_audit(who, "mediator_qualification", "user", user_id, "ok", q->jurisdiction);
    }
    return r;
}

enum st store_mediator_availability_set(int64_t user_id, const char *day, int minutes,
                                        const struct actor *who)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "INSERT OR REPLACE INTO mediator_availability(user_id, day, "
                                  "minutes) VALUES (?,?,?)");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, user_id);
    db_bind_text(s, 2, day);
    sqlite3_bind_int(s, 3, minutes);
    enum st r = db_exec_stmt(db, s, "availability");
    if (r == ST_OK)
        store_audit(who, "mediator_availability", "user", user_id, "ok", day);
    return r;
}

enum st store_mediator_availability_list(int64_t user_id, const char *from,
                                         struct availability_row *out, int cap, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT day, minutes FROM mediator_availability WHERE "
                                  "user_id = ? AND day >= ? ORDER BY day LIMIT ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, user_id);
    db_bind_text(s, 2, from);
    sqlite3_bind_int(s, 3, cap);
    while (*n < cap && sqlite3_step(s) == SQLITE_ROW) {
        db_col_copy(s, 0, out[*n].day, sizeof out[*n].day);
        out[*n].minutes = sqlite3_column_int(s, 1);
        (*n)++;
    }
    sqlite3_reset(s);
    return ST_OK;
}

/* The first character of a name, then an ellipsis: enough for its declarer to recognise it. */
static void hint_of(const char *name, char out[9])
{
    size_t n = 1;
    unsigned char c = (unsigned char)name[0];
    if (c >= 0xF0)
        n = 4;
    else if (c >= 0xE0)
        n = 3;
    else if (c >= 0xC0)
        n = 2;
    if (strlen(name) < n)
        n = strlen(name);
    memcpy(out, name, n);
    memcpy(out + n, "\xe2\x80\xa6", 3);
    out[n + 3] = 0;
}

enum st store_mediator_relationship_add(int64_t user_id, const char *subject_kind,
                                        const char *relation, const char *name,
                                        const char *id_type, const char *id_number,
                                        const char *since, const struct actor *who, int64_t *id)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO mediator_relationships(user_id, subject_kind, "
                                  "relation, name_key, id_key, hint, since, created_at) "
                                  "VALUES (?,?,?,?,?,?,?,unixepoch())");
    if (!s)
        return ST_ERROR;
    char hint[9] = "", kind[40];
    if (name && *name)
        hint_of(name, hint);
    snprintf(kind, sizeof kind, "id:%s", id_type ? id_type : "");
    sqlite3_bind_int64(s, 1, user_id);
    db_bind_text(s, 2, subject_kind);
    db_bind_text(s, 3, relation);
    int rc = name_key_bind(s, 4, name);
    rc |= blind_bind(s, 5, kind, id_type ? id_number : NULL);
    db_bind_text(s, 6, hint);
    db_bind_text(s, 7, since);
    if (rc != SQLITE_OK) {
        sqlite3_reset(s);
        return ST_ERROR;
    }
    enum st r = db_exec_stmt(db, s, "relationship");
    if (r == ST_OK) {
        *id = sqlite3_last_insert_rowid(db_handle(db));
        store_audit(who, "mediator_relationship", "user", user_id, "ok", relation);
    }
    return r;
}

enum st store_mediator_relationships(int64_t user_id, struct mediator_rel_row *out, int cap,
                                     int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT id, subject_kind, relation, hint, coalesce(since, '') "
                                  "FROM mediator_relationships WHERE user_id = ? ORDER BY id");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, user_id);
    while (*n < cap && sqlite3_step(s) == SQLITE_ROW) {
        struct mediator_rel_row *r = &out[(*n)++];
        r->id = sqlite3_column_int64(s, 0);
        db_col_copy(s, 1, r->subject_kind, sizeof r->subject_kind);
        db_col_copy(s, 2, r->relation, sizeof r->relation);
        db_col_copy(s, 3, r->hint, sizeof r->hint);
        db_col_copy(s, 4, r->since, sizeof r->since);
    }
    sqlite3_reset(s);
    return ST_OK;
}

/* ---- the inputs of a proposal ---- */

void match_data_free(struct match_data *d)
{
    arena_clear(d->arena);
    free(d->arena);
    free(d->m);
    roster_release(d->roster);
    d->arena = NULL;
    d->m = NULL;
    d->roster = NULL;
}

static void add_key(struct match_data *d, const void *blob, int len, enum match_key_kind kind,
                    enum match_subject_kind sk, enum party_side side, int pos)
{
    if (len != 16 || d->c.nkeys >= MATCH_MAX_CASE_KEYS)
        return;
    struct match_case_key *k = &d->keys[d->c.nkeys++];
    memcpy(k->key, blob, 16);
    k->kind = kind;
    k->who = (struct match_subject){sk, side, pos};
}

/* The case: its center, type, parties (languages, residences) and everyone's keys. */
static enum st load_case(struct db *db, int64_t case_id, struct match_data *d, char *calendar,
                         size_t calcap)
{
    sqlite3_stmt *s = db_stmt(db, "SELECT c.center_id, c.type, c.subtype, n.calendar, "
                                  "n.jurisdiction FROM cases c JOIN centers n ON n.id = "
                                  "c.center_id WHERE c.id = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, case_id);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return ST_NONE;
    }
    d->c.case_id = case_id;
    d->c.center_id = sqlite3_column_int64(s, 0);
    d->c.type = case_type_parse((const char *)sqlite3_column_text(s, 1));
    d->c.subtype = match_subtype_bit((const char *)sqlite3_column_text(s, 2));
    db_col_copy(s, 3, calendar, calcap);
    d->c.jurisdictions = 0; /* a center accepts qualifications of any jurisdiction */
    sqlite3_reset(s);

    s = db_stmt(db, "SELECT p.side, p.position, p.residence, p.spoken, p.name_key, "
                    "p.name_latin_key, p.id_blind, p.lawyer_id, '', f.name "
                    "FROM parties p LEFT JOIN users u ON u.id = p.lawyer_id LEFT JOIN firms f "
                    "ON f.id = u.firm_id WHERE p.case_id = ? ORDER BY p.side, p.position");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, case_id);
    while (sqlite3_step(s) == SQLITE_ROW && d->c.nparties < 2 * FILING_MAX_PARTIES) {
        struct match_party *p = &d->parties[d->c.nparties++];
        const char *side = (const char *)sqlite3_column_text(s, 0);
        p->side = side && side[0] == 'r' ? SIDE_RESPONDENT : SIDE_APPLICANT;
        p->position = sqlite3_column_int(s, 1);
        const unsigned char *res = sqlite3_column_text(s, 2);
        char *residence = arena_alloc(d->arena, 16);
        if (residence && res)
            snprintf(residence, 16, "%s", (const char *)res);
        p->residence = residence && res ? residence : NULL;
        p->spoken = profile_spoken_bits((const char *)sqlite3_column_text(s, 3));
        for (int c = 4; c <= 6; c++)
            add_key(d, sqlite3_column_blob(s, c), sqlite3_column_bytes(s, c),
                    c == 6 ? MATCH_KEY_ID : MATCH_KEY_NAME, MATCH_SUBJECT_PARTY, p->side,
                    p->position);
        if (sqlite3_column_int64(s, 7)) { /* the party's lawyer and the lawyer's firm */
            uint8_t k[16];
            char lname[401] = "";
            struct user lawyer; /* the lawyer's name is sealed: read it through the store */
            if (store_user_get(sqlite3_column_int64(s, 7), &lawyer) == ST_OK)
                snprintf(lname, sizeof lname, "%s", lawyer.display_name);
            char *paren = strstr(lname, " (");
            if (paren)
                *paren = 0;
            if (name_key(lname, k))
                add_key(d, k, 16, MATCH_KEY_NAME, MATCH_SUBJECT_LAWYER, p->side, p->position);
            const unsigned char *firm = sqlite3_column_text(s, 9);
            if (firm && name_key((const char *)firm, k))
                add_key(d, k, 16, MATCH_KEY_NAME, MATCH_SUBJECT_FIRM, p->side, p->position);
        }
    }
    sqlite3_reset(s);
    d->c.parties = d->parties;
    d->c.keys = d->keys;
    return ST_OK;
}

/* A growable array of earlier-case keys per mediator index. */
struct past_list {
    struct match_past *v;
    int n, cap;
};

static void past_add(struct past_list *l, const void *key, int64_t case_id,
                     enum match_past_role role)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        struct match_past *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v)
            return;
        l->v = v;
        l->cap = cap;
    }
    struct match_past *p = &l->v[l->n++];
    memcpy(p->key, key, 16);
    p->case_id = case_id;
    p->role = role;
}

/* The index of a mediator by user id (the mediators are loaded in id order). */
static int mediator_index(const struct match_data *d, int64_t user_id)
{
    int lo = 0, hi = d->nm;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (d->m[mid].user_id == user_id)
            return mid;
        if (d->m[mid].user_id < user_id)
            lo = mid + 1;
        else
            hi = mid - 1 + 1;
    }
    return -1;
}

/* Earlier cases touching the case's keys: who mediated them, and where a mediator was a party
 * (by account or by name) — acting for the same side as the key's holder, or against. The keys'
 * parties come from covering indexes; the mediators among earlier parties from the roster. At most
 * 2000 findings of each kind per key. */
static void load_past(struct db *db, struct match_data *d, const struct roster *ro,
                      struct past_list *lists)
{
    /* UNION ALL, not UNION: a party holding the key in two columns is found twice, and the same
     * finding twice changes nothing (match_propose keeps one per mediator, subject and basis) */
    sqlite3_stmt *med = db_stmt(
        db, "SELECT m.user_id, p.case_id FROM (SELECT id, case_id FROM parties WHERE name_key = ?1 "
            "UNION ALL SELECT id, case_id FROM parties WHERE name_latin_key = ?1 UNION ALL SELECT "
            "id, case_id FROM parties WHERE id_blind = ?1) p JOIN case_mediators m ON m.case_id = "
            "p.case_id WHERE p.case_id <> ?2 LIMIT 2000");
    sqlite3_stmt *act = db_stmt(
        db, "SELECT id, case_id, side FROM parties WHERE name_key = ?1 AND case_id <> ?2 UNION ALL "
            "SELECT id, case_id, side FROM parties WHERE id_blind = ?1 AND case_id <> ?2");
    if (!med || !act)
        return;
    for (int k = 0; k < d->c.nkeys; k++) {
        const uint8_t *key = d->keys[k].key;
        sqlite3_bind_blob(med, 1, key, 16, SQLITE_STATIC);
        sqlite3_bind_int64(med, 2, d->c.case_id);
        while (sqlite3_step(med) == SQLITE_ROW) {
            int i = mediator_index(d, sqlite3_column_int64(med, 0));
            if (i >= 0)
                past_add(&lists[i], key, sqlite3_column_int64(med, 1), MATCH_PAST_MEDIATED);
        }
        sqlite3_reset(med);
        if (!ro->nparties) /* no mediator was ever a party */
            continue;
        sqlite3_bind_blob(act, 1, key, 16, SQLITE_STATIC);
        sqlite3_bind_int64(act, 2, d->c.case_id);
        int rows = 0;
        while (rows < 2000 && sqlite3_step(act) == SQLITE_ROW) {
            int64_t pid = sqlite3_column_int64(act, 0), case_id = sqlite3_column_int64(act, 1);
            const char *side = (const char *)sqlite3_column_text(act, 2);
            bool applicant = !(side && side[0] == 'r');
            int first, n = roster_case_parties(ro, case_id, &first);
            for (int j = first; j < first + n && rows < 2000; j++) {
                const struct roster_party *q = &ro->parties[j];
                if (q->party_id == pid)
                    continue;
                rows++;
                enum match_past_role role =
                    q->applicant == applicant ? MATCH_PAST_ACTED_FOR : MATCH_PAST_ACTED_AGAINST;
                /* the mediator with the party's account, and those with the party's name */
                int by_user = q->user_id ? roster_by_user(ro, q->user_id) : -1;
                int nf = 0, nn = q->has_name_key ? roster_by_name(ro, q->name_key, &nf) : 0;
                for (int x = -1; x < nn; x++) {
                    int ri = x < 0 ? by_user : ro->names[nf + x].idx;
                    if (ri < 0 || (x >= 0 && ri == by_user))
                        continue;
                    int i = mediator_index(d, ro->m[ri].user_id);
                    if (i >= 0)
                        past_add(&lists[i], key, case_id, role);
                }
            }
        }
        sqlite3_reset(act);
    }
}

/* The mediators weighed for the case: the center's roster, less those whose recusal from this
 * case was accepted. */
static enum st load_mediators(struct db *db, struct match_data *d, const struct roster *ro)
{
    int64_t *recused = NULL;
    int nrec = 0, cap = 0;
    sqlite3_stmt *s = db_stmt(db, "SELECT DISTINCT mediator_id FROM recusals WHERE case_id = ? "
                                  "AND status = 'accepted'");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, d->c.case_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (nrec == cap) {
            int64_t *g = realloc(recused, (size_t)(cap = cap ? cap * 2 : 8) * sizeof *g);
            if (!g) {
                sqlite3_reset(s);
                free(recused);
                return ST_ERROR;
            }
            recused = g;
        }
        recused[nrec++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    d->m = malloc((size_t)(ro->nm ? ro->nm : 1) * sizeof *d->m);
    if (!d->m) {
        free(recused);
        return ST_ERROR;
    }
    for (int i = 0; i < ro->nm; i++) {
        bool out = false;
        for (int k = 0; k < nrec && !out; k++)
            out = recused[k] == ro->m[i].user_id;
        if (!out)
            d->m[d->nm++] = ro->m[i]; /* its arrays stay the roster's, borrowed */
    }
    free(recused);
    return ST_OK;
}

static enum st load_inputs(struct db *db, int64_t case_id, struct match_data *d)
{
    char calendar[16] = "mainland";
    enum st r = load_case(db, case_id, d, calendar, sizeof calendar);
    if (r != ST_OK)
        return r;
    enum workcal cal;
    d->c.calendar = workcal_from_name(calendar, &cal) ? cal : WORKCAL_MAINLAND;
    struct calendar_override_row *rows = arena_alloc(d->arena, 512 * sizeof *rows);
    int nrows = 0;
    if (rows && store_calendar_overrides(calendar, rows, 512, &nrows) == ST_OK)
        for (int i = 0; i < nrows; i++)
            if (civil_parse_daynum(rows[i].day, &d->overrides[d->c.noverrides].daynum))
                d->overrides[d->c.noverrides++].is_working_day = rows[i].working;
    d->c.overrides = d->overrides;
    d->c.now = store_now();
    d->c.today = (int32_t)((d->c.now + 8 * 3600) / 86400);

    /* every mediator of the center: the roster, read again only when something in it changed */
    int32_t horizon[MATCH_HORIZON_DAYS];
    int nh = match_horizon(&d->c, horizon);
    char from[11] = "", to[11] = "";
    if (nh > 0) {
        civil_format_daynum(horizon[0], from, sizeof from);
        civil_format_daynum(horizon[nh - 1], to, sizeof to);
    }
    const struct roster *ro;
    if ((r = roster_get(db, d->c.center_id, from, to, &ro)) != ST_OK)
        return r;
    d->roster = ro;
    if ((r = load_mediators(db, d, ro)) != ST_OK)
        return r;
    struct past_list *lists = calloc((size_t)(d->nm ? d->nm : 1), sizeof *lists);
    if (!lists)
        return ST_ERROR;
    load_past(db, d, ro, lists);
    for (int i = 0; i < d->nm; i++) {
        if (lists[i].n) {
            struct match_past *v = arena_alloc(d->arena, (size_t)lists[i].n * sizeof *v);
            if (v)
                memcpy(v, lists[i].v, (size_t)lists[i].n * sizeof *v);
            d->m[i].past = v;
            d->m[i].npast = v ? lists[i].n : 0;
        }
        free(lists[i].v);
    }
    free(lists);
    return ST_OK;
}

enum st store_match_load(int64_t case_id, struct match_data *d)
{
    memset(d, 0, sizeof *d);
    d->arena = calloc(1, sizeof(struct arena));
    struct db *db = db_get();
    if (!db || !d->arena)
        return ST_ERROR;
    /* one snapshot: the case, the mediators' generation, and the roster when it is read again */
    bool own = sqlite3_get_autocommit(db_handle(db)) && store_read_begin() == ST_OK;
    enum st r = load_inputs(db, case_id, d);
    if (own)
        store_read_end();
    return r;
}

enum st store_case_mediators(int64_t case_id, int64_t *ids, char (*usernames)[33], int cap,
                             int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT m.user_id, u.username FROM case_mediators m JOIN users u "
                                  "ON u.id = m.user_id WHERE m.case_id = ? AND m.ended_at IS NULL "
                                  "ORDER BY m.role = 'co', m.id");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, case_id);
    while (*n < cap && sqlite3_step(s) == SQLITE_ROW) {
        ids[*n] = sqlite3_column_int64(s, 0);
        if (usernames)
            db_col_copy(s, 1, usernames[*n], 33);
        (*n)++;
    }
    sqlite3_reset(s);
    return ST_OK;
}

/* ---- assignment and recusal ---- */

struct assign_tx {
    int64_t case_id;
    const struct assignment_in *in;
    const struct actor *who;
};

static enum st exec1(struct db *db, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *s = db_stmt(db, sql);
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, a);
    if (b)
        sqlite3_bind_int64(s, 2, b);
    return db_exec_stmt(db, s, "mediators");
}

static enum st assign_tx(struct db *db, void *arg)
{
    struct assign_tx *t = arg;
    const struct assignment_in *in = t->in;
    sqlite3_stmt *u = db_stmt(db, "UPDATE cases SET status = ?1, updated_at = unixepoch(), "
                                  "version = version + 1 WHERE id = ?2 AND status = ?3");
    if (!u)
        return ST_ERROR;
    db_bind_text(u, 1, in->to_state);
    sqlite3_bind_int64(u, 2, t->case_id);
    db_bind_text(u, 3, in->from_state);
    enum st r = db_exec_stmt(db, u, "assign_state");
    if (r != ST_OK)
        return r;
    if (sqlite3_changes(db_handle(db)) != 1)
        return ST_CONFLICT;
    /* those who mediated until now are told they were replaced, after the others */
    int64_t before[4] = {0};
    int nbefore = 0;
    sqlite3_stmt *b = db_stmt(db, "SELECT user_id FROM case_mediators WHERE case_id = ? "
                                  "AND ended_at IS NULL");
    if (!b)
        return ST_ERROR;
    sqlite3_bind_int64(b, 1, t->case_id);
    while (nbefore < 4 && sqlite3_step(b) == SQLITE_ROW)
        before[nbefore++] = sqlite3_column_int64(b, 0);
    sqlite3_reset(b);
    r = exec1(db, "UPDATE case_mediators SET ended_at = unixepoch(), ended_why = 'replaced' "
                  "WHERE case_id = ? AND ended_at IS NULL", t->case_id, 0);
    if (r == ST_OK) /* an officer's own assignment ends a shortlist the parties had not chosen from */
        r = exec1(db, "UPDATE shortlists SET status = 'withdrawn', closed_at = unixepoch() "
                      "WHERE case_id = ? AND status = 'open'", t->case_id, 0);
    struct sealer s;
    if (r == ST_OK)
        r = sealer_load(db, t->case_id, &s);
    if (r != ST_OK)
        return r;
    for (int i = 0; r == ST_OK && i < in->n; i++) {
        sqlite3_stmt *ins = db_stmt(db, "INSERT INTO case_mediators(case_id, user_id, role, "
                                        "assigned_at, assigned_by) VALUES (?,?,?,unixepoch(),?)");
        if (!ins) {
            r = ST_ERROR;
            break;
        }
        sqlite3_bind_int64(ins, 1, t->case_id);
        sqlite3_bind_int64(ins, 2, in->mediators[i]);
        db_bind_text(ins, 3, i == 0 ? "lead" : "co");
        if (t->who->user_id)
            sqlite3_bind_int64(ins, 4, t->who->user_id);
        r = db_exec_stmt(db, ins, "case_mediator");
        if (r == ST_OK)
            r = exec1(db, "UPDATE mediator_profiles SET last_assigned_at = unixepoch() "
                          "WHERE user_id = ?", in->mediators[i], 0);
    }
    for (int i = 0; r == ST_OK && i < in->noverridden; i++) {
        sqlite3_stmt *o = db_stmt(db, "INSERT INTO conflict_overrides(case_id, mediator_id, "
                                      "reason, by_user, created_at) VALUES (?,?,?,?,unixepoch())");
        if (!o) {
            r = ST_ERROR;
            break;
        }
        char row[32];
        snprintf(row, sizeof row, "m%lld", (long long)in->overridden[i]);
        sqlite3_bind_int64(o, 1, t->case_id);
        sqlite3_bind_int64(o, 2, in->overridden[i]);
        seal_bind(&s, o, 3, "conflict_overrides.reason", row, in->override_reason);
        sqlite3_bind_int64(o, 4, t->who->user_id);
        r = db_exec_stmt(db, o, "conflict_override");
        if (r == ST_OK)
            r = audit_append(db, t->who, "conflict_override", "case", t->case_id, "ok",
                             "conflict_of_interest");
    }
    /* the timeline says who mediates now and why (and that a conflict was overridden); the
     * case's people, the new mediators among them, are told */
    if (r == ST_OK)
        r = access_rebuild(db, t->case_id);
    if (r == ST_OK) {
        char text[4200];
        snprintf(text, sizeof text, "%s%s%s", in->reason ? in->reason : "",
                 in->reason && in->override_reason ? "\n" : "",
                 in->override_reason ? in->override_reason : "");
        r = timeline_add(db, &s, t->case_id, t->who, in->event, in->from_state, in->to_state,
                         text[0] ? text : NULL);
    }
    sealer_wipe(&s);
    for (int i = 0; r == ST_OK && i < nbefore; i++)
        r = notify_also(db, t->case_id, before[i], t->who);
    if (r == ST_OK)
        r = audit_append(db, t->who, in->event, "case", t->case_id, "ok", in->to_state);
    return r;
}

enum st store_assign(int64_t case_id, const struct assignment_in *in, const struct actor *who)
{
    struct assign_tx t = {case_id, in, who};
    return db_tx(assign_tx, &t);
}

enum st assign_in_tx(struct db *db, int64_t case_id, const struct assignment_in *in,
                     const struct actor *who)
{
    struct assign_tx t = {case_id, in, who};
    return assign_tx(db, &t);
}

/* A timeline entry that changes no state (a recusal asked for or decided), its text sealed. */
static enum st timeline_note(struct db *db, int64_t case_id, const struct actor *who,
                             const char *event, const char *text)
{
    struct sealer s;
    enum st r = sealer_load(db, case_id, &s);
    if (r == ST_OK)
        r = timeline_add(db, &s, case_id, who, event, NULL, NULL, text);
    sealer_wipe(&s);
    return r == ST_OK ? bump_version(db, case_id) : r;
}

struct recusal_tx {
    int64_t case_id, mediator_id, id;
    const char *text;
    const struct actor *who;
    bool accept;
};

static enum st request_tx(struct db *db, void *arg)
{
    struct recusal_tx *t = arg;
    struct sealer s;
    enum st r = sealer_load(db, t->case_id, &s);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *n = db_stmt(db, "SELECT coalesce(max(id), 0) + 1 FROM recusals");
    if (!n || sqlite3_step(n) != SQLITE_ROW) {
        if (n)
            sqlite3_reset(n);
        sealer_wipe(&s);
        return ST_ERROR;
    }
    t->id = sqlite3_column_int64(n, 0);
    sqlite3_reset(n);
    char row[24];
    snprintf(row, sizeof row, "r%lld", (long long)t->id);
    sqlite3_stmt *i = db_stmt(db, "INSERT INTO recusals(id, case_id, mediator_id, requested_by, "
                                  "grounds, status, created_at) VALUES (?,?,?,?,?,'pending', "
                                  "unixepoch())");
    if (!i) {
        sealer_wipe(&s);
        return ST_ERROR;
    }
    sqlite3_bind_int64(i, 1, t->id);
    sqlite3_bind_int64(i, 2, t->case_id);
    sqlite3_bind_int64(i, 3, t->mediator_id);
    sqlite3_bind_int64(i, 4, t->who->user_id);
    int rc = seal_bind(&s, i, 5, "recusals.grounds", row, t->text);
    sealer_wipe(&s);
    if (rc != SQLITE_OK) {
        sqlite3_reset(i);
        return ST_ERROR;
    }
    r = db_exec_stmt(db, i, "recusal");
    if (r == ST_OK)
        r = timeline_note(db, t->case_id, t->who, "recusal_request", t->text);
    if (r == ST_OK)
        r = audit_append(db, t->who, "recusal_request", "case", t->case_id, "ok", "");
    return r;
}

enum st store_recusal_request(int64_t case_id, int64_t mediator_id, const char *grounds,
                              const struct actor *who, int64_t *id)
{
    struct recusal_tx t = {case_id, mediator_id, 0, grounds, who, false};
    enum st r = db_tx(request_tx, &t);
    *id = t.id;
    return r;
}

static enum st decide_tx(struct db *db, void *arg)
{
    struct recusal_tx *t = arg;
    sqlite3_stmt *q = db_stmt(db, "SELECT mediator_id FROM recusals WHERE id = ? AND case_id = ? "
                                  "AND status = 'pending'");
    if (!q)
        return ST_ERROR;
    sqlite3_bind_int64(q, 1, t->id);
    sqlite3_bind_int64(q, 2, t->case_id);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return ST_NONE;
    }
    int64_t mediator = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    struct sealer s;
    enum st r = sealer_load(db, t->case_id, &s);
    if (r != ST_OK)
        return r;
    char row[24];
    snprintf(row, sizeof row, "r%lld", (long long)t->id);
    sqlite3_stmt *u = db_stmt(db, "UPDATE recusals SET status = ?, decided_by = ?, decision = ?, "
                                  "decided_at = unixepoch() WHERE id = ?");
    if (!u) {
        sealer_wipe(&s);
        return ST_ERROR;
    }
    db_bind_text(u, 1, t->accept ? "accepted" : "refused");
    sqlite3_bind_int64(u, 2, t->who->user_id);
    int rc = seal_bind(&s, u, 3, "recusals.decision", row, t->text);
    sqlite3_bind_int64(u, 4, t->id);
    sealer_wipe(&s);
    r = rc == SQLITE_OK ? db_exec_stmt(db, u, "recusal_decide") : ST_ERROR;
    if (rc != SQLITE_OK)
        sqlite3_reset(u);
    if (r == ST_OK && t->accept)
        r = exec1(db, "UPDATE case_mediators SET ended_at = unixepoch(), ended_why = 'recused' "
                      "WHERE case_id = ? AND user_id = ? AND ended_at IS NULL",
                  t->case_id, mediator);
    if (r == ST_OK && t->accept)
        r = access_rebuild(db, t->case_id);
    if (r == ST_OK)
        r = timeline_note(db, t->case_id, t->who,
                          t->accept ? "recusal_accepted" : "recusal_refused", t->text);
    if (r == ST_OK && t->accept) /* no longer among the case's people, but told */
        r = notify_also(db, t->case_id, mediator, t->who);
    if (r == ST_OK)
        r = audit_append(db, t->who, t->accept ? "recusal_accepted" : "recusal_refused", "case",
                         t->case_id, "ok", "");
    return r;
}

enum st store_recusal_decide(int64_t case_id, int64_t recusal_id, bool accept,
                             const char *decision, const struct actor *who)
{
    struct recusal_tx t = {case_id, 0, recusal_id, decision, who, accept};
    return db_tx(decide_tx, &t);
}

void recusal_row_free(struct recusal_row *r)
{
    free(r->grounds);
    free(r->decision);
    r->grounds = r->decision = NULL;
}

enum st store_recusals(int64_t case_id, struct recusal_row *out, int cap, int *n)
{
    *n = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    struct sealer s;
    enum st r = sealer_load(db, case_id, &s);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *q = db_stmt(db, "SELECT r.id, r.mediator_id, u.username, r.requested_by, "
                                  "r.status, r.grounds, r.decision, r.created_at, "
                                  "coalesce(r.decided_at, 0) FROM recusals r JOIN users u ON "
                                  "u.id = r.mediator_id WHERE r.case_id = ? ORDER BY r.id");
    if (!q) {
        sealer_wipe(&s);
        return ST_ERROR;
    }
    sqlite3_bind_int64(q, 1, case_id);
    while (*n < cap && sqlite3_step(q) == SQLITE_ROW) {
        struct recusal_row *row = &out[(*n)++];
        memset(row, 0, sizeof *row);
        row->id = sqlite3_column_int64(q, 0);
        row->mediator_id = sqlite3_column_int64(q, 1);
        db_col_copy(q, 2, row->mediator, sizeof row->mediator);
        row->requested_by = sqlite3_column_int64(q, 3);
        db_col_copy(q, 4, row->status, sizeof row->status);
        char key[24];
        snprintf(key, sizeof key, "r%lld", (long long)row->id);
        row->grounds = seal_open(&s, q, 5, "recusals.grounds", key);
        row->decision = seal_open(&s, q, 6, "recusals.decision", key);
        row->created_at = sqlite3_column_int64(q, 7);
        row->decided_at = sqlite3_column_int64(q, 8);
    }
    sqlite3_reset(q);
    sealer_wipe(&s);
    return ST_OK;
}
