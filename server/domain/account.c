#include "domain/account.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *account_check_username(const char *name)
{
    size_t n = strlen(name);
    if (n < 3 || n > 32 || !(islower((unsigned char)name[0]) || isdigit((unsigned char)name[0])))
        return "username_format";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(islower(c) || isdigit(c) || c == '.' || c == '_' || c == '-'))
            return "username_format";
    }
    return NULL;
}

/* The most common passwords of leaked lists (lower-cased; compared case-insensitively), with the
 * words people in this region add to them. Ten characters or longer only, since shorter ones fail
 * the length rule first. */
static const char *const common[] = {
    "1234567890", "12345678910", "123456789a", "1234567890a", "a123456789", "qwertyuiop",
    "1qaz2wsx3edc", "1q2w3e4r5t", "q1w2e3r4t5", "qwerty1234", "qwerty12345", "qwerty123456",
    "password12", "password123", "password1234", "password!!", "passw0rd12", "p@ssw0rd12",
    "p@ssword123", "iloveyou12", "iloveyou123", "0123456789", "0987654321", "9876543210",
    "1111111111", "0000000000", "2222222222", "5555555555", "6666666666", "8888888888",
    "9999999999", "1122334455", "1234512345", "1212121212", "1231231234", "abcdefghij",
    "abc1234567", "abcd123456", "abcde12345", "a1b2c3d4e5", "aaaaaaaaaa", "asdfghjkl1",
    "asdfghjkl;", "zxcvbnm123", "1qazxsw23edc", "qazwsxedc1", "qazwsxedcrfv", "welcome123",
    "welcome1234", "letmein123", "admin12345", "admin123456", "administrator", "football123",
    "baseball123", "superman123", "princess123", "sunshine123", "dragon1234", "monkey1234",
    "master1234", "shadow1234", "michael123", "jennifer123", "computer123", "internet123",
    "changeme123", "trustno1234", "whatever123", "starwars123", "woaini1314", "woaini520",
    "5201314520", "woaini123456", "aini1314520", "1314520520", "7758521521", "wangyi123456",
    "zhang123456", "li123456789", "chen123456", "wang123456", "huang123456", "macau12345",
    "macao12345", "hongkong123", "zhuhai12345", "hengqin1234", "china12345", "china123456",
    "beijing2008", "qiao123456", "mediation123", "password2024", "password2025", "password2026",
    "summer2025!", "winter2025!", "spring2026!", "autumn2026!", "11223344556", "123321123321",
    "147258369a", "1472583690", "3692581470", "1597534560", "1357924680", "2468135790",
};

const char *account_check_password(const char *pw, const char *username)
{
    size_t bytes = strlen(pw);
    if (bytes > PASSWORD_MAX_BYTES)
        return "password_long";
    size_t chars = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)pw[i] & 0xC0) != 0x80)
            chars++;
    if (chars < PASSWORD_MIN_CHARS)
        return "password_short";
    if (username && strcasecmp(pw, username) == 0)
        return "password_common";
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (strcasecmp(pw, common[i]) == 0)
            return "password_common";
    /* one character repeated, or a straight run, is as weak as the list */
    bool same = true, run = true;
    for (size_t i = 1; i < bytes; i++) {
        same &= pw[i] == pw[0];
        run &= pw[i] == pw[i - 1] + 1;
    }
    if (same || run)
        return "password_common";
    return NULL;
}

const char *account_check_email(const char *email)
{
    size_t n = strlen(email);
    const char *at = strchr(email, '@');
    if (n < 3 || n > 254 || !at || at == email || strchr(at + 1, '@'))
        return "email_format";
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == 0)
        return "email_format";
    for (const char *p = email; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == ',' || *p == ';' || *p == '<' || *p == '>')
            return "email_format";
    return NULL;
}

const char *account_check_phone(const char *phone, char norm[17])
{
    size_t k = 0;
    const char *p = phone;
    if (*p != '+')
        return "phone_format";
    norm[k++] = *p++;
    for (; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!isdigit((unsigned char)*p) || k >= 16)
            return "phone_format";
        norm[k++] = *p;
    }
    norm[k] = 0;
    return (k >= 8 && k <= 16) ? NULL : "phone_format";
}

/* Thresholds: slowed from the nth failure (by 2 s, doubling), locked from the mth, within a
 * window. Times in milliseconds. */
#define MS 1000
static const struct {
    int slow_after, lock_after;
    int64_t window, lock_for, first_delay, max_delay;
} limits[] = {
    [THROTTLE_ACCOUNT] = {5, 10, 15 * 60 * MS, 15 * 60 * MS, 2 * MS, 60 * MS},
    [THROTTLE_ADDRESS] = {20, 50, 15 * 60 * MS, 15 * 60 * MS, 2 * MS, 60 * MS},
};

enum throttle_verdict throttle_decide(enum throttle_kind k, const struct throttle *t, int64_t now,
                                      int64_t *retry_after)
{
    *retry_after = 0;
    if (t->locked_until > now) {
        *retry_after = t->locked_until - now;
        return THROTTLE_LOCKED;
    }
    if (t->failures == 0 || now - t->first_failure >= limits[k].window)
        return THROTTLE_ALLOW;
    if (t->failures < limits[k].slow_after)
        return THROTTLE_ALLOW;
    int extra = t->failures - limits[k].slow_after;
    int64_t delay = extra >= 6 ? limits[k].max_delay : limits[k].first_delay << extra;
    if (delay > limits[k].max_delay)
        delay = limits[k].max_delay;
    if (now - t->last_failure < delay) {
        *retry_after = delay - (now - t->last_failure);
        return THROTTLE_SLOWED;
    }
    return THROTTLE_ALLOW;
}

void throttle_record_failure(enum throttle_kind k, struct throttle *t, int64_t now)
{
    if (t->failures == 0 || now - t->first_failure >= limits[k].window) {
        t->failures = 0;
        t->first_failure = now;
    }
    t->failures++;
    t->last_failure = now;
    if (t->failures >= limits[k].lock_after) {
        t->locked_until = now + limits[k].lock_for;
        t->failures = 0; /* the lock is the penalty; a new window starts after it */
    }
}
