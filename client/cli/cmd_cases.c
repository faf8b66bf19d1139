/* cmd_cases.c: `qiao cases` (list, show, file, withdraw, event) and `qiao invitation accept`,
 * and the helpers the case and document commands share (declared in cmd_cases.h). Everything
 * the server wrote is made safe before it reaches the terminal; tokens are never printed. */
#include "cmd_cases.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "i18n/format.h"
#include "output.h"
#include "prompt.h"

#define PATH_CAP 1024    /* an API path with its query */
#define NUMBER_CAP 40    /* a case number as typed */
#define TITLE_COLUMNS 40 /* the title column of `cases list` */
#define CODE_CAP 256     /* an invitation code read from standard input */
#define PAGE_MAX 100     /* the server's largest page */
/* what an idempotency key given with --idempotency-key may hold */
#define KEY_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:"

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers                                                                              */

int run_subcommand(struct cli *c, const char *command, const struct subcommand *subs, size_t n,
                   int argc, char **argv)
{
    char list[256] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 subs[i].name);
    if (argc == 0)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.no_subcommand",
                    ARGS(A_STR("command", command), A_STR("list", list)));
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[0], subs[i].name) == 0)
            return subs[i].run(c, argc - 1, argv + 1);
    return fail(c, QX_USAGE, "cli.usage", "cli.error.unknown_subcommand",
                ARGS(A_STR("command", command), A_STR("sub", argv[0]), A_STR("list", list)));
}

/* The option of opts that argument a names; *inline_value gets the text after '=' if any. */
static const struct opt *find_opt(const char *a, const struct opt *opts, size_t nopts,
                                  const char **inline_value)
{
    *inline_value = NULL;
    for (size_t k = 0; k < nopts; k++) {
        size_t n = strlen(opts[k].name);
        if (strncmp(a, opts[k].name, n) == 0 && a[n] == '\0')
            return &opts[k];
        if (strncmp(a, opts[k].name, n) == 0 && a[n] == '=' && opts[k].value) {
            *inline_value = a + n + 1;
            return &opts[k];
        }
        if (opts[k].alias && strcmp(a, opts[k].alias) == 0)
            return &opts[k];
    }
    return NULL;
}

int parse_args(const struct cli *c, const char *usage, int argc, char **argv,
               const struct opt *opts, size_t nopts, const char **pos, int minpos, int maxpos,
               int *npos)
{
    char command[64]; /* "cases show ID|NUMBER" → "cases show" */
    size_t first = strcspn(usage, " ");
    size_t both = usage[first] ? first + 1 + strcspn(usage + first + 1, " ") : first;
    snprintf(command, sizeof command, "%.*s", (int)both, usage);
    *npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            if (*npos >= maxpos)
                return fail(c, QX_USAGE, "cli.usage", "cli.error.too_many_args",
                            ARGS(A_STR("command", command)));
            pos[(*npos)++] = a;
            continue;
        }
        const char *v;
        const struct opt *o = find_opt(a, opts, nopts, &v);
        if (!o)
            return fail(c, QX_USAGE, "cli.usage", "cli.error.unknown_option",
                        ARGS(A_STR("option", a)));
        if (!o->value) {
            *o->flag = true;
            continue;
        }
        if (!v && i + 1 >= argc)
            return fail(c, QX_USAGE, "cli.usage", "cli.error.missing_value",
                        ARGS(A_STR("option", o->name)));
        *o->value = v ? v : argv[++i];
    }
    if (*npos < minpos)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.missing_args",
                    ARGS(A_STR("usage", usage)));
    return QX_OK;
}

/* After a not-signed-in error in text mode: how to sign in. Returns QX_AUTH. */
int api_call(const struct cli *c, const struct request *rq, const struct http_extra *x,
             struct reply *r, long ok, long ok2)
{
    char detail[256];
    enum net n = http_call_ex(rq, x, r, detail, sizeof detail);
    if (n != NET_OK)
        return fail_net(c, n, detail);
    if (r->status != ok && r->status != ok2)
        return fail_reply(c, r, true);
    if (!(x && x->binary) && !json_is_object(r->json)) {
        char status[24];
        snprintf(status, sizeof status, "%ld", r->status);
        return fail(c, QX_NETWORK, "cli.bad_reply", "cli.error.bad_reply",
                    ARGS(A_STR("server", c->server), A_STR("status", status)));
    }
    return QX_OK;
}

/* A GET of path with the stored session, checked as api_call does (200 only). */
int api_get(const struct cli *c, const char *path, struct reply *r)
{
    struct request rq = {c->server, "GET", path, NULL, c->creds.token, c->lang};
    return api_call(c, &rq, NULL, r, 200, 200);
}

/* POST of the JSON body with the stored session, checked as api_call does. */
int api_post(const struct cli *c, const char *path, json_t *body, const char *const *headers,
             struct reply *r, long ok, long ok2)
{
    char *text = json_dumps(body, JSON_COMPACT);
    if (!text) {
        memset(r, 0, sizeof *r);
        return fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
    }
    struct request rq = {c->server, "POST", path, text, c->creds.token, c->lang};
    struct http_extra x = {.headers = headers};
    int rc = api_call(c, &rq, &x, r, ok, ok2);
    explicit_bzero(text, strlen(text)); /* what people wrote about their disputes */
    free(text);
    return rc;
}

/* Is s a positive decimal id without a leading zero, at most 15 digits? */
static bool is_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 15 || s[0] == '0')
        return false;
    return strspn(s, "0123456789") == n;
}

/* Appends "&name=value" (or "?…" first) to the query in buf, percent-encoding value; false when
 * it does not fit. */
static bool add_query(char *buf, size_t cap, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(buf);
    int n = snprintf(buf + len, cap - len, "%c%s=", strchr(buf, '?') ? '&' : '?', name);
    if (n < 0 || (size_t)n >= cap - len)
        return false;
    len += (size_t)n;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || strchr("-._~", *p);
        if (len + (plain ? 1 : 3) >= cap)
            return false;
        if (plain) {
            buf[len++] = (char)*p;
        } else {
            buf[len++] = '%';
            buf[len++] = hex[*p >> 4];
            buf[len++] = hex[*p & 15];
        }
    }
    buf[len] = '\0';
    return true;
}

