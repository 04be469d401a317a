// How the emulated driver (libcuda.so.1 in build/gpu-emulation) finds and calls a kernel.
//
// The build compiles each native/cuda/NAME.cu as C++ (with cuda_host.h in front) into the
// driver, followed by one JOULE_EMULATED_KERNEL(name) line per `extern "C" __global__` function
// it finds in the source. Each line registers a binder under the kernel's name: given
// cuLaunchKernel's `kernelParams` (one pointer per parameter, to the argument's value), it copies
// the arguments out with the parameter types the compiler knows, checks that every pointer
// argument is null or points into device memory, and returns the launch as a closure, to run now
// or to keep in a captured graph.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace emulate_driver {

using Launch = std::function<void()>;
// Binds a launch, or returns false with `error` saying which argument is wrong.
using Binder = bool (*)(const char* name, dim3 grid, dim3 block, size_t sharedBytes, void** params, Launch* launch,
                        std::string* error);

// Defined by the driver.
void register_kernel(const char* name, Binder binder);
bool is_device_address(const void* p);

template <auto Kernel>
struct Entry;

template <typename... Params, void (*Kernel)(Params...)>
struct Entry<Kernel> {
  static bool bind(const char* name, dim3 grid, dim3 block, size_t sharedBytes, void** params, Launch* launch,
                   std::string* error) {
    return bindArguments(name, grid, block, sharedBytes, params, launch, error, std::index_sequence_for<Params...>{});
  }

 private:
  template <size_t... I>
  static bool bindArguments(const char* name, dim3 grid, dim3 block, size_t sharedBytes, void** params, Launch* launch,
                            std::string* error, std::index_sequence<I...>) {
    // Copied now, as the driver copies them: the caller may reuse the parameter memory.
    std::tuple<std::decay_t<Params>...> args{*static_cast<const std::decay_t<Params>*>(params[I])...};
    bool ok = (checkArgument(name, I, std::get<I>(args), error) && ...);
    if (!ok) return false;
    *launch = [grid, block, sharedBytes, args] {
      emulate::launch(grid, block, [&args] { std::apply(Kernel, args); }, sharedBytes);
    };
    return true;
  }

  template <typename T>
  static bool checkArgument(const char* name, size_t index, const T& value, std::string* error) {
    if constexpr (std::is_pointer_v<T>) {
      if (value != nullptr && !is_device_address(value)) {
        *error = std::string("kernel ") + name + ": argument " + std::to_string(index) +
                 " is a pointer outside every device allocation";
        return false;
      }
    }
    return true;
  }
};

struct Registration {
  Registration(const char* name, Binder binder) { register_kernel(name, binder); }
};

}  // namespace emulate_driver

#define JOULE_EMULATED_KERNEL(name) \
  static const emulate_driver::Registration joule_emulated_##name(#name, &emulate_driver::Entry<&name>::bind);
