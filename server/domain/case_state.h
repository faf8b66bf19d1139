/* case_state.h: the life of a case (DOMAIN.md, "A case's life") as one transition table.
 *
 *   draft -submit-> submitted -start_screening-> screening
 *   screening -request_more_info-> more_info_requested -provide_more_info-> screening
 *   screening | more_info_requested -decline*-> declined
 *   screening -accept-> accepted -invite_respondent-> respondent_invited
 *   respondent_invited -respondent_agree-> respondent_agreed
 *                      -respondent_refuse*-> respondent_refused
 *                      -respondent_deadline_passed-> respondent_no_answer
 *   respondent_agreed -assign_mediator-> mediator_assigned -start_mediation-> in_mediation
 *   mediator_assigned | in_mediation -reassign_mediator-> (same state)   recusal, replacement,
 *                                                                         co-mediator
 *   in_mediation -settle-> settled | -settle_partly-> partly_settled | -terminate*-> not_settled
 *   draft .. in_mediation (every open state) -withdraw*-> withdrawn
 *   declined, respondent_refused, respondent_no_answer, settled, partly_settled, not_settled,
 *   withdrawn -close-> closed -archive-> archived -erase*-> erased
 * (* = a reason is required.) Who may perform each event is in the table in case_state.c and is
 * listed by case_events_available.
 *
 * The table knows roles, not people: the caller checks that the actor is the right person
 * (the applicant of this case, the mediator assigned to it, a lawyer representing the side given
 * by case_event_side, an officer of the case's center) before asking.
 *
 * Errors are stable codes (never user-facing text):
 *   "case.transition_refused"  that event cannot happen in that state (or bad argument)
 *   "case.actor_refused"       it can, but not by that role
 *   "case.reason_required"     it can, by that role, but only with a reason
 *
 * Names are stable snake_case strings, stored in the database and used in the API: never rename
 * one; the enum values themselves are not stored. Everything here is constant data and pure
 * functions: thread-safe, no allocation; returned strings are static.
 */
#ifndef QIAO_DOMAIN_CASE_STATE_H
#define QIAO_DOMAIN_CASE_STATE_H

#include <stdbool.h>
#include <stddef.h>

enum case_state {
    CASE_DRAFT = 0,            /* "draft" */
    CASE_SUBMITTED,            /* "submitted" */
    CASE_SCREENING,            /* "screening" */
    CASE_MORE_INFO_REQUESTED,  /* "more_info_requested" */
    CASE_ACCEPTED,             /* "accepted" */
    CASE_DECLINED,             /* "declined" */
    CASE_RESPONDENT_INVITED,   /* "respondent_invited" */
    CASE_RESPONDENT_AGREED,    /* "respondent_agreed" */
    CASE_RESPONDENT_REFUSED,   /* "respondent_refused" */
    CASE_RESPONDENT_NO_ANSWER, /* "respondent_no_answer" */
    CASE_MEDIATOR_ASSIGNED,    /* "mediator_assigned" */
    CASE_IN_MEDIATION,         /* "in_mediation" */
    CASE_SETTLED,              /* "settled" */
    CASE_PARTLY_SETTLED,       /* "partly_settled" */
    CASE_NOT_SETTLED,          /* "not_settled" */
    CASE_WITHDRAWN,            /* "withdrawn" */
    CASE_CLOSED,               /* "closed" */
    CASE_ARCHIVED,             /* "archived" */
    CASE_ERASED,               /* "erased" */
    CASE_STATE_COUNT
};

