/* shortlist.c: shortlists of three, the sides' rankings and the joint choice. */
#include "store/shortlist.h"

#include <string.h>

#include "store/access.h"
#include "store/audit_log.h"

static const char *const side_names[2] = {"applicant", "respondent"};

enum st store_shortlist_get(int64_t case_id, struct shortlist *out)
{
    memset(out, 0, sizeof *out);
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(
        db, "SELECT s.id, s.m1, s.m2, s.m3, s.status, s.respond_by, s.created_at, "
            "coalesce(s.closed_at, 0), coalesce(s.chosen, 0), u1.username, u2.username, "
            "u3.username FROM shortlists s JOIN users u1 ON u1.id = s.m1 "
            "JOIN users u2 ON u2.id = s.m2 JOIN users u3 ON u3.id = s.m3 "
            "WHERE s.case_id = ? ORDER BY s.id DESC LIMIT 1");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, case_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "shortlist");
    }
    out->case_id = case_id;
    out->id = sqlite3_column_int64(s, 0);
    int64_t chosen = sqlite3_column_int64(s, 8);
    for (int i = 0; i < SHORTLIST_SIZE; i++) {
        out->members[i] = sqlite3_column_int64(s, 1 + i);
        db_col_copy(s, 9 + i, out->usernames[i], sizeof out->usernames[i]);
        if (chosen && out->members[i] == chosen)
            out->chosen = i + 1;
    }
    db_col_copy(s, 4, out->status, sizeof out->status);
    db_col_copy(s, 5, out->respond_by, sizeof out->respond_by);
    out->created_at = sqlite3_column_int64(s, 6);
    out->closed_at = sqlite3_column_int64(s, 7);
    sqlite3_reset(s);
    sqlite3_stmt *r = db_stmt(db, "SELECT side, ranking FROM shortlist_rankings "
                                  "WHERE shortlist_id = ?");
    if (!r)
        return ST_ERROR;
    sqlite3_bind_int64(r, 1, out->id);
    while ((rc = sqlite3_step(r)) == SQLITE_ROW) {
        int side = strcmp((const char *)sqlite3_column_text(r, 0), "respondent") == 0;
        out->ranked[side] = shortlist_ranking_parse((const char *)sqlite3_column_text(r, 1),
                                                    &out->rankings[side]);
    }
    sqlite3_reset(r);
    return db_status(db, rc, "shortlist_rankings");
}

/* Is the case still waiting for its first mediator? */
static enum st waiting_for_mediator(struct db *db, int64_t case_id)
{
    sqlite3_stmt *s = db_stmt(db, "SELECT status = 'respondent_agreed' FROM cases WHERE id = ?");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, case_id);
    int rc = sqlite3_step(s);
    bool ok = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? ST_NONE : db_status(db, rc, "case_status");
    return ok ? ST_OK : ST_CONFLICT;
}

/* A timeline entry that changes no state, without a reason (its audit entry too). */
static enum st note(struct db *db, int64_t case_id, const struct actor *who, const char *event,
                    const char *detail)
{
    struct sealer s;
    enum st r = sealer_load(db, case_id, &s);
    if (r == ST_OK)
        r = timeline_add(db, &s, case_id, who, event, NULL, NULL, NULL);
    sealer_wipe(&s);
    if (r == ST_OK)
        r = bump_version(db, case_id);
    if (r == ST_OK)
        r = audit_append(db, who, event, "case", case_id, "ok", detail);
    return r;
}

struct offer_tx {
    int64_t case_id;
    const int64_t *members;
    const struct actor *who;
    int64_t id;
};

static enum st offer_tx(struct db *db, void *arg)
{
    struct offer_tx *t = arg;
    enum st r = waiting_for_mediator(db, t->case_id);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *w = db_stmt(db, "UPDATE shortlists SET status = 'withdrawn', "
                                  "closed_at = unixepoch() WHERE case_id = ? AND status = 'open'");
    if (!w)
        return ST_ERROR;
    sqlite3_bind_int64(w, 1, t->case_id);
    if ((r = db_exec_stmt(db, w, "shortlist_withdraw")) != ST_OK)
        return r;
    sqlite3_stmt *i = db_stmt(
        db, "INSERT INTO shortlists(case_id, m1, m2, m3, status, respond_by, created_by, "
            "created_at) VALUES (?,?,?,?,'open', date(unixepoch() + 8 * 3600 + ? * 86400, "
            "'unixepoch'), ?, unixepoch())");
    if (!i)
        return ST_ERROR;
    sqlite3_bind_int64(i, 1, t->case_id);
    for (int k = 0; k < SHORTLIST_SIZE; k++)
        sqlite3_bind_int64(i, 2 + k, t->members[k]);
    sqlite3_bind_int(i, 5, SHORTLIST_RESPOND_DAYS);
    sqlite3_bind_int64(i, 6, t->who->user_id);
    if ((r = db_exec_stmt(db, i, "shortlist")) != ST_OK)
        return r;
    t->id = sqlite3_last_insert_rowid(db_handle(db));
    return note(db, t->case_id, t->who, "shortlist_offered", "");
}