int resolve_case(const struct cli *c, const char *arg, long long *id)
{
    if (is_id(arg)) {
        *id = strtoll(arg, NULL, 10);
        return QX_OK;
    }
    size_t n = strlen(arg);
    if (n < 3 || n >= NUMBER_CAP || !strchr(arg, '-') || arg[0] == '-' ||
        strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != n)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_case_ref", ARGS(A_STR("ref", arg)));
    char number[NUMBER_CAP], center[NUMBER_CAP];
    for (size_t i = 0; i <= n; i++)
        number[i] = arg[i] >= 'a' && arg[i] <= 'z' ? (char)(arg[i] - 'a' + 'A') : arg[i];
    snprintf(center, sizeof center, "%.*s", (int)strcspn(number, "-"), number);
    /* the number begins with its center's code: only that center's cases are paged through */
    char cursor[32] = "";
    for (int page = 0; page < CASE_LIST_MAX_ROWS / PAGE_MAX; page++) {
        char path[PATH_CAP] = "/api/v1/cases";
        add_query(path, sizeof path, "limit", "100");
        add_query(path, sizeof path, "center", center);
        if (cursor[0])
            add_query(path, sizeof path, "cursor", cursor);
        struct reply r;
        int x = api_get(c, path, &r);
        if (x != QX_OK) {
            reply_free(&r);
            return x;
        }
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(r.json, "items"), i, item)
        {
            const char *num = json_string_value(json_object_get(item, "number"));
            json_t *jid = json_object_get(item, "id");
            if (num && json_is_integer(jid) && strcmp(num, number) == 0) {
                *id = (long long)json_integer_value(jid);
                reply_free(&r);
                return QX_OK;
            }
        }
        const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
        bool more = next && strlen(next) < sizeof cursor && strcmp(next, cursor) != 0;
        if (more)
            snprintf(cursor, sizeof cursor, "%s", next);
        reply_free(&r);
        if (!more)
            break;
    }
    return fail(c, QX_SERVER, "case.not_found", "cli.error.no_such_case",
                ARGS(A_STR("number", number)));
}

/* The length of the UTF-8 sequence that starts with byte b (1 for a stray byte). */
static size_t seq_len(unsigned char b)
{
    return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

char *safe_text(const char *s, bool oneline)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p == '\n' || *p == '\t') {
            *o++ = oneline ? ' ' : (char)*p;
            p++;
        } else if (*p < 0x20 || *p == 0x7F) {
            *o++ = '?';
            p++;
        } else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) { /* C1 */
            *o++ = '?';
            p += 2;
        } else if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                                    (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
            *o++ = '?'; /* U+202A–U+202E, U+2066–U+2069: text that reorders what follows */
            p += 3;
        } else {
            size_t k = seq_len(*p);
            for (size_t i = 0; i < k && *p; i++)
                *o++ = (char)*p++;
        }
    }
    *o = '\0';
    return out;
}

void put_text(FILE *f, const char *s, bool oneline)
{
    char *t = safe_text(s ? s : "", oneline);
    if (t)
        fputs(t, f);
    free(t);
}

char *label(const struct cli *c, const char *prefix, const char *value)
{
    if (!value)
        return strdup("—");
    char key[128];
    int n = snprintf(key, sizeof key, "%s%s", prefix, value);
    if (n > 0 && (size_t)n < sizeof key && catalog_pattern(c->lang, key))
        return tr(c, key, NOARGS);
    return safe_text(value, true);
}

