/* cmd_inbox.c: `qiao inbox list` (the signed-in user's notifications, newest first) and
 * `qiao inbox read ID…|--all` (mark them read). */
#include "cmd_cases.h"

#include <stdlib.h>
#include <string.h>

#include "i18n/format.h"
#include "output.h"

#define PATH_CAP 128
#define READ_MAX 100 /* ids in one `inbox read` (the server's bound) */

/* `qiao inbox list [--unread] [--limit N] [--cursor C]`: GET /api/v1/notifications. */
static int inbox_list(struct cli *c, int argc, char **argv)
{
    const char *limit = NULL, *cursor = NULL, *pos[1];
    bool unread = false;
    int npos;
    const struct opt opts[] = {{"--unread", NULL, NULL, &unread},
                               {"--limit", NULL, &limit, NULL},
                               {"--cursor", NULL, &cursor, NULL}};
    int x = parse_args(c, "inbox list [--unread] [--limit N] [--cursor C]", argc, argv, opts, 3,
                       pos, 0, 0, &npos);
    if (x != QX_OK)
        return x;
    char *end = NULL;
    long lim = limit ? strtol(limit, &end, 10) : 20;
    if (limit && (!*limit || *end || lim < 1 || lim > READ_MAX)) {
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_limit",
                    ARGS(A_STR("value", limit), A_NUM("max", READ_MAX)));
    }
    if (cursor && (!*cursor || strspn(cursor, "0123456789") != strlen(cursor) ||
                   strlen(cursor) > 18))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_cursor",
                    ARGS(A_STR("value", cursor)));
    if ((x = check_session(c)) != QX_OK)
        return x;
    char path[PATH_CAP];
    snprintf(path, sizeof path, "/api/v1/notifications?limit=%ld%s%s%s", lim, unread ? "&unread=true" : "", cursor ? "&cursor=" : "",
             cursor ? cursor : "");
    struct reply r;
    if ((x = api_get(c, path, &r)) != QX_OK || c->json) {
        if (x == QX_OK)
            print_json(r.json);
        reply_free(&r);
        return x;
    }
    say(stdout, c, "cli.inbox.unread",
        ARGS(A_NUM("count", json_integer_value(json_object_get(r.json, "unread")))));
    json_t *items = json_object_get(r.json, "items");
    if (json_array_size(items) == 0)
        say(stdout, c, "cli.case.none", NOARGS);
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        char when[64] = "";
        format_datetime(c->lang, json_integer_value(json_object_get(n, "created_at")),
                        case_zone(json_object_get(n, "case")), when,
                        sizeof when);
        char *msg = safe_text(json_string_value(json_object_get(n, "message")), true);
        printf("%s %6lld  %s  %s\n", json_is_null(json_object_get(n, "read_at")) ? "*" : " ",
               (long long)json_integer_value(json_object_get(n, "id")), when, msg ? msg : "");
        free(msg);
    }
    const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
    if (next) {
        char *safe = safe_text(next, true);
        say(stdout, c, "cli.inbox.more", ARGS(A_STR("cursor", safe ? safe : "")));
        free(safe);
    }
    reply_free(&r);
    return QX_OK;
}

/* `qiao inbox read ID…|--all`: POST /api/v1/notifications/read. */
static int inbox_read(struct cli *c, int argc, char **argv)
{
    const char *pos[READ_MAX];
    bool all = false;
    int npos;
    const struct opt opts[] = {{"--all", NULL, NULL, &all}};
    int x = parse_args(c, "inbox read ID…|--all", argc, argv, opts, 1, pos, 0, READ_MAX, &npos);
    if (x != QX_OK)
        return x;
    if (all == (npos > 0))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.missing_args",
                    ARGS(A_STR("usage", "inbox read ID…|--all")));
    json_t *ids = json_array();
    for (int i = 0; i < npos; i++) {
        char *end;
        long long v = strtoll(pos[i], &end, 10);
        if (!*pos[i] || *end || v < 1) {
            json_decref(ids);
            return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_notification_id",
                        ARGS(A_STR("value", pos[i])));
        }
        json_array_append_new(ids, json_integer(v));
    }
    if ((x = check_session(c)) != QX_OK) {
        json_decref(ids);
        return x;
    }
    json_t *body = all ? json_pack("{s:b}", "all", 1) : json_pack("{s:o}", "ids", ids);
    if (all)
        json_decref(ids);
    struct reply r;
    x = api_post(c, "/api/v1/notifications/read", body, NULL, &r, 200, 200);
    json_decref(body);
    if (x == QX_OK && c->json)
        print_json(r.json);
    else if (x == QX_OK)
        say(stdout, c, "cli.inbox.unread",
            ARGS(A_NUM("count", json_integer_value(json_object_get(r.json, "unread")))));
    reply_free(&r);
    return x;
}

int cmd_inbox(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"list", inbox_list}, {"read", inbox_read}};
    return run_subcommand(c, "inbox", subs, 2, argc, argv);
}
