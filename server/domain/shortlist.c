/* shortlist.c: the joint choice from a shortlist of three (see shortlist.h for the rule). */
#include "domain/shortlist.h"

#include <stdio.h>

bool shortlist_ranking_valid(const struct shortlist_ranking *r)
{
    bool seen[SHORTLIST_SIZE + 1] = {false};
    for (int i = 0; i < SHORTLIST_SIZE; i++) {
        int p = r->order[i];
        if (p < 1 || p > SHORTLIST_SIZE || seen[p])
            return false;
        seen[p] = true;
    }
    return true;
}

bool shortlist_ranking_parse(const char *s, struct shortlist_ranking *out)
{
    if (!s)
        return false;
    for (int i = 0; i < SHORTLIST_SIZE; i++) {
        if (s[0] < '1' || s[0] > '9')
            return false;
        out->order[i] = s[0] - '0';
        s++;
        if (i < SHORTLIST_SIZE - 1 && *s++ != ',')
            return false;
    }
    return *s == '\0' && shortlist_ranking_valid(out);
}

void shortlist_ranking_format(const struct shortlist_ranking *r, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d,%d,%d", r->order[0], r->order[1], r->order[2]);
}

/* The rank (1 = most preferred) a side gives position pos. */
static int rank_of(const struct shortlist_ranking *r, int pos)
{
    for (int i = 0; i < SHORTLIST_SIZE; i++)
        if (r->order[i] == pos)
            return i + 1;
    return SHORTLIST_SIZE + 1;
}

int shortlist_choose(const struct shortlist_ranking *applicant,
                     const struct shortlist_ranking *respondent,
                     const bool eligible[SHORTLIST_SIZE])
{
    int best = 0, best_sum = 0, best_worst = 0;
    for (int pos = 1; pos <= SHORTLIST_SIZE; pos++) { /* the officer's order breaks last ties */
        if (!eligible[pos - 1])
            continue;
        int a = rank_of(applicant, pos), b = rank_of(respondent, pos);
        int sum = a + b, worst = a > b ? a : b;
        if (!best || sum < best_sum || (sum == best_sum && worst < best_worst)) {
            best = pos;
            best_sum = sum;
            best_worst = worst;
        }
    }
    return best;
}
