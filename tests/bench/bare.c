/* bare.c: the benchmark's baseline: a bare libmicrohttpd handler doing one SQLite primary-key
 * lookup and a jansson reply, with the same threading as qiaod. It answers on the second call,
 * as qiaod does, so keep-alive holds. usage: bench-bare DB PORT */
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *db_path;
static pthread_key_t key;

static sqlite3_stmt *stmt(void)
{
    sqlite3_stmt *s = pthread_getspecific(key);
    if (s)
        return s;
    sqlite3 *h;
    if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_busy_timeout(h, 5000);
    sqlite3_prepare_v3(h, "SELECT id, username, role FROM users WHERE id = ?", -1,
                       SQLITE_PREPARE_PERSISTENT, &s, NULL);
    pthread_setspecific(key, s);
    return s;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **ctx)
{
    (void)cls, (void)url, (void)method, (void)version, (void)data, (void)size;
    static int marker;
    if (!*ctx) {
        *ctx = &marker;
        return MHD_YES;
    }
    sqlite3_stmt *s = stmt();
    json_t *j = json_object();
    if (s) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, 1);
        if (sqlite3_step(s) == SQLITE_ROW) {
            json_object_set_new(j, "id", json_integer(sqlite3_column_int64(s, 0)));
            json_object_set_new(j, "username",
                                json_string((const char *)sqlite3_column_text(s, 1)));
            json_object_set_new(j, "role", json_string((const char *)sqlite3_column_text(s, 2)));
        }
        sqlite3_reset(s); /* an open statement would hold a read transaction and stop checkpoints */
    }
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench-bare DB PORT\n");
        return 2;
    }
    db_path = argv[1];
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    pthread_key_create(&key, NULL);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)atoi(argv[2]), NULL, NULL,
        handle, NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(n > 0 ? n : 2), MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bench-bare: cannot listen\n");
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
