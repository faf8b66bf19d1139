#include "domain/case_rights.h"

bool case_actor_for(const struct principal *p, const struct resource *r, enum case_actor *out)
{
    switch (p->role) {
    case ROLE_RESIDENT:
        if (r->respondent && !r->applicant && !r->filer)
            *out = CASE_ACTOR_RESIDENT_RESPONDENT;
        else if (r->applicant || r->filer)
            *out = CASE_ACTOR_RESIDENT_APPLICANT;
        else
            return false;
        return true;
    case ROLE_LAWYER:
        *out = CASE_ACTOR_LAWYER;
        return true;
    case ROLE_CASE_OFFICER:
        *out = CASE_ACTOR_CASE_OFFICER;
        return true;
    case ROLE_MEDIATOR:
        *out = CASE_ACTOR_MEDIATOR;
        return true;
    case ROLE_ADMIN:
        *out = CASE_ACTOR_ADMIN;
        return true;
    default:
        return false;
    }
}

/* The policy action behind each event people may ask for (ACT_COUNT: one only the system takes). */
enum action case_event_action(enum case_event ev)
{
    switch (ev) {
    case CASE_EV_SUBMIT:
        return ACT_CASE_EDIT_DRAFT;
    case CASE_EV_START_SCREENING:
    case CASE_EV_REQUEST_MORE_INFO:
    case CASE_EV_ACCEPT:
    case CASE_EV_DECLINE:
    case CASE_EV_INVITE_RESPONDENT:
    case CASE_EV_RESPONDENT_DEADLINE_PASSED:
    case CASE_EV_CLOSE:
    case CASE_EV_ARCHIVE:
        return ACT_CASE_SCREEN;
    case CASE_EV_PROVIDE_MORE_INFO:
        return ACT_CASE_ANSWER_INFO;
    case CASE_EV_WITHDRAW:
        return ACT_CASE_WITHDRAW;
    case CASE_EV_RESPONDENT_AGREE:
    case CASE_EV_RESPONDENT_REFUSE:
        return ACT_CASE_RESPOND;
    default:
        return ACT_COUNT;
    }
}

bool case_event_permitted(const struct principal *p, const struct resource *r, enum case_event ev)
{
    enum action a = case_event_action(ev);
    if (a == ACT_COUNT || !policy_allows(p, a, r))
        return false;
    if (p->role == ROLE_LAWYER) { /* a lawyer acts for the side they represent */
        enum case_side side = case_event_side(ev);
        if (side == CASE_SIDE_APPLICANT && !(r->applicant || r->filer))
            return false;
        if (side == CASE_SIDE_RESPONDENT && !r->respondent)
            return false;
    }
    return true;
}
