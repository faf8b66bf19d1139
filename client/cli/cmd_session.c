/* cmd_session.c: `qiao login`, `qiao whoami`, `qiao logout`: the session token is kept in the
 * credentials file, bound to the server that issued it, and sent to no other. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_cases.h"
#include "config.h"
#include "http.h"
#include "output.h"
#include "prompt.h"

#define USERNAME_CAP 256 /* the server takes at most 64 bytes; longer is refused here */
#define PASSWORD_CAP 1024

/* t (Unix seconds) as local "YYYY-MM-DD HH:MM ZONE" into buf. */
static const char *format_time(long long t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !localtime_r(&tt, &tm) || strftime(buf, cap, "%Y-%m-%d %H:%M %Z", &tm) == 0)
        snprintf(buf, cap, "?");
    return buf;
}

/* The name of a language in itself. */
static const char *autonym(const char *tag)
{
    switch (lang_parse_canonical(tag)) {
    case LANG_EN:
        return "English";
    case LANG_ZH_HANS:
        return "简体中文";
    case LANG_ZH_HANT:
        return "繁體中文";
    case LANG_PT:
        return "Português";
    default:
        return tag;
    }
}

/* Reports a credentials file that cannot be written (errno says why); returns QX_LOCAL. */
static int fail_save(const struct cli *c)
{
    int e = errno;
    char *path = config_path();
    int x;
    if (!path)
        x = fail(c, QX_LOCAL, "cli.config", "cli.error.no_home", NOARGS);
    else
        x = fail(c, QX_LOCAL, "cli.config", "cli.error.config_write",
                 ARGS(A_STR("path", path), A_STR("reason", strerror(e))));
    free(path);
    return x;
}

/* After a not-signed-in error in text mode: how to sign in. Returns QX_AUTH. */
static int hint_login(const struct cli *c)
{
    if (!c->json)
        say(stderr, c, "cli.hint.login", NOARGS);
    return QX_AUTH;
}

/* Checks that a usable session for c->server is stored; reports why not otherwise and returns
 * the exit status (QX_OK when there is one). */
int check_session(const struct cli *c)
{
    char *path = NULL;
    int x = QX_OK;
    if (c->cfg == CFG_ERROR) {
        path = config_path();
        x = fail(c, QX_LOCAL, "cli.config", "cli.error.config_read",
                 ARGS(A_STR("path", path ? path : ""), A_STR("reason", strerror(c->cfg_errno))));
    } else if (c->cfg == CFG_DAMAGED) {
        path = config_path();
        fail(c, QX_AUTH, "cli.not_signed_in", "cli.error.config_damaged",
             ARGS(A_STR("path", path ? path : "")));
        x = hint_login(c);
    } else if (!creds_has_session(&c->creds, c->server)) {
        fail(c, QX_AUTH, "cli.not_signed_in", "cli.error.not_signed_in",
             ARGS(A_STR("server", c->server)));
        x = hint_login(c);
    } else if (c->creds.expires_at > 0 && c->creds.expires_at <= (long long)time(NULL)) {
        fail(c, QX_AUTH, "cli.session_expired", "cli.error.expired",
             ARGS(A_STR("server", c->server)));
        x = hint_login(c);
    }
    free(path);
    return x;
}

/* Asks for the user name (when not given) and the password. On a terminal both are prompted
 * for on stderr, the password without echo; otherwise they are the first lines of stdin (the
 * password alone when the user name is an argument). Returns QX_OK or the reported failure. */
static int ask_credentials(const struct cli *c, char *user, char *pw)
{
    bool tty = stdin_is_tty();
    enum input in;
    if (!user[0]) {
        if (tty) {
            char *p = tr(c, "cli.prompt.username", NOARGS);
            fputs(p ? p : "", stderr);
            fflush(stderr);
            free(p);
        }
        in = read_line(user, USERNAME_CAP, false);
        if (in == IN_TOO_LONG)
            return fail(c, QX_USAGE, "cli.usage", "cli.error.input_too_long", NOARGS);
        if (in == IN_ERROR)
            return fail(c, QX_LOCAL, "cli.terminal", "cli.error.terminal", NOARGS);
        if (in == IN_EOF || !user[0])
            return fail(c, QX_USAGE, "cli.usage", "cli.error.no_username", NOARGS);
    }
    if (tty) {
        char *p = tr(c, "cli.prompt.password", ARGS(A_STR("username", user)));
        fputs(p ? p : "", stderr);
        fflush(stderr);
        free(p);
    }
    in = read_line(pw, PASSWORD_CAP, true);
    if (in == IN_TOO_LONG)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.input_too_long", NOARGS);
    if (in == IN_ERROR)
        return fail(c, QX_LOCAL, "cli.terminal", "cli.error.terminal", NOARGS);
    if (in == IN_EOF || !pw[0])
        return fail(c, QX_USAGE, "cli.usage", "cli.error.no_password", NOARGS);
    return QX_OK;
}

/* The login request body as JSON text (malloc'd; the caller wipes and frees it). The strings
 * go in unchecked so that text that is not UTF-8 is refused by the server, in its words. */
