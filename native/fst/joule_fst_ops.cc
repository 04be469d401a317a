// OpenFST shim, algorithms: see joule_fst.h for the contract. Kept apart from
// the core entry points so that a change here recompiles only this file.
//
// OpenFST reports most failures by logging and setting kError on the result
// rather than by returning a status, so every call below checks kError
// afterwards. Calls that would abort or never finish on bad input (shortest
// path in a semiring without the path property, determinizing a
// non-determinizable FST) are refused or bounded before OpenFST runs.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "joule_fst_internal.h"

namespace {

using namespace joule;

// Runs an in-place mutation and reports kError as a failure.
template <class Fn>
int Mutate(JouleFst *f, const char *what, Fn &&fn) {
  return Guard<int>(-1, what, [&]() -> int {
    return Dispatch(f, [&](auto arc) -> int {
      using Arc = decltype(arc);
      auto *m = Get<Arc>(f);
      fn(m);
      if (Broken(*m)) return Fail(-1, std::string("OpenFST ") + what + " failed");
      return 0;
    });
  });
}

// Runs fn(input, output) into a fresh VectorFst and wraps it, or reports kError.
template <class Fn>
JouleFst *Produce(const JouleFst *f, const char *what, Fn &&fn) {
  return Guard<JouleFst *>(nullptr, what, [&]() -> JouleFst * {
    return Dispatch(f, [&](auto arc) -> JouleFst * {
      using Arc = decltype(arc);
      std::unique_ptr<fst::VectorFst<Arc>> out(new fst::VectorFst<Arc>());
      if (!fn(*Get<Arc>(f), out.get())) return nullptr;  // fn called Fail
      if (Broken(*out)) return Fail<JouleFst *>(nullptr, std::string("OpenFST ") + what + " failed");
      return Wrap(out.release());
    });
  });
}

// Copies the lazy FST `lazy` into `out`, state by state in discovery order,
// giving up past max_states so a non-determinizable input cannot run forever.
template <class Arc>
bool ExpandBounded(const fst::Fst<Arc> &lazy, fst::VectorFst<Arc> *out, int64_t max_states,
                   const char *what) {
  using StateId = typename Arc::StateId;
  StateId start = lazy.Start();
  if (Broken(lazy)) return Fail(false, std::string("OpenFST ") + what + " failed");
  if (start == fst::kNoStateId) return true;
  auto ensure = [&](StateId s) {
    while (out->NumStates() <= s) out->AddState();
  };
  ensure(start);
  out->SetStart(start);
  for (StateId s = 0; s < out->NumStates(); ++s) {
    if (max_states > 0 && out->NumStates() > max_states)
      return Fail(false, std::string(what) + " exceeded " + std::to_string(max_states) +
                             " states; the input is probably not determinizable"
                             " (add disambiguation symbols) or needs a larger limit");
    out->SetFinal(s, lazy.Final(s));
    for (fst::ArcIterator<fst::Fst<Arc>> it(lazy, s); !it.Done(); it.Next()) {
      const Arc &a = it.Value();
      ensure(a.nextstate);
      out->AddArc(s, a);
    }
    if (Broken(lazy)) return Fail(false, std::string("OpenFST ") + what + " failed");
  }
  return true;
}

template <class Arc>
void MinimizeEncoded(fst::MutableFst<Arc> *m) {
  // Kaldi's MinimizeEncoded: labels and weights become one acceptor label, so
  // minimization merges only states with identical futures and never pushes
  // weights or labels (which would move word labels in L o G).
  fst::EncodeMapper<Arc> encoder(fst::kEncodeLabels | fst::kEncodeWeights, fst::ENCODE);
  fst::Encode(m, &encoder);
  fst::internal::AcceptorMinimize(m);
  fst::Decode(m, encoder);
}

template <class Arc>
std::vector<std::pair<typename Arc::Label, typename Arc::Label>> Pairs(int n, const int *from,
                                                                        const int *to) {
  std::vector<std::pair<typename Arc::Label, typename Arc::Label>> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.emplace_back(from[i], to[i]);
  return out;
}

}  // namespace

