/*
 * The fixture of the generated NULL-argument sweep (tests/gen_null_sweep.py): valid objects
 * for every argument, the out-parameters the calls write, and the checks.
 */
#ifndef POSTRUN_NULL_SWEEP_FIXTURE_H
#define POSTRUN_NULL_SWEEP_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "postrun.h"

typedef struct null_fixture {
    postrun_kb *kb;              /* shared, never changed by a call */
    postrun_kb_builder *builder; /* the others are made again before each call */
    postrun_run *run, *run2;
    postrun_stream *stream;
    postrun_assessment *a;
    postrun_error problem;       /* a record holding one problem */
    postrun_visitor visitor;
    const char *path, *text, *id, *symptom, *param;
    const char *kb_dir, *overlay, *overlay_text, *run_file;
    const char *overlays[1];
    postrun_activity *activity;  /* shared, never changed by a call */
    const char *activity_text;   /* a small GPX run */
    postrun_activity_options activity_opts;
    postrun_history_builder *hbuilder; /* made again before each call */
    postrun_history *history;          /* shared, never changed by a call */
} null_fixture;

/* Out-parameters; free_outputs() frees what a successful call wrote. */
extern postrun_kb *o_kb;
extern postrun_kb_builder *o_builder;
extern postrun_run *o_run;
extern postrun_stream *o_stream;
extern postrun_assessment *o_assessment;
extern char *o_text;
extern size_t o_len;
extern postrun_kb_entry_info o_entry;
extern postrun_range o_range;
extern postrun_red_flag o_flag;
extern postrun_cause o_cause;
extern postrun_contribution o_contrib;
extern postrun_recommendation o_rec;
extern double o_d;
extern int o_i;
extern uint32_t o_u;
extern const char *o_s;
extern postrun_activity *o_activity;
extern postrun_activity_sample o_sample;
extern postrun_history_builder *o_hbuilder;
extern postrun_history *o_history;

void fixture_reset(null_fixture *f);
void free_outputs(void);
int sink(void *userdata, const char *data, size_t len);
/* A NULL argument gave ::POSTRUN_ERR_ARGUMENT (and the record says so when there is one). */
void expect_status(const char *label, postrun_status rc, const postrun_error *e);
void expect_null(const char *label, const void *p);
void expect_zero(const char *label, long long v);

/* Generated: one call per function and pointer argument. */
extern const int null_sweep_calls;
extern const int null_sweep_functions;
void null_sweep(null_fixture *f);

#endif
