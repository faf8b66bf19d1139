/* test_jsonin: declared fields are checked in one pass, every problem reported by path. */
#include <jansson.h>

#include "check.h"
#include "http/jsonin.h"
#include "i18n/text.h"

static const char *const kinds[] = {"person", "company", NULL};
static const struct jf doc[] = {
    {.name = "type", .type = JF_STRING, .required = true, .min = 1, .max = 30},
    {.name = "number", .type = JF_STRING, .required = true, .min = 1, .max = 30},
};
static const struct jf party[] = {
    {.name = "kind", .type = JF_ENUM, .required = true, .choices = kinds},
    {.name = "name", .type = JF_STRING, .required = true, .min = 1, .max = 10},
    {.name = "id_document", .type = JF_OBJECT, .fields = doc, .nfields = JF_COUNT(doc)},
};
static const struct jf spec[] = {
    {.name = "title", .type = JF_STRING, .required = true, .min = 1, .max = 20},
    {.name = "summary", .type = JF_TEXT, .max = 100},
    {.name = "count", .type = JF_INT, .min = 1, .max = 10},
    {.name = "submit", .type = JF_BOOL},
    {.name = "applicants", .type = JF_ARRAY, .required = true, .min = 1, .max = 3,
     .item_type = JF_OBJECT, .fields = party, .nfields = JF_COUNT(party)},
};

static int has(json_t *errs, const char *field, const char *code)
{
    size_t i;
    json_t *e;
    json_array_foreach(errs, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0 &&
            strcmp(json_string_value(json_object_get(e, "code")), code) == 0)
            return 1;
    }
    fprintf(stderr, "missing error %s %s\n", field, code);
    return 0;
}

int main(void)
{
    json_t *ok = json_loads("{\"title\":\"Cafe\\u0301\",\"summary\":\"line1\\nline2\",\"count\":3,"
                            "\"applicants\":[{\"kind\":\"person\",\"name\":\"李明\","
                            "\"id_document\":{\"type\":\"hk_id\",\"number\":\"A1234563\"}}]}",
                            0, NULL);
    json_t *errs = json_array();
    CHECK(jsonin_check(ok, "", spec, JF_COUNT(spec), errs));
    CHECK_INT(json_array_size(errs), 0);
    /* NFC at the edge: e + combining acute became é */
    CHECK_STR(json_string_value(json_object_get(ok, "title")), "Caf\xc3\xa9");
    json_decref(ok);

    json_t *bad = json_loads(
        "{\"title\":\"\",\"summary\":7,\"count\":11,\"submit\":\"yes\",\"extra\":1,"
        "\"applicants\":[{\"kind\":\"robot\",\"name\":\"a\\u0007b\"},"
        "{\"name\":\"一二三四五六七八九十十一\",\"id_document\":{\"type\":\"x\"}}]}",
        0, NULL);
    CHECK(!jsonin_check(bad, "", spec, JF_COUNT(spec), errs));
    CHECK(has(errs, "title", "required")); /* an empty required string is missing */
    CHECK(has(errs, "summary", "type"));
    CHECK(has(errs, "count", "out_of_range"));
    CHECK(has(errs, "submit", "type"));
    CHECK(has(errs, "extra", "unknown"));
    CHECK(has(errs, "applicants[0].kind", "choice"));
    CHECK(has(errs, "applicants[0].name", "controls"));
    CHECK(has(errs, "applicants[1].kind", "required"));
    CHECK(has(errs, "applicants[1].name", "too_long"));
    CHECK(has(errs, "applicants[1].id_document.number", "required"));
    CHECK_INT(json_array_size(errs), 10);
    json_decref(bad);
    json_decref(errs);

    errs = json_array();
    json_t *none = json_loads("{\"applicants\":[]}", 0, NULL);
    CHECK(!jsonin_check(none, "", spec, JF_COUNT(spec), errs));
    CHECK(has(errs, "title", "required"));
    CHECK(has(errs, "applicants", "too_few"));
    json_decref(none);
    json_decref(errs);

    /* UTF-8 validity at the edge */
    CHECK(utf8_valid("\xe8\xaa\xbf\xe8\xa7\xa3", 6));
    CHECK(!utf8_valid("\xe8\xaa", 2));             /* truncated */
    CHECK(!utf8_valid("\xc0\xaf", 2));             /* overlong */
    CHECK(!utf8_valid("\xed\xa0\x80", 3));         /* surrogate */
    CHECK(!utf8_valid("\xf4\x90\x80\x80", 4));     /* past U+10FFFF */
    CHECK(!utf8_valid("\xff", 1));
    CHECK(utf8_valid("\xf0\x9f\x98\x80", 4));
    CHECK_INT(utf8_length("調解ab", 8), 4);
    return check_summary();
}
