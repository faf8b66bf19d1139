/* main.c: qiao, the command-line client of Qiao: global options, the language, the server
 * address, the command table, --help/--version/help COMMAND, and the exit status. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>

#include "cli.h"
#include "cmd_cases.h"
#include "config.h"
#include "http.h"
#include "output.h"

static int cmd_help(struct cli *c, int argc, char **argv);

/* Every command. A row for `convert` (Simplified ↔ Traditional) is to come before "help". */
static const struct command commands[] = {
    {"login", "[USERNAME]", "cli.cmd.login.summary", "cli.cmd.login.help", cmd_login},
    {"whoami", "", "cli.cmd.whoami.summary", "cli.cmd.whoami.help", cmd_whoami},
    {"logout", "", "cli.cmd.logout.summary", "cli.cmd.logout.help", cmd_logout},
    {"cases", "SUBCOMMAND", "cli.cmd.cases.summary", "cli.cmd.cases.help", cmd_cases},
    {"docs", "SUBCOMMAND", "cli.cmd.docs.summary", "cli.cmd.docs.help", cmd_docs},
    {"mediators", "SUBCOMMAND", "cli.cmd.mediators.summary", "cli.cmd.mediators.help",
     cmd_mediators},
    {"inbox", "SUBCOMMAND", "cli.cmd.inbox.summary", "cli.cmd.inbox.help", cmd_inbox},
    {"invitation", "accept CODE", "cli.cmd.invitation.summary", "cli.cmd.invitation.help",
     cmd_invitation},
    {"convert", "--to zh-Hant|zh-Hans [--name]", "cli.cmd.convert.summary",
     "cli.cmd.convert.help", cmd_convert},
    {"help", "[COMMAND]", "cli.cmd.help.summary", "cli.cmd.help.help", cmd_help},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The global options; the rest of argv (the command and its arguments) is kept in order. */
struct opts {
    const char *server, *lang;
    bool json, help, version;
    const char *bad;      /* the first unknown option before the command */
    const char *no_value; /* the first option missing its value */
    char **rest;          /* the command name and its arguments (malloc'd array) */
    int nrest;
};

/* The language of the environment: the first non-empty of LC_ALL, LC_MESSAGES, LANG, as POSIX
 * orders them ("zh_TW.UTF-8" → zh-Hant, "pt_PT" → pt, "C" or anything unknown → en). */
static enum lang env_lang(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        size_t n = strcspn(v, ".@");
        enum lang l = lang_from_tag(v, n);
        return l == LANG_NONE ? LANG_EN : l;
    }
    return LANG_EN;
}

/* A language named by the user: a canonical tag or any tag lang_from_tag knows (zh-TW, pt-BR). */
static enum lang parse_lang(const char *s)
{
    enum lang l = lang_parse_canonical(s);
    return l != LANG_NONE ? l : lang_from_tag(s, strlen(s));
}

/* Takes an option's value: "--opt=V" or "--opt V". Returns the value or NULL when missing. */
static const char *option_value(const char *arg, const char *name, int argc, char **argv, int *i)
{
    size_t n = strlen(name);
    if (arg[n] == '=')
        return arg + n + 1;
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static bool is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Sorts argv into global options (recognized anywhere before "--") and the rest. Options that
 * are not global are errors before the command name and the command's own after it. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->rest = calloc((size_t)argc + 1, sizeof *o->rest);
    if (!o->rest)
        return -1;
    bool dashdash = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (dashdash || a[0] != '-' || a[1] == '\0') {
            o->rest[o->nrest++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            dashdash = true;
        } else if (is_option(a, "--server") || is_option(a, "--lang")) {
            bool server = a[2] == 's';
            const char *v = option_value(a, server ? "--server" : "--lang", argc, argv, &i);
            if (!v && !o->no_value)
                o->no_value = a;
            if (server)
                o->server = v;
            else
                o->lang = v;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            o->version = true;
        } else if (o->nrest > 0) {
            o->rest[o->nrest++] = argv[i];
        } else if (!o->bad) {
            o->bad = a;
        }
    }
    return 0;
}

int no_options(const struct cli *c, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return fail(c, QX_USAGE, "cli.usage", "cli.error.unknown_option",
                        ARGS(A_STR("option", argv[i])));
    return QX_OK;
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* Prints "  left  text" with text aligned at column width + 4. */
static void print_item(FILE *f, const char *left, int width, const struct cli *c, const char *key,
                       const struct msg_arg *args, size_t n)
{
    char *text = tr(c, key, args, n);
    fprintf(f, "  %-*s  %s\n", width, left, text ? text : key);
    free(text);
}

/* The whole --help text on f. */
static void usage(FILE *f, const struct cli *c)
{
    say(f, c, "cli.usage.synopsis", NOARGS);
    fputc('\n', f);
    say(f, c, "cli.usage.commands", NOARGS);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", commands[i].name, *commands[i].synopsis ? " " : "",
                 commands[i].synopsis);
        print_item(f, left, 18, c, commands[i].summary, NOARGS);
    }
    fputc('\n', f);
    say(f, c, "cli.usage.options", NOARGS);
    print_item(f, "--server URL", 14, c, "cli.opt.server",
               ARGS(A_STR("default", QIAO_DEFAULT_SERVER)));
    print_item(f, "--json", 14, c, "cli.opt.json", NOARGS);
    print_item(f, "--lang LANG", 14, c, "cli.opt.lang", NOARGS);
    print_item(f, "-h, --help", 14, c, "cli.opt.help", NOARGS);
    print_item(f, "-V, --version", 14, c, "cli.opt.version", NOARGS);
    fputc('\n', f);
    say(f, c, "cli.usage.exit_status", NOARGS);
    for (int x = QX_OK; x <= QX_LOCAL; x++) {
        char key[16], num[4];
        snprintf(key, sizeof key, "cli.exit.%d", x);
        snprintf(num, sizeof num, "%d", x);
        print_item(f, num, 1, c, key, NOARGS);
    }
    fputc('\n', f);
    say(f, c, "cli.usage.more", NOARGS);
}