int read_input_file(const struct cli *c, const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    char mib[16];
    snprintf(mib, sizeof mib, "%u", (unsigned)(max / (1024 * 1024)));
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0 && !is_stdin)
            close(fd);
        return fail(c, QX_LOCAL, "cli.file", "cli.error.file_read",
                    ARGS(A_STR("path", path), A_STR("reason", strerror(e))));
    }
    int x = QX_OK;
    if (!is_stdin && !S_ISREG(st.st_mode)) {
        x = fail(c, QX_LOCAL, "cli.file", "cli.error.not_a_file", ARGS(A_STR("path", path)));
        goto out;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
        x = fail(c, QX_SERVER, "cli.invalid_input", "cli.error.file_too_large",
                 ARGS(A_STR("path", path), A_STR("max", mib)));
        goto out;
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64 * 1024;
    char *buf = malloc(cap + 1);
    size_t got = 0;
    while (buf) {
        if (got == cap) { /* a pipe, or a file that grows: grow, but never past max + 1 */
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = ncap > cap ? malloc(ncap + 1) : NULL;
            if (!nb) {
                if (ncap <= cap)
                    break; /* at max + 1 already: too large, reported below */
                explicit_bzero(buf, got);
                free(buf);
                buf = NULL;
                break;
            }
            memcpy(nb, buf, got);
            explicit_bzero(buf, got);
            free(buf);
            buf = nb;
            cap = ncap;
        }
        ssize_t k = read(fd, buf + got, cap - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            explicit_bzero(buf, got);
            free(buf);
            x = fail(c, QX_LOCAL, "cli.file", "cli.error.file_read",
                     ARGS(A_STR("path", path), A_STR("reason", strerror(e))));
            goto out;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    if (!buf) {
        x = fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
        goto out;
    }
    if (got > max) {
        explicit_bzero(buf, got);
        free(buf);
        x = fail(c, QX_SERVER, "cli.invalid_input", "cli.error.file_too_large",
                 ARGS(A_STR("path", path), A_STR("max", mib)));
        goto out;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
out:
    if (!is_stdin)
        close(fd);
    return x;
}

/* SHA-256 as FIPS 180-4 defines it. */
struct sha256_ctx {
    uint32_t h[8];
    uint64_t bytes;
    uint8_t block[64];
    size_t fill;
};

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

/* Mixes one 64-byte block into the state. */
static void sha256_block(struct sha256_ctx *s, const uint8_t *p)
{
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, s->h, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
                      ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha256_k[i] + w[i];
        uint32_t t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
                      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        s->h[i] += v[i];
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
    struct sha256_ctx s = {{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
                            0x1f83d9ab, 0x5be0cd19},
                           0,
                           {0},
                           0};
    const uint8_t *p = data;
    s.bytes = len;
    for (; len >= 64; p += 64, len -= 64)
        sha256_block(&s, p);
    memcpy(s.block, p, len);
    s.block[len] = 0x80;
    if (len >= 56) {
        memset(s.block + len + 1, 0, 63 - len);
        sha256_block(&s, s.block);
        memset(s.block, 0, 56);
    } else {
        memset(s.block + len + 1, 0, 55 - len);
    }
    uint64_t bits = s.bytes * 8;
    for (int i = 0; i < 8; i++)
        s.block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_block(&s, s.block);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", (unsigned)s.h[i]);
    explicit_bzero(&s, sizeof s);
}

/* ------------------------------------------------------------------------------------------ */
/* Printing cases                                                                              */

/* The string member key of o, or dflt. Borrowed. */
static const char *json_str(json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

/* The terminal columns of the first UTF-8 character of s, and its length in *n. */
static size_t char_width(const char *s, size_t *n)
{
    char one[5] = "";
    size_t k = seq_len((unsigned char)*s);
    for (*n = 0; *n < k && s[*n]; (*n)++)
        one[*n] = s[*n];
    return text_width(one);
}

/* s (already safe) cut to at most width columns, "…" marking a cut; malloc'd. */
static char *fit(const char *s, size_t width)
{
    if (text_width(s) <= width)
        return strdup(s);
    size_t used = 0, at = 0, n;
    while (s[at]) {
        size_t w = char_width(s + at, &n);
        if (used + w > width - 1)
            break;
        used += w;
        at += n;
    }
    char *out = malloc(at + sizeof "…");
    if (out) {
        memcpy(out, s, at);
        strcpy(out + at, "…");
    }
    return out;
}

/* Prints s (safe) and pads it with spaces to width columns. */
static void put_cell(const char *s, size_t width)
{
    size_t w = text_width(s);
    fputs(s, stdout);
    for (; w < width; w++)
        fputc(' ', stdout);
}

/* "HQ-FAM-2026-000001", or "#12" for a draft (no number yet): malloc'd, safe. */
static char *case_ref(json_t *k)
{
    const char *num = json_string_value(json_object_get(k, "number"));
    if (num)
        return safe_text(num, true);
    char buf[32];
    snprintf(buf, sizeof buf, "#%lld", (long long)json_integer_value(json_object_get(k, "id")));
    return strdup(buf);
}

/* The deadline that matters in the case's state: the respondent's answer while they are
 * invited, the end of mediation once they agreed; NULL otherwise. */
static const char *current_deadline(const char *status)
{
    static const char *const answering[] = {"accepted", "respondent_invited", NULL};
    static const char *const mediating[] = {"respondent_agreed", "mediator_assigned",
                                            "in_mediation", NULL};
    for (size_t i = 0; status && answering[i]; i++)
        if (strcmp(status, answering[i]) == 0)
            return "respondent_answer";
    for (size_t i = 0; status && mediating[i]; i++)
        if (strcmp(status, mediating[i]) == 0)
            return "mediation_end";
    return NULL;
}

/* A deadline {"date","display","overdue"} as text ("2026年12月3日", marked when overdue);
 * malloc'd, safe; "—" when there is none. */
static char *deadline_text(const struct cli *c, json_t *d)
{
    const char *date = json_string_value(json_object_get(d, "date"));
    const char *display = json_string_value(json_object_get(d, "display"));
    char local[128];
    if (date && format_date(c->lang, date, local, sizeof local) == 0)
        display = local; /* in the language of this run, which --lang may have chosen */
    if (!display)
        display = date;
    if (!display)
        return strdup("—");
    char *safe = safe_text(display, true);
    if (!safe || !json_is_true(json_object_get(d, "overdue")))
        return safe;
    char *t = tr(c, "cli.case.overdue", ARGS(A_STR("date", safe)));
    free(safe);
    return t;
}

/* The free text member key of o as one line for a table cell: the converted view when the
 * server gave one (*converted set to its source script), else the original. Borrowed. */
static const char *shown_text(json_t *o, const char *key, const char **converted)
{
    char k[64];
    snprintf(k, sizeof k, "%s_converted", key);
    json_t *cv = json_object_get(o, k);
    const char *text = json_string_value(json_object_get(cv, "text"));
    *converted = text ? json_string_value(json_object_get(cv, "from")) : NULL;
    if (text && !*converted)
        *converted = "zh-Hant";
    return text ? text : json_string_value(json_object_get(o, key));
}

/* The catalog key of the note "converted from <script> — the original prevails". */
static const char *converted_key(const char *from)
{
    return from && strcmp(from, "zh-Hans") == 0 ? "cli.case.converted_from_hans"
                                                : "cli.case.converted_from_hant";
}

enum { COL_ID, COL_NUMBER, COL_STATUS, COL_CENTER, COL_TYPE, COL_TITLE, COL_DEADLINE, NCOLS };

/* Prints the summaries of items as a table; notes converted titles below it. */
static void print_case_table(const struct cli *c, json_t *items)
{
    static const char *const heads[NCOLS] = {"cli.cases.col.id",      "cli.cases.col.number",
                                             "cli.cases.col.status",  "cli.cases.col.center",
                                             "cli.cases.col.type",    "cli.cases.col.title",
                                             "cli.cases.col.deadline"};
    size_t n = json_array_size(items), width[NCOLS] = {0};
    char *(*cells)[NCOLS] = calloc(n + 1, sizeof *cells);
    if (!cells)
        return;
    bool from_hans = false, from_hant = false;
    for (int k = 0; k < NCOLS; k++)
        cells[0][k] = tr(c, heads[k], NOARGS);
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        char **row = cells[i + 1], buf[64];
        const char *status = json_string_value(json_object_get(it, "status"));
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(it, "id")));
        row[COL_ID] = strdup(buf);
        const char *num = json_string_value(json_object_get(it, "number"));
        row[COL_NUMBER] = num ? safe_text(num, true) : strdup("—");
        row[COL_STATUS] = label(c, "cli.status.", status);
        row[COL_CENTER] = safe_text(json_str(it, "center", ""), true);
        char *type = label(c, "cli.type.", json_string_value(json_object_get(it, "type")));
        char *sub = label(c, "cli.subtype.", json_string_value(json_object_get(it, "subtype")));
        if (type && sub && asprintf(&row[COL_TYPE], "%s / %s", type, sub) < 0)
            row[COL_TYPE] = NULL;
        free(type);
        free(sub);
        const char *from;
        const char *title = shown_text(it, "title", &from);
        char *safe = safe_text(title ? title : "—", true),
             *cut = safe ? fit(safe, TITLE_COLUMNS) : NULL;
        free(safe);
        if (cut && from && asprintf(&row[COL_TITLE], "%s*", cut) >= 0) {
            free(cut);
            from_hans |= strcmp(from, "zh-Hans") == 0;
            from_hant |= strcmp(from, "zh-Hans") != 0;
        } else {
            row[COL_TITLE] = cut;
        }
        const char *which = current_deadline(status);
        row[COL_DEADLINE] =
            which ? deadline_text(c, json_object_get(json_object_get(it, "deadlines"), which))
                  : strdup("—");
    }
    for (size_t i = 0; i <= n; i++)
        for (int k = 0; k < NCOLS; k++) {
            size_t w = cells[i][k] ? text_width(cells[i][k]) : 0;
            if (w > width[k])
                width[k] = w;
        }
    for (size_t i = 0; i <= n; i++) {
        for (int k = 0; k < NCOLS; k++) {
            const char *s = cells[i][k] ? cells[i][k] : "?";
            if (k == NCOLS - 1) {
                fputs(s, stdout);
            } else {
                put_cell(s, width[k]);
                fputs("  ", stdout);
            }
            free(cells[i][k]);
        }
        fputc('\n', stdout);
    }
    free(cells);
    if (from_hans)
        say(stdout, c, "cli.cases.note_converted_hans", NOARGS);
    if (from_hant)
        say(stdout, c, "cli.cases.note_converted_hant", NOARGS);
}

/* ------------------------------------------------------------------------------------------ */
/* qiao cases list                                                                             */

/* Parses a --limit value: 1 … CASE_LIST_MAX_ROWS, digits only. */
static bool parse_limit(const char *s, int *out)
{
    if (!s || !*s || strlen(s) > 5 || strspn(s, "0123456789") != strlen(s))
        return false;
    long v = strtol(s, NULL, 10);
    if (v < 1 || v > CASE_LIST_MAX_ROWS)
        return false;
    *out = (int)v;
    return true;
}

/* `qiao cases list`: pages through GET /api/v1/cases (PAGE_MAX at a time) until --limit rows
 * (default 20; --all: CASE_LIST_MAX_ROWS) or the end; prints a table, or with --json the
 * server's reply (the pages' items joined when there were several). */
static int cases_list(struct cli *c, int argc, char **argv)
{
    const char *status = NULL, *type = NULL, *center = NULL, *limit_s = NULL, *pos[1];
    bool all = false;
    int npos;
    const struct opt opts[] = {{"--status", NULL, &status, NULL},
                               {"--type", NULL, &type, NULL},
                               {"--center", NULL, &center, NULL},
                               {"--limit", NULL, &limit_s, NULL},
                               {"--all", NULL, NULL, &all}};
    int x = parse_args(c, "cases list [--status S] [--type T] [--center C] [--limit N] [--all]",
                       argc, argv, opts, 5, pos, 0, 0, &npos);
    if (x != QX_OK)
        return x;
    int want = 20;
    if (limit_s && !parse_limit(limit_s, &want))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_limit",
                    ARGS(A_STR("value", limit_s), A_NUM("max", CASE_LIST_MAX_ROWS)));
    if (all)
        want = limit_s ? want : CASE_LIST_MAX_ROWS;
    if ((x = check_session(c)) != QX_OK)
        return x;
    json_t *items = json_array();
    json_t *last = NULL; /* the first page's reply, when it is the only one */
    char cursor[32] = "";
    bool more = false;
    int pages = 0;
    while (items && (int)json_array_size(items) < want) {
        char path[PATH_CAP] = "/api/v1/cases", lim[16];
        int left = want - (int)json_array_size(items);
        snprintf(lim, sizeof lim, "%d", left < PAGE_MAX ? left : PAGE_MAX);
        bool fits = add_query(path, sizeof path, "limit", lim) &&
                    (!status || add_query(path, sizeof path, "status", status)) &&
                    (!type || add_query(path, sizeof path, "type", type)) &&
                    (!center || add_query(path, sizeof path, "center", center)) &&
                    (!cursor[0] || add_query(path, sizeof path, "cursor", cursor));
        if (!fits) {
            x = fail(c, QX_USAGE, "cli.usage", "cli.error.input_too_long", NOARGS);
            break;
        }
        struct reply r;
        if ((x = api_get(c, path, &r)) != QX_OK) {
            reply_free(&r);
            break;
        }
        json_t *page = json_object_get(r.json, "items");
        const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
        if (!json_is_array(page)) {
            reply_free(&r);
            x = fail(c, QX_NETWORK, "cli.bad_reply", "cli.error.bad_reply",
                     ARGS(A_STR("server", c->server), A_STR("status", "200")));
            break;
        }
        json_array_extend(items, page);
        while ((int)json_array_size(items) > want) /* a server that gave more than asked */
            json_array_remove(items, json_array_size(items) - 1);
        if (pages++ == 0)
            last = json_incref(r.json);
        /* a cursor that does not move (or an empty page claiming more) ends the walk */
        more = next && strlen(next) < sizeof cursor && strcmp(next, cursor) != 0 &&
               json_array_size(page) > 0;
        if (more)
            snprintf(cursor, sizeof cursor, "%s", next);
        reply_free(&r);
        if (!more)
            break;
    }
    if (!items)
        x = fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
    if (x == QX_OK && c->json) {
        if (pages == 1) {
            print_json(last); /* the server's reply as it came */
        } else {
            json_t *out = json_pack("{s:O,s:o}", "items", items, "next_cursor",
                                    more ? json_string(cursor) : json_null());
            print_json(out);
            json_decref(out);
        }
    } else if (x == QX_OK) {
        if (json_array_size(items) == 0)
            say(stdout, c, "cli.cases.none", NOARGS);
        else
            print_case_table(c, items);
        if (more && all)
            warn(c, "cli.cases.capped", ARGS(A_NUM("n", (long long)json_array_size(items))));
        else if (more)
            say(stdout, c, "cli.cases.more", NOARGS);
    }
    json_decref(last);
    json_decref(items);
    return x;
}

