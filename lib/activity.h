/*
 * Activity files inside the library (contract section 4): the decoded form every decoder fills
 * (act_fit.c for FIT, act_xml.c for TCX and GPX), the summary act_summary.c works out of it,
 * and the public object activity.c hands out. Private to those files.
 */
#ifndef POSTRUN_ACTIVITY_H
#define POSTRUN_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "params.h"

/* At most this many samples are kept: 72 hours at one a second (about 10 MB). A file with
 * more is refused (LIMIT), never read halfway. */
#define ACT_MAX_SAMPLES 259200
/* The largest activity file read from disk (the decoders stream, but a file is read whole
 * before decoding so that the memory bound does not depend on the reader). */
#define ACT_MAX_FILE_BYTES (64u * 1024u * 1024u)

/* No position (FIT's own invalid value for a semicircle coordinate). */
#define ACT_NO_POS INT32_MAX
/* No cadence (FIT's invalid uint8). */
#define ACT_NO_CAD 0xFF

/* Unix time of the FIT epoch, 1989-12-31T00:00:00Z (FIT protocol, "date_time"). */
#define ACT_FIT_EPOCH_UNIX 631065600.0

enum act_sample_flags {
    ACT_AFTER_PAUSE = 1u << 0, /* the timer was stopped (or the track broken) before it */
};

/* One sample of the series, as the file gave it. Positions keep FIT's semicircles (2^31 per
 * 180 degrees, 1 cm at the equator) so that a sample stays small. */
typedef struct act_sample {
    double t;         /* seconds since the Unix epoch */
    double dist_m;    /* the device's cumulative distance; NaN when none */
    int32_t lat, lon; /* semicircles; ACT_NO_POS when none */
    float alt_m;      /* NaN when none */
    float speed_m_s;  /* NaN when none */
    float temp_c;     /* NaN when none */
    uint8_t hr;       /* bpm; 0 when none */
    uint8_t cad;      /* per minute as recorded; ACT_NO_CAD when none (0 is a reading) */
    uint8_t flags;    /* act_sample_flags */
} act_sample;

typedef enum act_format { ACT_FIT = 0, ACT_TCX = 1, ACT_GPX = 2 } act_format;

/* What the device itself summed up (FIT session, TCX laps); NaN when it did not say. */
typedef struct act_device {
    double start_t, elapsed_s, timer_s, distance_m, avg_hr_bpm, max_hr_bpm, ascent_m, descent_m;
    double hr_weight_s; /* timer seconds behind avg_hr_bpm, to average several sessions */
} act_device;

/* Sport as the file names it. */
typedef enum act_sport { ACT_SPORT_UNKNOWN = 0, ACT_SPORT_RUNNING, ACT_SPORT_OTHER } act_sport;

/* The decoded file: what every decoder fills. */
typedef struct act_data {
    act_format format;
    const char *name; /* for messages */
    act_sport sport;
    char sport_name[32];   /* "running", "cycling", "walking", "fit sport 42", ... */
    char sub_sport[32];    /* "trail", "treadmill", ... or "" */
    char what[64];         /* when not an activity: what the file is ("a FIT settings file") */
    act_sample *sample;
    size_t n, cap;
    act_device device;
    bool pause_pending; /* the next sample follows a pause */
    double last_t;      /* time of the last sample kept (samples going back are dropped) */
    size_t dropped;     /* samples dropped for going back in time */
} act_data;

void pr_act_data_init(act_data *d, const char *name);
void pr_act_data_free(act_data *d);
/* Appends a sample (its flags are completed here); NOMEM or LIMIT (`err` filled, naming
 * `where`) when it cannot. */
postrun_status pr_act_push(act_data *d, const act_sample *s, postrun_error *err, const char *where);
/* A blank sample (every value missing) at time t. */
act_sample pr_act_blank(double t);
/* Adds a session's or lap's totals (NaN: not given) to the device summary. */
void pr_act_device_add(act_device *to, double start, double elapsed, double timer, double dist,
                    double avg_hr, double max_hr, double ascent, double descent);
/* Names the sport from its common words ("running", "Running", "run", "trail_running"). */
void pr_act_set_sport_word(act_data *d, const char *word);

/* Decoders. `data` holds the whole file. Every problem goes to `err` with the byte offset (FIT)
 * or the line and column (XML). */
postrun_status pr_act_decode_fit(act_data *d, const unsigned char *data, size_t len,
                              postrun_error *err);
postrun_status pr_act_decode_xml(act_data *d, const unsigned char *data, size_t len,
                              postrun_error *err);

/* CRC-16 of the FIT protocol (CRC-16/ARC), continued from `crc`. Public for the tests' encoder. */
uint16_t pr_act_fit_crc(uint16_t crc, const unsigned char *p, size_t n);

/* The public object (activity.c). */
struct postrun_activity {
    act_data d;
    double *cum_m; /* cumulative distance per sample */
    postrun_activity_summary s;
    char name[256];
    char started_at[32];
};

/* The summary (act_summary.c). */
/* Works out the summary of `d` (at least one sample), and the cumulative distance of every
 * sample into cum_m[d->n]. `zone_from` holds the zones' lower bounds as shares of the maximum
 * heart rate (zone_from[0] NaN: no zones); `max_hr_bpm` 0 means the run's own highest.
 * `level` (d->n doubles) receives the filtered altitude. */
void pr_act_summarise(const act_data *d, const kb_params *p, double max_hr_bpm,
                   const double zone_from[POSTRUN_HR_ZONES], double *cum_m, double *level,
                   postrun_activity_summary *out);

#endif
