/* case_out.c: a case as JSON, for the caller: what they may see, in their language, with each
 * free text in its original and, where the reader's script differs, a labelled converted view. */
#include "api/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/case_state.h"
#include "i18n/convert.h"
#include "i18n/format.h"
#include "store/mediators.h"
#include "vault/digest.h"

static json_t *jstr(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* Sets key to text, and key_converted to {"text","from"} when the reader writes the other Chinese
 * script: the original is never replaced, only shown beside its converted view. */
static void add_text(json_t *o, const char *key, const char *text, enum lang reader,
                     enum convert_kind kind)
{
    json_object_set_new(o, key, jstr(text));
    if (!text || !*text || (reader != LANG_ZH_HANS && reader != LANG_ZH_HANT))
        return;
    enum script want = reader == LANG_ZH_HANS ? SCRIPT_HANS : SCRIPT_HANT;
    enum script have = script_detect(text, strlen(text));
    if (have == SCRIPT_NONE || have == want)
        return;
    char *conv = convert_text(text, strlen(text), want, kind);
    if (conv && strcmp(conv, text) != 0) {
        char k[64];
        snprintf(k, sizeof k, "%s_converted", key);
        json_object_set_new(o, k, json_pack("{s:s,s:s}", "text", conv, "from",
                                            have == SCRIPT_HANS ? "zh-Hans" : "zh-Hant"));
    }
    free(conv);
}

static json_t *spoken_json(const char *list)
{
    json_t *a = json_array();
    char buf[64];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
        json_array_append_new(a, json_string(p));
    return a;
}

static json_t *party_json(const struct case_party *p, bool full, enum lang reader)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(p->kind));
    add_text(o, "name", p->name, reader, CONVERT_NAME);
    json_object_set_new(o, "name_latin", jstr(p->name_latin));
    json_object_set_new(o, "residence", jstr(p->residence));
    json_object_set_new(o, "language", jstr(p->language));
    json_object_set_new(o, "spoken", spoken_json(p->spoken));
    json_object_set_new(o, "lawyer", jstr(p->lawyer_username));
    json_object_set_new(o, "registered", json_boolean(p->user_id != 0));
    if (full) { /* identity and contact details: the party's own side and staff only */
        json_object_set_new(o, "id_document",
                            p->id_type[0] ? json_pack("{s:s,s:o}", "type", p->id_type, "number",
                                                      jstr(p->id_number))
                                          : json_null());
        json_object_set_new(o, "phone", jstr(p->phone));
        json_object_set_new(o, "email", jstr(p->email));
        json_object_set_new(o, "address", jstr(p->address));
    }
    return o;
}

static json_t *money_json(int64_t minor, const char *currency, enum lang reader)
{
    char plain[40], display[128];
    int64_t a = minor < 0 ? -minor : minor;
    snprintf(plain, sizeof plain, "%lld.%02lld", (long long)(a / 100), (long long)(a % 100));
    format_money(reader, minor, currency, display, sizeof display);
    return json_pack("{s:s,s:s,s:s}", "value", plain, "currency", currency, "display", display);
}

/* Today in the centers' zone (UTC+8) as YYYY-MM-DD, recomputed when the day changes. */
static void today_iso(char out[11])
{
    static _Thread_local int64_t day = -1;
    static _Thread_local char text[11];
    int64_t d = ((int64_t)time(NULL) + 8 * 3600) / 86400;
    if (d != day) {
        time_t t = (time_t)(d * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(text, sizeof text, "%Y-%m-%d", &tm);
        day = d;
    }
    memcpy(out, text, 11);
}

static json_t *deadline_json(const char *date, enum lang reader, bool running)
{
    if (!date || !*date)
        return json_null();
    char display[64];
    format_date(reader, date, display, sizeof display);
    /* overdue when today (UTC+8, both centers' zone) is past the date */
    char today[11];
    today_iso(today);
    /* a deadline no longer running (the answer came, the case ended) is never overdue */
    return json_pack("{s:s,s:s,s:b,s:b}", "date", date, "display", display, "running", running,
                     "overdue", running && strcmp(today, date) > 0);
}

json_t *case_summary_json(struct http_req *req, const struct case_summary *s)
{
    enum lang reader = http_lang(req);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(s->id));
    json_object_set_new(o, "number", jstr(s->number));
    json_object_set_new(o, "center", json_string(s->center));
    json_object_set_new(o, "type", json_string(s->type));
    json_object_set_new(o, "subtype", json_string(s->subtype));
    json_object_set_new(o, "status", json_string(s->status));
    add_text(o, "title", s->title, reader, CONVERT_TEXT);
    json_object_set_new(o, "created_at", json_integer(s->created_at));
    json_object_set_new(o, "updated_at", json_integer(s->updated_at));
    json_object_set_new(o, "submitted_at", s->submitted_at ? json_integer(s->submitted_at)
                                                           : json_null());
    json_t *d = json_object();
    bool invited = strcmp(s->status, "respondent_invited") == 0;
    bool mediating = invited || strcmp(s->status, "respondent_agreed") == 0 ||
                     strcmp(s->status, "mediator_assigned") == 0 ||
                     strcmp(s->status, "in_mediation") == 0;
    json_object_set_new(d, "respondent_answer", deadline_json(s->respondent_due, reader, invited));
    json_object_set_new(d, "mediation_end", deadline_json(s->mediation_due, reader, mediating));
    json_object_set_new(o, "deadlines", d);
    return o;
}

