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
};

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
    return true;
}
