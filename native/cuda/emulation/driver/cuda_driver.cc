// An emulated CUDA driver: the libcuda.so.1 entry points the engine reaches through JCuda,
// served on the host, with every kernel of native/cuda/ compiled in as C++ (see cuda_host.h and
// kernel_registry.h). Loaded in place of NVIDIA's driver (LD_LIBRARY_PATH) by the GPU test run
// that CI makes without a GPU, so the Java side of the GPU path (argument lists, offsets, buffer
// sizes, stream and graph use) is exercised on every change, not only when a card is at hand.
//
// The model: one device; device memory is host memory; all streams run their work in the order
// it is queued, at the moment it is queued (a valid schedule of any correct program), except
// while a stream is being captured, when the work is recorded into the graph instead. Checks a
// real driver makes are made here too, with a message on stderr saying what was wrong, and some
// it cannot afford: copies must lie inside one allocation, kernel pointer arguments must point
// into device memory, a stream being captured cannot be synchronised or copied to the host, and
// handles must be live. Device memory starts as 0xFF bytes (NaN floats, -1 integers), so reading
// memory nobody wrote shows, and a guard page after every allocation stops a kernel that runs
// past its end.
//
// Not modelled: concurrency between streams (so a missing wait between streams goes unseen),
// timing, and the hardware's arithmetic (cuda_host.h says what that means for the kernels).
//
// Environment:
//   JOULE_EMULATED_GPU_MEMORY_GIB=N  device memory to report and allow (default 8).
//   JOULE_EMULATED_GPU_SKIP_WORK=1   check and count kernels and GEMMs but do not run them, and
//                                    leave fresh memory unfilled: what remains is the host's side
//                                    of a workload (the engine's op dispatch, argument marshalling,
//                                    allocation), measurable at full size on a machine without a GPU.
//   JOULE_EMULATED_GPU_REPORT=1      print launch counts per kernel to stderr at exit.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "driver.h"
#include "kernel_registry.h"

namespace emulate_driver {
namespace {

constexpr unsigned kMaxThreadsPerBlock = 1024;
constexpr size_t kMaxSharedBytesPerBlock = 48 * 1024;

struct Stream;
struct Graph {
  std::vector<std::function<void()>> work;
  Stream* origin = nullptr;  // the stream that began the capture; null once it has ended
};
struct Stream {
  Graph* capturing = nullptr;
  // Work queued on this stream in the current capture, and how much of it the capture's other
  // streams have waited for: a forked stream must be joined back before the capture ends.
  unsigned long long queued = 0, joined = 0;
};
struct Event {
  Graph* recordedInCapture = nullptr;
  Stream* stream = nullptr;
  unsigned long long queuedAtRecord = 0;
};
struct Module {
  std::set<std::string> kernels;
};
struct Function {
  std::string name;
  Binder binder;
};
struct Allocation {
  size_t bytes;
  void* mapping;
  size_t mappingBytes;
};

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && std::strcmp(v, "1") == 0;
}

size_t env_gib(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && std::atol(v) > 0 ? (size_t)std::atol(v) : fallback) << 30;
}

const size_t kDeviceMemoryBytes = env_gib("JOULE_EMULATED_GPU_MEMORY_GIB", 8);
const bool kSkipWork = env_flag("JOULE_EMULATED_GPU_SKIP_WORK");
// Calls are counted only for the report: the test runs make millions of them.
const bool kReport = env_flag("JOULE_EMULATED_GPU_REPORT");

struct State {
  std::recursive_mutex lock;
  // For the exit report: kernel launches by name, and calls by driver function.
  std::map<std::string, unsigned long long> launches;
  std::map<std::string, unsigned long long> calls;
  std::unordered_map<std::string, Binder> registry;
  std::map<uintptr_t, Allocation> allocations;  // by base address
  size_t allocatedBytes = 0;
  std::set<void*> streams, events, graphs, execs, modules;
  std::map<std::pair<void*, std::string>, Function*> functions;  // by module and name, made once
  std::set<void*> functionHandles;
  bool initialised = false;
};

State& state() {
  static State* s = new State;  // never destroyed: the JVM may call in during its exit
  return *s;
}

