/* test_matching: mediator assignment proposals: every hard filter and its reason, conflicts of
 * interest by every route, the score's components, cross-border pairs (and that the pairs found
 * are exactly the best ones), and that input order does not change the proposal. */
#include "check.h"
#include "domain/matching.h"

#include <stdlib.h>

/* ---- fixtures ------------------------------------------------------------------------------- */

static int32_t D(const char *iso)
{
    int32_t n;
    if (!civil_parse_daynum(iso, &n)) {
        fprintf(stderr, "bad test date %s\n", iso);
        return -1;
    }
    return n;
}

/* A blind key stand-in: equal text, equal key (the store normalizes across scripts before
 * computing real ones, so "the same name in two scripts" reaches us as equal keys). */
static void K(uint8_t out[MATCH_KEY_LEN], const char *text)
{
    uint64_t h1 = 1469598103934665603ull, h2 = 7809847782465536322ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h1 = (h1 ^ *p) * 1099511628211ull;
        h2 = (h2 ^ *p) * 6364136223846793005ull + 1442695040888963407ull;
    }
    memcpy(out, &h1, 8);
    memcpy(out + 8, &h2, 8);
}

#define CENTER 7
#define NOW_DAY "2026-03-02" /* a Monday; the horizon is 3-6, 9-13 and 16 March */

static int64_t now_at(int32_t day)
{
    return (int64_t)day * 86400 + 2 * 3600; /* 10:00 in UTC+8 */
}

struct fixture {
    struct match_party parties[4];
    struct match_case_key keys[16];
    struct match_case c;
};

static void add_key(struct fixture *f, int *n, const char *text, enum match_key_kind kind,
                    struct match_subject who)
{
    struct match_case_key *k = &f->keys[(*n)++];
    memset(k->key, 0, MATCH_KEY_LEN);
    if (text)
        K(k->key, text);
    k->kind = kind;
    k->who = who;
}

/* A family divorce case at CENTER between a Cantonese-speaking applicant in Zhuhai and a
 * Cantonese-speaking respondent in Zhuhai, with a lawyer and a firm for the applicant. */
static void case_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->parties[0] = (struct match_party){SIDE_APPLICANT, 0, "zhuhai", SPOKEN_CANTONESE};
    f->parties[1] = (struct match_party){SIDE_RESPONDENT, 0, "zhuhai", SPOKEN_CANTONESE};
    struct match_subject a0 = {MATCH_SUBJECT_PARTY, SIDE_APPLICANT, 0};
    struct match_subject r0 = {MATCH_SUBJECT_PARTY, SIDE_RESPONDENT, 0};
    struct match_subject law = {MATCH_SUBJECT_LAWYER, SIDE_APPLICANT, 0};
    struct match_subject firm = {MATCH_SUBJECT_FIRM, SIDE_APPLICANT, 0};
    int n = 0;
    add_key(f, &n, "name:陈大文", MATCH_KEY_NAME, a0);
    add_key(f, &n, "name:chan tai man", MATCH_KEY_NAME, a0);
    add_key(f, &n, "id:M1234567(8)", MATCH_KEY_ID, a0);
    add_key(f, &n, "name:李美玲", MATCH_KEY_NAME, r0);
    add_key(f, &n, "id:440402198001011234", MATCH_KEY_ID, r0);
    add_key(f, &n, "name:黄律师", MATCH_KEY_NAME, law);
    add_key(f, &n, "firm:12", MATCH_KEY_ID, firm);
    add_key(f, &n, NULL, MATCH_KEY_ID, r0); /* an absent identity key: all zero, never matches */
    f->c = (struct match_case){
        .case_id = 500,
        .center_id = CENTER,
        .type = CASE_TYPE_FAMILY,
        .subtype = match_subtype_bit("divorce"),
        .jurisdictions = 0,
        .parties = f->parties,
        .nparties = 2,
        .keys = f->keys,
        .nkeys = n,
        .today = D(NOW_DAY),
        .now = now_at(D(NOW_DAY)),
        .calendar = WORKCAL_MAINLAND,
    };
}

/* A mediator who passes every filter of case_init's case: CENTER, family, Cantonese and
 * Putonghua, Mainland-qualified, 2 of 10 cases, 8 hours every weekday, never assigned. */
static void med_init(struct match_mediator *m, int64_t id)
{
    memset(m, 0, sizeof *m);
    m->user_id = id;
    snprintf(m->username, sizeof m->username, "med%lld", (long long)id);
    m->centers[0] = 3;
    m->centers[1] = CENTER;
    m->ncenters = 2;
    m->types = match_type_bit(CASE_TYPE_FAMILY);
    m->spoken = SPOKEN_CANTONESE | SPOKEN_PUTONGHUA;
    m->quals[0] = (struct match_qualification){MATCH_JUR_MAINLAND, "Zhuhai Justice Bureau", "Q1",
                                               D("2020-01-01"), MATCH_NO_END};
    m->nquals = 1;
    m->capacity = 10;
    m->open_cases = 2;
    for (int d = 0; d < 5; d++)
        m->weekly_minutes[d] = 480;
}

#define CAP 64
static struct match_entry cand[CAP], excl[CAP];
static struct match_pair pairs[CAP];

static struct match_proposal run(const struct match_case *c, const struct match_mediator *m, int n)
{
    struct match_proposal p = {.candidates = cand,
                               .candidates_cap = CAP,
                               .excluded = excl,
                               .excluded_cap = CAP,
                               .pairs = pairs,
                               .pairs_cap = 10};
    CHECK_INT(match_propose(c, m, n, &p), 0);
    return p;
}

static const struct match_reason *find(const struct match_entry *e, enum match_code code)
{
    for (int i = 0; i < e->nreasons; i++)
        if (e->reasons[i].code == code)
            return &e->reasons[i];
    return NULL;
}

static int count_code(const struct match_entry *e, enum match_code code)
{
    int n = 0;
    for (int i = 0; i < e->nreasons; i++)
        n += e->reasons[i].code == code;
    return n;
}

/* Runs the case with m alone and expects it excluded; returns its entry (in excl[0]). */
static const struct match_entry *excluded_alone(const struct match_case *c,
                                                const struct match_mediator *m)
{
    struct match_proposal p = run(c, m, 1);
    CHECK_INT(p.ncandidates, 0);
    CHECK_INT(p.nexcluded, 1);
    CHECK_INT(excl[0].user_id, m->user_id);
    CHECK_INT(excl[0].score, 0);
    return &excl[0];
}

/* ---- vocabulary ----------------------------------------------------------------------------- */

