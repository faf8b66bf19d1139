/* documents.c: uploading (multipart/form-data, the type judged from the bytes) and downloading. */
#include "api/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/doctype.h"
#include "http/multipart.h"
#include "i18n/text.h"
#include "store/audit_log.h"
#include "vault/digest.h"

#define CASE_DOCS_LIMIT (50LL * 1024 * 1024)

static const char *const doc_kinds[] = {"evidence", "id_copy", "power_of_attorney", "other", NULL};

static bool one_of(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(v, *list) == 0)
            return true;
    return false;
}

/* A text part as a NUL-terminated NFC string (malloc'd), or NULL when absent or not text. */
static char *text_part(const struct mp_part *p)
{
    if (!p || !utf8_valid(p->data, p->len) || text_has_controls(p->data, p->len, true))
        return NULL;
    return text_nfc(p->data, p->len);
}

void api_doc_upload(struct http_req *req)
{
    int64_t id = api_path_id(req, "id");
    struct resource r;
    enum st st;
    if (!api_case_visible(req, id, &r) || !api_allow(req, ACT_DOC_UPLOAD, &r))
        return;
    if (!r.open) { /* a decided, closed or erased case takes no more documents */
        http_reply_error(req, "case.transition_refused", NULL);
        return;
    }
    size_t len;
    const char *body = http_body(req, &len);
    struct mp_part parts[8];
    int n = multipart_parse(http_header(req, "Content-Type"), body, len, parts, 8);
    if (n < 0) {
        http_reply_error(req, "request.bad_multipart", NULL);
        return;
    }
    json_t *errors = json_array();
    const struct mp_part *file = multipart_get(parts, n, "file");
    char *title = text_part(multipart_get(parts, n, "title"));
    char *kind = text_part(multipart_get(parts, n, "kind"));
    char *vis = text_part(multipart_get(parts, n, "visibility"));
    const char *media = NULL;
    if (!file || file->len == 0)
        jsonin_error(errors, "file", "required", NULL);
    else if (file->len > DOC_FILE_LIMIT)
        jsonin_error(errors, "file", "file_too_large",
                     json_pack("{s:i}", "max", (int)(DOC_FILE_LIMIT / (1024 * 1024))));
    else if (!(media = doctype_sniff((const unsigned char *)file->data, file->len)))
        jsonin_error(errors, "file", "file_type", NULL);
    if (!title || !*title)
        jsonin_error(errors, "title", "required", NULL);
    else if (utf8_length(title, strlen(title)) > 200)
        jsonin_error(errors, "title", "too_long", json_pack("{s:i,s:i}", "min", 1, "max", 200));
    if (!kind)
        jsonin_error(errors, "kind", "required", NULL);
    else if (!one_of(kind, doc_kinds))
        jsonin_error(errors, "kind", "choice", json_pack("{s:s}", "choices",
                                                         "evidence, id_copy, power_of_attorney, other"));
    if (vis && strcmp(vis, "case") != 0 && strcmp(vis, "mediator") != 0)
        jsonin_error(errors, "visibility", "choice", json_pack("{s:s}", "choices", "case, mediator"));
    for (int i = 0; i < n; i++)
        if (!one_of(parts[i].name, (const char *const[]){"file", "title", "kind", "visibility",
                                                         NULL}))
            jsonin_error(errors, parts[i].name, "unknown", NULL);
    if (json_array_size(errors)) {
        http_reply_error(req, "request.validation", errors); /* steals errors */
        errors = NULL;
        goto out;
    }
    json_decref(errors);
    errors = NULL;
    const char *side = r.respondent && !r.applicant && !r.filer ? "respondent"
                       : (r.applicant || r.filer)               ? "applicant"
                                                                : NULL;
    const struct principal *p = api_principal(req);
    struct actor who = {p->user_id, role_name(p->role), http_client_addr(req)};
    int64_t doc_id = 0;
    st = store_doc_add(id, &who, side, title, kind, vis ? vis : "case", media, file->data,
                       file->len, CASE_DOCS_LIMIT, &doc_id);
    if (st == ST_CONFLICT) {
        http_reply_error(req, "document.case_quota", NULL);
        goto out;
    }
    if (st != ST_OK) {
        api_store_failed(req, st);
        goto out;
    }
    uint8_t sha[32];
    char hex[65];
    vault_sha256(file->data, file->len, sha);
    vault_hex32(sha, hex);
    char loc[96];
    snprintf(loc, sizeof loc, "/api/v1/cases/%lld/documents/%lld", (long long)id,
             (long long)doc_id);
    http_add_header(req, "Location", loc);
    http_reply_json(req, 201,
                    json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)doc_id, "title",
                              title, "kind", kind, "visibility", vis ? vis : "case", "media_type",
                              media, "size", (json_int_t)file->len, "sha256", hex));
out:
    json_decref(errors);
    free(title);
    free(kind);
    free(vis);
}

void api_doc_download(struct http_req *req)
{
    int64_t id = api_path_id(req, "id"), doc = api_path_id(req, "doc");
    struct resource r;
    if (!api_case_visible(req, id, &r))
        return;
    struct case_doc meta;
    enum st st = doc > 0 ? store_doc_meta(id, doc, &meta) : ST_NONE;
    if (st != ST_OK) {
        if (st == ST_NONE)
            http_reply_error(req, "document.not_found", NULL);
        else
            api_store_failed(req, st);
        return;
    }
    const struct principal *p = api_principal(req);
    r.doc_mediator_only = strcmp(meta.visibility, "mediator") == 0;
    r.doc_own_side = meta.uploaded_by == p->user_id ||
                     (meta.side[0] == 'a' && (r.applicant || r.filer)) ||
                     (meta.side[0] == 'r' && r.respondent);
    struct actor who = {p->user_id, role_name(p->role), http_client_addr(req)};
    if (!policy_allows(p, ACT_DOC_READ, &r)) {
        store_audit(&who, "document_refused", "case", id, "refused", "");
        /* a mediator-only document does not exist for the other side */
        http_reply_error(req, "document.not_found", NULL);
        return;
    }
    void *data = NULL;
    size_t len = 0;
    st = store_doc_get(id, doc, &meta, &data, &len);
    if (st != ST_OK) {
        if (st == ST_NONE)
            http_reply_error(req, "document.not_found", NULL);
        else
            api_store_failed(req, st);
        return;
    }
    store_audit(&who, "document_download", "case", id, "ok", meta.kind);
    char disp[96], hex[65];
    snprintf(disp, sizeof disp, "attachment; filename=\"document-%lld.%s\"", (long long)doc,
             doctype_extension(meta.media_type));
    vault_hex32(meta.sha256, hex);
    http_add_header(req, "Content-Disposition", disp);
    http_add_header(req, "X-Content-SHA256", hex);
    http_reply_bytes(req, 200, meta.media_type, data, len);
    free(meta.title);
    free(data);
}
