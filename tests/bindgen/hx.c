/* The implementation of hx.h the tests compile into a shared library. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hx.h"

struct hx_handle_s { char name[HX_MAX_NAME]; int flags; };
int hx_counter = 0;

hx_status hx_open_v2(const char *name, int flags, hx_handle *out)
{
    if (!name || !*name) return HX_ERR_INVALID;
    hx_handle h = calloc(1, sizeof *h);
    if (!h) return HX_ERR_NOMEM;
    strncpy(h->name, name, HX_MAX_NAME - 1);
    h->flags = flags;
    hx_counter++;
    *out = h;
    return HX_OK;
}

hx_status hx_close(hx_handle h) { free(h); hx_counter--; return HX_OK; }
int hx_sync_ptds(hx_handle h) { return h->flags; }
double hx_norm(struct hx_point p) { return sqrt(p.x * p.x + p.y * p.y); }

int hx_format(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int hx_sum(const int *const values, size_t n)
{
    int s = 0;
    for (size_t i = 0; i < n; i++) s += values[i];
    return s;
}

int hx_apply(hx_callback cb, void *user, int value) { return cb(user, value) + 1; }

int hx_fold(const hx_ops *ops, const int *values, int n)
{
    int acc = values[0];
    for (int i = 1; i < n; i++) acc = ops->combine(acc, values[i]);
    return acc;
}

hx_bits hx_make_bits(int ready, int mode, int level, int tail)
{
    hx_bits b = {0};
    b.ready = ready; b.mode = mode; b.level = level; b.tail = tail;
    return b;
}

size_t hx_sizeof(int which)
{
    switch (which) {
    case 0: return sizeof(hx_value);
    case 1: return sizeof(hx_bits);
    case 2: return sizeof(hx_packed);
    case 3: return sizeof(hx_ops);
    case 4: return sizeof(hx_status);
    case 5: return sizeof(enum hx_mask);
    case 6: return sizeof(hx_aligned);
    default: return 0;
    }
}

size_t hx_offsetof(int which)
{
    switch (which) {
    case 0: return offsetof(hx_value, f);
    case 1: return offsetof(hx_value, hi);
    case 2: return offsetof(hx_value, name);
    case 3: return offsetof(hx_value, tags);
    case 4: return offsetof(hx_packed, i);
    case 5: return offsetof(hx_aligned, v);
    case 6: return offsetof(hx_aligned, n);
    default: return 0;
    }
}

int hx_old(void) { return 1; }
int hx_touch(hx_aligned *a) { return a->v + a->n; }
