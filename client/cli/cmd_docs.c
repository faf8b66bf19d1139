/* cmd_docs.c: `qiao docs upload` and `qiao docs download`. Documents go up as multipart/form-data
 * (refused here above 10 MiB, before anything is sent) and come down bounded in size, checked
 * against the server's SHA-256 and written atomically, never over an existing file without
 * --force. Document bytes are wiped from memory once done with. */
#include "cmd_cases.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

#define NAME_MAX_BYTES 200 /* a file name taken from the server */

static const char *const doc_kinds[] = {"evidence", "id_copy", "power_of_attorney", "other", NULL};
static const char *const visibilities[] = {"case", "mediator", NULL};

/* Is v one of the NULL-terminated list? */
static bool one_of(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(v, *list) == 0)
            return true;
    return false;
}

/* Is s a positive decimal id (no sign, no leading zero, at most 15 digits)? */
static bool doc_id_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 15 && s[0] != '0' && strspn(s, "0123456789") == n;
}

/* The name to send with the file part: the last component of path with quotes, backslashes
 * and controls replaced (the server judges the file by its bytes, not by this name). */
static char *part_filename(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *out = strdup(*base && strcmp(path, "-") != 0 ? base : "upload");
    for (char *p = out; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F || *p == '"' || *p == '\\')
            *p = '_';
    return out;
}

/* `qiao docs upload CASE FILE --title T --kind K [--visibility V]`: the file (at most DOC_MAX,
 * checked before sending) goes up as multipart/form-data; the SHA-256 the server reports must be
 * the file's. */
static int docs_upload(struct cli *c, int argc, char **argv)
{
    const char *title = NULL, *kind = NULL, *vis = NULL, *pos[2];
    int npos;
    const struct opt opts[] = {{"--title", NULL, &title, NULL},
                               {"--kind", NULL, &kind, NULL},
                               {"--visibility", NULL, &vis, NULL}};
    int x = parse_args(c,
                       "docs upload CASE FILE --title T --kind "
                       "evidence|id_copy|power_of_attorney|other [--visibility case|mediator]",
                       argc, argv, opts, 3, pos, 2, 2, &npos);
    if (x != QX_OK)
        return x;
    if (!title || !*title)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.option_needed",
                    ARGS(A_STR("option", "--title")));
    if (!kind)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.option_needed",
                    ARGS(A_STR("option", "--kind")));
    if (!one_of(kind, doc_kinds))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_choice",
                    ARGS(A_STR("option", "--kind"), A_STR("value", kind),
                         A_STR("choices", "evidence, id_copy, power_of_attorney, other")));
    if (vis && !one_of(vis, visibilities))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_choice",
                    ARGS(A_STR("option", "--visibility"), A_STR("value", vis),
                         A_STR("choices", "case, mediator")));
    long long id;
    if ((x = check_session(c)) != QX_OK || (x = resolve_case(c, pos[0], &id)) != QX_OK)
        return x;
    char *data, local[65];
    size_t len;
    if ((x = read_input_file(c, pos[1], DOC_MAX, &data, &len)) != QX_OK)
        return x;
    sha256_hex(data, len, local);
    char *fname = part_filename(pos[1]);
    if (!fname) {
        explicit_bzero(data, len);
        free(data);
        return fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
    }
    struct form_part parts[4] = {
        {"file", data, len, fname},
        {"title", title, strlen(title), NULL},
        {"kind", kind, strlen(kind), NULL},
        {"visibility", vis ? vis : "", vis ? strlen(vis) : 0, NULL},
    };
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/documents", id);
    struct request rq = {c->server, "POST", path, NULL, c->creds.token, c->lang};
    struct http_extra ex = {.form = parts, .nform = vis ? 4 : 3, .timeout = TRANSFER_TIMEOUT};
    struct reply r;
    x = api_call(c, &rq, &ex, &r, 201, 201);
    explicit_bzero(data, len);
    free(data);
    free(fname);
    const char *remote = json_string_value(json_object_get(r.json, "sha256"));
    if (x == QX_OK && (!remote || strcasecmp(remote, local) != 0)) {
        /* what the server stored is not what was read here */
        x = fail(c, QX_NETWORK, "cli.integrity", "cli.error.upload_mismatch",
                 ARGS(A_STR("local", local)));
    } else if (x == QX_OK && c->json) {
        print_json(r.json);
    } else if (x == QX_OK) {
        char doc[32], size[32];
        snprintf(doc, sizeof doc, "%lld",
                 (long long)json_integer_value(json_object_get(r.json, "id")));
        snprintf(size, sizeof size, "%zu", len);
        const char *media = json_string_value(json_object_get(r.json, "media_type"));
        char *st = safe_text(title, true), *sm = safe_text(media ? media : "?", true);
        if (st && sm)
            say(stdout, c, "cli.docs.uploaded",
                ARGS(A_STR("title", st), A_STR("doc", doc), A_STR("size", size), A_STR("type", sm),
                     A_STR("sha", local)));
        free(st);
        free(sm);
    }
    reply_free(&r);
    return x;
}

