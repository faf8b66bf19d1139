#include "i18n/catalog.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>

#include "i18n/embedded.h"

static json_t *catalogs[LANG_COUNT];
static char *merged[LANG_COUNT]; /* each catalog as compact JSON, for the browser */
static UPluralRules *plurals[LANG_COUNT];
static pthread_mutex_t plural_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_status = -1;

/* Does the embedded name look like "messages/<area>.<tag>.json" for tag? */
static int is_catalog_of(const char *name, const char *tag)
{
    const char *pre = "messages/";
    size_t plen = strlen(pre), n = strlen(name), tl = strlen(tag);
    if (strncmp(name, pre, plen) != 0 || n < plen + tl + 7)
        return 0;
    const char *suffix = name + n - (tl + 5);
    return suffix[-1] == '.' && strncmp(suffix, tag, tl) == 0 && strcmp(suffix + tl, ".json") == 0;
}

static void load(void)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        catalogs[l] = json_object();
        for (const struct embedded_file *f = qiao_i18n_files; f->name; f++) {
            if (!is_catalog_of(f->name, lang_tag((enum lang)l)))
                continue;
            json_error_t err;
            json_t *part = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &err);
            if (!json_is_object(part)) {
                fprintf(stderr, "catalog %s: %s (line %d)\n", f->name, err.text, err.line);
                json_decref(part);
                return;
            }
            json_object_update(catalogs[l], part);
            json_decref(part);
        }
        merged[l] = json_dumps(catalogs[l], JSON_COMPACT | JSON_SORT_KEYS);
        if (!merged[l])
            return;
    }
    init_status = 0;
}

int catalog_init(void)
{
    pthread_once(&once, load);
    return init_status;
}

const char *catalog_pattern(enum lang l, const char *key)
{
    if (catalog_init() != 0)
        return NULL;
    if (l < 0 || l >= LANG_COUNT)
        l = LANG_EN;
    const char *s = json_string_value(json_object_get(catalogs[l], key));
    if (!s && l != LANG_EN)
        s = json_string_value(json_object_get(catalogs[LANG_EN], key));
    return s;
}

const char *catalog_json(enum lang l, size_t *len)
{
    if (catalog_init() != 0 || l < 0 || l >= LANG_COUNT) {
        *len = 0;
        return NULL;
    }
    *len = strlen(merged[l]);
    return merged[l];
}

void catalog_shutdown(void)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        json_decref(catalogs[l]);
        catalogs[l] = NULL;
        free(merged[l]);
        merged[l] = NULL;
        if (plurals[l])
            uplrules_close(plurals[l]);
        plurals[l] = NULL;
    }
    once = (pthread_once_t)PTHREAD_ONCE_INIT;
    init_status = -1;
}

/* A growable output buffer; on allocation failure it turns to oom and stays empty. */
struct buf {
    char *p;
    size_t len, cap;
    int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static const struct msg_arg *find_arg(const struct msg_arg *args, size_t n, const char *name,
                                      size_t nlen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(args[i].name) == nlen && memcmp(args[i].name, name, nlen) == 0)
            return &args[i];
    return NULL;
}

/* The plural category of n in lang per ICU ("one", "other" …) into cat. */
static void plural_category(enum lang l, long long n, char *cat, size_t cap)
{
    snprintf(cat, cap, "other");
    UErrorCode st = U_ZERO_ERROR;
    pthread_mutex_lock(&plural_lock);
    if (!plurals[l])
        /* Macao writes European Portuguese, whose plural rules (0 is "other") differ from the
         * Brazilian ones ICU applies to pt_MO */
        plurals[l] = uplrules_open(l == LANG_PT ? "pt_PT" : lang_icu_locale(l), &st);
    UChar kw[32];
    if (plurals[l] && U_SUCCESS(st)) {
        int32_t k = uplrules_select(plurals[l], (double)n, kw, 32, &st);
        if (U_SUCCESS(st))
            u_austrncpy(cat, kw, (int32_t)(k < (int32_t)cap - 1 ? k + 1 : (int32_t)cap - 1));
        cat[cap - 1] = 0;
    }
    pthread_mutex_unlock(&plural_lock);
}

/* Skips a balanced {…} starting at p (pointing at '{'); returns the position after '}'. */
static const char *skip_braced(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '{')
            depth++;
        else if (*p == '}' && --depth == 0)
            return p + 1;
    }
    return p;
}

static void format_into(struct buf *b, enum lang l, const char *p, const char *end,
                        const struct msg_arg *args, size_t nargs, const struct msg_arg *hash);

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
        p++;
    return p;
}

