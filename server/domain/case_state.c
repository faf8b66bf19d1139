/* case_state.c: the case state machine as one table (see case_state.h). */
#include "domain/case_state.h"

#include <string.h>

static const char *const state_names[CASE_STATE_COUNT] = {
    [CASE_DRAFT] = "draft",
    [CASE_SUBMITTED] = "submitted",
    [CASE_SCREENING] = "screening",
    [CASE_MORE_INFO_REQUESTED] = "more_info_requested",
    [CASE_ACCEPTED] = "accepted",
    [CASE_DECLINED] = "declined",
    [CASE_RESPONDENT_INVITED] = "respondent_invited",
    [CASE_RESPONDENT_AGREED] = "respondent_agreed",
    [CASE_RESPONDENT_REFUSED] = "respondent_refused",
    [CASE_RESPONDENT_NO_ANSWER] = "respondent_no_answer",
    [CASE_MEDIATOR_ASSIGNED] = "mediator_assigned",
    [CASE_IN_MEDIATION] = "in_mediation",
    [CASE_SETTLED] = "settled",
    [CASE_PARTLY_SETTLED] = "partly_settled",
    [CASE_NOT_SETTLED] = "not_settled",
    [CASE_WITHDRAWN] = "withdrawn",
    [CASE_CLOSED] = "closed",
    [CASE_ARCHIVED] = "archived",
    [CASE_ERASED] = "erased",
};

static const char *const event_names[CASE_EVENT_COUNT] = {
    [CASE_EV_SUBMIT] = "submit",
    [CASE_EV_START_SCREENING] = "start_screening",
    [CASE_EV_REQUEST_MORE_INFO] = "request_more_info",
    [CASE_EV_PROVIDE_MORE_INFO] = "provide_more_info",
    [CASE_EV_ACCEPT] = "accept",
    [CASE_EV_DECLINE] = "decline",
    [CASE_EV_INVITE_RESPONDENT] = "invite_respondent",
    [CASE_EV_RESPONDENT_AGREE] = "respondent_agree",
    [CASE_EV_RESPONDENT_REFUSE] = "respondent_refuse",
    [CASE_EV_RESPONDENT_DEADLINE_PASSED] = "respondent_deadline_passed",
    [CASE_EV_ASSIGN_MEDIATOR] = "assign_mediator",
    [CASE_EV_REASSIGN_MEDIATOR] = "reassign_mediator",
    [CASE_EV_START_MEDIATION] = "start_mediation",
    [CASE_EV_SETTLE] = "settle",
    [CASE_EV_SETTLE_PARTLY] = "settle_partly",
    [CASE_EV_TERMINATE] = "terminate",
    [CASE_EV_WITHDRAW] = "withdraw",
    [CASE_EV_CLOSE] = "close",
    [CASE_EV_ARCHIVE] = "archive",
    [CASE_EV_ERASE] = "erase",
};

static const char *const actor_names[CASE_ACTOR_COUNT] = {
    [CASE_ACTOR_RESIDENT_APPLICANT] = "resident_applicant",
    [CASE_ACTOR_RESIDENT_RESPONDENT] = "resident_respondent",
    [CASE_ACTOR_LAWYER] = "lawyer",
    [CASE_ACTOR_CASE_OFFICER] = "case_officer",
    [CASE_ACTOR_MEDIATOR] = "mediator",
    [CASE_ACTOR_SYSTEM] = "system",
    [CASE_ACTOR_ADMIN] = "admin",
};

/* Per event: whether a reason is required, and which side a lawyer must represent. */
static const struct {
    bool reason;
    enum case_side side;
} event_info[CASE_EVENT_COUNT] = {
    [CASE_EV_SUBMIT] = {false, CASE_SIDE_APPLICANT},
    [CASE_EV_PROVIDE_MORE_INFO] = {false, CASE_SIDE_APPLICANT},
    [CASE_EV_DECLINE] = {true, CASE_SIDE_NONE},
    [CASE_EV_RESPONDENT_AGREE] = {false, CASE_SIDE_RESPONDENT},
    [CASE_EV_RESPONDENT_REFUSE] = {true, CASE_SIDE_RESPONDENT},
    [CASE_EV_TERMINATE] = {true, CASE_SIDE_NONE},
    [CASE_EV_WITHDRAW] = {true, CASE_SIDE_APPLICANT},
    [CASE_EV_ERASE] = {true, CASE_SIDE_NONE},
};

