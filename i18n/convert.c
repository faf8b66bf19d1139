/* convert.c: Simplified <-> Traditional (Hong Kong/Macao) conversion, OpenCC under a legal
 * glossary. See convert.h for the rules. Everything loaded by convert_init is read-only afterwards,
 * and OpenCC 1.1's converters are const objects (segmentation and marisa-trie look-ups keep their
 * state on the stack), so one handle per direction serves every thread without a lock. */
#include "i18n/convert.h"

#include <opencc/opencc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct embedded_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct embedded_file qiao_i18n_files[];

/* ---- UTF-8 ---------------------------------------------------------------------------------- */

/* Decodes the code point at s (n > 0 bytes available) into *cp; returns its length in bytes, or
 * 0 if the bytes there are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF, cut short) or
 * are a NUL. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_decode(p + i, n - i, &cp);
        if (l == 0)
            return false;
        i += l;
    }
    return true;
}

/* Length of the (already validated) code point starting at s. */
static size_t utf8_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static uint32_t utf8_cp(const char *s)
{
    uint32_t cp = 0;
    utf8_decode((const unsigned char *)s, 4, &cp);
    return cp;
}

/* CJK unified ideographs (basic, extensions A-H) and compatibility ideographs. */
static bool is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x323AF);
}

/* ---- growable output buffer ----------------------------------------------------------------- */

struct buf {
    char *p;
    size_t len, cap;
    bool failed; /* an allocation failed; the content is incomplete */
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Hands the buffer's string to the caller (NULL if an allocation failed). */
static char *buf_take(struct buf *b)
{
    if (!b->failed && !b->p)
        buf_add(b, "", 0);
    if (b->failed) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* ---- glossaries ----------------------------------------------------------------------------- */

#define KEY_MAX 128 /* longest key in bytes; longer glossary lines are ignored */
#define FIRST_BITS 0x40000

struct entry {
    const char *key, *val; /* point into the embedded data, not NUL-terminated */
    uint32_t klen, vlen;
    uint32_t marked; /* characters the value writes otherwise than OpenCC would write them alone */
    const char *cond; /* context keys: the condition on the sentence (see ctx_holds), or NULL */
    uint32_t condlen;
    uint32_t next; /* the next line with the same key (index + 1; 0: none), in file order */
};

struct gloss {
    struct entry *e;
    size_t n, cap;
    uint32_t *slot; /* open addressing: entry index + 1, 0 = empty */
    size_t mask;
    size_t maxkey;                       /* longest key, bytes */
    bool anchored;                       /* some key ends in '$' (see key_chars) */
    unsigned char first[FIRST_BITS / 8]; /* first code points of keys (below FIRST_BITS) */
    unsigned char amb[FIRST_BITS / 8];   /* characters some key writes otherwise than OpenCC alone */
};

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static const struct entry *gloss_get(const struct gloss *g, const char *s, size_t n)
{
    if (!g->slot)
        return NULL;
    for (size_t i = hash(s, n) & g->mask;; i = (i + 1) & g->mask) {
        uint32_t k = g->slot[i];
        if (!k)
            return NULL;
        const struct entry *e = &g->e[k - 1];
        if (e->klen == n && memcmp(e->key, s, n) == 0)
            return e;
    }
}

/* Bytes of the key before a final '$'. A key ending in '$' is anchored: it matches only a span that
 * ends its run of Han characters where the text goes on with punctuation, a space or nothing (not a
 * letter or digit): 已经干了$ is the clause-final 已经干了 ("has dried"), not 已经干了三年. */
static size_t key_chars(const struct entry *e)
{
    return e->klen - (e->klen > 0 && e->key[e->klen - 1] == '$');
}

/* The anchored entry for s[0..n) (looked up as s followed by '$'), or NULL. */
static const struct entry *gloss_get_anchored(const struct gloss *g, const char *s, size_t n)
{
    char key[KEY_MAX + 1];
    if (!g->anchored || n + 1 > KEY_MAX)
        return NULL;
    memcpy(key, s, n);
    key[n] = '$';
    return gloss_get(g, key, n + 1);
}

static int gloss_add(struct gloss *g, const char *key, size_t klen, const char *val, size_t vlen,
                     const char *cond, size_t condlen)
{
    if (klen == 0 || klen > KEY_MAX || !utf8_valid(key, klen) || !utf8_valid(val, vlen))
        return 0;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        struct entry *e = realloc(g->e, cap * sizeof *e);
        if (!e)
            return -1;
        g->e = e;
        g->cap = cap;
    }
    g->e[g->n++] =
        (struct entry){key, val, (uint32_t)klen, (uint32_t)vlen, 0, cond, (uint32_t)condlen, 0};
    return 0;
}

/* Builds the hash index; a key seen twice keeps its first value, and its later lines are chained to
 * it in file order (context keys try them in turn). */
static int gloss_index(struct gloss *g)
{
    size_t size = 16;
    while (size < g->n * 2)
        size *= 2;
    g->slot = calloc(size, sizeof *g->slot);
    if (!g->slot)
        return -1;
    g->mask = size - 1;
    for (size_t k = 0; k < g->n; k++) {
        const struct entry *e = &g->e[k];
        const struct entry *first = gloss_get(g, e->key, e->klen);
        if (first) {
            struct entry *last = &g->e[first - g->e];
            while (last->next)
                last = &g->e[last->next - 1];
            last->next = (uint32_t)k + 1;
            continue;
        }
        size_t i = hash(e->key, e->klen) & g->mask;
        while (g->slot[i])
            i = (i + 1) & g->mask;
        g->slot[i] = (uint32_t)k + 1;
        if (e->klen > g->maxkey)
            g->maxkey = e->klen;
        if (key_chars(e) != e->klen)
            g->anchored = true;
        uint32_t cp = utf8_cp(e->key);
        if (cp < FIRST_BITS)
            g->first[cp / 8] |= (unsigned char)(1u << (cp % 8));
    }
    return 0;
}

static void gloss_free(struct gloss *g)
{
    free(g->e);
    free(g->slot);
    memset(g, 0, sizeof *g);
}

struct span;
static bool ctx_holds(const char *cond, size_t cn, const struct span *sen, const struct span *run,
                      const char *key, size_t klen, bool check_only);

/* Parses an embedded TSV ("key<TAB>value[<TAB>condition]" lines, '#' comments, blank lines) into
 * g. reverse: take column 2 as the key and column 1 as the value. with_cond: a line needs the third
 * column, a context key's condition (see ctx_holds); elsewhere a third column is ignored. Missing
 * file: an empty glossary. */
static int gloss_load(struct gloss *g, const char *name, bool reverse, bool with_cond)
{
    const struct embedded_file *f = qiao_i18n_files;
    while (f->name && strcmp(f->name, name) != 0)
        f++;
    const char *p = f->name ? (const char *)f->data : "";
    const char *end = p + (f->name ? f->len : 0);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *line = p;
        p = nl ? nl + 1 : end;
        if (eol > line && eol[-1] == '\r')
            eol--;
        if (line == eol || line[0] == '#')
            continue;
        const char *tab = memchr(line, '\t', (size_t)(eol - line));
        if (!tab)
            continue;
        const char *v = tab + 1;
        const char *vend = memchr(v, '\t', (size_t)(eol - v));
        const char *cond = vend ? vend + 1 : NULL;
        size_t condlen = cond ? (size_t)(eol - cond) : 0;
        if (!vend)
            vend = eol;
        if (vend == v || (with_cond && condlen == 0))
            continue;
        if (!with_cond)
            cond = NULL, condlen = 0;
        else if (!ctx_holds(cond, condlen, NULL, NULL, NULL, 0, true))
            continue; /* a malformed condition: the line never applies */
        int rc = reverse ? gloss_add(g, v, (size_t)(vend - v), line, (size_t)(tab - line), cond,
                                     condlen)
                         : gloss_add(g, line, (size_t)(tab - line), v, (size_t)(vend - v), cond,
                                     condlen);
        if (rc < 0)
            return -1;
    }
    return gloss_index(g);
}

