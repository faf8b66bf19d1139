/* internal.h: the request context, shared by the http module's own files only. */
#ifndef QIAO_HTTP_INTERNAL_H
#define QIAO_HTTP_INTERNAL_H
#include <netinet/in.h>
#include <arpa/inet.h>

#include "http/http.h"

struct MHD_Connection;
struct http_server;

struct http_param {
    char name[24];
    char *value; /* owned */
};

struct http_header_kv {
    char *name, *value; /* owned */
};

struct http_req {
    struct MHD_Connection *conn;
    struct http_server *srv;
    const struct http_config *cfg; /* the server's, for the error registry */
    enum http_method method;
    char method_name[8];
    char *path; /* owned */
    const struct http_route *route;
    unsigned allow; /* methods the path accepts, when only the method did not match */
    struct http_param params[HTTP_MAX_PARAMS];
    int nparams;
    char *body; /* owned, NUL-terminated */
    size_t body_len, body_cap, body_limit;
    bool too_large;
    size_t discarded; /* bytes of an over-limit body read and dropped */
    json_t *json; /* owned: the parsed body */
    struct http_header_kv *hdrs;
    int nhdrs;
    enum lang lang;
    void *app;
    char rid[20];
    char addr[INET6_ADDRSTRLEN];
    uint64_t start_ns;
    const char *log_route;
    unsigned status;
    size_t out_len;
    bool replied;
    bool suspended;          /* waiting for work elsewhere (e.g. a group commit) */
    http_handler continuation; /* called when resumed */
};

#endif
