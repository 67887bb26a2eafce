/*
 * Python glue under the generated module (see pyglue.h): exceptions from error records, the
 * GIL hooks, and the dict -> run report fast path over the field-path setters.
 */
#include "pyglue.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Set once at import by postrun/_errors.py; read with the GIL held. */
static PyObject *error_factory;
/* "id", interned at import (pb_py_set_assessment_class). */
static PyObject *str_id;

void *pb_py_unlock(void) { return PyEval_SaveThread(); }

void pb_py_relock(void *state) { PyEval_RestoreThread((PyThreadState *)state); }

PyObject *pb_py_set_error_factory(PyObject *factory)
{
    if (factory != Py_None && !PyCallable_Check(factory)) {
        PyErr_SetString(PyExc_TypeError, "the error factory must be callable");
        return NULL;
    }
    Py_XDECREF(error_factory);
    error_factory = NULL;
    if (factory != Py_None) {
        Py_INCREF(factory);
        error_factory = factory;
    }
    Py_RETURN_NONE;
}

/* Messages are cut at a fixed size by the library, possibly inside a UTF-8 sequence. */
static PyObject *text(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

PyObject *pb_py_str(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return text(s);
}

PyObject *pb_py_problem(const postrun_error *p)
{
    PyObject *message = text(p->message), *file = text(p->file), *field = text(p->field);
    PyObject *t = NULL;
    if (message && file && field)
        t = Py_BuildValue("(iiOOIIO)", (int)p->code, (int)p->severity, message, file,
                          (unsigned)p->line, (unsigned)p->column, field);
    Py_XDECREF(message);
    Py_XDECREF(file);
    Py_XDECREF(field);
    return t;
}

static int append_problem(PyObject *list, const postrun_error *p)
{
    PyObject *t = pb_py_problem(p);
    if (!t)
        return -1;
    int rc = PyList_Append(list, t);
    Py_DECREF(t);
    return rc;
}

int pb_py_add_problems(PyObject *list, const postrun_error *err)
{
    size_t n = postrun_error_count(err);
    for (size_t i = 0; i < n; i++)
        if (append_problem(list, postrun_error_at(err, i)) < 0)
            return -1;
    return 0;
}

PyObject *pb_py_make_error(int status, PyObject *problems, int kb_context)
{
    if (!error_factory) /* the package is not imported: a plain exception */
        return PyObject_CallFunction(PyExc_RuntimeError, "s",
                                     postrun_strerror((postrun_status)status));
    return PyObject_CallFunction(error_factory, "iOi", status, problems, kb_context);
}

void pb_py_raise_list(int status, PyObject *problems, int kb_context)
{
    PyObject *exc = pb_py_make_error(status, problems, kb_context);
    if (!exc)
        return; /* the factory's own exception (MemoryError...) stands */
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

void pb_py_raise(const char *symname, int status, const postrun_error *err)
{
    PyObject *list = PyList_New(0);
    if (!list)
        return;
    if (pb_py_add_problems(list, err) == 0) {
        if (PyList_GET_SIZE(list) == 0) {
            /* A failure without a recorded problem still deserves a message. */
            postrun_error p;
            memset(&p, 0, sizeof p);
            p.code = (postrun_status)status;
            snprintf(p.message, sizeof p.message, "%s", postrun_strerror(p.code));
            append_problem(list, &p);
        }
        if (!PyErr_Occurred())
            pb_py_raise_list(status, list, pb_is_kb_context(symname));
    }
    Py_DECREF(list);
}

void pb_py_raise_status(const char *symname, int status)
{
    char message[256];
    snprintf(message, sizeof message, "%s: %s", symname,
             postrun_strerror((postrun_status)status));
    pb_py_raise_message(status, message);
}

void pb_py_raise_message(int status, const char *message)
{
    PyObject *list = PyList_New(0);
    if (!list)
        return;
    postrun_error p;
    memset(&p, 0, sizeof p);
    p.code = (postrun_status)status;
    snprintf(p.message, sizeof p.message, "%s", message);
    if (append_problem(list, &p) == 0)
        pb_py_raise_list(status, list, 0);
    Py_DECREF(list);
}

/* ---- dict -> run report ----
 *
 * In three steps, so that the setters and the assessment run without the GIL:
 *  1. plan (GIL held): walk the dict once and record every setter call to make (path and
 *     value copied into the plan's own memory) and every shape problem found on the way;
 *  2. apply (no GIL): make the calls on a new run, in order, collecting every problem;
 *  3. report (GIL held): the problems as Python tuples.
 * Copying matters: another thread may change the dict while the GIL is released.
 */

enum { PATH_MAX_LEN = 256 };

typedef enum op_kind { OP_NUMBER, OP_STRING, OP_BOOL, OP_APPEND, OP_SYMPTOM, OP_PROBLEM } op_kind;

typedef struct op {
    op_kind kind;
    int in_symptom;  /* path is relative to the symptom last appended ("severity") */
    size_t path;     /* offsets into the arena */
    size_t text;     /* string value, or a problem's message */
    double number;   /* number, or yes/no */
    postrun_status status; /* OP_PROBLEM */
} op;

struct pb_py_plan {
    op *ops;
    size_t n, cap;
    char *arena;
    size_t used, size;
    int oom;
    /* what applying it found */
    postrun_error *probs;
    size_t n_probs, cap_probs;
    postrun_status status;
};

static int grow(void **p, size_t *cap, size_t need, size_t item)
{
    if (need <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap * 2 : 16;
    while (cap2 < need)
        cap2 *= 2;
    void *np = realloc(*p, cap2 * item);
    if (!np)
        return -1;
    *p = np;
    *cap = cap2;
    return 0;
}

/* Copies len bytes of s and a NUL into the arena; returns their offset. */
static size_t keep_n(pb_py_plan *p, const char *s, size_t len)
{
    size_t at = p->used;
    if (p->oom || (p->used + len + 1 > p->size &&
                   grow((void **)&p->arena, &p->size, p->used + len + 1, 1) < 0)) {
        p->oom = 1;
        return 0;
    }
    memcpy(p->arena + at, s, len);
    p->arena[at + len] = '\0';
    p->used += len + 1;
    return at;
}

static size_t keep(pb_py_plan *p, const char *s) { return keep_n(p, s, strlen(s)); }

static op *add_op(pb_py_plan *p, op_kind kind, const char *path, int in_symptom)
{
    if (p->oom || (p->n == p->cap && grow((void **)&p->ops, &p->cap, p->n + 1, sizeof(op)) < 0)) {
        p->oom = 1;
        return NULL;
    }
    op *o = &p->ops[p->n];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->in_symptom = in_symptom;
    o->path = keep(p, path);
    if (p->oom)
        return NULL;
    p->n++;
    return o;
}

static void plan_problem(pb_py_plan *p, int status, const char *path, int in_symptom,
                         const char *fmt, ...) PB_PRINTF(5, 6);

static void plan_problem(pb_py_plan *p, int status, const char *path, int in_symptom,
                         const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    op *o = add_op(p, OP_PROBLEM, path, in_symptom);
    if (o) {
        o->status = (postrun_status)status;
        o->text = keep(p, message);
    }
}

static void plan_string(pb_py_plan *p, op_kind kind, const char *path, int in_symptom,
                        PyObject *s)
{
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(s, &len);
    if (!utf8) {
        PyErr_Clear();
        plan_problem(p, POSTRUN_ERR_TYPE, path, in_symptom,
                     "the text is not valid Unicode (it holds a lone surrogate)");
        return;
    }
    if (strlen(utf8) != (size_t)len) { /* "female\0x" must not pass for "female" */
        plan_problem(p, POSTRUN_ERR_TYPE, path, in_symptom, "the text holds a NUL byte (\\0)");
        return;
    }
    op *o = add_op(p, kind, path, in_symptom);
    if (o)
        o->text = keep_n(p, utf8, (size_t)len);
}

static const char *type_name(PyObject *v) { return Py_TYPE(v)->tp_name; }

/* A mapping key as UTF-8, or NULL with a problem recorded (not text, not valid Unicode, or
 * holding a NUL byte: "intensity\0x" must not stand for "intensity"). */
static const char *key_text(pb_py_plan *p, const char *prefix, int in_symptom, PyObject *key)
{
    if (!PyUnicode_Check(key)) {
        plan_problem(p, POSTRUN_ERR_TYPE, prefix, in_symptom, "keys must be text, got %s",
                     type_name(key));
        return NULL;
    }
    Py_ssize_t len;
    const char *k = PyUnicode_AsUTF8AndSize(key, &len);
    if (!k) {
        PyErr_Clear();
        plan_problem(p, POSTRUN_ERR_TYPE, prefix, in_symptom,
                     "a key is not valid Unicode (it holds a lone surrogate)");
        return NULL;
    }
    if (strlen(k) != (size_t)len) {
        plan_problem(p, POSTRUN_ERR_TYPE, prefix, in_symptom,
                     "the key '%s\\0...' holds a NUL byte", k);
        return NULL;
    }
    return k;
}

static int is_list(PyObject *v) { return PyList_Check(v) || PyTuple_Check(v); }

/* 1 for a mapping, 0 for anything else, -1 with the exception set when the object's own
 * attribute lookup raised something other than AttributeError (propagated as it is, never
 * swallowed as PyObject_HasAttrString() would). */
static int is_mapping(PyObject *v)
{
    if (PyDict_Check(v))
        return 1;
    if (is_list(v) || PyUnicode_Check(v) || !PyMapping_Check(v))
        return 0;
    PyObject *items = PyObject_GetAttrString(v, "items");
    if (items) {
        Py_DECREF(items);
        return 1;
    }
    if (!PyErr_ExceptionMatches(PyExc_AttributeError))
        return -1;
    PyErr_Clear();
    return 0;
}

/* Calls fn(p, prefix, key, value, ...) for every item of a mapping; -1 on a Python error. */
typedef void (*item_fn)(pb_py_plan *p, const char *prefix, PyObject *key, PyObject *value,
                        int depth);

static int each_item(pb_py_plan *p, const char *prefix, PyObject *map, int depth, item_fn fn)
{
    if (PyDict_Check(map)) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (!p->oom && PyDict_Next(map, &pos, &key, &value)) {
            /* Held: a value's __float__ could change the dict under the iteration. */
            Py_INCREF(key);
            Py_INCREF(value);
            fn(p, prefix, key, value, depth);
            Py_DECREF(key);
            Py_DECREF(value);
        }
        return 0;
    }
    PyObject *items = PyMapping_Items(map);
    PyObject *seq = items ? PySequence_Fast(items, "") : NULL;
    Py_XDECREF(items);
    if (!seq)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n && !p->oom; i++) {
        PyObject *kv = PySequence_Fast_GET_ITEM(seq, i);
        if (PyTuple_Check(kv) && PyTuple_GET_SIZE(kv) == 2)
            fn(p, prefix, PyTuple_GET_ITEM(kv, 0), PyTuple_GET_ITEM(kv, 1), depth);
    }
    Py_DECREF(seq);
    return 0;
}

/* A list of ids (`symptoms[i].where`, or any list the library accepts). */
static void plan_list(pb_py_plan *p, const char *path, int in_symptom, PyObject *v)
{
    /* v is a list or a tuple (subclasses too): its size is read as its items are, from the
     * object itself, never from a __len__ that may lie; the item is held meanwhile. */
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(v); i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(v, i);
        if (item == Py_None)
            continue;
        Py_INCREF(item);
        if (PyUnicode_Check(item))
            plan_string(p, OP_APPEND, path, in_symptom, item);
        else
            plan_problem(p, POSTRUN_ERR_TYPE, path, in_symptom,
                         "expected a list of ids, got %s in it", type_name(item));
        Py_DECREF(item);
    }
}