/* The longest entry whose key starts s (n bytes left), or NULL. */
static const struct entry *gloss_longest(const struct gloss *g, const char *s, size_t n)
{
    if (g->n == 0)
        return NULL;
    uint32_t cp = utf8_cp(s);
    if (cp < FIRST_BITS && !(g->first[cp / 8] & (1u << (cp % 8))))
        return NULL;
    size_t ends[KEY_MAX + 1], k = 0, off = 0;
    size_t lim = n < g->maxkey ? n : g->maxkey;
    while (off < n) {
        size_t l = utf8_len(s + off);
        if (off + l > lim)
            break;
        off += l;
        ends[k++] = off;
    }
    while (k > 0) {
        const struct entry *e = gloss_get(g, s, ends[--k]);
        if (e)
            return e;
    }
    return NULL;
}

/* ---- state ---------------------------------------------------------------------------------- */

#define DETECT_MAX 0x32400 /* detection tables cover code points below this */

static struct {
    int rc;
    bool shut;
    opencc_t s2hk, hk2s;
    struct gloss s2t, t2s;         /* text-mode phrase overrides */
    struct gloss s2t_ctx, t2s_ctx; /* context keys: phrase overrides under a condition */
    struct gloss sur_s2t, sur_t2s; /* surnames, from surnames.tsv both ways */
    struct gloss name_s2t, name_t2s;
    unsigned char *simp_only, *trad_only; /* bitsets over code points */
} st;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static bool bit(const unsigned char *set, uint32_t cp)
{
    return set && cp < DETECT_MAX && (set[cp / 8] & (1u << (cp % 8)));
}

static void bit_set(unsigned char *set, uint32_t cp)
{
    set[cp / 8] |= (unsigned char)(1u << (cp % 8));
}

/* Characters OpenCC converts although they are in ordinary use in the other script too, so they say
 * nothing about which script a text is in. */
static const char valid_in_traditional[] = "干里余准范后冲丑斗征郁朴仆咸吁云于划几帘霉杰岳采游党尸"
                                           "伙凶占托凄杠厘辟佣熏群峰床涌涂栗岩雇栖肴";
static const char valid_in_simplified[] = "乾於甯捱吒薹醣麴";

/* Code point ranges the detection tables are built over. */
static const uint32_t detect_ranges[][2] = {
    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xF900, 0xFAFF},
    {0x20000, 0x2A6DF}, {0x2A700, 0x2EE5F}, {0x30000, 0x323AF},
};

/* Clears in set the bit of cp. */
static void clear_bits_one(unsigned char *set, uint32_t cp)
{
    if (cp < DETECT_MAX)
        set[cp / 8] &= (unsigned char)~(1u << (cp % 8));
}

/* Clears in set the bits of the characters of chars. */
static void clear_bits(unsigned char *set, const char *chars)
{
    for (const char *p = chars; *p; p += utf8_len(p))
        clear_bits_one(set, utf8_cp(p));
}

/* in holds one character a line; out1 and out2 are in converted two ways. Marks in set every
 * character that both conversions change. */
static int mark_changed(unsigned char *set, const char *in, const char *out1, const char *out2)
{
    const char *a = in, *b = out1, *c = out2;
    while (*a) {
        const char *ae = strchr(a, '\n'), *be = strchr(b, '\n'), *ce = strchr(c, '\n');
        if (!ae || !be || !ce)
            return -1;
        uint32_t cp = utf8_cp(a);
        size_t al = (size_t)(ae - a);
        bool changed1 = (size_t)(be - b) != al || memcmp(a, b, al) != 0;
        bool changed2 = (size_t)(ce - c) != al || memcmp(a, c, al) != 0;
        if (changed1 && changed2 && cp < DETECT_MAX)
            bit_set(set, cp);
        a = ae + 1, b = be + 1, c = ce + 1;
    }
    return 0;
}

/* Builds simp_only (s2t and s2hk both change the character) and trad_only (t2s and hk2s both
 * change it), minus the characters in ordinary use in both scripts. */
static int build_detect(void)
{
    struct buf all = {0};
    for (size_t r = 0; r < sizeof detect_ranges / sizeof detect_ranges[0]; r++) {
        for (uint32_t cp = detect_ranges[r][0]; cp <= detect_ranges[r][1]; cp++) {
            char u[5];
            size_t l;
            if (cp < 0x10000) {
                u[0] = (char)(0xE0 | (cp >> 12));
                u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[2] = (char)(0x80 | (cp & 0x3F));
                l = 3;
            } else {
                u[0] = (char)(0xF0 | (cp >> 18));
                u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[3] = (char)(0x80 | (cp & 0x3F));
                l = 4;
            }
            u[l++] = '\n';
            buf_add(&all, u, l);
        }
    }
    if (all.failed) {
        free(all.p);
        return -1;
    }
    int rc = -1;
    opencc_t s2t = opencc_open("s2t.json"), t2s = opencc_open("t2s.json");
    char *o_s2t = NULL, *o_s2hk = NULL, *o_t2s = NULL, *o_hk2s = NULL;
    if (s2t == (opencc_t)-1 || t2s == (opencc_t)-1)
        goto out;
    o_s2t = opencc_convert_utf8(s2t, all.p, all.len);
    o_s2hk = opencc_convert_utf8(st.s2hk, all.p, all.len);
    o_t2s = opencc_convert_utf8(t2s, all.p, all.len);
    o_hk2s = opencc_convert_utf8(st.hk2s, all.p, all.len);
    st.simp_only = calloc(DETECT_MAX / 8, 1);
    st.trad_only = calloc(DETECT_MAX / 8, 1);
    if (!o_s2t || !o_s2hk || !o_t2s || !o_hk2s || !st.simp_only || !st.trad_only)
        goto out;
    if (mark_changed(st.simp_only, all.p, o_s2t, o_s2hk) < 0 ||
        mark_changed(st.trad_only, all.p, o_t2s, o_hk2s) < 0)
        goto out;
    clear_bits(st.simp_only, valid_in_traditional);
    clear_bits(st.trad_only, valid_in_simplified);
    /* a character t2s.tsv keeps as written (the Cantonese 嗰 餸 ...) is in Simplified text too */
    for (size_t i = 0; i < st.t2s.n; i++) {
        const struct entry *e = &st.t2s.e[i];
        if (e->klen == e->vlen && memcmp(e->key, e->val, e->klen) == 0 &&
            utf8_len(e->key) == e->klen)
            clear_bits_one(st.trad_only, utf8_cp(e->key));
    }
    rc = 0;
out:
    if (o_s2t)
        opencc_convert_utf8_free(o_s2t);
    if (o_s2hk)
        opencc_convert_utf8_free(o_s2hk);
    if (o_t2s)
        opencc_convert_utf8_free(o_t2s);
    if (o_hk2s)
        opencc_convert_utf8_free(o_hk2s);
    if (s2t != (opencc_t)-1)
        opencc_close(s2t);
    if (t2s != (opencc_t)-1)
        opencc_close(t2s);
    free(all.p);
    return rc;
}

