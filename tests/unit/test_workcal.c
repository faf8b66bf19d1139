/* test_workcal: civil dates, lunar and solar dates, and the Mainland and Macao working-day
 * calendars against real, published dates of 2024-2027. */
#include "check.h"
#include "domain/workcal.h"

#include <pthread.h>
#include <unicode/uclean.h>

/* Day number of an ISO date written in the test; -1 (never a test date) if it does not parse. */
static int32_t D(const char *iso)
{
    int32_t n;
    if (!civil_parse_daynum(iso, &n)) {
        fprintf(stderr, "bad test date %s\n", iso);
        return -1;
    }
    return n;
}

/* A day number as text, for CHECK_STR messages that show the date. */
static const char *S(int32_t daynum)
{
    static char buf[4][CIVIL_ISO_SIZE];
    static int i;
    char *b = buf[i++ % 4];
    if (daynum == WORKCAL_NO_DAY || !civil_format_daynum(daynum, b, CIVIL_ISO_SIZE))
        return "(no day)";
    return b;
}

static void test_civil(void)
{
    struct civil_date d;
    int32_t n;

    CHECK(civil_parse_daynum("1970-01-01", &n) && n == 0);
    CHECK(civil_parse_daynum("1969-12-31", &n) && n == -1);
    CHECK(civil_parse_daynum("2000-01-01", &n) && n == 10957);
    CHECK(civil_parse_daynum("0001-01-01", &n) && n == CIVIL_MIN_DAYNUM);
    CHECK(civil_parse_daynum("9999-12-31", &n) && n == CIVIL_MAX_DAYNUM);
    CHECK_STR(S(20501), "2026-02-17");

    /* Round trip over every day from 1900 to 2200. */
    int bad = 0;
    for (int32_t k = D("1900-01-01"); k <= D("2200-12-31"); k++) {
        struct civil_date c = civil_from_daynum(k);
        int32_t back;
        if (!civil_to_daynum(&c, &back) || back != k)
            bad++;
    }
    CHECK_INT(bad, 0);

    /* Weekdays: ISO 1 Monday .. 7 Sunday. */
    CHECK_INT(civil_weekday(0), 4); /* 1970-01-01 Thursday */
    CHECK_INT(civil_weekday(-1), 3);
    CHECK_INT(civil_weekday(D("2026-02-17")), 2);
    CHECK_INT(civil_weekday(D("2025-01-26")), 7);
    CHECK_INT(civil_weekday(D("2000-02-29")), 2);
    CHECK_INT(civil_weekday(D("1950-01-01")), 7);

    /* Leap years. */
    CHECK(civil_is_leap_year(2024));
    CHECK(!civil_is_leap_year(2025));
    CHECK(civil_is_leap_year(2000));
    CHECK(!civil_is_leap_year(1900));
    CHECK(!civil_is_leap_year(2100));
    CHECK_INT(civil_days_in_month(2024, 2), 29);
    CHECK_INT(civil_days_in_month(2026, 2), 28);
    CHECK_INT(civil_days_in_month(2026, 4), 30);
    CHECK_INT(civil_days_in_month(2026, 13), 0);
    CHECK(civil_parse_iso("2024-02-29", &d));
    CHECK(civil_parse_iso("2000-02-29", &d));
    CHECK(!civil_parse_iso("2023-02-29", &d));
    CHECK(!civil_parse_iso("1900-02-29", &d));
    CHECK(!civil_parse_iso("2100-02-29", &d));
    CHECK_INT(D("2024-03-01") - D("2024-02-28"), 2);
    CHECK_INT(D("2025-03-01") - D("2025-02-28"), 1);
    CHECK_INT(D("2025-01-01") - D("2024-01-01"), 366);

    /* Strict parsing. */
    CHECK(civil_parse_iso("2026-01-05", &d) && d.year == 2026 && d.month == 1 && d.day == 5);
    const char *bad_dates[] = {
        "2026-02-30",     "2026-1-5",   "2026-01-5",     "2026-01-05x", "2026-01-05 ",
        " 2026-01-05",    "",           "20260105",      "2026/01/05",  "2026-13-01",
        "2026-00-10",     "2026-01-00", "2026-04-31",    "0000-01-01",  "+026-01-05",
        "2026-0a-05",     "2026-01-32", "2026-01-05T00", "-2026-01-05", "2026-01--5",
        "２０２６-01-05",
    };
    for (size_t i = 0; i < sizeof(bad_dates) / sizeof(bad_dates[0]); i++) {
        d = (struct civil_date){1, 2, 3};
        if (civil_parse_iso(bad_dates[i], &d))
            fprintf(stderr, "accepted bad date \"%s\"\n", bad_dates[i]);
        CHECK(d.year == 1 && d.month == 2 && d.day == 3);
    }
    CHECK(!civil_parse_iso(NULL, &d));
    CHECK(civil_parse_iso_n("2026-01-05;rest", 10, &d) && d.day == 5);
    CHECK(!civil_parse_iso_n("2026-01-05", 9, &d));

    /* Formatting. */
    char buf[CIVIL_ISO_SIZE];
    CHECK(civil_format_iso(&(struct civil_date){2026, 1, 5}, buf, sizeof buf));
    CHECK_STR(buf, "2026-01-05");
    CHECK(civil_format_iso(&(struct civil_date){1, 1, 1}, buf, sizeof buf));
    CHECK_STR(buf, "0001-01-01");
    CHECK(!civil_format_iso(&(struct civil_date){2026, 2, 30}, buf, sizeof buf));
    CHECK(!civil_format_iso(&(struct civil_date){10000, 1, 1}, buf, sizeof buf));
    CHECK(!civil_format_iso(&(struct civil_date){2026, 1, 5}, buf, 10));
    CHECK(!civil_format_daynum(CIVIL_MAX_DAYNUM + 1, buf, sizeof buf));

    /* Adding days. */
    struct civil_date r;
    CHECK(civil_add_days(&(struct civil_date){2024, 2, 28}, 1, &r) && r.month == 2 && r.day == 29);
    CHECK(civil_add_days(&(struct civil_date){2025, 12, 31}, 1, &r) && r.year == 2026 &&
          r.month == 1 && r.day == 1);
    CHECK(civil_add_days(&(struct civil_date){2026, 3, 1}, -1, &r) && r.month == 2 && r.day == 28);
    CHECK(civil_add_days(&(struct civil_date){2026, 1, 5}, 365, &r) && r.year == 2027 &&
          r.month == 1 && r.day == 5);
    CHECK(!civil_add_days(&(struct civil_date){9999, 12, 31}, 1, &r));
    CHECK(!civil_add_days(&(struct civil_date){2026, 2, 30}, 1, &r));
}

