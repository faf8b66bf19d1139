/* cases_in.c: a filing from JSON: the field table, then the domain's rules, every problem by path. */
#include "api/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "i18n/convert.h"

static const char *const kinds[] = {"person", "company", NULL};
static const char *const idtypes[] = {"mainland_id", "macao_bir", "hk_id", "mainland_travel_permit",
                                      "passport", "business_registration", NULL};
static const char *const residences[] = {"zhuhai", "mainland", "macao", "hong_kong", "elsewhere",
                                         NULL};
static const char *const languages[] = {"zh-Hans", "zh-Hant", "en", "pt", NULL};
static const char *const spoken[] = {"putonghua", "cantonese", "portuguese", "english", "other",
                                     NULL};
static const char *const types[] = {"family", "commercial", NULL};
static const char *const subtypes[] = {"divorce", "custody", "maintenance", "property",
                                       "inheritance", "contract", "sale_of_goods", "debt", "lease",
                                       "shareholder", "other", NULL};
static const char *const channels[] = {"email", "sms", "inbox", NULL};

static const struct jf id_doc[] = {
    {.name = "type", .type = JF_ENUM, .required = true, .choices = idtypes},
    {.name = "number", .type = JF_STRING, .required = true, .min = 1, .max = 40},
};
static const struct jf party[] = {
    {.name = "kind", .type = JF_ENUM, .choices = kinds},
    {.name = "name", .type = JF_STRING, .min = 1, .max = 200},
    {.name = "name_latin", .type = JF_STRING, .min = 1, .max = 200},
    {.name = "id_document", .type = JF_OBJECT, .fields = id_doc, .nfields = JF_COUNT(id_doc)},
    {.name = "phone", .type = JF_STRING, .min = 5, .max = 24},
    {.name = "email", .type = JF_STRING, .min = 3, .max = 254},
    {.name = "address", .type = JF_TEXT, .min = 1, .max = 500},
    {.name = "residence", .type = JF_ENUM, .choices = residences},
    {.name = "language", .type = JF_ENUM, .choices = languages},
    {.name = "spoken", .type = JF_ARRAY, .max = 5, .item_type = JF_ENUM, .choices = spoken},
    {.name = "lawyer", .type = JF_STRING, .min = 3, .max = 32},
};
static const struct jf amount[] = {
    {.name = "value", .type = JF_STRING, .required = true, .min = 1, .max = 24},
    {.name = "currency", .type = JF_STRING, .required = true, .min = 1, .max = 8},
};
static const struct jf claim[] = {
    {.name = "description", .type = JF_TEXT, .min = 1, .max = 2000},
    {.name = "amount", .type = JF_OBJECT, .fields = amount, .nfields = JF_COUNT(amount)},
};
static const struct jf address[] = {
    {.name = "channel", .type = JF_ENUM, .required = true, .choices = channels},
    {.name = "value", .type = JF_STRING, .required = true, .min = 1, .max = 254},
};
static const struct jf consent[] = {
    {.name = "mediation", .type = JF_BOOL},
    {.name = "electronic_service", .type = JF_BOOL},
    {.name = "addresses", .type = JF_ARRAY, .max = FILING_MAX_ADDRESSES, .item_type = JF_OBJECT,
     .fields = address, .nfields = JF_COUNT(address)},
};

#define FILING_FIELDS(required_heads)                                                              \
    {.name = "center", .type = JF_STRING, .required = required_heads, .min = 2, .max = 16},        \
        {.name = "type", .type = JF_ENUM, .required = required_heads, .choices = types},           \
        {.name = "subtype", .type = JF_ENUM, .required = required_heads, .choices = subtypes},     \
        {.name = "title", .type = JF_STRING, .min = 1, .max = 200},                                \
        {.name = "summary", .type = JF_TEXT, .min = 1, .max = 10000},                              \
        {.name = "request", .type = JF_TEXT, .min = 1, .max = 5000},                               \
        {.name = "applicants", .type = JF_ARRAY, .max = FILING_MAX_PARTIES,                        \
         .item_type = JF_OBJECT, .fields = party, .nfields = JF_COUNT(party)},                     \
        {.name = "respondents", .type = JF_ARRAY, .max = FILING_MAX_PARTIES,                       \
         .item_type = JF_OBJECT, .fields = party, .nfields = JF_COUNT(party)},                     \
        {.name = "claims", .type = JF_ARRAY, .max = FILING_MAX_CLAIMS, .item_type = JF_OBJECT,     \
         .fields = claim, .nfields = JF_COUNT(claim)},                                             \
        {.name = "consent", .type = JF_OBJECT, .fields = consent, .nfields = JF_COUNT(consent)},   \
        {.name = "submit", .type = JF_BOOL}

