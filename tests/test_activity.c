/*
 * Activity files: a small FIT encoder writes the fixtures (every header form, base type,
 * compressed timestamps, byte orders, developer fields, chained files, broken CRCs, every
 * truncation), TCX and GPX are written as text, and the real device files of
 * ../shared/activities/ (when that folder exists) are compared value by value with their
 * reference decodings and with the devices' own summaries.
 */
#include <math.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "test_helpers.h"

#include "activity.h"

static postrun_kb *kb;

/* ---- a FIT encoder for the tests ---- */

typedef struct enc {
    unsigned char b[1 << 16];
    size_t n;
} enc;

static void put(enc *e, const void *p, size_t n)
{
    assert_true(e->n + n <= sizeof e->b);
    memcpy(e->b + e->n, p, n);
    e->n += n;
}
static void u8(enc *e, unsigned v) { unsigned char c = (unsigned char)v; put(e, &c, 1); }
static void uint_n(enc *e, uint64_t v, unsigned size, bool big)
{
    for (unsigned i = 0; i < size; i++)
        u8(e, (unsigned)(v >> (8 * (big ? size - 1 - i : i))) & 0xFF);
}

typedef struct fdef {
    uint8_t num, size, type;
} fdef;

/* A definition of `global` for local type `local`; `dev` developer fields of `dev_size` bytes. */
static void define(enc *e, unsigned local, bool big, unsigned global, const fdef *f, size_t n,
                   unsigned dev, unsigned dev_size)
{
    u8(e, 0x40 | (dev ? 0x20 : 0) | local);
    u8(e, 0);
    u8(e, big);
    uint_n(e, global, 2, big);
    u8(e, (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        u8(e, f[i].num);
        u8(e, f[i].size);
        u8(e, f[i].type);
    }
    if (dev) {
        u8(e, dev);
        for (unsigned i = 0; i < dev; i++) {
            u8(e, i);
            u8(e, dev_size);
            u8(e, 0);
        }
    }
}

/* Wraps records into a file: header of 12 or 14 bytes (header CRC computed, or 0), file CRC. */
static size_t wrap(const enc *body, unsigned char *out, unsigned hsize, bool header_crc)
{
    enc h = {.n = 0};
    u8(&h, hsize);
    u8(&h, 0x20);
    uint_n(&h, 2132, 2, false);
    uint_n(&h, body->n, 4, false);
    put(&h, ".FIT", 4);
    if (hsize == 14)
        uint_n(&h, header_crc ? pr_act_fit_crc(0, h.b, 12) : 0, 2, false);
    memcpy(out, h.b, h.n);
    memcpy(out + h.n, body->b, body->n);
    size_t n = h.n + body->n;
    uint16_t crc = pr_act_fit_crc(0, out, n);
    out[n] = crc & 0xFF;
    out[n + 1] = crc >> 8;
    return n + 2;
}

enum { FIT_EPOCH = 631065600 };
static const uint32_t T0 = 1000000000u - FIT_EPOCH; /* 2001-09-09T01:46:40Z */

/* file_id (activity), then records every `step` s: distance 3 m/s, heart rate 140 + i % 10,
 * altitude climbing 0.5 m a sample, position moving north; then a running session. */
static void simple_run(enc *e, unsigned n, bool big, unsigned sport)
{
    static const fdef fid[] = {{0, 1, 0x00}, {1, 2, 0x84}};
    define(e, 0, big, 0, fid, 2, 0, 0);
    u8(e, 0);
    u8(e, 4);
    uint_n(e, 1, 2, big);
    static const fdef rec[] = {{253, 4, 0x86}, {0, 4, 0x85}, {1, 4, 0x85}, {2, 2, 0x84},
                               {3, 1, 0x02},   {5, 4, 0x86}, {13, 1, 0x01}};
    define(e, 1, big, 20, rec, 7, 0, 0);
    for (unsigned i = 0; i < n; i++) {
        u8(e, 1);
        uint_n(e, T0 + i, 4, big);
        uint_n(e, (uint32_t)(int32_t)(500000000 + (int32_t)i * 1000), 4, big);
        uint_n(e, (uint32_t)(int32_t)-100000000, 4, big);
        uint_n(e, (uint64_t)((100 + i * 0.5 + 500) * 5), 2, big);
        u8(e, 140 + i % 10);
        uint_n(e, i * 300u, 4, big);
        u8(e, 20);
    }
    static const fdef ses[] = {{253, 4, 0x86}, {5, 1, 0x00}, {8, 4, 0x86}, {9, 4, 0x86}};
    define(e, 2, big, 18, ses, 4, 0, 0);
    u8(e, 2);
    uint_n(e, T0 + n, 4, big);
    u8(e, sport);
    uint_n(e, (n - 1) * 1000u, 4, big);
    uint_n(e, (n - 1) * 300u, 4, big);
}

static postrun_status load(const unsigned char *p, size_t n, unsigned flags, postrun_activity **a,
                           postrun_error *err)
{
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.flags = flags;
    return postrun_activity_load(a, kb, "t.fit", p, n, &o, err);
}

static unsigned char file[1 << 17];

static void test_both_header_forms_and_byte_orders_give_the_same_run(void **state)
{
    (void)state;
    double first = NAN;
    for (int form = 0; form < 6; form++) {
        enc body = {.n = 0};
        simple_run(&body, 400, form & 1, 1);
        size_t n = wrap(&body, file, form < 2 ? 12 : 14, form < 4);
        postrun_activity *a = NULL;
        postrun_error err = POSTRUN_ERROR_INIT;
        assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_OK);
        const postrun_activity_summary *s = postrun_activity_get_summary(a);
        assert_int_equal(s->samples, 400);
        assert_string_equal(s->format, "fit");
        assert_string_equal(s->sport, "running");
        assert_string_equal(s->started_at, "2001-09-09T01:46:40Z");
        assert_true(fabs(s->distance_km - 399 * 3.0 / 1000) < 1e-9);
        assert_true(fabs(s->moving_min - 399 / 60.0) < 1e-9);
        assert_true(fabs(s->avg_hr_bpm - 144.5) < 0.1);
        assert_true(s->max_hr_bpm == 149);
        assert_true(fabs(s->device_temperature_c - 20) < 1e-9);
        /* 199.5 m of climbing, counted in 5 m steps of the filter: 195 m. */
        assert_true(fabs(s->elevation_gain_m - 195) < 1e-6);
        assert_true(s->elevation_loss_m == 0);
        assert_true(fabs(s->device_distance_km - 1.197) < 1e-9);
        postrun_activity_sample smp = POSTRUN_ACTIVITY_SAMPLE_INIT;
        assert_int_equal(postrun_activity_get_sample(a, 10, &smp), POSTRUN_OK);
        assert_true(smp.time_s == 10 && smp.heart_rate_bpm == 140 && smp.distance_m == 30);
        assert_true(fabs(smp.altitude_m - 105) < 1e-3);
        assert_true(fabs(smp.latitude_deg - (500010000 * 180.0 / 2147483648.0)) < 1e-9);
        assert_int_equal(postrun_activity_get_sample(a, 400, &smp), POSTRUN_ERR_ARGUMENT);
        if (isnan(first))
            first = s->energy_kcal_per_kg;
        assert_true(s->energy_kcal_per_kg == first && first > 0);
        postrun_activity_free(a);
        postrun_error_clear(&err);
    }
}

