/* test_idnum: identity document numbers (server/domain/idnum.h).
 *
 * Valid numbers are real-format examples whose check digits were computed by hand/with a separate
 * script; where a test needs a number that is wrong in one respect only, the test computes the
 * check digit with its own generator below, written differently from the library's (search for the
 * check character that makes the whole weighted sum valid, rather than deriving it). */
#include "check.h"
#include "domain/idnum.h"

#include <stdbool.h>

/* Expects `in` valid as type t, normalized to want_norm, recognised as want_var. */
static void ok_v(enum idtype t, const char *in, const char *want_norm, enum idvariant want_var)
{
    char norm[IDNUM_NORM_MAX];
    enum idvariant v = IDVARIANT_COUNT;
    const char *err = idnum_validate_ex(t, in, norm, sizeof norm, &v);
    if (err)
        fprintf(stderr, "%s \"%s\": %s\n", idtype_name(t), in, err);
    CHECK(err == NULL);
    CHECK_STR(norm, want_norm);
    CHECK_INT(v, want_var);
    /* The plain call agrees. */
    char norm2[IDNUM_NORM_MAX];
    CHECK(idnum_validate(t, in, norm2, sizeof norm2) == NULL);
    CHECK_STR(norm2, want_norm);
    /* Normalizing is idempotent: the normal form is itself valid and maps to itself. */
    CHECK(idnum_validate(t, norm, norm2, sizeof norm2) == NULL);
    CHECK_STR(norm2, want_norm);
}

static void ok(enum idtype t, const char *in, const char *want_norm)
{
    ok_v(t, in, want_norm, IDVARIANT_NONE);
}

/* Expects `in` refused as type t with code want; norm must be cleared, variant untouched. */
static void bad(enum idtype t, const char *in, const char *want)
{
    char norm[IDNUM_NORM_MAX] = "junk";
    enum idvariant v = IDVARIANT_COUNT;
    const char *err = idnum_validate_ex(t, in, norm, sizeof norm, &v);
    if (!err || strcmp(err, want) != 0)
        fprintf(stderr, "%s \"%s\": got %s, want %s\n", idtype_name(t) ? idtype_name(t) : "?",
                in ? in : "(null)", err ? err : "valid", want);
    CHECK_STR(err, want);
    CHECK_STR(norm, "");
    CHECK_INT(v, IDVARIANT_COUNT);
}

/* ---- the test's own check-digit generators ---- */

/* Mainland ID: the 18-character number is valid when sum(d_i * 2^(17-i)) = 1 (mod 11), with X = 10.
 * Completes 17 digits in s with the check character that satisfies it. */
static void complete_mainland(char s[19])
{
    static const char cand[] = "0123456789X";
    for (int c = 0; c < 11; c++) {
        int sum = 0, pow2 = 1;
        for (int i = 17; i >= 0; i--) {
            int d = i == 17 ? c : s[i] - '0';
            sum += d * pow2;
            pow2 = pow2 * 2 % 11;
        }
        if (sum % 11 == 1) {
            s[17] = cand[c];
            s[18] = '\0';
            return;
        }
    }
}

