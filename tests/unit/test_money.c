/* test_money: parsing and plain formatting of exact amounts (server/domain/money.h). */
#include "check.h"
#include "domain/money.h"

#include <stdint.h>

/* Parses and expects success with the given minor units. */
static void ok(const char *value, const char *cur, int64_t want_minor, enum currency want_cur)
{
    struct money m = {-1, CURRENCY_COUNT};
    const char *err = "untouched";
    int rc = money_parse(value, cur, &m, &err);
    if (rc != 0)
        fprintf(stderr, "money_parse(\"%s\", \"%s\") failed: %s\n", value, cur, err);
    CHECK_INT(rc, 0);
    CHECK_STR(err, "untouched"); /* err is only written on failure */
    CHECK_INT(m.minor, want_minor);
    CHECK_INT(m.currency, want_cur);
}

/* Parses and expects failure with code want; *out must stay untouched. */
static void bad(const char *value, const char *cur, const char *want)
{
    struct money m = {42, CURRENCY_HKD};
    const char *err = NULL;
    int rc = money_parse(value, cur, &m, &err);
    if (rc != -1 || !err || strcmp(err, want) != 0)
        fprintf(stderr, "money_parse(\"%s\", \"%s\"): rc=%d err=%s, want %s\n",
                value ? value : "(null)", cur ? cur : "(null)", rc, err ? err : "(null)", want);
    CHECK_INT(rc, -1);
    CHECK_STR(err, want);
    CHECK_INT(m.minor, 42);
    CHECK_INT(m.currency, CURRENCY_HKD);
}

static void fmt(int64_t minor, enum currency c, const char *want)
{
    struct money m = {minor, c};
    char buf[MONEY_PLAIN_MAX];
    int n = money_format_plain(&m, buf, sizeof buf);
    CHECK_STR(buf, want);
    CHECK_INT(n, (int)strlen(want));
}

static void test_currency(void)
{
    enum currency c = CURRENCY_COUNT;
    CHECK(currency_parse("CNY", &c) && c == CURRENCY_CNY);
    CHECK(currency_parse("MOP", &c) && c == CURRENCY_MOP);
    CHECK(currency_parse("HKD", &c) && c == CURRENCY_HKD);
    c = CURRENCY_MOP;
    CHECK(!currency_parse("cny", &c));
    CHECK(!currency_parse("RMB", &c));
    CHECK(!currency_parse("USD", &c));
    CHECK(!currency_parse("HKD ", &c));
    CHECK(!currency_parse("", &c));
    CHECK(!currency_parse(NULL, &c));
    CHECK_INT(c, CURRENCY_MOP);
    CHECK_STR(currency_code(CURRENCY_CNY), "CNY");
    CHECK_STR(currency_code(CURRENCY_MOP), "MOP");
    CHECK_STR(currency_code(CURRENCY_HKD), "HKD");
    CHECK(currency_code(CURRENCY_COUNT) == NULL);
    CHECK(currency_code((enum currency)(-1)) == NULL);
    CHECK_INT(currency_decimals(CURRENCY_CNY), 2);
    CHECK_INT(currency_decimals(CURRENCY_MOP), 2);
    CHECK_INT(currency_decimals(CURRENCY_HKD), 2);
    CHECK_INT(currency_decimals(CURRENCY_COUNT), -1);
}

static void test_parse_ok(void)
{
    ok("12000", "CNY", 1200000, CURRENCY_CNY);
    ok("12000.5", "CNY", 1200050, CURRENCY_CNY);
    ok("12000.50", "MOP", 1200050, CURRENCY_MOP);
    ok("12000.05", "HKD", 1200005, CURRENCY_HKD);
    ok("0.01", "HKD", 1, CURRENCY_HKD);
    ok("0.50", "CNY", 50, CURRENCY_CNY);
    ok("0.5", "CNY", 50, CURRENCY_CNY);
    ok("0", "CNY", 0, CURRENCY_CNY);
    ok("0.00", "CNY", 0, CURRENCY_CNY);
    ok("10", "MOP", 1000, CURRENCY_MOP);
    ok("100.09", "MOP", 10009, CURRENCY_MOP);
    ok("9999999999999.99", "CNY", INT64_C(999999999999999), CURRENCY_CNY);
    ok("10000000000000", "CNY", MONEY_MAX_MINOR, CURRENCY_CNY); /* exactly 10^15 minor */
    ok("10000000000000.00", "HKD", MONEY_MAX_MINOR, CURRENCY_HKD);

    /* err may be NULL. */
    struct money m;
    CHECK_INT(money_parse("1.23", "MOP", &m, NULL), 0);
    CHECK_INT(m.minor, 123);
    CHECK_INT(money_parse("x", "MOP", &m, NULL), -1);
}