static void test_names(void)
{
    CHECK_STR(match_code_name(MATCH_CONFLICT_OF_INTEREST), "conflict_of_interest");
    CHECK_STR(match_code_name(MATCH_FREE_HOURS), "free_hours_next_10_working_days");
    CHECK_STR(match_code_name(MATCH_CROSS_BORDER_PAIR_BONUS), "cross_border_pair_bonus");
    CHECK_STR(match_code_name(MATCH_NONE), "");
    CHECK_STR(match_code_name(MATCH_CODE_COUNT), "");
    for (int i = 1; i < MATCH_CODE_COUNT; i++) {
        CHECK(match_code_name((enum match_code)i)[0] != 0);
        for (int j = 1; j < i; j++)
            CHECK(strcmp(match_code_name((enum match_code)i),
                         match_code_name((enum match_code)j)) != 0);
    }
    enum match_jurisdiction j;
    CHECK(match_jurisdiction_parse("hong_kong", &j) && j == MATCH_JUR_HONG_KONG);
    CHECK(!match_jurisdiction_parse("taiwan", &j));
    CHECK_STR(match_jurisdiction_name(MATCH_JUR_MACAO), "macao");
    enum match_relation r;
    CHECK(match_relation_parse("business", &r) && r == MATCH_REL_BUSINESS);
    CHECK_STR(match_relation_name(MATCH_REL_FAMILY), "family");
    enum match_past_role pr;
    CHECK(match_past_role_parse("acted_against", &pr) && pr == MATCH_PAST_ACTED_AGAINST);
    CHECK(!match_past_role_parse(NULL, &pr));
    CHECK_STR(match_subject_kind_name(MATCH_SUBJECT_LAWYER), "lawyer");

    /* Subtype bits: one per filing subtype, distinct, each belonging to a type. */
    const char *subs[] = {"divorce",     "custody",     "maintenance",   "property",
                          "inheritance", "contract",    "sale_of_goods", "debt",
                          "lease",       "shareholder", "other"};
    unsigned all = 0;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        unsigned b = match_subtype_bit(subs[i]);
        CHECK(b != 0 && (b & (b - 1)) == 0 && !(all & b));
        CHECK(case_subtype_type(subs[i]) != CASE_TYPE_NONE);
        all |= b;
    }
    CHECK_INT(match_subtype_bit("labour"), 0);
    CHECK_INT(match_subtype_bit(NULL), 0);
    CHECK_INT(match_type_bit(CASE_TYPE_NONE), 0);
    CHECK(match_type_bit(CASE_TYPE_FAMILY) != match_type_bit(CASE_TYPE_COMMERCIAL));
}

/* ---- the horizon ---------------------------------------------------------------------------- */

static void test_horizon(void)
{
    struct fixture f;
    case_init(&f);
    int32_t days[MATCH_HORIZON_DAYS];
    CHECK_INT(match_horizon(&f.c, days), 10);
    CHECK_INT(days[0], D("2026-03-03"));
    CHECK_INT(days[4], D("2026-03-09"));
    CHECK_INT(days[9], D("2026-03-16"));

    /* Over Labour Day: every day returned is a working day, after today, in order. */
    f.c.today = D("2026-04-30");
    int n = match_horizon(&f.c, days);
    CHECK_INT(n, 10);
    for (int i = 0; i < n; i++) {
        CHECK(workcal_is_working_day(WORKCAL_MAINLAND, NULL, 0, days[i]));
        CHECK(days[i] > (i ? days[i - 1] : f.c.today));
    }
    CHECK(!workcal_is_working_day(WORKCAL_MAINLAND, NULL, 0, D("2026-05-01")));
    CHECK(days[0] > D("2026-05-01"));

    /* An announced working Saturday counts. */
    struct workcal_override ov = {D("2026-03-07"), true};
    case_init(&f);
    f.c.overrides = &ov;
    f.c.noverrides = 1;
    CHECK_INT(match_horizon(&f.c, days), 10);
    CHECK_INT(days[4], D("2026-03-07"));
    CHECK_INT(days[9], D("2026-03-13"));

    /* Beyond the calendar's years it stops. */
    f.c.today = D("2100-12-28");
    f.c.noverrides = 0;
    CHECK(match_horizon(&f.c, days) < 10);
}

/* ---- hard filters --------------------------------------------------------------------------- */

static void test_eligible(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 11);
    struct match_proposal p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1);
    CHECK_INT(p.candidates_total, 1);
    CHECK_INT(p.nexcluded, 0);
    CHECK_INT(p.npairs, 0);
    CHECK(!p.cross_border);
    CHECK_INT(cand[0].mediator, 0);
    CHECK_INT(cand[0].user_id, 11);
}

static void test_wrong_center(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 12);
    m.centers[1] = 8;
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    CHECK_INT(e->reasons[0].code, MATCH_WRONG_CENTER);
    CHECK_INT(e->reasons[0].arg[0], CENTER);
}

static void test_case_type(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 13);
    m.types = match_type_bit(CASE_TYPE_COMMERCIAL);
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    CHECK_INT(e->reasons[0].code, MATCH_CASE_TYPE);
    CHECK_INT(e->reasons[0].arg[0], CASE_TYPE_FAMILY);
    CHECK_INT(e->reasons[0].arg[1], 0);

    /* Takes family cases, but lists only custody and maintenance among them. */
    med_init(&m, 13);
    m.subtypes =
        match_subtype_bit("custody") | match_subtype_bit("maintenance") | match_subtype_bit("debt");
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->reasons[0].code, MATCH_CASE_TYPE);
    CHECK_INT(e->reasons[0].arg[1], match_subtype_bit("divorce"));

    /* Listing only commercial subtypes leaves every family subtype open. */
    m.subtypes = match_subtype_bit("debt");
    struct match_proposal p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1);
    CHECK(find(&cand[0], MATCH_SUBTYPE_SPECIALIST) == NULL);

    /* Listing divorce itself: a specialist. */
    m.subtypes = match_subtype_bit("divorce");
    p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1);
    const struct match_reason *r = find(&cand[0], MATCH_SUBTYPE_SPECIALIST);
    CHECK(r && r->points == MATCH_W_SUBTYPE && r->arg[0] == match_subtype_bit("divorce"));

    /* A case without a (known) subtype: the type alone decides. */
    f.c.subtype = 0;
    m.subtypes = match_subtype_bit("custody");
    p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1);
}

