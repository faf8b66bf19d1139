/* test_case_state: the case state machine against an expected table written here, independently of
 * server/domain/case_state.c, checked exhaustively over every (state, event, actor, reason). */
#include "check.h"
#include "domain/case_state.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The stable names, in enum order. */
static const char *const STATES[] = {
    "draft",
    "submitted",
    "screening",
    "more_info_requested",
    "accepted",
    "declined",
    "respondent_invited",
    "respondent_agreed",
    "respondent_refused",
    "respondent_no_answer",
    "mediator_assigned",
    "in_mediation",
    "settled",
    "partly_settled",
    "not_settled",
    "withdrawn",
    "closed",
    "archived",
    "erased",
};
static const char *const EVENTS[] = {
    "submit",
    "start_screening",
    "request_more_info",
    "provide_more_info",
    "accept",
    "decline",
    "invite_respondent",
    "respondent_agree",
    "respondent_refuse",
    "respondent_deadline_passed",
    "assign_mediator",
    "reassign_mediator",
    "start_mediation",
    "settle",
    "settle_partly",
    "terminate",
    "withdraw",
    "close",
    "archive",
    "erase",
};
static const char *const ACTORS[] = {
    "resident_applicant",
    "resident_respondent",
    "lawyer",
    "case_officer",
    "mediator",
    "system",
    "admin",
};
#define NSTATES (int)(sizeof STATES / sizeof STATES[0])
#define NEVENTS (int)(sizeof EVENTS / sizeof EVENTS[0])
#define NACTORS (int)(sizeof ACTORS / sizeof ACTORS[0])

/* Expected transitions: "from event to actor,actor,... reason|-". */
static const char *const EXPECTED[] = {
    "draft submit submitted resident_applicant,lawyer -",
    "submitted start_screening screening case_officer -",
    "screening request_more_info more_info_requested case_officer -",
    "more_info_requested provide_more_info screening resident_applicant,lawyer -",
    "screening accept accepted case_officer -",
    "screening decline declined case_officer reason",
    "more_info_requested decline declined case_officer reason",
    "accepted invite_respondent respondent_invited case_officer -",
    "respondent_invited respondent_agree respondent_agreed resident_respondent,lawyer -",
    "respondent_invited respondent_refuse respondent_refused resident_respondent,lawyer reason",
    "respondent_invited respondent_deadline_passed respondent_no_answer system,case_officer -",
    "respondent_agreed assign_mediator mediator_assigned case_officer -",
    "mediator_assigned reassign_mediator mediator_assigned case_officer -",
    "in_mediation reassign_mediator in_mediation case_officer -",
    "mediator_assigned start_mediation in_mediation mediator,case_officer -",
    "in_mediation settle settled mediator -",
    "in_mediation settle_partly partly_settled mediator -",
    "in_mediation terminate not_settled mediator,case_officer,system reason",
    "draft withdraw withdrawn resident_applicant,lawyer reason",
    "submitted withdraw withdrawn resident_applicant,lawyer reason",
    "screening withdraw withdrawn resident_applicant,lawyer reason",
    "more_info_requested withdraw withdrawn resident_applicant,lawyer reason",
    "accepted withdraw withdrawn resident_applicant,lawyer reason",
    "respondent_invited withdraw withdrawn resident_applicant,lawyer reason",
    "respondent_agreed withdraw withdrawn resident_applicant,lawyer reason",
    "mediator_assigned withdraw withdrawn resident_applicant,lawyer reason",
    "in_mediation withdraw withdrawn resident_applicant,lawyer reason",
    "declined close closed case_officer,system -",
    "respondent_refused close closed case_officer,system -",
    "respondent_no_answer close closed case_officer,system -",
    "settled close closed case_officer,system -",
    "partly_settled close closed case_officer,system -",
    "not_settled close closed case_officer,system -",
    "withdrawn close closed case_officer,system -",
    "closed archive archived case_officer,system,admin -",
    "archived erase erased system,admin reason",
};
#define NEXPECTED (int)(sizeof EXPECTED / sizeof EXPECTED[0])

/* The expected table, indexed by enum values (resolved through the name lists above). */
static struct {
    bool exists;
    int to;
    bool actors[NACTORS];
    bool reason;
} want[NSTATES][NEVENTS];

static int lookup(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    fprintf(stderr, "test table: unknown name %s\n", name);
    exit(2);
}

