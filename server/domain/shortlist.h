/* shortlist.h: the joint choice of a mediator from an officer's shortlist of three (commercial
 * cases). Each side puts the three in its order of preference; the one both sides, taken
 * together, like best is chosen: the lowest sum of the two ranks; on a tie, the one whose worse
 * rank is better (the compromise); then the officer's order. A member no longer eligible (a
 * conflict found since, no capacity left) is passed over. Pure functions, no I/O. */
#ifndef QIAO_DOMAIN_SHORTLIST_H
#define QIAO_DOMAIN_SHORTLIST_H
#include <stdbool.h>
#include <stddef.h>

#define SHORTLIST_SIZE 3
#define SHORTLIST_RESPOND_DAYS 7 /* calendar days the parties have to rank */

/* A side's order of preference: the members' positions (1..3), most preferred first. */
struct shortlist_ranking {
    int order[SHORTLIST_SIZE];
};

/* Is it a permutation of 1..3? */
bool shortlist_ranking_valid(const struct shortlist_ranking *r);
/* "2,1,3" ↔ a ranking; parse returns false for anything but a valid one. */
bool shortlist_ranking_parse(const char *s, struct shortlist_ranking *out);
void shortlist_ranking_format(const struct shortlist_ranking *r, char *buf, size_t cap);

/* The chosen member's position (1..3) from both sides' rankings, or 0 when none is eligible. */
int shortlist_choose(const struct shortlist_ranking *applicant,
                     const struct shortlist_ranking *respondent,
                     const bool eligible[SHORTLIST_SIZE]);
#endif
