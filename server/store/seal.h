/* seal.h: the store's use of the vault: a case's data key, and sealed columns whose associated
 * data names table, column, case and row, so a ciphertext moved elsewhere fails to open. For the
 * store module only. */
#ifndef QIAO_STORE_SEAL_H
#define QIAO_STORE_SEAL_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "vault/crypt.h"

struct sealer {
    int64_t case_id;
    struct vault_dk dk;
    bool ready;  /* the key is unwrapped */
    bool erased; /* the key was destroyed: protected fields read as absent */
};

/* The installation's directory key (users' names and contact details), unwrapped. */
enum st sealer_directory(struct db *db, struct sealer *s);
/* Wipes the cached directory key (at shutdown). */
void sealer_directory_forget(void);

/* Creates and stores a new data key for case_id (inside the caller's transaction). */
enum st sealer_create(struct db *db, int64_t case_id, struct sealer *s);
/* Loads and unwraps case_id's key; an erased case gives ready = false, erased = true, ST_OK.
 * ST_ERROR (logged) when the key does not open: wrong master key or tampering. */
enum st sealer_load(struct db *db, int64_t case_id, struct sealer *s);
void sealer_wipe(struct sealer *s);

/* Binds text sealed for (table.column, row) at parameter i, or NULL when text is NULL or "".
 * Returns SQLITE_OK or an error. */
int seal_bind(struct sealer *s, sqlite3_stmt *st, int i, const char *column, const char *row,
              const char *text);
/* Opens column col of the current row sealed for (column, row); malloc'd, NULL when absent or
 * erased (and on failure, which is logged). */
char *seal_open(struct sealer *s, sqlite3_stmt *st, int col, const char *column, const char *row);

/* Binds the 16-byte blind index of kind over a normalized value (NULL when value is empty). */
int blind_bind(sqlite3_stmt *st, int i, const char *kind, const char *value);
/* The blind key of a person's or company's name, the same for one name written in Simplified or
 * Traditional script, in any case or spacing (terms of the search normalizer, keyed). false for an
 * empty name or on failure. */
bool name_key(const char *name, uint8_t out[16]);

/* Binds name_key(name) at parameter i, or NULL. */
int name_key_bind(sqlite3_stmt *st, int i, const char *name);
#endif
