/* http.h: one request to the Qiao server over libcurl (JSON, a multipart/form-data upload or a
 * binary download), bounded in size and time. */
#ifndef QIAO_CLI_HTTP_H
#define QIAO_CLI_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "i18n/locale.h"

#define HTTP_MAX_REPLY (8u * 1024 * 1024) /* replies larger than this are refused */
#define HTTP_CONNECT_TIMEOUT 5L           /* seconds */
#define HTTP_TOTAL_TIMEOUT 30L            /* seconds */
#define HTTP_MAX_WANT 4                   /* reply headers one request may keep */

/* How the exchange went at the transport level. */
enum net {
    NET_OK,        /* a reply came (whatever its status) */
    NET_REFUSED,   /* nobody listens there */
    NET_RESOLVE,   /* the host name is unknown */
    NET_TIMEOUT,   /* no answer in time */
    NET_TLS,       /* the secure connection failed (certificate …) */
    NET_TOO_LARGE, /* the reply was larger than allowed (HTTP_MAX_REPLY by default) */
    NET_OTHER,     /* anything else; see detail */
    NET_NOMEM,
};

/* A reply. json is the parsed body when it is JSON (NULL otherwise); headers[i] is the value of
 * the reply header that the extra's want[i] names, NULL when absent (see http_call_ex). All are
 * owned by the reply and released, the body wiped, by reply_free. */
struct reply {
    long status;
    json_t *json;
    char *body;
    size_t len;
    char *headers[HTTP_MAX_WANT];
};

/* One part of a multipart/form-data body: a text field, or a file when filename is set. The
 * bytes are borrowed (not copied) until the call returns. */
struct form_part {
    const char *name;
    const char *data;
    size_t len;
    const char *filename; /* sent as the part's file name; NULL for a text field */
};

/* One request. */
struct request {
    const char *server; /* normalized base URL */
    const char *method; /* "GET", "POST" … */
    const char *path;   /* "/api/v1/me" */
    const char *body;   /* JSON text or NULL */
    const char *token;  /* sent as a bearer token when non-NULL; never logged */
    enum lang lang;     /* sent as Accept-Language */
};

/* What some requests need beyond struct request; zero members mean the default. */
struct http_extra {
    const char *const *headers;   /* more request headers ("Name: value"), NULL-terminated */
    const char *const *want;      /* reply headers to keep (≤ HTTP_MAX_WANT), NULL-terminated */
    const struct form_part *form; /* a multipart/form-data body (the request's body is NULL) */
    size_t nform;
    size_t max_reply; /* bytes; 0: HTTP_MAX_REPLY */
    long timeout;     /* total seconds; 0: HTTP_TOTAL_TIMEOUT (else slow transfers also fail) */
    bool binary;      /* the body is bytes: parsed as JSON only for an error status (>= 400) */
};

/* Global libcurl setup and teardown; 0 ok. */
int http_init(void);
void http_cleanup(void);

/* Performs rq; fills *r (zeroed first; free it with reply_free whatever the result).
 * On failure detail (cap bytes) gets libcurl's English explanation. A reply larger than
 * HTTP_MAX_REPLY (or the extra's max_reply) is NET_TOO_LARGE. */
enum net http_call(const struct request *rq, struct reply *r, char *detail, size_t cap);

/* http_call with the extras of x (NULL: none). */
enum net http_call_ex(const struct request *rq, const struct http_extra *x, struct reply *r,
                      char *detail, size_t cap);

void reply_free(struct reply *r);

/* Zeroes the bytes of the string member key of obj (a secret jansson is about to free). */
void json_wipe_member(json_t *obj, const char *key);

/* A server address made canonical: http:// or https:// only, no user, query or fragment,
 * no trailing '/'. Returns a malloc'd string, or NULL when url is not acceptable. */
char *http_normalize_server(const char *url);
#endif
