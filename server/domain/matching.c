#include "domain/matching.h"

#include <stdlib.h>
#include <string.h>

/* ---- names ---------------------------------------------------------------------------------- */

static const char *const jur_names[MATCH_JUR_COUNT] = {"mainland", "macao", "hong_kong"};
static const char *const rel_names[MATCH_REL_COUNT] = {"family", "business", "professional",
                                                       "personal", "other"};
static const char *const past_names[MATCH_PAST_COUNT] = {"mediated", "acted_for", "acted_against"};
static const char *const code_names[MATCH_CODE_COUNT] = {
    [MATCH_NONE] = "",
    [MATCH_WRONG_CENTER] = "wrong_center",
    [MATCH_CASE_TYPE] = "case_type",
    [MATCH_NO_VALID_QUALIFICATION] = "no_valid_qualification",
    [MATCH_QUALIFICATION_EXPIRED] = "qualification_expired",
    [MATCH_AT_CAPACITY] = "at_capacity",
    [MATCH_LANGUAGE_MISSING] = "language_missing",
    [MATCH_CONFLICT_OF_INTEREST] = "conflict_of_interest",
    [MATCH_DECLARED_RELATIONSHIP] = "declared_relationship",
    [MATCH_ACTED_BEFORE] = "acted_before",
    [MATCH_SELF] = "self",
    [MATCH_SAME_NAME] = "same_name",
    [MATCH_SAME_IDENTITY] = "same_identity",
    [MATCH_LOAD] = "load",
    [MATCH_FREE_HOURS] = "free_hours_next_10_working_days",
    [MATCH_ROTATION] = "rotation",
    [MATCH_LANGUAGES_COVERED] = "languages_covered",
    [MATCH_SUBTYPE_SPECIALIST] = "subtype_specialist",
    [MATCH_CROSS_BORDER_QUALIFIED] = "cross_border_qualified",
    [MATCH_MEDIATED_BEFORE] = "mediated_before",
    [MATCH_PAIR_MEMBERS] = "pair_members",
    [MATCH_CROSS_BORDER_PAIR_BONUS] = "cross_border_pair_bonus",
};
static const char *const subject_names[] = {"", "party", "lawyer", "firm"};

/* filing.c's subtypes; bit i is subtypes[i]. Their types come from case_subtype_type. */
static const char *const subtype_names[] = {
    "divorce",       "custody", "maintenance", "property",    "inheritance", "contract",
    "sale_of_goods", "debt",    "lease",       "shareholder", "other"};
#define NSUBTYPES ((int)(sizeof subtype_names / sizeof subtype_names[0]))

static bool parse_name(const char *const *names, int n, const char *name, int *out)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

const char *match_jurisdiction_name(enum match_jurisdiction j)
{
    return (j >= 0 && j < MATCH_JUR_COUNT) ? jur_names[j] : "";
}

bool match_jurisdiction_parse(const char *name, enum match_jurisdiction *out)
{
    int i;
    if (!parse_name(jur_names, MATCH_JUR_COUNT, name, &i))
        return false;
    *out = (enum match_jurisdiction)i;
    return true;
}

const char *match_relation_name(enum match_relation r)
{
    return (r >= 0 && r < MATCH_REL_COUNT) ? rel_names[r] : "";
}

bool match_relation_parse(const char *name, enum match_relation *out)
{
    int i;
    if (!parse_name(rel_names, MATCH_REL_COUNT, name, &i))
        return false;
    *out = (enum match_relation)i;
    return true;
}

const char *match_past_role_name(enum match_past_role r)
{
    return (r >= 0 && r < MATCH_PAST_COUNT) ? past_names[r] : "";
}

bool match_past_role_parse(const char *name, enum match_past_role *out)
{
    int i;
    if (!parse_name(past_names, MATCH_PAST_COUNT, name, &i))
        return false;
    *out = (enum match_past_role)i;
    return true;
}

