#include "http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0 || hlen < nlen)
        return NULL;
    for (const char *p = hay; (p = memchr(p, needle[0], hlen - (size_t)(p - hay) - nlen + 1));
         p++) {
        if (memcmp(p, needle, nlen) == 0)
            return p;
        if ((size_t)(p - hay) + nlen >= hlen)
            break;
    }
    return NULL;
}

/* Copies the value of param (e.g. name="file") from a header line into out. */
static int header_param(const char *line, size_t len, const char *param, char *out, size_t cap)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 1 < len; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') &&
            strncasecmp(line + i, param, pl) == 0 && line[i + pl] == '=') {
            const char *v = line + i + pl + 1;
            size_t rest = len - (i + pl + 1), k = 0;
            if (rest && *v == '"') {
                v++, rest--;
                while (k < rest && v[k] != '"')
                    k++;
            } else {
                while (k < rest && v[k] != ';' && v[k] != ' ')
                    k++;
            }
            if (k >= cap)
                k = cap - 1;
            memcpy(out, v, k);
            out[k] = 0;
            return 1;
        }
    }
    return 0;
}

int multipart_parse(const char *content_type, const char *body, size_t len, struct mp_part *parts,
                    int cap)
{
    char boundary[80];
    if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0 ||
        !header_param(content_type, strlen(content_type), "boundary", boundary + 4,
                      sizeof boundary - 4) ||
        !boundary[4])
        return -1;
    memcpy(boundary, "\r\n--", 4);
    size_t blen = strlen(boundary);
    /* the first delimiter may start the body without the leading CRLF */
    const char *p;
    if (len >= blen - 2 && memcmp(body, boundary + 2, blen - 2) == 0)
        p = body + blen - 2;
    else if ((p = find(body, len, boundary, blen)))
        p += blen;
    else
        return -1;
    const char *end = body + len;
    int n = 0;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return n; /* the closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return -1;
        p += 2;
        if (n >= cap)
            return -1;
        struct mp_part *part = &parts[n];
        memset(part, 0, sizeof *part);
        /* headers up to an empty line */
        for (;;) {
            const char *eol = find(p, (size_t)(end - p), "\r\n", 2);
            if (!eol)
                return -1;
            size_t ll = (size_t)(eol - p);
            if (ll == 0) {
                p = eol + 2;
                break;
            }
            if (ll > 19 && strncasecmp(p, "Content-Disposition:", 20) == 0) {
                header_param(p, ll, "name", part->name, sizeof part->name);
                header_param(p, ll, "filename", part->filename, sizeof part->filename);
            } else if (ll > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
                const char *v = p + 13;
                while (*v == ' ')
                    v++;
                size_t k = (size_t)(eol - v);
                if (k >= sizeof part->content_type)
                    k = sizeof part->content_type - 1;
                memcpy(part->content_type, v, k);
            }
            p = eol + 2;
        }
        const char *next = find(p, (size_t)(end - p), boundary, blen);
        if (!next || !part->name[0])
            return -1;
        part->data = p;
        part->len = (size_t)(next - p);
        n++;
        p = next + blen;
    }
}

const struct mp_part *multipart_get(const struct mp_part *parts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(parts[i].name, name) == 0)
            return &parts[i];
    return NULL;
}
