/* committer.h: group commit. Writes from many requests are run by one thread inside one SQLite
 * transaction (each in its own savepoint, so one failing write does not undo the others) and made
 * durable by one commit: one disk flush for the batch instead of one per request. */
#ifndef QIAO_STORE_COMMITTER_H
#define QIAO_STORE_COMMITTER_H
#include "store/db.h"

struct write_job {
    enum st (*fn)(struct db *db, void *arg); /* runs on the committer's connection; no nesting */
    void *arg;
    void (*done)(struct write_job *job); /* called on the committer thread after the commit */
    enum st result;
    struct write_job *next; /* the committer's */
};

/* Starts the committer thread; 0 ok. */
int committer_start(void);
/* Finishes the queued jobs and stops. */
void committer_stop(void);
/* Queues a job (owned by the caller until done runs). Without a running committer the job runs
 * at once in the calling thread, in a transaction of its own. */
void committer_submit(struct write_job *job);
#endif
