/*
 * Python glue under the generated module: raising postrun.Error subclasses from the C error
 * record, releasing the GIL, and the fast path that builds a run report from a dict through
 * the field-path setters.
 */
#ifndef POSTRUN_PYGLUE_H
#define POSTRUN_PYGLUE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "bind.h"

/** Lock hooks for bind.c: release and retake the GIL. */
void *pb_py_unlock(void);
void pb_py_relock(void *state);

/**
 * Registers the callable `factory(code, problems, kb_context) -> exception` that the package
 * (postrun/_errors.py) provides. Returns None.
 */
PyObject *pb_py_set_error_factory(PyObject *factory);

/** One problem as the tuple (code, severity, message, file, line, column, field). */
PyObject *pb_py_problem(const postrun_error *p);
/** Appends every problem of @p err to @p list; -1 with a Python exception on failure. */
int pb_py_add_problems(PyObject *list, const postrun_error *err);
/** Raises the exception for @p status and @p err, as the wrapped function @p symname. */
void pb_py_raise(const char *symname, int status, const postrun_error *err);
/** Raises the exception for @p status and a list of problem tuples. */
void pb_py_raise_list(int status, PyObject *problems, int kb_context);
/** Raises the exception for a status returned without an error record. */
void pb_py_raise_status(const char *symname, int status);
/** Raises a single problem found by the binding. */
void pb_py_raise_message(int status, const char *message);

/** A str from UTF-8 (None for NULL); NULL with an exception on failure. */
PyObject *pb_py_str(const char *s);

/** Makes (without raising) the exception for @p status and a list of problem tuples. */
PyObject *pb_py_make_error(int status, PyObject *problems, int kb_context);

/**
 * A dict turned into the setter calls it means (paths and values copied), with the shape
 * problems found on the way: made with the GIL, applied without it.
 */
typedef struct pb_py_plan pb_py_plan;
/** Plans @p data; NULL with a Python exception (MemoryError) on failure. */
pb_py_plan *pb_py_plan_new(PyObject *data);
void pb_py_plan_free(pb_py_plan *p);
/** Makes the calls on a new run (no Python call: safe without the GIL). On failure every
 *  problem is kept in the plan. */
postrun_status pb_py_plan_apply(pb_py_plan *p, pb_kb *kb, pb_run **out);
/** The problems applying found, as a new list of tuples. */
PyObject *pb_py_plan_problems(const pb_py_plan *p);

/**
 * Builds a run report from a dict shaped like the contract's run report, through the
 * field-path setters (GIL released). Every problem is collected (in *@p problems, a new
 * list) rather than only the first.
 */
postrun_status pb_py_run_from_dict(pb_run **out, pb_kb *kb, PyObject *data, PyObject **problems);
/** The same, then the assessment, in one release of the GIL. */
postrun_status pb_py_assess_dict(pb_assessment **out, pb_kb *kb, PyObject *data,
                                 PyObject **problems);
/** Step 2 and the assessment of one plan (no Python call: safe without the GIL), into
 *  @p scratch (cleared first) when not NULL, else into a run of its own. */
postrun_status pb_py_assess_plan(pb_py_plan *p, pb_kb *kb, postrun_run *scratch,
                                 pb_assessment **out, postrun_error *err);

/**
 * Registers postrun.Assessment (a class with the slots _h, _kb and _cache): the objects
 * pb_py_new_assessment() makes. Called once by the package at import. Returns None.
 */
PyObject *pb_py_set_assessment_class(PyObject *cls);
/** A new Assessment holding @p handle (a reference stolen) and @p kbobj (the Python
 *  KnowledgeBase); NULL with an exception on failure. */
PyObject *pb_py_new_assessment(PyObject *handle, PyObject *kbobj);
/** kb.assess(dict): the Assessment object, or NULL with the exception raised. @p wrap makes
 *  the SWIG handle that owns an assessment. */
PyObject *pb_py_assess_new(pb_kb *kb, PyObject *kbobj, PyObject *data,
                           PyObject *(*wrap)(pb_assessment *a));
/**
 * Assesses items[start:stop] into results[start:stop] (both lists): an Assessment, or the
 * exception object of a report that failed. Dicts are read here; anything else goes through
 * kbobj._batch_item() (which gives a dict or a run handle, or raises: the exception is that
 * report's result). The GIL is released once, for building and assessing the whole chunk.
 * Returns None, or NULL when a Python error other than an Exception stops it.
 */
PyObject *pb_py_assess_chunk_impl(pb_kb *kb, PyObject *kbobj, PyObject *items, Py_ssize_t start,
                                  Py_ssize_t stop, PyObject *results,
                                  PyObject *(*wrap)(pb_assessment *a),
                                  pb_run *(*as_run)(PyObject *o));

/** Registers the Cause and Contribution classes (tuple subclasses with 5 fields), the words
 *  of the SOURCE_* values, the Recommendation class (8 fields) and the words of the WHEN_*
 *  values, for pb_py_causes_impl() and pb_py_recommendations_impl(). Returns None. */
PyObject *pb_py_set_result_classes(PyObject *cause, PyObject *contribution, PyObject *sources,
                                   PyObject *recommendation, PyObject *whens);
/** Every cause of @p a, as the list a.causes is (Cause objects, contributions included). */
PyObject *pb_py_causes_impl(postrun_assessment *a);
/** Every recommendation of @p a, as the list a.recommendations is. */
PyObject *pb_py_recommendations_impl(postrun_assessment *a);

#endif
