/* test_catalog: every key exists in every catalog with the same placeholders; every registry
 * error has a message; negotiation; message formatting with plurals. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "http/http.h"
#include "i18n/catalog.h"
#include "i18n/embedded.h"
#include "i18n/locale.h"

extern const struct http_error_def api_errors[];

/* The sorted, comma-joined set of argument names of an ICU MessageFormat pattern. */
static void placeholders(const char *p, char *out, size_t cap)
{
    char names[32][40];
    int n = 0;
    int depth = 0;
    for (const char *s = p; *s; s++) {
        if (*s == '\'' && s[1] == '\'') {
            s++;
            continue;
        }
        if (*s == '{') {
            /* an argument starts after '{' at an even nesting level (odd levels are bodies) */
            if (depth % 2 == 0) {
                const char *e = s + 1;
                while (*e == ' ')
                    e++;
                size_t k = strcspn(e, " ,}");
                if (n < 32 && k < 40) {
                    memcpy(names[n], e, k);
                    names[n][k] = 0;
                    int dup = 0;
                    for (int i = 0; i < n; i++)
                        dup |= strcmp(names[i], names[n]) == 0;
                    if (!dup)
                        n++;
                }
            }
            depth++;
        } else if (*s == '}') {
            depth--;
        }
    }
    qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    out[0] = 0;
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? "," : "", names[i]);
}

static void test_catalogs_agree(void)
{
    CHECK_INT(catalog_init(), 0);
    json_t *cat[LANG_COUNT];
    for (int l = 0; l < LANG_COUNT; l++) {
        size_t len;
        const char *text = catalog_json((enum lang)l, &len);
        CHECK(text != NULL);
        cat[l] = json_loadb(text, len, 0, NULL);
        CHECK(json_is_object(cat[l]));
    }
    int missing = 0, mismatched = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        const char *key;
        json_t *v;
        json_object_foreach(cat[l], key, v)
        {
            for (int m = 0; m < LANG_COUNT; m++) {
                json_t *w = json_object_get(cat[m], key);
                if (!w) {
                    fprintf(stderr, "key %s is in %s but not in %s\n", key,
                            lang_tag((enum lang)l), lang_tag((enum lang)m));
                    missing++;
                    continue;
                }
                char a[512], b[512];
                placeholders(json_string_value(v), a, sizeof a);
                placeholders(json_string_value(w), b, sizeof b);
                if (strcmp(a, b) != 0) {
                    fprintf(stderr, "key %s: placeholders {%s} in %s but {%s} in %s\n", key, a,
                            lang_tag((enum lang)l), b, lang_tag((enum lang)m));
                    mismatched++;
                }
            }
        }
    }
    CHECK_INT(missing, 0);
    CHECK_INT(mismatched, 0);
    for (int l = 0; l < LANG_COUNT; l++)
        json_decref(cat[l]);
}

