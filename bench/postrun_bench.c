/*
 * postrun-bench: how fast libpostrun is, as one table (docs/performance.md explains the method
 * and records results).
 *
 * Every figure is the median of several repetitions after a warm-up, with the spread (min and
 * max) beside it, over fixed inputs: the bundled knowledge base, the example runs of
 * examples/runs (assessed in turn, as a mix), and a generated stream of run reports (a
 * fixed-seed PRNG, gen_runs.c). Allocations are counted by an allocator installed with
 * postrun_set_allocator(). The CLI, Python and Lua parts run as child processes.
 *
 * The program links the library's internal archive (not the shared library) for one reason:
 * the "where the time goes" section times the steps of postrun_assess() one by one.
 *
 *   postrun-bench [--examples DIR] [--reps N] [--quick] [--cli PATH] [--docs N]
 *                 [--python EXE --python-script FILE --python-path DIR]
 *                 [--lua EXE --lua-script FILE --lua-cpath PATTERN] [--source-root DIR]
 *                 [--only PART[,PART...]] [--markdown]
 *   postrun-bench --loop numbers|texts|yaml|compile|parse N [--examples DIR]
 *       runs N iterations untimed, for callgrind (valgrind --tool=callgrind postrun-bench ...)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "assess_impl.h"
#include "bench.h"
#include "count_alloc.h"

extern char **environ;

/* ---- the counting allocator ---- */

/* tests/count_alloc.h: allocs, reallocs, frees, and the bytes held (with the library's
 * block headers) and their peak. */
typedef counting_alloc alloc_count;

static alloc_count g_count;

/* ---- time and statistics ---- */

/* In-process figures use this thread's CPU time: "runs/s on one core" is what is asked, and
 * on a shared machine the wall clock also counts the time other processes held the core. The
 * CLI, Python and Lua parts (child processes) are timed by the wall clock. */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double wall_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct stats {
    double median, min, max;
    size_t n;
} stats;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static stats stats_of(double *v, size_t n)
{
    stats s = {NAN, NAN, NAN, n};
    if (n == 0)
        return s;
    qsort(v, n, sizeof *v, cmp_double);
    s.min = v[0];
    s.max = v[n - 1];
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return s;
}

/* ---- the table ---- */

typedef struct row {
    char name[160];
    stats s;
    char unit[24];
    char target[40];
    char verdict[16];
    char note[160];
} row;

static row g_rows[64];
static size_t g_n_rows;
static bool g_markdown;

static row *add_row(const char *name, stats s, const char *unit)
{
    if (g_n_rows == PR_ARRAY_LEN(g_rows))
        return &g_rows[g_n_rows - 1];
    row *r = &g_rows[g_n_rows++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->s = s;
    snprintf(r->unit, sizeof r->unit, "%s", unit);
    return r;
}

static stats one_value(double v)
{
    stats s = {v, v, v, 1};
    return s;
}

/* A target: `at_least` true means the median must reach `limit`, else stay below it. */
static void target(row *r, bool at_least, double limit, const char *text)
{
    snprintf(r->target, sizeof r->target, "%s", text);
    bool met = at_least ? r->s.median >= limit : r->s.median < limit;
    snprintf(r->verdict, sizeof r->verdict, "%s", isnan(r->s.median) ? "n/a" : met ? "met" : "MISSED");
}

static void fmt_value(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (fabs(v) >= 100000)
        snprintf(buf, size, "%.0f", v);
    else if (fabs(v) >= 100)
        snprintf(buf, size, "%.0f", v);
    else if (fabs(v) >= 10)
        snprintf(buf, size, "%.1f", v);
    else if (v == floor(v))
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.3f", v);
}

/* Thousands separated by commas for large figures (1,234,567). */
static void fmt_big(char *buf, size_t size, double v)
{
    char raw[64];
    fmt_value(raw, sizeof raw, v);
    if (isnan(v) || fabs(v) < 10000 || strchr(raw, '.')) {
        snprintf(buf, size, "%s", raw);
        return;
    }
    size_t len = strlen(raw), o = 0, lead = raw[0] == '-';
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        buf[o++] = raw[i];
        size_t rest = len - 1 - i;
        if (i >= lead && rest && rest % 3 == 0)
            buf[o++] = ',';
    }
    buf[o] = '\0';
}

static void print_table(void)
{
    const char *hdr[] = {"measurement", "median", "min", "max", "unit", "target", ""};
    if (g_markdown) {
        printf("| %s | %s | %s | %s | %s | %s | %s |\n", hdr[0], hdr[1], hdr[2], hdr[3], hdr[4],
               hdr[5], "verdict");
        printf("|---|---:|---:|---:|---|---|---|\n");
    } else {
        printf("%-58s %13s %13s %13s  %-10s %-22s %s\n", hdr[0], hdr[1], hdr[2], hdr[3], hdr[4],
               hdr[5], hdr[6]);
    }
    for (size_t i = 0; i < g_n_rows; i++) {
        row *r = &g_rows[i];
        char med[32], mn[32], mx[32];
        fmt_big(med, sizeof med, r->s.median);
        fmt_big(mn, sizeof mn, r->s.min);
        fmt_big(mx, sizeof mx, r->s.max);
        if (r->note[0] && isnan(r->s.median)) {
            if (g_markdown)
                printf("| %s | %s | | | | %s | %s |\n", r->name, r->note, r->target, r->verdict);
            else
                printf("%-58s %s  %s %s\n", r->name, r->note, r->target, r->verdict);
            continue;
        }
        if (r->s.n <= 1)
            mn[0] = mx[0] = '\0';
        if (g_markdown)
            printf("| %s | %s | %s | %s | %s | %s | %s |\n", r->name, med, mn, mx, r->unit,
                   r->target, r->verdict);
        else
            printf("%-58s %13s %13s %13s  %-10s %-22s %s\n", r->name, med, mn, mx, r->unit,
                   r->target, r->verdict);
    }
}

