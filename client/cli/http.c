/* http.c: libcurl + jansson requests. Every exchange is bounded: HTTP_MAX_REPLY bytes,
 * HTTP_CONNECT_TIMEOUT and HTTP_TOTAL_TIMEOUT seconds, http/https only, no redirects (a token
 * must never follow a redirect to another host). Buffers that held a token are wiped. */
#include "http.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reply body as it arrives; grown by copying so no stale copy is left un-wiped. */
struct sink {
    char *p;
    size_t len, cap;
    bool too_large, oom;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t n = size * nmemb;
    if (n > HTTP_MAX_REPLY - s->len) {
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

enum net http_call(const struct request *rq, struct reply *r, char *detail, size_t cap)
{
    memset(r, 0, sizeof *r);
    if (cap)
        detail[0] = '\0';
    CURL *h = curl_easy_init();
    if (!h)
        return NET_NOMEM;
    struct sink s = {0};
    struct curl_slist *hdr = NULL;
    char *url = NULL, *auth = NULL, errbuf[CURL_ERROR_SIZE] = "";
    enum net result = NET_NOMEM;
    char lang[64];
    snprintf(lang, sizeof lang, "Accept-Language: %s", lang_tag(rq->lang));
    if (asprintf(&url, "%s%s", rq->server, rq->path) < 0) {
        url = NULL;
        goto out;
    }
    if (!add_header(&hdr, "Accept: application/json") || !add_header(&hdr, lang) ||
        !add_header(&hdr, "Expect:"))
        goto out;
    /* no body: no Content-Type either (curl would claim a form for an empty POST) */
    if (!add_header(&hdr, rq->body ? "Content-Type: application/json" : "Content-Type:"))
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
    curl_easy_setopt(h, CURLOPT_TIMEOUT, HTTP_TOTAL_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTP_MAX_REPLY);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "qiao/" QIAO_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
    if (rq->body) {
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
    if (r->len)
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
