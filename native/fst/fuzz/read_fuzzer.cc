// libFuzzer target for the OpenFST read path of the shim (joule_fst_read), built with
// AddressSanitizer by `make fst-fuzz` and run by benchmarks/fuzz/openfst.sh.
//
// It runs out of the JVM on purpose: a crash in native code would end a Jazzer run along with
// the JVM. The shim's own sources are compiled into this binary, so the input goes through
// exactly the code OpenFst.read runs: the bytes are written to a file and joule_fst_read opens
// it by path, as Java does. OpenFST's reader templates (VectorFst/ConstFst::Read, instantiated
// here and exported with -rdynamic so libfst's registry calls these instrumented copies) are
// covered; FstHeader::Read and SymbolTable::Read live in the uninstrumented libfst.so, where
// crashes and oversized allocations are still caught but coverage does not guide the search.
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <fst/fstlib.h>

#include <string>
#include <vector>

#include "../joule_fst.h"

// The reader templates libfst.so registers for the types it can read; instantiated here so the
// instrumented copies take precedence (see above).
template class fst::VectorFst<fst::StdArc>;
template class fst::VectorFst<fst::LogArc>;
template class fst::ConstFst<fst::StdArc>;
template class fst::ConstFst<fst::LogArc>;

namespace {

std::string InputPath() {
  const char *dir = getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/joule-fst-fuzz-" + std::to_string(getpid()) + ".fst";
}

// What Java does with a graph it has read (Fst.fromOpenFst copies it out with joule_fst_export;
// FstInfo walks it): a file that reads "successfully" but holds, say, an arc to a missing state
// must fail here too, not later inside a decoder.
void UseLikeJava(JouleFst *f) {
  int n = joule_fst_num_states(f);
  int64_t m = joule_fst_num_arcs_total(f);
  if (n < 0 || m < 0 || n > (1 << 20) || m > (1 << 22)) return;
  std::vector<int> arc_start(n + 1), il(m), ol(m), dst(m);
  std::vector<float> w(m), finals(n);
  joule_fst_export(f, arc_start.data(), il.data(), ol.data(), w.data(), dst.data(), finals.data());
  int64_t info[10];
  joule_fst_info(f, info);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path = InputPath();
  FILE *out = fopen(path.c_str(), "wb");
  if (!out) return 0;
  fwrite(data, 1, size, out);
  fclose(out);
  JouleFst *f = joule_fst_read(path.c_str());
  if (f) {
    UseLikeJava(f);
    joule_fst_free(f);
  }
  return 0;
}
