/* workcal.h: civil dates as day numbers, and the working-day calendars of the Mainland and Macao.
 *
 * Dates are plain values: a struct civil_date (proleptic Gregorian) or an int32_t day number, the
 * count of days since 1970-01-01 (negative before it). Nothing here allocates; every function is
 * thread-safe (ICU calendars are opened per computation; computed holiday sets are cached per
 * thread). Strings returned (holiday keys, reasons) are static and never freed by the caller.
 *
 * Holidays are computed for the years WORKCAL_MIN_YEAR..WORKCAL_MAX_YEAR: fixed-date ones, lunar
 * ones through ICU's Chinese calendar (which names the months) and computed new moons (which fix
 * the day each month begins, where ICU's coarser astronomy is a day out, e.g. New Year 2027),
 * Qingming and the Winter Solstice from the sun's apparent longitude (China Standard Time,
 * UTC+8), Easter by the Gregorian computus. Announced exceptions (the Mainland's swapped working
 * days, 调休; Macao's compensatory days off) are not computed: the caller passes them in as
 * overrides, which take precedence over every computed rule.
 *
 * Holiday keys (stable, for message catalogs):
 *   both:     new_year, lunar_new_year (nth 1..3), qingming, labour_day, dragon_boat, national_day
 *   Mainland: lunar_new_years_eve, mid_autumn
 *   Macao:    good_friday, holy_saturday, buddhas_birthday, day_after_mid_autumn, chung_yeung,
 *             all_souls_day, immaculate_conception, macao_sar_establishment_day, winter_solstice,
 *             christmas_eve, christmas_day
 * Mainland statutory days follow the rules in force in the year asked about: 2025 on: lunar New
 * Year's Eve and days 1-3, Labour Day 1-2 May; 2014-2024: days 1-3, 1 May; 2008-2013: Eve and days
 * 1-2, 1 May; Qingming, Dragon Boat and Mid-Autumn from 2008; Labour Day 1-3 May in 2000-2007;
 * National Day 1-3 Oct from 1999, 1-2 Oct before. Macao's list is the SAR's, applied to every
 * year (SAR Establishment Day from 1999), not the holidays of the Portuguese administration.
 * Weekends are Saturday and Sunday in every year (the Mainland worked Saturdays until 1995). */
#ifndef QIAO_DOMAIN_WORKCAL_H
#define QIAO_DOMAIN_WORKCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- civil dates ---------------------------------------------------------------------------- */

struct civil_date {
    int year, month, day; /* month 1..12, day 1..31 */
};

#define CIVIL_MIN_YEAR 1
#define CIVIL_MAX_YEAR 9999
#define CIVIL_MIN_DAYNUM (-719162) /* 0001-01-01 */
#define CIVIL_MAX_DAYNUM 2932896   /* 9999-12-31 */
#define CIVIL_ISO_SIZE 11          /* "YYYY-MM-DD" and its NUL */

/* True if year is a Gregorian leap year (any year, proleptic). */
bool civil_is_leap_year(int year);

/* Days in month (28..31) of year, or 0 if month is not 1..12. */
int civil_days_in_month(int year, int month);

/* True if d is a real date with year CIVIL_MIN_YEAR..CIVIL_MAX_YEAR (2026-02-30 is not). */
bool civil_is_valid(const struct civil_date *d);

/* Stores d's day number in *out and returns true; returns false (and leaves *out) if d is not
 * valid. */
bool civil_to_daynum(const struct civil_date *d, int32_t *out);

/* The date of a day number. Defined for every int32_t (proleptic Gregorian); only daynums in
 * CIVIL_MIN_DAYNUM..CIVIL_MAX_DAYNUM give dates that civil_is_valid accepts. */
struct civil_date civil_from_daynum(int32_t daynum);

/* ISO weekday of a day number: 1 Monday .. 7 Sunday. */
int civil_weekday(int32_t daynum);

/* *out = d plus n days (n may be negative); false if d or the result is not valid. */
bool civil_add_days(const struct civil_date *d, int32_t n, struct civil_date *out);

/* Strict ISO 8601 calendar date: exactly "YYYY-MM-DD" (4, 2 and 2 ASCII digits), a real date,
 * nothing before or after it. Stores it in *out and returns true, or returns false and leaves
 * *out. civil_parse_iso reads a NUL-terminated string; civil_parse_iso_n reads exactly len bytes
 * (s need not be terminated). */
bool civil_parse_iso(const char *s, struct civil_date *out);
bool civil_parse_iso_n(const char *s, size_t len, struct civil_date *out);

/* Writes d as "YYYY-MM-DD" and a NUL into buf (cap >= CIVIL_ISO_SIZE) and returns true; returns
 * false (buf untouched) if d is not valid or cap is too small. */
bool civil_format_iso(const struct civil_date *d, char *buf, size_t cap);

/* The same two, straight to and from day numbers. */
bool civil_parse_daynum(const char *s, int32_t *out);
bool civil_format_daynum(int32_t daynum, char *buf, size_t cap);

/* ---- calendars ------------------------------------------------------------------------------ */

#define WORKCAL_MIN_YEAR 1950
#define WORKCAL_MAX_YEAR 2100
#define WORKCAL_NO_DAY INT32_MIN /* "no such day": the error value of functions returning a day */

enum workcal {
    WORKCAL_MAINLAND = 1, /* public holidays of the People's Republic of China (Zhuhai) */
    WORKCAL_MACAO = 2,    /* public holidays of the Macao SAR */
};