#define A(x) (1u << CASE_ACTOR_##x)
#define APPLICANT (A(RESIDENT_APPLICANT) | A(LAWYER))
#define RESPONDENT (A(RESIDENT_RESPONDENT) | A(LAWYER))
#define OFFICER A(CASE_OFFICER)

/* The state machine: every allowed (from, event) pair, its target and the roles allowed. */
static const struct transition {
    enum case_state from;
    enum case_event ev;
    enum case_state to;
    unsigned actors;
} transitions[] = {
    /* intake */
    {CASE_DRAFT, CASE_EV_SUBMIT, CASE_SUBMITTED, APPLICANT},
    {CASE_SUBMITTED, CASE_EV_START_SCREENING, CASE_SCREENING, OFFICER},
    {CASE_SCREENING, CASE_EV_REQUEST_MORE_INFO, CASE_MORE_INFO_REQUESTED, OFFICER},
    {CASE_MORE_INFO_REQUESTED, CASE_EV_PROVIDE_MORE_INFO, CASE_SCREENING, APPLICANT},
    {CASE_SCREENING, CASE_EV_ACCEPT, CASE_ACCEPTED, OFFICER},
    {CASE_SCREENING, CASE_EV_DECLINE, CASE_DECLINED, OFFICER},
    {CASE_MORE_INFO_REQUESTED, CASE_EV_DECLINE, CASE_DECLINED, OFFICER},
    /* the respondent's consent: mediation is voluntary */
    {CASE_ACCEPTED, CASE_EV_INVITE_RESPONDENT, CASE_RESPONDENT_INVITED, OFFICER},
    {CASE_RESPONDENT_INVITED, CASE_EV_RESPONDENT_AGREE, CASE_RESPONDENT_AGREED, RESPONDENT},
    {CASE_RESPONDENT_INVITED, CASE_EV_RESPONDENT_REFUSE, CASE_RESPONDENT_REFUSED, RESPONDENT},
    {CASE_RESPONDENT_INVITED, CASE_EV_RESPONDENT_DEADLINE_PASSED, CASE_RESPONDENT_NO_ANSWER,
     A(SYSTEM) | OFFICER},
    /* mediation */
    {CASE_RESPONDENT_AGREED, CASE_EV_ASSIGN_MEDIATOR, CASE_MEDIATOR_ASSIGNED, OFFICER},
    {CASE_MEDIATOR_ASSIGNED, CASE_EV_REASSIGN_MEDIATOR, CASE_MEDIATOR_ASSIGNED, OFFICER},
    {CASE_IN_MEDIATION, CASE_EV_REASSIGN_MEDIATOR, CASE_IN_MEDIATION, OFFICER},
    {CASE_MEDIATOR_ASSIGNED, CASE_EV_START_MEDIATION, CASE_IN_MEDIATION, A(MEDIATOR) | OFFICER},
    {CASE_IN_MEDIATION, CASE_EV_SETTLE, CASE_SETTLED, A(MEDIATOR)},
    {CASE_IN_MEDIATION, CASE_EV_SETTLE_PARTLY, CASE_PARTLY_SETTLED, A(MEDIATOR)},
    {CASE_IN_MEDIATION, CASE_EV_TERMINATE, CASE_NOT_SETTLED, A(MEDIATOR) | OFFICER | A(SYSTEM)},
    /* withdrawal by the applicant, from every open state */
    {CASE_DRAFT, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_SUBMITTED, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_SCREENING, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_MORE_INFO_REQUESTED, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_ACCEPTED, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_RESPONDENT_INVITED, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_RESPONDENT_AGREED, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_MEDIATOR_ASSIGNED, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    {CASE_IN_MEDIATION, CASE_EV_WITHDRAW, CASE_WITHDRAWN, APPLICANT},
    /* after the outcome */
    {CASE_DECLINED, CASE_EV_CLOSE, CASE_CLOSED, OFFICER | A(SYSTEM)},
    {CASE_RESPONDENT_REFUSED, CASE_EV_CLOSE, CASE_CLOSED, OFFICER | A(SYSTEM)},
    {CASE_RESPONDENT_NO_ANSWER, CASE_EV_CLOSE, CASE_CLOSED, OFFICER | A(SYSTEM)},
    {CASE_SETTLED, CASE_EV_CLOSE, CASE_CLOSED, OFFICER | A(SYSTEM)},
    {CASE_PARTLY_SETTLED, CASE_EV_CLOSE, CASE_CLOSED, OFFICER | A(SYSTEM)},
    {CASE_NOT_SETTLED, CASE_EV_CLOSE, CASE_CLOSED, OFFICER | A(SYSTEM)},
    {CASE_WITHDRAWN, CASE_EV_CLOSE, CASE_CLOSED, OFFICER | A(SYSTEM)},
    {CASE_CLOSED, CASE_EV_ARCHIVE, CASE_ARCHIVED, OFFICER | A(SYSTEM) | A(ADMIN)},
    {CASE_ARCHIVED, CASE_EV_ERASE, CASE_ERASED, A(SYSTEM) | A(ADMIN)},
};

#define N_TRANSITIONS (sizeof transitions / sizeof transitions[0])

static const char *name_of(const char *const *names, int count, int v)
{
    return v >= 0 && v < count ? names[v] : NULL;
}

static int index_of(const char *const *names, int count, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *case_state_name(enum case_state s)
{
    return name_of(state_names, CASE_STATE_COUNT, (int)s);
}

const char *case_event_name(enum case_event e)
{
    return name_of(event_names, CASE_EVENT_COUNT, (int)e);
}

const char *case_actor_name(enum case_actor a)
{
    return name_of(actor_names, CASE_ACTOR_COUNT, (int)a);
}

bool case_state_from_name(const char *name, enum case_state *out)
{
    int i = index_of(state_names, CASE_STATE_COUNT, name);
    if (i < 0)
        return false;
    *out = (enum case_state)i;
    return true;
}

bool case_event_from_name(const char *name, enum case_event *out)
{
    int i = index_of(event_names, CASE_EVENT_COUNT, name);
    if (i < 0)
        return false;
    *out = (enum case_event)i;
    return true;
}

bool case_actor_from_name(const char *name, enum case_actor *out)
{
    int i = index_of(actor_names, CASE_ACTOR_COUNT, name);
    if (i < 0)
        return false;
    *out = (enum case_actor)i;
    return true;
}

static const struct transition *find(enum case_state from, enum case_event ev)
{
    for (size_t i = 0; i < N_TRANSITIONS; i++)
        if (transitions[i].from == from && transitions[i].ev == ev)
            return &transitions[i];
    return NULL;
}

static bool state_ok(enum case_state s)
{
    return (int)s >= 0 && (int)s < CASE_STATE_COUNT;
}

static bool event_ok(enum case_event e)
{
    return (int)e >= 0 && (int)e < CASE_EVENT_COUNT;
}

static bool actor_ok(enum case_actor a)
{
    return (int)a >= 0 && (int)a < CASE_ACTOR_COUNT;
}

const char *case_transition(enum case_state from, enum case_event ev, enum case_actor actor,
                            bool has_reason, enum case_state *to)
{
    if (!state_ok(from) || !event_ok(ev) || !actor_ok(actor))
        return "case.transition_refused";
    const struct transition *t = find(from, ev);
    if (!t)
        return "case.transition_refused";
    if (!(t->actors & (1u << actor)))
        return "case.actor_refused";
    if (event_info[ev].reason && !has_reason)
        return "case.reason_required";
    *to = t->to;
    return NULL;
}

bool case_event_requires_reason(enum case_event ev)
{
    return event_ok(ev) && event_info[ev].reason;
}

enum case_side case_event_side(enum case_event ev)
{
    return event_ok(ev) ? event_info[ev].side : CASE_SIDE_NONE;
}

size_t case_events_available(enum case_state from, enum case_actor actor, enum case_event *out,
                             size_t cap)
{
    if (!state_ok(from) || !actor_ok(actor))
        return 0;
    size_t n = 0;
    for (int e = 0; e < CASE_EVENT_COUNT; e++) {
        const struct transition *t = find(from, (enum case_event)e);
        if (t && (t->actors & (1u << actor))) {
            if (n < cap)
                out[n] = (enum case_event)e;
            n++;
        }
    }
    return n;
}

bool case_state_is_terminal(enum case_state s)
{
    if (!state_ok(s))
        return false;
    for (size_t i = 0; i < N_TRANSITIONS; i++)
        if (transitions[i].from == s)
            return false;
    return true;
}

bool case_state_is_open(enum case_state s)
{
    /* Open exactly where the applicant may still withdraw. */
    return state_ok(s) && find(s, CASE_EV_WITHDRAW) != NULL;
}
