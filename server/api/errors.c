/* errors.c: the one error registry. Each code is stable (clients match on it), has one HTTP
 * status, and a message "error.<code>" in every catalog (a unit test holds that). Keep sorted. */
#include "api/api.h"

const struct http_error_def api_errors[] = {
    {"auth.csrf", 403},
    {"auth.forbidden", 403},
    {"auth.invalid_credentials", 401},
    {"auth.invalid_token", 401},
    {"auth.locked", 429},
    {"auth.required", 401},
    {"auth.throttled", 429},
    {"auth.token_expired", 401},
    {"internal", 500},
    {"request.empty_body", 400},
    {"request.invalid_query", 400},
    {"request.invalid_utf8", 400},
    {"request.malformed_json", 400},
    {"request.method_not_allowed", 405},
    {"request.not_an_object", 400},
    {"request.not_found", 404},
    {"request.too_large", 413},
    {"request.validation", 400},
    {"store.busy", 503},
    {"user.username_taken", 409},
    {NULL, 0},
};