static void test_qualifications(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;

    /* None at all. */
    med_init(&m, 14);
    m.nquals = 0;
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    CHECK_INT(e->reasons[0].code, MATCH_NO_VALID_QUALIFICATION);
    CHECK_INT(e->reasons[0].arg[0], 7); /* every jurisdiction would count */
    CHECK_INT(e->reasons[0].arg[1], 0);

    /* Expired: the one that expired last is named. */
    med_init(&m, 14);
    m.quals[0].valid_to = D("2025-12-31");
    m.quals[1] = (struct match_qualification){MATCH_JUR_MACAO, "DSAJ", "M-9", D("2019-01-01"),
                                              D("2026-03-01")};
    m.nquals = 2;
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    CHECK_INT(e->reasons[0].code, MATCH_QUALIFICATION_EXPIRED);
    CHECK_INT(e->reasons[0].arg[0], MATCH_JUR_MACAO);
    CHECK_INT(e->reasons[0].arg[1], D("2026-03-01"));
    CHECK_INT(e->reasons[0].arg[2], 1);

    /* Valid to today inclusive, and from today inclusive. */
    m.quals[1].valid_to = f.c.today;
    CHECK_INT(run(&f.c, &m, 1).ncandidates, 1);
    m.quals[1].valid_to = MATCH_NO_END;
    m.quals[1].valid_from = f.c.today;
    CHECK_INT(run(&f.c, &m, 1).ncandidates, 1);

    /* Not valid yet. */
    m.quals[1].valid_from = f.c.today + 1;
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->reasons[0].code, MATCH_QUALIFICATION_EXPIRED); /* the Mainland one expired */
    m.nquals = 1;
    m.quals[0] = m.quals[1];
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->reasons[0].code, MATCH_NO_VALID_QUALIFICATION);
    CHECK_INT(e->reasons[0].arg[1], 1);

    /* Valid, but in a jurisdiction the center does not accept. */
    med_init(&m, 14);
    f.c.jurisdictions = MATCH_JUR_BIT(MATCH_JUR_MACAO);
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->reasons[0].code, MATCH_NO_VALID_QUALIFICATION);
    CHECK_INT(e->reasons[0].arg[0], MATCH_JUR_BIT(MATCH_JUR_MACAO));
    /* An expired Mainland one does not count there either; an expired Macao one is named. */
    m.quals[1] = (struct match_qualification){MATCH_JUR_MACAO, "DSAJ", "M-1", D("2010-01-01"),
                                              D("2024-06-30")};
    m.nquals = 2;
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->reasons[0].code, MATCH_QUALIFICATION_EXPIRED);
    CHECK_INT(e->reasons[0].arg[2], 1);
    f.c.jurisdictions = MATCH_JUR_BIT(MATCH_JUR_MACAO) | MATCH_JUR_BIT(MATCH_JUR_MAINLAND);
    CHECK_INT(run(&f.c, &m, 1).ncandidates, 1);
}

static void test_capacity(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 15);
    m.open_cases = 10;
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    CHECK_INT(e->reasons[0].code, MATCH_AT_CAPACITY);
    CHECK_INT(e->reasons[0].arg[0], 10);
    CHECK_INT(e->reasons[0].arg[1], 10);
    m.open_cases = 12;
    CHECK_INT(excluded_alone(&f.c, &m)->reasons[0].code, MATCH_AT_CAPACITY);
    m.capacity = 0; /* takes no cases */
    m.open_cases = 0;
    CHECK_INT(excluded_alone(&f.c, &m)->reasons[0].code, MATCH_AT_CAPACITY);
    m.capacity = 1; /* one left */
    CHECK_INT(run(&f.c, &m, 1).ncandidates, 1);
}

static void test_languages(void)
{
    struct fixture f;
    case_init(&f);
    f.parties[1].spoken = SPOKEN_PORTUGUESE | SPOKEN_ENGLISH;
    f.parties[2] = (struct match_party){SIDE_RESPONDENT, 1, "macao", 0}; /* no requirement */
    f.c.nparties = 3;
    struct match_mediator m;
    med_init(&m, 16);
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    CHECK_INT(e->reasons[0].code, MATCH_LANGUAGE_MISSING);
    CHECK_INT(e->reasons[0].who.kind, MATCH_SUBJECT_PARTY);
    CHECK_INT(e->reasons[0].who.side, SIDE_RESPONDENT);
    CHECK_INT(e->reasons[0].who.position, 0);
    CHECK_INT(e->reasons[0].arg[0], SPOKEN_PORTUGUESE | SPOKEN_ENGLISH);

    /* One of a party's languages is enough. */
    m.spoken = SPOKEN_CANTONESE | SPOKEN_ENGLISH;
    struct match_proposal p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1);
    const struct match_reason *r = find(&cand[0], MATCH_LANGUAGES_COVERED);
    CHECK(r && r->arg[0] == (SPOKEN_CANTONESE | SPOKEN_ENGLISH));
    CHECK(r && r->points == 2 * MATCH_W_LANGUAGE);

    /* Missing both parties' languages: one reason per party. */
    m.spoken = SPOKEN_PUTONGHUA;
    e = excluded_alone(&f.c, &m);
    CHECK_INT(count_code(e, MATCH_LANGUAGE_MISSING), 2);
    CHECK_INT(e->reasons[0].who.side, SIDE_APPLICANT);
    CHECK_INT(e->reasons[0].arg[0], SPOKEN_CANTONESE);
    CHECK_INT(e->reasons[1].who.side, SIDE_RESPONDENT);
}

/* ---- conflicts ------------------------------------------------------------------------------ */

static const struct match_reason *conflict(const struct match_entry *e, int i)
{
    int n = 0;
    for (int k = 0; k < e->nreasons; k++)
        if (e->reasons[k].code == MATCH_CONFLICT_OF_INTEREST && n++ == i)
            return &e->reasons[k];
    return NULL;
}

static void test_conflict_declared(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 17);

    /* The mediator declared a relationship with 陳大文 (Traditional); the applicant filed as
     * 陈大文 (Simplified). The store's cross-script normalization gives both one key. */
    struct match_declared d[2];
    memset(d, 0, sizeof d);
    K(d[0].key, "name:陈大文");
    d[0].relation = MATCH_REL_FAMILY;
    d[0].since = D("2001-05-01");
    K(d[1].key, "name:someone unrelated");
    m.declared = d;
    m.ndeclared = 2;
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    const struct match_reason *r = conflict(e, 0);
    CHECK(r != NULL);
    if (r) {
        CHECK_INT(r->sub, MATCH_DECLARED_RELATIONSHIP);
        CHECK_INT(r->via, MATCH_SAME_NAME);
        CHECK_INT(r->who.kind, MATCH_SUBJECT_PARTY);
        CHECK_INT(r->who.side, SIDE_APPLICANT);
        CHECK_INT(r->who.position, 0);
        CHECK_INT(r->arg[0], MATCH_REL_FAMILY);
        CHECK_INT(r->arg[1], D("2001-05-01"));
    }

    /* The same person by the Latin spelling of the name: also one finding (same subject and
     * basis), with the smallest arguments. */
    K(d[1].key, "name:chan tai man");
    d[1].relation = MATCH_REL_BUSINESS; /* > family */
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    CHECK_INT(e->reasons[0].arg[0], MATCH_REL_FAMILY);

    /* By identity number (a declared relationship keyed by the respondent's ID card). */
    K(d[1].key, "id:440402198001011234");
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 2);
    r = conflict(e, 1);
    CHECK(r && r->sub == MATCH_DECLARED_RELATIONSHIP && r->via == MATCH_SAME_IDENTITY &&
          r->who.side == SIDE_RESPONDENT && r->arg[0] == MATCH_REL_BUSINESS);

    /* With the applicant's firm. */
    m.ndeclared = 1;
    K(d[0].key, "firm:12");
    d[0].relation = MATCH_REL_PROFESSIONAL;
    e = excluded_alone(&f.c, &m);
    r = conflict(e, 0);
    CHECK(r && r->who.kind == MATCH_SUBJECT_FIRM && r->via == MATCH_SAME_IDENTITY &&
          r->arg[0] == MATCH_REL_PROFESSIONAL);

    /* An all-zero key matches nothing, not even the case's absent identity key. */
    memset(d[0].key, 0, MATCH_KEY_LEN);
    CHECK_INT(run(&f.c, &m, 1).ncandidates, 1);
}

