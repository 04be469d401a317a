/*
 * libcublas.so.12 compatibility shim.
 *
 * JCublas 12.6 links against libcublas.so.12, but CUDA 13 machines ship only
 * libcublas.so.13. The cuBLAS functions JCublas calls kept their names and C
 * signatures across the two versions, so this library stands in for
 * libcublas.so.12: it carries that soname and symbol version node, and each
 * exported cublas* symbol is a one-instruction trampoline that jumps through a
 * pointer to the function of the same name in libcublas.so.13. The pointers are
 * resolved with dlopen/dlsym when the shim loads (ELF constructor).
 *
 * A trampoline is a bare `jmp`, so arguments and return values pass through
 * untouched whatever the signature. A function missing from libcublas.so.13 (or
 * every function, when libcublas.so.13 itself cannot be opened) is routed to a
 * stub that returns CUBLAS_STATUS_NOT_SUPPORTED, so JCublas reports an error
 * instead of the process jumping to address 0. joule_cublas_compat_error()
 * tells the Java side what went wrong.
 *
 * The engine loads this library (System.load) before JCublas initialises, and
 * only where the dynamic loader cannot find a real libcublas.so.12.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUBLAS_STATUS_NOT_SUPPORTED 15

static int joule_cublas_missing(void) { return CUBLAS_STATUS_NOT_SUPPORTED; }

/* One hidden pointer per forwarded function, initialised to the stub. */
#define CUBLAS_FN(name) \
  __attribute__((visibility("hidden"), used)) void *joule_ptr_##name = (void *)joule_cublas_missing;
#include "cublas_symbols.def"
#undef CUBLAS_FN

/* One trampoline per forwarded function: jmp *pointer(%rip). */
#define CUBLAS_FN(name)                                   \
  __asm__(".text\n"                                       \
          ".globl " #name "\n"                            \
          ".type " #name ", @function\n"                  \
          #name ":\n"                                     \
          "  jmp *joule_ptr_" #name "(%rip)\n"            \
          ".size " #name ", .-" #name "\n");
#include "cublas_symbols.def"
#undef CUBLAS_FN

static char error_text[512];
static int missing_count;

__attribute__((constructor)) static void joule_cublas_compat_init(void) {
  /* The loader's search path first; then JOULE_CUBLAS13 (a full path); then the toolkit's usual home. */
  const char *candidates[] = {"libcublas.so.13", getenv("JOULE_CUBLAS13"),
                              "/usr/local/cuda/lib64/libcublas.so.13"};
  void *real = NULL;
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0] && real == NULL; i++) {
    if (candidates[i] != NULL) real = dlopen(candidates[i], RTLD_NOW | RTLD_GLOBAL);
  }
  if (real == NULL) {
    snprintf(error_text, sizeof error_text,
             "cannot open libcublas.so.13 (searched the loader path, $JOULE_CUBLAS13 and /usr/local/cuda/lib64)");
    return;
  }
#define CUBLAS_FN(name)                       \
  {                                           \
    void *f = dlsym(real, #name);             \
    if (f != NULL) joule_ptr_##name = f;      \
    else missing_count++;                     \
  }
#include "cublas_symbols.def"
#undef CUBLAS_FN
}

/* NULL when every pointer resolved to libcublas.so.13 or only some functions are missing. */
const char *joule_cublas_compat_error(void) { return error_text[0] ? error_text : NULL; }

/* How many forwarded functions libcublas.so.13 lacks (they return CUBLAS_STATUS_NOT_SUPPORTED). */
int joule_cublas_compat_missing_count(void) { return missing_count; }
