/* matching.h: which mediators may take a case, and in what order to propose them (issue: "put the
 * right mediator on each case quickly and be able to defend the choice").
 *
 * The store fills plain structs (a case, its parties' languages and residences, the blind-index
 * keys of everyone on it; every mediator's profile), match_propose applies the rules, and the API
 * layer turns the result into GET /api/v1/cases/{id}/assignment-proposal. Nothing here touches
 * SQL, JSON or HTTP, and nothing is user-facing text: every finding is a struct match_reason, a
 * stable code (match_code_name) with numbers the API layer puts into messages.
 *
 * Hard filters (a mediator failing any is excluded, with every failure as a reason):
 *   wrong_center            the mediator does not serve the case's center
 *   case_type               the mediator does not take the case's type, or lists subtypes of that
 *                           type and not the case's subtype
 *   no_valid_qualification  no qualification in a jurisdiction the center accepts is valid today
 *   qualification_expired   the same, where one that would count has expired
 *   at_capacity             open cases >= capacity
 *   language_missing        a party speaks none of the mediator's languages (one per party). A
 *                           mediator failing only this may still be one of a pair.
 *   conflict_of_interest    a declared relationship with, an earlier case acting for or against,
 *                           or the mediator's own person matching, anyone on the case (a party,
 *                           a lawyer, a firm) by the same name or the same identity number
 * Score (integers; the candidate's score is the sum of its reasons' points):
 *   load        MATCH_W_LOAD * (capacity - open) / capacity
 *   free_hours_next_10_working_days
 *               MATCH_W_FREE * min(free, MATCH_FREE_FULL_MINUTES) / MATCH_FREE_FULL_MINUTES, free
 *               = minutes summed over the next MATCH_HORIZON_DAYS working days after today in
 *               the center's calendar (weekly minutes, or a dated exception, less booked minutes)
 *   rotation    MATCH_W_ROTATION_DAY per whole day since the last assignment, at most
 *               MATCH_ROTATION_FULL_DAYS days; never assigned counts as the maximum
 *   languages_covered       MATCH_W_LANGUAGE per language of the parties the mediator speaks
 *   subtype_specialist      MATCH_W_SUBTYPE when the mediator lists the case's subtype itself
 *   cross_border_qualified  MATCH_W_DUAL on a cross-border case, when the mediator is qualified
 *                           (valid today) both on the Mainland and on the other parties' side
 *   mediated_before         0 points, for information: the mediator mediated an earlier case
 *                           with someone on this one (not a conflict)
 * Pairs (cross-border cases only: a party resident on the Mainland side, zhuhai or mainland, and
 * one resident in macao or hong_kong): one member with a valid Mainland qualification and one with
 * a valid qualification of the other side (Macao for a party in Macao, Hong Kong for one in Hong
 * Kong), both passing every hard filter except language_missing, together speaking a language of
 * every party. Score = (score of a + score of b) / 2 + MATCH_W_PAIR, so a pair and a single
 * candidate of equal quality rank the pair first. Pairs are searched among the top K mediators
 * (by score) of each group of equal pair role (Mainland, other side, both) and equal languages
 * among the parties', K = pairs_cap + 1: every pair outside that set has pairs_cap better ones
 * inside it, so the pairs returned are exactly the best pairs_cap pairs (pairs_cap is taken as at
 * most MATCH_PAIR_K - 1).
 *
 * Order (the same inputs, in any order, give the same proposal): candidates by score descending,
 * then user id ascending; excluded by user id; pairs by score (exactly: the members' score sum)
 * descending, then by their lower and higher user ids ascending. Reasons of one entry come in a
 * fixed order (listed with enum match_code); conflict findings sorted by kind, subject, basis.
 *
 * Thread-safe; everything is borrowed from the caller and not kept after the call. match_propose
 * allocates one working buffer per call (freed before it returns); the per-mediator work does not
 * allocate: the case's keys go into a hash table once, and each key of a mediator is one probe.
 */
