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
            cli_prog, cli_prog, cli_prog, cli_prog, cli_prog, cli_prog, cli_prog, cli_prog);
}

typedef struct kb_opts {
    const char *kb_dir;
    const char *overlays[64];
    size_t n_overlays;
} kb_opts;

static int load_kb(const kb_opts *o, postrun_kb **kb)
{
    return cli_load_kb(o->kb_dir, o->overlays, o->n_overlays, kb);
}

/* ---- assess ---- */


static int emit_buffer(assess_state *st, const char *s)
{
    return cli_out_write(&st->out, s, strlen(s));
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
            emit_buffer(st, CLI_TEXT_SEPARATOR);
        s = postrun_assessment_write(a, st->format, st->flags, cli_out_write, &st->out, &err);
    }
    if (s != POSTRUN_OK) {
        if (!st->out.failed) /* a failed write is reported once, with the path and reason */
            cli_print_problems(&err);
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
        cli_print_problems(&err);
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
            cli_print_problems(&err);
            fprintf(stderr, "%s: %s: document %zu was not assessed\n", cli_prog,
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
    cli_print_problems(&err); /* warnings: values out of range, left out */
    if (rc == POSTRUN_OK)
        rc = postrun_assess_with_history(a, run, st->history, &err);
    if (rc == POSTRUN_OK) {
        emit_result(st, a);
    } else {
        cli_print_problems(&err);
        fprintf(stderr, "%s: the activity was not assessed (a report gives what the file "
                        "cannot: athlete.body_mass_kg, ...)\n", cli_prog);
        if (rc == POSTRUN_ERR_NOMEM || rc == POSTRUN_ERR_IO)
            st->failed = true;
        else
            st->invalid = true;
    }
    postrun_error_clear(&err);
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
        fprintf(stderr, "%s: too many --overlay options\n", cli_prog);
        return -1;
    }
    ko->overlays[ko->n_overlays++] = path;
    return 0;
}

/* The options of `postrun assess`. */
typedef struct assess_opts {
    kb_opts ko;
    const char *activity_path;
    unsigned activity_flags;
    const char *out_path;
    size_t jobs;
    const char **files;
    int n_files;
} assess_opts;

/* Reads the command line of `postrun assess` into o and st: -1 to go on, else the exit code
 * (after a message, or the help). */