static void section(const char *title)
{
    row *r = add_row(title, one_value(NAN), "");
    snprintf(r->note, sizeof r->note, " ");
}

/* ---- options ---- */

typedef struct opts {
    const char *examples;
    int reps;
    bool quick;
    const char *cli;
    size_t docs;
    const char *python, *python_script, *python_path;
    const char *lua, *lua_script, *lua_cpath;
    const char *source_root;
    const char *only;
} opts;

static bool wanted(const opts *o, const char *part)
{
    if (!o->only)
        return true;
    size_t len = strlen(part);
    for (const char *p = o->only; (p = strstr(p, part)) != NULL; p += len)
        if ((p == o->only || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
            return true;
    return false;
}

/* ---- inputs ---- */

typedef struct inputs {
    postrun_kb *kb;
    postrun_run *runs[64];
    char names[64][128];
    size_t n_runs;
} inputs;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The numbered example runs (NN_*.yaml), in name order; season.yaml is a stream, left out. */
static bool load_examples(inputs *in, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "postrun-bench: %s: %s\n", dir, strerror(errno));
        return false;
    }
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < PR_ARRAY_LEN(names)) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0 && e->d_name[0] >= '0' &&
            e->d_name[0] <= '9')
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    bool ok = n > 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        postrun_error err = POSTRUN_ERROR_INIT;
        if (ok && postrun_run_load_file(&in->runs[in->n_runs], in->kb, path, &err) == POSTRUN_OK) {
            snprintf(in->names[in->n_runs], sizeof in->names[0], "%s", names[i]);
            in->n_runs++;
        } else if (ok) {
            fprintf(stderr, "postrun-bench: %s: %s\n", path, err.message);
            ok = false;
        }
        postrun_error_clear(&err);
        free(names[i]);
    }
    if (n == 0)
        fprintf(stderr, "postrun-bench: no example runs (NN_*.yaml) in %s\n", dir);
    return ok;
}

/* ---- what a consumer does with an assessment ---- */

static volatile double g_sink;

/* Numbers only: counts, the top cause's score and one metric, no text. */
static void read_numbers(postrun_assessment *a)
{
    postrun_cause c = POSTRUN_CAUSE_INIT;
    postrun_range r;
    double s = (double)postrun_assessment_red_flag_count(a) +
               (double)postrun_assessment_recommendation_count(a);
    if (postrun_assessment_cause_count(a) && postrun_assessment_cause(a, 0, &c) == POSTRUN_OK)
        s += c.score;
    if (postrun_assessment_metric_at(a, 0, &r) == POSTRUN_OK)
        s += r.expected;
    g_sink = s;
}

/* Every text of the assessment, through the public accessors. */
static void read_texts(postrun_assessment *a)
{
    size_t total = 0;
    for (size_t i = 0; i < postrun_assessment_red_flag_count(a); i++) {
        postrun_red_flag f = POSTRUN_RED_FLAG_INIT;
        if (postrun_assessment_red_flag(a, i, &f) != POSTRUN_OK)
            continue;
        total += strlen(f.advice);
        for (size_t j = 0; j < f.n_because; j++)
            total += strlen(postrun_assessment_red_flag_because(a, i, j));
    }
    for (size_t i = 0; i < postrun_assessment_cause_count(a); i++) {
        postrun_cause c = POSTRUN_CAUSE_INIT;
        postrun_assessment_cause(a, i, &c);
        for (size_t j = 0; j < c.n_because; j++) {
            postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
            if (postrun_assessment_cause_because(a, i, j, &k) == POSTRUN_OK)
                total += strlen(k.text);
        }
    }
    for (size_t i = 0; i < postrun_assessment_recommendation_count(a); i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        if (postrun_assessment_recommendation(a, i, &r) == POSTRUN_OK)
            total += strlen(r.text);
    }
    for (size_t i = 0; i < postrun_assessment_misconception_count(a); i++) {
        const char *id, *text;
        if (postrun_assessment_misconception(a, i, &id, &text) == POSTRUN_OK)
            total += strlen(text);
    }
    for (size_t i = 0; i < postrun_assessment_assumption_count(a); i++)
        total += strlen(postrun_assessment_assumption(a, i));
    for (size_t i = 0; i < postrun_assessment_note_count(a); i++)
        total += strlen(postrun_assessment_note(a, i));
    g_sink = (double)total;
}

static int null_sink(void *ud, const char *data, size_t len)
{
    (void)data;
    *(size_t *)ud += len;
    return 0;
}