const Allocation* allocation_of(uintptr_t p, uintptr_t* base) {
  auto& a = state().allocations;
  auto it = a.upper_bound(p);
  if (it == a.begin()) return nullptr;
  --it;
  if (p > it->first + it->second.bytes) return nullptr;
  *base = it->first;
  return &it->second;
}

template <typename T>
bool live(const std::set<void*>& handles, T* handle) {
  return handles.count(handle) > 0;
}

Stream* stream_of(void* handle) { return static_cast<Stream*>(handle); }

bool any_capture() {
  for (void* s : state().streams) {
    if (stream_of(s)->capturing) return true;
  }
  return false;
}

void print_report() {
  State& s = state();
  std::lock_guard<std::recursive_mutex> locked(s.lock);
  std::vector<std::pair<unsigned long long, std::string>> byCount;
  unsigned long long total = 0;
  for (auto& [name, n] : s.launches) {
    byCount.push_back({n, name});
    total += n;
  }
  std::sort(byCount.rbegin(), byCount.rend());
  std::fprintf(stderr, "emulated CUDA: %llu kernel launches\n", total);
  for (auto& [n, name] : byCount) std::fprintf(stderr, "  %10llu  %s\n", n, name.c_str());
  std::fprintf(stderr, "emulated CUDA: other calls\n");
  for (auto& [name, n] : s.calls) std::fprintf(stderr, "  %10llu  %s\n", n, name.c_str());
}

}  // namespace

bool skip_work() { return kSkipWork; }

void count_call(const char* function) {
  if (!kReport) return;
  std::lock_guard<std::recursive_mutex> locked(state().lock);
  state().calls[function]++;
}

void register_kernel(const char* name, Binder binder) { state().registry[name] = binder; }

bool is_device_address(const void* p) {
  std::lock_guard<std::recursive_mutex> locked(state().lock);
  uintptr_t base;
  return allocation_of(reinterpret_cast<uintptr_t>(p), &base) != nullptr;
}

bool is_device_range(const void* p, size_t bytes) {
  std::lock_guard<std::recursive_mutex> locked(state().lock);
  uintptr_t base;
  auto start = reinterpret_cast<uintptr_t>(p);
  const Allocation* a = allocation_of(start, &base);
  return a != nullptr && bytes <= base + a->bytes - start;  // start <= end: no overflow
}

void report(const char* function, const std::string& what) {
  std::fprintf(stderr, "emulated CUDA: %s: %s\n", function, what.c_str());
  std::fflush(stderr);
}

int submit(void* stream, std::function<void()> work) {
  std::lock_guard<std::recursive_mutex> guard(state().lock);
  if (stream != nullptr && !live(state().streams, stream)) {
    report("submit", "stream is not live");
    return kInvalidHandle;
  }
  if (stream != nullptr && stream_of(stream)->capturing) {
    stream_of(stream)->capturing->work.push_back(std::move(work));
    stream_of(stream)->queued++;
  } else {
    work();
  }
  return kSuccess;
}

}  // namespace emulate_driver

using namespace emulate_driver;
using CUresult = int;
using CUdeviceptr = unsigned long long;

#define LOCKED                                                \
  std::lock_guard<std::recursive_mutex> locked(state().lock); \
  if (kReport) state().calls[__func__]++

// A new T whose address is its handle, and its end; a handle not in `handles` is refused.
template <typename T>
static CUresult new_handle(std::set<void*>& handles, void** handle) {
  auto* h = new T;
  handles.insert(h);
  *handle = h;
  return kSuccess;
}

template <typename T>
static CUresult delete_handle(std::set<void*>& handles, void* handle) {
  if (!live(handles, handle)) return kInvalidHandle;
  handles.erase(handle);
  delete static_cast<T*>(handle);
  return kSuccess;
}