/* Decodes %XX escapes of s in place; false when an escape is malformed. */
static bool percent_decode(char *s)
{
    char *o = s;
    for (const char *p = s; *p; p++) {
        if (*p != '%') {
            *o++ = *p;
            continue;
        }
        unsigned v;
        if (!p[1] || !p[2] || sscanf(p + 1, "%2x", &v) != 1 || v == 0)
            return false;
        *o++ = (char)v;
        p += 2;
    }
    *o = '\0';
    return true;
}

/* The file name a Content-Disposition value suggests (filename*=UTF-8''… preferred, else
 * filename="…" or filename=token), reduced to a plain name safe to create: its last path
 * component, valid UTF-8, no controls, not starting with a dot, at most NAME_MAX_BYTES.
 * malloc'd, or NULL when there is no usable name. */
static char *disposition_name(const char *v)
{
    char *name = NULL;
    const char *p;
    if (!v)
        return NULL;
    if ((p = strcasestr(v, "filename*=")) != NULL) {
        p += strlen("filename*=");
        if (strncasecmp(p, "UTF-8''", 7) == 0) {
            name = strndup(p + 7, strcspn(p + 7, "; \t"));
            if (name && !percent_decode(name)) {
                free(name);
                name = NULL;
            }
        }
    }
    if (!name && (p = strcasestr(v, "filename=")) != NULL) {
        p += strlen("filename=");
        if (*p == '"') {
            name = malloc(strlen(p));
            char *o = name;
            for (p++; name && *p && *p != '"'; p++)
                *o++ = *p == '\\' && p[1] ? *++p : *p;
            if (name)
                *o = '\0';
        } else {
            name = strndup(p, strcspn(p, "; \t"));
        }
    }
    if (!name)
        return NULL;
    const char *base = name;
    for (const char *q = name; *q; q++)
        if (*q == '/' || *q == '\\')
            base = q + 1;
    while (*base == '.' || *base == ' ')
        base++;
    bool ok = *base && strlen(base) <= NAME_MAX_BYTES;
    for (const unsigned char *q = (const unsigned char *)base; ok && *q; q++)
        ok = *q >= 0x20 && *q != 0x7F;
    json_t *utf8 = ok ? json_string(base) : NULL; /* jansson refuses what is not UTF-8 */
    char *safe = utf8 ? safe_text(base, true) : NULL;
    json_decref(utf8);
    if (safe && strcmp(safe, base) != 0) { /* it held bidirectional controls */
        free(safe);
        safe = NULL;
    }
    free(name);
    return safe;
}