enum case_event {
    CASE_EV_SUBMIT = 0,                 /* "submit" */
    CASE_EV_START_SCREENING,            /* "start_screening" */
    CASE_EV_REQUEST_MORE_INFO,          /* "request_more_info" */
    CASE_EV_PROVIDE_MORE_INFO,          /* "provide_more_info" */
    CASE_EV_ACCEPT,                     /* "accept" */
    CASE_EV_DECLINE,                    /* "decline" (reason) */
    CASE_EV_INVITE_RESPONDENT,          /* "invite_respondent" */
    CASE_EV_RESPONDENT_AGREE,           /* "respondent_agree" */
    CASE_EV_RESPONDENT_REFUSE,          /* "respondent_refuse" (reason) */
    CASE_EV_RESPONDENT_DEADLINE_PASSED, /* "respondent_deadline_passed" */
    CASE_EV_ASSIGN_MEDIATOR,            /* "assign_mediator" */
    CASE_EV_REASSIGN_MEDIATOR,          /* "reassign_mediator" */
    CASE_EV_START_MEDIATION,            /* "start_mediation" */
    CASE_EV_SETTLE,                     /* "settle" */
    CASE_EV_SETTLE_PARTLY,              /* "settle_partly" */
    CASE_EV_TERMINATE,                  /* "terminate" (reason): ends as not settled */
    CASE_EV_WITHDRAW,                   /* "withdraw" (reason) */
    CASE_EV_CLOSE,                      /* "close" */
    CASE_EV_ARCHIVE,                    /* "archive" */
    CASE_EV_ERASE,                      /* "erase" (reason) */
    CASE_EVENT_COUNT
};

/* Roles that act on a case. A lawyer acts for the applicant or for the respondent. */
enum case_actor {
    CASE_ACTOR_RESIDENT_APPLICANT = 0, /* "resident_applicant" */
    CASE_ACTOR_RESIDENT_RESPONDENT,    /* "resident_respondent" */
    CASE_ACTOR_LAWYER,                 /* "lawyer" */
    CASE_ACTOR_CASE_OFFICER,           /* "case_officer" */
    CASE_ACTOR_MEDIATOR,               /* "mediator" */
    CASE_ACTOR_SYSTEM,                 /* "system": deadlines and retention jobs */
    CASE_ACTOR_ADMIN,                  /* "admin" */
    CASE_ACTOR_COUNT
};

/* The party an event is performed for: a lawyer may perform it only when acting for that side. */
enum case_side {
    CASE_SIDE_NONE = 0,  /* not a party's act */
    CASE_SIDE_APPLICANT, /* submit, provide_more_info, withdraw */
    CASE_SIDE_RESPONDENT /* respondent_agree, respondent_refuse */
};

/* Stable names: return a static string, or NULL if the value is out of range. */
const char *case_state_name(enum case_state s);
const char *case_event_name(enum case_event e);
const char *case_actor_name(enum case_actor a);

/* Parse stable names, exactly (case-sensitive). Return true and set *out, or return false and
 * leave *out unchanged for NULL or an unknown name. */
bool case_state_from_name(const char *name, enum case_state *out);
bool case_event_from_name(const char *name, enum case_event *out);
bool case_actor_from_name(const char *name, enum case_actor *out);

/* Decides whether `actor` may apply `ev` to a case in state `from`; has_reason says whether the
 * request carries a (non-empty) reason. Returns NULL and sets *to to the new state when allowed
 * (*to may equal from for reassign_mediator); otherwise returns an error code, checked in this
 * order: "case.transition_refused", "case.actor_refused", "case.reason_required", and leaves *to
 * unchanged. A reason given where none is required is allowed (it is recorded). */
const char *case_transition(enum case_state from, enum case_event ev, enum case_actor actor,
                            bool has_reason, enum case_state *to);

/* True if the event always needs a reason (decline, respondent_refuse, terminate, withdraw,
 * erase); false otherwise and for out-of-range values. */
bool case_event_requires_reason(enum case_event ev);

/* The side a lawyer performing ev must represent (see enum case_side); CASE_SIDE_NONE for events
 * that are not a party's act and for out-of-range values. */
enum case_side case_event_side(enum case_event ev);

/* Writes into out (capacity cap) the events `actor` may apply in state `from`, in enum order, and
 * returns how many there are (which may exceed cap: then only the first cap are written).
 * Returns 0 for out-of-range arguments. Reasons are not considered. */
size_t case_events_available(enum case_state from, enum case_actor actor, enum case_event *out,
                             size_t cap);

/* True only for states no event leaves (erased): the record is gone. False for out of range. */
bool case_state_is_terminal(enum case_state s);

/* True while the case is live and its outcome open: draft, submitted, screening,
 * more_info_requested, accepted, respondent_invited, respondent_agreed, mediator_assigned,
 * in_mediation (the states an applicant can withdraw from). False for outcome states (declined,
 * respondent_refused, respondent_no_answer, settled, partly_settled, not_settled, withdrawn) and
 * for closed, archived, erased, and out-of-range values. */
bool case_state_is_open(enum case_state s);

#endif
