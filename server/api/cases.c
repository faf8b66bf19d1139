/* cases.c: filing, reading, listing, editing drafts and moving a case through its life. */
#include "api/cases.h"
#include "api/case_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/workcal.h"
#include "i18n/text.h"
#include "vault/digest.h"
#include "store/audit_log.h"
#include "vault/vault.h"

#define RESPONDENT_DAYS 7  /* the respondent answers within 7 days of the invitation */
#define MEDIATION_DAYS 30  /* mediation ends within 30 days of acceptance */
#define INVITATION_TTL (14 * 24 * 3600)

static struct actor actor_of(struct http_req *req)
{
    const struct principal *p = api_principal(req);
    return (struct actor){p->user_id, role_name(p->role), http_client_addr(req)};
}

/* The case id of the path, strictly parsed; replies 404 and returns 0 when malformed. */
static int64_t path_id(struct http_req *req, const char *name)
{
    int64_t v = api_path_id(req, name);
    if (!v)
        http_reply_error(req, strcmp(name, "doc") == 0 ? "document.not_found" : "case.not_found",
                         NULL);
    return v;
}

/* Loads how the caller stands to the case and checks action a; replies (404 when the caller may
 * not even know the case exists) and returns false when refused. Refusals are audited. */
static bool case_allowed(struct http_req *req, int64_t id, enum action a, struct resource *r)
{
    enum st st = store_case_access(id, api_principal(req), r);
    if (st == ST_NONE) {
        http_reply_error(req, "case.not_found", NULL);
        return false;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return false;
    }
    if (policy_allows(api_principal(req), a, r))
        return true;
    struct actor who = actor_of(req);
    store_audit(&who, "access_refused", "case", id, "refused", "");
    /* someone with no standing on the case learns nothing, not even that it exists */
    bool knows = policy_allows(api_principal(req), ACT_CASE_READ, r);
    http_reply_error(req, knows ? "auth.forbidden" : "case.not_found", NULL);
    return false;
}

bool api_case_visible(struct http_req *req, int64_t id, struct resource *r)
{
    enum st st = id > 0 ? store_case_access(id, api_principal(req), r) : ST_NONE;
    if (st == ST_NONE || (st == ST_OK && !policy_allows(api_principal(req), ACT_CASE_READ, r))) {
        http_reply_error(req, "case.not_found", NULL);
        return false;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return false;
    }
    return true;
}

void case_reply(struct http_req *req, unsigned status, int64_t id)
{
    struct resource r;
    struct case_record rec;
    enum st st = store_read_begin(); /* one snapshot for the whole case */
    if (st == ST_OK)
        st = store_case_access(id, api_principal(req), &r);
    if (st == ST_OK)
        st = store_case_get(id, &rec);
    store_read_end();
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    json_t *out = case_output_json(req, &rec, &r);
    case_record_free(&rec);
    http_reply_json(req, status, out);
}

static void resume_request(void *ctx)
{
    http_resume(ctx);
}

