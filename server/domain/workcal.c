/* workcal.c: civil dates, the lunar calendar through ICU, solar terms, Easter, and the working-day
 * calendars of the Mainland and Macao built from them. See workcal.h for what each function
 * promises. */
#include "domain/workcal.h"

#include <string.h>

#include <unicode/ucal.h>
#include <unicode/utypes.h>

/* ---- civil dates ---------------------------------------------------------------------------- */

/* Days from 0001-01-01 to 1970-01-01. */
#define DAYS_0001_TO_1970 719162
#define DAYS_PER_400Y 146097
#define DAYS_PER_100Y 36524
#define DAYS_PER_4Y 1461

/* Days before the first of each month in a common year. */
static const int days_before_month[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

bool civil_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_days_in_month(int year, int month)
{
    static const int len[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && civil_is_leap_year(year))
        return 29;
    return len[month];
}

bool civil_is_valid(const struct civil_date *d)
{
    if (!d || d->year < CIVIL_MIN_YEAR || d->year > CIVIL_MAX_YEAR)
        return false;
    int dim = civil_days_in_month(d->year, d->month);
    return dim > 0 && d->day >= 1 && d->day <= dim;
}

/* Day number of a date known to be well formed (any year). */
static int64_t daynum_of(int year, int month, int day)
{
    int64_t y = (int64_t)year - 1; /* whole years since 0001 */
    int64_t days = y * 365 + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400);
    days += days_before_month[month] + (month > 2 && civil_is_leap_year(year)) + day - 1;
    return days - DAYS_0001_TO_1970;
}

bool civil_to_daynum(const struct civil_date *d, int32_t *out)
{
    if (!civil_is_valid(d) || !out)
        return false;
    *out = (int32_t)daynum_of(d->year, d->month, d->day);
    return true;
}

struct civil_date civil_from_daynum(int32_t daynum)
{
    int64_t n = (int64_t)daynum + DAYS_0001_TO_1970; /* days since 0001-01-01 */
    int64_t q400 = floor_div(n, DAYS_PER_400Y);
    int64_t r = n - q400 * DAYS_PER_400Y; /* 0 .. 146096 */
    int64_t q100 = r / DAYS_PER_100Y;
    if (q100 == 4) /* the last day of a 400-year cycle */
        q100 = 3;
    r -= q100 * DAYS_PER_100Y;
    int64_t q4 = r / DAYS_PER_4Y;
    r -= q4 * DAYS_PER_4Y;
    int64_t q1 = r / 365;
    if (q1 == 4) /* the last day of a 4-year cycle */
        q1 = 3;
    r -= q1 * 365; /* day of the year, 0-based */

    struct civil_date d;
    d.year = (int)(q400 * 400 + q100 * 100 + q4 * 4 + q1 + 1);
    int leap = civil_is_leap_year(d.year);
    int m = 12;
    while (m > 1 && r < days_before_month[m] + (m > 2 && leap))
        m--;
    d.month = m;
    d.day = (int)(r - days_before_month[m] - (m > 2 && leap)) + 1;
    return d;
}

