/*
 * ISO 8601 date and time of `run.started_at`: parsing with a required UTC offset, and
 * formatting back as UTC. Owns the calendar arithmetic (proleptic Gregorian, no leap seconds,
 * as the Unix epoch counts).
 */
#include <math.h>
#include <stdio.h>

#include "history.h"

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : D[m - 1];
}

int pr_iso8601_parse(const char *s, double *unix_s)
{
    int y, mo, d, h, mi, sec = 0;
    if (!s || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi))
        return 0;
    const char *p = s + 16;
    double frac = 0;
    if (*p == ':') {
        if (!digits(p + 1, 2, &sec))
            return 0;
        p += 3;
        if (*p == '.' || *p == ',') {
            double scale = 0.1;
            p++;
            if (*p < '0' || *p > '9')
                return 0;
            for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
                frac += (*p - '0') * scale;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return 0;
    int offset_min;
    if (*p == 'Z' || *p == 'z') {
        offset_min = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        int sign = *p == '-' ? -1 : 1;
        if (!digits(p + 1, 2, &oh))
            return 0;
        p += 3;
        if (*p == ':')
            p++;
        if (!digits(p, 2, &om))
            return 0;
        p += 2;
        if (oh > 23 || om > 59)
            return 0;
        offset_min = sign * (oh * 60 + om);
    } else {
        return 0;
    }
    if (*p)
        return 0;
    long long days = days_from_civil(y, mo, d);
    *unix_s = (double)(days * 86400 + h * 3600 + mi * 60 + sec) + frac - offset_min * 60.0;
    return 1;
}

void pr_iso8601_format(char *buf, size_t size, double unix_s)
{
    if (!isfinite(unix_s)) {
        snprintf(buf, size, "%s", "");
        return;
    }
    long long t = (long long)floor(unix_s);
    long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    long long rem = t - days * 86400;
    /* civil_from_days */
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += m <= 2;
    snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
}
