/* cmd_mediators.c: `qiao mediators` (list, show) and the assignment sub-commands of `qiao cases`
 * (proposal, assign, recuse). Everything the server wrote is made safe before it reaches the
 * terminal; with --json the server's reply is printed as it came. */
#include "cmd_cases.h"

#include <stdlib.h>
#include <string.h>

#include "i18n/format.h"
#include "output.h"

#define PATH_CAP 256    /* an API path with a user name or a query */
#define USERNAME_MAX 64 /* longer than any user name the server gives (32) */
#define NAME_COLUMNS 28 /* the name column of `mediators list` */

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                    */

/* Is s a user name as the server spells them (letters, digits, '.', '_', '-'; at most
 * USERNAME_MAX bytes)? Such a name needs no escaping in a path. */
bool username_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= USERNAME_MAX && s[0] != '.' && s[0] != '-' &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* Reports a bad user name; returns QX_USAGE. */
int bad_username(const struct cli *c, const char *s)
{
    char *safe = safe_text(s, true);
    int x = fail(c, QX_USAGE, "cli.usage", "cli.error.bad_username",
                 ARGS(A_STR("username", safe ? safe : "")));
    free(safe);
    return x;
}

/* ------------------------------------------------------------------------------------------ */
/* Text helpers                                                                                */

/* The string member key of o, or dflt. Borrowed. */
static const char *str_of(json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

/* The labels (prefix + value, see label()) of the string array a joined with ", "; malloc'd,
 * "—" when a is empty. */
char *label_list(const struct cli *c, const char *prefix, json_t *a)
{
    char *out = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v))
            text_append(&out, ", ", label(c, prefix, json_string_value(v)));
    }
    return out ? out : strdup("—");
}

/* The strings of the array a (made safe) joined with ", "; "—" when a is empty. malloc'd. */
static char *joined(json_t *a)
{
    char *out = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v))
            text_append(&out, ", ", safe_text(json_string_value(v), true));
    }
    return out ? out : strdup("—");
}

/* The jurisdictions of m's qualifications valid today, as labels joined with ", "; "—" when
 * none. malloc'd. */
char *valid_jurisdictions(const struct cli *c, json_t *m)
{
    char *out = NULL;
    const char *seen[8];
    size_t nseen = 0, i;
    json_t *q;
    json_array_foreach(json_object_get(m, "qualifications"), i, q)
    {
        const char *j = json_string_value(json_object_get(q, "jurisdiction"));
        if (!j || !json_is_true(json_object_get(q, "valid")))
            continue;
        bool dup = false;
        for (size_t k = 0; k < nseen; k++)
            dup |= strcmp(seen[k], j) == 0;
        if (dup)
            continue;
        if (nseen < sizeof seen / sizeof seen[0])
            seen[nseen++] = j;
        text_append(&out, ", ", label(c, "cli.jurisdiction.", j));
    }
    return out ? out : strdup("—");
}

/* "open/capacity", e.g. "2/8"; malloc'd. */
static char *load_text(json_t *m)
{
    char *s = NULL;
    if (asprintf(&s, "%lld/%lld", (long long)json_integer_value(json_object_get(m, "open_cases")),
                 (long long)json_integer_value(json_object_get(m, "capacity"))) < 0)
        return NULL;
    return s;
}

/* s (already safe) cut to at most width columns, "…" marking a cut; malloc'd. */
static char *cut(const char *s, size_t width)
{
    if (text_width(s) <= width)
        return strdup(s);
    size_t at = 0;
    char *out = NULL;
    while (s[at]) {
        unsigned char b = (unsigned char)s[at];
        size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        char *try = NULL;
        if (asprintf(&try, "%.*s…", (int)(at + n), s) < 0)
            break;
        if (text_width(try) > width) {
            free(try);
            break;
        }
        free(out);
        out = try;
        at += n;
        while (s[at] && ((unsigned char)s[at] & 0xC0) == 0x80)
            at++;
    }
    return out ? out : strdup("…");
}

/* Prints a table: ncols headers (catalog keys) over rows × ncols cells (safe text; NULL prints
 * "?"), columns padded to their widest cell. Frees the cells. */
