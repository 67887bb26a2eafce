/*
 * postrun: the command-line front end of libpostrun.
 *
 *   postrun assess [options] [FILE...|-]   assess run reports (multi-document streams too)
 *   postrun kb check [--overlay F] [PATH...] validate a knowledge base, print every problem
 *   postrun kb show [--kb DIR] ID           print one knowledge-base entry with its sources
 *   postrun activity [--format F] [--sport any] FILE   the run an activity file holds (activity.c)
 *
 * Exit codes: 0 ok, 1 invalid input (run reports or knowledge base), 2 usage, 3 a red flag of
 * urgency "emergency" was raised (takes precedence over 1, so a script never misses it),
 * 4 any other failure (I/O, memory). Results go to stdout (or -o FILE), problems to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "postrun.h"

enum { EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_EMERGENCY = 3, EXIT_FAILURE_OTHER = 4 };

static const char *prog = "postrun";

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage:\n"
            "  %s assess [--kb DIR] [--overlay FILE]... [--format text|yaml|json]\n"
            "         [-o FILE] [--explain] [--all] [--color WHEN] [-j N] [FILE...|-]\n"
            "  %s kb check [--overlay FILE]... [DIR|FILE...]\n"
            "  %s kb show [--kb DIR] [--overlay FILE]... ID\n"
            "  %s activity [--format yaml|json] [--sport running|any] [--kb DIR] FILE\n"
            "  %s assess --activity FILE [--sport running|any] [options] [REPORT...]\n"
            "  %s assess --history FILE|DIR [--history ...] [options] REPORT...\n"
            "  %s history [--format text|yaml|json] [--kb DIR] FILE|DIR...\n"
            "  %s --version | --help\n"
            "\n"
            "Explains how a runner's body feels after a run and what to do about it.\n"
            "Without --kb the bundled knowledge base (built into the library) is used.\n"
            "--all lists every cause and recommendation (by default the six of each that\n"
            "matter most); red flags, warnings and withdrawals are always listed.\n"
            "-j/--jobs N assesses N documents at a time (default: one per online CPU); the\n"
            "output is the same, in input order, whatever N.\n"
            "See postrun(1) for details.\n",
            prog, prog, prog, prog, prog, prog, prog, prog);
}

static void print_problems(const postrun_error *err)
{
    size_t n = postrun_error_count(err);
    for (size_t i = 0; i < n; i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(err, i), line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

static int status_exit(postrun_status s)
{
    switch (s) {
    case POSTRUN_OK: return 0;
    case POSTRUN_ERR_NOMEM:
    case POSTRUN_ERR_IO:
    case POSTRUN_ERR_ARGUMENT: return EXIT_FAILURE_OTHER;
    default: return EXIT_INVALID;
    }
}

typedef struct kb_opts {
    const char *kb_dir;
    const char *overlays[64];
    size_t n_overlays;
} kb_opts;

static int load_kb(const kb_opts *o, postrun_kb **kb)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status s = postrun_kb_load(kb, o->kb_dir, o->overlays, o->n_overlays, &err);
    if (s != POSTRUN_OK) {
        print_problems(&err);
        fprintf(stderr, "%s: the knowledge base could not be loaded\n", prog);
    }
    postrun_error_clear(&err);
    return status_exit(s);
}

/* ---- output: stdout, a file replaced atomically, or anything else written in place ----
 *
 * -o must never destroy what it names. A regular file is written to a temporary file beside it,
 * then renamed over it, so it is never left half-written; the temporary file takes the old
 * file's mode and owner first. A symbolic link is followed (the file it points to is replaced,
 * the link stays). What is not a regular file (a device such as /dev/null, a FIFO, a terminal)
 * is opened and written in place, as the shell's `>` would. A regular file with other hard
 * links, one whose owner cannot be kept, one that is not writable, and one that is also an
 * input are refused: replacing them would break the links, change the owner, override the
 * protection or lose the input. Every error names the path and the system's reason. */

typedef struct output {
    FILE *fp;
    const char *path;    /* as given, for messages */
    char target[4096];   /* the file replaced (symbolic links resolved) */
    char tmp[4096];
    bool in_place;       /* not a regular file: written directly */
    bool failed;
    int write_errno;     /* the reason of the first failed write */
} output;

