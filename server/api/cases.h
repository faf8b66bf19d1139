/* cases.h: the case API's shared pieces (filing input, case output). */
#ifndef QIAO_API_CASES_H
#define QIAO_API_CASES_H
#include "api/api.h"
#include "domain/case_rights.h"
#include "domain/case_state.h"
#include "domain/filing.h"
#include "store/cases.h"

#define DOC_FILE_LIMIT (10u * 1024 * 1024) /* one document */

extern const struct jf case_create_spec[];
extern const size_t case_create_nspec;
extern const struct jf case_patch_spec[];
extern const size_t case_patch_nspec;

/* Fills f from a checked body (strings borrowed from body) and applies the domain's rules;
 * appends every problem to errors. for_submit adds the completeness rules. */
bool case_read_filing(json_t *body, const struct principal *who, struct filing *f,
                      bool for_submit, json_t *errors);

/* The input form (as POST /cases takes it) of a stored case: the base a PATCH merges into. */
json_t *case_input_json(const struct case_record *r);

/* The case as the caller may see it. */
json_t *case_output_json(struct http_req *req, const struct case_record *r,
                         const struct resource *access);

/* Loads how the caller stands to case id; replies 404 (the case's existence is not revealed to
 * those who may not read it) or the store's failure and returns false otherwise. */
bool api_case_visible(struct http_req *req, int64_t id, struct resource *r);

/* Has the last day (YYYY-MM-DD, in the centers' day) passed? */
bool deadline_passed(const char *due);

/* A case summary for lists. */
json_t *case_summary_json(struct http_req *req, const struct case_summary *s);

void api_cases_create(struct http_req *req);
void api_cases_list(struct http_req *req);
void api_case_get(struct http_req *req);
void api_case_patch(struct http_req *req);
void api_case_event(struct http_req *req);
void api_invitation_redeem(struct http_req *req);
void api_invitation_reissue(struct http_req *req);
void api_doc_upload(struct http_req *req);
void api_doc_download(struct http_req *req);
void api_deadlines(struct http_req *req);
/* Replies with the case as the caller may see it (status 200/201…). */
void case_reply(struct http_req *req, unsigned status, int64_t id);
/* How a mediator stands in the case's assignment proposal. */
enum proposal_standing { STANDING_UNKNOWN, STANDING_CANDIDATE, STANDING_EXCLUDED };
struct mediator_info;
/* Computes the case's proposal and tells, for each of n usernames, whether it is a candidate,
 * excluded or not a mediator of the case's center at all, with its user id (0 when unknown). */
enum st api_proposal_standing(int64_t case_id, const char *const *usernames, int n,
                              int64_t *user_ids, enum proposal_standing *out);
/* A mediator as the parties see them (no load or capacity). */
json_t *api_mediator_public_json(const struct mediator_info *m);
void api_shortlist_get(struct http_req *req);
void api_shortlist_offer(struct http_req *req);
void api_shortlist_rank(struct http_req *req);
void api_notifications_list(struct http_req *req);
void api_notifications_read(struct http_req *req);
void api_mediators_list(struct http_req *req);
void api_mediator_get(struct http_req *req);
void api_mediator_patch(struct http_req *req);
void api_mediator_qualification_add(struct http_req *req);
void api_mediator_availability(struct http_req *req);
void api_mediator_relationship_add(struct http_req *req);
void api_assignment_proposal(struct http_req *req);
void api_assignment(struct http_req *req);
void api_recusal_request(struct http_req *req);
void api_recusal_decide(struct http_req *req);
void api_recusals_list(struct http_req *req);
void api_case_erase(struct http_req *req);
void api_calendar_get(struct http_req *req);
void api_calendar_override(struct http_req *req);
void api_calendar_override_delete(struct http_req *req);
/* (summary json declared above) */
json_t *case_summary_json(struct http_req *req, const struct case_summary *s);
#endif
