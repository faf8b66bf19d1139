/* notify.h: the in-app inbox. A notification points at a case's timeline entry; the API renders
 * it in the reader's language when it is read. Written by the store in the same transaction as
 * the timeline entry (see access.h), read and marked read here. */
#ifndef QIAO_STORE_NOTIFY_H
#define QIAO_STORE_NOTIFY_H
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct notification {
    int64_t id, case_id, created_at, read_at; /* read_at 0: unread */
    char number[40];                          /* the case's number ("" for a draft) */
    char center[17];                          /* the case's center's code */
    char event[32], actor_role[16], to_state[24];
};

/* The user's notifications, newest first, below before_id (0: from the newest); unread only when
 * asked. *more says whether older ones remain. */
enum st store_notifications(int64_t user_id, bool unread_only, int64_t before_id,
                            struct notification *out, int cap, int *n, bool *more);
/* How many of the user's notifications are unread. */
enum st store_notifications_unread(int64_t user_id, int64_t *count);
/* Marks the user's notifications read: those in ids (n of them; others' ids are ignored), or all
 * when ids is NULL. */
enum st store_notifications_mark_read(int64_t user_id, const int64_t *ids, int n);
#endif
