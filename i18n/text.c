#include "i18n/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

bool utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0)
            n = 1, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0)
            n = 2, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0)
            n = 3, cp = c & 0x07, min = 0x10000;
        else
            return false;
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

size_t utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

char *text_nfc(const char *s, size_t len)
{
    if (!utf8_valid(s, len))
        return NULL;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return NULL;
    int32_t ulen = 0;
    st = U_ZERO_ERROR;
    u_strFromUTF8(NULL, 0, &ulen, s, (int32_t)len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return NULL;
    UChar *u = malloc(((size_t)ulen + 1) * sizeof *u);
    if (!u)
        return NULL;
    st = U_ZERO_ERROR;
    u_strFromUTF8(u, ulen + 1, NULL, s, (int32_t)len, &st);
    char *out = NULL;
    if (U_SUCCESS(st) && unorm2_isNormalized(nfc, u, ulen, &st) && U_SUCCESS(st)) {
        free(u);
        out = malloc(len + 1);
        if (out) {
            memcpy(out, s, len);
            out[len] = 0;
        }
        return out;
    }
    st = U_ZERO_ERROR;
    int32_t cap = ulen * 3 + 16;
    UChar *n = malloc((size_t)cap * sizeof *n);
    int32_t nlen = n ? unorm2_normalize(nfc, u, ulen, n, cap, &st) : 0;
    free(u);
    if (!n || U_FAILURE(st)) {
        free(n);
        return NULL;
    }
    int32_t blen = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &blen, n, nlen, &st);
    out = malloc((size_t)blen + 1);
    st = U_ZERO_ERROR;
    if (out)
        u_strToUTF8(out, blen + 1, NULL, n, nlen, &st);
    free(n);
    if (out && U_FAILURE(st)) {
        free(out);
        out = NULL;
    }
    return out;
}

bool text_has_controls(const char *s, size_t len, bool single_line)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x7F)
            return true;
        if (c < 0x20) {
            if (single_line || (c != '\t' && c != '\n' && c != '\r'))
                return true;
        }
        /* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F */
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F)
            return true;
        /* bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069)
         * can make a record read differently from what it holds */
        if (c == 0xE2 && i + 2 < len) {
            unsigned char c1 = (unsigned char)s[i + 1], c2 = (unsigned char)s[i + 2];
            if ((c1 == 0x80 && c2 >= 0xAA && c2 <= 0xAE) || (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9))
                return true;
        }
    }
    return false;
}
