/*
 * Python typemaps for bindings/postrun.i. Included by it; defines the %pb_* macros.
 *
 * Out-parameters become return values (a tuple for a structure, a list when a function
 * has several). A negative postrun_status raises the postrun.Error subclass that
 * postrun/_errors.py registered (py_set_error_factory), with every problem recorded.
 */

%{
#include "pyglue.h"
/* The module's init function, defined by SWIG at the end of the wrapper. */
PyObject *PyInit__postrun_core(void);
%}

%{
/* Handles, read strictly. SWIG's own conversion takes any object whose type is *named*
 * "SwigPyObject" for one of its objects (a Python class of that name crashed it), and its
 * delete_X functions free without forgetting (a second call freed again). Here a handle is
 * this module's own SwigPyObject type (or a proxy whose .this is one) holding exactly the
 * type asked for; releasing clears its pointer, so a later use is a clear error and a
 * second release does nothing. */
static SwigPyObject *pb_py_swig_object(PyObject *o, swig_type_info *ty)
{
  if (!o || o == Py_None)
    return NULL;
  SwigPyObject *s = (SwigPyObject *)SWIG_Python_GetSwigThis(o);
  if (!s) {
    if (PyErr_Occurred() && !PyErr_ExceptionMatches(PyExc_Exception))
      return NULL; /* KeyboardInterrupt in a .this property: left raised */
    PyErr_Clear();
    return NULL;
  }
  if (Py_TYPE((PyObject *)s) != SwigPyObject_type() || s->ty != ty)
    return NULL;
  return s;
}

/* The object of handle @p o, or NULL with *why saying what is wrong ("" = not a handle of
 * that type). None is NULL with why NULL when @p none_ok. */
static void *pb_py_handle(PyObject *o, swig_type_info *ty, int none_ok, const char **why)
{
  *why = NULL;
  if (none_ok && o == Py_None)
    return NULL;
  SwigPyObject *s = pb_py_swig_object(o, ty);
  if (!s) {
    *why = "";
    return NULL;
  }
  if (!s->ptr)
    *why = " (this one was already released)";
  return s->ptr;
}

static void pb_py_handle_error(const char *func, int argnum, const char *what, const char *why,
                               PyObject *o)
{
  if (PyErr_Occurred())
    return; /* an interrupt while reading the object: propagated unchanged */
  if (why && why[0])
    PyErr_Format(PyExc_TypeError, "%s() argument %d must be %s%s", func, argnum, what, why);
  else
    PyErr_Format(PyExc_TypeError, "%s() argument %d must be %s, not %s", func, argnum, what,
                 Py_TYPE(o)->tp_name);
}

/* The destructor's argument: the pointer to free, taken from the handle once (NULL when it
 * was released already, or is not ours: then nothing is freed). */
static void *pb_py_release(PyObject *o, swig_type_info *ty)
{
  SwigPyObject *s = pb_py_swig_object(o, ty);
  if (!s || !s->own || !s->ptr)
    return NULL;
  void *p = s->ptr;
  s->ptr = NULL;
  s->own = 0;
  return p;
}

/* A C string: refused when it holds a NUL byte (C would read it cut short: "run.yaml\0.txt"
 * would open run.yaml) or is not valid Unicode (a lone surrogate). */
static int pb_py_c_string(PyObject *o, const char **out, const char *func, const char *name,
                          int none_ok)
{
  *out = NULL;
  if (o == Py_None && none_ok)
    return 0;
  if (!PyUnicode_Check(o)) {
    PyErr_Format(PyExc_TypeError, "%s() argument '%s' must be str, not %s", func, name,
                 Py_TYPE(o)->tp_name);
    return -1;
  }
  Py_ssize_t n = 0;
  const char *s = PyUnicode_AsUTF8AndSize(o, &n);
  if (!s) {
    PyErr_Clear();
    char msg[200];
    snprintf(msg, sizeof msg, "%s() argument '%s' is not valid Unicode (it holds a lone "
             "surrogate, as a file name decoded with surrogateescape may)", func, name);
    pb_py_raise_message(POSTRUN_ERR_ARGUMENT, msg);
    return -1;
  }
  if (strlen(s) != (size_t)n) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s() argument '%s' holds a NUL byte (\\0), which no path, id "
             "or value may hold", func, name);
    pb_py_raise_message(POSTRUN_ERR_ARGUMENT, msg);
    return -1;
  }
  *out = s;
  return 0;
}
%}

