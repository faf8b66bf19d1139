#include "i18n/format.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/udat.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

/* Opening an ICU formatter costs far more than using one: each thread keeps its own (ICU
 * formatters are not thread-safe), closed when the thread ends. */
#define DATE_SLOTS 8
struct fmt_cache {
    UNumberFormat *money[LANG_COUNT];
    struct {
        UDateFormat *f;
        int lang, dstyle, tstyle;
        char tz[32];
    } dates[DATE_SLOTS];
    int next_date;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *p)
{
    struct fmt_cache *c = p;
    for (int i = 0; i < LANG_COUNT; i++)
        if (c->money[i])
            unum_close(c->money[i]);
    for (int i = 0; i < DATE_SLOTS; i++)
        if (c->dates[i].f)
            udat_close(c->dates[i].f);
    free(c);
}

static void cache_key_make(void)
{
    pthread_key_create(&cache_key, cache_free);
}

static struct fmt_cache *cache(void)
{
    pthread_once(&cache_once, cache_key_make);
    struct fmt_cache *c = pthread_getspecific(cache_key);
    if (!c && (c = calloc(1, sizeof *c)))
        pthread_setspecific(cache_key, c);
    return c;
}

void format_thread_cleanup(void)
{
    pthread_once(&cache_once, cache_key_make);
    struct fmt_cache *c = pthread_getspecific(cache_key);
    if (c) {
        cache_free(c);
        pthread_setspecific(cache_key, NULL);
    }
}

static void plain(int64_t minor, const char *currency, char *out, size_t cap)
{
    int64_t a = minor < 0 ? -minor : minor;
    snprintf(out, cap, "%s%s %lld.%02lld", minor < 0 ? "-" : "", currency, (long long)(a / 100),
             (long long)(a % 100));
}

int format_money(enum lang l, int64_t minor, const char *currency, char *out, size_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    struct fmt_cache *c = cache();
    if (l < 0 || l >= LANG_COUNT)
        l = LANG_EN;
    UNumberFormat *f = c ? c->money[l] : NULL;
    if (!f) {
        f = unum_open(UNUM_CURRENCY, NULL, 0, lang_icu_locale(l), NULL, &st);
        if (c && U_SUCCESS(st))
            c->money[l] = f;
    }
    UChar ucur[4];
    u_charsToUChars(currency, ucur, 3);
    ucur[3] = 0;
    char dec[40];
    int64_t a = minor < 0 ? -minor : minor;
    snprintf(dec, sizeof dec, "%s%lld.%02lld", minor < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
    if (U_SUCCESS(st))
        unum_setTextAttribute(f, UNUM_CURRENCY_CODE, ucur, 3, &st);
    UChar buf[128];
    int32_t n = 0;
    if (U_SUCCESS(st))
        n = unum_formatDecimal(f, dec, -1, buf, 128, NULL, &st);
    if (f && (!c || c->money[l] != f))
        unum_close(f);
    if (U_FAILURE(st) || n <= 0) {
        plain(minor, currency, out, cap);
        return -1;
    }
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap, NULL, buf, n, &st);
    if (U_FAILURE(st)) {
        plain(minor, currency, out, cap);
        return -1;
    }
    return 0;
}

static int format_with(enum lang l, UDate when, const char *tz, UDateFormatStyle date_style,
                       UDateFormatStyle time_style, char *out, size_t cap)
{
    struct fmt_cache *c = cache();
    UDateFormat *f = NULL;
    for (int i = 0; c && i < DATE_SLOTS; i++)
        if (c->dates[i].f && c->dates[i].lang == (int)l && c->dates[i].dstyle == (int)date_style &&
            c->dates[i].tstyle == (int)time_style && strcmp(c->dates[i].tz, tz) == 0)
            f = c->dates[i].f;
    UErrorCode st = U_ZERO_ERROR;
    if (!f) {
        UChar utz[64];
        u_charsToUChars(tz, utz, (int32_t)strlen(tz) + 1);
        f = udat_open(time_style, date_style, lang_icu_locale(l), utz, -1, NULL, 0, &st);
        if (U_FAILURE(st))
            return -1;
        if (c) { /* a small round-robin cache: few (language, zone, style) triples are in use */
            int slot = c->next_date++ % DATE_SLOTS;
            if (c->dates[slot].f)
                udat_close(c->dates[slot].f);
            c->dates[slot].f = f;
            c->dates[slot].lang = (int)l;
            c->dates[slot].dstyle = (int)date_style;
            c->dates[slot].tstyle = (int)time_style;
            snprintf(c->dates[slot].tz, sizeof c->dates[slot].tz, "%s", tz);
        }
    }
    UChar buf[128];
    int32_t n = udat_format(f, when, buf, 128, NULL, &st);
    if (!c)
        udat_close(f);
    if (U_FAILURE(st))
        return -1;
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap, NULL, buf, n, &st);
    return U_FAILURE(st) ? -1 : 0;
}

int format_datetime(enum lang l, int64_t t, const char *tz, char *out, size_t cap)
{
    if (format_with(l, (UDate)t * 1000.0, tz ? tz : "Asia/Shanghai", UDAT_MEDIUM, UDAT_SHORT, out,
                    cap) == 0)
        return 0;
    snprintf(out, cap, "%lld", (long long)t);
    return -1;
}

int format_date(enum lang l, const char *iso, char *out, size_t cap)
{
    int y, m, d;
    char extra;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3) {
        snprintf(out, cap, "%s", iso ? iso : "");
        return -1;
    }
    /* noon UTC of that date, shown in UTC: the same calendar day everywhere */
    int64_t days = 0;
    {
        int yy = m <= 2 ? y - 1 : y;
        int era = (yy >= 0 ? yy : yy - 399) / 400;
        int yoe = yy - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        days = (int64_t)era * 146097 + doe - 719468;
    }
    if (format_with(l, ((double)days * 86400.0 + 43200.0) * 1000.0, "UTC", UDAT_MEDIUM, UDAT_NONE,
                    out, cap) == 0)
        return 0;
    snprintf(out, cap, "%s", iso);
    return -1;
}
