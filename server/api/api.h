/* api.h: the HTTP API's shared pieces: the route table, the error registry, the request's
 * principal, and small helpers every resource handler uses. Handlers read as
 * parse → check → one store call (transaction) → reply. */
#ifndef QIAO_API_H
#define QIAO_API_H
#include <jansson.h>
#include <stdbool.h>

#include "domain/policy.h"
#include "http/http.h"
#include "http/jsonin.h"
#include "store/accounts.h"
#include "store/cases.h"
#include "store/store.h"

#define SESSION_COOKIE "qiao_session"
#define SESSION_TTL_SECONDS (12 * 60 * 60)

extern const struct http_route api_routes[];
extern const size_t api_nroutes;
extern const struct http_error_def api_errors[];

/* Server-wide settings the handlers read (set once at start). */
struct api_settings {
    bool secure_cookies; /* add Secure to the session cookie (behind HTTPS) */
    const char *version;
};
extern struct api_settings api_settings;

/* What the API knows of a request beyond HTTP: who asks, and how they proved it. */
struct api_ctx {
    struct principal principal;
    struct user user;     /* valid when principal.authenticated */
    bool via_cookie;      /* authenticated by the session cookie (writes need the CSRF token) */
    char token[48];       /* the presented session token, when authenticated */
    /* a write handed to the group committer, while the request waits for it */
    struct case_file_job *pending;
    struct filing *filing;
    struct actor who;
};

/* The http hooks (context.c). */
bool api_authorize(struct http_req *req, const struct http_route *route);
void api_release(void *app);

/* The request's principal (never NULL: an anonymous one when nobody is signed in). */
const struct principal *api_principal(struct http_req *req);
/* The signed-in user, or NULL. */
const struct user *api_user(struct http_req *req);

/* Checks a resource rule with the policy; on refusal replies 403 (or 401) and returns false. */
bool api_allow(struct http_req *req, enum action a, const struct resource *r);

/* Replies for a store failure: ST_BUSY → 503 store.busy, anything else → 500 internal. */
void api_store_failed(struct http_req *req, enum st st);

/* Parses the body and checks it against spec; on any problem replies 400 with every bad field
 * and returns NULL. The object is owned by the request. */
json_t *api_body(struct http_req *req, const struct jf *spec, size_t n);

/* As api_body, but appends the field errors to errors and goes on, so the handler can add the
 * domain's own findings and report every problem at once. NULL (after replying) only when the body
 * is not a JSON object at all. */
json_t *api_body_errors(struct http_req *req, const struct jf *spec, size_t n, json_t *errors);

/* Is there already an error for this field path? (Domain checks skip fields that failed their
 * shape check.) */
bool api_has_error(json_t *errors, const char *field);

/* A positive id from the path parameter name, strictly parsed ("12x", "012" refused); 0 when it
 * is not one. */
int64_t api_path_id(struct http_req *req, const char *name);

/* Parses ?limit= (default def, 1..max) and ?cursor= (an id, 0 when absent) strictly; replies 400
 * and returns false when either is malformed. */
bool api_page(struct http_req *req, int def, int max, int *limit, int64_t *cursor);

/* The public JSON form of a user (no secrets). */
json_t *api_user_json(const struct user *u);

/* Checks the fields every new account has (username, password, display_name, language, email,
 * phone) into u, appending field errors; *password is borrowed from body. */
bool api_check_account_fields(json_t *body, struct user *u, const char **password, json_t *errors);
/* Hashes the password, creates u, replies 201 with the user (or the error). */
void api_create_user(struct http_req *req, struct user *u, const char *password);

/* Handlers, by resource. */
void api_health(struct http_req *req);
void api_login(struct http_req *req);
void api_logout(struct http_req *req);
void api_register(struct http_req *req);
void api_me_get(struct http_req *req);
void api_me_patch(struct http_req *req);
void api_users_create(struct http_req *req);
void api_users_list(struct http_req *req);
void api_centers_list(struct http_req *req);
void api_firms_list(struct http_req *req);
void api_catalog(struct http_req *req);
void api_openapi(struct http_req *req);
bool api_static(struct http_req *req);
void api_convert(struct http_req *req);
void api_audit_list(struct http_req *req);
void api_audit_export(struct http_req *req);
void api_audit_verify(struct http_req *req);
void api_audit_public_key(struct http_req *req);
#endif