static void test_easter_and_terms(void)
{
    CHECK_STR(S(workcal_easter(2024)), "2024-03-31");
    CHECK_STR(S(workcal_easter(2025)), "2025-04-20");
    CHECK_STR(S(workcal_easter(2026)), "2026-04-05");
    CHECK_STR(S(workcal_easter(2027)), "2027-03-28");
    CHECK_STR(S(workcal_easter(2000)), "2000-04-23");
    CHECK_STR(S(workcal_easter(2038)), "2038-04-25"); /* latest possible */
    CHECK_STR(S(workcal_easter(2285)), "2285-03-22"); /* earliest possible */
    CHECK_STR(S(workcal_easter(1954)), "1954-04-18");
    CHECK_INT(workcal_easter(1582), WORKCAL_NO_DAY);

    /* Qingming (15 degrees) and the Winter Solstice (270), China Standard Time. */
    int32_t t;
    struct {
        int year, lon;
        const char *want;
    } terms[] = {
        {2020, 15, "2020-04-04"},  {2021, 15, "2021-04-04"},  {2022, 15, "2022-04-05"},
        {2023, 15, "2023-04-05"},  {2024, 15, "2024-04-04"},  {2025, 15, "2025-04-04"},
        {2026, 15, "2026-04-05"},  {2027, 15, "2027-04-05"},  {2028, 15, "2028-04-04"},
        {2017, 270, "2017-12-22"},                            /* 00:28 */
        {2020, 270, "2020-12-21"}, {2021, 270, "2021-12-21"}, /* 23:59:09 */
        {2022, 270, "2022-12-22"}, {2023, 270, "2023-12-22"}, {2024, 270, "2024-12-21"},
        {2025, 270, "2025-12-21"}, /* 23:03 */
        {2026, 270, "2026-12-22"}, {2027, 270, "2027-12-22"}, {2028, 270, "2028-12-21"},
        {2025, 0, "2025-03-20"},   {2025, 90, "2025-06-21"},  {2025, 180, "2025-09-23"},
        {2026, 285, "2026-01-05"}, /* Minor Cold */
        {2026, 345, "2026-03-05"}, /* Awakening of Insects */
    };
    for (size_t i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
        t = WORKCAL_NO_DAY;
        CHECK(workcal_solar_term(terms[i].year, terms[i].lon, &t));
        CHECK_STR(S(t), terms[i].want);
    }
    CHECK(!workcal_solar_term(2026, 10, &t));
    CHECK(!workcal_solar_term(2026, 360, &t));
    CHECK(!workcal_solar_term(1949, 15, &t));
    CHECK(!workcal_solar_term(2101, 15, &t));
    CHECK(workcal_solar_term(1950, 15, &t) && workcal_solar_term(2100, 270, &t));
}

