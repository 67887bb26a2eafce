/*
 * `postrun assess -j N`: documents read in order by the main thread into a window of jobs,
 * assessed and rendered by N threads into memory, written in input order (postrun.c's
 * assess_file() is the one-thread path, whose output this one reproduces byte for byte).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- assess with several threads ----
 *
 * The main thread reads the documents in order (a stream is read sequentially) into a window of
 * jobs; threads, each with its own assessment (the knowledge base is shared, read-only), assess
 * and render a job into the job's memory; the main thread writes the finished jobs strictly in
 * input order, messages included, so stdout, stderr and the exit code are those of one thread
 * (-j 1, assess_file() in postrun.c). With -j N there are N - 1 worker threads, and the main thread
 * assesses too whenever the window is full, so N threads keep N cores busy without waking each
 * other for every document. The window bounds the memory: JOBS_PER_THREAD jobs per thread at
 * most are read ahead of the output. */

enum { JOBS_PER_THREAD = 4 };

static int mb_write(void *ud, const char *data, size_t len)
{
    membuf *b = ud;
    if (len > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (len > cap - b->len) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        char *p = realloc(b->data, cap);
        if (!p)
            return -1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

static void mb_puts(membuf *b, const char *s) { mb_write(b, s, strlen(s)); }

/* cli_print_problems() into a buffer. */
static void mb_problems(membuf *b, const postrun_error *err)
{
    size_t n = postrun_error_count(err);
    for (size_t i = 0; i < n; i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(err, i), line, sizeof line);
        mb_puts(b, line);
        mb_puts(b, "\n");
    }
}

/* The "document N was not assessed" message, the problems before it. */
static void mb_not_assessed(membuf *b, const postrun_error *err, const char *path, size_t doc)
{
    mb_problems(b, err);
    char line[4200];
    snprintf(line, sizeof line, "%s: %s: document %zu was not assessed\n", cli_prog,
             strcmp(path, "-") == 0 ? "<stdin>" : path, doc + 1);
    mb_puts(b, line);
}

typedef struct job {
    postrun_run *run;
    const char *path;
    size_t document;
    bool assess;   /* read well: a worker assesses it; otherwise only msg is written */
    bool done;     /* the worker finished it (guarded by the pool's lock) */
    /* results */
    bool assessed; /* postrun_assess succeeded */
    bool rendered; /* and the output was rendered */
    bool emergency, invalid, failed;
    membuf out;    /* the document's output (JSON: compact) */
    membuf pretty; /* JSON: the pretty form, while it may be the only document */
    membuf msg;    /* what goes to stderr, in order */
} job;

typedef struct pool {
    assess_state *st;
    const postrun_kb *kb;
    postrun_assessment *a; /* the main thread's */
    job *jobs;
    size_t window;
    size_t n_read, n_taken, n_written; /* jobs published, taken by a worker, written */
    bool shutdown;
    pthread_mutex_t lock;
    pthread_cond_t work; /* a job was published, or shutdown */
    pthread_cond_t done; /* a job was finished */
    atomic_bool any_written; /* a document was written: JSON needs no pretty form any more */
    atomic_bool stop;        /* a failure: nothing after it is written, reading stops */
} pool;

typedef struct worker {
    pool *p;
    postrun_assessment *a;
    pthread_t thread;
} worker;

static void job_run(pool *p, job *j, postrun_assessment *a)
{
    const assess_state *st = p->st;
    j->assessed = j->rendered = j->emergency = false;
    j->out.len = j->pretty.len = 0;
    if (!j->assess)
        return;
    j->msg.len = 0;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status rc = postrun_assess_with_history(a, j->run, st->history, &err);
    if (rc != POSTRUN_OK) {
        mb_not_assessed(&j->msg, &err, j->path, j->document);
        if (rc == POSTRUN_ERR_NOMEM || rc == POSTRUN_ERR_IO)
            j->failed = true;
        else
            j->invalid = true;
        postrun_error_clear(&err);
        return;
    }
    j->assessed = true;
    postrun_status s = POSTRUN_OK;
    if (st->format == POSTRUN_FORMAT_JSON) {
        if (!atomic_load_explicit(&p->any_written, memory_order_relaxed))
            s = postrun_assessment_write(a, POSTRUN_FORMAT_JSON, 0, mb_write, &j->pretty, &err);
        if (s == POSTRUN_OK)
            s = postrun_assessment_write(a, POSTRUN_FORMAT_JSON, POSTRUN_RENDER_COMPACT, mb_write,
                                         &j->out, &err);
        if (s != POSTRUN_OK)
            j->out.len = j->pretty.len = 0; /* nothing of it is written */
    } else {
        /* What was produced before a failure is written, as a direct write would have. */
        s = postrun_assessment_write(a, st->format, st->flags, mb_write, &j->out, &err);
    }
    if (s != POSTRUN_OK)
        mb_problems(&j->msg, &err);
    else
        j->rendered = true;
    j->emergency = postrun_assessment_max_urgency(a) == POSTRUN_URGENCY_EMERGENCY;
    postrun_error_clear(&err);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pool *p = w->p;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->n_taken == p->n_read && !p->shutdown)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->n_taken == p->n_read)
            break;
        job *j = &p->jobs[p->n_taken++ % p->window];
        pthread_mutex_unlock(&p->lock);
        if (!atomic_load_explicit(&p->stop, memory_order_relaxed))
            job_run(p, j, w->a);
        pthread_mutex_lock(&p->lock);
        j->done = true;
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Writes one finished job as emit_result() and assess_file() would have. Main thread only. */
static void job_write(pool *p, job *j)
{
    assess_state *st = p->st;
    if (st->failed)
        return; /* after a failure nothing more is written */
    if (j->assessed) {
        bool failed = !j->rendered;
        if (st->format == POSTRUN_FORMAT_JSON) {
            if (j->rendered && st->written == 0) {
                /* held until we know whether more follow: take the job's buffers */
                membuf *hp = &st->held_json_pretty, *hc = &st->held_json_compact;
                membuf t = *hp;
                *hp = j->pretty;
                j->pretty = t;
                t = *hc;
                *hc = j->out;
                j->out = t;
            } else if (j->rendered) {
                membuf *hp = &st->held_json_pretty, *hc = &st->held_json_compact;
                if (hc->data) {
                    cli_out_write(&st->out, hc->data, hc->len);
                    free(hc->data);
                    free(hp->data);
                    memset(hc, 0, sizeof *hc);
                    memset(hp, 0, sizeof *hp);
                }
                cli_out_write(&st->out, j->out.data, j->out.len);
            }
        } else {
            if (st->format == POSTRUN_FORMAT_TEXT && st->written)
                cli_out_write(&st->out, CLI_TEXT_SEPARATOR, strlen(CLI_TEXT_SEPARATOR));
            /* a failed write is reported by out_close(), with the path and reason */
            if (j->out.len && cli_out_write(&st->out, j->out.data, j->out.len) != 0)
                failed = true;
        }
        if (j->msg.len)
            fwrite(j->msg.data, 1, j->msg.len, stderr);
        if (failed) {
            st->failed = true;
        } else {
            st->written++;
            atomic_store_explicit(&p->any_written, true, memory_order_relaxed);
        }
        if (j->emergency)
            st->emergency = true;
    } else {
        if (j->msg.len)
            fwrite(j->msg.data, 1, j->msg.len, stderr);
        if (j->failed)
            st->failed = true;
        if (j->invalid)
            st->invalid = true;
    }
    if (st->failed)
        atomic_store_explicit(&p->stop, true, memory_order_relaxed);
}

