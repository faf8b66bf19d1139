/* mediators.c: mediators' profiles, the explainable assignment proposal, assignment with
 * conflict overrides, and recusal (申请回避). */
#include "api/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/matching.h"
#include "domain/workcal.h"
#include "i18n/catalog.h"
#include "store/audit_log.h"
#include "store/mediators.h"

static struct actor actor_of(struct http_req *req)
{
    const struct principal *p = api_principal(req);
    return (struct actor){p->user_id, role_name(p->role), http_client_addr(req)};
}

static json_t *csv_array(const char *list)
{
    json_t *a = json_array();
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *sv = NULL, *p = strtok_r(buf, ",", &sv); p; p = strtok_r(NULL, ",", &sv))
        json_array_append_new(a, json_string(p));
    return a;
}

static json_t *mediator_json(const struct mediator_info *m, bool full)
{
    json_t *o = json_object();
    json_object_set_new(o, "username", json_string(m->user.username));
    json_object_set_new(o, "name", json_string(m->user.display_name));
    json_t *centers = json_array();
    for (int i = 0; i < m->user.ncenters; i++)
        json_array_append_new(centers, json_string(m->user.center_codes[i]));
    json_object_set_new(o, "centers", centers);
    json_object_set_new(o, "case_types", csv_array(m->case_types));
    json_object_set_new(o, "subtypes", csv_array(m->subtypes));
    json_object_set_new(o, "spoken", csv_array(m->spoken));
    json_object_set_new(o, "capacity", json_integer(m->capacity));
    json_object_set_new(o, "open_cases", json_integer(m->open_cases));
    json_t *quals = json_array();
    int32_t today = (int32_t)((store_now() + 8 * 3600) / 86400);
    for (int i = 0; i < m->nquals; i++) {
        const struct mediator_qual_row *q = &m->quals[i];
        int32_t from = 0, to = MATCH_NO_END;
        civil_parse_daynum(q->valid_from, &from);
        if (q->valid_to[0])
            civil_parse_daynum(q->valid_to, &to);
        json_array_append_new(quals, json_pack("{s:s,s:s,s:s,s:s,s:o,s:b}", "jurisdiction",
                                               q->jurisdiction, "body", q->body, "number",
                                               q->number, "valid_from", q->valid_from,
                                               "valid_to",
                                               q->valid_to[0] ? json_string(q->valid_to)
                                                              : json_null(),
                                               "valid", from <= today && today <= to));
    }
    json_object_set_new(o, "qualifications", quals);
    if (full) {
        json_t *weekly = json_array();
        for (int i = 0; i < 7; i++)
            json_array_append_new(weekly, json_integer(m->weekly_minutes[i]));
        json_object_set_new(o, "weekly_minutes", weekly);
    }
    return o;
}

/* The mediator named in the path; replies 404 and returns false when there is none. */
static bool path_mediator(struct http_req *req, struct mediator_info *m)
{
    enum st st = store_mediator_get(http_param(req, "username"), m);
    if (st == ST_OK)
        return true;
    if (st == ST_NONE)
        http_reply_error(req, "mediator.not_found", NULL);
    else
        api_store_failed(req, st);
    return false;
}

/* May the caller manage this mediator's profile? Admins always; officers of a center the
 * mediator serves; the mediator their own (hours and declarations only, checked by callers). */
static bool may_manage(struct http_req *req, const struct mediator_info *m, bool *self)
{
    const struct principal *p = api_principal(req);
    *self = p->user_id == m->user.id;
    if (p->role == ROLE_ADMIN || *self)
        return true;
    if (p->role == ROLE_CASE_OFFICER)
        for (int i = 0; i < m->user.ncenters; i++)
            for (int k = 0; k < p->ncenters; k++)
                if (m->user.center_ids[i] == p->center_ids[k])
                    return true;
    return false;
}