typedef enum mode { M_NUMBERS, M_TEXTS, M_YAML } mode;

static bool assess_once(postrun_assessment *a, postrun_run *run, mode m, postrun_error *err)
{
    if (postrun_assess(a, run, err) != POSTRUN_OK)
        return false;
    switch (m) {
    case M_NUMBERS: read_numbers(a); break;
    case M_TEXTS:
        read_numbers(a);
        read_texts(a);
        break;
    case M_YAML: {
        size_t n = 0;
        if (postrun_assessment_write(a, POSTRUN_FORMAT_YAML, 0, null_sink, &n, err) != POSTRUN_OK)
            return false;
        g_sink = (double)n;
        break;
    }
    }
    return true;
}

/* Assesses the mix `iters` times; false on any error. */
static bool assess_loop(inputs *in, postrun_assessment *a, mode m, size_t iters)
{
    postrun_error err = POSTRUN_ERROR_INIT;
    bool ok = true;
    for (size_t i = 0; i < iters && ok; i++)
        ok = assess_once(a, in->runs[i % in->n_runs], m, &err);
    if (!ok)
        fprintf(stderr, "postrun-bench: assessment failed: %s\n", err.message);
    postrun_error_clear(&err);
    return ok;
}

/* Runs/s of the mix: calibrate to ~`target_s` a repetition, warm up, repeat. */
static stats measure_assess(inputs *in, mode m, int reps, double target_s)
{
    postrun_assessment *a = NULL;
    double v[64];
    size_t nv = 0;
    if (postrun_assessment_new(&a, in->kb, NULL) != POSTRUN_OK)
        return stats_of(v, 0);
    size_t iters = in->n_runs * 10;
    for (;;) {
        double t0 = cpu_s();
        if (!assess_loop(in, a, m, iters))
            goto out;
        double t = cpu_s() - t0;
        if (t > target_s / 4)
            break;
        iters *= 4;
    }
    iters = (iters + in->n_runs - 1) / in->n_runs * in->n_runs; /* whole mixes */
    assess_loop(in, a, m, iters);                                /* warm-up */
    for (int r = 0; r < reps && nv < PR_ARRAY_LEN(v); r++) {
        double t0 = cpu_s();
        assess_loop(in, a, m, iters);
        v[nv++] = (double)iters / (cpu_s() - t0);
    }
out:
    postrun_assessment_free(a);
    return stats_of(v, nv);
}

/* ---- where the time goes: postrun_assess() step by step ---- */

typedef struct phase_acc {
    const char *name;
    double ns;
} phase_acc;

#define TIME_STEP(acc, k, stmt)                                                                \
    do {                                                                                       \
        double t0_ = cpu_s();                                                                  \
        for (size_t i_ = 0; i_ < (k); i_++) {                                                  \
            stmt;                                                                              \
        }                                                                                      \
        (acc) += (cpu_s() - t0_) * 1e9 / (double)(k);                                          \
    } while (0)

static void profile_steps(inputs *in, int reps)
{
    enum {
        P_RESOLVE, P_MODELS, P_CONDS, P_FLAGS, P_CAUSES, P_RECS, P_MISC, P_CONTRIBS, P_TEXTS,
        P_YAML, P_N
    };
    static const char *const names[P_N] = {
        "  validate + defaults + resolve ids (pr_run_resolve)",
        "  physiology models (pr_model_evaluate)",
        "  every condition of the kb (pr_infer_conditions)",
        "  red flags (pr_infer_red_flags)",
        "  causes (pr_infer_causes)",
        "  recommendations + doses (pr_infer_recommendations)",
        "  misconceptions + notes (pr_infer_misconceptions)",
        "  explanations: contributions, sorted (lazy, on first read)",
        "  render every text (lazy, on first text accessor)",
        "  write the YAML document (render_yaml.c, null sink)"};
    double per_rep[P_N][16];
    double total[16];
    int nr = reps > 16 ? 16 : reps;
    postrun_assessment *a = NULL;
    if (postrun_assessment_new(&a, in->kb, NULL) != POSTRUN_OK)
        return;
    const size_t k = 2000;
    for (int rep = 0; rep < nr; rep++) {
        double acc[P_N] = {0};
        for (size_t r = 0; r < in->n_runs; r++) {
            postrun_run *run = in->runs[r];
            if (postrun_assess(a, run, NULL) != POSTRUN_OK)
                continue;
            size_t n_resolved;
            TIME_STEP(acc[P_RESOLVE], k, pr_run_resolve_with(run, a->kb, &a->rf, &a->run, NULL));
            n_resolved = a->run.assumptions.n;
            TIME_STEP(acc[P_MODELS], k, {
                a->run.assumptions.n = n_resolved;
                pr_model_evaluate(&a->kb->params, a->run.field, &a->metric[RF_COUNT],
                               &a->run.assumptions);
            });
            size_t n_models = a->run.assumptions.n;
            TIME_STEP(acc[P_CONDS], k, pr_infer_conditions(a));
            TIME_STEP(acc[P_FLAGS], k, pr_infer_red_flags(a));
            TIME_STEP(acc[P_CAUSES], k, pr_infer_causes(a));
            TIME_STEP(acc[P_RECS], k, {
                a->run.assumptions.n = n_models;
                pr_infer_recommendations(a);
            });
            TIME_STEP(acc[P_MISC], k, pr_infer_misconceptions(a));
            TIME_STEP(acc[P_CONTRIBS], k, {
                a->contribs_ready = false;
                pr_ensure_contribs(a);
            });
            TIME_STEP(acc[P_TEXTS], k, {
                a->texts_ready = false;
                pr_ensure_texts(a);
            });
            size_t bytes = 0;
            TIME_STEP(acc[P_YAML], k,
                      postrun_assessment_write(a, POSTRUN_FORMAT_YAML, 0, null_sink, &bytes, NULL));
        }
        double sum = 0;
        for (int p = 0; p < P_N; p++) {
            per_rep[p][rep] = acc[p] / (double)in->n_runs;
            if (p < P_CONTRIBS)
                sum += per_rep[p][rep];
        }
        total[rep] = sum;
    }
    postrun_assessment_free(a);
    section("Where the time goes (ns per run, mean over the example mix)");
    for (int p = 0; p < P_N; p++)
        add_row(names[p], stats_of(per_rep[p], (size_t)nr), "ns/run");
    add_row("  sum of the numbers-only steps", stats_of(total, (size_t)nr), "ns/run");
}