/* USCC: valid when sum(v_i * 3^i mod 31, i = 0..16) + v_17 = 0 (mod 31). */
static const char USCC[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static void complete_uscc(char s[19])
{
    for (int c = 0; c < 31; c++) {
        long sum = c, w = 1;
        for (int i = 0; i < 17; i++) {
            sum += (long)(strchr(USCC, s[i]) - USCC) * w;
            w = w * 3 % 31;
        }
        if (sum % 31 == 0) {
            s[17] = USCC[c];
            s[18] = '\0';
            return;
        }
    }
}

static void test_types(void)
{
    static const struct {
        const char *name;
        enum idtype t;
    } types[] = {
        {"mainland_id", IDTYPE_MAINLAND_ID},
        {"hk_id", IDTYPE_HK_ID},
        {"macao_bir", IDTYPE_MACAO_BIR},
        {"mainland_travel_permit", IDTYPE_MAINLAND_TRAVEL_PERMIT},
        {"passport", IDTYPE_PASSPORT},
        {"business_registration", IDTYPE_BUSINESS_REGISTRATION},
    };
    CHECK_INT(IDTYPE_COUNT, 1 + sizeof types / sizeof types[0]);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        CHECK_INT(idtype_parse(types[i].name), types[i].t);
        CHECK_STR(idtype_name(types[i].t), types[i].name);
    }
    CHECK_INT(idtype_parse("HK_ID"), IDTYPE_UNKNOWN);
    CHECK_INT(idtype_parse("hkid"), IDTYPE_UNKNOWN);
    CHECK_INT(idtype_parse(""), IDTYPE_UNKNOWN);
    CHECK_INT(idtype_parse(NULL), IDTYPE_UNKNOWN);
    CHECK(idtype_name(IDTYPE_UNKNOWN) == NULL);
    CHECK(idtype_name(IDTYPE_COUNT) == NULL);
    CHECK(idtype_name((enum idtype)(-3)) == NULL);

    CHECK_STR(idvariant_name(IDVARIANT_NONE), "none");
    CHECK_STR(idvariant_name(IDVARIANT_PERMIT_HK), "permit_hk");
    CHECK_STR(idvariant_name(IDVARIANT_PERMIT_MACAO), "permit_macao");
    CHECK_STR(idvariant_name(IDVARIANT_MAINLAND_USCC), "mainland_uscc");
    CHECK_STR(idvariant_name(IDVARIANT_HK_BR), "hk_br");
    CHECK_STR(idvariant_name(IDVARIANT_MACAO_CR), "macao_cr");
    CHECK(idvariant_name(IDVARIANT_COUNT) == NULL);

    bad(IDTYPE_UNKNOWN, "11010519491231002X", "id.type");
    bad(IDTYPE_COUNT, "11010519491231002X", "id.type");
    bad((enum idtype)(-1), "11010519491231002X", "id.type");
}

