/*
 * FIT decoder (Garmin's Flexible and Interoperable data Transfer protocol, public): headers of
 * 12 and 14 bytes with their CRCs, the file CRC, definition and data messages over 16 local
 * types, compressed-timestamp headers, each definition's byte order, developer fields (skipped),
 * the invalid value of every base type, and chained files one after the other. Of the profile
 * it reads file_id, session, lap, record, event, sport and device_info, with their scales.
 *
 * One pass over the bytes, nothing allocated but the samples: every problem names the byte
 * offset where it stands. Each file's CRC is checked before its records are read, so a
 * corrupted file is refused as corrupted rather than by whatever its damaged bytes look like.
 */
#include <math.h>
#include <stdio.h>

#include "activity.h"

/* Global message numbers (FIT profile). */
enum {
    MSG_FILE_ID = 0,
    MSG_SPORT = 12,
    MSG_SESSION = 18,
    MSG_LAP = 19,
    MSG_RECORD = 20,
    MSG_EVENT = 21,
    MSG_DEVICE_INFO = 23,
};

enum { FIELD_TIMESTAMP = 253 };

/* Base types, by their number (the low 5 bits of the base type byte). */
enum { BT_COUNT = 17, BT_STRING = 7 };
static const uint8_t BT_SIZE[BT_COUNT] = {1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8};

typedef struct fit_field {
    uint8_t num, size, type; /* type: base type number */
} fit_field;

typedef struct fit_def {
    bool defined;
    bool big;        /* big-endian (architecture 1) */
    uint16_t global; /* global message number */
    uint8_t n;
    uint32_t size;     /* bytes of a data message, developer fields included */
    uint32_t dev_size; /* of which developer fields */
    fit_field field[255];
} fit_def;

/* The fields of one data message that the profile messages read: value by field number, NaN
 * when absent or invalid. `set` lists the numbers written, to reset only those. */
typedef struct fit_msg {
    double v[256];
    uint8_t set[255];
    size_t n_set;
    uint8_t csd[3]; /* record.compressed_speed_distance */
    bool has_csd;
} fit_msg;

typedef struct fit_ctx {
    act_data *d;
    postrun_error *err;
    const unsigned char *data;
    fit_def def[16];
    fit_msg msg;
    uint32_t last_ts;
    bool have_ts;
    double csd_dist_m; /* distance accumulated from compressed_speed_distance */
    int csd_last;      /* its last 12-bit counter, -1 before the first */
    act_device lap;    /* laps summed, for files without a session */
    bool has_session, has_lap;
    bool sport_from_session;
} fit_ctx;

uint16_t pr_act_fit_crc(uint16_t crc, const unsigned char *p, size_t n)
{
    static const uint16_t T[16] = {0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00,
                                   0x2800, 0xE401, 0xA001, 0x6C00, 0x7800, 0xB401,
                                   0x5000, 0x9C01, 0x8801, 0x4400};
    for (size_t i = 0; i < n; i++) {
        uint16_t t = T[crc & 0xF];
        crc = (uint16_t)(((crc >> 4) & 0x0FFF) ^ t ^ T[p[i] & 0xF]);
        t = T[crc & 0xF];
        crc = (uint16_t)(((crc >> 4) & 0x0FFF) ^ t ^ T[(p[i] >> 4) & 0xF]);
    }
    return crc;
}

static postrun_status fail(fit_ctx *c, postrun_status code, size_t off, const char *field,
                           const char *fmt, ...) PR_PRINTF(5, 6);
static postrun_status fail(fit_ctx *c, postrun_status code, size_t off, const char *field,
                           const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pr_err_add(c->err, code, POSTRUN_SEVERITY_ERROR, c->d->name, 0, 0, field,
                      "byte %zu: %s", off, msg);
}

static uint64_t read_uint(const unsigned char *p, unsigned size, bool big)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)p[big ? size - 1 - i : i] << (8 * i);
    return v;
}

static uint32_t le32(const unsigned char *p) { return (uint32_t)read_uint(p, 4, false); }
static uint16_t le16(const unsigned char *p) { return (uint16_t)read_uint(p, 2, false); }

/* The first element of a field as a number; NaN when it holds its base type's invalid value
 * (or is not a number at all: strings, bytes, a size that is not a whole number of elements). */