static void print_table(const struct cli *c, const char *const *heads, size_t ncols, char **cells,
                        size_t rows)
{
    size_t *width = calloc(ncols, sizeof *width);
    char **head = calloc(ncols, sizeof *head);
    if (!width || !head) {
        free(width);
        free(head);
        for (size_t i = 0; i < rows * ncols; i++)
            free(cells[i]);
        return;
    }
    for (size_t k = 0; k < ncols; k++) {
        head[k] = tr(c, heads[k], NOARGS);
        width[k] = head[k] ? text_width(head[k]) : 0;
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t k = 0; k < ncols; k++) {
            size_t w = cells[i * ncols + k] ? text_width(cells[i * ncols + k]) : 1;
            width[k] = w > width[k] ? w : width[k];
        }
    for (size_t i = 0; i <= rows; i++) {
        for (size_t k = 0; k < ncols; k++) {
            char *s = i == 0 ? head[k] : cells[(i - 1) * ncols + k];
            fputs(s ? s : "?", stdout);
            if (k + 1 < ncols)
                for (size_t w = s ? text_width(s) : 1; w < width[k] + 2; w++)
                    fputc(' ', stdout);
            free(s);
        }
        fputc('\n', stdout);
    }
    free(width);
    free(head);
}

/* ------------------------------------------------------------------------------------------ */
/* qiao mediators list                                                                          */

enum { MC_USERNAME, MC_NAME, MC_CENTERS, MC_TYPES, MC_LANGUAGES, MC_LOAD, MC_QUALS, MC_COUNT };

/* `qiao mediators list [--center C]`: GET /api/v1/mediators as a table. */
static int mediators_list(struct cli *c, int argc, char **argv)
{
    const char *center = NULL, *pos[1];
    int npos;
    const struct opt opts[] = {{"--center", NULL, &center, NULL}};
    int x = parse_args(c, "mediators list [--center C]", argc, argv, opts, 1, pos, 0, 0, &npos);
    if (x != QX_OK)
        return x;
    size_t n = center ? strlen(center) : 0;
    if (center && (n == 0 || n > 16 ||
                   strspn(center, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "abcdefghijklmnopqrstuvwxyz0123456789") != n))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_center",
                    ARGS(A_STR("center", center)));
    if ((x = check_session(c)) != QX_OK)
        return x;
    char path[PATH_CAP] = "/api/v1/mediators";
    if (center) {
        snprintf(path, sizeof path, "/api/v1/mediators?center=%s", center);
        for (char *p = strchr(path, '=') + 1; *p; p++) /* center codes are upper case */
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
    }
    struct reply r;
    if ((x = api_get(c, path, &r)) != QX_OK) {
        reply_free(&r);
        return x;
    }
    json_t *items = json_object_get(r.json, "items");
    if (c->json) {
        print_json(r.json);
    } else if (json_array_size(items) == 0) {
        say(stdout, c, "cli.mediators.none", NOARGS);
    } else {
        static const char *const heads[MC_COUNT] = {
            "cli.mediators.col.username",      "cli.mediators.col.name",
            "cli.mediators.col.centers",       "cli.mediators.col.types",
            "cli.mediators.col.languages",     "cli.mediators.col.load",
            "cli.mediators.col.qualifications"};
        size_t rows = json_array_size(items);
        char **cells = calloc(rows * MC_COUNT, sizeof *cells);
        if (!cells) {
            reply_free(&r);
            return fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
        }
        for (size_t i = 0; i < rows; i++) {
            json_t *m = json_array_get(items, i);
            char **row = cells + i * MC_COUNT;
            const char *u = json_string_value(json_object_get(m, "username"));
            const char *name = json_string_value(json_object_get(m, "name"));
            row[MC_USERNAME] = safe_text(u ? u : "?", true);
            char *safe = safe_text(name ? name : "—", true);
            row[MC_NAME] = safe ? cut(safe, NAME_COLUMNS) : NULL;
            free(safe);
            row[MC_CENTERS] = joined(json_object_get(m, "centers"));
            row[MC_TYPES] = label_list(c, "cli.type.", json_object_get(m, "case_types"));
            row[MC_LANGUAGES] = label_list(c, "cli.spoken.", json_object_get(m, "spoken"));
            row[MC_LOAD] = load_text(m);
            row[MC_QUALS] = valid_jurisdictions(c, m);
        }
        print_table(c, heads, MC_COUNT, cells, rows);
        free(cells);
    }
    reply_free(&r);
    return QX_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* qiao mediators show                                                                          */

