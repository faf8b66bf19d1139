/* filing.h: what a case filing is and the rules it must meet (DOMAIN.md "Parties and identity",
 * "A case's life"). Plain structs; the API layer fills them from JSON and reports the codes these
 * checks return, by path. */
#ifndef QIAO_DOMAIN_FILING_H
#define QIAO_DOMAIN_FILING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/idnum.h"
#include "domain/money.h"

#define FILING_MAX_PARTIES 10 /* per side */
#define FILING_MAX_CLAIMS 20
#define FILING_MAX_ADDRESSES 5

enum case_type { CASE_TYPE_NONE = -1, CASE_TYPE_FAMILY = 0, CASE_TYPE_COMMERCIAL };

/* Spoken languages, as a bit set. */
enum spoken {
    SPOKEN_PUTONGHUA = 1,
    SPOKEN_CANTONESE = 2,
    SPOKEN_PORTUGUESE = 4,
    SPOKEN_ENGLISH = 8,
    SPOKEN_OTHER = 16,
};

const char *case_type_name(enum case_type t);
enum case_type case_type_parse(const char *s);
/* The type a subtype belongs to (CASE_TYPE_NONE for an unknown subtype). */
enum case_type case_subtype_type(const char *subtype);
/* The three letters of a type in case numbers: FAM, COM. */
const char *case_type_code(enum case_type t);

/* Parses one spoken-language name into its bit (0 if unknown). */
unsigned spoken_parse(const char *name);
/* Writes the names of a bit set, comma-separated, into out ("putonghua,cantonese"). */
void spoken_format(unsigned set, char *out, size_t cap);
/* The spoken language a written language implies: zh-Hans → putonghua, zh-Hant → cantonese,
 * pt → portuguese, en → english; 0 for anything else. */
unsigned spoken_default(const char *language);

/* Is residence one of zhuhai, mainland, macao, hong_kong, elsewhere? */
bool residence_valid(const char *residence);
/* Is the residence on the Mainland side (zhuhai, mainland)? Cross-border cases have parties on
 * both sides. */
bool residence_mainland(const char *residence);

enum party_side { SIDE_APPLICANT = 0, SIDE_RESPONDENT = 1 };

/* One party as filed. Strings are borrowed (from the request) and already NFC; id_number and
 * phone are normalized by the checks. */
struct party_in {
    enum party_side side;
    int position;          /* index within its side */
    const char *kind;      /* person | company */
    const char *name;      /* as written */
    const char *name_latin;
    enum idtype id_type;   /* IDTYPE_UNKNOWN when no document is given */
    char id_number[IDNUM_NORM_MAX];
    char phone[17];        /* "+85366123456" or "" */
    const char *email, *address, *residence, *language;
    unsigned spoken;       /* enum spoken bits; defaulted from language when not given */
    int64_t user_id;       /* the account acting as this party (0: none yet) */
    int64_t lawyer_id;     /* the representative (0: none) */
};

struct claim_in {
    const char *description;
    bool has_amount;
    struct money amount;
};

struct address_in {
    const char *channel; /* email | sms | inbox */
    const char *value;
};

/* A whole filing (or draft). Arrays are bounded; counts say how many are used. */
struct filing {
    const char *center;
    enum case_type type;
    const char *subtype;
    const char *title, *summary, *request;
    const char *script; /* the script the narrative is written in: zh-Hans, zh-Hant, latin, NULL */
    struct party_in parties[2 * FILING_MAX_PARTIES];
    int nparties;
    struct claim_in claims[FILING_MAX_CLAIMS];
    int nclaims;
    bool consent_mediation, consent_eservice;
    struct address_in addresses[FILING_MAX_ADDRESSES];
    int naddresses;
};

/* Reports one problem of a filing at a path (e.g. "respondents[0].name", code "required"). */
typedef void (*filing_report)(void *ctx, const char *path, const char *code);

/* Checks what a submitted filing must have: a title, a summary, at least one applicant and one
 * respondent, each with a name, consent to mediation, and an address when e-service is consented
 * to. Drafts skip this. Returns true when complete. */
bool filing_check_complete(const struct filing *f, filing_report report, void *ctx);

/* The case number: CENTER-TYPE-YEAR-SEQUENCE, e.g. HQ-FAM-2026-000001. */
void case_number_format(const char *center, enum case_type t, int year, int64_t seq, char *out,
                        size_t cap);
#endif