static double field_value(const unsigned char *p, const fit_field *f, bool big)
{
    unsigned sz = BT_SIZE[f->type];
    if (f->type == BT_STRING || f->size % sz != 0)
        return NAN;
    uint64_t u = read_uint(p, sz, big);
    switch (f->type) {
    case 0: /* enum */
    case 2: /* uint8 */
    case 13: /* byte */ return u == 0xFF ? NAN : (double)u;
    case 1: return u == 0x7F ? NAN : (double)(int8_t)(uint8_t)u;
    case 3: return u == 0x7FFF ? NAN : (double)(int16_t)(uint16_t)u;
    case 4: return u == 0xFFFF ? NAN : (double)u;
    case 5: return u == 0x7FFFFFFF ? NAN : (double)(int32_t)(uint32_t)u;
    case 6: return u == 0xFFFFFFFF ? NAN : (double)u;
    case 8: {
        if (u == 0xFFFFFFFF)
            return NAN;
        uint32_t b = (uint32_t)u;
        float x;
        memcpy(&x, &b, sizeof x);
        return isfinite(x) ? (double)x : NAN;
    }
    case 9: {
        if (u == UINT64_MAX)
            return NAN;
        double x;
        memcpy(&x, &u, sizeof x);
        return isfinite(x) ? x : NAN;
    }
    case 10: return u == 0 ? NAN : (double)u;
    case 11: return u == 0 ? NAN : (double)u;
    case 12: return u == 0 ? NAN : (double)u;
    case 14: return u == 0x7FFFFFFFFFFFFFFFull ? NAN : (double)(int64_t)u;
    case 15: return u == UINT64_MAX ? NAN : (double)u;
    default: /* 16: uint64z */ return u == 0 ? NAN : (double)u;
    }
}

static double get(const fit_ctx *c, int num) { return c->msg.v[num]; }

/* Scaled value (FIT profile: value / scale - offset); NaN stays NaN. */
static double scaled(const fit_ctx *c, int num, double scale, double offset)
{
    return get(c, num) / scale - offset;
}

/* ---- names ---- */

static const char *const SPORT_NAMES[] = {
    "generic",    "running",       "cycling",  "transition",   "fitness_equipment",
    "swimming",   "basketball",    "soccer",   "tennis",       "american_football",
    "training",   "walking",       "cross_country_skiing",     "alpine_skiing",
    "snowboarding", "rowing",      "mountaineering",           "hiking",
    "multisport", "paddling"};
static const char *const SUB_SPORT_NAMES[] = {"", "treadmill", "street", "trail", "track"};

static const char *file_type_name(unsigned t)
{
    switch (t) {
    case 1: return "device";
    case 2: return "settings";
    case 3: return "sport settings";
    case 5: return "workout";
    case 6: return "course";
    case 7: return "schedules";
    case 9: return "weight";
    case 10: return "totals";
    case 11: return "goals";
    case 14: return "blood pressure";
    case 15: return "monitoring";
    case 20: return "activity summary";
    case 28: return "daily monitoring";
    case 32: return "monitoring";
    case 34: return "segment";
    case 35: return "segment list";
    default: return NULL;
    }
}

/* An enumeration value as an unsigned code; UINT32_MAX for anything that is not one (a file may
 * declare an enum field with any base type: converting an out-of-range double is undefined). */
static unsigned enum_code(double v)
{
    return v >= 0 && v < 4294967295.0 ? (unsigned)v : UINT32_MAX;
}

static void set_sport(fit_ctx *c, double sport, double sub)
{
    act_data *d = c->d;
    if (isnan(sport))
        return;
    unsigned s = enum_code(sport);
    if (s < PR_ARRAY_LEN(SPORT_NAMES))
        pr_strlcpy(d->sport_name, SPORT_NAMES[s], sizeof d->sport_name);
    else
        snprintf(d->sport_name, sizeof d->sport_name, "fit sport %u", s);
    /* "generic" says nothing: the file is taken as a run, with an assumption saying so. */
    d->sport = s == 1 ? ACT_SPORT_RUNNING : s == 0 ? ACT_SPORT_UNKNOWN : ACT_SPORT_OTHER;
    if (!isnan(sub) && enum_code(sub) < PR_ARRAY_LEN(SUB_SPORT_NAMES))
        pr_strlcpy(d->sub_sport, SUB_SPORT_NAMES[enum_code(sub)], sizeof d->sub_sport);
}

/* ---- profile messages ---- */

static double fit_time(double ts) { return isnan(ts) ? ts : ts + ACT_FIT_EPOCH_UNIX; }