/* Formats one argument {…} spanning [p, close) where p is after '{'. */
static void format_arg(struct buf *b, enum lang l, const char *p, const char *close,
                       const struct msg_arg *args, size_t nargs)
{
    p = skip_ws(p, close);
    const char *name = p;
    while (p < close && *p != ',' && *p != ' ' && *p != '}')
        p++;
    size_t nlen = (size_t)(p - name);
    const struct msg_arg *a = find_arg(args, nargs, name, nlen);
    p = skip_ws(p, close);
    if (p >= close || *p != ',') { /* simple {name} */
        char num[32];
        if (!a)
            put(b, name - 1, nlen + 2);
        else if (a->str)
            put(b, a->str, strlen(a->str));
        else
            put(b, num, (size_t)snprintf(num, sizeof num, "%lld", a->num));
        return;
    }
    p = skip_ws(p + 1, close);
    const char *type = p;
    while (p < close && *p != ',' && *p != ' ' && *p != '}')
        p++;
    size_t tlen = (size_t)(p - type);
    p = skip_ws(p, close);
    int is_plural = tlen == 6 && memcmp(type, "plural", 6) == 0;
    int is_select = tlen == 6 && memcmp(type, "select", 6) == 0;
    if (!is_plural && !is_select) { /* {n, number} and anything else: the plain value */
        char num[32];
        if (a && a->str)
            put(b, a->str, strlen(a->str));
        else if (a)
            put(b, num, (size_t)snprintf(num, sizeof num, "%lld", a->num));
        return;
    }
    if (p < close && *p == ',')
        p++;
    char want[32] = "other", exact[32] = "";
    if (is_plural) {
        long long n = a ? a->num : 0;
        plural_category(l, n, want, sizeof want);
        snprintf(exact, sizeof exact, "=%lld", n);
    } else if (a && a->str) {
        snprintf(want, sizeof want, "%s", a->str);
    }
    const char *chosen = NULL, *chosen_end = NULL, *other = NULL, *other_end = NULL;
    int chosen_exact = 0;
    while (p < close) {
        p = skip_ws(p, close);
        const char *sel = p;
        while (p < close && *p != '{' && *p != ' ')
            p++;
        size_t slen = (size_t)(p - sel);
        p = skip_ws(p, close);
        if (p >= close || *p != '{')
            break;
        const char *body = p + 1, *after = skip_braced(p);
        const char *body_end = after - 1;
        if (slen == strlen(exact) && memcmp(sel, exact, slen) == 0) {
            chosen = body, chosen_end = body_end, chosen_exact = 1;
        } else if (!chosen_exact && slen == strlen(want) && memcmp(sel, want, slen) == 0) {
            chosen = body, chosen_end = body_end;
        }
        if (slen == 5 && memcmp(sel, "other", 5) == 0)
            other = body, other_end = body_end;
        p = after;
    }
    if (!chosen)
        chosen = other, chosen_end = other_end;
    if (chosen)
        format_into(b, l, chosen, chosen_end, args, nargs, is_plural ? a : NULL);
}

static void format_into(struct buf *b, enum lang l, const char *p, const char *end,
                        const struct msg_arg *args, size_t nargs, const struct msg_arg *hash)
{
    while (p < end) {
        if (*p == '\'') {
            if (p + 1 < end && p[1] == '\'') {
                put(b, "'", 1);
                p += 2;
                continue;
            }
            if (p + 1 < end && (p[1] == '{' || p[1] == '}' || p[1] == '#')) {
                const char *q = p + 1;
                while (q < end && *q != '\'')
                    q++;
                put(b, p + 1, (size_t)(q - p - 1));
                p = q < end ? q + 1 : q;
                continue;
            }
            put(b, p++, 1);
        } else if (*p == '{') {
            const char *after = skip_braced(p);
            format_arg(b, l, p + 1, after - 1, args, nargs);
            p = after;
        } else if (*p == '#' && hash) {
            char num[32];
            put(b, num, (size_t)snprintf(num, sizeof num, "%lld", hash->num));
            p++;
        } else {
            const char *q = p;
            while (q < end && *q != '\'' && *q != '{' && !(*q == '#' && hash))
                q++;
            put(b, p, (size_t)(q - p));
            p = q;
        }
    }
}

char *msg_format_pattern(enum lang l, const char *pattern, const struct msg_arg *args,
                         size_t nargs)
{
    if (l < 0 || l >= LANG_COUNT)
        l = LANG_EN;
    struct buf b = {0};
    put(&b, "", 0);
    format_into(&b, l, pattern, pattern + strlen(pattern), args, nargs, NULL);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

char *msg_format(enum lang l, const char *key, const struct msg_arg *args, size_t nargs)
{
    const char *pat = catalog_pattern(l, key);
    if (!pat)
        return strdup(key);
    return msg_format_pattern(l, pat, args, nargs);
}