/* Every base type, with a value and with its invalid value, as record.heart_rate. */
static void test_every_base_type_reads_its_value_and_its_invalid_value(void **state)
{
    (void)state;
    static const struct { uint8_t type, size; uint64_t invalid; } BT[] = {
        {0x00, 1, 0xFF}, {0x01, 1, 0x7F}, {0x02, 1, 0xFF}, {0x83, 2, 0x7FFF},
        {0x84, 2, 0xFFFF}, {0x85, 4, 0x7FFFFFFF}, {0x86, 4, 0xFFFFFFFF}, {0x88, 4, 0xFFFFFFFF},
        {0x89, 8, UINT64_MAX}, {0x0A, 1, 0}, {0x8B, 2, 0}, {0x8C, 4, 0}, {0x0D, 1, 0xFF},
        {0x8E, 8, 0x7FFFFFFFFFFFFFFF}, {0x8F, 8, UINT64_MAX}, {0x90, 8, 0}};
    for (size_t k = 0; k < sizeof BT / sizeof BT[0]; k++) {
        for (int big = 0; big < 2; big++) {
            enc e = {.n = 0};
            fdef rec[] = {{253, 4, 0x86}, {3, BT[k].size, BT[k].type}, {5, 4, 0x86}};
            define(&e, 0, big, 20, rec, 3, 0, 0);
            for (unsigned i = 0; i < 2; i++) {
                u8(&e, 0);
                uint_n(&e, T0 + i, 4, big);
                uint64_t v = i ? BT[k].invalid : 120;
                if (BT[k].type == 0x88 && !i) {
                    float f = 120;
                    uint32_t u;
                    memcpy(&u, &f, 4);
                    v = u;
                } else if (BT[k].type == 0x89 && !i) {
                    double f = 120;
                    memcpy(&v, &f, 8);
                }
                uint_n(&e, v, BT[k].size, big);
                uint_n(&e, i * 10u, 4, big);
            }
            size_t n = wrap(&e, file, 12, false);
            postrun_activity *a = NULL;
            assert_int_equal(load(file, n, 0, &a, NULL), POSTRUN_OK);
            postrun_activity_sample s0 = POSTRUN_ACTIVITY_SAMPLE_INIT, s1 = POSTRUN_ACTIVITY_SAMPLE_INIT;
            postrun_activity_get_sample(a, 0, &s0);
            postrun_activity_get_sample(a, 1, &s1);
            if (s0.heart_rate_bpm != 120 || !isnan(s1.heart_rate_bpm))
                fail_msg("base type 0x%02x (%s-endian): %g, %g", BT[k].type, big ? "big" : "little",
                         s0.heart_rate_bpm, s1.heart_rate_bpm);
            postrun_activity_free(a);
        }
    }
}

static void test_compressed_timestamps_and_developer_fields_are_read(void **state)
{
    (void)state;
    enc e = {.n = 0};
    static const fdef full[] = {{253, 4, 0x86}, {3, 1, 0x02}, {5, 4, 0x86}};
    static const fdef comp[] = {{3, 1, 0x02}, {5, 4, 0x86}};
    define(&e, 0, false, 20, full, 3, 2, 3); /* and two developer fields of 3 bytes */
    define(&e, 1, false, 20, comp, 2, 0, 0);
    u8(&e, 0);
    uint_n(&e, T0 + 30, 4, false); /* 5 low bits: T0 % 32 ... */
    u8(&e, 130);
    uint_n(&e, 0, 4, false);
    put(&e, "abcdef", 6);
    /* Compressed headers (local type 1): 5-bit offsets, rolling over past 31. */
    uint32_t t = T0 + 30;
    for (unsigned i = 1; i <= 40; i++) {
        t += 1;
        u8(&e, 0x80 | (1u << 5) | (t & 0x1F));
        u8(&e, 130 + i % 5);
        uint_n(&e, i * 300u, 4, false);
    }
    size_t n = wrap(&e, file, 14, true);
    postrun_activity *a = NULL;
    assert_int_equal(load(file, n, 0, &a, NULL), POSTRUN_OK);
    assert_int_equal(postrun_activity_sample_count(a), 41);
    postrun_activity_sample s = POSTRUN_ACTIVITY_SAMPLE_INIT;
    postrun_activity_get_sample(a, 40, &s);
    assert_true(s.time_s == 40);
    assert_true(s.heart_rate_bpm == 130);
    assert_true(s.distance_m == 120);
    postrun_activity_free(a);
}

static void test_chained_files_are_read_one_after_the_other(void **state)
{
    (void)state;
    enc e = {.n = 0};
    simple_run(&e, 100, false, 1);
    size_t n = wrap(&e, file, 14, true);
    enc e2 = {.n = 0};
    simple_run(&e2, 100, true, 1);
    /* The second file starts later: shift its times by rewriting nothing, the samples going
     * back in time are dropped, so chain a copy of the first too. */
    size_t n2 = wrap(&e2, file + n, 12, false);
    postrun_activity *a = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(load(file, n + n2, 0, &a, &err), POSTRUN_OK);
    /* Same times again: the second file's samples at equal times are kept, none go back. */
    assert_int_equal(postrun_activity_sample_count(a), 101);
    postrun_activity_free(a);
    /* Bytes after a file that do not start one are refused with their offset. */
    memcpy(file + n, "garbage!!!!!!!", 14);
    assert_int_equal(load(file, n + 14, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    char want[64];
    snprintf(want, sizeof want, "byte %zu:", n);
    assert_non_null(strstr(err.message, want));
    postrun_error_clear(&err);
}

static void test_a_corrupt_byte_fails_the_crc_with_its_offset(void **state)
{
    (void)state;
    enc e = {.n = 0};
    simple_run(&e, 50, false, 1);
    size_t n = wrap(&e, file, 14, true);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity *a = NULL;
    file[100] ^= 0x10;
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_null(a);
    assert_non_null(strstr(err.message, "CRC"));
    assert_string_equal(err.file, "t.fit");
    file[100] ^= 0x10;
    file[3] ^= 1; /* the header's CRC */
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "byte 12: the FIT file header's CRC"));
    postrun_error_clear(&err);
}