static void plan_entry(pb_py_plan *p, const char *prefix, PyObject *key, PyObject *value,
                       int depth);

/* One value at `path`; depth 0: a top-level key, 1: a field of a section, 2: a field of a
 * symptom (path relative to it). */
static int plan_value(pb_py_plan *p, const char *path, PyObject *v, int depth)
{
    int in_symptom = depth == 2, m;
    op *o;
    if (v == Py_None)
        return 0; /* not given, as `key: ~` in YAML */
    /* The usual exact types first: each test below of a subclass-able type is a call. */
    if (PyFloat_CheckExact(v)) {
        if ((o = add_op(p, OP_NUMBER, path, in_symptom)))
            o->number = PyFloat_AS_DOUBLE(v);
        return 0;
    }
    if (PyUnicode_CheckExact(v)) {
        plan_string(p, OP_STRING, path, in_symptom, v);
        return 0;
    }
    if (PyBool_Check(v)) {
        if ((o = add_op(p, OP_BOOL, path, in_symptom)))
            o->number = v == Py_True;
    } else if (PyFloat_Check(v)) {
        if ((o = add_op(p, OP_NUMBER, path, in_symptom)))
            o->number = PyFloat_AS_DOUBLE(v);
    } else if (PyLong_Check(v)) {
        double d = PyLong_AsDouble(v);
        if (d == -1.0 && PyErr_Occurred()) {
            /* Too large for a double: out of every range, which the setter reports. */
            PyErr_Clear();
            int overflow = 0; /* its sign, read from the int itself (no __lt__ of a subclass) */
            (void)PyLong_AsLongLongAndOverflow(v, &overflow);
            PyErr_Clear();
            d = overflow < 0 ? -HUGE_VAL : HUGE_VAL;
        }
        if ((o = add_op(p, OP_NUMBER, path, in_symptom)))
            o->number = d;
    } else if (PyUnicode_Check(v)) {
        plan_string(p, OP_STRING, path, in_symptom, v);
    } else if ((m = is_mapping(v)) < 0) {
        p->oom = 1; /* the object's own exception, propagated */
        return -1;
    } else if (m) {
        if (depth == 0)
            return each_item(p, path, v, 1, plan_entry);
        plan_problem(p, POSTRUN_ERR_TYPE, path, in_symptom,
                     "expected a single value, got a mapping");
    } else if (is_list(v)) {
        plan_list(p, path, in_symptom, v);
    } else if (PyNumber_Check(v) && !PyBytes_Check(v)) {
        /* numpy scalars, Decimal, Fraction... */
        PyObject *f = PyNumber_Float(v);
        if (!f && !PyErr_ExceptionMatches(PyExc_TypeError)) {
            /* raised by the object itself (its __float__): KeyboardInterrupt, SystemExit, or
             * the caller's own error, propagated as it is rather than turned into a report
             * problem */
            p->oom = 1;
            return -1;
        }
        if (!f) {
            PyErr_Clear(); /* a type that is no number (complex...): a problem of the report */
            plan_problem(p, POSTRUN_ERR_TYPE, path, in_symptom, "expected a number, got %s",
                         type_name(v));
        } else {
            if ((o = add_op(p, OP_NUMBER, path, in_symptom)))
                o->number = PyFloat_AS_DOUBLE(f);
            Py_DECREF(f);
        }
    } else {
        plan_problem(p, POSTRUN_ERR_TYPE, path, in_symptom,
                     "expected a number, text, yes/no (bool), list or mapping, got %s",
                     type_name(v));
    }
    return 0;
}

