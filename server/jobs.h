/* jobs.h: the server's own periodic work (deadlines passing, signing the audit head). One thread
 * that sleeps between rounds and stops promptly at shutdown. */
#ifndef QIAO_JOBS_H
#define QIAO_JOBS_H

/* Starts the thread; 0 ok. interval_seconds between rounds (the first runs at once). */
int jobs_start(unsigned interval_seconds);
/* Stops it and waits for the round in progress. */
void jobs_stop(void);
/* One round, in the calling thread (for tests and the command line). Returns the number of
 * cases moved. */
int jobs_run_once(void);
#endif
