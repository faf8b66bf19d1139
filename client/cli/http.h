/* http.h: one JSON request to the Qiao server over libcurl, bounded in size and time. */
#ifndef QIAO_CLI_HTTP_H
#define QIAO_CLI_HTTP_H
#include <jansson.h>
#include <stddef.h>

#include "i18n/locale.h"

#define HTTP_MAX_REPLY (8u * 1024 * 1024) /* replies larger than this are refused */
#define HTTP_CONNECT_TIMEOUT 5L           /* seconds */
#define HTTP_TOTAL_TIMEOUT 30L            /* seconds */

/* How the exchange went at the transport level. */
enum net {
    NET_OK,        /* a reply came (whatever its status) */
    NET_REFUSED,   /* nobody listens there */
    NET_RESOLVE,   /* the host name is unknown */
    NET_TIMEOUT,   /* no answer in time */
    NET_TLS,       /* the secure connection failed (certificate …) */
    NET_TOO_LARGE, /* the reply was larger than HTTP_MAX_REPLY */
    NET_OTHER,     /* anything else; see detail */
    NET_NOMEM,
};

/* A reply. json is the parsed body when it is JSON (NULL otherwise); both are owned by the
 * reply and released, the body wiped, by reply_free. */
struct reply {
    long status;
    json_t *json;
    char *body;
    size_t len;
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

/* Global libcurl setup and teardown; 0 ok. */
int http_init(void);
void http_cleanup(void);

/* Performs rq; fills *r (zeroed first; free it with reply_free whatever the result).
 * On failure detail (cap bytes) gets libcurl's English explanation. */
enum net http_call(const struct request *rq, struct reply *r, char *detail, size_t cap);

void reply_free(struct reply *r);

/* Zeroes the bytes of the string member key of obj (a secret jansson is about to free). */
void json_wipe_member(json_t *obj, const char *key);

/* A server address made canonical: http:// or https:// only, no user, query or fragment,
 * no trailing '/'. Returns a malloc'd string, or NULL when url is not acceptable. */
char *http_normalize_server(const char *url);
#endif
