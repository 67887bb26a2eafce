/* The tables behind fields.h: field and metric descriptions generated from the .def files. */
#include "fields.h"

#include <string.h>

const char *const PR_SEX_WORDS[] = {"female", "male", NULL};
const char *const PR_STATUS_WORDS[] = {"novice", "recreational", "trained", "elite", NULL};
const char *const PR_INTENSITY_WORDS[] = {"easy",      "steady",    "tempo", "threshold",
                                       "intervals", "race",      NULL};
const char *const PR_SURFACE_WORDS[] = {"road", "trail", "track", "treadmill", NULL};
const char *const PR_SUN_WORDS[] = {"none", "partial", "full", NULL};
const char *const PR_INTENSITY_SOURCE_WORDS[] = {"heart_rate", "pace",    "category",
                                              "rpe",        "pace_estimated_vo2max",
                                              "default",    NULL};
const char *const PR_FLUID_METHOD_WORDS[] = {"measured", "predicted", "predicted_personal", NULL};
const char *const PR_FLUID_STATUS_WORDS[] = {"overhydrated", "euhydrated",     "mild_deficit",
                                          "deficit",      "severe_deficit", NULL};
const char *const PR_DOMS_RISK_WORDS[] = {"low", "moderate", "high", NULL};

const run_field_info PR_RUN_FIELDS[RF_COUNT] = {
#define RUN_FIELD(id, path, type, min, max, req, def, words) {path, type, min, max, req, def, words},
#include "run_fields.def"
#undef RUN_FIELD
};

const metric_info PR_METRICS[M_COUNT] = {
#define METRIC(id, name, kind, unit, words, desc) {name, kind, unit, words, desc},
#include "metrics.def"
#undef METRIC
};

int pr_word_index(const char *const *words, const char *word)
{
    if (!words || !word)
        return -1;
    for (int i = 0; words[i]; i++)
        if (strcmp(words[i], word) == 0)
            return i;
    return -1;
}
