/*
 * TCX (Garmin Training Center Database v2, with its ActivityExtension v2) and GPX 1.0 / 1.1
 * (with Garmin's TrackPointExtension v1 and v2: heart rate, cadence, air temperature) through
 * expat: streaming, namespace-aware (elements are matched by namespace and local name, never by
 * prefix), with entity declarations refused so that no entity can expand. Every problem names
 * the line and column and the element.
 */
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "activity.h"

#define NS_SEP '\x01'
#define MAX_DEPTH 64
#define TEXT_MAX 128
#define CHUNK 65536

typedef enum el {
    E_OTHER,
    T_ROOT, T_ACTIVITY, T_LAP, T_TRACK, T_POINT, T_TIME, T_POSITION, T_LAT, T_LON, T_ALT,
    T_DIST, T_HR, T_AVG_HR, T_MAX_HR, T_VALUE, T_CADENCE, T_TOTAL_TIME, AX_SPEED, AX_RUN_CADENCE,
    G_ROOT, G_TRK, G_TYPE, G_SEG, G_POINT, G_ELE, G_TIME, G_SPEED,
    X_HR, X_CAD, X_ATEMP, X_SPEED,
} el;

typedef struct xml_ctx {
    act_data *d;
    postrun_error *err;
    XML_Parser p;
    postrun_status rc;
    el stack[MAX_DEPTH];
    unsigned depth;
    bool root_seen;
    char text[TEXT_MAX];
    size_t text_len;
    bool text_long;
    act_sample pt;
    bool in_point;
    unsigned lap_tracks, segments;
    double lap_start, lap_time, lap_dist, lap_avg, lap_max;
} xml_ctx;

static const char *ns_tail(const char *name, const char **local)
{
    const char *sep = strchr(name, NS_SEP);
    *local = sep ? sep + 1 : name;
    return sep ? name : "";
}

static bool ns_is(const char *name, const char *prefix)
{
    return strncmp(name, prefix, strlen(prefix)) == 0;
}

static el classify(const char *name)
{
    const char *local;
    const char *ns = ns_tail(name, &local);
    static const struct { const char *local; el id; } TCX[] = {
        {"TrainingCenterDatabase", T_ROOT}, {"Activity", T_ACTIVITY}, {"Lap", T_LAP},
        {"Track", T_TRACK}, {"Trackpoint", T_POINT}, {"Time", T_TIME}, {"Position", T_POSITION},
        {"LatitudeDegrees", T_LAT}, {"LongitudeDegrees", T_LON}, {"AltitudeMeters", T_ALT},
        {"DistanceMeters", T_DIST}, {"HeartRateBpm", T_HR}, {"AverageHeartRateBpm", T_AVG_HR},
        {"MaximumHeartRateBpm", T_MAX_HR}, {"Value", T_VALUE}, {"Cadence", T_CADENCE},
        {"TotalTimeSeconds", T_TOTAL_TIME}},
      GPX[] = {{"gpx", G_ROOT}, {"trk", G_TRK}, {"type", G_TYPE}, {"trkseg", G_SEG},
               {"trkpt", G_POINT}, {"ele", G_ELE}, {"time", G_TIME}, {"speed", G_SPEED}},
      TPX[] = {{"hr", X_HR}, {"cad", X_CAD}, {"atemp", X_ATEMP}, {"speed", X_SPEED}},
      AX[] = {{"Speed", AX_SPEED}, {"RunCadence", AX_RUN_CADENCE}};
#define FIND(table)                                                                           \
    for (size_t i = 0; i < PR_ARRAY_LEN(table); i++)                                          \
        if (strcmp(local, table[i].local) == 0)                                               \
            return table[i].id;                                                               \
    return E_OTHER
    if (ns_is(ns, "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/")) {
        FIND(TCX);
    }
    /* GPX written without its namespace is still GPX. */
    if (ns_is(ns, "http://www.topografix.com/GPX/1/") || ns[0] == '\0') {
        FIND(GPX);
    }
    if (ns_is(ns, "http://www.garmin.com/xmlschemas/TrackPointExtension/")) {
        FIND(TPX);
    }
    if (ns_is(ns, "http://www.garmin.com/xmlschemas/ActivityExtension/")) {
        FIND(AX);
    }
#undef FIND
    return E_OTHER;
}

static void stop(xml_ctx *c, postrun_status code, const char *element, const char *fmt, ...)
    PR_PRINTF(4, 5);