int civil_weekday(int32_t daynum)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t w = ((int64_t)daynum + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

bool civil_add_days(const struct civil_date *d, int32_t n, struct civil_date *out)
{
    int32_t dn;
    if (!out || !civil_to_daynum(d, &dn))
        return false;
    int64_t r = (int64_t)dn + n;
    if (r < CIVIL_MIN_DAYNUM || r > CIVIL_MAX_DAYNUM)
        return false;
    *out = civil_from_daynum((int32_t)r);
    return true;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool civil_parse_iso_n(const char *s, size_t len, struct civil_date *out)
{
    if (!s || !out || len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    struct civil_date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
    if (d.year < 0 || d.month < 0 || d.day < 0 || !civil_is_valid(&d))
        return false;
    *out = d;
    return true;
}

bool civil_parse_iso(const char *s, struct civil_date *out)
{
    if (!s)
        return false;
    /* strnlen: a string longer than 10 is rejected without reading all of it. */
    return civil_parse_iso_n(s, strnlen(s, 11), out);
}

bool civil_format_iso(const struct civil_date *d, char *buf, size_t cap)
{
    if (!buf || cap < CIVIL_ISO_SIZE || !civil_is_valid(d))
        return false;
    int v[3] = {d->year, d->month, d->day};
    int w[3] = {4, 2, 2};
    char *p = buf;
    for (int i = 0; i < 3; i++) {
        if (i > 0)
            *p++ = '-';
        for (int k = w[i] - 1, x = v[i]; k >= 0; k--, x /= 10)
            p[k] = (char)('0' + x % 10);
        p += w[i];
    }
    *p = '\0';
    return true;
}

bool civil_parse_daynum(const char *s, int32_t *out)
{
    struct civil_date d;
    return out && civil_parse_iso(s, &d) && civil_to_daynum(&d, out);
}

bool civil_format_daynum(int32_t daynum, char *buf, size_t cap)
{
    struct civil_date d = civil_from_daynum(daynum);
    return civil_format_iso(&d, buf, cap);
}

/* ---- Easter --------------------------------------------------------------------------------- */

int32_t workcal_easter(int year)
{
    if (year < 1583 || year > CIVIL_MAX_YEAR)
        return WORKCAL_NO_DAY;
    /* The Gregorian rule: the first Sunday after the ecclesiastical full moon on or after 21 March,
     * the moon's age being given by the epact with the solar and lunar corrections. */
    int golden = year % 19 + 1;
    int century = year / 100 + 1;
    int solar = 3 * century / 4 - 12;       /* days dropped by the Gregorian leap rule */
    int lunar = (8 * century + 5) / 25 - 5; /* drift of the 19-year lunar cycle */
    int sunday = 5 * year / 4 - solar - 10; /* March (-sunday mod 7) is a Sunday */
    int epact = (11 * golden + 20 + lunar - solar) % 30;
    if (epact < 0)
        epact += 30;
    if ((epact == 25 && golden > 11) || epact == 24)
        epact++;
    int full = 44 - epact; /* day of March of the paschal full moon */
    if (full < 21)
        full += 30;
    int easter = full + 7 - (sunday + full) % 7; /* day of March, may run into April */
    return (int32_t)daynum_of(year, easter > 31 ? 4 : 3, easter > 31 ? easter - 31 : easter);
}

/* ---- solar terms ---------------------------------------------------------------------------- */

/* The few elementary functions needed, written out here: the domain library is not linked with
 * libm. Arguments stay far below 2^53, so plain double range reduction loses nothing that
 * matters (at most 1e-12 rad for the largest VSOP87 arguments). */
#define PI 3.14159265358979323846
#define TWO_PI (2.0 * PI)

static double wc_floor(double x)
{
    double t = (double)(int64_t)x;
    return t > x ? t - 1.0 : t;
}

static double wc_fabs(double x)
{
    return x < 0 ? -x : x;
}

/* Taylor series on [-pi/4, pi/4]: the first omitted terms are below 1e-16. */
static double sin_kernel(double x)
{
    double x2 = x * x, term = x, sum = x;
    for (int k = 1; k <= 8; k++) {
        term *= -x2 / ((2 * k) * (2 * k + 1));
        sum += term;
    }
    return sum;
}

static double cos_kernel(double x)
{
    double x2 = x * x, term = 1.0, sum = 1.0;
    for (int k = 1; k <= 8; k++) {
        term *= -x2 / ((2 * k - 1) * (2 * k));
        sum += term;
    }
    return sum;
}

/* cos(x) for |x| < 1e9. */
static double wc_cos(double x)
{
    x -= TWO_PI * wc_floor(x / TWO_PI + 0.5); /* [-pi, pi] */
    x = wc_fabs(x);                           /* cos is even: [0, pi] */
    if (x <= PI / 4)
        return cos_kernel(x);
    if (x <= 3 * PI / 4)
        return sin_kernel(PI / 2 - x);
    return -cos_kernel(PI - x);
}

static double wc_sin(double x)
{
    return wc_cos(x - PI / 2);
}

/* One term of a VSOP87 series: a * cos(b + c * tau), tau in Julian millennia from J2000 (TT). */
struct vsop_term {
    double a, b, c;
};

/* The Earth's heliocentric ecliptic longitude (VSOP87D, abridged; units of 1e-8 rad). */
static const struct vsop_term earth_l0[] = {
    {175347046, 0, 0},
    {3341656, 4.6692568, 6283.0758500},
    {34894, 4.62610, 12566.15170},
    {3497, 2.7441, 5753.3849},
    {3418, 2.8289, 3.5231},
    {3136, 3.6277, 77713.7715},
    {2676, 4.4181, 7860.4194},
    {2343, 6.1352, 3930.2097},
    {1324, 0.7425, 11506.7698},
    {1273, 2.0371, 529.6910},
    {1199, 1.1096, 1577.3435},
    {990, 5.233, 5884.927},
    {902, 2.045, 26.298},
    {857, 3.508, 398.149},
    {780, 1.179, 5223.694},
    {753, 2.533, 5507.553},
    {505, 4.583, 18849.228},
    {492, 4.205, 775.523},
    {357, 2.920, 0.067},
    {317, 5.849, 11790.629},
    {284, 1.899, 796.298},
    {271, 0.315, 10977.079},
    {243, 0.345, 5486.778},
    {206, 4.806, 2544.314},
    {205, 1.869, 5573.143},
    {202, 2.458, 6069.777},
    {156, 0.833, 213.299},
    {132, 3.411, 2942.463},
    {126, 1.083, 20.775},
    {115, 0.645, 0.980},
    {103, 0.636, 4694.003},
    {102, 0.976, 15720.839},
    {102, 4.267, 7.114},
    {99, 6.21, 2146.17},
    {98, 0.68, 155.42},
    {86, 5.98, 161000.69},
    {85, 1.30, 6275.96},
    {85, 3.67, 71430.70},
    {80, 1.81, 17260.15},
    {79, 3.04, 12036.46},
    {75, 1.76, 5088.63},
    {74, 3.50, 3154.69},
    {74, 4.68, 801.82},
    {70, 0.83, 9437.76},
    {62, 3.98, 8827.39},
    {61, 1.82, 7084.90},
    {57, 2.78, 6286.60},
    {56, 4.39, 14143.50},
    {56, 3.47, 6279.55},
    {52, 0.19, 12139.55},
    {52, 1.33, 1748.02},
    {51, 0.28, 5856.48},
    {49, 0.49, 1194.45},
    {41, 5.37, 8429.24},
    {41, 2.40, 19651.05},
    {39, 6.17, 10447.39},
    {37, 6.04, 10213.29},
    {37, 2.57, 1059.38},
    {36, 1.71, 2352.87},
    {36, 1.78, 6812.77},
    {33, 0.59, 17789.85},
    {30, 0.44, 83996.85},
    {30, 2.74, 1349.87},
    {25, 3.16, 4690.48},
};

static const struct vsop_term earth_l1[] = {
    {628331966747.0, 0, 0},     {206059, 2.678235, 6283.07585},
    {4303, 2.6351, 12566.1517}, {425, 1.590, 3.523},
    {119, 5.796, 26.298},       {109, 2.966, 1577.344},
    {93, 2.59, 18849.23},       {72, 1.14, 529.69},
    {68, 1.87, 398.15},         {67, 4.41, 5507.55},
    {59, 2.89, 5223.69},        {56, 2.17, 155.42},
    {45, 0.40, 796.30},         {36, 0.47, 775.52},
    {29, 2.65, 7.11},           {21, 5.34, 0.98},
    {19, 1.85, 5486.78},        {19, 4.97, 213.30},
    {17, 2.99, 6275.96},        {16, 0.03, 2544.31},
    {16, 1.43, 2146.17},        {15, 1.21, 10977.08},
    {12, 2.83, 1748.02},        {12, 3.26, 5088.63},
    {12, 5.27, 1194.45},        {12, 2.08, 4694.00},
    {11, 0.77, 553.57},         {10, 1.30, 6286.60},
    {10, 4.24, 1349.87},        {9, 2.70, 242.73},
    {9, 5.64, 951.72},          {8, 5.30, 2352.87},
    {6, 2.65, 9437.76},         {6, 4.67, 4690.48},
};

static const struct vsop_term earth_l2[] = {
    {52919, 0, 0},     {8720, 1.0721, 6283.0758}, {309, 0.867, 12566.152}, {27, 0.05, 3.52},
    {16, 5.19, 26.30}, {16, 3.68, 155.42},        {10, 0.76, 18849.23},    {9, 2.06, 77713.77},
    {7, 0.83, 775.52}, {5, 4.66, 1577.34},        {4, 1.03, 7.11},         {4, 3.44, 5573.14},
    {3, 5.14, 796.30}, {3, 6.05, 5507.55},        {3, 1.19, 242.73},       {3, 6.12, 529.69},
    {3, 0.31, 398.15}, {3, 2.28, 553.57},         {2, 4.38, 5223.69},      {2, 3.75, 0.98},
};

static const struct vsop_term earth_l3[] = {
    {289, 5.844, 6283.076}, {35, 0, 0},          {17, 5.49, 12566.15}, {3, 5.20, 155.42},
    {1, 4.72, 3.52},        {1, 5.30, 18849.23}, {1, 5.97, 242.73},
};

static const struct vsop_term earth_l4[] = {
    {114, 3.142, 0},
    {8, 4.13, 6283.08},
    {1, 3.84, 12566.15},
};

static const struct vsop_term earth_l5[] = {
    {1, 3.14, 0},
};

/* The Earth-Sun distance (units of 1e-8 AU); only its leading terms: it scales the aberration,
 * where 1e-4 AU is worth 0.002 arc seconds. */
static const struct vsop_term earth_r0[] = {
    {100013989, 0, 0},          {1670700, 3.0984635, 6283.0758500}, {13956, 3.05525, 12566.15170},
    {3084, 5.1985, 77713.7715}, {1628, 1.1739, 5753.3849},          {1576, 2.8469, 7860.4194},
};

static const struct vsop_term earth_r1[] = {
    {103019, 1.107490, 6283.075850},
    {1721, 1.0644, 12566.1517},
};

#define NTERMS(a) (sizeof(a) / sizeof((a)[0]))

static double vsop_sum(const struct vsop_term *t, size_t n, double tau)
{
    double s = 0;
    /* Smallest terms first, for a little less rounding. */
    for (size_t i = n; i-- > 0;)
        s += t[i].a * wc_cos(t[i].b + t[i].c * tau);
    return s;
}

static double deg_norm(double x)
{
    return x - 360.0 * wc_floor(x / 360.0);
}

#define DEG (PI / 180.0)
#define J2000 2451545.0
#define JD_1970 2440587.5 /* 1970-01-01 00:00 UT */

/* The sun's apparent geocentric ecliptic longitude, in degrees, at Julian Ephemeris Day jde. */
static double sun_apparent_longitude(double jde)
{
    double tau = (jde - J2000) / 365250.0;
    double t = tau * 10.0; /* Julian centuries */
    double l = vsop_sum(earth_l5, NTERMS(earth_l5), tau);
    l = l * tau + vsop_sum(earth_l4, NTERMS(earth_l4), tau);
    l = l * tau + vsop_sum(earth_l3, NTERMS(earth_l3), tau);
    l = l * tau + vsop_sum(earth_l2, NTERMS(earth_l2), tau);
    l = l * tau + vsop_sum(earth_l1, NTERMS(earth_l1), tau);
    l = l * tau + vsop_sum(earth_l0, NTERMS(earth_l0), tau);
    double r =
        vsop_sum(earth_r1, NTERMS(earth_r1), tau) * tau + vsop_sum(earth_r0, NTERMS(earth_r0), tau);
    l /= 1e8;
    r /= 1e8;

    double lon = l / DEG + 180.0; /* geocentric, dynamical ecliptic of date */
    lon -= 0.09033 / 3600.0;      /* to the FK5 system */
    double omega = (125.04452 - 1934.136261 * t) * DEG;
    double lsun = (280.4665 + 36000.7698 * t) * DEG;
    double lmoon = (218.3165 + 481267.8813 * t) * DEG;
    double nutation = -17.20 * wc_sin(omega) - 1.32 * wc_sin(2 * lsun) - 0.23 * wc_sin(2 * lmoon) +
                      0.21 * wc_sin(2 * omega);
    double aberration = -20.4898 / r;
    return deg_norm(lon + (nutation + aberration) / 3600.0);
}

/* TT - UT in seconds at a decimal year (the Espenak-Meeus polynomials; 1941..2150). */
static double delta_t(double y)
{
    double u;
    if (y < 1961) {
        u = y - 1950;
        return 29.07 + 0.407 * u - u * u / 233 + u * u * u / 2547;
    }
    if (y < 1986) {
        u = y - 1975;
        return 45.45 + 1.067 * u - u * u / 260 - u * u * u / 718;
    }
    if (y < 2005) {
        u = y - 2000;
        return 63.86 + u * (0.3345 + u * (-0.060374 +
                                          u * (0.0017275 + u * (0.000651814 + u * 0.00002373599))));
    }
    if (y < 2050) {
        u = y - 2000;
        return 62.92 + 0.32217 * u + 0.005589 * u * u;
    }
    u = (y - 1820) / 100;
    return -20 + 32 * u * u - 0.5628 * (2150 - y);
}

#define TROPICAL_YEAR 365.2422
#define CHINA_OFFSET_DAYS (8.0 / 24.0)

/* The day (China Standard Time) of a moment given as a Julian Ephemeris Day. */
static int32_t china_day_of_jde(double jde)
{
    double ut = jde - delta_t(2000.0 + (jde - J2000) / 365.25) / 86400.0;
    return (int32_t)wc_floor(ut - JD_1970 + CHINA_OFFSET_DAYS);
}

bool workcal_solar_term(int year, int longitude, int32_t *out)
{
    if (!out || year < WORKCAL_MIN_YEAR || year > WORKCAL_MAX_YEAR || longitude < 0 ||
        longitude >= 360 || longitude % 15 != 0)
        return false;
    /* First guess: the March equinox near 20 March, then the mean motion; the terms from 285
     * degrees on (Minor Cold to Awakening of Insects) fall in January to early March. */
    double jde = JD_1970 + (double)daynum_of(year, 3, 20) + longitude * TROPICAL_YEAR / 360.0;
    if (longitude >= 285)
        jde -= TROPICAL_YEAR;
    for (int i = 0; i < 50; i++) {
        double diff = deg_norm(longitude - sun_apparent_longitude(jde) + 180.0) - 180.0;
        jde += diff * TROPICAL_YEAR / 360.0;
        if (wc_fabs(diff) < 1e-8)
            break;
    }
    *out = china_day_of_jde(jde);
    return true;
}

/* ---- new moons ------------------------------------------------------------------------------ */

/* A lunar month begins on the day (China Standard Time) of its new moon. ICU's Chinese calendar
 * names the months, leap months included, but its lunar theory is coarse: where a new moon falls
 * within some minutes of midnight it starts the month a day early or late (New Year 2027: new
 * moon 6 February 23:56, ICU says 7 February; New Year 2030: new moon 3 February 00:07, ICU says
 * 2 February; nine such months in 1950-2100). So the module asks ICU only which month a day
 * belongs to, reading it mid-month, and takes month boundaries from the new moons computed here
 * (Meeus, Astronomical Algorithms ch. 49: mean lunation plus periodic and planetary terms, good
 * to some seconds). Checked against the official rule (Winter Solstice in the 11th month; in a
 * 13-month year the first month without a major solar term is the leap one) over 1950-2100, ICU's
 * names differ only in 1987, where ICU has a leap 7th month and the official calendar a leap 6th
 * (26 July - 23 August 1987); no holiday falls in those months. */

#define SYNODIC_MONTH 29.530588861
#define NEW_MOON_0 2451550.09766 /* JDE of the mean new moon k = 0 (6 January 2000) */

static double sin_deg(double x)
{
    return wc_sin(x * DEG);
}

/* Julian Ephemeris Day of new moon number k (k = 0: January 2000; negative before). */
static double new_moon_jde(int k)
{
    double t = k / 1236.85, t2 = t * t, t3 = t2 * t, t4 = t3 * t;
    double jde =
        NEW_MOON_0 + SYNODIC_MONTH * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
    double e = 1 - 0.002516 * t - 0.0000074 * t2;
    double m = 2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3;
    double mp = 201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4;
    double f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4;
    double om = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3;

    jde += -0.40720 * sin_deg(mp) + 0.17241 * e * sin_deg(m) + 0.01608 * sin_deg(2 * mp) +
           0.01039 * sin_deg(2 * f) + 0.00739 * e * sin_deg(mp - m) -
           0.00514 * e * sin_deg(mp + m) + 0.00208 * e * e * sin_deg(2 * m) -
           0.00111 * sin_deg(mp - 2 * f) - 0.00057 * sin_deg(mp + 2 * f) +
           0.00056 * e * sin_deg(2 * mp + m) - 0.00042 * sin_deg(3 * mp) +
           0.00042 * e * sin_deg(m + 2 * f) + 0.00038 * e * sin_deg(m - 2 * f) -
           0.00024 * e * sin_deg(2 * mp - m) - 0.00017 * sin_deg(om) -
           0.00007 * sin_deg(mp + 2 * m) + 0.00004 * sin_deg(2 * mp - 2 * f) +
           0.00004 * sin_deg(3 * m) + 0.00003 * sin_deg(mp + m - 2 * f) +
           0.00003 * sin_deg(2 * mp + 2 * f) - 0.00003 * sin_deg(mp + m + 2 * f) +
           0.00003 * sin_deg(mp - m + 2 * f) - 0.00002 * sin_deg(mp - m - 2 * f) -
           0.00002 * sin_deg(3 * mp + m) + 0.00002 * sin_deg(4 * mp);

    /* Planetary arguments: {amplitude, argument at k = 0, degrees per lunation}. */
    static const double planet[14][3] = {
        {0.000325, 299.77, 0.107408},  {0.000165, 251.88, 0.016321}, {0.000164, 251.83, 26.651886},
        {0.000126, 349.42, 36.412478}, {0.000110, 84.66, 18.206239}, {0.000062, 141.74, 53.303771},
        {0.000060, 207.14, 2.453732},  {0.000056, 154.84, 7.306860}, {0.000047, 34.52, 27.261239},
        {0.000042, 207.19, 0.121824},  {0.000040, 291.34, 1.844379}, {0.000037, 161.72, 24.198154},
        {0.000035, 239.56, 25.513099}, {0.000023, 331.55, 3.592518},
    };
    for (int i = 0; i < 14; i++) {
        double arg = planet[i][1] + planet[i][2] * k - (i == 0 ? 0.009173 * t2 : 0);
        jde += planet[i][0] * sin_deg(arg);
    }
    return jde;
}

static int32_t new_moon_day(int k)
{
    return china_day_of_jde(new_moon_jde(k));
}

/* The number k of the new moon that begins the lunar month containing daynum. */
static int lunation_of(int32_t daynum)
{
    int k = (int)wc_floor((JD_1970 + daynum - NEW_MOON_0) / SYNODIC_MONTH + 0.5);
    while (new_moon_day(k) > daynum)
        k--;
    while (new_moon_day(k + 1) <= daynum)
        k++;
    return k;
}

/* ---- the lunar calendar (ICU) --------------------------------------------------------------- */

#define MS_PER_DAY 86400000.0

static UCalendar *chinese_open(void)
{
    static const UChar utc[] = {'U', 'T', 'C', 0};
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *c = ucal_open(utc, -1, "en@calendar=chinese", UCAL_DEFAULT, &st);
    if (U_FAILURE(st)) {
        if (c)
            ucal_close(c);
        return NULL;
    }
    return c;
}

static int32_t year_of(int32_t daynum)
{
    return civil_from_daynum(daynum).year;
}

/* ICU's reading of daynum: lunar year, month, leap flag and day. */
static bool icu_lunar(UCalendar *c, int32_t daynum, struct lunar_date *out)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(c, (UDate)daynum * MS_PER_DAY, &st);
    int32_t month = ucal_get(c, UCAL_MONTH, &st);
    int32_t leap = ucal_get(c, UCAL_IS_LEAP_MONTH, &st);
    int32_t day = ucal_get(c, UCAL_DATE, &st);
    if (U_FAILURE(st))
        return false;
    struct civil_date g = civil_from_daynum(daynum);
    out->month = month + 1;
    out->leap = leap != 0;
    out->day = day;
    /* A lunar year begins between 21 January and 20 February, so only January and February
     * dates can still belong to the previous lunar year (its 11th and 12th months). */
    out->year = g.year - (g.month <= 2 && out->month >= 11);
    return true;
}

/* The month's name comes from ICU, read in the middle of the month, where ICU and the new moons
 * computed here cannot disagree; its first day comes from the new moon. */
static bool lunar_from_daynum_with(UCalendar *c, int32_t daynum, struct lunar_date *out)
{
    int k = lunation_of(daynum);
    int32_t first = new_moon_day(k);
    struct lunar_date l;
    if (!icu_lunar(c, first + 14, &l))
        return false;
    l.day = daynum - first + 1;
    *out = l;
    return true;
}

static bool lunar_to_daynum_with(UCalendar *c, const struct lunar_date *ld, int32_t *out)
{
    if (ld->month < 1 || ld->month > 12 || ld->day < 1 || ld->day > 30)
        return false;
    /* ICU numbers lunar years its own way; 1 July always lies in the lunar year that began in
     * the same Gregorian year, so ask ICU for that year's number there. */
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(c, (UDate)daynum_of(ld->year, 7, 1) * MS_PER_DAY, &st);
    int32_t eyear = ucal_get(c, UCAL_EXTENDED_YEAR, &st);
    if (U_FAILURE(st))
        return false;
    /* Find the month through its 15th day, which every month has. */
    ucal_clear(c);
    ucal_set(c, UCAL_EXTENDED_YEAR, eyear);
    ucal_set(c, UCAL_MONTH, ld->month - 1);
    ucal_set(c, UCAL_IS_LEAP_MONTH, ld->leap ? 1 : 0);
    ucal_set(c, UCAL_DATE, 15);
    UDate ms = ucal_getMillis(c, &st);
    if (U_FAILURE(st))
        return false;
    int32_t mid = (int32_t)wc_floor(ms / MS_PER_DAY);
    /* ICU is lenient (a leap flag on a month that has no leap month is ignored): the month exists
     * only if ICU reads the day back as that month. */
    struct lunar_date back;
    if (!icu_lunar(c, mid, &back) || back.year != ld->year || back.month != ld->month ||
        back.leap != ld->leap)
        return false;
    int k = lunation_of(mid);
    int32_t first = new_moon_day(k);
    if (ld->day > new_moon_day(k + 1) - first)
        return false; /* a 30th in a 29-day month */
    *out = first + ld->day - 1;
    return true;
}

bool workcal_lunar_to_daynum(const struct lunar_date *ld, int32_t *out)
{
    if (!ld || !out || ld->year < WORKCAL_MIN_YEAR - 1 || ld->year > WORKCAL_MAX_YEAR)
        return false;
    UCalendar *c = chinese_open();
    if (!c)
        return false;
    bool ok = lunar_to_daynum_with(c, ld, out);
    ucal_close(c);
    return ok;
}

static bool in_range(int32_t daynum)
{
    return daynum >= (int32_t)daynum_of(WORKCAL_MIN_YEAR, 1, 1) &&
           daynum <= (int32_t)daynum_of(WORKCAL_MAX_YEAR, 12, 31);
}

bool workcal_lunar_from_daynum(int32_t daynum, struct lunar_date *out)
{
    if (!out || !in_range(daynum))
        return false;
    UCalendar *c = chinese_open();
    if (!c)
        return false;
    bool ok = lunar_from_daynum_with(c, daynum, out);
    ucal_close(c);
    return ok;
}

/* ---- holiday rules -------------------------------------------------------------------------- */

enum hkey {
    H_NEW_YEAR,
    H_LUNAR_NEW_YEARS_EVE,
    H_LUNAR_NEW_YEAR,
    H_QINGMING,
    H_GOOD_FRIDAY,
    H_HOLY_SATURDAY,
    H_LABOUR_DAY,
    H_BUDDHAS_BIRTHDAY,
    H_DRAGON_BOAT,
    H_MID_AUTUMN,
    H_DAY_AFTER_MID_AUTUMN,
    H_NATIONAL_DAY,
    H_CHUNG_YEUNG,
    H_ALL_SOULS_DAY,
    H_IMMACULATE_CONCEPTION,
    H_MACAO_SAR_ESTABLISHMENT_DAY,
    H_WINTER_SOLSTICE,
    H_CHRISTMAS_EVE,
    H_CHRISTMAS_DAY,
};

static const char *const hkey_names[] = {
    [H_NEW_YEAR] = "new_year",
    [H_LUNAR_NEW_YEARS_EVE] = "lunar_new_years_eve",
    [H_LUNAR_NEW_YEAR] = "lunar_new_year",
    [H_QINGMING] = "qingming",
    [H_GOOD_FRIDAY] = "good_friday",
    [H_HOLY_SATURDAY] = "holy_saturday",
    [H_LABOUR_DAY] = "labour_day",
    [H_BUDDHAS_BIRTHDAY] = "buddhas_birthday",
    [H_DRAGON_BOAT] = "dragon_boat",
    [H_MID_AUTUMN] = "mid_autumn",
    [H_DAY_AFTER_MID_AUTUMN] = "day_after_mid_autumn",
    [H_NATIONAL_DAY] = "national_day",
    [H_CHUNG_YEUNG] = "chung_yeung",
    [H_ALL_SOULS_DAY] = "all_souls_day",
    [H_IMMACULATE_CONCEPTION] = "immaculate_conception",
    [H_MACAO_SAR_ESTABLISHMENT_DAY] = "macao_sar_establishment_day",
    [H_WINTER_SOLSTICE] = "winter_solstice",
    [H_CHRISTMAS_EVE] = "christmas_eve",
    [H_CHRISTMAS_DAY] = "christmas_day",
};

#define MAX_HOLIDAYS 24

struct hday {
    int32_t daynum;
    uint8_t key;
    uint8_t nth;
};

struct year_set {
    int16_t year; /* 0: empty slot */
    uint8_t n;
    struct hday h[MAX_HOLIDAYS];
};

struct builder {
    struct year_set *set;
    bool overflow;
};

static void add(struct builder *b, int32_t daynum, enum hkey key, int nth)
{
    struct year_set *s = b->set;
    if (s->n >= MAX_HOLIDAYS) {
        b->overflow = true;
        return;
    }
    /* Keep the list sorted by date; equal dates keep the order they were added in. */
    size_t i = s->n++;
    while (i > 0 && s->h[i - 1].daynum > daynum) {
        s->h[i] = s->h[i - 1];
        i--;
    }
    s->h[i] = (struct hday){daynum, (uint8_t)key, (uint8_t)nth};
}

/* Adds days consecutive days starting on first, numbered 1..days (0 if just one). */
static void add_run(struct builder *b, int32_t first, int days, enum hkey key)
{
    for (int i = 0; i < days; i++)
        add(b, first + i, key, days > 1 ? i + 1 : 0);
}

/* The lunar dates a year's holidays need, as day numbers. */
struct lunar_days {
    int32_t new_year, buddha, dragon_boat, mid_autumn, chung_yeung;
};

static bool lunar_days_of(int year, struct lunar_days *ld)
{
    UCalendar *c = chinese_open();
    if (!c)
        return false;
    bool ok = lunar_to_daynum_with(c, &(struct lunar_date){year, 1, false, 1}, &ld->new_year) &&
              lunar_to_daynum_with(c, &(struct lunar_date){year, 4, false, 8}, &ld->buddha) &&
              lunar_to_daynum_with(c, &(struct lunar_date){year, 5, false, 5}, &ld->dragon_boat) &&
              lunar_to_daynum_with(c, &(struct lunar_date){year, 8, false, 15}, &ld->mid_autumn) &&
              lunar_to_daynum_with(c, &(struct lunar_date){year, 9, false, 9}, &ld->chung_yeung);
    ucal_close(c);
    return ok;
}

static void mainland_rules(struct builder *b, int year, const struct lunar_days *ld,
                           int32_t qingming)
{
    add(b, (int32_t)daynum_of(year, 1, 1), H_NEW_YEAR, 0);

    /* Spring Festival: 1949 and 2014 rules days 1-3; 2008 rules Eve and days 1-2; 2025 rules Eve
     * and days 1-3. */
    bool eve = (year >= 2008 && year <= 2013) || year >= 2025;
    int days = (year >= 2008 && year <= 2013) ? 2 : 3;
    if (eve)
        add(b, ld->new_year - 1, H_LUNAR_NEW_YEARS_EVE, 0);
    for (int i = 0; i < days; i++)
        add(b, ld->new_year + i, H_LUNAR_NEW_YEAR, i + 1);

    int labour = year >= 2025 ? 2 : (year >= 2000 && year <= 2007) ? 3 : 1;
    add_run(b, (int32_t)daynum_of(year, 5, 1), labour, H_LABOUR_DAY);

    if (year >= 2008) {
        add(b, qingming, H_QINGMING, 0);
        add(b, ld->dragon_boat, H_DRAGON_BOAT, 0);
        add(b, ld->mid_autumn, H_MID_AUTUMN, 0);
    }

    add_run(b, (int32_t)daynum_of(year, 10, 1), year >= 1999 ? 3 : 2, H_NATIONAL_DAY);
}

static void macao_rules(struct builder *b, int year, const struct lunar_days *ld, int32_t qingming,
                        int32_t solstice)
{
    add(b, (int32_t)daynum_of(year, 1, 1), H_NEW_YEAR, 0);
    for (int i = 0; i < 3; i++)
        add(b, ld->new_year + i, H_LUNAR_NEW_YEAR, i + 1);
    int32_t easter = workcal_easter(year);
    add(b, easter - 2, H_GOOD_FRIDAY, 0);
    add(b, easter - 1, H_HOLY_SATURDAY, 0);
    add(b, qingming, H_QINGMING, 0);
    add(b, (int32_t)daynum_of(year, 5, 1), H_LABOUR_DAY, 0);
    add(b, ld->buddha, H_BUDDHAS_BIRTHDAY, 0);
    add(b, ld->dragon_boat, H_DRAGON_BOAT, 0);
    add(b, ld->mid_autumn + 1, H_DAY_AFTER_MID_AUTUMN, 0);
    add_run(b, (int32_t)daynum_of(year, 10, 1), 2, H_NATIONAL_DAY);
    add(b, ld->chung_yeung, H_CHUNG_YEUNG, 0);
    add(b, (int32_t)daynum_of(year, 11, 2), H_ALL_SOULS_DAY, 0);
    add(b, (int32_t)daynum_of(year, 12, 8), H_IMMACULATE_CONCEPTION, 0);
    if (year >= 1999)
        add(b, (int32_t)daynum_of(year, 12, 20), H_MACAO_SAR_ESTABLISHMENT_DAY, 0);
    add(b, solstice, H_WINTER_SOLSTICE, 0);
    add(b, (int32_t)daynum_of(year, 12, 24), H_CHRISTMAS_EVE, 0);
    add(b, (int32_t)daynum_of(year, 12, 25), H_CHRISTMAS_DAY, 0);
}

static bool valid_cal(enum workcal cal)
{
    return cal == WORKCAL_MAINLAND || cal == WORKCAL_MACAO;
}

static bool compute_year(enum workcal cal, int year, struct year_set *s)
{
    struct lunar_days ld;
    int32_t qingming, solstice;
    if (!lunar_days_of(year, &ld) || !workcal_solar_term(year, 15, &qingming) ||
        !workcal_solar_term(year, 270, &solstice))
        return false;
    s->n = 0;
    struct builder b = {s, false};
    if (cal == WORKCAL_MAINLAND)
        mainland_rules(&b, year, &ld, qingming);
    else
        macao_rules(&b, year, &ld, qingming, solstice);
    if (b.overflow)
        return false;
    s->year = (int16_t)year;
    return true;
}

/* Per-thread cache of computed years: a few slots per calendar, indexed by the year's low bits
 * (a deadline walk touches one or two consecutive years). Holidays depend on nothing but the
 * calendar and the year, so entries never go stale. */
#define CACHE_SLOTS 8
static _Thread_local struct year_set year_cache[2][CACHE_SLOTS];

static const struct year_set *holidays_of(enum workcal cal, int year)
{
    if (!valid_cal(cal) || year < WORKCAL_MIN_YEAR || year > WORKCAL_MAX_YEAR)
        return NULL;
    struct year_set *s = &year_cache[cal == WORKCAL_MACAO][year % CACHE_SLOTS];
    if (s->year == year)
        return s;
    s->year = 0;
    return compute_year(cal, year, s) ? s : NULL;
}

/* ---- calendars ------------------------------------------------------------------------------ */

const char *workcal_name(enum workcal cal)
{
    switch (cal) {
    case WORKCAL_MAINLAND:
        return "mainland";
    case WORKCAL_MACAO:
        return "macao";
    }
    return NULL;
}

bool workcal_from_name(const char *name, enum workcal *out)
{
    if (!name || !out)
        return false;
    if (strcmp(name, "mainland") == 0)
        *out = WORKCAL_MAINLAND;
    else if (strcmp(name, "macao") == 0)
        *out = WORKCAL_MACAO;
    else
        return false;
    return true;
}

int workcal_holidays(enum workcal cal, int year, struct workcal_holiday *out, size_t cap)
{
    const struct year_set *s = holidays_of(cal, year);
    if (!s || (cap > 0 && !out))
        return -1;
    for (size_t i = 0; i < s->n && i < cap; i++)
        out[i] = (struct workcal_holiday){s->h[i].daynum, hkey_names[s->h[i].key], s->h[i].nth};
    return s->n;
}

int workcal_day_status(enum workcal cal, const struct workcal_override *ov, size_t nov,
                       int32_t daynum, const char **why)
{
    if (why)
        *why = NULL;
    if (!valid_cal(cal) || !in_range(daynum) || (nov > 0 && !ov))
        return -1;
    for (size_t i = nov; i-- > 0;) {
        if (ov[i].daynum == daynum) {
            if (why)
                *why = "override";
            return ov[i].is_working_day ? 1 : 0;
        }
    }
    const struct year_set *s = holidays_of(cal, year_of(daynum));
    if (!s)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        if (s->h[i].daynum == daynum) {
            if (why)
                *why = hkey_names[s->h[i].key];
            return 0;
        }
    }
    if (civil_weekday(daynum) >= 6) {
        if (why)
            *why = "weekend";
        return 0;
    }
    return 1;
}

bool workcal_is_working_day(enum workcal cal, const struct workcal_override *ov, size_t nov,
                            int32_t daynum)
{
    return workcal_day_status(cal, ov, nov, daynum, NULL) == 1;
}

int32_t workcal_next_working_day(enum workcal cal, const struct workcal_override *ov, size_t nov,
                                 int32_t daynum)
{
    for (;;) {
        int st = workcal_day_status(cal, ov, nov, daynum, NULL);
        if (st < 0)
            return WORKCAL_NO_DAY;
        if (st == 1)
            return daynum;
        daynum++; /* in_range bounds daynum, so this cannot overflow */
    }
}

int32_t workcal_deadline(enum workcal cal, const struct workcal_override *ov, size_t nov,
                         int32_t start_daynum, int days, enum workcal_count count)
{
    if (days < 0 || days > 36600 || !in_range(start_daynum))
        return WORKCAL_NO_DAY;
    if (count == WORKCAL_CALENDAR_DAYS)
        return workcal_next_working_day(cal, ov, nov, start_daynum + days);
    if (count != WORKCAL_WORKING_DAYS)
        return WORKCAL_NO_DAY;
    if (days == 0)
        return workcal_next_working_day(cal, ov, nov, start_daynum);
    int32_t d = start_daynum;
    while (days > 0) {
        d = workcal_next_working_day(cal, ov, nov, d + 1);
        if (d == WORKCAL_NO_DAY)
            return WORKCAL_NO_DAY;
        days--;
    }
    return d;
}