/* Prints a label (catalog key) padded to width columns and a space. */
static void put_label(const struct cli *c, const char *key, size_t width)
{
    char *l = tr(c, key, NOARGS);
    const char *s = l ? l : key;
    fputs(s, stdout);
    for (size_t w = text_width(s); w < width + 1; w++)
        fputc(' ', stdout);
    free(l);
}

/* Prints "label value" (value safe and freed; rows with a NULL value are skipped). */
static void put_row(const struct cli *c, const char *key, size_t width, char *value)
{
    if (!value)
        return;
    put_label(c, key, width);
    put_text(stdout, value, true);
    fputc('\n', stdout);
    free(value);
}

/* A date "YYYY-MM-DD" in the run's language; malloc'd, safe. */
static char *date_text(const struct cli *c, const char *iso)
{
    char buf[128];
    if (iso && format_date(c->lang, iso, buf, sizeof buf) == 0)
        return safe_text(buf, true);
    return safe_text(iso ? iso : "—", true);
}

/* Prints one qualification: jurisdiction, body, number, validity period, valid today or not. */
static void print_qualification(const struct cli *c, json_t *q)
{
    char *line = NULL;
    text_append(&line, " · ",
           label(c, "cli.jurisdiction.", json_string_value(json_object_get(q, "jurisdiction"))));
    text_append(&line, " · ", safe_text(str_of(q, "body", "—"), true));
    text_append(&line, " · ", safe_text(str_of(q, "number", "—"), true));
    char *from = date_text(c, json_string_value(json_object_get(q, "valid_from")));
    const char *to_iso = json_string_value(json_object_get(q, "valid_to"));
    char *to = to_iso ? date_text(c, to_iso) : NULL;
    if (from && to)
        text_append(&line, " · ",
               tr(c, "cli.mediator.period", ARGS(A_STR("from", from), A_STR("to", to))));
    else if (from)
        text_append(&line, " · ", tr(c, "cli.mediator.period_open", ARGS(A_STR("from", from))));
    free(from);
    free(to);
    text_append(&line, " · ",
           tr(c,
              json_is_true(json_object_get(q, "valid")) ? "cli.mediator.valid"
                                                        : "cli.mediator.not_valid",
              NOARGS));
    if (line) {
        fputs("  ", stdout);
        put_text(stdout, line, true);
        fputc('\n', stdout);
    }
    free(line);
}

/* "Mon 4:00 · Tue 4:00 · …" from 7 minute counts (Monday first); malloc'd. */
static char *weekly_text(const struct cli *c, json_t *w)
{
    char *out = NULL;
    for (size_t i = 0; i < 7 && i < json_array_size(w); i++) {
        char key[32], *day, *part = NULL;
        snprintf(key, sizeof key, "cli.weekday.%zu", i + 1);
        long long m = json_integer_value(json_array_get(w, i));
        day = tr(c, key, NOARGS);
        if (day && asprintf(&part, "%s %lld:%02lld", day, m / 60, m % 60) < 0)
            part = NULL;
        free(day);
        text_append(&out, " · ", part);
    }
    return out;
}

/* "3 Jan 2030 2:00 · …" from the dated exceptions [{"date","minutes"}]; malloc'd, safe. */
static char *dated_text(const struct cli *c, json_t *days)
{
    char *out = NULL;
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        char *date = date_text(c, json_string_value(json_object_get(d, "date"))), *part = NULL;
        long long m = json_integer_value(json_object_get(d, "minutes"));
        if (date && asprintf(&part, "%s %lld:%02lld", date, m / 60, m % 60) < 0)
            part = NULL;
        free(date);
        text_append(&out, " · ", part);
    }
    return out;
}

