/* mediators.h: mediators' profiles, the data a proposal is computed from, assignments and
 * recusals. */
#ifndef QIAO_STORE_MEDIATORS_H
#define QIAO_STORE_MEDIATORS_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/matching.h"
#include "store/accounts.h"
#include "store/cases.h"

struct mediator_qual_row {
    int64_t id;
    char jurisdiction[12], body[65], number[33], valid_from[11], valid_to[11];
};

struct mediator_rel_row {
    int64_t id;
    char subject_kind[10], relation[14], hint[9], since[11];
};

struct mediator_info {
    struct user user;
    char case_types[32], subtypes[160], spoken[64];
    int capacity, open_cases;
    int weekly_minutes[7];
    int64_t last_assigned_at;
    bool has_profile;
    struct mediator_qual_row quals[MATCH_MAX_QUALIFICATIONS];
    int nquals;
};

/* A mediator (any user with the mediator role) and their profile. ST_NONE if no such mediator. */
enum st store_mediator_get(const char *username, struct mediator_info *out);
/* Mediators, by username, optionally of one center (0: all); at most cap. */
enum st store_mediators_list(int64_t center_id, struct mediator_info *out, int cap, int *n);

struct mediator_profile_in {
    const char *case_types, *subtypes, *spoken; /* comma lists, already checked */
    int capacity;                              /* -1: leave */
    int weekly_minutes[7];
    bool set_weekly;
};
enum st store_mediator_profile_put(int64_t user_id, const struct mediator_profile_in *in,
                                   const struct actor *who);
enum st store_mediator_qualification_add(int64_t user_id, const struct mediator_qual_row *q,
                                         const struct actor *who, int64_t *id);
enum st store_mediator_availability_set(int64_t user_id, const char *day, int minutes,
                                        const struct actor *who);
/* Declares a relationship with a person, company or firm, kept only as blind keys of the name
 * (and identity number) and a one-character hint. */
/* Dated availability exceptions from day (YYYY-MM-DD) on, in date order, at most cap. */
struct availability_row {
    char day[11];
    int minutes;
};
enum st store_mediator_availability_list(int64_t user_id, const char *from,
                                         struct availability_row *out, int cap, int *n);
enum st store_mediator_relationship_add(int64_t user_id, const char *subject_kind,
                                        const char *relation, const char *name,
                                        const char *id_type, const char *id_number,
                                        const char *since, const struct actor *who, int64_t *id);
enum st store_mediator_relationships(int64_t user_id, struct mediator_rel_row *out, int cap,
                                     int *n);

struct roster;
/* Everything match_propose needs for one case, loaded together and freed together. */
struct match_data {
    struct match_case c;
    struct match_party parties[2 * FILING_MAX_PARTIES];
    struct match_case_key keys[MATCH_MAX_CASE_KEYS];
    struct workcal_override overrides[512];
    struct match_mediator *m;
    int nm;
    void *arena; /* backing arrays of the case's parties, earlier cases … */
    const struct roster *roster; /* the center's mediators, shared: m's arrays point into it */
};
/* Loads the case and every mediator of its center. ST_NONE if there is no such case. */
enum st store_match_load(int64_t case_id, struct match_data *out);
void match_data_free(struct match_data *d);

/* The case's active mediators (user ids, lead first), at most cap. */
enum st store_case_mediators(int64_t case_id, int64_t *ids, char (*usernames)[33], int cap,
                             int *n);

struct assignment_in {
    int64_t mediators[2]; /* lead, then co-mediator (0: none) */
    int n;
    const char *reason;   /* sealed into the timeline */
    const char *override_reason; /* a written reason when a conflict is overridden, or NULL */
    int64_t overridden[2];
    int noverridden;
    const char *from_state, *to_state, *event; /* the transition the assignment makes */
};
/* Assigns (ending any current assignment as replaced), records overrides, the timeline entry and
 * the audit entries, in one transaction. ST_CONFLICT when the case left from_state. */
enum st store_assign(int64_t case_id, const struct assignment_in *in, const struct actor *who);

struct recusal_row {
    int64_t id, mediator_id, requested_by, created_at, decided_at;
    char mediator[33], status[10];
    char *grounds, *decision; /* owned */
};
enum st store_recusal_request(int64_t case_id, int64_t mediator_id, const char *grounds,
                              const struct actor *who, int64_t *id);
/* Decides a pending request; on acceptance the mediator's assignment ends (ended_why recused).
 * ST_NONE for no such pending request. */
enum st store_recusal_decide(int64_t case_id, int64_t recusal_id, bool accept,
                             const char *decision, const struct actor *who);
enum st store_recusals(int64_t case_id, struct recusal_row *out, int cap, int *n);
void recusal_row_free(struct recusal_row *r);
#endif