static void test_parse_bad(void)
{
    /* format */
    bad("", "CNY", "money.format");
    bad(NULL, "CNY", "money.format");
    bad(" 12", "CNY", "money.format");
    bad("12 ", "CNY", "money.format");
    bad("1 2", "CNY", "money.format");
    bad("+1", "CNY", "money.format");
    bad("12,000", "CNY", "money.format");
    bad("12,000.00", "CNY", "money.format");
    bad("12000,50", "CNY", "money.format");
    bad("1e3", "CNY", "money.format");
    bad("1E3", "CNY", "money.format");
    bad("0x10", "CNY", "money.format");
    bad("007", "CNY", "money.format");
    bad("00", "CNY", "money.format");
    bad("00.50", "CNY", "money.format");
    bad("01.5", "CNY", "money.format");
    bad("12.", "CNY", "money.format");
    bad(".5", "CNY", "money.format");
    bad(".", "CNY", "money.format");
    bad("1.2.3", "CNY", "money.format");
    bad("12x", "CNY", "money.format");
    bad("12.5x", "CNY", "money.format");
    bad("12.505x", "CNY", "money.format");
    bad("NaN", "CNY", "money.format");
    bad("inf", "CNY", "money.format");
    bad("１２", "CNY", "money.format"); /* full-width digits */
    bad("12\n", "CNY", "money.format");
    bad("-", "CNY", "money.format");
    bad("--5", "CNY", "money.format");
    bad("-+5", "CNY", "money.format");
    bad("- 5", "CNY", "money.format");
    bad("-007", "CNY", "money.format");
    bad("99999999999999999999999x", "CNY", "money.format");

    /* precision */
    bad("12000.505", "CNY", "money.precision");
    bad("0.001", "MOP", "money.precision");
    bad("1.500", "HKD", "money.precision");
    bad("0.000", "HKD", "money.precision");

    /* negative */
    bad("-5", "CNY", "money.negative");
    bad("-0.01", "MOP", "money.negative");
    bad("-0", "HKD", "money.negative");
    bad("-12000.505", "CNY", "money.negative");

    /* range */
    bad("10000000000000.01", "CNY", "money.range");
    bad("10000000000001", "CNY", "money.range");
    bad("99999999999999999999999", "CNY", "money.range");
    bad("9223372036854775807", "CNY", "money.range");
    bad("92233720368547758.08", "CNY", "money.range");
    bad("184467440737095516160000000000", "MOP", "money.range");

    /* currency, checked first */
    bad("12", "USD", "money.currency");
    bad("12", "cny", "money.currency");
    bad("12", "", "money.currency");
    bad("12", NULL, "money.currency");
    bad("12", "RMB", "money.currency");
    bad("1e3", "XXX", "money.currency");
}

static void test_format(void)
{
    fmt(1200000, CURRENCY_CNY, "12000.00");
    fmt(1200050, CURRENCY_MOP, "12000.50");
    fmt(1200005, CURRENCY_HKD, "12000.05");
    fmt(1, CURRENCY_HKD, "0.01");
    fmt(10, CURRENCY_HKD, "0.10");
    fmt(100, CURRENCY_HKD, "1.00");
    fmt(0, CURRENCY_CNY, "0.00");
    fmt(MONEY_MAX_MINOR, CURRENCY_CNY, "10000000000000.00");
    fmt(-5, CURRENCY_CNY, "-0.05");
    fmt(-123456, CURRENCY_MOP, "-1234.56");
    fmt(INT64_MAX, CURRENCY_CNY, "92233720368547758.07");
    fmt(INT64_MIN, CURRENCY_CNY, "-92233720368547758.08");

    /* Round trip: parse(format(x)) == x across magnitudes. */
    for (int64_t v = 0; v <= MONEY_MAX_MINOR; v = v * 7 + 3) {
        struct money m = {v, CURRENCY_MOP}, back = {-1, CURRENCY_CNY};
        char buf[MONEY_PLAIN_MAX];
        CHECK(money_format_plain(&m, buf, sizeof buf) > 0);
        CHECK_INT(money_parse(buf, "MOP", &back, NULL), 0);
        CHECK_INT(back.minor, v);
        CHECK_INT(back.currency, CURRENCY_MOP);
    }

    /* Capacity: exactly enough, one short, zero. */
    struct money m = {1200000, CURRENCY_CNY};
    char buf[16];
    CHECK_INT(money_format_plain(&m, buf, 9), 8);
    CHECK_STR(buf, "12000.00");
    CHECK_INT(money_format_plain(&m, buf, 8), -1);
    CHECK_STR(buf, "");
    CHECK_INT(money_format_plain(&m, buf, 0), -1);
    struct money badcur = {1, CURRENCY_COUNT};
    CHECK_INT(money_format_plain(&badcur, buf, sizeof buf), -1);
    CHECK_STR(buf, "");
}

int main(void)
{
    test_currency();
    test_parse_ok();
    test_parse_bad();
    test_format();
    return check_summary();
}
