/* shortlist.c: a commercial case's shortlist of three: offered by the officer from the proposal's
 * candidates, ranked by each side, the mediator chosen jointly (domain/shortlist.h). */
#include <stdio.h>
#include <string.h>

#include "api/cases.h"
#include "store/mediators.h"
#include "store/shortlist.h"

static const char *const side_names[2] = {"applicant", "respondent"};

/* The caller's side on the case, or -1 (staff, mediators, firm colleagues). */
static int side_of(const struct principal *p, const struct resource *r)
{
    if (p->role != ROLE_RESIDENT && p->role != ROLE_LAWYER)
        return -1;
    if (r->filer || r->applicant)
        return SHORTLIST_APPLICANT;
    return r->respondent ? SHORTLIST_RESPONDENT : -1;
}

static json_t *ranking_json(const struct shortlist *sl, int side)
{
    json_t *a = json_array();
    for (int i = 0; i < SHORTLIST_SIZE; i++)
        json_array_append_new(a, json_string(sl->usernames[sl->rankings[side].order[i] - 1]));
    return a;
}

/* The shortlist as the caller may see it: officers see both rankings, a side its own only. */
static json_t *shortlist_json(struct http_req *req, const struct shortlist *sl,
                              const struct resource *r)
{
    const struct principal *p = api_principal(req);
    bool staff = policy_allows(p, ACT_CASE_ASSIGN, r);
    int mine = side_of(p, r);
    json_t *members = json_array();
    for (int i = 0; i < SHORTLIST_SIZE; i++) {
        struct mediator_info m;
        json_t *mj = store_mediator_get(sl->usernames[i], &m) == ST_OK
                         ? api_mediator_public_json(&m)
                         : json_pack("{s:s}", "username", sl->usernames[i]);
        json_object_set_new(mj, "position", json_integer(i + 1));
        json_array_append_new(members, mj);
    }
    json_t *sides = json_object();
    for (int s = 0; s < 2; s++) {
        json_t *sj = json_pack("{s:b}", "ranked", sl->ranked[s]);
        if (sl->ranked[s] && (staff || s == mine))
            json_object_set_new(sj, "ranking", ranking_json(sl, s));
        json_object_set_new(sides, side_names[s], sj);
    }
    bool open = strcmp(sl->status, "open") == 0;
    return json_pack("{s:I,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:b}", "id", (json_int_t)sl->id, "status",
                     sl->status, "respond_by", sl->respond_by, "created_at",
                     (json_int_t)sl->created_at, "mediators", members, "sides", sides,
                     "your_side", mine >= 0 ? json_string(side_names[mine]) : json_null(),
                     "chosen",
                     sl->chosen ? json_string(sl->usernames[sl->chosen - 1]) : json_null(),
                     "can_rank", open && mine >= 0 && policy_allows(p, ACT_CASE_CHOOSE, r));
}

static void reply_shortlist(struct http_req *req, unsigned status, int64_t id,
                            const struct resource *r)
{
    struct shortlist sl;
    enum st st = store_shortlist_get(id, &sl);
    if (st == ST_NONE)
        http_reply_error(req, "shortlist.not_found", NULL);
    else if (st != ST_OK)
        api_store_failed(req, st);
    else
        http_reply_json(req, status, shortlist_json(req, &sl, r));
}

void api_shortlist_get(struct http_req *req)
{
    int64_t id = api_path_id(req, "id");
    struct resource r;
    if (api_case_visible(req, id, &r))
        reply_shortlist(req, 200, id, &r);
}

static const struct jf offer_spec[] = {
    {.name = "mediators", .type = JF_ARRAY, .required = true, .min = SHORTLIST_SIZE,
     .max = SHORTLIST_SIZE, .item_type = JF_STRING},
};

/* The case's type and status; replies and returns false when they cannot be read. */
static bool case_kind(struct http_req *req, int64_t id, char type[12], char status[24])
{
    struct case_record rec;
    enum st st = store_case_get(id, &rec);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return false;
    }
    snprintf(type, 12, "%s", rec.s.type);
    snprintf(status, 24, "%s", rec.s.status);
    case_record_free(&rec);
    return true;
}