/* ---- knowledge base ---- */

static void bench_kb(inputs *in, int reps)
{
    double v[256];
    int n = reps * 8 > 256 ? 256 : reps * 8;
    for (int w = 0; w < 3; w++) { /* warm-up */
        postrun_kb *kb = NULL;
        postrun_kb_load_default(&kb, NULL);
        postrun_kb_free(kb);
    }
    for (int i = 0; i < n; i++) {
        postrun_kb *kb = NULL;
        double t0 = cpu_s();
        postrun_status s = postrun_kb_load_default(&kb, NULL);
        v[i] = (cpu_s() - t0) * 1e3;
        postrun_kb_free(kb);
        if (s != POSTRUN_OK)
            return;
    }
    row *r = add_row("compile the bundled knowledge base (embedded copy)", stats_of(v, (size_t)n),
                     "ms");
    target(r, false, 2.0, "< 2 ms");
    (void)in;
}

/* ---- allocations and memory ---- */

static void bench_memory(inputs *in)
{
    /* knowledge base */
    alloc_count before = g_count;
    g_count.peak = g_count.bytes;
    postrun_kb *kb = NULL;
    if (postrun_kb_load_default(&kb, NULL) != POSTRUN_OK)
        return;
    double kb_bytes = (double)(g_count.bytes - before.bytes);
    double kb_peak = (double)(g_count.peak - before.bytes);
    double kb_allocs = (double)(g_count.allocs - before.allocs + g_count.reallocs - before.reallocs);
    postrun_kb_free(kb);

    /* one assessment: as created, and after the texts of the largest example */
    before = g_count;
    postrun_assessment *a = NULL;
    if (postrun_assessment_new(&a, in->kb, NULL) != POSTRUN_OK)
        return;
    double a_new = (double)(g_count.bytes - before.bytes);
    double a_max = a_new;
    for (size_t r = 0; r < in->n_runs; r++) {
        assess_once(a, in->runs[r], M_TEXTS, NULL);
        double held = (double)(g_count.bytes - before.bytes);
        if (held > a_max)
            a_max = held;
    }
    /* run object */
    alloc_count rb = g_count;
    postrun_run *run = NULL;
    postrun_run_new(&run, in->kb, NULL);
    double run_bytes = (double)(g_count.bytes - rb.bytes);
    postrun_run_free(run);

    /* allocations per assessment, object reused, after one pass over the mix */
    static const char *const mode_names[] = {
        "heap allocations per assessment, reused object: numbers only",
        "heap allocations per assessment, reused object: + all texts",
        "heap allocations per assessment, reused object: + YAML write"};
    const size_t iters = in->n_runs * 1000;
    double per[3];
    for (int m = 0; m < 3; m++) {
        assess_loop(in, a, (mode)m, in->n_runs); /* warm-up: the text buffer reaches its size */
        alloc_count b = g_count;
        assess_loop(in, a, (mode)m, iters);
        per[m] = (double)(g_count.allocs - b.allocs + g_count.reallocs - b.reallocs) /
                 (double)iters;
    }
    postrun_assessment_free(a);

    section("Memory (counting allocator, postrun_set_allocator)");
    for (int m = 0; m < 3; m++) {
        row *r = add_row(mode_names[m], one_value(per[m]), "allocs");
        if (m < 2)
            target(r, false, 1e-9, "0");
        else
            snprintf(r->target, sizeof r->target, "(all of them: no libyaml)");
    }
    add_row("compiled knowledge base, held", one_value(kb_bytes), "bytes");
    add_row("compiled knowledge base, peak while compiling", one_value(kb_peak), "bytes");
    add_row("compiled knowledge base, allocations to build", one_value(kb_allocs), "allocs");
    add_row("one assessment object, as created", one_value(a_new), "bytes");
    add_row("one assessment object, after the largest example's texts", one_value(a_max), "bytes");
    add_row("one run report object", one_value(run_bytes), "bytes");
}

