/* config.h: the stored sign-in of the user ($XDG_CONFIG_HOME/qiao/credentials.json, else
 * ~/.config/qiao/credentials.json; directory 0700, file 0600, replaced atomically). */
#ifndef QIAO_CLI_CONFIG_H
#define QIAO_CLI_CONFIG_H
#include <stdbool.h>

/* What is stored. Every string is malloc'd or NULL; creds_clear wipes the token and frees all. */
struct creds {
    char *server; /* the base URL the token belongs to */
    char *username;
    char *token;          /* the session token: never printed */
    char *language;       /* the user's language preference, a canonical tag */
    long long expires_at; /* Unix seconds; 0 when unknown */
};

enum cfg_status {
    CFG_OK,      /* loaded */
    CFG_NONE,    /* no file yet */
    CFG_DAMAGED, /* the file is not what qiao writes (ignored) */
    CFG_ERROR,   /* the file or directory cannot be read; errno says why */
};

/* The path of the credentials file (malloc'd, caller frees); NULL when neither
 * XDG_CONFIG_HOME nor HOME (nor the password database) gives a home. */
char *config_path(void);

/* Loads the credentials into *out (zeroed first). A file others may read is narrowed to 0600
 * and *narrowed set. On CFG_ERROR errno is kept. */
enum cfg_status config_load(struct creds *out, bool *narrowed);

/* Writes c (fields that are NULL are left out) to a fresh 0600 file in the 0700 directory,
 * created if need be, and renames it over the old one. 0 ok; -1 with errno set. */
int config_save(const struct creds *c);

/* Does the store hold a usable token for server? */
bool creds_has_session(const struct creds *c, const char *server);

/* Does t look like a token the server gives out (base64url, 16 to 512 characters)? Anything
 * else is neither stored nor sent. */
bool creds_token_ok(const char *t);

/* Wipes the token, frees every string, zeroes *c. */
void creds_clear(struct creds *c);

/* Replaces *slot with a copy of s (NULL allowed), wiping the old value; -1 out of memory. */
int creds_set(char **slot, const char *s);

/* Overwrites a string's bytes with zeros and frees it; NULL is fine. */
void wipe_free(char *s);
#endif
