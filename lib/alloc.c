/*
 * Allocation through the embedder's allocator (postrun_set_allocator), and the small
 * allocation-based helpers: arenas and growable buffers. Every block carries its size in a
 * header so the allocator is always told the old size, as lua_Alloc-style allocators expect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void *default_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

/* The one piece of global state: set before any object exists, read-only afterwards. */
static postrun_alloc_fn g_alloc = default_alloc;
static void *g_alloc_ud = NULL;

postrun_status postrun_set_allocator(postrun_alloc_fn fn, void *userdata)
{
    g_alloc = fn ? fn : default_alloc;
    g_alloc_ud = fn ? userdata : NULL;
    return POSTRUN_OK;
}

/* max_align_t-sized header keeps the payload aligned for any type. */
typedef union hdr {
    size_t size;
    max_align_t align;
} hdr;

void *pr_malloc(size_t n)
{
    if (n > SIZE_MAX - sizeof(hdr))
        return NULL;
    hdr *h = g_alloc(g_alloc_ud, NULL, 0, n + sizeof(hdr));
    if (!h)
        return NULL;
    h->size = n;
    return h + 1;
}

void *pr_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = pr_malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *pr_realloc(void *p, size_t n)
{
    if (!p)
        return pr_malloc(n);
    if (n > SIZE_MAX - sizeof(hdr))
        return NULL;
    hdr *h = (hdr *)p - 1;
    hdr *nh = g_alloc(g_alloc_ud, h, h->size + sizeof(hdr), n + sizeof(hdr));
    if (!nh)
        return NULL;
    nh->size = n;
    return nh + 1;
}

void pr_free(void *p)
{
    if (!p)
        return;
    hdr *h = (hdr *)p - 1;
    g_alloc(g_alloc_ud, h, h->size + sizeof(hdr), 0);
}

void postrun_free(void *ptr) { pr_free(ptr); }

char *pr_strndup(const char *s, size_t n)
{
    char *d = pr_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pr_strdup(const char *s) { return pr_strndup(s, strlen(s)); }

void pr_strlcpy(char *dst, const char *src, size_t n)
{
    if (n == 0)
        return;
    size_t l = src ? strlen(src) : 0;
    bool cut = l >= n;
    if (cut)
        l = n - 1;
    if (l)
        memcpy(dst, src, l);
    dst[l] = '\0';
    if (cut)
        pr_utf8_trim(dst, l);
}

size_t pr_utf8_trim(char *s, size_t len)
{
    /* Back over the continuation bytes (10xxxxxx) at the end to the sequence's first byte;
     * the sequence is whole when its first byte announces no more bytes than there are. */
    size_t i = len, cont = 0;
    while (i > 0 && cont < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        cont++;
    }
    if (i == 0)
        return len; /* only continuation bytes: not UTF-8, left as it is */
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (lead < 0xC0 || cont >= need)
        return len;
    s[i - 1] = '\0';
    return i - 1;
}

/* ---- arena ---- */

typedef struct pr_arena_block {
    struct pr_arena_block *next;
    size_t used, cap;
    max_align_t data[];
} pr_arena_block;

#define ARENA_BLOCK 16384u

void *pr_arena_alloc(pr_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    pr_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = pr_malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        /* A big one-off block goes behind the current one so the current keeps filling. */
        if (a->head && n > ARENA_BLOCK) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    a->used_total += n;
    return p;
}

char *pr_arena_strndup(pr_arena *a, const char *s, size_t n)
{
    char *d = pr_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pr_arena_strdup(pr_arena *a, const char *s) { return pr_arena_strndup(a, s, strlen(s)); }

void pr_arena_free(pr_arena *a)
{
    pr_arena_block *b = a->head;
    while (b) {
        pr_arena_block *n = b->next;
        pr_free(b);
        b = n;
    }
    a->head = NULL;
    a->used_total = 0;
}

/* ---- growable buffer ---- */

static bool buf_reserve(pr_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *d = pr_realloc(b->data, cap);
    if (!d) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void pr_buf_put_grow(pr_buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pr_buf_printf(pr_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        pr_buf_put(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pr_buf_free(pr_buf *b)
{
    pr_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}
