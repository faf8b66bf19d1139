/* calendar.c: what officers must watch (deadlines) and the working-day calendars admins keep. */
#include "api/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/workcal.h"
#include "i18n/format.h"
#include "store/audit_log.h"

void api_deadlines(struct http_req *req)
{
    struct deadline_row rows[200];
    int n = 0;
    enum st st = store_deadlines(api_principal(req), rows, 200, &n);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char today[11];
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        char display[64];
        format_date(http_lang(req), rows[i].due, display, sizeof display);
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b}", "case",
                                               (json_int_t)rows[i].case_id, "number",
                                               rows[i].number, "status", rows[i].status, "kind",
                                               rows[i].kind, "due", rows[i].due, "display",
                                               display, "overdue",
                                               strcmp(today, rows[i].due) > 0));
    }
    http_reply_json(req, 200, json_pack("{s:s,s:o}", "today", today, "items", items));
}

/* The calendar named in the path; replies 404 and returns false for another name. */
static bool path_calendar(struct http_req *req, enum workcal *cal)
{
    if (!workcal_from_name(http_param(req, "calendar"), cal)) {
        http_reply_error(req, "request.not_found", NULL);
        return false;
    }
    return true;
}

/* GET /api/v1/calendars/{calendar}?year=YYYY: the computed holidays and the overrides. */
void api_calendar_get(struct http_req *req)
{
    enum workcal cal;
    if (!path_calendar(req, &cal))
        return;
    const char *y = http_query(req, "year");
    int year = 0;
    if (y) {
        char *end;
        long v = strtol(y, &end, 10);
        if (*end || v < WORKCAL_MIN_YEAR || v > WORKCAL_MAX_YEAR || strlen(y) != 4) {
            json_t *errors = json_array();
            jsonin_error(errors, "year", "out_of_range",
                         json_pack("{s:i,s:i}", "min", WORKCAL_MIN_YEAR, "max", WORKCAL_MAX_YEAR));
            http_reply_error(req, "request.invalid_query", errors);
            return;
        }
        year = (int)v;
    } else {
        time_t t = time(NULL) + 8 * 3600;
        struct tm tm;
        gmtime_r(&t, &tm);
        year = tm.tm_year + 1900;
    }
    struct workcal_holiday hol[64];
    int nh = workcal_holidays(cal, year, hol, 64);
    json_t *holidays = json_array();
    for (int i = 0; i < nh && i < 64; i++) {
        char d[CIVIL_ISO_SIZE];
        civil_format_daynum(hol[i].daynum, d, sizeof d);
        json_array_append_new(holidays, json_pack("{s:s,s:s,s:i}", "date", d, "key", hol[i].key,
                                                  "day", hol[i].nth));
    }
    struct calendar_override_entry *rows = calloc(366, sizeof *rows);
    int n = 0;
    enum st st = rows ? store_calendar_overrides_year(workcal_name(cal), year, rows, 366, &n)
                      : ST_ERROR;
    if (st != ST_OK) {
        free(rows);
        api_store_failed(req, st);
        return;
    }
    json_t *ov = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s,s:b}", "date", rows[i].day, "working", rows[i].working);
        if (rows[i].note[0])
            json_object_set_new(o, "note", json_string(rows[i].note));
        json_array_append_new(ov, o);
    }
    free(rows);
    http_reply_json(req, 200, json_pack("{s:s,s:i,s:o,s:o}", "calendar", workcal_name(cal),
                                        "year", year, "holidays", holidays, "overrides", ov));
}

/* Is date a real YYYY-MM-DD in the calendars' years? Replies 400 request.validation (`date`,
 * `date_format`) and returns false if not. */
static bool day_valid(struct http_req *req, const char *date)
{
    struct civil_date d;
    if (date && strlen(date) == 10 && civil_parse_iso(date, &d) && d.year >= WORKCAL_MIN_YEAR &&
        d.year <= WORKCAL_MAX_YEAR)
        return true;
    json_t *errors = json_array();
    jsonin_error(errors, "date", "date_format", NULL);
    http_reply_error(req, "request.validation", errors);
    return false;
}

/* The audit entry of a change to a calendar (the day in its detail). */
static void audit_calendar(struct http_req *req, const char *action, enum workcal cal,
                           const char *date)
{
    const struct principal *p = api_principal(req);
    struct actor who = {p->user_id, role_name(p->role), http_client_addr(req)};
    store_audit(&who, action, "calendar", (int64_t)cal, "ok", date);
}

static const struct jf override_spec[] = {
    {.name = "date", .type = JF_STRING, .required = true, .min = 10, .max = 10},
    {.name = "working", .type = JF_BOOL, .required = true},
    {.name = "note", .type = JF_STRING, .min = 1, .max = 200},
};

/* POST /api/v1/calendars/{calendar}/overrides {"date","working","note"}: an announced swapped
 * working day, or an extra day off. */
void api_calendar_override(struct http_req *req)
{
    enum workcal cal;
    if (!path_calendar(req, &cal))
        return;
    json_t *body = api_body(req, override_spec, JF_COUNT(override_spec));
    if (!body)
        return;
    const char *date = json_string_value(json_object_get(body, "date"));
    if (!day_valid(req, date))
        return;
    bool working = json_is_true(json_object_get(body, "working"));
    enum st st = store_calendar_override_set(workcal_name(cal), date, working,
                                             json_string_value(json_object_get(body, "note")));
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    audit_calendar(req, "calendar_override", cal, date);
    http_reply_json(req, 200, json_pack("{s:s,s:s,s:b}", "calendar", workcal_name(cal), "date",
                                        date, "working", working));
}

/* DELETE /api/v1/calendars/{calendar}/overrides/{date}: withdraws an override recorded in error
 * (or an announcement revoked); the computed calendar applies to that day again. Deadlines already
 * set keep their dates, as after a new override. */
void api_calendar_override_delete(struct http_req *req)
{
    enum workcal cal;
    if (!path_calendar(req, &cal))
        return;
    const char *date = http_param(req, "date");
    if (!day_valid(req, date))
        return;
    enum st st = store_calendar_override_delete(workcal_name(cal), date);
    if (st == ST_NONE) {
        http_reply_error(req, "calendar.override_not_found", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    audit_calendar(req, "calendar_override_delete", cal, date);
    http_reply_json(req, 200, json_pack("{s:s,s:s,s:b}", "calendar", workcal_name(cal), "date",
                                        date, "deleted", 1));
}