static void plan_symptom_field(pb_py_plan *p, const char *prefix, PyObject *key, PyObject *value,
                               int depth)
{
    (void)prefix;
    (void)depth;
    if (p->oom)
        return;
    const char *k = key_text(p, "", 1, key);
    if (!k)
        return;
    if (strcmp(k, "id") == 0)
        return;
    if (strlen(k) >= PATH_MAX_LEN - 32) {
        plan_problem(p, POSTRUN_ERR_UNKNOWN_KEY, "", 1, "key '%.60s...' is too long", k);
        return;
    }
    if (strcmp(k, "where") == 0 && PyUnicode_Check(value))
        plan_string(p, OP_APPEND, k, 1, value); /* one area written alone, as YAML allows */
    else
        plan_value(p, k, value, 2);
}

/* One item of `symptoms`: an id, or a mapping with an id and its details. */
static int plan_symptom(pb_py_plan *p, Py_ssize_t i, PyObject *item)
{
    char path[PATH_MAX_LEN + 32];
    if (item == Py_None)
        return 0;
    pb_symptom_path(path, sizeof path, (size_t)i, "");
    if (PyUnicode_Check(item)) {
        plan_string(p, OP_SYMPTOM, "symptoms", 0, item);
        return 0;
    }
    if (!PyDict_Check(item)) {
        plan_problem(p, POSTRUN_ERR_TYPE, path, 0,
                     "expected a symptom id or a mapping with an id, got %s", type_name(item));
        return 0;
    }
    PyObject *id = str_id ? PyDict_GetItemWithError(item, str_id) /* borrowed */
                          : PyDict_GetItemString(item, "id");
    if (!id && PyErr_Occurred())
        return -1;
    if (!id || id == Py_None) {
        plan_problem(p, POSTRUN_ERR_MISSING, path, 0, "each symptom needs an id");
        return 0;
    }
    if (!PyUnicode_Check(id)) {
        strcat(path, ".id");
        plan_problem(p, POSTRUN_ERR_TYPE, path, 0, "expected a symptom id, got %s",
                     type_name(id));
        return 0;
    }
    plan_string(p, OP_SYMPTOM, "symptoms", 0, id);
    return each_item(p, "", item, 2, plan_symptom_field);
}

