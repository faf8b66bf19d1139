/* http.c: libcurl + jansson requests. Every exchange is bounded: HTTP_MAX_REPLY bytes (or the
 * caller's bound), HTTP_CONNECT_TIMEOUT and HTTP_TOTAL_TIMEOUT seconds (or the caller's total,
 * with a floor on the transfer speed), http/https only, no redirects (a token must never follow a
 * redirect to another host). Buffers that held a token or a reply are wiped. */
#include "http.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reply body as it arrives; grown by copying so no stale copy is left un-wiped. */
struct sink {
    char *p;
    size_t len, cap, max;
    bool too_large, oom;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t n = size * nmemb;
    if (n > s->max - s->len) {
        s->too_large = true;
        return 0; /* aborts the transfer */
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *p = malloc(cap);
        if (!p) {
            s->oom = true;
            return 0;
        }
        if (s->p) {
            memcpy(p, s->p, s->len);
            explicit_bzero(s->p, s->len);
            free(s->p);
        }
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->len, data, n);
    s->len += n;
    s->p[s->len] = '\0';
    return n;
}

int http_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_cleanup(void)
{
    curl_global_cleanup();
}

void reply_free(struct reply *r)
{
    json_decref(r->json);
    for (size_t i = 0; i < HTTP_MAX_WANT; i++)
        free(r->headers[i]);
    if (r->body) {
        explicit_bzero(r->body, r->len);
        free(r->body);
    }
    memset(r, 0, sizeof *r);
}

void json_wipe_member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v))
        explicit_bzero((char *)json_string_value(v), json_string_length(v));
}

/* Frees a header list after wiping each line (one of them carries the token). */
static void free_headers(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(h);
}

/* Appends line to *h; false when out of memory (then *h is left as it was). */
static bool add_header(struct curl_slist **h, const char *line)
{
    struct curl_slist *n = curl_slist_append(*h, line);
    if (!n)
        return false;
    *h = n;
    return true;
}

static enum net classify(CURLcode rc, const struct sink *s)
{
    if (s->too_large || rc == CURLE_FILESIZE_EXCEEDED)
        return NET_TOO_LARGE;
    if (s->oom || rc == CURLE_OUT_OF_MEMORY)
        return NET_NOMEM;
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        return NET_REFUSED;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return NET_RESOLVE;
    case CURLE_OPERATION_TIMEDOUT:
        return NET_TIMEOUT;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return NET_TLS;
    default:
        return NET_OTHER;
    }
}

/* A file part's bytes, handed to libcurl as it reads them (no copy is made, so none is left
 * behind un-wiped). */
struct part_src {
    const char *data;
    size_t len, pos;
};

static size_t part_read(char *buf, size_t size, size_t nitems, void *ud)
{
    struct part_src *p = ud;
    size_t n = size * nitems;
    if (n > p->len - p->pos)
        n = p->len - p->pos;
    memcpy(buf, p->data + p->pos, n);
    p->pos += n;
    return n;
}

static int part_seek(void *ud, curl_off_t offset, int origin)
{
    struct part_src *p = ud;
    if (origin != SEEK_SET || offset < 0 || (size_t)offset > p->len)
        return CURL_SEEKFUNC_CANTSEEK;
    p->pos = (size_t)offset;
    return CURL_SEEKFUNC_OK;
}

/* Builds the multipart/form-data body of x on h into *mime (src: one reader per part, x->nform
 * of them, owned by the caller). false when out of memory. */
static bool build_form(CURL *h, const struct http_extra *x, struct part_src *src, curl_mime **mime)
{
    *mime = curl_mime_init(h);
    if (!*mime)
        return false;
    for (size_t i = 0; i < x->nform; i++) {
        const struct form_part *f = &x->form[i];
        curl_mimepart *part = curl_mime_addpart(*mime);
        if (!part || curl_mime_name(part, f->name) != CURLE_OK)
            return false;
        src[i] = (struct part_src){f->data, f->len, 0};
        if (curl_mime_data_cb(part, (curl_off_t)f->len, part_read, part_seek, NULL, &src[i]) !=
            CURLE_OK)
            return false;
        if (f->filename && (curl_mime_filename(part, f->filename) != CURLE_OK ||
                            curl_mime_type(part, "application/octet-stream") != CURLE_OK))
            return false;
    }
    return true;
}

