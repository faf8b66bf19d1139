/* case_cache.c: a fixed table of rendered views, one lock per stripe, wiped on eviction. */
#include "api/case_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vault/vault.h"

#define SLOTS 2048
#define STRIPES 32

struct slot {
    struct case_view_key key;
    char *json;
    size_t len;
    int64_t stored_at;
};

static struct slot slots[SLOTS];
static pthread_mutex_t locks[STRIPES] = {[0 ... STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER};

static uint64_t hash_key(const struct case_view_key *k)
{
    uint64_t h = 1469598103934665603ull;
    const uint64_t parts[] = {(uint64_t)k->case_id, (uint64_t)k->version, (uint64_t)k->user_id,
                              (uint64_t)k->day, k->bits};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        h ^= parts[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

static bool same(const struct case_view_key *a, const struct case_view_key *b)
{
    return a->case_id == b->case_id && a->version == b->version && a->user_id == b->user_id &&
           a->day == b->day && a->bits == b->bits;
}

static void drop(struct slot *s)
{
    if (s->json) {
        vault_wipe(s->json, s->len);
        free(s->json);
    }
    memset(s, 0, sizeof *s);
}

char *case_cache_get(const struct case_view_key *k, size_t *len)
{
    uint64_t h = hash_key(k);
    struct slot *s = &slots[h % SLOTS];
    pthread_mutex_t *m = &locks[(h % SLOTS) % STRIPES];
    char *copy = NULL;
    pthread_mutex_lock(m);
    if (s->json && same(&s->key, k)) {
        if (time(NULL) - s->stored_at > CASE_CACHE_TTL) {
            drop(s);
        } else if ((copy = malloc(s->len + 1))) {
            memcpy(copy, s->json, s->len + 1);
            *len = s->len;
        }
    }
    pthread_mutex_unlock(m);
    return copy;
}

void case_cache_put(const struct case_view_key *k, const char *json, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, json, len);
    copy[len] = 0;
    uint64_t h = hash_key(k);
    struct slot *s = &slots[h % SLOTS];
    pthread_mutex_t *m = &locks[(h % SLOTS) % STRIPES];
    pthread_mutex_lock(m);
    drop(s);
    s->key = *k;
    s->json = copy;
    s->len = len;
    s->stored_at = (int64_t)time(NULL);
    pthread_mutex_unlock(m);
}

void case_cache_clear(void)
{
    for (size_t i = 0; i < SLOTS; i++) {
        pthread_mutex_lock(&locks[i % STRIPES]);
        drop(&slots[i]);
        pthread_mutex_unlock(&locks[i % STRIPES]);
    }
}