/* "mainland" / "macao" (static), or NULL for an unknown value. */
const char *workcal_name(enum workcal cal);

/* Parses workcal_name's output into *out; false (and *out left) if name is not one of them. */
bool workcal_from_name(const char *name, enum workcal *out);

/* One administrator-maintained exception: on daynum the calendar says is_working_day, whatever
 * the weekend and holiday rules say. */
struct workcal_override {
    int32_t daynum;
    bool is_working_day;
};

/* One computed public holiday. key is static (see the list above); nth numbers the days of a
 * festival that lasts several days (lunar_new_year 1..3, labour_day, national_day) and is 0 for a
 * one-day holiday. */
struct workcal_holiday {
    int32_t daynum;
    const char *key;
    int nth;
};

/* The computed public holidays of cal in Gregorian year (WORKCAL_MIN_YEAR..WORKCAL_MAX_YEAR),
 * sorted by date (two holidays may share a date, e.g. Qingming on Easter Saturday). Writes at most
 * cap of them to out (out may be NULL when cap is 0) and returns how many there are, so a return
 * value above cap means the list was cut short; returns -1 for a bad calendar or year, or if ICU
 * fails. Overrides are not applied: this is the rule-based list. */
int workcal_holidays(enum workcal cal, int year, struct workcal_holiday *out, size_t cap);

/* Whether daynum is a working day in cal, given the overrides ov[0..nov) (ov may be NULL when nov
 * is 0; order does not matter, and if a day appears twice the later entry wins). Returns 1 for a
 * working day, 0 for a day off, -1 if it cannot tell (bad calendar, a day outside the years
 * WORKCAL_MIN_YEAR..WORKCAL_MAX_YEAR, or ICU failing). If why is not NULL, *why is set to a static
 * reason or NULL: "override" when an override decided, else the holiday's key, else "weekend",
 * else NULL (an ordinary working day, or -1). */
int workcal_day_status(enum workcal cal, const struct workcal_override *ov, size_t nov,
                       int32_t daynum, const char **why);

/* workcal_day_status(...) == 1: a day that cannot be judged is not a working day. */
bool workcal_is_working_day(enum workcal cal, const struct workcal_override *ov, size_t nov,
                            int32_t daynum);

/* daynum itself if it is a working day, else the first working day after it; WORKCAL_NO_DAY if
 * that cannot be decided within the supported years. */
int32_t workcal_next_working_day(enum workcal cal, const struct workcal_override *ov, size_t nov,
                                 int32_t daynum);

enum workcal_count {
    WORKCAL_CALENDAR_DAYS, /* count every day; a last day that is not a working day moves to the
                              next working day */
    WORKCAL_WORKING_DAYS,  /* count working days only */
};

/* The last day of a time limit of `days` days (0..36600) running from the event on start_daynum.
 * The start day itself is not counted: with WORKCAL_CALENDAR_DAYS the limit ends on start + days,
 * moved to the next working day if that is not one; with WORKCAL_WORKING_DAYS it ends on the
 * days-th working day after start. days == 0 gives the next working day from start itself.
 * Returns WORKCAL_NO_DAY for bad arguments or if a day on the way cannot be judged (see
 * workcal_day_status). */
int32_t workcal_deadline(enum workcal cal, const struct workcal_override *ov, size_t nov,
                         int32_t start_daynum, int days, enum workcal_count count);

/* ---- the computations behind the calendars -------------------------------------------------- */

/* A date of the Chinese lunisolar calendar. year is the Gregorian year in which that lunar year
 * begins (lunar year 2026 runs from 2026-02-17); month is 1..12 and leap marks the intercalary
 * month that follows month (闰六月 of 2025 is {2025, 6, true, d}). */
struct lunar_date {
    int year, month;
    bool leap;
    int day;
};

/* The day number of a lunar date: the month found through ICU's Chinese calendar, its first day
 * being the day of its new moon (China Standard Time). Known limits: a new moon within a minute
 * of midnight can go either way (2057-09-28 23:59, 2097-08-07 23:59); in 1987 the leap month is
 * ICU's (after the 7th month; officially after the 6th). False if the date does not exist
 * (no such leap month that year, a 30th in a 29-day month, ...), year is outside
 * WORKCAL_MIN_YEAR-1..WORKCAL_MAX_YEAR, or ICU fails. */
bool workcal_lunar_to_daynum(const struct lunar_date *ld, int32_t *out);

/* The lunar date of a day number in the years WORKCAL_MIN_YEAR..WORKCAL_MAX_YEAR; false outside
 * them or if ICU fails. */
bool workcal_lunar_from_daynum(int32_t daynum, struct lunar_date *out);

/* The day (China Standard Time) in Gregorian year on which the sun's apparent ecliptic longitude
 * reaches `longitude` degrees, a multiple of 15 in 0..345 (the 24 solar terms: 15 = Qingming,
 * 270 = Winter Solstice). False for other longitudes or years outside
 * WORKCAL_MIN_YEAR..WORKCAL_MAX_YEAR. Computed from the VSOP87 theory (abridged) with nutation,
 * aberration and a Delta-T model: the instant agrees with published times to within about 20
 * seconds, so only a term within seconds of midnight can land on the neighbouring day (in
 * 1950-2100 only the Winter Solstice of 1951, 00:00:04 on 23 December by this model); such a day
 * is what overrides are for. */
bool workcal_solar_term(int year, int longitude, int32_t *out);

/* The day number of Easter Sunday (Gregorian computus) in year 1583..9999, or WORKCAL_NO_DAY. */
int32_t workcal_easter(int year);

#endif