/* `qiao help [COMMAND]`: the general help, or one command's. */
static int cmd_help(struct cli *c, int argc, char **argv)
{
    int x = no_options(c, argc, argv);
    if (x != QX_OK)
        return x;
    if (argc == 0) {
        usage(stdout, c);
        return QX_OK;
    }
    if (argc > 1)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.too_many_args",
                    ARGS(A_STR("command", "help")));
    const struct command *cmd = find_command(argv[0]);
    if (!cmd)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.unknown_command",
                    ARGS(A_STR("command", argv[0])));
    char line[128];
    snprintf(line, sizeof line, "%s%s%s", cmd->name, *cmd->synopsis ? " " : "", cmd->synopsis);
    say(stdout, c, "cli.usage.command", ARGS(A_STR("command", line)));
    fputc('\n', stdout);
    say(stdout, c, cmd->summary, NOARGS);
    fputc('\n', stdout);
    say(stdout, c, cmd->help, ARGS(A_STR("default", QIAO_DEFAULT_SERVER)));
    return QX_OK;
}

/* Chooses the server: --server, QIAO_SERVER, the one saved at sign-in, the default. */
static int choose_server(struct cli *c, const struct opts *o)
{
    const char *s = o->server;
    if (!s || !*s)
        s = getenv("QIAO_SERVER");
    if (!s || !*s)
        s = c->creds.server;
    if (!s || !*s)
        s = QIAO_DEFAULT_SERVER;
    c->server = http_normalize_server(s);
    if (!c->server)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_server", ARGS(A_STR("server", s)));
    return QX_OK;
}

/* Runs everything after the options are known; returns the exit status. */
static int run(struct cli *c, struct opts *o)
{
    if (o->lang) {
        enum lang l = parse_lang(o->lang);
        if (l == LANG_NONE)
            return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_lang",
                        ARGS(A_STR("lang", o->lang)));
        c->lang = l;
        c->lang_explicit = true;
    }
    if (o->no_value)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.missing_value",
                    ARGS(A_STR("option", o->no_value)));
    if (o->bad)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.unknown_option",
                    ARGS(A_STR("option", o->bad)));
    if (o->version) {
        if (c->json) {
            json_t *j = json_pack("{s:s,s:s}", "name", "qiao", "version", QIAO_VERSION);
            print_json(j);
            json_decref(j);
        } else {
            printf("qiao %s\n", QIAO_VERSION);
        }
        return QX_OK;
    }
    if (o->help && o->nrest > 0 && find_command(o->rest[0]))
        return cmd_help(c, 1, o->rest);
    if (o->help) {
        usage(stdout, c);
        return QX_OK;
    }
    if (o->nrest == 0) {
        usage(stderr, c);
        return QX_USAGE;
    }
    const struct command *cmd = find_command(o->rest[0]);
    if (!cmd)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.unknown_command",
                    ARGS(A_STR("command", o->rest[0])));
    int x = choose_server(c, o);
    if (x != QX_OK)
        return x;
    return cmd->run(c, o->nrest - 1, o->rest + 1);
}

int main(int argc, char **argv)
{
    struct cli c = {.lang = env_lang()};
    struct opts o;
    if (parse_opts(argc, argv, &o) != 0 || catalog_init() != 0) {
        fputs("qiao: out of memory or damaged message catalogs\n", stderr);
        free(o.rest);
        return QX_LOCAL;
    }
    c.json = o.json;
    bool narrowed = false;
    c.cfg = config_load(&c.creds, &narrowed);
    c.cfg_errno = errno;
    enum lang pref = lang_parse_canonical(c.creds.language);
    if (pref != LANG_NONE)
        c.lang = pref;
    if (narrowed) {
        char *path = config_path();
        warn(&c, "cli.warn.config_mode", ARGS(A_STR("path", path ? path : "")));
        free(path);
    }
    int x;
    if (http_init() == 0) {
        x = run(&c, &o);
        http_cleanup();
    } else {
        x = fail(&c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
    }
    if (fflush(stdout) != 0 && x == QX_OK)
        x = QX_LOCAL;
    free(o.rest);
    free(c.server);
    creds_clear(&c.creds);
    catalog_shutdown();
    u_cleanup();
    return x;
}