static void release(void)
{
    if (st.s2hk && st.s2hk != (opencc_t)-1)
        opencc_close(st.s2hk);
    if (st.hk2s && st.hk2s != (opencc_t)-1)
        opencc_close(st.hk2s);
    st.s2hk = st.hk2s = NULL;
    gloss_free(&st.s2t);
    gloss_free(&st.t2s);
    gloss_free(&st.sur_s2t);
    gloss_free(&st.sur_t2s);
    gloss_free(&st.name_s2t);
    gloss_free(&st.name_t2s);
    gloss_free(&st.s2t_ctx);
    gloss_free(&st.t2s_ctx);
    free(st.simp_only);
    free(st.trad_only);
    st.simp_only = st.trad_only = NULL;
}

static int gloss_mark(struct gloss *g, opencc_t od, bool hk);

static void load(void)
{
    st.rc = -1;
    st.s2hk = opencc_open("s2hk.json");
    st.hk2s = opencc_open("hk2s.json");
    if (st.s2hk == (opencc_t)-1 || st.hk2s == (opencc_t)-1)
        goto fail;
    if (gloss_load(&st.s2t, "glossary/s2t.tsv", false, false) < 0 ||
        gloss_load(&st.t2s, "glossary/t2s.tsv", false, false) < 0 ||
        gloss_load(&st.sur_s2t, "glossary/surnames.tsv", false, false) < 0 ||
        gloss_load(&st.sur_t2s, "glossary/surnames.tsv", true, false) < 0 ||
        gloss_load(&st.name_s2t, "glossary/names.tsv", false, false) < 0 ||
        gloss_load(&st.name_t2s, "glossary/names-t2s.tsv", false, false) < 0 ||
        gloss_load(&st.s2t_ctx, "glossary/s2t-context.tsv", false, true) < 0 ||
        gloss_load(&st.t2s_ctx, "glossary/t2s-context.tsv", false, true) < 0)
        goto fail;
    if (gloss_mark(&st.s2t, st.s2hk, true) < 0 || gloss_mark(&st.t2s, st.hk2s, false) < 0 ||
        gloss_mark(&st.s2t_ctx, st.s2hk, true) < 0 || gloss_mark(&st.t2s_ctx, st.hk2s, false) < 0)
        goto fail;
    if (build_detect() < 0)
        goto fail;
    st.rc = 0;
    return;
fail:
    release();
}

int convert_init(void)
{
    pthread_once(&once, load);
    return st.shut ? -1 : st.rc;
}

void convert_shutdown(void)
{
    pthread_once(&once, load);
    if (st.shut)
        return;
    st.shut = true;
    release();
}

/* ---- conversion ----------------------------------------------------------------------------- */

/* Hong Kong/Macao forms OpenCC's s2hk does not produce, applied to its output. */
static const char *const hk_fix[][2] = {
    {"線", "綫"},
};

static void add_hk(struct buf *b, const char *s)
{
    const char *p = s;
    while (*p) {
        size_t l = utf8_len(p);
        const char *rep = NULL;
        for (size_t i = 0; i < sizeof hk_fix / sizeof hk_fix[0]; i++) {
            if (strlen(hk_fix[i][0]) == l && memcmp(p, hk_fix[i][0], l) == 0)
                rep = hk_fix[i][1];
        }
        if (rep) {
            buf_add(b, s, (size_t)(p - s));
            buf_add(b, rep, strlen(rep));
            s = p + l;
        }
        p += l;
    }
    buf_add(b, s, (size_t)(p - s));
}

/* Sets every entry's marked count: the characters its value writes otherwise than OpenCC (od, with
 * the Hong Kong fixes when hk) writes each key character alone. A character marked by at least
 * AMB_MIN keys goes into g->amb: OpenCC's reading of it alone is often wrong (表 手表 钟表 电表 ...,
 * not 出 of 一出戏), unless it is one of never_amb, whose reading alone is right but for one narrow
 * use however many keys spell that use out (出 is 齣 only as the measure word of plays: 一出粤剧,
 * 这出闹剧 ...). -1 if out of memory. */
#define AMB_MIN 10
static const char never_amb[] = "出";
static bool in_set(const char *set, const char *s);
static int gloss_mark(struct gloss *g, opencc_t od, bool hk)
{
    struct buf in = {0}, conv = {0};
    for (size_t i = 0; i < g->n; i++) {
        const struct entry *e = &g->e[i];
        for (size_t j = 0; j < key_chars(e); j += utf8_len(e->key + j)) {
            buf_add(&in, e->key + j, utf8_len(e->key + j));
            buf_add(&in, "\n", 1);
        }
    }
    if (in.failed || in.len == 0) {
        free(in.p);
        return in.failed ? -1 : 0;
    }
    char *out = opencc_convert_utf8(od, in.p, in.len);
    free(in.p);
    if (!out)
        return -1;
    if (hk)
        add_hk(&conv, out);
    else
        buf_add(&conv, out, strlen(out));
    opencc_convert_utf8_free(out);
    if (conv.failed) {
        free(conv.p);
        return -1;
    }
    unsigned char *times = calloc(FIRST_BITS, 1); /* keys that mark each character, so far */
    if (!times) {
        free(conv.p);
        return -1;
    }
    const char *p = conv.p;
    for (size_t i = 0; i < g->n && p; i++) {
        struct entry *e = &g->e[i];
        const char *v = e->val, *vend = e->val + e->vlen;
        uint32_t marked = 0;
        bool aligned = true;
        for (size_t j = 0; j < key_chars(e) && p; j += utf8_len(e->key + j)) {
            const char *nl = strchr(p, '\n');
            size_t ll = nl ? (size_t)(nl - p) : strlen(p);
            if (v < vend) {
                size_t vl = utf8_len(v);
                bool differs = vl != ll || memcmp(v, p, ll) != 0;
                uint32_t cp = utf8_cp(e->key + j);
                marked += differs;
                if (differs && cp < FIRST_BITS && times[cp] < UINT8_MAX && ++times[cp] == AMB_MIN &&
                    !in_set(never_amb, e->key + j))
                    g->amb[cp / 8] |= (unsigned char)(1u << (cp % 8));
                v += vl;
            } else {
                aligned = false;
            }
            p = nl ? nl + 1 : NULL;
        }
        e->marked = aligned && v == vend ? marked : 0;
    }
    free(times);
    free(conv.p);
    return 0;
}

