/* idnum.c: identity document number validation and normalization (see idnum.h). */
#include "domain/idnum.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/* Longest input we look at, in ASCII characters after removing spaces. Every valid number is far
 * shorter; anything longer is "id.format" without further analysis. */
#define COMPACT_MAX 40

static const char *const type_names[IDTYPE_COUNT] = {
    [IDTYPE_UNKNOWN] = NULL,
    [IDTYPE_MAINLAND_ID] = "mainland_id",
    [IDTYPE_HK_ID] = "hk_id",
    [IDTYPE_MACAO_BIR] = "macao_bir",
    [IDTYPE_MAINLAND_TRAVEL_PERMIT] = "mainland_travel_permit",
    [IDTYPE_PASSPORT] = "passport",
    [IDTYPE_BUSINESS_REGISTRATION] = "business_registration",
};

static const char *const variant_names[IDVARIANT_COUNT] = {
    [IDVARIANT_NONE] = "none",
    [IDVARIANT_PERMIT_HK] = "permit_hk",
    [IDVARIANT_PERMIT_MACAO] = "permit_macao",
    [IDVARIANT_MAINLAND_USCC] = "mainland_uscc",
    [IDVARIANT_HK_BR] = "hk_br",
    [IDVARIANT_MACAO_CR] = "macao_cr",
};

enum idtype idtype_parse(const char *name)
{
    if (!name)
        return IDTYPE_UNKNOWN;
    for (int t = IDTYPE_UNKNOWN + 1; t < IDTYPE_COUNT; t++)
        if (strcmp(name, type_names[t]) == 0)
            return (enum idtype)t;
    return IDTYPE_UNKNOWN;
}

const char *idtype_name(enum idtype t)
{
    if ((int)t <= IDTYPE_UNKNOWN || (int)t >= IDTYPE_COUNT)
        return NULL;
    return type_names[t];
}

const char *idvariant_name(enum idvariant v)
{
    if ((int)v < 0 || (int)v >= IDVARIANT_COUNT)
        return NULL;
    return variant_names[v];
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* Decodes one UTF-8 sequence at s; returns its length (1-4) and the code point, or 0 if malformed
 * (overlong forms, surrogates and values past U+10FFFF are malformed). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        c = s[0] & 0x1F;
        min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        c = s[0] & 0x0F;
        min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        c = s[0] & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Copies `in` into out as printable ASCII: drops white space (ASCII space, tab, CR, LF, ideographic
 * space U+3000), maps full-width forms U+FF01-U+FF5E to ASCII, upper-cases letters.
 * Returns false on malformed UTF-8, any other non-ASCII or control character, or more than
 * COMPACT_MAX characters. */
static bool compact(const char *in, char out[COMPACT_MAX + 1], size_t *outlen)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t n = 0;
    while (*p) {
        uint32_t cp;
        size_t len = utf8_decode(p, &cp);
        if (len == 0)
            return false;
        p += len;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000)
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (cp < 0x21 || cp > 0x7E)
            return false;
        if (n == COMPACT_MAX)
            return false;
        char c = (char)cp;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        out[n++] = c;
    }
    out[n] = '\0';
    *outlen = n;
    return true;
}

/* ---- Mainland resident identity card (GB 11643-1999) ---- */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Today's date in China (UTC+8) as YYYYMMDD. */
static long today_in_china(void)
{
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return 99991231L;
    return (tm.tm_year + 1900L) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
}

/* ISO 7064 MOD 11-2 over 17 digits: returns the check character '0'-'9' or 'X'. */
static char mod11_2_check(const char *d17)
{
    /* Weight of position i (0-based, left to right) is 2^(17-i) mod 11. */
    int weight = 1, sum = 0;
    for (int i = 16; i >= 0; i--) {
        weight = weight * 2 % 11;
        sum += (d17[i] - '0') * weight;
    }
    int check = (12 - sum % 11) % 11;
    return check == 10 ? 'X' : (char)('0' + check);
}

