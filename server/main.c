/* main.c: qiaod's command line: serve, seed-demo, add-user, --help, --version. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "api/api.h"
#include "api/case_cache.h"
#include "demo.h"
#include "jobs.h"
#include "domain/account.h"
#include "i18n/catalog.h"
#include "i18n/convert.h"
#include "i18n/format.h"
#include "i18n/searchnorm.h"
#include "store/audit_log.h"
#include "store/committer.h"
#include "store/accounts.h"
#include "store/store.h"
#include "vault/vault.h"

#ifndef QIAO_VERSION
#define QIAO_VERSION "dev"
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "usage: qiaod COMMAND [OPTIONS]\n"
            "\n"
            "Qiao's server: cases of the Zhuhai–Macao cross-border mediation centers.\n"
            "\n"
            "commands:\n"
            "  serve      --data-dir DIR [--listen HOST:PORT] [--key-file PATH] [--threads N]\n"
            "             [--secure-cookies] [--no-access-log] [--demo-banner]\n"
            "             serve the API and the browser client (default listen 127.0.0.1:8080;\n"
            "             port 0 picks a free port). Creates DIR, the database and the keys on\n"
            "             first start and applies new migrations on every start.\n"
            "  seed-demo  --data-dir DIR   load the demo data set (once per data directory)\n"
            "  rotate-keys --data-dir DIR [--key-file PATH]  a new master key rewraps every key\n"
            "             while the server keeps serving; the old key is retired\n"
            "  backup     --data-dir DIR --out FILE   a consistent copy of the database, taken\n"
            "             while the server runs; it holds no key\n"
            "  restore    --data-dir DIR --from FILE  replace the database with a backup, after\n"
            "             checking it is sound and made under this master key (stop the server)\n"
            "  retention  --data-dir DIR --years N    erase archived cases older than N years\n"
            "  bench-seed --data-dir DIR --cases N    add N generated cases (benchmarks only)\n"
            "  audit-verify --data-dir DIR [--public-key HEX] [--key-file PATH]\n"
            "             verify the audit trail's hash chain and signed heads: exit 0 when\n"
            "             whole, 3 with the first broken entry, 4 when its end is unsigned\n"
            "  add-user   --data-dir DIR --role ROLE --username NAME [--display-name TEXT]\n"
            "             [--language zh-Hans|zh-Hant|en|pt]   create a user; the password is\n"
            "             read from standard input (e.g. the first admin of an installation)\n"
            "\n"
            "options:\n"
            "  --help     this text\n"
            "  --version  the version\n"
            "\n"
            "The master key comes from --key-file (mode 0600), else the environment variable\n"
            "QIAO_MASTER_KEY (64 hex digits), else DIR/keys/master.key (demo use only).\n");
}

struct opts {
    const char *data_dir, *listen, *key_file, *role, *username, *display_name, *language;
    const char *out, *from;
    int years;
    long cases;
    const char *public_key;
    unsigned threads;
    bool secure_cookies, no_access_log, demo_banner;
};

enum { O_DATA = 1, O_LISTEN, O_KEY, O_THREADS, O_SECURE, O_NOLOG, O_BANNER, O_ROLE, O_USER,
       O_DISPLAY, O_LANG, O_HELP, O_VERSION, O_OUT, O_FROM, O_YEARS, O_CASES, O_PK };

/* Parses the options after the command; returns 0, or 2 after printing what was wrong. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"data-dir", required_argument, NULL, O_DATA},
        {"listen", required_argument, NULL, O_LISTEN},
        {"key-file", required_argument, NULL, O_KEY},
        {"threads", required_argument, NULL, O_THREADS},
        {"secure-cookies", no_argument, NULL, O_SECURE},
        {"no-access-log", no_argument, NULL, O_NOLOG},
        {"demo-banner", no_argument, NULL, O_BANNER},
        {"role", required_argument, NULL, O_ROLE},
        {"username", required_argument, NULL, O_USER},
        {"display-name", required_argument, NULL, O_DISPLAY},
        {"language", required_argument, NULL, O_LANG},
        {"help", no_argument, NULL, O_HELP},
        {"out", required_argument, NULL, O_OUT},
        {"from", required_argument, NULL, O_FROM},
        {"years", required_argument, NULL, O_YEARS},
        {"cases", required_argument, NULL, O_CASES},
        {"public-key", required_argument, NULL, O_PK},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_DATA: o->data_dir = optarg; break;
        case O_LISTEN: o->listen = optarg; break;
        case O_KEY: o->key_file = optarg; break;
        case O_THREADS: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || *end || n < 1 || n > 256) {
                fprintf(stderr, "qiaod: --threads must be a number from 1 to 256\n");
                return 2;
            }
            o->threads = (unsigned)n;
            break;
        }
        case O_SECURE: o->secure_cookies = true; break;
        case O_NOLOG: o->no_access_log = true; break;
        case O_BANNER: o->demo_banner = true; break;
        case O_ROLE: o->role = optarg; break;
        case O_USER: o->username = optarg; break;
        case O_DISPLAY: o->display_name = optarg; break;
        case O_LANG: o->language = optarg; break;
        case O_OUT: o->out = optarg; break;
        case O_PK: o->public_key = optarg; break;
        case O_CASES: {
            char *end;
            long count = strtol(optarg, &end, 10);
            if (*end || count < 1 || count > 10000000) {
                fprintf(stderr, "qiaod: --cases must be a number from 1 to 10000000\n");
                return 2;
            }
            o->cases = count;
            break;
        }
        case O_FROM: o->from = optarg; break;
        case O_YEARS: {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 1 || y > 100) {
                fprintf(stderr, "qiaod: --years must be a number from 1 to 100\n");
                return 2;
            }
            o->years = (int)y;
            break;
        }
        case O_HELP: usage(stdout); exit(0);
        default:
            if (optopt)
                fprintf(stderr, "qiaod: option needs a value or is unknown: %s\n",
                        argv[optind - 1]);
            else
                fprintf(stderr, "qiaod: unknown option: %s\n", argv[optind - 1]);
            fprintf(stderr, "Try 'qiaod --help'.\n");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "qiaod: unexpected argument: %s\nTry 'qiaod --help'.\n", argv[optind]);
        return 2;
    }
    if (!o->data_dir) {
        fprintf(stderr, "qiaod: --data-dir DIR is required\nTry 'qiaod --help'.\n");
        return 2;
    }
    return 0;
}

/* Splits HOST:PORT ("[::1]:8080" for IPv6). */
static int parse_listen(const char *s, char *host, size_t cap, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return -1;
    size_t hl = (size_t)(colon - s);
    const char *h = s;
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']')
        h++, hl -= 2;
    if (hl == 0 || hl >= cap)
        return -1;
    memcpy(host, h, hl);
    host[hl] = 0;
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (errno || *end || colon[1] == 0 || p < 0 || p > 65535)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

