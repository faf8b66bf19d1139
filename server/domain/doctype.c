#include "domain/doctype.h"

#include <string.h>

static int contains(const unsigned char *d, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (d[i] == (unsigned char)needle[0] && memcmp(d + i, needle, n) == 0)
            return 1;
    return 0;
}

const char *doctype_sniff(const unsigned char *d, size_t len)
{
    if (len >= 5 && memcmp(d, "%PDF-", 5) == 0 && contains(d + (len > 1024 ? len - 1024 : 0),
                                                           len > 1024 ? 1024 : len, "%%EOF"))
        return "application/pdf";
    if (len >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF && d[len - 2] == 0xFF &&
        d[len - 1] == 0xD9)
        return "image/jpeg";
    if (len >= 16 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(d + 12, "IHDR", 4) == 0)
        return "image/png";
    /* a ZIP whose entries include the OOXML content types and a word document part */
    if (len >= 30 && memcmp(d, "PK\x03\x04", 4) == 0 && contains(d, len, "[Content_Types].xml") &&
        contains(d, len, "word/document.xml") && contains(d, len, "PK\x05\x06"))
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    return NULL;
}

const char *doctype_extension(const char *t)
{
    if (!t)
        return "bin";
    if (strcmp(t, "application/pdf") == 0)
        return "pdf";
    if (strcmp(t, "image/jpeg") == 0)
        return "jpg";
    if (strcmp(t, "image/png") == 0)
        return "png";
    if (strstr(t, "wordprocessingml"))
        return "docx";
    return "bin";
}
