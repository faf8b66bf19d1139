/* arena.h: what the store's in-memory readers share: a bag of allocations freed together, and the
 * parsing of a mediator profile's stored lists. For the store module only. */
#ifndef QIAO_STORE_ARENA_H
#define QIAO_STORE_ARENA_H
#include <stddef.h>
#include <stdint.h>

/* Allocations freed together (zeroed when made). Start from {0}. */
struct arena {
    void **ptrs;
    int n, cap;
};
/* size zeroed bytes owned by a; NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Frees everything a holds and empties it. */
void arena_clear(struct arena *a);

/* The spoken-language bits of a stored list ("putonghua,cantonese"). */
unsigned profile_spoken_bits(const char *list);
/* The seven weekday minutes of a stored "m,t,w,t,f,s,s" list (zeros where missing). */
void profile_weekly(const char *s, int out[7]);
/* The day number of "YYYY-MM-DD", 0 for NULL, "" or a bad date. */
int32_t profile_daynum(const char *iso);
#endif