/* Prints the declared relationships: kind, relation, the hint the server keeps, since when. */
static void print_relationships(const struct cli *c, json_t *rels)
{
    if (json_array_size(rels) == 0)
        say(stdout, c, "cli.case.none", NOARGS);
    size_t i;
    json_t *rel;
    json_array_foreach(rels, i, rel)
    {
        char *line = NULL;
        char id[32];
        snprintf(id, sizeof id, "#%lld", (long long)json_integer_value(json_object_get(rel, "id")));
        text_append(&line, " ", strdup(id));
        text_append(
            &line, " ",
            label(c, "cli.subject_kind.", json_string_value(json_object_get(rel, "subject_kind"))));
        text_append(&line, " · ",
               label(c, "cli.relation.", json_string_value(json_object_get(rel, "relation"))));
        text_append(&line, " · ", safe_text(str_of(rel, "hint", "—"), true));
        const char *since = json_string_value(json_object_get(rel, "since"));
        if (since) {
            char *d = date_text(c, since);
            text_append(&line, " · ", d ? tr(c, "cli.mediator.since", ARGS(A_STR("date", d))) : NULL);
            free(d);
        }
        if (line) {
            fputs("  ", stdout);
            put_text(stdout, line, true);
            fputc('\n', stdout);
        }
        free(line);
    }
}

/* Prints a mediator's profile for people. */
static void print_mediator(const struct cli *c, json_t *m)
{
    static const char *const keys[] = {
        "cli.field.username",      "cli.field.name",        "cli.field.centers",
        "cli.mediator.case_types", "cli.mediator.subtypes", "cli.mediator.languages",
        "cli.mediator.load",       "cli.mediator.weekly",   "cli.mediator.dated"};
    size_t w = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char *l = tr(c, keys[i], NOARGS);
        size_t lw = l ? text_width(l) : 0;
        w = lw > w ? lw : w;
        free(l);
    }
    const char *u = json_string_value(json_object_get(m, "username"));
    const char *name = json_string_value(json_object_get(m, "name"));
    put_row(c, "cli.field.username", w, safe_text(u ? u : "?", true));
    put_row(c, "cli.field.name", w, safe_text(name ? name : "—", true));
    put_row(c, "cli.field.centers", w, joined(json_object_get(m, "centers")));
    put_row(c, "cli.mediator.case_types", w,
            label_list(c, "cli.type.", json_object_get(m, "case_types")));
    json_t *subs = json_object_get(m, "subtypes");
    put_row(c, "cli.mediator.subtypes", w,
            json_array_size(subs) ? label_list(c, "cli.subtype.", subs)
                                  : tr(c, "cli.mediator.all_subtypes", NOARGS));
    put_row(c, "cli.mediator.languages", w, label_list(c, "cli.spoken.", json_object_get(m, "spoken")));
    char *open = NULL, *cap = NULL;
    if (asprintf(&open, "%lld", (long long)json_integer_value(json_object_get(m, "open_cases"))) <
        0)
        open = NULL;
    if (asprintf(&cap, "%lld", (long long)json_integer_value(json_object_get(m, "capacity"))) < 0)
        cap = NULL;
    if (open && cap)
        put_row(
            c, "cli.mediator.load", w,
            tr(c, "cli.mediator.load_value", ARGS(A_STR("open", open), A_STR("capacity", cap))));
    free(open);
    free(cap);
    json_t *weekly = json_object_get(m, "weekly_minutes");
    if (json_is_array(weekly))
        put_row(c, "cli.mediator.weekly", w, weekly_text(c, weekly));
    json_t *dated = json_object_get(m, "availability");
    if (json_array_size(dated))
        put_row(c, "cli.mediator.dated", w, dated_text(c, dated));
    fputc('\n', stdout);
    say(stdout, c, "cli.mediator.qualifications", NOARGS);
    json_t *quals = json_object_get(m, "qualifications");
    if (json_array_size(quals) == 0)
        say(stdout, c, "cli.case.none", NOARGS);
    size_t i;
    json_t *q;
    json_array_foreach(quals, i, q)
    {
        print_qualification(c, q);
    }
    json_t *rels = json_object_get(m, "relationships");
    if (json_is_array(rels)) {
        fputc('\n', stdout);
        say(stdout, c, "cli.mediator.relationships", NOARGS);
        print_relationships(c, rels);
    }
}

