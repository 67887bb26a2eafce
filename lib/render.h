/* Renderers' shared declarations. */
#ifndef POSTRUN_RENDER_H
#define POSTRUN_RENDER_H

#include "assess_impl.h"
#include "yamldom.h"

/* What render_walk() drives: one writer per structured format. */
typedef struct owriter owriter;
struct owriter {
    void (*map_begin)(owriter *w);
    void (*map_end)(owriter *w);
    void (*seq_begin)(owriter *w, bool flow);
    void (*seq_end)(owriter *w);
    void (*str)(owriter *w, const char *s);
    void (*num)(owriter *w, double v);
    void (*boolean)(owriter *w, bool v);
    postrun_status status;
    postrun_write_fn write;
    void *ud;
};

/* Walks the assessment (texts ready) through a writer: the fields of contract section 2. */
void render_walk(owriter *w, postrun_assessment *a);

/* Numbers in YAML and JSON: 4 significant digits, whole from 1000 up, "null" when not finite. */
int render_fmt_num(char *buf, size_t size, double v);

/* The YAML document of what `produce` writes into the writer it is given (render_yaml.c):
 * render.c passes render_walk, the tests any sequence of events. Allocates nothing. */
postrun_status render_yaml_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                postrun_write_fn write, void *ud);

/* The JSON document of what `produce` writes (render.c). */
postrun_status render_json_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                unsigned flags, postrun_write_fn write, void *ud);

/* The `history:` and `patterns:` sections of an assessment made with a history
 * (history_render.c); nothing without one. */
void history_render_walk(owriter *w, postrun_assessment *a);
/* The "Your runs before this one" lines of the text report (history_render.c); nothing
 * without a history. */
void history_render_text(pr_buf *b, const postrun_assessment *a, bool color);

/* Whether render_yaml.c offers string s (of length len) to the emitter as a plain scalar: not
 * when it is empty or would read back as a number, a boolean or null. */
bool render_yaml_plain_ok(const char *s, size_t len);

/* The plain-text report a runner reads in a terminal. Texts must be ready. */
postrun_status render_text(postrun_assessment *a, unsigned flags, postrun_write_fn write,
                           void *ud);

/* The rule behind contribution j of cause i, NULL for priors and symptoms. */
const char *assessment_contrib_rule(const postrun_assessment *a, size_t i, size_t j);

#endif
