/* case_rights.h: what a principal may do to a case in the state machine's terms: the role they
 * play in it and whether the policy lets them ask for an event (a lawyer only for the side they
 * represent). Pure functions of the principal and how they stand to the case, no I/O. */
#ifndef QIAO_DOMAIN_CASE_RIGHTS_H
#define QIAO_DOMAIN_CASE_RIGHTS_H
#include <stdbool.h>

#include "domain/case_state.h"
#include "domain/policy.h"

/* Which role of the state machine the principal plays on this case; false when none. */
bool case_actor_for(const struct principal *p, const struct resource *r, enum case_actor *out);

/* The policy action behind each event people may ask for through the API (ACT_COUNT: an event
 * only the system takes). */
enum action case_event_action(enum case_event ev);

/* Does the policy let p ask for event on this case (and may a lawyer act for that side)? */
bool case_event_permitted(const struct principal *p, const struct resource *r,
                          enum case_event ev);
#endif