extern "C" {

CUresult cuInit(unsigned flags) {
  LOCKED;
  if (flags != 0) return kInvalidValue;
  if (!state().initialised && kReport) std::atexit(print_report);
  state().initialised = true;
  return kSuccess;
}

CUresult cuDriverGetVersion(int* version) {
  *version = 12060;
  return kSuccess;
}

CUresult cuDeviceGetCount(int* count) {
  LOCKED;
  if (!state().initialised) return kNotInitialized;
  *count = 1;
  return kSuccess;
}

CUresult cuDeviceGet(int* device, int ordinal) {
  LOCKED;
  if (!state().initialised) return kNotInitialized;
  if (ordinal != 0) return kInvalidDevice;
  *device = 0;
  return kSuccess;
}

CUresult cuDeviceGetName(char* name, int length, int device) {
  if (device != 0) return kInvalidDevice;
  std::snprintf(name, length, "%s", "Joule kernel emulation (host CPU)");
  return kSuccess;
}

CUresult cuDeviceGetAttribute(int* value, int attribute, int device) {
  if (device != 0) return kInvalidDevice;
  switch (attribute) {
    case 1: *value = kMaxThreadsPerBlock; return kSuccess;                 // MAX_THREADS_PER_BLOCK
    case 8: *value = (int)kMaxSharedBytesPerBlock; return kSuccess;        // MAX_SHARED_MEMORY_PER_BLOCK
    case 10: *value = 32; return kSuccess;                                 // WARP_SIZE
    case 13: *value = 1000000; return kSuccess;                            // CLOCK_RATE (kHz)
    case 16: *value = 2; return kSuccess;                                  // MULTIPROCESSOR_COUNT
    case 75: *value = 8; return kSuccess;                                  // COMPUTE_CAPABILITY_MAJOR
    case 76: *value = 0; return kSuccess;                                  // COMPUTE_CAPABILITY_MINOR
    default:
      report("cuDeviceGetAttribute", "attribute " + std::to_string(attribute) + " is not emulated");
      return kNotSupported;
  }
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, int device) {
  if (device != 0) return kInvalidDevice;
  *bytes = kDeviceMemoryBytes;
  return kSuccess;
}

// One primary context; its handle is any non-null value.
static int primary_context;

CUresult cuDevicePrimaryCtxRetain(void** context, int device) {
  if (device != 0) return kInvalidDevice;
  *context = &primary_context;
  return kSuccess;
}

CUresult cuDevicePrimaryCtxRelease_v2(int device) { return device == 0 ? kSuccess : kInvalidDevice; }

CUresult cuCtxSetCurrent(void* context) {
  return context == nullptr || context == &primary_context ? kSuccess : kInvalidContext;
}

CUresult cuCtxSynchronize() {
  LOCKED;
  if (any_capture()) {
    report("cuCtxSynchronize", "called while a stream is being captured");
    return kStreamCaptureUnsupported;
  }
  return kSuccess;
}

CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
  LOCKED;
  *total = kDeviceMemoryBytes;
  *free = kDeviceMemoryBytes - state().allocatedBytes;
  return kSuccess;
}

CUresult cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes) {
  LOCKED;
  if (bytes == 0) return kInvalidValue;
  if (bytes > kDeviceMemoryBytes - state().allocatedBytes) return kOutOfMemory;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t body = (bytes + 255) / 256 * 256;
  size_t mappingBytes = (body + page - 1) / page * page + page;
  void* mapping = mmap(nullptr, mappingBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping == MAP_FAILED) return kOutOfMemory;
  char* guard = static_cast<char*>(mapping) + mappingBytes - page;
  if (mprotect(guard, page, PROT_NONE) != 0) {
    munmap(mapping, mappingBytes);
    report("cuMemAlloc", "cannot protect the guard page (too many mappings?)");
    return kOutOfMemory;
  }
  char* base = guard - body;
  if (!kSkipWork) std::memset(base, 0xFF, body);
  state().allocations[reinterpret_cast<uintptr_t>(base)] = {bytes, mapping, mappingBytes};
  state().allocatedBytes += bytes;
  *pointer = reinterpret_cast<uintptr_t>(base);
  return kSuccess;
}

CUresult cuMemFree_v2(CUdeviceptr pointer) {
  LOCKED;
  auto it = state().allocations.find(pointer);
  if (it == state().allocations.end()) {
    report("cuMemFree", "not the start of a live allocation");
    return kInvalidValue;
  }
  munmap(it->second.mapping, it->second.mappingBytes);
  state().allocatedBytes -= it->second.bytes;
  state().allocations.erase(it);
  return kSuccess;
}

static bool check_range(const char* function, const char* which, CUdeviceptr p, size_t bytes) {
  if (is_device_range(reinterpret_cast<void*>(p), bytes)) return true;
  report(function, std::string(which) + " range of " + std::to_string(bytes) + " bytes is not inside one device allocation");
  return false;
}