static void stop(xml_ctx *c, postrun_status code, const char *element, const char *fmt, ...)
{
    if (c->rc != POSTRUN_OK)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->rc = pr_err_add(c->err, code, POSTRUN_SEVERITY_ERROR, c->d->name,
                       (uint32_t)XML_GetCurrentLineNumber(c->p),
                       (uint32_t)XML_GetCurrentColumnNumber(c->p) + 1, element, "%s", msg);
    XML_StopParser(c->p, XML_FALSE);
}

static el parent(const xml_ctx *c, unsigned up)
{
    return c->depth > up ? c->stack[c->depth - 1 - up] : E_OTHER;
}

/* ---- values ---- */

static bool number(xml_ctx *c, const char *text, const char *element, double lo, double hi,
                   double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(v)) {
        stop(c, POSTRUN_ERR_TYPE, element, "\"%.40s\" is not a number", text);
        return false;
    }
    if (v < lo || v > hi) {
        stop(c, POSTRUN_ERR_RANGE, element, "%.40s is outside %g..%g", text, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* ISO 8601 / XML Schema dateTime: YYYY-MM-DDThh:mm:ss[.fff][Z|(+|-)hh:mm]; no zone = UTC. */
static bool parse_time(const char *s, double *out)
{
    int y, mo, d, h, mi, n = 0;
    double sec;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 17)
        return false;
    s += n;
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
        return false;
    char *end;
    sec = strtod(s, &end);
    if (end - s < 2 || !(sec >= 0 && sec < 61))
        return false;
    s = end;
    double zone = 0;
    if (*s == 'Z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int zh, zm, zn = 0;
        if (sscanf(s + 1, "%2d:%2d%n", &zh, &zm, &zn) != 2 || zn != 5 || zh > 14 || zm > 59)
            return false;
        zone = (*s == '-' ? -1 : 1) * (zh * 3600.0 + zm * 60.0);
        s += 6;
    }
    if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59)
        return false;
    *out = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600.0 +
           mi * 60.0 + sec - zone;
    return true;
}

static bool time_of(xml_ctx *c, const char *text, const char *element, double *out)
{
    if (parse_time(text, out))
        return true;
    stop(c, POSTRUN_ERR_VALUE, element, "\"%.40s\" is not a date and time (2019-06-11T07:34:09Z)",
         text);
    return false;
}

static int32_t to_semicircles(double deg)
{
    double v = round(deg * (2147483648.0 / 180.0));
    return v >= 2147483647.0 ? INT32_MAX - 1 : (int32_t)v;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* ---- handlers ---- */

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    xml_ctx *c = ud;
    act_data *d = c->d;
    el e = classify(name);
    const char *local;
    ns_tail(name, &local);
    if (!c->root_seen) {
        c->root_seen = true;
        if (e == T_ROOT) {
            d->format = ACT_TCX;
        } else if (e == G_ROOT) {
            d->format = ACT_GPX;
        } else {
            snprintf(d->what, sizeof d->what, "XML whose root is <%.40s>", local);
            stop(c, POSTRUN_ERR_VALUE, local,
                 "not an activity file: XML whose root element is <%.40s>, not a TCX "
                 "<TrainingCenterDatabase> or a GPX <gpx>", local);
            return;
        }
    }
    if (c->depth == MAX_DEPTH) {
        stop(c, POSTRUN_ERR_LIMIT, local, "elements nested deeper than %d", MAX_DEPTH);
        return;
    }
    c->stack[c->depth++] = e;
    c->text_len = 0;
    c->text_long = false;
    c->text[0] = '\0';
    switch (e) {
    case T_ACTIVITY: {
        const char *sport = attr(atts, "Sport");
        if (sport)
            pr_act_set_sport_word(d, sport);
        break;
    }
    case T_LAP: {
        c->lap_start = c->lap_time = c->lap_dist = c->lap_avg = c->lap_max = NAN;
        c->lap_tracks = 0;
        const char *st = attr(atts, "StartTime");
        if (st)
            time_of(c, st, "Lap.StartTime", &c->lap_start);
        break;
    }
    case T_TRACK:
        /* Garmin starts a track per lap, and a new one within a lap after a pause. */
        if (c->lap_tracks++ > 0)
            d->pause_pending = true;
        break;
    case G_SEG:
        /* A new segment: the receiver lost its fix or was stopped. */
        if (c->segments++ > 0)
            d->pause_pending = true;
        break;
    case T_POINT:
    case G_POINT:
        c->pt = pr_act_blank(NAN);
        c->in_point = true;
        if (e == G_POINT) {
            const char *lat = attr(atts, "lat"), *lon = attr(atts, "lon");
            double la, lo;
            if (!lat || !lon) {
                stop(c, POSTRUN_ERR_MISSING, "trkpt", "a track point needs lat and lon");
                return;
            }
            if (number(c, lat, "trkpt.lat", -90, 90, &la) &&
                number(c, lon, "trkpt.lon", -180, 180, &lo)) {
                c->pt.lat = to_semicircles(la);
                c->pt.lon = to_semicircles(lo);
            }
        }
        break;
    default: break;
    }
}

