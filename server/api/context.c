/* context.c: every request's authentication, language, CSRF check and access decision. */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/audit_log.h"
#include "vault/vault.h"

struct api_settings api_settings;

static struct api_ctx *ctx_of(struct http_req *req)
{
    struct api_ctx *c = http_app(req);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            return NULL;
        c->principal.role = ROLE_NONE;
        http_set_app(req, c);
    }
    return c;
}

void api_release(void *app)
{
    struct api_ctx *c = app;
    if (c) {
        memset(c->token, 0, sizeof c->token);
        free(c->filing);
    }
    free(c);
}

const struct principal *api_principal(struct http_req *req)
{
    static const struct principal anonymous = {.role = ROLE_NONE};
    struct api_ctx *c = ctx_of(req);
    return c ? &c->principal : &anonymous;
}

const struct user *api_user(struct http_req *req)
{
    struct api_ctx *c = ctx_of(req);
    return c && c->principal.authenticated ? &c->user : NULL;
}

/* The presented token: "Authorization: Bearer …" first, then the session cookie. *bearer tells
 * which; *malformed is set for an Authorization header that is not a bearer token. */
static const char *presented_token(struct http_req *req, bool *bearer, bool *malformed)
{
    *bearer = false;
    *malformed = false;
    const char *h = http_header(req, "Authorization");
    if (h) {
        *bearer = true;
        if (strncasecmp(h, "Bearer ", 7) != 0) {
            *malformed = true;
            return NULL;
        }
        h += 7;
        while (*h == ' ')
            h++;
        return h;
    }
    return http_cookie(req, SESSION_COOKIE);
}

/* Authenticates the request if it carries a token. Returns false after replying 401 for a bearer
 * token that is wrong or expired (a stale cookie only makes the request anonymous). */
static bool authenticate(struct http_req *req, struct api_ctx *c, bool public_route)
{
    bool bearer, malformed;
    const char *token = presented_token(req, &bearer, &malformed);
    if (malformed && !public_route) {
        http_reply_error(req, "auth.invalid_token", NULL);
        return false;
    }
    if (!token)
        return true;
    uint8_t hash[VAULT_TOKEN_HASH_LEN];
    int64_t expires = 0;
    enum st st = ST_NONE;
    if (vault_token_hash(token, hash))
        st = store_session_user(hash, &c->user, &expires);
    if (st == ST_BUSY || st == ST_ERROR) {
        api_store_failed(req, st);
        return false;
    }
    if (st == ST_OK && expires > store_now()) {
        struct principal *p = &c->principal;
        p->authenticated = true;
        p->user_id = c->user.id;
        p->role = c->user.role;
        p->firm_id = c->user.firm_id;
        p->ncenters = c->user.ncenters;
        memcpy(p->center_ids, c->user.center_ids, sizeof p->center_ids);
        c->via_cookie = !bearer;
        snprintf(c->token, sizeof c->token, "%s", token);
        enum lang l = lang_parse_canonical(c->user.language);
        if (l != LANG_NONE)
            http_set_lang(req, l);
        return true;
    }
    if (!bearer || public_route)
        return true;
    http_reply_error(req, st == ST_OK ? "auth.token_expired" : "auth.invalid_token", NULL);
    return false;
}

static bool is_write(enum http_method m)
{
    return m != HTTP_GET && m != HTTP_HEAD && m != HTTP_OPTIONS;
}

bool api_allow(struct http_req *req, enum action a, const struct resource *r)
{
    const struct principal *p = api_principal(req);
    if (policy_allows(p, a, r))
        return true;
    if (p->authenticated) { /* every permission refusal is in the audit trail */
        struct actor who = {p->user_id, role_name(p->role), http_client_addr(req)};
        const struct http_route *route = http_route_of(req);
        store_audit(&who, "access_refused", "route", 0, "refused",
                    route ? route->pattern : "");
    }
    http_reply_error(req, p->authenticated ? "auth.forbidden" : "auth.required", NULL);
    return false;
}

