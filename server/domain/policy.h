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
    ACT_CASE_FILE,         /* file a case (or save a draft) */
    ACT_CASE_LIST,         /* list the cases one may see (the scope narrows it) */
    ACT_CASE_READ,         /* read one case */
    ACT_CASE_EDIT_DRAFT,   /* change a draft */
    ACT_CASE_WITHDRAW,     /* withdraw (the applicant's side) */
    ACT_CASE_SCREEN,       /* screen: start, accept, decline, ask for more information */
    ACT_CASE_ANSWER_INFO,  /* answer a request for more information (the applicant's side) */
    ACT_CASE_RESPOND,      /* agree to mediate or refuse (the respondent's side) */
    ACT_DOC_UPLOAD,        /* add a document to a case */
    ACT_DOC_READ,          /* download a document */
    ACT_CALENDAR_READ,     /* see the working-day calendars */
    ACT_CALENDAR_MANAGE,   /* maintain working-day overrides */
    ACT_DEADLINES_READ,    /* what is due and overdue */
    ACT_AUDIT_READ,        /* read, export and verify the audit trail */
    ACT_CASE_ERASE,        /* erase an archived case (a lawful request, the end of retention) */
    ACT_MEDIATORS_READ,    /* the mediators' directory and profiles */
    ACT_MEDIATOR_MANAGE,   /* a mediator's profile and qualifications (or their own hours) */
    ACT_CASE_ASSIGN,       /* assign, offer a shortlist, decide recusals */
    ACT_CASE_PROPOSAL_READ, /* see the assignment proposal (no party's data in it) */
    ACT_CASE_RECUSAL,      /* ask for a mediator's recusal (a party's side), or recuse oneself */
    ACT_CASE_CHOOSE,       /* rank a shortlist of mediators (a party's side) */
    ACT_COUNT
};

/* The resource an action touches, where the rule depends on it (zero when it does not). For a
 * case, the store fills in how the principal stands to it. */
struct resource {
    int64_t center_id;
    int64_t firm_id;
    int64_t owner_user_id;
    bool is_case;
    bool draft;              /* the case is a draft */
    bool filer;              /* the principal filed it */
    bool applicant;          /* the principal is an applicant, or represents one */
    bool respondent;         /* the principal is a respondent, or represents one */
    bool firm_matter;        /* a lawyer of the principal's firm acts on it, and the firm shares */
    bool firm_applicant;     /* … for the applicant side */
    bool firm_respondent;    /* … for the respondent side */
    bool open;               /* the case's outcome is still open (documents may be added) */
    int64_t version;         /* the case's version (every change bumps it) */
    bool mediator;           /* the principal mediates it */
    bool doc_mediator_only;  /* a document only the mediator (and its uploader's side) may see */
    bool doc_own_side;       /* the document was uploaded by the principal's side */
};

/* Which cases a principal's lists may contain; the store turns it into a query. */
enum case_scope {
    SCOPE_NONE = 0,    /* none */
    SCOPE_OWN,         /* cases the user filed or is a party to */
    SCOPE_LAWYER,      /* cases the lawyer represents (and the firm's, where it shares) */
    SCOPE_CENTERS,     /* cases of the user's centers */
    SCOPE_MEDIATOR,    /* cases the mediator is assigned to */
};
enum case_scope policy_case_scope(const struct principal *p);

/* Does the policy allow p to perform a on r (r may be NULL)? Deny by default: an action without
 * a rule, or a principal without a role, is refused. */
bool policy_allows(const struct principal *p, enum action a, const struct resource *r);

/* Does the action need a signed-in user (so a refusal is 401, not 403)? */
bool policy_needs_auth(enum action a);
#endif