static char *login_body(const char *user, const char *pw)
{
    json_t *b = json_object();
    if (!b)
        return NULL;
    json_object_set_new(b, "username", json_stringn_nocheck(user, strlen(user)));
    json_object_set_new(b, "password", json_stringn_nocheck(pw, strlen(pw)));
    char *text = json_dumps(b, JSON_COMPACT);
    json_wipe_member(b, "password");
    json_decref(b);
    return text;
}

/* Ends the session of token on server (the one that issued it), ignoring the outcome. */
static void forget_on_server(const struct cli *c, const char *server, const char *token)
{
    struct request rq = {server, "POST", "/api/v1/auth/logout", NULL, token, c->lang};
    struct reply r;
    char detail[256];
    http_call(&rq, &r, detail, sizeof detail);
    reply_free(&r);
}

/* Stores the session of a successful login reply j; QX_OK or the reported failure. */
static int keep_session(struct cli *c, json_t *j)
{
    json_t *user = json_object_get(j, "user");
    const char *token = json_string_value(json_object_get(j, "token"));
    const char *username = json_string_value(json_object_get(user, "username"));
    json_t *exp = json_object_get(j, "expires_at");
    if (!token || !creds_token_ok(token) || !username || !json_is_integer(exp)) {
        return fail(c, QX_NETWORK, "cli.bad_reply", "cli.error.bad_reply",
                    ARGS(A_STR("server", c->server), A_STR("status", "200")));
    }
    struct creds n = {0};
    const char *language = json_string_value(json_object_get(user, "language"));
    if (creds_set(&n.server, c->server) || creds_set(&n.username, username) ||
        creds_set(&n.token, token) ||
        creds_set(&n.language, language ? language : c->creds.language)) {
        creds_clear(&n);
        forget_on_server(c, c->server, token);
        return fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
    }
    n.expires_at = json_integer_value(exp);
    if (config_save(&n) != 0) {
        int x = fail_save(c);
        creds_clear(&n);
        forget_on_server(c, c->server, token);
        return x;
    }
    if (creds_has_session(&c->creds, c->server)) /* the session this one replaces */
        forget_on_server(c, c->server, c->creds.token);
    creds_clear(&c->creds);
    c->creds = n;
    enum lang l = lang_parse_canonical(language);
    if (!c->lang_explicit && l != LANG_NONE)
        c->lang = l; /* from now on, speak as the user prefers */
    return QX_OK;
}

int cmd_login(struct cli *c, int argc, char **argv)
{
    int x = no_options(c, argc, argv);
    if (x != QX_OK)
        return x;
    if (argc > 1)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.too_many_args",
                    ARGS(A_STR("command", "login")));
    char user[USERNAME_CAP] = "", pw[PASSWORD_CAP] = "";
    if (argc == 1 && strlen(argv[0]) >= USERNAME_CAP)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.input_too_long", NOARGS);
    if (argc == 1)
        snprintf(user, sizeof user, "%s", argv[0]);
    x = ask_credentials(c, user, pw);
    char *body = x == QX_OK ? login_body(user, pw) : NULL;
    explicit_bzero(pw, sizeof pw);
    if (x != QX_OK)
        return x;
    if (!body)
        return fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);

    struct request rq = {c->server, "POST", "/api/v1/auth/login", body, NULL, c->lang};
    struct reply r;
    char detail[256];
    enum net n = http_call(&rq, &r, detail, sizeof detail);
    explicit_bzero(body, strlen(body));
    free(body);
    if (n != NET_OK)
        x = fail_net(c, n, detail);
    else if (r.status != 200)
        x = fail_reply(c, &r, false);
    else
        x = keep_session(c, r.json);
    if (x == QX_OK && c->json) {
        json_t *out = json_pack("{s:s,s:O,s:O}", "server", c->server, "expires_at",
                                json_object_get(r.json, "expires_at"), "user",
                                json_object_get(r.json, "user"));
        print_json(out);
        json_decref(out);
    } else if (x == QX_OK) {
        json_t *u = json_object_get(r.json, "user");
        const char *name = json_string_value(json_object_get(u, "display_name"));
        char when[64];
        say(stdout, c, "cli.login.done",
            ARGS(A_STR("name", name ? name : c->creds.username),
                 A_STR("username", c->creds.username), A_STR("server", c->server)));
        say(stdout, c, "cli.login.until",
            ARGS(A_STR("time", format_time(c->creds.expires_at, when, sizeof when))));
    }
    json_wipe_member(r.json, "token");
    json_wipe_member(r.json, "csrf_token");
    reply_free(&r);
    return x;
}

/* The role's name in the user's language (malloc'd); unknown roles as they are. */
static char *role_name(const struct cli *c, const char *role)
{
    char key[64];
    snprintf(key, sizeof key, "cli.role.%s", role);
    if (!catalog_pattern(c->lang, key))
        return strdup(role);
    return tr(c, key, NOARGS);
}