enum st store_shortlist_offer(int64_t case_id, const int64_t members[SHORTLIST_SIZE],
                              const struct actor *who, int64_t *id)
{
    struct offer_tx t = {case_id, members, who, 0};
    enum st r = db_tx(offer_tx, &t);
    *id = t.id;
    return r;
}

struct rank_tx {
    int64_t case_id, shortlist_id;
    enum shortlist_side side;
    const struct shortlist_ranking *ranking;
    const bool *eligible;
    const struct actor *who;
};

/* Closes the shortlist as chosen (assigning the member) or failed. */
static enum st choose(struct db *db, struct rank_tx *t, const struct shortlist *sl)
{
    int pos = shortlist_choose(&sl->rankings[0], &sl->rankings[1], t->eligible);
    enum st r;
    if (pos) {
        struct assignment_in in = {.mediators = {sl->members[pos - 1]},
                                   .n = 1,
                                   .from_state = "respondent_agreed",
                                   .to_state = "mediator_assigned",
                                   .event = "shortlist_chosen"};
        r = assign_in_tx(db, t->case_id, &in, t->who);
    } else {
        r = note(db, t->case_id, t->who, "shortlist_failed", "");
    }
    sqlite3_stmt *u = r == ST_OK ? db_stmt(db, "UPDATE shortlists SET status = ?, chosen = ?, "
                                                "closed_at = unixepoch() WHERE id = ?")
                                 : NULL;
    if (!u)
        return r == ST_OK ? ST_ERROR : r;
    db_bind_text(u, 1, pos ? "chosen" : "failed");
    if (pos)
        sqlite3_bind_int64(u, 2, sl->members[pos - 1]);
    sqlite3_bind_int64(u, 3, sl->id);
    return db_exec_stmt(db, u, "shortlist_close");
}

static enum st rank_tx(struct db *db, void *arg)
{
    struct rank_tx *t = arg;
    enum st r = waiting_for_mediator(db, t->case_id);
    if (r != ST_OK)
        return r;
    struct shortlist sl;
    if ((r = store_shortlist_get(t->case_id, &sl)) != ST_OK)
        return r == ST_NONE ? ST_CONFLICT : r;
    if (sl.id != t->shortlist_id || strcmp(sl.status, "open") != 0)
        return ST_CONFLICT;
    char text[16];
    shortlist_ranking_format(t->ranking, text, sizeof text);
    sqlite3_stmt *s = db_stmt(db, "INSERT OR REPLACE INTO shortlist_rankings(shortlist_id, side, "
                                  "ranking, by_user, at) VALUES (?,?,?,?,unixepoch())");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, sl.id);
    db_bind_text(s, 2, side_names[t->side]);
    db_bind_text(s, 3, text);
    sqlite3_bind_int64(s, 4, t->who->user_id);
    if ((r = db_exec_stmt(db, s, "shortlist_ranking")) != ST_OK)
        return r;
    sl.ranked[t->side] = true;
    sl.rankings[t->side] = *t->ranking;
    r = note(db, t->case_id, t->who, "shortlist_ranked", side_names[t->side]);
    if (r == ST_OK && sl.ranked[0] && sl.ranked[1])
        r = choose(db, t, &sl);
    return r;
}

enum st store_shortlist_rank(int64_t case_id, int64_t shortlist_id, enum shortlist_side side,
                             const struct shortlist_ranking *ranking,
                             const bool eligible[SHORTLIST_SIZE], const struct actor *who)
{
    struct rank_tx t = {case_id, shortlist_id, side, ranking, eligible, who};
    return db_tx(rank_tx, &t);
}
