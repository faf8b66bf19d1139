/* cases.h: cases and what hangs off them. Protected fields are sealed with the case's own key on
 * the way in and opened on the way out: callers hand in and get back plaintext; SQLite never
 * sees it. */
#ifndef QIAO_STORE_CASES_H
#define QIAO_STORE_CASES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/filing.h"
#include "domain/policy.h"
#include "store/store.h"

/* Who acts, for the timeline and the audit trail. */
struct actor {
    int64_t user_id; /* 0: the system */
    const char *role;
    const char *addr; /* client address, or "" */
};

struct case_party {
    int64_t id;
    char side[12], kind[8];
    int position;
    char *name, *name_latin, *id_number, *phone, *email, *address; /* owned; NULL when absent */
    char id_type[24], residence[12], language[8], spoken[64];
    int64_t user_id, lawyer_id;
    char lawyer_username[33];
};

struct case_claim {
    char *description; /* owned */
    bool has_amount;
    int64_t amount_minor;
    char currency[4];
};

struct case_address {
    char channel[8];
    char *value; /* owned */
};

struct case_doc {
    int64_t id;
    char *title; /* owned */
    char kind[20], visibility[10], media_type[80], side[12];
    int64_t size, uploaded_by, created_at;
    uint8_t sha256[32];
};

struct case_timeline_entry {
    int64_t id, ts, actor_id;
    char actor_role[32], actor_username[33], event[48], from_state[24], to_state[24];
    char *reason; /* owned */
};

struct case_summary {
    int64_t id;
    char number[40], center[17], type[12], subtype[16], status[24], script[8];
    char *title; /* owned */
    int64_t created_at, updated_at, submitted_at, center_id;
    char respondent_due[11], mediation_due[11];
    int version;
};

struct case_record {
    struct case_summary s;
    char *summary, *request; /* owned */
    int64_t filed_by, firm_id;
    bool consent_mediation, consent_eservice, erased;
    struct case_party *parties;
    int nparties;
    struct case_claim *claims;
    int nclaims;
    struct case_address *addresses;
    int naddresses;
    struct case_doc *docs;
    int ndocs;
    struct case_timeline_entry *events;
    int nevents;
};

void case_summary_free(struct case_summary *s);
void case_record_free(struct case_record *r);

/* Files a case (a draft, or submitted when submit): one transaction writes the case, its key,
 * parties, claims, addresses, the timeline entry and the audit entry; a submitted case gets the
 * next number of its center, type and year. With an idempotency key already used by the same
 * user, nothing is written and *replayed is set with the first case's id.
 * ST_NONE: the center is unknown. */
enum st store_case_file(const struct filing *f, const struct actor *who, int64_t firm_id,
                        bool submit, const char *idem_key, int64_t *case_id, bool *replayed);

/* The same, handed to the group committer: done(ctx) is called on the committer's thread once the
 * batch holding the filing is durable (or failed); then store_case_file_finish gives the outcome
 * and frees the job. f and who (and their strings) must stay valid until done. NULL when out of
 * memory. */
struct case_file_job;
struct case_file_job *store_case_file_submit(const struct filing *f, const struct actor *who,
                                             int64_t firm_id, bool submit, const char *idem_key,
                                             const uint8_t *body_hash, void (*done)(void *ctx),
                                             void *ctx);
/* ST_CONFLICT with *case_id == -1: the idempotency key was first used for a different request. */
enum st store_case_file_finish(struct case_file_job *job, int64_t *case_id, bool *replayed);

/* Replaces a draft's content with f (and submits it when submit). ST_CONFLICT when the case is no
 * longer a draft or its version is not expected_version (0: any). */
enum st store_case_update_draft(int64_t case_id, int expected_version, const struct filing *f,
                                const struct actor *who, bool submit);

/* Submits a draft as it stands (numbering it); ST_CONFLICT when it is not a draft. */
enum st store_case_submit(int64_t case_id, const struct actor *who);

/* The whole case, opened. ST_NONE if there is no such case. */
enum st store_case_get(int64_t case_id, struct case_record *out);

/* How p stands to the case (for the policy); ST_NONE if there is no such case. */
enum st store_case_access(int64_t case_id, const struct principal *p, struct resource *r);

struct case_filter {
    const char *status, *type, *center; /* NULL: any */
    const char *q; /* a search query (any script); results ranked, the cursor an offset */
    const char *number; /* one case number (HQ-FAM-2026-000001), any letter case */
};

/* The cases p's scope lets them see, newest first, after the cursor (a case id; 0: from the
 * start), at most limit. out must hold limit summaries; the caller frees each. */
enum st store_cases_list(const struct principal *p, enum case_scope scope,
                         const struct case_filter *f, int64_t cursor, int limit,
                         struct case_summary *out, int *n);

