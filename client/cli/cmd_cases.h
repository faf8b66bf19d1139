/* cmd_cases.h: `qiao cases`, `qiao invitation` and `qiao docs`, and what their files
 * (cmd_cases.c, cmd_docs.c) share: sub-commands, their options, the session check, one checked
 * API call, case numbers resolved to ids, server text made safe to print, bounded file reading
 * and SHA-256. */
#ifndef QIAO_CLI_CMD_CASES_H
#define QIAO_CLI_CMD_CASES_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "http.h"

#define CASE_LIST_MAX_ROWS 10000            /* --all stops here */
#define CASE_FILE_MAX (1024u * 1024)        /* a filing: the server takes bodies up to 1 MiB */
#define DOC_MAX (10u * 1024 * 1024)         /* a document: the server takes up to 10 MiB */
#define DOC_REPLY_MAX (DOC_MAX + 64 * 1024) /* a download with a margin for the error case */
#define TRANSFER_TIMEOUT 600L               /* seconds for an upload or a download */

/* The commands (rows of main.c's table). */
int cmd_cases(struct cli *c, int argc, char **argv);
int cmd_invitation(struct cli *c, int argc, char **argv);
int cmd_docs(struct cli *c, int argc, char **argv);

/* cmd_mediators.c: `qiao mediators` (list, show) and the assignment sub-commands of `qiao cases`
 * (rows of cmd_cases' table): the proposal, assigning mediators, asking for a recusal. */
int cmd_mediators(struct cli *c, int argc, char **argv);
int cases_proposal(struct cli *c, int argc, char **argv);
int cases_assign(struct cli *c, int argc, char **argv);
int cases_recuse(struct cli *c, int argc, char **argv);
/* The case's number for a heading: the one typed (upper case) when arg is not an id, else the
 * number the case has (one more request; "#ID" if it cannot be read). malloc'd, safe. */
char *case_number(const struct cli *c, long long id, const char *arg);
/* Is s a user name as the server spells them (so it needs no escaping in a path)? */
bool username_ok(const char *s);
/* Reports a bad user name; returns QX_USAGE. */
int bad_username(const struct cli *c, const char *s);
/* The labels (prefix + value) of the string array a joined with ", "; "—" when empty. malloc'd. */
char *label_list(const struct cli *c, const char *prefix, json_t *a);
/* The jurisdictions of mediator m's qualifications valid today, as labels joined with ", ";
 * "—" when none. malloc'd. */
char *valid_jurisdictions(const struct cli *c, json_t *m);

/* cmd_shortlist.c: a commercial case's shortlist of three (rows of cmd_cases' table). */
int cases_shortlist(struct cli *c, int argc, char **argv);
int cases_offer(struct cli *c, int argc, char **argv);
int cases_rank(struct cli *c, int argc, char **argv);

/* cmd_inbox.c: `qiao inbox` (list, read). */
int cmd_inbox(struct cli *c, int argc, char **argv);

/* A sub-command: `qiao COMMAND NAME ARGS`; run gets the arguments after NAME. */
struct subcommand {
    const char *name;
    int (*run)(struct cli *c, int argc, char **argv);
};

/* Runs the sub-command argv[0] of command (list: the names, for messages); usage errors when
 * it is missing or unknown. */
int run_subcommand(struct cli *c, const char *command, const struct subcommand *subs, size_t n,
                   int argc, char **argv);

/* An option of a sub-command: "--name VALUE" / "--name=VALUE" when value is set (the last one
 * given wins), a flag when flag is set; alias is a second spelling ("-o") or NULL. */
struct opt {
    const char *name;
    const char *alias;
    const char **value;
    bool *flag;
};

/* Sorts argv into opts and positional arguments (pos gets at most maxpos, borrowed from argv;
 * "-" alone is positional). usage is "cases show ID|NUMBER" for messages. Reports unknown
 * options, missing values, too few or too many arguments; returns QX_OK or QX_USAGE. */
int parse_args(const struct cli *c, const char *usage, int argc, char **argv,
               const struct opt *opts, size_t nopts, const char **pos, int minpos, int maxpos,
               int *npos);

/* Checks that a usable session for c->server is stored; reports why not otherwise (QX_AUTH,
 * or QX_LOCAL when the credentials cannot be read). QX_OK when there is one. */
/* (cmd_session.c) Checks that a usable session for the server is stored; reports why not and
 * returns the exit status otherwise (QX_OK when there is one). */
int check_session(const struct cli *c);

/* Performs rq with x (NULL: none) and checks the reply: a transport failure, a status other than
 * ok or ok2, or (unless x->binary) a body that is no JSON object is reported and its exit status
 * returned; QX_OK otherwise. *r is the caller's to reply_free in every case. */
int api_call(const struct cli *c, const struct request *rq, const struct http_extra *x,
             struct reply *r, long ok, long ok2);

/* The case id named by arg: an id ("14") as it is, or a case number ("HQ-FAM-2026-000001",
 * any case) looked up in the cases the caller may list. QX_OK with *id set, or the reported
 * failure (QX_USAGE for neither, QX_SERVER when no visible case has the number). */
int resolve_case(const struct cli *c, const char *arg, long long *id);

/* A copy of s safe for a terminal: C0 controls but tab and newline, DEL, C1 and the Unicode
 * bidirectional controls become '?'; with oneline, tabs and newlines become spaces too.
 * malloc'd; NULL only when out of memory. */
char *safe_text(const char *s, bool oneline);

/* Appends part (malloc'd, freed here; NULL is skipped) to the growing string *s, with sep before
 * it unless *s is still empty. */
void text_append(char **s, const char *sep, char *part);

/* Prints s made safe (safe_text) on f. */
void put_text(FILE *f, const char *s, bool oneline);

/* The label of an enumerated value (key prefix + value, e.g. "cli.status." "draft") in the
 * user's language, or the value itself (made safe) when the catalog has no such key; "—" for
 * NULL. malloc'd; NULL only when out of memory. */
char *label(const struct cli *c, const char *prefix, const char *value);

/* The time zone of the case k's center (k: a case, or any object with its "center" code). */
const char *case_zone(json_t *k);

/* A GET of path with the stored session, checked as api_call does (200 only). */
int api_get(const struct cli *c, const char *path, struct reply *r);
/* A POST of the JSON body with the stored session (headers: NULL-terminated extra headers, or
 * NULL), checked as api_call does; the serialized body is wiped after sending. */
int api_post(const struct cli *c, const char *path, json_t *body, const char *const *headers,
             struct reply *r, long ok, long ok2);

/* Reads path ("-": standard input) whole into *data (malloc'd, NUL appended, *len bytes),
 * refusing a file that is not regular or is larger than max bytes before sending anything.
 * Returns QX_OK, or the reported failure: QX_LOCAL when it cannot be read, QX_SERVER
 * ("cli.invalid_input") when it is too large. The caller wipes and frees *data. */
int read_input_file(const struct cli *c, const char *path, size_t max, char **data, size_t *len);

/* SHA-256 (FIPS 180-4) of len bytes at data, as 64 lower-case hex digits and a NUL in hex. */
void sha256_hex(const void *data, size_t len, char hex[65]);
#endif
