/* idnum.h: identity and business-registration document numbers of the parties.
 *
 * Validates a number as typed by a person (stray spaces, lower case, full-width characters from a
 * Chinese input method) and produces one canonical ASCII form per document, which is what the
 * vault's blind index is computed over: two spellings of the same number normalize to the same
 * string.
 *
 * Errors are stable codes (never user-facing text); the API layer maps them to messages:
 *   "id.type"            the document type is unknown
 *   "id.format"          wrong length, characters or layout for that document type
 *   "id.check_digit"     the check digit/character does not match
 *   "id.birth_date"      Mainland ID: positions 7-14 are not a possible birth date
 *   "id.region"          Mainland ID: region code 000000
 *   "id.buffer"          norm buffer too small (a programming error, not a user's)
 *
 * Pure functions over caller-owned memory: no allocation, no global state, thread-safe.
 */
#ifndef QIAO_DOMAIN_IDNUM_H
#define QIAO_DOMAIN_IDNUM_H

#include <stddef.h>

/* Document types. The values are not stored; the names (idtype_name) are. */
enum idtype {
    IDTYPE_UNKNOWN = 0,
    IDTYPE_MAINLAND_ID,            /* "mainland_id": Mainland resident identity card, GB 11643 */
    IDTYPE_HK_ID,                  /* "hk_id": Hong Kong identity card */
    IDTYPE_MACAO_BIR,              /* "macao_bir": Macao resident identity card (BIR) */
    IDTYPE_MAINLAND_TRAVEL_PERMIT, /* "mainland_travel_permit": 回乡证 for HK/Macao residents */
    IDTYPE_PASSPORT,               /* "passport": any country's passport */
    IDTYPE_BUSINESS_REGISTRATION,  /* "business_registration": USCC, HK BR or Macao registration */
    IDTYPE_COUNT
};

/* Which kind of number was recognised, where a type covers several (see idnum_validate_ex). */
enum idvariant {
    IDVARIANT_NONE = 0,      /* the type has a single form */
    IDVARIANT_PERMIT_HK,     /* travel permit issued to a Hong Kong resident (H...) */
    IDVARIANT_PERMIT_MACAO,  /* travel permit issued to a Macao resident (M...) */
    IDVARIANT_MAINLAND_USCC, /* Mainland unified social credit code, GB 32100-2015, 18 chars */
    IDVARIANT_HK_BR,         /* Hong Kong business registration number, 8 digits */
    IDVARIANT_MACAO_CR,      /* Macao commercial registration number, 1-7 digits */
    IDVARIANT_COUNT
};

/* Capacity that always suffices for a normalized number and its NUL. */
#define IDNUM_NORM_MAX 32

/* Returns the type named by its stable snake_case name (e.g. "hk_id"), exactly, case-sensitive;
 * IDTYPE_UNKNOWN for NULL or any other string. */
enum idtype idtype_parse(const char *name);

/* Returns the stable snake_case name of t (a static string), or NULL if t is not a known type. */
const char *idtype_name(enum idtype t);

/* Returns the stable name of v ("none", "permit_hk", "permit_macao", "mainland_uscc", "hk_br",
 * "macao_cr"; a static string), or NULL if v is out of range. */
const char *idvariant_name(enum idvariant v);

/* Validates the number `in` (NUL-terminated UTF-8, borrowed for the call) as a document of type t.
 *
 * Accepted everywhere: spaces/tabs/ideographic spaces anywhere (removed), lower-case letters
 * (upper-cased), full-width ASCII (mapped to ASCII). Per type:
 *   mainland_id   17 digits + check digit 0-9/X (ISO 7064 MOD 11-2), birth date YYYYMMDD in
 *                 positions 7-14 (a real date, 1850 or later, not after today in China),
 *                 region code not 000000 -> e.g. "11010519491231002X" (X upper case)
 *   hk_id         1-2 letters, 6 digits, check 0-9/A with or without brackets -> "A123456(3)"
 *   macao_bir     7 digits + check digit, bracketed or not, '/' separators allowed
 *                 ("1/234567/8") -> "1234567(8)"; the check digit is not verified (the algorithm
 *                 is not public)
 *   mainland_travel_permit  H or M + 8 digits (cards since 2013) or + 10 digits (older cards:
 *                 8-digit lifelong number + 2-digit renewal count) -> "H12345678"
 *   passport      5-20 letters/digits -> upper case
 *   business_registration  an 18-char unified social credit code with a valid check character,
 *                 or 8 digits (Hong Kong BR, kept as written), or 1-7 digits (Macao commercial
 *                 registration, leading zeros dropped)
 *
 * Returns NULL when valid, else one of the error codes above (a static string).
 * On success writes the normalized form into norm (if norm is non-NULL; needs at most
 * IDNUM_NORM_MAX bytes). On failure, norm (if non-NULL and normcap > 0) holds "". */
const char *idnum_validate(enum idtype t, const char *in, char *norm, size_t normcap);

/* As idnum_validate, and on success also stores in *variant (if non-NULL) which form was
 * recognised: the permit's issuing region, or the business registration's jurisdiction;
 * IDVARIANT_NONE for the other types. *variant is left unchanged on failure. */
const char *idnum_validate_ex(enum idtype t, const char *in, char *norm, size_t normcap,
                              enum idvariant *variant);

#endif
