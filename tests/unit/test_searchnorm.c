/* test_searchnorm: search terms for documents and queries: script folding (調解/调解), bigrams and
 * unigrams, Latin words without case or accents, bounds, invalid input and threads. */
#include "check.h"
#include "i18n/searchnorm.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- collecting terms ----------------------------------------------------------------------- */

/* The terms of one call joined with '|', plus whether every emitted term was well-formed. */
struct joined {
    char s[16384];
    size_t len;
    int emitted;
    bool bad;      /* a term with len != strlen, empty, or longer than SEARCHNORM_TERM_MAX */
    bool overflow; /* s was too small */
};

static void join_emit(void *ctx, const char *term, size_t len)
{
    struct joined *j = ctx;
    j->emitted++;
    if (len == 0 || len > SEARCHNORM_TERM_MAX || strlen(term) != len)
        j->bad = true;
    if (j->len + len + 2 > sizeof j->s) {
        j->overflow = true;
        return;
    }
    if (j->len)
        j->s[j->len++] = '|';
    memcpy(j->s + j->len, term, len);
    j->len += len;
    j->s[j->len] = '\0';
}

/* Fills *j with the terms of s (document or query); returns what the function returned. */
static int join_terms(bool query, const char *s, size_t len, struct joined *j)
{
    memset(j, 0, sizeof *j);
    int n = query ? search_query_terms(s, len, join_emit, j) : search_terms(s, len, join_emit, j);
    if (n != j->emitted || (n < 0 && j->emitted))
        j->bad = true;
    return n;
}

static bool emit_problem; /* any malformed term or wrong count seen by D or Q */

/* The joined terms of s as a document (D) or a query (Q), "(-1)" on failure. Rotating static
 * buffers, so several results can be compared in one CHECK_STR. Main thread only. */
static const char *joined_str(bool query, const char *s)
{
    static struct joined ring[6];
    static int next;
    struct joined *j = &ring[next++ % 6];
    int n = join_terms(query, s, strlen(s), j);
    if (j->bad || j->overflow)
        emit_problem = true;
    if (n < 0)
        strcpy(j->s, "(-1)");
    return j->s;
}
static const char *D(const char *s)
{
    return joined_str(false, s);
}
static const char *Q(const char *s)
{
    return joined_str(true, s);
}

