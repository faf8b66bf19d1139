/* request.c: reading a request (accessors, JSON bodies) and writing its one reply. */
#include "http/http.h"
#include "http/internal.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/catalog.h"
#include "i18n/text.h"

enum http_method http_method(const struct http_req *req)
{
    return req->method;
}

const char *http_path(const struct http_req *req)
{
    return req->path;
}

const char *http_param(const struct http_req *req, const char *name)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return NULL;
}

const char *http_query(const struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_body(const struct http_req *req, size_t *len)
{
    if (len)
        *len = req->body_len;
    return req->body ? req->body : "";
}

const char *http_client_addr(const struct http_req *req)
{
    return req->addr;
}

const char *http_request_id(const struct http_req *req)
{
    return req->rid;
}

const struct http_route *http_route_of(const struct http_req *req)
{
    return req->route;
}

enum lang http_lang(const struct http_req *req)
{
    if (req->lang != LANG_NONE)
        return req->lang;
    enum lang l = lang_negotiate(http_header(req, "Accept-Language"));
    return l == LANG_NONE ? LANG_EN : l;
}

void http_set_lang(struct http_req *req, enum lang l)
{
    req->lang = l;
}

void *http_app(const struct http_req *req)
{
    return req->app;
}

void http_set_app(struct http_req *req, void *app)
{
    req->app = app;
}

bool http_replied(const struct http_req *req)
{
    return req->replied;
}

void http_add_header(struct http_req *req, const char *name, const char *value)
{
    struct http_header_kv *h = realloc(req->hdrs, (size_t)(req->nhdrs + 1) * sizeof *h);
    if (!h)
        return;
    req->hdrs = h;
    h[req->nhdrs].name = strdup(name);
    h[req->nhdrs].value = strdup(value);
    req->nhdrs++;
}

static void queue(struct http_req *req, unsigned status, struct MHD_Response *resp,
                  const char *content_type, bool api)
{
    if (req->replied) {
        MHD_destroy_response(resp);
        return;
    }
    req->replied = true;
    req->status = status;
    if (!resp) {
        req->status = 500;
        return;
    }
    if (content_type)
        MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "X-Request-Id", req->rid);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (api)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    for (int i = 0; i < req->nhdrs; i++)
        if (req->hdrs[i].name && req->hdrs[i].value)
            MHD_add_response_header(resp, req->hdrs[i].name, req->hdrs[i].value);
    MHD_queue_response(req->conn, status, resp);
    MHD_destroy_response(resp);
}

void http_reply_json(struct http_req *req, unsigned status, json_t *body)
{
    if (!body) {
        struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        queue(req, status, r, NULL, true);
        return;
    }
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!text) {
        queue(req, 500, NULL, NULL, true);
        return;
    }
    size_t n = strlen(text);
    req->out_len = n;
    struct MHD_Response *r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
    queue(req, status, r, "application/json; charset=utf-8", true);
}

void http_reply_static(struct http_req *req, unsigned status, const char *content_type,
                       const void *data, size_t len)
{
    req->out_len = len;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    queue(req, status, r, content_type, false);
}

void http_reply_bytes(struct http_req *req, unsigned status, const char *content_type,
                      const void *data, size_t len)
{
    req->out_len = len;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    queue(req, status, r, content_type, true);
}

unsigned http_error_status(const struct http_config *cfg, const char *code)
{
    size_t lo = 0, hi = 0;
    while (cfg->errors && cfg->errors[hi].code)
        hi++;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(cfg->errors[mid].code, code);
        if (c == 0)
            return cfg->errors[mid].status;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 500;
}

/* Localizes each field error: adds "message" from "field.<code>" with the entry's args. */
static void localize_fields(enum lang l, json_t *fields)
{
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        const char *code = json_string_value(json_object_get(f, "code"));
        if (!code)
            continue;
        char key[96];
        snprintf(key, sizeof key, "field.%s", code);
        struct msg_arg args[8];
        size_t n = 0;
        json_t *a = json_object_get(f, "args");
        const char *k;
        json_t *v;
        json_object_foreach(a, k, v)
        {
            if (n >= 8)
                break;
            args[n].name = k;
            args[n].str = json_is_string(v) ? json_string_value(v) : NULL;
            args[n].num = json_is_integer(v) ? json_integer_value(v) : 0;
            n++;
        }
        char *msg = msg_format(l, key, args, n);
        json_object_set_new(f, "message", json_string(msg ? msg : code));
        free(msg);
        json_object_del(f, "args");
    }
}

void http_reply_error_args(struct http_req *req, const char *code, json_t *fields,
                           const char *const *argnames, const char *const *argvalues, size_t n)
{
    enum lang l = http_lang(req);
    unsigned status = http_error_status(req->cfg, code);
    char key[96];
    snprintf(key, sizeof key, "error.%s", code);
    struct msg_arg args[8];
    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++) {
        args[i].name = argnames[i];
        args[i].str = argvalues[i];
        args[i].num = 0;
    }
    char *msg = msg_format(l, key, args, n);
    json_t *err = json_object();
    json_object_set_new(err, "code", json_string(code));
    json_object_set_new(err, "message", json_string(msg ? msg : code));
    free(msg);
    if (!fields)
        fields = json_array();
    localize_fields(l, fields);
    json_object_set_new(err, "fields", fields);
    json_t *body = json_object();
    json_object_set_new(body, "error", err);
    http_add_header(req, "Content-Language", lang_tag(l));
    http_reply_json(req, status, body);
}

void http_reply_error(struct http_req *req, const char *code, json_t *fields)
{
    http_reply_error_args(req, code, fields, NULL, NULL, 0);
}

json_t *http_json_body(struct http_req *req)
{
    if (req->json)
        return req->json;
    if (req->body_len == 0) {
        http_reply_error(req, "request.empty_body", NULL);
        return NULL;
    }
    if (!utf8_valid(req->body, req->body_len)) {
        http_reply_error(req, "request.invalid_utf8", NULL);
        return NULL;
    }
    json_error_t e;
    json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
    if (!j) {
        json_t *fields = json_array();
        json_t *f = json_object();
        json_object_set_new(f, "field", json_string(""));
        json_object_set_new(f, "code", json_string("malformed"));
        json_t *args = json_object();
        json_object_set_new(args, "line", json_integer(e.line));
        json_object_set_new(args, "column", json_integer(e.column));
        json_object_set_new(f, "args", args);
        json_array_append_new(fields, f);
        http_reply_error(req, "request.malformed_json", fields);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_reply_error(req, "request.not_an_object", NULL);
        return NULL;
    }
    req->json = j;
    return j;
}

void http_suspend(struct http_req *req, http_handler continuation)
{
    req->continuation = continuation;
    req->suspended = true;
    MHD_suspend_connection(req->conn);
}

void http_resume(struct http_req *req)
{
    MHD_resume_connection(req->conn);
}
