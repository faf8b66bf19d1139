/* jobs.c: periodic work: a respondent who has not answered by the last day is recorded as not
 * answering (mediation is voluntary); the audit chain's head is signed. */
#include "jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "store/audit_log.h"
#include "store/cases.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool stopping, running;
static unsigned interval;

int jobs_run_once(void)
{
    time_t t = time(NULL) + 8 * 3600; /* the centers' day (UTC+8) */
    struct tm tm;
    gmtime_r(&t, &tm);
    char today[11];
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    int64_t ids[200];
    int n = 0, moved = 0;
    struct actor system = {0, "system", ""};
    if (store_cases_answer_overdue(today, ids, 200, &n) != ST_OK)
        return 0;
    for (int i = 0; i < n; i++)
        moved += store_case_transition(ids[i], "respondent_invited", "respondent_no_answer",
                                       "respondent_deadline_passed", &system, NULL,
                                       NULL) == ST_OK;
    if (moved)
        fprintf(stderr, "{\"event\":\"job\",\"job\":\"respondent_deadline\",\"cases\":%d}\n",
                moved);
    return moved;
}

static void *loop(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        pthread_mutex_unlock(&lock);
        jobs_run_once();
        store_audit_sign_head();
        pthread_mutex_lock(&lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += interval;
        while (!stopping && pthread_cond_timedwait(&wake, &lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&lock);
    return NULL; /* the thread's connection closes as the thread exits */
}

int jobs_start(unsigned interval_seconds)
{
    interval = interval_seconds ? interval_seconds : 600;
    stopping = false;
    if (pthread_create(&thread, NULL, loop, NULL) != 0)
        return -1;
    running = true;
    return 0;
}

void jobs_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    running = false;
}
