/* money.c: exact decimal amounts in minor units (see money.h). */
#include "domain/money.h"

#include <string.h>

static const char *const currency_codes[CURRENCY_COUNT] = {
    [CURRENCY_CNY] = "CNY",
    [CURRENCY_MOP] = "MOP",
    [CURRENCY_HKD] = "HKD",
};

static const int currency_digits[CURRENCY_COUNT] = {
    [CURRENCY_CNY] = 2,
    [CURRENCY_MOP] = 2,
    [CURRENCY_HKD] = 2,
};

bool currency_parse(const char *code, enum currency *out)
{
    if (!code)
        return false;
    for (int c = 0; c < CURRENCY_COUNT; c++) {
        if (strcmp(code, currency_codes[c]) == 0) {
            *out = (enum currency)c;
            return true;
        }
    }
    return false;
}

const char *currency_code(enum currency c)
{
    if ((int)c < 0 || (int)c >= CURRENCY_COUNT)
        return NULL;
    return currency_codes[c];
}

int currency_decimals(enum currency c)
{
    if ((int)c < 0 || (int)c >= CURRENCY_COUNT)
        return -1;
    return currency_digits[c];
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses an unsigned amount (no sign) with at most `decimals` decimal places into minor units.
 * Returns NULL or an error code. */
static const char *parse_unsigned(const char *s, int decimals, int64_t *minor)
{
    const char *p = s;
    if (!is_digit(*p))
        return "money.format";
    if (p[0] == '0' && is_digit(p[1]))
        return "money.format"; /* leading zero: "007", "00.5" */

    /* Integer part. Beyond MONEY_MAX_MINOR we stop accumulating but keep checking the syntax, so
     * a malformed long number is "money.format" and a well-formed one is "money.range". */
    int64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    int64_t units = 0;
    bool too_big = false;
    for (; is_digit(*p); p++) {
        if (!too_big) {
            units = units * 10 + (*p - '0');
            if (units > MONEY_MAX_MINOR / scale)
                too_big = true;
        }
    }

    /* Fraction: 1..decimals digits; more digits is a precision error, none is a format error. */
    int64_t frac = 0;
    int fdigits = 0;
    bool too_precise = false;
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return "money.format";
        for (; is_digit(*p); p++) {
            if (fdigits < decimals) {
                frac = frac * 10 + (*p - '0');
                fdigits++;
            } else {
                too_precise = true;
            }
        }
    }
    if (*p != '\0')
        return "money.format";
    if (too_precise)
        return "money.precision";
    for (; fdigits < decimals; fdigits++)
        frac *= 10;
    if (too_big)
        return "money.range";
    int64_t total = units * scale + frac;
    if (total > MONEY_MAX_MINOR)
        return "money.range";
    *minor = total;
    return NULL;
}

int money_parse(const char *value, const char *currency, struct money *out, const char **err)
{
    enum currency cur;
    const char *e = NULL;
    int64_t minor = 0;
    if (!currency_parse(currency, &cur)) {
        e = "money.currency";
    } else if (!value) {
        e = "money.format";
    } else if (value[0] == '-') {
        e = parse_unsigned(value + 1, currency_digits[cur], &minor);
        if (!e || strcmp(e, "money.format") != 0)
            e = "money.negative";
    } else {
        e = parse_unsigned(value, currency_digits[cur], &minor);
    }
    if (e) {
        if (err)
            *err = e;
        return -1;
    }
    out->minor = minor;
    out->currency = cur;
    return 0;
}

int money_format_plain(const struct money *m, char *buf, size_t cap)
{
    char tmp[MONEY_PLAIN_MAX];
    if (cap > 0)
        buf[0] = '\0';
    int decimals = currency_decimals(m->currency);
    if (decimals < 0)
        return -1;

    /* Digits of |minor|, least significant first, as unsigned to cover INT64_MIN. */
    uint64_t mag = m->minor < 0 ? 0 - (uint64_t)m->minor : (uint64_t)m->minor;
    char rev[MONEY_PLAIN_MAX];
    int nd = 0;
    do {
        rev[nd++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    while (nd < decimals + 1)
        rev[nd++] = '0'; /* at least one integer digit before the point */

    size_t n = 0;
    if (m->minor < 0)
        tmp[n++] = '-';
    for (int i = nd - 1; i >= 0; i--) {
        tmp[n++] = rev[i];
        if (i == decimals && decimals > 0)
            tmp[n++] = '.';
    }
    if (n + 1 > cap)
        return -1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return (int)n;
}
