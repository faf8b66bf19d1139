/* money.h: exact amounts of money in minor units (fen, avos, cents) with their currency.
 *
 * Amounts are never floats. The wire form is a plain decimal string ("12000.50") and a separate
 * ISO 4217 code ("CNY", "MOP", "HKD"); all three currencies have 2 decimals.
 *
 * Errors are stable codes (never user-facing text); the API layer maps them to messages:
 *   "money.format"     not a plain non-negative decimal number (empty, spaces, sign "+", exponent,
 *                      grouping separators, hex, leading zeros such as "007", "12." or ".5")
 *   "money.precision"  more than 2 decimal places ("12000.505", also "1.500")
 *   "money.negative"   a number with a leading '-' ("-5", "-0.01")
 *   "money.range"      more than MONEY_MAX_MINOR minor units
 *   "money.currency"   not one of the supported currency codes
 *
 * Pure functions over caller-owned memory: no allocation, no global state, thread-safe.
 */
#ifndef QIAO_DOMAIN_MONEY_H
#define QIAO_DOMAIN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum currency {
    CURRENCY_CNY = 0, /* renminbi, "CNY" */
    CURRENCY_MOP,     /* pataca, "MOP" */
    CURRENCY_HKD,     /* Hong Kong dollar, "HKD" */
    CURRENCY_COUNT
};

/* An amount: `minor` units of `currency` (CNY 12000.50 is {1200050, CURRENCY_CNY}). Amounts parsed
 * by money_parse are within [0, MONEY_MAX_MINOR]. */
struct money {
    int64_t minor;
    enum currency currency;
};

/* The largest accepted amount in minor units: 10^15 (10 000 000 000 000.00). */
#define MONEY_MAX_MINOR INT64_C(1000000000000000)

/* Capacity that always suffices for money_format_plain's output and its NUL. */
#define MONEY_PLAIN_MAX 24

/* Parses an ISO 4217 code, exactly as written (upper case, no spaces). Returns true and sets *out
 * for "CNY", "MOP", "HKD"; returns false (and leaves *out) for anything else, NULL included. */
bool currency_parse(const char *code, enum currency *out);

/* Returns the ISO 4217 code of c (a static string), or NULL if c is out of range. */
const char *currency_code(enum currency c);

/* Returns the number of decimal places of c (2 for all supported currencies), or -1 if c is out
 * of range. */
int currency_decimals(enum currency c);

/* Parses value (e.g. "12000", "12000.5", "12000.50", "0.01") and currency (e.g. "MOP"), both
 * NUL-terminated and borrowed for the call. Grammar: ("0" | [1-9][0-9]*) ("." [0-9]{1,2})?,
 * nothing before or after.
 * Returns 0 and fills *out on success. Returns -1 on failure, stores the error code (a static
 * string; see above) in *err if err is non-NULL, and leaves *out unchanged. The currency is checked
 * first, so a bad currency reports "money.currency" whatever the value. */
int money_parse(const char *value, const char *currency, struct money *out, const char **err);

/* Writes the amount as a plain decimal with exactly the currency's decimals and no currency,
 * grouping or sign for non-negative amounts: {1200000, CNY} -> "12000.00", {1, HKD} -> "0.01";
 * a negative amount (from arithmetic elsewhere) gets a leading '-'.
 * Returns the length written (excluding the NUL), or -1 if m's currency is out of range or cap is
 * too small (MONEY_PLAIN_MAX always suffices); on -1, buf (if cap > 0) holds "". */
int money_format_plain(const struct money *m, char *buf, size_t cap);

#endif
