/* test_convert: Simplified <-> Traditional (Hong Kong/Macao) conversion, i18n/convert.h.
 * Runs from the repo root (ctest's working directory): the shared examples are read from
 * ../shared/data/st-examples.tsv (skipped with a message if absent), our own pairs from
 * tests/unit/data/st-extra.tsv. Both files hold "Simplified<TAB>Traditional" lines; a line whose
 * Simplified side starts with "name:" is a person's name and is converted in name mode. Every pair
 * is checked both ways. The test also prints how OpenCC's s2hk/hk2s alone would have scored on the
 * same pairs, to show what the glossary adds. */
#include "check.h"
#include "i18n/convert.h"

#include <opencc/opencc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair {
    char *s, *t;
    int name;
};

struct pairs {
    struct pair *p;
    size_t n, cap;
};

static void pairs_free(struct pairs *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->p[i].s);
        free(ps->p[i].t);
    }
    free(ps->p);
    memset(ps, 0, sizeof *ps);
}

/* Reads path into ps; returns the number of pairs read, or -1 if the file cannot be opened. */
static long pairs_read(struct pairs *ps, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long count = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "%s: line without a tab: %s\n", path, line);
            check_failed++;
            continue;
        }
        *tab = '\0';
        const char *s = line;
        int name = strncmp(s, "name:", 5) == 0;
        if (name)
            s += 5;
        if (ps->n == ps->cap) {
            ps->cap = ps->cap ? ps->cap * 2 : 64;
            ps->p = realloc(ps->p, ps->cap * sizeof *ps->p);
            if (!ps->p)
                abort();
        }
        ps->p[ps->n++] = (struct pair){strdup(s), strdup(tab + 1), name};
        count++;
    }
    free(line);
    fclose(f);
    return count;
}

static enum convert_kind kind_of(const struct pair *p)
{
    return p->name ? CONVERT_NAME : CONVERT_TEXT;
}

/* Checks every pair of ps[from..n) both ways; returns the number of sentences right S->T. */
static size_t check_pairs(const struct pairs *ps, size_t from, size_t *t2s_right)
{
    size_t right = 0;
    *t2s_right = 0;
    for (size_t i = from; i < ps->n; i++) {
        const struct pair *p = &ps->p[i];
        char *t = convert_text(p->s, strlen(p->s), SCRIPT_HANT, kind_of(p));
        char *s = convert_text(p->t, strlen(p->t), SCRIPT_HANS, kind_of(p));
        CHECK_STR(t, p->t);
        CHECK_STR(s, p->s);
        right += t && strcmp(t, p->t) == 0;
        *t2s_right += s && strcmp(s, p->s) == 0;
        free(t);
        free(s);
    }
    return right;
}

/* How OpenCC alone (s2hk, hk2s) does on the text pairs of ps[from..n). */
static void opencc_alone(const struct pairs *ps, size_t from, size_t *total, size_t *s2t,
                         size_t *t2s)
{
    *total = *s2t = *t2s = 0;
    opencc_t o1 = opencc_open("s2hk.json"), o2 = opencc_open("hk2s.json");
    if (o1 == (opencc_t)-1 || o2 == (opencc_t)-1) {
        if (o1 != (opencc_t)-1)
            opencc_close(o1);
        if (o2 != (opencc_t)-1)
            opencc_close(o2);
        return;
    }
    for (size_t i = from; i < ps->n; i++) {
        const struct pair *p = &ps->p[i];
        if (p->name)
            continue;
        (*total)++;
        char *t = opencc_convert_utf8(o1, p->s, strlen(p->s));
        char *s = opencc_convert_utf8(o2, p->t, strlen(p->t));
        *s2t += t && strcmp(t, p->t) == 0;
        *t2s += s && strcmp(s, p->s) == 0;
        if (t)
            opencc_convert_utf8_free(t);
        if (s)
            opencc_convert_utf8_free(s);
    }
    opencc_close(o1);
    opencc_close(o2);
}

