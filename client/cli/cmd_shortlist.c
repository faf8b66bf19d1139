/* cmd_shortlist.c: a commercial case's shortlist of three: `qiao cases shortlist` (show),
 * `qiao cases offer` (officers) and `qiao cases rank` (the parties' sides). */
#include "cmd_cases.h"

#include <stdlib.h>
#include <string.h>

#include "i18n/format.h"
#include "output.h"

#define PATH_CAP 128

/* Prints the shortlist for people: status, the last day, the members, each side's ranking as
 * far as the caller may see it, the choice, and what the caller may do next. */
static void print_shortlist(const struct cli *c, json_t *s, const char *ref)
{
    const char *status = json_string_value(json_object_get(s, "status"));
    char *st = label(c, "cli.shortlist.status.", status);
    say(stdout, c, "cli.shortlist.title", ARGS(A_STR("case", ref), A_STR("status", st ? st : "")));
    free(st);
    const char *by = json_string_value(json_object_get(s, "respond_by"));
    char day[64] = "";
    if (by && format_date(c->lang, by, day, sizeof day) != 0)
        snprintf(day, sizeof day, "%s", by);
    if (status && strcmp(status, "open") == 0)
        say(stdout, c, "cli.shortlist.respond_by", ARGS(A_STR("date", day)));
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(s, "mediators"), i, m)
    {
        char *u = safe_text(json_string_value(json_object_get(m, "username")), true);
        char *name = safe_text(json_string_value(json_object_get(m, "name")), true);
        char *langs = label_list(c, "cli.spoken.", json_object_get(m, "spoken"));
        char *jur = valid_jurisdictions(c, m);
        printf("  %zu. %s  %s\n     ", i + 1, u ? u : "?", name ? name : "");
        say(stdout, c, "cli.shortlist.member",
            ARGS(A_STR("languages", langs ? langs : ""), A_STR("jurisdictions", jur ? jur : "")));
        free(u);
        free(name);
        free(langs);
        free(jur);
    }
    static const char *const sides[] = {"applicant", "respondent"};
    const char *mine = json_string_value(json_object_get(s, "your_side"));
    for (int k = 0; k < 2; k++) {
        json_t *side = json_object_get(json_object_get(s, "sides"), sides[k]);
        json_t *ranking = json_object_get(side, "ranking");
        char *order = NULL;
        size_t n;
        json_t *v;
        json_array_foreach(ranking, n, v)
        {
            text_append(&order, " > ", safe_text(json_string_value(v), true));
        }
        char key[48];
        snprintf(key, sizeof key, "cli.shortlist.%s_%s", sides[k],
                 !json_is_true(json_object_get(side, "ranked")) ? "waiting"
                 : order                                        ? "ranking"
                                                                : "ranked");
        say(stdout, c, key, ARGS(A_STR("order", order ? order : "")));
        free(order);
    }
    const char *chosen = json_string_value(json_object_get(s, "chosen"));
    if (chosen) {
        char *u = safe_text(chosen, true);
        say(stdout, c, "cli.shortlist.chosen", ARGS(A_STR("mediator", u ? u : "")));
        free(u);
    }
    if (json_is_true(json_object_get(s, "can_rank")) && mine)
        say(stdout, c, "cli.shortlist.hint_rank", ARGS(A_STR("case", ref)));
}

/* The shortlist reply r for case id (arg as typed): JSON as it came, or printed for people. */
static int show(const struct cli *c, int x, struct reply *r, long long id, const char *arg)
{
    if (x == QX_OK && c->json) {
        print_json(r->json);
    } else if (x == QX_OK) {
        char *ref = case_number(c, id, arg);
        print_shortlist(c, r->json, ref ? ref : arg);
        free(ref);
    }
    reply_free(r);
    return x;
}

/* Parses "ID|NUMBER" and (when names) three user names; resolves the case. */
static int args_case(struct cli *c, const char *usage, int argc, char **argv, bool names,
                     const char **pos, long long *id)
{
    int npos;
    int x = parse_args(c, usage, argc, argv, NULL, 0, pos, names ? 4 : 1, names ? 4 : 1, &npos);
    if (x != QX_OK)
        return x;
    for (int i = 1; i < npos; i++)
        if (!username_ok(pos[i]))
            return bad_username(c, pos[i]);
    if ((x = check_session(c)) != QX_OK)
        return x;
    return resolve_case(c, pos[0], id);
}

/* `qiao cases shortlist ID|NUMBER`: GET /api/v1/cases/{id}/shortlist. */
int cases_shortlist(struct cli *c, int argc, char **argv)
{
    const char *pos[1];
    long long id;
    int x = args_case(c, "cases shortlist ID|NUMBER", argc, argv, false, pos, &id);
    if (x != QX_OK)
        return x;
    char path[PATH_CAP];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/shortlist", id);
    struct reply r;
    x = api_get(c, path, &r);
    return show(c, x, &r, id, pos[0]);
}

/* POSTs {key: [the three names]} to the shortlist path suffix; prints the shortlist. */
static int post_three(struct cli *c, const char *usage, const char *suffix, const char *key,
                      long ok, int argc, char **argv)
{
    const char *pos[4];
    long long id;
    int x = args_case(c, usage, argc, argv, true, pos, &id);
    if (x != QX_OK)
        return x;
    json_t *names = json_pack("[s,s,s]", pos[1], pos[2], pos[3]);
    json_t *body = names ? json_pack("{s:o}", key, names) : NULL;
    if (!body)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.not_utf8", NOARGS);
    char path[PATH_CAP];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/shortlist%s", id, suffix);
    struct reply r;
    x = api_post(c, path, body, NULL, &r, ok, ok);
    json_decref(body);
    return show(c, x, &r, id, pos[0]);
}

/* `qiao cases offer ID|NUMBER M1 M2 M3` (officers): POST /api/v1/cases/{id}/shortlist. */
int cases_offer(struct cli *c, int argc, char **argv)
{
    return post_three(c, "cases offer ID|NUMBER MEDIATOR1 MEDIATOR2 MEDIATOR3", "", "mediators",
                      201, argc, argv);
}

/* `qiao cases rank ID|NUMBER FIRST SECOND THIRD` (a party's side): POST …/shortlist/ranking. */
int cases_rank(struct cli *c, int argc, char **argv)
{
    return post_three(c, "cases rank ID|NUMBER FIRST SECOND THIRD", "/ranking", "ranking", 200,
                      argc, argv);
}