/* Appends s[0..n) converted by OpenCC; runs of ASCII are copied as they are. */
static void add_opencc(struct buf *b, const char *s, size_t n, enum script to)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        if ((unsigned char)s[i] < 0x80) {
            while (j < n && (unsigned char)s[j] < 0x80)
                j++;
            buf_add(b, s + i, j - i);
        } else {
            while (j < n && (unsigned char)s[j] >= 0x80)
                j++;
            char *r = opencc_convert_utf8(to == SCRIPT_HANT ? st.s2hk : st.hk2s, s + i, j - i);
            if (!r) {
                b->failed = true;
                return;
            }
            if (to == SCRIPT_HANT)
                add_hk(b, r);
            else
                buf_add(b, r, strlen(r));
            opencc_convert_utf8_free(r);
        }
        i = j;
    }
}

/* ---- context keys --------------------------------------------------------------------------- */

/* Where context keys look for their conditions: the sentence a run of Han characters is in (the
 * text between sentence-ending punctuation or line breaks around it), or the run itself (the
 * clause: Han characters up to any punctuation, space, letter or digit). */
struct span {
    const char *s;
    size_t n;
};

static bool sentence_end(const char *s)
{
    static const char *const ends[] = {"。", "！", "？", "；", "!", "?", ";", "\n", "\r"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (strncmp(s, ends[i], strlen(ends[i])) == 0)
            return true;
    return false;
}

/* Does hay[0..hn) contain needle[0..nn)? UTF-8 is self-synchronizing, so a byte match is a match of
 * whole characters. */
static bool contains(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || nn > hn)
        return false;
    for (size_t i = 0; i + nn <= hn; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nn) == 0)
            return true;
    return false;
}

/* Does hay[0..hn) end with needle[0..nn)? */
static bool ends_with(const char *hay, size_t hn, const char *needle, size_t nn)
{
    return nn > 0 && nn <= hn && memcmp(hay + hn - nn, needle, nn) == 0;
}

/* Does hay[0..hn) start with needle[0..nn)? */
static bool starts_with(const char *hay, size_t hn, const char *needle, size_t nn)
{
    return nn > 0 && nn <= hn && memcmp(hay, needle, nn) == 0;
}

/* Does match(hay, one of the words w[0..wn) ("a|b|c")) hold for one of them? */
static bool any_word_by(bool (*match)(const char *, size_t, const char *, size_t), const char *w,
                        size_t wn, const char *hay, size_t hn)
{
    for (size_t i = 0; i < wn;) {
        const char *bar = memchr(w + i, '|', wn - i);
        size_t l = bar ? (size_t)(bar - (w + i)) : wn - i;
        if (match(hay, hn, w + i, l))
            return true;
        i += l + 1;
    }
    return false;
}

/* Does one of the words w[0..wn) occur in hay[0..hn)? */
static bool any_word(const char *w, size_t wn, const char *hay, size_t hn)
{
    return any_word_by(contains, w, wn, hay, hn);
}

/* Does hay[0..hn) end with one of the words w[0..wn)? */
static bool ends_word(const char *w, size_t wn, const char *hay, size_t hn)
{
    return any_word_by(ends_with, w, wn, hay, hn);
}

/* The condition of a context key (the third column of s2t-context.tsv), checked around the key at
 * key[0..klen): space-separated tests that must all hold, each NAME=w1|w2|...
 * - before=…  one of the words occurs in the key's clause (its run of Han characters) before it;
 * - after=…   one occurs in the clause after it;
 * - near=…    one occurs in the clause before or after it;
 * - not=…     none occurs in the clause before or after it;
 * - end=…     the clause ends with one of them (after the key; the key itself may not be it);
 * - at=start, at=end: the key begins, or ends, its clause;
 * - prev=…    the text goes right up to the key with one of them, within the sentence, so that a
 *   digit before the clause counts (3只猫, 2周内: prev=0|1|…);
 * - next=…    the text goes on right after the key with one of them, within the sentence;
 * - s-before=…, s-after=…, s-near=…, s-not=…: the same over the whole sentence.
 * check_only: only tell whether the condition is well formed (at load time). An unknown test or an
 * empty list makes the condition false, so a misspelt line never applies. */
static bool ctx_holds(const char *cond, size_t cn, const struct span *sen, const struct span *run,
                      const char *key, size_t klen, bool check_only)
{
    bool any = false;
    for (size_t i = 0; i < cn;) {
        while (i < cn && cond[i] == ' ')
            i++;
        if (i == cn)
            break;
        const char *sp = memchr(cond + i, ' ', cn - i);
        size_t l = sp ? (size_t)(sp - (cond + i)) : cn - i;
        const char *c = cond + i, *eq = memchr(c, '=', l);
        i += l;
        if (!eq || eq + 1 == c + l)
            return false;
        const char *w = eq + 1;
        size_t wn = (size_t)(c + l - w), name = (size_t)(eq - c);
        bool whole = name > 2 && memcmp(c, "s-", 2) == 0; /* the sentence, not the clause */
        if (whole)
            c += 2, name -= 2;
        const struct span *in = whole ? sen : run;
#define IS(str) (name == sizeof str - 1 && memcmp(c, str, sizeof str - 1) == 0)
        bool sided = IS("before") || IS("after") || IS("near") || IS("not");
        bool clause_only = !whole && (IS("end") || IS("prev") || IS("next") ||
                                         (IS("at") && ((wn == 5 && memcmp(w, "start", 5) == 0) ||
                                                       (wn == 3 && memcmp(w, "end", 3) == 0))));
        if (!sided && !clause_only)
            return false;
        if (check_only) {
            any = true;
            continue;
        }
        const char *after = key + klen;
        bool ok;
        if (sided) {
            bool b = !IS("after") && any_word(w, wn, in->s, (size_t)(key - in->s));
            bool a = !IS("before") && !b && any_word(w, wn, after, (size_t)(in->s + in->n - after));
            ok = IS("not") ? !(a || b) : a || b;
        } else if (IS("end")) {
            ok = ends_word(w, wn, after, (size_t)(in->s + in->n - after));
        } else if (IS("prev")) {
            ok = any_word_by(ends_with, w, wn, sen->s, (size_t)(key - sen->s));
        } else if (IS("next")) {
            ok = any_word_by(starts_with, w, wn, after, (size_t)(sen->s + sen->n - after));
        } else { /* at=start | at=end */
            ok = wn == 5 ? key == in->s : after == in->s + in->n;
        }
#undef IS
        if (!ok)
            return false;
        any = true;
    }
    return any;
}

/* Might a key of g start with cp? */
static bool starts_key(const struct gloss *g, uint32_t cp)
{
    return cp >= FIRST_BITS || (g->first[cp / 8] & (1u << (cp % 8)));
}

/* The first context key of cg for s[0..n) (a key may have several lines, tried in file order)
 * whose condition holds, or NULL. */
static const struct entry *ctx_get(const struct gloss *cg, const struct span *sen,
                                   const struct span *run, const char *s, size_t n, bool anchored)
{
    const struct entry *e = anchored ? gloss_get_anchored(cg, s, n) : gloss_get(cg, s, n);
    for (; e; e = e->next ? &cg->e[e->next - 1] : NULL)
        if (ctx_holds(e->cond, e->condlen, sen, run, s, n, false))
            return e;
    return NULL;
}

