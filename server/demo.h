/* demo.h: the demo data set (centers, a joint firm, one user of every role). */
#ifndef QIAO_DEMO_H
#define QIAO_DEMO_H
#include <stdio.h>

#define DEMO_PASSWORD "qiao-demo-2026"

/* Loads the demo data set into the open store; refuses (returns 1, message in err) when it was
 * loaded before. 0 ok; -1 on failure. */
int demo_seed(char *err, size_t errcap);

/* Adds n generated cases (both scripts, all three centers, lawyers' matters among them) for
 * benchmarks; 0 ok. */
int demo_bulk(long n, char *err, size_t errcap);

/* Prints the demo accounts (for `make run`). */
void demo_print_accounts(FILE *out);
#endif
