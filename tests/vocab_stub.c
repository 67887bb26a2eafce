/*
 * vocab.h over the contract's required vocabulary, for tests that need a knowledge base before
 * (or without) the loader. urine_colour is a 1..8 scale and persistent_days a 0..365 count;
 * every other observation is yes/no.
 */
#include <math.h>
#include <string.h>

#include "vocab.h"
#include "vocab_stub.h"

static const char *const SYMPTOMS[] = {
    "muscles_feel_smaller", "fatigue", "tightness", "aching", "twitching", "cramps", NULL};

static const char *const OBSERVATIONS[] = {"numbness",
                                           "tingling",
                                           "weakness",
                                           "sharp_localized_pain",
                                           "swelling",
                                           "bruising",
                                           "cannot_bear_weight",
                                           "widespread_twitching",
                                           "twitching_disrupts_sleep",
                                           "persistent_days",
                                           "unexplained_weight_loss",
                                           "disordered_eating_concern",
                                           "performance_decline",
                                           "frequent_illness",
                                           "mood_disturbance",
                                           "dark_urine",
                                           "urine_colour",
                                           "confusion",
                                           "dizziness",
                                           "headache",
                                           "nausea",
                                           "vomiting",
                                           "chest_pain",
                                           "fainting",
                                           "bone_point_tenderness",
                                           "pain_on_hopping",
                                           "groin_pain_with_limp",
                                           "new_medication",
                                           NULL};

static const char *const BODY_AREAS[] = {"calves",      "hamstrings", "quadriceps", "glutes",
                                         "hip_flexors", "feet",       "whole_body", NULL};

static const int stub;

const postrun_kb *test_kb(void) { return (const postrun_kb *)(const void *)&stub; }

static int find(const char *const *ids, const char *id)
{
    for (int i = 0; ids[i]; i++)
        if (strcmp(ids[i], id) == 0)
            return i;
    return -1;
}

int pr_kb_symptom_index(const postrun_kb *kb, const char *id)
{
    (void)kb;
    return find(SYMPTOMS, id);
}
int pr_kb_observation_index(const postrun_kb *kb, const char *id)
{
    (void)kb;
    return find(OBSERVATIONS, id);
}
int pr_kb_body_area_index(const postrun_kb *kb, const char *id)
{
    (void)kb;
    return find(BODY_AREAS, id);
}
const char *const *pr_kb_symptom_ids(const postrun_kb *kb)
{
    (void)kb;
    return SYMPTOMS;
}
const char *const *pr_kb_observation_ids(const postrun_kb *kb)
{
    (void)kb;
    return OBSERVATIONS;
}
const char *const *pr_kb_body_area_ids(const postrun_kb *kb)
{
    (void)kb;
    return BODY_AREAS;
}

obs_type pr_kb_observation_type(const postrun_kb *kb, int index, double *min, double *max)
{
    (void)kb;
    const char *id = index >= 0 && (size_t)index < sizeof OBSERVATIONS / sizeof *OBSERVATIONS - 1
                         ? OBSERVATIONS[index]
                         : "";
    if (strcmp(id, "urine_colour") == 0) {
        *min = 1;
        *max = 8;
        return OBS_SCALE;
    }
    if (strcmp(id, "persistent_days") == 0) {
        *min = 0;
        *max = 365;
        return OBS_COUNT;
    }
    *min = 0;
    *max = 1;
    return OBS_BOOLEAN;
}

double pr_kb_plausible_limit(const postrun_kb *kb, int i)
{
    (void)kb;
    (void)i;
    return NAN; /* the stub vocabulary checks no plausibility limits */
}
