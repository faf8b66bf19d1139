/* db.c: connections (one per thread), the statement cache, transactions, migrations. */
#include "store/db.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STMT_CACHE 256
#define TX_RETRIES 50

struct embedded_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct embedded_file qiao_schema_files[];

struct stmt_slot {
    const char *sql;
    sqlite3_stmt *stmt;
};

struct db {
    sqlite3 *h;
    struct stmt_slot stmts[STMT_CACHE];
    int nstmts;
};

static char db_path[4096];
static pthread_key_t conn_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int schema_version;

static void log_db(const char *what, const char *msg)
{
    fprintf(stderr, "{\"event\":\"store_error\",\"what\":\"%s\",\"message\":\"%s\"}\n", what,
            msg ? msg : "");
}

static void conn_close(void *p)
{
    struct db *db = p;
    if (!db)
        return;
    for (int i = 0; i < db->nstmts; i++)
        sqlite3_finalize(db->stmts[i].stmt);
    sqlite3_close(db->h);
    free(db);
}

static void make_key(void)
{
    pthread_key_create(&conn_key, conn_close);
}

int64_t store_now(void)
{
    return (int64_t)time(NULL);
}

int64_t store_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int exec(sqlite3 *h, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        log_db("exec", msg);
    sqlite3_free(msg);
    return rc;
}

static sqlite3 *open_handle(const char *path, char *err, size_t cap)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, cap, "cannot open the database %s: %s", path,
                 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 5000);
    sqlite3_extended_result_codes(h, 1);
    if (exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON;") != SQLITE_OK) {
        snprintf(err, cap, "cannot configure the database %s: %s", path, sqlite3_errmsg(h));
        sqlite3_close(h);
        return NULL;
    }
    return h;
}

struct db *db_get(void)
{
    pthread_once(&key_once, make_key);
    struct db *db = pthread_getspecific(conn_key);
    if (db)
        return db;
    if (!db_path[0])
        return NULL;
    db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    char err[512];
    db->h = open_handle(db_path, err, sizeof err);
    if (!db->h) {
        log_db("open", err);
        free(db);
        return NULL;
    }
    pthread_setspecific(conn_key, db);
    return db;
}

sqlite3 *db_handle(struct db *db)
{
    return db->h;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
    for (int i = 0; i < db->nstmts; i++) {
        if (db->stmts[i].sql == sql) {
            sqlite3_stmt *s = db->stmts[i].stmt;
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            return s;
        }
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        log_db("prepare", sqlite3_errmsg(db->h));
        return NULL;
    }
    if (db->nstmts < STMT_CACHE) {
        db->stmts[db->nstmts].sql = sql;
        db->stmts[db->nstmts].stmt = s;
        db->nstmts++;
    } else {
        log_db("prepare", "statement cache full");
    }
    return s;
}

enum st db_status(struct db *db, int rc, const char *what)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return ST_OK;
    case SQLITE_CONSTRAINT:
        return ST_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ST_BUSY;
    default:
        log_db(what, db ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        return ST_ERROR;
    }
}

enum st db_exec_stmt(struct db *db, sqlite3_stmt *s, const char *what)
{
    if (!s)
        return ST_ERROR;
    int rc = sqlite3_step(s);
    enum st r = db_status(db, rc, what);
    sqlite3_reset(s);
    return r;
}

void db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

char *db_col_strdup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

void db_col_copy(sqlite3_stmt *s, int i, char *buf, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(buf, cap, "%s", t ? (const char *)t : "");
}

enum st db_tx(enum st (*fn)(struct db *db, void *arg), void *arg)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
        sqlite3_stmt *b = db_stmt(db, "BEGIN IMMEDIATE");
        int rc = b ? sqlite3_step(b) : SQLITE_ERROR;
        if (b)
            sqlite3_reset(b);
        if ((rc & 0xff) == SQLITE_BUSY) {
            usleep(1000u * (unsigned)(1 + attempt));
            continue;
        }
        if (rc != SQLITE_DONE)
            return db_status(db, rc, "begin");
        enum st r = fn(db, arg);
        if (r == ST_OK) {
            sqlite3_stmt *c = db_stmt(db, "COMMIT");
            rc = c ? sqlite3_step(c) : SQLITE_ERROR;
            if (c)
                sqlite3_reset(c);
            if (rc == SQLITE_DONE)
                return ST_OK;
            r = db_status(db, rc, "commit");
        }
        sqlite3_stmt *rb = db_stmt(db, "ROLLBACK");
        if (rb) {
            sqlite3_step(rb);
            sqlite3_reset(rb);
        }
        if (r != ST_BUSY)
            return r;
        usleep(1000u * (unsigned)(1 + attempt));
    }
    return ST_BUSY;
}