/* Every C string argument (paths, ids, field paths, values, names). */
%typemap(in) const char * {
  if (pb_py_c_string($input, (const char **)&$1, "$symname", "$1_name", 1) < 0)
    SWIG_fail;
}
%typemap(freearg) const char * "";
%typemap(typecheck) const char * "$1 = $input == Py_None || PyUnicode_Check($input);";

/* Handle arguments of the bind.h functions: the same checks; None only where C accepts NULL. */
%define %pb_py_handle_arg(TYPE, WHAT, NONEOK)
%typemap(in) TYPE {
  const char *why_;
  $1 = ($1_ltype)pb_py_handle($input, $descriptor, NONEOK, &why_);
  if (why_) {
    pb_py_handle_error("$symname", $argnum, WHAT, why_, $input);
    SWIG_fail;
  }
}
%enddef
%pb_py_handle_arg(pb_kb *kb, "a knowledge base", 1)
%pb_py_handle_arg(const pb_kb *kb, "a knowledge base", 0)
%pb_py_handle_arg(pb_builder *b, "a knowledge-base builder", 0)
%pb_py_handle_arg(pb_run *run, "a run report", 0)
%pb_py_handle_arg(pb_assessment *a, "an assessment", 0)
%pb_py_handle_arg(pb_stream *s, "a stream", 0)
%pb_py_handle_arg(const pb_stream *s, "a stream", 0)
%pb_py_handle_arg(pb_history *h, "a history", 1)
%pb_py_handle_arg(const pb_history *h, "a history", 0)

/* The destructors (delete_KnowledgeBase...: the garbage collector's, or a script's): once. */
%define %pb_py_release_arg(TYPE)
%typemap(in) TYPE *self, TYPE *DISOWN "$1 = ($1_ltype)pb_py_release($input, $descriptor(TYPE *));";
%enddef
%pb_py_release_arg(struct pb_kb)
%pb_py_release_arg(struct pb_builder)
%pb_py_release_arg(struct pb_run)
%pb_py_release_arg(struct pb_assessment)
%pb_py_release_arg(struct pb_stream)
%pb_py_release_arg(struct pb_history)
%pb_py_release_arg(pb_kb)
%pb_py_release_arg(pb_builder)
%pb_py_release_arg(pb_run)
%pb_py_release_arg(pb_assessment)
%pb_py_release_arg(pb_stream)
%pb_py_release_arg(pb_history)

/* The GIL is released by bind.c around compiling and assessing only (pb_kb_load,
 * pb_builder_build, pb_assess): the getters are too short for it to pay. */
%init %{
  pb_set_lock_hooks(pb_py_unlock, pb_py_relock);
%}

/* A status is not a value: success returns None or the out-parameters. A function with a
 * `postrun_error *err` raises in that argument's argout typemap, with every problem; one
 * without (the accessors) raises here, at the very end, once every argument is freed. */
%typemap(out) postrun_status "$result = SWIG_Py_Void();";
%typemap(ret) postrun_status {
  if (result < 0) {
    Py_XDECREF($result);
    pb_py_raise_status("$symname", (int)result);
    return NULL;
  }
}

%define %pb_error_typemaps(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_error temp) {
  memset(&temp, 0, sizeof temp);
  $1 = ($1_ltype)&temp;
}
%typemap(argout) TYPEMAP {
  if (result < 0) {
    Py_XDECREF($result);
    $result = NULL;
    pb_py_raise("$symname", (int)result, $1);
    SWIG_fail;
  }
}
%typemap(freearg) TYPEMAP "postrun_error_clear($1);";
%enddef