static void test_conflict_past(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 18);
    struct match_past past[4];
    memset(past, 0, sizeof past);
    /* Acted against the respondent in case 90 and case 40, for her in case 60: one finding, the
     * smallest case number. */
    const struct {
        const char *name;
        int64_t case_id;
        enum match_past_role role;
    } rows[4] = {{"name:李美玲", 90, MATCH_PAST_ACTED_AGAINST},
                 {"name:李美玲", 40, MATCH_PAST_ACTED_AGAINST},
                 {"name:李美玲", 60, MATCH_PAST_ACTED_FOR},
                 {"name:黄律师", 77, MATCH_PAST_ACTED_FOR}};
    for (int i = 0; i < 4; i++) {
        K(past[i].key, rows[i].name);
        past[i].case_id = rows[i].case_id;
        past[i].role = rows[i].role;
    }
    m.past = past;
    m.npast = 4;
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 2);
    const struct match_reason *r = conflict(e, 0);
    /* parties before lawyers */
    CHECK(r && r->sub == MATCH_ACTED_BEFORE && r->via == MATCH_SAME_NAME &&
          r->who.kind == MATCH_SUBJECT_PARTY && r->who.side == SIDE_RESPONDENT && r->arg[0] == 40 &&
          r->arg[1] == MATCH_PAST_ACTED_AGAINST);
    r = conflict(e, 1);
    CHECK(r && r->who.kind == MATCH_SUBJECT_LAWYER && r->arg[0] == 77 &&
          r->arg[1] == MATCH_PAST_ACTED_FOR);

    /* Having mediated a case with them is not a conflict: the candidate carries it as
     * information, 0 points. Mediating this very case is not "before". */
    past[0].role = past[1].role = past[2].role = past[3].role = MATCH_PAST_MEDIATED;
    past[3].case_id = f.c.case_id;
    struct match_proposal p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1);
    CHECK_INT(count_code(&cand[0], MATCH_MEDIATED_BEFORE), 1);
    r = find(&cand[0], MATCH_MEDIATED_BEFORE);
    CHECK(r && r->points == 0 && r->arg[0] == 40 && r->who.side == SIDE_RESPONDENT &&
          r->via == MATCH_SAME_NAME);
    int sum = 0;
    for (int i = 0; i < cand[0].nreasons; i++)
        sum += cand[0].reasons[i].points;
    CHECK_INT(sum, cand[0].score);
}

static void test_conflict_self(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 19);
    /* The mediator's own identity card is the applicant's: the mediator is the party. */
    uint8_t self[2][MATCH_KEY_LEN];
    K(self[0], "name:王小明");
    K(self[1], "id:M1234567(8)");
    m.self_keys = (const uint8_t(*)[MATCH_KEY_LEN])self;
    m.nself = 2;
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 1);
    const struct match_reason *r = conflict(e, 0);
    CHECK(r && r->sub == MATCH_SELF && r->via == MATCH_SAME_IDENTITY &&
          r->who.side == SIDE_APPLICANT && r->arg[0] == 0);

    /* The mediator shares a name with the lawyer: a conflict by name. */
    K(self[1], "name:黄律师");
    e = excluded_alone(&f.c, &m);
    r = conflict(e, 0);
    CHECK(r && r->sub == MATCH_SELF && r->via == MATCH_SAME_NAME &&
          r->who.kind == MATCH_SUBJECT_LAWYER);
}

static void test_conflict_many(void)
{
    /* Two parties with the same name (a shared key) are both named; every failure is listed, in
     * the fixed order; findings beyond MATCH_MAX_REASONS are counted in more. */
    struct fixture f;
    case_init(&f);
    struct match_case_key keys[MATCH_MAX_CASE_KEYS];
    struct match_party parties[20];
    for (int i = 0; i < 20; i++) {
        parties[i] = (struct match_party){i % 2 ? SIDE_RESPONDENT : SIDE_APPLICANT, i / 2, "zhuhai",
                                          SPOKEN_CANTONESE};
        char name[32];
        snprintf(name, sizeof name, "name:p%d", i);
        K(keys[i].key, name);
        keys[i].kind = MATCH_KEY_NAME;
        keys[i].who = (struct match_subject){MATCH_SUBJECT_PARTY, parties[i].side, i / 2};
    }
    K(keys[1].key, "name:p0"); /* respondent 0 has applicant 0's name */
    f.c.parties = parties;
    f.c.nparties = 20;
    f.c.keys = keys;
    f.c.nkeys = 20;

    struct match_mediator m;
    med_init(&m, 20);
    m.centers[1] = 99;
    m.open_cases = 10;
    struct match_declared d[20];
    memset(d, 0, sizeof d);
    for (int i = 0; i < 20; i++) {
        char name[32];
        snprintf(name, sizeof name, "name:p%d", i);
        K(d[i].key, name);
    }
    m.declared = d;
    m.ndeclared = 20;
    const struct match_entry *e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, MATCH_MAX_REASONS);
    CHECK_INT(e->reasons[0].code, MATCH_WRONG_CENTER);
    CHECK_INT(e->reasons[1].code, MATCH_AT_CAPACITY);
    /* 20 subjects found, 14 room left */
    CHECK_INT(count_code(e, MATCH_CONFLICT_OF_INTEREST), MATCH_MAX_REASONS - 2);
    CHECK_INT(e->more, 20 - (MATCH_MAX_REASONS - 2));
    const struct match_reason *r0 = conflict(e, 0), *r1 = conflict(e, 1);
    CHECK(r0 && r0->who.side == SIDE_APPLICANT && r0->who.position == 0);
    CHECK(r1 && r1->who.side == SIDE_APPLICANT && r1->who.position == 1);
    bool resp0 = false;
    for (int i = 0; i < e->nreasons; i++)
        resp0 =
            resp0 || (e->reasons[i].who.side == SIDE_RESPONDENT && e->reasons[i].who.position == 0);
    CHECK(resp0);

    /* Everything at once on the ordinary case. */
    case_init(&f);
    f.parties[1].spoken = SPOKEN_ENGLISH;
    med_init(&m, 21);
    m.centers[1] = 99;
    m.types = 0;
    m.nquals = 0;
    m.open_cases = 10;
    m.ndeclared = 1;
    m.declared = d;
    K(d[0].key, "name:李美玲");
    e = excluded_alone(&f.c, &m);
    CHECK_INT(e->nreasons, 6);
    CHECK_INT(e->reasons[0].code, MATCH_WRONG_CENTER);
    CHECK_INT(e->reasons[1].code, MATCH_CASE_TYPE);
    CHECK_INT(e->reasons[2].code, MATCH_NO_VALID_QUALIFICATION);
    CHECK_INT(e->reasons[3].code, MATCH_AT_CAPACITY);
    CHECK_INT(e->reasons[4].code, MATCH_LANGUAGE_MISSING);
    CHECK_INT(e->reasons[5].code, MATCH_CONFLICT_OF_INTEREST);
    CHECK_INT(e->more, 0);
}

