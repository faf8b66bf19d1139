/* output.c: messages, errors and listings. */
#include "output.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* s with terminal controls (C0 but newline and tab, DEL, C1) turned into '?', so that text
 * that came from a server cannot drive the terminal. Returns a malloc'd copy, or s itself when
 * out of memory (then *copy is NULL); the caller frees *copy. */
static const char *clean(const char *s, char **copy)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    *copy = out;
    if (!out)
        return s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F) {
            *o++ = '?';
        } else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            *o++ = '?';
            p++;
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

/* Prints prefix, s (cleaned) and suffix on f in one call (stderr is unbuffered: one write, so
 * a line is never split inside a character). */
static void put_clean(FILE *f, const char *prefix, const char *s, const char *suffix)
{
    char *copy;
    fprintf(f, "%s%s%s", prefix, clean(s, &copy), suffix);
    free(copy);
}

char *tr(const struct cli *c, const char *key, const struct msg_arg *args, size_t n)
{
    return msg_format(c->lang, key, args, n);
}

void say(FILE *f, const struct cli *c, const char *key, const struct msg_arg *args, size_t n)
{
    char *s = tr(c, key, args, n);
    put_clean(f, "", s ? s : key, "\n");
    free(s);
}

void warn(const struct cli *c, const char *key, const struct msg_arg *args, size_t n)
{
    char *s = tr(c, key, args, n);
    put_clean(stderr, "qiao: ", s ? s : key, "\n");
    free(s);
}

void print_json(const json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2));
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
}

/* Prints {"error":{"code":code,"message":message}} on stdout. */
static void print_json_error(const char *code, const char *message)
{
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
    if (j)
        print_json(j);
    json_decref(j);
}

int fail(const struct cli *c, int status, const char *code, const char *key,
         const struct msg_arg *args, size_t n)
{
    char *s = tr(c, key, args, n);
    if (c->json) {
        print_json_error(code, s ? s : key);
    } else {
        put_clean(stderr, "qiao: ", s ? s : key, "\n");
    }
    free(s);
    return status;
}

static int status_exit(long status)
{
    if (status == 401)
        return QX_AUTH;
    if (status == 403)
        return QX_FORBIDDEN;
    if (status >= 400)
        return QX_SERVER;
    return QX_NETWORK; /* 1xx/2xx/3xx where an error was expected: no usable reply */
}

int fail_reply(const struct cli *c, const struct reply *r, bool hint_login)
{
    int x = status_exit(r->status);
    json_t *err = json_object_get(r->json, "error");
    const char *message = json_string_value(json_object_get(err, "message"));
    if (r->status < 400 || !message) {
        char status[24];
        snprintf(status, sizeof status, "%ld", r->status);
        return fail(c, x, "cli.bad_reply", "cli.error.bad_reply",
                    ARGS(A_STR("server", c->server), A_STR("status", status)));
    }
    if (c->json) {
        print_json(r->json);
        return x;
    }
    put_clean(stderr, "qiao: ", message, "\n");
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(err, "fields"), i, f)
    {
        const char *field = json_string_value(json_object_get(f, "field"));
        const char *fmsg = json_string_value(json_object_get(f, "message"));
        if (!fmsg)
            fmsg = json_string_value(json_object_get(f, "code"));
        if (field && fmsg) {
            char *cf, *cm;
            fprintf(stderr, "  %s: %s\n", clean(field, &cf), clean(fmsg, &cm));
            free(cf);
            free(cm);
        }
    }
    if (hint_login && x == QX_AUTH)
        say(stderr, c, "cli.hint.login", NOARGS);
    return x;
}

int fail_net(const struct cli *c, enum net n, const char *detail)
{
    static const char *const keys[] = {
        [NET_OK] = "cli.error.net_other",        [NET_REFUSED] = "cli.error.net_refused",
        [NET_RESOLVE] = "cli.error.net_resolve", [NET_TIMEOUT] = "cli.error.net_timeout",
        [NET_TLS] = "cli.error.net_tls",         [NET_TOO_LARGE] = "cli.error.net_too_large",
        [NET_OTHER] = "cli.error.net_other",     [NET_NOMEM] = "cli.error.no_memory",
    };
    if (n == NET_NOMEM)
        return fail(c, QX_LOCAL, "cli.no_memory", keys[n], NOARGS);
    return fail(c, QX_NETWORK, "cli.network", keys[n],
                ARGS(A_STR("server", c->server), A_STR("detail", detail ? detail : ""),
                     A_NUM("mib", HTTP_MAX_REPLY / (1024 * 1024))));
}

/* Decodes one UTF-8 sequence at *p (advancing it); malformed bytes count as one U+FFFD. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    int len = s[0] < 0x80         ? 1
              : (s[0] >> 5) == 6  ? 2
              : (s[0] >> 4) == 14 ? 3
              : (s[0] >> 3) == 30 ? 4
                                  : 0;
    if (len == 0) {
        (*p)++;
        return 0xFFFD;
    }
    uint32_t cp = len == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> len));
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *p = s + len;
    return cp;
}

static bool is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t text_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p)
        w += is_wide(next_cp(&p)) ? 2 : 1;
    return w;
}

void print_rows(const struct cli *c, const struct row *rows, size_t n)
{
    char **labels = calloc(n, sizeof *labels);
    size_t widest = 0;
    if (!labels)
        return;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].value)
            continue;
        labels[i] = tr(c, rows[i].label, NOARGS);
        size_t w = labels[i] ? text_width(labels[i]) : 0;
        if (w > widest)
            widest = w;
    }
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].value || !labels[i])
            continue;
        char *copy;
        printf("%s%*s %s\n", labels[i], (int)(widest - text_width(labels[i])), "",
               clean(rows[i].value, &copy));
        free(copy);
        free(labels[i]);
    }
    free(labels);
}