/* ---- parsing a stream in memory ---- */

static stats measure_parse(inputs *in, const pr_buf *text, size_t docs, int reps)
{
    double v[64];
    size_t nv = 0;
    postrun_run *run = NULL;
    if (postrun_run_new(&run, in->kb, NULL) != POSTRUN_OK)
        return stats_of(v, 0);
    for (int r = -1; r < reps && nv < PR_ARRAY_LEN(v); r++) {
        postrun_stream *s = NULL;
        postrun_error err = POSTRUN_ERROR_INIT;
        double t0 = cpu_s();
        size_t n = 0;
        if (postrun_stream_open_string(&s, in->kb, text->data, text->len, "bench", &err) ==
            POSTRUN_OK) {
            postrun_status rc;
            while ((rc = postrun_stream_next(s, run, &err)) == POSTRUN_OK)
                n++;
            if (rc != POSTRUN_DONE)
                fprintf(stderr, "postrun-bench: generated document %zu: %s\n", n, err.message);
        }
        double t = cpu_s() - t0;
        postrun_stream_free(s);
        postrun_error_clear(&err);
        if (n != docs)
            break;
        if (r >= 0)
            v[nv++] = (double)n / t;
    }
    postrun_run_free(run);
    return stats_of(v, nv);
}

/* ---- child processes ---- */

/* CPU time (user + system) the last run_child() process used. */
static double g_child_cpu_s;

/* Runs argv with stdout to `out_path` (NULL: a pipe read into `capture`), stderr to
 * `err_path`; returns the exit status (-1 when it could not run) and the wall time. */
