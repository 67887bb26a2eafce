/*
 * Assess a run from a watch's file (FIT, TCX or GPX) together with a report of what the watch
 * cannot know (athlete, intake, symptoms): the report's own values win, and the assumptions
 * say which values came from the file.
 *
 *   cc activity.c $(pkg-config --cflags --libs libpostrun) -o activity
 *   ./activity run.fit examples/activity/report.yaml
 */
#include <stdio.h>

#include <postrun.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ACTIVITY.fit REPORT.yaml\n", argv[0]);
        return 2;
    }
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_activity *act = NULL;
    postrun_run *run = NULL;
    postrun_stream *reports = NULL;
    postrun_assessment *a = NULL;
    int rc = 1;

    /* The run keeps the activity: the report read into it is completed from the file before
     * it is checked, so it may leave out run.duration_min. */
    if (postrun_kb_load_default(&kb, &err) == POSTRUN_OK &&
        postrun_activity_load(&act, kb, argv[1], NULL, 0, NULL, &err) == POSTRUN_OK &&
        postrun_run_new(&run, kb, &err) == POSTRUN_OK &&
        postrun_run_set_activity(run, act, &err) == POSTRUN_OK &&
        postrun_stream_open_file(&reports, kb, argv[2], &err) == POSTRUN_OK &&
        postrun_stream_next(reports, run, &err) == POSTRUN_OK &&
        postrun_assessment_new(&a, kb, &err) == POSTRUN_OK &&
        postrun_assess(a, run, &err) == POSTRUN_OK) {
        const postrun_activity_summary *s = postrun_activity_get_summary(act);
        printf("%s run of %s: %.1f km in %.0f min moving (%.0f elapsed), %.0f m up\n", s->format,
               s->started_at, s->distance_km, s->moving_min, s->elapsed_min, s->elevation_gain_m);
        postrun_cause cause = POSTRUN_CAUSE_INIT;
        if (postrun_assessment_cause(a, 0, &cause) == POSTRUN_OK)
            printf("most likely: %s (score %.2f)\n", cause.name, cause.score);
        for (size_t i = 0; i < postrun_assessment_assumption_count(a); i++)
            printf("  assumed: %s\n", postrun_assessment_assumption(a, i));
        rc = 0;
    } else {
        char line[1200];
        for (size_t i = 0; i < postrun_error_count(&err); i++) {
            postrun_error_format(postrun_error_at(&err, i), line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
    }
    postrun_error_clear(&err);
    postrun_assessment_free(a);
    postrun_stream_free(reports);
    postrun_run_free(run);
    postrun_activity_free(act);
    postrun_kb_free(kb);
    return rc;
}
