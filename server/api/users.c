/* users.c: the user directory and staff accounts (admins create them). */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/collate.h"

static const char *const languages[] = {"zh-Hans", "zh-Hant", "en", "pt", NULL};
static const char *const roles[] = {"resident", "lawyer", "mediator", "case_officer",
                                    "auditor",  "admin",  NULL};

static const struct jf create_spec[] = {
    {.name = "username", .type = JF_STRING, .required = true, .min = 3, .max = 32},
    {.name = "password", .type = JF_STRING, .required = true, .min = 1, .max = 256},
    {.name = "role", .type = JF_ENUM, .required = true, .choices = roles},
    {.name = "display_name", .type = JF_STRING, .required = true, .min = 1, .max = 100},
    {.name = "language", .type = JF_ENUM, .required = true, .choices = languages},
    {.name = "email", .type = JF_STRING, .min = 3, .max = 254},
    {.name = "phone", .type = JF_STRING, .min = 5, .max = 24},
    {.name = "centers", .type = JF_ARRAY, .max = POLICY_MAX_CENTERS, .item_type = JF_STRING},
    {.name = "firm", .type = JF_STRING, .min = 2, .max = 16},
};

/* Checks the role's affiliations (a lawyer's firm, a mediator's centers, an officer's one center,
 * none for the others) and resolves them into u. */
static bool check_affiliations(json_t *body, struct user *u, json_t *errors)
{
    json_t *centers = json_object_get(body, "centers");
    const char *firm = json_string_value(json_object_get(body, "firm"));
    size_t nc = json_array_size(centers);
    bool ok = true;
    bool wants_centers = u->role == ROLE_MEDIATOR || u->role == ROLE_CASE_OFFICER;
    if (wants_centers && nc == 0) {
        jsonin_error(errors, "centers", "required_for_role", NULL);
        ok = false;
    } else if (u->role == ROLE_CASE_OFFICER && nc > 1) {
        jsonin_error(errors, "centers", "one_center", NULL);
        ok = false;
    } else if (!wants_centers && nc > 0) {
        jsonin_error(errors, "centers", "not_for_role", NULL);
        ok = false;
    }
    for (size_t i = 0; ok && i < nc; i++) {
        struct center c;
        const char *code = json_string_value(json_array_get(centers, i));
        enum st st = store_center_by_code(code, &c);
        bool dup = false;
        for (int k = 0; st == ST_OK && k < u->ncenters; k++)
            dup |= u->center_ids[k] == c.id;
        if (dup) {
            char path[32];
            snprintf(path, sizeof path, "centers[%zu]", i);
            jsonin_error(errors, path, "duplicate", NULL);
            ok = false;
        } else if (st == ST_OK) {
            u->center_ids[u->ncenters++] = c.id;
        } else {
            char path[32];
            snprintf(path, sizeof path, "centers[%zu]", i);
            jsonin_error(errors, path, "unknown_center", NULL);
            ok = false;
        }
    }
    if (u->role == ROLE_LAWYER && !firm) {
        jsonin_error(errors, "firm", "required_for_role", NULL);
        ok = false;
    } else if (u->role != ROLE_LAWYER && firm) {
        jsonin_error(errors, "firm", "not_for_role", NULL);
        ok = false;
    } else if (firm) {
        struct firm f;
        if (store_firm_by_code(firm, &f) == ST_OK) {
            u->firm_id = f.id;
        } else {
            jsonin_error(errors, "firm", "unknown_firm", NULL);
            ok = false;
        }
    }
    return ok;
}

void api_users_create(struct http_req *req)
{
    json_t *errors = json_array();
    json_t *body = api_body_errors(req, create_spec, JF_COUNT(create_spec), errors);
    if (!body) {
        json_decref(errors);
        return;
    }
    struct user u;
    const char *password;
    bool ok = api_check_account_fields(body, &u, &password, errors);
    u.role = role_parse(json_string_value(json_object_get(body, "role")));
    if (u.role != ROLE_NONE && !api_has_error(errors, "centers") && !api_has_error(errors, "firm"))
        ok &= check_affiliations(body, &u, errors);
    ok &= json_array_size(errors) == 0;
    if (!ok) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    api_create_user(req, &u, password);
}

static const char *user_name(const void *u)
{
    return ((const struct user *)u)->display_name;
}

void api_users_list(struct http_req *req)
{
    int limit;
    int64_t cursor;
    if (!api_page(req, 20, 100, &limit, &cursor))
        return;
    const char *rq = http_query(req, "role");
    enum role role = rq ? role_parse(rq) : ROLE_NONE;
    if (rq && role == ROLE_NONE) {
        json_t *errors = json_array();
        jsonin_error(errors, "role", "choice",
                     json_pack("{s:s}", "choices",
                               "resident, lawyer, mediator, case_officer, auditor, admin"));
        http_reply_error(req, "request.invalid_query", errors);
        return;
    }
    const char *sort = http_query(req, "sort");
    if (sort && strcmp(sort, "name") != 0 && strcmp(sort, "id") != 0) {
        json_t *errors = json_array();
        jsonin_error(errors, "sort", "choice", json_pack("{s:s}", "choices", "id, name"));
        http_reply_error(req, "request.invalid_query", errors);
        return;
    }
    bool by_name = sort && strcmp(sort, "name") == 0;
    if (by_name) { /* a directory in the reader's order (pinyin, strokes …): one bounded page */
        limit = 500;
        cursor = 0;
    }
    struct user *page = calloc((size_t)limit, sizeof *page);
    size_t n = 0;
    enum st st = page ? store_users_list(cursor, role, page, (size_t)limit, &n) : ST_ERROR;
    if (st != ST_OK) {
        free(page);
        api_store_failed(req, st);
        return;
    }
    if (by_name)
        collate_sort_by(http_lang(req), page, n, sizeof *page, user_name);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, api_user_json(&page[i]));
    json_t *out = json_object();
    json_object_set_new(out, "items", items);
    if (n == (size_t)limit && !by_name) {
        char next[24];
        snprintf(next, sizeof next, "%lld", (long long)page[n - 1].id);
        json_object_set_new(out, "next_cursor", json_string(next));
    } else {
        json_object_set_new(out, "next_cursor", json_null());
    }
    free(page);
    http_reply_json(req, 200, out);
}