static void test_lunar(void)
{
    struct {
        struct lunar_date l;
        const char *g;
    } pairs[] = {
        {{2024, 1, false, 1}, "2024-02-10"}, {{2025, 1, false, 1}, "2025-01-29"},
        {{2026, 1, false, 1}, "2026-02-17"}, {{2027, 1, false, 1}, "2027-02-06"},
        {{2026, 5, false, 5}, "2026-06-19"}, {{2026, 8, false, 15}, "2026-09-25"},
        {{2026, 9, false, 9}, "2026-10-18"}, {{2026, 4, false, 8}, "2026-05-24"},
        {{2025, 6, true, 1}, "2025-07-25"},  {{2025, 6, false, 1}, "2025-06-25"},
        {{2023, 2, true, 1}, "2023-03-22"},  {{2020, 4, true, 1}, "2020-05-23"},
        {{2020, 4, false, 8}, "2020-04-30"}, {{2025, 12, false, 29}, "2026-02-16"},
        {{1950, 1, false, 1}, "1950-02-17"}, {{2000, 1, false, 1}, "2000-02-05"},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        int32_t n = WORKCAL_NO_DAY;
        CHECK(workcal_lunar_to_daynum(&pairs[i].l, &n));
        CHECK_STR(S(n), pairs[i].g);
        struct lunar_date back = {0, 0, false, 0};
        CHECK(workcal_lunar_from_daynum(D(pairs[i].g), &back));
        CHECK(back.year == pairs[i].l.year && back.month == pairs[i].l.month &&
              back.leap == pairs[i].l.leap && back.day == pairs[i].l.day);
    }
    /* New moons within minutes of midnight, China time, where ICU 72 alone is a day out: the
     * month starts on the day of the new moon. */
    struct {
        struct lunar_date l;
        const char *g;
    } edges[] = {
        {{2027, 1, false, 1}, "2027-02-06"},  /* new moon 23:56 */
        {{2030, 1, false, 1}, "2030-02-03"},  /* new moon 00:07 */
        {{2018, 10, false, 1}, "2018-11-08"}, /* new moon 00:02 */
        {{1954, 1, false, 1}, "1954-02-03"},  /* new moon 23:55 */
        {{1987, 8, false, 15}, "1987-10-07"}, /* Mid-Autumn after 1987's leap month */
    };
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        int32_t n = WORKCAL_NO_DAY;
        CHECK(workcal_lunar_to_daynum(&edges[i].l, &n));
        CHECK_STR(S(n), edges[i].g);
    }
    struct lunar_date e;
    /* So the 12th month of lunar 2026 (from 8 January 2027) has 29 days, not ICU's 30. */
    CHECK(workcal_lunar_from_daynum(D("2027-02-05"), &e) && e.year == 2026 && e.month == 12 &&
          e.day == 29);
    int32_t none;
    CHECK(!workcal_lunar_to_daynum(&(struct lunar_date){2026, 12, false, 30}, &none));
    CHECK(workcal_lunar_from_daynum(D("2030-02-02"), &e) && e.year == 2029 && e.month == 12 &&
          e.day == 30);
    CHECK(workcal_lunar_from_daynum(D("2030-02-03"), &e) && e.year == 2030 && e.month == 1 &&
          e.day == 1);

    /* January dates before the New Year belong to the previous lunar year. */
    struct lunar_date l;
    CHECK(workcal_lunar_from_daynum(D("2026-01-05"), &l) && l.year == 2025 && l.month == 11 &&
          !l.leap && l.day == 17);

    /* Dates that do not exist. */
    int32_t n;
    CHECK(!workcal_lunar_to_daynum(&(struct lunar_date){2026, 6, true, 1}, &n)); /* no leap 6th */
    CHECK(!workcal_lunar_to_daynum(&(struct lunar_date){2025, 12, false, 31}, &n));
    CHECK(!workcal_lunar_to_daynum(&(struct lunar_date){2026, 13, false, 1}, &n));
    CHECK(!workcal_lunar_to_daynum(&(struct lunar_date){2026, 1, false, 0}, &n));
    /* The 12th month of lunar 2025 has 29 days: its "30th" would be New Year 2026. */
    CHECK(!workcal_lunar_to_daynum(&(struct lunar_date){2025, 12, false, 30}, &n));
    CHECK(!workcal_lunar_to_daynum(&(struct lunar_date){2101, 1, false, 1}, &n));
    CHECK(!workcal_lunar_from_daynum(D("1949-12-31"), &l));
}