void api_mediators_list(struct http_req *req)
{
    const char *code = http_query(req, "center");
    int64_t center_id = 0;
    if (code) {
        struct center c;
        if (store_center_by_code(code, &c) != ST_OK) {
            json_t *errors = json_array();
            jsonin_error(errors, "center", "unknown_center", NULL);
            http_reply_error(req, "request.invalid_query", errors);
            return;
        }
        center_id = c.id;
    }
    struct mediator_info *list = calloc(500, sizeof *list);
    int n = 0;
    enum st st = list ? store_mediators_list(center_id, list, 500, &n) : ST_ERROR;
    if (st != ST_OK) {
        free(list);
        api_store_failed(req, st);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, mediator_json(&list[i], false));
    free(list);
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

void api_mediator_get(struct http_req *req)
{
    struct mediator_info m;
    if (!path_mediator(req, &m))
        return;
    bool self;
    bool manage = may_manage(req, &m, &self);
    if (api_principal(req)->role == ROLE_MEDIATOR && !self) {
        http_reply_error(req, "auth.forbidden", NULL);
        return;
    }
    json_t *o = mediator_json(&m, manage);
    if (manage) { /* the dated exceptions from today on */
        struct availability_row days[120];
        int nd = 0;
        char today[11];
        civil_format_daynum((int32_t)((store_now() + 8 * 3600) / 86400), today, sizeof today);
        if (store_mediator_availability_list(m.user.id, today, days, 120, &nd) == ST_OK) {
            json_t *a = json_array();
            for (int i = 0; i < nd; i++)
                json_array_append_new(a, json_pack("{s:s,s:i}", "date", days[i].day, "minutes",
                                                   days[i].minutes));
            json_object_set_new(o, "availability", a);
        }
    }
    if (self || api_principal(req)->role == ROLE_ADMIN) {
        /* declarations: only their kind and a hint (the names are kept only as blind keys) */
        struct mediator_rel_row rels[64];
        int n = 0;
        if (store_mediator_relationships(m.user.id, rels, 64, &n) == ST_OK) {
            json_t *a = json_array();
            for (int i = 0; i < n; i++)
                json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:o}", "id",
                                                   (json_int_t)rels[i].id, "subject_kind",
                                                   rels[i].subject_kind, "relation",
                                                   rels[i].relation, "hint", rels[i].hint,
                                                   "since",
                                                   rels[i].since[0] ? json_string(rels[i].since)
                                                                    : json_null()));
            json_object_set_new(o, "relationships", a);
        }
    }
    http_reply_json(req, 200, o);
}

/* Answers a change to mediator m: the store's failure, or the mediator as
 * it now stands, re-read so the reply shows what was saved. */
static void reply_changed(struct http_req *req, enum st st, struct mediator_info *m, int status)
{
    if (st == ST_OK) {
        char username[sizeof m->user.username];
        snprintf(username, sizeof username, "%s", m->user.username);
        st = store_mediator_get(username, m);
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    http_reply_json(req, status, mediator_json(m, true));
}

static const char *const case_types[] = {"family", "commercial", NULL};
static const char *const subtypes[] = {"divorce", "custody", "maintenance", "property",
                                       "inheritance", "contract", "sale_of_goods", "debt",
                                       "lease", "shareholder", "other", NULL};
static const char *const spoken[] = {"putonghua", "cantonese", "portuguese", "english", "other",
                                     NULL};

static const struct jf profile_spec[] = {
    {.name = "case_types", .type = JF_ARRAY, .max = 2, .item_type = JF_ENUM,
     .choices = case_types},
    {.name = "subtypes", .type = JF_ARRAY, .max = 11, .item_type = JF_ENUM, .choices = subtypes},
    {.name = "spoken", .type = JF_ARRAY, .max = 5, .item_type = JF_ENUM, .choices = spoken},
    {.name = "capacity", .type = JF_INT, .min = 0, .max = 500},
    {.name = "weekly_minutes", .type = JF_ARRAY, .min = 7, .max = 7, .item_type = JF_INT},
};

/* A JSON array of strings as a comma list into out (NULL when absent). */
static const char *join(json_t *a, char *out, size_t cap)
{
    if (!a)
        return NULL;
    out[0] = 0;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", n ? "," : "", json_string_value(v));
    }
    return out;
}

