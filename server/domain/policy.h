/* policy.h: who may do what. One decision point for every request (deny by default): routes name
 * an action, handlers pass the resource they touch, and rules are added here, not scattered. */
#ifndef QIAO_DOMAIN_POLICY_H
#define QIAO_DOMAIN_POLICY_H
#include <stdbool.h>
#include <stdint.h>

enum role {
    ROLE_NONE = -1,
    ROLE_RESIDENT = 0,
    ROLE_LAWYER,
    ROLE_MEDIATOR,
    ROLE_CASE_OFFICER,
    ROLE_AUDITOR,
    ROLE_ADMIN,
    ROLE_COUNT
};

/* The stable name of a role ("case_officer"); "" for ROLE_NONE. */
const char *role_name(enum role r);
/* ROLE_NONE for an unknown name. */
enum role role_parse(const char *name);

#define POLICY_MAX_CENTERS 16

/* Who is asking: the authenticated user (or nobody). Plain data, filled by the API layer. */
struct principal {
    bool authenticated;
    int64_t user_id;
    enum role role;
    int64_t firm_id; /* lawyers */
    int64_t center_ids[POLICY_MAX_CENTERS]; /* mediators, case officers */
    int ncenters;
};

/* What is asked for. Each route names one; resource rules come with the resource. */
enum action {
    ACT_PUBLIC = 0,        /* anyone, signed in or not (health, sign-in, registration, docs) */
    ACT_SELF,              /* any signed-in user, on their own account (me, sign-out) */
    ACT_CENTERS_READ,      /* the list of centers: anyone (needed to file a case) */
    ACT_FIRMS_READ,        /* the list of firms: signed-in users */
    ACT_USERS_READ,        /* the user directory */
    ACT_USERS_MANAGE,      /* create staff accounts, disable users */
    ACT_COUNT
};

/* The resource an action touches, where the rule depends on it (zero when it does not). */
struct resource {
    int64_t center_id;
    int64_t firm_id;
    int64_t owner_user_id;
};

/* Does the policy allow p to perform a on r (r may be NULL)? Deny by default: an action without
 * a rule, or a principal without a role, is refused. */
bool policy_allows(const struct principal *p, enum action a, const struct resource *r);

/* Does the action need a signed-in user (so a refusal is 401, not 403)? */
bool policy_needs_auth(enum action a);
#endif