bool deadline_passed(const char *due)
{
    if (!due || !*due)
        return false;
    char today[11];
    today_iso(today);
    return strcmp(today, due) > 0;
}

/* The events this caller may ask for now (the state machine and the policy agree). */
static json_t *actions_json(struct http_req *req, const struct case_record *r,
                            const struct resource *access)
{
    json_t *a = json_array();
    enum case_state state;
    enum case_actor actor;
    if (!case_state_from_name(r->s.status, &state) ||
        !case_actor_for(api_principal(req), access, &actor))
        return a;
    enum case_event evs[CASE_EVENT_COUNT];
    size_t n = case_events_available(state, actor, evs, CASE_EVENT_COUNT);
    for (size_t i = 0; i < n && i < CASE_EVENT_COUNT; i++)
        if (case_event_permitted(api_principal(req), access, evs[i]) &&
            (evs[i] != CASE_EV_RESPONDENT_DEADLINE_PASSED || deadline_passed(r->s.respondent_due)))
            json_array_append_new(a, json_string(case_event_name(evs[i])));
    return a;
}

json_t *case_output_json(struct http_req *req, const struct case_record *r,
                         const struct resource *access)
{
    enum lang reader = http_lang(req);
    const struct principal *p = api_principal(req);
    bool staff = p->role == ROLE_CASE_OFFICER || p->role == ROLE_MEDIATOR;
    json_t *o = case_summary_json(req, &r->s);
    json_object_set_new(o, "version", json_integer(r->s.version));
    json_object_set_new(o, "script", jstr(r->s.script));
    json_object_set_new(o, "erased", json_boolean(r->erased));
    add_text(o, "summary", r->summary, reader, CONVERT_TEXT);
    add_text(o, "request", r->request, reader, CONVERT_TEXT);
    json_t *apps = json_array(), *resps = json_array();
    for (int i = 0; i < r->nparties; i++) {
        const struct case_party *pt = &r->parties[i];
        bool applicant = strcmp(pt->side, "applicant") == 0;
        /* identity and contact details: staff, and the party's own side (its lawyers' firm too) */
        bool own_side = applicant
                            ? (access->applicant || access->filer || access->firm_applicant)
                            : (access->respondent || access->firm_respondent);
        if (access->draft && access->filer)
            own_side = true; /* the filer wrote every party of their own draft */
        json_array_append_new(applicant ? apps : resps, party_json(pt, staff || own_side, reader));
    }
    json_object_set_new(o, "applicants", apps);
    json_object_set_new(o, "respondents", resps);
    json_t *claims = json_array();
    for (int i = 0; i < r->nclaims; i++) {
        json_t *c = json_object();
        add_text(c, "description", r->claims[i].description, reader, CONVERT_TEXT);
        json_object_set_new(c, "amount", r->claims[i].has_amount
                                             ? money_json(r->claims[i].amount_minor,
                                                          r->claims[i].currency, reader)
                                             : json_null());
        json_array_append_new(claims, c);
    }
    json_object_set_new(o, "claims", claims);
    json_t *addrs = json_array();
    if (staff || access->applicant || access->filer)
        for (int i = 0; i < r->naddresses; i++)
            json_array_append_new(addrs, json_pack("{s:s,s:o}", "channel",
                                                   r->addresses[i].channel, "value",
                                                   jstr(r->addresses[i].value)));
    json_object_set_new(o, "consent", json_pack("{s:b,s:b,s:o}", "mediation",
                                                r->consent_mediation, "electronic_service",
                                                r->consent_eservice, "addresses", addrs));
    json_t *docs = json_array();
    for (int i = 0; i < r->ndocs; i++) {
        const struct case_doc *d = &r->docs[i];
        struct resource dr = *access;
        dr.doc_mediator_only = strcmp(d->visibility, "mediator") == 0;
        dr.doc_own_side = (d->side[0] == 'a' && (access->applicant || access->filer)) ||
                          (d->side[0] == 'r' && access->respondent) ||
                          d->uploaded_by == p->user_id;
        if (!policy_allows(p, ACT_DOC_READ, &dr))
            continue; /* a document the caller may not see is not even listed */
        char hex[65];
        vault_hex32(d->sha256, hex);
        json_t *dj = json_pack("{s:I,s:o,s:s,s:s,s:s,s:I,s:s,s:I}", "id", (json_int_t)d->id,
                               "title", jstr(d->title), "kind", d->kind, "visibility",
                               d->visibility, "media_type", d->media_type, "size",
                               (json_int_t)d->size, "sha256", hex, "created_at",
                               (json_int_t)d->created_at);
        json_array_append_new(docs, dj);
    }
    json_object_set_new(o, "documents", docs);
    json_t *tl = json_array();
    for (int i = 0; i < r->nevents; i++) {
        const struct case_timeline_entry *e = &r->events[i];
        json_t *ej = json_pack("{s:I,s:s,s:o,s:s,s:o,s:o}", "at", (json_int_t)e->ts, "event",
                               e->event, "actor", jstr(e->actor_username), "role", e->actor_role,
                               "from", jstr(e->from_state), "to", jstr(e->to_state));
        add_text(ej, "reason", e->reason, reader, CONVERT_TEXT);
        json_array_append_new(tl, ej);
    }
    json_object_set_new(o, "timeline", tl);
    json_object_set_new(o, "actions", actions_json(req, r, access));
    json_object_set_new(o, "can_upload",
                        json_boolean(access->open && policy_allows(p, ACT_DOC_UPLOAD, access)));
    int64_t ids[4];
    char users[4][33];
    int n = 0;
    json_t *meds = json_array();
    if (store_case_mediators(r->s.id, ids, users, 4, &n) == ST_OK)
        for (int i = 0; i < n; i++) {
            struct user mu;
            bool named = store_user_get(ids[i], &mu) == ST_OK;
            json_t *mj = json_pack("{s:s,s:s}", "username", users[i], "role",
                                   i == 0 ? "lead" : "co");
            add_text(mj, "name", named ? mu.display_name : NULL, reader, CONVERT_NAME);
            json_array_append_new(meds, mj);
        }
    json_object_set_new(o, "mediators", meds);
    return o;
}