/* ---- score ---------------------------------------------------------------------------------- */

static void test_score(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 30);
    m.open_cases = 2; /* 300 * 8 / 10 = 240 */
    for (int d = 0; d < 5; d++)
        m.weekly_minutes[d] = 120; /* 10 days x 2 h = 1200 min */
    m.weekly_minutes[5] = 600;     /* Saturdays are not working days */
    struct match_day exc[3] = {
        {D("2026-03-03"), 0},   /* away on Tuesday: -120 */
        {D("2026-03-20"), 0},   /* outside the horizon */
        {D("2026-03-05"), 300}, /* more on Thursday: +180 */
    };
    struct match_day booked[3] = {
        {D("2026-03-04"), 60},  /* -60 */
        {D("2026-03-04"), 100}, /* -60 more: no day goes below zero */
        {D("2026-03-07"), 120}, /* Saturday: outside */
    };
    m.exceptions = exc;
    m.nexceptions = 3;
    m.booked = booked;
    m.nbooked = 3;
    m.last_assigned_at = f.c.now - 5 * 86400 - 100; /* 5 whole days */
    m.subtypes = match_subtype_bit("divorce");
    struct match_proposal p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1);
    const struct match_entry *e = &cand[0];
    CHECK_INT(e->nreasons, 5);
    CHECK_INT(e->reasons[0].code, MATCH_LOAD);
    CHECK_INT(e->reasons[0].points, 240);
    CHECK_INT(e->reasons[0].arg[0], 2);
    CHECK_INT(e->reasons[0].arg[1], 10);
    CHECK_INT(e->reasons[1].code, MATCH_FREE_HOURS);
    CHECK_INT(e->reasons[1].arg[0], 1200 - 120 + 180 - 120);
    CHECK_INT(e->reasons[1].arg[1], 10);
    CHECK_INT(e->reasons[1].arg[2], D("2026-03-16"));
    CHECK_INT(e->reasons[1].points, 300 * 1140 / 2400);
    CHECK_INT(e->reasons[2].code, MATCH_ROTATION);
    CHECK_INT(e->reasons[2].arg[0], 5);
    CHECK_INT(e->reasons[2].points, 50);
    CHECK_INT(e->reasons[3].code, MATCH_LANGUAGES_COVERED);
    CHECK_INT(e->reasons[3].arg[0], SPOKEN_CANTONESE);
    CHECK_INT(e->reasons[3].points, 25);
    CHECK_INT(e->reasons[4].code, MATCH_SUBTYPE_SPECIALIST);
    CHECK_INT(e->score, 240 + 142 + 50 + 25 + 50);

    /* The caps: lots of free time, never assigned, nothing open. */
    med_init(&m, 31);
    m.open_cases = 0;
    p = run(&f.c, &m, 1);
    CHECK_INT(cand[0].reasons[0].points, MATCH_W_LOAD);
    CHECK_INT(cand[0].reasons[1].arg[0], 4800);
    CHECK_INT(cand[0].reasons[1].points, MATCH_W_FREE);
    CHECK_INT(cand[0].reasons[2].arg[0], -1);
    CHECK_INT(cand[0].reasons[2].points, MATCH_W_ROTATION_DAY * MATCH_ROTATION_FULL_DAYS);
    CHECK_INT(cand[0].score, 300 + 300 + 300 + 25);
    m.last_assigned_at = f.c.now - 400 * 86400;
    p = run(&f.c, &m, 1);
    CHECK_INT(cand[0].reasons[2].arg[0], 400);
    CHECK_INT(cand[0].reasons[2].points, 300);
    m.last_assigned_at = f.c.now + 3600; /* a clock ahead: 0 days */
    p = run(&f.c, &m, 1);
    CHECK_INT(cand[0].reasons[2].arg[0], 0);
    CHECK_INT(cand[0].reasons[2].points, 0);
    /* Away all horizon */
    memset(m.weekly_minutes, 0, sizeof m.weekly_minutes);
    p = run(&f.c, &m, 1);
    CHECK_INT(p.ncandidates, 1); /* free time is scored, not a filter */
    CHECK_INT(cand[0].reasons[1].arg[0], 0);
    CHECK_INT(cand[0].reasons[1].points, 0);
}

static void test_ranking(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m[5];
    for (int i = 0; i < 5; i++)
        med_init(&m[i], 100 - i); /* ids 100, 99, 98, 97, 96 */
    m[0].open_cases = 0;          /* best load */
    m[2].open_cases = 9;          /* worst */
    m[4].centers[1] = 1;          /* excluded */
    m[3].open_cases = 10;         /* excluded */
    struct match_proposal p = run(&f.c, m, 5);
    CHECK_INT(p.candidates_total, 3);
    CHECK_INT(p.excluded_total, 2);
    CHECK_INT(cand[0].user_id, 100);
    CHECK_INT(cand[1].user_id, 99);
    CHECK_INT(cand[2].user_id, 98);
    CHECK_INT(cand[1].mediator, 1);
    CHECK(cand[0].score > cand[1].score && cand[1].score > cand[2].score);
    /* excluded by user id */
    CHECK_INT(excl[0].user_id, 96);
    CHECK_INT(excl[1].user_id, 97);
    CHECK_INT(excl[1].mediator, 3);

    /* Equal scores: by user id. */
    m[0].open_cases = m[1].open_cases = m[2].open_cases = 2;
    p = run(&f.c, m, 5);
    CHECK_INT(cand[0].user_id, 98);
    CHECK_INT(cand[1].user_id, 99);
    CHECK_INT(cand[2].user_id, 100);

    /* Short arrays: the best first, totals counted. */
    struct match_entry one;
    struct match_proposal q = {.candidates = &one, .candidates_cap = 1};
    CHECK_INT(match_propose(&f.c, m, 5, &q), 0);
    CHECK_INT(q.ncandidates, 1);
    CHECK_INT(q.candidates_total, 3);
    CHECK_INT(q.nexcluded, 0);
    CHECK_INT(q.excluded_total, 2);
    CHECK_INT(one.user_id, 98);
}

/* ---- cross-border pairs --------------------------------------------------------------------- */