/* Does the query q find document d: q has terms and every one of them is a term of d? */
static bool finds(const char *q, const char *d)
{
    static struct joined jq, jd;
    if (join_terms(true, q, strlen(q), &jq) <= 0 || join_terms(false, d, strlen(d), &jd) < 0)
        return false;
    char *save = NULL;
    for (char *t = strtok_r(jq.s, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        bool found = false;
        const char *p = jd.s;
        size_t tl = strlen(t);
        while (!found && *p) {
            const char *e = strchr(p, '|');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            found = l == tl && memcmp(p, t, l) == 0;
            p += l + (e ? 1 : 0);
        }
        if (!found)
            return false;
    }
    return true;
}

static int count_doc(const char *s, size_t len)
{
    return search_terms(s, len, NULL, NULL);
}
static int count_query(const char *s, size_t len)
{
    return search_query_terms(s, len, NULL, NULL);
}

/* ---- Chinese -------------------------------------------------------------------------------- */

static void test_scripts_meet(void)
{
    CHECK_STR(D("調解"), "调解|调|解");
    CHECK_STR(D("调解"), "调解|调|解");
    CHECK_STR(Q("調解"), "调解");
    CHECK_STR(Q("调解"), "调解");
    CHECK(finds("調解", "调解"));
    CHECK(finds("调解", "調解"));

    CHECK_STR(Q("頭髮"), Q("头发"));
    CHECK(finds("頭髮", "她的头发很长"));
    CHECK(finds("头发", "她的頭髮很長"));

    /* variants: 裏/裡/里, 綫/線/线, 著/着 meet */
    CHECK_STR(Q("裏面"), "里面");
    CHECK_STR(Q("裡面"), "里面");
    CHECK_STR(Q("里面"), "里面");
    CHECK_STR(Q("綫"), "线");
    CHECK_STR(Q("線"), "线");
    CHECK_STR(Q("线"), "线");
    CHECK(finds("綫索", "线索"));
    CHECK(finds("線索", "綫索"));
    CHECK_STR(Q("著"), Q("着"));
    CHECK(finds("看著", "看着"));
    CHECK(finds("衞生", "卫生")); /* HK variant 衞, only hk2s maps it */
    CHECK(finds("衛生", "衞生"));

    /* a name */
    CHECK(finds("陳大文", "申請人陈大文於二〇二六年提出調解"));
    CHECK(finds("陈大文", "申請人陳大文於二〇二六年提出調解"));
    CHECK(!finds("陳小文", "申請人陈大文於二〇二六年提出調解"));
}

/* The fold is per character: the same word maps the same way whatever surrounds it, where
 * OpenCC's phrase conversion keeps 乾隆 but turns 乾 alone into 干. */
static void test_context_free(void)
{
    CHECK_STR(Q("乾"), "干");
    CHECK_STR(Q("乾隆"), "干隆");
    CHECK(finds("乾隆", "清朝乾隆年間"));
    CHECK(finds("乾隆", "清朝乾隆年间"));
    CHECK(finds("乾", "清朝乾隆年間"));
    CHECK(finds("乾淨", "房間很乾淨"));
    CHECK(finds("干净", "房間很乾淨"));
    /* one word, several sentences: always the same bigram */
    CHECK(finds("頭髮", "理髮店剪頭髮"));
    CHECK(finds("頭髮", "頭髮"));
    CHECK(finds("頭髮", "他頭髮白了"));
    CHECK(finds("發展", "經濟發展"));
    CHECK(finds("發展", "发展中国家"));
    /* folding is idempotent: the folded terms fold to themselves */
    CHECK_STR(Q(Q("後來發現乾隆頭髮裡 JOÃO")), Q("後來發現乾隆頭髮裡 JOÃO"));
}

static void test_bigrams_and_unigrams(void)
{
    CHECK_STR(D("李"), "李");
    CHECK_STR(Q("李"), "李");
    CHECK_STR(D("陳大文"), "陈大|大文|陈|大|文");
    CHECK_STR(Q("陳大文"), "陈大|大文");
    CHECK_INT(count_doc("陳大文", strlen("陳大文")), 5);
    CHECK_INT(count_query("陳大文", strlen("陳大文")), 2);

    /* one-character queries find the character inside longer runs */
    CHECK(finds("李", "李明"));
    CHECK(finds("李", "申请人李明"));
    CHECK(finds("明", "申请人李明先生"));
    CHECK(!finds("王", "申请人李明先生"));

    /* two-character words inside long sentences */
    static const char *sent =
        "雙方當事人於二〇二六年三月在珠海調解中心達成和解協議，被申請人同意分期償還欠款，"
        "並承諾在指定期限內履行全部義務。";
    CHECK(finds("调解", sent));
    CHECK(finds("協議", sent));
    CHECK(finds("协议", sent));
    CHECK(finds("和解", sent));
    CHECK(finds("珠海", sent));
    CHECK(finds("欠款", sent));
    CHECK(finds("义务", sent));
    CHECK(finds("和解协议", sent));
    CHECK(!finds("离婚", sent));
    CHECK(!finds("澳门", sent));
    /* query words separated by spaces or punctuation are separate runs */
    CHECK_STR(Q("調解 協議"), "调解|协议");
    CHECK_STR(Q("調解，李"), "调解|李");
    CHECK(finds("調解 協議", sent));

    /* kana and hangul are CJK runs too; half-width kana meet full-width */
    CHECK_STR(Q("東京タワー"), "东京|京タ|タワ|ワー");
    CHECK_STR(Q("ｶﾀｶﾅ"), "カタ|タカ|カナ");
    CHECK_STR(D("서울"), "서울|서|울");
    /* compatibility ideographs and Kangxi radicals become unified ideographs */
    CHECK_STR(Q("\xef\xa4\x80"), Q("豈")); /* U+F900 */
    CHECK_STR(Q("⾦"), "金");              /* U+2FA6 KANGXI RADICAL GOLD */
    /* an ideographic variation selector is dropped */
    CHECK_STR(Q("葛\xf3\xa0\x84\x80城"), "葛城");
}

/* ---- Latin ---------------------------------------------------------------------------------- */

static void test_latin(void)
{
    CHECK_STR(Q("joão"), "joao");
    CHECK_STR(Q("JOAO"), "joao");
    CHECK_STR(Q("Joao"), "joao");
    CHECK_STR(Q("JOÃO"), "joao");
    CHECK_STR(Q("joa\xcc\x83o"), "joao"); /* decomposed: o + U+0303 */
    CHECK(finds("joão", "JOAO SILVA"));
    CHECK(finds("JOAO", "João Silva"));
    CHECK(finds("Joao silva", "JOÃO SILVA"));

    CHECK_STR(Q("Ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ１２３"), "full|width|abc123");
    CHECK(finds("full", "Ｆｕｌｌ"));
    CHECK(finds("Ｆｕｌｌ", "full"));

    CHECK_STR(D("Conceição"), "conceicao");
    CHECK_STR(D("AÇÃO de cobrança"), "acao|de|cobranca");
    CHECK_STR(Q("Ç"), "c");
    CHECK_STR(D("São Paulo, Macaú"), "sao|paulo|macau");
    CHECK(finds("cobranca", "Ação de Cobrança"));
    CHECK(finds("straße", "STRASSE"));
    CHECK(finds("STRASSE", "Straße"));
    CHECK_STR(Q("\xc2\xadjo\xc2\xad\xc3\xa3o"), "joao"); /* soft hyphens are invisible */
    CHECK_STR(Q("D'Souza"), "d|souza");
    CHECK_STR(Q("ИВАНОВ"), "иванов"); /* other scripts are folded too */
}

static void test_identifiers(void)
{
    CHECK_STR(D("HQ-FAM-2026-000001"), "hq|fam|2026|000001");
    CHECK(finds("hq-fam-2026-000001", "案件 HQ-FAM-2026-000001 已立案"));
    CHECK(finds("000001", "HQ-FAM-2026-000001"));
    CHECK(!finds("HQ-FAM-2026-000002", "HQ-FAM-2026-000001"));
    CHECK_STR(D("ana.silva@example.mo"), "ana|silva|example|mo");
    CHECK_STR(D("+853 6612 3456"), "853|6612|3456");
    CHECK_STR(D("A1/b2_c3"), "a1|b2|c3");
}

static void test_mixed(void)
{
    CHECK_STR(D("李明 Li Ming"), "李明|李|明|li|ming");
    CHECK_STR(D("李明Li Ming"), "李明|李|明|li|ming");
    CHECK_STR(Q("Li 李"), "li|李");
    CHECK(finds("Li Ming", "當事人：李明 (LI MING)"));
    CHECK(finds("李明", "當事人：李明 (LI MING)"));
    CHECK(finds("ming 李", "當事人：李明 (LI MING)"));
    CHECK(finds("José 陳", "申請人 JOSE 陳大文"));
    CHECK_STR(D("2026年3月"), "2026|年|3|月");
}

/* ---- edges ---------------------------------------------------------------------------------- */

static void test_empty_and_invalid(void)
{
    struct joined j;
    CHECK_INT(join_terms(false, "", 0, &j), 0);
    CHECK_INT(join_terms(false, NULL, 0, &j), 0);
    CHECK_INT(join_terms(true, NULL, 0, &j), 0);
    CHECK_INT(count_doc("   \t\r\n", 6), 0);
    CHECK_INT(count_query("   \t\r\n", 6), 0);
    CHECK_INT(count_doc("\xe3\x80\x80\xe3\x80\x80", 6), 0); /* ideographic spaces */
    CHECK_INT(count_doc("，。！？ - / ()", strlen("，。！？ - / ()")), 0);
    CHECK_INT(count_doc("\xe2\x80\x8b", 3), 0); /* zero-width space */

    static const struct {
        const char *s;
        size_t len;
    } bad[] = {
        {"\xff", 1},
        {"ab\xe8\xb0", 4},       /* truncated 调 */
        {"\xc0\xaf", 2},         /* overlong '/' */
        {"\xed\xa0\x80", 3},     /* surrogate */
        {"\xf4\x90\x80\x80", 4}, /* beyond U+10FFFF */
        {"\x80 stray", 7},       /* stray continuation byte */
        {"ab\0cd", 5},           /* NUL inside */
        {"調解\xe8", 7},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(join_terms(false, bad[i].s, bad[i].len, &j), -1);
        CHECK_INT(j.emitted, 0);
        CHECK_INT(join_terms(true, bad[i].s, bad[i].len, &j), -1);
        CHECK_INT(j.emitted, 0);
    }
    CHECK_INT(count_doc(NULL, 3), -1);
    CHECK_INT(count_query(NULL, 3), -1);
    /* len, not the NUL, bounds the text */
    CHECK_INT(count_doc("abc def", 3), 1);
}

/* A stable digest of the terms of one call. */
struct digest {
    uint64_t h;
    int n;
};

static void digest_emit(void *ctx, const char *term, size_t len)
{
    struct digest *d = ctx;
    for (size_t i = 0; i <= len; i++) { /* the NUL separates terms */
        d->h ^= (unsigned char)term[i];
        d->h *= 1099511628211u;
    }
    d->n++;
}

static void test_long_input(void)
{
    /* a word longer than 64 bytes is cut at a code point boundary */
    char w[512];
    char want[128];
    w[0] = '\0';
    for (int i = 0; i < 40; i++)
        strcat(w, "ж"); /* 2 bytes */
    want[0] = '\0';
    for (int i = 0; i < 32; i++)
        strcat(want, "ж");
    CHECK_STR(Q(w), want);
    w[0] = want[0] = '\0';
    for (int i = 0; i < 30; i++)
        strcat(w, "ᐁ"); /* 3 bytes: 21 fit in 64 */
    for (int i = 0; i < 21; i++)
        strcat(want, "ᐁ");
    CHECK_STR(Q(w), want);
    memset(w, 'A', 100);
    w[100] = '\0';
    memset(want, 'a', 64);
    want[64] = '\0';
    CHECK_STR(D(w), want);
    w[80] = '\0';
    CHECK(finds(
        w, "xx "
           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));

    /* 1 MB of text: only the first SEARCHNORM_INPUT_MAX bytes count */
    static const char unit[] = "調解協議 Acordo HQ-1 ";
    size_t ul = strlen(unit), big = 1 << 20;
    char *s = malloc(big + 1);
    if (!s) {
        CHECK(s != NULL);
        return;
    }
    for (size_t i = 0; i < big; i += ul)
        memcpy(s + i, unit, i + ul <= big ? ul : big - i);
    s[big] = '\0';
    if (big % ul) /* the copy may have cut the last character in the middle */
        memset(s + big - big % ul, ' ', big % ul);

    size_t cut = SEARCHNORM_INPUT_MAX;
    while (((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    struct digest all = {14695981039346656037u, 0}, part = all, query = all;
    int n = search_terms(s, big, digest_emit, &all);
    CHECK(n > 0);
    CHECK_INT(n, all.n);
    CHECK_INT(search_terms(s, cut, digest_emit, &part), n);
    CHECK(all.h == part.h);
    CHECK(n <= 2 * SEARCHNORM_INPUT_MAX);
    CHECK(search_query_terms(s, big, digest_emit, &query) > 0);
    /* bytes past the bound are not read: garbage there does not fail the call */
    s[SEARCHNORM_INPUT_MAX + 1000] = (char)0xFF;
    CHECK_INT(count_doc(s, big), n);
    s[cut - 1] = (char)0xFF; /* inside the bound it does */
    CHECK_INT(count_doc(s, big), -1);
    free(s);
}

/* ---- threads -------------------------------------------------------------------------------- */

static const char *const corpus[] = {
    "調解",
    "调解",
    "雙方當事人於二〇二六年三月在珠海調解中心達成和解協議",
    "申請人陳大文於澳門提出調解，頭髮，裏面，綫索",
    "João Conceição, AÇÃO de cobrança — Ｆｕｌｌ－ｗｉｄｔｈ",
    "HQ-FAM-2026-000001 ana.silva@example.mo",
    "李明 Li Ming 東京タワー 서울",
    "李",
    "",
    "   ",
};
#define NCORPUS (sizeof corpus / sizeof corpus[0])

static struct joined ref_doc[NCORPUS], ref_query[NCORPUS];

static void *thread_main(void *arg)
{
    int *mismatches = arg;
    struct joined *j = malloc(sizeof *j);
    if (!j) {
        *mismatches = -1;
        return NULL;
    }
    for (int round = 0; round < 150; round++) {
        for (size_t i = 0; i < NCORPUS; i++) {
            bool query = (round + i) % 2;
            int n = join_terms(query, corpus[i], strlen(corpus[i]), j);
            const struct joined *r = query ? &ref_query[i] : &ref_doc[i];
            if (n != r->emitted || strcmp(j->s, r->s) != 0 || j->bad)
                (*mismatches)++;
        }
    }
    free(j);
    return NULL;
}

static void test_threads(void)
{
    for (size_t i = 0; i < NCORPUS; i++) {
        join_terms(false, corpus[i], strlen(corpus[i]), &ref_doc[i]);
        join_terms(true, corpus[i], strlen(corpus[i]), &ref_query[i]);
    }
    CHECK(ref_doc[2].emitted > 20);
    pthread_t t[4];
    int mismatches[4] = {0};
    int started = 0;
    for (int i = 0; i < 4; i++)
        if (pthread_create(&t[i], NULL, thread_main, &mismatches[i]) == 0)
            started++;
    CHECK_INT(started, 4);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++)
        CHECK_INT(mismatches[i], 0);
}

int main(void)
{
    CHECK_INT(searchnorm_init(), 0);
    CHECK_INT(searchnorm_init(), 0);
    test_scripts_meet();
    test_context_free();
    test_bigrams_and_unigrams();
    test_latin();
    test_identifiers();
    test_mixed();
    test_empty_and_invalid();
    test_long_input();
    test_threads();
    CHECK(!emit_problem);
    searchnorm_shutdown();
    CHECK_INT(searchnorm_init(), -1);
    CHECK_INT(count_doc("abc", 3), -1);
    return check_summary();
}
