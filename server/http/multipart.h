/* multipart.h: multipart/form-data bodies (RFC 7578), parsed in place from a buffered body. */
#ifndef QIAO_HTTP_MULTIPART_H
#define QIAO_HTTP_MULTIPART_H
#include <stddef.h>

struct mp_part {
    char name[64];
    char filename[256];
    char content_type[128];
    const char *data; /* borrowed from the body */
    size_t len;
};

/* Splits body by the boundary named in content_type into at most cap parts. Returns the number of
 * parts, or -1 when the body is not well-formed multipart/form-data (no boundary, no closing
 * delimiter, a part without a name, more than cap parts). */
int multipart_parse(const char *content_type, const char *body, size_t len, struct mp_part *parts,
                    int cap);

/* The part named name, or NULL. */
const struct mp_part *multipart_get(const struct mp_part *parts, int n, const char *name);
#endif