/* Checks that cal's holidays of year are exactly want[] ("YYYY-MM-DD key" or "... key#nth"). */
static void expect_holidays(enum workcal cal, int year, const char *const *want, size_t nwant)
{
    struct workcal_holiday h[32];
    int n = workcal_holidays(cal, year, h, 32);
    CHECK_INT(n, (int)nwant);
    for (size_t i = 0; i < nwant && i < (size_t)(n > 0 ? n : 0); i++) {
        char got[64];
        if (h[i].nth)
            snprintf(got, sizeof got, "%s %s#%d", S(h[i].daynum), h[i].key, h[i].nth);
        else
            snprintf(got, sizeof got, "%s %s", S(h[i].daynum), h[i].key);
        CHECK_STR(got, want[i]);
    }
}

#define EXPECT(cal, year, ...)                                                                     \
    do {                                                                                           \
        static const char *const w_[] = {__VA_ARGS__};                                             \
        expect_holidays(cal, year, w_, sizeof w_ / sizeof w_[0]);                                  \
    } while (0)

static void test_mainland_holidays(void)
{
    /* 2014 rules: Spring Festival days 1-3, Labour Day 1 May. */
    EXPECT(WORKCAL_MAINLAND, 2024, "2024-01-01 new_year", "2024-02-10 lunar_new_year#1",
           "2024-02-11 lunar_new_year#2", "2024-02-12 lunar_new_year#3", "2024-04-04 qingming",
           "2024-05-01 labour_day", "2024-06-10 dragon_boat", "2024-09-17 mid_autumn",
           "2024-10-01 national_day#1", "2024-10-02 national_day#2", "2024-10-03 national_day#3");
    /* 2025 rules: the Eve joins, Labour Day 1-2 May. */
    EXPECT(WORKCAL_MAINLAND, 2025, "2025-01-01 new_year", "2025-01-28 lunar_new_years_eve",
           "2025-01-29 lunar_new_year#1", "2025-01-30 lunar_new_year#2",
           "2025-01-31 lunar_new_year#3", "2025-04-04 qingming", "2025-05-01 labour_day#1",
           "2025-05-02 labour_day#2", "2025-05-31 dragon_boat", "2025-10-01 national_day#1",
           "2025-10-02 national_day#2", "2025-10-03 national_day#3", "2025-10-06 mid_autumn");
    EXPECT(WORKCAL_MAINLAND, 2026, "2026-01-01 new_year", "2026-02-16 lunar_new_years_eve",
           "2026-02-17 lunar_new_year#1", "2026-02-18 lunar_new_year#2",
           "2026-02-19 lunar_new_year#3", "2026-04-05 qingming", "2026-05-01 labour_day#1",
           "2026-05-02 labour_day#2", "2026-06-19 dragon_boat", "2026-09-25 mid_autumn",
           "2026-10-01 national_day#1", "2026-10-02 national_day#2", "2026-10-03 national_day#3");
    EXPECT(WORKCAL_MAINLAND, 2027, "2027-01-01 new_year", "2027-02-05 lunar_new_years_eve",
           "2027-02-06 lunar_new_year#1", "2027-02-07 lunar_new_year#2",
           "2027-02-08 lunar_new_year#3", "2027-04-05 qingming", "2027-05-01 labour_day#1",
           "2027-05-02 labour_day#2", "2027-06-09 dragon_boat", "2027-09-15 mid_autumn",
           "2027-10-01 national_day#1", "2027-10-02 national_day#2", "2027-10-03 national_day#3");
    /* 2008 rules: Eve and days 1-2 (New Year 2010 was 14 February). */
    EXPECT(WORKCAL_MAINLAND, 2010, "2010-01-01 new_year", "2010-02-13 lunar_new_years_eve",
           "2010-02-14 lunar_new_year#1", "2010-02-15 lunar_new_year#2", "2010-04-05 qingming",
           "2010-05-01 labour_day", "2010-06-16 dragon_boat", "2010-09-22 mid_autumn",
           "2010-10-01 national_day#1", "2010-10-02 national_day#2", "2010-10-03 national_day#3");
    /* 1999 rules: three-day Labour Day, no traditional festivals besides the Spring Festival. */
    EXPECT(WORKCAL_MAINLAND, 2005, "2005-01-01 new_year", "2005-02-09 lunar_new_year#1",
           "2005-02-10 lunar_new_year#2", "2005-02-11 lunar_new_year#3", "2005-05-01 labour_day#1",
           "2005-05-02 labour_day#2", "2005-05-03 labour_day#3", "2005-10-01 national_day#1",
           "2005-10-02 national_day#2", "2005-10-03 national_day#3");

    /* The count is returned even when the buffer is short. */
    struct workcal_holiday h[2];
    CHECK_INT(workcal_holidays(WORKCAL_MAINLAND, 2026, h, 2), 13);
    CHECK_STR(h[1].key, "lunar_new_years_eve");
    CHECK_INT(workcal_holidays(WORKCAL_MAINLAND, 2026, NULL, 0), 13);
    CHECK_INT(workcal_holidays(WORKCAL_MAINLAND, 1949, h, 2), -1);
    CHECK_INT(workcal_holidays(WORKCAL_MAINLAND, 2101, h, 2), -1);
    CHECK_INT(workcal_holidays((enum workcal)7, 2026, h, 2), -1);
}

