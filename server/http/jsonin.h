/* jsonin.h: a JSON body's expected fields, declared once as a table and checked in one call that
 * reports every bad field by its path (applicants[1].id_document.number), never just the first. */
#ifndef QIAO_HTTP_JSONIN_H
#define QIAO_HTTP_JSONIN_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum jf_type {
    JF_STRING, /* one line of text: NFC-normalized in place, no control characters */
    JF_TEXT,   /* multi-line text: NFC-normalized in place, tabs and newlines allowed */
    JF_INT,
    JF_BOOL,
    JF_ENUM,   /* a string among choices */
    JF_OBJECT, /* checked against fields */
    JF_ARRAY,  /* items of item_type (objects checked against fields) */
};

struct jf {
    const char *name;
    enum jf_type type;
    bool required;
    long long min, max; /* strings: code points; integers: value; arrays: items (max 0: none) */
    const char *const *choices; /* JF_ENUM, or JF_ARRAY of JF_ENUM: NULL-terminated */
    const struct jf *fields;    /* JF_OBJECT, or JF_ARRAY of JF_OBJECT */
    size_t nfields;
    enum jf_type item_type; /* JF_ARRAY */
};

#define JF_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Checks obj against spec; appends one entry {"field","code","args"} to errors per problem
 * (unknown fields included). Strings are normalized to NFC in obj. true when nothing was wrong. */
bool jsonin_check(json_t *obj, const char *prefix, const struct jf *spec, size_t n,
                  json_t *errors);

/* Appends a field error; args (stolen, may be NULL) are the message's named arguments. */
void jsonin_error(json_t *errors, const char *path, const char *code, json_t *args);
#endif
