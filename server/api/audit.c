/* audit.c: the audit trail for auditors: read (filtered), export, verify, the public key. */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/accounts.h"
#include "store/audit_log.h"
#include "store/cases.h"
#include "vault/digest.h"

static json_t *entry_json(const struct audit_entry *e)
{
    char prev[65], hash[65];
    vault_hex32(e->prev_hash, prev);
    vault_hex32(e->hash, hash);
    return json_pack("{s:I,s:I,s:o,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "seq",
                     (json_int_t)e->seq, "ts", (json_int_t)e->ts, "actor_id",
                     e->actor_user_id ? json_integer(e->actor_user_id) : json_null(), "actor_role",
                     e->actor_role, "action", e->action, "object_type", e->object_type,
                     "object_id", (json_int_t)e->object_id, "outcome", e->outcome, "client_addr",
                     e->client_addr, "detail", e->detail, "prev_hash", prev, "hash", hash);
}

/* A small per-request memo of user ids to names (entries of a page share few actors). */
struct names {
    int64_t id[64];
    char name[64][33];
    int n;
};

static const char *username_of(struct names *m, int64_t id)
{
    if (!id)
        return NULL;
    for (int i = 0; i < m->n; i++)
        if (m->id[i] == id)
            return m->name[i];
    struct user u;
    if (store_user_get(id, &u) != ST_OK)
        return NULL;
    int slot = m->n < 64 ? m->n++ : 63;
    m->id[slot] = id;
    snprintf(m->name[slot], sizeof m->name[slot], "%s", u.username);
    return m->name[slot];
}

static json_t *entry_named(const struct audit_entry *e, struct names *m)
{
    json_t *j = entry_json(e);
    const char *u = username_of(m, e->actor_user_id);
    json_object_set_new(j, "actor", u ? json_string(u) : json_null());
    return j;
}

/* Strict non-negative integer query parameter; false (and an error appended) when malformed. */
static bool query_int(struct http_req *req, const char *name, int64_t *out, json_t *errors)
{
    const char *v = http_query(req, name);
    *out = 0;
    if (!v)
        return true;
    int64_t x = 0;
    bool ok = *v != 0 && strlen(v) <= 15;
    for (const char *p = v; ok && *p; p++) {
        ok = *p >= '0' && *p <= '9';
        x = x * 10 + (*p - '0');
    }
    if (!ok) {
        jsonin_error(errors, name, "type", json_pack("{s:s}", "expected", "integer"));
        return false;
    }
    *out = x;
    return true;
}

/* Reads the filter of ?case=&user=&from=&to= (times in Unix seconds). */
static bool read_filter(struct http_req *req, struct audit_filter *f)
{
    json_t *errors = json_array();
    memset(f, 0, sizeof *f);
    /* case: an id or a number (HQ-FAM-2026-000001); user: an id or a user name */
    const char *cs = http_query(req, "case"), *us = http_query(req, "user");
    if (cs && *cs && !(*cs >= '0' && *cs <= '9')) {
        if (store_case_id_by_number(cs, &f->object_id) != ST_OK)
            jsonin_error(errors, "case", "unknown_case", NULL);
    } else {
        query_int(req, "case", &f->object_id, errors);
    }
    if (us && *us && !(*us >= '0' && *us <= '9')) {
        struct user u;
        char h[8];
        if (store_user_by_username(us, &u, h, sizeof h) == ST_OK)
            f->actor_id = u.id;
        else
            jsonin_error(errors, "user", "unknown_user", NULL);
    } else {
        query_int(req, "user", &f->actor_id, errors);
    }
    query_int(req, "from", &f->from_ts, errors);
    query_int(req, "to", &f->to_ts, errors);
    if (f->object_id)
        f->object_type = "case";
    if (json_array_size(errors)) {
        http_reply_error(req, "request.invalid_query", errors);
        return false;
    }
    json_decref(errors);
    return true;
}