static int out_write(void *ud, const char *data, size_t len)
{
    output *o = ud;
    if (o->failed)
        return -1;
    errno = 0;
    if (fwrite(data, 1, len, o->fp) != len) {
        o->failed = true;
        o->write_errno = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

static const char *out_name(const output *o)
{
    return o->fp == stdout ? "standard output" : o->path;
}

/* 0, or EXIT_USAGE when `path` (a regular file) is one of the inputs. */
static int out_check_inputs(const char *path, const struct stat *st, const char **inputs,
                            int n_inputs)
{
    for (int i = 0; i < n_inputs; i++) {
        struct stat in;
        int r = strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &in) : stat(inputs[i], &in);
        if (r == 0 && in.st_dev == st->st_dev && in.st_ino == st->st_ino) {
            const char *name = strcmp(inputs[i], "-") == 0 ? "standard input" : inputs[i];
            if (strcmp(name, path) == 0)
                fprintf(stderr, "%s: %s: the output is also an input; write it to another file\n",
                        prog, path);
            else
                fprintf(stderr,
                        "%s: %s: the output is also an input (%s); write it to another file\n",
                        prog, path, name);
            return EXIT_USAGE;
        }
    }
    return 0;
}

static int out_open(output *o, const char *path, const char **inputs, int n_inputs)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(errno));
        return EXIT_FAILURE_OTHER;
    }
    if (!exists) {
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
            fprintf(stderr, "%s: %s: cannot write: a symbolic link to a missing file\n", prog,
                    path);
            return EXIT_FAILURE_OTHER;
        }
    }
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(EISDIR));
            return EXIT_FAILURE_OTHER;
        }
        int rc = out_check_inputs(path, &st, inputs, n_inputs);
        if (rc)
            return rc;
        /* a device, FIFO or terminal: in place, never replaced */
        int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(errno));
            if (fd >= 0)
                close(fd);
            return EXIT_FAILURE_OTHER;
        }
        o->in_place = true;
        return 0;
    }
    const char *target = path;
    if (exists) {
        int rc = out_check_inputs(path, &st, inputs, n_inputs);
        if (rc)
            return rc;
        if (st.st_nlink > 1) {
            fprintf(stderr,
                    "%s: %s: cannot write: the file has %ju hard links, which replacing it would "
                    "break; write to another file\n",
                    prog, path, (uintmax_t)st.st_nlink);
            return EXIT_FAILURE_OTHER;
        }
        /* root may write anything: a file without any write bit is still read-only to us */
        if (access(path, W_OK) != 0 || !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))) {
            fprintf(stderr, "%s: %s: cannot write: %s (the file is read-only)\n", prog, path,
                    strerror(EACCES));
            return EXIT_FAILURE_OTHER;
        }
        char *real = realpath(path, NULL);
        if (!real) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(errno));
            return EXIT_FAILURE_OTHER;
        }
        int n = snprintf(o->target, sizeof o->target, "%s", real);
        free(real);
        if (n < 0 || (size_t)n >= sizeof o->target) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(ENAMETOOLONG));
            return EXIT_FAILURE_OTHER;
        }
        target = o->target;
    } else {
        int n = snprintf(o->target, sizeof o->target, "%s", path);
        if (n < 0 || (size_t)n >= sizeof o->target) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(ENAMETOOLONG));
            return EXIT_FAILURE_OTHER;
        }
    }
    int n = snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", target);
    if (n < 0 || (size_t)n >= sizeof o->tmp) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(ENAMETOOLONG));
        return EXIT_FAILURE_OTHER;
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "%s: %s: cannot create a temporary file beside it: %s\n", prog, path,
                strerror(errno));
        return EXIT_FAILURE_OTHER;
    }
    /* mkstemp makes 0600: a new file gets what `>` would give, an old one keeps its own */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    int fail = 0;
    const char *what = "";
    if (exists && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
        fchown(fd, st.st_uid, st.st_gid) != 0) {
        fail = errno;
        what = "cannot keep the file's owner";
    } else if (fchmod(fd, mode) != 0) {
        fail = errno;
        what = "cannot keep the file's mode";
    }
    if (!fail && !(o->fp = fdopen(fd, "w"))) {
        fail = errno;
        what = "cannot write";
    }
    if (fail) {
        fprintf(stderr, "%s: %s: %s: %s\n", prog, path, what, strerror(fail));
        close(fd);
        unlink(o->tmp);
        return EXIT_FAILURE_OTHER;
    }
    return 0;
}

