/* searchnorm.c: search terms for the keyed full-text index. See searchnorm.h for the rules.
 *
 * Traditional -> Simplified is done by a character table, not by converting text with OpenCC.
 * OpenCC's t2s segments text into phrases (maximum match over TSPhrases) and converts each phrase
 * as a whole, so one character's result depends on its neighbours: 乾 alone -> 干, but 乾隆 stays
 * 乾隆; and where segmentation boundaries fall depends on the text around a word. A document's
 * bigram and the same bigram typed as a query could then be converted differently and never meet.
 * For search the only thing that matters is that equal characters get equal terms, so we fold each
 * Han character on its own, the same way everywhere:
 *
 *   - At initialisation every Han code point (CJK unified ideographs, extensions A-H, compatibility
 *     ideographs) is converted alone, one per line, through OpenCC's t2s, hk2s and tw2s
 *     configurations (one batch call each). A character alone can only meet the character
 *     dictionaries (TSCharacters and the HK/TW variant tables; TSPhrases holds no one-character
 *     entry), so this reads OpenCC's character-level data through its public API with no config
 *     of our own and no temporary file.
 *   - Each (character, result) pair is an edge; the connected classes (union-find) are the sets
 *     of characters that must meet: {調 调}, {裏 裡 里}, {綫 線 线}, {著 着}, {乾 幹 干 榦},
 *     {么 幺 麼 麽}. Using hk2s and tw2s as well as t2s adds the regional variants t2s alone
 *     leaves apart (衞 -> 卫 only in hk2s, 著 -> 着 only in tw2s).
 *   - Every member of a class folds to one representative: a character t2s leaves unchanged,
 *     preferring the one most other members convert to (the Simplified form), then the lowest code
 *     point. The representative folds to itself, so the fold is idempotent and Simplified text
 *     passes through (almost) unchanged.
 *
 * The cost is some merging of characters Simplified Chinese keeps apart (着/著, 干/乾, 台/枱),
 * which only adds recall; the store's results are then ranked and shown with their original
 * text. Building the table costs about 0.2 s once (three OpenCC passes over ~100,000 code
 * points); the table (about 4,300 pairs) is read-only after pthread_once, so calls need no lock
 * and OpenCC is not used after start-up. ICU's normalizer instances are shared, immutable and
 * thread-safe. */
#include "i18n/searchnorm.h"

#include <opencc/opencc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* ---- UTF-8 ---------------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (n > 0 bytes available), or 0 if it is not one
 * (overlong, surrogate, beyond U+10FFFF, truncated, stray continuation byte, NUL). */
static size_t sn_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
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
    return len;
}

static bool sn_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = sn_utf8_seq(p + i, n - i);
        if (l == 0)
            return false;
        i += l;
    }
    return true;
}