/* Writes len bytes to path through a temporary file in the same directory, flushed to disk,
 * then moved into place: without force only if nothing is at path (checked by the kernel in
 * the same step, so nothing is ever overwritten), with force replacing what is there. The file
 * is readable by its owner only. 0 ok; -1 with errno set (EEXIST: path exists). */
static int write_atomic(const char *path, const char *data, size_t len, bool force)
{
    const char *slash = strrchr(path, '/');
    char *tmp = NULL;
    int rc = -1, e = 0;
    if (asprintf(&tmp, "%.*s%s.qiao-download-XXXXXX", slash ? (int)(slash - path) : 1,
                 slash ? path : ".", "/") < 0)
        return -1;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        e = errno;
        goto out;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t k = write(fd, data + done, len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            e = k < 0 ? errno : EIO;
            break;
        }
        done += (size_t)k;
    }
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && force && rename(tmp, path) != 0)
        e = errno;
    if (!e && !force && renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
        e = errno;
        if (e == EINVAL || e == ENOSYS) { /* a file system without it: link() refuses too */
            e = link(tmp, path) == 0 ? 0 : errno;
            unlink(tmp);
        }
    }
    if (e) {
        unlink(tmp);
    } else { /* the new name reaches the disk too */
        rc = 0;
        tmp[slash ? (size_t)(slash - path) + (slash == path) : 1] = '\0';
        int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
out:
    free(tmp);
    errno = e;
    return rc;
}

/* Is something (anything, even a dangling link) at path? */
static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Is path a directory (following links)? */
static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Checks the downloaded bytes of r against its X-Content-SHA256 header (headers[1]); hex gets
 * their digest. QX_OK, or the reported failure (QX_NETWORK): nothing is saved then. */
static int verify(const struct cli *c, const struct reply *r, char hex[65])
{
    sha256_hex(r->body ? r->body : "", r->len, hex);
    const char *claimed = r->headers[1];
    if (!claimed || strlen(claimed) != 64 || strspn(claimed, "0123456789abcdefABCDEF") != 64)
        return fail(c, QX_NETWORK, "cli.integrity", "cli.error.no_checksum",
                    ARGS(A_STR("server", c->server)));
    if (strcasecmp(claimed, hex) != 0)
        return fail(c, QX_NETWORK, "cli.integrity", "cli.error.checksum_mismatch",
                    ARGS(A_STR("expected", claimed), A_STR("actual", hex)));
    return QX_OK;
}

/* Where to save: -o PATH, a directory given with -o, or the current directory, under the name
 * the server suggests (else document-DOC.bin). malloc'd. */
static char *target_path(const char *out, const char *disposition, const char *doc)
{
    char *name = disposition_name(disposition), *path = NULL;
    if (!name && asprintf(&name, "document-%s.bin", doc) < 0)
        return NULL;
    if (out && !is_dir(out))
        path = strdup(out);
    else if (out &&
             asprintf(&path, "%s%s%s", out, out[strlen(out) - 1] == '/' ? "" : "/", name) < 0)
        path = NULL;
    else if (!out)
        path = strdup(name);
    free(name);
    return path;
}

/* Prints what download did. */
static void report_download(const struct cli *c, long long id, const char *doc, const char *path,
                            const struct reply *r, const char *hex)
{
    if (c->json) {
        json_t *j = json_pack("{s:I,s:I,s:s,s:I,s:s,s:s?}", "case", (json_int_t)id, "document",
                              (json_int_t)strtoll(doc, NULL, 10), "path", path, "size",
                              (json_int_t)r->len, "sha256", hex, "media_type", r->headers[2]);
        if (j)
            print_json(j);
        json_decref(j);
        return;
    }
    char size[32];
    snprintf(size, sizeof size, "%zu", r->len);
    char *sp = safe_text(path, true);
    if (sp)
        say(stdout, c, "cli.docs.downloaded",
            ARGS(A_STR("path", sp), A_STR("size", size), A_STR("sha", hex)));
    free(sp);
}