static void load_expected(void)
{
    for (int i = 0; i < NEXPECTED; i++) {
        char from[64], ev[64], to[64], actors[200], reason[16];
        if (sscanf(EXPECTED[i], "%63s %63s %63s %199s %15s", from, ev, to, actors, reason) != 5) {
            fprintf(stderr, "test table: bad row %s\n", EXPECTED[i]);
            exit(2);
        }
        int s = lookup(STATES, NSTATES, from), e = lookup(EVENTS, NEVENTS, ev);
        if (want[s][e].exists) {
            fprintf(stderr, "test table: duplicate row %s\n", EXPECTED[i]);
            exit(2);
        }
        want[s][e].exists = true;
        want[s][e].to = lookup(STATES, NSTATES, to);
        want[s][e].reason = strcmp(reason, "reason") == 0;
        for (char *a = actors, *comma; a; a = comma ? comma + 1 : NULL) {
            comma = strchr(a, ',');
            if (comma)
                *comma = '\0';
            want[s][e].actors[lookup(ACTORS, NACTORS, a)] = true;
        }
    }
}

static void test_names(void)
{
    CHECK_INT(CASE_STATE_COUNT, NSTATES);
    CHECK_INT(CASE_EVENT_COUNT, NEVENTS);
    CHECK_INT(CASE_ACTOR_COUNT, NACTORS);
    for (int i = 0; i < NSTATES; i++) {
        enum case_state s = CASE_ERASED;
        CHECK_STR(case_state_name((enum case_state)i), STATES[i]);
        CHECK(case_state_from_name(STATES[i], &s));
        CHECK_INT(s, i);
    }
    for (int i = 0; i < NEVENTS; i++) {
        enum case_event e = CASE_EV_ERASE;
        CHECK_STR(case_event_name((enum case_event)i), EVENTS[i]);
        CHECK(case_event_from_name(EVENTS[i], &e));
        CHECK_INT(e, i);
    }
    for (int i = 0; i < NACTORS; i++) {
        enum case_actor a = CASE_ACTOR_ADMIN;
        CHECK_STR(case_actor_name((enum case_actor)i), ACTORS[i]);
        CHECK(case_actor_from_name(ACTORS[i], &a));
        CHECK_INT(a, i);
    }
    /* Spot checks that the enum constants mean what their names say. */
    CHECK_STR(case_state_name(CASE_MORE_INFO_REQUESTED), "more_info_requested");
    CHECK_STR(case_state_name(CASE_ERASED), "erased");
    CHECK_STR(case_event_name(CASE_EV_RESPONDENT_DEADLINE_PASSED), "respondent_deadline_passed");
    CHECK_STR(case_actor_name(CASE_ACTOR_CASE_OFFICER), "case_officer");

    /* Unknown and out-of-range. */
    enum case_state s = CASE_DRAFT;
    enum case_event e = CASE_EV_SUBMIT;
    enum case_actor a = CASE_ACTOR_LAWYER;
    CHECK(!case_state_from_name("Draft", &s));
    CHECK(!case_state_from_name("", &s));
    CHECK(!case_state_from_name(NULL, &s));
    CHECK(!case_state_from_name("draft ", &s));
    CHECK_INT(s, CASE_DRAFT);
    CHECK(!case_event_from_name("withdrawn", &e));
    CHECK(!case_event_from_name(NULL, &e));
    CHECK_INT(e, CASE_EV_SUBMIT);
    CHECK(!case_actor_from_name("officer", &a));
    CHECK(!case_actor_from_name(NULL, &a));
    CHECK_INT(a, CASE_ACTOR_LAWYER);
    CHECK(case_state_name((enum case_state)(-1)) == NULL);
    CHECK(case_state_name(CASE_STATE_COUNT) == NULL);
    CHECK(case_event_name(CASE_EVENT_COUNT) == NULL);
    CHECK(case_actor_name(CASE_ACTOR_COUNT) == NULL);
}