const struct jf case_create_spec[] = {FILING_FIELDS(true)};
const size_t case_create_nspec = JF_COUNT(case_create_spec);
const struct jf case_patch_spec[] = {
    FILING_FIELDS(false),
    {.name = "version", .type = JF_INT, .min = 1, .max = 1000000000},
};
const size_t case_patch_nspec = JF_COUNT(case_patch_spec);

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void report(void *ctx, const char *path, const char *code)
{
    jsonin_error(ctx, path, code, NULL);
}

/* Fills one party from JSON, checking identity numbers, phone, e-mail and the lawyer. */
/* Is there already an error at list[pos].field (the shape check found it)? */
static bool failed(json_t *errors, const char *list, int pos, const char *field)
{
    char path[96];
    snprintf(path, sizeof path, "%s[%d].%s", list, pos, field);
    return api_has_error(errors, path);
}

static void read_party(json_t *j, enum party_side side, int pos, const struct principal *who,
                       struct party_in *p, json_t *errors)
{
    char path[96];
    const char *list = side == SIDE_APPLICANT ? "applicants" : "respondents";
    memset(p, 0, sizeof *p);
    p->side = side;
    p->position = pos;
    p->kind = str(j, "kind") ? str(j, "kind") : "person";
    p->name = str(j, "name");
    p->name_latin = str(j, "name_latin");
    p->email = str(j, "email");
    p->address = str(j, "address");
    p->residence = str(j, "residence");
    p->language = str(j, "language");
    json_t *doc = json_object_get(j, "id_document");
    if (json_is_object(doc) && str(doc, "type") && str(doc, "number") &&
        !failed(errors, list, pos, "id_document.type") &&
        !failed(errors, list, pos, "id_document.number")) {
        p->id_type = idtype_parse(str(doc, "type"));
        const char *code = idnum_validate(p->id_type, str(doc, "number"), p->id_number,
                                          sizeof p->id_number);
        if (code) {
            snprintf(path, sizeof path, "%s[%d].id_document.number", list, pos);
            jsonin_error(errors, path, code, NULL);
        }
    }
    if (!json_is_object(j))
        return;
    const char *phone = str(j, "phone"), *code;
    if (phone && !failed(errors, list, pos, "phone") &&
        (code = account_check_phone(phone, p->phone))) {
        snprintf(path, sizeof path, "%s[%d].phone", list, pos);
        jsonin_error(errors, path, code, NULL);
    }
    if (p->email && !failed(errors, list, pos, "email") &&
        (code = account_check_email(p->email))) {
        snprintf(path, sizeof path, "%s[%d].email", list, pos);
        jsonin_error(errors, path, code, NULL);
    }
    json_t *sp = json_object_get(j, "spoken");
    size_t i;
    json_t *v;
    json_array_foreach(sp, i, v) p->spoken |= spoken_parse(json_string_value(v));
    if (!p->spoken)
        p->spoken = spoken_default(p->language);
    const char *lawyer = str(j, "lawyer");
    if (lawyer && side == SIDE_RESPONDENT) {
        /* the respondent's representative joins through the respondent's invitation, never by
         * the applicant's say-so */
        snprintf(path, sizeof path, "%s[%d].lawyer", list, pos);
        jsonin_error(errors, path, "respondent_lawyer", NULL);
    } else if (lawyer && !failed(errors, list, pos, "lawyer")) {
        struct user u;
        char hash[8];
        if (store_user_by_username(lawyer, &u, hash, sizeof hash) == ST_OK &&
            u.role == ROLE_LAWYER && u.active) {
            p->lawyer_id = u.id;
        } else {
            snprintf(path, sizeof path, "%s[%d].lawyer", list, pos);
            jsonin_error(errors, path, "unknown_lawyer", NULL);
        }
    } else if (side == SIDE_APPLICANT && who->role == ROLE_LAWYER) {
        p->lawyer_id = who->user_id; /* a lawyer files for their client */
    }
    if (side == SIDE_APPLICANT && pos == 0 && who->role == ROLE_RESIDENT)
        p->user_id = who->user_id; /* a resident files for themselves */
}

