/* prompt.c: line input from standard input, with echo off for passwords on a terminal. */
#include "prompt.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static volatile sig_atomic_t echo_off;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NCAUGHT (sizeof caught / sizeof caught[0])

/* Puts the terminal back and dies of the same signal. Async-signal-safe calls only. */
static void on_signal(int sig)
{
    if (echo_off)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    echo_off = 0;
    signal(sig, SIG_DFL);
    raise(sig);
}

bool stdin_is_tty(void)
{
    return isatty(STDIN_FILENO) == 1;
}

/* Turns echo off (keeping the newline echo); handlers restore it on a fatal signal. */
static int echo_disable(struct sigaction old[NCAUGHT])
{
    if (tcgetattr(STDIN_FILENO, &saved) != 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaction(caught[i], &sa, &old[i]);
    struct termios t = saved;
    t.c_lflag &= (tcflag_t)~ECHO;
    t.c_lflag |= ECHONL;
    echo_off = 1;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0) {
        echo_off = 0;
        for (size_t i = 0; i < NCAUGHT; i++)
            sigaction(caught[i], &old[i], NULL);
        return -1;
    }
    return 0;
}

static void echo_restore(const struct sigaction old[NCAUGHT])
{
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    echo_off = 0;
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaction(caught[i], &old[i], NULL);
}

enum input read_line(char *buf, size_t cap, bool secret)
{
    struct sigaction old[NCAUGHT];
    bool quiet = secret && stdin_is_tty();
    if (cap == 0 || (quiet && echo_disable(old) != 0))
        return IN_ERROR;
    size_t n = 0;
    bool got = false, too_long = false;
    enum input result = IN_OK;
    for (;;) {
        char ch;
        ssize_t r = read(STDIN_FILENO, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            result = IN_ERROR;
            break;
        }
        if (r == 0) {
            if (!got)
                result = IN_EOF;
            break;
        }
        got = true;
        if (ch == '\n')
            break;
        if (n + 1 < cap)
            buf[n++] = ch;
        else
            too_long = true;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (quiet)
        echo_restore(old);
    if (result == IN_OK && too_long) {
        explicit_bzero(buf, cap);
        result = IN_TOO_LONG;
    }
    return result;
}
