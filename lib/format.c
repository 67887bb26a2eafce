/*
 * Numbers as text, in the three house styles: pr_format_number() for what a runner reads
 * (sensible decimals, no "-0"), pr_render_fmt_num() for YAML and JSON (4 significant digits),
 * pr_run_fmt_num() for run-report messages (every digit the value has). The fast paths avoid
 * printf where the answer is certain; texts print about a hundred numbers per assessment.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char DIGIT_PAIRS[201] = "00010203040506070809101112131415161718192021222324"
                                       "25262728293031323334353637383940414243444546474849"
                                       "50515253545556575859606162636465666768697071727374"
                                       "75767778798081828384858687888990919293949596979899";

/*
 * snprintf(buf, size, "%.*f", d, v) for d in 0..6 without printf, when the answer is certain
 * (texts print about a hundred numbers per assessment; printf's exact conversion is most of
 * their cost). s = |v| * 10^d is computed with one rounding, at most half an ulp off the exact
 * product, so when its fraction is further than that from one half, the nearest integer of s
 * is the nearest integer of the exact product, which is what printf prints. Near-ties, huge
 * values and small buffers return false and go to snprintf.
 *
 * fixed_len() does the work and returns the length written, 0 when printf must decide.
 */
static inline size_t fixed_len(char *buf, double v, int d)
{
    static const double P10[7] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    double a = fabs(v);
    if (!(a < 1e9) || d < 0 || d > 6)
        return 0;
    double s = a * P10[d];
    /* s < 1e15 fits a signed integer, whose conversions are single instructions. */
    const int64_t si = (int64_t)s;   /* floor: s >= 0 */
    double frac = s - (double)si;    /* exact: si <= s < 2^53 and si >= s/2 or si == 0 */
    if (fabs(frac - 0.5) <= s * 0x1p-52 + 0x1p-1060)
        return 0;
    uint64_t r = (uint64_t)si + (frac > 0.5);
    /* Written from the right into tmp, the decimals first, then the point and the whole
     * part two digits at a time (divisions by constants only). At most 18 bytes (a sign,
     * 16 digits, the point), copied to buf in one fixed-size move (buf holds 32) and ended with a NUL. */
    char tmp[64];
    char *const end = tmp + 32, *t = end;
    memset(end, 0, 32); /* what the fixed-size copy takes beyond the number */
    for (int i = 0; i < d; i++) {
        *--t = (char)('0' + r % 10);
        r /= 10;
    }
    if (d)
        *--t = '.';
    while (r >= 100) {
        unsigned q = (unsigned)(r % 100);
        r /= 100;
        t -= 2;
        memcpy(t, DIGIT_PAIRS + 2 * q, 2);
    }
    if (r >= 10) {
        t -= 2;
        memcpy(t, DIGIT_PAIRS + 2 * r, 2);
    } else {
        *--t = (char)('0' + r);
    }
    if (signbit(v))
        *--t = '-';
    const size_t len = (size_t)(end - t);
    memcpy(buf, t, 24);
    buf[len] = '\0';
    return len;
}

bool pr_fixed(char *buf, size_t size, double v, int d)
{
    return size >= 32 && fixed_len(buf, v, d) != 0;
}

size_t pr_format_number(char *buf, size_t size, double v, int decimals)
{
    if (isnan(v)) {
        return (size_t)snprintf(buf, size, "unknown");
    }
    bool trim = decimals < 0;
    if (decimals < 0) {
        double a = fabs(v);
        decimals = a >= 100 ? 0 : a >= 1 ? 1 : 2;
    }
    if (decimals > 6)
        decimals = 6;
    size_t len = size >= 32 ? fixed_len(buf, v, decimals) : 0;
    if (len == 0) {
        snprintf(buf, size, "%.*f", decimals, v);
        len = strlen(buf);
    }
    /* Sensible rounding also drops zeros that say nothing: "75", "0.5", not "75.0", "0.50".
     * With decimals, "%.*f" always writes a point, so the scan stops there at the latest. */
    if (trim && decimals > 0) {
        while (buf[len - 1] == '0')
            len--;
        if (buf[len - 1] == '.')
            len--;
        buf[len] = '\0';
    }
    /* "-0" reads as a mistake to a runner. */
    if (buf[0] == '-') {
        bool zero = true;
        for (const char *p = buf + 1; *p; p++)
            if (*p != '0' && *p != '.')
                zero = false;
        if (zero) {
            memmove(buf, buf + 1, len);
            len--;
        }
    }
    return len;
}

/* %.4g without printf where pr_fixed() can be sure: X, the exponent %g uses, is that of v
 * rounded to 4 significant digits, and for -4 <= X < 4 %g is %f with 3 - X decimals and its
 * trailing zeros dropped. The comparisons give the exponent of v itself (1, 10 and 100 are
 * exact, and each negative power is the double just above the true one, so no double lies
 * between them); rounding can carry it one up, which the digit count shows. */
static int g4_fast(char *buf, size_t size, double v)
{
    static const double P10[] = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100};
    double a = fabs(v);
    if (!(a >= P10[0] && a < 1000))
        return -1;
    int x = 2;
    for (int k = 6; k >= 0 && a < P10[k]; k--)
        x = k - 5;
    char tmp[64];
    if (!pr_fixed(tmp, sizeof tmp, v, 3 - x))
        return -1;
    /* one pass: the length, the digits, the zeros before the first significant one, the point */
    size_t len = 0, digits = 0, lead = 0;
    bool dot = false, significant = false;
    for (char c; (c = tmp[len]) != '\0'; len++) {
        if (c >= '0' && c <= '9') {
            digits++;
            significant = significant || c != '0';
            lead += !significant;
        } else if (c == '.') {
            dot = true;
        }
    }
    if (digits - lead > 4) { /* rounded up to the next power of ten */
        if (++x > 3 || !pr_fixed(tmp, sizeof tmp, v, 3 - x))
            return -1;
        len = strlen(tmp);
        dot = memchr(tmp, '.', len) != NULL;
    }
    if (dot) {
        while (tmp[len - 1] == '0')
            len--;
        if (tmp[len - 1] == '.')
            len--;
    }
    if (len >= size)
        return -1;
    memcpy(buf, tmp, len);
    buf[len] = '\0';
    return (int)len;
}

int pr_render_fmt_num(char *buf, size_t size, double v)
{
    if (!isfinite(v))
        return snprintf(buf, size, "null");
    if (v == 0)
        return snprintf(buf, size, "0");
    if (fabs(v) >= 1000) {
        if (pr_fixed(buf, size, v, 0))
            return (int)strlen(buf);
        return snprintf(buf, size, "%.0f", v);
    }
    int n = g4_fast(buf, size, v);
    if (n >= 0)
        return n;
    n = snprintf(buf, size, "%.4g", v);
    if (strchr(buf, 'e')) /* tiny values: plain decimals read better and parse everywhere */
        n = snprintf(buf, size, "%.8f", v);
    return n;
}

void pr_run_fmt_num(char *buf, size_t size, double v) { snprintf(buf, size, "%.15g", v); }