/* Writes cp (a scalar value) as UTF-8 to out (4 bytes available); returns the byte count. */
static size_t sn_utf8_put(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- the Han folding table ------------------------------------------------------------------ */

/* The code points whose T/S classes are computed, ascending: CJK unified ideographs, extension A,
 * compatibility ideographs, extensions B-H. */
static const struct {
    uint32_t lo, hi;
} han_ranges[] = {
    {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},
    {0xF900, 0xFAFF},
    {0x20000, 0x323AF},
};
#define HAN_NRANGES (sizeof han_ranges / sizeof han_ranges[0])

/* Position of cp in the concatenated ranges, or -1 if cp is in none. */
static long han_index(uint32_t cp)
{
    long base = 0;
    for (size_t r = 0; r < HAN_NRANGES; r++) {
        if (cp >= han_ranges[r].lo && cp <= han_ranges[r].hi)
            return base + (long)(cp - han_ranges[r].lo);
        base += (long)(han_ranges[r].hi - han_ranges[r].lo + 1);
    }
    return -1;
}

static size_t han_count(void)
{
    size_t n = 0;
    for (size_t r = 0; r < HAN_NRANGES; r++)
        n += han_ranges[r].hi - han_ranges[r].lo + 1;
    return n;
}

struct fold {
    uint32_t from, to;
};

static struct fold *g_fold; /* sorted by from; only characters that change */
static size_t g_nfold;
static int g_init_rc = -1;
static bool g_shut;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static uint32_t uf_find(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* The scratch state of building the table. */
struct build {
    size_t n;          /* number of Han code points */
    uint32_t *cps;     /* index -> code point */
    uint32_t *parent;  /* union-find */
    uint32_t *best;    /* root -> representative index */
    uint16_t *indeg;   /* how many other characters t2s converts to this one */
    unsigned char *fl; /* FL_* */
};
enum { FL_LINKED = 1, FL_T2S_FIXED = 2 };

/* Reads the output of converting the one-character-per-line list: line i is what character i
 * became. Adds an edge for every single Han character that differs; with t2s, also records fixed
 * points and in-degrees. Returns false if the output does not have one line per character. */
static bool add_edges(struct build *b, const char *out, bool is_t2s)
{
    const char *p = out;
    for (size_t i = 0; i < b->n; i++) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            return false;
        size_t l = (size_t)(nl - p);
        size_t sl = l ? sn_utf8_seq((const unsigned char *)p, l) : 0;
        long j = -1;
        if (sl == l && l > 0) {
            UChar32 c;
            int32_t k = 0;
            U8_NEXT((const uint8_t *)p, k, (int32_t)l, c);
            j = c >= 0 ? han_index((uint32_t)c) : -1;
        }
        if (is_t2s && j == (long)i)
            b->fl[i] |= FL_T2S_FIXED;
        if (j >= 0 && j != (long)i) {
            uint32_t ri = uf_find(b->parent, (uint32_t)i), rj = uf_find(b->parent, (uint32_t)j);
            if (ri != rj)
                b->parent[ri] = rj;
            b->fl[i] |= FL_LINKED;
            b->fl[j] |= FL_LINKED;
            if (is_t2s && b->indeg[j] < UINT16_MAX)
                b->indeg[j]++;
        }
        p = nl + 1;
    }
    return true;
}

/* Is index a a better representative of its class than index b? */
static bool better_rep(const struct build *bd, uint32_t a, uint32_t b)
{
    bool fa = bd->fl[a] & FL_T2S_FIXED, fb = bd->fl[b] & FL_T2S_FIXED;
    if (fa != fb)
        return fa;
    if (bd->indeg[a] != bd->indeg[b])
        return bd->indeg[a] > bd->indeg[b];
    return a < b; /* indices ascend with code points */
}

static void init_once(void)
{
    static const char *const configs[] = {"t2s.json", "hk2s.json", "tw2s.json"};
    struct build b = {.n = han_count()};
    char *list = NULL;
    bool ok = false;

    b.cps = malloc(b.n * sizeof *b.cps);
    b.parent = malloc(b.n * sizeof *b.parent);
    b.best = malloc(b.n * sizeof *b.best);
    b.indeg = calloc(b.n, sizeof *b.indeg);
    b.fl = calloc(b.n, 1);
    list = malloc(b.n * 5 + 1);
    if (!b.cps || !b.parent || !b.best || !b.indeg || !b.fl || !list)
        goto out;

    size_t ll = 0, k = 0;
    for (size_t r = 0; r < HAN_NRANGES; r++) {
        for (uint32_t cp = han_ranges[r].lo; cp <= han_ranges[r].hi; cp++, k++) {
            b.cps[k] = cp;
            b.parent[k] = (uint32_t)k;
            ll += sn_utf8_put(cp, list + ll);
            list[ll++] = '\n';
        }
    }
    list[ll] = '\0';

    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++) {
        opencc_t cc = opencc_open(configs[c]);
        if (cc == (opencc_t)-1)
            goto out;
        char *conv = opencc_convert_utf8(cc, list, ll);
        opencc_close(cc);
        if (!conv)
            goto out;
        bool good = add_edges(&b, conv, c == 0);
        opencc_convert_utf8_free(conv);
        if (!good)
            goto out;
    }

    size_t nfold = 0;
    for (uint32_t i = 0; i < b.n; i++) {
        if (!(b.fl[i] & FL_LINKED))
            continue;
        uint32_t r = uf_find(b.parent, i);
        b.best[r] = r;
    }
    for (uint32_t i = 0; i < b.n; i++) {
        if (!(b.fl[i] & FL_LINKED))
            continue;
        uint32_t r = uf_find(b.parent, i);
        if (better_rep(&b, i, b.best[r]))
            b.best[r] = i;
    }
    for (uint32_t i = 0; i < b.n; i++)
        if ((b.fl[i] & FL_LINKED) && b.best[uf_find(b.parent, i)] != i)
            nfold++;
    g_fold = malloc((nfold ? nfold : 1) * sizeof *g_fold);
    if (!g_fold)
        goto out;
    for (uint32_t i = 0; i < b.n; i++) {
        if (!(b.fl[i] & FL_LINKED))
            continue;
        uint32_t rep = b.best[uf_find(b.parent, i)];
        if (rep != i)
            g_fold[g_nfold++] = (struct fold){b.cps[i], b.cps[rep]};
    }
    ok = true;
out:
    free(b.cps);
    free(b.parent);
    free(b.best);
    free(b.indeg);
    free(b.fl);
    free(list);
    g_init_rc = ok ? 0 : -1;
}

