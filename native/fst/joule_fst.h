/*
 * Flat C API over OpenFST for Joule's JNA bindings (dev.joule.decoder.fst).
 *
 * Conventions
 *  - An FST handle is an opaque pointer owning a VectorFst in the tropical
 *    (semiring 0, StdArc) or log (semiring 1, LogArc) semiring.
 *  - Functions returning a handle return NULL on failure; functions returning
 *    int/long return a negative value on failure. In both cases
 *    joule_fst_last_error() returns the reason for the calling thread.
 *  - OpenFST errors never abort the process: FLAGS_fst_error_fatal is false,
 *    OpenFST's log output is captured per thread and becomes the error text,
 *    and any C++ exception is caught at this boundary.
 *  - Weights cross as float: the value OpenFST stores (a cost, i.e. -log p);
 *    +infinity is the semiring zero (no arc / not final).
 */
#ifndef JOULE_FST_H_
#define JOULE_FST_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JOULE_API __attribute__((visibility("default")))

typedef struct JouleFst JouleFst;

JOULE_API const char *joule_fst_last_error(void);

JOULE_API JouleFst *joule_fst_new(int semiring);
JOULE_API void joule_fst_free(JouleFst *fst);
JOULE_API int joule_fst_semiring(const JouleFst *fst);

/* Adds n states; returns the id of the first. */
JOULE_API int joule_fst_add_states(JouleFst *fst, int n);
JOULE_API int joule_fst_set_start(JouleFst *fst, int state);
JOULE_API int joule_fst_set_final(JouleFst *fst, int state, float weight);
/* Adds n arcs; arc i leaves src[i]. Every state id must exist and labels must be >= 0. */
JOULE_API int joule_fst_add_arcs(JouleFst *fst, int n, const int *src, const int *ilabel,
                                 const int *olabel, const float *weight, const int *dst);

JOULE_API int joule_fst_start(const JouleFst *fst);
JOULE_API int joule_fst_num_states(const JouleFst *fst);
JOULE_API int64_t joule_fst_num_arcs_total(const JouleFst *fst);
JOULE_API int joule_fst_num_arcs(const JouleFst *fst, int state);
JOULE_API float joule_fst_final(const JouleFst *fst, int state);
/* Copies up to capacity arcs of state into the arrays; returns how many the state has. */
JOULE_API int joule_fst_arcs(const JouleFst *fst, int state, int capacity, int *ilabel, int *olabel,
                             float *weight, int *dst);

/* left o right, both in the same semiring; arc-sorts a copy of right when needed. */
JOULE_API JouleFst *joule_fst_compose(const JouleFst *left, const JouleFst *right);

/* OpenFST binary format, readable by fstprint/fstinfo. */
JOULE_API int joule_fst_write(const JouleFst *fst, const char *path);
JOULE_API JouleFst *joule_fst_read(const char *path);

#ifdef __cplusplus
}
#endif
#endif  // JOULE_FST_H_
