/* notify.c: the in-app inbox: who is told of a timeline entry (written in the entry's own
 * transaction, so a change and its notices land together or not at all), and the reading side. */
#include "store/notify.h"

#include <string.h>

#include "store/access.h"

/* Entries that ask something of the center (or end what it was waiting for): its case officers
 * are told as well as the case's people. */
static bool for_officers(const char *event)
{
    static const char *const ev[] = {"submit",           "provide_more_info",
                                     "withdraw",         "respondent_agree",
                                     "respondent_refuse", "respondent_deadline_passed",
                                     "recusal_request",  "shortlist_ranked",
                                     "shortlist_chosen", "shortlist_failed"};
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++)
        if (strcmp(event, ev[i]) == 0)
            return true;
    return false;
}

enum st notify_event(struct db *db, int64_t case_id, int64_t event_id, const char *event,
                     const struct actor *who)
{
    /* the case's people (case_access holds the filer, parties, their lawyers and the current
     * mediators; firms are not people) and, where it concerns them, the center's officers */
    sqlite3_stmt *s = db_stmt(
        db, "INSERT INTO notifications(user_id, case_id, event_id, created_at) "
            "SELECT uid, ?1, ?2, unixepoch() FROM ("
            " SELECT CAST(substr(subject, 3) AS INTEGER) AS uid FROM case_access "
            "  WHERE case_id = ?1 AND subject GLOB 'u:*'"
            " UNION SELECT uc.user_id FROM user_centers uc JOIN users u ON u.id = uc.user_id "
            "  WHERE ?3 AND u.role = 'case_officer' AND u.status = 'active' "
            "  AND uc.center_id = (SELECT center_id FROM cases WHERE id = ?1)"
            ") WHERE uid <> ?4 AND (SELECT status FROM cases WHERE id = ?1) <> 'draft'");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, case_id);
    sqlite3_bind_int64(s, 2, event_id);
    sqlite3_bind_int(s, 3, for_officers(event));
    sqlite3_bind_int64(s, 4, who->user_id);
    return db_exec_stmt(db, s, "notify");
}

enum st notify_also(struct db *db, int64_t case_id, int64_t user_id, const struct actor *who)
{
    if (user_id == who->user_id)
        return ST_OK;
    sqlite3_stmt *s = db_stmt(
        db, "INSERT INTO notifications(user_id, case_id, event_id, created_at) "
            "SELECT ?2, ?1, e.id, unixepoch() FROM "
            "(SELECT max(id) AS id FROM case_events WHERE case_id = ?1) e "
            "WHERE e.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM notifications n "
            "WHERE n.user_id = ?2 AND n.event_id = e.id)");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, case_id);
    sqlite3_bind_int64(s, 2, user_id);
    return db_exec_stmt(db, s, "notify_also");
}

enum st store_notifications(int64_t user_id, bool unread_only, int64_t before_id,
                            struct notification *out, int cap, int *n, bool *more)
{
    *n = 0;
    *more = false;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(
        db, "SELECT n.id, n.case_id, n.created_at, coalesce(n.read_at, 0), coalesce(c.number, ''), "
            "e.event, coalesce(e.actor_role, ''), coalesce(e.to_state, ''), k.code "
            "FROM notifications n JOIN case_events e ON e.id = n.event_id "
            "JOIN cases c ON c.id = n.case_id JOIN centers k ON k.id = c.center_id "
            "WHERE n.user_id = ?1 AND n.id < ?2 AND (NOT ?3 OR n.read_at IS NULL) "
            "ORDER BY n.id DESC LIMIT ?4");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, user_id);
    sqlite3_bind_int64(s, 2, before_id > 0 ? before_id : INT64_MAX);
    sqlite3_bind_int(s, 3, unread_only);
    sqlite3_bind_int(s, 4, cap + 1);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *more = true;
            continue;
        }
        struct notification *o = &out[(*n)++];
        memset(o, 0, sizeof *o);
        o->id = sqlite3_column_int64(s, 0);
        o->case_id = sqlite3_column_int64(s, 1);
        o->created_at = sqlite3_column_int64(s, 2);
        o->read_at = sqlite3_column_int64(s, 3);
        db_col_copy(s, 4, o->number, sizeof o->number);
        db_col_copy(s, 5, o->event, sizeof o->event);
        db_col_copy(s, 6, o->actor_role, sizeof o->actor_role);
        db_col_copy(s, 7, o->to_state, sizeof o->to_state);
        db_col_copy(s, 8, o->center, sizeof o->center);
    }
    sqlite3_reset(s);
    return db_status(db, rc, "notifications");
}

enum st store_notifications_unread(int64_t user_id, int64_t *count)
{
    *count = 0;
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *s = db_stmt(db, "SELECT count(*) FROM notifications "
                                  "WHERE user_id = ? AND read_at IS NULL");
    if (!s)
        return ST_ERROR;
    sqlite3_bind_int64(s, 1, user_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return db_status(db, rc, "notifications_unread");
}

struct mark_tx {
    int64_t user_id;
    const int64_t *ids;
    int n;
};

static enum st mark_tx(struct db *db, void *arg)
{
    struct mark_tx *t = arg;
    if (!t->ids) {
        sqlite3_stmt *s = db_stmt(db, "UPDATE notifications SET read_at = unixepoch() "
                                      "WHERE user_id = ? AND read_at IS NULL");
        if (!s)
            return ST_ERROR;
        sqlite3_bind_int64(s, 1, t->user_id);
        return db_exec_stmt(db, s, "notifications_read_all");
    }
    enum st r = ST_OK;
    for (int i = 0; r == ST_OK && i < t->n; i++) {
        sqlite3_stmt *s = db_stmt(db, "UPDATE notifications SET read_at = unixepoch() "
                                      "WHERE id = ? AND user_id = ? AND read_at IS NULL");
        if (!s)
            return ST_ERROR;
        sqlite3_bind_int64(s, 1, t->ids[i]);
        sqlite3_bind_int64(s, 2, t->user_id);
        r = db_exec_stmt(db, s, "notifications_read");
    }
    return r;
}

enum st store_notifications_mark_read(int64_t user_id, const int64_t *ids, int n)
{
    struct mark_tx t = {user_id, ids, n};
    return db_tx(mark_tx, &t);
}