/* `qiao mediators show USERNAME`: GET /api/v1/mediators/{username}. */
static int mediators_show(struct cli *c, int argc, char **argv)
{
    const char *pos[1];
    int npos;
    int x = parse_args(c, "mediators show USERNAME", argc, argv, NULL, 0, pos, 1, 1, &npos);
    if (x != QX_OK)
        return x;
    if (!username_ok(pos[0]))
        return bad_username(c, pos[0]);
    if ((x = check_session(c)) != QX_OK)
        return x;
    char path[PATH_CAP];
    snprintf(path, sizeof path, "/api/v1/mediators/%s", pos[0]);
    struct reply r;
    if ((x = api_get(c, path, &r)) == QX_OK) {
        if (c->json)
            print_json(r.json);
        else
            print_mediator(c, r.json);
    }
    reply_free(&r);
    return x;
}

/* `qiao mediators SUBCOMMAND`. */
int cmd_mediators(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"list", mediators_list}, {"show", mediators_show}};
    return run_subcommand(c, "mediators", subs, sizeof subs / sizeof subs[0], argc, argv);
}

/* ------------------------------------------------------------------------------------------ */
/* qiao cases proposal                                                                          */

/* Prints the reasons of one entry, one per line after indent: "+" before those that add points,
 * "·" before those for information (0 points), "-" before the exclusions (excluded set). */
static void print_reasons(json_t *reasons, const char *indent, bool excluded)
{
    size_t i;
    json_t *r;
    json_array_foreach(reasons, i, r)
    {
        const char *msg = json_string_value(json_object_get(r, "message"));
        const char *code = json_string_value(json_object_get(r, "code"));
        fputs(indent, stdout);
        fputs(excluded                                               ? "- "
              : json_integer_value(json_object_get(r, "points")) > 0 ? "+ "
                                                                     : "· ",
              stdout);
        put_text(stdout, msg ? msg : code ? code : "?", true);
        fputc('\n', stdout);
    }
}

/* Prints candidates or excluded mediators, numbered, with their scores and reasons. */
static void print_entries(const struct cli *c, json_t *list, bool scored)
{
    if (json_array_size(list) == 0)
        say(stdout, c, "cli.case.none", NOARGS);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *u = json_string_value(json_object_get(e, "mediator"));
        printf("  %zu. ", i + 1);
        put_text(stdout, u ? u : "?", true);
        if (scored) {
            char score[32];
            snprintf(score, sizeof score, "%lld",
                     (long long)json_integer_value(json_object_get(e, "score")));
            char *s = tr(c, "cli.proposal.score", ARGS(A_STR("score", score)));
            printf("  %s", s ? s : score);
            free(s);
        }
        fputc('\n', stdout);
        print_reasons(json_object_get(e, "reasons"), "       ", !scored);
    }
}

/* Prints the proposed pairs: both members (Mainland member first), score and reasons. */
static void print_pairs(const struct cli *c, json_t *pairs)
{
    size_t i;
    json_t *p;
    json_array_foreach(pairs, i, p)
    {
        json_t *m = json_object_get(p, "mediators");
        const char *a = json_string_value(json_array_get(m, 0));
        const char *b = json_string_value(json_array_get(m, 1));
        char score[32];
        snprintf(score, sizeof score, "%lld",
                 (long long)json_integer_value(json_object_get(p, "score")));
        printf("  %zu. ", i + 1);
        put_text(stdout, a ? a : "?", true);
        fputs(" + ", stdout);
        put_text(stdout, b ? b : "?", true);
        char *s = tr(c, "cli.proposal.score", ARGS(A_STR("score", score)));
        printf("  %s\n", s ? s : score);
        free(s);
        print_reasons(json_object_get(p, "reasons"), "       ", false);
    }
}

/* The case's number for the heading: the one typed (upper case) when arg is not an id, else the
 * number the case has (one more request; "#ID" if it cannot be read). malloc'd, safe. */
