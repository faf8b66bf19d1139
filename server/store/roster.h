/* roster.h: a center's mediators as match_propose reads them, kept in memory between proposals
 * (store-internal; store_match_load is its one user).
 *
 * A roster holds every active mediator of one center (profile, centers, open cases, valid and
 * expired qualifications, declared relationships, own name key, availability exceptions within
 * one horizon) and every party who is a mediator by account or by name (for acted_before). It is
 * tagged with the database's mediator generation (schema 0009: triggers give it a new random value
 * whenever anything a roster is made of changes) and with the horizon it was read for; a roster is
 * reused only while both still hold, so a change is seen by the very next proposal. What depends on
 * the case or the hour (conflicts, recusals, scores) is never cached.
 *
 * Thread-safe. A roster is immutable once built and shared by reference: roster_get hands out a
 * reference the caller gives back with roster_release; the mediators' borrowed arrays stay valid
 * until then. */
#ifndef QIAO_STORE_ROSTER_H
#define QIAO_STORE_ROSTER_H
#include <stdbool.h>
#include <stdint.h>

#include "domain/matching.h"
#include "store/db.h"

/* A party who is a mediator by account (user_id) or whose name key is a mediator's own. */
struct roster_party {
    int64_t case_id, party_id, user_id; /* user_id 0: no account */
    uint8_t name_key[MATCH_KEY_LEN];
    bool has_name_key;
    bool applicant;
};

struct roster_name {
    uint8_t key[MATCH_KEY_LEN];
    int idx; /* into m */
};

struct roster {
    int64_t center_id, gen;
    char from[11], to[11];    /* the horizon's first and last day the exceptions were read for */
    struct match_mediator *m; /* by user id; past and npast are left empty */
    int nm;
    struct roster_party *parties; /* by case id, then side and position */
    int nparties;
    struct roster_name *names; /* the mediators' own name keys, sorted by key */
    int nnames;
    void *blocks; /* what m's arrays point into */
    int refs;     /* guarded by the cache's lock */
};

/* The roster of center_id with availability exceptions from `from` to `to` (YYYY-MM-DD, both
 * inclusive; "" for none): the cached one when the generation and horizon still match, else read
 * now (and cached). Run it inside a read transaction so that the generation and the rows are one
 * snapshot. ST_OK with *out a reference, or ST_ERROR. */
enum st roster_get(struct db *db, int64_t center_id, const char *from, const char *to,
                   const struct roster **out);
/* Gives back a reference (NULL is ignored). */
void roster_release(const struct roster *r);
/* Drops every cached roster (when the database is closed). */
void roster_cache_clear(void);

/* The mediator-parties of one case: [*first, *first + return value) of r->parties. */
int roster_case_parties(const struct roster *r, int64_t case_id, int *first);
/* The index in r->m of the mediator with this user id, or -1. */
int roster_by_user(const struct roster *r, int64_t user_id);
/* The mediators whose own name key is key: [*first, *first + return value) of r->names. */
int roster_by_name(const struct roster *r, const uint8_t *key, int *first);
#endif