%define %pb_handle_in(TYPEMAP, HANDLE, FIELD, WHAT, CHECK, CHECKMSG)
%typemap(in) TYPEMAP (void *argp = 0) {
  const char *why_;
  argp = pb_py_handle($input, $descriptor(HANDLE *), 0, &why_);
  if (!argp) {
    pb_py_handle_error("$symname", $argnum, WHAT, why_, $input);
    SWIG_fail;
  }
  {
    HANDLE *h = (HANDLE *)argp;
    if (!(CHECK)) {
      pb_py_raise_message(POSTRUN_ERR_ARGUMENT, CHECKMSG);
      SWIG_fail;
    }
    $1 = h->FIELD;
  }
}
%enddef

%define %pb_handle_out(TYPEMAP, HANDLE)
%typemap(in, numinputs=0) TYPEMAP (HANDLE *temp = NULL) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) {
    PyObject *o_ = SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $descriptor(HANDLE *),
                                      SWIG_POINTER_OWN);
    if (!o_) {
      delete_##HANDLE(*$1);
      SWIG_fail;
    }
    $result = SWIG_Python_AppendOutput($result, o_);
  }
}
%enddef

%define %pb_string_list(TYPEMAP)
%typemap(in) TYPEMAP (PyObject *seq = NULL) {
  $1 = NULL;
  $2 = 0;
  if ($input != Py_None) {
    Py_ssize_t i_, n_;
    const char **list_;
    seq = PySequence_Fast($input, "expected a list of paths");
    if (!seq) SWIG_fail;
    n_ = PySequence_Fast_GET_SIZE(seq);
    list_ = (const char **)calloc(n_ ? (size_t)n_ : 1, sizeof *list_);
    if (!list_) {
      PyErr_NoMemory();
      SWIG_fail;
    }
    $1 = ($1_ltype)list_;
    $2 = (size_t)n_;
    for (i_ = 0; i_ < n_; i_++) {
      PyObject *o_ = PySequence_Fast_GET_ITEM(seq, i_);
      if (!PyUnicode_Check(o_)) {
        PyErr_Format(PyExc_TypeError, "expected a list of paths (str), got %s in it",
                     Py_TYPE(o_)->tp_name);
        SWIG_fail;
      }
      if (pb_py_c_string(o_, &list_[i_], "$symname", "overlays", 0) < 0) SWIG_fail;
    }
  }
}
%typemap(freearg) TYPEMAP {
  free((void *)$1);
  Py_XDECREF(seq$argnum);
}
%enddef

%define %pb_text_in(TYPEMAP)
%typemap(in) TYPEMAP {
  if (PyUnicode_Check($input)) {
    Py_ssize_t n_;
    $1 = ($1_ltype)PyUnicode_AsUTF8AndSize($input, &n_);
    if (!$1) SWIG_fail;
    $2 = (size_t)n_;
  } else if (PyBytes_Check($input)) {
    $1 = PyBytes_AS_STRING($input);
    $2 = (size_t)PyBytes_GET_SIZE($input);
  } else {
    PyErr_Format(PyExc_TypeError, "expected YAML text (str or bytes), got %s",
                 Py_TYPE($input)->tp_name);
    SWIG_fail;
  }
}
%enddef

/* Appends a new reference to the result; fails the call when it is NULL. */
%define %pb_append(EXPR)
  {
    PyObject *o_ = EXPR;
    if (!o_) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o_);
  }
%enddef

