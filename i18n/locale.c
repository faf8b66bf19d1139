#include "i18n/locale.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const tags[LANG_COUNT] = {"en", "zh-Hans", "zh-Hant", "pt"};
static const char *const icu_locales[LANG_COUNT] = {"en", "zh_Hans_CN", "zh_Hant_MO", "pt_MO"};

const char *lang_tag(enum lang l)
{
    return (l >= 0 && l < LANG_COUNT) ? tags[l] : "";
}

const char *lang_icu_locale(enum lang l)
{
    return (l >= 0 && l < LANG_COUNT) ? icu_locales[l] : "en";
}

enum lang lang_parse_canonical(const char *tag)
{
    if (!tag)
        return LANG_NONE;
    for (int i = 0; i < LANG_COUNT; i++)
        if (strcmp(tag, tags[i]) == 0)
            return (enum lang)i;
    return LANG_NONE;
}

/* Does the subtag list of tag (after the primary subtag) contain sub? */
static int has_subtag(const char *tag, size_t len, const char *sub)
{
    size_t sl = strlen(sub);
    for (size_t i = 0; i + sl <= len; i++) {
        if ((i == 0 || tag[i - 1] == '-' || tag[i - 1] == '_') &&
            (i + sl == len || tag[i + sl] == '-' || tag[i + sl] == '_') &&
            strncasecmp(tag + i, sub, sl) == 0)
            return 1;
    }
    return 0;
}

enum lang lang_from_tag(const char *tag, size_t len)
{
    size_t primary = 0;
    while (primary < len && tag[primary] != '-' && tag[primary] != '_')
        primary++;
    if (primary == 2 && strncasecmp(tag, "en", 2) == 0)
        return LANG_EN;
    if (primary == 2 && strncasecmp(tag, "pt", 2) == 0)
        return LANG_PT;
    if (primary == 3 && strncasecmp(tag, "yue", 3) == 0)
        return LANG_ZH_HANT;
    if (primary == 2 && strncasecmp(tag, "zh", 2) == 0) {
        if (has_subtag(tag, len, "Hans")) /* an explicit script wins over the region */
            return LANG_ZH_HANS;
        if (has_subtag(tag, len, "Hant") || has_subtag(tag, len, "TW") ||
            has_subtag(tag, len, "HK") || has_subtag(tag, len, "MO") || has_subtag(tag, len, "yue"))
            return LANG_ZH_HANT;
        return LANG_ZH_HANS;
    }
    return LANG_NONE;
}

/* Parses "q=0.8" strictly enough: returns thousandths, or -1 when malformed. */
static int parse_q(const char *p, size_t len)
{
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    if (len < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
        return -1;
    p += 2, len -= 2;
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    if (len == 0 || (p[0] != '0' && p[0] != '1'))
        return -1;
    int v = (p[0] - '0') * 1000;
    if (len == 1)
        return v;
    if (p[1] != '.' || len > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < len; i++, scale /= 10) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v += (p[i] - '0') * scale;
    }
    return v > 1000 ? -1 : v;
}

enum lang lang_negotiate(const char *h)
{
    if (!h)
        return LANG_NONE;
    enum lang best = LANG_NONE;
    int best_q = 0;
    const char *p = h;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *semi = memchr(p, ';', n);
        size_t taglen = semi ? (size_t)(semi - p) : n;
        const char *t = p;
        while (taglen && (*t == ' ' || *t == '\t'))
            t++, taglen--;
        while (taglen && (t[taglen - 1] == ' ' || t[taglen - 1] == '\t'))
            taglen--;
        int q = semi ? parse_q(semi + 1, n - (size_t)(semi + 1 - p)) : 1000;
        if (q > best_q && taglen > 0) {
            enum lang l = lang_from_tag(t, taglen);
            if (l != LANG_NONE) {
                best = l;
                best_q = q;
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    return best;
}
