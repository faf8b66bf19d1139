/* account.h: the rules of accounts: user names, passwords, and sign-in throttling. */
#ifndef QIAO_DOMAIN_ACCOUNT_H
#define QIAO_DOMAIN_ACCOUNT_H
#include <stdbool.h>
#include <stdint.h>

#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 256

/* NULL when name is a valid user name (3–32 of a–z 0–9 . _ -, starting with a letter or digit),
 * else the field error code ("username_format"). */
const char *account_check_username(const char *name);

/* NULL when password is acceptable for username, else a field error code: "password_short",
 * "password_long", "password_common" (among the most common passwords, or the user name). */
const char *account_check_password(const char *password, const char *username);

/* NULL when e-mail looks like an address (one @, a dot in the domain, no spaces), else
 * "email_format". */
const char *account_check_email(const char *email);

/* NULL when phone is an international number (+ then 7–15 digits; spaces and dashes ignored),
 * else "phone_format". norm receives "+85312345678" (at least 17 bytes). */
const char *account_check_phone(const char *phone, char norm[17]);

/* Sign-in throttling, per account and per client address: a state and a decision. All times are
 * in milliseconds (whole seconds would let a burst straddling a second boundary slip through). */
struct throttle {
    int failures;          /* failed or refused attempts in the current window */
    int64_t first_failure; /* start of the window */
    int64_t last_failure;
    int64_t locked_until;
};

enum throttle_kind { THROTTLE_ACCOUNT, THROTTLE_ADDRESS };

enum throttle_verdict {
    THROTTLE_ALLOW,   /* go on and check the password */
    THROTTLE_SLOWED,  /* too soon after the last failure: wait retry_after seconds */
    THROTTLE_LOCKED,  /* locked out until retry_after seconds from now */
};

/* Decides whether an attempt at now may proceed given the state t (a zeroed t means no history);
 * sets *retry_after (milliseconds) when it may not. */
enum throttle_verdict throttle_decide(enum throttle_kind k, const struct throttle *t, int64_t now,
                                      int64_t *retry_after);

/* Records a failed (or refused) attempt at now into t. Every refused attempt counts, so hammering
 * through the slow-down leads to the lock. */
void throttle_record_failure(enum throttle_kind k, struct throttle *t, int64_t now);
#endif