#ifndef QIAO_DOMAIN_MATCHING_H
#define QIAO_DOMAIN_MATCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/filing.h"
#include "domain/workcal.h"

#define MATCH_KEY_LEN 16     /* a blind-index key (vault_blind), all zero = none */
#define MATCH_MAX_CENTERS 16 /* centers one mediator serves */
#define MATCH_MAX_QUALIFICATIONS 8
#define MATCH_MAX_CASE_KEYS 256 /* keys of one case (parties, lawyers, firms) */
#define MATCH_MAX_REASONS 16    /* per candidate or excluded mediator */
#define MATCH_PAIR_REASONS 3
#define MATCH_PAIR_K 33        /* the most members kept per pair group (pairs_cap <= 32 exact) */
#define MATCH_HORIZON_DAYS 10  /* working days counted for free hours */
#define MATCH_NO_END INT32_MAX /* valid_to of a qualification without an end */

/* Weights of the score (points). */
#define MATCH_W_LOAD 300
#define MATCH_W_FREE 300
#define MATCH_FREE_FULL_MINUTES 2400 /* 40 free hours in the horizon earn the full weight */
#define MATCH_W_ROTATION_DAY 10
#define MATCH_ROTATION_FULL_DAYS 30
#define MATCH_W_LANGUAGE 25
#define MATCH_W_SUBTYPE 50
#define MATCH_W_DUAL 100
#define MATCH_W_PAIR 200

/* ---- vocabulary ----------------------------------------------------------------------------- */

/* Where a qualification was granted. Names: "mainland", "macao", "hong_kong" (as centers'). */
enum match_jurisdiction {
    MATCH_JUR_MAINLAND = 0,
    MATCH_JUR_MACAO,
    MATCH_JUR_HONG_KONG,
    MATCH_JUR_COUNT
};
#define MATCH_JUR_BIT(j) (1u << (j))

/* The stable name of a jurisdiction ("" if out of range). */
const char *match_jurisdiction_name(enum match_jurisdiction j);
/* Parses a name into *out; false (and *out left) if it is not one. */
bool match_jurisdiction_parse(const char *name, enum match_jurisdiction *out);

/* The bit of a case type in match_mediator.types (0 for CASE_TYPE_NONE). */
unsigned match_type_bit(enum case_type t);
/* The bit of a subtype (filing.c's list: "divorce", "custody", ... "other") in
 * match_mediator.subtypes and match_case.subtype; 0 for an unknown or NULL name. */
unsigned match_subtype_bit(const char *subtype);

/* A declared relationship's kind. Names: "family", "business", "professional", "personal",
 * "other". */
enum match_relation {
    MATCH_REL_FAMILY = 0,
    MATCH_REL_BUSINESS,
    MATCH_REL_PROFESSIONAL,
    MATCH_REL_PERSONAL,
    MATCH_REL_OTHER,
    MATCH_REL_COUNT
};
const char *match_relation_name(enum match_relation r);
bool match_relation_parse(const char *name, enum match_relation *out);

/* How the mediator took part in an earlier case. Names: "mediated", "acted_for",
 * "acted_against". Only acting for or against someone is a conflict. */
enum match_past_role {
    MATCH_PAST_MEDIATED = 0,
    MATCH_PAST_ACTED_FOR,
    MATCH_PAST_ACTED_AGAINST,
    MATCH_PAST_COUNT
};
const char *match_past_role_name(enum match_past_role r);
bool match_past_role_parse(const char *name, enum match_past_role *out);