/* The entry of g for s[0..n) (anchored first where the span ends a clause), and in its place the
 * context key of cg for the same span where its condition holds in the sentence. */
static const struct entry *lookup(const struct gloss *g, const struct gloss *cg,
                                  const struct span *sen, const struct span *run, const char *s,
                                  size_t n, bool anchored)
{
    if (cg && cg->n && starts_key(cg, utf8_cp(s))) {
        const struct entry *c = anchored ? ctx_get(cg, sen, run, s, n, true) : NULL;
        if (!c)
            c = ctx_get(cg, sen, run, s, n, false);
        if (c)
            return c;
    }
    const struct entry *e = anchored ? gloss_get_anchored(g, s, n) : NULL;
    return e ? e : gloss_get(g, s, n);
}

#define RUN_STACK 256 /* Han runs up to this many characters segment without malloc */
/* Segmentation costs, compared in this order: pieces, then characters of g->amb left to OpenCC
 * outside any key, then marked characters in keys. */
#define PIECE ((uint64_t)1 << 42)
#define LOOSE ((uint64_t)1 << 21)

/* Segments a run of Han characters s[0..n) into glossary keys and single characters with the fewest
 * pieces; between as many pieces, the one that leaves fewer characters of g->amb outside any key
 * wins ("这个钟表" is 这 个 钟表 (錶), not 这 个钟 表, where OpenCC would write 表 alone), then the one
 * with fewer marked characters (characters a key writes otherwise than OpenCC writes them alone),
 * so "带头发言" becomes 带 头 发言 (發, OpenCC's own reading) rather than 带 头发 言 (髮), and
 * "控制成本" stays 控制 成 本 rather than 控 制成 本; on
 * a full tie the piece that starts first is the longer one, so a word is not broken by a phrase key
 * that starts with its last character (联系被申请人 is 联系 被申请人, not 联 系被申请人).
 * at_end: the run ends a clause (see clause_end), so a piece that ends the run may be an anchored
 * key (see key_chars), which is then taken before the plain key of the same span. Keys are emitted
 * as written in the glossary, and every stretch of text between them (from *gap on) goes to OpenCC
 * in one piece. Returns -1 if out of memory. */
static int segment_run(struct buf *b, const char *text, size_t *gap, const char *s, size_t n,
                       bool at_end, const struct gloss *g, const struct gloss *cg,
                       const struct span *sen, enum script to)
{
    const struct span run = {s, n};
    size_t maxkey = cg && cg->maxkey > g->maxkey ? cg->maxkey : g->maxkey;
    size_t stack_off[RUN_STACK + 1];
    uint64_t stack_cost[RUN_STACK + 1];
    const struct entry *stack_pick[RUN_STACK];
    unsigned char stack_len[RUN_STACK];
    size_t k = 0;
    for (size_t i = 0; i < n; i += utf8_len(s + i))
        k++;
    size_t *off = stack_off;
    uint64_t *cost = stack_cost;
    const struct entry **pick = stack_pick;
    unsigned char *len = stack_len;
    if (k > RUN_STACK) {
        off = malloc((k + 1) * sizeof *off);
        cost = malloc((k + 1) * sizeof *cost);
        pick = malloc(k * sizeof *pick);
        len = malloc(k);
        if (!off || !cost || !pick || !len) {
            free(off);
            free(cost);
            free(pick);
            free(len);
            return -1;
        }
    }
    k = 0;
    for (size_t i = 0; i < n; i += utf8_len(s + i))
        off[k++] = i;
    off[k] = n;
    cost[k] = 0;
    for (size_t i = k; i-- > 0;) {
        size_t cl = off[i + 1] - off[i];
        pick[i] = lookup(g, cg, sen, &run, s + off[i], cl, at_end && i + 1 == k);
        len[i] = 1;
        uint32_t cp = utf8_cp(s + off[i]);
        bool loose = !pick[i] && cp < FIRST_BITS && (g->amb[cp / 8] & (1u << (cp % 8)));
        cost[i] = PIECE + (pick[i] ? pick[i]->marked : loose ? LOOSE : 0) + cost[i + 1];
        if (!starts_key(g, cp) && !(cg && cg->n && starts_key(cg, cp)))
            continue;
        for (size_t l = 2; i + l <= k && l <= 255 && off[i + l] - off[i] <= maxkey; l++) {
            const struct entry *e =
                lookup(g, cg, sen, &run, s + off[i], off[i + l] - off[i], at_end && i + l == k);
            if (!e)
                continue;
            uint64_t c = PIECE + e->marked + cost[i + l];
            if (c <= cost[i]) {
                cost[i] = c;
                pick[i] = e;
                len[i] = (unsigned char)l;
            }
        }
    }
    for (size_t i = 0; i < k; i += len[i]) {
        if (!pick[i])
            continue;
        const char *at = s + off[i];
        add_opencc(b, text + *gap, (size_t)(at - (text + *gap)), to);
        buf_add(b, pick[i]->val, pick[i]->vlen);
        *gap = (size_t)(at - text) + (off[i + len[i]] - off[i]);
    }
    if (off != stack_off) {
        free(off);
        free(cost);
        free(pick);
        free(len);
    }
    return 0;
}

/* Whether a run of Han characters followed by s[0..n) ends a clause for anchored keys: the text
 * ends there or goes on with anything but a letter or a digit (ASCII or full-width). */