/* ------------------------------------------------------------------------------------------ */
/* qiao cases show                                                                             */

/* Prints text (safe) with the first line after first and the others after rest. */
static void put_block(const char *first, const char *rest, const char *text)
{
    char *t = safe_text(text ? text : "—", false);
    if (!t)
        return;
    const char *p = t;
    fputs(first, stdout);
    for (;;) {
        size_t n = strcspn(p, "\n");
        fwrite(p, 1, n, stdout);
        fputc('\n', stdout);
        if (!p[n])
            break;
        p += n + 1;
        fputs(rest, stdout);
    }
    free(t);
}

/* Prints the free text member key of o after first (continuation lines after rest). When the
 * server converted it to the reader's script, the converted text comes first, labelled, and
 * the original (which prevails) beside it. */
static void put_free_text(const struct cli *c, const char *first, const char *rest, json_t *o,
                          const char *key)
{
    const char *from;
    const char *text = shown_text(o, key, &from);
    put_block(first, rest, text);
    if (!from)
        return;
    char *note = tr(c, converted_key(from), NOARGS);
    char *orig = tr(c, "cli.case.original", NOARGS);
    char *orig_first = NULL, *orig_rest = NULL;
    if (note && orig && asprintf(&orig_first, "%s%s ", rest, orig) >= 0 &&
        asprintf(&orig_rest, "%s%*s", rest, (int)text_width(orig) + 1, "") >= 0) {
        put_block(rest, rest, note);
        put_block(orig_first, orig_rest, json_string_value(json_object_get(o, key)));
    }
    free(note);
    free(orig);
    free(orig_first);
    free(orig_rest);
}

/* Prints a label (a catalog key, text ending with its colon) padded to width, then value. */
static void put_label(const struct cli *c, const char *key, size_t width)
{
    char *l = tr(c, key, NOARGS);
    put_cell(l ? l : key, width);
    fputc(' ', stdout);
    free(l);
}

/* The widest of the labels keys (in columns). */
static size_t widest(const struct cli *c, const char *const *keys, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        char *l = tr(c, keys[i], NOARGS);
        size_t lw = l ? text_width(l) : 0;
        w = lw > w ? lw : w;
        free(l);
    }
    return w;
}