static void close_data(void)
{
    convert_shutdown();
    searchnorm_shutdown();
    format_thread_cleanup();
    vault_close();
    store_close();
    catalog_shutdown();
}

/* Opens the store and the vault for a command; prints the problem and returns non-zero. */
static int open_data(const struct opts *o, bool *beside)
{
    char err[600];
    if (vault_init() != 0) {
        fprintf(stderr, "qiaod: libsodium cannot be initialized\n");
        return 1;
    }
    if (catalog_init() != 0) {
        fprintf(stderr, "qiaod: the message catalogs are broken\n");
        return 1;
    }
    if (store_open(o->data_dir, err, sizeof err) != 0) {
        fprintf(stderr, "qiaod: %s\n", err);
        return 1;
    }
    if (vault_open(o->data_dir, o->key_file, beside, err, sizeof err) != 0 ||
        store_keys_init(err, sizeof err) != 0) {
        fprintf(stderr, "qiaod: %s\n", err);
        vault_close();
        store_close();
        return 1;
    }
    if (searchnorm_init() != 0) {
        fprintf(stderr, "qiaod: the search normalization tables cannot be built\n");
        close_data();
        return 1;
    }
    if (convert_init() != 0) {
        fprintf(stderr, "qiaod: the Simplified/Traditional conversion tables cannot be loaded\n");
        close_data();
        return 1;
    }
    return 0;
}