static bool clause_end(const char *s, size_t n)
{
    if (n == 0)
        return true;
    uint32_t cp = utf8_cp(s);
    bool alnum = (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                 (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                 (cp >= 0xFF41 && cp <= 0xFF5A);
    return !alnum;
}

/* ---- surnames in running text -------------------------------------------------------------- */

/* Simplified 于 余 游 涂 范 are surnames (written so in Traditional too) and also the preposition 於
 * and the words of 餘 遊 塗 範, which is how they are converted unless something says otherwise.
 * The glossary knows them before a title (于先生, 余女士), after some roles (申请人余) and before
 * given-name characters that do not begin words (于晓, 余美, 游志); text_surname adds a rule for the
 * rest (于国华, 于海涛, 于明, 游美珍, 范文涛 ...): such a character is a surname where all four hold:
 * - before it: the start of a run of Han characters (a sentence, a clause, an item of a list), a
 *   word for a person (申请人, 律师, 前妻, 乘客 ...; any word ending in 人), a word that puts a
 *   person next (和, 与, 跟, 叫, 请 ...), or 于 (由于于光明: the preposition never comes twice);
 * - after it: not what the preposition takes (prep_context: a place such as 成都 or 珠海市, an
 *   institution such as 律师事务所, a time such as 明年 or 春节);
 * - then one or two characters that are all common in given names (name_chars);
 * - then the end of the run (punctuation, a space, the end of the text) or a word that follows
 *   a subject or a name (name_next: verbs of saying and deciding such as 说, 表示, 打算, 决定, adverbs
 *   such as 马上, 随后, 一再, 最近, and single verbs and particles such as 把, 的, 也, 先生 ...).
 * The other readings fail at least one of these: the preposition's object is a time, a place or an
 * abstract noun (于本月, 于今年, 于此, 于是, 于法, 于2024年, 于家中, 于国庆假期后), and after a
 * person it begins a time (申请人于同日, 于收到通知后); 余额, 游客, 涂改, 范围 do not go on with a
 * name. A glossary key that starts with the character and writes it otherwise wins (于家中 ->
 * 於家中, 游美国 -> 遊美國) unless the name goes on past the key (范文涛律师: 范文 -> 範文 alone).
 * Where a name could start and prep_context holds, 于 is written 於 even against the glossary's
 * surname keys (申请人于律师事务所: not 于律师).
 * 由, 同, 对, 向 are left out of the words before: 由于, 等同于, 对于, 倾向于 are the preposition's own
 * words. */
static const char text_surnames[] = "于余游涂范";
/* What the preposition 于 (於) takes before a place, an institution or a time, where a surname
 * would take a given name: places (cities, provinces, countries, districts of Zhuhai, Macao and
 * Hong Kong) and the first word of a time or an institution whose first character is also common
 * in given names (于明年, 于春节, 于国内; 于律师事务所 against the glossary's 于律师). Times and
 * places that start with a character no given name has (于本月, 于上海, 于该日) need no entry. */
static const char *const prep_object[] = {
    /* places */
    "北京", "天津", "上海", "重庆", "河北", "河南", "山西", "山东", "辽宁", "吉林", "黑龙江",
    "江苏", "浙江", "安徽", "福建", "江西", "湖北", "湖南", "广东", "广西", "海南", "四川",
    "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "西藏", "宁夏", "新疆", "香港",
    "澳门", "广州", "深圳", "珠海", "佛山", "东莞", "中山", "江门", "惠州", "肇庆", "汕头",
    "湛江", "清远", "韶关", "梅州", "潮州", "阳江", "成都", "武汉", "杭州", "南京", "苏州",
    "西安", "长沙", "郑州", "沈阳", "大连", "青岛", "厦门", "福州", "泉州", "宁波", "温州",
    "无锡", "合肥", "南昌", "昆明", "贵阳", "南宁", "桂林", "海口", "三亚", "兰州", "银川",
    "西宁", "拉萨", "哈尔滨", "长春", "石家庄", "太原", "济南", "烟台", "嘉兴", "绍兴", "常州",
    "南通", "扬州", "徐州", "洛阳", "丽江", "横琴", "拱北", "湾仔", "香洲", "斗门", "金湾",
    "氹仔", "路环", "路氹", "新口岸", "九龙", "新界", "港岛", "中环", "旺角", "铜锣湾", "内地",
    "大陆", "国内", "国外", "海外", "境内", "境外", "本地", "外地", "当地", "异地", "美国",
    "英国", "法国", "德国", "日本", "韩国", "新加坡", "泰国", "越南", "马来西亚", "菲律宾",
    "印尼", "印度", "澳洲", "澳大利亚", "加拿大", "葡萄牙", "西班牙", "意大利", "荷兰", "瑞士",
    "俄罗斯", "新西兰", "欧洲", "亚洲", "非洲", "美洲",
    /* institutions */
    "律师事务所", "律师楼", "律所", "法院", "法庭", "调解中心", "会议", "公司", "银行", "医院",
    "学校", "警署", "派出所", "办公室", "住所", "网上", "线上", "现场",
    /* times */
    "明年", "明天", "明日", "明早", "明晚", "春节", "春季", "春天", "秋季", "秋天", "冬季",
    "冬天", "冬至", "国庆", "清明", "平安夜", "晨", "每",
};
/* Characters that end a place's name (珠海市, 香洲区, 新马路): 于 followed by one or two characters
 * and one of these is the preposition, unless the character begins a word of its own (市场, 区长,
 * 路过: 于海涛市场部, 于建华市长). */
static const char place_end[] = "市省区县镇村路街岛州湾";
static const char place_end_not[] = "场民值长委别分过";
static const char name_chars[] =
    "国华海涛明文静美玲小红立新春燕波光民晓东志强伟丽建军秀兰英芳敏娟霞萍玉梅桂凤琴珍莉雪琳婷倩颖"
    "慧佳嘉欣怡雯洁雅婉淑惠秋冬冰平安宁康福荣祥瑞德仁义智忠勇刚毅杰俊峰浩鹏飞龙虎豪辉亮斌彬超磊鑫"
    "洋江林森柏桥松青清庆永胜利成振兴宏鸿远达伦诚坤晨阳昊宇航子家金银铭锦凯旭婕媛娜妮娥蓉蓓薇菲萱"
    "莹璐琪瑶珊瑜璇晴晶爱亚艳莲荷菊兵武卫启源泉润涵淼川山石宝贵富恩思维亦栋梁琦岚蕾莎楠彤晖哲"
    "睿轩泽曦锋勤坚贤耀绍彦培炳朗钢锐敬";
static const char *const name_before[] = {
    "人",     "原告",   "被告",   "调解员", "律师",   "法官",   "丈夫",   "妻子",   "老公",
    "老婆",   "前夫",   "前妻",   "儿子",   "女儿",   "父亲",   "母亲",   "爸爸",   "妈妈",
    "哥哥",   "姐姐",   "弟弟",   "妹妹",   "爷爷",   "奶奶",   "外公",   "外婆",   "老板",
    "同事",   "朋友",   "邻居",   "经理",   "会计",   "房东",   "租客",   "业主",   "股东",
    "客户",   "太太",   "助理",   "主任",   "秘书",   "女友",   "男友",   "乘客",   "司机",
    "员工",   "工人",   "学生",   "老师",   "医生",   "护士",   "店员",   "店主",   "租户",
    "住户",   "买家",   "卖家",   "买方",   "卖方",   "男方",   "女方",   "和",     "与",
    "跟",     "及",     "或",     "让",     "叫",     "请",     "问",     "找",     "给",
    "告诉",   "通知",   "联系",   "是",     "于",
};
static const char *const name_next[] = {
    /* speaking, stating, agreeing or refusing */
    "说", "讲", "称", "承诺", "保证", "表示", "认为", "要求", "同意", "承认", "否认", "辩称", "提出",
    "提交", "坚持", "拒绝", "希望", "愿意", "答应", "回答", "觉得", "指出", "告诉", "介绍", "出示",
    "强调", "补充", "解释", "反对", "支持", "起诉", "声称", "坚称", "证实", "确认", "说明", "自称",
    "声明", "主张", "代表", "申请", "投诉", "报警", "上诉", "回复", "答复", "透露", "坦言", "怀疑", "担心",
    "发现", "知道", "得知", "听说", "明白", "相信", "记得", "忘记", "感到", "感觉", "建议", "打电话",
    /* intending, deciding, beginning */
    "打算", "准备", "决定", "计划", "开始", "继续", "放弃", "接受", "签署", "签订", "收到", "接到",
    "委托", "聘请", "出售", "购买", "转让", "继承", "联系", "联络", "担任", "负责", "出席", "到场",
    "参加", "主持", "前往", "赶到", "赶来", "搬", "离", "离开", "留", "得到", "获得", "需要", "应该",
    "应当", "必须", "可以", "可能", "能", "只", "才", "便", "即", "亦", "均", "仍", "正", "刚",
    /* adverbs of time and manner that follow a subject */
    "马上", "立即", "立刻", "随即", "随后", "一再", "再次", "多次", "屡次", "最近", "近来", "近日",
    "今天", "昨天", "明天", "前天", "当天", "当晚", "当时", "早", "曾经", "以前", "后来", "此前",
    "之前", "事后", "目前", "平时", "一向", "总是", "经常", "常常", "偶尔", "从未", "从来", "始终",
    "一直", "亲自", "突然", "忽然", "终于", "竟然", "居然", "其实", "确实", "同时", "已经", "正在",
    "现在", "今年", "去年", "本人", "自己", "主动", "独自", "一言", "两", "先", "很", "非常", "十分",
    "特别", "更", "最", "太",
    /* single verbs, conjunctions and particles */
    "到", "受", "住", "回", "不", "没", "未", "也", "的", "是", "和", "与", "及", "跟", "已", "曾",
    "还", "就", "都", "却", "把", "被", "将", "会", "要", "想", "对", "在", "则", "又", "并", "等",
    "这", "那", "他", "她", "签", "借", "欠", "拿", "交", "付", "给", "问", "让", "叫", "请", "去",
    "来", "因", "从", "打", "带", "看", "听", "找", "做", "买", "卖", "收", "送", "向", "为", "过",
    "系", /* the copula of legal writing: 于海涛系该公司的股东 */
    /* titles and kin */
    "先生", "女士", "律师", "小姐", "太太", "女儿", "儿子", "妻子", "丈夫", "父亲", "母亲", "哥哥",
    "姐姐", "弟弟", "妹妹",
};

/* Whether the text at s (n bytes) starts with one of words[0..count). */
static bool starts_with_any(const char *s, size_t n, const char *const *words, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t l = strlen(words[i]);
        if (l <= n && memcmp(s, words[i], l) == 0)
            return true;
    }
    return false;
}

/* Whether the run of Han characters before[0..bn) (the text of the run before 于) ends with one of
 * words[0..count). */
static bool ends_with_any(const char *before, size_t bn, const char *const *words, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t l = strlen(words[i]);
        if (l <= bn && memcmp(before + bn - l, words[i], l) == 0)
            return true;
    }
    return false;
}

