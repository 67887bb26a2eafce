/*
 * What the files of the `postrun` command share: the activity subcommand (activity.c) and the
 * hooks `postrun assess --activity` uses.
 */
#ifndef POSTRUN_CLI_H
#define POSTRUN_CLI_H

#include "postrun.h"

enum { CLI_EXIT_INVALID = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_OTHER = 4 };

extern const char *const cli_prog;

/* Every problem of `err` on stderr, one a line. */
void cli_print_problems(const postrun_error *err);
/* The exit code of a status: 0, 1 (invalid input) or 4 (I/O, memory). */
int cli_status_exit(postrun_status s);

/* `postrun activity ...` (argv[0] is "activity"). */
int cli_cmd_activity(int argc, char **argv);
/* Loads an activity file, printing the problems; returns the exit code (0 when loaded). */
int cli_load_activity(const postrun_kb *kb, const char *path, unsigned flags,
                      postrun_activity **out);
/* --sport running|any into activity flags; non-zero (after a message) when neither. */
int cli_parse_sport(const char *s, unsigned *flags);

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
