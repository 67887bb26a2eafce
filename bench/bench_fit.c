/*
 * The FIT file both benchmarks decode (activity_bench.c: one large file; history_bench.c: a
 * year of them), written byte by byte so that the benchmark needs no file on disk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "bench_fit.h"

static void put(unsigned char *b, size_t *n, uint64_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        b[(*n)++] = (unsigned char)(v >> (8 * i));
}

/* A FIT activity of `records` records, one a second, from `start` (FIT seconds): time,
 * position, altitude, heart rate, cadence, distance, speed, temperature. NULL without memory;
 * free() it. */
unsigned char *bench_make_fit(size_t records, uint32_t start, size_t *len)
{
    size_t cap = 64 + records * 32, n = 12;
    unsigned char *b = malloc(cap);
    if (!b)
        return NULL;
    static const unsigned char fid[] = {0x40, 0, 0, 0, 0, 1, 0, 1, 0x00};
    memcpy(b + n, fid, sizeof fid);
    n += sizeof fid;
    b[n++] = 0;
    b[n++] = 4; /* activity */
    static const unsigned char rec[] = {0x41, 0, 0, 20, 0, 9,  253, 4, 0x86, 0, 4, 0x85,
                                        1,    4, 0x85, 2, 2, 0x84, 3, 1, 0x02, 4, 1, 0x02,
                                        5,    4, 0x86, 6, 2, 0x84, 13, 1, 0x01};
    memcpy(b + n, rec, sizeof rec);
    n += sizeof rec;
    for (size_t i = 0; i < records; i++) {
        b[n++] = 1;
        put(b, &n, start + i, 4);
        put(b, &n, (uint32_t)(500000000 + (int32_t)(i * 1000)), 4);
        put(b, &n, (uint32_t)(int32_t)(-100000000 + (int32_t)(i % 600) * 300), 4);
        put(b, &n, (uint64_t)((100 + (i % 1000) * 0.1 + 500) * 5), 2);
        b[n++] = (unsigned char)(140 + i % 30);
        b[n++] = 85;
        put(b, &n, i * 300u, 4);
        put(b, &n, 3000, 2);
        b[n++] = 18;
    }
    size_t data = n - 12;
    static const unsigned char head[12] = {12, 0x20, 0x54, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T'};
    memcpy(b, head, 12);
    b[4] = data & 0xFF, b[5] = (data >> 8) & 0xFF, b[6] = (data >> 16) & 0xFF, b[7] = data >> 24;
    uint16_t crc = pr_act_fit_crc(0, b, n);
    b[n++] = crc & 0xFF;
    b[n++] = crc >> 8;
    *len = n;
    return b;
}
