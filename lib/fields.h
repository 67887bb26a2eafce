/*
 * Ids for the run report's fields and the model's metrics, and the enumeration words, all
 * generated from run_fields.def and metrics.def.
 */
#ifndef POSTRUN_FIELDS_H
#define POSTRUN_FIELDS_H

#include <math.h>
#include <stddef.h>

/* FT_TIME: an ISO 8601 date and time with its UTC offset, held as seconds since the Unix epoch. */
typedef enum field_type { FT_NUM, FT_INT, FT_ENUM, FT_BOOL, FT_STR, FT_TIME } field_type;
typedef enum metric_kind { MK_RANGE, MK_NUM, MK_BOOL, MK_ENUM } metric_kind;

extern const char *const PR_SEX_WORDS[];
extern const char *const PR_STATUS_WORDS[];
extern const char *const PR_INTENSITY_WORDS[];
extern const char *const PR_SURFACE_WORDS[];
extern const char *const PR_SUN_WORDS[];
extern const char *const PR_INTENSITY_SOURCE_WORDS[];
extern const char *const PR_FLUID_METHOD_WORDS[];
extern const char *const PR_FLUID_STATUS_WORDS[];
extern const char *const PR_DOMS_RISK_WORDS[];

/* Word indexes the models test. Keep in step with the word lists in fields.c. */
enum { SEX_FEMALE, SEX_MALE };
enum { STATUS_NOVICE, STATUS_RECREATIONAL, STATUS_TRAINED, STATUS_ELITE };
enum { INT_EASY, INT_STEADY, INT_TEMPO, INT_THRESHOLD, INT_INTERVALS, INT_RACE };
enum { SURFACE_ROAD, SURFACE_TRAIL, SURFACE_TRACK, SURFACE_TREADMILL };
enum { SUN_NONE, SUN_PARTIAL, SUN_FULL };
enum { ISRC_HEART_RATE, ISRC_PACE, ISRC_CATEGORY, ISRC_RPE, ISRC_PACE_ESTIMATED, ISRC_DEFAULT };
enum { FLUID_MEASURED, FLUID_PREDICTED, FLUID_PREDICTED_PERSONAL };
enum { FS_OVERHYDRATED, FS_EUHYDRATED, FS_MILD_DEFICIT, FS_DEFICIT, FS_SEVERE_DEFICIT };
enum { DOMS_LOW, DOMS_MODERATE, DOMS_HIGH };

typedef enum run_field_id {
#define RUN_FIELD(id, path, type, min, max, req, def, words) id,
#include "run_fields.def"
#undef RUN_FIELD
    RF_COUNT
} run_field_id;

typedef enum metric_id {
#define METRIC(id, name, kind, unit, words, desc) id,
#include "metrics.def"
#undef METRIC
    M_COUNT
} metric_id;

typedef struct run_field_info {
    const char *path;
    field_type type;
    double min, max;
    int required;
    double def;
    const char *const *words; /* NULL-terminated, for FT_ENUM */
} run_field_info;

typedef struct metric_info {
    const char *name;
    metric_kind kind;
    const char *unit;
    const char *const *words; /* NULL-terminated, for MK_ENUM */
    const char *description;
} metric_info;

extern const run_field_info PR_RUN_FIELDS[RF_COUNT];
extern const metric_info PR_METRICS[M_COUNT];

/* Index of a word in a NULL-terminated list, -1 when absent. */
int pr_word_index(const char *const *words, const char *word);

#endif