static void test_macao_holidays(void)
{
    EXPECT(WORKCAL_MACAO, 2024, "2024-01-01 new_year", "2024-02-10 lunar_new_year#1",
           "2024-02-11 lunar_new_year#2", "2024-02-12 lunar_new_year#3", "2024-03-29 good_friday",
           "2024-03-30 holy_saturday", "2024-04-04 qingming", "2024-05-01 labour_day",
           "2024-05-15 buddhas_birthday", "2024-06-10 dragon_boat",
           "2024-09-18 day_after_mid_autumn", "2024-10-01 national_day#1",
           "2024-10-02 national_day#2", "2024-10-11 chung_yeung", "2024-11-02 all_souls_day",
           "2024-12-08 immaculate_conception", "2024-12-20 macao_sar_establishment_day",
           "2024-12-21 winter_solstice", "2024-12-24 christmas_eve", "2024-12-25 christmas_day");
    EXPECT(WORKCAL_MACAO, 2025, "2025-01-01 new_year", "2025-01-29 lunar_new_year#1",
           "2025-01-30 lunar_new_year#2", "2025-01-31 lunar_new_year#3", "2025-04-04 qingming",
           "2025-04-18 good_friday", "2025-04-19 holy_saturday", "2025-05-01 labour_day",
           "2025-05-05 buddhas_birthday", "2025-05-31 dragon_boat", "2025-10-01 national_day#1",
           "2025-10-02 national_day#2", "2025-10-07 day_after_mid_autumn", "2025-10-29 chung_yeung",
           "2025-11-02 all_souls_day", "2025-12-08 immaculate_conception",
           "2025-12-20 macao_sar_establishment_day", "2025-12-21 winter_solstice",
           "2025-12-24 christmas_eve", "2025-12-25 christmas_day");
    /* 2026: Ching Ming falls on Easter Sunday. */
    EXPECT(WORKCAL_MACAO, 2026, "2026-01-01 new_year", "2026-02-17 lunar_new_year#1",
           "2026-02-18 lunar_new_year#2", "2026-02-19 lunar_new_year#3", "2026-04-03 good_friday",
           "2026-04-04 holy_saturday", "2026-04-05 qingming", "2026-05-01 labour_day",
           "2026-05-24 buddhas_birthday", "2026-06-19 dragon_boat",
           "2026-09-26 day_after_mid_autumn", "2026-10-01 national_day#1",
           "2026-10-02 national_day#2", "2026-10-18 chung_yeung", "2026-11-02 all_souls_day",
           "2026-12-08 immaculate_conception", "2026-12-20 macao_sar_establishment_day",
           "2026-12-22 winter_solstice", "2026-12-24 christmas_eve", "2026-12-25 christmas_day");
    EXPECT(WORKCAL_MACAO, 2027, "2027-01-01 new_year", "2027-02-06 lunar_new_year#1",
           "2027-02-07 lunar_new_year#2", "2027-02-08 lunar_new_year#3", "2027-03-26 good_friday",
           "2027-03-27 holy_saturday", "2027-04-05 qingming", "2027-05-01 labour_day",
           "2027-05-13 buddhas_birthday", "2027-06-09 dragon_boat",
           "2027-09-16 day_after_mid_autumn", "2027-10-01 national_day#1",
           "2027-10-02 national_day#2", "2027-10-08 chung_yeung", "2027-11-02 all_souls_day",
           "2027-12-08 immaculate_conception", "2027-12-20 macao_sar_establishment_day",
           "2027-12-22 winter_solstice", "2027-12-24 christmas_eve", "2027-12-25 christmas_day");
    /* Lunar New Year 2030 begins on 3 February (new moon at 00:07). */
    struct workcal_holiday h[32];
    CHECK_INT(workcal_holidays(WORKCAL_MACAO, 2030, h, 32), 20);
    CHECK_STR(S(h[1].daynum), "2030-02-03");
    CHECK_STR(h[1].key, "lunar_new_year");
    /* Winter Solstice at 23:59 on 21 December 2021 China time. */
    CHECK_STR(S(D("2021-12-21")), "2021-12-21");
    const char *why = NULL;
    CHECK_INT(workcal_day_status(WORKCAL_MACAO, NULL, 0, D("2021-12-21"), &why), 0);
    CHECK_STR(why, "winter_solstice");
    CHECK_INT(workcal_day_status(WORKCAL_MACAO, NULL, 0, D("2021-12-22"), &why), 1);
}