/* `qiao docs download CASE DOC [-o PATH] [--force]`: GET the document (at most DOC_REPLY_MAX),
 * verify it against X-Content-SHA256, then write it atomically (or to standard output). */
static int docs_download(struct cli *c, int argc, char **argv)
{
    const char *out = NULL, *pos[2];
    bool force = false;
    int npos;
    const struct opt opts[] = {{"--output", "-o", &out, NULL}, {"--force", NULL, NULL, &force}};
    int x = parse_args(c, "docs download CASE DOC [-o PATH] [--force]", argc, argv, opts, 2, pos, 2,
                       2, &npos);
    if (x != QX_OK)
        return x;
    if (!doc_id_ok(pos[1]))
        return fail(c, QX_USAGE, "cli.usage", "cli.error.bad_doc_id", ARGS(A_STR("doc", pos[1])));
    if (out && !*out)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.missing_value",
                    ARGS(A_STR("option", "--output")));
    bool to_stdout = out && strcmp(out, "-") == 0;
    if (to_stdout && c->json)
        return fail(c, QX_USAGE, "cli.usage", "cli.error.json_and_stdout", NOARGS);
    if (out && !to_stdout && !force && !is_dir(out) && exists(out)) /* fail before downloading */
        return fail(c, QX_LOCAL, "cli.file_exists", "cli.error.file_exists",
                    ARGS(A_STR("path", out)));
    long long id;
    if ((x = check_session(c)) != QX_OK || (x = resolve_case(c, pos[0], &id)) != QX_OK)
        return x;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/documents/%s", id, pos[1]);
    static const char *const want[] = {"Content-Disposition", "X-Content-SHA256", "Content-Type",
                                       NULL};
    struct request rq = {c->server, "GET", path, NULL, c->creds.token, c->lang};
    struct http_extra ex = {
        .want = want, .max_reply = DOC_REPLY_MAX, .timeout = TRANSFER_TIMEOUT, .binary = true};
    struct reply r;
    char detail[256], hex[65];
    enum net n = http_call_ex(&rq, &ex, &r, detail, sizeof detail);
    if (n == NET_TOO_LARGE)
        x = fail(c, QX_NETWORK, "cli.network", "cli.error.doc_too_large",
                 ARGS(A_STR("server", c->server), A_NUM("mib", DOC_MAX / (1024 * 1024))));
    else if (n != NET_OK)
        x = fail_net(c, n, detail);
    else if (r.status != 200)
        x = fail_reply(c, &r, true);
    else
        x = verify(c, &r, hex);
    if (x != QX_OK) {
        reply_free(&r);
        return x;
    }
    if (to_stdout) {
        if (r.len && fwrite(r.body, 1, r.len, stdout) != r.len)
            x = fail(c, QX_LOCAL, "cli.file", "cli.error.file_write",
                     ARGS(A_STR("path", "-"), A_STR("reason", strerror(errno))));
        reply_free(&r);
        return x;
    }
    char *target = target_path(out, r.headers[0], pos[1]);
    if (!target) {
        x = fail(c, QX_LOCAL, "cli.no_memory", "cli.error.no_memory", NOARGS);
    } else if (write_atomic(target, r.body ? r.body : "", r.len, force) != 0) {
        if (errno == EEXIST)
            x = fail(c, QX_LOCAL, "cli.file_exists", "cli.error.file_exists",
                     ARGS(A_STR("path", target)));
        else
            x = fail(c, QX_LOCAL, "cli.file", "cli.error.file_write",
                     ARGS(A_STR("path", target), A_STR("reason", strerror(errno))));
    } else {
        report_download(c, id, pos[1], target, &r, hex);
    }
    free(target);
    reply_free(&r);
    return x;
}

/* `qiao docs SUBCOMMAND`. */
int cmd_docs(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"upload", docs_upload}, {"download", docs_download}};
    return run_subcommand(c, "docs", subs, 2, argc, argv);
}