/* Run by searchnorm_shutdown when the table was never built: nothing to build any more. */
static void init_skipped(void)
{
    g_init_rc = -1;
}

int searchnorm_init(void)
{
    pthread_once(&g_once, init_once);
    return g_init_rc == 0 && !g_shut ? 0 : -1;
}

void searchnorm_shutdown(void)
{
    pthread_once(&g_once, init_skipped);
    g_shut = true;
    g_init_rc = -1;
    free(g_fold);
    g_fold = NULL;
    g_nfold = 0;
}

static int fold_cmp(const void *key, const void *elem)
{
    uint32_t k = *(const uint32_t *)key, f = ((const struct fold *)elem)->from;
    return k < f ? -1 : k > f;
}

/* The representative of cp's Traditional/Simplified class (cp itself for most characters). */
static uint32_t fold_han(uint32_t cp)
{
    const struct fold *f = bsearch(&cp, g_fold, g_nfold, sizeof *g_fold, fold_cmp);
    return f ? f->to : cp;
}

/* ---- normalization -------------------------------------------------------------------------- */

enum xform { X_NFKC, X_NFD, X_NFC, X_FOLD };

/* Applies one transformation to src[0..len); returns a malloc'd result (length in *olen) or NULL
 * on ICU failure or out-of-memory. */
static UChar *xform(enum xform x, const UChar *src, int32_t len, int32_t *olen)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nz = NULL;
    if (x == X_NFKC)
        nz = unorm2_getNFKCInstance(&st);
    else if (x == X_NFD)
        nz = unorm2_getNFDInstance(&st);
    else if (x == X_NFC)
        nz = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return NULL;
    int32_t cap = len + len / 4 + 16;
    for (int attempt = 0; attempt < 2; attempt++) {
        UChar *dst = malloc((size_t)cap * sizeof *dst);
        if (!dst)
            return NULL;
        st = U_ZERO_ERROR;
        int32_t n = nz ? unorm2_normalize(nz, src, len, dst, cap, &st)
                       : u_strFoldCase(dst, cap, src, len, U_FOLD_CASE_DEFAULT, &st);
        if (U_SUCCESS(st)) {
            *olen = n;
            return dst;
        }
        free(dst);
        if (st != U_BUFFER_OVERFLOW_ERROR || n <= cap)
            return NULL;
        cap = n + 1;
    }
    return NULL;
}

/* In place: drops default-ignorable code points and the nonspacing marks that follow a Latin
 * letter (after NFD these are the accents: joa\u0303o -> joao). Returns the new length. */
static int32_t strip_marks(UChar *s, int32_t len)
{
    int32_t w = 0;
    bool after_latin = false;
    for (int32_t i = 0; i < len;) {
        int32_t start = i;
        UChar32 c;
        U16_NEXT(s, i, len, c);
        if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            continue;
        int8_t gc = u_charType(c);
        if (gc == U_NON_SPACING_MARK) {
            if (after_latin)
                continue;
        } else if (gc != U_COMBINING_SPACING_MARK && gc != U_ENCLOSING_MARK) {
            UErrorCode st = U_ZERO_ERROR;
            after_latin = uscript_getScript(c, &st) == USCRIPT_LATIN && U_SUCCESS(st);
        }
        while (start < i)
            s[w++] = s[start++];
    }
    return w;
}

/* The whole normalization of valid UTF-8 s[0..n): a malloc'd UTF-16 string (length in *olen), or
 * NULL on ICU failure or out-of-memory. */
static UChar *normalize(const char *s, size_t n, int32_t *olen)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0;
    UChar *u = malloc((n + 1) * sizeof *u); /* UTF-16 never has more units than UTF-8 bytes */
    if (!u)
        return NULL;
    u_strFromUTF8(u, (int32_t)n + 1, &ulen, s, (int32_t)n, &st);
    if (U_FAILURE(st)) {
        free(u);
        return NULL;
    }
    static const enum xform steps[] = {X_NFKC, X_FOLD, X_NFD};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int32_t l2;
        UChar *v = xform(steps[i], u, ulen, &l2);
        free(u);
        if (!v)
            return NULL;
        u = v;
        ulen = l2;
    }
    ulen = strip_marks(u, ulen);
    UChar *v = xform(X_NFC, u, ulen, olen);
    free(u);
    return v;
}

/* ---- segmentation --------------------------------------------------------------------------- */

enum cls { C_SEP, C_CJK, C_WORD, C_MARK };