void api_shortlist_offer(struct http_req *req)
{
    int64_t id = api_path_id(req, "id");
    struct resource r;
    if (!api_case_visible(req, id, &r) || !api_allow(req, ACT_CASE_ASSIGN, &r))
        return;
    json_t *body = api_body(req, offer_spec, JF_COUNT(offer_spec));
    char type[12], status[24];
    if (!body || !case_kind(req, id, type, status))
        return;
    if (strcmp(type, "commercial") != 0) {
        http_reply_error(req, "shortlist.not_commercial", NULL);
        return;
    }
    if (strcmp(status, "respondent_agreed") != 0) { /* the first mediator only */
        http_reply_error(req, "case.transition_refused", NULL);
        return;
    }
    json_t *names = json_object_get(body, "mediators");
    const char *u[SHORTLIST_SIZE];
    for (int i = 0; i < SHORTLIST_SIZE; i++)
        u[i] = json_string_value(json_array_get(names, (size_t)i));
    int64_t ids[SHORTLIST_SIZE];
    enum proposal_standing standing[SHORTLIST_SIZE];
    enum st st = api_proposal_standing(id, u, SHORTLIST_SIZE, ids, standing);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    json_t *errors = json_array();
    for (int i = 0; i < SHORTLIST_SIZE; i++) {
        char path[24];
        snprintf(path, sizeof path, "mediators[%d]", i);
        bool dup = false;
        for (int k = 0; k < i; k++)
            dup |= strcmp(u[k], u[i]) == 0;
        if (dup)
            jsonin_error(errors, path, "duplicate", NULL);
        else if (standing[i] == STANDING_UNKNOWN)
            jsonin_error(errors, path, "unknown_mediator", NULL);
        else if (standing[i] == STANDING_EXCLUDED) /* no overrides on a list the parties pick from */
            jsonin_error(errors, path, "mediator_ineligible", NULL);
    }
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    const struct principal *p = api_principal(req);
    struct actor who = {p->user_id, role_name(p->role), http_client_addr(req)};
    int64_t sid;
    st = store_shortlist_offer(id, ids, &who, &sid);
    if (st == ST_CONFLICT)
        http_reply_error(req, "case.conflict", NULL);
    else if (st != ST_OK)
        api_store_failed(req, st);
    else
        reply_shortlist(req, 201, id, &r);
}

static const struct jf rank_spec[] = {
    {.name = "ranking", .type = JF_ARRAY, .required = true, .min = SHORTLIST_SIZE,
     .max = SHORTLIST_SIZE, .item_type = JF_STRING},
};

void api_shortlist_rank(struct http_req *req)
{
    int64_t id = api_path_id(req, "id");
    struct resource r;
    if (!api_case_visible(req, id, &r) || !api_allow(req, ACT_CASE_CHOOSE, &r))
        return;
    int side = side_of(api_principal(req), &r);
    if (side < 0) {
        http_reply_error(req, "auth.forbidden", NULL);
        return;
    }
    json_t *body = api_body(req, rank_spec, JF_COUNT(rank_spec));
    if (!body)
        return;
    struct shortlist sl;
    enum st st = store_shortlist_get(id, &sl);
    if (st == ST_NONE) {
        http_reply_error(req, "shortlist.not_found", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    if (strcmp(sl.status, "open") != 0) {
        http_reply_error(req, "shortlist.closed", NULL);
        return;
    }
    /* the ranking names the three members, each once, most preferred first */
    json_t *names = json_object_get(body, "ranking");
    struct shortlist_ranking rk = {{0}};
    json_t *errors = json_array();
    for (int i = 0; i < SHORTLIST_SIZE; i++) {
        const char *u = json_string_value(json_array_get(names, (size_t)i));
        for (int k = 0; k < SHORTLIST_SIZE; k++)
            if (strcmp(u, sl.usernames[k]) == 0)
                rk.order[i] = k + 1;
        for (int k = 0; rk.order[i] && k < i; k++)
            if (rk.order[k] == rk.order[i])
                rk.order[i] = -1;
        char path[24];
        snprintf(path, sizeof path, "ranking[%d]", i);
        if (rk.order[i] <= 0)
            jsonin_error(errors, path, rk.order[i] ? "duplicate" : "not_on_shortlist", NULL);
    }
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    /* should this ranking complete the choice, a member who has since become ineligible (a
     * conflict found, no capacity left) is passed over (weighed now: the other side may rank
     * at the same moment) */
    const char *u[SHORTLIST_SIZE];
    int64_t ids[SHORTLIST_SIZE];
    enum proposal_standing standing[SHORTLIST_SIZE];
    bool eligible[SHORTLIST_SIZE];
    for (int i = 0; i < SHORTLIST_SIZE; i++)
        u[i] = sl.usernames[i];
    if ((st = api_proposal_standing(id, u, SHORTLIST_SIZE, ids, standing)) != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    for (int i = 0; i < SHORTLIST_SIZE; i++)
        eligible[i] = standing[i] == STANDING_CANDIDATE;
    const struct principal *p = api_principal(req);
    struct actor who = {p->user_id, role_name(p->role), http_client_addr(req)};
    st = store_shortlist_rank(id, sl.id, (enum shortlist_side)side, &rk, eligible, &who);
    if (st == ST_CONFLICT)
        http_reply_error(req, "shortlist.closed", NULL);
    else if (st != ST_OK)
        api_store_failed(req, st);
    else
        reply_shortlist(req, 200, id, &r);
}
