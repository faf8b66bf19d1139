/* shortlist.h: an officer's shortlist of three for a commercial case, each side's ranking, and the
 * joint choice (domain/shortlist.h) that assigns the chosen mediator in the same transaction. */
#ifndef QIAO_STORE_SHORTLIST_H
#define QIAO_STORE_SHORTLIST_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/shortlist.h"
#include "store/cases.h"
#include "store/store.h"

enum shortlist_side { SHORTLIST_APPLICANT = 0, SHORTLIST_RESPONDENT = 1 };

struct shortlist {
    int64_t id, case_id, created_at, closed_at;
    int64_t members[SHORTLIST_SIZE]; /* user ids, in the officer's order */
    char usernames[SHORTLIST_SIZE][33];
    char status[12];     /* open, chosen, withdrawn, failed */
    char respond_by[11]; /* YYYY-MM-DD, the centers' day */
    int chosen;          /* position 1..3 of the chosen member, 0: none */
    bool ranked[2];      /* by side */
    struct shortlist_ranking rankings[2];
};

/* The case's latest shortlist. ST_NONE when it never had one. */
enum st store_shortlist_get(int64_t case_id, struct shortlist *out);

/* Offers a shortlist (withdrawing an open one): the parties have SHORTLIST_RESPOND_DAYS to rank.
 * ST_CONFLICT when the case is no longer waiting for its first mediator (respondent_agreed). */
enum st store_shortlist_offer(int64_t case_id, const int64_t members[SHORTLIST_SIZE],
                              const struct actor *who, int64_t *id);

/* Records a side's ranking (replacing its earlier one). When both sides have ranked, chooses
 * (passing over members not eligible[]) and assigns the chosen one, or marks the shortlist failed
 * when none is eligible. ST_CONFLICT when shortlist_id is not the case's open shortlist or the
 * case left respondent_agreed. */
enum st store_shortlist_rank(int64_t case_id, int64_t shortlist_id, enum shortlist_side side,
                             const struct shortlist_ranking *ranking,
                             const bool eligible[SHORTLIST_SIZE], const struct actor *who);
#endif