static void on_value(xml_ctx *c, el e, const char *local)
{
    act_data *d = c->d;
    const char *t = c->text;
    double v;
    el up = parent(c, 0);
    if (e == G_TYPE && up == G_TRK) {
        /* Strava writes a number here: that names no sport. */
        if (t[0] && strspn(t, "0123456789") != strlen(t))
            pr_act_set_sport_word(d, t);
        return;
    }
    if (!c->in_point) {
        /* Lap totals (TCX). */
        if (up == T_LAP && e == T_TOTAL_TIME && number(c, t, local, 0, 1e7, &v))
            c->lap_time = v;
        else if (up == T_LAP && e == T_DIST && number(c, t, local, 0, 1e8, &v))
            c->lap_dist = v;
        else if (e == T_VALUE && parent(c, 1) == T_LAP && up == T_AVG_HR &&
                 number(c, t, local, 0, 255, &v))
            c->lap_avg = v;
        else if (e == T_VALUE && parent(c, 1) == T_LAP && up == T_MAX_HR &&
                 number(c, t, local, 0, 255, &v))
            c->lap_max = v;
        return;
    }
    act_sample *s = &c->pt;
    switch (e) {
    case T_TIME:
    case G_TIME:
        if (up == T_POINT || up == G_POINT)
            time_of(c, t, local, &s->t);
        break;
    case T_LAT:
        if (number(c, t, local, -90, 90, &v))
            s->lat = to_semicircles(v);
        break;
    case T_LON:
        if (number(c, t, local, -180, 180, &v))
            s->lon = to_semicircles(v);
        break;
    case T_ALT:
    case G_ELE:
        if (number(c, t, local, -1000, 10000, &v))
            s->alt_m = (float)v;
        break;
    case T_DIST:
        if (up == T_POINT && number(c, t, local, 0, 1e8, &v))
            s->dist_m = v;
        break;
    case T_VALUE:
        if (up == T_HR && number(c, t, local, 0, 255, &v))
            s->hr = (uint8_t)v;
        break;
    case X_HR:
        if (number(c, t, local, 0, 255, &v))
            s->hr = (uint8_t)v;
        break;
    case T_CADENCE:
    case AX_RUN_CADENCE:
    case X_CAD:
        if (number(c, t, local, 0, 254, &v) && s->cad == ACT_NO_CAD)
            s->cad = (uint8_t)v;
        break;
    case AX_SPEED:
    case G_SPEED:
    case X_SPEED:
        if (number(c, t, local, 0, 1000, &v))
            s->speed_m_s = (float)v;
        break;
    case X_ATEMP:
        if (number(c, t, local, -100, 100, &v))
            s->temp_c = (float)v;
        break;
    default: break;
    }
}

