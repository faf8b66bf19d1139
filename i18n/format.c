#include "i18n/format.h"

#include <stdio.h>
#include <string.h>
#include <unicode/udat.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

static void plain(int64_t minor, const char *currency, char *out, size_t cap)
{
    int64_t a = minor < 0 ? -minor : minor;
    snprintf(out, cap, "%s%s %lld.%02lld", minor < 0 ? "-" : "", currency, (long long)(a / 100),
             (long long)(a % 100));
}

int format_money(enum lang l, int64_t minor, const char *currency, char *out, size_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    UNumberFormat *f = unum_open(UNUM_CURRENCY, NULL, 0, lang_icu_locale(l), NULL, &st);
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
    if (f)
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
    UChar utz[64];
    u_charsToUChars(tz, utz, (int32_t)strlen(tz) + 1);
    UErrorCode st = U_ZERO_ERROR;
    UDateFormat *f = udat_open(time_style, date_style, lang_icu_locale(l), utz, -1, NULL, 0, &st);
    UChar buf[128];
    int32_t n = U_SUCCESS(st) ? udat_format(f, when, buf, 128, NULL, &st) : 0;
    if (f)
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