static int run_child(char *const argv[], char *const envp[], const char *out_path,
                     pr_buf *capture, const char *err_path, double *seconds)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    int pipefd[2] = {-1, -1};
    if (out_path) {
        posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    } else {
        if (pipe(pipefd) != 0)
            return -1;
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
        posix_spawn_file_actions_addclose(&fa, pipefd[0]);
        posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    }
    posix_spawn_file_actions_addopen(&fa, 2, err_path ? err_path : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    double t0 = wall_s();
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp ? envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    if (rc != 0) {
        if (pipefd[0] >= 0)
            close(pipefd[0]);
        return -1;
    }
    if (pipefd[0] >= 0) {
        char chunk[4096];
        ssize_t got;
        while ((got = read(pipefd[0], chunk, sizeof chunk)) > 0)
            if (capture)
                pr_buf_put(capture, chunk, (size_t)got);
        close(pipefd[0]);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    *seconds = wall_s() - t0;
    g_child_cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static void bench_cli(inputs *in, const opts *o, const char *tmpdir)
{
    char stream_path[4096], out_path[4096], err_path[4096];
    snprintf(stream_path, sizeof stream_path, "%s/stream.yaml", tmpdir);
    /* The output goes to /dev/null: written through stdio like any file, but what is
     * measured is the library and the CLI, not this machine's disk (100k assessments are
     * 2 GB of YAML). */
    snprintf(out_path, sizeof out_path, "/dev/null");
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", tmpdir);
    char label[128];
    snprintf(label, sizeof label, "postrun assess, %zuk generated documents, YAML in and out",
             o->docs / 1000);
    pr_buf text = {0};
    if (!gen_stream(&text, in->runs, in->n_runs, o->docs, 42)) {
        pr_buf_free(&text);
        return;
    }
    FILE *fp = fopen(stream_path, "wb");
    if (!fp || fwrite(text.data, 1, text.len, fp) != text.len || fclose(fp) != 0) {
        fprintf(stderr, "postrun-bench: cannot write %s\n", stream_path);
        pr_buf_free(&text);
        return;
    }
    /* the library's share of the CLI's work, in this process */
    stats parse = measure_parse(in, &text, o->docs, o->reps > 5 ? 5 : o->reps);
    pr_buf_free(&text);

    /* One thread (-j 1), then the default: one thread per online CPU. */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        cpus = 1;
    section("CLI batch");
    for (int pass = 0; pass < 2; pass++) {
        double v[32], vc[32];
        size_t nv = 0;
        char note[160] = "";
        if (o->cli) {
            char *argv[] = {(char *)o->cli, "assess", "--format", "yaml", "--color", "never",
                            pass == 0 ? "-j1" : stream_path, stream_path, NULL};
            if (pass == 1)
                argv[7] = NULL;
            int reps = o->reps > 5 ? 5 : o->reps;
            for (int r = -1; r < reps && nv < PR_ARRAY_LEN(v); r++) {
                double t;
                int rc = run_child(argv, NULL, out_path, NULL, err_path, &t);
                if ((rc != 0 && rc != 3) || file_size(err_path) != 0) {
                    snprintf(note, sizeof note, "failed (exit %d; see %.100s)", rc, err_path);
                    nv = 0;
                    break;
                }
                if (r >= 0) {
                    vc[nv] = (double)o->docs / g_child_cpu_s;
                    v[nv++] = (double)o->docs / t;
                }
            }
        } else {
            snprintf(note, sizeof note, "skipped (no --cli)");
        }
        char name[256];
        char sz[32];
        fmt_big(sz, sizeof sz, (double)file_size(stream_path) / 1e6);
        if (pass == 0)
            snprintf(name, sizeof name, "%.100s (%.10s MB in), -j 1", label, sz);
        else
            snprintf(name, sizeof name, "the same, default -j (one thread per CPU: %ld)", cpus);
        row *r = add_row(name, stats_of(v, nv), "docs/s");
        snprintf(r->note, sizeof r->note, "%s", note);
        if (pass == 1)
            target(r, true, 50000, ">= 50,000 docs/s");
        if (nv)
            add_row("  by the process's CPU time (user + system, all threads)", stats_of(vc, nv),
                    "docs/s");
    }
    add_row("  parse + validate alone (postrun_stream_next, in memory)", parse, "docs/s");
    unlink(err_path);
    unlink(stream_path);
}

/* Reads "ROW\tname\tmedian\tmin\tmax\tunit\tn" and "SKIP\treason" lines of a script. */
static void script_rows(const char *what, char *const argv[], char *const envp[],
                        const char *tmpdir)
{
    char err_path[4096];
    snprintf(err_path, sizeof err_path, "%s/%s-stderr.txt", tmpdir, what);
    pr_buf out = {0};
    double t;
    int rc = run_child(argv, envp, NULL, &out, err_path, &t);
    bool any = false;
    char *save = NULL;
    for (char *line = out.data ? strtok_r(out.data, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        char *f[8];
        size_t nf = 0;
        char *s2 = NULL;
        for (char *p = strtok_r(line, "\t", &s2); p && nf < 8; p = strtok_r(NULL, "\t", &s2))
            f[nf++] = p;
        if (nf >= 2 && strcmp(f[0], "SKIP") == 0) {
            row *r = add_row(what, one_value(NAN), "");
            snprintf(r->note, sizeof r->note, "skipped: %.140s", f[1]);
            any = true;
        } else if (nf >= 6 && strcmp(f[0], "ROW") == 0) {
            stats s = {atof(f[2]), atof(f[3]), atof(f[4]), nf >= 7 ? (size_t)atol(f[6]) : 3};
            row *r = add_row(f[1], s, f[5]);
            if (strstr(f[1], "kb.assess(dict), mix"))
                target(r, true, 50000, ">= 50,000 calls/s");
            any = true;
        } else if (nf >= 3 && strcmp(f[0], "NOTE") == 0) {
            row *r = add_row(f[1], one_value(NAN), "");
            snprintf(r->note, sizeof r->note, "%.150s", f[2]);
            any = true;
        }
    }
    if (!any) {
        row *r = add_row(what, one_value(NAN), "");
        char first[120] = "";
        FILE *fp = fopen(err_path, "r");
        if (fp) {
            char line[512];
            while (fgets(line, sizeof line, fp)) /* the last line says most (a traceback's) */
                snprintf(first, sizeof first, "%.*s", (int)strcspn(line, "\n"), line);
            fclose(fp);
        }
        snprintf(r->note, sizeof r->note, "not run (exit %d%s%s)", rc, first[0] ? ": " : "", first);
    }
    unlink(err_path);
    pr_buf_free(&out);
}

/* environ plus one variable. */
static char **env_with(const char *name, const char *value)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **e = calloc(n + 2, sizeof *e);
    size_t k = 0;
    size_t nl = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (!(strncmp(environ[i], name, nl) == 0 && environ[i][nl] == '='))
            e[k++] = environ[i];
    char *v = malloc(nl + strlen(value) + 2);
    sprintf(v, "%s=%s", name, value);
    e[k++] = v;
    e[k] = NULL;
    return e;
}

/* The example runs as data for a script (JSON for Python, a Lua chunk for Lua). */
static bool write_data(inputs *in, bool lua, const char *path)
{
    pr_buf b = {0};
    bool ok = gen_data(&b, in->runs, in->n_runs, lua);
    FILE *fp = ok ? fopen(path, "wb") : NULL;
    ok = fp && fwrite(b.data, 1, b.len, fp) == b.len;
    if (fp && fclose(fp) != 0)
        ok = false;
    pr_buf_free(&b);
    return ok;
}

static void bench_python(inputs *in, const opts *o, const char *tmpdir)
{
    section("Python binding");
    if (!o->python || !o->python_script) {
        row *r = add_row("python", one_value(NAN), "");
        snprintf(r->note, sizeof r->note, "skipped (no --python/--python-script)");
        return;
    }
    char reps[16], data[4096];
    snprintf(reps, sizeof reps, "%d", o->reps);
    snprintf(data, sizeof data, "%s/runs.json", tmpdir);
    if (!write_data(in, false, data))
        return;
    char *argv[] = {(char *)o->python, (char *)o->python_script, "--data", data, "--reps", reps,
                    o->quick ? "--quick" : NULL, NULL};
    char **env = o->python_path ? env_with("PYTHONPATH", o->python_path) : NULL;
    script_rows("python", argv, env, tmpdir);
    unlink(data);
    if (env) {
        size_t n = 0;
        while (env[n])
            n++;
        free(env[n - 1]);
        free(env);
    }
}

static void bench_lua(inputs *in, const opts *o, const char *tmpdir)
{
    section("Lua binding");
    if (!o->lua || !o->lua_script) {
        row *r = add_row("lua", one_value(NAN), "");
        snprintf(r->note, sizeof r->note, "skipped (no --lua/--lua-script)");
        return;
    }
    char reps[16], data[4096];
    snprintf(reps, sizeof reps, "%d", o->reps);
    snprintf(data, sizeof data, "%s/runs.lua", tmpdir);
    if (!write_data(in, true, data))
        return;
    char *argv[] = {(char *)o->lua, (char *)o->lua_script, "--data", data, "--reps", reps,
                    o->quick ? "--quick" : NULL, NULL};
    char **env = o->lua_cpath ? env_with("LUA_CPATH_5_4", o->lua_cpath) : NULL;
    script_rows("lua", argv, env, tmpdir);
    unlink(data);
    if (env) {
        size_t n = 0;
        while (env[n])
            n++;
        free(env[n - 1]);
        free(env);
    }
}

/* ---- where this ran ---- */

static void print_header(const opts *o)
{
    char cpu[128] = "?";
    FILE *fp = fopen("/proc/cpuinfo", "r");
    if (fp) {
        char line[256];
        while (fgets(line, sizeof line, fp))
            if (strncmp(line, "model name", 10) == 0) {
                char *c = strchr(line, ':');
                snprintf(cpu, sizeof cpu, "%.*s", (int)strcspn(c + 2, "\n"), c + 2);
                break;
            }
        fclose(fp);
    }
    char commit[64] = "unknown", dirty[32] = "";
    if (o->source_root) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse HEAD 2>/dev/null", o->source_root);
        FILE *g = popen(cmd, "r");
        if (g) {
            if (fgets(commit, sizeof commit, g))
                commit[strcspn(commit, "\n")] = '\0';
            pclose(g);
        }
        snprintf(cmd, sizeof cmd,
                 "git -C '%s' status --porcelain --untracked-files=no 2>/dev/null | wc -l",
                 o->source_root);
        g = popen(cmd, "r");
        int n = 0;
        if (g) {
            if (fscanf(g, "%d", &n) != 1)
                n = 0;
            pclose(g);
        }
        if (n)
            snprintf(dirty, sizeof dirty, " + %d modified file%s", n, n == 1 ? "" : "s");
    }
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) < 0)
        load[0] = load[1] = load[2] = -1;
    printf("postrun-bench: libpostrun %s, commit %s%s\n", postrun_version(), commit, dirty);
    printf("load average at start: %.2f %.2f %.2f (in-process figures are CPU time; the CLI "
           "row is wall clock)\n", load[0], load[1], load[2]);
    printf("machine: %s, %ld online CPUs; compiler: %s%s\n", cpu, sysconf(_SC_NPROCESSORS_ONLN),
#if defined(__clang__)
           "clang ", __clang_version__
#elif defined(__GNUC__)
           "gcc ", __VERSION__
#else
           "?", ""
#endif
    );
