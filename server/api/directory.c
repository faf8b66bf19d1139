/* directory.c: the installation's centers and law firms. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LIST 256

static json_t *center_json(const struct center *c, enum lang l)
{
    json_t *names = json_object();
    for (int i = 0; i < LANG_COUNT; i++)
        json_object_set_new(names, lang_tag((enum lang)i), json_string(c->name[i]));
    json_t *types = json_array();
    if (c->family)
        json_array_append_new(types, json_string("family"));
    if (c->commercial)
        json_array_append_new(types, json_string("commercial"));
    return json_pack("{s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:b}", "code", c->code, "name",
                     c->name[l], "names", names, "jurisdiction", c->jurisdiction, "place",
                     c->place, "time_zone", c->time_zone, "default_language",
                     c->default_language, "calendar", c->calendar, "case_types", types,
                     "cross_border", c->cross_border);
}

void api_centers_list(struct http_req *req)
{
    struct center *list = calloc(MAX_LIST, sizeof *list);
    size_t n = 0;
    enum st st = list ? store_centers_list(list, MAX_LIST, &n) : ST_ERROR;
    if (st != ST_OK) {
        free(list);
        api_store_failed(req, st);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, center_json(&list[i], http_lang(req)));
    free(list);
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

void api_firms_list(struct http_req *req)
{
    struct firm *list = calloc(MAX_LIST, sizeof *list);
    size_t n = 0;
    enum st st = list ? store_firms_list(list, MAX_LIST, &n) : ST_ERROR;
    if (st != ST_OK) {
        free(list);
        api_store_failed(req, st);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *offices = json_array();
        char buf[sizeof list[i].offices];
        memcpy(buf, list[i].offices, sizeof buf);
        for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
            json_array_append_new(offices, json_string(p));
        json_array_append_new(items, json_pack("{s:s,s:s,s:b,s:b,s:o}", "code", list[i].code,
                                               "name", list[i].name, "joint", list[i].joint,
                                               "share_matters", list[i].share_matters,
                                               "offices", offices));
    }
    free(list);
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}
