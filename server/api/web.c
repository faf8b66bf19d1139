/* web.c: what qiaod serves besides the API's resources: health, the browser client's files, the
 * message catalogs for the browser, and the API reference. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "i18n/catalog.h"
#include "i18n/embedded.h"
#include "store/store.h"

extern const struct embedded_file qiao_web_files[];

void api_health(struct http_req *req)
{
    http_reply_json(req, 200,
                    json_pack("{s:s,s:s,s:i}", "status", "ok", "version", api_settings.version,
                              "schema", store_schema_version()));
}

void api_catalog(struct http_req *req)
{
    const char *tag = http_param(req, "lang");
    enum lang l = lang_parse_canonical(tag);
    size_t len;
    const char *json = l == LANG_NONE ? NULL : catalog_json(l, &len);
    if (!json) {
        http_reply_error(req, "request.not_found", NULL);
        return;
    }
    http_add_header(req, "Cache-Control", "no-cache");
    http_reply_static(req, 200, "application/json; charset=utf-8", json, len);
}

void api_openapi(struct http_req *req)
{
    const struct embedded_file *f = embedded_find(qiao_web_files, "docs/openapi.yaml");
    if (!f) {
        http_reply_error(req, "request.not_found", NULL);
        return;
    }
    http_reply_static(req, 200, "application/yaml; charset=utf-8", f->data, f->len);
}

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webmanifest", "application/manifest+json"},
    };
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

bool api_static(struct http_req *req)
{
    enum http_method m = http_method(req);
    const char *path = http_path(req);
    if ((m != HTTP_GET && m != HTTP_HEAD) || strncmp(path, "/api/", 5) == 0 ||
        strstr(path, ".."))
        return false;
    char name[256];
    /* the browser client is one page: any path without an extension is the app's own route */
    const char *base = strrchr(path, '/');
    if (strcmp(path, "/") == 0 || !strchr(base ? base : path, '.'))
        snprintf(name, sizeof name, "client/web/index.html");
    else if ((size_t)snprintf(name, sizeof name, "client/web%s", path) >= sizeof name)
        return false;
    const struct embedded_file *f = embedded_find(qiao_web_files, name);
    if (!f)
        return false;
    http_add_header(req, "Cache-Control", "no-cache");
    http_add_header(req, "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                    "base-uri 'none'; form-action 'self'");
    http_add_header(req, "X-Frame-Options", "DENY");
    http_reply_static(req, 200, content_type(name), f->data, f->len);
    return true;
}