static postrun_status on_record(fit_ctx *c, size_t off, double ts)
{
    if (isnan(ts))
        return POSTRUN_OK; /* a record without a time cannot be placed in the series */
    act_sample s = pr_act_blank(fit_time(ts));
    double lat = get(c, 0), lon = get(c, 1);
    /* Semicircles are sint32; a file may declare another base type: out of range is no
     * position (and converting it to int32_t would be undefined). */
    if (!isnan(lat) && !isnan(lon) && lat >= INT32_MIN && lat <= INT32_MAX && lon >= INT32_MIN &&
        lon <= INT32_MAX) {
        s.lat = (int32_t)lat;
        s.lon = (int32_t)lon;
    }
    double alt = scaled(c, 78, 5, 500);
    if (isnan(alt))
        alt = scaled(c, 2, 5, 500);
    s.alt_m = (float)alt;
    double hr = get(c, 3);
    s.hr = !isnan(hr) && hr > 0 && hr < 255 ? (uint8_t)hr : 0;
    double cad = get(c, 4);
    s.cad = !isnan(cad) && cad >= 0 && cad < ACT_NO_CAD ? (uint8_t)cad : ACT_NO_CAD;
    s.dist_m = scaled(c, 5, 100, 0);
    if (!(s.dist_m >= 0))
        s.dist_m = NAN; /* a distance field declared signed can hold a negative: no distance */
    double speed = scaled(c, 73, 1000, 0);
    if (isnan(speed))
        speed = scaled(c, 6, 1000, 0);
    s.speed_m_s = (float)speed;
    s.temp_c = (float)get(c, 13);
    if (c->msg.has_csd) {
        /* 12 bits of speed (1/100 m/s) and a 12-bit rolling distance counter (1/16 m). */
        const uint8_t *b = c->msg.csd;
        int speed100 = b[0] | (b[1] & 0x0F) << 8;
        int counter = b[1] >> 4 | b[2] << 4;
        if (c->csd_last >= 0)
            c->csd_dist_m += ((counter - c->csd_last) & 0xFFF) / 16.0;
        c->csd_last = counter;
        if (isnan(s.speed_m_s))
            s.speed_m_s = (float)(speed100 / 100.0);
        if (isnan(s.dist_m))
            s.dist_m = c->csd_dist_m;
    }
    if (s.lat == ACT_NO_POS && isnan(s.alt_m) && !s.hr && s.cad == ACT_NO_CAD && isnan(s.dist_m) &&
        isnan(s.speed_m_s) && isnan(s.temp_c))
        return POSTRUN_OK; /* a time and nothing else (a device's first record) says nothing */
    char where[48];
    snprintf(where, sizeof where, "byte %zu", off);
    return pr_act_push(c->d, &s, c->err, where);
}

static postrun_status on_message(fit_ctx *c, const fit_def *def, size_t off, double ts)
{
    act_data *d = c->d;
    switch (def->global) {
    case MSG_FILE_ID: {
        double type = get(c, 0);
        if (!isnan(type) && type != 4) {
            const char *name = file_type_name(enum_code(type));
            if (name)
                snprintf(d->what, sizeof d->what, "a FIT %s file", name);
            else
                snprintf(d->what, sizeof d->what, "a FIT file of type %.0f", type);
            return fail(c, POSTRUN_ERR_VALUE, off, "file_id.type",
                        "this is %s, not an activity", d->what);
        }
        return POSTRUN_OK;
    }
    case MSG_RECORD: return on_record(c, off, ts);
    case MSG_EVENT: {
        /* Timer events: stop (1), stop_all (4), stop_disable (8), stop_disable_all (9). */
        double ev = get(c, 0), type = get(c, 1);
        if (ev == 0 && (type == 1 || type == 4 || type == 8 || type == 9))
            d->pause_pending = true;
        return POSTRUN_OK;
    }
    case MSG_SESSION: {
        if (!c->has_session || !c->sport_from_session) {
            set_sport(c, get(c, 5), get(c, 6));
            c->sport_from_session = !isnan(get(c, 5));
        } else if (!isnan(get(c, 5)) && d->sport != ACT_SPORT_UNKNOWN) {
            /* Sessions of different sports: a multisport file. */
            act_sport s = get(c, 5) == 1 ? ACT_SPORT_RUNNING : ACT_SPORT_OTHER;
            if (s != d->sport) {
                d->sport = ACT_SPORT_OTHER;
                pr_strlcpy(d->sport_name, "multisport", sizeof d->sport_name);
            }
        }
        c->has_session = true;
        pr_act_device_add(&d->device, fit_time(get(c, 2)), scaled(c, 7, 1000, 0),
                    scaled(c, 8, 1000, 0), scaled(c, 9, 100, 0), get(c, 16), get(c, 17),
                    get(c, 22), get(c, 23));
        return POSTRUN_OK;
    }
    case MSG_LAP:
        c->has_lap = true;
        pr_act_device_add(&c->lap, fit_time(get(c, 2)), scaled(c, 7, 1000, 0), scaled(c, 8, 1000, 0),
                    scaled(c, 9, 100, 0), get(c, 15), get(c, 16), get(c, 21), get(c, 22));
        if (!c->has_session && d->sport_name[0] == '\0')
            set_sport(c, get(c, 25), get(c, 39));
        return POSTRUN_OK;
    case MSG_SPORT:
        if (!c->sport_from_session)
            set_sport(c, get(c, 0), get(c, 1));
        return POSTRUN_OK;
    default:
        /* device_info and the rest: nothing the run needs. */
        return POSTRUN_OK;
    }
}

