/*
 * postrun: the command-line front end of libpostrun.
 *
 *   postrun assess [options] [FILE...|-]   assess run reports (multi-document streams too)
 *   postrun kb check [--overlay F] [PATH...] validate a knowledge base, print every problem
 *   postrun kb show [--kb DIR] ID           print one knowledge-base entry with its sources
 *
 * Exit codes: 0 ok, 1 invalid input (run reports or knowledge base), 2 usage, 3 a red flag of
 * urgency "emergency" was raised (takes precedence over 1, so a script never misses it),
 * 4 any other failure (I/O, memory). Results go to stdout (or -o FILE), problems to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "postrun.h"

enum { EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_EMERGENCY = 3, EXIT_FAILURE_OTHER = 4 };

static const char *prog = "postrun";

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage:\n"
            "  %s assess [--kb DIR] [--overlay FILE]... [--format text|yaml|json]\n"
            "         [-o FILE] [--explain] [--color WHEN] [FILE...|-]\n"
            "  %s kb check [--overlay FILE]... [DIR|FILE...]\n"
            "  %s kb show [--kb DIR] [--overlay FILE]... ID\n"
            "  %s --version | --help\n"
            "\n"
            "Explains how a runner's body feels after a run and what to do about it.\n"
            "Without --kb the bundled knowledge base (built into the library) is used.\n"
            "See postrun(1) for details.\n",
            prog, prog, prog, prog);
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

/* ---- output: stdout or a file written atomically ---- */

typedef struct output {
    FILE *fp;
    const char *path;
    char tmp[4096];
    bool failed;
} output;

static int out_write(void *ud, const char *data, size_t len)
{
    output *o = ud;
    if (fwrite(data, 1, len, o->fp) != len) {
        o->failed = true;
        return -1;
    }
    return 0;
}

static int out_open(output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    int n = snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof o->tmp) {
        fprintf(stderr, "%s: %s: path too long\n", prog, path);
        return EXIT_FAILURE_OTHER;
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
        fprintf(stderr, "%s: %s: cannot create a temporary file: %s\n", prog, path,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return EXIT_FAILURE_OTHER;
    }
    return 0;
}

/* Commits (rename) or discards the output. An existing file is never left half-written. */
static int out_close(output *o, bool commit)
{
    if (o->fp == stdout) {
        if (fflush(stdout) != 0 || o->failed) {
            fprintf(stderr, "%s: cannot write the output: %s\n", prog, strerror(errno));
            return EXIT_FAILURE_OTHER;
        }
        return 0;
    }
    bool ok = !o->failed && fflush(o->fp) == 0 && fsync(fileno(o->fp)) == 0;
    ok = fclose(o->fp) == 0 && ok;
    if (ok && commit && rename(o->tmp, o->path) == 0)
        return 0;
    if (commit)
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, o->path, strerror(errno));
    unlink(o->tmp);
    return commit ? EXIT_FAILURE_OTHER : 0;
}

/* ---- assess ---- */

typedef struct assess_state {
    postrun_format format;
    unsigned flags;
    output out;
    size_t written;     /* documents written */
    char *held_pretty;  /* JSON: the first result, until we know whether more follow */
    char *held_compact;
    bool emergency;
    bool invalid;
    bool failed;
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
            rc = postrun_assess(a, run, &err);
        if (rc == POSTRUN_OK) {
            emit_result(st, a);
        } else {
            print_problems(&err);
            fprintf(stderr, "%s: %s: document %zu was not assessed\n", prog,
                    strcmp(path, "-") == 0 ? "<stdin>" : path, postrun_stream_document(s));
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
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    kb_opts ko = {0};
    assess_state st;
    memset(&st, 0, sizeof st);
    st.format = POSTRUN_FORMAT_TEXT;
    const char *out_path = NULL, *color = "auto";
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "k:O:f:o:ec:h", opts, NULL)) != -1) {
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
        case 'c': color = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
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
    if (n_files == 0) {
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
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    if (postrun_run_new(&run, kb, &err) || postrun_assessment_new(&a, kb, &err)) {
        print_problems(&err);
        postrun_error_clear(&err);
        postrun_run_free(run);
        postrun_kb_free(kb);
        return EXIT_FAILURE_OTHER;
    }
    if ((rc = out_open(&st.out, out_path)) != 0) {
        postrun_assessment_free(a);
        postrun_run_free(run);
        postrun_kb_free(kb);
        return rc;
    }
    for (int i = 0; i < n_files && !st.failed; i++)
        assess_file(&st, kb, run, a, files[i]);
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
    if (strcmp(cmd, "assess") == 0)
        return cmd_assess(argc - 1, argv + 1);
    if (strcmp(cmd, "kb") == 0 && argc >= 3) {
        if (strcmp(argv[2], "check") == 0)
            return cmd_kb_check(argc - 2, argv + 2);
        if (strcmp(argv[2], "show") == 0)
            return cmd_kb_show(argc - 2, argv + 2);
    }
    fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
    usage(stderr);
    return EXIT_USAGE;
}