static void test_every_truncation_is_refused_without_a_crash(void **state)
{
    (void)state;
    enc e = {.n = 0};
    simple_run(&e, 20, false, 1);
    size_t n = wrap(&e, file, 14, true);
    for (size_t k = 0; k < n; k++) {
        postrun_activity *a = NULL;
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_status rc = load(file, k, 0, &a, &err);
        if (rc == POSTRUN_OK || a || !strstr(err.message, "byte"))
            fail_msg("cut at %zu: %d %s", k, (int)rc, err.message);
        postrun_error_clear(&err);
    }
}

static void test_broken_records_name_their_byte(void **state)
{
    (void)state;
    struct { const char *what; void (*make)(enc *); const char *text; } cases[] = {
        {"data without definition", NULL, "no definition precedes"},
    };
    (void)cases;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity *a = NULL;
    /* A data message of an undefined local type. */
    enc e = {.n = 0};
    u8(&e, 0x03);
    size_t n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "byte 12: data message of local type 3"));
    /* A compressed timestamp before any timestamp. */
    e.n = 0;
    u8(&e, 0x85);
    n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "compressed timestamp before any timestamp"));
    /* An unknown base type, a field of 0 bytes, an unknown architecture. */
    static const fdef bad_type[] = {{3, 1, 0x1F}}, zero[] = {{3, 0, 0x02}};
    e.n = 0;
    define(&e, 0, false, 20, bad_type, 1, 0, 0);
    n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "byte 20: field 3 of message 20 has base type 0x1f"));
    e.n = 0;
    define(&e, 0, false, 20, zero, 1, 0, 0);
    n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "size of 0 bytes"));
    e.n = 0;
    define(&e, 0, false, 20, zero, 1, 0, 0);
    e.b[2] = 7;
    n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "architecture 7"));
    /* No records at all. */
    e.n = 0;
    n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_MISSING);
    /* Not FIT, not XML. */
    assert_int_equal(load((const unsigned char *)"hello", 5, 0, &a, &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "not an activity file"));
    postrun_error_clear(&err);
}

static void test_other_sports_and_files_are_refused_unless_any_sport(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity *a = NULL;
    enc e = {.n = 0};
    simple_run(&e, 30, false, 2); /* cycling */
    size_t n = wrap(&e, file, 14, true);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_VALUE);
    assert_string_equal(err.field, "sport");
    assert_non_null(strstr(err.message, "cycling activity, not a run"));
    assert_int_equal(load(file, n, POSTRUN_ACTIVITY_ANY_SPORT, &a, &err), POSTRUN_OK);
    assert_string_equal(postrun_activity_get_summary(a)->sport, "cycling");
    postrun_activity_free(a);
    a = NULL;
    /* A settings file. */
    e.n = 0;
    static const fdef fid[] = {{0, 1, 0x00}};
    define(&e, 0, false, 0, fid, 1, 0, 0);
    u8(&e, 0);
    u8(&e, 2);
    n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, POSTRUN_ACTIVITY_ANY_SPORT, &a, &err), POSTRUN_ERR_VALUE);
    assert_non_null(strstr(err.message, "byte 21: this is a FIT settings file, not an activity"));
    postrun_error_clear(&err);
}

static void test_a_timer_pause_is_not_moving_time(void **state)
{
    (void)state;
    enc e = {.n = 0};
    static const fdef rec[] = {{253, 4, 0x86}, {5, 4, 0x86}};
    static const fdef ev[] = {{253, 4, 0x86}, {0, 1, 0x00}, {1, 1, 0x00}};
    define(&e, 0, false, 20, rec, 2, 0, 0);
    define(&e, 1, false, 21, ev, 3, 0, 0);
    for (unsigned i = 0; i < 200; i++) {
        if (i == 100) { /* timer stopped for 10 minutes, then started */
            u8(&e, 1);
            uint_n(&e, T0 + 99, 4, false);
            u8(&e, 0);
            u8(&e, 4);
        }
        u8(&e, 0);
        uint_n(&e, T0 + i + (i >= 100 ? 600 : 0), 4, false);
        uint_n(&e, i * 300u, 4, false);
    }
    size_t n = wrap(&e, file, 12, false);
    postrun_activity *a = NULL;
    assert_int_equal(load(file, n, 0, &a, NULL), POSTRUN_OK);
    const postrun_activity_summary *s = postrun_activity_get_summary(a);
    assert_true(fabs(s->elapsed_min - 799 / 60.0) < 1e-9);
    assert_true(fabs(s->moving_min - 198 / 60.0) < 1e-9);
    postrun_activity_sample smp = POSTRUN_ACTIVITY_SAMPLE_INIT;
    postrun_activity_get_sample(a, 100, &smp);
    assert_int_equal(smp.after_pause, 1);
    postrun_activity_free(a);
}

/* ---- the same run as FIT, TCX and GPX ---- */

static size_t write_xml(char *buf, size_t size, int gpx, unsigned n)
{
    size_t len = 0;
#define OUT(...) len += (size_t)snprintf(buf + len, size - len, __VA_ARGS__)
    if (gpx)
        OUT("<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\" "
            "xmlns=\"http://www.topografix.com/GPX/1/1\" "
            "xmlns:x=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v2\">\n"
            "<trk><type>running</type><trkseg>\n");
    else
        OUT("<?xml version=\"1.0\"?>\n<TrainingCenterDatabase "
            "xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">"
            "<Activities><Activity Sport=\"Running\"><Id>x</Id>"
            "<Lap StartTime=\"2001-09-09T01:46:40Z\"><TotalTimeSeconds>%u</TotalTimeSeconds>"
            "<Track>\n", n - 1);
    for (unsigned i = 0; i < n; i++) {
        time_t t = 1000000000 + i;
        struct tm tm;
        gmtime_r(&t, &tm);
        char ts[32];
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        double lat = (500000000 + (int32_t)i * 1000) * (180.0 / 2147483648.0);
        double lon = -100000000 * (180.0 / 2147483648.0);
        double alt = 100 + i * 0.5;
        if (gpx)
            OUT("<trkpt lat=\"%.10f\" lon=\"%.10f\"><ele>%.1f</ele><time>%s</time>"
                "<extensions><x:TrackPointExtension><x:hr>%u</x:hr><x:atemp>20</x:atemp>"
                "</x:TrackPointExtension></extensions></trkpt>\n", lat, lon, alt, ts, 140 + i % 10);
        else
            OUT("<Trackpoint><Time>%s</Time><Position><LatitudeDegrees>%.10f</LatitudeDegrees>"
                "<LongitudeDegrees>%.10f</LongitudeDegrees></Position>"
                "<AltitudeMeters>%.1f</AltitudeMeters>"
                "<HeartRateBpm><Value>%u</Value></HeartRateBpm></Trackpoint>\n",
                ts, lat, lon, alt, 140 + i % 10);
    }
    OUT(gpx ? "</trkseg></trk></gpx>\n" : "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n");
#undef OUT
    return len;
}

