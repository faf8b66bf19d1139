/* server.c: the daemon's life, the per-request context, routing and dispatch, the access log. */
#include "http/http.h"
#include "http/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *mhd;
    const struct http_config *cfg;
    int fd;
    uint16_t port;
    atomic_int active; /* requests begun and not yet completed */
};

#define DRAIN_MAX (64u * 1024 * 1024) /* the most of an over-limit body read just to answer 413 */

static atomic_uint_fast64_t request_seq;
static uint32_t request_prefix;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static enum http_method parse_method(const char *m)
{
    static const struct {
        const char *name;
        enum http_method m;
    } t[] = {{"GET", HTTP_GET},     {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
             {"PUT", HTTP_PUT},     {"PATCH", HTTP_PATCH},   {"DELETE", HTTP_DELETE},
             {"OPTIONS", HTTP_OPTIONS}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(m, t[i].name) == 0)
            return t[i].m;
    return 0;
}

/* Matches path against pattern, filling the request's parameters; true on a match. */
static bool match(struct http_req *req, const char *pattern, const char *path)
{
    req->nparams = 0;
    const char *p = pattern, *u = path;
    while (*p && *u) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close || req->nparams >= HTTP_MAX_PARAMS)
                return false;
            bool rest = p[1] == '*';
            const char *name = p + 1 + (rest ? 1 : 0);
            const char *end = rest ? u + strlen(u) : u + strcspn(u, "/");
            if (end == u)
                return false;
            struct http_param *par = &req->params[req->nparams++];
            snprintf(par->name, sizeof par->name, "%.*s", (int)(close - name), name);
            par->value = strndup(u, (size_t)(end - u));
            if (!par->value)
                return false;
            p = close + 1;
            u = end;
        } else if (*p == *u) {
            p++, u++;
        } else {
            return false;
        }
    }
    return *p == 0 && *u == 0;
}

static void clear_params(struct http_req *req)
{
    for (int i = 0; i < req->nparams; i++)
        free(req->params[i].value);
    req->nparams = 0;
}

/* Finds the route for the request; sets *allow to the methods the path accepts when the path
 * matches but the method does not. */
static const struct http_route *route_request(struct http_req *req, unsigned *allow)
{
    const struct http_config *cfg = req->srv->cfg;
    *allow = 0;
    enum http_method m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
    for (size_t i = 0; i < cfg->nroutes; i++) {
        const struct http_route *r = &cfg->routes[i];
        if (!match(req, r->pattern, req->path)) {
            clear_params(req);
            continue;
        }
        if (r->methods & m)
            return r;
        *allow |= r->methods;
        clear_params(req);
    }
    return NULL;
}

static void allow_header(struct http_req *req, unsigned allow)
{
    static const char *names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    char buf[80] = "";
    if (allow & HTTP_GET)
        allow |= HTTP_HEAD;
    for (unsigned i = 0; i < 7; i++)
        if (allow & (1u << i))
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? ", " : "",
                     names[i]);
    http_add_header(req, "Allow", buf);
}

static struct http_req *req_new(struct http_server *s, struct MHD_Connection *conn, const char *url,
                                const char *method)
{
    struct http_req *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    req->start_ns = now_ns();
    req->srv = s;
    req->cfg = s->cfg;
    req->conn = conn;
    req->method = parse_method(method);
    snprintf(req->method_name, sizeof req->method_name, "%.7s", method);
    req->path = strdup(url);
    req->lang = LANG_NONE;
    req->log_route = "-";
    uint64_t seq = atomic_fetch_add(&request_seq, 1);
    snprintf(req->rid, sizeof req->rid, "%08x%08x", request_prefix, (uint32_t)seq);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->addr,
                      sizeof req->addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, req->addr,
                      sizeof req->addr);
    }
    atomic_fetch_add(&s->active, 1);
    return req;
}

static void req_free(struct http_req *req)
{
    if (req->app && req->srv->cfg->release)
        req->srv->cfg->release(req->app);
    clear_params(req);
    for (int i = 0; i < req->nhdrs; i++) {
        free(req->hdrs[i].name);
        free(req->hdrs[i].value);
    }
    free(req->hdrs);
    json_decref(req->json);
    free(req->body);
    free(req->path);
    free(req);
}

/* Writes the access-log line: no query string, no bodies, no headers, no identities. */
static void access_log(const struct http_req *req)
{
    char line[512];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    double ms = (double)(now_ns() - req->start_ns) / 1e6;
    int n = snprintf(line, sizeof line,
                     "{\"ts\":\"%s\",\"event\":\"http\",\"rid\":\"%s\",\"method\":\"%s\","
                     "\"route\":\"%s\",\"status\":%u,\"ms\":%.3f,\"bytes\":%zu}\n",
                     ts, req->rid, req->method_name, req->log_route, req->status, ms,
                     req->out_len);
    if (n > 0) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line);
        (void)w;
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct http_server *s = cls;
    struct http_req *req = *con_cls;
    if (!req)
        return;
    if (s->cfg->access_log)
        access_log(req);
    req_free(req);
    *con_cls = NULL;
    atomic_fetch_sub(&s->active, 1);
}