static void test_files(struct pairs *all)
{
    long shared = pairs_read(all, "../shared/data/st-examples.tsv");
    if (shared < 0) {
        printf("skipping ../shared/data/st-examples.tsv: not found\n");
        shared = 0;
    } else {
        size_t t2s, s2t = check_pairs(all, 0, &t2s);
        printf("st-examples.tsv: %zu/%ld right S->T, %zu/%ld right T->S\n", s2t, shared, t2s,
               shared);
    }
    size_t from = all->n;
    long extra = pairs_read(all, "tests/unit/data/st-extra.tsv");
    CHECK(extra >= 190);
    if (extra < 0)
        return;
    size_t t2s, s2t = check_pairs(all, from, &t2s);
    size_t names = 0;
    for (size_t i = from; i < all->n; i++)
        names += all->p[i].name;
    CHECK(names >= 40);
    size_t total, o_s2t, o_t2s;
    opencc_alone(all, from, &total, &o_s2t, &o_t2s);
    printf("st-extra.tsv: %zu sentences and %zu names; convert_text %zu/%ld right S->T, "
           "%zu/%ld right T->S\n",
           (size_t)extra - names, names, s2t, extra, t2s, extra);
    printf("st-extra.tsv sentences, OpenCC alone: %zu/%zu (%.1f%%) right s2hk, %zu/%zu "
           "(%.1f%%) right hk2s\n",
           o_s2t, total, total ? 100.0 * (double)o_s2t / (double)total : 0.0, o_t2s, total,
           total ? 100.0 * (double)o_t2s / (double)total : 0.0);
}

