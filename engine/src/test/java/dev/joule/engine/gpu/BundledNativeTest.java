package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the build packages for the GPU runtime, checked without needing a GPU. */
class BundledNativeTest {

  @Test
  void ptxHoldsTheElementwiseKernels() {
    assumeTrue(PtxModule.isBundled("elementwise"), "no PTX bundled: the build ran without nvcc");
    byte[] ptx = PtxModule.readPtx("elementwise");
    assertEquals(0, ptx[ptx.length - 1], "PTX must be NUL-terminated for cuModuleLoadData");
    String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
    assertTrue(text.contains(".entry joule_fill_f32("), "fill kernel missing");
    assertTrue(text.contains(".entry joule_axpby_f32("), "axpby kernel missing");
    assertTrue(text.matches("(?s).*\\.target sm_[0-9]+.*"), "no .target line");
  }

  @Test
  void missingPtxModuleSaysHowToGetIt() {
    GpuException e =
        org.junit.jupiter.api.Assertions.assertThrows(GpuException.class, () -> PtxModule.readPtx("no_such_module"));
    assertTrue(e.getMessage().contains("nvcc"), e.getMessage());
  }

  /**
   * Loads the libcublas.so.12 shim into this JVM. Where libcublas.so.13 exists (the GPU machine)
   * every function must resolve; elsewhere the shim must say why and answer every call with
   * CUBLAS_STATUS_NOT_SUPPORTED rather than crash.
   */
  @Test
  void cublasShimForwardsOrFailsSafely() {
    Path shim = CublasCompat.extractShim();
    NativeLibrary lib = NativeLibrary.getInstance(shim.toString());
    String error = lib.getFunction("joule_cublas_compat_error").invokeString(new Object[0], false);
    int missing = lib.getFunction("joule_cublas_compat_missing_count").invokeInt(new Object[0]);
    assertNotNull(lib.getFunction("cublasSgemm_v2"));
    if (error != null) {
      assertTrue(error.contains("libcublas.so.13"), error);
      int status = lib.getFunction("cublasCreate_v2").invokeInt(new Object[] {com.sun.jna.Pointer.NULL});
      assertEquals(15, status, "CUBLAS_STATUS_NOT_SUPPORTED expected without libcublas.so.13");
    } else {
      assertNull(error);
      assertTrue(missing < 50, missing + " cuBLAS functions missing from libcublas.so.13");
    }
  }
}