const char *match_code_name(enum match_code c)
{
    return (c >= 0 && c < MATCH_CODE_COUNT) ? code_names[c] : "";
}

const char *match_subject_kind_name(enum match_subject_kind k)
{
    return (k >= MATCH_SUBJECT_NONE && k <= MATCH_SUBJECT_FIRM) ? subject_names[k] : "";
}

unsigned match_type_bit(enum case_type t)
{
    return (t == CASE_TYPE_FAMILY || t == CASE_TYPE_COMMERCIAL) ? 1u << t : 0;
}

unsigned match_subtype_bit(const char *subtype)
{
    int i;
    return parse_name(subtype_names, NSUBTYPES, subtype, &i) ? 1u << i : 0;
}

/* ---- the case, prepared once ---------------------------------------------------------------- */

#define LANG_MASK 31u /* the five enum spoken bits */
#define TABLE_BITS 9
#define TABLE_SIZE (1 << TABLE_BITS) /* >= 2 * MATCH_MAX_CASE_KEYS */

/* Conflict sources, in reason order; SRC_MEDIATED is information, not a conflict. */
enum { SRC_DECLARED, SRC_ACTED, SRC_SELF, SRC_MEDIATED, NSRC };
static const enum match_code src_codes[NSRC] = {MATCH_DECLARED_RELATIONSHIP, MATCH_ACTED_BEFORE,
                                                MATCH_SELF, MATCH_MEDIATED_BEFORE};

/* One finding about one (source, subject and basis); key is the first case key with that
 * subject and basis. */
struct hit {
    int src, key;
    int64_t a0, a1;
};

struct ctx {
    const struct match_case *c;
    int32_t days[MATCH_HORIZON_DAYS];
    int ndays;
    unsigned accept; /* jurisdictions that count */
    unsigned other;  /* the other side's jurisdictions (cross-border), else 0 */
    bool cross;
    unsigned langs;             /* every language any party speaks */
    bool covers[LANG_MASK + 1]; /* does a language set reach every party? */
    unsigned type_subtypes;     /* subtype bits of the case's type */
    int16_t slot[TABLE_SIZE];   /* -1 empty, else a case key's index */
    int16_t canon[MATCH_MAX_CASE_KEYS];
    /* findings of the mediator being evaluated */
    uint64_t seen[NSRC][MATCH_MAX_CASE_KEYS / 64];
    int nhits;
    struct hit hits[NSRC * MATCH_MAX_CASE_KEYS];
};

static uint32_t key_hash(const uint8_t *k)
{
    uint32_t a, b;
    memcpy(&a, k, 4);
    memcpy(&b, k + 4, 4);
    return ((a ^ (b * 0x9E3779B1u)) * 0x85EBCA6Bu) >> (32 - TABLE_BITS);
}

static bool key_zero(const uint8_t *k)
{
    static const uint8_t zero[MATCH_KEY_LEN];
    return memcmp(k, zero, MATCH_KEY_LEN) == 0;
}

static bool same_subject(const struct match_subject *a, const struct match_subject *b)
{
    return a->kind == b->kind && a->side == b->side && a->position == b->position;
}

bool match_cross_border(const struct match_case *c)
{
    bool mainland = false, other = false;
    for (int i = 0; c && c->parties && i < c->nparties; i++) {
        const char *r = c->parties[i].residence;
        if (residence_mainland(r))
            mainland = true;
        else if (r && (strcmp(r, "macao") == 0 || strcmp(r, "hong_kong") == 0))
            other = true;
    }
    return mainland && other;
}

int match_horizon(const struct match_case *c, int32_t out[MATCH_HORIZON_DAYS])
{
    int n = 0;
    /* Ten working days lie well within 60 calendar days even across Golden Week. */
    for (int32_t d = c->today + 1; n < MATCH_HORIZON_DAYS && d <= c->today + 60; d++) {
        int st = workcal_day_status(c->calendar, c->overrides, c->noverrides, d, NULL);
        if (st < 0)
            break;
        if (st == 1)
            out[n++] = d;
    }
    return n;
}