char *case_number(const struct cli *c, long long id, const char *arg)
{
    char *out = NULL;
    if (strspn(arg, "0123456789") != strlen(arg)) {
        out = safe_text(arg, true);
        for (char *p = out; p && *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        return out;
    }
    char path[PATH_CAP];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", id);
    struct request rq = {c->server, "GET", path, NULL, c->creds.token, c->lang};
    struct reply r;
    char detail[64];
    if (http_call(&rq, &r, detail, sizeof detail) == NET_OK && r.status == 200) {
        const char *num = json_string_value(json_object_get(r.json, "number"));
        if (num)
            out = safe_text(num, true);
    }
    reply_free(&r);
    if (!out && asprintf(&out, "#%lld", id) < 0)
        out = NULL;
    return out;
}

/* `qiao cases proposal ID|NUMBER` (officers): GET /api/v1/cases/{id}/assignment-proposal. */
int cases_proposal(struct cli *c, int argc, char **argv)
{
    const char *pos[1];
    int npos;
    long long id;
    int x = parse_args(c, "cases proposal ID|NUMBER", argc, argv, NULL, 0, pos, 1, 1, &npos);
    if (x != QX_OK || (x = check_session(c)) != QX_OK ||
        (x = resolve_case(c, pos[0], &id)) != QX_OK)
        return x;
    char path[PATH_CAP], ref[32];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/assignment-proposal", id);
    struct reply r;
    if ((x = api_get(c, path, &r)) != QX_OK) {
        reply_free(&r);
        return x;
    }
    if (c->json) {
        print_json(r.json);
        reply_free(&r);
        return QX_OK;
    }
    snprintf(ref, sizeof ref, "%lld", id);
    char *shown = case_number(c, id, pos[0]);
    bool cross = json_is_true(json_object_get(r.json, "cross_border"));
    say(stdout, c, cross ? "cli.proposal.title_cross" : "cli.proposal.title",
        ARGS(A_STR("case", shown ? shown : ref), A_STR("id", ref)));
    free(shown);
    fputc('\n', stdout);
    say(stdout, c, "cli.proposal.candidates", NOARGS);
    print_entries(c, json_object_get(r.json, "candidates"), true);
    json_t *pairs = json_object_get(r.json, "pairs");
    if (cross || json_array_size(pairs)) {
        fputc('\n', stdout);
        say(stdout, c, "cli.proposal.pairs", NOARGS);
        if (json_array_size(pairs) == 0)
            say(stdout, c, "cli.case.none", NOARGS);
        print_pairs(c, pairs);
    }
    fputc('\n', stdout);
    say(stdout, c, "cli.proposal.excluded", NOARGS);
    print_entries(c, json_object_get(r.json, "excluded"), false);
    fputc('\n', stdout);
    say(stdout, c, "cli.proposal.hint", ARGS(A_STR("id", ref)));
    reply_free(&r);
    return QX_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* qiao cases assign / recuse                                                                   */

/* "a (lead), b (co-mediator)" from a case's "mediators"; malloc'd, safe; "—" when none. */
static char *mediators_text(const struct cli *c, json_t *meds)
{
    char *out = NULL;
    size_t i;
    json_t *m;
    json_array_foreach(meds, i, m)
    {
        char *u = safe_text(str_of(m, "username", "?"), true);
        char *role = label(c, "cli.mediator_role.", json_string_value(json_object_get(m, "role")));
        char *part = u && role ? tr(c, "cli.assign.mediator",
                                    ARGS(A_STR("username", u), A_STR("role", role)))
                               : NULL;
        free(u);
        free(role);
        text_append(&out, ", ", part);
    }
    return out ? out : strdup("—");
}

/* `qiao cases assign ID|NUMBER MEDIATOR [MEDIATOR2] [--reason T] [--override-reason T]`
 * (officers): POST /api/v1/cases/{id}/assignment; the first named leads. */
int cases_assign(struct cli *c, int argc, char **argv)
{
    const char *reason = NULL, *override = NULL, *pos[3];
    int npos;
    const struct opt opts[] = {{"--reason", NULL, &reason, NULL},
                               {"--override-reason", NULL, &override, NULL}};
    int x = parse_args(c,
                       "cases assign ID|NUMBER MEDIATOR [MEDIATOR2] [--reason TEXT] "
                       "[--override-reason TEXT]",
                       argc, argv, opts, 2, pos, 2, 3, &npos);
    if (x != QX_OK)
        return x;
    for (int i = 1; i < npos; i++)
        if (!username_ok(pos[i]))
            return bad_username(c, pos[i]);
    long long id;
    if ((x = check_session(c)) != QX_OK || (x = resolve_case(c, pos[0], &id)) != QX_OK)
        return x;
    json_t *names = json_array();
    for (int i = 1; i < npos; i++)
        json_array_append_new(names, json_string(pos[i]));
    json_t *body = json_pack("{s:o}", "mediators", names);
    if (body && reason)
        json_object_set_new(body, "reason", json_string(reason));
    if (body && override)
        json_object_set_new(body, "override_reason", json_string(override));
    if (!body || (reason && !json_object_get(body, "reason")) ||
        (override && !json_object_get(body, "override_reason"))) {
        json_decref(body);
        return fail(c, QX_USAGE, "cli.usage", "cli.error.not_utf8", NOARGS);
    }
    char path[PATH_CAP];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/assignment", id);
    struct reply r;
    x = api_post(c, path, body, NULL, &r, 200, 200);
    json_decref(body);
    if (x == QX_OK && c->json) {
        print_json(r.json);
    } else if (x == QX_OK) {
        const char *num = json_string_value(json_object_get(r.json, "number"));
        char *sn = safe_text(num ? num : "", true);
        char *st = label(c, "cli.status.", json_string_value(json_object_get(r.json, "status")));
        char *meds = mediators_text(c, json_object_get(r.json, "mediators"));
        say(stdout, c, "cli.assign.done",
            ARGS(A_STR("number", sn ? sn : ""), A_STR("status", st ? st : ""),
                 A_STR("mediators", meds ? meds : "")));
        free(sn);
        free(st);
        free(meds);
    }
    reply_free(&r);
    return x;
}

/* `qiao cases recuse ID|NUMBER MEDIATOR --grounds TEXT`: POST /api/v1/cases/{id}/recusals. A
 * party's side asks (an officer decides); a mediator recusing themself is accepted at once. */
int cases_recuse(struct cli *c, int argc, char **argv)
{
    const char *grounds = NULL, *pos[2];
    int npos;
    const struct opt opts[] = {{"--grounds", NULL, &grounds, NULL}};
    int x = parse_args(c, "cases recuse ID|NUMBER MEDIATOR --grounds TEXT", argc, argv, opts, 1,
                       pos, 2, 2, &npos);
    if (x != QX_OK)
        return x;
    if (!grounds || !*grounds)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.option_needed",
                    ARGS(A_STR("option", "--grounds")));
    if (!username_ok(pos[1]))
        return bad_username(c, pos[1]);
    long long id;
    if ((x = check_session(c)) != QX_OK || (x = resolve_case(c, pos[0], &id)) != QX_OK)
        return x;
    json_t *body = json_pack("{s:s,s:s}", "mediator", pos[1], "grounds", grounds);
    if (!body)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.not_utf8", NOARGS);
    char path[PATH_CAP];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/recusals", id);
    struct reply r;
    x = api_post(c, path, body, NULL, &r, 201, 201);
    json_decref(body);
    if (x == QX_OK && c->json) {
        print_json(r.json);
    } else if (x == QX_OK) {
        char rid[32];
        snprintf(rid, sizeof rid, "%lld",
                 (long long)json_integer_value(json_object_get(r.json, "id")));
        const char *status = json_string_value(json_object_get(r.json, "status"));
        bool accepted = status && strcmp(status, "accepted") == 0;
        say(stdout, c, accepted ? "cli.recuse.accepted" : "cli.recuse.pending",
            ARGS(A_STR("id", rid), A_STR("mediator", pos[1])));
    }
    reply_free(&r);
    return x;
}
