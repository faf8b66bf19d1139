/* test_account: user names, passwords, e-mail, phone, sign-in throttling, the access policy. */
#include <string.h>

#include "check.h"
#include "domain/account.h"
#include "domain/policy.h"

static void test_names_and_passwords(void)
{
    CHECK(account_check_username("resident.li") == NULL);
    CHECK(account_check_username("a_b-c.9") == NULL);
    CHECK_STR(account_check_username("ab"), "username_format");
    CHECK_STR(account_check_username("Admin"), "username_format");
    CHECK_STR(account_check_username(".dot"), "username_format");
    CHECK_STR(account_check_username("李明"), "username_format");
    CHECK_STR(account_check_username("a23456789012345678901234567890123"), "username_format");
    CHECK(account_check_password("qiao-demo-2026", "admin") == NULL);
    CHECK(account_check_password("調解中心的好密碼十個字", "x") == NULL); /* ten characters */
    CHECK_STR(account_check_password("short", "x"), "password_short");
    CHECK_STR(account_check_password("調解中心密碼", "x"), "password_short");
    CHECK_STR(account_check_password("Password123", "x"), "password_common");
    CHECK_STR(account_check_password("1234567890", "x"), "password_common");
    CHECK_STR(account_check_password("aaaaaaaaaaaa", "x"), "password_common");
    CHECK_STR(account_check_password("abcdefghijklm", "x"), "password_common");
    CHECK_STR(account_check_password("resident.li1", "resident.li1"), "password_common");
    char longpw[300];
    memset(longpw, 'x', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = 0;
    longpw[5] = 'y';
    CHECK_STR(account_check_password(longpw, "x"), "password_long");
    CHECK(account_check_email("li@example.com") == NULL);
    CHECK_STR(account_check_email("li@example"), "email_format");
    CHECK_STR(account_check_email("li example@x.com"), "email_format");
    CHECK_STR(account_check_email("@x.com"), "email_format");
    CHECK_STR(account_check_email("a@b@c.com"), "email_format");
    char norm[17];
    CHECK(account_check_phone("+853 6612 3456", norm) == NULL);
    CHECK_STR(norm, "+85366123456");
    CHECK(account_check_phone("+86-138-0756-1234", norm) == NULL);
    CHECK_STR(norm, "+8613807561234");
    CHECK_STR(account_check_phone("66123456", norm), "phone_format");
    CHECK_STR(account_check_phone("+853 6612 34a6", norm), "phone_format");
    CHECK_STR(account_check_phone("+12", norm), "phone_format");
    CHECK_STR(account_check_phone("+1234567890123456789", norm), "phone_format");
}

static void test_throttle(void)
{
    struct throttle t = {0};
    int64_t now = 1000000000, wait; /* milliseconds */
    for (int i = 0; i < 5; i++) {
        CHECK_INT(throttle_decide(THROTTLE_ACCOUNT, &t, now, &wait), THROTTLE_ALLOW);
        throttle_record_failure(THROTTLE_ACCOUNT, &t, now);
    }
    /* the sixth attempt right away is slowed; two seconds later it may go on */
    CHECK_INT(throttle_decide(THROTTLE_ACCOUNT, &t, now, &wait), THROTTLE_SLOWED);
    CHECK_INT(wait, 2000);
    CHECK_INT(throttle_decide(THROTTLE_ACCOUNT, &t, now + 1999, &wait), THROTTLE_SLOWED);
    CHECK_INT(throttle_decide(THROTTLE_ACCOUNT, &t, now + 2000, &wait), THROTTLE_ALLOW);
    /* hammering counts: by the tenth failure the account is locked for 15 minutes */
    for (int i = 5; i < 10; i++)
        throttle_record_failure(THROTTLE_ACCOUNT, &t, now);
    CHECK_INT(throttle_decide(THROTTLE_ACCOUNT, &t, now, &wait), THROTTLE_LOCKED);
    CHECK_INT(wait, 15 * 60 * 1000);
    CHECK_INT(throttle_decide(THROTTLE_ACCOUNT, &t, now + 15 * 60 * 1000, &wait), THROTTLE_ALLOW);
    /* failures long ago do not count */
    struct throttle old = {.failures = 7, .first_failure = now - 3600000,
                           .last_failure = now - 3000000};
    CHECK_INT(throttle_decide(THROTTLE_ACCOUNT, &old, now, &wait), THROTTLE_ALLOW);
    throttle_record_failure(THROTTLE_ACCOUNT, &old, now);
    CHECK_INT(old.failures, 1);
    /* addresses have higher limits */
    struct throttle a = {0};
    for (int i = 0; i < 19; i++)
        throttle_record_failure(THROTTLE_ADDRESS, &a, now);
    CHECK_INT(throttle_decide(THROTTLE_ADDRESS, &a, now, &wait), THROTTLE_ALLOW);
    throttle_record_failure(THROTTLE_ADDRESS, &a, now);
    CHECK_INT(throttle_decide(THROTTLE_ADDRESS, &a, now, &wait), THROTTLE_SLOWED);
    for (int i = 20; i < 50; i++)
        throttle_record_failure(THROTTLE_ADDRESS, &a, now);
    CHECK_INT(throttle_decide(THROTTLE_ADDRESS, &a, now, &wait), THROTTLE_LOCKED);
}

static void test_policy(void)
{
    struct principal anon = {.role = ROLE_NONE};
    struct principal admin = {.authenticated = true, .user_id = 1, .role = ROLE_ADMIN};
    struct principal res = {.authenticated = true, .user_id = 9, .role = ROLE_RESIDENT};
    CHECK(policy_allows(&anon, ACT_PUBLIC, NULL));
    CHECK(policy_allows(&anon, ACT_CENTERS_READ, NULL));
    CHECK(!policy_allows(&anon, ACT_SELF, NULL));
    CHECK(!policy_allows(&anon, ACT_USERS_READ, NULL));
    CHECK(policy_allows(&res, ACT_SELF, NULL));
    CHECK(!policy_allows(&res, ACT_USERS_READ, NULL));
    CHECK(!policy_allows(&res, ACT_USERS_MANAGE, NULL));
    CHECK(policy_allows(&admin, ACT_USERS_MANAGE, NULL));
    struct resource other = {.owner_user_id = 1};
    CHECK(!policy_allows(&res, ACT_SELF, &other));
    CHECK(!policy_allows(&admin, ACT_COUNT, NULL)); /* an action without a rule: denied */
    CHECK(!policy_allows(&admin, (enum action)-1, NULL));
    struct principal broken = {.authenticated = true, .role = ROLE_NONE};
    CHECK(!policy_allows(&broken, ACT_SELF, NULL));
    for (int r = 0; r < ROLE_COUNT; r++)
        CHECK_INT(role_parse(role_name((enum role)r)), r);
    CHECK_INT(role_parse("root"), ROLE_NONE);
    CHECK(policy_needs_auth(ACT_SELF));
    CHECK(!policy_needs_auth(ACT_PUBLIC));
}

int main(void)
{
    test_names_and_passwords();
    test_throttle();
    test_policy();
    return check_summary();
}
