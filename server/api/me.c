/* me.c: the signed-in user's own account. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "vault/vault.h"

void api_me_get(struct http_req *req)
{
    const struct api_ctx *c = http_app(req);
    json_t *out = api_user_json(&c->user);
    char csrf[VAULT_TOKEN_LEN + 1];
    vault_csrf_for(c->token, csrf);
    json_object_set_new(out, "csrf_token", json_string(csrf));
    http_reply_json(req, 200, out);
}

static const char *const languages[] = {"zh-Hans", "zh-Hant", "en", "pt", NULL};

static const struct jf me_patch_spec[] = {
    {.name = "language", .type = JF_ENUM, .required = true, .choices = languages},
};

void api_me_patch(struct http_req *req)
{
    json_t *body = api_body(req, me_patch_spec, JF_COUNT(me_patch_spec));
    if (!body)
        return;
    const struct user *u = api_user(req);
    const char *language = json_string_value(json_object_get(body, "language"));
    enum st st = store_user_set_language(u->id, language);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    struct user fresh;
    if ((st = store_user_get(u->id, &fresh)) != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    http_set_lang(req, lang_parse_canonical(fresh.language));
    http_reply_json(req, 200, api_user_json(&fresh));
}