bool case_read_filing(json_t *body, const struct principal *who, struct filing *f,
                      bool for_submit, json_t *errors)
{
    memset(f, 0, sizeof *f);
    f->center = str(body, "center");
    f->type = case_type_parse(str(body, "type"));
    f->subtype = str(body, "subtype");
    f->title = str(body, "title");
    f->summary = str(body, "summary");
    f->request = str(body, "request");
    if (f->subtype && f->type != CASE_TYPE_NONE && !api_has_error(errors, "subtype") &&
        case_subtype_type(f->subtype) != f->type)
        jsonin_error(errors, "subtype", "subtype_mismatch", NULL);
    if (f->center && !api_has_error(errors, "center")) {
        struct center c;
        enum st st = store_center_by_code(f->center, &c);
        if (st == ST_NONE)
            jsonin_error(errors, "center", "unknown_center", NULL);
        else if (st == ST_OK && f->type != CASE_TYPE_NONE &&
                 !(f->type == CASE_TYPE_FAMILY ? c.family : c.commercial))
            jsonin_error(errors, "type", "center_type", NULL);
    }
    /* the script the narrative is written in, for the labelled converted view */
    /* the title and the summary together decide (script_detect reads whole characters) */
    size_t tl = f->title ? strlen(f->title) : 0, sl = f->summary ? strlen(f->summary) : 0;
    char *joined = malloc(tl + sl + 2);
    enum script sc = SCRIPT_NONE;
    if (joined) {
        snprintf(joined, tl + sl + 2, "%s %s", f->title ? f->title : "",
                 f->summary ? f->summary : "");
        sc = script_detect(joined, tl + sl + 1);
        free(joined);
    }
    f->script = sc == SCRIPT_HANS ? "zh-Hans" : sc == SCRIPT_HANT ? "zh-Hant" : NULL;

    static const struct {
        const char *key;
        enum party_side side;
    } sides[] = {{"applicants", SIDE_APPLICANT}, {"respondents", SIDE_RESPONDENT}};
    for (size_t s = 0; s < 2; s++) {
        json_t *arr = json_object_get(body, sides[s].key);
        for (size_t i = 0; i < json_array_size(arr) && f->nparties < 2 * FILING_MAX_PARTIES; i++)
            read_party(json_array_get(arr, i), sides[s].side, (int)i, who,
                       &f->parties[f->nparties++], errors);
    }
    if (who->role == ROLE_RESIDENT && f->nparties == 0) {
        /* a resident's draft is theirs even before they name themselves */
        f->parties[0] = (struct party_in){.side = SIDE_APPLICANT, .kind = "person",
                                          .user_id = who->user_id};
        f->nparties = 1;
    }
    json_t *claims = json_object_get(body, "claims");
    for (size_t i = 0; i < json_array_size(claims) && f->nclaims < FILING_MAX_CLAIMS; i++) {
        json_t *c = json_array_get(claims, i);
        struct claim_in *ci = &f->claims[f->nclaims++];
        ci->description = str(c, "description");
        json_t *a = json_object_get(c, "amount");
        char vpath[64], cpath[64];
        snprintf(vpath, sizeof vpath, "claims[%zu].amount.value", i);
        snprintf(cpath, sizeof cpath, "claims[%zu].amount.currency", i);
        const char *value = api_has_error(errors, vpath) ? NULL : str(a, "value");
        const char *currency = api_has_error(errors, cpath) ? NULL : str(a, "currency");
        enum currency cur;
        bool cur_ok = currency && currency_parse(currency, &cur);
        if (currency && !cur_ok)
            jsonin_error(errors, cpath, "money.currency", NULL);
        if (value) { /* the amount is judged on its own, whatever the currency */
            const char *err = NULL;
            struct money m;
            if (money_parse(value, cur_ok ? currency : "CNY", &m, &err) != 0)
                jsonin_error(errors, vpath, err ? err : "money.format", NULL);
            else if (cur_ok) {
                ci->amount = m;
                ci->has_amount = true;
            }
        }
        if (for_submit && (!ci->description || !*ci->description)) {
            char path[64];
            snprintf(path, sizeof path, "claims[%zu].description", i);
            jsonin_error(errors, path, "required", NULL);
        }
    }
    json_t *cons = json_object_get(body, "consent");
    f->consent_mediation = json_is_true(json_object_get(cons, "mediation"));
    f->consent_eservice = json_is_true(json_object_get(cons, "electronic_service"));
    json_t *addrs = json_object_get(cons, "addresses");
    for (size_t i = 0; i < json_array_size(addrs) && f->naddresses < FILING_MAX_ADDRESSES; i++) {
        json_t *a = json_array_get(addrs, i);
        struct address_in *ai = &f->addresses[f->naddresses++];
        ai->channel = str(a, "channel");
        ai->value = str(a, "value");
        char norm[17], path[64];
        const char *code = NULL;
        snprintf(path, sizeof path, "consent.addresses[%zu].value", i);
        if (api_has_error(errors, path))
            continue;
        if (ai->channel && strcmp(ai->channel, "email") == 0)
            code = account_check_email(ai->value);
        else if (ai->channel && strcmp(ai->channel, "sms") == 0)
            code = account_check_phone(ai->value, norm);
        if (code) {
            snprintf(path, sizeof path, "consent.addresses[%zu].value", i);
            jsonin_error(errors, path, code, NULL);
        }
    }
    if (for_submit)
        filing_check_complete(f, report, errors);
    return json_array_size(errors) == 0;
}