static const char *check_mainland_id(const char *s, size_t n)
{
    if (n != 18 || !all_digits(s, 17) || !(is_digit(s[17]) || s[17] == 'X'))
        return "id.format";
    if (memcmp(s, "000000", 6) == 0)
        return "id.region";
    int y = digits_value(s + 6, 4), m = digits_value(s + 10, 2), d = digits_value(s + 12, 2);
    if (y < 1850 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return "id.birth_date";
    if (y * 10000L + m * 100L + d > today_in_china())
        return "id.birth_date";
    if (mod11_2_check(s) != s[17])
        return "id.check_digit";
    return NULL;
}

/* ---- Hong Kong identity card ---- */

/* Check character of a HKID prefix (1-2 letters) and 6 digits: '0'-'9' or 'A'. A one-letter prefix
 * is padded on the left with a space worth 36; letters are worth A=10 .. Z=35; weights are 9..2
 * over the 8 padded characters; the check value makes the weighted sum, with weight 1 on the check,
 * a multiple of 11 (check value 10 is written 'A'). */
static char hkid_check(const char *prefix, size_t plen, const char *digits)
{
    int values[8];
    values[0] = plen == 2 ? prefix[0] - 'A' + 10 : 36;
    values[1] = prefix[plen - 1] - 'A' + 10;
    for (int i = 0; i < 6; i++)
        values[2 + i] = digits[i] - '0';
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += values[i] * (9 - i);
    int check = (11 - sum % 11) % 11;
    return check == 10 ? 'A' : (char)('0' + check);
}

/* Splits "<7 or more chars>(c)" or "<chars>c" into body length and check char. Returns false if
 * brackets are present but not exactly one character wrapped at the end. */
static bool split_check(const char *s, size_t n, size_t *bodylen, char *check)
{
    if (n >= 3 && s[n - 1] == ')') {
        if (s[n - 3] != '(')
            return false;
        *bodylen = n - 3;
        *check = s[n - 2];
    } else {
        if (n < 2)
            return false;
        *bodylen = n - 1;
        *check = s[n - 1];
    }
    for (size_t i = 0; i < *bodylen; i++)
        if (s[i] == '(' || s[i] == ')')
            return false;
    return true;
}

static const char *check_hk_id(const char *s, size_t n, char *out, size_t *outlen)
{
    size_t body;
    char check;
    if (!split_check(s, n, &body, &check))
        return "id.format";
    if (body != 7 && body != 8)
        return "id.format";
    size_t plen = body - 6;
    for (size_t i = 0; i < plen; i++)
        if (!is_upper(s[i]))
            return "id.format";
    if (!all_digits(s + plen, 6) || !(is_digit(check) || check == 'A'))
        return "id.format";
    if (hkid_check(s, plen, s + plen) != check)
        return "id.check_digit";
    memcpy(out, s, body);
    out[body] = '(';
    out[body + 1] = check;
    out[body + 2] = ')';
    *outlen = body + 3;
    return NULL;
}

/* ---- Macao resident identity card (BIR) ---- */

static const char *check_macao_bir(const char *s, size_t n, char *out, size_t *outlen)
{
    /* Remove '/' separators, each of which must stand between two digits. */
    char t[COMPACT_MAX + 1];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '/') {
            if (i == 0 || i + 1 == n || !is_digit(s[i - 1]) || !is_digit(s[i + 1]))
                return "id.format";
            continue;
        }
        t[m++] = s[i];
    }
    size_t body;
    char check;
    if (!split_check(t, m, &body, &check))
        return "id.format";
    if (body != 7 || !all_digits(t, 7) || !is_digit(check))
        return "id.format";
    memcpy(out, t, 7);
    out[7] = '(';
    out[8] = check;
    out[9] = ')';
    *outlen = 10;
    return NULL;
}

/* ---- Mainland travel permit for Hong Kong and Macao residents ---- */