/* ---- records ---- */

static postrun_status read_definition(fit_ctx *c, size_t *pos, size_t end, uint8_t header)
{
    const unsigned char *p = c->data;
    size_t off = *pos - 1;
    if (end - *pos < 5)
        return fail(c, POSTRUN_ERR_SYNTAX, off, NULL,
                    "the file ends inside a definition message");
    fit_def *def = &c->def[header & 0x0F];
    def->defined = false;
    uint8_t arch = p[*pos + 1];
    if (arch > 1)
        return fail(c, POSTRUN_ERR_SYNTAX, *pos + 1, NULL,
                    "definition message with architecture %u (0 or 1 expected)", arch);
    def->big = arch == 1;
    def->global = (uint16_t)read_uint(p + *pos + 2, 2, def->big);
    def->n = p[*pos + 4];
    *pos += 5;
    if ((end - *pos) / 3 < def->n)
        return fail(c, POSTRUN_ERR_SYNTAX, off, NULL,
                    "the file ends inside a definition message");
    def->size = 0;
    for (unsigned i = 0; i < def->n; i++, *pos += 3) {
        fit_field *f = &def->field[i];
        f->num = p[*pos];
        f->size = p[*pos + 1];
        uint8_t bt = p[*pos + 2];
        f->type = bt & 0x1F;
        if (f->type >= BT_COUNT)
            return fail(c, POSTRUN_ERR_SYNTAX, *pos + 2, NULL,
                        "field %u of message %u has base type 0x%02x, which FIT does not define",
                        f->num, def->global, bt);
        if (f->size == 0)
            return fail(c, POSTRUN_ERR_SYNTAX, *pos + 1, NULL,
                        "field %u of message %u has a size of 0 bytes", f->num, def->global);
        def->size += f->size;
    }
    def->dev_size = 0;
    if (header & 0x20) {
        if (end - *pos < 1)
            return fail(c, POSTRUN_ERR_SYNTAX, off, NULL,
                        "the file ends inside a definition message");
        unsigned n_dev = p[(*pos)++];
        if ((end - *pos) / 3 < n_dev)
            return fail(c, POSTRUN_ERR_SYNTAX, off, NULL,
                        "the file ends inside a definition message");
        for (unsigned i = 0; i < n_dev; i++, *pos += 3)
            def->dev_size += p[*pos + 1];
        def->size += def->dev_size;
    }
    def->defined = true;
    return POSTRUN_OK;
}

static postrun_status read_data(fit_ctx *c, size_t *pos, size_t end, unsigned local,
                                 double compressed_ts)
{
    const unsigned char *p = c->data;
    size_t off = *pos - 1;
    const fit_def *def = &c->def[local];
    if (!def->defined)
        return fail(c, POSTRUN_ERR_SYNTAX, off, NULL,
                    "data message of local type %u, which no definition precedes", local);
    if (end - *pos < def->size)
        return fail(c, POSTRUN_ERR_SYNTAX, off, NULL,
                    "the file ends inside a data message (%u bytes expected, %zu left)",
                    def->size, end - *pos);
    fit_msg *m = &c->msg;
    for (size_t i = 0; i < m->n_set; i++)
        m->v[m->set[i]] = NAN;
    m->n_set = 0;
    m->has_csd = false;
    double ts = compressed_ts;
    for (unsigned i = 0; i < def->n; i++) {
        const fit_field *f = &def->field[i];
        double v = field_value(p + *pos, f, def->big);
        if (f->num == FIELD_TIMESTAMP && f->type == 6 && !isnan(v)) {
            c->last_ts = (uint32_t)v;
            c->have_ts = true;
            ts = v;
        }
        if (def->global == MSG_RECORD && f->num == 8 && f->size == 3) {
            memcpy(m->csd, p + *pos, 3);
            m->has_csd = true;
        }
        if (isnan(m->v[f->num]) && !isnan(v)) {
            m->v[f->num] = v;
            m->set[m->n_set++] = f->num;
        }
        *pos += f->size;
    }
    *pos += def->dev_size; /* developer fields: skipped */
    return on_message(c, def, off, ts);
}