static int plan_symptoms(pb_py_plan *p, PyObject *v)
{
    if (v == Py_None)
        return 0;
    if (!is_list(v)) {
        plan_problem(p, POSTRUN_ERR_TYPE, "symptoms", 0,
                     "expected a list of symptoms (ids, or mappings with an id), got %s",
                     type_name(v));
        return 0;
    }
    /* The size is read again each time and the item held: a value's __float__ could
     * change the list meanwhile. */
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(v) && !p->oom; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(v, i);
        Py_INCREF(item);
        int rc = plan_symptom(p, i, item);
        Py_DECREF(item);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void plan_entry(pb_py_plan *p, const char *prefix, PyObject *key, PyObject *value,
                       int depth)
{
    char path[PATH_MAX_LEN];
    if (p->oom)
        return; /* a Python error is being raised: nothing more is read */
    const char *k = key_text(p, prefix, 0, key);
    if (!k)
        return;
    if (!pb_join_path(path, sizeof path, prefix, k)) {
        plan_problem(p, POSTRUN_ERR_UNKNOWN_KEY, prefix, 0, "key '%.60s...' is too long", k);
        return;
    }
    int rc = depth == 0 && strcmp(k, "symptoms") == 0 ? plan_symptoms(p, value)
                                                       : plan_value(p, path, value, depth);
    if (rc < 0)
        p->oom = 1; /* a Python error: the caller sees it set */
}

void pb_py_plan_free(pb_py_plan *p)
{
    if (!p)
        return;
    free(p->ops);
    free(p->arena);
    free(p->probs);
    free(p);
}

pb_py_plan *pb_py_plan_new(PyObject *data)
{
    pb_py_plan *p = calloc(1, sizeof *p);
    if (!p) {
        PyErr_NoMemory();
        return NULL;
    }
    /* Room for a typical report at once (about 40 fields): no growing on the way. */
    if (grow((void **)&p->ops, &p->cap, 48, sizeof(op)) < 0 ||
        grow((void **)&p->arena, &p->size, 2048, 1) < 0)
        p->oom = 1;
    int m = is_mapping(data);
    if (m < 0) {
        p->oom = 1;
    } else if (m) {
        if (each_item(p, "", data, 0, plan_entry) < 0)
            p->oom = 1;
    } else {
        plan_problem(p, POSTRUN_ERR_TYPE, "", 0,
                     "a run report is a mapping (dict) of sections such as athlete and run, "
                     "got %s", type_name(data));
    }
    if (p->oom) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        pb_py_plan_free(p);
        return NULL;
    }
    return p;
}

/* ---- step 2, without the GIL ---- */

