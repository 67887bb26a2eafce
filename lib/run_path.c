/*
 * The field-path API of run reports: postrun_run_set_* / get_* / append / unset / has / count
 * / item over paths such as "athlete.body_mass_kg", "symptoms[0].where" and
 * "observations.urine_colour". Values go through the same checks as YAML (run.c); errors
 * carry the field path and no position.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run_impl.h"

typedef enum path_kind {
    PK_FIELD,        /* a field of the table */
    PK_SECTION,      /* "athlete", "weigh_in", ... (has, unset) */
    PK_SYMPTOMS,     /* "symptoms" */
    PK_SYMPTOM,      /* "symptoms[i]" */
    PK_SYMPTOM_ID,   /* "symptoms[i].id" */
    PK_SYMPTOM_NUM,  /* "symptoms[i].severity", ".onset_h", ".duration_h" */
    PK_WHERE,        /* "symptoms[i].where" */
    PK_OBSERVATIONS, /* "observations" */
    PK_OBSERVATION   /* "observations.<id>" */
} path_kind;

typedef struct run_path {
    path_kind kind;
    int field;        /* RF_* or SF_* */
    size_t index;     /* symptom */
    const char *name; /* section or observation id */
    char text[128];   /* the path as messages name it */
} run_path;

static bool parse_path(const char *path, run_path *p)
{
    memset(p, 0, sizeof *p);
    pr_strlcpy(p->text, path, sizeof p->text);
    if ((p->field = pr_run_field_by_path(path)) >= 0) {
        p->kind = PK_FIELD;
        return true;
    }
    if (strcmp(path, "symptoms") == 0 || strcmp(path, "observations") == 0) {
        p->kind = path[0] == 's' ? PK_SYMPTOMS : PK_OBSERVATIONS;
        return true;
    }
    if (strncmp(path, "observations.", 13) == 0 && path[13]) {
        p->kind = PK_OBSERVATION;
        p->name = path + 13;
        return true;
    }
    if (pr_run_is_section(path)) {
        p->kind = PK_SECTION;
        p->name = path;
        return true;
    }
    if (strncmp(path, "symptoms[", 9) != 0)
        return false;
    const char *s = path + 9;
    size_t digits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 9; s++, digits++)
        p->index = p->index * 10 + (size_t)(*s - '0');
    if (!digits || *s++ != ']')
        return false;
    snprintf(p->text, sizeof p->text, "symptoms[%zu]%.40s", p->index, s);
    if (!*s) {
        p->kind = PK_SYMPTOM;
        return true;
    }
    if (*s++ != '.')
        return false;
    if (strcmp(s, "id") == 0 || strcmp(s, "where") == 0) {
        p->kind = s[0] == 'i' ? PK_SYMPTOM_ID : PK_WHERE;
        return true;
    }
    for (int k = 0; k < SF_COUNT; k++) {
        if (strcmp(PR_RUN_SYMPTOM_FIELDS[k].path, s) == 0) {
            p->kind = PK_SYMPTOM_NUM;
            p->field = k;
            return true;
        }
    }
    return false;
}

/* Parses `path` or records why not (with the closest path there is). */
static bool resolve_path(run_ctx *c, const char *path, run_path *p)
{
    if (parse_path(path, p))
        return true;
    const char *known[RF_COUNT + 3];
    for (int f = 0; f < RF_COUNT; f++)
        known[f] = PR_RUN_FIELDS[f].path;
    known[RF_COUNT] = "symptoms";
    known[RF_COUNT + 1] = "observations";
    known[RF_COUNT + 2] = NULL;
    char got[64];
    pr_run_quote(got, sizeof got, path);
    const char *near = pr_run_suggest(path, known);
    if (near)
        pr_run_problem(c, POSTRUN_ERR_NOT_FOUND, (run_pos){0, 0}, p->text,
                    "no field %s in a run report; did you mean '%s'?", got, near);
    else
        pr_run_problem(c, POSTRUN_ERR_NOT_FOUND, (run_pos){0, 0}, p->text,
                    "no field %s in a run report (see docs/run-report.md)", got);
    return false;
}

static run_symptom *symptom_of(run_ctx *c, const run_path *p)
{
    if (p->index < c->run->n_symptoms)
        return &c->run->symptom[p->index];
    pr_run_problem(c, POSTRUN_ERR_NOT_FOUND, (run_pos){0, 0}, p->text,
                "there is no symptoms[%zu]: the run has %zu symptom(s); add one with "
                "postrun_run_append(run, \"symptoms\", id)",
                p->index, c->run->n_symptoms);
    return NULL;
}

