/* committer.c: one thread, one transaction per batch, one savepoint per job. */
#include "store/committer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#define MAX_BATCH 128

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static struct write_job *head, *tail;
static bool running, stopping;
static pthread_t thread;

static int step(struct db *db, const char *sql)
{
    sqlite3_stmt *s = db_stmt(db, sql);
    int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
    if (s)
        sqlite3_reset(s);
    return rc;
}

/* Runs one batch: BEGIN IMMEDIATE, each job in a savepoint, COMMIT. */
static void run_batch(struct db *db, struct write_job *jobs)
{
    int rc = SQLITE_BUSY;
    for (int attempt = 0; attempt < 200 && (rc & 0xff) == SQLITE_BUSY; attempt++) {
        rc = step(db, "BEGIN IMMEDIATE");
        if ((rc & 0xff) == SQLITE_BUSY)
            usleep(1000);
    }
    if (rc != SQLITE_DONE) {
        enum st r = db ? db_status(db, rc, "batch_begin") : ST_ERROR;
        for (struct write_job *j = jobs; j; j = j->next)
            j->result = r == ST_OK ? ST_ERROR : r;
        return;
    }
    for (struct write_job *j = jobs; j; j = j->next) {
        step(db, "SAVEPOINT job");
        j->result = j->fn(db, j->arg);
        if (j->result != ST_OK)
            step(db, "ROLLBACK TO job");
        step(db, "RELEASE job");
    }
    rc = step(db, "COMMIT");
    if (rc != SQLITE_DONE) {
        enum st r = db_status(db, rc, "batch_commit");
        step(db, "ROLLBACK");
        for (struct write_job *j = jobs; j; j = j->next)
            if (j->result == ST_OK)
                j->result = r == ST_OK ? ST_ERROR : r;
    }
}

static void *loop(void *arg)
{
    (void)arg;
    struct db *db = db_get();
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!head && !stopping)
            pthread_cond_wait(&more, &lock);
        if (!head && stopping)
            break;
        /* take up to MAX_BATCH jobs: everything that arrived while the last batch committed */
        struct write_job *batch = head, *last = head;
        int n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        head = last->next;
        if (!head)
            tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&lock);
        if (!db)
            db = db_get();
        if (db) {
            run_batch(db, batch);
        } else {
            for (struct write_job *j = batch; j; j = j->next)
                j->result = ST_ERROR;
        }
        for (struct write_job *j = batch, *next; j; j = next) {
            next = j->next;
            j->done(j);
        }
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int committer_start(void)
{
    stopping = false;
    if (pthread_create(&thread, NULL, loop, NULL) != 0)
        return -1;
    running = true;
    return 0;
}

void committer_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&more);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    running = false;
}

void committer_submit(struct write_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&lock);
    if (!running) {
        pthread_mutex_unlock(&lock);
        job->result = db_tx(job->fn, job->arg);
        job->done(job);
        return;
    }
    if (tail)
        tail->next = job;
    else
        head = job;
    tail = job;
    pthread_cond_signal(&more);
    pthread_mutex_unlock(&lock);
}
