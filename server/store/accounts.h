/* accounts.h: centers, firms, users, sessions, the sign-in throttle and settings. */
#ifndef QIAO_STORE_ACCOUNTS_H
#define QIAO_STORE_ACCOUNTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/account.h"
#include "domain/policy.h"
#include "store/store.h"

struct center {
    int64_t id;
    char code[17];
    char name[4][801]; /* indexed by enum lang: en, zh-Hans, zh-Hant, pt */
    char jurisdiction[16];
    char place[401];
    char time_zone[32];
    char default_language[8];
    char calendar[16];
    bool family, commercial, cross_border;
};

struct firm {
    int64_t id;
    char code[17];
    char name[801];
    bool joint, share_matters;
    char offices[64]; /* comma-separated places */
};

struct user {
    int64_t id;
    char username[33];
    enum role role;
    char display_name[401];
    char email[255];
    char phone[21];
    char language[8];
    int64_t firm_id;
    char firm_code[17];
    int64_t center_ids[POLICY_MAX_CENTERS];
    char center_codes[POLICY_MAX_CENTERS][17];
    int ncenters;
    bool active;
    int64_t created_at;
};

/* ---- centers and firms ---- */
enum st store_center_create(const struct center *c, int64_t *id);
enum st store_center_by_code(const char *code, struct center *out);
/* Fills up to cap centers ordered by code; *n receives the count. */
enum st store_centers_list(struct center *out, size_t cap, size_t *n);

enum st store_firm_create(const struct firm *f, int64_t *id);
enum st store_firm_by_code(const char *code, struct firm *out);
enum st store_firms_list(struct firm *out, size_t cap, size_t *n);

/* ---- users ---- */
/* Creates u (its centers by u->center_ids) with the given password hash; ST_CONFLICT when the user
 * name is taken. Sets u->id. */
enum st store_user_create(struct user *u, const char *password_hash);
enum st store_user_get(int64_t id, struct user *out);
/* The user and their password hash (hash receives VAULT_PWHASH_LEN bytes at most). */
enum st store_user_by_username(const char *username, struct user *out, char *hash, size_t cap);
enum st store_user_set_language(int64_t id, const char *language);
/* Users in id order after the cursor (0: from the start), at most limit; *n the count. */
enum st store_users_list(int64_t after_id, int role_filter /* -1: all */, struct user *out,
                         size_t limit, size_t *n);

/* ---- sessions ---- */
enum st store_session_create(const uint8_t hash[32], int64_t user_id, int64_t expires_at);
/* The active user of a session and when it expires (the caller tells expired from valid);
 * ST_NONE if the session is unknown or its user disabled. */
enum st store_session_user(const uint8_t hash[32], struct user *out, int64_t *expires_at);
enum st store_session_delete(const uint8_t hash[32]);

/* ---- sign-in throttle ---- */
enum st store_throttle_get(const uint8_t key[16], struct throttle *out);
enum st store_throttle_put(const uint8_t key[16], const struct throttle *t);
enum st store_throttle_clear(const uint8_t key[16]);
/* One transaction: decides an attempt under key and counts it at once as a failure (a refused
 * attempt counts too), so that concurrent attempts cannot all slip past the limit; a successful
 * sign-in then clears (account) or forgives one (address). */
enum st store_throttle_attempt(const uint8_t key[16], enum throttle_kind kind, int64_t now,
                               enum throttle_verdict *verdict, int64_t *retry_after);
/* Takes back one counted failure (a sign-in from this address succeeded). */
enum st store_throttle_forgive(const uint8_t key[16]);

/* Seals users' names and contact details still stored in plaintext (from before they were
 * sealed); at start, after the keys are loaded. */
enum st store_seal_plain_users(void);

/* ---- settings ---- */
enum st store_setting_get(const char *key, char *value, size_t cap);
/* Inserts key; ST_CONFLICT if it is already set. */
enum st store_setting_insert(const char *key, const char *value);
#endif
