/* prompt.h: reading the user name and the password from standard input. */
#ifndef QIAO_CLI_PROMPT_H
#define QIAO_CLI_PROMPT_H
#include <stdbool.h>
#include <stddef.h>

enum input {
    IN_OK,       /* a line was read (possibly empty) */
    IN_EOF,      /* nothing left to read */
    IN_TOO_LONG, /* the line did not fit; it was consumed and discarded */
    IN_ERROR,    /* reading (or setting up the terminal) failed */
};

/* Is standard input a terminal? */
bool stdin_is_tty(void);

/* Reads one line of standard input into buf (cap bytes with the NUL; no line end is kept).
 * The input is read one byte at a time with read(2) so that nothing beyond the line is
 * buffered and no copy is left behind; with secret on a terminal, echo is off while reading
 * (and restored even when a signal ends qiao). The caller wipes buf when it is a secret. */
enum input read_line(char *buf, size_t cap, bool secret);
#endif