static int assess_args(int argc, char **argv, assess_opts *o, assess_state *st)
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
    const char *color = "auto";
    st->format = POSTRUN_FORMAT_TEXT;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus < 1 ? 1 : cpus > CLI_MAX_THREADS ? CLI_MAX_THREADS : (size_t)cpus;
    int ch;
    optind = 1;
    st->limit = POSTRUN_DEFAULT_LIMIT;
    while ((ch = getopt_long(argc, argv, "k:O:f:o:ec:j:ha", opts, NULL)) != -1) {
        switch (ch) {
        case 'k': o->ko.kb_dir = optarg; break;
        case 'O':
            if (add_overlay(&o->ko, optarg))
                return CLI_EXIT_USAGE;
            break;
        case 'f':
            if (parse_format(optarg, &st->format)) {
                fprintf(stderr, "%s: --format must be text, yaml or json, not '%s'\n", cli_prog,
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'o': o->out_path = optarg; break;
        case 'e': st->flags |= POSTRUN_RENDER_EXPLAIN; break;
        case 'a': st->limit = 0; break;
        case 'c': color = optarg; break;
        case 'j': {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 1 || n > CLI_MAX_THREADS) {
                fprintf(stderr, "%s: --jobs must be a number from 1 to %d, not '%s'\n", cli_prog,
                        CLI_MAX_THREADS, optarg);
                return CLI_EXIT_USAGE;
            }
            o->jobs = (size_t)n;
            break;
        }
        case 'A': o->activity_path = optarg; break;
        case 'H':
            if (cli_history_arg(optarg))
                return CLI_EXIT_USAGE;
            break;
        case 'S':
            if (cli_parse_sport(optarg, &o->activity_flags))
                return CLI_EXIT_USAGE;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (o->activity_path)
        o->jobs = 1; /* one activity merged into the reports, in order */
    if (strcmp(color, "always") == 0) {
        st->flags |= POSTRUN_RENDER_COLOR;
    } else if (strcmp(color, "auto") == 0) {
        const char *nc = getenv("NO_COLOR");
        if (!o->out_path && isatty(STDOUT_FILENO) && !(nc && nc[0]))
            st->flags |= POSTRUN_RENDER_COLOR;
    } else if (strcmp(color, "never") != 0) {
        fprintf(stderr, "%s: --color must be auto, always or never\n", cli_prog);
        return CLI_EXIT_USAGE;
    }
    static const char *stdin_only[] = {"-"};
    o->files = (const char **)argv + optind;
    o->n_files = argc - optind;
    if (o->n_files == 0 && !o->activity_path) {
        if (isatty(STDIN_FILENO)) {
            fprintf(stderr, "%s: no run report given (name a file, or - for standard input)\n",
                    cli_prog);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        o->files = stdin_only;
        o->n_files = 1;
    }
    return -1;
}

static int cmd_assess(int argc, char **argv)
{
    assess_opts o;
    assess_state st;
    memset(&o, 0, sizeof o);
    memset(&st, 0, sizeof st);
    int rc = assess_args(argc, argv, &o, &st);
    if (rc >= 0)
        return rc;
    const char **files = o.files;
    const int n_files = o.n_files;
    const char *activity_path = o.activity_path;

    postrun_kb *kb = NULL;
    rc = load_kb(&o.ko, &kb);
    if (rc)
        return rc;
    postrun_activity *activity = NULL;
    if (activity_path && (rc = cli_load_activity(kb, activity_path, o.activity_flags, &activity))) {
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
        cli_print_problems(&err);
        postrun_error_clear(&err);
        postrun_run_free(run);
        postrun_activity_free(activity);
        postrun_history_free(history);
        postrun_kb_free(kb);
        return CLI_EXIT_OTHER;
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
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        rc = CLI_EXIT_OTHER;
    } else {
        memcpy(inputs, files, (size_t)n_files * sizeof *inputs);
        if (activity_path)
            inputs[n_files] = activity_path;
        rc = cli_out_open(&st.out, o.out_path, inputs, n_files + (activity_path != NULL));
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
    if (o.jobs > 1) {
        int prc = cli_assess_parallel(&st, kb, files, n_files, o.jobs);
        if (prc) {
            cli_out_close(&st.out, false);
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
    int close_rc = cli_out_close(&st.out, !st.failed);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_activity_free(activity);
    postrun_history_free(history);
    postrun_kb_free(kb);
    if (st.failed || close_rc)
        return CLI_EXIT_OTHER;
    if (st.emergency)
        return CLI_EXIT_EMERGENCY;
    return st.invalid ? CLI_EXIT_INVALID : 0;
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
                return CLI_EXIT_USAGE;
        } else if (ch == 'h') {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return CLI_EXIT_USAGE;
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
    cli_print_problems(&err);
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
        fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", cli_prog, errors ? errors : 1,
                errors == 1 ? "" : "s", total - errors, total - errors == 1 ? "" : "s");
    postrun_error_clear(&err);
    postrun_kb_free(kb);
    postrun_kb_builder_free(b);
    return cli_status_exit(s);
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
                return CLI_EXIT_USAGE;
        } else {
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "%s: kb show takes one id\n", cli_prog);
        return CLI_EXIT_USAGE;
    }
    postrun_kb *kb = NULL;
    int rc = load_kb(&ko, &kb);
    if (rc)
        return rc;
    postrun_kb_entry_info info = POSTRUN_KB_ENTRY_INFO_INIT;
    if (postrun_kb_entry(kb, argv[optind], &info) != POSTRUN_OK) {
        fprintf(stderr, "%s: no knowledge-base entry has id '%s'\n", cli_prog, argv[optind]);
        postrun_kb_free(kb);
        return CLI_EXIT_INVALID;
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
        return CLI_EXIT_USAGE;
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
    fprintf(stderr, "%s: unknown command '%s'\n", cli_prog, cmd);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
