/* doctype.h: what a document is, judged from its bytes (never from its name or declared type). */
#ifndef QIAO_DOMAIN_DOCTYPE_H
#define QIAO_DOMAIN_DOCTYPE_H
#include <stddef.h>

/* The media type of data if it is a PDF, JPEG, PNG or DOCX (an Office Open XML word-processing
 * package); NULL for anything else. Static strings. */
const char *doctype_sniff(const unsigned char *data, size_t len);

/* The usual file extension of a media type doctype_sniff returns ("pdf" …). */
const char *doctype_extension(const char *media_type);
#endif