static json_t *party_input(const struct case_party *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(p->kind));
    if (p->name)
        json_object_set_new(o, "name", json_string(p->name));
    if (p->name_latin)
        json_object_set_new(o, "name_latin", json_string(p->name_latin));
    if (p->id_type[0] && p->id_number)
        json_object_set_new(o, "id_document",
                            json_pack("{s:s,s:s}", "type", p->id_type, "number", p->id_number));
    if (p->phone)
        json_object_set_new(o, "phone", json_string(p->phone));
    if (p->email)
        json_object_set_new(o, "email", json_string(p->email));
    if (p->address)
        json_object_set_new(o, "address", json_string(p->address));
    if (p->residence[0])
        json_object_set_new(o, "residence", json_string(p->residence));
    if (p->language[0])
        json_object_set_new(o, "language", json_string(p->language));
    if (p->spoken[0])
        json_object_set_new(o, "spoken", spoken_json(p->spoken));
    if (p->lawyer_username[0])
        json_object_set_new(o, "lawyer", json_string(p->lawyer_username));
    return o;
}

json_t *case_input_json(const struct case_record *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "center", json_string(r->s.center));
    json_object_set_new(o, "type", json_string(r->s.type));
    json_object_set_new(o, "subtype", json_string(r->s.subtype));
    if (r->s.title)
        json_object_set_new(o, "title", json_string(r->s.title));
    if (r->summary)
        json_object_set_new(o, "summary", json_string(r->summary));
    if (r->request)
        json_object_set_new(o, "request", json_string(r->request));
    json_t *apps = json_array(), *resps = json_array();
    for (int i = 0; i < r->nparties; i++)
        json_array_append_new(strcmp(r->parties[i].side, "applicant") == 0 ? apps : resps,
                              party_input(&r->parties[i]));
    json_object_set_new(o, "applicants", apps);
    json_object_set_new(o, "respondents", resps);
    json_t *claims = json_array();
    for (int i = 0; i < r->nclaims; i++) {
        json_t *c = json_object();
        if (r->claims[i].description)
            json_object_set_new(c, "description", json_string(r->claims[i].description));
        if (r->claims[i].has_amount) {
            char v[40];
            snprintf(v, sizeof v, "%lld.%02lld", (long long)(r->claims[i].amount_minor / 100),
                     (long long)(r->claims[i].amount_minor % 100));
            json_object_set_new(c, "amount", json_pack("{s:s,s:s}", "value", v, "currency",
                                                       r->claims[i].currency));
        }
        json_array_append_new(claims, c);
    }
    json_object_set_new(o, "claims", claims);
    json_t *addrs = json_array();
    for (int i = 0; i < r->naddresses; i++)
        if (r->addresses[i].value)
            json_array_append_new(addrs, json_pack("{s:s,s:s}", "channel",
                                                   r->addresses[i].channel, "value",
                                                   r->addresses[i].value));
    json_object_set_new(o, "consent", json_pack("{s:b,s:b,s:o}", "mediation", r->consent_mediation,
                                                "electronic_service", r->consent_eservice,
                                                "addresses", addrs));
    return o;
}