/* Commits (rename) or discards the output. An existing file is never left half-written. */
static int out_close(output *o, bool commit)
{
    int e = o->write_errno;
    if (o->fp == stdout) {
        errno = 0;
        if (fflush(stdout) != 0 && !e)
            e = errno ? errno : EIO;
        if (o->failed || e) {
            fprintf(stderr, "%s: %s: cannot write: %s\n", prog, out_name(o), strerror(e ? e : EIO));
            return EXIT_FAILURE_OTHER;
        }
        return 0;
    }
    errno = 0;
    if (!e && fflush(o->fp) != 0)
        e = errno ? errno : EIO;
    /* fsync fails with EINVAL on FIFOs and most devices: only a regular file needs it */
    if (!e && !o->in_place && fsync(fileno(o->fp)) != 0)
        e = errno ? errno : EIO;
    errno = 0;
    if (fclose(o->fp) != 0 && !e)
        e = errno ? errno : EIO;
    o->fp = NULL;
    if (!e && o->failed)
        e = EIO;
    if (!e && commit && !o->in_place && rename(o->tmp, o->target) != 0)
        e = errno ? errno : EIO;
    if (!o->in_place && (e || !commit))
        unlink(o->tmp);
    if (e) { /* reported even when discarding: the reason of a failed write is news */
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, o->path, strerror(e));
        return EXIT_FAILURE_OTHER;
    }
    return 0;
}

/* ---- assess ---- */

/* Output kept in memory (the threaded path below). */
typedef struct membuf {
    char *data;
    size_t len, cap;
} membuf;

typedef struct assess_state {
    postrun_format format;
    unsigned flags;
    size_t limit; /* causes and recommendations shown (0 = all) */
    output out;
    size_t written;     /* documents written */
    char *held_pretty;  /* JSON: the first result, until we know whether more follow */
    char *held_compact;
    membuf held_json_pretty; /* the same, with several threads */
    membuf held_json_compact;
    bool emergency;
    bool invalid;
    bool failed;
    const postrun_activity *activity; /* --activity: fills what each report leaves out */
    const postrun_history *history;   /* --history: the runs before (history.c) */
} assess_state;

static int emit_buffer(assess_state *st, const char *s)
{
    return out_write(&st->out, s, strlen(s));
}

static void emit_result(assess_state *st, postrun_assessment *a)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status s = POSTRUN_OK;
    if (st->format == POSTRUN_FORMAT_JSON) {
        /* One object for one document, JSON Lines for several. */
        char *pretty = NULL, *compact = NULL;
        s = postrun_assessment_render(a, POSTRUN_FORMAT_JSON, 0, &pretty, NULL, &err);
        if (s == POSTRUN_OK)
            s = postrun_assessment_render(a, POSTRUN_FORMAT_JSON, POSTRUN_RENDER_COMPACT,
                                          &compact, NULL, &err);
        if (s == POSTRUN_OK) {
            if (st->written == 0) {
                st->held_pretty = pretty;
                st->held_compact = compact;
                pretty = compact = NULL;
            } else {
                if (st->held_compact) {
                    emit_buffer(st, st->held_compact);
                    postrun_free(st->held_compact);
                    postrun_free(st->held_pretty);
                    st->held_compact = st->held_pretty = NULL;
                }
                emit_buffer(st, compact);
            }
        }
        postrun_free(pretty);
        postrun_free(compact);
    } else {
        if (st->format == POSTRUN_FORMAT_TEXT && st->written)
            emit_buffer(st, "\n========================================================================\n\n");
        s = postrun_assessment_write(a, st->format, st->flags, out_write, &st->out, &err);
    }
    if (s != POSTRUN_OK) {
        if (!st->out.failed) /* a failed write is reported once, with the path and reason */
            print_problems(&err);
        st->failed = true;
    } else {
        st->written++;
    }
    if (postrun_assessment_max_urgency(a) == POSTRUN_URGENCY_EMERGENCY)
        st->emergency = true;
    postrun_error_clear(&err);
}