/* The name of a language in itself. */
static const char *autonym(const char *tag)
{
    switch (lang_parse_canonical(tag)) {
    case LANG_EN:
        return "English";
    case LANG_ZH_HANS:
        return "简体中文";
    case LANG_ZH_HANT:
        return "繁體中文";
    case LANG_PT:
        return "Português";
    default:
        return tag;
    }
}

/* Appends part (freed; NULL is skipped) to the growing string *s, with sep before it unless *s
 * is still empty. */
void text_append(char **s, const char *sep, char *part)
{
    if (!part)
        return;
    char *n = NULL;
    if (asprintf(&n, "%s%s%s", *s ? *s : "", *s ? sep : "", part) < 0)
        n = NULL;
    free(part);
    if (n) {
        free(*s);
        *s = n;
    }
}

/* tr of key with one string argument; malloc'd. */
static char *tr1(const struct cli *c, const char *key, const char *name, const char *value)
{
    char *safe = safe_text(value ? value : "", true);
    char *t = safe ? tr(c, key, ARGS(A_STR(name, safe))) : NULL;
    free(safe);
    return t;
}

/* Prints the parties of one side, numbered. */
static void print_parties(const struct cli *c, json_t *list)
{
    size_t i;
    json_t *p;
    if (json_array_size(list) == 0)
        say(stdout, c, "cli.case.none", NOARGS);
    json_array_foreach(list, i, p)
    {
        char first[32];
        snprintf(first, sizeof first, "  %zu. ", i + 1);
        const char *latin = json_string_value(json_object_get(p, "name_latin"));
        put_free_text(c, first, "     ", p, "name");
        char *line = NULL;
        if (latin)
            text_append(&line, " · ", safe_text(latin, true));
        text_append(&line, " · ",
                    label(c, "cli.party_kind.", json_string_value(json_object_get(p, "kind"))));
        const char *res = json_string_value(json_object_get(p, "residence"));
        if (res)
            text_append(&line, " · ", label(c, "cli.residence.", res));
        const char *lang = json_string_value(json_object_get(p, "language"));
        if (lang)
            text_append(&line, " · ", safe_text(autonym(lang), true));
        size_t k;
        json_t *sp;
        json_array_foreach(json_object_get(p, "spoken"), k, sp)
            text_append(&line, " · ", label(c, "cli.spoken.", json_string_value(sp)));
        text_append(&line, " · ",
                    tr(c,
                       json_is_true(json_object_get(p, "registered")) ? "cli.party.registered"
                                                                      : "cli.party.unregistered",
                       NOARGS));
        const char *lawyer = json_string_value(json_object_get(p, "lawyer"));
        if (lawyer)
            text_append(&line, " · ", tr1(c, "cli.party.lawyer", "username", lawyer));
        if (line)
            put_block("     ", "     ", line);
        free(line);
        line = NULL;
        json_t *idd = json_object_get(p, "id_document");
        if (json_is_object(idd)) {
            char *type = label(c, "cli.id_type.", json_string_value(json_object_get(idd, "type")));
            const char *num = json_string_value(json_object_get(idd, "number"));
            char *both = NULL;
            if (type && asprintf(&both, "%s %s", type, num ? num : "") < 0)
                both = NULL;
            free(type);
            text_append(&line, " · ", both);
        }
        static const char *const contact[] = {"phone", "email", NULL};
        for (size_t j = 0; contact[j]; j++) {
            const char *v = json_string_value(json_object_get(p, contact[j]));
            if (v)
                text_append(&line, " · ", safe_text(v, true));
        }
        if (line)
            put_block("     ", "     ", line);
        free(line);
        if (json_string_value(json_object_get(p, "address"))) {
            char *a = tr(c, "cli.party.address", NOARGS), *ind = NULL, *cont = NULL;
            if (a && asprintf(&ind, "     %s ", a) >= 0 &&
                asprintf(&cont, "     %*s", (int)text_width(a) + 1, "") >= 0)
                put_block(ind, cont, json_string_value(json_object_get(p, "address")));
            free(a);
            free(ind);
            free(cont);
        }
    }
}

/* "1.2 MiB", "35 B": a size for people (binary units). buf is returned. */
/* An amount {"value":"12000.50","currency","display"} as the language of this run writes it
 * (the server's display, which follows the stored preference, when the value is odd). */
static void put_amount(const struct cli *c, json_t *amount)
{
    const char *v = json_string_value(json_object_get(amount, "value"));
    const char *cur = json_string_value(json_object_get(amount, "currency"));
    const char *shown = json_string_value(json_object_get(amount, "display"));
    char buf[128];
    long long minor = 0;
    int decimals = -1;
    size_t digits = 0;
    for (const char *p = v; p && *p && digits <= 15; p++) {
        if (*p == '.' && decimals < 0) {
            decimals = 0;
        } else if (*p >= '0' && *p <= '9' && decimals < 2) {
            minor = minor * 10 + (*p - '0');
            digits++;
            decimals += decimals >= 0;
        } else {
            digits = 99; /* not a plain amount */
        }
    }
    if (v && cur && digits >= 1 && digits <= 15) {
        for (int d = decimals < 0 ? 0 : decimals; d < 2; d++)
            minor *= 10;
        if (format_money(c->lang, minor, cur, buf, sizeof buf) == 0)
            shown = buf;
    }
    if (shown)
        put_block("     ", "     ", shown);
}

static const char *human_size(long long n, char *buf, size_t cap)
{
    if (n < 1024)
        snprintf(buf, cap, "%lld B", n);
    else if (n < 1024 * 1024)
        snprintf(buf, cap, "%.1f KiB", (double)n / 1024);
    else
        snprintf(buf, cap, "%.1f MiB", (double)n / (1024 * 1024));
    return buf;
}

/* The time zone to show the case's times in: its center's (both are UTC+8). */
const char *case_zone(json_t *k)
{
    const char *center = json_string_value(json_object_get(k, "center"));
    return center && strcmp(center, "MOF") == 0 ? "Asia/Macau" : "Asia/Shanghai";
}