/* Writes the finished jobs at the head of the window, in order; with `wait`, waits for the
 * head job to finish when it has not (only when one is in flight). */
static void pool_drain(pool *p, bool wait)
{
    pthread_mutex_lock(&p->lock);
    while (p->n_written < p->n_read) {
        job *j = &p->jobs[p->n_written % p->window];
        if (!j->done) {
            if (!wait)
                break;
            pthread_cond_wait(&p->done, &p->lock);
            continue;
        }
        pthread_mutex_unlock(&p->lock);
        job_write(p, j);
        pthread_mutex_lock(&p->lock);
        j->done = false;
        p->n_written++;
        wait = false; /* one is enough to free a place */
    }
    pthread_mutex_unlock(&p->lock);
}

/* The main thread assesses the next job no worker has taken; false when there is none. */
static bool pool_help(pool *p)
{
    pthread_mutex_lock(&p->lock);
    if (p->n_taken == p->n_read) {
        pthread_mutex_unlock(&p->lock);
        return false;
    }
    job *j = &p->jobs[p->n_taken++ % p->window];
    pthread_mutex_unlock(&p->lock);
    if (!atomic_load_explicit(&p->stop, memory_order_relaxed))
        job_run(p, j, p->a);
    pthread_mutex_lock(&p->lock);
    j->done = true;
    pthread_mutex_unlock(&p->lock);
    return true;
}

/* Writes the finished jobs; while `all` or while the window is full, assesses or waits. */
static void pool_make_room(pool *p, bool all)
{
    for (;;) {
        pool_drain(p, false);
        size_t in_flight = p->n_read - p->n_written; /* n_read, n_written: main thread's */
        if (all ? in_flight == 0 : in_flight < p->window)
            return;
        if (!pool_help(p))
            pool_drain(p, true);
    }
}

/* The next free job of the window (the main thread fills it, then publishes it). */
static job *pool_acquire(pool *p)
{
    pool_make_room(p, false);
    job *j = &p->jobs[p->n_read % p->window];
    j->assess = j->failed = j->invalid = j->assessed = false;
    j->msg.len = 0;
    return j;
}