/* Every allowed transition, listed on its own, with every allowed actor. */
static void test_allowed(void)
{
    int checked = 0;
    for (int i = 0; i < NSTATES; i++)
        for (int j = 0; j < NEVENTS; j++)
            for (int k = 0; k < NACTORS; k++) {
                if (!want[i][j].exists || !want[i][j].actors[k])
                    continue;
                enum case_state to = CASE_STATE_COUNT;
                const char *err = case_transition((enum case_state)i, (enum case_event)j,
                                                  (enum case_actor)k, true, &to);
                if (err)
                    fprintf(stderr, "refused: %s %s by %s: %s\n", STATES[i], EVENTS[j], ACTORS[k],
                            err);
                CHECK(err == NULL);
                CHECK_INT(to, want[i][j].to);
                checked++;
            }
    CHECK(checked > NEXPECTED); /* sanity: several rows have several actors */
}

/* Every (state, event, actor, has_reason): result and *to exactly as the expected table says. */
static void test_exhaustive(void)
{
    int mismatches = 0;
    for (int i = 0; i < NSTATES; i++)
        for (int j = 0; j < NEVENTS; j++)
            for (int k = 0; k < NACTORS; k++)
                for (int r = 0; r < 2; r++) {
                    const char *expect = NULL;
                    if (!want[i][j].exists)
                        expect = "case.transition_refused";
                    else if (!want[i][j].actors[k])
                        expect = "case.actor_refused";
                    else if (want[i][j].reason && !r)
                        expect = "case.reason_required";
                    enum case_state to = CASE_STATE_COUNT;
                    const char *got = case_transition((enum case_state)i, (enum case_event)j,
                                                      (enum case_actor)k, r, &to);
                    bool ok = expect ? (got && strcmp(got, expect) == 0 && to == CASE_STATE_COUNT)
                                     : (!got && (int)to == want[i][j].to);
                    if (!ok) {
                        mismatches++;
                        fprintf(stderr, "%s %s by %s reason=%d: got %s, want %s\n", STATES[i],
                                EVENTS[j], ACTORS[k], r, got ? got : "ok", expect ? expect : "ok");
                    }
                    CHECK(ok);
                }
    CHECK_INT(mismatches, 0);
}

static void test_reason_and_side(void)
{
    for (int j = 0; j < NEVENTS; j++) {
        bool any_reason = false;
        for (int i = 0; i < NSTATES; i++)
            if (want[i][j].exists && want[i][j].reason)
                any_reason = true;
        CHECK_INT(case_event_requires_reason((enum case_event)j), any_reason);
    }
    CHECK(case_event_requires_reason(CASE_EV_DECLINE));
    CHECK(case_event_requires_reason(CASE_EV_WITHDRAW));
    CHECK(case_event_requires_reason(CASE_EV_RESPONDENT_REFUSE));
    CHECK(case_event_requires_reason(CASE_EV_TERMINATE));
    CHECK(case_event_requires_reason(CASE_EV_ERASE));
    CHECK(!case_event_requires_reason(CASE_EV_SETTLE));
    CHECK(!case_event_requires_reason(CASE_EVENT_COUNT));

    /* A lawyer's side is the side of the resident who may do the same thing. */
    for (int j = 0; j < NEVENTS; j++) {
        bool app = false, resp = false;
        for (int i = 0; i < NSTATES; i++) {
            app |= want[i][j].exists && want[i][j].actors[CASE_ACTOR_RESIDENT_APPLICANT];
            resp |= want[i][j].exists && want[i][j].actors[CASE_ACTOR_RESIDENT_RESPONDENT];
        }
        enum case_side side = app    ? CASE_SIDE_APPLICANT
                              : resp ? CASE_SIDE_RESPONDENT
                                     : CASE_SIDE_NONE;
        CHECK_INT(case_event_side((enum case_event)j), side);
    }
    CHECK_INT(case_event_side(CASE_EVENT_COUNT), CASE_SIDE_NONE);
}

