/* routes.c: the route table: method, path pattern, handler, and the action the policy decides. */
#include "api/api.h"
#include "api/cases.h"

#define GET HTTP_GET
#define POST HTTP_POST
#define PATCH HTTP_PATCH

const struct http_route api_routes[] = {
    {GET, "/api/v1/health", api_health, ACT_PUBLIC, 0},
    {GET, "/api/v1/openapi.yaml", api_openapi, ACT_PUBLIC, 0},
    {GET, "/api/v1/i18n/{lang}", api_catalog, ACT_PUBLIC, 0},
    {POST, "/api/v1/auth/login", api_login, ACT_PUBLIC, 0},
    {POST, "/api/v1/auth/logout", api_logout, ACT_PUBLIC, 0},
    {POST, "/api/v1/auth/register", api_register, ACT_PUBLIC, 0},
    {GET, "/api/v1/me", api_me_get, ACT_SELF, 0},
    {PATCH, "/api/v1/me", api_me_patch, ACT_SELF, 0},
    {GET, "/api/v1/users", api_users_list, ACT_USERS_READ, 0},
    {POST, "/api/v1/users", api_users_create, ACT_USERS_MANAGE, 0},
    {GET, "/api/v1/centers", api_centers_list, ACT_CENTERS_READ, 0},
    {POST, "/api/v1/convert", api_convert, ACT_PUBLIC, 0},
    {GET, "/api/v1/firms", api_firms_list, ACT_FIRMS_READ, 0},
    {POST, "/api/v1/cases", api_cases_create, ACT_CASE_FILE, 0},
    {GET, "/api/v1/cases", api_cases_list, ACT_CASE_LIST, 0},
    {GET, "/api/v1/cases/{id}", api_case_get, ACT_CASE_READ, 0},
    {PATCH, "/api/v1/cases/{id}", api_case_patch, ACT_CASE_EDIT_DRAFT, 0},
    {POST, "/api/v1/cases/{id}/events", api_case_event, ACT_CASE_READ, 0},
    {POST, "/api/v1/cases/{id}/erase", api_case_erase, ACT_CASE_ERASE, 0},
    {POST, "/api/v1/cases/{id}/documents", api_doc_upload, ACT_DOC_UPLOAD,
     DOC_FILE_LIMIT + 64 * 1024},
    {GET, "/api/v1/cases/{id}/documents/{doc}", api_doc_download, ACT_DOC_READ, 0},
    {GET, "/api/v1/deadlines", api_deadlines, ACT_DEADLINES_READ, 0},
    {GET, "/api/v1/mediators", api_mediators_list, ACT_MEDIATORS_READ, 0},
    {GET, "/api/v1/mediators/{username}", api_mediator_get, ACT_MEDIATORS_READ, 0},
    {PATCH, "/api/v1/mediators/{username}", api_mediator_patch, ACT_MEDIATOR_MANAGE, 0},
    {POST, "/api/v1/mediators/{username}/qualifications", api_mediator_qualification_add,
     ACT_MEDIATOR_MANAGE, 0},
    {POST, "/api/v1/mediators/{username}/availability", api_mediator_availability,
     ACT_MEDIATOR_MANAGE, 0},
    {POST, "/api/v1/mediators/{username}/relationships", api_mediator_relationship_add,
     ACT_MEDIATOR_MANAGE, 0},
    {GET, "/api/v1/cases/{id}/assignment-proposal", api_assignment_proposal, ACT_CASE_PROPOSAL_READ, 0},
    {POST, "/api/v1/cases/{id}/assignment", api_assignment, ACT_CASE_ASSIGN, 0},
    {GET, "/api/v1/cases/{id}/recusals", api_recusals_list, ACT_CASE_READ, 0},
    {POST, "/api/v1/cases/{id}/recusals", api_recusal_request, ACT_CASE_RECUSAL, 0},
    {POST, "/api/v1/cases/{id}/recusals/{rid}/decision", api_recusal_decide, ACT_CASE_ASSIGN, 0},
    {GET, "/api/v1/cases/{id}/shortlist", api_shortlist_get, ACT_CASE_READ, 0},
    {POST, "/api/v1/cases/{id}/shortlist", api_shortlist_offer, ACT_CASE_ASSIGN, 0},
    {POST, "/api/v1/cases/{id}/shortlist/ranking", api_shortlist_rank, ACT_CASE_CHOOSE, 0},
    {GET, "/api/v1/notifications", api_notifications_list, ACT_SELF, 0},
    {POST, "/api/v1/notifications/read", api_notifications_read, ACT_SELF, 0},
    {GET, "/api/v1/calendars/{calendar}", api_calendar_get, ACT_CALENDAR_READ, 0},
    {POST, "/api/v1/calendars/{calendar}/overrides", api_calendar_override, ACT_CALENDAR_MANAGE,
     0},
    {GET, "/api/v1/audit", api_audit_list, ACT_AUDIT_READ, 0},
    {GET, "/api/v1/audit/export", api_audit_export, ACT_AUDIT_READ, 0},
    {GET, "/api/v1/audit/verify", api_audit_verify, ACT_AUDIT_READ, 0},
    {GET, "/api/v1/audit/public-key", api_audit_public_key, ACT_PUBLIC, 0},
    {POST, "/api/v1/cases/{id}/invitation", api_invitation_reissue, ACT_CASE_SCREEN, 0},
    {POST, "/api/v1/invitations/redeem", api_invitation_redeem, ACT_CASE_RESPOND, 0},
};

const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];
