/*
 * What every `postrun` command shares: the program's name in messages, how problems are
 * printed, the exit code of a status, and loading the knowledge base.
 */
#include <stdio.h>

#include "cli.h"

const char *const cli_prog = "postrun";

void cli_print_problems(const postrun_error *err)
{
    size_t n = postrun_error_count(err);
    for (size_t i = 0; i < n; i++) {
        char line[1200];
        postrun_error_format(postrun_error_at(err, i), line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

int cli_status_exit(postrun_status s)
{
    switch (s) {
    case POSTRUN_OK: return 0;
    case POSTRUN_ERR_NOMEM:
    case POSTRUN_ERR_IO:
    case POSTRUN_ERR_ARGUMENT: return CLI_EXIT_OTHER;
    default: return CLI_EXIT_INVALID;
    }
}

int cli_load_kb(const char *dir, const char *const *overlays, size_t n_overlays,
                postrun_kb **kb)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status s = postrun_kb_load(kb, dir, overlays, n_overlays, &err);
    if (s != POSTRUN_OK) {
        cli_print_problems(&err);
        fprintf(stderr, "%s: the knowledge base could not be loaded\n", cli_prog);
    }
    postrun_error_clear(&err);
    return cli_status_exit(s);
}