// A copy that reads or writes host memory: allowed on a stream that is not being captured. (The
// legacy stream may copy while another stream captures: the engine's streams are non-blocking
// and capture in relaxed mode.)
static CUresult host_copy(const char* function, void* stream, void* dst, const void* src, size_t bytes) {
  if (stream != nullptr && !live(state().streams, stream)) return kInvalidHandle;
  if (stream != nullptr && stream_of(stream)->capturing) {
    report(function, "host copy on a stream being captured: a graph cannot hold a pageable host copy");
    return kStreamCaptureUnsupported;
  }
  if (bytes > 0) std::memcpy(dst, src, bytes);
  return kSuccess;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
  LOCKED;
  if (!check_range("cuMemcpyHtoD", "destination", dst, bytes)) return kInvalidValue;
  return host_copy("cuMemcpyHtoD", nullptr, reinterpret_cast<void*>(dst), src, bytes);
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t bytes, void* stream) {
  LOCKED;
  if (!check_range("cuMemcpyHtoDAsync", "destination", dst, bytes)) return kInvalidValue;
  return host_copy("cuMemcpyHtoDAsync", stream, reinterpret_cast<void*>(dst), src, bytes);
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
  LOCKED;
  if (!check_range("cuMemcpyDtoH", "source", src, bytes)) return kInvalidValue;
  return host_copy("cuMemcpyDtoH", nullptr, dst, reinterpret_cast<void*>(src), bytes);
}

CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t bytes, void* stream) {
  LOCKED;
  if (!check_range("cuMemcpyDtoHAsync", "source", src, bytes)) return kInvalidValue;
  return host_copy("cuMemcpyDtoHAsync", stream, dst, reinterpret_cast<void*>(src), bytes);
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, void* stream) {
  LOCKED;
  if (!check_range("cuMemcpyDtoDAsync", "destination", dst, bytes) ||
      !check_range("cuMemcpyDtoDAsync", "source", src, bytes)) {
    return kInvalidValue;
  }
  return submit(stream, [=] { std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), bytes); });
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes) { return cuMemcpyDtoDAsync_v2(dst, src, bytes, nullptr); }

CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t count, void* stream) {
  LOCKED;
  if (!check_range("cuMemsetD8Async", "destination", dst, count)) return kInvalidValue;
  return submit(stream, [=] { std::memset(reinterpret_cast<void*>(dst), value, count); });
}

CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t count) { return cuMemsetD8Async(dst, value, count, nullptr); }

CUresult cuStreamCreate(void** stream, unsigned /*flags*/) {
  LOCKED;
  return new_handle<Stream>(state().streams, stream);
}

CUresult cuStreamDestroy_v2(void* stream) {
  LOCKED;
  return delete_handle<Stream>(state().streams, stream);
}

CUresult cuStreamSynchronize(void* stream) {
  LOCKED;
  if (stream != nullptr && !live(state().streams, stream)) return kInvalidHandle;
  if (stream != nullptr && stream_of(stream)->capturing) {
    report("cuStreamSynchronize", "the stream is being captured");
    return kStreamCaptureUnsupported;
  }
  return kSuccess;
}

CUresult cuEventCreate(void** event, unsigned /*flags*/) {
  LOCKED;
  return new_handle<Event>(state().events, event);
}

CUresult cuEventDestroy_v2(void* event) {
  LOCKED;
  return delete_handle<Event>(state().events, event);
}

CUresult cuEventRecord(void* event, void* stream) {
  LOCKED;
  if (!live(state().events, event)) return kInvalidHandle;
  if (stream != nullptr && !live(state().streams, stream)) return kInvalidHandle;
  auto* e = static_cast<Event*>(event);
  e->recordedInCapture = stream != nullptr ? stream_of(stream)->capturing : nullptr;
  e->stream = e->recordedInCapture != nullptr ? stream_of(stream) : nullptr;
  e->queuedAtRecord = e->stream != nullptr ? e->stream->queued : 0;
  return kSuccess;
}

CUresult cuEventSynchronize(void* event) {
  LOCKED;
  return live(state().events, event) ? kSuccess : kInvalidHandle;
}