/* Whether the character at s is one of set's (a string of whole characters). */
static bool in_set(const char *set, const char *s)
{
    char c[5] = {0};
    memcpy(c, s, utf8_len(s));
    return strstr(set, c) != NULL;
}

/* Whether what follows the character at run[at] (the rest of the run, run[p..n)) is what the
 * preposition 于 takes: a place, an institution or a time of prep_object, or one or two characters
 * and the end of a place's name (place_end). */
static bool prep_context(const char *run, size_t n, size_t p)
{
    if (starts_with_any(run + p, n - p, prep_object, sizeof prep_object / sizeof prep_object[0]))
        return true;
    for (int k = 0; k < 2 && p < n; k++) {
        p += utf8_len(run + p);
        if (p < n && in_set(place_end, run + p)) {
            size_t q = p + utf8_len(run + p);
            if (q == n || !in_set(place_end_not, run + q))
                return true;
        }
    }
    return false;
}

/* Whether the character at run[at] comes where a person's name may: at the start of the run or
 * after one of name_before. */
static bool name_may_start(const char *run, size_t at)
{
    return at == 0 || ends_with_any(run, at, name_before, sizeof name_before / sizeof name_before[0]);
}

/* Whether the 于 at run[at] is the preposition by what follows it (prep_context) where a name could
 * start (name_may_start), so that the glossary's surname keys (于律师, 于家) do not take it. */
static bool text_prep(const char *run, size_t n, size_t at)
{
    static const char yu[] = "于";
    if (memcmp(run + at, yu, sizeof yu - 1) != 0 || !name_may_start(run, at))
        return false;
    return prep_context(run, n, at + sizeof yu - 1);
}

/* The start of the character before at (at > start). */
static const char *prev_char(const char *start, const char *at)
{
    do
        at--;
    while (at > start && ((unsigned char)*at & 0xC0) == 0x80);
    return at;
}

/* Surnames written as they are whose character has another Traditional form as a word, kept before
 * a Latin title (余sir, 党sir, 云Madam). */
static const char title_surnames[] = "于余游涂范党云后种谷郁岳朴姜沈曲";

/* Hong Kong's Latin titles after a surname (余sir, 游Madam): the run of Han characters ends at the
 * surname and the text goes on with one of these. */
static bool latin_title(const char *s, size_t n)
{
    static const char *const titles[] = {"sir", "Sir", "SIR", "Madam", "madam", "Miss", "Ms"};
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        size_t l = strlen(titles[i]);
        if (n >= l && memcmp(s, titles[i], l) == 0 &&
            (n == l || !((s[l] >= 'a' && s[l] <= 'z') || (s[l] >= 'A' && s[l] <= 'Z'))))
            return true;
    }
    return false;
}

/* The length of the character at run[at] (a run of Han characters run[0..n), in Simplified) if it is
 * one of text_surnames and a surname there by the rule above, else 0. */
static size_t text_surname(const char *run, size_t n, size_t at)
{
    if (!in_set(text_surnames, run + at))
        return 0;
    if (!name_may_start(run, at))
        return 0;
    size_t l = utf8_len(run + at), p = at + l;
    if (prep_context(run, n, p))
        return 0; /* 申请人于成都工作, 游香港 */
    const struct entry *e = gloss_longest(&st.s2t, run + at, n - at);
    bool other = e && e->klen > l && (e->vlen < l || memcmp(e->val, run + at, l) != 0);
    for (int k = 0; k < 2 && p < n; k++) {
        if (!in_set(name_chars, run + p))
            return 0;
        p += utf8_len(run + p);
        if (p == n ||
            starts_with_any(run + p, n - p, name_next, sizeof name_next / sizeof name_next[0]))
            /* a key with the other reading wins unless the name goes on past it: 于家中, 游美国
             * are not names, 范文涛律师 is one (范文 -> 範文 alone) */
            return other && e->klen >= p - at ? 0 : l;
    }
    return 0;
}

/* Is the run s[0..n) already written in script to: some characters of that script only and none
 * of the other's? Such a clause of mixed text (a Traditional quotation in a Simplified statement)
 * is left as it is: the glossary's Simplified keys would misread it (干預 is not 幹預, 鄰里 not
 * 鄰裏). */
static bool run_in_script(const char *s, size_t n, enum script to)
{
    const unsigned char *mine = to == SCRIPT_HANT ? st.trad_only : st.simp_only;
    const unsigned char *other = to == SCRIPT_HANT ? st.simp_only : st.trad_only;
    bool seen = false;
    for (size_t i = 0; i < n; i += utf8_len(s + i)) {
        uint32_t cp = utf8_cp(s + i);
        if (bit(other, cp))
            return false;
        seen = seen || bit(mine, cp);
    }
    return seen;
}

