/*
 * The smallest complete libpostrun program: assess one run report and print the most likely
 * cause and the first thing to do.
 *
 *   cc minimal.c $(pkg-config --cflags --libs libpostrun) -o minimal
 *   ./minimal examples/runs/01_warm_long_run_muscles_smaller.yaml
 */
#include <stdio.h>

#include <postrun.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s RUN_REPORT.yaml\n", argv[0]);
        return 2;
    }
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_kb *kb = NULL;
    postrun_run *run = NULL;
    postrun_assessment *a = NULL;
    int rc = 1;

    if (postrun_kb_load_default(&kb, &err) == POSTRUN_OK &&
        postrun_run_load_file(&run, kb, argv[1], &err) == POSTRUN_OK &&
        postrun_assessment_new(&a, kb, &err) == POSTRUN_OK &&
        postrun_assess(a, run, &err) == POSTRUN_OK) {
        postrun_cause cause = POSTRUN_CAUSE_INIT;
        postrun_recommendation rec = POSTRUN_RECOMMENDATION_INIT;
        if (postrun_assessment_cause(a, 0, &cause) == POSTRUN_OK)
            printf("Most likely: %s (%.0f %%)\n", cause.name, cause.score * 100);
        else
            printf("Nothing in the report points to a cause.\n");
        if (postrun_assessment_recommendation(a, 0, &rec) == POSTRUN_OK)
            printf("First: %s\n  %s\n", rec.name, rec.text);
        rc = 0;
    } else {
        /* Every problem, with file:line:column and the field. */
        for (size_t i = 0; i < postrun_error_count(&err); i++) {
            char line[1024];
            postrun_error_format(postrun_error_at(&err, i), line, sizeof line);
            fprintf(stderr, "%s\n", line);
        }
    }
    postrun_error_clear(&err);
    postrun_assessment_free(a);
    postrun_run_free(run);
    postrun_kb_free(kb);
    return rc;
}