static postrun_status read_records(fit_ctx *c, size_t pos, size_t end)
{
    postrun_status rc = POSTRUN_OK;
    while (rc == POSTRUN_OK && pos < end) {
        uint8_t h = c->data[pos++];
        if (h & 0x80) {
            /* Compressed timestamp: 5 bits of seconds after the last full timestamp. */
            if (!c->have_ts)
                return fail(c, POSTRUN_ERR_SYNTAX, pos - 1, NULL,
                            "compressed timestamp before any timestamp");
            uint32_t offset = h & 0x1F, base = c->last_ts & ~(uint32_t)0x1F;
            uint32_t ts = base + offset + (offset < (c->last_ts & 0x1F) ? 0x20 : 0);
            c->last_ts = ts;
            rc = read_data(c, &pos, end, (h >> 5) & 3, (double)ts);
        } else if (h & 0x40) {
            rc = read_definition(c, &pos, end, h);
        } else {
            rc = read_data(c, &pos, end, h & 0x0F, NAN);
        }
    }
    return rc;
}

postrun_status pr_act_decode_fit(act_data *d, const unsigned char *data, size_t len,
                              postrun_error *err)
{
    fit_ctx *c = pr_calloc(1, sizeof *c);
    if (!c)
        return pr_err_add(err, POSTRUN_ERR_NOMEM, POSTRUN_SEVERITY_ERROR, d->name, 0, 0, NULL,
                          "out of memory decoding a FIT file");
    c->d = d;
    c->err = err;
    c->data = data;
    c->csd_last = -1;
    for (size_t i = 0; i < PR_ARRAY_LEN(c->msg.v); i++)
        c->msg.v[i] = NAN;
    c->lap = (act_device){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0};
    d->format = ACT_FIT;

    postrun_status rc = POSTRUN_OK;
    size_t pos = 0;
    unsigned files = 0;
    while (rc == POSTRUN_OK && pos < len) {
        /* A chained file starts where the previous one's CRC ended. */
        size_t start = pos, left = len - pos;
        const char *which = files ? "chained FIT file" : "FIT file";
        if (left < 12 || (data[pos] != 12 && data[pos] != 14) ||
            memcmp(data + pos + 8, ".FIT", 4) != 0) {
            rc = fail(c, POSTRUN_ERR_SYNTAX, pos, NULL,
                      files ? "%zu bytes after the FIT file that do not start a FIT file"
                            : "not a FIT file (%zu bytes without the FIT header)",
                      left);
            break;
        }
        size_t hsize = data[pos];
        if (left < hsize) {
            rc = fail(c, POSTRUN_ERR_SYNTAX, pos, NULL, "the file ends inside the %s header",
                      which);
            break;
        }
        if (hsize == 14) {
            uint16_t want = le16(data + pos + 12);
            if (want != 0 && want != pr_act_fit_crc(0, data + pos, 12)) {
                rc = fail(c, POSTRUN_ERR_SYNTAX, pos + 12, NULL,
                          "the %s header's CRC does not match: the file is corrupt", which);
                break;
            }
        }
        size_t size = le32(data + pos + 4);
        if (size > left - hsize || left - hsize - size < 2) {
            rc = fail(c, POSTRUN_ERR_SYNTAX, len, NULL,
                      "the file ends early: the %s header at byte %zu announces %zu bytes of "
                      "records and a CRC, the file holds %zu after the header",
                      which, start, size, left - hsize);
            break;
        }
        size_t end = pos + hsize + size;
        uint16_t want = le16(data + end);
        if (want != pr_act_fit_crc(0, data + start, end - start)) {
            rc = fail(c, POSTRUN_ERR_SYNTAX, end, NULL,
                      "the %s's CRC does not match its contents: the file is corrupt", which);
            break;
        }
        /* Local definitions and the timestamp do not carry over into a chained file. */
        for (unsigned i = 0; i < 16; i++)
            c->def[i].defined = false;
        c->have_ts = false;
        rc = read_records(c, pos + hsize, end);
        pos = end + 2;
        files++;
    }
    if (rc == POSTRUN_OK && !c->has_session && c->has_lap)
        d->device = c->lap;
    pr_free(c);
    return rc;
}