/* Keeps the reply headers x->want names in r->headers; false when out of memory. */
static bool keep_headers(CURL *h, const struct http_extra *x, struct reply *r)
{
    for (size_t i = 0; x->want && i < HTTP_MAX_WANT && x->want[i]; i++) {
        struct curl_header *hd = NULL;
        if (curl_easy_header(h, x->want[i], 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd)
            continue;
        if (!(r->headers[i] = strdup(hd->value)))
            return false;
    }
    return true;
}

enum net http_call(const struct request *rq, struct reply *r, char *detail, size_t cap)
{
    return http_call_ex(rq, NULL, r, detail, cap);
}

enum net http_call_ex(const struct request *rq, const struct http_extra *x, struct reply *r,
                      char *detail, size_t cap)
{
    memset(r, 0, sizeof *r);
    if (cap)
        detail[0] = '\0';
    static const struct http_extra none = {0};
    if (!x)
        x = &none;
    CURL *h = curl_easy_init();
    if (!h)
        return NET_NOMEM;
    size_t max = x->max_reply ? x->max_reply : HTTP_MAX_REPLY;
    struct sink s = {.max = max};
    curl_mime *mime = NULL;
    struct part_src *src = x->nform ? calloc(x->nform, sizeof *src) : NULL;
    struct curl_slist *hdr = NULL;
    char *url = NULL, *auth = NULL, errbuf[CURL_ERROR_SIZE] = "";
    enum net result = NET_NOMEM;
    char lang[64];
    snprintf(lang, sizeof lang, "Accept-Language: %s", lang_tag(rq->lang));
    if (asprintf(&url, "%s%s", rq->server, rq->path) < 0) {
        url = NULL;
        goto out;
    }
    if (x->nform && !src)
        goto out;
    if (!add_header(&hdr, x->binary ? "Accept: */*" : "Accept: application/json") ||
        !add_header(&hdr, lang) || !add_header(&hdr, "Expect:"))
        goto out;
    /* no body: no Content-Type either (curl would claim a form for an empty POST); a form's
     * Content-Type (with its boundary) is curl's to write */
    if (!x->nform &&
        !add_header(&hdr, rq->body ? "Content-Type: application/json" : "Content-Type:"))
        goto out;
    for (size_t i = 0; x->headers && x->headers[i]; i++)
        if (!add_header(&hdr, x->headers[i]))
            goto out;
    if (rq->token) {
        if (asprintf(&auth, "Authorization: Bearer %s", rq->token) < 0) {
            auth = NULL;
            goto out;
        }
        bool ok = add_header(&hdr, auth);
        explicit_bzero(auth, strlen(auth));
        if (!ok)
            goto out;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, HTTP_CONNECT_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, x->timeout ? x->timeout : HTTP_TOTAL_TIMEOUT);
    if (x->timeout) { /* a long transfer may take its time, but must keep moving */
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 512L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, HTTP_TOTAL_TIMEOUT);
    }
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "qiao/" QIAO_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
    if (x->nform) {
        if (!build_form(h, x, src, &mime))
            goto out;
        curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
    } else if (rq->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(rq->body));
    } else if (strcmp(rq->method, "GET") != 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        result = classify(rc, &s);
        snprintf(detail, cap, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    r->body = s.p;
    r->len = s.len;
    s.p = NULL;
    if (!keep_headers(h, x, r))
        goto out; /* NET_NOMEM; r is released by the caller's reply_free */
    if (r->len && (!x->binary || r->status >= 400))
        r->json = json_loadb(r->body, r->len, 0, NULL);
    result = NET_OK;
out:
    free_headers(hdr);
    free(auth);
    free(url);
    if (s.p) {
        explicit_bzero(s.p, s.len);
        free(s.p);
    }
    curl_easy_cleanup(h);
    curl_mime_free(mime); /* after the handle that used it */
    free(src);
    return result;
}

char *http_normalize_server(const char *url)
{
    if (!url || !*url || strlen(url) > 2048)
        return NULL;
    CURLU *u = curl_url();
    char *scheme = NULL, *full = NULL, *part = NULL, *out = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
        goto done;
    if (curl_url_get(u, CURLUPART_USER, &part, 0) != CURLUE_NO_USER ||
        curl_url_get(u, CURLUPART_QUERY, &part, 0) != CURLUE_NO_QUERY ||
        curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) != CURLUE_NO_FRAGMENT)
        goto done;
    if (curl_url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK)
        goto done;
    size_t n = strlen(full);
    while (n > 0 && full[n - 1] == '/')
        n--;
    out = strndup(full, n);
done:
    curl_free(part);
    curl_free(full);
    curl_free(scheme);
    curl_url_cleanup(u);
    return out;
}
