/* output.h: everything qiao prints: catalog messages in the user's language, errors (text on
 * stderr, or a JSON error object on stdout with --json), JSON for machines, aligned fields. */
#ifndef QIAO_CLI_OUTPUT_H
#define QIAO_CLI_OUTPUT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "http.h"
#include "i18n/catalog.h"

/* Message arguments: say(stdout, c, "cli.x", ARGS(A_STR("server", url), A_NUM("n", 3))). */
/* clang-format off */
#define A_STR(n, v) {.name = (n), .str = (v)}
#define A_NUM(n, v) {.name = (n), .num = (v)}
/* clang-format on */
#define ARGS(...)                                                                                  \
    (const struct msg_arg[]){__VA_ARGS__},                                                         \
        sizeof((const struct msg_arg[]){__VA_ARGS__}) / sizeof(struct msg_arg)
#define NOARGS NULL, 0

/* The message key in the run's language (malloc'd, caller frees; NULL only out of memory). */
char *tr(const struct cli *c, const char *key, const struct msg_arg *args, size_t n);

/* Prints the message and a newline on f. */
void say(FILE *f, const struct cli *c, const char *key, const struct msg_arg *args, size_t n);

/* Prints "qiao: message" on stderr (also with --json: a warning is not the result). */
void warn(const struct cli *c, const char *key, const struct msg_arg *args, size_t n);

/* Reports a failure found here (not by the server): "qiao: message" on stderr, or with --json
 * {"error":{"code":code,"message":…}} on stdout. Returns status, for `return fail(…)`. */
int fail(const struct cli *c, int status, const char *code, const char *key,
         const struct msg_arg *args, size_t n);

/* Reports the server's error reply r: its localized message and each field error on stderr,
 * or its JSON on stdout with --json; hint_login adds how to sign in after a 401. Returns the
 * exit status for r's HTTP status (401 → QX_AUTH, 403 → QX_FORBIDDEN, other errors →
 * QX_SERVER; a reply that is no error at all → QX_NETWORK). */
int fail_reply(const struct cli *c, const struct reply *r, bool hint_login);

/* Reports a transport failure; returns QX_NETWORK (QX_LOCAL when out of memory). */
int fail_net(const struct cli *c, enum net n, const char *detail);

/* Prints j on stdout as indented JSON and a newline. */
void print_json(const json_t *j);

/* One line of a field listing: a label (a catalog key, the text ending with its colon) and the
 * value (printed as is; rows with a NULL value are skipped). */
struct row {
    const char *label;
    const char *value;
};

/* Prints rows with values aligned (labels measured in terminal columns). */
void print_rows(const struct cli *c, const struct row *rows, size_t n);

/* The terminal columns UTF-8 text takes (East Asian wide and fullwidth characters count 2). */
size_t text_width(const char *s);
#endif