static void test_mainland_id(void)
{
    const enum idtype T = IDTYPE_MAINLAND_ID;
    ok(T, "11010519491231002X", "11010519491231002X"); /* the standard's published example */
    ok(T, "11010519491231002x", "11010519491231002X");
    ok(T, " 110105 19491231 002X ", "11010519491231002X");
    ok(T, "\t11010519491231002x\n", "11010519491231002X");
    ok(T, "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"); /* full-width */
    ok(T, "110105\u300019491231002X", "11010519491231002X");             /* ideographic space */
    ok(T, "440402198802291237", "440402198802291237");                   /* 29 Feb 1988 */
    ok(T, "110101200002290018", "110101200002290018");                   /* 29 Feb 2000 */
    ok(T, "820000200501010012", "820000200501010012"); /* Macao resident's residence permit */
    ok(T, "44040019700101999X", "44040019700101999X");
    ok(T, "310115199912315675", "310115199912315675");

    /* Every wrong check character is caught. */
    const char *cands = "0123456789X";
    for (const char *c = cands; *c; c++) {
        char s[19] = "11010519491231002X";
        if (*c == 'X')
            continue;
        s[17] = *c;
        bad(T, s, "id.check_digit");
    }
    bad(T, "440402198802291238", "id.check_digit");
    /* A transposition of two digits. */
    bad(T, "11010519491231020X", "id.check_digit");

    /* Format. */
    bad(T, "", "id.format");
    bad(T, "   ", "id.format");
    bad(T, NULL, "id.format");
    bad(T, "11010519491231002", "id.format");   /* 17 */
    bad(T, "11010519491231002XX", "id.format"); /* 19 */
    bad(T, "110105194912310021X", "id.format");
    bad(T, "1101051949123100X2", "id.format"); /* X not last */
    bad(T, "11010519491231002Y", "id.format");
    bad(T, "1101051949-1231002X", "id.format");
    bad(T, "110105194912310 02X\xff", "id.format"); /* malformed UTF-8 */
    bad(T, "11010519491231002X\xc3\xa9", "id.format");
    bad(T, "110105194912310021234567890123456789012345678901234567890", "id.format");
    bad(T, "110105195X1231002X", "id.format");
    bad(T, "15010519491231002", "id.format"); /* old 15-digit card: not accepted */

    /* Region and birth date, each with a correct check digit. */
    struct {
        const char *body;
        const char *want;
    } cases[] = {
        {"00000019491231002", "id.region"},     /* region 000000 */
        {"11010519490230002", "id.birth_date"}, /* 30 Feb */
        {"11010519000229002", "id.birth_date"}, /* 1900 is not a leap year */
        {"11010519881301002", "id.birth_date"}, /* month 13 */
        {"11010519880001002", "id.birth_date"}, /* month 0 */
        {"11010519880100002", "id.birth_date"}, /* day 0 */
        {"11010519880431002", "id.birth_date"}, /* 31 Apr */
        {"11010518491231002", "id.birth_date"}, /* 1849 */
        {"11010520900101002", "id.birth_date"}, /* in the future */
        {"11010500000101002", "id.birth_date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char s[19];
        memcpy(s, cases[i].body, 17);
        complete_mainland(s);
        bad(T, s, cases[i].want);
    }
    /* The generator agrees with the known examples (guards the test itself). */
    char g[19] = "11010519491231002";
    complete_mainland(g);
    CHECK_STR(g, "11010519491231002X");
    memcpy(g, "44040219880229123", 17);
    complete_mainland(g);
    CHECK_STR(g, "440402198802291237");
    /* And a generated number with a good date and region is valid. */
    memcpy(g, "11010518500101123", 17);
    complete_mainland(g);
    CHECK(idnum_validate(T, g, NULL, 0) == NULL);
}

static void test_hk_id(void)
{
    const enum idtype T = IDTYPE_HK_ID;
    ok(T, "A123456(3)", "A123456(3)"); /* the commonly published example */
    ok(T, "A1234563", "A123456(3)");
    ok(T, "a123456(3)", "A123456(3)");
    ok(T, "A123456 (3)", "A123456(3)");
    ok(T, " A 123456 ( 3 ) ", "A123456(3)");
    ok(T, "Ａ１２３４５６（３）", "A123456(3)"); /* full-width */
    ok(T, "A123456\uff083\uff09", "A123456(3)");
    ok(T, "G123456(A)", "G123456(A)"); /* check value 10 */
    ok(T, "g123456a", "G123456(A)");
    ok(T, "AB987654(3)", "AB987654(3)"); /* two-letter prefix */
    ok(T, "ab9876543", "AB987654(3)");
    ok(T, "XA000000(8)", "XA000000(8)");
    ok(T, "WX123450(A)", "WX123450(A)");
    ok(T, "Z683365(A)", "Z683365(A)");
    ok(T, "C668668(9)", "C668668(9)");
    ok(T, "K000003(5)", "K000003(5)");
    ok(T, "P100001(6)", "P100001(6)");
    ok(T, "R000005(0)", "R000005(0)"); /* check value 0 (11 mod 11) */

    const char *cands = "0123456789A";
    for (const char *c = cands; *c; c++) {
        if (*c == '3')
            continue;
        char s[] = "A123456(3)";
        s[8] = *c;
        bad(T, s, "id.check_digit");
    }
    bad(T, "AB987654(4)", "id.check_digit");
    bad(T, "B123456(3)", "id.check_digit");
    bad(T, "BA987654(3)", "id.check_digit"); /* prefix letters swapped */

    bad(T, "C668668(E)", "id.format"); /* check is 0-9 or A only */
    bad(T, "A12345(3)", "id.format");
    bad(T, "A1234567(3)", "id.format");
    bad(T, "ABC123456(3)", "id.format");
    bad(T, "1123456(3)", "id.format");
    bad(T, "A12345B(3)", "id.format");
    bad(T, "A123456((3)", "id.format");
    bad(T, "A123456(3", "id.format");
    bad(T, "A123456)3(", "id.format");
    bad(T, "A123456()", "id.format");
    bad(T, "A123456(33)", "id.format");
    bad(T, "A(123456)3", "id.format");
    bad(T, "A123456-3", "id.format");
    bad(T, "A", "id.format");
    bad(T, ")", "id.format");
    bad(T, "", "id.format");
}

static void test_macao_bir(void)
{
    const enum idtype T = IDTYPE_MACAO_BIR;
    ok(T, "1234567(8)", "1234567(8)");
    ok(T, "12345678", "1234567(8)");
    ok(T, "1234567 (8)", "1234567(8)");
    ok(T, "1/234567/8", "1234567(8)");
    ok(T, "1/234567(8)", "1234567(8)");
    ok(T, "5215299(8)", "5215299(8)");
    ok(T, "7 123456 (0)", "7123456(0)");
    ok(T, "１２３４５６７（８）", "1234567(8)");
    /* The check digit is not verified (algorithm not public): any digit is accepted. */
    ok(T, "1234567(0)", "1234567(0)");
    ok(T, "1234567(9)", "1234567(9)");

    bad(T, "123456(7)", "id.format");
    bad(T, "1234567", "id.format");
    bad(T, "123456789", "id.format");
    bad(T, "12345678(9)", "id.format");
    bad(T, "1234567(A)", "id.format");
    bad(T, "A234567(8)", "id.format");
    bad(T, "1234567(8", "id.format");
    bad(T, "1234567((8))", "id.format");
    bad(T, "/1234567(8)", "id.format");
    bad(T, "1234567(8)/", "id.format");
    bad(T, "1//234567/8", "id.format");
    bad(T, "1234567/(8)", "id.format");
    bad(T, "1234-567(8)", "id.format");
    bad(T, "", "id.format");
}

static void test_permit(void)
{
    const enum idtype T = IDTYPE_MAINLAND_TRAVEL_PERMIT;
    ok_v(T, "H12345678", "H12345678", IDVARIANT_PERMIT_HK);
    ok_v(T, "m87654321", "M87654321", IDVARIANT_PERMIT_MACAO);
    ok_v(T, "H 1234 5678", "H12345678", IDVARIANT_PERMIT_HK);
    ok_v(T, "H1234567801", "H1234567801", IDVARIANT_PERMIT_HK); /* older card: + renewal count */
    ok_v(T, "M0123456700", "M0123456700", IDVARIANT_PERMIT_MACAO);
    ok_v(T, "Ｈ１２３４５６７８", "H12345678", IDVARIANT_PERMIT_HK);

    bad(T, "H1234567", "id.format");
    bad(T, "H123456789", "id.format");
    bad(T, "H123456789012", "id.format");
    bad(T, "X12345678", "id.format");
    bad(T, "12345678", "id.format");
    bad(T, "123456789", "id.format");
    bad(T, "HA2345678", "id.format");
    bad(T, "HM2345678", "id.format");
    bad(T, "H1234567X", "id.format");
    bad(T, "", "id.format");
}

static void test_passport(void)
{
    const enum idtype T = IDTYPE_PASSPORT;
    ok(T, "E12345678", "E12345678");
    ok(T, "ep1234567", "EP1234567");
    ok(T, "K 1234 567", "K1234567");
    ok(T, "12345", "12345");
    ok(T, "ABCDEFGHIJ0123456789", "ABCDEFGHIJ0123456789"); /* 20 */
    ok(T, "ｅ１２３４５６７８", "E12345678");

    bad(T, "1234", "id.format");
    bad(T, "ABCDEFGHIJ01234567890", "id.format"); /* 21 */
    bad(T, "P-123456", "id.format");
    bad(T, "P.123456", "id.format");
    bad(T, "P<123456", "id.format");
    bad(T, "\u00c9123456", "id.format"); /* É */
    bad(T, "护照123456", "id.format");
    bad(T, "", "id.format");
}

static void test_business(void)
{
    const enum idtype T = IDTYPE_BUSINESS_REGISTRATION;
    /* Mainland unified social credit codes; the first is the standard's published example. */
    ok_v(T, "91350100M000100Y43", "91350100M000100Y43", IDVARIANT_MAINLAND_USCC);
    ok_v(T, "91350100m000100y43", "91350100M000100Y43", IDVARIANT_MAINLAND_USCC);
    ok_v(T, " 9135 0100 M000 100Y 43 ", "91350100M000100Y43", IDVARIANT_MAINLAND_USCC);
    ok_v(T, "91110000600037341L", "91110000600037341L", IDVARIANT_MAINLAND_USCC);
    ok_v(T, "91440400MA4UH5HN8W", "91440400MA4UH5HN8W", IDVARIANT_MAINLAND_USCC);
    ok_v(T, "12100000400000770U", "12100000400000770U", IDVARIANT_MAINLAND_USCC);
    ok_v(T, "52440000MJL16803X7", "52440000MJL16803X7", IDVARIANT_MAINLAND_USCC);
    ok_v(T, "Y1440402MC000001XW", "Y1440402MC000001XW", IDVARIANT_MAINLAND_USCC);
    ok_v(T, "91820000MA0000000L", "91820000MA0000000L", IDVARIANT_MAINLAND_USCC);

    /* Every other check character is refused. */
    for (const char *c = USCC; *c; c++) {
        if (*c == '3')
            continue;
        char s[] = "91350100M000100Y43";
        s[17] = *c;
        bad(T, s, "id.check_digit");
    }
    bad(T, "91350100M000100Y34", "id.check_digit");
    /* Letters outside the GB 32100 set (I O S V Z), in the body or as the check. */
    bad(T, "91350100M000100YI3", "id.format");
    bad(T, "91350100M000100Y4O", "id.format");
    bad(T, "91350100S000100Y43", "id.format");
    bad(T, "91350100V000100Y43", "id.format");
    bad(T, "91350100Z000100Y43", "id.format");
    bad(T, "9135010-M000100Y43", "id.format");
    /* The region code (positions 3-8) must be digits even with a matching check character. */
    char s[19] = "913501A0M000100Y4";
    complete_uscc(s);
    bad(T, s, "id.format");
    /* A generated code with a digit region is valid (and the generator agrees with the example). */
    char g[19] = "91350100M000100Y4";
    complete_uscc(g);
    CHECK_STR(g, "91350100M000100Y43");
    memcpy(g, "93440300MA5FXXXX0", 17);
    complete_uscc(g);
    CHECK(idnum_validate(T, g, NULL, 0) == NULL);

    /* Hong Kong business registration numbers: 8 digits, kept as written. */
    ok_v(T, "12345678", "12345678", IDVARIANT_HK_BR);
    ok_v(T, "01234567", "01234567", IDVARIANT_HK_BR);
    ok_v(T, "1234 5678", "12345678", IDVARIANT_HK_BR);
    /* Macao commercial registration numbers: up to 7 digits, leading zeros dropped. */
    ok_v(T, "12345", "12345", IDVARIANT_MACAO_CR);
    ok_v(T, "0012345", "12345", IDVARIANT_MACAO_CR);
    ok_v(T, "1", "1", IDVARIANT_MACAO_CR);
    ok_v(T, "1234567", "1234567", IDVARIANT_MACAO_CR);

    bad(T, "0", "id.format");
    bad(T, "0000", "id.format");
    bad(T, "123456789", "id.format");
    bad(T, "12345678A", "id.format");
    bad(T, "1234567A", "id.format");
    bad(T, "12345678-000", "id.format");
    bad(T, "91350100M000100Y4", "id.format");   /* 17 */
    bad(T, "91350100M000100Y431", "id.format"); /* 19 */
    bad(T, "", "id.format");
}

/* The norm buffer: optional, sized by the caller, cleared on failure. */
static void test_buffer(void)
{
    char buf[16];
    CHECK(idnum_validate(IDTYPE_HK_ID, "A1234563", NULL, 0) == NULL);
    CHECK(idnum_validate(IDTYPE_HK_ID, "A1234563", buf, 11) == NULL); /* "A123456(3)" + NUL */
    CHECK_STR(buf, "A123456(3)");
    CHECK_STR(idnum_validate(IDTYPE_HK_ID, "A1234563", buf, 10), "id.buffer");
    CHECK_STR(buf, "");
    CHECK_STR(idnum_validate(IDTYPE_HK_ID, "A1234563", buf, 0), "id.buffer");
    /* User errors take precedence over the buffer. */
    CHECK_STR(idnum_validate(IDTYPE_HK_ID, "A1234564", buf, 1), "id.check_digit");
    /* A variant pointer is optional. */
    CHECK(idnum_validate_ex(IDTYPE_BUSINESS_REGISTRATION, "12345678", buf, sizeof buf, NULL) ==
          NULL);
    CHECK_STR(buf, "12345678");
}

int main(void)
{
    test_types();
    test_mainland_id();
    test_hk_id();
    test_macao_bir();
    test_permit();
    test_passport();
    test_business();
    test_buffer();
    return check_summary();
}