/* Every code a reason can carry. Names (match_code_name) are stable snake_case strings: never
 * rename one. Arguments per code (unused ones are 0; `who` is set where noted):
 *
 * Exclusions, in the order they appear on an excluded mediator:
 *   WRONG_CENTER            arg0 the case's center id
 *   CASE_TYPE               arg0 the case type (enum case_type), arg1 the subtype bit when the
 *                           type is taken but not that subtype (else 0)
 *   NO_VALID_QUALIFICATION  arg0 the jurisdictions that count (MATCH_JUR_BIT set), arg1 the
 *                           number of qualifications that count but are not valid yet
 *   QUALIFICATION_EXPIRED   arg0 its jurisdiction, arg1 its valid_to (day number), arg2 its index
 *                           in quals (the one that expired last)
 *   AT_CAPACITY             arg0 open cases, arg1 capacity
 *   LANGUAGE_MISSING        who the party; arg0 the party's spoken set (enum spoken bits)
 *   CONFLICT_OF_INTEREST    sub DECLARED_RELATIONSHIP | ACTED_BEFORE | SELF, via SAME_NAME |
 *                           SAME_IDENTITY, who the party, lawyer or firm;
 *                           declared: arg0 enum match_relation, arg1 since (day number, 0 unknown)
 *                           acted_before: arg0 the earlier case id, arg1 enum match_past_role
 *                           self: nothing more
 *                           (one reason per sub, subject and basis: the smallest arguments win)
 * Score components of a candidate, in this order (points = the contribution):
 *   LOAD                    arg0 open cases, arg1 capacity
 *   FREE_HOURS              arg0 free minutes, arg1 working days counted (MATCH_HORIZON_DAYS
 *                           unless the calendar cannot tell), arg2 the last day counted
 *   ROTATION                arg0 whole days since the last assignment, -1 never assigned
 *   LANGUAGES_COVERED       arg0 the parties' languages the mediator speaks (spoken bits)
 *   SUBTYPE_SPECIALIST      arg0 the subtype bit (only when listed)
 *   CROSS_BORDER_QUALIFIED  arg0 the jurisdictions the mediator holds valid (MATCH_JUR_BIT set)
 *   MEDIATED_BEFORE         0 points; via, who; arg0 the earlier case id (one per subject/basis)
 * A pair's reasons, in this order:
 *   PAIR_MEMBERS            points (score a + score b) / 2; arg0 score a, arg1 score b
 *   CROSS_BORDER_PAIR_BONUS points MATCH_W_PAIR; arg0 a's role (MATCH_JUR_MAINLAND), arg1 b's
 *                           jurisdiction on the other side (MATCH_JUR_MACAO or _HONG_KONG)
 *   LANGUAGES_COVERED       0 points; arg0 a's, arg1 b's, arg2 both's languages among the
 *                           parties' (a pair may cover what neither covers alone)
 * Sub-reasons and bases (only in sub and via): DECLARED_RELATIONSHIP, ACTED_BEFORE, SELF (the
 * mediator's own name or identity is on the case), SAME_NAME, SAME_IDENTITY. */
enum match_code {
    MATCH_NONE = 0,
    MATCH_WRONG_CENTER,            /* "wrong_center" */
    MATCH_CASE_TYPE,               /* "case_type" */
    MATCH_NO_VALID_QUALIFICATION,  /* "no_valid_qualification" */
    MATCH_QUALIFICATION_EXPIRED,   /* "qualification_expired" */
    MATCH_AT_CAPACITY,             /* "at_capacity" */
    MATCH_LANGUAGE_MISSING,        /* "language_missing" */
    MATCH_CONFLICT_OF_INTEREST,    /* "conflict_of_interest" */
    MATCH_DECLARED_RELATIONSHIP,   /* "declared_relationship" */
    MATCH_ACTED_BEFORE,            /* "acted_before" */
    MATCH_SELF,                    /* "self" */
    MATCH_SAME_NAME,               /* "same_name" */
    MATCH_SAME_IDENTITY,           /* "same_identity" */
    MATCH_LOAD,                    /* "load" */
    MATCH_FREE_HOURS,              /* "free_hours_next_10_working_days" */
    MATCH_ROTATION,                /* "rotation" */
    MATCH_LANGUAGES_COVERED,       /* "languages_covered" */
    MATCH_SUBTYPE_SPECIALIST,      /* "subtype_specialist" */
    MATCH_CROSS_BORDER_QUALIFIED,  /* "cross_border_qualified" */
    MATCH_MEDIATED_BEFORE,         /* "mediated_before" */
    MATCH_PAIR_MEMBERS,            /* "pair_members" */
    MATCH_CROSS_BORDER_PAIR_BONUS, /* "cross_border_pair_bonus" */
    MATCH_CODE_COUNT
};

