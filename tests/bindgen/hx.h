/* hx: a small C library written for the bindgen tests. Every construct a naive binding generator
   gets wrong appears here at least once. */
#ifndef HX_H
#define HX_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  define HX_API __declspec(dllexport)
#else
#  define HX_API __attribute__((visibility("default")))
#endif
#define HX_DEPRECATED __attribute__((deprecated))

#ifndef HX_API_VERSION
#  define HX_API_VERSION 2
#endif
#define HX_PTDS(api) api##_ptds

/* renames: the names users call are not the exported symbols */
#if HX_API_VERSION >= 2
#  define hx_open hx_open_v2
#endif
#define hx_sync HX_PTDS(hx_sync)

#define HX_MAX_NAME 32
#define HX_FLAG_READ (1u << 0)
#define HX_FLAG_WRITE (1u << 1)
#define HX_FLAG_ALL (HX_FLAG_READ | HX_FLAG_WRITE)
#define HX_ALL_BITS (~0u)
#define HX_BIG 0x123456789abcdefULL
#define HX_ERR_BUSY ((hx_status)-3)
#define HX_VERSION_STRING "2.1"
#define HX_SCALE 0.5f

typedef enum hx_status {
    HX_OK = 0,
    HX_ERR_INVALID = -1,
    HX_ERR_NOMEM = -2,
    HX_ERR_LAST = HX_ERR_NOMEM - 100,
    HX_MIN = (-2147483647 - 1),
    HX_SHIFTED = 1 << 4,
    HX_NEXT
} hx_status;

enum hx_mask { HX_MASK = 0x80000000u, HX_HEX = 0x7f };

enum { HX_ANON_A = 7, HX_ANON_B };

typedef double vec_t;           /* no prefix: kept because hx_point needs it */
struct unrelated_t { int never_kept; };

struct hx_point { vec_t x, y; };

typedef struct {
    int kind;
    union {                     /* anonymous union */
        int32_t i;
        float f;
        struct { uint16_t lo, hi; };   /* anonymous struct */
    };
    char name[HX_MAX_NAME];
    const char *const *tags;    /* const-qualified pointers */
} hx_value, *hx_value_ptr;

typedef struct hx_bits {
    unsigned int ready : 1;
    unsigned int mode : 3;
    signed int level : 4;
    unsigned int : 0;
    unsigned int tail : 8;
} hx_bits;

#pragma pack(push, 1)
typedef struct hx_packed { char c; int32_t i; } hx_packed;
#pragma pack(pop)

typedef struct hx_aligned { char c; _Alignas(16) int32_t v; _Atomic int n; } hx_aligned;

typedef int (*hx_callback)(void *user, int value);
typedef struct hx_ops {
    int (*combine)(int, int);
    void (*log)(const char *fmt, ...);
} hx_ops;

typedef struct hx_handle_s *hx_handle;   /* opaque */

HX_API hx_status hx_open_v2(const char *__restrict name, int flags, hx_handle *out);
HX_API hx_status hx_close(hx_handle h);
HX_API int hx_sync_ptds(hx_handle h);
HX_API double hx_norm(struct hx_point p);
HX_API int hx_format(char *buf, size_t n, const char *fmt, ...);
HX_API int hx_sum(const int *const values, size_t n);
HX_API int hx_apply(hx_callback cb, void *user, int value);
HX_API int hx_fold(const hx_ops *ops, const int *values, int n);
HX_API hx_bits hx_make_bits(int ready, int mode, int level, int tail);
HX_API size_t hx_sizeof(int which);
HX_API size_t hx_offsetof(int which);
HX_API int hx_touch(hx_aligned *a);
HX_DEPRECATED HX_API int hx_old(void);
extern HX_API int hx_counter;

static inline int hx_twice(int x) { return x * 2; }

#endif