static void pool_publish(pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->n_read++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
}

/* Reads every file's documents into the window; returns false to stop (a failure). */
static bool pool_read_file(pool *p, const char *path)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_stream *s = NULL;
    if (postrun_stream_open_file(&s, p->kb, path, &err) != POSTRUN_OK) {
        job *j = pool_acquire(p);
        mb_problems(&j->msg, &err);
        j->failed = true;
        postrun_error_clear(&err);
        pool_publish(p);
        return false;
    }
    bool go_on = true;
    while (!atomic_load_explicit(&p->stop, memory_order_relaxed)) {
        job *j = pool_acquire(p);
        postrun_status rc = postrun_stream_next(s, j->run, &err);
        if (rc == POSTRUN_DONE)
            break;
        j->path = path;
        j->document = postrun_stream_document(s);
        /* (the job is the workers' once published: what decides here is kept aside) */
        bool fatal = rc == POSTRUN_ERR_NOMEM || rc == POSTRUN_ERR_IO;
        if (rc == POSTRUN_OK) {
            j->assess = true;
        } else {
            mb_not_assessed(&j->msg, &err, path, j->document);
            j->failed = fatal;
            j->invalid = !fatal;
        }
        postrun_error_clear(&err);
        pool_publish(p);
        if (fatal) {
            go_on = false;
            break;
        }
    }
    postrun_error_clear(&err);
    postrun_stream_free(s);
    return go_on;
}

/* assess_file() for every file with `threads` workers. Returns 0, or an exit code when the
 * pool could not be set up (nothing was read then). */
int cli_assess_parallel(assess_state *st, const postrun_kb *kb, const char **files, int n_files,
                        size_t threads)
{
    pool p;
    memset(&p, 0, sizeof p);
    p.st = st;
    p.kb = kb;
    p.window = threads * JOBS_PER_THREAD;
    atomic_init(&p.any_written, false);
    atomic_init(&p.stop, false);
    p.jobs = calloc(p.window, sizeof *p.jobs);
    worker *w = calloc(threads, sizeof *w);
    int rc = 0;
    postrun_error err = POSTRUN_ERROR_INIT;
    for (size_t i = 0; p.jobs && w && i < p.window && !rc; i++)
        if (postrun_run_new(&p.jobs[i].run, kb, &err) != POSTRUN_OK)
            rc = CLI_EXIT_OTHER;
    for (size_t i = 0; p.jobs && w && i < threads && !rc; i++)
        if (postrun_assessment_new(&w[i].a, kb, &err) != POSTRUN_OK)
            rc = CLI_EXIT_OTHER;
        else
            postrun_assessment_set_limit(w[i].a, st->limit);
    if (!p.jobs || !w) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        rc = CLI_EXIT_OTHER;
    }
    cli_print_problems(&err);
    postrun_error_clear(&err);
    size_t started = 0;
    int sync = 0; /* how many of the lock and the two conditions exist */
    if (!rc && pthread_mutex_init(&p.lock, NULL) == 0 && ++sync &&
        pthread_cond_init(&p.work, NULL) == 0 && ++sync && pthread_cond_init(&p.done, NULL) == 0)
        sync++;
    if (!rc && sync < 3) {
        fprintf(stderr, "%s: cannot start threads\n", cli_prog);
        rc = CLI_EXIT_OTHER;
    }
    if (!rc) {
        p.a = w[0].a;
        /* w[0] is the main thread; fewer workers than asked for is slower, not wrong */
        for (started = 1; started < threads; started++) {
            w[started].p = &p;
            if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]) != 0)
                break;
        }
    }
    if (!rc) {
        for (int i = 0; i < n_files; i++)
            if (!pool_read_file(&p, files[i]))
                break;
        pool_make_room(&p, true);
        pthread_mutex_lock(&p.lock);
        p.shutdown = true;
        pthread_cond_broadcast(&p.work);
        pthread_mutex_unlock(&p.lock);
        for (size_t i = 1; i < started; i++)
            pthread_join(w[i].thread, NULL);
        if (st->held_json_compact.data)
            cli_out_write(&st->out, st->held_json_pretty.data, st->held_json_pretty.len);
    }
    if (sync > 2)
        pthread_cond_destroy(&p.done);
    if (sync > 1)
        pthread_cond_destroy(&p.work);
    if (sync > 0)
        pthread_mutex_destroy(&p.lock);
    for (size_t i = 0; w && i < threads; i++)
        postrun_assessment_free(w[i].a);
    for (size_t i = 0; p.jobs && i < p.window; i++) {
        postrun_run_free(p.jobs[i].run);
        free(p.jobs[i].out.data);
        free(p.jobs[i].pretty.data);
        free(p.jobs[i].msg.data);
    }
    free(st->held_json_pretty.data);
    free(st->held_json_compact.data);
    free(w);
    free(p.jobs);
    return rc;
}