void api_mediator_patch(struct http_req *req)
{
    struct mediator_info m;
    if (!path_mediator(req, &m))
        return;
    bool self;
    if (!may_manage(req, &m, &self)) {
        http_reply_error(req, "auth.forbidden", NULL);
        return;
    }
    json_t *body = api_body(req, profile_spec, JF_COUNT(profile_spec));
    if (!body)
        return;
    const struct principal *p = api_principal(req);
    if (p->role == ROLE_MEDIATOR) { /* mediators keep their own hours, not their accreditation */
        const char *k;
        json_t *v;
        json_t *errors = json_array();
        json_object_foreach(body, k, v) if (strcmp(k, "weekly_minutes") != 0)
            jsonin_error(errors, k, "not_for_role", NULL);
        if (json_array_size(errors)) {
            http_reply_error(req, "request.validation", errors);
            return;
        }
        json_decref(errors);
    }
    json_t *weekly = json_object_get(body, "weekly_minutes");
    struct mediator_profile_in in = {.capacity = -1};
    char types[64], subs[200], langs[96];
    in.case_types = join(json_object_get(body, "case_types"), types, sizeof types);
    in.subtypes = join(json_object_get(body, "subtypes"), subs, sizeof subs);
    in.spoken = join(json_object_get(body, "spoken"), langs, sizeof langs);
    if (json_object_get(body, "capacity"))
        in.capacity = (int)json_integer_value(json_object_get(body, "capacity"));
    if (weekly) {
        json_t *errors = json_array();
        for (int i = 0; i < 7; i++) {
            json_int_t v = json_integer_value(json_array_get(weekly, (size_t)i));
            if (v < 0 || v > 1440) {
                char path[32];
                snprintf(path, sizeof path, "weekly_minutes[%d]", i);
                jsonin_error(errors, path, "out_of_range",
                             json_pack("{s:i,s:i}", "min", 0, "max", 1440));
            }
            in.weekly_minutes[i] = (int)v;
        }
        if (json_array_size(errors)) {
            http_reply_error(req, "request.validation", errors);
            return;
        }
        json_decref(errors);
        in.set_weekly = true;
    }
    struct actor who = actor_of(req);
    enum st st = store_mediator_profile_put(m.user.id, &in, &who);
    reply_changed(req, st, &m, 200);
}

static const char *const jurisdictions[] = {"mainland", "macao", "hong_kong", NULL};
static const struct jf qual_spec[] = {
    {.name = "jurisdiction", .type = JF_ENUM, .required = true, .choices = jurisdictions},
    {.name = "body", .type = JF_STRING, .required = true, .min = 1, .max = 64},
    {.name = "number", .type = JF_STRING, .required = true, .min = 1, .max = 32},
    {.name = "valid_from", .type = JF_STRING, .required = true, .min = 10, .max = 10},
    {.name = "valid_to", .type = JF_STRING, .min = 10, .max = 10},
};

static bool check_date(json_t *body, const char *field, json_t *errors)
{
    const char *v = json_string_value(json_object_get(body, field));
    int32_t d;
    if (v && !api_has_error(errors, field) && !civil_parse_daynum(v, &d)) {
        jsonin_error(errors, field, "date_format", NULL);
        return false;
    }
    return true;
}

void api_mediator_qualification_add(struct http_req *req)
{
    struct mediator_info m;
    if (!path_mediator(req, &m))
        return;
    bool self;
    if (!may_manage(req, &m, &self) || api_principal(req)->role == ROLE_MEDIATOR) {
        http_reply_error(req, "auth.forbidden", NULL);
        return;
    }
    json_t *errors = json_array();
    json_t *body = api_body_errors(req, qual_spec, JF_COUNT(qual_spec), errors);
    if (!body) {
        json_decref(errors);
        return;
    }
    check_date(body, "valid_from", errors);
    check_date(body, "valid_to", errors);
    const char *from = json_string_value(json_object_get(body, "valid_from"));
    const char *to = json_string_value(json_object_get(body, "valid_to"));
    if (from && to && !json_array_size(errors) && strcmp(to, from) < 0)
        jsonin_error(errors, "valid_to", "date_order", NULL);
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    struct mediator_qual_row q = {0};
    snprintf(q.jurisdiction, sizeof q.jurisdiction, "%s",
             json_string_value(json_object_get(body, "jurisdiction")));
    snprintf(q.body, sizeof q.body, "%s", json_string_value(json_object_get(body, "body")));
    snprintf(q.number, sizeof q.number, "%s", json_string_value(json_object_get(body, "number")));
    snprintf(q.valid_from, sizeof q.valid_from, "%s", from);
    snprintf(q.valid_to, sizeof q.valid_to, "%s", to ? to : "");
    struct actor who = actor_of(req);
    int64_t id;
    enum st st = store_mediator_qualification_add(m.user.id, &q, &who, &id);
    reply_changed(req, st, &m, 201);
}

