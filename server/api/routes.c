/* routes.c: the route table: method, path pattern, handler, and the action the policy decides. */
#include "api/api.h"

#define GET HTTP_GET
#define POST HTTP_POST
#define PATCH HTTP_PATCH

const struct http_route api_routes[] = {
    {GET, "/api/v1/health", api_health, ACT_PUBLIC, 0},
    {GET, "/api/v1/openapi.yaml", api_openapi, ACT_PUBLIC, 0},
    {GET, "/api/v1/i18n/{lang}", api_catalog, ACT_PUBLIC, 0},
    {POST, "/api/v1/auth/login", api_login, ACT_PUBLIC, 0},
    {POST, "/api/v1/auth/logout", api_logout, ACT_SELF, 0},
    {POST, "/api/v1/auth/register", api_register, ACT_PUBLIC, 0},
    {GET, "/api/v1/me", api_me_get, ACT_SELF, 0},
    {PATCH, "/api/v1/me", api_me_patch, ACT_SELF, 0},
    {GET, "/api/v1/users", api_users_list, ACT_USERS_READ, 0},
    {POST, "/api/v1/users", api_users_create, ACT_USERS_MANAGE, 0},
    {GET, "/api/v1/centers", api_centers_list, ACT_CENTERS_READ, 0},
    {GET, "/api/v1/firms", api_firms_list, ACT_FIRMS_READ, 0},
};

const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];