static postrun_status wrong_kind(run_ctx *c, const run_path *p, const char *wanted)
{
    return pr_run_problem(c, POSTRUN_ERR_TYPE, (run_pos){0, 0}, p->text, "this path does not hold %s",
                       wanted);
}

/* The common start of every call: the record reset, the arguments and the path checked. */
static bool begin(run_ctx *c, postrun_run *run, const char *path, run_path *p, postrun_error *err)
{
    pr_err_reset(err);
    *c = (run_ctx){.run = run, .kb = run ? run->kb : NULL, .err = err};
    if (!run || !path) {
        pr_run_problem(c, POSTRUN_ERR_ARGUMENT, (run_pos){0, 0}, NULL, "no run or no path given");
        return false;
    }
    return resolve_path(c, path, p);
}

static postrun_status set_value(postrun_run *run, const char *path, const run_value *v,
                                postrun_error *err)
{
    run_ctx c;
    run_path p;
    run_symptom *s;
    if (!begin(&c, run, path, &p, err))
        return c.first;
    switch (p.kind) {
    case PK_FIELD:
        pr_run_store_field(&c, p.field, v, (run_pos){0, 0});
        break;
    case PK_SYMPTOM_NUM:
        if ((s = symptom_of(&c, &p)))
            pr_run_store_symptom_field(&c, s, p.field, v, (run_pos){0, 0}, p.text);
        break;
    case PK_OBSERVATION:
        pr_run_store_observation(&c, p.name, (run_pos){0, 0}, v, (run_pos){0, 0}, p.text);
        break;
    case PK_SYMPTOM_ID: {
        char name[RUN_NAME_SIZE];
        if (!v->text)
            return wrong_kind(&c, &p, v->is_bool ? "a yes/no value" : "a number");
        if (!(s = symptom_of(&c, &p)) ||
            !pr_run_check_id(&c, ID_SYMPTOM, v->text, (run_pos){0, 0}, p.text, name))
            break;
        for (size_t i = 0; i < run->n_symptoms; i++)
            if (i != p.index && strcmp(run->symptom[i].id, name) == 0)
                return pr_run_problem(&c, POSTRUN_ERR_DUPLICATE, (run_pos){0, 0}, p.text,
                                   "symptom '%s' is listed twice (first as symptoms[%zu])", name,
                                   i);
        memcpy(s->id, name, sizeof name);
        s->pos = (run_pos){0, 0};
        break;
    }
    default:
        return wrong_kind(&c, &p, v->text ? "text" : v->is_bool ? "a yes/no value" : "a number");
    }
    return c.first;
}

postrun_status postrun_run_set_number(postrun_run *run, const char *path, double value,
                                      postrun_error *err)
{
    run_value v = {.num = value, .num_rc = isfinite(value) ? POSTRUN_OK : POSTRUN_ERR_RANGE};
    return set_value(run, path, &v, err);
}

postrun_status postrun_run_set_string(postrun_run *run, const char *path, const char *value,
                                      postrun_error *err)
{
    if (!value) {
        pr_err_reset(err);
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, path, "no value given (NULL)");
    }
    run_value v = {.text = value, .num_rc = POSTRUN_ERR_TYPE};
    return set_value(run, path, &v, err);
}

postrun_status postrun_run_set_bool(postrun_run *run, const char *path, int value,
                                    postrun_error *err)
{
    run_value v = {.is_bool = true, .b = value != 0, .num_rc = POSTRUN_ERR_TYPE};
    return set_value(run, path, &v, err);
}

postrun_status postrun_run_append(postrun_run *run, const char *path, const char *value,
                                  postrun_error *err)
{
    run_ctx c;
    run_path p;
    run_symptom *s;
    char field[160];
    if (!begin(&c, run, path, &p, err))
        return c.first;
    if (!value)
        return pr_run_problem(&c, POSTRUN_ERR_ARGUMENT, (run_pos){0, 0}, p.text, "no value given");
    if (p.kind == PK_SYMPTOMS) {
        snprintf(field, sizeof field, "symptoms[%zu].id", run->n_symptoms);
        pr_run_add_symptom(&c, value, (run_pos){0, 0}, field);
    } else if (p.kind == PK_WHERE) {
        if ((s = symptom_of(&c, &p))) {
            snprintf(field, sizeof field, "%s[%zu]", p.text, s->n_where);
            pr_run_add_where(&c, s, value, (run_pos){0, 0}, field);
        }
    } else {
        return pr_run_problem(&c, POSTRUN_ERR_TYPE, (run_pos){0, 0}, p.text,
                           "not a list: only \"symptoms\" and \"symptoms[i].where\" take items");
    }
    return c.first;
}

