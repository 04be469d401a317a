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

/* Copies the whole FST into caller arrays: arc_start has num_states + 1
 * entries (arcs of state s are [arc_start[s], arc_start[s+1])), the arc arrays
 * have num_arcs_total entries, finals has num_states. Fails past 2^31 - 1 arcs. */
JOULE_API int joule_fst_export(const JouleFst *fst, int *arc_start, int *ilabel, int *olabel,
                               float *weight, int *dst, float *finals);

/* ---- algorithms (joule_fst_ops.cc) ----------------------------------------
 * "In place" functions change fst and return 0 (or -1); the others return a
 * new handle (or NULL). delta is OpenFST's quantization/convergence delta. */
JOULE_API JouleFst *joule_fst_copy(const JouleFst *fst);
/* Sorts each state's arcs by input (by_output = 0) or output label. In place. */
JOULE_API int joule_fst_arcsort(JouleFst *fst, int by_output);
/* left o right without sorting: fails (OpenFST's message) unless left is
 * output-sorted or right input-sorted. */
JOULE_API JouleFst *joule_fst_compose_presorted(const JouleFst *left, const JouleFst *right);
/* Determinizes (functional transducers too). Fails after max_states output
 * states (<= 0: no limit), which stops non-determinizable inputs. */
JOULE_API JouleFst *joule_fst_determinize(const JouleFst *fst, float delta, int64_t max_states);
/* In place; the FST must be input-deterministic. encoded != 0 minimizes with
 * labels and weights encoded as one symbol (no weight or label pushing). */
JOULE_API int joule_fst_minimize(JouleFst *fst, float delta, int encoded);
JOULE_API int joule_fst_rmepsilon(JouleFst *fst);
JOULE_API int joule_fst_connect(JouleFst *fst);
/* Keeps the input (output = 0) or output labels on both sides. In place. */
JOULE_API int joule_fst_project(JouleFst *fst, int output);
JOULE_API int joule_fst_invert(JouleFst *fst);
/* Pushes weights and/or labels towards the initial (to_final = 0) or final states. */
JOULE_API JouleFst *joule_fst_push(const JouleFst *fst, int weights, int labels, int to_final,
                                   float delta);
/* The n best paths (tropical only); unique != 0 keeps distinct strings (acceptors only). */
JOULE_API JouleFst *joule_fst_shortest_path(const JouleFst *fst, int n, int unique, float delta);
/* fst := fst | other, fst := fst other, fst := fst* (plus: fst+). In place. */
JOULE_API int joule_fst_union(JouleFst *fst, const JouleFst *other);
JOULE_API int joule_fst_concat(JouleFst *fst, const JouleFst *other);
JOULE_API int joule_fst_closure(JouleFst *fst, int plus);
/* Replaces labels by the given pairs (labels not listed stay). In place. */
JOULE_API int joule_fst_relabel(JouleFst *fst, int n_in, const int *in_from, const int *in_to,
                                int n_out, const int *out_from, const int *out_to);
/* fstinfo-style figures into out[10]: states, arcs, start, final states,
 * input-epsilon arcs, output-epsilon arcs, epsilon:epsilon arcs, accessible
 * states, coaccessible states, OpenFST property bits (all computed). */
JOULE_API int joule_fst_info(const JouleFst *fst, int64_t *out);
/* 1 when a and b are equal up to state numbering (weights within delta), 0 if not. */
JOULE_API int joule_fst_isomorphic(const JouleFst *a, const JouleFst *b, float delta);

/* OpenFST binary format, readable by fstprint/fstinfo. */
JOULE_API int joule_fst_write(const JouleFst *fst, const char *path);
JOULE_API JouleFst *joule_fst_read(const char *path);

#ifdef __cplusplus
}
#endif
#endif  // JOULE_FST_H_