bool api_authorize(struct http_req *req, const struct http_route *route)
{
    struct api_ctx *c = ctx_of(req);
    if (!c) {
        http_reply_error(req, "internal", NULL);
        return false;
    }
    if (!route)
        return true; /* static files: public, no session needed */
    enum action a = (enum action)route->access;
    if (!authenticate(req, c, !policy_needs_auth(a)))
        return false;
    if (!c->principal.authenticated &&
        lang_negotiate(http_header(req, "Accept-Language")) == LANG_NONE) {
        /* nobody signed in and no language asked for: the center's own language, when the
         * request names a center */
        const char *code = http_query(req, "center");
        struct center ctr;
        if (code && store_center_by_code(code, &ctr) == ST_OK)
            http_set_lang(req, lang_parse_canonical(ctr.default_language));
    }
    if (policy_needs_auth(a) && !c->principal.authenticated) {
        http_reply_error(req, "auth.required", NULL);
        return false;
    }
    if (policy_needs_auth(a) && c->principal.authenticated && c->via_cookie &&
        is_write(http_method(req))) {
        /* A cookie rides along with cross-site requests; a header a page of ours set cannot. */
        char want[VAULT_TOKEN_LEN + 1];
        vault_csrf_for(c->token, want);
        const char *got = http_header(req, "X-CSRF-Token");
        if (!got || !vault_str_equal(got, want)) {
            http_reply_error(req, "auth.csrf", NULL);
            return false;
        }
    }
    return api_allow(req, a, NULL);
}

void api_store_failed(struct http_req *req, enum st st)
{
    if (st == ST_BUSY) {
        http_add_header(req, "Retry-After", "1");
        http_reply_error(req, "store.busy", NULL);
    } else {
        http_reply_error(req, "internal", NULL);
    }
}

json_t *api_body_errors(struct http_req *req, const struct jf *spec, size_t n, json_t *errors)
{
    json_t *body = http_json_body(req);
    if (body)
        jsonin_check(body, "", spec, n, errors);
    return body;
}

bool api_has_error(json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        if (f && strcmp(f, field) == 0)
            return true;
    }
    return false;
}

json_t *api_body(struct http_req *req, const struct jf *spec, size_t n)
{
    json_t *body = http_json_body(req);
    if (!body)
        return NULL;
    json_t *errors = json_array();
    if (!jsonin_check(body, "", spec, n, errors)) {
        http_reply_error(req, "request.validation", errors);
        return NULL;
    }
    json_decref(errors);
    return body;
}

/* Parses a decimal integer strictly ("12x", "", "+1", "01" and overflow refused). */
static bool parse_int(const char *s, long long max, long long *out)
{
    if (!s || !*s || (s[0] == '0' && s[1]))
        return false;
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

bool api_page(struct http_req *req, int def, int max, int *limit, int64_t *cursor)
{
    json_t *errors = json_array();
    const char *l = http_query(req, "limit"), *c = http_query(req, "cursor");
    long long v;
    *limit = def;
    *cursor = 0;
    if (l) {
        if (parse_int(l, 1000000, &v) && v >= 1 && v <= max)
            *limit = (int)v;
        else
            jsonin_error(errors, "limit", "out_of_range",
                         json_pack("{s:i,s:i}", "min", 1, "max", max));
    }
    if (c) {
        if (parse_int(c, INT64_MAX / 10, &v))
            *cursor = v;
        else
            jsonin_error(errors, "cursor", "cursor", NULL);
    }
    if (json_array_size(errors)) {
        http_reply_error(req, "request.invalid_query", errors);
        return false;
    }
    json_decref(errors);
    return true;
}

json_t *api_user_json(const struct user *u)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(u->id));
    json_object_set_new(j, "username", json_string(u->username));
    json_object_set_new(j, "role", json_string(role_name(u->role)));
    json_object_set_new(j, "display_name", json_string(u->display_name));
    json_object_set_new(j, "language", json_string(u->language));
    json_object_set_new(j, "email", u->email[0] ? json_string(u->email) : json_null());
    json_object_set_new(j, "phone", u->phone[0] ? json_string(u->phone) : json_null());
    json_object_set_new(j, "firm", u->firm_code[0] ? json_string(u->firm_code) : json_null());
    json_t *centers = json_array();
    for (int i = 0; i < u->ncenters; i++)
        json_array_append_new(centers, json_string(u->center_codes[i]));
    json_object_set_new(j, "centers", centers);
    json_object_set_new(j, "active", json_boolean(u->active));
    return j;
}

int64_t api_path_id(struct http_req *req, const char *name)
{
    const char *s = http_param(req, name);
    if (!s || !*s || *s == '0' || strlen(s) > 15)
        return 0;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v;
}