/* Copies what fits: a field path or a message longer than the record's room is cut. */
static void copy_cut(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void outcome_add(pb_py_plan *p, const postrun_error *e)
{
    if (grow((void **)&p->probs, &p->cap_probs, p->n_probs + 1, sizeof *p->probs) < 0) {
        p->status = p->status ? p->status : POSTRUN_ERR_NOMEM;
        return;
    }
    postrun_error *q = &p->probs[p->n_probs++];
    *q = *e;
    q->more_ = NULL;
    if (!p->status)
        p->status = q->code;
}

/* Records a setter's problems. An unknown path is an unknown key of the report here, as it
 * would be in YAML. */
static void take(pb_py_plan *p, postrun_status s, postrun_error *err)
{
    if (s >= 0)
        return;
    size_t n = postrun_error_count(err);
    for (size_t i = 0; i < n; i++) {
        postrun_error e = *postrun_error_at(err, i);
        if (e.code == POSTRUN_ERR_NOT_FOUND)
            e.code = POSTRUN_ERR_UNKNOWN_KEY;
        outcome_add(p, &e);
    }
    if (n == 0) {
        postrun_error e;
        memset(&e, 0, sizeof e);
        e.code = s;
        snprintf(e.message, sizeof e.message, "%s", postrun_strerror(s));
        outcome_add(p, &e);
    }
    postrun_error_clear(err);
}

static int field_reported(const pb_py_plan *p, const char *field)
{
    for (size_t i = 0; i < p->n_probs; i++)
        if (strcmp(p->probs[i].field, field) == 0)
            return 1;
    return 0;
}

/* Makes the plan's calls on run, which is empty. Returns the first problem's status (every
 * problem is kept in the plan), or POSTRUN_OK. */
static postrun_status apply_into(pb_py_plan *p, postrun_run *run)
{
    postrun_error err;
    memset(&err, 0, sizeof err);
    size_t symptom = 0, n_symptoms = 0; /* the run is new: no symptom yet */
    int symptom_ok = 0;
    for (size_t i = 0; i < p->n; i++) {
        const op *o = &p->ops[i];
        const char *path = p->arena + o->path;
        char full[PATH_MAX_LEN + 32];
        if (o->in_symptom) {
            if (!symptom_ok)
                continue; /* the id was refused: its details would only repeat it */
            pb_symptom_path(full, sizeof full, symptom, path);
            path = full;
        }
        switch (o->kind) {
        case OP_NUMBER: take(p, postrun_run_set_number(run, path, o->number, &err), &err); break;
        case OP_BOOL: take(p, postrun_run_set_bool(run, path, o->number != 0, &err), &err); break;
        case OP_STRING:
            take(p, postrun_run_set_string(run, path, p->arena + o->text, &err), &err);
            break;
        case OP_APPEND:
            take(p, postrun_run_append(run, path, p->arena + o->text, &err), &err);
            break;
        case OP_SYMPTOM:
            symptom = n_symptoms;
            take(p, postrun_run_append(run, "symptoms", p->arena + o->text, &err), &err);
            n_symptoms = postrun_run_count(run, "symptoms");
            symptom_ok = n_symptoms == symptom + 1;
            break;
        case OP_PROBLEM: {
            postrun_error e;
            memset(&e, 0, sizeof e);
            e.code = o->status;
            copy_cut(e.field, sizeof e.field, path);
            copy_cut(e.message, sizeof e.message, p->arena + o->text);
            outcome_add(p, &e);
            break;
        }
        }
    }
    if (p->status) {
        /* Required fields never given, unless their problem is already listed: one
         * exception lists everything, as it does for YAML. */
        if (postrun_run_validate(run, &err) != POSTRUN_OK) {
            size_t n = postrun_error_count(&err);
            for (size_t i = 0; i < n; i++) {
                const postrun_error *e = postrun_error_at(&err, i);
                if (!field_reported(p, e->field))
                    outcome_add(p, e);
            }
        }
        postrun_error_clear(&err);
        return p->status;
    }
    return POSTRUN_OK;
}

postrun_status pb_py_plan_apply(pb_py_plan *p, pb_kb *kb, pb_run **out)
{
    postrun_error err;
    memset(&err, 0, sizeof err);
    *out = NULL;
    pb_run *h = NULL;
    postrun_status s = pb_run_new(&h, kb, &err);
    if (s != POSTRUN_OK) {
        take(p, s, &err);
        return p->status;
    }
    if (apply_into(p, h->run) != POSTRUN_OK) {
        pb_run_free(h);
        return p->status;
    }
    *out = h;
    return POSTRUN_OK;
}

/* ---- step 3 ---- */

PyObject *pb_py_plan_problems(const pb_py_plan *p)
{
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < p->n_probs; i++) {
        if (append_problem(list, &p->probs[i]) < 0) {
            Py_DECREF(list);
            return NULL;
        }
    }
    return list;
}

/* ---- the calls ---- */

postrun_status pb_py_run_from_dict(pb_run **out, pb_kb *kb, PyObject *data, PyObject **problems)
{
    *out = NULL;
    *problems = NULL;
    pb_py_plan *p = pb_py_plan_new(data);
    if (!p)
        return POSTRUN_ERR_NOMEM; /* with the Python exception set */
    postrun_status s;
    Py_BEGIN_ALLOW_THREADS
    s = pb_py_plan_apply(p, kb, out);
    Py_END_ALLOW_THREADS
    if (s != POSTRUN_OK && !(*problems = pb_py_plan_problems(p)))
        s = POSTRUN_ERR_NOMEM;
    pb_py_plan_free(p);
    return s;
}

/* Step 2 and the assessment, without the GIL. */
postrun_status pb_py_assess_plan(pb_py_plan *p, pb_kb *kb, postrun_run *scratch,
                                 pb_assessment **out, postrun_error *err)
{
    /* The run is only read by the assessment: a bare one, no handle (no reference on the
     * knowledge base, no live-object count: nothing two threads would both write). */
    postrun_run *run = scratch;
    postrun_status s;
    if (run) {
        postrun_run_clear(run);
    } else if ((s = postrun_run_new(&run, kb->kb, err)) != POSTRUN_OK) {
        take(p, s, err);
        return p->status;
    }
    s = apply_into(p, run);
    if (s == POSTRUN_OK)
        s = pb_assessment_take(out, kb, err);
    if (s == POSTRUN_OK && p->status == POSTRUN_OK)
        s = postrun_assess((*out)->a, run, err);
    if (s != POSTRUN_OK && *out) {
        pb_assessment_free(*out);
        *out = NULL;
    }
    if (run != scratch)
        postrun_run_free(run);
    return s;
}

postrun_status pb_py_assess_dict(pb_assessment **out, pb_kb *kb, PyObject *data,
                                 PyObject **problems)
{
    *out = NULL;
    *problems = NULL;
    if (!kb) {
        pb_py_raise_message(POSTRUN_ERR_ARGUMENT, "an assessment needs a knowledge base");
        return POSTRUN_ERR_ARGUMENT;
    }
    pb_py_plan *p = pb_py_plan_new(data);
    if (!p)
        return POSTRUN_ERR_NOMEM;
    postrun_error err;
    memset(&err, 0, sizeof err);
    postrun_status s;
    Py_BEGIN_ALLOW_THREADS
    s = pb_py_assess_plan(p, kb, NULL, out, &err);
    Py_END_ALLOW_THREADS
    if (s != POSTRUN_OK) {
        /* Problems of the report's fields, or of the assessment. */
        *problems = p->n_probs ? pb_py_plan_problems(p) : PyList_New(0);
        if (!*problems || (!p->n_probs && pb_py_add_problems(*problems, &err) < 0))
            s = POSTRUN_ERR_NOMEM;
    }
    postrun_error_clear(&err);
    pb_py_plan_free(p);
    return s;
}

/* ---- Assessment objects made here ----
 *
 * KnowledgeBase.assess and assess_many hand back postrun.Assessment objects. Making each one
 * here (the class's own allocation, then its three slots through their descriptors, as
 * object.__new__ and attribute assignment do) costs a fraction of a call into Python. */