static void assess_file(assess_state *st, const postrun_kb *kb, postrun_run *run,
                        postrun_assessment *a, const char *path)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_stream *s = NULL;
    if (postrun_stream_open_file(&s, kb, path, &err) != POSTRUN_OK) {
        print_problems(&err);
        postrun_error_clear(&err);
        st->failed = true;
        return;
    }
    for (;;) {
        postrun_status rc = postrun_stream_next(s, run, &err);
        if (rc == POSTRUN_DONE)
            break;
        if (rc == POSTRUN_OK)
            rc = postrun_assess_with_history(a, run, st->history, &err);
        if (rc == POSTRUN_OK) {
            emit_result(st, a);
        } else {
            print_problems(&err);
            fprintf(stderr, "%s: %s: document %zu was not assessed\n", prog,
                    strcmp(path, "-") == 0 ? "<stdin>" : path, postrun_stream_document(s) + 1);
            if (rc == POSTRUN_ERR_NOMEM || rc == POSTRUN_ERR_IO)
                st->failed = true;
            else
                st->invalid = true;
        }
        postrun_error_clear(&err);
        if (st->failed)
            break;
    }
    postrun_error_clear(&err);
    postrun_stream_free(s);
}

/* `assess --activity FILE` without a report: the run the file holds, alone. */
static void assess_activity_alone(assess_state *st, postrun_run *run, postrun_assessment *a)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run_clear(run);
    postrun_status rc = postrun_run_set_activity(run, st->activity, &err);
    print_problems(&err); /* warnings: values out of range, left out */
    if (rc == POSTRUN_OK)
        rc = postrun_assess_with_history(a, run, st->history, &err);
    if (rc == POSTRUN_OK) {
        emit_result(st, a);
    } else {
        print_problems(&err);
        fprintf(stderr, "%s: the activity was not assessed (a report gives what the file "
                        "cannot: athlete.body_mass_kg, ...)\n", prog);
        if (rc == POSTRUN_ERR_NOMEM || rc == POSTRUN_ERR_IO)
            st->failed = true;
        else
            st->invalid = true;
    }
    postrun_error_clear(&err);
}

/* ---- assess with several threads ----
 *
 * The main thread reads the documents in order (a stream is read sequentially) into a window of
 * jobs; threads, each with its own assessment (the knowledge base is shared, read-only), assess
 * and render a job into the job's memory; the main thread writes the finished jobs strictly in
 * input order, messages included, so stdout, stderr and the exit code are those of one thread
 * (-j 1, assess_file above). With -j N there are N - 1 worker threads, and the main thread
 * assesses too whenever the window is full, so N threads keep N cores busy without waking each
 * other for every document. The window bounds the memory: JOBS_PER_THREAD jobs per thread at
 * most are read ahead of the output. */

enum { JOBS_PER_THREAD = 4, MAX_THREADS = 256 };

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

