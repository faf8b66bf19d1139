/* cli.h: what the modules of qiao share: the run context, the exit codes and the commands. */
#ifndef QIAO_CLI_H
#define QIAO_CLI_H
#include <stdbool.h>

#include "config.h"
#include "i18n/locale.h"

/* The exit status of every command; documented in `qiao --help` (keys cli.exit.N). */
enum qexit {
    QX_OK = 0,        /* done */
    QX_SERVER = 1,    /* the server reported an error (4xx/5xx other than below) */
    QX_USAGE = 2,     /* the command line is wrong */
    QX_AUTH = 3,      /* not signed in, session expired or invalid (401) */
    QX_FORBIDDEN = 4, /* permission refused (403) */
    QX_NETWORK = 5,   /* cannot reach the server, or no usable reply */
    QX_LOCAL = 6,     /* a local problem: configuration directory, terminal, memory */
};

#define QIAO_DEFAULT_SERVER "http://127.0.0.1:8080"

/* One run of qiao: the global options as resolved, and the stored credentials. */
struct cli {
    enum lang lang;      /* the language of every message */
    bool lang_explicit;  /* --lang was given (it then wins over the user's preference) */
    bool json;           /* --json: machine output on stdout */
    char *server;        /* the normalized base URL, no trailing '/' (malloc'd) */
    enum cfg_status cfg; /* how loading the credentials went */
    int cfg_errno;       /* why, when cfg is CFG_ERROR */
    struct creds creds;  /* the stored credentials (all NULL when none) */
};

/* A command: `qiao NAME ARGS`. run gets the arguments after the command name (global options
 * already removed) and returns an exit status. Keys name catalog messages. */
struct command {
    const char *name;
    const char *synopsis; /* the arguments, e.g. "[USERNAME]" (not translated) */
    const char *summary;  /* key of the one-line summary for --help */
    const char *help;     /* key of the longer text for `qiao help NAME` */
    int (*run)(struct cli *c, int argc, char **argv);
};

/* Refuses options (arguments starting with '-', other than "-" itself) among a command's
 * arguments: reports a usage error and returns QX_USAGE, or returns QX_OK when there are none. */
int no_options(const struct cli *c, int argc, char **argv);

/* cmd_session.c: sign-in and the session. */
int cmd_login(struct cli *c, int argc, char **argv);
int cmd_whoami(struct cli *c, int argc, char **argv);
int cmd_logout(struct cli *c, int argc, char **argv);

/* cmd_convert.c: Simplified ↔ Traditional on standard input, offline. */
int cmd_convert(struct cli *c, int argc, char **argv);
#endif