static const char *check_permit(const char *s, size_t n, enum idvariant *variant)
{
    if ((n != 9 && n != 11) || (s[0] != 'H' && s[0] != 'M') || !all_digits(s + 1, n - 1))
        return "id.format";
    *variant = s[0] == 'H' ? IDVARIANT_PERMIT_HK : IDVARIANT_PERMIT_MACAO;
    return NULL;
}

/* ---- Passport ---- */

static const char *check_passport(const char *s, size_t n)
{
    if (n < 5 || n > 20)
        return "id.format";
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]) && !is_upper(s[i]))
            return "id.format";
    return NULL;
}

/* ---- Business registration ---- */

/* GB 32100-2015 character set: digits and upper-case letters except I, O, Z, S, V; a character's
 * value is its index here. */
static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
    const char *p = c ? strchr(uscc_chars, c) : NULL;
    return p ? (int)(p - uscc_chars) : -1;
}

static const char *check_uscc(const char *s)
{
    /* Positions 3-8 are the registering authority's administrative region code: digits. */
    if (!all_digits(s + 2, 6))
        return "id.format";
    int sum = 0, weight = 1;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(s[i]);
        if (v < 0)
            return "id.format";
        sum += v * weight; /* weight of position i is 3^i mod 31 */
        weight = weight * 3 % 31;
    }
    int v = uscc_value(s[17]);
    if (v < 0)
        return "id.format";
    if ((31 - sum % 31) % 31 != v)
        return "id.check_digit";
    return NULL;
}

static const char *check_business(const char *s, size_t n, char *out, size_t *outlen,
                                  enum idvariant *variant)
{
    if (n == 18) {
        const char *err = check_uscc(s);
        if (err)
            return err;
        *variant = IDVARIANT_MAINLAND_USCC;
        return NULL;
    }
    if (n == 0 || n > 8 || !all_digits(s, n))
        return "id.format";
    if (n == 8) {
        *variant = IDVARIANT_HK_BR;
        return NULL;
    }
    size_t skip = 0;
    while (skip < n && s[skip] == '0')
        skip++;
    if (skip == n)
        return "id.format";
    memmove(out, s + skip, n - skip);
    *outlen = n - skip;
    *variant = IDVARIANT_MACAO_CR;
    return NULL;
}

const char *idnum_validate_ex(enum idtype t, const char *in, char *norm, size_t normcap,
                              enum idvariant *variant)
{
    if (norm && normcap > 0)
        norm[0] = '\0';
    if (!idtype_name(t))
        return "id.type";
    char s[COMPACT_MAX + 1];
    size_t n;
    if (!in || !compact(in, s, &n) || n == 0)
        return "id.format";

    /* By default the normalized form is the compacted input; some types rewrite it into out. */
    char out[COMPACT_MAX + 4];
    size_t outlen = n;
    memcpy(out, s, n);
    enum idvariant v = IDVARIANT_NONE;
    const char *err = NULL;
    switch (t) {
    case IDTYPE_MAINLAND_ID:
        err = check_mainland_id(s, n);
        break;
    case IDTYPE_HK_ID:
        err = check_hk_id(s, n, out, &outlen);
        break;
    case IDTYPE_MACAO_BIR:
        err = check_macao_bir(s, n, out, &outlen);
        break;
    case IDTYPE_MAINLAND_TRAVEL_PERMIT:
        err = check_permit(s, n, &v);
        break;
    case IDTYPE_PASSPORT:
        err = check_passport(s, n);
        break;
    case IDTYPE_BUSINESS_REGISTRATION:
        err = check_business(s, n, out, &outlen, &v);
        break;
    default:
        err = "id.type";
        break;
    }
    if (err)
        return err;
    if (norm) {
        if (outlen + 1 > normcap)
            return "id.buffer";
        memcpy(norm, out, outlen);
        norm[outlen] = '\0';
    }
    if (variant)
        *variant = v;
    return NULL;
}

const char *idnum_validate(enum idtype t, const char *in, char *norm, size_t normcap)
{
    return idnum_validate_ex(t, in, norm, normcap, NULL);
}