static void test_available(void)
{
    for (int i = 0; i < NSTATES; i++)
        for (int k = 0; k < NACTORS; k++) {
            enum case_event got[CASE_EVENT_COUNT + 1];
            size_t n = case_events_available((enum case_state)i, (enum case_actor)k, got,
                                             CASE_EVENT_COUNT + 1);
            size_t m = 0;
            for (int j = 0; j < NEVENTS; j++)
                if (want[i][j].exists && want[i][j].actors[k]) {
                    CHECK(m < n && (int)got[m] == j);
                    m++;
                }
            CHECK_INT(n, m);
        }
    /* Capacity smaller than the count: the count is still returned, only cap written. */
    enum case_event one[2] = {CASE_EVENT_COUNT, CASE_EVENT_COUNT};
    size_t n = case_events_available(CASE_SCREENING, CASE_ACTOR_CASE_OFFICER, one, 1);
    CHECK_INT(n, 3); /* request_more_info, accept, decline */
    CHECK_INT(one[0], CASE_EV_REQUEST_MORE_INFO);
    CHECK_INT(one[1], CASE_EVENT_COUNT);
    CHECK_INT(case_events_available(CASE_SCREENING, CASE_ACTOR_CASE_OFFICER, NULL, 0), 3);
    CHECK_INT(case_events_available(CASE_STATE_COUNT, CASE_ACTOR_ADMIN, one, 2), 0);
    CHECK_INT(case_events_available(CASE_DRAFT, CASE_ACTOR_COUNT, one, 2), 0);
}

static void test_open_terminal(void)
{
    static const char *const open[] = {
        "draft",       "submitted",          "screening",         "more_info_requested",
        "accepted",    "respondent_invited", "respondent_agreed", "mediator_assigned",
        "in_mediation"};
    for (int i = 0; i < NSTATES; i++) {
        bool is_open = false, leaves = false;
        for (size_t o = 0; o < sizeof open / sizeof open[0]; o++)
            if (strcmp(open[o], STATES[i]) == 0)
                is_open = true;
        for (int j = 0; j < NEVENTS; j++)
            leaves |= want[i][j].exists;
        CHECK_INT(case_state_is_open((enum case_state)i), is_open);
        CHECK_INT(case_state_is_terminal((enum case_state)i), !leaves);
        /* Withdrawal by the applicant is possible from exactly the open states. */
        CHECK_INT(want[i][lookup(EVENTS, NEVENTS, "withdraw")].exists, is_open);
    }
    CHECK(case_state_is_terminal(CASE_ERASED));
    CHECK(!case_state_is_terminal(CASE_ARCHIVED));
    CHECK(!case_state_is_open(CASE_SETTLED));
    CHECK(!case_state_is_open(CASE_CLOSED));
    CHECK(!case_state_is_open(CASE_STATE_COUNT));
    CHECK(!case_state_is_terminal(CASE_STATE_COUNT));
    CHECK(!case_state_is_open((enum case_state)(-1)));
}

/* Out-of-range arguments are refused without touching *to. */
static void test_out_of_range(void)
{
    enum case_state to = CASE_DRAFT;
    CHECK_STR(case_transition(CASE_STATE_COUNT, CASE_EV_SUBMIT, CASE_ACTOR_LAWYER, true, &to),
              "case.transition_refused");
    CHECK_STR(case_transition((enum case_state)(-1), CASE_EV_SUBMIT, CASE_ACTOR_LAWYER, true, &to),
              "case.transition_refused");
    CHECK_STR(case_transition(CASE_DRAFT, CASE_EVENT_COUNT, CASE_ACTOR_LAWYER, true, &to),
              "case.transition_refused");
    CHECK_STR(case_transition(CASE_DRAFT, CASE_EV_SUBMIT, CASE_ACTOR_COUNT, true, &to),
              "case.transition_refused");
    CHECK_STR(case_transition(CASE_DRAFT, CASE_EV_SUBMIT, (enum case_actor)(-1), true, &to),
              "case.transition_refused");
    CHECK_INT(to, CASE_DRAFT);
}

/* Graph properties: from draft every state is reachable, and from every state erased is. */
static void test_reachability(void)
{
    bool seen[CASE_STATE_COUNT] = {false};
    int queue[CASE_STATE_COUNT], head = 0, tail = 0;
    seen[CASE_DRAFT] = true;
    queue[tail++] = CASE_DRAFT;
    while (head < tail) {
        int s = queue[head++];
        for (int j = 0; j < NEVENTS; j++)
            for (int k = 0; k < NACTORS; k++) {
                enum case_state to;
                if (!case_transition((enum case_state)s, (enum case_event)j, (enum case_actor)k,
                                     true, &to) &&
                    !seen[to]) {
                    seen[to] = true;
                    queue[tail++] = to;
                }
            }
    }
    for (int i = 0; i < NSTATES; i++)
        CHECK(seen[i]);

    /* Backwards: the states from which erased can be reached, to a fixpoint. */
    bool reaches[CASE_STATE_COUNT] = {false};
    reaches[CASE_ERASED] = true;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < NSTATES; i++)
            for (int j = 0; j < NEVENTS; j++)
                for (int k = 0; k < NACTORS; k++) {
                    enum case_state to;
                    if (!reaches[i] &&
                        !case_transition((enum case_state)i, (enum case_event)j, (enum case_actor)k,
                                         true, &to) &&
                        reaches[to]) {
                        reaches[i] = true;
                        changed = true;
                    }
                }
    }
    for (int i = 0; i < NSTATES; i++)
        CHECK(reaches[i]);
}