static PyTypeObject *assessment_type;
static PyObject *slot_h, *slot_kb, *slot_cache; /* member descriptors of the slots */
static PyObject *str_batch_item;

static PyObject *slot_descriptor(PyObject *cls, const char *name)
{
    PyObject *d = PyObject_GetAttrString(cls, name);
    if (d && !Py_TYPE(d)->tp_descr_set) {
        PyErr_Format(PyExc_TypeError, "%s is not a slot", name);
        Py_CLEAR(d);
    }
    return d;
}

PyObject *pb_py_set_assessment_class(PyObject *cls)
{
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "expected the Assessment class");
        return NULL;
    }
    PyObject *h = slot_descriptor(cls, "_h"), *kb = slot_descriptor(cls, "_kb"),
             *cache = slot_descriptor(cls, "_cache");
    if (!str_batch_item)
        str_batch_item = PyUnicode_InternFromString("_batch_item");
    if (!str_id)
        str_id = PyUnicode_InternFromString("id");
    if (!h || !kb || !cache || !str_batch_item || !str_id) {
        Py_XDECREF(h);
        Py_XDECREF(kb);
        Py_XDECREF(cache);
        return NULL;
    }
    Py_XSETREF(slot_h, h);
    Py_XSETREF(slot_kb, kb);
    Py_XSETREF(slot_cache, cache);
    Py_INCREF(cls);
    Py_XSETREF(assessment_type, (PyTypeObject *)cls);
    Py_RETURN_NONE;
}

static int set_slot(PyObject *descr, PyObject *obj, PyObject *value)
{
    return Py_TYPE(descr)->tp_descr_set(descr, obj, value);
}

PyObject *pb_py_new_assessment(PyObject *handle, PyObject *kbobj)
{
    if (!handle)
        return NULL;
    if (!assessment_type) {
        PyErr_SetString(PyExc_RuntimeError, "the postrun package is not imported");
        Py_DECREF(handle);
        return NULL;
    }
    PyObject *a = assessment_type->tp_alloc(assessment_type, 0);
    PyObject *cache = a ? PyDict_New() : NULL;
    if (!cache || set_slot(slot_h, a, handle) < 0 || set_slot(slot_kb, a, kbobj) < 0 ||
        set_slot(slot_cache, a, cache) < 0)
        Py_CLEAR(a);
    Py_XDECREF(cache);
    Py_DECREF(handle);
    return a;
}

PyObject *pb_py_assess_new(pb_kb *kb, PyObject *kbobj, PyObject *data,
                           PyObject *(*wrap)(pb_assessment *a))
{
    pb_assessment *a = NULL;
    PyObject *problems = NULL;
    postrun_status s = pb_py_assess_dict(&a, kb, data, &problems);
    if (s != POSTRUN_OK) {
        if (!PyErr_Occurred()) {
            if (problems)
                pb_py_raise_list(s, problems, 0);
            else
                pb_py_raise_message(s, postrun_strerror(s));
        }
        Py_XDECREF(problems);
        return NULL;
    }
    PyObject *h = wrap(a);
    if (!h) {
        pb_assessment_free(a);
        return NULL;
    }
    return pb_py_new_assessment(h, kbobj);
}

/* ---- the engine of KnowledgeBase.assess_many ---- */

typedef struct slot {
    pb_py_plan *plan;   /* a dict's setter calls */
    PyObject *handle;   /* or a run handle (held until the chunk is done) */
    pb_run *run;        /* ... and its run */
    pb_assessment *a;
    postrun_error err;
    postrun_status st;
    int done;           /* results[i] is already set (a report the layer refused) */
} slot;

/* Stores the exception being raised into results[i] when it is an Exception (a bad report);
 * anything else (KeyboardInterrupt...) is left raised: -1. */
static int keep_exception(PyObject *results, Py_ssize_t i)
{
    if (!PyErr_ExceptionMatches(PyExc_Exception))
        return -1;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    if (!value)
        return -1;
    return PyList_SetItem(results, i, value); /* steals value */
}

