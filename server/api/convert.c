/* convert.c: POST /api/v1/convert: Simplified ↔ Traditional (Hong Kong/Macao usage), as text or
 * as a person's name. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "i18n/convert.h"

static const char *const targets[] = {"zh-Hant", "zh-Hans", NULL};
static const char *const kinds[] = {"text", "name", NULL};

static const struct jf convert_spec[] = {
    {.name = "text", .type = JF_TEXT, .required = true, .min = 1, .max = 20000},
    {.name = "to", .type = JF_ENUM, .required = true, .choices = targets},
    {.name = "kind", .type = JF_ENUM, .choices = kinds},
};

void api_convert(struct http_req *req)
{
    json_t *body = api_body(req, convert_spec, JF_COUNT(convert_spec));
    if (!body)
        return;
    const char *text = json_string_value(json_object_get(body, "text"));
    const char *to = json_string_value(json_object_get(body, "to"));
    const char *kind = json_string_value(json_object_get(body, "kind"));
    enum script target = strcmp(to, "zh-Hant") == 0 ? SCRIPT_HANT : SCRIPT_HANS;
    enum convert_kind k = kind && strcmp(kind, "name") == 0 ? CONVERT_NAME : CONVERT_TEXT;
    char *out = convert_text(text, strlen(text), target, k);
    if (!out) {
        http_reply_error(req, "internal", NULL);
        return;
    }
    enum script from = script_detect(text, strlen(text));
    json_t *reply = json_pack("{s:s,s:s,s:s,s:o}", "text", out, "to", to, "kind",
                              k == CONVERT_NAME ? "name" : "text", "from",
                              from == SCRIPT_HANS   ? json_string("zh-Hans")
                              : from == SCRIPT_HANT ? json_string("zh-Hant")
                                                    : json_null());
    free(out);
    http_reply_json(req, 200, reply);
}
