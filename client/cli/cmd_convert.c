/* cmd_convert.c: `qiao convert --to zh-Hant|zh-Hans [--name]`: standard input to standard output,
 * line by line, with the same library the server uses — no server, no network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n/convert.h"
#include "output.h"

#define LINE_MAX_BYTES (1 << 20)

int cmd_convert(struct cli *c, int argc, char **argv)
{
    enum script to = SCRIPT_NONE;
    enum convert_kind kind = CONVERT_TEXT;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--name") == 0) {
            kind = CONVERT_NAME;
        } else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
            const char *t = argv[++i];
            to = strcmp(t, "zh-Hant") == 0 ? SCRIPT_HANT
                 : strcmp(t, "zh-Hans") == 0 ? SCRIPT_HANS
                                             : SCRIPT_NONE;
            if (to == SCRIPT_NONE)
                return fail(c, QX_USAGE, "usage", "cli.convert.bad_target", NULL, 0);
        } else if (strncmp(argv[i], "--to=", 5) == 0) {
            const char *t = argv[i] + 5;
            to = strcmp(t, "zh-Hant") == 0 ? SCRIPT_HANT
                 : strcmp(t, "zh-Hans") == 0 ? SCRIPT_HANS
                                             : SCRIPT_NONE;
            if (to == SCRIPT_NONE)
                return fail(c, QX_USAGE, "usage", "cli.convert.bad_target", NULL, 0);
        } else {
            struct msg_arg a = {"arg", argv[i], 0};
            return fail(c, QX_USAGE, "usage", "cli.convert.bad_argument", &a, 1);
        }
    }
    if (to == SCRIPT_NONE)
        return fail(c, QX_USAGE, "usage", "cli.convert.bad_target", NULL, 0);
    if (convert_init() != 0)
        return fail(c, QX_LOCAL, "local", "cli.convert.no_tables", NULL, 0);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = QX_OK;
    long lineno = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        bool nl = len && line[len - 1] == '\n';
        if (nl)
            len--;
        if (len > LINE_MAX_BYTES) {
            struct msg_arg a = {"line", NULL, lineno};
            status = fail(c, QX_USAGE, "usage", "cli.convert.line_too_long", &a, 1);
            break;
        }
        char *out = convert_text(line, len, to, kind);
        if (!out) { /* not UTF-8: say where, and go on with the rest */
            struct msg_arg a = {"line", NULL, lineno};
            warn(c, "cli.convert.invalid_utf8", &a, 1);
            status = QX_USAGE;
            fwrite(line, 1, (size_t)n, stdout);
            continue;
        }
        fputs(out, stdout);
        if (nl)
            fputc('\n', stdout);
        free(out);
    }
    free(line);
    convert_shutdown();
    if (fflush(stdout) != 0)
        return QX_LOCAL;
    return status;
}