static void test_cases(void)
{
    struct {
        const char *s, *t;
        enum convert_kind kind;
    } cases[] = {
        {"头发", "頭髮", CONVERT_TEXT},
        {"申请回避", "申請迴避", CONVERT_TEXT},
        {"制药", "製藥", CONVERT_TEXT},
        {"答复", "答覆", CONVERT_TEXT},
        {"干预", "干預", CONVERT_TEXT},
        {"联系", "聯繫", CONVERT_TEXT},
        {"面包", "麪包", CONVERT_TEXT},
        {"路线", "路綫", CONVERT_TEXT},
        {"这里", "這裏", CONVERT_TEXT},
        {"带头发言", "帶頭發言", CONVERT_TEXT},
        {"假发票", "假發票", CONVERT_TEXT},
        {"该房产系双方共有", "該房產係雙方共有", CONVERT_TEXT},
        {"出租车", "出租車", CONVERT_TEXT},
        /* Latin, digits and punctuation pass through untouched */
        {"Case ZH-2024-0087: 申请人 Chan Tai Man 支付 MOP 1,500.00 元 (100%)",
         "Case ZH-2024-0087: 申請人 Chan Tai Man 支付 MOP 1,500.00 元 (100%)", CONVERT_TEXT},
        {"abc 123 <b>&amp;</b>\n\t", "abc 123 <b>&amp;</b>\n\t", CONVERT_TEXT},
        {"钟伟强 (Chung Wai Keung)", "鍾偉強 (Chung Wai Keung)", CONVERT_NAME},
        {"Maria Fernandes 范丽华", "Maria Fernandes 范麗華", CONVERT_NAME},
        {"欧阳发", "歐陽發", CONVERT_NAME},
        {"张美发", "張美發", CONVERT_NAME},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = convert_text(cases[i].s, strlen(cases[i].s), SCRIPT_HANT, cases[i].kind);
        char *s = convert_text(cases[i].t, strlen(cases[i].t), SCRIPT_HANS, cases[i].kind);
        CHECK_STR(t, cases[i].t);
        CHECK_STR(s, cases[i].s);
        free(t);
        free(s);
    }

    /* T->S name mode: 於 and 乾 are surnames of their own; given names convert by reading */
    char *r = convert_text("於梨華", strlen("於梨華"), SCRIPT_HANS, CONVERT_NAME);
    CHECK_STR(r, "於梨华");
    free(r);
    r = convert_text("於是", strlen("於是"), SCRIPT_HANS, CONVERT_TEXT);
    CHECK_STR(r, "于是");
    free(r);

    /* a clause already in the target script is left as written, in mixed text too: the glossary's
     * Simplified keys would misread 鄰里 (not 鄰裏), 干預 (not 幹預), 系統 (not 係統) */
    static const struct {
        const char *in, *out;
        enum script to;
    } mixed[] = {
        {"邻里纠纷。鄰里之間要互相幫助，干預要適度，系統已更新。",
         "鄰里糾紛。鄰里之間要互相幫助，干預要適度，系統已更新。", SCRIPT_HANT},
        {"调解员说：「鄰里之間要互相幫助。」", "調解員説：「鄰里之間要互相幫助。」", SCRIPT_HANT},
        {"他說：“邻里之间要互相帮助。”", "他说：“邻里之间要互相帮助。”", SCRIPT_HANS},
        {"申请人鍾國強要求赔偿", "申請人鍾國強要求賠償", SCRIPT_HANT}, /* one clause, mixed: converted */
    };
    for (size_t i = 0; i < sizeof mixed / sizeof mixed[0]; i++) {
        r = convert_text(mixed[i].in, strlen(mixed[i].in), mixed[i].to, CONVERT_TEXT);
        CHECK_STR(r, mixed[i].out);
        free(r);
    }

    /* SCRIPT_NONE: an unchanged copy; len is honoured, no NUL terminator needed */
    r = convert_text("头发XYZ", 6, SCRIPT_NONE, CONVERT_TEXT);
    CHECK_STR(r, "头发");
    free(r);
    r = convert_text("头发XYZ", 6, SCRIPT_HANT, CONVERT_TEXT);
    CHECK_STR(r, "頭髮");
    free(r);

    /* empty input */
    r = convert_text("", 0, SCRIPT_HANT, CONVERT_TEXT);
    CHECK_STR(r, "");
    free(r);
    r = convert_text(NULL, 0, SCRIPT_HANS, CONVERT_NAME);
    CHECK_STR(r, "");
    free(r);
    CHECK(convert_text(NULL, 3, SCRIPT_HANT, CONVERT_TEXT) == NULL);

    /* invalid UTF-8 gives NULL */
    const char *bad[] = {
        "\xff",             /* never valid */
        "\xe5\xa4",         /* truncated */
        "abc\x80",          /* stray continuation byte */
        "\xc0\xaf",         /* overlong '/' */
        "\xed\xa0\x80",     /* surrogate */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\xe5\xa4\xb4\xc3", /* valid 头 then truncated */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(convert_text(bad[i], strlen(bad[i]), SCRIPT_HANT, CONVERT_TEXT) == NULL);
        CHECK(convert_text(bad[i], strlen(bad[i]), SCRIPT_HANS, CONVERT_NAME) == NULL);
    }
    CHECK(convert_text("头\0发", 7, SCRIPT_HANT, CONVERT_TEXT) == NULL); /* NUL inside len */
}

static void test_detect(void)
{
    struct {
        const char *text;
        enum script want;
    } cases[] = {
        {"调解员已经收到双方的材料。", SCRIPT_HANS},
        {"調解員已經收到雙方的材料。", SCRIPT_HANT},
        {"他在澳門開了一家麪包店。", SCRIPT_HANT},
        {"她的头发很长", SCRIPT_HANS},
        {"睡着了", SCRIPT_NONE}, /* 着 is Hong Kong Traditional and Simplified alike */
        {"這裏", SCRIPT_HANT},
        {"中文", SCRIPT_NONE}, /* no character belongs to one script only */
        {"干预", SCRIPT_HANS}, /* 预 is Simplified only; 干 is valid in both */
        {"干涉", SCRIPT_NONE},
        {"余美玲", SCRIPT_NONE},
        {"於梨華", SCRIPT_HANT},
        {"hello, world 123", SCRIPT_NONE},
        {"", SCRIPT_NONE},
        {"Maria 钟", SCRIPT_HANS},
        {"Maria 鍾", SCRIPT_HANT},
        {"头發", SCRIPT_NONE}, /* one of each: undecidable */
        {"头发發", SCRIPT_HANS},
        {"群峰", SCRIPT_NONE},         /* Taiwan's forms of Hong Kong's 羣峯 */
        {"\xff\xfe什么", SCRIPT_HANS}, /* malformed bytes are skipped */
        {"头发\xe5\xa4", SCRIPT_HANS}, /* cut in the middle of a character */
        {"麼", SCRIPT_HANT},
        {"嗰度有餸", SCRIPT_NONE}, /* Cantonese characters written alike in both scripts */
        {"今晚食咩餸", SCRIPT_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum script got = script_detect(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].want)
            fprintf(stderr, "script_detect(\"%s\")\n", cases[i].text);
        CHECK_INT(got, cases[i].want);
    }
    CHECK_INT(script_detect(NULL, 0), SCRIPT_NONE);
}

