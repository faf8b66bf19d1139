/* arena.c: allocations freed together; a mediator profile's stored lists parsed. */
#include "store/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/filing.h"
#include "domain/workcal.h"

void *arena_alloc(struct arena *a, size_t size)
{
    if (!a)
        return NULL;
    if (a->n == a->cap) {
        int cap = a->cap ? a->cap * 2 : 64;
        void **p = realloc(a->ptrs, (size_t)cap * sizeof *p);
        if (!p)
            return NULL;
        a->ptrs = p;
        a->cap = cap;
    }
    void *m = calloc(1, size ? size : 1);
    if (m)
        a->ptrs[a->n++] = m;
    return m;
}

void arena_clear(struct arena *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->n; i++)
        free(a->ptrs[i]);
    free(a->ptrs);
    memset(a, 0, sizeof *a);
}

unsigned profile_spoken_bits(const char *list)
{
    unsigned bits = 0;
    char buf[96];
    snprintf(buf, sizeof buf, "%s", list ? list : "");
    for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
        bits |= spoken_parse(p);
    return bits;
}

void profile_weekly(const char *s, int out[7])
{
    memset(out, 0, 7 * sizeof *out);
    if (s)
        sscanf(s, "%d,%d,%d,%d,%d,%d,%d", &out[0], &out[1], &out[2], &out[3], &out[4], &out[5],
               &out[6]);
}

int32_t profile_daynum(const char *iso)
{
    int32_t d;
    return iso && *iso && civil_parse_daynum(iso, &d) ? d : 0;
}