/* A case's life end to end, by the people who do it. */
static void test_story(void)
{
    struct step {
        enum case_event ev;
        enum case_actor actor;
        bool reason;
        enum case_state to;
    } steps[] = {
        {CASE_EV_SUBMIT, CASE_ACTOR_RESIDENT_APPLICANT, false, CASE_SUBMITTED},
        {CASE_EV_START_SCREENING, CASE_ACTOR_CASE_OFFICER, false, CASE_SCREENING},
        {CASE_EV_REQUEST_MORE_INFO, CASE_ACTOR_CASE_OFFICER, false, CASE_MORE_INFO_REQUESTED},
        {CASE_EV_PROVIDE_MORE_INFO, CASE_ACTOR_LAWYER, false, CASE_SCREENING},
        {CASE_EV_ACCEPT, CASE_ACTOR_CASE_OFFICER, false, CASE_ACCEPTED},
        {CASE_EV_INVITE_RESPONDENT, CASE_ACTOR_CASE_OFFICER, false, CASE_RESPONDENT_INVITED},
        {CASE_EV_RESPONDENT_AGREE, CASE_ACTOR_RESIDENT_RESPONDENT, false, CASE_RESPONDENT_AGREED},
        {CASE_EV_ASSIGN_MEDIATOR, CASE_ACTOR_CASE_OFFICER, false, CASE_MEDIATOR_ASSIGNED},
        {CASE_EV_START_MEDIATION, CASE_ACTOR_MEDIATOR, false, CASE_IN_MEDIATION},
        {CASE_EV_REASSIGN_MEDIATOR, CASE_ACTOR_CASE_OFFICER, false, CASE_IN_MEDIATION},
        {CASE_EV_SETTLE, CASE_ACTOR_MEDIATOR, false, CASE_SETTLED},
        {CASE_EV_CLOSE, CASE_ACTOR_SYSTEM, false, CASE_CLOSED},
        {CASE_EV_ARCHIVE, CASE_ACTOR_SYSTEM, false, CASE_ARCHIVED},
        {CASE_EV_ERASE, CASE_ACTOR_SYSTEM, true, CASE_ERASED},
    };
    enum case_state s = CASE_DRAFT;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        enum case_state to = CASE_STATE_COUNT;
        CHECK(case_transition(s, steps[i].ev, steps[i].actor, steps[i].reason, &to) == NULL);
        CHECK_INT(to, steps[i].to);
        s = to;
    }
    /* A few refusals spelled out. */
    enum case_state to = CASE_STATE_COUNT;
    CHECK_STR(
        case_transition(CASE_SETTLED, CASE_EV_WITHDRAW, CASE_ACTOR_RESIDENT_APPLICANT, true, &to),
        "case.transition_refused");
    CHECK_STR(case_transition(CASE_IN_MEDIATION, CASE_EV_WITHDRAW, CASE_ACTOR_RESIDENT_RESPONDENT,
                              true, &to),
              "case.actor_refused");
    CHECK_STR(case_transition(CASE_IN_MEDIATION, CASE_EV_WITHDRAW, CASE_ACTOR_RESIDENT_APPLICANT,
                              false, &to),
              "case.reason_required");
    CHECK_STR(case_transition(CASE_SCREENING, CASE_EV_ACCEPT, CASE_ACTOR_MEDIATOR, false, &to),
              "case.actor_refused");
    CHECK_STR(case_transition(CASE_ERASED, CASE_EV_ERASE, CASE_ACTOR_ADMIN, true, &to),
              "case.transition_refused");
    CHECK_INT(to, CASE_STATE_COUNT);
}

int main(void)
{
    load_expected();
    test_names();
    test_allowed();
    test_exhaustive();
    test_reason_and_side();
    test_available();
    test_open_terminal();
    test_out_of_range();
    test_reachability();
    test_story();
    return check_summary();
}