#ifdef NDEBUG
    const char *nd = "NDEBUG";
#else
    const char *nd = "assertions on";
#endif
    printf("build: %s, %s; %d repetitions after a warm-up; median (min..max)\n\n",
#ifdef __OPTIMIZE__
           "optimised",
#else
           "NOT optimised (use a release build)",
#endif
           nd, o->reps);
}

/* ---- --loop: a fixed amount of work for callgrind ---- */

static int loop_mode(inputs *in, const char *what, size_t n)
{
    if (strcmp(what, "compile") == 0) {
        for (size_t i = 0; i < n; i++) {
            postrun_kb *kb = NULL;
            if (postrun_kb_load_default(&kb, NULL) != POSTRUN_OK)
                return 1;
            postrun_kb_free(kb);
        }
        return 0;
    }
    if (strcmp(what, "gen") == 0) { /* the generated stream, to standard output */
        pr_buf text = {0};
        bool ok = gen_stream(&text, in->runs, in->n_runs, n, 42) &&
                  fwrite(text.data, 1, text.len, stdout) == text.len;
        pr_buf_free(&text);
        return ok ? 0 : 1;
    }
    if (strcmp(what, "json") == 0 || strcmp(what, "lua") == 0) { /* the scripts' data */
        pr_buf text = {0};
        bool ok = gen_data(&text, in->runs, in->n_runs, what[0] == 'l') &&
                  fwrite(text.data, 1, text.len, stdout) == text.len;
        pr_buf_free(&text);
        return ok ? 0 : 1;
    }
    if (strcmp(what, "parse") == 0) {
        pr_buf text = {0};
        gen_stream(&text, in->runs, in->n_runs, n, 42);
        stats s = measure_parse(in, &text, n, 0);
        (void)s;
        pr_buf_free(&text);
        return 0;
    }
    mode m = strcmp(what, "numbers") == 0 ? M_NUMBERS
             : strcmp(what, "texts") == 0 ? M_TEXTS
             : strcmp(what, "yaml") == 0  ? M_YAML
                                          : (mode)-1;
    if ((int)m < 0) {
        fprintf(stderr, "postrun-bench: --loop takes numbers, texts, yaml, compile or parse\n");
        return 2;
    }
    postrun_assessment *a = NULL;
    if (postrun_assessment_new(&a, in->kb, NULL) != POSTRUN_OK)
        return 1;
    bool ok = assess_loop(in, a, m, n);
    postrun_assessment_free(a);
    return ok ? 0 : 1;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: postrun-bench [--examples DIR] [--reps N] [--quick] [--cli PATH] [--docs N]\n"
            "         [--python EXE --python-script FILE [--python-path DIR]]\n"
            "         [--lua EXE --lua-script FILE [--lua-cpath PATTERN]]\n"
            "         [--source-root DIR] [--only kb,assess,memory,profile,cli,python,lua]\n"
            "         [--markdown]\n"
            "       postrun-bench --loop numbers|texts|yaml|compile|parse N [--examples DIR]\n");
}

