#include "i18n/collate.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>

static const char *collation_locale(enum lang l)
{
    switch (l) {
    case LANG_ZH_HANS:
        return "zh@collation=pinyin";
    case LANG_ZH_HANT:
        return "zh_Hant@collation=stroke";
    case LANG_PT:
        return "pt_PT";
    default:
        return "en";
    }
}

struct keyed {
    uint8_t *sortkey;
    size_t index;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp((const char *)x->sortkey, (const char *)y->sortkey);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

int collate_sort_by(enum lang l, void *records, size_t n, size_t size,
                    const char *(*key)(const void *record))
{
    if (n < 2)
        return 0;
    UErrorCode st = U_ZERO_ERROR;
    UCollator *c = ucol_open(collation_locale(l), &st);
    if (U_FAILURE(st))
        return -1;
    struct keyed *k = calloc(n, sizeof *k);
    unsigned char *copy = malloc(n * size);
    int rc = -1;
    if (!k || !copy)
        goto out;
    /* sort keys make the comparison a byte compare: one ICU pass per name, not per comparison */
    for (size_t i = 0; i < n; i++) {
        const char *name = key((const char *)records + i * size);
        UCharIterator it;
        uiter_setUTF8(&it, name ? name : "", -1);
        uint8_t buf[1024];
        uint32_t state[2] = {0, 0};
        UErrorCode s2 = U_ZERO_ERROR;
        int32_t len = ucol_nextSortKeyPart(c, &it, state, buf, sizeof buf - 1, &s2);
        if (U_FAILURE(s2))
            len = 0;
        buf[len] = 0;
        k[i].sortkey = (uint8_t *)strdup((const char *)buf);
        k[i].index = i;
        if (!k[i].sortkey)
            goto out;
    }
    qsort(k, n, sizeof *k, cmp_keyed);
    memcpy(copy, records, n * size);
    for (size_t i = 0; i < n; i++)
        memcpy((char *)records + i * size, copy + k[i].index * size, size);
    rc = 0;
out:
    for (size_t i = 0; k && i < n; i++)
        free(k[i].sortkey);
    free(k);
    free(copy);
    ucol_close(c);
    return rc;
}

static const char *self(const void *record)
{
    return *(const char *const *)record;
}

int collate_sort(enum lang l, const char **items, size_t n)
{
    return collate_sort_by(l, items, n, sizeof *items, self);
}
