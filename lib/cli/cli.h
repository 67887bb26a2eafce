/*
 * What the files of the `postrun` command share (common.c), the activity and history
 * subcommands (activity.c, history.c) and the hooks `postrun assess` uses from them.
 */
#ifndef POSTRUN_CLI_H
#define POSTRUN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "postrun.h"

/* Exit codes: see postrun.c. */
enum { CLI_EXIT_INVALID = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_EMERGENCY = 3, CLI_EXIT_OTHER = 4 };

extern const char *const cli_prog;

/* Every problem of `err` on stderr, one a line. */
void cli_print_problems(const postrun_error *err);
/* The exit code of a status: 0, 1 (invalid input) or 4 (I/O, memory). */
int cli_status_exit(postrun_status s);
/* Loads the knowledge base (NULL dir: the bundled one) with its overlays, printing the problems
 * and a line saying it failed; returns the exit code (0 when loaded). */
int cli_load_kb(const char *dir, const char *const *overlays, size_t n_overlays,
                postrun_kb **kb);

/* `postrun activity ...` (argv[0] is "activity"). */
int cli_cmd_activity(int argc, char **argv);
/* Loads an activity file, printing the problems; returns the exit code (0 when loaded). */
int cli_load_activity(const postrun_kb *kb, const char *path, unsigned flags,
                      postrun_activity **out);
/* --sport running|any into activity flags; non-zero (after a message) when neither. */
int cli_parse_sport(const char *s, unsigned *flags);

/* ---- assess (postrun.c), with several threads (pool.c) ---- */

/* -j at most. */
enum { CLI_MAX_THREADS = 256 };

/* Between two text reports. */
#define CLI_TEXT_SEPARATOR \
    "\n========================================================================\n\n"

/* The output of -o: stdout, a file replaced atomically, or a device written in place. */
typedef struct output {
    FILE *fp;
    const char *path;    /* as given, for messages */
    char target[4096];   /* the file replaced (symbolic links resolved) */
    char tmp[4096];
    bool in_place;       /* not a regular file: written directly */
    bool failed;
    int write_errno;     /* the reason of the first failed write */
} output;

/* Opens -o PATH (NULL: standard output), refusing a path that is one of the inputs or that
 * replacing would harm; 0 or an exit code, after a message naming the path. */
int cli_out_open(output *o, const char *path, const char **inputs, int n_inputs);
/* Writes to an output (a postrun_write_fn); -1 once a write failed, the reason kept. */
int cli_out_write(void *ud, const char *data, size_t len);
/* Closes an output: with `commit`, a temporary file replaces its target; otherwise it is
 * removed. 0 or an exit code, after a message. */
int cli_out_close(output *o, bool commit);

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

/* assess_file() for every file with `threads` threads (pool.c). Returns 0, or an exit code
 * when the pool could not be set up (nothing was read then). */
int cli_assess_parallel(assess_state *st, const postrun_kb *kb, const char **files, int n_files,
                        size_t threads);

/* `postrun history ...` (argv[0] is "history"; history.c). */
int cli_cmd_history(int argc, char **argv);
/* `assess --history PATH`: remembers the path; non-zero (after a message) when too many. */
int cli_history_arg(const char *path);
/* Number of --history paths given. */
size_t cli_history_count(void);
/* Builds the history of every --history path (NULL without any); returns the exit code. */
int cli_history_load(const postrun_kb *kb, postrun_history **out);
/* Builds a history from `n` files or directories, printing the problems. */
int cli_history_build(const postrun_kb *kb, const char *const *paths, size_t n,
                      postrun_history **out);

#endif