// Waiting for an event recorded in a capture makes the waiting stream join that capture, as
// CUDA's fork into a captured graph does.
CUresult cuStreamWaitEvent(void* stream, void* event, unsigned /*flags*/) {
  LOCKED;
  if (!live(state().events, event)) return kInvalidHandle;
  if (stream != nullptr && !live(state().streams, stream)) return kInvalidHandle;
  auto* e = static_cast<Event*>(event);
  Graph* capture = e->recordedInCapture;
  if (capture == nullptr || state().graphs.count(capture) == 0 || capture->origin == nullptr) {
    return kSuccess;  // recorded outside a capture, or in one that has ended: nothing to join
  }
  if (stream == nullptr) {
    report("cuStreamWaitEvent", "the legacy stream cannot join a capture");
    return kStreamCaptureUnsupported;
  }
  Stream* waiting = stream_of(stream);
  if (waiting->capturing != nullptr && waiting->capturing != capture) {
    report("cuStreamWaitEvent", "the stream is already part of another capture");
    return kStreamCaptureUnsupported;
  }
  if (waiting->capturing == nullptr) {
    waiting->capturing = capture;  // a fork: the stream joins the capture
    waiting->queued = waiting->joined = 0;
  } else if (live(state().streams, e->stream) && e->stream->capturing == capture) {
    e->stream->joined = std::max(e->stream->joined, e->queuedAtRecord);  // a join
  }
  return kSuccess;
}

CUresult cuStreamBeginCapture_v2(void* stream, int /*mode*/) {
  LOCKED;
  if (stream == nullptr) {
    report("cuStreamBeginCapture", "the legacy stream cannot be captured");
    return kStreamCaptureUnsupported;
  }
  if (!live(state().streams, stream)) return kInvalidHandle;
  if (stream_of(stream)->capturing) return kStreamCaptureUnsupported;
  auto* g = new Graph;
  g->origin = stream_of(stream);
  state().graphs.insert(g);
  stream_of(stream)->capturing = g;
  return kSuccess;
}

CUresult cuStreamEndCapture(void* stream, void** graph) {
  LOCKED;
  if (stream == nullptr || !live(state().streams, stream)) return kInvalidHandle;
  Graph* g = stream_of(stream)->capturing;
  if (g == nullptr) return kInvalidValue;
  CUresult result = kSuccess;
  if (g->origin != stream_of(stream)) {
    report("cuStreamEndCapture", "called on a forked stream, not on the stream that began the capture");
    return kStreamCaptureUnmatched;
  }
  for (void* s : state().streams) {
    Stream* forked = stream_of(s);
    if (forked->capturing != g) continue;
    if (forked != g->origin && forked->queued > forked->joined) {
      report("cuStreamEndCapture", "a forked stream's work was not joined back into the capturing stream");
      result = kStreamCaptureUnjoined;
    }
    forked->capturing = nullptr;
  }
  g->origin = nullptr;
  if (result != kSuccess) {
    state().graphs.erase(g);
    delete g;
    return result;
  }
  *graph = g;
  return kSuccess;
}

CUresult cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long /*flags*/) {
  LOCKED;
  if (!live(state().graphs, graph)) return kInvalidHandle;
  auto* copy = new Graph(*static_cast<Graph*>(graph));
  state().execs.insert(copy);
  *exec = copy;
  return kSuccess;
}

CUresult cuGraphLaunch(void* exec, void* stream) {
  LOCKED;
  if (!live(state().execs, exec)) return kInvalidHandle;
  auto* g = static_cast<Graph*>(exec);
  return submit(stream, [g] {
    for (auto& work : g->work) work();
  });
}

CUresult cuGraphExecDestroy(void* exec) {
  LOCKED;
  return delete_handle<Graph>(state().execs, exec);
}

CUresult cuGraphDestroy(void* graph) {
  LOCKED;
  if (!live(state().graphs, graph)) return kInvalidHandle;
  for (void* s : state().streams) {
    if (stream_of(s)->capturing == graph) return kInvalidValue;
  }
  state().graphs.erase(graph);
  delete static_cast<Graph*>(graph);
  return kSuccess;
}