static void cross_case(struct fixture *f)
{
    case_init(f);
    f->parties[0] = (struct match_party){SIDE_APPLICANT, 0, "zhuhai", SPOKEN_PUTONGHUA};
    f->parties[1] = (struct match_party){SIDE_RESPONDENT, 0, "macao", SPOKEN_PORTUGUESE};
}

static void qual(struct match_mediator *m, enum match_jurisdiction j)
{
    m->quals[m->nquals++] =
        (struct match_qualification){j, "body", "n", D("2018-01-01"), MATCH_NO_END};
}

static void test_pairs(void)
{
    struct fixture f;
    cross_case(&f);
    CHECK(match_cross_border(&f.c));
    struct match_mediator m[6];
    med_init(&m[0], 1); /* Mainland, Putonghua */
    m[0].spoken = SPOKEN_PUTONGHUA;
    med_init(&m[1], 2); /* Macao, Portuguese */
    m[1].spoken = SPOKEN_PORTUGUESE;
    m[1].nquals = 0;
    qual(&m[1], MATCH_JUR_MACAO);
    med_init(&m[2], 3); /* Mainland, Putonghua and Cantonese, less free */
    m[2].open_cases = 6;
    med_init(&m[3], 4); /* Macao, Cantonese and English: covers no Portuguese party */
    m[3].spoken = SPOKEN_CANTONESE | SPOKEN_ENGLISH;
    m[3].nquals = 0;
    qual(&m[3], MATCH_JUR_MACAO);
    med_init(&m[4], 5); /* Hong Kong, Portuguese: no party lives in Hong Kong */
    m[4].spoken = SPOKEN_PORTUGUESE;
    m[4].nquals = 0;
    qual(&m[4], MATCH_JUR_HONG_KONG);
    med_init(&m[5], 6); /* Macao, Portuguese, but at capacity */
    m[5].spoken = SPOKEN_PORTUGUESE;
    m[5].nquals = 0;
    qual(&m[5], MATCH_JUR_MACAO);
    m[5].open_cases = 10;

    struct match_proposal p = run(&f.c, m, 6);
    CHECK(p.cross_border);
    CHECK_INT(p.ncandidates, 0); /* nobody speaks Putonghua and Portuguese */
    CHECK_INT(p.nexcluded, 6);
    for (int i = 0; i < 5; i++)
        CHECK_INT(excl[i].reasons[0].code, MATCH_LANGUAGE_MISSING);
    CHECK_INT(excl[5].reasons[0].code, MATCH_AT_CAPACITY);
    CHECK_INT(p.npairs, 2);
    CHECK_INT(pairs[0].a_user_id, 1);
    CHECK_INT(pairs[0].b_user_id, 2);
    CHECK_INT(pairs[0].a, 0);
    CHECK_INT(pairs[0].b, 1);
    CHECK_INT(pairs[1].a_user_id, 3);
    CHECK_INT(pairs[1].b_user_id, 2);
    CHECK(pairs[0].score > pairs[1].score);

    const struct match_pair *pr = &pairs[0];
    CHECK_INT(pr->nreasons, 3);
    CHECK_INT(pr->reasons[0].code, MATCH_PAIR_MEMBERS);
    CHECK_INT(pr->reasons[1].code, MATCH_CROSS_BORDER_PAIR_BONUS);
    CHECK_INT(pr->reasons[1].points, MATCH_W_PAIR);
    CHECK_INT(pr->reasons[1].arg[0], MATCH_JUR_MAINLAND);
    CHECK_INT(pr->reasons[1].arg[1], MATCH_JUR_MACAO);
    CHECK_INT(pr->reasons[2].code, MATCH_LANGUAGES_COVERED);
    CHECK_INT(pr->reasons[2].arg[0], SPOKEN_PUTONGHUA);
    CHECK_INT(pr->reasons[2].arg[1], SPOKEN_PORTUGUESE);
    CHECK_INT(pr->reasons[2].arg[2], SPOKEN_PUTONGHUA | SPOKEN_PORTUGUESE);
    /* members: each scores load 240 + free 300 + rotation 300 + one language 25 = 865 */
    CHECK_INT(pr->reasons[0].arg[0], 865);
    CHECK_INT(pr->reasons[0].arg[1], 865);
    CHECK_INT(pr->reasons[0].points, 865);
    CHECK_INT(pr->score, 865 + MATCH_W_PAIR);
    CHECK_INT(pairs[1].score, (865 + 745) / 2 + MATCH_W_PAIR); /* 3: load 120 */

    /* With a Hong Kong party too, the Hong Kong-qualified mediator can take the other side. */
    f.parties[2] = (struct match_party){SIDE_RESPONDENT, 1, "hong_kong", 0};
    f.c.nparties = 3;
    p = run(&f.c, m, 6);
    CHECK_INT(p.npairs, 4);
    bool hk = false;
    for (int i = 0; i < p.npairs; i++)
        if (pairs[i].b_user_id == 5)
            hk = pairs[i].reasons[1].arg[1] == MATCH_JUR_HONG_KONG;
    CHECK(hk);

    /* A mediator who speaks both and is qualified on both sides: a candidate with the
     * cross-border bonus; pairs with a fully eligible member are still proposed. */
    f.c.nparties = 2;
    m[4].spoken = SPOKEN_PUTONGHUA | SPOKEN_PORTUGUESE;
    m[4].nquals = 0;
    qual(&m[4], MATCH_JUR_MACAO);
    qual(&m[4], MATCH_JUR_MAINLAND);
    p = run(&f.c, m, 6);
    CHECK_INT(p.ncandidates, 1);
    CHECK_INT(cand[0].user_id, 5);
    const struct match_reason *r = find(&cand[0], MATCH_CROSS_BORDER_QUALIFIED);
    CHECK(r && r->points == MATCH_W_DUAL &&
          r->arg[0] == (MATCH_JUR_BIT(MATCH_JUR_MAINLAND) | MATCH_JUR_BIT(MATCH_JUR_MACAO)));
    CHECK_INT(cand[0].score, 240 + 300 + 300 + 50 + 100);
    /* 5 with any of 1, 2, 3, 4 in either role, and 1+2, 3+2; the best is 5 with 1 */
    CHECK_INT(p.npairs, 6);
    CHECK_INT(pairs[0].score, (990 + 865) / 2 + MATCH_W_PAIR);
    CHECK(pairs[0].a_user_id == 1 || pairs[0].b_user_id == 1);
    CHECK(pairs[0].a_user_id == 5 || pairs[0].b_user_id == 5);
    CHECK_INT(pairs[0].a_user_id, 1); /* 1 can only take the Mainland role */
    CHECK_INT(pairs[1].a_user_id, 5); /* 5 with 2: 5 takes the Mainland role */
    CHECK_INT(pairs[1].b_user_id, 2);
    /* the pair outranks the single candidate of the same quality */
    CHECK(pairs[0].score > cand[0].score);

    /* Pairs with a member in conflict are not proposed. */
    struct match_declared d = {.relation = MATCH_REL_PERSONAL};
    K(d.key, "name:李美玲");
    m[1].declared = &d;
    m[1].ndeclared = 1;
    m[4].open_cases = 10;
    p = run(&f.c, m, 6);
    CHECK_INT(p.npairs, 0);

    /* Not cross-border: no pairs, whatever the languages. */
    f.parties[1].residence = "zhuhai";
    m[1].ndeclared = 0;
    p = run(&f.c, m, 6);
    CHECK(!p.cross_border);
    CHECK_INT(p.npairs, 0);
    f.parties[1].residence = "elsewhere";
    CHECK(!match_cross_border(&f.c));
}

