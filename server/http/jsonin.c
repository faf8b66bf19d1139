#include "http/jsonin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/text.h"

void jsonin_error(json_t *errors, const char *path, const char *code, json_t *args)
{
    json_t *e = json_object();
    json_object_set_new(e, "field", json_string(path));
    json_object_set_new(e, "code", json_string(code));
    if (args)
        json_object_set_new(e, "args", args);
    json_array_append_new(errors, e);
}

static const char *type_name(enum jf_type t)
{
    switch (t) {
    case JF_STRING:
    case JF_TEXT:
    case JF_ENUM:
        return "string";
    case JF_INT:
        return "integer";
    case JF_BOOL:
        return "boolean";
    case JF_OBJECT:
        return "object";
    case JF_ARRAY:
        return "array";
    }
    return "value";
}

static json_t *args_minmax(long long min, long long max)
{
    return json_pack("{s:I,s:I}", "min", (json_int_t)min, "max", (json_int_t)max);
}

static bool check_value(json_t *parent, const char *key, size_t index, json_t *v,
                        const char *path, const struct jf *f, enum jf_type type, json_t *errors);

static bool check_string(json_t *parent, const char *key, size_t index, json_t *v,
                         const char *path, const struct jf *f, enum jf_type type, json_t *errors)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (text_has_controls(s, len, type != JF_TEXT)) {
        jsonin_error(errors, path, "controls", NULL);
        return false;
    }
    char *nfc = text_nfc(s, len);
    if (!nfc) {
        jsonin_error(errors, path, "invalid_utf8", NULL);
        return false;
    }
    size_t cps = utf8_length(nfc, strlen(nfc));
    bool ok = true;
    if (type == JF_ENUM) {
        ok = false;
        for (const char *const *c = f->choices; c && *c; c++)
            if (strcmp(*c, nfc) == 0)
                ok = true;
        if (!ok) {
            char list[512] = "";
            for (const char *const *c = f->choices; c && *c; c++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         list[0] ? ", " : "", *c);
            jsonin_error(errors, path, "choice", json_pack("{s:s}", "choices", list));
        }
    } else if ((long long)cps < f->min || (f->max && (long long)cps > f->max)) {
        jsonin_error(errors, path, (long long)cps < f->min ? "too_short" : "too_long",
                     args_minmax(f->min, f->max));
        ok = false;
    }
    if (ok && strcmp(nfc, s) != 0) {
        if (key)
            json_object_set_new(parent, key, json_string(nfc));
        else
            json_array_set_new(parent, index, json_string(nfc));
    }
    free(nfc);
    return ok;
}

static bool check_value(json_t *parent, const char *key, size_t index, json_t *v,
                        const char *path, const struct jf *f, enum jf_type type, json_t *errors)
{
    bool type_ok;
    switch (type) {
    case JF_STRING:
    case JF_TEXT:
    case JF_ENUM:
        type_ok = json_is_string(v);
        break;
    case JF_INT:
        type_ok = json_is_integer(v);
        break;
    case JF_BOOL:
        type_ok = json_is_boolean(v);
        break;
    case JF_OBJECT:
        type_ok = json_is_object(v);
        break;
    case JF_ARRAY:
        type_ok = json_is_array(v);
        break;
    default:
        type_ok = false;
    }
    if (!type_ok) {
        jsonin_error(errors, path, "type", json_pack("{s:s}", "expected", type_name(type)));
        return false;
    }
    switch (type) {
    case JF_STRING:
    case JF_TEXT:
    case JF_ENUM:
        return check_string(parent, key, index, v, path, f, type, errors);
    case JF_INT: {
        long long x = json_integer_value(v);
        if (x < f->min || x > f->max) {
            jsonin_error(errors, path, "out_of_range", args_minmax(f->min, f->max));
            return false;
        }
        return true;
    }
    case JF_BOOL:
        return true;
    case JF_OBJECT:
        return jsonin_check(v, path, f->fields, f->nfields, errors);
    case JF_ARRAY: {
        size_t n = json_array_size(v);
        bool ok = true;
        if ((long long)n < f->min || (f->max && (long long)n > f->max)) {
            jsonin_error(errors, path, (long long)n < f->min ? "too_few" : "too_many",
                         args_minmax(f->min, f->max));
            return false;
        }
        /* items of scalar type share the array's string bounds only through their own spec */
        struct jf item = *f;
        item.type = f->item_type;
        if (item.type == JF_STRING || item.type == JF_TEXT) {
            item.min = 1;
            item.max = 200;
        } else if (item.type == JF_INT) { /* the handler bounds each item itself */
            item.min = INT64_MIN;
            item.max = INT64_MAX;
        }
        for (size_t i = 0; i < n; i++) {
            char p[256];
            snprintf(p, sizeof p, "%s[%zu]", path, i);
            ok &= check_value(v, NULL, i, json_array_get(v, i), p, &item, item.type, errors);
        }
        return ok;
    }
    }
    return false;
}

bool jsonin_check(json_t *obj, const char *prefix, const struct jf *spec, size_t n,
                  json_t *errors)
{
    bool ok = true;
    char path[256];
    for (size_t i = 0; i < n; i++) {
        const struct jf *f = &spec[i];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", f->name);
        json_t *v = json_object_get(obj, f->name);
        bool blank = json_is_string(v) && (f->type == JF_STRING || f->type == JF_TEXT ||
                                           f->type == JF_ENUM) &&
                     json_string_length(v) == 0;
        if (!v || json_is_null(v) || (blank && f->required)) {
            if (f->required) {
                jsonin_error(errors, path, "required", NULL);
                ok = false;
            }
            continue;
        }
        ok &= check_value(obj, f->name, 0, v, path, f, f->type, errors);
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool known = false;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp(spec[i].name, key) == 0;
        if (!known) {
            snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
            jsonin_error(errors, path, "unknown", NULL);
            ok = false;
        }
    }
    return ok;
}
