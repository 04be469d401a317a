// OpenFST shim: see joule_fst.h for the contract. Each entry point validates
// its arguments, runs the OpenFST call with errors captured, and turns any
// failure into a NULL/negative return plus a per-thread message.
#include "joule_fst_internal.h"

#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>
#include <streambuf>
#include <string>

namespace joule {

thread_local std::string captured_log;
thread_local std::string last_error;

std::string TidyLog(const std::string &log) {
  std::string out;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("ERROR: ", 0) == 0) line = line.substr(7);
    if (line.empty()) continue;
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

}  // namespace joule

namespace {

using namespace joule;

// OpenFST logs errors to std::cerr. This buffer keeps what each thread writes,
// so the text of an OpenFST error can travel back to Java with the failure.
class ThreadCaptureBuf : public std::streambuf {
 protected:
  int overflow(int c) override {
    if (c != EOF) captured_log.push_back(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char *s, std::streamsize n) override {
    captured_log.append(s, static_cast<size_t>(n));
    return n;
  }
};

struct Init {
  ThreadCaptureBuf buf;
  Init() {
    FLAGS_fst_error_fatal = false;
    std::cerr.rdbuf(&buf);
  }
};
Init init;

// OpenFST keeps the property bits stored in a file (acceptor, sorted, acyclic, ...) without
// checking them. Wrong bits mislead algorithms (a false "input-sorted" makes compose skip the
// sort), and bits that contradict the graph fail an assertion, aborting the process, as soon as
// OpenFST computes properties (the fuzzer found this). Marking them unknown makes OpenFST
// compute them from the graph when an algorithm asks.
template <class Arc>
fst::VectorFst<Arc> *ForgetStoredProperties(fst::VectorFst<Arc> *f) {
  f->SetProperties(0, fst::kTrinaryProperties);
  return f;
}

}  // namespace

extern "C" {

const char *joule_fst_last_error(void) { return last_error.empty() ? nullptr : last_error.c_str(); }

JouleFst *joule_fst_new(int semiring) {
  return Guard<JouleFst *>(nullptr, "new fst", [&]() -> JouleFst * {
    if (semiring == 0) return Wrap(new fst::VectorFst<StdArc>());
    if (semiring == 1) return Wrap(new fst::VectorFst<LogArc>());
    return Fail<JouleFst *>(nullptr, "unknown semiring " + std::to_string(semiring));
  });
}

void joule_fst_free(JouleFst *fst) { delete fst; }

int joule_fst_semiring(const JouleFst *fst) { return fst->semiring; }

int joule_fst_add_states(JouleFst *f, int n) {
  return Guard<int>(-1, "add states", [&]() -> int {
    if (n < 0) return Fail(-1, "negative state count " + std::to_string(n));
    return Dispatch(f, [&](auto arc) {
      auto *m = Get<decltype(arc)>(f);
      int first = m->NumStates();
      m->ReserveStates(first + n);
      for (int i = 0; i < n; ++i) m->AddState();
      return first;
    });
  });
}

int joule_fst_set_start(JouleFst *f, int s) {
  return Guard<int>(-1, "set start", [&]() -> int {
    if (!ValidState(f, s)) return Fail(-1, "no state " + std::to_string(s));
    Dispatch(f, [&](auto arc) { Get<decltype(arc)>(f)->SetStart(s); return 0; });
    return 0;
  });
}

int joule_fst_set_final(JouleFst *f, int s, float w) {
  return Guard<int>(-1, "set final", [&]() -> int {
    if (!ValidState(f, s)) return Fail(-1, "no state " + std::to_string(s));
    if (std::isnan(w)) return Fail(-1, "NaN final weight on state " + std::to_string(s));
    Dispatch(f, [&](auto arc) {
      using Arc = decltype(arc);
      Get<Arc>(f)->SetFinal(s, typename Arc::Weight(w));
      return 0;
    });
    return 0;
  });
}

int joule_fst_add_arcs(JouleFst *f, int n, const int *src, const int *il, const int *ol,
                       const float *w, const int *dst) {
  return Guard<int>(-1, "add arcs", [&]() -> int {
    for (int i = 0; i < n; ++i) {
      if (!ValidState(f, src[i]) || !ValidState(f, dst[i]))
        return Fail(-1, "arc " + std::to_string(i) + " joins missing state " +
                            std::to_string(src[i]) + " -> " + std::to_string(dst[i]));
      if (il[i] < 0 || ol[i] < 0)
        return Fail(-1, "arc " + std::to_string(i) + " has a negative label");
      if (std::isnan(w[i])) return Fail(-1, "arc " + std::to_string(i) + " has a NaN weight");
    }
    Dispatch(f, [&](auto arc) {
      using Arc = decltype(arc);
      auto *m = Get<Arc>(f);
      for (int i = 0; i < n; ++i)
        m->AddArc(src[i], Arc(il[i], ol[i], typename Arc::Weight(w[i]), dst[i]));
      return 0;
    });
    return n;
  });
}

int joule_fst_start(const JouleFst *f) {
  return Dispatch(f, [&](auto arc) { return static_cast<int>(Get<decltype(arc)>(f)->Start()); });
}

int joule_fst_num_states(const JouleFst *f) {
  return Dispatch(f, [&](auto arc) { return static_cast<int>(Get<decltype(arc)>(f)->NumStates()); });
}

int64_t joule_fst_num_arcs_total(const JouleFst *f) {
  return Dispatch(f, [&](auto arc) {
    auto *m = Get<decltype(arc)>(f);
    int64_t total = 0;
    for (int s = 0; s < m->NumStates(); ++s) total += m->NumArcs(s);
    return total;
  });
}

int joule_fst_num_arcs(const JouleFst *f, int s) {
  BeginCall();
  if (!ValidState(f, s)) return Fail(-1, "no state " + std::to_string(s));
  return Dispatch(f, [&](auto arc) { return static_cast<int>(Get<decltype(arc)>(f)->NumArcs(s)); });
}

float joule_fst_final(const JouleFst *f, int s) {
  BeginCall();
  if (!ValidState(f, s)) return Fail(std::nanf(""), "no state " + std::to_string(s));
  return Dispatch(f, [&](auto arc) { return Get<decltype(arc)>(f)->Final(s).Value(); });
}

int joule_fst_arcs(const JouleFst *f, int s, int capacity, int *il, int *ol, float *w, int *dst) {
  BeginCall();
  if (!ValidState(f, s)) return Fail(-1, "no state " + std::to_string(s));
  return Dispatch(f, [&](auto arc) {
    using Arc = decltype(arc);
    auto *m = Get<Arc>(f);
    int i = 0;
    for (fst::ArcIterator<fst::VectorFst<Arc>> it(*m, s); !it.Done(); it.Next(), ++i) {
      if (i >= capacity) continue;
      const Arc &a = it.Value();
      il[i] = a.ilabel;
      ol[i] = a.olabel;
      w[i] = a.weight.Value();
      dst[i] = a.nextstate;
    }
    return i;
  });
}

int joule_fst_export(const JouleFst *f, int *arc_start, int *il, int *ol, float *w, int *dst,
                     float *finals) {
  return Guard<int>(-1, "export", [&]() -> int {
    return Dispatch(f, [&](auto arc) -> int {
      using Arc = decltype(arc);
      auto *m = Get<Arc>(f);
      int64_t k = 0;
      for (int s = 0; s < m->NumStates(); ++s) {
        if (k > INT32_MAX) return Fail(-1, "more than 2^31 - 1 arcs");
        arc_start[s] = static_cast<int>(k);
        finals[s] = m->Final(s).Value();
        for (fst::ArcIterator<fst::VectorFst<Arc>> it(*m, s); !it.Done(); it.Next(), ++k) {
          const Arc &a = it.Value();
          il[k] = a.ilabel;
          ol[k] = a.olabel;
          w[k] = a.weight.Value();
          dst[k] = a.nextstate;
        }
      }
      if (k > INT32_MAX) return Fail(-1, "more than 2^31 - 1 arcs");
      arc_start[m->NumStates()] = static_cast<int>(k);
      return 0;
    });
  });
}

JouleFst *joule_fst_compose(const JouleFst *left, const JouleFst *right) {
  return Guard<JouleFst *>(nullptr, "compose", [&]() -> JouleFst * {
    if (left->semiring != right->semiring)
      return Fail<JouleFst *>(nullptr, "operands are in different semirings");
    return Dispatch(left, [&](auto arc) -> JouleFst * {
      using Arc = decltype(arc);
      const auto *l = Get<Arc>(left);
      const auto *r = Get<Arc>(right);
      std::unique_ptr<fst::VectorFst<Arc>> sorted;
      if (!l->Properties(fst::kOLabelSorted, true) && !r->Properties(fst::kILabelSorted, true)) {
        sorted.reset(new fst::VectorFst<Arc>(*r));
        fst::ArcSort(sorted.get(), fst::ILabelCompare<Arc>());
        r = sorted.get();
      }
      auto *out = new fst::VectorFst<Arc>();
      fst::Compose(*l, *r, out);
      if (out->Properties(fst::kError, false)) {
        delete out;
        return Fail<JouleFst *>(nullptr, "OpenFST Compose failed");
      }
      return Wrap(out);
    });
  });
}

int joule_fst_write(const JouleFst *f, const char *path) {
  return Guard<int>(-1, "write", [&]() -> int {
    bool ok = Dispatch(f, [&](auto arc) { return Get<decltype(arc)>(f)->Write(std::string(path)); });
    return ok ? 0 : Fail(-1, std::string("cannot write FST to ") + path);
  });
}

JouleFst *joule_fst_read(const char *path) {
  return Guard<JouleFst *>(nullptr, "read", [&]() -> JouleFst * {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail<JouleFst *>(nullptr, std::string("cannot open ") + path);
    fst::FstHeader header;
    if (!header.Read(in, path)) return Fail<JouleFst *>(nullptr, std::string(path) + " is not an OpenFST file");
    in.seekg(0);
    fst::FstReadOptions opts(path);
    if (header.ArcType() == StdArc::Type()) {
      std::unique_ptr<fst::Fst<StdArc>> any(fst::Fst<StdArc>::Read(in, opts));
      if (!any) return Fail<JouleFst *>(nullptr, std::string("cannot read ") + path);
      return Wrap(ForgetStoredProperties(new fst::VectorFst<StdArc>(*any)));
    }
    if (header.ArcType() == LogArc::Type()) {
      std::unique_ptr<fst::Fst<LogArc>> any(fst::Fst<LogArc>::Read(in, opts));
      if (!any) return Fail<JouleFst *>(nullptr, std::string("cannot read ") + path);
      return Wrap(ForgetStoredProperties(new fst::VectorFst<LogArc>(*any)));
    }
    return Fail<JouleFst *>(nullptr, std::string(path) + " has arc type '" + header.ArcType() +
                                         "'; only standard (tropical) and log are supported");
  });
}

}  // extern "C"