/* Fields a transition may set besides the status. */
struct case_transition_set {
    const char *respondent_due, *mediation_due; /* YYYY-MM-DD or NULL to leave */
    bool set_accepted_at;
};

/* Moves the case from `from` to `to` recording event, actor and reason (sealed) in the timeline
 * and the audit trail. ST_CONFLICT if the case is not in `from` any more (someone else moved it). */
enum st store_case_transition(int64_t case_id, const char *from, const char *to, const char *event,
                              const struct actor *who, const char *reason,
                              const struct case_transition_set *set);

/* Records a document: metadata and sealed bytes in one transaction. ST_CONFLICT when the case's
 * documents would exceed case_limit bytes. */
enum st store_doc_add(int64_t case_id, const struct actor *who, const char *side,
                      const char *title, const char *kind, const char *visibility,
                      const char *media_type, const void *data, size_t len,
                      int64_t case_limit, int64_t *doc_id);

/* A document's metadata and opened bytes (*data malloc'd; caller frees). */
enum st store_doc_get(int64_t case_id, int64_t doc_id, struct case_doc *meta, void **data,
                      size_t *len);
/* Only the metadata (for the access decision before reading bytes). */
enum st store_doc_meta(int64_t case_id, int64_t doc_id, struct case_doc *meta);

/* The id of the case with this number (any letter case); ST_NONE if none. */
enum st store_case_id_by_number(const char *number, int64_t *id);

/* A new code for a case still waiting for its respondent: unused codes stop working. */
enum st store_invitation_reissue(int64_t case_id, const uint8_t code_hash[32], int64_t expires_at,
                                 const struct actor *who);

/* Invitations: a one-time code for the case's first respondent; only its hash is stored. */
enum st store_invitation_create(int64_t case_id, const uint8_t code_hash[32], int64_t expires_at);
/* Redeems a code for user: binds them to the respondent party (as its lawyer when lawyer).
 * ST_NONE for an unknown or used code; ST_CONFLICT for an expired one, or with *own_case set
 * when the user is on the applicant's side (the invitation stays unused). */
enum st store_invitation_redeem(const uint8_t code_hash[32], int64_t user_id, bool lawyer,
                                int64_t now, int64_t *case_id, bool *own_case);

/* Erases an archived case by destroying its data key: its sealed fields, documents and timeline
 * reasons can never be opened again; its blobs, blind indexes and search terms are deleted; the
 * skeleton (number, center, type, dates, states) and the audit trail remain. reason is a code
 * ("lawful_request", "retention"). ST_CONFLICT when the case is not archived. */
enum st store_case_erase(int64_t case_id, const struct actor *who, const char *reason);

/* Cases still waiting for the respondent whose answer was due before today (YYYY-MM-DD). */
enum st store_cases_answer_overdue(const char *today, int64_t *ids, int cap, int *n);

/* Archived cases last changed before `before` (Unix seconds): their ids, at most cap. */
enum st store_cases_archived_before(int64_t before, int64_t *ids, int cap, int *n);

/* Copies the live database to a new file at path, consistently while others write (SQLite's
 * online backup in one step under one read transaction). The file gets mode 0600. */
enum st store_backup(const char *path, char *err, size_t errcap);

/* Checks that the file at path is a sound Qiao database made under the open master key, then
 * copies it over the live database. Nothing is replaced when a check fails. */
enum st store_restore(const char *path, char *err, size_t errcap);

/* A deadline an officer watches: a case of their centers whose answer or mediation is due. */
struct deadline_row {
    int64_t case_id;
    char number[40], status[24], kind[20] /* respondent_answer | mediation_end | shortlist_ranking */, due[11];
};
/* Open cases of the principal's centers with a due date, soonest first, at most cap. */
enum st store_deadlines(const struct principal *p, struct deadline_row *out, int cap, int *n);

/* Calendar overrides of a calendar ("mainland" | "macao"), as (YYYY-MM-DD, working) pairs. */
struct calendar_override_row {
    char day[11];
    bool working;
};
enum st store_calendar_overrides(const char *calendar, struct calendar_override_row *out,
                                 int cap, int *n);
enum st store_calendar_override_set(const char *calendar, const char *day, bool working,
                                    const char *note);
/* The overrides of one year of a calendar, in date order, each with the note it was recorded
 * with ("" when none); out has room for cap (366 holds a year). */
struct calendar_override_entry {
    char day[11];
    bool working;
    char note[808]; /* up to 200 characters of UTF-8 */
};
enum st store_calendar_overrides_year(const char *calendar, int year,
                                      struct calendar_override_entry *out, int cap, int *n);
/* Removes the override of that day (the computed calendar applies again); ST_NONE if none. */
enum st store_calendar_override_delete(const char *calendar, const char *day);
#endif
