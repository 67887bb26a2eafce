/*
 * Streams of run reports: one YAML document at a time into the caller's run, so a season of
 * runs (or a million) is read in the memory of one document. A bad document is reported with
 * its positions and the next call goes on; a syntax error ends the stream (libyaml cannot
 * resynchronise).
 */
#include "run_impl.h"

struct postrun_stream {
    yreader reader; /* libyaml keeps a pointer to it: the stream never moves */
    const postrun_kb *kb;
    size_t document;
    char *name; /* our copy of the path or name: error messages point at it */
};

static postrun_status stream_new(postrun_stream **out, postrun_stream **s, postrun_error *err)
{
    pr_err_reset(err);
    if (!out)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no place for the stream (out is NULL)");
    *s = pr_calloc(1, sizeof **s);
    if (!*s)
        return pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory opening a stream");
    return POSTRUN_OK;
}

static postrun_status stream_opened(postrun_stream **out, postrun_stream *s, const postrun_kb *kb,
                                    postrun_status rc)
{
    if (rc != POSTRUN_OK) {
        pr_yreader_close(&s->reader);
        pr_free(s->name);
        pr_free(s);
        return rc;
    }
    s->kb = kb;
    s->document = 0;
    *out = s;
    return POSTRUN_OK;
}

postrun_status postrun_stream_open_file(postrun_stream **out, const postrun_kb *kb,
                                        const char *path, postrun_error *err)
{
    postrun_stream *s = NULL;
    postrun_status rc = stream_new(out, &s, err);
    if (rc != POSTRUN_OK)
        return rc;
    if (!path) {
        pr_free(s);
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no path given");
    }
    s->name = pr_strdup(path);
    rc = s->name ? pr_yreader_open_path(&s->reader, s->name, &PR_YLIMITS_RUN, err)
                 : pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory opening a stream");
    return stream_opened(out, s, kb, rc);
}

postrun_status postrun_stream_open_string(postrun_stream **out, const postrun_kb *kb,
                                          const char *text, size_t len, const char *name,
                                          postrun_error *err)
{
    postrun_stream *s = NULL;
    postrun_status rc = stream_new(out, &s, err);
    if (rc != POSTRUN_OK)
        return rc;
    s->name = pr_strdup(name ? name : "<string>");
    rc = s->name ? pr_yreader_open_string(&s->reader, text, len, s->name, &PR_YLIMITS_RUN, err)
                 : pr_err_set(err, POSTRUN_ERR_NOMEM, NULL, "out of memory opening a stream");
    return stream_opened(out, s, kb, rc);
}

postrun_status postrun_stream_next(postrun_stream *s, postrun_run *run, postrun_error *err)
{
    pr_err_reset(err);
    if (!s || !run)
        return pr_err_set(err, POSTRUN_ERR_ARGUMENT, NULL, "no stream or no run given");
    postrun_status rc = pr_run_read_document(&s->reader, run, s->kb ? s->kb : run->kb, false, err);
    if (s->reader.doc_index)
        s->document = s->reader.doc_index - 1;
    /* Never hand out half a report: the errors say where the bad document was. */
    if (rc != POSTRUN_OK)
        pr_run_reset(run);
    return rc;
}

size_t postrun_stream_document(const postrun_stream *s) { return s ? s->document : 0; }

void postrun_stream_free(postrun_stream *s)
{
    if (!s)
        return;
    pr_yreader_close(&s->reader);
    pr_free(s->name);
    pr_free(s);
}