static void test_negotiation(void)
{
    CHECK_INT(lang_negotiate("zh-CN"), LANG_ZH_HANS);
    CHECK_INT(lang_negotiate("zh-SG"), LANG_ZH_HANS);
    CHECK_INT(lang_negotiate("zh-Hans-CN"), LANG_ZH_HANS);
    CHECK_INT(lang_negotiate("zh"), LANG_ZH_HANS);
    CHECK_INT(lang_negotiate("zh-TW"), LANG_ZH_HANT);
    CHECK_INT(lang_negotiate("zh-HK"), LANG_ZH_HANT);
    CHECK_INT(lang_negotiate("zh-MO"), LANG_ZH_HANT);
    CHECK_INT(lang_negotiate("zh-Hant"), LANG_ZH_HANT);
    CHECK_INT(lang_negotiate("yue-HK"), LANG_ZH_HANT);
    CHECK_INT(lang_negotiate("pt-PT"), LANG_PT);
    CHECK_INT(lang_negotiate("pt-BR"), LANG_PT);
    CHECK_INT(lang_negotiate("pt-MO"), LANG_PT);
    CHECK_INT(lang_negotiate("en-GB"), LANG_EN);
    CHECK_INT(lang_negotiate("fr, de"), LANG_NONE);
    CHECK_INT(lang_negotiate(NULL), LANG_NONE);
    CHECK_INT(lang_negotiate(""), LANG_NONE);
    CHECK_INT(lang_negotiate("fr;q=1, zh-TW;q=0.5, en;q=0.4"), LANG_ZH_HANT);
    CHECK_INT(lang_negotiate("en;q=0.3, pt-BR;q=0.9"), LANG_PT);
    CHECK_INT(lang_negotiate("zh-CN;q=0, en"), LANG_EN);
    CHECK_INT(lang_negotiate("zh-HK, zh;q=0.9, en;q=0.8"), LANG_ZH_HANT);
    CHECK_INT(lang_negotiate("en;q=abc, pt"), LANG_PT);
    CHECK_INT(lang_negotiate("ZH-tw"), LANG_ZH_HANT);
    CHECK_INT(lang_parse_canonical("zh-Hant"), LANG_ZH_HANT);
    CHECK_INT(lang_parse_canonical("zh-hant"), LANG_NONE);
    CHECK_INT(lang_parse_canonical("fr"), LANG_NONE);
}

static void test_format(void)
{
    struct msg_arg one = {"n", NULL, 1}, many = {"n", NULL, 5}, zero = {"n", NULL, 0};
    const char *pat = "{n, plural, =0 {no files} one {# file} other {# files}}";
    char *s;
    CHECK_STR(s = msg_format_pattern(LANG_EN, pat, &one, 1), "1 file");
    free(s);
    CHECK_STR(s = msg_format_pattern(LANG_EN, pat, &many, 1), "5 files");
    free(s);
    CHECK_STR(s = msg_format_pattern(LANG_EN, pat, &zero, 1), "no files");
    free(s);
    /* Chinese has only "other" */
    CHECK_STR(s = msg_format_pattern(LANG_ZH_HANS, "{n, plural, one {一} other {#个}}", &one, 1),
              "1个");
    free(s);
    struct msg_arg who = {"who", "陳大文", 0};
    CHECK_STR(s = msg_format_pattern(LANG_ZH_HANT, "你好，{who}！", &who, 1), "你好，陳大文！");
    free(s);
    struct msg_arg sel = {"role", "mediator", 0};
    CHECK_STR(s = msg_format_pattern(LANG_EN,
                                     "{role, select, mediator {Mediator} other {Someone}} here",
                                     &sel, 1),
              "Mediator here");
    free(s);
    CHECK_STR(s = msg_format_pattern(LANG_EN, "it''s '{literal}'", NULL, 0), "it's {literal}");
    free(s);
    CHECK_STR(s = msg_format_pattern(LANG_EN, "missing {arg}", NULL, 0), "missing {arg}");
    free(s);
    CHECK_STR(s = msg_format(LANG_EN, "no.such.key", NULL, 0), "no.such.key");
    free(s);
    struct msg_arg secs = {"seconds", "30", 0};
    s = msg_format(LANG_ZH_HANT, "error.auth.locked", &secs, 1);
    CHECK(s && strstr(s, "30") && strstr(s, "鎖定"));
    free(s);
}

static void test_errors_have_messages(void)
{
    int n = 0;
    for (const struct http_error_def *e = api_errors; e && e->code; e++, n++) {
        char key[128];
        snprintf(key, sizeof key, "error.%s", e->code);
        for (int l = 0; l < LANG_COUNT; l++) {
            const char *p = catalog_pattern((enum lang)l, key);
            if (!p)
                fprintf(stderr, "no message %s in %s\n", key, lang_tag((enum lang)l));
            CHECK(p != NULL);
        }
        if (e[1].code)
            CHECK(strcmp(e->code, e[1].code) < 0); /* sorted: looked up by binary search */
    }
    CHECK(n > 10);
}

int main(void)
{
    test_catalogs_agree();
    test_negotiation();
    test_format();
    test_errors_have_messages();
    catalog_shutdown();
    return check_summary();
}
