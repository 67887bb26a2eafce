/*
 * Run reports: the object's life, and the checks every value goes through whether it comes
 * from YAML or from a setter (types, ranges, enumerations, ids, duplicates, limits), with the
 * messages they give. The field table (run_fields.def) drives them; only the symptom's own
 * fields are described here. Also the defaults a run carries: which values
 * postrun_run_apply_defaults() filled in, forgotten when a setter replaces one, and the
 * assumption texts that list them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run_impl.h"
#include "history.h"
#include "vocab.h"

_Static_assert(RF_COUNT <= 64, "postrun_run.defaulted holds one bit per field");

const run_field_info PR_RUN_SYMPTOM_FIELDS[SF_COUNT] = {
    [SF_SEVERITY] = {"severity", FT_NUM, 0, 10, 0, 5, NULL},
    [SF_ONSET_H] = {"onset_h", FT_NUM, 0, 336, 0, NAN, NULL},
    [SF_DURATION_H] = {"duration_h", FT_NUM, 0, 8760, 0, NAN, NULL},
};

/* ---- problems ---- */

postrun_status pr_run_problem(run_ctx *c, postrun_status code, run_pos at, const char *field,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pr_err_vadd(c->err, code, POSTRUN_SEVERITY_ERROR, c->file, at.line, at.col, field, fmt, ap);
    va_end(ap);
    if (c->first == POSTRUN_OK)
        c->first = code;
    return code;
}