/* The reply to a filing, once its batch is durable. */
static void cases_create_done(struct http_req *req)
{
    struct api_ctx *c = http_app(req);
    int64_t id = 0;
    bool replayed = false;
    enum st st = c->pending ? store_case_file_finish(c->pending, &id, &replayed) : ST_ERROR;
    c->pending = NULL;
    free(c->filing);
    c->filing = NULL;
    if (st == ST_CONFLICT && id == -1) {
        http_reply_error(req, "request.idempotency_mismatch", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    if (replayed)
        http_add_header(req, "Idempotent-Replayed", "true");
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/cases/%lld", (long long)id);
    http_add_header(req, "Location", loc);
    case_reply(req, replayed ? 200 : 201, id);
}

void api_cases_create(struct http_req *req)
{
    json_t *errors = json_array();
    json_t *body = api_body_errors(req, case_create_spec, case_create_nspec, errors);
    if (!body) {
        json_decref(errors);
        return;
    }
    const char *idem = http_header(req, "Idempotency-Key");
    if (idem && (strlen(idem) < 1 || strlen(idem) > 128)) {
        jsonin_error(errors, "Idempotency-Key", "too_long",
                     json_pack("{s:i,s:i}", "min", 1, "max", 128));
    }
    bool submit = json_is_true(json_object_get(body, "submit"));
    struct filing *f = calloc(1, sizeof *f);
    if (!f || !case_read_filing(body, api_principal(req), f, submit, errors) ||
        json_array_size(errors)) {
        free(f);
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    /* the filing joins the next group commit; the request waits without holding a thread */
    struct api_ctx *c = http_app(req);
    const struct user *u = api_user(req);
    c->filing = f;
    c->who = actor_of(req);
    http_suspend(req, cases_create_done);
    /* the idempotency key is bound to the request's bytes */
    uint8_t digest[32];
    size_t blen;
    const char *raw = http_body(req, &blen);
    vault_sha256(raw, blen, digest);
    c->pending = store_case_file_submit(f, &c->who, u->role == ROLE_LAWYER ? u->firm_id : 0,
                                        submit, idem, digest, resume_request, req);
    if (!c->pending)
        http_resume(req);
}

void api_cases_list(struct http_req *req)
{
    int limit;
    int64_t cursor;
    if (!api_page(req, 20, 100, &limit, &cursor))
        return;
    struct case_filter f = {http_query(req, "status"), http_query(req, "type"),
                            http_query(req, "center"), http_query(req, "q"),
                            http_query(req, "number")};
    json_t *errors = json_array();
    if (f.q && (!utf8_valid(f.q, strlen(f.q)) || strlen(f.q) > 200))
        jsonin_error(errors, "q", "too_long", json_pack("{s:i,s:i}", "min", 1, "max", 200));
    else if (f.q && !*f.q)
        f.q = NULL;
    enum case_state s;
    if (f.status && !case_state_from_name(f.status, &s)) {
        char list[512] = "";
        for (int i = 0; i < CASE_STATE_COUNT; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     case_state_name((enum case_state)i));
        jsonin_error(errors, "status", "choice", json_pack("{s:s}", "choices", list));
    }
    struct center cc;
    if (f.center && store_center_by_code(f.center, &cc) != ST_OK)
        jsonin_error(errors, "center", "unknown_center", NULL);
    if (f.type && case_type_parse(f.type) == CASE_TYPE_NONE)
        jsonin_error(errors, "type", "choice", json_pack("{s:s}", "choices", "family, commercial"));
    if (json_array_size(errors)) {
        http_reply_error(req, "request.invalid_query", errors);
        return;
    }
    json_decref(errors);
    struct case_summary *page = calloc((size_t)limit, sizeof *page);
    int n = 0;
    const struct principal *p = api_principal(req);
    enum st st = page ? store_read_begin() : ST_ERROR;
    if (st == ST_OK)
        st = store_cases_list(p, policy_case_scope(p), &f, cursor, limit, page, &n);
    store_read_end();
    if (st != ST_OK) {
        free(page);
        api_store_failed(req, st);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, case_summary_json(req, &page[i]));
        case_summary_free(&page[i]);
    }
    json_t *out = json_object();
    json_object_set_new(out, "items", items);
    char next[24]; /* a search pages by rank, so its cursor is an offset */
    snprintf(next, sizeof next, "%lld",
             n == limit ? (f.q ? (long long)(cursor + n) : (long long)page[n - 1].id) : 0LL);
    json_object_set_new(out, "next_cursor", n == limit ? json_string(next) : json_null());
    free(page);
    http_reply_json(req, 200, out);
}

void api_case_get(struct http_req *req)
{
    int64_t id = path_id(req, "id");
    if (!id)
        return;
    const struct principal *p = api_principal(req);
    if (p->role == ROLE_CASE_OFFICER || p->role == ROLE_MEDIATOR) {
        /* staff reads of protected records are audited (refusals included, by case_allowed) */
        struct resource r;
        if (!case_allowed(req, id, ACT_CASE_READ, &r))
            return;
        struct actor who = actor_of(req);
        store_audit(&who, "case_read", "case", id, "ok", "");
        case_reply(req, 200, id);
        return;
    }
    /* the parties' side: the access decision and the case read in one snapshot; a view rendered
     * for the same reader since the case last changed is reused */
    struct resource r;
    struct case_record rec;
    enum st st = store_read_begin();
    if (st == ST_OK)
        st = store_case_access(id, p, &r);
    bool allowed = st == ST_OK && policy_allows(p, ACT_CASE_READ, &r);
    struct case_view_key key = {
        .case_id = id,
        .version = r.version,
        .user_id = p->user_id,
        .day = (int32_t)((time(NULL) + 8 * 3600) / 86400),
        .bits = (uint32_t)p->role | (uint32_t)http_lang(req) << 4 | (uint32_t)r.draft << 8 |
                (uint32_t)r.filer << 9 | (uint32_t)r.applicant << 10 |
                (uint32_t)r.respondent << 11 | (uint32_t)r.firm_applicant << 12 |
                (uint32_t)r.firm_respondent << 13 | (uint32_t)r.mediator << 14 |
                (uint32_t)r.open << 15,
    };
    if (allowed) {
        size_t len;
        char *cached = case_cache_get(&key, &len);
        if (cached) {
            store_read_end();
            http_reply_bytes(req, 200, "application/json; charset=utf-8", cached, len);
            vault_wipe(cached, len);
            free(cached);
            return;
        }
        st = store_case_get(id, &rec);
    }
    store_read_end();
    if (st == ST_NONE || (st == ST_OK && !allowed)) {
        if (st == ST_OK) {
            struct actor who = actor_of(req);
            store_audit(&who, "access_refused", "case", id, "refused", "");
        }
        http_reply_error(req, "case.not_found", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    json_t *out = case_output_json(req, &rec, &r);
    case_record_free(&rec);
    char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
    json_decref(out);
    if (!text) {
        http_reply_error(req, "internal", NULL);
        return;
    }
    size_t len = strlen(text);
    case_cache_put(&key, text, len);
    http_reply_bytes(req, 200, "application/json; charset=utf-8", text, len);
    vault_wipe(text, len);
    free(text);
}

void api_case_patch(struct http_req *req)
{
    int64_t id = path_id(req, "id");
    struct resource r;
    if (!id)
        return;
    json_t *body = api_body(req, case_patch_spec, case_patch_nspec);
    if (!body || !case_allowed(req, id, ACT_CASE_EDIT_DRAFT, &r))
        return;
    struct case_record rec;
    enum st st = store_case_get(id, &rec);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    /* a merge patch at the top level: what the body names replaces, the rest stays */
    json_t *merged = case_input_json(&rec);
    case_record_free(&rec);
    json_t *version = json_object_get(body, "version");
    int expected = version ? (int)json_integer_value(version) : 0;
    json_object_del(body, "version");
    json_object_update(merged, body);
    bool submit = json_is_true(json_object_get(merged, "submit"));
    struct filing *f = calloc(1, sizeof *f);
    json_t *errors = json_array();
    if (!f || !case_read_filing(merged, api_principal(req), f, submit, errors)) {
        free(f);
        json_decref(merged);
        http_reply_error(req, "request.validation", errors);
        return;
    }
    json_decref(errors);
    struct actor who = actor_of(req);
    st = store_case_update_draft(id, expected, f, &who, submit);
    free(f);
    json_decref(merged);
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

static const struct jf event_spec[] = {
    {.name = "event", .type = JF_STRING, .required = true, .min = 1, .max = 48},
    {.name = "reason", .type = JF_TEXT, .min = 1, .max = 2000},
};

/* The center's working-day calendar and its overrides; false if they cannot be read. */
static bool center_calendar(int64_t center_id, enum workcal *cal, struct workcal_override *ov,
                            int cap, int *nov)
{
    struct center list[32];
    size_t n = 0;
    *nov = 0;
    if (store_centers_list(list, 32, &n) != ST_OK)
        return false;
    const char *name = "mainland";
    for (size_t i = 0; i < n; i++)
        if (list[i].id == center_id)
            name = list[i].calendar;
    if (!workcal_from_name(name, cal))
        *cal = WORKCAL_MAINLAND;
    struct calendar_override_row *rows = calloc((size_t)cap, sizeof *rows);
    int nrows = 0;
    if (!rows || store_calendar_overrides(name, rows, cap, &nrows) != ST_OK) {
        free(rows);
        return false;
    }
    for (int i = 0; i < nrows; i++)
        if (civil_parse_daynum(rows[i].day, &ov[*nov].daynum))
            ov[(*nov)++].is_working_day = rows[i].working;
    free(rows);
    return true;
}

/* Today in the centers' zone (UTC+8) as a day number. */
static int32_t today_daynum(void)
{
    return (int32_t)((time(NULL) + 8 * 3600) / 86400);
}

void api_case_event(struct http_req *req)
{
    int64_t id = path_id(req, "id");
    if (!id)
        return;
    json_t *body = api_body(req, event_spec, JF_COUNT(event_spec));
    if (!body)
        return;
    const char *evname = json_string_value(json_object_get(body, "event"));
    const char *reason = json_string_value(json_object_get(body, "reason"));
    enum case_event ev;
    if (!case_event_from_name(evname, &ev) || case_event_action(ev) == ACT_COUNT) {
        json_t *errors = json_array();
        jsonin_error(errors, "event", "unknown_event", NULL);
        http_reply_error(req, "request.validation", errors);
        return;
    }
    struct resource r;
    if (!case_allowed(req, id, ACT_CASE_READ, &r))
        return;
    const struct principal *p = api_principal(req);
    if (!case_event_permitted(p, &r, ev)) {
        struct actor who = actor_of(req);
        store_audit(&who, "event_refused", "case", id, "refused", evname);
        http_reply_error(req, "case.actor_refused", NULL);
        return;
    }
    struct case_record rec;
    enum st st = store_case_get(id, &rec);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    enum case_state from, to;
    enum case_actor actor;
    case_state_from_name(rec.s.status, &from);
    int64_t center_id = rec.s.center_id;
    bool answer_overdue = deadline_passed(rec.s.respondent_due);
    case_record_free(&rec);
    if (ev == CASE_EV_RESPONDENT_DEADLINE_PASSED && from == CASE_RESPONDENT_INVITED &&
        !answer_overdue) {
        http_reply_error(req, "case.deadline_not_passed", NULL);
        return;
    }
    if (!case_actor_for(p, &r, &actor)) {
        http_reply_error(req, "case.actor_refused", NULL);
        return;
    }
    const char *code = case_transition(from, ev, actor, reason && *reason, &to);
    if (code) {
        http_reply_error(req, code, NULL);
        return;
    }
    struct actor who = actor_of(req);
    if (ev == CASE_EV_SUBMIT) { /* the same completeness rules as submitting by PATCH */
        struct case_record draft;
        if ((st = store_case_get(id, &draft)) != ST_OK) {
            api_store_failed(req, st);
            return;
        }
        json_t *input = case_input_json(&draft);
        case_record_free(&draft);
        struct filing *f = calloc(1, sizeof *f);
        json_t *errors = json_array();
        bool ok = f && case_read_filing(input, p, f, true, errors);
        free(f);
        json_decref(input);
        if (!ok) {
            http_reply_error(req, "request.validation", errors);
            return;
        }
        json_decref(errors);
        st = store_case_submit(id, &who);
        if (st == ST_CONFLICT) {
            http_reply_error(req, "case.conflict", NULL);
            return;
        }
        if (st != ST_OK) {
            api_store_failed(req, st);
            return;
        }
        case_reply(req, 200, id);
        return;
    }
    struct case_transition_set set = {0};
    char resp_due[CIVIL_ISO_SIZE] = "", med_due[CIVIL_ISO_SIZE] = "";
    if (ev == CASE_EV_ACCEPT) {
        enum workcal cal;
        struct workcal_override ov[512];
        int nov = 0;
        if (!center_calendar(center_id, &cal, ov, 512, &nov)) {
            http_reply_error(req, "internal", NULL);
            return;
        }
        int32_t today = today_daynum();
        civil_format_daynum(workcal_deadline(cal, ov, (size_t)nov, today, RESPONDENT_DAYS,
                                             WORKCAL_CALENDAR_DAYS),
                            resp_due, sizeof resp_due);
        civil_format_daynum(workcal_deadline(cal, ov, (size_t)nov, today, MEDIATION_DAYS,
                                             WORKCAL_CALENDAR_DAYS),
                            med_due, sizeof med_due);
        set.respondent_due = resp_due;
        set.mediation_due = med_due;
        set.set_accepted_at = true;
    }
    st = store_case_transition(id, case_state_name(from), case_state_name(to), evname, &who,
                               reason, &set);
    if (st == ST_CONFLICT) {
        http_reply_error(req, "case.conflict", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    json_t *invitation = NULL;
    if (ev == CASE_EV_ACCEPT) {
        /* acceptance invites the respondent at once: a one-time code for them to answer with */
        char code_text[VAULT_TOKEN_LEN + 1];
        uint8_t hash[VAULT_TOKEN_HASH_LEN];
        vault_token_new(code_text, hash);
        int64_t expires = store_now() + INVITATION_TTL;
        st = store_invitation_create(id, hash, expires);
        if (st == ST_OK)
            st = store_case_transition(id, "accepted", "respondent_invited", "invite_respondent",
                                       &who, NULL, NULL);
        if (st != ST_OK) {
            api_store_failed(req, st);
            return;
        }
        char url[128];
        snprintf(url, sizeof url, "/invitation/%s", code_text);
        invitation = json_pack("{s:s,s:s,s:I,s:s}", "code", code_text, "path", url, "expires_at",
                               (json_int_t)expires, "respondent_due", resp_due);
        vault_wipe(code_text, sizeof code_text);
    }
    struct case_record after;
    if ((st = store_case_get(id, &after)) != ST_OK ||
        (st = store_case_access(id, p, &r)) != ST_OK) {
        if (st == ST_OK)
            case_record_free(&after);
        api_store_failed(req, st);
        return;
    }
    json_t *out = case_output_json(req, &after, &r);
    case_record_free(&after);
    if (invitation)
        json_object_set_new(out, "invitation", invitation);
    http_reply_json(req, 200, out);
}

static const struct jf redeem_spec[] = {
    {.name = "code", .type = JF_STRING, .required = true, .min = 1, .max = 64},
};

void api_invitation_redeem(struct http_req *req)
{
    json_t *body = api_body(req, redeem_spec, JF_COUNT(redeem_spec));
    if (!body)
        return;
    uint8_t hash[VAULT_TOKEN_HASH_LEN];
    int64_t case_id = 0;
    bool own = false;
    enum st st = ST_NONE;
    if (vault_token_hash(json_string_value(json_object_get(body, "code")), hash))
        st = store_invitation_redeem(hash, api_principal(req)->user_id,
                                     api_principal(req)->role == ROLE_LAWYER, store_now(),
                                     &case_id, &own);
    if (st == ST_CONFLICT && own) {
        http_reply_error(req, "invitation.own_case", NULL);
        return;
    }
    if (st == ST_NONE) {
        http_reply_error(req, "invitation.invalid", NULL);
        return;
    }
    if (st == ST_CONFLICT) {
        http_reply_error(req, "invitation.expired", NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    case_reply(req, 200, case_id);
}

static const char *const erase_reasons[] = {"lawful_request", "retention", NULL};
static const struct jf erase_spec[] = {
    {.name = "reason", .type = JF_ENUM, .required = true, .choices = erase_reasons},
};

/* POST /api/v1/cases/{id}/erase (admin): an archived case's key is destroyed. */
void api_case_erase(struct http_req *req)
{
    int64_t id = path_id(req, "id");
    if (!id)
        return;
    json_t *body = api_body(req, erase_spec, JF_COUNT(erase_spec));
    if (!body)
        return;
    struct actor who = actor_of(req);
    enum st st = store_case_erase(id, &who, json_string_value(json_object_get(body, "reason")));
    if (st == ST_NONE || st == ST_CONFLICT) {
        struct resource r;
        http_reply_error(req, store_case_access(id, api_principal(req), &r) == ST_OK
                                  ? "case.transition_refused"
                                  : "case.not_found",
                         NULL);
        return;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", "erased"));
}

/* POST /api/v1/cases/{id}/invitation (officer): a new code when the first was lost; the old one
 * stops working. */
void api_invitation_reissue(struct http_req *req)
{
    int64_t id = path_id(req, "id");
    struct resource r;
    if (!id || !case_allowed(req, id, ACT_CASE_SCREEN, &r))
        return;
    struct case_record rec;
    enum st st = store_case_get(id, &rec);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    bool waiting = strcmp(rec.s.status, "respondent_invited") == 0;
    char due[11];
    snprintf(due, sizeof due, "%s", rec.s.respondent_due);
    case_record_free(&rec);
    if (!waiting) {
        http_reply_error(req, "case.transition_refused", NULL);
        return;
    }
    char code_text[VAULT_TOKEN_LEN + 1];
    uint8_t hash[VAULT_TOKEN_HASH_LEN];
    vault_token_new(code_text, hash);
    int64_t expires = store_now() + INVITATION_TTL;
    struct actor who = actor_of(req);
    st = store_invitation_reissue(id, hash, expires, &who);
    if (st != ST_OK) {
        vault_wipe(code_text, sizeof code_text);
        api_store_failed(req, st);
        return;
    }
    char url[128];
    snprintf(url, sizeof url, "/invitation/%s", code_text);
    json_t *out = json_pack("{s:{s:s,s:s,s:I,s:s}}", "invitation", "code", code_text, "path", url,
                            "expires_at", (json_int_t)expires, "respondent_due", due);
    vault_wipe(code_text, sizeof code_text);
    http_reply_json(req, 201, out);
}
