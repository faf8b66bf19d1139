/* http.h: the libmicrohttpd glue. It knows requests, routes, bodies, JSON replies and the error
 * registry's shape; it knows nothing of the domain, the store or who may do what: access is decided
 * by the application's authorize hook, given the route's opaque access id. */
#ifndef QIAO_HTTP_H
#define QIAO_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "i18n/locale.h"

enum http_method {
    HTTP_GET = 1,
    HTTP_HEAD = 2,
    HTTP_POST = 4,
    HTTP_PUT = 8,
    HTTP_PATCH = 16,
    HTTP_DELETE = 32,
    HTTP_OPTIONS = 64,
};

#define HTTP_JSON_BODY_LIMIT (1024 * 1024) /* the default limit of a request body */
#define HTTP_MAX_PARAMS 4

struct http_req;
typedef void (*http_handler)(struct http_req *req);

/* One row of the route table. pattern segments "{name}" match one path segment (a parameter);
 * a trailing "{*name}" matches the rest of the path. */
struct http_route {
    unsigned methods;  /* a bit set of enum http_method */
    const char *pattern;
    http_handler handler;
    int access;        /* opaque to http: handed to the authorize hook */
    size_t body_limit; /* 0: HTTP_JSON_BODY_LIMIT */
};

/* An entry of the error registry: a stable code, its HTTP status. Its message is the catalog key
 * "error.<code>" in the requester's language. */
struct http_error_def {
    const char *code;
    unsigned status;
};

struct http_config {
    const char *host; /* numeric IPv4 or IPv6 address */
    uint16_t port;    /* 0: any free port (see http_server_port) */
    unsigned threads; /* 0: the number of cores */
    const struct http_route *routes;
    size_t nroutes;
    const struct http_error_def *errors; /* ends with a NULL code; sorted by code */
    /* Called before every routed handler (and for fallback requests with route == NULL);
     * returns true to go on, or false after it has queued a reply itself (e.g. 401). */
    bool (*authorize)(struct http_req *req, const struct http_route *route);
    /* Requests no route matches (e.g. static files): may reply or return false for a 404. */
    bool (*fallback)(struct http_req *req);
    /* Frees what the application attached to a request (http_set_app). */
    void (*release)(void *app);
    bool access_log; /* one line per request on stderr */
};

struct http_server;

/* Binds host:port and starts serving. NULL with a message in err (e.g. "address already in use")
 * on failure. The config and its tables are borrowed for the server's lifetime. */
struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errcap);
/* The port actually bound (useful when cfg->port was 0). */
uint16_t http_server_port(const struct http_server *s);
/* Stops accepting, lets in-flight requests finish (at most grace_ms), stops and frees. */
void http_server_stop(struct http_server *s, unsigned grace_ms);

/* ---- the request ---- */
enum http_method http_method(const struct http_req *req);
const char *http_path(const struct http_req *req);
/* A path parameter by name ("id" for "{id}"); NULL if the route has none. URL-decoded. */
const char *http_param(const struct http_req *req, const char *name);
/* A query-string argument; NULL if absent. */
const char *http_query(const struct http_req *req, const char *name);
const char *http_header(const struct http_req *req, const char *name);
/* The value of a cookie; NULL if absent. */
const char *http_cookie(const struct http_req *req, const char *name);
/* The raw body (NUL-terminated; borrowed until the request ends); len may be NULL. */
const char *http_body(const struct http_req *req, size_t *len);
/* The client's address as text (for throttling and the audit trail; never logged with data). */
const char *http_client_addr(const struct http_req *req);
const char *http_request_id(const struct http_req *req);
const struct http_route *http_route_of(const struct http_req *req);

/* The language replies are written in: set by the application (user preference), else the
 * negotiated Accept-Language, else English. */
enum lang http_lang(const struct http_req *req);
void http_set_lang(struct http_req *req, enum lang l);

/* Application data attached to the request (e.g. the authenticated principal); released by
 * cfg->release when the request ends. */
void *http_app(const struct http_req *req);
void http_set_app(struct http_req *req, void *app);

/* ---- replies: exactly one per request ---- */
/* Adds a header to the reply to come (copied). */
void http_add_header(struct http_req *req, const char *name, const char *value);
/* Replies with body as JSON (steals the reference; NULL means no body, e.g. 204). */
void http_reply_json(struct http_req *req, unsigned status, json_t *body);
/* Replies with bytes; static_data is not copied and must outlive the reply (embedded files). */
void http_reply_static(struct http_req *req, unsigned status, const char *content_type,
                       const void *static_data, size_t len);
/* Replies with bytes copied from data. */
void http_reply_bytes(struct http_req *req, unsigned status, const char *content_type,
                      const void *data, size_t len);
/* Replies with the registry's error code: {"error":{"code","message","fields":[…]}}. fields
 * (stolen, may be NULL) holds {"field","code"[,"args":{…}]} entries; each gets its "message" in
 * the request's language from the catalog key "field.<code>". */
void http_reply_error(struct http_req *req, const char *code, json_t *fields);
/* As http_reply_error, with named arguments for the top-level message. */
void http_reply_error_args(struct http_req *req, const char *code, json_t *fields,
                           const char *const *argnames, const char *const *argvalues, size_t n);
bool http_replied(const struct http_req *req);

/* ---- waiting without holding a worker thread ----
 * A handler that hands work to another thread calls http_suspend (before handing it over) and
 * returns; that thread calls http_resume when the work is done, and continuation then runs on a
 * worker thread to reply. */
void http_suspend(struct http_req *req, http_handler continuation);
void http_resume(struct http_req *req);

/* ---- JSON bodies ---- */
/* Parses the body as a JSON object. On failure replies 400 (request.invalid_utf8,
 * request.malformed_json, request.not_an_object, request.empty_body) and returns NULL. The
 * returned object is owned by the request (do not decref). */
json_t *http_json_body(struct http_req *req);

/* The status of a registry code (500 for an unknown code, which is a bug). */
unsigned http_error_status(const struct http_config *cfg, const char *code);
#endif