// The PTX is not compiled: its entry names say which of the compiled-in kernels it holds, and
// every one of them must have been compiled in (a kernel added to a .cu file is, once the
// emulated driver is rebuilt).
CUresult cuModuleLoadData(void** module, const void* image) {
  LOCKED;
  const char* ptx = static_cast<const char*>(image);
  if (ptx == nullptr || std::strstr(ptx, ".version") == nullptr) {
    report("cuModuleLoadData", "the image is not PTX text");
    return kInvalidPtx;
  }
  auto* m = new Module;
  static const std::regex entry(R"(\.entry\s+([A-Za-z_$][A-Za-z0-9_$]*))");
  std::string text(ptx);
  for (std::sregex_iterator it(text.begin(), text.end(), entry), end; it != end; ++it) {
    std::string name = (*it)[1];
    if (state().registry.count(name) == 0) {
      report("cuModuleLoadData", "PTX entry " + name + " has no emulated twin (rebuild the emulated driver)");
      delete m;
      return kInvalidPtx;
    }
    m->kernels.insert(name);
  }
  state().modules.insert(m);
  *module = m;
  return kSuccess;
}

CUresult cuModuleUnload(void* module) {
  LOCKED;
  if (!live(state().modules, module)) return kInvalidHandle;
  auto& functions = state().functions;
  for (auto it = functions.begin(); it != functions.end();) {
    if (it->first.first != module) {
      ++it;
      continue;
    }
    state().functionHandles.erase(it->second);
    delete it->second;
    it = functions.erase(it);
  }
  state().modules.erase(module);
  delete static_cast<Module*>(module);
  return kSuccess;
}

CUresult cuModuleGetFunction(void** function, void* module, const char* name) {
  LOCKED;
  if (!live(state().modules, module)) return kInvalidHandle;
  if (static_cast<Module*>(module)->kernels.count(name) == 0) return kNotFound;
  Function*& f = state().functions[{module, name}];
  if (f == nullptr) {
    f = new Function{name, state().registry.at(name)};
    state().functionHandles.insert(f);
  }
  *function = f;
  return kSuccess;
}

CUresult cuLaunchKernel(void* function, unsigned gridX, unsigned gridY, unsigned gridZ, unsigned blockX, unsigned blockY,
                        unsigned blockZ, unsigned sharedBytes, void* stream, void** params, void** extra) {
  LOCKED;
  if (!live(state().functionHandles, function)) return kInvalidHandle;
  auto* f = static_cast<Function*>(function);
  unsigned long long threads = (unsigned long long)blockX * blockY * blockZ;
  if (extra != nullptr) {
    report("cuLaunchKernel", f->name + ": the `extra` argument form is not emulated");
    return kNotSupported;
  }
  if (gridX == 0 || gridY == 0 || gridZ == 0 || threads == 0 || gridY > 65535 || gridZ > 65535 ||
      gridX > 0x7FFFFFFFu || blockX > 1024 || blockY > 1024 || blockZ > 64 || threads > kMaxThreadsPerBlock) {
    report("cuLaunchKernel", f->name + ": invalid launch shape grid (" + std::to_string(gridX) + "," +
                                 std::to_string(gridY) + "," + std::to_string(gridZ) + ") block (" +
                                 std::to_string(blockX) + "," + std::to_string(blockY) + "," + std::to_string(blockZ) + ")");
    return kInvalidValue;
  }
  if (sharedBytes > kMaxSharedBytesPerBlock) {
    report("cuLaunchKernel", f->name + ": " + std::to_string(sharedBytes) + " bytes of dynamic shared memory");
    return kInvalidValue;
  }
  if (stream != nullptr && !live(state().streams, stream)) return kInvalidHandle;
  if (params == nullptr) {
    report("cuLaunchKernel", f->name + ": no kernelParams");
    return kInvalidValue;
  }
  Launch launch;
  std::string error;
  if (!f->binder(f->name.c_str(), {gridX, gridY, gridZ}, {blockX, blockY, blockZ}, sharedBytes, params, &launch, &error)) {
    report("cuLaunchKernel", error);
    return kInvalidValue;
  }
  if (kReport) state().launches[f->name]++;
  if (kSkipWork) launch = [] {};
  return submit(stream, std::move(launch));
}

CUresult cuGetErrorName(CUresult error, const char** name) {
  *name = error == 0 ? "CUDA_SUCCESS" : "CUDA_ERROR (emulated driver; see stderr)";
  return kSuccess;
}

CUresult cuGetErrorString(CUresult error, const char** text) { return cuGetErrorName(error, text); }

}  // extern "C"