static void test_the_same_run_in_each_format_gives_the_same_summary(void **state)
{
    (void)state;
    /* FIT without a distance field: distances along the positions, as in GPX and this TCX. */
    enc e = {.n = 0};
    static const fdef rec[] = {{253, 4, 0x86}, {0, 4, 0x85}, {1, 4, 0x85}, {2, 2, 0x84},
                               {3, 1, 0x02}};
    define(&e, 0, false, 20, rec, 5, 0, 0);
    for (unsigned i = 0; i < 300; i++) {
        u8(&e, 0);
        uint_n(&e, T0 + i, 4, false);
        uint_n(&e, (uint32_t)(500000000 + (int32_t)i * 1000), 4, false);
        uint_n(&e, (uint32_t)(int32_t)-100000000, 4, false);
        uint_n(&e, (uint64_t)((100 + i * 0.5 + 500) * 5), 2, false);
        u8(&e, 140 + i % 10);
    }
    size_t n = wrap(&e, file, 14, true);
    postrun_activity *a[3] = {NULL, NULL, NULL};
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(load(file, n, 0, &a[0], &err), POSTRUN_OK);
    static char xml[1 << 17];
    for (int gpx = 0; gpx < 2; gpx++) {
        size_t len = write_xml(xml, sizeof xml, gpx, 300);
        if (postrun_activity_load(&a[1 + gpx], kb, "t.xml", xml, len, NULL, &err) != POSTRUN_OK)
            fail_msg("%s", err.message);
    }
    const postrun_activity_summary *f = postrun_activity_get_summary(a[0]);
    assert_true(f->distance_km > 0.3);
    for (int k = 1; k < 3; k++) {
        const postrun_activity_summary *s = postrun_activity_get_summary(a[k]);
        assert_string_equal(s->format, k == 1 ? "tcx" : "gpx");
        assert_string_equal(s->sport, "running");
        assert_string_equal(s->started_at, f->started_at);
        assert_true(fabs(s->distance_km - f->distance_km) < 1e-6);
        assert_true(s->moving_min == f->moving_min);
        assert_true(s->avg_hr_bpm == f->avg_hr_bpm);
        assert_true(fabs(s->elevation_gain_m - f->elevation_gain_m) < 1e-3);
        assert_true(fabs(s->energy_kcal_per_kg - f->energy_kcal_per_kg) < 1e-6);
    }
    for (int k = 0; k < 3; k++)
        postrun_activity_free(a[k]);
    postrun_error_clear(&err);
}

static void test_broken_xml_names_its_line_and_element(void **state)
{
    (void)state;
    struct { const char *text; postrun_status code; uint32_t line; const char *field, *msg; } C[] = {
        {"<gpx xmlns=\"http://www.topografix.com/GPX/1/1\"><trk>", POSTRUN_ERR_SYNTAX, 1, "",
         "XML: "},
        {"<kml></kml>", POSTRUN_ERR_VALUE, 1, "kml", "root element is <kml>"},
        {"<gpx xmlns=\"http://www.topografix.com/GPX/1/0\">\n<trk><trkseg><trkpt lat=\"x\" lon=\"1\"/>"
         "</trkseg></trk></gpx>", POSTRUN_ERR_TYPE, 2, "trkpt.lat", "not a number"},
        {"<gpx>\n<trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>yesterday</time></trkpt>"
         "</trkseg></trk></gpx>", POSTRUN_ERR_VALUE, 2, "time", "not a date and time"},
        {"<!DOCTYPE gpx [<!ENTITY a \"aaaa\">]><gpx>&a;</gpx>", POSTRUN_ERR_LIMIT, 1, "DOCTYPE",
         "entity declarations"},
        {"<gpx><trk><type>Biking</type><trkseg><trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:00Z"
         "</time></trkpt></trkseg></trk></gpx>", POSTRUN_ERR_VALUE, 0, "sport", "biking activity"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"/></trkseg></trk></gpx>", POSTRUN_ERR_MISSING,
         0, "", "no timed samples"},
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        postrun_activity *a = NULL;
        postrun_error err = POSTRUN_ERROR_INIT;
        postrun_status rc = postrun_activity_load(&a, kb, "t.gpx", C[i].text, strlen(C[i].text),
                                                  NULL, &err);
        if (rc != C[i].code || err.line != C[i].line || strcmp(err.field, C[i].field) != 0 ||
            !strstr(err.message, C[i].msg) || a)
            fail_msg("case %zu: %d %u [%s] %s", i, (int)rc, err.line, err.field, err.message);
        postrun_error_clear(&err);
    }
}

/* ---- into a run ---- */