/* Prints the documents the caller may see. */
static void print_documents(const struct cli *c, json_t *k)
{
    size_t i;
    json_t *d;
    json_t *docs = json_object_get(k, "documents");
    if (json_array_size(docs) == 0)
        say(stdout, c, "cli.case.none", NOARGS);
    json_array_foreach(docs, i, d)
    {
        char first[32], size[32], when[128];
        snprintf(first, sizeof first, "  #%lld  ",
                 (long long)json_integer_value(json_object_get(d, "id")));
        put_block(first, "      ", json_string_value(json_object_get(d, "title")));
        char *line = NULL;
        text_append(&line, " · ",
                    label(c, "cli.doc_kind.", json_string_value(json_object_get(d, "kind"))));
        text_append(&line, " · ", safe_text(json_str(d, "media_type", "?"), true));
        text_append(
            &line, " · ",
            strdup(human_size(json_integer_value(json_object_get(d, "size")), size, sizeof size)));
        text_append(
            &line, " · ",
            label(c, "cli.visibility.", json_string_value(json_object_get(d, "visibility"))));
        format_datetime(c->lang, json_integer_value(json_object_get(d, "created_at")), case_zone(k),
                        when, sizeof when);
        text_append(&line, " · ", strdup(when));
        put_block("      ", "      ", line);
        free(line);
        const char *sha = json_string_value(json_object_get(d, "sha256"));
        if (sha) {
            fputs("      SHA-256 ", stdout);
            put_text(stdout, sha, true);
            fputc('\n', stdout);
        }
    }
}

/* Prints the timeline, oldest first. */
static void print_timeline(const struct cli *c, json_t *k)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(k, "timeline"), i, e)
    {
        char when[128];
        format_datetime(c->lang, json_integer_value(json_object_get(e, "at")), case_zone(k), when,
                        sizeof when);
        char *ev = label(c, "cli.event.", json_string_value(json_object_get(e, "event")));
        char *role = label(c, "cli.role.", json_string_value(json_object_get(e, "role")));
        const char *actor = json_string_value(json_object_get(e, "actor"));
        const char *from = json_string_value(json_object_get(e, "from"));
        const char *to = json_string_value(json_object_get(e, "to"));
        char *fl = from ? label(c, "cli.status.", from) : NULL;
        char *tl = to ? label(c, "cli.status.", to) : NULL;
        char *line = NULL;
        if (asprintf(&line, "  %s  %s  %s (%s)  %s%s%s", when, ev ? ev : "", actor ? actor : "—",
                     role ? role : "", fl ? fl : "", fl ? " → " : "→ ", tl ? tl : "") < 0)
            line = NULL;
        if (line)
            put_block("", "", line);
        free(line);
        free(ev);
        free(role);
        free(fl);
        free(tl);
        if (json_string_value(json_object_get(e, "reason"))) {
            char *r = tr(c, "cli.case.reason", NOARGS), *ind = NULL, *cont = NULL;
            if (r && asprintf(&ind, "      %s ", r) >= 0 &&
                asprintf(&cont, "      %*s", (int)text_width(r) + 1, "") >= 0)
                put_free_text(c, ind, cont, e, "reason");
            free(r);
            free(ind);
            free(cont);
        }
    }
}

/* Prints the events the caller may ask for now, and how. */
static void print_actions(const struct cli *c, json_t *k)
{
    json_t *acts = json_object_get(k, "actions");
    char *line = NULL;
    size_t i;
    json_t *a;
    json_array_foreach(acts, i, a)
    {
        const char *name = json_string_value(a);
        char *l = label(c, "cli.event.", name), *both = NULL;
        if (l && name && asprintf(&both, "%s (%s)", l, name) < 0)
            both = NULL;
        free(l);
        text_append(&line, " · ", both);
    }
    char *head = tr(c, "cli.case.actions", NOARGS), *none = tr(c, "cli.case.no_actions", NOARGS);
    printf("%s ", head ? head : "");
    put_text(stdout, line ? line : (none ? none : "—"), true);
    fputc('\n', stdout);
    if (line) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(k, "id")));
        say(stdout, c, "cli.case.actions_hint", ARGS(A_STR("id", id)));
    }
    free(head);
    free(none);
    free(line);
}

/* Prints a full case view for people. */
static void print_case(const struct cli *c, json_t *k)
{
    static const char *const keys[] = {
        "cli.case.number",        "cli.case.status",  "cli.case.center",   "cli.case.type",
        "cli.case.title",         "cli.case.filed",   "cli.case.updated",  "cli.case.answer_due",
        "cli.case.mediation_due", "cli.case.consent", "cli.case.addresses"};
    size_t w = widest(c, keys, sizeof keys / sizeof keys[0]);
    char *rest = malloc(w + 2), when[128];
    if (!rest)
        return;
    memset(rest, ' ', w + 1);
    rest[w + 1] = '\0';
    const char *status = json_string_value(json_object_get(k, "status"));

    char *v;
    put_label(c, "cli.case.number", w);
    put_text(stdout, json_str(k, "number", "—"), true);
    printf("  (id %lld)\n", (long long)json_integer_value(json_object_get(k, "id")));
    put_label(c, "cli.case.status", w);
    put_block("", rest, v = label(c, "cli.status.", status));
    free(v);
    put_label(c, "cli.case.center", w);
    put_block("", rest, json_string_value(json_object_get(k, "center")));
    char *type = label(c, "cli.type.", json_string_value(json_object_get(k, "type")));
    char *sub = label(c, "cli.subtype.", json_string_value(json_object_get(k, "subtype")));
    put_label(c, "cli.case.type", w);
    printf("%s / %s\n", type ? type : "", sub ? sub : "");
    free(type);
    free(sub);
    put_label(c, "cli.case.title", w);
    put_free_text(c, "", rest, k, "title");
    json_t *at = json_object_get(k, "submitted_at");
    if (json_is_integer(at)) {
        format_datetime(c->lang, json_integer_value(at), case_zone(k), when, sizeof when);
        put_label(c, "cli.case.filed", w);
        puts(when);
    }
    format_datetime(c->lang, json_integer_value(json_object_get(k, "updated_at")), case_zone(k),
                    when, sizeof when);
    put_label(c, "cli.case.updated", w);
    puts(when);
    json_t *dl = json_object_get(k, "deadlines");
    static const char *const dkeys[][2] = {{"respondent_answer", "cli.case.answer_due"},
                                           {"mediation_end", "cli.case.mediation_due"}};
    for (size_t i = 0; i < 2; i++) {
        json_t *d = json_object_get(dl, dkeys[i][0]);
        if (!json_is_object(d))
            continue;
        put_label(c, dkeys[i][1], w);
        put_block("", rest, v = deadline_text(c, d));
        free(v);
    }
    json_t *consent = json_object_get(k, "consent");
    if (json_is_object(consent)) {
        char *yes = tr(c, "cli.yes", NOARGS), *no = tr(c, "cli.no", NOARGS);
        char *line = tr(
            c, "cli.case.consent_line",
            ARGS(A_STR("mediation", json_is_true(json_object_get(consent, "mediation")) ? yes : no),
                 A_STR("service",
                       json_is_true(json_object_get(consent, "electronic_service")) ? yes : no)));
        put_label(c, "cli.case.consent", w);
        put_block("", rest, line);
        free(yes);
        free(no);
        free(line);
        char *addrs = NULL;
        size_t i;
        json_t *a;
        json_array_foreach(json_object_get(consent, "addresses"), i, a)
        {
            char *ch = label(c, "cli.channel.", json_string_value(json_object_get(a, "channel")));
            const char *val = json_string_value(json_object_get(a, "value"));
            char *both = NULL;
            if (ch && asprintf(&both, "%s %s", ch, val ? val : "") < 0)
                both = NULL;
            free(ch);
            text_append(&addrs, " · ", both);
        }
        if (addrs) {
            put_label(c, "cli.case.addresses", w);
            put_block("", rest, addrs);
        }
        free(addrs);
    }
    free(rest);

    fputc('\n', stdout);
    say(stdout, c, "cli.case.summary", NOARGS);
    put_free_text(c, "  ", "  ", k, "summary");
    if (json_string_value(json_object_get(k, "request"))) {
        say(stdout, c, "cli.case.request", NOARGS);
        put_free_text(c, "  ", "  ", k, "request");
    }
    fputc('\n', stdout);
    say(stdout, c, "cli.case.applicants", NOARGS);
    print_parties(c, json_object_get(k, "applicants"));
    say(stdout, c, "cli.case.respondents", NOARGS);
    print_parties(c, json_object_get(k, "respondents"));

    fputc('\n', stdout);
    say(stdout, c, "cli.case.claims", NOARGS);
    json_t *claims = json_object_get(k, "claims");
    if (json_array_size(claims) == 0)
        say(stdout, c, "cli.case.none", NOARGS);
    size_t i;
    json_t *cl;
    json_array_foreach(claims, i, cl)
    {
        char first[32];
        snprintf(first, sizeof first, "  %zu. ", i + 1);
        put_free_text(c, first, "     ", cl, "description");
        json_t *amount = json_object_get(cl, "amount");
        if (json_is_object(amount))
            put_amount(c, amount);
    }
    fputc('\n', stdout);
    say(stdout, c, "cli.case.documents", NOARGS);
    print_documents(c, k);
    fputc('\n', stdout);
    say(stdout, c, "cli.case.timeline", NOARGS);
    print_timeline(c, k);
    fputc('\n', stdout);
    print_actions(c, k);
}