int main(int argc, char **argv)
{
    opts o = {.examples = "examples/runs", .reps = 7, .docs = 100000};
    const char *loop = NULL;
    size_t loop_n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name) (strcmp(a, name) == 0 && v && ++i)
        if (ARG("--examples"))
            o.examples = v;
        else if (ARG("--reps"))
            o.reps = atoi(v) > 0 ? atoi(v) : 1;
        else if (strcmp(a, "--quick") == 0)
            o.quick = true;
        else if (ARG("--cli"))
            o.cli = v;
        else if (ARG("--docs"))
            o.docs = (size_t)atol(v);
        else if (ARG("--python"))
            o.python = v;
        else if (ARG("--python-script"))
            o.python_script = v;
        else if (ARG("--python-path"))
            o.python_path = v;
        else if (ARG("--lua"))
            o.lua = v;
        else if (ARG("--lua-script"))
            o.lua_script = v;
        else if (ARG("--lua-cpath"))
            o.lua_cpath = v;
        else if (ARG("--source-root"))
            o.source_root = v;
        else if (ARG("--only"))
            o.only = v;
        else if (strcmp(a, "--markdown") == 0)
            g_markdown = true;
        else if (strcmp(a, "--loop") == 0 && i + 2 < argc) {
            loop = argv[++i];
            loop_n = (size_t)atol(argv[++i]);
        } else {
            usage();
            return 2;
        }
#undef ARG
    }
    if (o.quick) {
        o.reps = o.reps > 3 ? 3 : o.reps;
        o.docs = o.docs > 20000 ? 20000 : o.docs;
    }
    if (o.docs == 0)
        o.docs = 1;

    /* Before any library object exists (postrun_set_allocator's rule). */
    postrun_set_allocator(counting_fn, &g_count);

    inputs in = {0};
    postrun_error err = POSTRUN_ERROR_INIT;
    if (postrun_kb_load_default(&in.kb, &err) != POSTRUN_OK) {
        fprintf(stderr, "postrun-bench: bundled knowledge base: %s\n", err.message);
        return 1;
    }
    postrun_error_clear(&err);
    if (!load_examples(&in, o.examples))
        return 1;
    if (loop) {
        int rc = loop_mode(&in, loop, loop_n);
        for (size_t i = 0; i < in.n_runs; i++)
            postrun_run_free(in.runs[i]);
        postrun_kb_free(in.kb);
        return rc;
    }

    print_header(&o);
    char tmpdir[] = "/tmp/postrun-bench-XXXXXX";
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/postrun-bench-XXXXXX", base && base[0] ? base : "/tmp");
    char *dir = mkdtemp(tmpl);
    if (!dir)
        dir = mkdtemp(tmpdir);
    if (!dir) {
        fprintf(stderr, "postrun-bench: cannot create a temporary directory\n");
        return 1;
    }

    double target_s = o.quick ? 0.05 : 0.25;
    if (wanted(&o, "kb")) {
        section("Knowledge base");
        bench_kb(&in, o.reps);
    }
    if (wanted(&o, "assess")) {
        char label[160];
        section("postrun_assess, one core, assessment object reused");
        snprintf(label, sizeof label, "numbers only, mix of the %zu example runs", in.n_runs);
        row *r = add_row(label, measure_assess(&in, M_NUMBERS, o.reps, target_s), "runs/s");
        target(r, true, 1e6, ">= 1,000,000 runs/s");
        snprintf(label, sizeof label, "with every text rendered, same mix");
        r = add_row(label, measure_assess(&in, M_TEXTS, o.reps, target_s), "runs/s");
        target(r, true, 250000, ">= 250,000 runs/s");
        add_row("with the YAML document written (null sink), same mix",
                measure_assess(&in, M_YAML, o.reps, target_s), "runs/s");
    }
    if (wanted(&o, "memory"))
        bench_memory(&in);
    if (wanted(&o, "profile"))
        profile_steps(&in, o.reps);
    if (wanted(&o, "cli"))
        bench_cli(&in, &o, dir);
    if (wanted(&o, "python"))
        bench_python(&in, &o, dir);
    if (wanted(&o, "lua"))
        bench_lua(&in, &o, dir);
    print_table();
    rmdir(dir);

    for (size_t i = 0; i < in.n_runs; i++)
        postrun_run_free(in.runs[i]);
    postrun_kb_free(in.kb);
    return 0;
}
