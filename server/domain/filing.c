#include "domain/filing.h"

#include <stdio.h>
#include <string.h>

static const char *const type_names[] = {"family", "commercial"};
static const char *const type_codes[] = {"FAM", "COM"};

static const struct {
    const char *name;
    enum case_type type;
} subtypes[] = {
    {"divorce", CASE_TYPE_FAMILY},      {"custody", CASE_TYPE_FAMILY},
    {"maintenance", CASE_TYPE_FAMILY},  {"property", CASE_TYPE_FAMILY},
    {"inheritance", CASE_TYPE_FAMILY},  {"contract", CASE_TYPE_COMMERCIAL},
    {"sale_of_goods", CASE_TYPE_COMMERCIAL}, {"debt", CASE_TYPE_COMMERCIAL},
    {"lease", CASE_TYPE_COMMERCIAL},    {"shareholder", CASE_TYPE_COMMERCIAL},
    {"other", CASE_TYPE_COMMERCIAL},
};

const char *case_type_name(enum case_type t)
{
    return (t == CASE_TYPE_FAMILY || t == CASE_TYPE_COMMERCIAL) ? type_names[t] : "";
}

const char *case_type_code(enum case_type t)
{
    return (t == CASE_TYPE_FAMILY || t == CASE_TYPE_COMMERCIAL) ? type_codes[t] : "";
}

enum case_type case_type_parse(const char *s)
{
    for (int i = 0; s && i < 2; i++)
        if (strcmp(s, type_names[i]) == 0)
            return (enum case_type)i;
    return CASE_TYPE_NONE;
}

enum case_type case_subtype_type(const char *subtype)
{
    for (size_t i = 0; subtype && i < sizeof subtypes / sizeof subtypes[0]; i++)
        if (strcmp(subtype, subtypes[i].name) == 0)
            return subtypes[i].type;
    return CASE_TYPE_NONE;
}

static const char *const spoken_names[] = {"putonghua", "cantonese", "portuguese", "english",
                                           "other"};

unsigned spoken_parse(const char *name)
{
    for (unsigned i = 0; name && i < 5; i++)
        if (strcmp(name, spoken_names[i]) == 0)
            return 1u << i;
    return 0;
}

void spoken_format(unsigned set, char *out, size_t cap)
{
    if (cap)
        out[0] = 0;
    for (unsigned i = 0; i < 5; i++)
        if (set & (1u << i)) {
            size_t n = strlen(out);
            snprintf(out + n, cap - n, "%s%s", n ? "," : "", spoken_names[i]);
        }
}

unsigned spoken_default(const char *language)
{
    if (!language)
        return 0;
    if (strcmp(language, "zh-Hans") == 0)
        return SPOKEN_PUTONGHUA;
    if (strcmp(language, "zh-Hant") == 0)
        return SPOKEN_CANTONESE;
    if (strcmp(language, "pt") == 0)
        return SPOKEN_PORTUGUESE;
    if (strcmp(language, "en") == 0)
        return SPOKEN_ENGLISH;
    return 0;
}

bool residence_valid(const char *r)
{
    static const char *const places[] = {"zhuhai", "mainland", "macao", "hong_kong", "elsewhere"};
    for (size_t i = 0; r && i < 5; i++)
        if (strcmp(r, places[i]) == 0)
            return true;
    return false;
}

bool residence_mainland(const char *r)
{
    return r && (strcmp(r, "zhuhai") == 0 || strcmp(r, "mainland") == 0);
}

void case_number_format(const char *center, enum case_type t, int year, int64_t seq, char *out,
                        size_t cap)
{
    snprintf(out, cap, "%s-%s-%04d-%06lld", center, case_type_code(t), year, (long long)seq);
}

static void party_path(const struct party_in *p, const char *field, char *out, size_t cap)
{
    snprintf(out, cap, "%s[%d]%s%s", p->side == SIDE_APPLICANT ? "applicants" : "respondents",
             p->position, field ? "." : "", field ? field : "");
}

bool filing_check_complete(const struct filing *f, filing_report report, void *ctx)
{
    bool ok = true;
    char path[64];
    if (!f->title || !*f->title)
        report(ctx, "title", "required"), ok = false;
    if (!f->summary || !*f->summary)
        report(ctx, "summary", "required"), ok = false;
    int applicants = 0, respondents = 0;
    for (int i = 0; i < f->nparties; i++) {
        const struct party_in *p = &f->parties[i];
        if (p->side == SIDE_APPLICANT)
            applicants++;
        else
            respondents++;
        if (!p->name || !*p->name) {
            party_path(p, "name", path, sizeof path);
            report(ctx, path, "required");
            ok = false;
        }
    }
    if (!applicants)
        report(ctx, "applicants", "required"), ok = false;
    if (!respondents)
        report(ctx, "respondents", "required"), ok = false;
    if (!f->consent_mediation)
        report(ctx, "consent.mediation", "consent_required"), ok = false;
    if (f->consent_eservice && f->naddresses == 0)
        report(ctx, "consent.addresses", "required"), ok = false;
    return ok;
}