PyObject *pb_py_assess_chunk_impl(pb_kb *kb, PyObject *kbobj, PyObject *items, Py_ssize_t start,
                                  Py_ssize_t stop, PyObject *results,
                                  PyObject *(*wrap)(pb_assessment *a),
                                  pb_run *(*as_run)(PyObject *o))
{
    if (!kb) {
        pb_py_raise_message(POSTRUN_ERR_ARGUMENT, "an assessment needs a knowledge base");
        return NULL;
    }
    if (!PyList_Check(items) || !PyList_Check(results)) {
        PyErr_SetString(PyExc_TypeError, "expected lists of reports and of results");
        return NULL;
    }
    if (start < 0)
        start = 0;
    if (stop > PyList_GET_SIZE(items))
        stop = PyList_GET_SIZE(items);
    if (stop > PyList_GET_SIZE(results))
        stop = PyList_GET_SIZE(results);
    if (stop <= start)
        Py_RETURN_NONE;
    Py_ssize_t n = stop - start;
    slot *sl = calloc((size_t)n, sizeof *sl);
    if (!sl)
        return PyErr_NoMemory();
    PyObject *ret = NULL;
    /* 1. With the GIL: plans for dicts; anything else goes through KnowledgeBase._batch_item
     *    (YAML text, paths, Runs, other mappings), whose exception is that report's result. */
    for (Py_ssize_t k = 0; k < n; k++) {
        slot *s = &sl[k];
        if (start + k >= PyList_GET_SIZE(items)) { /* the list shrank meanwhile */
            s->done = 1;
            continue;
        }
        PyObject *item = PyList_GET_ITEM(items, start + k);
        Py_INCREF(item);
        PyObject *what = item;
        if (!PyDict_Check(item)) {
            what = PyObject_CallMethodOneArg(kbobj, str_batch_item, item);
            Py_DECREF(item);
            if (!what) {
                if (keep_exception(results, start + k) < 0)
                    goto done;
                s->done = 1;
                continue;
            }
        }
        if (PyDict_Check(what)) {
            s->plan = pb_py_plan_new(what);
            Py_DECREF(what);
            if (!s->plan) {
                if (keep_exception(results, start + k) < 0)
                    goto done;
                s->done = 1;
            }
        } else if ((s->run = as_run(what))) {
            s->handle = what;
        } else {
            Py_DECREF(what);
            PyErr_SetString(PyExc_TypeError, "_batch_item gave neither a dict nor a run");
            goto done;
        }
    }
    /* 2. Without it: build and assess the whole chunk. A borrowed run is read, never changed:
     *    count the readers so that a setter in another thread refuses to change it meanwhile. */
    for (Py_ssize_t k = 0; k < n; k++)
        if (sl[k].run)
            atomic_fetch_add(&sl[k].run->readers, 1);
    Py_BEGIN_ALLOW_THREADS
    postrun_run *scratch = NULL; /* one run for the chunk, cleared for each report */
    if (postrun_run_new(&scratch, kb->kb, NULL) != POSTRUN_OK)
        scratch = NULL; /* then each report makes its own */
    for (Py_ssize_t k = 0; k < n; k++) {
        slot *s = &sl[k];
        if (s->plan) {
            s->st = pb_py_assess_plan(s->plan, kb, scratch, &s->a, &s->err);
            if (s->st == POSTRUN_OK) { /* its problems are all it is still needed for */
                pb_py_plan_free(s->plan);
                s->plan = NULL;
            }
        } else if (s->run) {
            s->st = pb_assessment_take(&s->a, kb, &s->err);
            if (s->st == POSTRUN_OK)
                s->st = postrun_assess(s->a->a, s->run->run, &s->err);
        }
    }
    postrun_run_free(scratch);
    Py_END_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++)
        if (sl[k].run)
            atomic_fetch_sub(&sl[k].run->readers, 1);
    /* 3. With it: assessments, or the exception each bad report deserves. */
    for (Py_ssize_t k = 0; k < n; k++) {
        slot *s = &sl[k];
        PyObject *item;
        if (s->done)
            continue;
        if (s->st == POSTRUN_OK && s->a) {
            PyObject *h = wrap(s->a);
            if (!h)
                goto done;
            s->a = NULL; /* the handle owns it */
            item = pb_py_new_assessment(h, kbobj);
        } else {
            int from_plan = s->plan && s->plan->n_probs;
            PyObject *probs = from_plan ? pb_py_plan_problems(s->plan) : PyList_New(0);
            if (probs && !from_plan && pb_py_add_problems(probs, &s->err) < 0)
                Py_CLEAR(probs);
            item = probs ? pb_py_make_error(s->st, probs, 0) : NULL;
            Py_XDECREF(probs);
        }
        if (!item || PyList_SetItem(results, start + k, item) < 0)
            goto done;
    }
    ret = Py_None;
    Py_INCREF(ret);
done:
    for (Py_ssize_t k = 0; k < n; k++) {
        pb_py_plan_free(sl[k].plan);
        pb_assessment_free(sl[k].a);
        postrun_error_clear(&sl[k].err);
        Py_XDECREF(sl[k].handle);
    }
    free(sl);
    return ret;
}

/* ---- results read in one call ----
 *
 * a.causes is every cause with its explained symptoms and its contributions: about 70
 * accessor calls through the wrapper. Made here in one call, as the package's own
 * NamedTuple classes (registered at import). */

static PyTypeObject *cause_type, *contribution_type, *recommendation_type;
static PyObject *source_words, *when_words; /* tuples: SOURCE_* / WHEN_* value -> word */

static int is_tuple_class(PyObject *o)
{
    return PyType_Check(o) && PyType_IsSubtype((PyTypeObject *)o, &PyTuple_Type);
}

PyObject *pb_py_set_result_classes(PyObject *cause, PyObject *contribution, PyObject *sources,
                                   PyObject *recommendation, PyObject *whens)
{
    if (!is_tuple_class(cause) || !is_tuple_class(contribution) ||
        !is_tuple_class(recommendation) || !PyTuple_Check(sources) || !PyTuple_Check(whens)) {
        PyErr_SetString(PyExc_TypeError, "expected tuple classes and tuples of words");
        return NULL;
    }
    Py_INCREF(cause);
    Py_XSETREF(cause_type, (PyTypeObject *)cause);
    Py_INCREF(contribution);
    Py_XSETREF(contribution_type, (PyTypeObject *)contribution);
    Py_INCREF(recommendation);
    Py_XSETREF(recommendation_type, (PyTypeObject *)recommendation);
    Py_INCREF(sources);
    Py_XSETREF(source_words, sources);
    Py_INCREF(whens);
    Py_XSETREF(when_words, whens);
    Py_RETURN_NONE;
}

/* words[i] (a new reference), None when out of range. */
static PyObject *word_at(PyObject *words, int i)
{
    PyObject *w = i >= 0 && i < PyTuple_GET_SIZE(words) ? PyTuple_GET_ITEM(words, i) : Py_None;
    Py_INCREF(w);
    return w;
}

/* An instance of the tuple class cls from n new references (stolen, NULL-checked). */
static PyObject *tuple_of(PyTypeObject *cls, Py_ssize_t n, PyObject **items)
{
    PyObject *t = NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!items[i])
            goto fail;
    if (!(t = cls->tp_alloc(cls, n)))
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
fail:
    for (Py_ssize_t i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    return NULL;
}