static enum cls classify(UChar32 c)
{
    int8_t gc = u_charType(c);
    if (gc == U_NON_SPACING_MARK || gc == U_COMBINING_SPACING_MARK || gc == U_ENCLOSING_MARK)
        return C_MARK;
    bool number = gc == U_DECIMAL_DIGIT_NUMBER || gc == U_LETTER_NUMBER || gc == U_OTHER_NUMBER;
    if (!number && !u_hasBinaryProperty(c, UCHAR_ALPHABETIC))
        return C_SEP;
    if (uscript_hasScript(c, USCRIPT_HAN) || uscript_hasScript(c, USCRIPT_HIRAGANA) ||
        uscript_hasScript(c, USCRIPT_KATAKANA) || uscript_hasScript(c, USCRIPT_HANGUL))
        return C_CJK;
    return C_WORD;
}

struct sink {
    void (*emit)(void *ctx, const char *term, size_t len);
    void *ctx;
    int count;
    bool query;
    char word[SEARCHNORM_TERM_MAX + 1];
    size_t wlen;
    bool wfull;    /* a code point did not fit: the rest of the word is cut off */
    uint32_t *run; /* the current CJK run, folded */
    size_t rlen;
};

static void put(struct sink *k, char *term, size_t len)
{
    term[len] = '\0';
    if (k->emit)
        k->emit(k->ctx, term, len);
    k->count++;
}

static void flush_word(struct sink *k)
{
    if (k->wlen)
        put(k, k->word, k->wlen);
    k->wlen = 0;
    k->wfull = false;
}

static void word_add(struct sink *k, uint32_t cp)
{
    char b[4];
    size_t n = sn_utf8_put(cp, b);
    if (k->wfull || k->wlen + n > SEARCHNORM_TERM_MAX) {
        k->wfull = true;
        return;
    }
    memcpy(k->word + k->wlen, b, n);
    k->wlen += n;
}

static void flush_run(struct sink *k)
{
    char t[9];
    size_t n = k->rlen;
    if (n == 1) {
        put(k, t, sn_utf8_put(k->run[0], t));
    } else if (n > 1) {
        for (size_t i = 0; i + 1 < n; i++) {
            size_t l = sn_utf8_put(k->run[i], t);
            l += sn_utf8_put(k->run[i + 1], t + l);
            put(k, t, l);
        }
        for (size_t i = 0; i < n && !k->query; i++)
            put(k, t, sn_utf8_put(k->run[i], t));
    }
    k->rlen = 0;
}

static int terms(const char *text, size_t len, bool query,
                 void (*emit)(void *ctx, const char *term, size_t len), void *ctx)
{
    if (searchnorm_init() != 0)
        return -1;
    if (!text)
        return len ? -1 : 0;
    size_t n = len;
    if (n > SEARCHNORM_INPUT_MAX) {
        n = SEARCHNORM_INPUT_MAX;
        /* text[n] is the first byte left out; if it continues a character, leave that out too */
        for (int back = 0; back < 3 && n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80; back++)
            n--;
    }
    if (!sn_utf8_valid(text, n))
        return -1;
    if (n == 0)
        return 0;

    int32_t ulen = 0;
    UChar *u = normalize(text, n, &ulen);
    if (!u)
        return -1;
    struct sink k = {.emit = emit, .ctx = ctx, .query = query};
    k.run = malloc(((size_t)ulen + 1) * sizeof *k.run);
    if (!k.run) {
        free(u);
        return -1;
    }
    enum cls prev = C_SEP;
    for (int32_t i = 0; i < ulen;) {
        UChar32 c;
        U16_NEXT(u, i, ulen, c);
        enum cls cl = classify(c);
        if (cl == C_MARK) {
            /* a mark belongs to the word it follows; elsewhere it is dropped without a break */
            if (prev == C_WORD)
                word_add(&k, (uint32_t)c);
            continue;
        }
        if (cl != prev) {
            if (prev == C_WORD)
                flush_word(&k);
            else if (prev == C_CJK)
                flush_run(&k);
        }
        if (cl == C_WORD)
            word_add(&k, (uint32_t)c);
        else if (cl == C_CJK)
            k.run[k.rlen++] = fold_han((uint32_t)c);
        prev = cl;
    }
    if (prev == C_WORD)
        flush_word(&k);
    else if (prev == C_CJK)
        flush_run(&k);
    free(k.run);
    free(u);
    return k.count;
}

int search_terms(const char *text, size_t len,
                 void (*emit)(void *ctx, const char *term, size_t len), void *ctx)
{
    return terms(text, len, false, emit, ctx);
}

int search_query_terms(const char *text, size_t len,
                       void (*emit)(void *ctx, const char *term, size_t len), void *ctx)
{
    return terms(text, len, true, emit, ctx);
}