static int cmd_serve(const struct opts *o)
{
    char host[64];
    uint16_t port = 8080;
    snprintf(host, sizeof host, "127.0.0.1");
    if (o->listen && parse_listen(o->listen, host, sizeof host, &port) != 0) {
        fprintf(stderr, "qiaod: --listen wants HOST:PORT, e.g. 127.0.0.1:8080 (got %s)\n",
                o->listen);
        return 2;
    }
    bool beside = false;
    if (open_data(o, &beside) != 0)
        return 1;
    if (beside && !o->demo_banner)
        fprintf(stderr, "{\"event\":\"warning\",\"message\":\"the master key lies in the data "
                        "directory beside the data it protects; outside demo use, give "
                        "--key-file or QIAO_MASTER_KEY (see README)\"}\n");
    api_settings.secure_cookies = o->secure_cookies;
    api_settings.version = QIAO_VERSION;

    /* Signals go to this thread only (sigwait below); the server's threads inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct http_config cfg = {
        .host = host,
        .port = port,
        .threads = o->threads,
        .routes = api_routes,
        .nroutes = api_nroutes,
        .errors = api_errors,
        .authorize = api_authorize,
        .fallback = api_static,
        .release = api_release,
        .access_log = !o->no_access_log,
    };
    char err[300];
    struct http_server *srv = http_server_start(&cfg, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "qiaod: %s\n", err);
        close_data();
        return 1;
    }
    bool v6 = strchr(host, ':') != NULL;
    char hostshown[80];
    snprintf(hostshown, sizeof hostshown, "%s%s%s", v6 ? "[" : "", host, v6 ? "]" : "");
    printf("qiaod %s listening on http://%s:%u\n", QIAO_VERSION, hostshown,
           http_server_port(srv));
    if (o->demo_banner)
        demo_print_accounts(stdout);
    fflush(stdout);
    if (committer_start() != 0) {
        fprintf(stderr, "qiaod: the group committer did not start\n");
        http_server_stop(srv, 0);
        close_data();
        return 1;
    }
    if (jobs_start(600) != 0)
        fprintf(stderr, "{\"event\":\"warning\",\"message\":\"periodic jobs did not start\"}\n");
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "{\"event\":\"shutdown\",\"signal\":%d}\n", sig);
    http_server_stop(srv, 10000);
    committer_stop();
    jobs_stop();
    case_cache_clear();
    store_audit_sign_head(); /* the last entries are covered by a signature too */
    close_data();
    return 0;
}

static int cmd_seed(const struct opts *o)
{
    bool beside;
    if (open_data(o, &beside) != 0)
        return 1;
    char err[300];
    int rc = demo_seed(err, sizeof err);
    if (rc == 0)
        store_audit_sign_head();
    if (rc != 0)
        fprintf(stderr, "qiaod: %s\n", err);
    else
        printf("qiaod: the demo data set is loaded into %s\n", o->data_dir);
    close_data();
    return rc == 0 ? 0 : 1;
}