/* Every computed year has a plausible, sorted list (exercises ICU and the solar terms across the
 * whole range). */
static void test_all_years(void)
{
    int bad = 0;
    for (int y = WORKCAL_MIN_YEAR; y <= WORKCAL_MAX_YEAR; y++) {
        struct workcal_holiday h[32];
        for (int c = WORKCAL_MAINLAND; c <= WORKCAL_MACAO; c++) {
            int n = workcal_holidays((enum workcal)c, y, h, 32);
            if (n < 7 || n > 24) {
                bad++;
                continue;
            }
            for (int i = 0; i < n; i++) {
                struct civil_date d = civil_from_daynum(h[i].daynum);
                if (d.year != y || (i > 0 && h[i].daynum < h[i - 1].daynum))
                    bad++;
            }
        }
    }
    CHECK_INT(bad, 0);
}

/* Several threads computing calendars at once get what one thread gets. */
struct worker {
    int first_year;
    int bad;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int y = w->first_year; y < w->first_year + 40; y++) {
        struct workcal_holiday h[32];
        int n = workcal_holidays(WORKCAL_MACAO, y, h, 32);
        int32_t ny;
        if (n < 1 || !workcal_lunar_to_daynum(&(struct lunar_date){y, 1, false, 1}, &ny) ||
            h[1].daynum != ny)
            w->bad++;
        if (workcal_deadline(WORKCAL_MAINLAND, NULL, 0, ny - 3, 10, WORKCAL_WORKING_DAYS) ==
            WORKCAL_NO_DAY)
            w->bad++;
    }
    return NULL;
}

