// Shared plumbing of the OpenFST shim's translation units: the handle type,
// semiring dispatch and the error-capturing call guard. Not part of the C API.
#ifndef JOULE_FST_INTERNAL_H_
#define JOULE_FST_INTERNAL_H_

#include <fst/fstlib.h>

#include <memory>
#include <string>

#include "joule_fst.h"

struct JouleFst {
  int semiring;  // 0 tropical, 1 log
  std::unique_ptr<fst::VectorFst<fst::StdArc>> tropical;
  std::unique_ptr<fst::VectorFst<fst::LogArc>> log;
};

namespace joule {

using fst::LogArc;
using fst::StdArc;

// What OpenFST wrote to std::cerr during the current call on this thread.
extern thread_local std::string captured_log;
// The message joule_fst_last_error() returns on this thread.
extern thread_local std::string last_error;

// Strips OpenFST's "ERROR: " prefixes and joins the captured lines.
std::string TidyLog(const std::string &log);

// Records a failure; returns the given value so callers can `return Fail(...)`.
template <typename T>
T Fail(T value, const std::string &what) {
  std::string log = TidyLog(captured_log);
  captured_log.clear();
  last_error = log.empty() ? what : what + ": " + log;
  return value;
}

inline void BeginCall() {
  captured_log.clear();
  last_error.clear();
}

template <class Arc>
fst::VectorFst<Arc> *Get(const JouleFst *f);
template <>
inline fst::VectorFst<StdArc> *Get<StdArc>(const JouleFst *f) { return f->tropical.get(); }
template <>
inline fst::VectorFst<LogArc> *Get<LogArc>(const JouleFst *f) { return f->log.get(); }

inline JouleFst *Wrap(fst::VectorFst<StdArc> *f) {
  return new JouleFst{0, std::unique_ptr<fst::VectorFst<StdArc>>(f), nullptr};
}
inline JouleFst *Wrap(fst::VectorFst<LogArc> *f) {
  return new JouleFst{1, nullptr, std::unique_ptr<fst::VectorFst<LogArc>>(f)};
}

// Calls fn(Arc()) for the handle's arc type, so fn can be a generic lambda.
template <class Fn>
auto Dispatch(const JouleFst *f, Fn &&fn) {
  return f->semiring == 0 ? fn(StdArc()) : fn(LogArc());
}

inline bool ValidState(const JouleFst *f, int s) {
  int n = Dispatch(f, [&](auto arc) { return Get<decltype(arc)>(f)->NumStates(); });
  return s >= 0 && s < n;
}

// Wraps an entry point: starts a fresh error context and catches C++ exceptions.
template <typename T, class Fn>
T Guard(T on_error, const char *what, Fn &&fn) {
  BeginCall();
  try {
    return fn();
  } catch (const std::exception &e) {
    return Fail(on_error, std::string(what) + ": " + e.what());
  } catch (...) {
    return Fail(on_error, std::string(what) + ": unknown C++ exception");
  }
}

// True when OpenFST flagged `f` as broken by the last operation (kError).
template <class F>
bool Broken(const F &f) {
  return f.Properties(fst::kError, false) != 0;
}

}  // namespace joule

#endif  // JOULE_FST_INTERNAL_H_