extern "C" {

JouleFst *joule_fst_copy(const JouleFst *f) {
  return Produce(f, "copy", [&](const auto &in, auto *out) {
    *out = in;
    return true;
  });
}

int joule_fst_arcsort(JouleFst *f, int by_output) {
  return Mutate(f, "arcsort", [&](auto *m) {
    using Arc = typename std::remove_pointer_t<decltype(m)>::Arc;
    if (by_output)
      fst::ArcSort(m, fst::OLabelCompare<Arc>());
    else
      fst::ArcSort(m, fst::ILabelCompare<Arc>());
  });
}

JouleFst *joule_fst_compose_presorted(const JouleFst *left, const JouleFst *right) {
  return Guard<JouleFst *>(nullptr, "compose", [&]() -> JouleFst * {
    if (left->semiring != right->semiring)
      return Fail<JouleFst *>(nullptr, "operands are in different semirings");
    return Dispatch(left, [&](auto arc) -> JouleFst * {
      using Arc = decltype(arc);
      std::unique_ptr<fst::VectorFst<Arc>> out(new fst::VectorFst<Arc>());
      fst::Compose(*Get<Arc>(left), *Get<Arc>(right), out.get());
      if (Broken(*out)) return Fail<JouleFst *>(nullptr, "OpenFST Compose failed");
      return Wrap(out.release());
    });
  });
}

JouleFst *joule_fst_determinize(const JouleFst *f, float delta, int64_t max_states) {
  return Produce(f, "determinize", [&](const auto &in, auto *out) -> bool {
    using Arc = typename std::remove_pointer_t<decltype(out)>::Arc;
    if (!(delta > 0)) return Fail(false, "delta must be positive, got " + std::to_string(delta));
    fst::DeterminizeFstOptions<Arc> opts(fst::CacheOptions(), delta);
    fst::DeterminizeFst<Arc> lazy(in, opts);
    return ExpandBounded<Arc>(lazy, out, max_states, "determinize");
  });
}

int joule_fst_minimize(JouleFst *f, float delta, int encoded) {
  return Guard<int>(-1, "minimize", [&]() -> int {
    if (!(delta > 0)) return Fail(-1, "delta must be positive, got " + std::to_string(delta));
    return Dispatch(f, [&](auto arc) -> int {
      using Arc = decltype(arc);
      auto *m = Get<Arc>(f);
      // OpenFST's minimization is only defined on input-deterministic FSTs
      // (checked here so the message says what to do).
      if (!m->Properties(fst::kIDeterministic, true))
        return Fail(-1, "the FST is not input-deterministic; determinize it first");
      if (encoded)
        MinimizeEncoded(m);
      else
        fst::Minimize(m, static_cast<fst::MutableFst<Arc> *>(nullptr), delta);
      if (Broken(*m)) return Fail(-1, "OpenFST Minimize failed");
      return 0;
    });
  });
}

int joule_fst_rmepsilon(JouleFst *f) {
  return Mutate(f, "rmepsilon", [&](auto *m) { fst::RmEpsilon(m); });
}

int joule_fst_connect(JouleFst *f) {
  return Mutate(f, "connect", [&](auto *m) { fst::Connect(m); });
}

int joule_fst_project(JouleFst *f, int output) {
  return Mutate(f, "project", [&](auto *m) {
    fst::Project(m, output ? fst::ProjectType::OUTPUT : fst::ProjectType::INPUT);
  });
}

int joule_fst_invert(JouleFst *f) {
  return Mutate(f, "invert", [&](auto *m) { fst::Invert(m); });
}

JouleFst *joule_fst_push(const JouleFst *f, int weights, int labels, int to_final, float delta) {
  return Produce(f, "push", [&](const auto &in, auto *out) -> bool {
    using Arc = typename std::remove_pointer_t<decltype(out)>::Arc;
    if (!(delta > 0)) return Fail(false, "delta must be positive, got " + std::to_string(delta));
    uint8_t ptype = (weights ? fst::kPushWeights : 0) | (labels ? fst::kPushLabels : 0);
    if (ptype == 0) {
      *out = in;
    } else if (to_final) {
      fst::Push<Arc, fst::REWEIGHT_TO_FINAL>(in, out, ptype, delta);
    } else {
      fst::Push<Arc, fst::REWEIGHT_TO_INITIAL>(in, out, ptype, delta);
    }
    return true;
  });
}

JouleFst *joule_fst_shortest_path(const JouleFst *f, int n, int unique, float delta) {
  if (f->semiring != 0) {
    BeginCall();
    // OpenFST's ShortestPath needs a semiring with the path property.
    return Fail<JouleFst *>(nullptr, "shortest path needs the tropical semiring (the log semiring has no path property)");
  }
  return Produce(f, "shortest path", [&](const auto &in, auto *out) -> bool {
    if (n < 1) return Fail(false, "n must be at least 1, got " + std::to_string(n));
    if (!(delta > 0)) return Fail(false, "delta must be positive, got " + std::to_string(delta));
    using Arc = typename std::remove_pointer_t<decltype(out)>::Arc;
    if (unique && !in.Properties(fst::kAcceptor, true)) {
      // unique=true needs determinizing the input, which OpenFST only does for acceptors here.
      return Fail(false, "unique n-best needs an acceptor; project the FST first");
    }
    fst::ShortestPath(in, out, n, unique != 0, false, Arc::Weight::Zero(), fst::kNoStateId, delta);
    return true;
  });
}

int joule_fst_union(JouleFst *f, const JouleFst *other) {
  if (f->semiring != other->semiring) {
    BeginCall();
    return Fail(-1, "union: operands are in different semirings");
  }
  return Mutate(f, "union", [&](auto *m) {
    using Arc = typename std::remove_pointer_t<decltype(m)>::Arc;
    fst::Union(m, *Get<Arc>(other));
  });
}

int joule_fst_concat(JouleFst *f, const JouleFst *other) {
  if (f->semiring != other->semiring) {
    BeginCall();
    return Fail(-1, "concat: operands are in different semirings");
  }
  return Mutate(f, "concat", [&](auto *m) {
    using Arc = typename std::remove_pointer_t<decltype(m)>::Arc;
    fst::Concat(m, *Get<Arc>(other));
  });
}

int joule_fst_closure(JouleFst *f, int plus) {
  return Mutate(f, "closure", [&](auto *m) {
    fst::Closure(m, plus ? fst::CLOSURE_PLUS : fst::CLOSURE_STAR);
  });
}

int joule_fst_relabel(JouleFst *f, int n_in, const int *in_from, const int *in_to, int n_out,
                      const int *out_from, const int *out_to) {
  BeginCall();
  for (int i = 0; i < n_in; ++i)
    if (in_from[i] < 0 || in_to[i] < 0) return Fail(-1, "relabel: negative input label");
  for (int i = 0; i < n_out; ++i)
    if (out_from[i] < 0 || out_to[i] < 0) return Fail(-1, "relabel: negative output label");
  return Mutate(f, "relabel", [&](auto *m) {
    using Arc = typename std::remove_pointer_t<decltype(m)>::Arc;
    fst::Relabel(m, Pairs<Arc>(n_in, in_from, in_to), Pairs<Arc>(n_out, out_from, out_to));
  });
}

int joule_fst_info(const JouleFst *f, int64_t *out) {
  return Guard<int>(-1, "info", [&]() -> int {
    return Dispatch(f, [&](auto arc) -> int {
      using Arc = decltype(arc);
      auto *m = Get<Arc>(f);
      int64_t arcs = 0, finals = 0, ieps = 0, oeps = 0, ioeps = 0;
      for (int s = 0; s < m->NumStates(); ++s) {
        if (m->Final(s) != Arc::Weight::Zero()) ++finals;
        for (fst::ArcIterator<fst::VectorFst<Arc>> it(*m, s); !it.Done(); it.Next()) {
          const Arc &a = it.Value();
          ++arcs;
          if (a.ilabel == 0) ++ieps;
          if (a.olabel == 0) ++oeps;
          if (a.ilabel == 0 && a.olabel == 0) ++ioeps;
        }
      }
      // Same definitions as fstinfo: reachable from the start, reaching a final state.
      std::vector<bool> access, coaccess;
      uint64_t props = 0;
      fst::SccVisitor<Arc> scc(nullptr, &access, &coaccess, &props);
      fst::DfsVisit(*m, &scc);
      int64_t nacc = 0, ncoacc = 0;
      for (bool b : access) nacc += b;
      for (bool b : coaccess) ncoacc += b;
      out[0] = m->NumStates();
      out[1] = arcs;
      out[2] = m->Start();
      out[3] = finals;
      out[4] = ieps;
      out[5] = oeps;
      out[6] = ioeps;
      out[7] = nacc;
      out[8] = ncoacc;
      // OpenFST 1.7.9's ComputeProperties dereferences an empty SCC vector when asked for the
      // cycle properties of an FST with no start state and a weighted arc (a segfault); without a
      // start state those properties stay unknown (reported as absent).
      uint64_t mask = fst::kFstProperties;
      if (m->Start() == fst::kNoStateId) {
        mask &= ~(fst::kCyclic | fst::kAcyclic | fst::kInitialCyclic | fst::kInitialAcyclic |
                  fst::kAccessible | fst::kNotAccessible | fst::kCoAccessible |
                  fst::kNotCoAccessible | fst::kWeightedCycles | fst::kUnweightedCycles);
      }
      out[9] = static_cast<int64_t>(m->Properties(mask, true));
      return 0;
    });
  });
}

int joule_fst_isomorphic(const JouleFst *a, const JouleFst *b, float delta) {
  return Guard<int>(-1, "isomorphic", [&]() -> int {
    if (a->semiring != b->semiring) return Fail(-1, "operands are in different semirings");
    return Dispatch(a, [&](auto arc) -> int {
      using Arc = decltype(arc);
      bool same = fst::Isomorphic(*Get<Arc>(a), *Get<Arc>(b), delta);
      if (!captured_log.empty()) return Fail(-1, "OpenFST Isomorphic could not decide");
      return same ? 1 : 0;
    });
  });
}

}  // extern "C"