/* ---- determinism and the pair search against brute force ----------------------------------- */

static uint64_t rng_state = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

#define NRAND 120
static struct match_mediator pool[NRAND], shuffled[NRAND];
static struct match_past pool_past[NRAND][6];
static struct match_declared pool_decl[NRAND][2];

static void random_pool(void)
{
    const unsigned langs[] = {SPOKEN_PUTONGHUA, SPOKEN_CANTONESE, SPOKEN_PORTUGUESE,
                              SPOKEN_ENGLISH};
    const char *names[] = {"name:陈大文", "name:李美玲", "name:黄律师", "name:x", "name:y"};
    for (int i = 0; i < NRAND; i++) {
        struct match_mediator *m = &pool[i];
        med_init(m, 1000 + i * 7 % NRAND); /* distinct ids, not in index order */
        m->spoken = langs[rnd(4)] | (rnd(2) ? langs[rnd(4)] : 0);
        m->nquals = 0;
        int q = (int)rnd(4);
        if (q & 1)
            qual(m, MATCH_JUR_MAINLAND);
        if (q & 2)
            qual(m, MATCH_JUR_MACAO);
        if (!q)
            qual(m, MATCH_JUR_HONG_KONG);
        if (rnd(8) == 0)
            m->quals[0].valid_to = D("2025-01-01");
        m->capacity = 1 + (int)rnd(10);
        m->open_cases = (int)rnd(10);
        m->last_assigned_at = rnd(3) ? now_at(D(NOW_DAY)) - (int64_t)rnd(40 * 86400) : 0;
        for (int d = 0; d < 5; d++)
            m->weekly_minutes[d] = 60 * (int)rnd(9);
        m->npast = (int)rnd(7);
        for (int k = 0; k < m->npast; k++) {
            K(pool_past[i][k].key, names[rnd(5)]);
            pool_past[i][k].case_id = 1 + rnd(50);
            pool_past[i][k].role =
                (enum match_past_role)(rnd(8) ? MATCH_PAST_MEDIATED : MATCH_PAST_ACTED_FOR);
        }
        m->past = pool_past[i];
        m->ndeclared = rnd(10) == 0;
        K(pool_decl[i][0].key, names[rnd(5)]);
        m->declared = pool_decl[i];
        if (rnd(10) == 0)
            m->centers[1] = 3;
    }
}

static bool reason_eq(const struct match_reason *a, const struct match_reason *b)
{
    return a->code == b->code && a->sub == b->sub && a->via == b->via &&
           a->who.kind == b->who.kind && a->who.side == b->who.side &&
           a->who.position == b->who.position && a->arg[0] == b->arg[0] && a->arg[1] == b->arg[1] &&
           a->arg[2] == b->arg[2] && a->points == b->points;
}

static bool entry_eq(const struct match_entry *a, const struct match_entry *b)
{
    if (a->user_id != b->user_id || a->score != b->score || a->nreasons != b->nreasons ||
        a->more != b->more)
        return false;
    for (int i = 0; i < a->nreasons; i++)
        if (!reason_eq(&a->reasons[i], &b->reasons[i]))
            return false;
    return true;
}

