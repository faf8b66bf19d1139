/* auth.c: sign-in (with throttling), sign-out, and residents' self-registration. */
#include "api/api.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/account.h"
#include "store/audit_log.h"
#include "vault/vault.h"

static const struct jf login_spec[] = {
    {.name = "username", .type = JF_STRING, .required = true, .min = 1, .max = 64},
    {.name = "password", .type = JF_STRING, .required = true, .min = 1, .max = PASSWORD_MAX_BYTES},
};

/* Refuses the attempt with 429 and Retry-After; counts it against both keys. */
static void refuse_throttled(struct http_req *req, enum throttle_verdict v, int64_t retry_ms)
{
    char secs[24]; /* Retry-After is in whole seconds, rounded up */
    snprintf(secs, sizeof secs, "%lld", (long long)((retry_ms + 999) / 1000));
    http_add_header(req, "Retry-After", secs);
    const char *names[] = {"seconds"}, *values[] = {secs};
    http_reply_error_args(req, v == THROTTLE_LOCKED ? "auth.locked" : "auth.throttled", NULL,
                          names, values, 1);
}

static void set_session_cookie(struct http_req *req, const char *token, int max_age)
{
    char cookie[160];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
             SESSION_COOKIE, token, max_age, api_settings.secure_cookies ? "; Secure" : "");
    http_add_header(req, "Set-Cookie", cookie);
}


