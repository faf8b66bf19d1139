/* config.c: the credentials file: found under the XDG configuration directory, read with
 * suspicion (no symlinks, owner only, bounded size), written safely (mkostemp gives a 0600 file
 * that nobody else could ever read, then fsync and rename over the old one). */
#include "config.h"

#include "http.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CREDS_FILE "credentials.json"
#define CREDS_MAX_BYTES (64 * 1024)

void wipe_free(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

int creds_set(char **slot, const char *s)
{
    char *copy = NULL;
    if (s && !(copy = strdup(s)))
        return -1;
    wipe_free(*slot);
    *slot = copy;
    return 0;
}

void creds_clear(struct creds *c)
{
    wipe_free(c->server);
    wipe_free(c->username);
    wipe_free(c->token);
    wipe_free(c->language);
    memset(c, 0, sizeof *c);
}

bool creds_has_session(const struct creds *c, const char *server)
{
    return c->token && c->server && server && strcmp(c->server, server) == 0;
}

/* The directory qiao keeps its files in (malloc'd), or NULL when there is no home. */
static char *config_dir(void)
{
    char *dir = NULL;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && xdg[0] == '/') { /* the XDG spec says relative values are to be ignored */
        if (asprintf(&dir, "%s/qiao", xdg) < 0)
            return NULL;
        return dir;
    }
    const char *home = getenv("HOME");
    if (!home || home[0] != '/') {
        const struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || home[0] != '/')
        return NULL;
    if (asprintf(&dir, "%s/.config/qiao", home) < 0)
        return NULL;
    return dir;
}

char *config_path(void)
{
    char *dir = config_dir(), *path = NULL;
    if (dir && asprintf(&path, "%s/" CREDS_FILE, dir) < 0)
        path = NULL;
    free(dir);
    return path;
}

/* Creates dir and its missing parents with mode 0700; then makes sure dir itself is a
 * directory of ours that only we can enter. 0 ok, -1 with errno. */
static int make_private_dir(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char was = *s;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            errno = e;
            return -1;
        }
        *s = was;
        if (!was)
            break;
    }
    free(p);
    struct stat st;
    if (lstat(dir, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    if (st.st_uid != geteuid()) {
        errno = EPERM;
        return -1;
    }
    if ((st.st_mode & 0777) != 0700 && chmod(dir, 0700) != 0)
        return -1;
    return 0;
}

/* Reads at most max bytes of fd into a NUL-terminated malloc'd buffer; NULL on error/too big. */
static char *read_all(int fd, size_t max, size_t *len)
{
    char *buf = malloc(max + 1);
    size_t n = 0;
    if (!buf)
        return NULL;
    for (;;) {
        ssize_t r = read(fd, buf + n, max + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || (r > 0 && n + (size_t)r > max)) {
            explicit_bzero(buf, n);
            free(buf);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool creds_token_ok(const char *t)
{
    size_t n = strlen(t);
    if (n < 16 || n > 512)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

/* Copies the string member key of obj into *slot (left NULL when absent); false when the
 * member is there but not a string, or out of memory. */
static bool take_string(json_t *obj, const char *key, char **slot)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v))
        return false;
    return creds_set(slot, json_string_value(v)) == 0;
}

enum cfg_status config_load(struct creds *out, bool *narrowed)
{
    memset(out, 0, sizeof *out);
    *narrowed = false;
    char *path = config_path();
    if (!path)
        return CFG_NONE;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return errno == ENOENT ? CFG_NONE : errno == ELOOP ? CFG_DAMAGED : CFG_ERROR;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return CFG_ERROR;
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_size > CREDS_MAX_BYTES) {
        close(fd);
        return CFG_DAMAGED;
    }
    if ((st.st_mode & 077) && fchmod(fd, 0600) == 0)
        *narrowed = true;
    size_t len = 0;
    char *text = read_all(fd, CREDS_MAX_BYTES, &len);
    int e = errno;
    close(fd);
    if (!text) {
        errno = e;
        return CFG_ERROR;
    }
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    explicit_bzero(text, len);
    free(text);
    if (!json_is_object(j)) {
        json_decref(j);
        return CFG_DAMAGED;
    }
    json_t *exp = json_object_get(j, "expires_at");
    bool ok = take_string(j, "server", &out->server) &&
              take_string(j, "username", &out->username) && take_string(j, "token", &out->token) &&
              take_string(j, "language", &out->language) && (!exp || json_is_integer(exp));
    out->expires_at = exp ? json_integer_value(exp) : 0;
    json_wipe_member(j, "token");
    json_decref(j);
    if (!ok || (out->token && (!creds_token_ok(out->token) || !out->server))) {
        creds_clear(out);
        return CFG_DAMAGED;
    }
    return CFG_OK;
}

/* Writes all n bytes of buf to fd; 0 ok, -1 with errno. */
static int write_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The credentials as the JSON text of the file (malloc'd; the caller wipes and frees it). */
static char *creds_text(const struct creds *c)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    const char *keys[] = {"server", "username", "token", "language"};
    const char *vals[] = {c->server, c->username, c->token, c->language};
    for (size_t i = 0; i < 4; i++)
        if (vals[i])
            json_object_set_new(j, keys[i], json_string(vals[i]));
    if (c->token && c->expires_at)
        json_object_set_new(j, "expires_at", json_integer(c->expires_at));
    char *text = json_dumps(j, JSON_INDENT(2));
    json_wipe_member(j, "token");
    json_decref(j);
    return text;
}

int config_save(const struct creds *c)
{
    char *dir = config_dir(), *tmp = NULL, *path = NULL, *text = NULL;
    int fd = -1, rc = -1, e = 0;
    bool created = false;
    if (!dir) {
        errno = ENOENT;
        return -1;
    }
    if (make_private_dir(dir) != 0)
        goto out;
    if (asprintf(&tmp, "%s/." CREDS_FILE ".XXXXXX", dir) < 0 ||
        asprintf(&path, "%s/" CREDS_FILE, dir) < 0) {
        errno = ENOMEM;
        goto out;
    }
    if (!(text = creds_text(c))) {
        errno = ENOMEM;
        goto out;
    }
    fd = mkostemp(tmp, O_CLOEXEC); /* created 0600 whatever the umask */
    if (fd < 0)
        goto out;
    created = true;
    if (fchmod(fd, 0600) != 0 || write_all(fd, text, strlen(text)) != 0 ||
        write_all(fd, "\n", 1) != 0 || fsync(fd) != 0)
        goto out;
    if (close(fd) != 0) {
        fd = -1;
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto out;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) { /* make the rename durable; failing that is not worth an error */
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    e = errno;
    if (fd >= 0)
        close(fd);
    if (rc != 0 && created)
        unlink(tmp);
    if (text) {
        explicit_bzero(text, strlen(text));
        free(text);
    }
    free(tmp);
    free(path);
    free(dir);
    errno = e;
    return rc;
}