/* Applies each embedded migration not yet recorded, each in its own transaction. */
static int migrate(sqlite3 *h, char *err, size_t cap)
{
    if (exec(h, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)") !=
        SQLITE_OK) {
        snprintf(err, cap, "cannot create the migrations table: %s", sqlite3_errmsg(h));
        return -1;
    }
    /* a migration may rebuild a table others refer to: references are checked after, not
     * enforced during (SQLite's procedure for altering tables) */
    exec(h, "PRAGMA foreign_keys=OFF");
    for (const struct embedded_file *f = qiao_schema_files; f->name; f++) {
        int version = atoi(f->name);
        if (version <= 0)
            continue;
        sqlite3_stmt *s;
        sqlite3_prepare_v2(h, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &s, NULL);
        sqlite3_bind_int(s, 1, version);
        int done = sqlite3_step(s) == SQLITE_ROW;
        sqlite3_finalize(s);
        if (done) {
            schema_version = version;
            continue;
        }
        char *msg = NULL;
        if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(h, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, cap, "migration %s failed: %s", f->name, msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        sqlite3_prepare_v2(h, "INSERT INTO schema_migrations(version, name, applied_at) "
                              "VALUES (?, ?, unixepoch())", -1, &s, NULL);
        sqlite3_bind_int(s, 1, version);
        sqlite3_bind_text(s, 2, f->name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE || sqlite3_exec(h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, cap, "migration %s could not be recorded: %s", f->name,
                     msg ? msg : sqlite3_errmsg(h));
            sqlite3_free(msg);
            sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        schema_version = version;
    }
    sqlite3_stmt *fk;
    int broken = 0;
    if (sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &fk, NULL) == SQLITE_OK) {
        broken = sqlite3_step(fk) == SQLITE_ROW;
        sqlite3_finalize(fk);
    }
    exec(h, "PRAGMA foreign_keys=ON");
    if (broken) {
        snprintf(err, cap, "the database has broken references after migrating");
        return -1;
    }
    return 0;
}

int store_open(const char *data_dir, char *err, size_t cap)
{
    static int configured;
    if (!configured) {
        /* Memory statistics serialize every allocation on one mutex; readers scale without it. */
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        configured = 1;
    }
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, cap, "cannot create the data directory %s: %s", data_dir, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (stat(data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(err, cap, "the data directory %s is not a directory", data_dir);
        return -1;
    }
    if (access(data_dir, R_OK | W_OK | X_OK) != 0) {
        snprintf(err, cap, "the data directory %s is not writable: %s", data_dir,
                 strerror(errno));
        return -1;
    }
    if ((size_t)snprintf(db_path, sizeof db_path, "%s/qiao.db", data_dir) >= sizeof db_path) {
        snprintf(err, cap, "the data directory's path is too long");
        db_path[0] = 0;
        return -1;
    }
    sqlite3 *h = open_handle(db_path, err, cap);
    if (!h) {
        db_path[0] = 0;
        return -1;
    }
    int rc = migrate(h, err, cap);
    sqlite3_close(h);
    if (rc != 0)
        db_path[0] = 0;
    return rc;
}

#define MAX_CLOSE_HOOKS 8
static pthread_mutex_t hooks_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*close_hooks[MAX_CLOSE_HOOKS])(void);
static int nclose_hooks;

void db_on_close(void (*fn)(void))
{
    pthread_mutex_lock(&hooks_lock);
    bool known = false;
    for (int i = 0; i < nclose_hooks; i++)
        known |= close_hooks[i] == fn;
    if (!known && nclose_hooks < MAX_CLOSE_HOOKS)
        close_hooks[nclose_hooks++] = fn;
    pthread_mutex_unlock(&hooks_lock);
}

void store_close(void)
{
    pthread_mutex_lock(&hooks_lock);
    for (int i = 0; i < nclose_hooks; i++)
        close_hooks[i]();
    pthread_mutex_unlock(&hooks_lock);
    pthread_once(&key_once, make_key);
    struct db *db = pthread_getspecific(conn_key);
    if (db) {
        conn_close(db);
        pthread_setspecific(conn_key, NULL);
    }
    db_path[0] = 0;
}

int store_schema_version(void)
{
    return schema_version;
}

int store_open_existing(const char *data_dir, char *err, size_t cap)
{
    if ((size_t)snprintf(db_path, sizeof db_path, "%s/qiao.db", data_dir) >= sizeof db_path ||
        access(db_path, R_OK) != 0) {
        snprintf(err, cap, "there is no Qiao database in %s", data_dir);
        db_path[0] = 0;
        return -1;
    }
    return 0;
}

void store_bulk_mode(void)
{
    struct db *db = db_get();
    if (db)
        exec(db->h, "PRAGMA synchronous=OFF");
}

enum st store_read_begin(void)
{
    struct db *db = db_get();
    if (!db)
        return ST_ERROR;
    sqlite3_stmt *b = db_stmt(db, "BEGIN");
    int rc = b ? sqlite3_step(b) : SQLITE_ERROR;
    if (b)
        sqlite3_reset(b);
    return db_status(db, rc, "read_begin");
}

void store_read_end(void)
{
    struct db *db = db_get();
    if (!db || sqlite3_get_autocommit(db->h))
        return;
    sqlite3_stmt *c = db_stmt(db, "COMMIT");
    if (c) {
        sqlite3_step(c);
        sqlite3_reset(c);
    }
}
