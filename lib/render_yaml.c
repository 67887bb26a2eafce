/*
 * YAML output through libyaml's emitter: render.c's walk drives these callbacks, so YAML and
 * JSON always carry the same fields. Strings that would read back as something else (numbers,
 * booleans, null) are quoted.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* The collection events, as libyaml's yaml_*_event_initialize() make them without anchor or
 * tag (nothing to copy or check: they cannot fail). */
static void y_collection(owriter *w, yaml_event_type_t type, int style)
{
    yaml_event_t ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    if (type == YAML_MAPPING_START_EVENT) {
        ev.data.mapping_start.implicit = 1;
        ev.data.mapping_start.style = (yaml_mapping_style_t)style;
    } else if (type == YAML_SEQUENCE_START_EVENT) {
        ev.data.sequence_start.implicit = 1;
        ev.data.sequence_start.style = (yaml_sequence_style_t)style;
    }
    y_emit((ywriter *)w, &ev, 1);
}
static void y_map_begin(owriter *w)
{
    y_collection(w, YAML_MAPPING_START_EVENT, YAML_BLOCK_MAPPING_STYLE);
}
static void y_map_end(owriter *w) { y_collection(w, YAML_MAPPING_END_EVENT, 0); }
static void y_seq_begin(owriter *w, bool flow)
{
    y_collection(w, YAML_SEQUENCE_START_EVENT,
                 flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
}
static void y_seq_end(owriter *w) { y_collection(w, YAML_SEQUENCE_END_EVENT, 0); }
/* libyaml 0.2.5's yaml_check_utf8(), which yaml_scalar_event_initialize() applies to every
 * value: well-formed sequences of 1 to 4 bytes, no overlong forms (surrogates and values above
 * 0x10FFFF pass, as there). The ASCII bytes, nearly all of them, are passed over 8 at a time. */
static bool y_ascii(const unsigned char *p, size_t len)
{
    const uint64_t high = UINT64_C(0x8080808080808080);
    uint64_t v, acc = 0;
    if (len >= 8) {
        for (size_t i = 0; i + 8 <= len; i += 8) {
            memcpy(&v, p + i, 8);
            acc |= v;
        }
        memcpy(&v, p + len - 8, 8); /* the tail, overlapping */
        return !((acc | v) & high);
    }
    if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + len - 4, 4);
        return !((a | b) & 0x80808080u);
    }
    for (size_t i = 0; i < len; i++)
        acc |= p[i];
    return !(acc & 0x80);
}

static bool y_utf8_ok(const unsigned char *p, size_t len)
{
    if (y_ascii(p, len))
        return true;
    const unsigned char *end = p + len;
    for (;;) {
        while (end - p >= 8) {
            uint64_t v;
            memcpy(&v, p, sizeof v);
            if (v & UINT64_C(0x8080808080808080))
                break;
            p += 8;
        }
        while (p < end && *p < 0x80)
            p++;
        if (p == end)
            return true;
        unsigned c = *p;
        size_t width = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!width || (size_t)(end - p) < width)
            return false;
        uint32_t value = c & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07);
        for (size_t k = 1; k < width; k++) {
            if ((p[k] & 0xC0) != 0x80)
                return false;
            value = (value << 6) + (p[k] & 0x3F);
        }
        if (value < (width == 2 ? 0x80u : width == 3 ? 0x800u : 0x10000u))
            return false;
        p += width;
    }
}

/* What yaml_scalar_event_initialize() makes of a scalar without anchor or tag, with the length
 * known already: the same checks, the same event (the emitter frees the copy with free(), as
 * yaml_free() does). */
static void y_scalar_len(owriter *w, const char *s, size_t len, bool plain)
{
    yaml_event_t ev;
    int ok = 0;
    if (len <= INT_MAX && y_utf8_ok((const unsigned char *)s, len)) {
        yaml_char_t *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, s, len);
            copy[len] = '\0';
            memset(&ev, 0, sizeof ev);
            ev.type = YAML_SCALAR_EVENT;
            ev.data.scalar.value = copy;
            ev.data.scalar.length = len;
            ev.data.scalar.plain_implicit = plain;
            ev.data.scalar.quoted_implicit = !plain;
            ev.data.scalar.style = plain ? YAML_PLAIN_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE;
            ok = 1;
        }
    }
    y_emit((ywriter *)w, &ev, ok);
}

/* Whether a string may be written plain: not when it would read back as something else (a
 * number, a boolean, null, .nan, .inf), nor when empty. Decides exactly as
 *   s[0] && pr_dn_number(s) == POSTRUN_ERR_TYPE && !pr_dn_bool(s) && !pr_dn_is_null(s)
 *        && strcmp(s, ".nan") && strcmp(s, ".inf")
 * (s plain), but by its first character: only + - . digits t T f F n N ~ can start any of
 * those (tests/test_render_yaml.c checks the two against each other). */
bool pr_render_yaml_plain_ok(const char *s, size_t len)
{
    switch (s[0]) {
    case '\0': return false;
    case 't': return len != 4 || strcmp(s, "true") != 0;
    case 'T': return len != 4 || (strcmp(s, "True") != 0 && strcmp(s, "TRUE") != 0);
    case 'f': return len != 5 || strcmp(s, "false") != 0;
    case 'F': return len != 5 || (strcmp(s, "False") != 0 && strcmp(s, "FALSE") != 0);
    case 'n':
    case 'N': return len != 4 || strcasecmp(s, "null") != 0;
    case '~': return s[1] != '\0';
    case '+': case '-': case '.':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': {
        dnode n = {DN_SCALAR, true, 0, 0, s, len, NULL, 0};
        double d;
        return pr_dn_number(&n, &d) == POSTRUN_ERR_TYPE && strcmp(s, ".nan") != 0 &&
               strcmp(s, ".inf") != 0;
    }
    default: return true;
    }
}

static void y_str(owriter *w, const char *s)
{
    size_t len = strlen(s);
    y_scalar_len(w, s, len, pr_render_yaml_plain_ok(s, len));
}
static void y_num(owriter *w, double v)
{
    if (!isfinite(v)) {
        y_scalar_len(w, "null", 4, true);
        return;
    }
    char num[64];
    int n = pr_render_fmt_num(num, sizeof num, v);
    y_scalar_len(w, num, n > 0 && (size_t)n < sizeof num ? (size_t)n : strlen(num), true);
}
static void y_bool(owriter *w, bool v)
{
    if (v)
        y_scalar_len(w, "true", 4, true);
    else
        y_scalar_len(w, "false", 5, true);
}

postrun_status pr_render_yaml_with(void (*produce)(owriter *w, void *ctx), void *ctx,
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