static const struct jf availability_spec[] = {
    {.name = "date", .type = JF_STRING, .required = true, .min = 10, .max = 10},
    {.name = "minutes", .type = JF_INT, .required = true, .min = 0, .max = 1440},
};

void api_mediator_availability(struct http_req *req)
{
    struct mediator_info m;
    if (!path_mediator(req, &m))
        return;
    bool self;
    if (!may_manage(req, &m, &self)) {
        http_reply_error(req, "auth.forbidden", NULL);
        return;
    }
    json_t *errors = json_array();
    json_t *body = api_body_errors(req, availability_spec, JF_COUNT(availability_spec), errors);
    if (!body) {
        json_decref(errors);
        return;
    }
    check_date(body, "date", errors);
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    struct actor who = actor_of(req);
    const char *date = json_string_value(json_object_get(body, "date"));
    int minutes = (int)json_integer_value(json_object_get(body, "minutes"));
    enum st st = store_mediator_availability_set(m.user.id, date, minutes, &who);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:s,s:s,s:i}", "mediator", m.user.username, "date",
                                        date, "minutes", minutes));
}

static const char *const subject_kinds[] = {"person", "company", "firm", NULL};
static const char *const relations[] = {"family", "business", "professional", "personal", "other",
                                        NULL};
static const char *const idtypes[] = {"mainland_id", "macao_bir", "hk_id",
                                      "mainland_travel_permit", "passport",
                                      "business_registration", NULL};
static const struct jf idoc_spec[] = {
    {.name = "type", .type = JF_ENUM, .required = true, .choices = idtypes},
    {.name = "number", .type = JF_STRING, .required = true, .min = 1, .max = 40},
};
static const struct jf relationship_spec[] = {
    {.name = "subject_kind", .type = JF_ENUM, .required = true, .choices = subject_kinds},
    {.name = "relation", .type = JF_ENUM, .required = true, .choices = relations},
    {.name = "name", .type = JF_STRING, .required = true, .min = 1, .max = 200},
    {.name = "id_document", .type = JF_OBJECT, .fields = idoc_spec, .nfields = 2},
    {.name = "since", .type = JF_STRING, .min = 10, .max = 10},
};

