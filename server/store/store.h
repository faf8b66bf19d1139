/* store.h: the store's public face. The store is the only code that speaks SQL; handlers see plain
 * structs and one status scale, never SQLite types. One connection per thread, opened on first use. */
#ifndef QIAO_STORE_H
#define QIAO_STORE_H
#include <stddef.h>
#include <stdint.h>

enum st {
    ST_OK = 0,   /* done */
    ST_NONE,     /* no such row */
    ST_CONFLICT, /* a uniqueness or state conflict: the caller's request cannot be applied */
    ST_BUSY,     /* the database stayed locked past the retry budget: try again later */
    ST_ERROR,    /* a hard error (logged): a bug or a broken disk */
};

/* Opens (creating if need be) the database in data_dir and applies pending migrations.
 * Idempotent across runs. 0 ok; -1 with a message in err. */
int store_open(const char *data_dir, char *err, size_t errcap);

/* Opens an existing database without creating or migrating anything (for read-only commands such
 * as audit-verify). 0 ok; -1 with a message in err. */
int store_open_existing(const char *data_dir, char *err, size_t errcap);

/* Closes the calling thread's connection and forgets the data directory. Worker threads' own
 * connections close when those threads exit. */
void store_close(void);

/* The number of migrations applied and the highest version (for --version and health). */
int store_schema_version(void);

/* For loading benchmark data only: the calling thread's connection commits without waiting for
 * the disk (synchronous=OFF). Never used while serving. */
void store_bulk_mode(void);

/* A read snapshot on the calling thread's connection: every read between begin and end sees one
 * state of the database and takes the file locks once, not once per statement. Not for use
 * around writes (those have their own transactions). */
enum st store_read_begin(void);
void store_read_end(void);

/* Unix time in seconds (one clock for the whole store; tests may not fake it). */
int64_t store_now(void);
/* The same in milliseconds. */
int64_t store_now_ms(void);
#endif