static void test_determinism(void)
{
    struct fixture f;
    cross_case(&f);
    f.parties[0].spoken |= SPOKEN_CANTONESE;
    f.parties[1].spoken |= SPOKEN_ENGLISH;
    f.parties[2] = (struct match_party){SIDE_RESPONDENT, 1, "macao", SPOKEN_CANTONESE};
    f.c.nparties = 3;
    random_pool();

    static struct match_entry c0[NRAND], e0[NRAND], c1[NRAND], e1[NRAND];
    static struct match_pair p0[20], p1[20];
    struct match_proposal a = {c0, NRAND, 0, 0, e0, NRAND, 0, 0, p0, 20, 0, false};
    CHECK_INT(match_propose(&f.c, pool, NRAND, &a), 0);
    CHECK(a.ncandidates > 3);
    CHECK(a.nexcluded > 3);
    CHECK(a.npairs > 5);
    CHECK_INT(a.ncandidates + a.nexcluded, NRAND);

    int bad = 0;
    for (int round = 0; round < 5; round++) {
        int perm[NRAND];
        for (int i = 0; i < NRAND; i++)
            perm[i] = i;
        for (int i = NRAND - 1; i > 0; i--) {
            int j = (int)rnd((unsigned)i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int i = 0; i < NRAND; i++)
            shuffled[i] = pool[perm[i]];
        /* and each mediator's earlier cases in another order */
        static struct match_past rev[NRAND][6];
        for (int i = 0; i < NRAND; i++) {
            for (int k = 0; k < shuffled[i].npast; k++)
                rev[i][k] = shuffled[i].past[shuffled[i].npast - 1 - k];
            shuffled[i].past = rev[i];
        }
        struct match_proposal b = {c1, NRAND, 0, 0, e1, NRAND, 0, 0, p1, 20, 0, false};
        CHECK_INT(match_propose(&f.c, shuffled, NRAND, &b), 0);
        if (b.ncandidates != a.ncandidates || b.nexcluded != a.nexcluded || b.npairs != a.npairs) {
            bad++;
            continue;
        }
        for (int i = 0; i < a.ncandidates; i++) {
            bad += !entry_eq(&c0[i], &c1[i]);
            bad += perm[c1[i].mediator] != c0[i].mediator;
        }
        for (int i = 0; i < a.nexcluded; i++)
            bad += !entry_eq(&e0[i], &e1[i]);
        for (int i = 0; i < a.npairs; i++) {
            bad += p0[i].a_user_id != p1[i].a_user_id || p0[i].b_user_id != p1[i].b_user_id ||
                   p0[i].score != p1[i].score;
            for (int k = 0; k < p0[i].nreasons; k++)
                bad += !reason_eq(&p0[i].reasons[k], &p1[i].reasons[k]);
            bad += perm[p1[i].a] != p0[i].a;
        }
    }
    CHECK_INT(bad, 0);
}

struct brute {
    int a, b, sum;
    int64_t lo, hi;
};

static int bits(unsigned v)
{
    int n = 0;
    for (; v; v >>= 1)
        n += v & 1;
    return n;
}

/* The pairs found equal the best pairs over every couple of mediators (brute force). */
static void test_pairs_exact(void)
{
    struct fixture f;
    cross_case(&f);
    f.parties[2] = (struct match_party){SIDE_RESPONDENT, 1, "hong_kong", SPOKEN_ENGLISH};
    f.c.nparties = 3;
    random_pool();

    static struct match_entry c0[NRAND], e0[NRAND];
    int bad = 0;
    for (int cap = 1; cap <= 12; cap += 3) {
        static struct match_pair p0[12];
        struct match_proposal a = {c0, NRAND, 0, 0, e0, NRAND, 0, 0, p0, cap, 0, false};
        CHECK_INT(match_propose(&f.c, pool, NRAND, &a), 0);

        /* Each mediator's score and standing, from the proposal. */
        int score[NRAND];
        bool ok[NRAND];
        for (int i = 0; i < NRAND; i++)
            ok[i] = false, score[i] = 0;
        for (int i = 0; i < a.ncandidates; i++)
            ok[c0[i].mediator] = true, score[c0[i].mediator] = c0[i].score;
        /* Excluded for language only: score them as candidates of a case nobody needs. */
        struct fixture g;
        cross_case(&g);
        g.parties[0].spoken = g.parties[1].spoken = 0;
        g.c.nparties = 3;
        g.parties[2] = (struct match_party){SIDE_RESPONDENT, 1, "hong_kong", 0};
        static struct match_entry cg[NRAND];
        struct match_proposal ga = {cg, NRAND, 0, 0, NULL, 0, 0, 0, NULL, 0, 0, false};
        CHECK_INT(match_propose(&g.c, pool, NRAND, &ga), 0);
        for (int i = 0; i < a.nexcluded; i++) {
            bool lang_only = true;
            for (int k = 0; k < e0[i].nreasons; k++)
                lang_only = lang_only && e0[i].reasons[k].code == MATCH_LANGUAGE_MISSING;
            if (!lang_only)
                continue;
            for (int k = 0; k < ga.ncandidates; k++)
                if (cg[k].mediator == e0[i].mediator) {
                    ok[e0[i].mediator] = true;
                    /* less the languages component of the other case (there: none) */
                    score[e0[i].mediator] =
                        cg[k].score + MATCH_W_LANGUAGE * bits(pool[e0[i].mediator].spoken &
                                                              (SPOKEN_PUTONGHUA |
                                                               SPOKEN_PORTUGUESE | SPOKEN_ENGLISH));
                }
        }

        /* Brute force. */
        static struct brute all[NRAND * NRAND / 2];
        int n = 0;
        for (int i = 0; i < NRAND; i++)
            for (int j = i + 1; j < NRAND; j++) {
                if (!ok[i] || !ok[j])
                    continue;
                unsigned ri = 0, rj = 0;
                for (int k = 0; k < pool[i].nquals; k++)
                    if (pool[i].quals[k].valid_to >= f.c.today)
                        ri |= MATCH_JUR_BIT(pool[i].quals[k].jurisdiction);
                for (int k = 0; k < pool[j].nquals; k++)
                    if (pool[j].quals[k].valid_to >= f.c.today)
                        rj |= MATCH_JUR_BIT(pool[j].quals[k].jurisdiction);
                unsigned ml = MATCH_JUR_BIT(MATCH_JUR_MAINLAND);
                unsigned ot = MATCH_JUR_BIT(MATCH_JUR_MACAO) | MATCH_JUR_BIT(MATCH_JUR_HONG_KONG);
                if (!(((ri & ml) && (rj & ot)) || ((rj & ml) && (ri & ot))))
                    continue;
                unsigned sp = pool[i].spoken | pool[j].spoken;
                if (!(sp & SPOKEN_PUTONGHUA) || !(sp & SPOKEN_PORTUGUESE) || !(sp & SPOKEN_ENGLISH))
                    continue;
                int64_t lo = pool[i].user_id, hi = pool[j].user_id;
                if (lo > hi) {
                    int64_t t = lo;
                    lo = hi;
                    hi = t;
                }
                all[n].a = i, all[n].b = j, all[n].sum = score[i] + score[j];
                all[n].lo = lo, all[n].hi = hi;
                n++;
            }
        /* selection of the best cap */
        int want = n < cap ? n : cap;
        CHECK_INT(a.npairs, want);
        for (int r = 0; r < want && r < a.npairs; r++) {
            int best = r;
            for (int k = r + 1; k < n; k++)
                if (all[k].sum > all[best].sum ||
                    (all[k].sum == all[best].sum &&
                     (all[k].lo < all[best].lo ||
                      (all[k].lo == all[best].lo && all[k].hi < all[best].hi))))
                    best = k;
            if (best != r) {
                struct brute t = all[r];
                all[r] = all[best];
                all[best] = t;
            }
            int64_t plo = p0[r].a_user_id < p0[r].b_user_id ? p0[r].a_user_id : p0[r].b_user_id;
            int64_t phi = p0[r].a_user_id < p0[r].b_user_id ? p0[r].b_user_id : p0[r].a_user_id;
            bad += plo != all[r].lo || phi != all[r].hi;
            bad += p0[r].score != all[r].sum / 2 + MATCH_W_PAIR;
        }
    }
    CHECK_INT(bad, 0);
}

/* ---- arguments ------------------------------------------------------------------------------ */

static void test_arguments(void)
{
    struct fixture f;
    case_init(&f);
    struct match_mediator m;
    med_init(&m, 1);
    struct match_proposal p = {0};
    CHECK_INT(match_propose(NULL, &m, 1, &p), -1);
    CHECK_INT(match_propose(&f.c, &m, 1, NULL), -1);
    CHECK_INT(match_propose(&f.c, NULL, 1, &p), -1);
    CHECK_INT(match_propose(&f.c, &m, -1, &p), -1);
    p.candidates_cap = 3; /* but no array */
    CHECK_INT(match_propose(&f.c, &m, 1, &p), -1);
    CHECK_INT(p.ncandidates, 0);
    p.candidates_cap = 0;
    f.c.nkeys = MATCH_MAX_CASE_KEYS + 1;
    CHECK_INT(match_propose(&f.c, &m, 1, &p), -1);
    case_init(&f);
    /* No arrays at all: totals only. */
    CHECK_INT(match_propose(&f.c, &m, 1, &p), 0);
    CHECK_INT(p.candidates_total, 1);
    CHECK_INT(p.ncandidates, 0);
    /* No mediators. */
    CHECK_INT(match_propose(&f.c, NULL, 0, &p), 0);
    CHECK_INT(p.candidates_total, 0);
}

int main(void)
{
    test_names();
    test_horizon();
    test_eligible();
    test_wrong_center();
    test_case_type();
    test_qualifications();
    test_capacity();
    test_languages();
    test_conflict_declared();
    test_conflict_past();
    test_conflict_self();
    test_conflict_many();
    test_score();
    test_ranking();
    test_pairs();
    test_determinism();
    test_pairs_exact();
    test_arguments();
    return check_summary();
}