void api_audit_list(struct http_req *req)
{
    struct audit_filter f;
    int limit;
    int64_t cursor;
    if (!read_filter(req, &f) || !api_page(req, 50, 500, &limit, &cursor))
        return;
    struct audit_entry *page = calloc((size_t)limit, sizeof *page);
    int n = 0;
    enum st st = page ? store_audit_list(&f, cursor, limit, page, &n) : ST_ERROR;
    if (st != ST_OK) {
        free(page);
        api_store_failed(req, st);
        return;
    }
    json_t *items = json_array();
    struct names memo = {.n = 0};
    for (int i = 0; i < n; i++)
        json_array_append_new(items, entry_named(&page[i], &memo));
    char next[24];
    snprintf(next, sizeof next, "%lld", n ? (long long)page[n - 1].seq : 0LL);
    free(page);
    http_reply_json(req, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor",
                                        n == limit ? json_string(next) : json_null()));
}

void api_audit_export(struct http_req *req)
{
    struct audit_filter f;
    if (!read_filter(req, &f))
        return;
    const struct principal *p = api_principal(req);
    struct actor who = {p->user_id, role_name(p->role), http_client_addr(req)};
    enum st st = store_audit(&who, "audit_export", "audit", 0, "ok", "");
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    /* one JSON object per line, in pages, bounded to 100,000 entries per export */
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    struct audit_entry *page = calloc(1000, sizeof *page);
    int64_t cursor = 0;
    int n = 0, total = 0;
    struct names *memo = calloc(1, sizeof *memo);
    while (out && page && total < 100000 &&
           store_audit_list(&f, cursor, 1000, page, &n) == ST_OK && n > 0) {
        for (int i = 0; i < n; i++) {
            json_t *j = memo ? entry_named(&page[i], memo) : entry_json(&page[i]);
            char *line = json_dumps(j, JSON_COMPACT);
            json_decref(j);
            size_t l = line ? strlen(line) : 0;
            if (len + l + 2 > cap) {
                while (len + l + 2 > cap)
                    cap *= 2;
                char *grown = realloc(out, cap);
                if (!grown) {
                    free(line);
                    free(out);
                    out = NULL;
                    break;
                }
                out = grown;
            }
            memcpy(out + len, line, l);
            len += l;
            out[len++] = '\n';
            free(line);
        }
        cursor = page[n - 1].seq;
        total += n;
        if (n < 1000)
            break;
    }
    free(page);
    free(memo);
    if (!out) {
        http_reply_error(req, "internal", NULL);
        return;
    }
    http_add_header(req, "Content-Disposition", "attachment; filename=\"audit.ndjson\"");
    http_reply_bytes(req, 200, "application/x-ndjson", out, len);
    free(out);
}

void api_audit_verify(struct http_req *req)
{
    uint8_t pk[AUDIT_PK_LEN];
    if (store_audit_pinned_key(pk) != 0) {
        http_reply_error(req, "internal", NULL);
        return;
    }
    /* the live tail is signed first: whatever is then not under a signature was not written by
     * this server */
    store_audit_sign_head();
    struct audit_verify v;
    audit_verify_init(&v, pk);
    enum st st = store_audit_verify(&v);
    if (st != ST_OK) {
        api_store_failed(req, st);
        return;
    }
    bool covered = !v.entries || v.signed_through >= v.last_seq;
    http_reply_json(req, 200,
                    json_pack("{s:b,s:b,s:I,s:I,s:I,s:I,s:o,s:o}", "intact",
                              v.reason == NULL && covered, "covered", covered,
                              "entries", (json_int_t)v.entries, "last_seq",
                              (json_int_t)v.last_seq, "heads_verified",
                              (json_int_t)v.heads_verified, "signed_through",
                              (json_int_t)v.signed_through, "broken_seq",
                              v.reason ? json_integer(v.broken_seq) : json_null(), "reason",
                              v.reason ? json_string(v.reason) : json_null()));
}

void api_audit_public_key(struct http_req *req)
{
    uint8_t pk[AUDIT_PK_LEN];
    char hex[65];
    if (store_audit_pinned_key(pk) != 0) {
        http_reply_error(req, "internal", NULL);
        return;
    }
    vault_hex32(pk, hex);
    http_reply_json(req, 200, json_pack("{s:s,s:s,s:s}", "algorithm", "Ed25519", "public_key",
                                        hex, "signed_message",
                                        "\"qiao-audit-head-v1\" || i64be(seq) || i64be(ts) || "
                                        "hash(32)"));
}