/* print_problems() into a buffer. */
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
    snprintf(line, sizeof line, "%s: %s: document %zu was not assessed\n", prog,
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
    postrun_status rc = postrun_assess(a, j->run, &err);
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
                    out_write(&st->out, hc->data, hc->len);
                    free(hc->data);
                    free(hp->data);
                    memset(hc, 0, sizeof *hc);
                    memset(hp, 0, sizeof *hp);
                }
                out_write(&st->out, j->out.data, j->out.len);
            }
        } else {
            if (st->format == POSTRUN_FORMAT_TEXT && st->written)
                emit_buffer(st, "\n========================================================================\n\n");
            /* a failed write is reported by out_close(), with the path and reason */
            if (j->out.len && out_write(&st->out, j->out.data, j->out.len) != 0)
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
static int assess_parallel(assess_state *st, const postrun_kb *kb, const char **files, int n_files,
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
            rc = EXIT_FAILURE_OTHER;
    for (size_t i = 0; p.jobs && w && i < threads && !rc; i++)
        if (postrun_assessment_new(&w[i].a, kb, &err) != POSTRUN_OK)
            rc = EXIT_FAILURE_OTHER;
        else
            postrun_assessment_set_limit(w[i].a, st->limit);
    if (!p.jobs || !w) {
        fprintf(stderr, "%s: out of memory\n", prog);
        rc = EXIT_FAILURE_OTHER;
    }
    print_problems(&err);
    postrun_error_clear(&err);
    size_t started = 0;
    int sync = 0; /* how many of the lock and the two conditions exist */
    if (!rc && pthread_mutex_init(&p.lock, NULL) == 0 && ++sync &&
        pthread_cond_init(&p.work, NULL) == 0 && ++sync && pthread_cond_init(&p.done, NULL) == 0)
        sync++;
    if (!rc && sync < 3) {
        fprintf(stderr, "%s: cannot start threads\n", prog);
        rc = EXIT_FAILURE_OTHER;
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
            out_write(&st->out, st->held_json_pretty.data, st->held_json_pretty.len);
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

static int parse_format(const char *s, postrun_format *f)
{
    if (strcmp(s, "text") == 0)
        *f = POSTRUN_FORMAT_TEXT;
    else if (strcmp(s, "yaml") == 0)
        *f = POSTRUN_FORMAT_YAML;
    else if (strcmp(s, "json") == 0)
        *f = POSTRUN_FORMAT_JSON;
    else
        return -1;
    return 0;
}

static int add_overlay(kb_opts *ko, const char *path)
{
    if (ko->n_overlays == sizeof ko->overlays / sizeof ko->overlays[0]) {
        fprintf(stderr, "%s: too many --overlay options\n", prog);
        return -1;
    }
    ko->overlays[ko->n_overlays++] = path;
    return 0;
}

static int cmd_assess(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kb", required_argument, NULL, 'k'},     {"overlay", required_argument, NULL, 'O'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"explain", no_argument, NULL, 'e'},      {"color", required_argument, NULL, 'c'},
        {"jobs", required_argument, NULL, 'j'},   {"help", no_argument, NULL, 'h'},
        {"all", no_argument, NULL, 'a'},
        {"activity", required_argument, NULL, 'A'}, {"sport", required_argument, NULL, 'S'},
        {"history", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0}};
    const char *activity_path = NULL;
    unsigned activity_flags = 0;
    kb_opts ko = {0};
    assess_state st;
    memset(&st, 0, sizeof st);
    st.format = POSTRUN_FORMAT_TEXT;
    const char *out_path = NULL, *color = "auto";
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (size_t)cpus;
    int ch;
    optind = 1;
    st.limit = POSTRUN_DEFAULT_LIMIT;
    while ((ch = getopt_long(argc, argv, "k:O:f:o:ec:j:ha", opts, NULL)) != -1) {
        switch (ch) {
        case 'k': ko.kb_dir = optarg; break;
        case 'O':
            if (add_overlay(&ko, optarg))
                return EXIT_USAGE;
            break;
        case 'f':
            if (parse_format(optarg, &st.format)) {
                fprintf(stderr, "%s: --format must be text, yaml or json, not '%s'\n", prog, optarg);
                return EXIT_USAGE;
            }
            break;
        case 'o': out_path = optarg; break;
        case 'e': st.flags |= POSTRUN_RENDER_EXPLAIN; break;
        case 'a': st.limit = 0; break;
        case 'c': color = optarg; break;
        case 'j': {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 1 || n > MAX_THREADS) {
                fprintf(stderr, "%s: --jobs must be a number from 1 to %d, not '%s'\n", prog,
                        MAX_THREADS, optarg);
                return EXIT_USAGE;
            }
            jobs = (size_t)n;
            break;
        }
        case 'A': activity_path = optarg; break;
        case 'H':
            if (cli_history_arg(optarg))
                return EXIT_USAGE;
            break;
        case 'S':
            if (cli_parse_sport(optarg, &activity_flags))
                return EXIT_USAGE;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (activity_path || cli_history_count())
        jobs = 1; /* one activity merged into the reports, in order; one history */
    if (strcmp(color, "always") == 0) {
        st.flags |= POSTRUN_RENDER_COLOR;
    } else if (strcmp(color, "auto") == 0) {
        const char *nc = getenv("NO_COLOR");
        if (!out_path && isatty(STDOUT_FILENO) && !(nc && nc[0]))
            st.flags |= POSTRUN_RENDER_COLOR;
    } else if (strcmp(color, "never") != 0) {
        fprintf(stderr, "%s: --color must be auto, always or never\n", prog);
        return EXIT_USAGE;
    }
    const char *stdin_only[] = {"-"};
    const char **files = (const char **)argv + optind;
    int n_files = argc - optind;
    if (n_files == 0 && !activity_path) {
        if (isatty(STDIN_FILENO)) {
            fprintf(stderr, "%s: no run report given (name a file, or - for standard input)\n",
                    prog);
            usage(stderr);
            return EXIT_USAGE;
        }
        files = stdin_only;
        n_files = 1;
    }

    postrun_kb *kb = NULL;
    int rc = load_kb(&ko, &kb);
    if (rc)
        return rc;
    postrun_activity *activity = NULL;
    if (activity_path && (rc = cli_load_activity(kb, activity_path, activity_flags, &activity))) {
        postrun_kb_free(kb);
        return rc;
    }
    st.activity = activity;
    postrun_history *history = NULL;
    if ((rc = cli_history_load(kb, &history))) {
        postrun_activity_free(activity);
        postrun_kb_free(kb);
        return rc;
    }
    st.history = history;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    if (postrun_run_new(&run, kb, &err) || postrun_assessment_new(&a, kb, &err)) {
        print_problems(&err);
        postrun_error_clear(&err);
        postrun_run_free(run);
        postrun_activity_free(activity);
        postrun_history_free(history);
        postrun_kb_free(kb);
        return EXIT_FAILURE_OTHER;
    }
    postrun_assessment_set_limit(a, st.limit);
    if (activity) {
        /* Every report read into the run is filled from the activity before validation (its
         * warnings, values left out, come with each report's problems). */
        postrun_run_set_activity(run, activity, &err);
        postrun_error_clear(&err);
    }
    /* The activity file is an input too: -o must not name it. */
    const char **inputs = calloc((size_t)n_files + 1, sizeof *inputs);
    if (!inputs) {
        fprintf(stderr, "%s: out of memory\n", prog);
        rc = EXIT_FAILURE_OTHER;
    } else {
        memcpy(inputs, files, (size_t)n_files * sizeof *inputs);
        if (activity_path)
            inputs[n_files] = activity_path;
        rc = out_open(&st.out, out_path, inputs, n_files + (activity_path != NULL));
        free(inputs);
    }
    if (rc != 0) {
        postrun_assessment_free(a);
        postrun_run_free(run);
        postrun_activity_free(activity);
        postrun_history_free(history);
        postrun_kb_free(kb);
        return rc;
    }
    if (jobs > 1) {
        int prc = assess_parallel(&st, kb, files, n_files, jobs);
        if (prc) {
            out_close(&st.out, false);
            postrun_assessment_free(a);
            postrun_run_free(run);
            postrun_activity_free(activity);
            postrun_history_free(history);
            postrun_kb_free(kb);
            return prc;
        }
    } else if (n_files == 0) {
        assess_activity_alone(&st, run, a);
    } else {
        for (int i = 0; i < n_files && !st.failed; i++)
            assess_file(&st, kb, run, a, files[i]);
    }
    if (st.held_pretty) {
        emit_buffer(&st, st.held_pretty);
        postrun_free(st.held_pretty);
        postrun_free(st.held_compact);
    }
    if (st.out.failed)
        st.failed = true;
    int close_rc = out_close(&st.out, !st.failed);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_activity_free(activity);
    postrun_history_free(history);
    postrun_kb_free(kb);
    if (st.failed || close_rc)
        return EXIT_FAILURE_OTHER;
    if (st.emergency)
        return EXIT_EMERGENCY;
    return st.invalid ? EXIT_INVALID : 0;
}

/* ---- kb ---- */

static int cmd_kb_check(int argc, char **argv)
{
    static const struct option opts[] = {{"overlay", required_argument, NULL, 'O'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    kb_opts ko = {0};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "O:h", opts, NULL)) != -1) {
        if (ch == 'O') {
            if (add_overlay(&ko, optarg))
                return EXIT_USAGE;
        } else if (ch == 'h') {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb_builder *b = NULL;
    postrun_kb *kb = NULL;
    postrun_status s = postrun_kb_builder_new(&b, &err);
    if (s == POSTRUN_OK && optind == argc)
        s = postrun_kb_builder_add_default(b, &err);
    for (int i = optind; s == POSTRUN_OK && i < argc; i++)
        s = postrun_kb_builder_add_path(b, argv[i], &err);
    for (size_t i = 0; s == POSTRUN_OK && i < ko.n_overlays; i++)
        s = postrun_kb_builder_add_overlay(b, ko.overlays[i], &err);
    if (s == POSTRUN_OK)
        s = postrun_kb_builder_build(b, &kb, &err);
    print_problems(&err);
    size_t total = postrun_error_count(&err), errors = 0;
    for (size_t i = 0; i < total; i++)
        errors += postrun_error_at(&err, i)->severity == POSTRUN_SEVERITY_ERROR;
    if (s == POSTRUN_OK)
        printf("knowledge base ok: %zu sources, %zu parameters, %zu symptoms, %zu causes, %zu rules, "
               "%zu recommendations, %zu red flags; %zu warning%s\n",
               postrun_kb_count(kb, POSTRUN_KIND_SOURCE),
               postrun_kb_count(kb, POSTRUN_KIND_PARAMETER),
               postrun_kb_count(kb, POSTRUN_KIND_SYMPTOM), postrun_kb_count(kb, POSTRUN_KIND_CAUSE),
               postrun_kb_count(kb, POSTRUN_KIND_RULE),
               postrun_kb_count(kb, POSTRUN_KIND_RECOMMENDATION),
               postrun_kb_count(kb, POSTRUN_KIND_RED_FLAG), total - errors,
               total - errors == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", prog, errors ? errors : 1,
                errors == 1 ? "" : "s", total - errors, total - errors == 1 ? "" : "s");
    postrun_error_clear(&err);
    postrun_kb_free(kb);
    postrun_kb_builder_free(b);
    return status_exit(s);
}

static const char *const KIND_NAMES[] = {"source", "parameter",      "symptom",  "observation",
                                         "body area", "cause",       "rule",     "recommendation",
                                         "red flag", "misconception", "note"};

static int cmd_kb_show(int argc, char **argv)
{
    static const struct option opts[] = {{"kb", required_argument, NULL, 'k'},
                                         {"overlay", required_argument, NULL, 'O'},
                                         {NULL, 0, NULL, 0}};
    kb_opts ko = {0};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "k:O:", opts, NULL)) != -1) {
        if (ch == 'k')
            ko.kb_dir = optarg;
        else if (ch == 'O') {
            if (add_overlay(&ko, optarg))
                return EXIT_USAGE;
        } else {
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "%s: kb show takes one id\n", prog);
        return EXIT_USAGE;
    }
    postrun_kb *kb = NULL;
    int rc = load_kb(&ko, &kb);
    if (rc)
        return rc;
    postrun_kb_entry_info info;
    if (postrun_kb_entry(kb, argv[optind], &info) != POSTRUN_OK) {
        fprintf(stderr, "%s: no knowledge-base entry has id '%s'\n", prog, argv[optind]);
        postrun_kb_free(kb);
        return EXIT_INVALID;
    }
    printf("%s (%s)\n  %s\n", info.id, KIND_NAMES[info.kind], info.name);
    if (info.description[0])
        printf("\n  %s\n", info.description);
    double v, lo, hi;
    if (info.kind == POSTRUN_KIND_PARAMETER &&
        postrun_kb_parameter(kb, info.id, &v, &lo, &hi) == POSTRUN_OK)
        printf("\n  value %g (range %g to %g)\n", v, lo, hi);
    printf("\n  defined at %s:%u:%u\n", info.file, (unsigned)info.line, (unsigned)info.column);
    if (info.n_sources)
        printf("\nSources:\n");
    for (size_t i = 0; i < info.n_sources; i++) {
        const char *key, *title;
        if (postrun_kb_entry_source(kb, info.id, i, &key, &title) == POSTRUN_OK)
            printf("  [%s] %s\n", key, title);
    }
    postrun_kb_free(kb);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("postrun %s (libpostrun %s)\n", POSTRUN_VERSION_STRING, postrun_version());
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    /* getopt names its argv[0] in messages ("X: unrecognized option"): give each command
     * its full name, so that the message says which program it comes from. */
    static char assess_name[] = "postrun assess", check_name[] = "postrun kb check",
                show_name[] = "postrun kb show", activity_name[] = "postrun activity",
                history_name[] = "postrun history";
    if (strcmp(cmd, "history") == 0) {
        argv[1] = history_name;
        return cli_cmd_history(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "activity") == 0) {
        argv[1] = activity_name;
        return cli_cmd_activity(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "assess") == 0) {
        argv[1] = assess_name;
        return cmd_assess(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "kb") == 0 && argc >= 3) {
        if (strcmp(argv[2], "check") == 0) {
            argv[2] = check_name;
            return cmd_kb_check(argc - 2, argv + 2);
        }
        if (strcmp(argv[2], "show") == 0) {
            argv[2] = show_name;
            return cmd_kb_show(argc - 2, argv + 2);
        }
    }
    fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
    usage(stderr);
    return EXIT_USAGE;
}