%define %pb_out_string(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (const char *temp = NULL) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP { if (result == POSTRUN_OK) %pb_append(pb_py_str(*$1)) }
%enddef

%define %pb_out_number(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (double temp = 0) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP { if (result == POSTRUN_OK) %pb_append(PyFloat_FromDouble(*$1)) }
%enddef

%define %pb_out_bool(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (int temp = 0) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP { if (result == POSTRUN_OK) %pb_append(PyBool_FromLong(*$1)) }
%enddef

%define %pb_out_position(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (uint32_t l = 0, uint32_t c = 0) {
  $1 = ($1_ltype)&l;
  $2 = ($2_ltype)&c;
}
%typemap(argout) TYPEMAP { %pb_append(Py_BuildValue("(II)", (unsigned)*$1, (unsigned)*$2)) }
%enddef

%define %pb_out_range(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_range temp) { $1 = ($1_ltype)&temp; }
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) %pb_append(Py_BuildValue("(ddd)", $1->low, $1->expected, $1->high))
}
%enddef

/* (kind, id, name, description, file, line, column, n_sources) */
%define %pb_out_entry(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_kb_entry_info temp) {
  memset(&temp, 0, sizeof temp);
  temp.version = POSTRUN_KB_ENTRY_INFO_VERSION;
  $1 = ($1_ltype)&temp;
}
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK)
    %pb_append(Py_BuildValue("(iNNNNIIn)", (int)$1->kind, pb_py_str($1->id), pb_py_str($1->name),
                             pb_py_str($1->description), pb_py_str($1->file), (unsigned)$1->line,
                             (unsigned)$1->column, (Py_ssize_t)$1->n_sources))
}
%enddef

/* (id, name, urgency, advice, n_because) */
%define %pb_out_red_flag(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_red_flag temp) {
  memset(&temp, 0, sizeof temp);
  temp.version = POSTRUN_RED_FLAG_VERSION;
  $1 = ($1_ltype)&temp;
}
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK)
    %pb_append(Py_BuildValue("(NNiNn)", pb_py_str($1->id), pb_py_str($1->name), (int)$1->urgency,
                             pb_py_str($1->advice), (Py_ssize_t)$1->n_because))
}
%enddef

/* (id, name, score, n_explains, n_because) */
%define %pb_out_cause(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_cause temp) {
  memset(&temp, 0, sizeof temp);
  temp.version = POSTRUN_CAUSE_VERSION;
  $1 = ($1_ltype)&temp;
}
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK)
    %pb_append(Py_BuildValue("(NNdnn)", pb_py_str($1->id), pb_py_str($1->name), $1->score,
                             (Py_ssize_t)$1->n_explains, (Py_ssize_t)$1->n_because))
}
%enddef

/* (source, ref, value, weight, text) */
%define %pb_out_contribution(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_contribution temp) {
  memset(&temp, 0, sizeof temp);
  temp.version = POSTRUN_CONTRIBUTION_VERSION;
  $1 = ($1_ltype)&temp;
}
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK)
    %pb_append(Py_BuildValue("(iNddN)", (int)$1->kind, pb_py_str($1->ref), $1->value,
                             $1->weight, pb_py_str($1->text)))
}
%enddef

/* (id, name, priority, when, text, n_doses, n_addresses, n_sources) */
%define %pb_out_recommendation(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (postrun_recommendation temp) {
  memset(&temp, 0, sizeof temp);
  temp.version = POSTRUN_RECOMMENDATION_VERSION;
  $1 = ($1_ltype)&temp;
}
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK)
    %pb_append(Py_BuildValue("(NNiiNnnn)", pb_py_str($1->id), pb_py_str($1->name), $1->priority,
                             (int)$1->when, pb_py_str($1->text), (Py_ssize_t)$1->n_doses,
                             (Py_ssize_t)$1->n_addresses, (Py_ssize_t)$1->n_sources))
}
%enddef

%define %pb_out_rendered(TYPEMAP)
%typemap(in, numinputs=0) TYPEMAP (char *buf = NULL, size_t n = 0) {
  $1 = ($1_ltype)&buf;
  $2 = ($2_ltype)&n;
}
%typemap(argout) TYPEMAP {
  if (result == POSTRUN_OK) %pb_append(PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)*$2, "replace"))
}
%typemap(freearg) TYPEMAP "if ($1) postrun_free(*$1);";
%enddef

%define %pb_out_problem(TYPE)
%typemap(out) TYPE {
  $result = $1 ? pb_py_problem($1) : SWIG_Py_Void();
  if (!$result) SWIG_fail;
}
%enddef

/* ---- the dict fast path and the error plumbing ---- */

