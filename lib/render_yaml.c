/*
 * YAML output through libyaml's emitter: render.c's walk drives these callbacks, so YAML and
 * JSON always carry the same fields. Strings that would read back as something else (numbers,
 * booleans, null) are quoted.
 */
#include <math.h>
#include <string.h>
#include <yaml.h>

#include "render.h"

typedef struct ywriter {
    owriter w;
    yaml_emitter_t em;
} ywriter;

static int y_out(void *data, unsigned char *buffer, size_t size)
{
    ywriter *y = data;
    if (y->w.status != POSTRUN_OK)
        return 0;
    if (y->w.write(y->w.ud, (const char *)buffer, size) != 0) {
        y->w.status = POSTRUN_ERR_IO;
        return 0;
    }
    return 1;
}

static void y_emit(ywriter *y, yaml_event_t *ev, int ok)
{
    if (y->w.status != POSTRUN_OK) {
        if (ok)
            yaml_event_delete(ev);
        return;
    }
    if (!ok || !yaml_emitter_emit(&y->em, ev))
        y->w.status = y->w.status != POSTRUN_OK  ? y->w.status
                      : y->em.error == YAML_MEMORY_ERROR || !ok ? POSTRUN_ERR_NOMEM
                                                                 : POSTRUN_ERR_IO;
}

static void y_map_begin(owriter *w)
{
    yaml_event_t ev;
    int ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    y_emit((ywriter *)w, &ev, ok);
}
static void y_map_end(owriter *w)
{
    yaml_event_t ev;
    int ok = yaml_mapping_end_event_initialize(&ev);
    y_emit((ywriter *)w, &ev, ok);
}
static void y_seq_begin(owriter *w, bool flow)
{
    yaml_event_t ev;
    int ok = yaml_sequence_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    y_emit((ywriter *)w, &ev, ok);
}
static void y_seq_end(owriter *w)
{
    yaml_event_t ev;
    int ok = yaml_sequence_end_event_initialize(&ev);
    y_emit((ywriter *)w, &ev, ok);
}
static void y_scalar(owriter *w, const char *s, bool plain)
{
    yaml_event_t ev;
    int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s),
                                          plain, !plain,
                                          plain ? YAML_PLAIN_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
    y_emit((ywriter *)w, &ev, ok);
}
/* Strings that would read back as something else (numbers, booleans, null) are quoted. */
static void y_str(owriter *w, const char *s)
{
    dnode n = {DN_SCALAR, true, 0, 0, s, strlen(s), NULL, 0};
    double d;
    bool b;
    bool plain_ok = s[0] && dn_number(&n, &d) == POSTRUN_ERR_TYPE && !dn_bool(&n, &b) &&
                    !dn_is_null(&n) && strcmp(s, ".nan") != 0 && strcmp(s, ".inf") != 0;
    y_scalar(w, s, plain_ok);
}
static void y_num(owriter *w, double v)
{
    char num[64];
    render_fmt_num(num, sizeof num, v);
    y_scalar(w, isfinite(v) ? num : "null", true);
}
static void y_bool(owriter *w, bool v) { y_scalar(w, v ? "true" : "false", true); }

postrun_status render_yaml_with(void (*produce)(owriter *w, void *ctx), void *ctx,
                                postrun_write_fn write, void *ud)
{
    ywriter y;
    memset(&y, 0, sizeof y);
    y.w = (owriter){y_map_begin, y_map_end, y_seq_begin, y_seq_end, y_str, y_num, y_bool,
                    POSTRUN_OK, write, ud};
    if (!yaml_emitter_initialize(&y.em))
        return POSTRUN_ERR_NOMEM;
    yaml_emitter_set_output(&y.em, y_out, &y);
    yaml_emitter_set_unicode(&y.em, 1);
    yaml_emitter_set_width(&y.em, 100);
    yaml_event_t ev;
    int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    y_emit(&y, &ev, ok);
    ok = yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
    y_emit(&y, &ev, ok);
    produce(&y.w, ctx);
    ok = yaml_document_end_event_initialize(&ev, 1);
    y_emit(&y, &ev, ok);
    ok = yaml_stream_end_event_initialize(&ev);
    y_emit(&y, &ev, ok);
    if (y.w.status == POSTRUN_OK && !yaml_emitter_flush(&y.em))
        y.w.status = POSTRUN_ERR_IO;
    yaml_emitter_delete(&y.em);
    return y.w.status;
}
