/*
 * postrun history [--format text|yaml|json] [--kb DIR] FILE|DIR...: the athlete's trends as of
 * the last run of a history (weekly distance, acute:chronic ratios, monotony and strain, the
 * personal sweat factor, recurring symptoms). Also the `--history` option of `postrun assess`:
 * the paths it names, built into one history once the knowledge base is loaded.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_HISTORY_PATHS 256

static const char *g_paths[MAX_HISTORY_PATHS];
static size_t g_n_paths;

int cli_history_arg(const char *path)
{
    if (g_n_paths == MAX_HISTORY_PATHS) {
        fprintf(stderr, "%s: at most %d --history paths (name a directory instead)\n", cli_prog,
                MAX_HISTORY_PATHS);
        return CLI_EXIT_USAGE;
    }
    g_paths[g_n_paths++] = path;
    return 0;
}

size_t cli_history_count(void) { return g_n_paths; }

int cli_history_build(const postrun_kb *kb, const char *const *paths, size_t n,
                      postrun_history **out)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_history_builder *b = NULL;
    postrun_status s = postrun_history_builder_new(&b, kb, &err);
    for (size_t i = 0; s == POSTRUN_OK && i < n; i++)
        s = postrun_history_builder_add_path(b, paths[i], &err);
    if (s == POSTRUN_OK)
        s = postrun_history_builder_build(b, out, &err);
    postrun_history_builder_free(b);
    if (s != POSTRUN_OK) {
        cli_print_problems(&err);
        fprintf(stderr, "%s: the history could not be read\n", cli_prog);
    }
    postrun_error_clear(&err);
    return cli_status_exit(s);
}

int cli_history_load(const postrun_kb *kb, postrun_history **out)
{
    *out = NULL;
    if (!g_n_paths)
        return 0;
    return cli_history_build(kb, g_paths, g_n_paths, out);
}

int cli_cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"kb", required_argument, NULL, 'k'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    postrun_format format = POSTRUN_FORMAT_TEXT;
    const char *kb_dir = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "f:k:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                format = POSTRUN_FORMAT_TEXT;
            else if (strcmp(optarg, "yaml") == 0)
                format = POSTRUN_FORMAT_YAML;
            else if (strcmp(optarg, "json") == 0)
                format = POSTRUN_FORMAT_JSON;
            else {
                fprintf(stderr, "%s: --format must be text, yaml or json, not '%s'\n", cli_prog,
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'k': kb_dir = optarg; break;
        case 'h':
            printf("Usage: %s history [--format text|yaml|json] [--kb DIR] FILE|DIR...\n",
                   cli_prog);
            return 0;
        default:
            fprintf(stderr, "Usage: %s history [--format text|yaml|json] [--kb DIR] FILE|DIR...\n",
                    cli_prog);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "%s history: name the run reports or activity files (or a directory)\n",
                cli_prog);
        return CLI_EXIT_USAGE;
    }
    postrun_kb *kb = NULL;
    int rc = cli_load_kb(kb_dir, NULL, 0, &kb);
    if (rc != 0)
        return rc;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_status s = POSTRUN_OK;
    postrun_history *h = NULL;
    rc = cli_history_build(kb, (const char *const *)argv + optind, (size_t)(argc - optind),
                               &h);
    if (rc == 0) {
        char *out = NULL;
        size_t len = 0;
        s = postrun_history_render(h, format, &out, &len, &err);
        if (s == POSTRUN_OK && fwrite(out, 1, len, stdout) != len)
            s = POSTRUN_ERR_IO;
        if (s != POSTRUN_OK)
            cli_print_problems(&err);
        postrun_free(out);
        rc = cli_status_exit(s);
    }
    postrun_history_free(h);
    postrun_kb_free(kb);
    postrun_error_clear(&err);
    return rc;
}