/* GET /api/v1/cases/{id} into *r (checked); QX_OK or the reported failure. */
static int get_case(const struct cli *c, long long id, struct reply *r)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", id);
    return api_get(c, path, r);
}

/* `qiao cases show ID|NUMBER`: the full case, for people or (--json) as the server sent it. */
static int cases_show(struct cli *c, int argc, char **argv)
{
    const char *pos[1];
    int npos;
    int x = parse_args(c, "cases show ID|NUMBER", argc, argv, NULL, 0, pos, 1, 1, &npos);
    long long id;
    if (x != QX_OK || (x = check_session(c)) != QX_OK ||
        (x = resolve_case(c, pos[0], &id)) != QX_OK)
        return x;
    struct reply r;
    if ((x = get_case(c, id, &r)) == QX_OK) {
        if (c->json)
            print_json(r.json);
        else
            print_case(c, r.json);
    }
    reply_free(&r);
    return x;
}

/* ------------------------------------------------------------------------------------------ */
/* qiao cases file                                                                             */

/* `qiao cases file FILE.json [--submit] [--idempotency-key K]`: POST /api/v1/cases with the
 * file's object (submit set by --submit) and an Idempotency-Key (K, or one derived from the
 * SHA-256 of the canonical body), so that a retried command gets the first filing back. */
static int cases_file(struct cli *c, int argc, char **argv)
{
    const char *key = NULL, *pos[1];
    bool submit = false;
    int npos;
    const struct opt opts[] = {{"--submit", NULL, NULL, &submit},
                               {"--idempotency-key", NULL, &key, NULL}};
    int x = parse_args(c, "cases file FILE.json [--submit] [--idempotency-key K]", argc, argv, opts,
                       2, pos, 1, 1, &npos);
    if (x != QX_OK)
        return x;
    size_t klen = key ? strlen(key) : 0;
    if (key && (klen < 1 || klen > 128 || strspn(key, KEY_CHARS) != klen))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_idempotency_key", NOARGS);
    if ((x = check_session(c)) != QX_OK)
        return x;
    char *data;
    size_t len;
    if ((x = read_input_file(c, pos[0], CASE_FILE_MAX, &data, &len)) != QX_OK)
        return x;
    json_error_t err;
    json_t *body = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    explicit_bzero(data, len);
    free(data);
    if (!body)
        return fail(
            c, QX_SERVER, "cli.invalid_input", "cli.error.bad_json",
            ARGS(A_STR("path", pos[0]), A_NUM("line", err.line), A_NUM("column", err.column)));
    if (!json_is_object(body)) {
        json_decref(body);
        return fail(c, QX_SERVER, "cli.invalid_input", "cli.error.json_not_object",
                    ARGS(A_STR("path", pos[0])));
    }
    if (submit)
        json_object_set_new(body, "submit", json_true());
    /* a retry of the same command (same content, same --submit) carries the same key, so the
     * server answers it with the case the first attempt filed */
    char header[200], hex[65];
    if (!key) {
        char *canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
        if (!canon) {
            json_decref(body);
            return fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
        }
        sha256_hex(canon, strlen(canon), hex);
        explicit_bzero(canon, strlen(canon));
        free(canon);
        snprintf(header, sizeof header, "Idempotency-Key: qiao-cli-%s", hex);
    } else {
        snprintf(header, sizeof header, "Idempotency-Key: %s", key);
    }
    const char *const headers[] = {header, NULL};
    struct reply r;
    x = api_post(c, "/api/v1/cases", body, headers, &r, 201, 200);
    json_decref(body);
    if (x == QX_OK && c->json) {
        print_json(r.json);
    } else if (x == QX_OK) {
        char *ref = case_ref(r.json), id[32];
        char *st = label(c, "cli.status.", json_string_value(json_object_get(r.json, "status")));
        snprintf(id, sizeof id, "%lld",
                 (long long)json_integer_value(json_object_get(r.json, "id")));
        bool draft = !json_string_value(json_object_get(r.json, "number"));
        const char *msg = r.status == 200 ? "cli.cases.file.replayed"
                          : draft         ? "cli.cases.file.draft"
                                          : "cli.cases.file.done";
        say(stdout, c, msg,
            ARGS(A_STR("number", ref ? ref : ""), A_STR("id", id), A_STR("status", st ? st : "")));
        free(ref);
        free(st);
    }
    reply_free(&r);
    return x;
}

/* ------------------------------------------------------------------------------------------ */
/* qiao cases event / withdraw                                                                 */