void api_login(struct http_req *req)
{
    json_t *body = api_body(req, login_spec, JF_COUNT(login_spec));
    if (!body)
        return;
    char username[65];
    snprintf(username, sizeof username, "%s",
             json_string_value(json_object_get(body, "username")));
    for (char *p = username; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    const char *password = json_string_value(json_object_get(body, "password"));

    uint8_t ukey[16], akey[16];
    vault_throttle_key("user", username, ukey);
    vault_throttle_key("addr", http_client_addr(req), akey);
    int64_t now = store_now_ms(), wait_u = 0, wait_a = 0;
    enum throttle_verdict vu, va;
    /* each attempt is counted before the password is looked at (taken back on success), so a
     * burst of concurrent guesses meets the limit as a sequence of them would */
    enum st s1 = store_throttle_attempt(ukey, THROTTLE_ACCOUNT, now, &vu, &wait_u);
    enum st s2 = s1 == ST_OK ? store_throttle_attempt(akey, THROTTLE_ADDRESS, now, &va, &wait_a)
                             : s1;
    if (s1 != ST_OK || s2 != ST_OK) {
        api_store_failed(req, s1 != ST_OK ? s1 : s2);
        return;
    }
    if (vu != THROTTLE_ALLOW || va != THROTTLE_ALLOW) {
        bool locked = vu == THROTTLE_LOCKED || va == THROTTLE_LOCKED;
        struct actor anon = {0, "anonymous", http_client_addr(req)};
        store_audit(&anon, "sign_in", "user", 0, "refused", locked ? "locked" : "throttled");
        refuse_throttled(req, locked ? THROTTLE_LOCKED : THROTTLE_SLOWED,
                         wait_u > wait_a ? wait_u : wait_a);
        return;
    }

    struct user u;
    char hash[VAULT_PWHASH_LEN];
    enum st st = store_user_by_username(username, &u, hash, sizeof hash);
    if (st != ST_OK && st != ST_NONE) {
        api_store_failed(req, st);
        return;
    }
    bool ok = vault_pw_verify(st == ST_OK ? hash : NULL, password) && u.active;
    vault_wipe(hash, sizeof hash);
    struct actor who = {st == ST_OK ? u.id : 0, st == ST_OK ? role_name(u.role) : "anonymous",
                        http_client_addr(req)};
    store_audit(&who, "sign_in", "user", st == ST_OK ? u.id : 0, ok ? "ok" : "failed",
                ok ? "" : "invalid_credentials");
    if (!ok) { /* already counted */
        http_reply_error(req, "auth.invalid_credentials", NULL);
        return;
    }
    store_throttle_clear(ukey);
    store_throttle_forgive(akey);

    char token[VAULT_TOKEN_LEN + 1], csrf[VAULT_TOKEN_LEN + 1];
    uint8_t thash[VAULT_TOKEN_HASH_LEN];
    vault_token_new(token, thash);
    int64_t expires = store_now() + SESSION_TTL_SECONDS;
    st = store_session_create(thash, u.id, expires);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    vault_csrf_for(token, csrf);
    set_session_cookie(req, token, SESSION_TTL_SECONDS);
    enum lang l = lang_parse_canonical(u.language);
    if (l != LANG_NONE)
        http_set_lang(req, l);
    json_t *out = json_object();
    json_object_set_new(out, "token", json_string(token));
    json_object_set_new(out, "csrf_token", json_string(csrf));
    json_object_set_new(out, "expires_at", json_integer(expires));
    json_object_set_new(out, "user", api_user_json(&u));
    memset(token, 0, sizeof token);
    http_reply_json(req, 200, out);
}

void api_logout(struct http_req *req)
{
    /* Signing out always succeeds: whatever session the request names (even an expired one) is
     * deleted, and the cookie is cleared. */
    const char *h = http_header(req, "Authorization");
    const char *token = h && strncasecmp(h, "Bearer ", 7) == 0 ? h + 7 : http_cookie(req, SESSION_COOKIE);
    while (token && *token == ' ')
        token++;
    uint8_t hash[VAULT_TOKEN_HASH_LEN];
    if (token && vault_token_hash(token, hash)) {
        enum st st = store_session_delete(hash);
        if (st != ST_OK) {
            api_store_failed(req, st);
            return;
        }
    }
    set_session_cookie(req, "", 0);
    http_reply_json(req, 204, NULL);
}

static const char *const languages[] = {"zh-Hans", "zh-Hant", "en", "pt", NULL};

static const struct jf register_spec[] = {
    {.name = "username", .type = JF_STRING, .required = true, .min = 3, .max = 32},
    {.name = "password", .type = JF_STRING, .required = true, .min = 1, .max = PASSWORD_MAX_BYTES},
    {.name = "display_name", .type = JF_STRING, .required = true, .min = 1, .max = 100},
    {.name = "email", .type = JF_STRING, .min = 3, .max = 254},
    {.name = "phone", .type = JF_STRING, .min = 5, .max = 24},
    {.name = "language", .type = JF_ENUM, .required = true, .choices = languages},
};

/* Checks the account fields every new user has; appends field errors; fills u. */
bool api_check_account_fields(json_t *body, struct user *u, const char **password, json_t *errors)
{
    /* fields that failed their shape check are skipped: their error is already reported */
#define FIELD(name) (api_has_error(errors, name) ? NULL : json_string_value(json_object_get(body, name)))
    const char *username = FIELD("username");
    const char *email = FIELD("email");
    const char *phone = FIELD("phone");
    const char *code;
    *password = FIELD("password");
    if (username && (code = account_check_username(username)))
        jsonin_error(errors, "username", code, NULL);
    if (*password && (code = account_check_password(*password, username)))
        jsonin_error(errors, "password", code,
                     json_pack("{s:i}", "min", PASSWORD_MIN_CHARS));
    if (email && (code = account_check_email(email)))
        jsonin_error(errors, "email", code, NULL);
    char norm[17] = "";
    if (phone && (code = account_check_phone(phone, norm)))
        jsonin_error(errors, "phone", code, NULL);
    memset(u, 0, sizeof *u);
    const char *display = FIELD("display_name"), *language = FIELD("language");
#undef FIELD
    snprintf(u->username, sizeof u->username, "%s", username ? username : "");
    snprintf(u->display_name, sizeof u->display_name, "%s", display ? display : "");
    snprintf(u->language, sizeof u->language, "%s", language ? language : "");
    if (email)
        snprintf(u->email, sizeof u->email, "%s", email);
    if (phone)
        snprintf(u->phone, sizeof u->phone, "%s", norm);
    u->active = true;
    return json_array_size(errors) == 0;
}

/* Creates u with password; replies 201 with the user, or the error. */
void api_create_user(struct http_req *req, struct user *u, const char *password)
{
    char hash[VAULT_PWHASH_LEN];
    if (vault_pw_hash(password, hash) != 0) {
        http_reply_error(req, "internal", NULL);
        return;
    }
    enum st st = store_user_create(u, hash);
    if (st == ST_CONFLICT) {
        json_t *fields = json_array();
        jsonin_error(fields, "username", "taken", NULL);
        http_reply_error(req, "user.username_taken", fields);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    struct user created;
    if (store_user_get(u->id, &created) != ST_OK)
        created = *u;
    http_reply_json(req, 201, api_user_json(&created));
}

void api_register(struct http_req *req)
{
    json_t *errors = json_array();
    json_t *body = api_body_errors(req, register_spec, JF_COUNT(register_spec), errors);
    if (!body) {
        json_decref(errors);
        return;
    }
    struct user u;
    const char *password;
    bool ok = api_check_account_fields(body, &u, &password, errors);
    if (!json_string_length(json_object_get(body, "email")) &&
        !json_string_length(json_object_get(body, "phone")) && !api_has_error(errors, "email") &&
        !api_has_error(errors, "phone")) {
        jsonin_error(errors, "email", "email_or_phone", NULL);
        ok = false;
    }
    if (!ok) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    u.role = ROLE_RESIDENT;
    api_create_user(req, &u, password);
}