postrun_status postrun_run_unset(postrun_run *run, const char *path, postrun_error *err)
{
    run_ctx c;
    run_path p;
    run_symptom *s;
    if (!begin(&c, run, path, &p, err))
        return c.first;
    switch (p.kind) {
    case PK_FIELD:
        run->field[p.field] = NAN;
        if (p.field == RF_ID)
            run->id[0] = '\0';
        pr_run_forget_default(run, p.field, NULL);
        break;
    case PK_SECTION:
        for (int f = 0; f < RF_COUNT; f++) {
            if (pr_run_field_in_section(f, p.name, strlen(p.name))) {
                run->field[f] = NAN;
                pr_run_forget_default(run, f, NULL);
            }
        }
        if (strcmp(p.name, "weigh_in") == 0)
            run->weigh_in_given = false;
        break;
    case PK_SYMPTOMS:
        run->n_symptoms = 0;
        pr_run_rebuild_assumptions(run);
        break;
    case PK_SYMPTOM:
        if (symptom_of(&c, &p)) {
            memmove(&run->symptom[p.index], &run->symptom[p.index + 1],
                    (run->n_symptoms - p.index - 1) * sizeof run->symptom[0]);
            run->n_symptoms--;
            pr_run_rebuild_assumptions(run);
        }
        break;
    case PK_SYMPTOM_ID:
        return pr_run_problem(&c, POSTRUN_ERR_ARGUMENT, (run_pos){0, 0}, p.text,
                           "a symptom needs its id: unset \"symptoms[%zu]\" to remove it", p.index);
    case PK_SYMPTOM_NUM:
        if ((s = symptom_of(&c, &p))) {
            s->num[p.field] = NAN;
            if (p.field == SF_SEVERITY)
                pr_run_forget_default(run, -1, s);
        }
        break;
    case PK_WHERE:
        if ((s = symptom_of(&c, &p)))
            s->n_where = 0;
        break;
    case PK_OBSERVATIONS:
        run->n_observations = 0;
        break;
    case PK_OBSERVATION: {
        run_observation *o = pr_run_find_observation(run, p.name);
        if (o) {
            size_t i = (size_t)(o - run->observation);
            memmove(o, o + 1, (run->n_observations - i - 1) * sizeof *o);
            run->n_observations--;
        }
        break;
    }
    }
    return c.first;
}

/* ---- reading ---- */

/* Getters take a const run; the shared checks want a context, which they only read. */
static bool begin_read(run_ctx *c, const postrun_run *run, const char *path, run_path *p,
                       const void *out, postrun_error *err)
{
    if (!begin(c, (postrun_run *)run, path, p, err))
        return false;
    if (!out) {
        pr_run_problem(c, POSTRUN_ERR_ARGUMENT, (run_pos){0, 0}, p->text, "no place for the value");
        return false;
    }
    return true;
}

static postrun_status no_value(run_ctx *c, const run_path *p)
{
    return pr_run_problem(c, POSTRUN_ERR_NOT_FOUND, (run_pos){0, 0}, p->text, "not given");
}

int postrun_run_has(const postrun_run *run, const char *path)
{
    run_path p;
    if (!run || !path || !parse_path(path, &p))
        return 0;
    bool sym = p.index < run->n_symptoms;
    switch (p.kind) {
    case PK_FIELD:
        return !isnan(run->field[p.field]);
    case PK_SECTION:
        if (strcmp(p.name, "weigh_in") == 0)
            return pr_run_has_weigh_in(run);
        for (int f = 0; f < RF_COUNT; f++)
            if (pr_run_field_in_section(f, p.name, strlen(p.name)) && !isnan(run->field[f]))
                return 1;
        return 0;
    case PK_SYMPTOMS:
        return run->n_symptoms > 0;
    case PK_SYMPTOM:
    case PK_SYMPTOM_ID:
        return sym;
    case PK_SYMPTOM_NUM:
        return sym && !isnan(run->symptom[p.index].num[p.field]);
    case PK_WHERE:
        return sym && run->symptom[p.index].n_where > 0;
    case PK_OBSERVATIONS:
        return run->n_observations > 0;
    case PK_OBSERVATION:
        return pr_run_find_observation(run, p.name) != NULL;
    }
    return 0;
}

