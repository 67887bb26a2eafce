/* Renderers' shared declarations. */
#ifndef POSTRUN_RENDER_H
#define POSTRUN_RENDER_H

#include "assess_impl.h"
#include "yamldom.h"

/* What pr_render_walk() drives: one writer per structured format. */
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

/* A metric's interval as {low, expected, high} (render.c, history_render.c). */
static inline void pr_render_range(owriter *w, tri t)
{
    w->map_begin(w);
    w->str(w, "low");
    w->num(w, t.lo);
    w->str(w, "expected");
    w->num(w, t.x);
    w->str(w, "high");
    w->num(w, t.hi);
    w->map_end(w);
}

/* Walks the assessment (texts ready) through a writer: the fields of contract section 2. */
void pr_render_walk(owriter *w, postrun_assessment *a);


/* The YAML document of what `produce` writes into the writer it is given (render_yaml.c):
 * render.c passes pr_render_walk, the tests any sequence of events. Allocates nothing. */
postrun_status pr_render_yaml_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                postrun_write_fn write, void *ud);

/* The JSON document of what `produce` writes (render_json.c). */
postrun_status pr_render_json_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                unsigned flags, postrun_write_fn write, void *ud);

/* The `history:` and `patterns:` sections of an assessment made with a history
 * (history_render.c); nothing without one. */
void pr_history_render_walk(owriter *w, postrun_assessment *a);
/* The "Your runs before this one" lines of the text report (history_render.c); nothing
 * without a history. */
void pr_history_render_text(pr_buf *b, const postrun_assessment *a, bool color);

/* Whether render_yaml.c offers string s (of length len) to the emitter as a plain scalar: not
 * when it is empty or would read back as a number, a boolean or null. */
bool pr_render_yaml_plain_ok(const char *s, size_t len);

/* The plain-text report a runner reads in a terminal. Texts must be ready. */
postrun_status pr_render_text(postrun_assessment *a, unsigned flags, postrun_write_fn write,
                           void *ud);

/* The rule behind contribution j of cause i, NULL for priors and symptoms. */
const char *pr_assessment_contrib_rule(postrun_assessment *a, size_t i, size_t j);

#endif