/* The stable name of a code (static; "" for MATCH_NONE or out of range). */
const char *match_code_name(enum match_code c);

/* Who on the case a finding is about. position numbers parties within their side (as in
 * struct party_in), lawyers and firms within the side they act for. */
enum match_subject_kind {
    MATCH_SUBJECT_NONE = 0, /* "" */
    MATCH_SUBJECT_PARTY,    /* "party" */
    MATCH_SUBJECT_LAWYER,   /* "lawyer" */
    MATCH_SUBJECT_FIRM,     /* "firm" */
};
const char *match_subject_kind_name(enum match_subject_kind k);

struct match_subject {
    enum match_subject_kind kind;
    enum party_side side;
    int position;
};

/* One finding. See enum match_code for what sub, via, who and arg mean with each code. */
struct match_reason {
    enum match_code code;
    enum match_code sub; /* conflict_of_interest: its kind */
    enum match_code via; /* conflict_of_interest, mediated_before: same_name | same_identity */
    struct match_subject who;
    int64_t arg[3];
    int points;
};

/* ---- input: the case ------------------------------------------------------------------------ */

/* What kind of value a key is the blind index of. The store computes keys with vault_blind over
 * normalized values: names normalized so that one name in Simplified and Traditional script gives
 * one key (and a Latin name its own key: a party with a Chinese and a Portuguese name has two name
 * keys); identity and registration numbers normalized by idnum (one key per document). */
enum match_key_kind {
    MATCH_KEY_NAME = 0, /* reported as same_name */
    MATCH_KEY_ID,       /* reported as same_identity */
};

/* One key of someone on the case. */
struct match_case_key {
    uint8_t key[MATCH_KEY_LEN];
    enum match_key_kind kind;
    struct match_subject who;
};

/* One party, for languages and the cross-border test. */
struct match_party {
    enum party_side side;
    int position;
    const char *residence; /* zhuhai | mainland | macao | hong_kong | elsewhere | NULL */
    unsigned spoken;       /* enum spoken bits; 0: no language requirement */
};

struct match_case {
    int64_t case_id; /* an earlier case with this id is this one (see match_past) */
    int64_t center_id;
    enum case_type type;
    unsigned subtype;       /* match_subtype_bit, 0 when none or unknown (type alone counts) */
    unsigned jurisdictions; /* qualifications the center accepts (MATCH_JUR_BIT set); 0 = any */
    const struct match_party *parties;
    int nparties;
    const struct match_case_key *keys; /* parties', lawyers', firms' keys; at most
                                          MATCH_MAX_CASE_KEYS; all-zero keys are ignored */
    int nkeys;
    int32_t today;         /* the center's civil date (day number) */
    int64_t now;           /* Unix seconds, for rotation */
    enum workcal calendar; /* the center's working-day calendar */
    const struct workcal_override *overrides;
    size_t noverrides;
};

/* ---- input: the mediators ------------------------------------------------------------------- */

struct match_qualification {
    enum match_jurisdiction jurisdiction;
    char body[65];                /* accrediting body, for display */
    char number[33];              /* certificate number, for display */
    int32_t valid_from, valid_to; /* day numbers, both inclusive; MATCH_NO_END for none */
};

/* Minutes on one day: an exception to weekly availability, or minutes already booked. */
struct match_day {
    int32_t daynum;
    int minutes;
};

/* A declared relationship with a person, company or firm, by one of its keys. */
struct match_declared {
    uint8_t key[MATCH_KEY_LEN];
    enum match_relation relation;
    int32_t since; /* day number, 0 unknown */
};