static void prepare(struct ctx *x, const struct match_case *c)
{
    x->c = c;
    x->ndays = match_horizon(c, x->days);
    x->accept = c->jurisdictions ? c->jurisdictions : (1u << MATCH_JUR_COUNT) - 1;
    x->cross = match_cross_border(c);
    x->other = 0;
    x->langs = 0;
    for (int i = 0; i < c->nparties; i++) {
        const struct match_party *p = &c->parties[i];
        x->langs |= p->spoken & LANG_MASK;
        if (x->cross && p->residence && strcmp(p->residence, "macao") == 0)
            x->other |= MATCH_JUR_BIT(MATCH_JUR_MACAO);
        if (x->cross && p->residence && strcmp(p->residence, "hong_kong") == 0)
            x->other |= MATCH_JUR_BIT(MATCH_JUR_HONG_KONG);
    }
    for (unsigned set = 0; set <= LANG_MASK; set++) {
        bool ok = true;
        for (int i = 0; ok && i < c->nparties; i++) {
            unsigned need = c->parties[i].spoken & LANG_MASK;
            ok = !need || (need & set);
        }
        x->covers[set] = ok;
    }
    x->type_subtypes = 0;
    for (int i = 0; i < NSUBTYPES; i++)
        if (case_subtype_type(subtype_names[i]) == c->type)
            x->type_subtypes |= 1u << i;
    for (int i = 0; i < TABLE_SIZE; i++)
        x->slot[i] = -1;
    for (int i = 0; i < c->nkeys; i++) {
        const struct match_case_key *k = &c->keys[i];
        x->canon[i] = (int16_t)i;
        for (int j = 0; j < i; j++)
            if (c->keys[j].kind == k->kind && same_subject(&c->keys[j].who, &k->who)) {
                x->canon[i] = (int16_t)j;
                break;
            }
        if (key_zero(k->key))
            continue;
        uint32_t s = key_hash(k->key);
        while (x->slot[s] >= 0)
            s = (s + 1) & (TABLE_SIZE - 1);
        x->slot[s] = (int16_t)i;
    }
}

/* ---- conflicts ------------------------------------------------------------------------------ */

static int hit_cmp(const struct ctx *x, const struct hit *a, const struct hit *b)
{
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    const struct match_case_key *ka = &x->c->keys[a->key], *kb = &x->c->keys[b->key];
    if (ka->who.kind != kb->who.kind)
        return ka->who.kind < kb->who.kind ? -1 : 1;
    if (ka->who.side != kb->who.side)
        return ka->who.side < kb->who.side ? -1 : 1;
    if (ka->who.position != kb->who.position)
        return ka->who.position < kb->who.position ? -1 : 1;
    if (ka->kind != kb->kind)
        return ka->kind < kb->kind ? -1 : 1;
    if (a->a0 != b->a0)
        return a->a0 < b->a0 ? -1 : 1;
    if (a->a1 != b->a1)
        return a->a1 < b->a1 ? -1 : 1;
    return 0;
}

/* Records one finding: the first for its (source, subject, basis), or smaller arguments for it. */
static void record(struct ctx *x, int src, int key, int64_t a0, int64_t a1)
{
    int k = x->canon[key];
    uint64_t bit = 1ull << (k % 64);
    if (!(x->seen[src][k / 64] & bit)) {
        x->seen[src][k / 64] |= bit;
        x->hits[x->nhits++] = (struct hit){src, k, a0, a1};
        return;
    }
    for (int i = 0; i < x->nhits; i++) {
        struct hit *h = &x->hits[i];
        if (h->src == src && h->key == k) {
            if (a0 < h->a0 || (a0 == h->a0 && a1 < h->a1))
                h->a0 = a0, h->a1 = a1;
            return;
        }
    }
}