static void XMLCALL on_end(void *ud, const char *name)
{
    xml_ctx *c = ud;
    act_data *d = c->d;
    if (c->depth == 0 || c->rc != POSTRUN_OK)
        return;
    el e = c->stack[c->depth - 1];
    const char *local;
    ns_tail(name, &local);
    c->depth--;
    if (e != E_OTHER) {
        if (c->text_long) {
            stop(c, POSTRUN_ERR_LIMIT, local, "a value of more than %d bytes", TEXT_MAX - 1);
            return;
        }
        /* Trim the text around the value. */
        size_t a = 0, b = c->text_len;
        while (a < b && strchr(" \t\r\n", c->text[a]))
            a++;
        while (b > a && strchr(" \t\r\n", c->text[b - 1]))
            b--;
        memmove(c->text, c->text + a, b - a);
        c->text[b - a] = '\0';
        if (c->text[0] || e == G_TYPE)
            on_value(c, e, local);
    }
    if (c->rc != POSTRUN_OK)
        return;
    if (e == T_POINT || e == G_POINT) {
        c->in_point = false;
        char where[64];
        snprintf(where, sizeof where, "line %lu", (unsigned long)XML_GetCurrentLineNumber(c->p));
        /* A point without a time (a route, a planned track) cannot be placed in the run. */
        if (!isnan(c->pt.t) && (c->rc = pr_act_push(d, &c->pt, c->err, where)) != POSTRUN_OK)
            XML_StopParser(c->p, XML_FALSE);
    } else if (e == T_LAP) {
        pr_act_device_add(&d->device, c->lap_start, NAN, c->lap_time, c->lap_dist, c->lap_avg,
                       c->lap_max, NAN, NAN);
    }
    c->text_len = 0;
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
    xml_ctx *c = ud;
    if (c->depth == 0 || c->stack[c->depth - 1] == E_OTHER)
        return;
    if (c->text_len + (size_t)len >= TEXT_MAX) {
        c->text_long = true;
        return;
    }
    memcpy(c->text + c->text_len, s, (size_t)len);
    c->text_len += (size_t)len;
    c->text[c->text_len] = '\0';
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_parameter,
                              const XML_Char *value, int value_length, const XML_Char *base,
                              const XML_Char *system_id, const XML_Char *public_id,
                              const XML_Char *notation)
{
    (void)is_parameter, (void)value, (void)value_length, (void)base, (void)system_id;
    (void)public_id, (void)notation;
    stop(ud, POSTRUN_ERR_LIMIT, "DOCTYPE",
         "entity declarations (\"%.40s\") are not accepted in an activity file", name);
}

/* expat reports some allocation failures as other errors ("unbound prefix" when binding a
 * namespace fails): its allocations go through these, which note a failure for this thread's
 * current parse, so that it is reported as what it is. */
static _Thread_local bool xml_out_of_memory;
static void *xml_malloc(size_t n)
{
    void *p = pr_malloc(n);
    xml_out_of_memory |= !p;
    return p;
}
static void *xml_realloc(void *old, size_t n)
{
    void *p = pr_realloc(old, n);
    xml_out_of_memory |= !p;
    return p;
}

postrun_status pr_act_decode_xml(act_data *d, const unsigned char *data, size_t len,
                              postrun_error *err)
{
    xml_ctx *c = pr_calloc(1, sizeof *c);
    XML_Memory_Handling_Suite mem = {xml_malloc, xml_realloc, pr_free};
    xml_out_of_memory = false;
    XML_Parser p = c ? XML_ParserCreate_MM(NULL, &mem, (XML_Char[]){NS_SEP, '\0'}) : NULL;
    if (!p) {
        pr_free(c);
        return pr_err_add(err, POSTRUN_ERR_NOMEM, POSTRUN_SEVERITY_ERROR, d->name, 0, 0, NULL,
                          "out of memory creating the XML parser");
    }
    c->d = d;
    c->err = err;
    c->p = p;
    XML_SetUserData(p, c);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetEntityDeclHandler(p, on_entity);
    d->format = ACT_GPX;
    /* Fed in chunks, as a stream would be. */
    for (size_t off = 0; c->rc == POSTRUN_OK;) {
        size_t n = len - off > CHUNK ? CHUNK : len - off;
        bool last = off + n == len;
        if (XML_Parse(p, (const char *)data + off, (int)n, last) == XML_STATUS_ERROR) {
            if (c->rc == POSTRUN_OK) {
                enum XML_Error code = xml_out_of_memory ? XML_ERROR_NO_MEMORY : XML_GetErrorCode(p);
                c->rc = pr_err_add(err, code == XML_ERROR_NO_MEMORY ? POSTRUN_ERR_NOMEM
                                                                    : POSTRUN_ERR_SYNTAX,
                                   POSTRUN_SEVERITY_ERROR, d->name,
                                   (uint32_t)XML_GetCurrentLineNumber(p),
                                   (uint32_t)XML_GetCurrentColumnNumber(p) + 1, NULL,
                                   "byte %ld: XML: %s", (long)XML_GetCurrentByteIndex(p),
                                   XML_ErrorString(code));
            }
            break;
        }
        off += n;
        if (last)
            break;
    }
    postrun_status rc = c->rc;
    XML_ParserFree(p);
    pr_free(c);
    return rc;
}
