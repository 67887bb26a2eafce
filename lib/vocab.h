/*
 * What run-report parsing needs from a knowledge base: its vocabulary of symptom, observation
 * and body-area ids. Implemented by the knowledge-base compiler (kb_*.c).
 */
#ifndef POSTRUN_VOCAB_H
#define POSTRUN_VOCAB_H

#include "postrun.h"

typedef enum obs_type { OBS_BOOLEAN, OBS_SCALE, OBS_COUNT } obs_type;

/* Index of an id in its list, -1 when unknown. */
int pr_kb_symptom_index(const postrun_kb *kb, const char *id);
int pr_kb_observation_index(const postrun_kb *kb, const char *id);
int pr_kb_body_area_index(const postrun_kb *kb, const char *id);

/* NULL-terminated id lists (for "did you mean"). */
const char *const *pr_kb_symptom_ids(const postrun_kb *kb);
const char *const *pr_kb_observation_ids(const postrun_kb *kb);
const char *const *pr_kb_body_area_ids(const postrun_kb *kb);

/* Plausibility limit i of a run report (postrun_kb.plausible_param: 0 sweat rate l/h, 1
 * body-mass change %, 2 heart rate above the maximum bpm); NaN when the kb defines none. */
double pr_kb_plausible_limit(const postrun_kb *kb, int i);

/* An observation's type and, for scale/count, its valid range. */
obs_type pr_kb_observation_type(const postrun_kb *kb, int index, double *min, double *max);

#endif