/* Reads one line from stdin without echo when it is a terminal. */
static int read_password(char *buf, size_t cap)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fprintf(stderr, "Password: ");
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *r = fgets(buf, (int)cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    if (!r)
        return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

static int cmd_add_user(const struct opts *o)
{
    enum role role = role_parse(o->role);
    if (!o->role || !o->username) {
        fprintf(stderr, "qiaod: add-user needs --role and --username\n");
        return 2;
    }
    if (role == ROLE_NONE || role == ROLE_LAWYER || role == ROLE_MEDIATOR ||
        role == ROLE_CASE_OFFICER) {
        fprintf(stderr, "qiaod: add-user creates admin, auditor or resident accounts; lawyers, "
                        "mediators and case officers are created by an admin (API or web)\n");
        return 2;
    }
    const char *code = account_check_username(o->username);
    if (code) {
        fprintf(stderr, "qiaod: a user name is 3 to 32 of a-z 0-9 . _ - (got %s)\n", o->username);
        return 2;
    }
    const char *language = o->language ? o->language : "en";
    if (lang_parse_canonical(language) == LANG_NONE) {
        fprintf(stderr, "qiaod: --language is one of zh-Hans, zh-Hant, en, pt\n");
        return 2;
    }
    char password[PASSWORD_MAX_BYTES + 2];
    if (read_password(password, sizeof password) != 0) {
        fprintf(stderr, "qiaod: no password on standard input\n");
        return 2;
    }
    if ((code = account_check_password(password, o->username))) {
        vault_wipe(password, sizeof password);
        fprintf(stderr, "qiaod: the password is too weak (%s): at least %d characters, not a "
                        "common password\n", code, PASSWORD_MIN_CHARS);
        return 2;
    }
    bool beside;
    if (open_data(o, &beside) != 0)
        return 1;
    struct user u = {0};
    snprintf(u.username, sizeof u.username, "%s", o->username);
    snprintf(u.display_name, sizeof u.display_name, "%s",
             o->display_name ? o->display_name : o->username);
    snprintf(u.language, sizeof u.language, "%s", language);
    u.role = role;
    char hash[VAULT_PWHASH_LEN];
    int rc = vault_pw_hash(password, hash);
    vault_wipe(password, sizeof password);
    enum st st = rc == 0 ? store_user_create(&u, hash) : ST_ERROR;
    close_data();
    if (st == ST_CONFLICT) {
        fprintf(stderr, "qiaod: the user name %s is taken\n", o->username);
        return 1;
    }
    if (st != ST_OK) {
        fprintf(stderr, "qiaod: the user could not be created\n");
        return 1;
    }
    printf("qiaod: created %s (%s)\n", o->username, role_name(role));
    return 0;
}

/* Decodes 64 hex digits. */
static int parse_hex_key(const char *hex, uint8_t out[AUDIT_PK_LEN], size_t *got)
{
    *got = 0;
    if (strlen(hex) != 2 * AUDIT_PK_LEN)
        return -1;
    for (size_t i = 0; i < AUDIT_PK_LEN; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    *got = AUDIT_PK_LEN;
    return 0;
}

/* Verifies the audit chain and its signed heads against a public key the auditor trusts: the one
 * given with --public-key, else the installation's own signing key (when the master key can be
 * opened), else, with a warning, the key pinned in the database being checked. */
static int cmd_audit_verify(const struct opts *o)
{
    char err[600];
    if (vault_init() != 0 || store_open_existing(o->data_dir, err, sizeof err) != 0) {
        fprintf(stderr, "qiaod: %s\n", err);
        return 1;
    }
    uint8_t pk[AUDIT_PK_LEN];
    const char *source = "the public key given";
    if (o->public_key) {
        size_t got = 0;
        if (parse_hex_key(o->public_key, pk, &got) != 0 || got != AUDIT_PK_LEN) {
            fprintf(stderr, "qiaod: --public-key wants 64 hexadecimal digits\n");
            store_close();
            return 2;
        }
    } else {
        bool beside;
        /* only a key that exists: verifying never creates one */
        char keypath[4200];
        snprintf(keypath, sizeof keypath, "%s/keys/master.key", o->data_dir);
        const char *env = getenv("QIAO_MASTER_KEY");
        bool have_key = o->key_file || (env && *env) || access(keypath, R_OK) == 0;
        bool vault = have_key &&
                     vault_open(o->data_dir, o->key_file, &beside, err, sizeof err) == 0;
        if (vault && (store_keys_init(err, sizeof err) != 0 || audit_public_key(pk) != 0)) {
            /* the master key opens, but the signing key it wraps is not the pinned one: the
             * trail's keys were replaced */
            printf("audit trail BROKEN: %s\n", err);
            vault_close();
            store_close();
            return 3;
        }
        if (vault) {
            source = "the installation's signing key";
        } else if (store_audit_pinned_key(pk) == 0) {
            source = "the key pinned in this database (pass --public-key to check against a key "
                     "you trust)";
            fprintf(stderr, "qiaod: warning: the master key is not available; verifying against "
                            "the key stored in the database being checked\n");
        } else {
            fprintf(stderr, "qiaod: this data directory has no audit key\n");
            vault_close();
            store_close();
            return 1;
        }
    }
    struct audit_verify v;
    audit_verify_init(&v, pk);
    enum st st = store_audit_verify(&v);
    vault_close();
    store_close();
    if (st != ST_OK) {
        fprintf(stderr, "qiaod: the audit trail cannot be read\n");
        return 1;
    }
    if (v.reason) {
        printf("audit trail BROKEN at entry %lld: %s (%lld problem%s found; %lld entries read)\n",
               (long long)v.broken_seq, v.reason, (long long)v.problems,
               v.problems == 1 ? "" : "s", (long long)v.entries);
        return 3;
    }
    if (v.entries && v.signed_through < v.last_seq) {
        /* a clean stop signs the last entry: an unsigned tail was cut off or appended */
        printf("audit trail NOT COVERED: entries %lld to %lld are not under any signed head "
               "(the chain before them is intact, checked with %s)\n",
               (long long)v.signed_through + 1, (long long)v.last_seq, source);
        return 4;
    }
    printf("audit trail intact: %lld entries (seq %lld to %lld), %lld signed heads verified, "
           "signed through entry %lld, checked with %s\n",
           (long long)v.entries, (long long)v.first_seq, (long long)v.last_seq,
           (long long)v.heads_verified, (long long)v.signed_through, source);
    return 0;
}

/* A new master key rewraps every key while the server may go on serving. */
static int cmd_rotate_keys(const struct opts *o)
{
    bool beside;
    if (open_data(o, &beside) != 0)
        return 1;
    char err[600];
    int n = 0;
    if (vault_rotate_begin(err, sizeof err) != 0) {
        fprintf(stderr, "qiaod: %s\n", err);
        close_data();
        return 1;
    }
    enum st st = store_rotate_keys(&n);
    if (st != ST_OK) {
        vault_rotate_abort(); /* nothing committed: the old key stays */
        close_data();
        fprintf(stderr, "qiaod: the keys could not be rewrapped; the old master key stays\n");
        return 1;
    }
    int rc = vault_rotate_finish(err, sizeof err);
    if (rc == 0)
        store_audit_sign_head();
    close_data();
    if (rc != 0) {
        fprintf(stderr, "qiaod: %s\n", err);
        return 1;
    }
    printf("qiaod: a new master key now protects %d case key%s; the old key is retired\n", n,
           n == 1 ? "" : "s");
    return 0;
}

static int cmd_bench_seed(const struct opts *o)
{
    if (o->cases < 1) {
        fprintf(stderr, "qiaod: bench-seed needs --cases N\n");
        return 2;
    }
    bool beside;
    if (open_data(o, &beside) != 0)
        return 1;
    char err[300];
    int rc = demo_bulk(o->cases, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "qiaod: %s\n", err);
    close_data();
    return rc ? 1 : 0;
}

static int cmd_backup(const struct opts *o)
{
    if (!o->out) {
        fprintf(stderr, "qiaod: backup needs --out FILE\n");
        return 2;
    }
    bool beside;
    if (open_data(o, &beside) != 0)
        return 1;
    char err[600];
    enum st st = store_backup(o->out, err, sizeof err);
    close_data();
    if (st != ST_OK) {
        fprintf(stderr, "qiaod: %s\n", err);
        return 1;
    }
    printf("qiaod: backup written to %s (it holds no key: keep the master key apart)\n", o->out);
    return 0;
}

static int cmd_restore(const struct opts *o)
{
    if (!o->from) {
        fprintf(stderr, "qiaod: restore needs --from FILE\n");
        return 2;
    }
    bool beside;
    if (open_data(o, &beside) != 0)
        return 1;
    char err[600];
    enum st st = store_restore(o->from, err, sizeof err);
    if (st == ST_OK) { /* a backup from an older version is brought up to date */
        store_close();
        if (store_open(o->data_dir, err, sizeof err) != 0)
            st = ST_ERROR;
    }
    close_data();
    if (st != ST_OK) {
        fprintf(stderr, "qiaod: %s; nothing was replaced\n", err);
        return 1;
    }
    printf("qiaod: %s restored into %s\n", o->from, o->data_dir);
    return 0;
}

/* Erases archived cases whose retention (in years) has ended. */
static int cmd_retention(const struct opts *o)
{
    if (o->years < 1) {
        fprintf(stderr, "qiaod: retention needs --years N (1 or more)\n");
        return 2;
    }
    bool beside;
    if (open_data(o, &beside) != 0)
        return 1;
    int64_t ids[1000];
    int n = 0, erased = 0;
    int64_t before = store_now() - (int64_t)o->years * 365 * 86400;
    struct actor system = {0, "system", ""};
    if (store_cases_archived_before(before, ids, 1000, &n) == ST_OK)
        for (int i = 0; i < n; i++)
            erased += store_case_erase(ids[i], &system, "retention") == ST_OK;
    store_audit_sign_head();
    close_data();
    printf("qiaod: %d archived case%s past retention erased\n", erased, erased == 1 ? "" : "s");
    return erased == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("qiaod %s\n", QIAO_VERSION);
        return 0;
    }
    struct opts o = {0};
    int (*run)(const struct opts *) = NULL;
    if (strcmp(cmd, "serve") == 0)
        run = cmd_serve;
    else if (strcmp(cmd, "seed-demo") == 0)
        run = cmd_seed;
    else if (strcmp(cmd, "add-user") == 0)
        run = cmd_add_user;
    else if (strcmp(cmd, "audit-verify") == 0)
        run = cmd_audit_verify;
    else if (strcmp(cmd, "rotate-keys") == 0)
        run = cmd_rotate_keys;
    else if (strcmp(cmd, "bench-seed") == 0)
        run = cmd_bench_seed;
    else if (strcmp(cmd, "backup") == 0)
        run = cmd_backup;
    else if (strcmp(cmd, "restore") == 0)
        run = cmd_restore;
    else if (strcmp(cmd, "retention") == 0)
        run = cmd_retention;
    if (!run) {
        fprintf(stderr, "qiaod: unknown command: %s\nTry 'qiaod --help'.\n", cmd);
        return 2;
    }
    int rc = parse_opts(argc - 1, argv + 1, &o);
    if (rc)
        return rc;
    return run(&o);
}
