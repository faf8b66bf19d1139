/* search.c: keyed search terms for cases, and queries over them. */
#include "store/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n/searchnorm.h"
#include "vault/crypt.h"

/* A growing space-separated list of keyed terms. */
struct terms {
    char *buf;
    size_t len, cap;
    int failed;
};

static void add_term(void *ctx, const char *term, size_t len)
{
    struct terms *t = ctx;
    char tok[VAULT_SEARCH_TOKEN_CHARS + 1];
    if (t->failed || vault_search_token(term, len, tok) != 0) {
        t->failed = 1;
        return;
    }
    if (t->len + VAULT_SEARCH_TOKEN_CHARS + 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->failed = 1;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
    if (t->len)
        t->buf[t->len++] = ' ';
    memcpy(t->buf + t->len, tok, VAULT_SEARCH_TOKEN_CHARS);
    t->len += VAULT_SEARCH_TOKEN_CHARS;
    t->buf[t->len] = 0;
}

static void add_text(struct terms *t, const char *text)
{
    if (text && *text && search_terms(text, strlen(text), add_term, t) < 0)
        t->failed = 1;
}

enum st scope_tokens(struct db *db, int64_t case_id, char **out);

/* Adds the opened texts of column `column` (sealed for rows named by `rowfmt`) of the rows
 * selected by sql (?1 = case id; column 0 = the row key used in the associated data). */
static void add_rows(struct db *db, struct sealer *s, struct terms *t, const char *sql,
                     const char *column, char prefix)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st) {
        t->failed = 1;
        return;
    }
    sqlite3_bind_int64(st, 1, s->case_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char row[32];
        if (prefix == 'p') /* parties: side initial and position */
            snprintf(row, sizeof row, "%c%d", sqlite3_column_text(st, 0)[0],
                     sqlite3_column_int(st, 1));
        else
            snprintf(row, sizeof row, "%c%lld", prefix, (long long)sqlite3_column_int64(st, 0));
        for (int c = 2; c < sqlite3_column_count(st); c++) {
            char *text = seal_open(s, st, c, c == 2 ? column : "parties.name_latin", row);
            add_text(t, text);
            free(text);
        }
    }
    sqlite3_reset(st);
}

enum st search_reindex(struct db *db, struct sealer *s, int64_t case_id)
{
    struct terms t = {0};
    sqlite3_stmt *st = db_stmt(db, "SELECT number, title, summary, request FROM cases WHERE id = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, case_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        add_text(&t, (const char *)sqlite3_column_text(st, 0));
        static const char *const cols[] = {"cases.title", "cases.summary", "cases.request"};
        for (int i = 0; i < 3; i++) {
            char *text = seal_open(s, st, 1 + i, cols[i], "");
            add_text(&t, text);
            free(text);
        }
    }
    sqlite3_reset(st);
    add_rows(db, s, &t, "SELECT side, position, name, name_latin FROM parties WHERE case_id = ?",
             "parties.name", 'p');
    add_rows(db, s, &t, "SELECT position, 0, description FROM claims WHERE case_id = ? "
                        "AND length(description) > 0", "claims.description", 'c');
    add_rows(db, s, &t, "SELECT id, 0, title FROM documents WHERE case_id = ?", "documents.title",
             'd');
    if (t.failed) {
        free(t.buf);
        return ST_ERROR;
    }
    enum st r = search_forget(db, case_id);
    char *scope = NULL;
    if (r == ST_OK)
        r = scope_tokens(db, case_id, &scope);
    if (r == ST_OK) {
        sqlite3_stmt *ins = db_stmt(db, "INSERT INTO case_search(rowid, terms, scope) "
                                        "VALUES (?, ?, ?)");
        if (!ins)
            r = ST_ERROR;
        else {
            sqlite3_bind_int64(ins, 1, case_id);
            sqlite3_bind_text(ins, 2, t.buf ? t.buf : "", (int)t.len, SQLITE_STATIC);
            db_bind_text(ins, 3, scope ? scope : "");
            r = db_exec_stmt(db, ins, "search_index");
        }
    }
    free(scope);
    free(t.buf);
    return r;
}

/* The keyed token of an access subject ("u:7", "f:1", "c:2"). */
static bool subject_token(const char *subject, char out[VAULT_SEARCH_TOKEN_CHARS + 1])
{
    char label[48];
    snprintf(label, sizeof label, "scope %s", subject);
    return vault_search_token(label, strlen(label), out) == 0;
}

enum st scope_tokens(struct db *db, int64_t case_id, char **out)
{
    *out = NULL;
    /* who may list it (case_access), drafts only their filer; staff through the center */
    sqlite3_stmt *q = db_stmt(db, "SELECT a.subject FROM case_access a JOIN cases c ON c.id = "
                                  "a.case_id WHERE a.case_id = ?1 AND (c.status <> 'draft' OR "
                                  "a.subject = 'u:' || c.filed_by) UNION ALL SELECT 'c:' || "
                                  "center_id FROM cases WHERE id = ?1 AND status <> 'draft'");
    if (!q)
        return ST_ERROR;
    sqlite3_bind_int64(q, 1, case_id);
    size_t cap = 256, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        sqlite3_reset(q);
        return ST_ERROR;
    }
    buf[0] = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        char tok[VAULT_SEARCH_TOKEN_CHARS + 1];
        if (!subject_token((const char *)sqlite3_column_text(q, 0), tok))
            continue;
        if (len + VAULT_SEARCH_TOKEN_CHARS + 2 > cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                break;
            buf = b;
        }
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? " " : "", tok);
    }
    sqlite3_reset(q);
    *out = buf;
    return ST_OK;
}

enum st search_rescope(struct db *db, int64_t case_id)
{
    char *scope = NULL;
    enum st r = scope_tokens(db, case_id, &scope);
    if (r != ST_OK)
        return r;
    sqlite3_stmt *u = db_stmt(db, "UPDATE case_search SET scope = ? WHERE rowid = ?");
    if (!u) {
        free(scope);
        return ST_ERROR;
    }
    db_bind_text(u, 1, scope);
    sqlite3_bind_int64(u, 2, case_id);
    r = db_exec_stmt(db, u, "search_rescope");
    free(scope);
    return r;
}

char *search_scope_expr(const char *query, const char *subject)
{
    char *terms = search_match_expr(query);
    char tok[VAULT_SEARCH_TOKEN_CHARS + 1];
    if (!terms || !subject_token(subject, tok)) {
        free(terms);
        return NULL;
    }
    size_t n = strlen(terms) + 2 * VAULT_SEARCH_TOKEN_CHARS + 64;
    char *expr = malloc(n);
    if (expr) /* every term in the text, and the caller's subject among those who may find it */
        snprintf(expr, n, "terms : (%s) AND scope : %s", terms, tok);
    free(terms);
    return expr;
}

enum st search_forget(struct db *db, int64_t case_id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM case_search WHERE rowid = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, case_id);
    return db_exec_stmt(db, st, "search_forget");
}

char *search_match_expr(const char *query)
{
    struct terms t = {0};
    if (search_query_terms(query, strlen(query), add_term, &t) < 0 || t.failed || !t.len) {
        free(t.buf);
        return NULL;
    }
    return t.buf; /* space-separated bare terms: FTS5 requires them all (implicit AND) */
}