static void test_a_report_wins_over_the_file_and_assumptions_say_what_came_from_it(void **state)
{
    (void)state;
    enc e = {.n = 0};
    simple_run(&e, 1200, false, 1);
    size_t n = wrap(&e, file, 14, true);
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_run *run = NULL;
    const char *report = "postrun: 1\nathlete: {body_mass_kg: 70}\nrun: {distance_km: 4}\n";
    /* A report without run.duration_min, read into a run that has the activity. */
    postrun_activity *act = NULL;
    assert_int_equal(postrun_activity_load(&act, kb, "t.fit", file, n, NULL, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_new(&run, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_set_activity(run, act, &err), POSTRUN_OK);
    postrun_stream *st = NULL;
    assert_int_equal(postrun_stream_open_string(&st, kb, report, strlen(report), "r.yaml", &err),
                     POSTRUN_OK);
    if (postrun_stream_next(st, run, &err) != POSTRUN_OK)
        fail_msg("%s", err.message);
    postrun_stream_free(st);
    double v;
    assert_int_equal(postrun_run_get_number(run, "run.distance_km", &v, NULL), POSTRUN_OK);
    assert_true(v == 4);
    assert_int_equal(postrun_run_get_number(run, "run.duration_min", &v, NULL), POSTRUN_OK);
    assert_true(fabs(v - 1199 / 60.0) < 1e-9);
    assert_int_equal(postrun_run_get_number(run, "environment.temperature_c", &v, NULL), POSTRUN_OK);
    assert_true(v == 20);
    postrun_assessment *a = NULL;
    assert_int_equal(postrun_assessment_new(&a, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    bool duration = false, temperature = false, distance = false;
    for (size_t i = 0; i < postrun_assessment_assumption_count(a); i++) {
        const char *t = postrun_assessment_assumption(a, i);
        duration |= strstr(t, "duration taken from the activity file") != NULL;
        temperature |= strstr(t, "watch's own thermometer") != NULL;
        distance |= strstr(t, "distance_km taken") != NULL;
    }
    assert_true(duration && temperature && !distance);
    /* A value set afterwards is the caller's own. */
    assert_int_equal(postrun_run_set_number(run, "run.duration_min", 30, &err), POSTRUN_OK);
    assert_int_equal(postrun_assess(a, run, &err), POSTRUN_OK);
    for (size_t i = 0; i < postrun_assessment_assumption_count(a); i++)
        assert_null(strstr(postrun_assessment_assumption(a, i), "duration_min taken"));
    postrun_assessment_free(a);
    /* Loaded straight into a run, the activity is not kept. */
    postrun_run_clear(run);
    assert_int_equal(postrun_run_set_activity(run, NULL, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_load_activity(run, kb, "t.fit", file, n, NULL, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_get_number(run, "run.distance_km", &v, NULL), POSTRUN_OK);
    assert_true(fabs(v - 1199 * 3 / 1000.0) < 1e-9);
    postrun_run_free(run);
    postrun_activity_free(act);
    postrun_error_clear(&err);
}

static void test_bad_arguments_are_refused(void **state)
{
    (void)state;
    postrun_activity *a = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_activity_load(NULL, kb, "x", "x", 1, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_activity_load(&a, NULL, "x", "x", 1, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_activity_load(&a, kb, NULL, NULL, 0, NULL, &err), POSTRUN_ERR_ARGUMENT);
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(postrun_activity_load(&a, kb, "x", "x", 1, &o, &err), POSTRUN_ERR_ARGUMENT);
    o = (postrun_activity_options)POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.max_hr_bpm = -1;
    assert_int_equal(postrun_activity_load(&a, kb, "x", "x", 1, &o, &err), POSTRUN_ERR_RANGE);
    assert_int_equal(postrun_activity_load(&a, kb, "/nonexistent/x.fit", NULL, 0, NULL, &err),
                     POSTRUN_ERR_IO);
    assert_int_equal(postrun_run_set_activity(NULL, NULL, &err), POSTRUN_ERR_ARGUMENT);
    assert_int_equal(postrun_run_load_activity(NULL, kb, "x", "x", 1, NULL, &err),
                     POSTRUN_ERR_ARGUMENT);
    assert_null(postrun_activity_get_summary(NULL));
    assert_int_equal(postrun_activity_sample_count(NULL), 0);
    postrun_activity_free(NULL);
    postrun_error_clear(&err);
}

/* ---- corners ---- */

static postrun_status load_text(const char *text, unsigned flags, postrun_activity **a,
                                postrun_error *err)
{
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.flags = flags;
    return postrun_activity_load(a, kb, "t.xml", text, strlen(text), &o, err);
}

static void test_every_tcx_and_gpx_value_is_read_and_checked(void **state)
{
    (void)state;
    static const char *const TCX =
        "\xEF\xBB\xBF <TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/"
        "TrainingCenterDatabase/v2\" xmlns:x=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">"
        "<Activities><Activity Sport=\"Running\"><Lap StartTime=\"2020-01-01T00:00:00.5+01:00\">"
        "<TotalTimeSeconds>60</TotalTimeSeconds><DistanceMeters>200</DistanceMeters>"
        "<AverageHeartRateBpm><Value>150</Value></AverageHeartRateBpm>"
        "<MaximumHeartRateBpm><Value>170</Value></MaximumHeartRateBpm><Track>"
        "<Trackpoint><Time>2020-01-01T00:00:00Z</Time><DistanceMeters>0</DistanceMeters>"
        "<Cadence>80</Cadence><Extensions><x:TPX><x:Speed>3.5</x:Speed><x:RunCadence>85</x:RunCadence>"
        "</x:TPX></Extensions></Trackpoint></Track><Track>"
        "<Trackpoint><Time>2020-01-01T00:01:00Z</Time><DistanceMeters>200</DistanceMeters>"
        "<HeartRateBpm><Value>150</Value></HeartRateBpm></Trackpoint></Track></Lap>"
        "</Activity></Activities></TrainingCenterDatabase>";
    postrun_activity *a = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    if (load_text(TCX, 0, &a, &err) != POSTRUN_OK)
        fail_msg("%s", err.message);
    const postrun_activity_summary *s = postrun_activity_get_summary(a);
    assert_true(s->device_distance_km == 0.2 && s->device_moving_min == 1);
    assert_true(s->device_avg_hr_bpm == 150 && s->device_max_hr_bpm == 170);
    assert_string_equal(s->started_at, "2019-12-31T23:00:00Z");
    postrun_activity_sample smp = POSTRUN_ACTIVITY_SAMPLE_INIT;
    postrun_activity_get_sample(a, 0, &smp);
    assert_true(smp.cadence_rpm == 80 && fabs(smp.speed_m_s - 3.5) < 1e-6);
    postrun_activity_get_sample(a, 1, &smp);
    assert_int_equal(smp.after_pause, 1);
    postrun_activity_free(a);

    static const char *const GPX =
        "<gpx xmlns=\"http://www.topografix.com/GPX/1/0\"><trk><type>Trail Running</type><trkseg>"
        "<trkpt lat=\"1\" lon=\"2\"><time>2020-01-01T00:00:00</time><speed>2.5</speed></trkpt>"
        "<trkpt lat=\"1.001\" lon=\"2\"><time>2020-01-01T00:01:00Z</time></trkpt>"
        "</trkseg></trk></gpx>";
    assert_int_equal(load_text(GPX, 0, &a, &err), POSTRUN_OK);
    s = postrun_activity_get_summary(a);
    assert_string_equal(s->sport, "running");
    assert_string_equal(s->sub_sport, "trail");
    postrun_activity_free(a);

    /* A bad value in each element that holds a number or a time. */
    static const char *const BAD[][2] = {
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"x\"/></trkseg></trk></gpx>", "trkpt.lon"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\"/></trkseg></trk></gpx>", "trkpt"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><ele>high</ele></trkpt></trkseg></trk></gpx>", "ele"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><speed>-1</speed></trkpt></trkseg></trk></gpx>", "speed"},
        {"<gpx xmlns:t=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><trkseg>"
         "<trkpt lat=\"1\" lon=\"1\"><t:hr>300</t:hr></trkpt></trkseg></trk></gpx>", "hr"},
        {"<gpx xmlns:t=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><trkseg>"
         "<trkpt lat=\"1\" lon=\"1\"><t:cad>x</t:cad></trkpt></trkseg></trk></gpx>", "cad"},
        {"<gpx xmlns:t=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><trkseg>"
         "<trkpt lat=\"1\" lon=\"1\"><t:atemp>999</t:atemp></trkpt></trkseg></trk></gpx>", "atemp"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:00+25:00</time>"
         "</trkpt></trkseg></trk></gpx>", "time"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>2020-13-01T00:00:00Z</time>"
         "</trkpt></trkseg></trk></gpx>", "time"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:0xZ</time>"
         "</trkpt></trkseg></trk></gpx>", "time"},
        {"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:00Zjunk</time>"
         "</trkpt></trkseg></trk></gpx>", "time"},
    };
    static const char *const TCX_BAD[][2] = {
        {"<Lap StartTime=\"noon\">", "Lap.StartTime"},
        {"<Lap><TotalTimeSeconds>x</TotalTimeSeconds>", "TotalTimeSeconds"},
        {"<Lap><DistanceMeters>-5</DistanceMeters>", "DistanceMeters"},
        {"<Lap><AverageHeartRateBpm><Value>x</Value></AverageHeartRateBpm>", "Value"},
        {"<Lap><MaximumHeartRateBpm><Value>999</Value></MaximumHeartRateBpm>", "Value"},
        {"<Lap><Track><Trackpoint><Position><LatitudeDegrees>91</LatitudeDegrees></Position>", "LatitudeDegrees"},
        {"<Lap><Track><Trackpoint><Position><LongitudeDegrees>x</LongitudeDegrees></Position>", "LongitudeDegrees"},
        {"<Lap><Track><Trackpoint><AltitudeMeters>x</AltitudeMeters>", "AltitudeMeters"},
        {"<Lap><Track><Trackpoint><DistanceMeters>x</DistanceMeters>", "DistanceMeters"},
        {"<Lap><Track><Trackpoint><HeartRateBpm><Value>x</Value></HeartRateBpm>", "Value"},
        {"<Lap><Track><Trackpoint><Cadence>x</Cadence>", "Cadence"},
        {"<Lap><Track><Trackpoint><Time>x</Time>", "Time"},
    };
    char text[1024];
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0] + sizeof TCX_BAD / sizeof TCX_BAD[0]; i++) {
        size_t k = i - sizeof BAD / sizeof BAD[0];
        if (i < sizeof BAD / sizeof BAD[0])
            snprintf(text, sizeof text, "%s", BAD[i][0]);
        else
            snprintf(text, sizeof text,
                     "<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/"
                     "TrainingCenterDatabase/v2\"><Activities><Activity>%s", TCX_BAD[k][0]);
        const char *field = i < sizeof BAD / sizeof BAD[0] ? BAD[i][1] : TCX_BAD[k][1];
        postrun_status rc = load_text(text, 0, &a, &err);
        if (rc == POSTRUN_OK || strcmp(err.field, field) != 0 || err.line != 1 || a)
            fail_msg("case %zu: %d [%s] %s", i, (int)rc, err.field, err.message);
    }
    postrun_error_clear(&err);
}

static void test_fit_corners_are_read(void **state)
{
    (void)state;
    postrun_activity *a = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    /* Every file type is named. */
    static const unsigned TYPES[] = {1, 2, 3, 5, 6, 7, 9, 10, 11, 14, 15, 20, 28, 32, 34, 35, 99};
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        enc e = {.n = 0};
        static const fdef fid[] = {{0, 1, 0x00}};
        define(&e, 0, false, 0, fid, 1, 0, 0);
        u8(&e, 0);
        u8(&e, TYPES[i]);
        size_t n = wrap(&e, file, 12, false);
        assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_VALUE);
        assert_non_null(strstr(err.message, "not an activity"));
    }
    /* A lap (no session) names the sport and gives the totals; the sport message too; a
     * treadmill sub-sport becomes the run's surface. */
    enc e = {.n = 0};
    static const fdef rec[] = {{253, 4, 0x86}, {5, 4, 0x86}};
    static const fdef sport[] = {{0, 1, 0x00}, {1, 1, 0x00}};
    static const fdef lap[] = {{253, 4, 0x86}, {2, 4, 0x86}, {8, 4, 0x86}, {9, 4, 0x86},
                               {15, 1, 0x02}, {16, 1, 0x02}, {25, 1, 0x00}, {39, 1, 0x00}};
    define(&e, 0, false, 20, rec, 2, 0, 0);
    define(&e, 1, false, 12, sport, 2, 0, 0);
    define(&e, 2, false, 19, lap, 8, 0, 0);
    u8(&e, 1);
    u8(&e, 1);
    u8(&e, 1); /* running, treadmill */
    for (unsigned i = 0; i < 120; i++) {
        u8(&e, 0);
        uint_n(&e, T0 + i, 4, false);
        uint_n(&e, i * 300u, 4, false);
    }
    for (unsigned k = 0; k < 2; k++) {
        u8(&e, 2);
        uint_n(&e, T0 + 119, 4, false);
        uint_n(&e, T0 + k * 60, 4, false);
        uint_n(&e, 60000, 4, false);
        uint_n(&e, 18000, 4, false);
        u8(&e, 140 + k * 10);
        u8(&e, 160 + k);
        u8(&e, 1);
        u8(&e, 1);
    }
    size_t n = wrap(&e, file, 14, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_OK);
    const postrun_activity_summary *s = postrun_activity_get_summary(a);
    assert_string_equal(s->sport, "running");
    assert_string_equal(s->sub_sport, "treadmill");
    assert_true(s->device_moving_min == 2 && s->device_distance_km == 0.36);
    assert_true(s->device_avg_hr_bpm == 145 && s->device_max_hr_bpm == 161);
    postrun_run *run = NULL;
    assert_int_equal(postrun_run_new(&run, kb, &err), POSTRUN_OK);
    assert_int_equal(postrun_run_set_activity(run, a, &err), POSTRUN_OK);
    const char *surface;
    assert_int_equal(postrun_run_get_string(run, "run.surface", &surface, NULL), POSTRUN_OK);
    assert_string_equal(surface, "treadmill");
    assert_int_equal(postrun_run_set_activity(run, NULL, &err), POSTRUN_OK);
    postrun_run_free(run);
    postrun_activity_free(a);
    /* Sessions of two sports: a multisport file. */
    e.n = 0;
    static const fdef ses[] = {{253, 4, 0x86}, {5, 1, 0x00}};
    define(&e, 0, false, 20, rec, 2, 0, 0);
    define(&e, 1, false, 18, ses, 2, 0, 0);
    u8(&e, 0);
    uint_n(&e, T0, 4, false);
    uint_n(&e, 0, 4, false);
    for (unsigned k = 0; k < 2; k++) {
        u8(&e, 1);
        uint_n(&e, T0, 4, false);
        u8(&e, k ? 2 : 1);
    }
    n = wrap(&e, file, 12, false);
    assert_int_equal(load(file, n, 0, &a, &err), POSTRUN_ERR_VALUE);
    assert_non_null(strstr(err.message, "multisport"));
    /* An unknown sport number and a generic sport. */
    for (unsigned sp = 0; sp < 2; sp++) {
        e.n = 0;
        simple_run(&e, 30, false, sp ? 77 : 0);
        n = wrap(&e, file, 12, false);
        postrun_status rc = load(file, n, 0, &a, &err);
        assert_int_equal(rc, sp ? POSTRUN_ERR_VALUE : POSTRUN_OK);
        if (sp)
            assert_non_null(strstr(err.message, "fit sport 77"));
        else
            assert_string_equal(postrun_activity_get_summary(a)->sport, "generic");
        postrun_activity_free(a);
        a = NULL;
    }
    postrun_error_clear(&err);
}

static void test_activity_files_are_read_from_disk(void **state)
{
    (void)state;
    char path[] = "/tmp/postrun-activity-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    enc e = {.n = 0};
    simple_run(&e, 3000, false, 1); /* more than one read buffer */
    size_t n = wrap(&e, file, 14, true);
    assert_true(write(fd, file, n) == (ssize_t)n);
    close(fd);
    postrun_activity *a = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    assert_int_equal(postrun_activity_load(&a, kb, path, NULL, 0, NULL, &err), POSTRUN_OK);
    assert_int_equal(postrun_activity_sample_count(a), 3000);
    postrun_activity_free(a);
    /* A directory cannot be read. */
    assert_int_equal(postrun_activity_load(&a, kb, "/tmp", NULL, 0, NULL, &err), POSTRUN_ERR_IO);
    unlink(path);
    postrun_error_clear(&err);
}

/* ---- hostile input, allocation failure ---- */

static void test_hostile_files_are_refused_in_bounded_memory(void **state)
{
    (void)state;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity *a = NULL;
    /* More samples than 72 hours at one a second: refused, not read halfway. */
    size_t n_rec = ACT_MAX_SAMPLES + 1, cap = 64 + n_rec * 9;
    unsigned char *big = malloc(cap + 16), *body = malloc(cap);
    assert_non_null(big);
    assert_non_null(body);
    size_t n;
    /* Each record a time and a heart rate (a time alone is not a sample). */

    static const unsigned char def2[] = {0x40, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02};
    memcpy(body, def2, sizeof def2);
    n = sizeof def2;
    for (size_t i = 0; i < n_rec; i++) {
        body[n++] = 0;
        uint32_t t = T0 + (uint32_t)i;
        for (int k = 0; k < 4; k++)
            body[n++] = (unsigned char)(t >> (8 * k));
        body[n++] = 150;
    }
    assert_true(n + 14 <= cap + 16);
    /* wrap() takes an enc: write the header and CRC by hand for this size. */
    unsigned char head[12] = {12, 0x20, 0x54, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T'};
    for (int k = 0; k < 4; k++)
        head[4 + k] = (unsigned char)(n >> (8 * k));
    memcpy(big, head, 12);
    memcpy(big + 12, body, n);
    uint16_t crc = pr_act_fit_crc(0, big, 12 + n);
    big[12 + n] = crc & 0xFF;
    big[13 + n] = crc >> 8;
    counting_alloc c;
    counting_start(&c, 0);
    assert_int_equal(load(big, n + 14, 0, &a, &err), POSTRUN_ERR_LIMIT);
    counting_stop();
    assert_int_equal(c.live, 0);
    assert_true(c.peak < 16u << 20);
    assert_non_null(strstr(err.message, "more than 259200 samples"));
    free(body);
    free(big);
    /* Deep nesting and endless values in XML. */
    static char xml[1 << 16];
    size_t len = (size_t)snprintf(xml, sizeof xml, "<gpx>");
    for (int i = 0; i < 100; i++)
        len += (size_t)snprintf(xml + len, sizeof xml - len, "<trk>");
    assert_int_equal(postrun_activity_load(&a, kb, "deep.gpx", xml, len, NULL, &err),
                     POSTRUN_ERR_LIMIT);
    assert_non_null(strstr(err.message, "nested deeper than 64"));
    len = (size_t)snprintf(xml, sizeof xml, "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><ele>");
    for (int i = 0; i < 1000; i++)
        xml[len++] = '1';
    len += (size_t)snprintf(xml + len, sizeof xml - len, "</ele></trkpt></trkseg></trk></gpx>");
    assert_int_equal(postrun_activity_load(&a, kb, "long.gpx", xml, len, NULL, &err),
                     POSTRUN_ERR_LIMIT);
    assert_string_equal(err.field, "ele");
    postrun_error_clear(&err);
}

static void test_allocation_failure_anywhere_leaks_nothing(void **state)
{
    (void)state;
    enc e = {.n = 0};
    simple_run(&e, 3000, false, 1);
    size_t n = wrap(&e, file, 14, true);
    static char xml[1 << 17];
    size_t len = write_xml(xml, sizeof xml, 1, 200);
    for (int k = 0; k < 2; k++) {
        const void *data = k ? (const void *)xml : file;
        size_t size = k ? len : n;
        for (long fail_at = 1;; fail_at++) {
            counting_alloc c;
            postrun_activity *a = NULL;
            postrun_error err = POSTRUN_ERROR_INIT;
            counting_start(&c, fail_at);
            postrun_status rc = postrun_activity_load(&a, kb, "oom", data, size, NULL, &err);
            char msg[512];
            pr_strlcpy(msg, err.message, sizeof msg);
            postrun_activity_free(a);
            postrun_error_clear(&err);
            counting_stop();
            if (c.live != 0)
                fail_msg("format %d, allocation %ld fails: %ld blocks left", k, fail_at, c.live);
            if (rc == POSTRUN_OK)
                break;
            if (rc != POSTRUN_ERR_NOMEM)
                fail_msg("format %d, allocation %ld fails: status %d %s", k, fail_at, (int)rc, msg);
        }
    }
}

/* ---- real device files ---- */

#define SHARED POSTRUN_SOURCE_ROOT "/../shared/activities/"

static bool shared_present(void) { FILE *fp = fopen(SHARED "README.md", "r"); if (fp) fclose(fp); return fp != NULL; }

static postrun_activity *load_shared(const char *name, unsigned flags)
{
    postrun_activity *a = NULL;
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity_options o = POSTRUN_ACTIVITY_OPTIONS_INIT;
    o.flags = flags;
    char path[512];
    snprintf(path, sizeof path, SHARED "%s", name);
    if (postrun_activity_load(&a, kb, path, NULL, 0, &o, &err) != POSTRUN_OK)
        fail_msg("%s: %s", name, err.message);
    postrun_error_clear(&err);
    return a;
}

/* Every record against the reference CSV (another decoder's output). */
static void compare_csv(const char *fit, const char *csv, unsigned flags, bool raw_time)
{
    postrun_activity *a = load_shared(fit, flags);
    char path[512];
    snprintf(path, sizeof path, SHARED "%s", csv);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    size_t i = 0;
    double t0 = NAN;
    while (fgets(line, sizeof line, fp)) {
        char *f[12] = {0};
        size_t nf = 0;
        for (char *p = strtok(line, ",\n"); p && nf < 12; p = strtok(NULL, ",\n"))
            f[nf++] = p;
        postrun_activity_sample s = POSTRUN_ACTIVITY_SAMPLE_INIT;
        assert_int_equal(postrun_activity_get_sample(a, i, &s), POSTRUN_OK);
#define EQ(got, text, tol)                                                                    \
    do {                                                                                      \
        double want_ = strcmp(text, "null") == 0 ? NAN : atof(text);                          \
        if (!(isnan(want_) ? isnan(got) : fabs((got) - want_) <= (tol)))                      \
            fail_msg("%s record %zu: %s = %g, reference %s", fit, i, #got, (double)(got), text); \
    } while (0)
        if (raw_time) {
            /* timestamp, heart rate, speed, distance, cadence */
            if (isnan(t0))
                t0 = atof(f[0]);
            assert_true(s.time_s == atof(f[0]) - t0);
            EQ(s.heart_rate_bpm, f[1], 0);
            EQ(s.speed_m_s, f[2], 1e-6);
            EQ(s.distance_m, f[3], 1e-9);
            EQ(s.cadence_rpm, f[4], 0);
        } else {
            /* timestamp, heart_rate, cadence, speed, distance, lat, long, altitude, temperature */
            EQ(s.heart_rate_bpm, f[1], 0);
            EQ(s.cadence_rpm, f[2], 0);
            EQ(s.speed_m_s, f[3], 1e-6);
            EQ(s.distance_m, f[4], 1e-9);
            EQ(s.latitude_deg * 2147483648.0 / 180.0, f[5], 1e-4);
            EQ(s.longitude_deg * 2147483648.0 / 180.0, f[6], 1e-4);
            EQ(s.altitude_m, f[7], 1e-4);
            EQ(s.temperature_c, f[8], 0);
        }
#undef EQ
        i++;
    }
    fclose(fp);
    assert_int_equal(postrun_activity_sample_count(a), i);
    postrun_activity_free(a);
}

static void test_real_fit_files_match_their_reference_decodings(void **state)
{
    (void)state;
    if (!shared_present())
        return; /* no device files on this machine */
    compare_csv("garmin-fenix-5-run.fit", "garmin-fenix-5-run-records.csv", 0, false);
    compare_csv("garmin-fenix-5-walk.fit", "garmin-fenix-5-walk-records.csv",
                POSTRUN_ACTIVITY_ANY_SPORT, false);
    compare_csv("compressed-speed-distance.fit", "compressed-speed-distance-records.csv", 0, true);
}

static void test_real_summaries_match_the_devices_own(void **state)
{
    (void)state;
    if (!shared_present())
        return;
    const char *files[] = {"compressed-speed-distance.fit", "garmin-fenix-5-run.fit", "no_hr.tcx"};
    for (size_t k = 0; k < 3; k++) {
        postrun_activity *a = load_shared(files[k], 0);
        const postrun_activity_summary *s = postrun_activity_get_summary(a);
        if (fabs(s->moving_min / s->device_moving_min - 1) > 0.02 ||
            fabs(s->distance_km / s->device_distance_km - 1) > 0.02 ||
            (!isnan(s->device_avg_hr_bpm) && fabs(s->avg_hr_bpm - s->device_avg_hr_bpm) > 3))
            fail_msg("%s: %g min %g km %g bpm; device %g min %g km %g bpm", files[k],
                     s->moving_min, s->distance_km, s->avg_hr_bpm, s->device_moving_min,
                     s->device_distance_km, s->device_avg_hr_bpm);
        postrun_activity_free(a);
    }
    postrun_error err = POSTRUN_ERROR_INIT;
    postrun_activity *a = NULL;
    assert_int_equal(postrun_activity_load(&a, kb, SHARED "activity-filecrc.fit", NULL, 0, NULL,
                                           &err), POSTRUN_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "byte 769: the FIT file's CRC"));
    assert_int_equal(postrun_activity_load(&a, kb, SHARED "garmin-fenix-5-walk.fit", NULL, 0, NULL,
                                           &err), POSTRUN_ERR_VALUE);
    assert_non_null(strstr(err.message, "walking"));
    postrun_error_clear(&err);
}

static int setup(void **state)
{
    (void)state;
    return postrun_kb_load_default(&kb, NULL) == POSTRUN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    postrun_kb_free(kb);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_header_forms_and_byte_orders_give_the_same_run),
        cmocka_unit_test(test_every_base_type_reads_its_value_and_its_invalid_value),
        cmocka_unit_test(test_compressed_timestamps_and_developer_fields_are_read),
        cmocka_unit_test(test_chained_files_are_read_one_after_the_other),
        cmocka_unit_test(test_a_corrupt_byte_fails_the_crc_with_its_offset),
        cmocka_unit_test(test_every_truncation_is_refused_without_a_crash),
        cmocka_unit_test(test_broken_records_name_their_byte),
        cmocka_unit_test(test_other_sports_and_files_are_refused_unless_any_sport),
        cmocka_unit_test(test_a_timer_pause_is_not_moving_time),
        cmocka_unit_test(test_the_same_run_in_each_format_gives_the_same_summary),
        cmocka_unit_test(test_broken_xml_names_its_line_and_element),
        cmocka_unit_test(test_a_report_wins_over_the_file_and_assumptions_say_what_came_from_it),
        cmocka_unit_test(test_bad_arguments_are_refused),
        cmocka_unit_test(test_hostile_files_are_refused_in_bounded_memory),
        cmocka_unit_test(test_every_tcx_and_gpx_value_is_read_and_checked),
        cmocka_unit_test(test_fit_corners_are_read),
        cmocka_unit_test(test_activity_files_are_read_from_disk),
        cmocka_unit_test(test_allocation_failure_anywhere_leaks_nothing),
        cmocka_unit_test(test_real_fit_files_match_their_reference_decodings),
        cmocka_unit_test(test_real_summaries_match_the_devices_own),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
