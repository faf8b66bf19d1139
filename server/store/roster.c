/* roster.c: a center's mediators, read in a handful of set-based queries and kept in memory while
 * the database's mediator generation says nothing they are made of has changed. */
#include "store/roster.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/filing.h"
#include "domain/workcal.h"
#include "store/arena.h"

#define CACHE_SLOTS 8    /* rosters kept (one per center and horizon; centers are few) */
#define MAX_DECLARED 126 /* declared keys read per mediator */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct roster *cache[CACHE_SLOTS];
static uint64_t cache_used[CACHE_SLOTS]; /* when each slot was last handed out */
static uint64_t cache_clock;

/* ---- memory of one roster ---- */

static void roster_free(struct roster *r)
{
    if (!r)
        return;
    arena_clear(r->blocks);
    free(r->blocks);
    free(r->m);
    free(r->parties);
    free(r->names);
    free(r);
}

/* ---- reading ---- */

int roster_by_user(const struct roster *r, int64_t user_id)
{
    int lo = 0, hi = r->nm;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (r->m[mid].user_id == user_id)
            return mid;
        if (r->m[mid].user_id < user_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int roster_case_parties(const struct roster *r, int64_t case_id, int *first)
{
    int lo = 0, hi = r->nparties;
    while (lo < hi) { /* the first with case_id >= the one asked */
        int mid = lo + (hi - lo) / 2;
        if (r->parties[mid].case_id < case_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    int n = 0;
    while (lo + n < r->nparties && r->parties[lo + n].case_id == case_id)
        n++;
    *first = lo;
    return n;
}

int roster_by_name(const struct roster *r, const uint8_t *key, int *first)
{
    int lo = 0, hi = r->nnames;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (memcmp(r->names[mid].key, key, MATCH_KEY_LEN) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int n = 0;
    while (lo + n < r->nnames && memcmp(r->names[lo + n].key, key, MATCH_KEY_LEN) == 0)
        n++;
    *first = lo;
    return n;
}

static int name_cmp(const void *pa, const void *pb)
{
    const struct roster_name *a = pa, *b = pb;
    int c = memcmp(a->key, b->key, MATCH_KEY_LEN);
    return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* The mediators of the center, with their profiles and own name keys. */
static enum st read_mediators(struct db *db, struct roster *r)
{
    sqlite3_stmt *ms = db_stmt(
        db, "SELECT u.id, u.username, coalesce(p.case_types, ''), coalesce(p.subtypes, ''), "
            "coalesce(p.spoken, ''), coalesce(p.capacity, 0), "
            "coalesce(p.weekly_minutes, '0,0,0,0,0,0,0'), coalesce(p.last_assigned_at, 0), "
            "p.name_key FROM users u JOIN user_centers uc ON uc.user_id = u.id AND "
            "uc.center_id = ?1 LEFT JOIN mediator_profiles p ON p.user_id = u.id "
            "WHERE u.role = 'mediator' AND u.status = 'active' ORDER BY u.id LIMIT 5000");
    if (!ms)
        return ST_ERROR;
    sqlite3_bind_int64(ms, 1, r->center_id);
    int cap = 64, rc;
    r->m = calloc((size_t)cap, sizeof *r->m);
    while (r->m && (rc = sqlite3_step(ms)) == SQLITE_ROW) {
        if (r->nm == cap) {
            struct match_mediator *g = realloc(r->m, (size_t)(cap *= 2) * sizeof *g);
            if (!g) {
                sqlite3_reset(ms);
                return ST_ERROR;
            }
            r->m = g;
        }
        struct match_mediator *m = &r->m[r->nm++];
        memset(m, 0, sizeof *m);
        m->user_id = sqlite3_column_int64(ms, 0);
        db_col_copy(ms, 1, m->username, sizeof m->username);
        char buf[160];
        db_col_copy(ms, 2, buf, sizeof buf);
        for (char *sv = NULL, *p = strtok_r(buf, ",", &sv); p; p = strtok_r(NULL, ",", &sv))
            m->types |= match_type_bit(case_type_parse(p));
        db_col_copy(ms, 3, buf, sizeof buf);
        for (char *sv = NULL, *p = strtok_r(buf, ",", &sv); p; p = strtok_r(NULL, ",", &sv))
            m->subtypes |= match_subtype_bit(p);
        m->spoken = profile_spoken_bits((const char *)sqlite3_column_text(ms, 4));
        m->capacity = sqlite3_column_int(ms, 5);
        profile_weekly((const char *)sqlite3_column_text(ms, 6), m->weekly_minutes);
        m->last_assigned_at = sqlite3_column_int64(ms, 7);
        if (sqlite3_column_bytes(ms, 8) == MATCH_KEY_LEN) {
            uint8_t(*self)[MATCH_KEY_LEN] = arena_alloc(r->blocks, MATCH_KEY_LEN);
            if (!self) {
                sqlite3_reset(ms);
                return ST_ERROR;
            }
            memcpy(self[0], sqlite3_column_blob(ms, 8), MATCH_KEY_LEN);
            m->self_keys = (const uint8_t(*)[MATCH_KEY_LEN])self;
            m->nself = 1;
        }
    }
    sqlite3_reset(ms);
    if (!r->m)
        return ST_ERROR;
    /* the own name keys, for finding a mediator among earlier cases' parties by name */
    r->names = calloc((size_t)(r->nm ? r->nm : 1), sizeof *r->names);
    if (!r->names)
        return ST_ERROR;
    for (int i = 0; i < r->nm; i++)
        if (r->m[i].nself) {
            memcpy(r->names[r->nnames].key, r->m[i].self_keys[0], MATCH_KEY_LEN);
            r->names[r->nnames++].idx = i;
        }
    qsort(r->names, (size_t)r->nnames, sizeof *r->names, name_cmp);
    return ST_OK;
}

/* The rest, one query each over all of the center's mediators. */
static enum st read_details(struct db *db, struct roster *r)
{
    static const char *const per_mediator[] = {
        "SELECT uc.user_id, uc.center_id FROM user_centers uc WHERE uc.user_id IN "
        "(SELECT user_id FROM user_centers WHERE center_id = ?1)",
        "SELECT m.user_id, count(*) FROM case_mediators m JOIN cases c ON c.id = m.case_id "
        "WHERE m.ended_at IS NULL AND c.status IN ('respondent_agreed', 'mediator_assigned', "
        "'in_mediation') AND m.user_id IN (SELECT user_id FROM user_centers WHERE "
        "center_id = ?1) GROUP BY m.user_id",
        "SELECT user_id, jurisdiction, body, number, valid_from, coalesce(valid_to, '') FROM "
        "mediator_qualifications WHERE user_id IN (SELECT user_id FROM user_centers WHERE "
        "center_id = ?1) ORDER BY user_id, valid_from, id",
        "SELECT user_id, day, minutes FROM mediator_availability WHERE user_id IN (SELECT "
        "user_id FROM user_centers WHERE center_id = ?1) AND day BETWEEN ?2 AND ?3 "
        "ORDER BY user_id, day",
        "SELECT user_id, name_key, id_key, relation, coalesce(since, '') FROM "
        "mediator_relationships WHERE user_id IN (SELECT user_id FROM user_centers WHERE "
        "center_id = ?1) ORDER BY user_id, id",
    };
    for (size_t qi = 0; qi < sizeof per_mediator / sizeof per_mediator[0]; qi++) {
        sqlite3_stmt *q = db_stmt(db, per_mediator[qi]);
        if (!q)
            return ST_ERROR;
        sqlite3_bind_int64(q, 1, r->center_id);
        if (qi == 3) {
            db_bind_text(q, 2, r->from);
            db_bind_text(q, 3, r->to);
        }
        int rc;
        enum st st = ST_OK;
        while (st == ST_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            int i = roster_by_user(r, sqlite3_column_int64(q, 0));
            if (i < 0)
                continue;
            struct match_mediator *m = &r->m[i];
            if (qi == 0 && m->ncenters < MATCH_MAX_CENTERS) {
                m->centers[m->ncenters++] = sqlite3_column_int64(q, 1);
            } else if (qi == 1) {
                m->open_cases = sqlite3_column_int(q, 1);
            } else if (qi == 2 && m->nquals < MATCH_MAX_QUALIFICATIONS) {
                struct match_qualification *mq = &m->quals[m->nquals++];
                match_jurisdiction_parse((const char *)sqlite3_column_text(q, 1),
                                         &mq->jurisdiction);
                db_col_copy(q, 2, mq->body, sizeof mq->body);
                db_col_copy(q, 3, mq->number, sizeof mq->number);
                mq->valid_from = profile_daynum((const char *)sqlite3_column_text(q, 4));
                const char *vt = (const char *)sqlite3_column_text(q, 5);
                mq->valid_to = vt && *vt ? profile_daynum(vt) : MATCH_NO_END;
            } else if (qi == 3) {
                if (!m->exceptions &&
                    !(m->exceptions =
                          arena_alloc(r->blocks, MATCH_HORIZON_DAYS * sizeof(struct match_day))))
                    st = ST_ERROR;
                struct match_day *days = (struct match_day *)m->exceptions;
                if (days && m->nexceptions < MATCH_HORIZON_DAYS) {
                    days[m->nexceptions].daynum =
                        profile_daynum((const char *)sqlite3_column_text(q, 1));
                    days[m->nexceptions++].minutes = sqlite3_column_int(q, 2);
                }
            } else if (qi == 4) {
                if (!m->declared &&
                    !(m->declared = arena_alloc(r->blocks, (MAX_DECLARED + 2) *
                                                               sizeof(struct match_declared))))
                    st = ST_ERROR;
                struct match_declared *decl = (struct match_declared *)m->declared;
                enum match_relation rk = MATCH_REL_OTHER;
                match_relation_parse((const char *)sqlite3_column_text(q, 3), &rk);
                int32_t since = profile_daynum((const char *)sqlite3_column_text(q, 4));
                for (int c = 1; decl && c <= 2 && m->ndeclared < MAX_DECLARED; c++)
                    if (sqlite3_column_bytes(q, c) == MATCH_KEY_LEN) {
                        memcpy(decl[m->ndeclared].key, sqlite3_column_blob(q, c), MATCH_KEY_LEN);
                        decl[m->ndeclared].relation = rk;
                        decl[m->ndeclared++].since = since;
                    }
            }
        }
        sqlite3_reset(q);
        if (st != ST_OK)
            return st;
    }
    return ST_OK;
}

/* Every party who is a mediator by account, or whose name key is a mediator's own. */
static enum st read_parties(struct db *db, struct roster *r)
{
    sqlite3_stmt *q = db_stmt(db, "SELECT q.case_id, q.id, coalesce(q.user_id, 0), q.name_key, "
                                  "q.side FROM parties q WHERE q.user_id IN (SELECT id FROM "
                                  "users WHERE role = 'mediator') OR q.name_key IN (SELECT "
                                  "name_key FROM mediator_profiles WHERE name_key IS NOT NULL) "
                                  "ORDER BY q.case_id, q.side, q.position");
    if (!q)
        return ST_ERROR;
    int cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (r->nparties == cap) {
            cap = cap ? cap * 2 : 256;
            struct roster_party *g = realloc(r->parties, (size_t)cap * sizeof *g);
            if (!g) {
                sqlite3_reset(q);
                return ST_ERROR;
            }
            r->parties = g;
        }
        struct roster_party *p = &r->parties[r->nparties++];
        memset(p, 0, sizeof *p);
        p->case_id = sqlite3_column_int64(q, 0);
        p->party_id = sqlite3_column_int64(q, 1);
        p->user_id = sqlite3_column_int64(q, 2);
        if (sqlite3_column_bytes(q, 3) == MATCH_KEY_LEN) {
            memcpy(p->name_key, sqlite3_column_blob(q, 3), MATCH_KEY_LEN);
            p->has_name_key = true;
        }
        const char *side = (const char *)sqlite3_column_text(q, 4);
        p->applicant = !(side && side[0] == 'r');
    }
    sqlite3_reset(q);
    return ST_OK;
}

static enum st read_generation(struct db *db, int64_t *gen)
{
    sqlite3_stmt *g = db_stmt(db, "SELECT gen FROM mediator_generation WHERE id = 1");
    if (!g)
        return ST_ERROR;
    int rc = sqlite3_step(g);
    if (rc == SQLITE_ROW)
        *gen = sqlite3_column_int64(g, 0);
    sqlite3_reset(g);
    return rc == SQLITE_ROW ? ST_OK : ST_ERROR;
}

static struct roster *roster_read(struct db *db, int64_t center_id, int64_t gen, const char *from,
                                  const char *to)
{
    struct roster *r = calloc(1, sizeof *r);
    if (!r || !(r->blocks = calloc(1, sizeof(struct arena)))) {
        free(r);
        return NULL;
    }
    r->center_id = center_id;
    r->gen = gen;
    snprintf(r->from, sizeof r->from, "%s", from);
    snprintf(r->to, sizeof r->to, "%s", to);
    r->refs = 1;
    if (read_mediators(db, r) != ST_OK || read_details(db, r) != ST_OK ||
        read_parties(db, r) != ST_OK) {
        roster_free(r);
        return NULL;
    }
    return r;
}

/* ---- the cache ---- */

static void unref_locked(struct roster *r)
{
    if (r && --r->refs == 0)
        roster_free(r);
}

static pthread_once_t close_once = PTHREAD_ONCE_INIT;

static void register_close(void)
{
    db_on_close(roster_cache_clear);
}

enum st roster_get(struct db *db, int64_t center_id, const char *from, const char *to,
                   const struct roster **out)
{
    *out = NULL;
    pthread_once(&close_once, register_close); /* the rosters go with the database */
    int64_t gen;
    if (read_generation(db, &gen) != ST_OK)
        return ST_ERROR;
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct roster *c = cache[i];
        if (c && c->center_id == center_id && c->gen == gen && strcmp(c->from, from) == 0 &&
            strcmp(c->to, to) == 0) {
            c->refs++;
            cache_used[i] = ++cache_clock;
            pthread_mutex_unlock(&cache_lock);
            *out = c;
            return ST_OK;
        }
    }
    pthread_mutex_unlock(&cache_lock);

    /* read outside the lock: other centers' proposals go on meanwhile */
    struct roster *r = roster_read(db, center_id, gen, from, to);
    if (!r)
        return ST_ERROR;
    pthread_mutex_lock(&cache_lock);
    int slot = -1;
    for (int i = 0; i < CACHE_SLOTS && slot < 0; i++)
        if (cache[i] && cache[i]->center_id == center_id)
            slot = i; /* the center's older roster gives way */
    for (int i = 0; i < CACHE_SLOTS && slot < 0; i++)
        if (!cache[i])
            slot = i;
    if (slot < 0) { /* the least recently used */
        slot = 0;
        for (int i = 1; i < CACHE_SLOTS; i++)
            if (cache_used[i] < cache_used[slot])
                slot = i;
    }
    unref_locked(cache[slot]);
    cache[slot] = r;
    cache_used[slot] = ++cache_clock;
    r->refs++; /* the cache's own */
    pthread_mutex_unlock(&cache_lock);
    *out = r;
    return ST_OK;
}

void roster_release(const struct roster *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&cache_lock);
    unref_locked((struct roster *)r);
    pthread_mutex_unlock(&cache_lock);
}

void roster_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        unref_locked(cache[i]);
        cache[i] = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
}