/* Quotes at most 40 bytes of text, never cutting a UTF-8 sequence in two. */
void pr_run_quote(char *buf, size_t size, const char *text)
{
    size_t len = strlen(text), n = len > 40 ? 40 : len;
    while (n < len && n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    snprintf(buf, size, "'%.*s%s'", (int)n, text, n < len ? "..." : "");
}

static void describe(char *buf, size_t size, const run_value *v)
{
    bool plain_number = v->text && !v->quoted && v->num_rc == POSTRUN_OK && strlen(v->text) < 40;
    if (v->collection || plain_number)
        snprintf(buf, size, "%s", v->text);
    else if (v->text)
        pr_run_quote(buf, size, v->text);
    else if (v->is_bool)
        snprintf(buf, size, "%s", v->b ? "true" : "false");
    else
        pr_run_fmt_num(buf, size, v->num);
}

const char *pr_run_suggest(const char *word, const char *const *allowed)
{
    const char *near = pr_suggest(word, allowed), *prefixed = NULL;
    size_t len = strlen(word);
    for (size_t i = 0; !near && len >= 3 && allowed[i]; i++) {
        if (strncmp(allowed[i], word, len) == 0 && allowed[i][len] == '_') {
            if (prefixed)
                return NULL; /* two candidates: no guess */
            prefixed = allowed[i];
        }
    }
    return near ? near : prefixed;
}

static void join_words(char *buf, size_t size, const char *const *words)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; words[i] && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", words[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

run_value pr_run_value_of(const dnode *n)
{
    run_value v = {.text = n->str, .quoted = !n->plain, .num_rc = POSTRUN_ERR_TYPE};
    if (n->kind != DN_SCALAR) {
        v.text = n->kind == DN_MAP ? "a mapping" : "a list";
        v.collection = true;
        return v;
    }
    if (n->plain) {
        v.is_bool = pr_dn_bool(n, &v.b);
        v.num_rc = pr_dn_number(n, &v.num);
    }
    return v;
}

/* Type and range of a number, boolean or enumeration; `*out` gets the stored form. */
/* check_scalar() for a value it accepts, without making the texts its messages would need
 * (every value of every report passes here); false when the full check must speak. */
static bool scalar_ok(const run_field_info *fi, const run_value *v, double *out)
{
    switch (fi->type) {
    case FT_NUM:
    case FT_INT:
        if (v->num_rc != POSTRUN_OK || v->is_bool || !(v->num >= fi->min && v->num <= fi->max) ||
            (fi->type == FT_INT && v->num != floor(v->num)))
            return false;
        *out = v->num;
        return true;
    case FT_ENUM: {
        int i = v->text && !v->collection ? pr_word_index(fi->words, v->text) : -1;
        if (i < 0)
            return false;
        *out = i;
        return true;
    }
    case FT_BOOL:
        if (!v->is_bool)
            return false;
        *out = v->b;
        return true;
    case FT_TIME:
        return v->text && !v->collection && pr_iso8601_parse(v->text, out) && *out >= fi->min &&
               *out <= fi->max;
    default:
        return false;
    }
}

static bool check_scalar(run_ctx *c, const run_field_info *fi, const char *path, const run_value *v,
                         run_pos at, double *out)
{
    if (scalar_ok(fi, v, out))
        return true;
    char got[64], lo[32], hi[32], words[256];
    describe(got, sizeof got, v);
    pr_run_fmt_num(lo, sizeof lo, fi->min);
    pr_run_fmt_num(hi, sizeof hi, fi->max);
    bool version = fi == &PR_RUN_FIELDS[RF_POSTRUN];
    switch (fi->type) {
    case FT_NUM:
    case FT_INT:
        if (v->num_rc == POSTRUN_ERR_RANGE) {
            pr_run_problem(c, POSTRUN_ERR_RANGE, at, path,
                        "%s is not a finite number (infinite, NaN or too large); expected %s..%s",
                        got, lo, hi);
            return false;
        }
        if (v->num_rc != POSTRUN_OK || v->is_bool) {
            double ignored;
            dnode probe = {.kind = DN_SCALAR, .plain = true, .str = v->text ? v->text : ""};
            probe.len = strlen(probe.str);
            if (v->quoted && pr_dn_number(&probe, &ignored) == POSTRUN_OK)
                pr_run_problem(c, POSTRUN_ERR_TYPE, at, path,
                            "expected a number in %s..%s, got the quoted text %s: write it "
                            "without quotes",
                            lo, hi, got);
            else
                pr_run_problem(c, POSTRUN_ERR_TYPE, at, path, "expected a number in %s..%s, got %s",
                            lo, hi, got);
            return false;
        }
        if (version && !(v->num >= fi->min && v->num <= fi->max)) {
            pr_run_problem(c, POSTRUN_ERR_VALUE, at, path,
                        "format version %s is not supported: this library reads `postrun: %s`", got,
                        lo);
            return false;
        }
        if (fi->type == FT_INT && v->num != floor(v->num)) {
            pr_run_problem(c, POSTRUN_ERR_TYPE, at, path, "%s is not a whole number; expected %s..%s",
                        got, lo, hi);
            return false;
        }
        if (!(v->num >= fi->min && v->num <= fi->max)) {
            pr_run_problem(c, POSTRUN_ERR_RANGE, at, path, "%s is outside %s..%s", got, lo, hi);
            return false;
        }
        *out = v->num;
        return true;
    case FT_ENUM: {
        join_words(words, sizeof words, fi->words);
        int i = v->text && !v->collection ? pr_word_index(fi->words, v->text) : -1;
        if (i >= 0) {
            *out = i;
            return true;
        }
        if (!v->text || v->collection) {
            pr_run_problem(c, POSTRUN_ERR_TYPE, at, path, "expected one of: %s; got %s", words, got);
            return false;
        }
        const char *near = pr_run_suggest(v->text, fi->words);
        if (near)
            pr_run_problem(c, POSTRUN_ERR_VALUE, at, path, "%s is not one of: %s; did you mean '%s'?",
                        got, words, near);
        else
            pr_run_problem(c, POSTRUN_ERR_VALUE, at, path, "%s is not one of: %s", got, words);
        return false;
    }
    case FT_BOOL:
        if (!v->is_bool) {
            pr_run_problem(c, POSTRUN_ERR_TYPE, at, path, "expected true or false, got %s", got);
            return false;
        }
        *out = v->b;
        return true;
    case FT_TIME:
        pr_run_problem(c, POSTRUN_ERR_VALUE, at, path,
                    "expected an ISO 8601 date and time with its UTC offset "
                    "(2026-06-01T07:30:00+02:00 or 2026-06-01T05:30:00Z) between 1970 and "
                    "the year 5138, got %s",
                    got);
        return false;
    case FT_STR:
        break;
    }
    pr_run_problem(c, POSTRUN_ERR_TYPE, at, path, "expected a number, got %s", got);
    return false;
}

/* Text is stored only if it is valid UTF-8 without control characters (it is echoed into
 * YAML, JSON and terminals). YAML input is already valid UTF-8; setters are not. */
static bool clean_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char b = *p;
        size_t n = b < 0x80             ? 0
                   : (b & 0xE0) == 0xC0 ? 1
                   : (b & 0xF0) == 0xE0 ? 2
                   : (b & 0xF8) == 0xF0 ? 3
                                        : 4;
        if (n == 4 || (b < 0x20 && b != '\t') || b == 0x7F || (n == 1 && b < 0xC2) || b > 0xF4)
            return false;
        for (size_t i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

bool pr_run_store_field(run_ctx *c, int f, const run_value *v, run_pos at)
{
    const run_field_info *fi = &PR_RUN_FIELDS[f];
    postrun_run *run = c->run;
    if (fi->type == FT_STR) {
        char got[64];
        describe(got, sizeof got, v);
        if (!v->text || v->collection) {
            pr_run_problem(c, POSTRUN_ERR_TYPE, at, fi->path, "expected text, got %s", got);
            return false;
        }
        size_t len = strlen(v->text);
        if (len >= RUN_ID_SIZE) {
            pr_run_problem(c, POSTRUN_ERR_LIMIT, at, fi->path,
                        "a text of %zu bytes; at most %d are allowed", len, RUN_ID_SIZE - 1);
            return false;
        }
        if (!clean_text(v->text)) {
            pr_run_problem(c, POSTRUN_ERR_VALUE, at, fi->path,
                        "the text is not valid UTF-8 or holds control characters");
            return false;
        }
        memcpy(run->id, v->text, len + 1);
        run->field[f] = 0; /* given */
        return true;
    }
    double x;
    if (!check_scalar(c, fi, fi->path, v, at, &x))
        return false;
    run->field[f] = x;
    pr_run_forget_default(run, f, NULL);
    return true;
}

bool pr_run_store_symptom_field(run_ctx *c, run_symptom *s, int sf, const run_value *v, run_pos at,
                             const char *field)
{
    double x;
    if (!check_scalar(c, &PR_RUN_SYMPTOM_FIELDS[sf], field, v, at, &x))
        return false;
    s->num[sf] = x;
    if (sf == SF_SEVERITY)
        pr_run_forget_default(c->run, -1, s);
    return true;
}

/* ---- ids ---- */

static const char *const ID_WHAT[] = {"symptom", "observation", "body area"};
static const char *const ID_EXAMPLE[] = {"muscles_feel_smaller", "urine_colour", "hip_flexors"};

int pr_run_lookup_id(run_ctx *c, id_kind kind, const char *id, run_pos at, const char *field)
{
    size_t len = strlen(id);
    if (c->kb && len < RUN_NAME_SIZE) { /* the usual case first, without the message's quote */
        int i = kind == ID_SYMPTOM       ? pr_kb_symptom_index(c->kb, id)
                : kind == ID_OBSERVATION ? pr_kb_observation_index(c->kb, id)
                                         : pr_kb_body_area_index(c->kb, id);
        if (i >= 0)
            return i;
    }
    char got[64];
    pr_run_quote(got, sizeof got, id);
    if (len >= RUN_NAME_SIZE) {
        pr_run_problem(c, POSTRUN_ERR_LIMIT, at, field, "a %s id of %zu bytes; ids have at most %d",
                    ID_WHAT[kind], len, RUN_NAME_SIZE - 1);
        return -1;
    }
    if (c->kb) {
        int i = kind == ID_SYMPTOM       ? pr_kb_symptom_index(c->kb, id)
                : kind == ID_OBSERVATION ? pr_kb_observation_index(c->kb, id)
                                         : pr_kb_body_area_index(c->kb, id);
        if (i >= 0)
            return i;
        const char *const *ids = kind == ID_SYMPTOM       ? pr_kb_symptom_ids(c->kb)
                                 : kind == ID_OBSERVATION ? pr_kb_observation_ids(c->kb)
                                                          : pr_kb_body_area_ids(c->kb);
        const char *near = pr_run_suggest(id, ids);
        if (near)
            pr_run_problem(c, POSTRUN_ERR_UNKNOWN_ID, at, field, "unknown %s %s; did you mean '%s'?",
                        ID_WHAT[kind], got, near);
        else
            pr_run_problem(c, POSTRUN_ERR_UNKNOWN_ID, at, field,
                        "unknown %s %s: the knowledge base does not define it", ID_WHAT[kind], got);
        return -1;
    }
    bool ok = id[0] >= 'a' && id[0] <= 'z';
    for (const char *p = id; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (!ok) {
        pr_run_problem(c, POSTRUN_ERR_VALUE, at, field,
                    "%s is not a %s id: ids are lowercase words joined by underscores, like %s",
                    got, ID_WHAT[kind], ID_EXAMPLE[kind]);
        return -1;
    }
    return 0;
}

/* Records that an id with index `index` in the context's knowledge base is being set:
 * postrun_run.ids_kb stays that knowledge base only while every id set comes from it. */
static int note_id(run_ctx *c, int index)
{
    postrun_run *run = c->run;
    if (!run->ids_any) {
        run->ids_any = true;
        run->ids_kb = c->kb;
    } else if (run->ids_kb != c->kb) {
        run->ids_kb = NULL;
    }
    return c->kb ? index : -1;
}

bool pr_run_check_id(run_ctx *c, id_kind kind, const char *id, run_pos at, const char *field,
                  char *dst)
{
    if (pr_run_lookup_id(c, kind, id, at, field) < 0)
        return false;
    /* The caller stores the id where no index follows it: the run's indexes no longer hold. */
    if (c->run) {
        c->run->ids_any = true;
        c->run->ids_kb = NULL;
    }
    memcpy(dst, id, strlen(id) + 1);
    return true;
}

run_symptom *pr_run_add_symptom(run_ctx *c, const char *id, run_pos at, const char *field)
{
    postrun_run *run = c->run;
    char name[RUN_NAME_SIZE];
    if (run->n_symptoms == PR_MAX_SYMPTOMS) {
        pr_run_problem(c, POSTRUN_ERR_LIMIT, at, "symptoms",
                    "more than %d symptoms; list the ones that bother you most", PR_MAX_SYMPTOMS);
        return NULL;
    }
    int index = pr_run_lookup_id(c, ID_SYMPTOM, id, at, field);
    if (index < 0)
        return NULL;
    memcpy(name, id, strlen(id) + 1);
    for (size_t i = 0; i < run->n_symptoms; i++) {
        if (strcmp(run->symptom[i].id, name) == 0) {
            pr_run_problem(c, POSTRUN_ERR_DUPLICATE, at, field,
                        "symptom '%s' is listed twice (first as symptoms[%zu])", name, i);
            return NULL;
        }
    }
    run_symptom *s = &run->symptom[run->n_symptoms++];
    memset(s, 0, sizeof *s);
    memcpy(s->id, name, sizeof name);
    s->pos = at;
    s->index = note_id(c, index);
    for (int k = 0; k < SF_COUNT; k++)
        s->num[k] = NAN;
    return s;
}

bool pr_run_add_where(run_ctx *c, run_symptom *s, const char *id, run_pos at, const char *field)
{
    char name[RUN_NAME_SIZE];
    if (s->n_where == PR_MAX_WHERE) {
        pr_run_problem(c, POSTRUN_ERR_LIMIT, at, field, "more than %d body areas for one symptom",
                    PR_MAX_WHERE);
        return false;
    }
    int index = pr_run_lookup_id(c, ID_BODY_AREA, id, at, field);
    if (index < 0)
        return false;
    memcpy(name, id, strlen(id) + 1);
    for (size_t i = 0; i < s->n_where; i++) {
        if (strcmp(s->where[i], name) == 0) {
            pr_run_problem(c, POSTRUN_ERR_DUPLICATE, at, field, "body area '%s' is listed twice",
                        name);
            return false;
        }
    }
    memcpy(s->where[s->n_where], name, sizeof name);
    s->where_index[s->n_where] = note_id(c, index);
    s->where_pos[s->n_where++] = at;
    return true;
}

bool pr_run_check_observation(run_ctx *c, int index, bool is_bool, double value, run_pos at,
                           const char *field)
{
    if (!c->kb)
        return true;
    double min = 0, max = 0;
    char lo[32], hi[32], got[32];
    obs_type t = pr_kb_observation_type(c->kb, index, &min, &max);
    if (t == OBS_BOOLEAN ? is_bool : !is_bool && value >= min && value <= max)
        return true; /* accepted: no message to make */
    pr_run_fmt_num(lo, sizeof lo, min);
    pr_run_fmt_num(hi, sizeof hi, max);
    if (is_bool)
        snprintf(got, sizeof got, "%s", value != 0 ? "true" : "false");
    else
        pr_run_fmt_num(got, sizeof got, value);
    if (t == OBS_BOOLEAN && !is_bool) {
        pr_run_problem(c, POSTRUN_ERR_TYPE, at, field,
                    "a yes/no observation: expected true or false, got %s", got);
        return false;
    }
    if (t != OBS_BOOLEAN && is_bool) {
        pr_run_problem(c, POSTRUN_ERR_TYPE, at, field, "expected a number in %s..%s, got %s", lo, hi,
                    got);
        return false;
    }
    if (t != OBS_BOOLEAN && !(value >= min && value <= max)) {
        pr_run_problem(c, POSTRUN_ERR_RANGE, at, field, "%s is outside %s..%s", got, lo, hi);
        return false;
    }
    return true;
}

bool pr_run_store_observation(run_ctx *c, const char *id, run_pos id_at, const run_value *v,
                           run_pos at, const char *field)
{
    postrun_run *run = c->run;
    char name[RUN_NAME_SIZE], got[64];
    int index = pr_run_lookup_id(c, ID_OBSERVATION, id, id_at, field);
    if (index < 0)
        return false;
    describe(got, sizeof got, v);
    if (!v->is_bool && v->num_rc == POSTRUN_ERR_RANGE) {
        pr_run_problem(c, POSTRUN_ERR_RANGE, at, field,
                    "%s is not a finite number (infinite, NaN or too large)", got);
        return false;
    }
    if (!v->is_bool && v->num_rc != POSTRUN_OK) {
        pr_run_problem(c, POSTRUN_ERR_TYPE, at, field, "expected true, false or a number, got %s",
                    got);
        return false;
    }
    double value = v->is_bool ? v->b : v->num;
    if (!pr_run_check_observation(c, index, v->is_bool, value, at, field))
        return false;
    memcpy(name, id, strlen(id) + 1);
    run_observation *o = pr_run_find_observation(run, name);
    if (!o) {
        if (run->n_observations == PR_MAX_OBSERVATIONS) {
            pr_run_problem(c, POSTRUN_ERR_LIMIT, id_at, "observations", "more than %d observations",
                        PR_MAX_OBSERVATIONS);
            return false;
        }
        o = &run->observation[run->n_observations++];
        memcpy(o->id, name, sizeof name);
    }
    o->pos = id_at;
    o->is_bool = v->is_bool;
    o->value = value;
    o->index = note_id(c, index);
    return true;
}

run_observation *pr_run_find_observation(const postrun_run *run, const char *id)
{
    for (size_t i = 0; i < run->n_observations; i++)
        if (strcmp(run->observation[i].id, id) == 0)
            return (run_observation *)&run->observation[i];
    return NULL;
}

int pr_run_field_by_path(const char *path)
{
    /* the first byte rules out most fields without a call (every key read asks this) */
    for (int f = 0; f < RF_COUNT; f++)
        if (PR_RUN_FIELDS[f].path[0] == path[0] && strcmp(PR_RUN_FIELDS[f].path, path) == 0)
            return f;
    return -1;
}

bool pr_run_field_in_section(int f, const char *sec, size_t len)
{
    const char *p = PR_RUN_FIELDS[f].path;
    /* The first byte rules out most fields without a call (assessments ask this per field). */
    return p[0] == sec[0] && strncmp(p, sec, len) == 0 && p[len] == '.';
}

bool pr_run_is_section(const char *name)
{
    for (int f = 0; f < RF_COUNT; f++)
        if (pr_run_field_in_section(f, name, strlen(name)))
            return true;
    return false;
}

bool pr_run_has_weigh_in(const postrun_run *run)
{
    if (run->weigh_in_given)
        return true;
    for (int f = 0; f < RF_COUNT; f++)
        if (pr_run_field_in_section(f, "weigh_in", 8) && !isnan(run->field[f]))
            return true;
    return false;
}

/* ---- life ---- */

void pr_run_reset(postrun_run *run)
{
    const postrun_kb *kb = run->kb;
    const postrun_activity *activity = run->activity;
    memset(run, 0, sizeof *run);
    run->kb = kb;
    run->activity = activity;
    for (int f = 0; f < RF_COUNT; f++)
        run->field[f] = NAN;
}

postrun_status postrun_run_new(postrun_run **out, const postrun_kb *kb, postrun_error *err)
{
    pr_err_reset(err);
    if (!out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no place to put the run (out is NULL)");
    postrun_run *run = pr_malloc(sizeof *run);
    if (!run)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory creating a run report");
    run->kb = kb;
    run->activity = NULL;
    pr_run_reset(run);
    *out = run;
    return POSTRUN_OK;
}

void postrun_run_free(postrun_run *run) { pr_free(run); }

void postrun_run_clear(postrun_run *run)
{
    if (run)
        pr_run_reset(run);
}

void postrun_run_position(const postrun_run *run, uint32_t *line, uint32_t *column)
{
    if (line)
        *line = run ? run->doc.line : 0;
    if (column)
        *column = run ? run->doc.col : 0;
}

/* ---- defaults the run carries: which values were filled in, and the texts that say so ---- */

static void value_text(char *buf, size_t size, int f, double v)
{
    const run_field_info *fi = &PR_RUN_FIELDS[f];
    if (fi->type == FT_ENUM && v >= 0 && fi->words && fi->words[(int)v])
        snprintf(buf, size, "%s", fi->words[(int)v]);
    else if (fi->type == FT_BOOL)
        snprintf(buf, size, "%s", v != 0 ? "yes" : "no");
    else
        pr_run_fmt_num(buf, size, v);
}

/* Fills an assumption template: %f = the field path, %0 = the value, %% = %. */
static void render_assumption(char *dst, size_t size, const char *path, const char *value)
{
    const char *t = pr_assumption_template(A_DEFAULT);
    size_t n = 0;
    for (; *t && n + 1 < size; t++) {
        const char *put = NULL;
        if (t[0] == '%' && (t[1] == 'f' || t[1] == '0' || t[1] == '%')) {
            put = t[1] == 'f' ? path : t[1] == '0' ? value : "%";
            t++;
        }
        if (!put) {
            dst[n++] = *t;
            continue;
        }
        size_t l = strlen(put);
        if (l > size - 1 - n)
            l = size - 1 - n;
        memcpy(dst + n, put, l);
        n += l;
    }
    dst[n] = '\0';
}

/* The texts list exactly the values that postrun_run_apply_defaults() filled and that no
 * setter has replaced since. */
void pr_run_rebuild_assumptions(postrun_run *run)
{
    char value[48], path[48];
    run->n_assumptions = 0;
    for (int f = 0; f < RF_COUNT; f++) {
        if (!(run->defaulted >> f & 1) || run->n_assumptions == PR_MAX_ASSUMPTIONS)
            continue;
        value_text(value, sizeof value, f, run->field[f]);
        render_assumption(run->assumption[run->n_assumptions++], RUN_ASSUMPTION_SIZE,
                          PR_RUN_FIELDS[f].path, value);
    }
    for (size_t i = 0; i < run->n_symptoms; i++) {
        const run_symptom *s = &run->symptom[i];
        if (!s->severity_defaulted || run->n_assumptions == PR_MAX_ASSUMPTIONS)
            continue;
        pr_run_fmt_num(value, sizeof value, s->num[SF_SEVERITY]);
        snprintf(path, sizeof path, "symptoms[%zu].severity", i);
        render_assumption(run->assumption[run->n_assumptions++], RUN_ASSUMPTION_SIZE, path, value);
    }
}

void pr_run_forget_default(postrun_run *run, int f, run_symptom *s)
{
    bool changed = false;
    if (f >= 0) /* a value set or unset is the caller's own, not the activity file's */
        run->from_activity &= ~((uint64_t)1 << f);
    if (f >= 0 && (run->defaulted >> f & 1)) {
        run->defaulted &= ~((uint64_t)1 << f);
        changed = true;
    }
    if (s && s->severity_defaulted) {
        s->severity_defaulted = false;
        changed = true;
    }
    if (changed)
        pr_run_rebuild_assumptions(run);
}