static PyObject *str_or_empty(const char *s) { return pb_py_str(s ? s : ""); }

PyObject *pb_py_causes_impl(postrun_assessment *a)
{
    if (!cause_type || !contribution_type || !source_words) {
        PyErr_SetString(PyExc_RuntimeError, "the postrun package is not imported");
        return NULL;
    }
    size_t n = postrun_assessment_cause_count(a);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        postrun_cause c = POSTRUN_CAUSE_INIT;
        PyObject *explains = NULL, *because = NULL;
        if (postrun_assessment_cause(a, i, &c) != POSTRUN_OK) {
            pb_py_raise_status("assessment_cause", POSTRUN_ERR_ARGUMENT);
            goto fail;
        }
        if (!(explains = PyTuple_New((Py_ssize_t)c.n_explains)))
            goto fail;
        for (size_t j = 0; j < c.n_explains; j++) {
            PyObject *e = str_or_empty(postrun_assessment_cause_explains(a, i, j));
            if (!e)
                goto fail;
            PyTuple_SET_ITEM(explains, (Py_ssize_t)j, e);
        }
        if (!(because = PyTuple_New((Py_ssize_t)c.n_because)))
            goto fail;
        for (size_t j = 0; j < c.n_because; j++) {
            postrun_contribution k = POSTRUN_CONTRIBUTION_INIT;
            if (postrun_assessment_cause_because(a, i, j, &k) != POSTRUN_OK) {
                pb_py_raise_status("assessment_cause_because", POSTRUN_ERR_ARGUMENT);
                goto fail;
            }
            PyObject *word = word_at(source_words, (int)k.kind);
            PyObject *value;
            if (isnan(k.value)) {
                value = Py_None;
                Py_INCREF(value);
            } else {
                value = PyFloat_FromDouble(k.value);
            }
            PyObject *items[] = {word, str_or_empty(k.ref), value, PyFloat_FromDouble(k.weight),
                                 str_or_empty(k.text)};
            PyObject *t = tuple_of(contribution_type, 5, items);
            if (!t)
                goto fail;
            PyTuple_SET_ITEM(because, (Py_ssize_t)j, t);
        }
        PyObject *items[] = {str_or_empty(c.id), str_or_empty(c.name), PyFloat_FromDouble(c.score),
                             explains, because};
        explains = because = NULL;
        PyObject *t = tuple_of(cause_type, 5, items);
        if (!t)
            goto fail;
        PyList_SET_ITEM(list, (Py_ssize_t)i, t);
        continue;
    fail:
        Py_XDECREF(explains);
        Py_XDECREF(because);
        Py_CLEAR(list);
    }
    return list;
}

/* a.recommendations in one call: Recommendation objects, doses, addresses and sources. */
PyObject *pb_py_recommendations_impl(postrun_assessment *a)
{
    if (!recommendation_type || !when_words) {
        PyErr_SetString(PyExc_RuntimeError, "the postrun package is not imported");
        return NULL;
    }
    size_t n = postrun_assessment_recommendation_count(a);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        postrun_recommendation r = POSTRUN_RECOMMENDATION_INIT;
        PyObject *dose = NULL, *addresses = NULL, *sources = NULL;
        if (postrun_assessment_recommendation(a, i, &r) != POSTRUN_OK) {
            pb_py_raise_status("assessment_recommendation", POSTRUN_ERR_ARGUMENT);
            goto fail;
        }
        if (!(dose = PyDict_New()))
            goto fail;
        for (size_t j = 0; j < r.n_doses; j++) {
            const char *name = NULL;
            double v = 0;
            if (postrun_assessment_recommendation_dose(a, i, j, &name, &v) != POSTRUN_OK) {
                pb_py_raise_status("assessment_recommendation_dose", POSTRUN_ERR_ARGUMENT);
                goto fail;
            }
            PyObject *k = str_or_empty(name), *f = PyFloat_FromDouble(v);
            int rc = k && f ? PyDict_SetItem(dose, k, f) : -1;
            Py_XDECREF(k);
            Py_XDECREF(f);
            if (rc < 0)
                goto fail;
        }
        if (!(addresses = PyTuple_New((Py_ssize_t)r.n_addresses)))
            goto fail;
        for (size_t j = 0; j < r.n_addresses; j++) {
            PyObject *e = str_or_empty(postrun_assessment_recommendation_addresses(a, i, j));
            if (!e)
                goto fail;
            PyTuple_SET_ITEM(addresses, (Py_ssize_t)j, e);
        }
        if (!(sources = PyTuple_New((Py_ssize_t)r.n_sources)))
            goto fail;
        for (size_t j = 0; j < r.n_sources; j++) {
            PyObject *e = str_or_empty(postrun_assessment_recommendation_source(a, i, j));
            if (!e)
                goto fail;
            PyTuple_SET_ITEM(sources, (Py_ssize_t)j, e);
        }
        PyObject *items[] = {str_or_empty(r.id), str_or_empty(r.name),
                             PyLong_FromLong(r.priority), word_at(when_words, (int)r.when),
                             str_or_empty(r.text), dose, addresses, sources};
        dose = addresses = sources = NULL;
        PyObject *t = tuple_of(recommendation_type, 8, items);
        if (!t)
            goto fail;
        PyList_SET_ITEM(list, (Py_ssize_t)i, t);
        continue;
    fail:
        Py_XDECREF(dose);
        Py_XDECREF(addresses);
        Py_XDECREF(sources);
        Py_CLEAR(list);
    }
    return list;
}