static void test_threads(void)
{
    struct worker w[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){2000 + 5 * i, 0};
        CHECK(pthread_create(&t[i], NULL, work, &w[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT(w[i].bad, 0);
    }
}

static void test_working_days(void)
{
    const char *why;
    CHECK_INT(workcal_day_status(WORKCAL_MAINLAND, NULL, 0, D("2026-02-17"), &why), 0);
    CHECK_STR(why, "lunar_new_year");
    CHECK_INT(workcal_day_status(WORKCAL_MAINLAND, NULL, 0, D("2026-02-21"), &why), 0);
    CHECK_STR(why, "weekend");
    CHECK_INT(workcal_day_status(WORKCAL_MAINLAND, NULL, 0, D("2026-02-20"), &why), 1);
    CHECK(why == NULL);
    /* A holiday on a weekend reports the holiday. */
    CHECK_INT(workcal_day_status(WORKCAL_MACAO, NULL, 0, D("2026-05-24"), &why), 0);
    CHECK_STR(why, "buddhas_birthday");
    /* Good Friday is a working day on the Mainland, not in Macao. */
    CHECK(workcal_is_working_day(WORKCAL_MAINLAND, NULL, 0, D("2026-04-03")));
    CHECK(!workcal_is_working_day(WORKCAL_MACAO, NULL, 0, D("2026-04-03")));
    /* 3 October: Mainland only. */
    CHECK(!workcal_is_working_day(WORKCAL_MAINLAND, NULL, 0, D("2025-10-03")));
    CHECK(workcal_is_working_day(WORKCAL_MACAO, NULL, 0, D("2025-10-03")));

    /* Out of range or bad arguments. */
    CHECK_INT(workcal_day_status(WORKCAL_MACAO, NULL, 0, D("1949-12-31"), NULL), -1);
    CHECK_INT(workcal_day_status(WORKCAL_MACAO, NULL, 0, D("2101-01-03"), NULL), -1);
    CHECK_INT(workcal_day_status((enum workcal)0, NULL, 0, D("2026-01-05"), NULL), -1);
    CHECK_INT(workcal_day_status(WORKCAL_MACAO, NULL, 1, D("2026-01-05"), NULL), -1);
    CHECK(!workcal_is_working_day(WORKCAL_MACAO, NULL, 0, D("2101-01-03")));

    /* The Mainland's 2025 Spring Festival arrangement: 28 Jan - 4 Feb off, Sunday 26 Jan and
     * Saturday 8 Feb worked. */
    const struct workcal_override sf2025[] = {
        {D("2025-01-26"), true},
        {D("2025-02-03"), false},
        {D("2025-02-04"), false},
        {D("2025-02-08"), true},
    };
    const size_t nsf = sizeof sf2025 / sizeof sf2025[0];
    CHECK(!workcal_is_working_day(WORKCAL_MAINLAND, NULL, 0, D("2025-01-26")));
    CHECK_INT(workcal_day_status(WORKCAL_MAINLAND, sf2025, nsf, D("2025-01-26"), &why), 1);
    CHECK_STR(why, "override");
    CHECK(!workcal_is_working_day(WORKCAL_MAINLAND, sf2025, nsf, D("2025-02-03")));
    CHECK(workcal_is_working_day(WORKCAL_MAINLAND, sf2025, nsf, D("2025-02-05")));
    /* Later entries win. */
    const struct workcal_override twice[] = {{D("2026-01-04"), false}, {D("2026-01-04"), true}};
    CHECK(workcal_is_working_day(WORKCAL_MAINLAND, twice, 2, D("2026-01-04")));
    CHECK(!workcal_is_working_day(WORKCAL_MAINLAND, twice, 1, D("2026-01-04")));

    CHECK_STR(S(workcal_next_working_day(WORKCAL_MACAO, NULL, 0, D("2026-04-03"))), "2026-04-06");
    CHECK_STR(S(workcal_next_working_day(WORKCAL_MACAO, NULL, 0, D("2026-04-06"))), "2026-04-06");
}

static void test_deadlines(void)
{
    enum workcal M = WORKCAL_MAINLAND, O = WORKCAL_MACAO;
    const enum workcal_count CAL = WORKCAL_CALENDAR_DAYS, WRK = WORKCAL_WORKING_DAYS;

    /* A plain week: Monday + 7 = Monday. */
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-03-02"), 7, CAL)), "2026-03-09");
    /* Ending on a Saturday: moves to Monday. */
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-03-07"), 7, CAL)), "2026-03-16");
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-03-02"), 5, CAL)), "2026-03-09");
    /* Over a month end and a leap day. */
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2024-02-22"), 7, CAL)), "2024-02-29");
    /* 30 days from 15 Jan 2026: Saturday 14 Feb, then Sunday, the Eve and days 1-3 of the
     * Spring Festival, so Friday 20 Feb. */
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-01-15"), 30, CAL)), "2026-02-20");
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-01-12"), 30, CAL)), "2026-02-11");

    /* Macao, Easter 2026: the 7th day is Good Friday, then Holy Saturday, Easter Sunday (also
     * Ching Ming) - Monday 6 April. The Mainland has only Qingming on that Sunday. */
    CHECK_STR(S(workcal_deadline(O, NULL, 0, D("2026-03-27"), 7, CAL)), "2026-04-06");
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-03-27"), 7, CAL)), "2026-04-03");

    /* Mainland 2025 Spring Festival: the 7th day is the 3rd day of the New Year (Friday). Without
     * the arrangement the limit ends Monday 3 Feb; with it (3-4 Feb off), Wednesday 5 Feb. */
    const struct workcal_override sf2025[] = {
        {D("2025-01-26"), true},
        {D("2025-02-03"), false},
        {D("2025-02-04"), false},
        {D("2025-02-08"), true},
    };
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2025-01-24"), 7, CAL)), "2025-02-03");
    CHECK_STR(S(workcal_deadline(M, sf2025, 4, D("2025-01-24"), 7, CAL)), "2025-02-05");
    /* The override makes Sunday 26 Jan a working day: a 2-day limit ends on it. */
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2025-01-24"), 2, CAL)), "2025-01-27");
    CHECK_STR(S(workcal_deadline(M, sf2025, 4, D("2025-01-24"), 2, CAL)), "2025-01-26");
    /* Working days across the arrangement: Fri 24 Jan + 3 working days = Sun 26, Mon 27, Wed 5
     * Feb (27 Jan is a working day; 28 Jan - 4 Feb are not). */
    CHECK_STR(S(workcal_deadline(M, sf2025, 4, D("2025-01-24"), 3, WRK)), "2025-02-05");

    /* Macao, working days over the December holidays of 2025: Sat 20 SAR Day, Sun 21 Solstice,
     * Mon 22 (1), Tue 23 (2), 24-25 Christmas, Fri 26 (3). */
    CHECK_STR(S(workcal_deadline(O, NULL, 0, D("2025-12-19"), 3, WRK)), "2025-12-26");
    /* And on the Mainland, where only the weekend intervenes: Mon 22, Tue 23, Wed 24. */
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2025-12-19"), 3, WRK)), "2025-12-24");
    /* 30 calendar days from Macao SAR Day 2025: 19 Jan 2026, a Monday. */
    CHECK_STR(S(workcal_deadline(O, NULL, 0, D("2025-12-20"), 30, CAL)), "2026-01-19");
    /* Across New Year: 29 Dec + 3 calendar days = 1 Jan holiday -> Fri 2 Jan. */
    CHECK_STR(S(workcal_deadline(O, NULL, 0, D("2025-12-29"), 3, CAL)), "2026-01-02");
    /* Mainland National Day week 2026 with its arrangement (1-7 Oct off, Sat 10 Oct worked). */
    const struct workcal_override nd2026[] = {
        {D("2026-10-05"), false},
        {D("2026-10-06"), false},
        {D("2026-10-07"), false},
        {D("2026-10-10"), true},
    };
    CHECK_STR(S(workcal_deadline(M, nd2026, 4, D("2026-09-30"), 1, WRK)), "2026-10-08");
    CHECK_STR(S(workcal_deadline(M, nd2026, 4, D("2026-09-30"), 3, WRK)), "2026-10-10");
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-09-30"), 3, WRK)), "2026-10-07");

    /* Zero days: the start day itself, moved to a working day. */
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-03-04"), 0, CAL)), "2026-03-04");
    CHECK_STR(S(workcal_deadline(M, NULL, 0, D("2026-03-07"), 0, WRK)), "2026-03-09");

    /* Errors. */
    CHECK_INT(workcal_deadline(M, NULL, 0, D("2026-03-04"), -1, CAL), WORKCAL_NO_DAY);
    CHECK_INT(workcal_deadline(M, NULL, 0, D("2026-03-04"), 36601, CAL), WORKCAL_NO_DAY);
    CHECK_INT(workcal_deadline(M, NULL, 0, D("2100-12-30"), 5, CAL), WORKCAL_NO_DAY);
    CHECK_INT(workcal_deadline(M, NULL, 0, D("2100-12-28"), 5, WRK), WORKCAL_NO_DAY);
    CHECK_INT(workcal_deadline(M, NULL, 0, D("1949-12-30"), 5, CAL), WORKCAL_NO_DAY);
    CHECK_INT(workcal_deadline((enum workcal)9, NULL, 0, D("2026-03-04"), 5, CAL), WORKCAL_NO_DAY);
    CHECK_INT(workcal_deadline(M, NULL, 0, D("2026-03-04"), 5, (enum workcal_count)5),
              WORKCAL_NO_DAY);
    /* A long limit runs over a year boundary without trouble. */
    CHECK_STR(S(workcal_deadline(O, NULL, 0, D("2025-06-02"), 365, CAL)), "2026-06-02");
}

static void test_names(void)
{
    enum workcal c;
    CHECK_STR(workcal_name(WORKCAL_MAINLAND), "mainland");
    CHECK_STR(workcal_name(WORKCAL_MACAO), "macao");
    CHECK(workcal_name((enum workcal)3) == NULL);
    CHECK(workcal_from_name("macao", &c) && c == WORKCAL_MACAO);
    CHECK(workcal_from_name("mainland", &c) && c == WORKCAL_MAINLAND);
    CHECK(!workcal_from_name("Macao", &c));
    CHECK(!workcal_from_name(NULL, &c));
}

int main(void)
{
    test_civil();
    test_easter_and_terms();
    test_lunar();
    test_mainland_holidays();
    test_macao_holidays();
    test_all_years();
    test_working_days();
    test_deadlines();
    test_names();
    test_threads();
    u_cleanup(); /* release ICU's caches so valgrind sees no leaks */
    return check_summary();
}