/* A key of someone in an earlier case the mediator mediated or acted in (party, lawyer, firm). */
struct match_past {
    uint8_t key[MATCH_KEY_LEN];
    int64_t case_id;
    enum match_past_role role;
};

/* One mediator's profile. Arrays behind pointers are borrowed (any order, may be NULL when their
 * count is 0) and only read during the call. Availability is in the case's center's time zone;
 * the centers' zones (Asia/Shanghai, Asia/Macau, Asia/Hong_Kong) are all UTC+8 without daylight
 * saving, so a mediator's days are the same at every center. */
struct match_mediator {
    int64_t user_id;
    char username[33];
    int64_t centers[MATCH_MAX_CENTERS];
    int ncenters;
    unsigned types;    /* match_type_bit set */
    unsigned subtypes; /* match_subtype_bit set; none of a type listed = every subtype of it */
    unsigned spoken;   /* enum spoken bits */
    struct match_qualification quals[MATCH_MAX_QUALIFICATIONS];
    int nquals;
    int capacity; /* open cases at most */
    int open_cases;
    int64_t last_assigned_at;           /* Unix seconds, 0 never */
    int weekly_minutes[7];              /* available minutes, ISO Monday [0] .. Sunday [6] */
    const struct match_day *exceptions; /* available minutes on a date instead of the weekly
                                           figure (0 = away); a date given twice: the later wins */
    int nexceptions;
    const struct match_day *booked; /* minutes already booked on a date (summed) */
    int nbooked;
    const struct match_declared *declared;
    int ndeclared;
    const struct match_past *past;
    int npast;
    const uint8_t (*self_keys)[MATCH_KEY_LEN]; /* the mediator's own name and identity keys */
    int nself;
};

/* ---- output --------------------------------------------------------------------------------- */

/* A candidate or an excluded mediator. */
struct match_entry {
    int mediator; /* index into the mediators given */
    int64_t user_id;
    int score; /* candidates: the sum of the reasons' points; excluded: 0 */
    int nreasons;
    int more; /* findings left off because reasons[] was full */
    struct match_reason reasons[MATCH_MAX_REASONS];
};

/* A proposed pair: a takes the Mainland role, b the other side's (if both could take either, a is
 * the lower user id). */
struct match_pair {
    int a, b; /* indexes into the mediators given */
    int64_t a_user_id, b_user_id;
    int score;
    int nreasons;
    struct match_reason reasons[MATCH_PAIR_REASONS];
};

/* The caller provides the arrays and their capacities (an array may be NULL when its cap is 0);
 * match_propose fills the counts. *_total count everything found, of which the first cap are
 * written. */
struct match_proposal {
    struct match_entry *candidates;
    int candidates_cap, ncandidates, candidates_total;
    struct match_entry *excluded;
    int excluded_cap, nexcluded, excluded_total;
    struct match_pair *pairs;
    int pairs_cap, npairs;
    bool cross_border; /* the case has parties on both sides */
};

/* ---- the rules ------------------------------------------------------------------------------ */

/* Is the case cross-border (a party resident on the Mainland side and one in Macao or Hong
 * Kong)? */
bool match_cross_border(const struct match_case *c);

/* The next MATCH_HORIZON_DAYS working days after today in the case's calendar (today itself not
 * counted), into out; returns how many were found (fewer when the calendar cannot tell, e.g.
 * beyond WORKCAL_MAX_YEAR). The store loads exceptions and bookings for these days. */
int match_horizon(const struct match_case *c, int32_t out[MATCH_HORIZON_DAYS]);

/* Applies the rules to mediators m[0..nm) for case c and fills out (see the top of this file).
 * Returns 0, or -1 (counts zero) for bad arguments (c, out or m NULL with nm > 0, nm < 0, more
 * than MATCH_MAX_CASE_KEYS keys, a negative cap) or when the working buffer cannot be
 * allocated. Borrowed inputs are not kept; the caller owns and frees everything. */
int match_propose(const struct match_case *c, const struct match_mediator *m, int nm,
                  struct match_proposal *out);
#endif