/* ---- concurrency: four threads convert every pair at once and must all get it right ---- */

struct worker {
    const struct pairs *ps;
    int rounds;
    long wrong;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int round = 0; round < w->rounds; round++) {
        for (size_t i = 0; i < w->ps->n; i++) {
            const struct pair *p = &w->ps->p[i];
            enum convert_kind k = kind_of(p);
            char *t = convert_text(p->s, strlen(p->s), SCRIPT_HANT, k);
            char *s = convert_text(p->t, strlen(p->t), SCRIPT_HANS, k);
            w->wrong += !t || strcmp(t, p->t) != 0;
            w->wrong += !s || strcmp(s, p->s) != 0;
            w->wrong += script_detect(p->s, strlen(p->s)) == SCRIPT_HANT;
            free(t);
            free(s);
        }
    }
    return NULL;
}

static void test_threads(const struct pairs *ps)
{
    enum { N = 4 };
    pthread_t th[N];
    struct worker w[N];
    int started = 0;
    for (int i = 0; i < N; i++) {
        w[i] = (struct worker){ps, 1, 0};
        if (pthread_create(&th[i], NULL, work, &w[i]) == 0)
            started++;
        else
            CHECK(!"pthread_create");
    }
    long wrong = 0;
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        wrong += w[i].wrong;
    }
    CHECK_INT(started, N);
    CHECK_INT(wrong, 0);
}

/* Every line of the glossaries is a comment, blank, or key<TAB>value[<TAB>…]: a line without a tab
 * (a typo, a merge's conflict marker) would be skipped without a word by the loader. */
static void test_glossary_lines(void)
{
    static const char *const files[] = {
        "i18n/glossary/s2t.tsv",      "i18n/glossary/s2t-context.tsv",
        "i18n/glossary/t2s.tsv",      "i18n/glossary/surnames.tsv",
        "i18n/glossary/names.tsv",    "i18n/glossary/names-t2s.tsv",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        FILE *f = fopen(files[i], "r");
        CHECK(f != NULL);
        if (!f)
            continue;
        char line[4096];
        int no = 0;
        while (fgets(line, sizeof line, f)) {
            no++;
            line[strcspn(line, "\r\n")] = 0;
            if (line[0] == 0 || line[0] == '#')
                continue;
            if (!strchr(line, '\t')) {
                fprintf(stderr, "%s:%d: no tab: %s\n", files[i], no, line);
                CHECK(!"a glossary line without a tab");
            }
        }
        fclose(f);
    }
}

int main(void)
{
    test_glossary_lines();
    CHECK_INT(convert_init(), 0);
    CHECK_INT(convert_init(), 0); /* idempotent */
    struct pairs all = {0};
    test_files(&all);
    test_cases();
    test_detect();
    test_threads(&all);
    pairs_free(&all);
    convert_shutdown();
    CHECK(convert_text("头发", 6, SCRIPT_HANT, CONVERT_TEXT) == NULL);
    CHECK_INT(convert_init(), -1);
    return check_summary();
}
