/* db.h: the store's own plumbing (SQLite), for the store module only. */
#ifndef QIAO_STORE_DB_H
#define QIAO_STORE_DB_H
#include <sqlite3.h>
#include <stdbool.h>

#include "store/store.h"

struct db;

/* The calling thread's connection, opened on first use; NULL if it cannot be opened (logged). */
struct db *db_get(void);
sqlite3 *db_handle(struct db *db);

/* A prepared statement for sql (a string literal: its address is the cache key), reset and with
 * its bindings cleared, ready to bind. Owned by the connection. NULL on error (logged). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Runs fn inside BEGIN IMMEDIATE … COMMIT, retrying the whole transaction on SQLITE_BUSY a bounded
 * number of times; rolls back when fn returns anything but ST_OK. */
enum st db_tx(enum st (*fn)(struct db *db, void *arg), void *arg);

/* Maps an SQLite result code to the store's scale (SQLITE_DONE/ROW → ok; constraint → conflict). */
enum st db_status(struct db *db, int rc, const char *what);

/* Steps a statement expected to finish (an INSERT/UPDATE/DELETE); ST_OK, ST_CONFLICT … */
enum st db_exec_stmt(struct db *db, sqlite3_stmt *s, const char *what);

/* Binds a NUL-terminated string or NULL (as SQL NULL). */
void db_bind_text(sqlite3_stmt *s, int i, const char *v);

/* A copy of column i as a malloc'd string, NULL when the column is NULL. */
char *db_col_strdup(sqlite3_stmt *s, int i);

/* Registers fn to run at store_close: a module's memory of what the database held (keys,
 * cached rosters) is dropped with it. Registering the same fn again changes nothing; at most 8. */
void db_on_close(void (*fn)(void));

/* Copies column i into buf (truncating; "" when NULL). */
void db_col_copy(sqlite3_stmt *s, int i, char *buf, size_t cap);
#endif