/* Calls record for every case key equal to k; returns whether there was one. */
static bool probe(struct ctx *x, const uint8_t *k, int src, int64_t a0, int64_t a1, bool collect)
{
    bool found = false;
    for (uint32_t s = key_hash(k); x->slot[s] >= 0; s = (s + 1) & (TABLE_SIZE - 1)) {
        int i = x->slot[s];
        if (memcmp(x->c->keys[i].key, k, MATCH_KEY_LEN) != 0)
            continue;
        found = true;
        if (!collect)
            return true;
        record(x, src, i, a0, a1);
    }
    return found;
}

/* Checks the mediator's keys against the case's. Without collect, returns at the first conflict
 * and ignores mediated cases; with it, gathers every finding (x->hits, unsorted). Returns whether
 * there is a conflict. */
static bool scan_conflicts(struct ctx *x, const struct match_mediator *m, bool collect)
{
    bool conflict = false;
    if (collect) {
        memset(x->seen, 0, sizeof x->seen);
        x->nhits = 0;
    }
    for (int i = 0; i < m->nself && m->self_keys; i++) {
        conflict |= probe(x, m->self_keys[i], SRC_SELF, 0, 0, collect);
        if (conflict && !collect)
            return true;
    }
    for (int i = 0; i < m->ndeclared && m->declared; i++) {
        const struct match_declared *d = &m->declared[i];
        conflict |= probe(x, d->key, SRC_DECLARED, d->relation, d->since, collect);
        if (conflict && !collect)
            return true;
    }
    for (int i = 0; i < m->npast && m->past; i++) {
        const struct match_past *p = &m->past[i];
        if (p->role == MATCH_PAST_MEDIATED) {
            /* Information only; mediating this very case now is not "before". */
            if (collect && p->case_id != x->c->case_id)
                probe(x, p->key, SRC_MEDIATED, p->case_id, 0, true);
            continue;
        }
        conflict |= probe(x, p->key, SRC_ACTED, p->case_id, p->role, collect);
        if (conflict && !collect)
            return true;
    }
    return conflict;
}

/* Sorts the findings (insertion sort: there are few). */
static void sort_hits(struct ctx *x)
{
    for (int i = 1; i < x->nhits; i++) {
        struct hit h = x->hits[i];
        int j = i;
        for (; j > 0 && hit_cmp(x, &x->hits[j - 1], &h) > 0; j--)
            x->hits[j] = x->hits[j - 1];
        x->hits[j] = h;
    }
}

/* ---- one mediator --------------------------------------------------------------------------- */

enum status { ST_EXCLUDED, ST_LANGUAGE_ONLY, ST_ELIGIBLE };

struct work {
    int idx;
    int64_t user_id;
    int score;
    enum status status;
    unsigned roles; /* jurisdictions of the qualifications valid today */
    unsigned lang;  /* the parties' languages the mediator speaks */
};

static void add(struct match_entry *e, enum match_code code, int64_t a0, int64_t a1, int64_t a2,
                int points)
{
    if (!e)
        return;
    if (e->nreasons >= MATCH_MAX_REASONS) {
        e->more++;
        return;
    }
    e->reasons[e->nreasons++] =
        (struct match_reason){.code = code, .arg = {a0, a1, a2}, .points = points};
}

static struct match_reason *last(struct match_entry *e, int n0)
{
    return e && e->nreasons > n0 ? &e->reasons[e->nreasons - 1] : NULL;
}

static int clamp_minutes(int v)
{
    return v < 0 ? 0 : v > 24 * 60 ? 24 * 60 : v;
}