/* Text mode: glossary keys found in each run of Han characters are emitted verbatim; all the rest
 * (other characters, and Han characters no key covers) is converted by OpenCC between them. Going
 * to Traditional, a surname that text_surname finds splits its run and is written as it is. */
static void convert_plain(struct buf *b, const char *s, size_t n, enum script to)
{
    const struct gloss *g = to == SCRIPT_HANT ? &st.s2t : &st.t2s;
    const struct gloss *cg = to == SCRIPT_HANT ? &st.s2t_ctx : &st.t2s_ctx;
    struct span sen = {s, 0};
    size_t gap = 0, i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && is_han(utf8_cp(s + j)))
            j += utf8_len(s + j);
        if (j == i) {
            i += utf8_len(s + i);
            continue;
        }
        if (run_in_script(s + i, j - i, to)) {
            add_opencc(b, s + gap, i - gap, to);
            buf_add(b, s + i, j - i);
            gap = i = j;
            continue;
        }
        if (s + i >= sen.s + sen.n) { /* a run past the sentence: find the next one */
            sen.s += sen.n;
            size_t e = i;
            while (e < n && !sentence_end(s + e))
                e += utf8_len(s + e);
            sen.n = (size_t)(s + e - sen.s);
        }
        size_t from = i;
        if (to == SCRIPT_HANT) {
            for (size_t p = from; p < j; p += utf8_len(s + p)) {
                size_t l = text_surname(s + i, j - i, p - i);
                if (l == 0 && p + utf8_len(s + p) == j && in_set(title_surnames, s + p) &&
                    latin_title(s + j, n - j) &&
                    (name_may_start(s + i, p - i) ||
                     (p > i && in_set("了过着见到向", prev_char(s + i, s + p)))))
                    l = utf8_len(s + p); /* 余sir, 问了游Madam */
                const char *as = s + p; /* the surname as written, or 於 */
                size_t al = l;
                if (l == 0 && text_prep(s + i, j - i, p - i)) {
                    l = utf8_len(s + p);
                    as = "於";
                    al = strlen(as);
                }
                if (l == 0)
                    continue;
                if (p > from &&
                    segment_run(b, s, &gap, s + from, p - from, false, g, cg, &sen, to) < 0) {
                    b->failed = true;
                    return;
                }
                add_opencc(b, s + gap, p - gap, to);
                buf_add(b, as, al);
                gap = from = p + l;
            }
        }
        if (j > from &&
            segment_run(b, s, &gap, s + from, j - from, clause_end(s + j, n - j), g, cg, &sen,
                        to) < 0) {
            b->failed = true;
            return;
        }
        i = j;
    }
    add_opencc(b, s + gap, n - gap, to);
}

/* Converts a run of Han characters that is (part of) a given name: character by character, never by
 * phrase; the name-reading overrides first, else OpenCC on the character alone. */
static void convert_given(struct buf *b, const char *s, size_t n, enum script to)
{
    const struct gloss *g = to == SCRIPT_HANT ? &st.name_s2t : &st.name_t2s;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(s + i);
        const struct entry *e = gloss_get(g, s + i, l);
        if (e)
            buf_add(b, e->val, e->vlen);
        else
            add_opencc(b, s + i, l, to);
        i += l;
    }
}

static void convert_name(struct buf *b, const char *s, size_t n, enum script to)
{
    const struct gloss *sur = to == SCRIPT_HANT ? &st.sur_s2t : &st.sur_t2s;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && is_han(utf8_cp(s + j)))
            j += utf8_len(s + j);
        if (j == i) {
            size_t l = utf8_len(s + i);
            buf_add(b, s + i, l);
            i += l;
            continue;
        }
        /* two names in one field, joined by 及 or 与 (陈大文及余美珍): each is a name of its own
         * where at least two characters stand on either side and a surname follows */
        size_t join = 0, jl = 0;
        for (size_t p = i, k = 0; p < j; p += utf8_len(s + p), k++) {
            size_t l = utf8_len(s + p), after = 0;
            for (size_t q = p + l; q < j && after < 2; q += utf8_len(s + q))
                after++;
            if (k >= 2 && after >= 2 && (in_set("及与與", s + p)) &&
                gloss_longest(sur, s + p + l, j - p - l)) {
                join = p, jl = l;
                break;
            }
        }
        if (join) {
            convert_name(b, s + i, join - i, to);
            convert_given(b, s + join, jl, to);
            i = join + jl;
            continue;
        }
        /* a nickname on a surname (阿范, 老余, 小游): the surname as written */
        if (j - i == utf8_len(s + i) + utf8_len(s + i + utf8_len(s + i)) &&
            in_set("阿老小", s + i)) {
            size_t l = utf8_len(s + i);
            const struct entry *ns = gloss_get(sur, s + i + l, j - i - l);
            if (ns) {
                buf_add(b, s + i, l);
                buf_add(b, ns->val, ns->vlen);
                i = j;
                continue;
            }
        }
        /* s[i..j) is a run of Han characters: surname, then given name. */
        const struct entry *e = gloss_longest(sur, s + i, j - i);
        if (e) {
            buf_add(b, e->val, e->vlen);
            i += e->klen;
            /* a married woman's name in Hong Kong and Macao puts her own surname after her
             * husband's (陈余美珍, 司徒余丽华), and so does 陈余氏: a second surname where at least
             * three characters follow the first, or one and 氏 */
            size_t left = 0;
            for (size_t p = i; p < j; p += utf8_len(s + p))
                left++;
            const struct entry *e2 = left >= 3 || (left == 2 && utf8_len(s + i) + 3 == j - i &&
                                                   memcmp(s + j - 3, "氏", 3) == 0)
                                         ? gloss_longest(sur, s + i, utf8_len(s + i))
                                         : NULL;
            if (e2) {
                buf_add(b, e2->val, e2->vlen);
                i += e2->klen;
            }
        }
        convert_given(b, s + i, j - i, to);
        i = j;
    }
}

char *convert_text(const char *utf8, size_t len, enum script to, enum convert_kind kind)
{
    if (convert_init() != 0 || (!utf8 && len > 0))
        return NULL;
    if (len == 0)
        return strdup("");
    if (!utf8_valid(utf8, len))
        return NULL;
    struct buf b = {0};
    if (to == SCRIPT_NONE)
        buf_add(&b, utf8, len);
    else if (kind == CONVERT_NAME)
        convert_name(&b, utf8, len, to);
    else
        convert_plain(&b, utf8, len, to);
    return buf_take(&b);
}

enum script script_detect(const char *utf8, size_t len)
{
    if (convert_init() != 0 || !utf8)
        return SCRIPT_NONE;
    const unsigned char *p = (const unsigned char *)utf8;
    size_t simp = 0, trad = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = utf8_decode(p + i, len - i, &cp);
        if (l == 0) { /* a malformed byte (say, a character cut in two) is skipped */
            i++;
            continue;
        }
        simp += bit(st.simp_only, cp);
        trad += bit(st.trad_only, cp);
        i += l;
    }
    return simp > trad ? SCRIPT_HANS : trad > simp ? SCRIPT_HANT : SCRIPT_NONE;
}