%define %pb_language_extras
%typemap(in, numinputs=0) PyObject **problems (PyObject *temp = NULL) { $1 = ($1_ltype)&temp; }
%typemap(argout) PyObject **problems {
  if (result < 0) {
    Py_XDECREF($result);
    $result = NULL;
    if (!PyErr_Occurred()) {
      if (*$1)
        pb_py_raise_list((int)result, *$1, 0);
      else
        pb_py_raise_message((int)result, postrun_strerror(result));
    }
    SWIG_fail;
  }
}
%typemap(freearg) PyObject **problems "if ($1) Py_XDECREF(*$1);";

%{
/* The bare SWIG object, without the proxy class instance around it: every accessor takes
 * either, and the bare one is cheaper to make, to free and to convert on each call. */
static PyObject *pb_py_wrap_assessment(pb_assessment *a)
{
  return SWIG_NewPointerObj(SWIG_as_voidptr(a), SWIGTYPE_p_pb_assessment,
                            SWIG_POINTER_OWN | SWIG_POINTER_NOSHADOW);
}

static pb_run *pb_py_as_run(PyObject *o)
{
  const char *why;
  return (pb_run *)pb_py_handle(o, SWIGTYPE_p_pb_run, 0, &why);
}

/* KnowledgeBase.assess(dict): the Assessment object itself. */
static PyObject *pb_py_assess(pb_kb *kb, PyObject *kbobj, PyObject *data)
{
  return pb_py_assess_new(kb, kbobj, data, pb_py_wrap_assessment);
}

/* The assessment of a handle, checked as the accessors check it; NULL with an exception. */
static postrun_assessment *pb_py_checked_assessment(PyObject *h, const char *fn)
{
  const char *why;
  void *p = pb_py_handle(h, SWIGTYPE_p_pb_assessment, 0, &why);
  if (!p) {
    pb_py_handle_error(fn, 1, "an assessment", why, h);
    return NULL;
  }
  if (pb_assessment_busy((pb_assessment *)p)) {
    pb_py_raise_message(POSTRUN_ERR_ARGUMENT, "this assessment is being computed in another thread");
    return NULL;
  }
  return ((pb_assessment *)p)->a;
}

/* a.causes and a.recommendations, each in one call. */
static PyObject *pb_py_causes(PyObject *h)
{
  postrun_assessment *a = pb_py_checked_assessment(h, "py_causes");
  return a ? pb_py_causes_impl(a) : NULL;
}

static PyObject *pb_py_recommendations(PyObject *h)
{
  postrun_assessment *a = pb_py_checked_assessment(h, "py_recommendations");
  return a ? pb_py_recommendations_impl(a) : NULL;
}

/* The engine of KnowledgeBase.assess_many: items[start:stop] -> results[start:stop]. */
static PyObject *pb_py_assess_chunk(pb_kb *kb, PyObject *kbobj, PyObject *items,
                                    long start, long stop, PyObject *results)
{
  return pb_py_assess_chunk_impl(kb, kbobj, items, start, stop, results, pb_py_wrap_assessment,
                                 pb_py_as_run);
}
%}

PyObject *pb_py_set_error_factory(PyObject *factory);
PyObject *pb_py_set_assessment_class(PyObject *cls);
PyObject *pb_py_set_result_classes(PyObject *cause, PyObject *contribution, PyObject *sources,
                                   PyObject *recommendation, PyObject *whens);
PyObject *pb_py_causes(PyObject *h);
PyObject *pb_py_recommendations(PyObject *h);
PyObject *pb_py_assess(pb_kb *kb, PyObject *kbobj, PyObject *data);
PyObject *pb_py_assess_chunk(pb_kb *kb, PyObject *kbobj, PyObject *items, long start,
                             long stop, PyObject *results);
postrun_status pb_py_run_from_dict(pb_run **out, pb_kb *kb, PyObject *data, PyObject **problems);
postrun_status pb_py_assess_dict(pb_assessment **out, pb_kb *kb, PyObject *data,
                                 PyObject **problems);
%enddef