postrun_status postrun_run_get_number(const postrun_run *run, const char *path, double *out,
                                      postrun_error *err)
{
    run_ctx c;
    run_path p;
    double v = NAN;
    if (!begin_read(&c, run, path, &p, out, err))
        return c.first;
    if (p.kind == PK_FIELD &&
        (PR_RUN_FIELDS[p.field].type == FT_NUM || PR_RUN_FIELDS[p.field].type == FT_INT ||
         PR_RUN_FIELDS[p.field].type == FT_TIME)) {
        v = run->field[p.field];
    } else if (p.kind == PK_SYMPTOM_NUM) {
        if (!symptom_of(&c, &p))
            return c.first;
        v = run->symptom[p.index].num[p.field];
    } else if (p.kind == PK_OBSERVATION) {
        const run_observation *o = pr_run_find_observation(run, p.name);
        if (o && o->is_bool)
            return wrong_kind(&c, &p, "a number (it is yes/no: use postrun_run_get_bool())");
        v = o ? o->value : NAN;
    } else {
        return wrong_kind(&c, &p, "a number");
    }
    if (isnan(v))
        return no_value(&c, &p);
    *out = v;
    return POSTRUN_OK;
}

postrun_status postrun_run_get_string(const postrun_run *run, const char *path, const char **out,
                                      postrun_error *err)
{
    run_ctx c;
    run_path p;
    if (!begin_read(&c, run, path, &p, out, err))
        return c.first;
    if (p.kind == PK_SYMPTOM_ID) {
        if (!symptom_of(&c, &p))
            return c.first;
        *out = run->symptom[p.index].id;
        return POSTRUN_OK;
    }
    if (p.kind != PK_FIELD ||
        (PR_RUN_FIELDS[p.field].type != FT_ENUM && PR_RUN_FIELDS[p.field].type != FT_STR))
        return wrong_kind(&c, &p, "text");
    double v = run->field[p.field];
    if (isnan(v))
        return no_value(&c, &p);
    *out = PR_RUN_FIELDS[p.field].type == FT_STR ? run->id : PR_RUN_FIELDS[p.field].words[(int)v];
    return POSTRUN_OK;
}

postrun_status postrun_run_get_bool(const postrun_run *run, const char *path, int *out,
                                    postrun_error *err)
{
    run_ctx c;
    run_path p;
    double v = NAN;
    if (!begin_read(&c, run, path, &p, out, err))
        return c.first;
    if (p.kind == PK_FIELD && PR_RUN_FIELDS[p.field].type == FT_BOOL) {
        v = run->field[p.field];
    } else if (p.kind == PK_OBSERVATION) {
        const run_observation *o = pr_run_find_observation(run, p.name);
        if (o && !o->is_bool)
            return wrong_kind(&c, &p,
                              "a yes/no value (it is a number: use "
                              "postrun_run_get_number())");
        v = o ? o->value : NAN;
    } else {
        return wrong_kind(&c, &p, "a yes/no value");
    }
    if (isnan(v))
        return no_value(&c, &p);
    *out = v != 0;
    return POSTRUN_OK;
}

size_t postrun_run_count(const postrun_run *run, const char *path)
{
    run_path p;
    if (!run || !path || !parse_path(path, &p))
        return 0;
    if (p.kind == PK_SYMPTOMS)
        return run->n_symptoms;
    if (p.kind == PK_OBSERVATIONS)
        return run->n_observations;
    if (p.kind == PK_WHERE && p.index < run->n_symptoms)
        return run->symptom[p.index].n_where;
    return 0;
}

const char *postrun_run_item(const postrun_run *run, const char *path, size_t i)
{
    if (i >= postrun_run_count(run, path))
        return NULL;
    run_path p;
    parse_path(path, &p);
    if (p.kind == PK_SYMPTOMS)
        return run->symptom[i].id;
    if (p.kind == PK_OBSERVATIONS)
        return run->observation[i].id;
    return run->symptom[p.index].where[i];
}