/* Prints the invitation an accept created: the code the respondent answers with, and where. */
static void print_invitation(const struct cli *c, json_t *inv, const char *zone)
{
    const char *code = json_string_value(json_object_get(inv, "code"));
    const char *path = json_string_value(json_object_get(inv, "path"));
    const char *due = json_string_value(json_object_get(inv, "respondent_due"));
    json_t *exp = json_object_get(inv, "expires_at");
    char when[128] = "", date[128] = "", *url = NULL;
    if (json_is_integer(exp))
        format_datetime(c->lang, json_integer_value(exp), zone, when, sizeof when);
    if (due)
        format_date(c->lang, due, date, sizeof date);
    if (path && asprintf(&url, "%s%s", c->server, path) < 0)
        url = NULL;
    char *scode = safe_text(code ? code : "", true), *surl = safe_text(url ? url : "", true);
    char *sdate = safe_text(date, true);
    if (scode && surl && sdate)
        say(stdout, c, "cli.cases.invitation",
            ARGS(A_STR("code", scode), A_STR("url", surl), A_STR("expires", when),
                 A_STR("due", sdate)));
    if (scode)
        explicit_bzero(scode, strlen(scode));
    free(scode);
    free(surl);
    free(sdate);
    free(url);
}

/* POSTs the event (with reason, may be NULL) to the case and reports the outcome. */
static int send_event(struct cli *c, const char *ref, const char *event, const char *reason)
{
    long long id;
    int x = check_session(c);
    if (x != QX_OK || (x = resolve_case(c, ref, &id)) != QX_OK)
        return x;
    json_t *body = json_pack("{s:s}", "event", event);
    if (body && reason)
        json_object_set_new(body, "reason", json_string(reason));
    if (!body || (reason && !json_object_get(body, "reason"))) {
        json_decref(body);
        return fail(c, QX_USAGE, "cli.usage", "cli.error.not_utf8", NOARGS);
    }
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/events", id);
    struct reply r;
    x = api_post(c, path, body, NULL, &r, 200, 200);
    json_decref(body);
    if (x == QX_OK && c->json) {
        print_json(r.json);
    } else if (x == QX_OK) {
        char *cref = case_ref(r.json);
        char *st = label(c, "cli.status.", json_string_value(json_object_get(r.json, "status")));
        say(stdout, c, "cli.cases.event.done",
            ARGS(A_STR("number", cref ? cref : ""), A_STR("status", st ? st : "")));
        free(cref);
        free(st);
        json_t *inv = json_object_get(r.json, "invitation");
        if (json_is_object(inv))
            print_invitation(c, inv, case_zone(r.json));
    }
    json_wipe_member(json_object_get(r.json, "invitation"), "code");
    reply_free(&r);
    return x;
}

/* `qiao cases event ID|NUMBER EVENT [--reason TEXT]`. */
static int cases_event(struct cli *c, int argc, char **argv)
{
    const char *reason = NULL, *pos[2];
    int npos;
    const struct opt opts[] = {{"--reason", NULL, &reason, NULL}};
    int x = parse_args(c, "cases event ID|NUMBER EVENT [--reason TEXT]", argc, argv, opts, 1, pos,
                       2, 2, &npos);
    if (x != QX_OK)
        return x;
    return send_event(c, pos[0], pos[1], reason);
}

/* `qiao cases withdraw ID|NUMBER --reason TEXT`: the withdraw event; the reason is required
 * here already, before anything is sent. */
static int cases_withdraw(struct cli *c, int argc, char **argv)
{
    const char *reason = NULL, *pos[1];
    int npos;
    const struct opt opts[] = {{"--reason", NULL, &reason, NULL}};
    int x = parse_args(c, "cases withdraw ID|NUMBER --reason TEXT", argc, argv, opts, 1, pos, 1, 1,
                       &npos);
    if (x != QX_OK)
        return x;
    if (!reason || !*reason)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.reason_needed", NOARGS);
    return send_event(c, pos[0], "withdraw", reason);
}

/* `qiao cases SUBCOMMAND`. */
int cmd_cases(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"list", cases_list},         {"show", cases_show},     {"file", cases_file},
        {"withdraw", cases_withdraw}, {"event", cases_event},   {"proposal", cases_proposal},
        {"assign", cases_assign},     {"recuse", cases_recuse}, {"shortlist", cases_shortlist},
        {"offer", cases_offer},       {"rank", cases_rank},
    };
    return run_subcommand(c, "cases", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ------------------------------------------------------------------------------------------ */
/* qiao invitation accept                                                                      */

/* The code in what the user gave: the code itself, or a path or address ending in
 * /invitation/CODE. Borrowed from s. */
static const char *invitation_code(const char *s)
{
    const char *p = strstr(s, "/invitation/");
    while (p && strstr(p + 1, "/invitation/"))
        p = strstr(p + 1, "/invitation/");
    return p ? p + strlen("/invitation/") : s;
}

/* `qiao invitation accept CODE|-`: POST /api/v1/invitations/redeem; prints the case the caller
 * now answers and the steps open to them. The code is wiped from memory after use. */
static int invitation_accept(struct cli *c, int argc, char **argv)
{
    const char *pos[1];
    int npos;
    int x = parse_args(c, "invitation accept CODE", argc, argv, NULL, 0, pos, 1, 1, &npos);
    if (x != QX_OK || (x = check_session(c)) != QX_OK)
        return x;
    char line[CODE_CAP] = "";
    const char *code = pos[0];
    if (strcmp(code, "-") == 0) { /* from standard input: kept out of the process list */
        enum input in = read_line(line, sizeof line, false);
        if (in == IN_TOO_LONG)
            return fail(c, QX_USAGE, "cli.usage", "cli.error.input_too_long", NOARGS);
        if (in != IN_OK || !line[0])
            return fail(c, QX_USAGE, "cli.usage", "cli.error.missing_args",
                        ARGS(A_STR("usage", "invitation accept CODE")));
        code = line;
    }
    json_t *body = json_pack("{s:s}", "code", invitation_code(code));
    explicit_bzero(line, sizeof line);
    if (!body)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.not_utf8", NOARGS);
    struct reply r;
    x = api_post(c, "/api/v1/invitations/redeem", body, NULL, &r, 200, 200);
    json_wipe_member(body, "code");
    json_decref(body);
    if (x == QX_OK && c->json) {
        print_json(r.json);
    } else if (x == QX_OK) {
        char *ref = case_ref(r.json), id[32];
        const char *from;
        const char *title = shown_text(r.json, "title", &from);
        char *st = safe_text(title ? title : "—", true);
        snprintf(id, sizeof id, "%lld",
                 (long long)json_integer_value(json_object_get(r.json, "id")));
        say(stdout, c, "cli.invitation.done",
            ARGS(A_STR("number", ref ? ref : ""), A_STR("title", st ? st : ""), A_STR("id", id)));
        free(ref);
        free(st);
        print_actions(c, r.json);
    }
    reply_free(&r);
    return x;
}

/* `qiao invitation SUBCOMMAND`. */
int cmd_invitation(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"accept", invitation_accept}};
    return run_subcommand(c, "invitation", subs, 1, argc, argv);
}