/* The strings of a JSON array joined with ", " (malloc'd); NULL when empty or not an array. */
static char *join_strings(json_t *a)
{
    size_t i, len = 0;
    json_t *v;
    json_array_foreach(a, i, v) len += json_string_length(v) + 2;
    if (len == 0)
        return NULL;
    char *s = calloc(1, len + 1);
    if (!s)
        return NULL;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v))
            continue;
        if (*s)
            strcat(s, ", ");
        strcat(s, json_string_value(v));
    }
    return s;
}

/* Prints the user of a GET /me reply as aligned fields. */
static void print_user(const struct cli *c, json_t *u)
{
    const char *role = json_string_value(json_object_get(u, "role"));
    const char *lang = json_string_value(json_object_get(u, "language"));
    char *role_text = role ? role_name(c, role) : NULL;
    char *centers = join_strings(json_object_get(u, "centers"));
    char language[64] = "", until[64];
    if (lang)
        snprintf(language, sizeof language, "%s (%s)", autonym(lang), lang);
    struct row rows[] = {
        {"cli.field.username", json_string_value(json_object_get(u, "username"))},
        {"cli.field.name", json_string_value(json_object_get(u, "display_name"))},
        {"cli.field.role", role_text},
        {"cli.field.centers", centers},
        {"cli.field.firm", json_string_value(json_object_get(u, "firm"))},
        {"cli.field.language", lang ? language : NULL},
        {"cli.field.server", c->server},
        {"cli.field.session_ends",
         c->creds.expires_at > 0 ? format_time(c->creds.expires_at, until, sizeof until) : NULL},
    };
    print_rows(c, rows, sizeof rows / sizeof rows[0]);
    free(role_text);
    free(centers);
}

int cmd_whoami(struct cli *c, int argc, char **argv)
{
    int x = no_options(c, argc, argv);
    if (x != QX_OK)
        return x;
    if (argc > 0)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.too_many_args",
                    ARGS(A_STR("command", "whoami")));
    if ((x = check_session(c)) != QX_OK)
        return x;
    struct request rq = {c->server, "GET", "/api/v1/me", NULL, c->creds.token, c->lang};
    struct reply r;
    char detail[256];
    enum net n = http_call(&rq, &r, detail, sizeof detail);
    json_wipe_member(r.json, "csrf_token");
    json_object_del(r.json, "csrf_token"); /* a secret tied to the token: never shown */
    if (n != NET_OK)
        x = fail_net(c, n, detail);
    else if (r.status != 200)
        x = fail_reply(c, &r, true);
    else if (!json_is_object(r.json))
        x = fail(c, QX_NETWORK, "cli.bad_reply", "cli.error.bad_reply",
                 ARGS(A_STR("server", c->server), A_STR("status", "200")));
    else if (c->json)
        print_json(r.json);
    else
        print_user(c, r.json);
    reply_free(&r);
    return x;
}

/* Prints the --json result of logout. */
static void print_logout_json(bool was_signed_in, bool server_ended)
{
    json_t *j = json_pack("{s:b,s:b,s:b}", "signed_out", 1, "was_signed_in", was_signed_in,
                          "server_session_ended", server_ended);
    print_json(j);
    json_decref(j);
}

int cmd_logout(struct cli *c, int argc, char **argv)
{
    int x = no_options(c, argc, argv);
    if (x != QX_OK)
        return x;
    if (argc > 0)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.too_many_args",
                    ARGS(A_STR("command", "logout")));
    if (c->cfg == CFG_ERROR || c->cfg == CFG_DAMAGED)
        return check_session(c);
    if (!creds_has_session(&c->creds, c->server)) {
        if (c->json)
            print_logout_json(false, false);
        else
            say(stdout, c, "cli.logout.not_signed_in", ARGS(A_STR("server", c->server)));
        return QX_OK;
    }
    struct request rq = {c->server, "POST", "/api/v1/auth/logout", NULL, c->creds.token, c->lang};
    struct reply r;
    char detail[256];
    enum net n = http_call(&rq, &r, detail, sizeof detail);

    /* whatever the server said, the token leaves this computer */
    long long expires = c->creds.expires_at;
    creds_set(&c->creds.token, NULL);
    creds_set(&c->creds.username, NULL);
    c->creds.expires_at = 0;
    if (config_save(&c->creds) != 0) {
        x = fail_save(c);
    } else if (n != NET_OK) {
        char when[64];
        format_time(expires, when, sizeof when);
        if (c->json) { /* one JSON error object: what was done locally */
            x = fail(c, QX_NETWORK, "cli.network", "cli.logout.unreachable",
                     ARGS(A_STR("time", when)));
        } else {
            x = fail_net(c, n, detail);
            say(stderr, c, "cli.logout.unreachable", ARGS(A_STR("time", when)));
        }
    } else if (r.status == 204 || r.status == 200 || r.status == 401) {
        if (c->json)
            print_logout_json(true, true);
        else
            say(stdout, c, r.status == 401 ? "cli.logout.already_ended" : "cli.logout.done",
                NOARGS);
    } else {
        x = fail_reply(c, &r, false);
        if (!c->json)
            say(stderr, c, "cli.logout.removed_locally", NOARGS);
    }
    reply_free(&r);
    return x;
}