/* Parses a Content-Length strictly; -1 when absent or malformed. */
static long long content_length(struct http_req *req)
{
    const char *v = http_header(req, "Content-Length");
    if (!v || !*v)
        return -1;
    long long n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9' || n > (1LL << 50))
            return -1;
        n = n * 10 + (*p - '0');
    }
    return n;
}

static void dispatch(struct http_req *req)
{
    const struct http_config *cfg = req->srv->cfg;
    if (req->too_large) {
        http_reply_error(req, "request.too_large", NULL);
        return;
    }
    if (req->route) {
        if (cfg->authorize && !cfg->authorize(req, req->route))
            return;
        req->route->handler(req);
        return;
    }
    if (cfg->fallback && (!cfg->authorize || cfg->authorize(req, NULL)) && !http_replied(req) &&
        cfg->fallback(req))
        return;
    if (http_replied(req))
        return;
    if (req->allow) {
        allow_header(req, req->allow);
        http_reply_error(req, "request.method_not_allowed", NULL);
    } else {
        http_reply_error(req, "request.not_found", NULL);
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct http_server *s = cls;
    struct http_req *req = *con_cls;
    if (!req) {
        /* First call: set up only. Answering now would make libmicrohttpd drop keep-alive. */
        req = req_new(s, conn, url, method);
        if (!req || !req->path)
            return MHD_NO;
        *con_cls = req;
        req->route = route_request(req, &req->allow);
        if (req->route)
            req->log_route = req->route->pattern;
        else if (req->allow)
            req->log_route = "-method";
        req->body_limit = req->route && req->route->body_limit ? req->route->body_limit
                                                                : HTTP_JSON_BODY_LIMIT;
        long long cl = content_length(req);
        if (cl > (long long)req->body_limit) {
            /* refused without keeping a byte; up to DRAIN_MAX is read and dropped so that the
             * client (a browser mid-upload) receives the 413 instead of a broken connection */
            req->too_large = true;
            if (cl > (long long)DRAIN_MAX)
                http_reply_error(req, "request.too_large", NULL);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (req->too_large && !req->replied) {
            req->discarded += *upload_size;
            if (req->discarded > DRAIN_MAX)
                http_reply_error(req, "request.too_large", NULL);
        } else if (!req->replied && !req->too_large) {
            if (req->body_len + *upload_size > req->body_limit) {
                req->too_large = true;
                free(req->body);
                req->body = NULL;
                req->body_len = req->body_cap = 0;
            } else {
                if (req->body_len + *upload_size + 1 > req->body_cap) {
                    size_t cap = req->body_cap ? req->body_cap : 4096;
                    while (cap < req->body_len + *upload_size + 1)
                        cap *= 2;
                    char *b = realloc(req->body, cap);
                    if (!b)
                        return MHD_NO;
                    req->body = b;
                    req->body_cap = cap;
                }
                memcpy(req->body + req->body_len, upload, *upload_size);
                req->body_len += *upload_size;
                req->body[req->body_len] = 0;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (req->replied)
        return MHD_YES;
    if (req->suspended) { /* resumed: the work it waited for is done */
        req->suspended = false;
        http_handler k = req->continuation;
        req->continuation = NULL;
        if (k)
            k(req);
    } else {
        dispatch(req);
    }
    if (!req->replied && !req->suspended)
        http_reply_error(req, "internal", NULL); /* a handler that forgot to reply is a bug */
    return MHD_YES;
}

static int open_listener(const char *host, uint16_t port, uint16_t *bound, char *err, size_t cap)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    int family;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        family = AF_INET;
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        len = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        family = AF_INET6;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        len = sizeof *v6;
    } else {
        snprintf(err, cap, "not a numeric IP address: %s", host);
        return -1;
    }
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, cap, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
        snprintf(err, cap, "cannot listen on %s:%u: %s", host, port, strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, 1024) != 0) {
        snprintf(err, cap, "listen: %s", strerror(errno));
        close(fd);
        return -1;
    }
    len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *bound = ntohs(family == AF_INET ? v4->sin_port : v6->sin6_port);
    return fd;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    for (char *p = msg; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = ' ';
    fprintf(stderr, "{\"event\":\"http_library\",\"message\":\"%s\"}\n", msg);
}

struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errcap)
{
    struct http_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    s->cfg = cfg;
    s->fd = open_listener(cfg->host, cfg->port, &s->port, err, errcap);
    if (s->fd < 0) {
        free(s);
        return NULL;
    }
    request_prefix = (uint32_t)((unsigned)getpid() * 2654435761u ^ (unsigned)time(NULL));
    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 2;
    }
    s->mhd = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, s->fd,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(err, errcap, "the HTTP server could not start");
        close(s->fd);
        free(s);
        return NULL;
    }
    return s;
}

uint16_t http_server_port(const struct http_server *s)
{
    return s->port;
}

void http_server_stop(struct http_server *s, unsigned grace_ms)
{
    if (!s)
        return;
    MHD_socket fd = MHD_quiesce_daemon(s->mhd);
    for (unsigned waited = 0; atomic_load(&s->active) > 0 && waited < grace_ms; waited += 10)
        usleep(10000);
    MHD_stop_daemon(s->mhd);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    free(s);
}
