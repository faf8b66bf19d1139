/* notifications.c: the signed-in user's in-app inbox: list (newest first, unread only on request)
 * with each entry rendered in the reader's language, and marking read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "i18n/catalog.h"
#include "store/notify.h"

#define INBOX_PAGE_MAX 100

/* "QIAO-HQ-…: Mediator assigned" in the reader's language; the event's own code where the
 * catalog has no label for it. */
static json_t *message_json(struct http_req *req, const struct notification *n)
{
    enum lang l = http_lang(req);
    char key[64];
    snprintf(key, sizeof key, "web.event.%s", n->event);
    const char *label = catalog_pattern(l, key) ? NULL : n->event;
    char *event = label ? NULL : msg_format(l, key, NULL, 0);
    struct msg_arg args[] = {{.name = "number", .str = n->number},
                             {.name = "event", .str = event ? event : n->event}};
    char *msg = msg_format(l, "notify.message", args, 2);
    json_t *j = json_string(msg ? msg : n->event);
    free(event);
    free(msg);
    return j;
}

static json_t *notification_json(struct http_req *req, const struct notification *n)
{
    json_t *o = json_pack("{s:I,s:{s:I,s:s,s:s},s:s,s:s,s:I}", "id", (json_int_t)n->id, "case",
                          "id", (json_int_t)n->case_id, "number", n->number, "center", n->center,
                          "event", n->event,
                          "actor_role", n->actor_role, "created_at", (json_int_t)n->created_at);
    json_object_set_new(o, "to", n->to_state[0] ? json_string(n->to_state) : json_null());
    json_object_set_new(o, "read_at", n->read_at ? json_integer(n->read_at) : json_null());
    json_object_set_new(o, "message", message_json(req, n));
    return o;
}

void api_notifications_list(struct http_req *req)
{
    int limit;
    int64_t cursor;
    if (!api_page(req, 20, INBOX_PAGE_MAX, &limit, &cursor))
        return;
    const char *u = http_query(req, "unread");
    if (u && strcmp(u, "true") != 0 && strcmp(u, "false") != 0) {
        json_t *errors = json_array();
        jsonin_error(errors, "unread", "choice", json_pack("{s:s}", "choices", "true, false"));
        http_reply_error(req, "request.invalid_query", errors);
        return;
    }
    int64_t me = api_principal(req)->user_id, unread = 0;
    struct notification page[INBOX_PAGE_MAX];
    int n = 0;
    bool more = false;
    enum st st = store_notifications(me, u && strcmp(u, "true") == 0, cursor, page, limit, &n,
                                     &more);
    if (st == ST_OK)
        st = store_notifications_unread(me, &unread);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, notification_json(req, &page[i]));
    json_t *out = json_pack("{s:o,s:I}", "items", items, "unread", (json_int_t)unread);
    char next[24];
    snprintf(next, sizeof next, "%lld", n ? (long long)page[n - 1].id : 0LL);
    json_object_set_new(out, "next_cursor", more ? json_string(next) : json_null());
    http_reply_json(req, 200, out);
}

static const struct jf read_spec[] = {
    {.name = "ids", .type = JF_ARRAY, .min = 1, .max = INBOX_PAGE_MAX, .item_type = JF_INT},
    {.name = "all", .type = JF_BOOL},
};

void api_notifications_read(struct http_req *req)
{
    json_t *errors = json_array();
    json_t *body = api_body_errors(req, read_spec, JF_COUNT(read_spec), errors);
    if (!body) {
        json_decref(errors);
        return;
    }
    json_t *ids = json_object_get(body, "ids");
    bool all = json_is_true(json_object_get(body, "all"));
    if (!json_array_size(errors) && !ids == !all) /* exactly one of the two */
        jsonin_error(errors, "ids", "one_of", json_pack("{s:s}", "fields", "ids, all"));
    int64_t list[INBOX_PAGE_MAX];
    size_t n = json_array_size(ids); /* ids not the caller's own are ignored */
    for (size_t i = 0; i < n && i < INBOX_PAGE_MAX; i++)
        list[i] = json_integer_value(json_array_get(ids, i));
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    int64_t me = api_principal(req)->user_id, unread = 0;
    enum st st = store_notifications_mark_read(me, all ? NULL : list, (int)n);
    if (st == ST_OK)
        st = store_notifications_unread(me, &unread);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}