/* The day's index in the horizon, or -1. */
static int horizon_index(const struct ctx *x, int32_t d)
{
    int lo = 0, hi = x->ndays - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (x->days[mid] == d)
            return mid;
        if (x->days[mid] < d)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int64_t free_minutes(const struct ctx *x, const struct match_mediator *m)
{
    int avail[MATCH_HORIZON_DAYS], booked[MATCH_HORIZON_DAYS] = {0};
    for (int i = 0; i < x->ndays; i++)
        avail[i] = clamp_minutes(m->weekly_minutes[civil_weekday(x->days[i]) - 1]);
    for (int i = 0; m->exceptions && i < m->nexceptions; i++) {
        int k = horizon_index(x, m->exceptions[i].daynum);
        if (k >= 0)
            avail[k] = clamp_minutes(m->exceptions[i].minutes);
    }
    for (int i = 0; m->booked && i < m->nbooked; i++) {
        int k = horizon_index(x, m->booked[i].daynum);
        if (k >= 0 && m->booked[i].minutes > 0)
            booked[k] += clamp_minutes(m->booked[i].minutes);
    }
    int64_t sum = 0;
    for (int i = 0; i < x->ndays; i++)
        if (avail[i] > booked[i])
            sum += avail[i] - booked[i];
    return sum;
}

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Applies the rules to one mediator. With e, writes its reasons there (exclusions for an excluded
 * mediator, score components for a candidate); without, only decides. */
static struct work evaluate(struct ctx *x, const struct match_mediator *m, int idx,
                            struct match_entry *e)
{
    const struct match_case *c = x->c;
    struct work w = {.idx = idx, .user_id = m->user_id};
    bool hard = false;
    if (e)
        *e = (struct match_entry){.mediator = idx, .user_id = m->user_id};

    bool center = false;
    for (int i = 0; i < m->ncenters && i < MATCH_MAX_CENTERS; i++)
        center = center || m->centers[i] == c->center_id;
    if (!center) {
        hard = true;
        add(e, MATCH_WRONG_CENTER, c->center_id, 0, 0, 0);
    }

    unsigned tbit = match_type_bit(c->type);
    unsigned listed = m->subtypes & x->type_subtypes;
    if (!tbit || !(m->types & tbit)) {
        hard = true;
        add(e, MATCH_CASE_TYPE, c->type, 0, 0, 0);
    } else if (listed && c->subtype && !(listed & c->subtype)) {
        hard = true;
        add(e, MATCH_CASE_TYPE, c->type, c->subtype, 0, 0);
    }

    bool qualified = false;
    int expired = -1, pending = 0;
    for (int i = 0; i < m->nquals && i < MATCH_MAX_QUALIFICATIONS; i++) {
        const struct match_qualification *q = &m->quals[i];
        if (q->jurisdiction < 0 || q->jurisdiction >= MATCH_JUR_COUNT)
            continue;
        bool valid = q->valid_from <= c->today && c->today <= q->valid_to;
        if (valid)
            w.roles |= MATCH_JUR_BIT(q->jurisdiction);
        if (!(x->accept & MATCH_JUR_BIT(q->jurisdiction)))
            continue;
        if (valid)
            qualified = true;
        else if (q->valid_to < c->today) {
            if (expired < 0 || q->valid_to > m->quals[expired].valid_to)
                expired = i;
        } else
            pending++;
    }
    if (!qualified) {
        hard = true;
        if (expired >= 0)
            add(e, MATCH_QUALIFICATION_EXPIRED, m->quals[expired].jurisdiction,
                m->quals[expired].valid_to, expired, 0);
        else
            add(e, MATCH_NO_VALID_QUALIFICATION, x->accept, pending, 0, 0);
    }

    int open = m->open_cases < 0 ? 0 : m->open_cases;
    int capacity = m->capacity < 0 ? 0 : m->capacity;
    if (open >= capacity) {
        hard = true;
        add(e, MATCH_AT_CAPACITY, open, capacity, 0, 0);
    }

    w.lang = m->spoken & x->langs & LANG_MASK;
    bool speaks = x->covers[w.lang];
    if (!speaks && e)
        for (int i = 0; i < c->nparties; i++) {
            const struct match_party *p = &c->parties[i];
            if ((p->spoken & LANG_MASK) && !(p->spoken & m->spoken & LANG_MASK)) {
                int n0 = e->nreasons;
                add(e, MATCH_LANGUAGE_MISSING, p->spoken & LANG_MASK, 0, 0, 0);
                struct match_reason *r = last(e, n0);
                if (r)
                    r->who = (struct match_subject){MATCH_SUBJECT_PARTY, p->side, p->position};
            }
        }

    /* Deciding alone, a mediator already out need not be checked for conflicts. */
    bool conflict = (e || !hard) && scan_conflicts(x, m, e != NULL);
    if (e)
        sort_hits(x);
    if (e && conflict) {
        for (int i = 0; i < x->nhits; i++) {
            const struct hit *h = &x->hits[i];
            if (h->src == SRC_MEDIATED)
                continue;
            int n0 = e->nreasons;
            add(e, MATCH_CONFLICT_OF_INTEREST, h->src == SRC_SELF ? 0 : h->a0,
                h->src == SRC_SELF ? 0 : h->a1, 0, 0);
            struct match_reason *r = last(e, n0);
            if (r) {
                const struct match_case_key *k = &c->keys[h->key];
                r->sub = src_codes[h->src];
                r->via = k->kind == MATCH_KEY_ID ? MATCH_SAME_IDENTITY : MATCH_SAME_NAME;
                r->who = k->who;
            }
        }
    }

    w.status = (hard || conflict) ? ST_EXCLUDED : speaks ? ST_ELIGIBLE : ST_LANGUAGE_ONLY;
    if (w.status == ST_EXCLUDED)
        return w;

    /* The score: computed for language-only mediators too (pairs need it), written only for
     * candidates. */
    if (e && w.status != ST_ELIGIBLE)
        e = NULL;
    int pts = MATCH_W_LOAD * (capacity - open) / capacity;
    w.score += pts;
    add(e, MATCH_LOAD, open, capacity, 0, pts);

    int64_t fm = free_minutes(x, m);
    pts = (int)(MATCH_W_FREE * (fm < MATCH_FREE_FULL_MINUTES ? fm : MATCH_FREE_FULL_MINUTES) /
                MATCH_FREE_FULL_MINUTES);
    w.score += pts;
    add(e, MATCH_FREE_HOURS, fm, x->ndays, x->ndays ? x->days[x->ndays - 1] : 0, pts);

    int64_t days = -1;
    if (m->last_assigned_at > 0)
        days = c->now > m->last_assigned_at ? (c->now - m->last_assigned_at) / 86400 : 0;
    pts = MATCH_W_ROTATION_DAY *
          (int)(days < 0 || days > MATCH_ROTATION_FULL_DAYS ? MATCH_ROTATION_FULL_DAYS : days);
    w.score += pts;
    add(e, MATCH_ROTATION, days, 0, 0, pts);

    pts = MATCH_W_LANGUAGE * popcount(w.lang);
    w.score += pts;
    add(e, MATCH_LANGUAGES_COVERED, w.lang, 0, 0, pts);

    if (c->subtype && (m->subtypes & c->subtype)) {
        w.score += MATCH_W_SUBTYPE;
        add(e, MATCH_SUBTYPE_SPECIALIST, c->subtype, 0, 0, MATCH_W_SUBTYPE);
    }
    if (x->cross && (w.roles & MATCH_JUR_BIT(MATCH_JUR_MAINLAND)) && (w.roles & x->other)) {
        w.score += MATCH_W_DUAL;
        add(e, MATCH_CROSS_BORDER_QUALIFIED, w.roles, 0, 0, MATCH_W_DUAL);
    }
    if (e) {
        e->score = w.score;
        for (int i = 0; i < x->nhits; i++) {
            const struct hit *h = &x->hits[i];
            int n0 = e->nreasons;
            add(e, MATCH_MEDIATED_BEFORE, h->a0, 0, 0, 0);
            struct match_reason *r = last(e, n0);
            if (r) {
                const struct match_case_key *k = &c->keys[h->key];
                r->via = k->kind == MATCH_KEY_ID ? MATCH_SAME_IDENTITY : MATCH_SAME_NAME;
                r->who = k->who;
            }
        }
    }
    return w;
}

/* ---- ordering ------------------------------------------------------------------------------- */

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* Score descending, then user id, then index (a total order whatever the input order). */
static int by_score(const void *pa, const void *pb)
{
    const struct work *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    int r = cmp_i64(a->user_id, b->user_id);
    return r ? r : (a->idx > b->idx) - (a->idx < b->idx);
}

static int by_user(const void *pa, const void *pb)
{
    const struct work *a = pa, *b = pb;
    int r = cmp_i64(a->user_id, b->user_id);
    return r ? r : (a->idx > b->idx) - (a->idx < b->idx);
}

/* ---- pairs ---------------------------------------------------------------------------------- */

struct pair_try {
    const struct work *a, *b;
    int sum;
    int64_t lo, hi;
};

/* Does p rank before q: sum descending, then lower and higher user ids ascending. */
static bool pair_before(const struct pair_try *p, const struct pair_try *q)
{
    if (p->sum != q->sum)
        return p->sum > q->sum;
    if (p->lo != q->lo)
        return p->lo < q->lo;
    if (p->hi != q->hi)
        return p->hi < q->hi;
    return p->a->idx + p->b->idx < q->a->idx + q->b->idx; /* equal ids: input order decides */
}

static bool can_pair(const struct ctx *x, const struct work *a, const struct work *b)
{
    unsigned ml = MATCH_JUR_BIT(MATCH_JUR_MAINLAND);
    bool ab = (a->roles & ml) && (b->roles & x->other);
    bool ba = (b->roles & ml) && (a->roles & x->other);
    return (ab || ba) && x->covers[a->lang | b->lang];
}

/* Finds the best pairs among the pool (works sorted by score) and writes them to out. */
static void propose_pairs(const struct ctx *x, const struct work *sorted, int n,
                          struct match_proposal *out, const struct work **pool)
{
    int want = out->pairs_cap < MATCH_PAIR_K - 1 ? out->pairs_cap : MATCH_PAIR_K - 1;
    int k = want + 1;
    int count[4 * (LANG_MASK + 1)] = {0};
    unsigned ml = MATCH_JUR_BIT(MATCH_JUR_MAINLAND);
    int np = 0;
    for (int i = 0; i < n; i++) {
        const struct work *w = &sorted[i];
        if (w->status == ST_EXCLUDED)
            continue;
        int role = ((w->roles & ml) ? 1 : 0) | ((w->roles & x->other) ? 2 : 0);
        if (!role)
            continue;
        int g = role * (int)(LANG_MASK + 1) + (int)w->lang;
        if (count[g] >= k)
            continue;
        count[g]++;
        pool[np++] = w;
    }

    struct pair_try best[MATCH_PAIR_K];
    int nb = 0;
    for (int i = 0; i < np; i++) {
        if (nb == want && i + 1 < np && pool[i]->score + pool[i + 1]->score < best[nb - 1].sum)
            break;
        for (int j = i + 1; j < np; j++) {
            int sum = pool[i]->score + pool[j]->score;
            if (nb == want && sum < best[nb - 1].sum)
                break;
            if (!can_pair(x, pool[i], pool[j]))
                continue;
            struct pair_try t = {pool[i], pool[j], sum, pool[i]->user_id, pool[j]->user_id};
            if (t.lo > t.hi) {
                int64_t s = t.lo;
                t.lo = t.hi;
                t.hi = s;
            }
            if (nb == want && !pair_before(&t, &best[nb - 1]))
                continue;
            int p = nb < want ? nb++ : nb - 1;
            for (; p > 0 && pair_before(&t, &best[p - 1]); p--)
                best[p] = best[p - 1];
            best[p] = t;
        }
    }

    for (int i = 0; i < nb; i++) {
        const struct work *a = best[i].a, *b = best[i].b;
        bool ab = (a->roles & ml) && (b->roles & x->other);
        bool ba = (b->roles & ml) && (a->roles & x->other);
        if (!ab || (ba && b->user_id < a->user_id)) {
            const struct work *s = a;
            a = b;
            b = s;
        }
        int members = (a->score + b->score) / 2;
        enum match_jurisdiction bj = (b->roles & x->other & MATCH_JUR_BIT(MATCH_JUR_MACAO))
                                         ? MATCH_JUR_MACAO
                                         : MATCH_JUR_HONG_KONG;
        struct match_pair *p = &out->pairs[i];
        *p = (struct match_pair){.a = a->idx,
                                 .b = b->idx,
                                 .a_user_id = a->user_id,
                                 .b_user_id = b->user_id,
                                 .score = members + MATCH_W_PAIR,
                                 .nreasons = 3};
        p->reasons[0] = (struct match_reason){
            .code = MATCH_PAIR_MEMBERS, .arg = {a->score, b->score}, .points = members};
        p->reasons[1] = (struct match_reason){.code = MATCH_CROSS_BORDER_PAIR_BONUS,
                                              .arg = {MATCH_JUR_MAINLAND, bj},
                                              .points = MATCH_W_PAIR};
        p->reasons[2] = (struct match_reason){.code = MATCH_LANGUAGES_COVERED,
                                              .arg = {a->lang, b->lang, a->lang | b->lang}};
    }
    out->npairs = nb;
}

/* ---- the proposal --------------------------------------------------------------------------- */

int match_propose(const struct match_case *c, const struct match_mediator *m, int nm,
                  struct match_proposal *out)
{
    if (!out)
        return -1;
    out->ncandidates = out->candidates_total = 0;
    out->nexcluded = out->excluded_total = 0;
    out->npairs = 0;
    out->cross_border = false;
    if (!c || nm < 0 || (nm > 0 && !m) || c->nparties < 0 || (c->nparties > 0 && !c->parties) ||
        c->nkeys < 0 || c->nkeys > MATCH_MAX_CASE_KEYS || (c->nkeys > 0 && !c->keys) ||
        out->candidates_cap < 0 || out->excluded_cap < 0 || out->pairs_cap < 0 ||
        (out->candidates_cap > 0 && !out->candidates) ||
        (out->excluded_cap > 0 && !out->excluded) || (out->pairs_cap > 0 && !out->pairs))
        return -1;

    size_t n = (size_t)nm;
    struct ctx *x =
        malloc(sizeof *x + 2 * n * sizeof(struct work) + n * sizeof(const struct work *));
    if (!x)
        return -1;
    struct work *sorted = (struct work *)(x + 1), *byuser = sorted + n;
    const struct work **pool = (const struct work **)(byuser + n);
    prepare(x, c);
    out->cross_border = x->cross;

    for (int i = 0; i < nm; i++)
        sorted[i] = evaluate(x, &m[i], i, NULL);
    if (nm > 0)
        qsort(sorted, n, sizeof *sorted, by_score);

    int nexcl = 0;
    for (int i = 0; i < nm; i++) {
        const struct work *w = &sorted[i];
        if (w->status == ST_ELIGIBLE) {
            if (out->ncandidates < out->candidates_cap)
                evaluate(x, &m[w->idx], w->idx, &out->candidates[out->ncandidates++]);
            out->candidates_total++;
        } else {
            byuser[nexcl++] = *w;
        }
    }
    if (nexcl > 0)
        qsort(byuser, (size_t)nexcl, sizeof *byuser, by_user);
    out->excluded_total = nexcl;
    for (int i = 0; i < nexcl && i < out->excluded_cap; i++)
        evaluate(x, &m[byuser[i].idx], byuser[i].idx, &out->excluded[out->nexcluded++]);

    if (x->cross && out->pairs_cap > 0)
        propose_pairs(x, sorted, nm, out, pool);
    free(x);
    return 0;
}