void api_mediator_relationship_add(struct http_req *req)
{
    struct mediator_info m;
    if (!path_mediator(req, &m))
        return;
    bool self;
    if (!may_manage(req, &m, &self) || (!self && api_principal(req)->role != ROLE_ADMIN)) {
        http_reply_error(req, "auth.forbidden", NULL);
        return;
    }
    json_t *errors = json_array();
    json_t *body = api_body_errors(req, relationship_spec, JF_COUNT(relationship_spec), errors);
    if (!body) {
        json_decref(errors);
        return;
    }
    check_date(body, "since", errors);
    json_t *doc = json_object_get(body, "id_document");
    enum idtype t = IDTYPE_UNKNOWN;
    char norm[IDNUM_NORM_MAX] = "";
    if (doc && !api_has_error(errors, "id_document.type") &&
        !api_has_error(errors, "id_document.number")) {
        t = idtype_parse(json_string_value(json_object_get(doc, "type")));
        const char *code = idnum_validate(t, json_string_value(json_object_get(doc, "number")),
                                          norm, sizeof norm);
        if (code)
            jsonin_error(errors, "id_document.number", code, NULL);
    }
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    struct actor who = actor_of(req);
    int64_t id;
    enum st st = store_mediator_relationship_add(
        m.user.id, json_string_value(json_object_get(body, "subject_kind")),
        json_string_value(json_object_get(body, "relation")),
        json_string_value(json_object_get(body, "name")), t != IDTYPE_UNKNOWN ? idtype_name(t) : NULL,
        norm[0] ? norm : NULL, json_string_value(json_object_get(body, "since")), &who, &id);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    http_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- the proposal ---- */

/* One reason as {"code","points","message",…}: the message in the caller's language. */
static json_t *reason_json(struct http_req *req, const struct match_reason *r,
                           const struct match_mediator *ms)
{
    (void)ms;
    char key[80], langs[160] = "";
    snprintf(key, sizeof key, "match.%s", match_code_name(r->code));
    if (r->code == MATCH_LANGUAGE_MISSING || r->code == MATCH_LANGUAGES_COVERED) {
        /* the languages by their names in the reader's language */
        for (unsigned bit = 1; bit <= SPOKEN_OTHER; bit <<= 1) {
            if (!((unsigned)r->arg[0] & bit))
                continue;
            char code[32], lk[48];
            spoken_format(bit, code, sizeof code);
            snprintf(lk, sizeof lk, "spoken.%s", code);
            const char *name = catalog_pattern(http_lang(req), lk);
            size_t n = strlen(langs);
            bool zh = http_lang(req) == LANG_ZH_HANS || http_lang(req) == LANG_ZH_HANT;
            snprintf(langs + n, sizeof langs - n, "%s%s", n ? (zh ? "、" : ", ") : "",
                     name ? name : code);
        }
    }
    const char *sub = r->sub ? match_code_name(r->sub) : "";
    const char *via = r->via ? match_code_name(r->via) : "";
    struct msg_arg args[] = {
        {"side", r->who.side == SIDE_APPLICANT ? "applicant" : "respondent", 0},
        {"pos", NULL, r->who.position + 1},
        {"kind", match_subject_kind_name(r->who.kind), 0},
        {"a0", NULL, r->arg[0]},
        {"a1", NULL, r->arg[1]},
        {"a2", NULL, r->arg[2]},
        {"hours", NULL, r->arg[0] / 60},
        {"points", NULL, r->points},
        {"languages", langs, 0},
        {"sub", sub, 0},
        {"via", via, 0},
    };
    char *msg = msg_format(http_lang(req), key, args, sizeof args / sizeof args[0]);
    json_t *o = json_pack("{s:s,s:i,s:s}", "code", match_code_name(r->code), "points", r->points,
                          "message", msg ? msg : key);
    free(msg);
    if (r->sub)
        json_object_set_new(o, "kind", json_string(sub));
    if (r->via)
        json_object_set_new(o, "basis", json_string(via));
    if (r->who.kind != MATCH_SUBJECT_NONE)
        json_object_set_new(o, "about", json_pack("{s:s,s:s,s:i}", "kind",
                                                  match_subject_kind_name(r->who.kind), "side",
                                                  r->who.side == SIDE_APPLICANT ? "applicant"
                                                                                : "respondent",
                                                  "position", r->who.position));
    return o;
}

static json_t *entry_json(struct http_req *req, const struct match_data *d,
                          const struct match_entry *e)
{
    const struct match_mediator *m = &d->m[e->mediator];
    json_t *reasons = json_array();
    for (int i = 0; i < e->nreasons; i++)
        json_array_append_new(reasons, reason_json(req, &e->reasons[i], m));
    return json_pack("{s:s,s:i,s:o}", "mediator", m->username, "score", e->score, "reasons",
                     reasons);
}

/* Computes the proposal for the case into p (arrays allocated; free with proposal_free); at most
 * cap candidates and cap excluded are kept (0: all). */
static enum st propose(int64_t case_id, struct match_data *d, struct match_proposal *p, int cap)
{
    memset(p, 0, sizeof *p); /* proposal_free is safe whatever fails below */
    enum st st = store_match_load(case_id, d);
    if (st != ST_OK)
        return st;
    int n = d->nm ? d->nm : 1;
    if (cap > 0 && cap < n)
        n = cap;
    p->candidates = calloc((size_t)n, sizeof *p->candidates);
    p->excluded = calloc((size_t)n, sizeof *p->excluded);
    p->pairs = calloc(10, sizeof *p->pairs);
    p->candidates_cap = n;
    p->excluded_cap = n;
    p->pairs_cap = 10;
    if (!p->candidates || !p->excluded || !p->pairs ||
        match_propose(&d->c, d->m, d->nm, p) != 0)
        return ST_ERROR;
    return ST_OK;
}

static void proposal_free(struct match_data *d, struct match_proposal *p)
{
    free(p->candidates);
    free(p->excluded);
    free(p->pairs);
    match_data_free(d);
}

/* Loads the case's access for an officer's assignment work; replies and returns false when the
 * caller may not. */
static bool assign_allowed(struct http_req *req, int64_t *id, struct resource *r)
{
    *id = api_path_id(req, "id");
    return api_case_visible(req, *id, r) && api_allow(req, ACT_CASE_ASSIGN, r);
}

/* The proposal is the officers' (of the case's center) and the admins', who keep the roster and
 * may see how it is weighed without reading the case: it names mediators and reasons, no party. A
 * case the caller can neither read nor weigh is not found; one they can read but not weigh is
 * refused. */
static bool proposal_allowed(struct http_req *req, int64_t *id, struct resource *r)
{
    *id = api_path_id(req, "id");
    const struct principal *p = api_principal(req);
    enum st st = *id > 0 ? store_case_access(*id, p, r) : ST_NONE;
    if (st == ST_OK && policy_allows(p, ACT_CASE_PROPOSAL_READ, r))
        return true;
    if (st == ST_OK && policy_allows(p, ACT_CASE_READ, r))
        return api_allow(req, ACT_CASE_PROPOSAL_READ, r); /* replies 403, audited */
    if (st == ST_OK || st == ST_NONE)
        http_reply_error(req, "case.not_found", NULL);
    else
        api_store_failed(req, st);
    return false;
}

void api_assignment_proposal(struct http_req *req)
{
    int64_t id;
    struct resource r;
    if (!proposal_allowed(req, &id, &r))
        return;
    /* the best `limit` candidates and excluded (all are weighed; the totals say how many) */
    int limit;
    int64_t unused;
    if (!api_page(req, 20, 500, &limit, &unused))
        return;
    struct match_data d;
    struct match_proposal p;
    enum st st = propose(id, &d, &p, limit);
    if (st != ST_OK) {
        proposal_free(&d, &p);
        api_store_failed(req, st);
        return;
    }
    json_t *cands = json_array(), *excl = json_array(), *pairs = json_array();
    for (int i = 0; i < p.ncandidates; i++)
        json_array_append_new(cands, entry_json(req, &d, &p.candidates[i]));
    for (int i = 0; i < p.nexcluded; i++)
        json_array_append_new(excl, entry_json(req, &d, &p.excluded[i]));
    for (int i = 0; i < p.npairs; i++) {
        const struct match_pair *pr = &p.pairs[i];
        json_t *reasons = json_array();
        for (int k = 0; k < pr->nreasons; k++)
            json_array_append_new(reasons, reason_json(req, &pr->reasons[k], NULL));
        json_array_append_new(pairs, json_pack("{s:[s,s],s:i,s:o}", "mediators",
                                               d.m[pr->a].username, d.m[pr->b].username, "score",
                                               pr->score, "reasons", reasons));
    }
    json_t *out = json_pack("{s:I,s:b,s:o,s:o,s:o,s:i,s:i,s:i}", "case", (json_int_t)id,
                            "cross_border", p.cross_border, "candidates", cands, "excluded", excl,
                            "pairs", pairs, "weighed", d.nm, "candidates_total",
                            p.candidates_total, "excluded_total", p.excluded_total);
    proposal_free(&d, &p);
    struct actor who = actor_of(req);
    store_audit(&who, "assignment_proposal", "case", id, "ok", "");
    http_reply_json(req, 200, out);
}

static const struct jf assignment_spec[] = {
    {.name = "mediators", .type = JF_ARRAY, .required = true, .min = 1, .max = 2,
     .item_type = JF_STRING},
    {.name = "reason", .type = JF_TEXT, .min = 1, .max = 2000},
    {.name = "override_reason", .type = JF_TEXT, .min = 1, .max = 2000},
};

/* Finds a mediator's entry by username among candidates or excluded. */
static const struct match_entry *find_entry(const struct match_data *d,
                                            const struct match_entry *list, int n,
                                            const char *username)
{
    for (int i = 0; i < n; i++)
        if (strcmp(d->m[list[i].mediator].username, username) == 0)
            return &list[i];
    return NULL;
}

void api_assignment(struct http_req *req)
{
    int64_t id;
    struct resource r;
    if (!assign_allowed(req, &id, &r))
        return;
    json_t *body = api_body(req, assignment_spec, JF_COUNT(assignment_spec));
    if (!body)
        return;
    json_t *names = json_object_get(body, "mediators");
    const char *reason = json_string_value(json_object_get(body, "reason"));
    const char *override = json_string_value(json_object_get(body, "override_reason"));
    struct case_record rec;
    enum st st = store_case_get(id, &rec);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    char from[24];
    snprintf(from, sizeof from, "%s", rec.s.status);
    case_record_free(&rec);
    bool reassign = strcmp(from, "mediator_assigned") == 0 || strcmp(from, "in_mediation") == 0;
    if (!reassign && strcmp(from, "respondent_agreed") != 0) {
        http_reply_error(req, "case.transition_refused", NULL); /* assignment comes after
                                                                   acceptance and agreement */
        return;
    }
    struct match_data d;
    struct match_proposal p;
    if ((st = propose(id, &d, &p, 0)) != ST_OK) {
        proposal_free(&d, &p);
        api_store_failed(req, st);
        return;
    }
    json_t *errors = json_array();
    struct assignment_in in = {.reason = reason,
                               .from_state = from,
                               .to_state = reassign ? from : "mediator_assigned",
                               .event = reassign ? "reassign_mediator" : "assign_mediator"};
    bool first_choice = false;
    for (size_t i = 0; i < json_array_size(names); i++) {
        const char *u = json_string_value(json_array_get(names, i));
        char path[32];
        snprintf(path, sizeof path, "mediators[%zu]", i);
        const struct match_entry *c = find_entry(&d, p.candidates, p.ncandidates, u);
        const struct match_entry *x = find_entry(&d, p.excluded, p.nexcluded, u);
        if (!c && !x) {
            jsonin_error(errors, path, "unknown_mediator", NULL);
            continue;
        }
        if (i == 1 && in.n == 1 && in.mediators[0] == d.m[(c ? c : x)->mediator].user_id) {
            jsonin_error(errors, path, "duplicate", NULL);
            continue;
        }
        if (x) {
            /* excluded: only a conflict of interest may be overridden, with a written reason; a
             * mediator lacking a language may join as the second of a pair */
            bool conflict_only = true, language_only = true;
            for (int k = 0; k < x->nreasons; k++) {
                conflict_only &= x->reasons[k].code == MATCH_CONFLICT_OF_INTEREST;
                language_only &= x->reasons[k].code == MATCH_LANGUAGE_MISSING;
            }
            /* a language-only exclusion is lifted only inside a pair the proposal made: the two
             * named must be that pair */
            bool pair_member = false;
            const char *other = json_string_value(json_array_get(names, 1 - i));
            for (int k = 0; other && k < p.npairs; k++) {
                const char *a = d.m[p.pairs[k].a].username, *b = d.m[p.pairs[k].b].username;
                if ((p.pairs[k].a == x->mediator && strcmp(b, other) == 0) ||
                    (p.pairs[k].b == x->mediator && strcmp(a, other) == 0))
                    pair_member = true;
            }
            if (conflict_only && override) {
                in.overridden[in.noverridden++] = d.m[x->mediator].user_id;
            } else if (!(language_only && pair_member && json_array_size(names) == 2)) {
                jsonin_error(errors, path, conflict_only ? "conflict_needs_override"
                                                         : "mediator_ineligible", NULL);
                continue;
            }
        }
        /* the first choice is exactly the first candidate alone (or the first pair, below) */
        if (c && i == 0 && json_array_size(names) == 1 && p.ncandidates &&
            p.candidates[0].mediator == c->mediator)
            first_choice = true;
        in.mediators[in.n++] = d.m[(c ? c : x)->mediator].user_id;
    }
    if (json_array_size(names) == 2) { /* a pair the proposal made counts as its choice */
        for (int k = 0; k < p.npairs && in.n == 2; k++)
            if ((p.pairs[k].a_user_id == in.mediators[0] &&
                 p.pairs[k].b_user_id == in.mediators[1]) ||
                (p.pairs[k].a_user_id == in.mediators[1] &&
                 p.pairs[k].b_user_id == in.mediators[0]))
                first_choice = first_choice || k == 0;
    }
    if (!first_choice && !reason)
        jsonin_error(errors, "reason", "reason_for_own_choice", NULL);
    if (!json_array_size(errors) && in.noverridden && !override)
        jsonin_error(errors, "override_reason", "required", NULL);
    proposal_free(&d, &p);
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    struct actor who = actor_of(req);
    in.override_reason = in.noverridden ? override : NULL;
    st = store_assign(id, &in, &who);
    if (st == ST_CONFLICT) {
        http_reply_error(req, "case.conflict", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    case_reply(req, 200, id);
}

static const struct jf recusal_spec[] = {
    {.name = "mediator", .type = JF_STRING, .required = true, .min = 3, .max = 32},
    {.name = "grounds", .type = JF_TEXT, .required = true, .min = 1, .max = 2000},
};

void api_recusal_request(struct http_req *req)
{
    int64_t id = api_path_id(req, "id");
    struct resource r;
    enum st st;
    if (!api_case_visible(req, id, &r) || !api_allow(req, ACT_CASE_RECUSAL, &r))
        return;
    json_t *body = api_body(req, recusal_spec, JF_COUNT(recusal_spec));
    if (!body)
        return;
    const char *name = json_string_value(json_object_get(body, "mediator"));
    int64_t ids[4] = {0};
    char users[4][33] = {{0}};
    int n = 0;
    store_case_mediators(id, ids, users, 4, &n);
    int64_t mediator = 0;
    for (int i = 0; i < n && i < 4; i++)
        if (strncmp(users[i], name, sizeof users[i]) == 0)
            mediator = ids[i];
    if (!mediator) {
        json_t *errors = json_array();
        jsonin_error(errors, "mediator", "not_on_case", NULL);
        http_reply_error(req, "request.validation", errors);
        return;
    }
    const struct principal *p = api_principal(req);
    if (p->role == ROLE_MEDIATOR && mediator != p->user_id) {
        http_reply_error(req, "auth.forbidden", NULL);
        return;
    }
    struct actor who = actor_of(req);
    int64_t rid;
    st = store_recusal_request(id, mediator, json_string_value(json_object_get(body, "grounds")),
                               &who, &rid);
    /* a mediator's own recusal needs no decision */
    if (st == ST_OK && p->role == ROLE_MEDIATOR)
        st = store_recusal_decide(id, rid, true, NULL, &who);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    http_reply_json(req, 201, json_pack("{s:I,s:s}", "id", (json_int_t)rid, "status",
                                        p->role == ROLE_MEDIATOR ? "accepted" : "pending"));
}

static const struct jf decision_spec[] = {
    {.name = "accept", .type = JF_BOOL, .required = true},
    {.name = "reason", .type = JF_TEXT, .required = true, .min = 1, .max = 2000},
};

void api_recusal_decide(struct http_req *req)
{
    int64_t id;
    struct resource r;
    if (!assign_allowed(req, &id, &r))
        return;
    json_t *body = api_body(req, decision_spec, JF_COUNT(decision_spec));
    if (!body)
        return;
    int64_t rid = api_path_id(req, "rid");
    struct actor who = actor_of(req);
    enum st st = store_recusal_decide(id, rid, json_is_true(json_object_get(body, "accept")),
                                      json_string_value(json_object_get(body, "reason")), &who);
    if (st == ST_NONE) {
        http_reply_error(req, "recusal.not_found", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    case_reply(req, 200, id);
}

void api_recusals_list(struct http_req *req)
{
    int64_t id = api_path_id(req, "id");
    struct resource r;
    if (!api_case_visible(req, id, &r))
        return;
    struct recusal_row rows[32];
    int n = 0;
    enum st st = store_recusals(id, rows, 32, &n);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o,s:o,s:I}", "id",
                                               (json_int_t)rows[i].id, "mediator",
                                               rows[i].mediator, "status", rows[i].status,
                                               "grounds",
                                               rows[i].grounds ? json_string(rows[i].grounds)
                                                               : json_null(),
                                               "decision",
                                               rows[i].decision ? json_string(rows[i].decision)
                                                                : json_null(),
                                               "created_at", (json_int_t)rows[i].created_at));
        recusal_row_free(&rows[i]);
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* ---- for the shortlist (shortlist.c) ---- */

json_t *api_mediator_public_json(const struct mediator_info *m)
{
    json_t *o = mediator_json(m, false);
    json_object_del(o, "capacity"); /* the parties choose on who they are, not on their load */
    json_object_del(o, "open_cases");
    return o;
}

enum st api_proposal_standing(int64_t case_id, const char *const *usernames, int n,
                              int64_t *user_ids, enum proposal_standing *out)
{
    struct match_data d;
    struct match_proposal p;
    enum st st = propose(case_id, &d, &p, 0);
    for (int i = 0; st == ST_OK && i < n; i++) {
        const struct match_entry *c = find_entry(&d, p.candidates, p.ncandidates, usernames[i]);
        const struct match_entry *x = c ? NULL
                                        : find_entry(&d, p.excluded, p.nexcluded, usernames[i]);
        out[i] = c ? STANDING_CANDIDATE : x ? STANDING_EXCLUDED : STANDING_UNKNOWN;
        user_ids[i] = c || x ? d.m[(c ? c : x)->mediator].user_id : 0;
    }
    proposal_free(&d, &p);
    return st;
}
