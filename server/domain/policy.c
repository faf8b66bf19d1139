#include "domain/policy.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {"resident", "lawyer",  "mediator",
                                                   "case_officer", "auditor", "admin"};

const char *role_name(enum role r)
{
    return (r >= 0 && r < ROLE_COUNT) ? role_names[r] : "";
}

enum role role_parse(const char *name)
{
    for (int i = 0; name && i < ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0)
            return (enum role)i;
    return ROLE_NONE;
}

#define R(role) (1u << (role))
#define ALL_ROLES                                                                                  \
    (R(ROLE_RESIDENT) | R(ROLE_LAWYER) | R(ROLE_MEDIATOR) | R(ROLE_CASE_OFFICER) |                 \
     R(ROLE_AUDITOR) | R(ROLE_ADMIN))

/* Which roles may perform each action at all (before any resource rule). */
static const struct {
    bool needs_auth;
    unsigned roles;
} rules[ACT_COUNT] = {
    [ACT_PUBLIC] = {false, 0},
    [ACT_SELF] = {true, ALL_ROLES},
    [ACT_CENTERS_READ] = {false, 0},
    [ACT_FIRMS_READ] = {true, ALL_ROLES},
    [ACT_USERS_READ] = {true, R(ROLE_ADMIN)},
    [ACT_USERS_MANAGE] = {true, R(ROLE_ADMIN)},
    [ACT_CASE_FILE] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER)},
    [ACT_CASE_LIST] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER) | R(ROLE_CASE_OFFICER) |
                                 R(ROLE_MEDIATOR)},
    [ACT_CASE_READ] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER) | R(ROLE_CASE_OFFICER) |
                                 R(ROLE_MEDIATOR)},
    [ACT_CASE_EDIT_DRAFT] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER)},
    [ACT_CASE_WITHDRAW] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER)},
    [ACT_CASE_SCREEN] = {true, R(ROLE_CASE_OFFICER)},
    [ACT_CASE_ANSWER_INFO] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER)},
    [ACT_CASE_RESPOND] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER)},
    [ACT_DOC_UPLOAD] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER) | R(ROLE_CASE_OFFICER) |
                                  R(ROLE_MEDIATOR)},
    [ACT_DOC_READ] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER) | R(ROLE_CASE_OFFICER) |
                                R(ROLE_MEDIATOR)},
    [ACT_CALENDAR_READ] = {true, ALL_ROLES},
    [ACT_CALENDAR_MANAGE] = {true, R(ROLE_ADMIN)},
    [ACT_DEADLINES_READ] = {true, R(ROLE_CASE_OFFICER)},
    [ACT_AUDIT_READ] = {true, R(ROLE_AUDITOR)},
    [ACT_CASE_ERASE] = {true, R(ROLE_ADMIN)},
    [ACT_MEDIATORS_READ] = {true, R(ROLE_CASE_OFFICER) | R(ROLE_ADMIN) | R(ROLE_MEDIATOR)},
    [ACT_MEDIATOR_MANAGE] = {true, R(ROLE_CASE_OFFICER) | R(ROLE_ADMIN) | R(ROLE_MEDIATOR)},
    [ACT_CASE_ASSIGN] = {true, R(ROLE_CASE_OFFICER)},
    [ACT_CASE_PROPOSAL_READ] = {true, R(ROLE_CASE_OFFICER) | R(ROLE_ADMIN)},
    [ACT_CASE_RECUSAL] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER) | R(ROLE_MEDIATOR)},
    [ACT_CASE_CHOOSE] = {true, R(ROLE_RESIDENT) | R(ROLE_LAWYER)},
};

static bool in_centers(const struct principal *p, int64_t center_id)
{
    for (int i = 0; i < p->ncenters; i++)
        if (p->center_ids[i] == center_id)
            return true;
    return false;
}

/* The rules that depend on how the principal stands to one case (role rules already passed). */
static bool case_rule(const struct principal *p, enum action a, const struct resource *r)
{
    bool officer = p->role == ROLE_CASE_OFFICER && in_centers(p, r->center_id);
    bool party_side = r->filer || r->applicant || r->respondent ||
                      (p->role == ROLE_LAWYER && r->firm_matter);
    switch (a) {
    case ACT_CASE_READ:
        if (r->draft) /* a draft is the filer's alone until it is submitted */
            return r->filer;
        return officer || party_side || r->mediator;
    case ACT_CASE_EDIT_DRAFT:
        return r->draft && r->filer;
    case ACT_CASE_WITHDRAW:
    case ACT_CASE_ANSWER_INFO:
        return r->filer || r->applicant;
    case ACT_CASE_SCREEN:
        return officer && !r->draft;
    case ACT_CASE_RESPOND:
        return r->respondent;
    case ACT_DOC_UPLOAD:
        return r->draft ? r->filer : (officer || party_side || r->mediator);
    case ACT_CASE_ASSIGN:
        return officer && !r->draft;
    case ACT_CASE_PROPOSAL_READ: /* admins keep the roster, so they may see how it is weighed */
        return !r->draft && (officer || p->role == ROLE_ADMIN);
    case ACT_CASE_CHOOSE: /* the parties and their own lawyers (not firm colleagues) */
        return !r->draft && (r->filer || r->applicant || r->respondent);
    case ACT_CASE_RECUSAL: /* the parties and their own lawyers (not firm colleagues) */
        return !r->draft && (r->filer || r->applicant || r->respondent || r->mediator);
    case ACT_DOC_READ:
        if (r->doc_mediator_only) /* never shown to the other side, nor to staff */
            return r->mediator || (r->doc_own_side && party_side);
        if (r->draft)
            return r->filer;
        return officer || party_side || r->mediator;
    default:
        return true;
    }
}

enum case_scope policy_case_scope(const struct principal *p)
{
    if (!p || !p->authenticated)
        return SCOPE_NONE;
    switch (p->role) {
    case ROLE_RESIDENT:
        return SCOPE_OWN;
    case ROLE_LAWYER:
        return SCOPE_LAWYER;
    case ROLE_CASE_OFFICER:
        return SCOPE_CENTERS;
    case ROLE_MEDIATOR:
        return SCOPE_MEDIATOR;
    default:
        return SCOPE_NONE;
    }
}

bool policy_needs_auth(enum action a)
{
    return a < 0 || a >= ACT_COUNT || rules[a].needs_auth;
}

bool policy_allows(const struct principal *p, enum action a, const struct resource *r)
{
    (void)r;
    if (a < 0 || a >= ACT_COUNT)
        return false;
    if (!rules[a].needs_auth)
        return true;
    if (!p || !p->authenticated || p->role < 0 || p->role >= ROLE_COUNT)
        return false;
    if (!(rules[a].roles & R(p->role)))
        return false;
    if (a == ACT_SELF && r && r->owner_user_id && r->owner_user_id != p->user_id)
        return false;
    if (r && r->is_case)
        return case_rule(p, a, r);
    return true;
}
