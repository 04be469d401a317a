package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kernel launches are checked against the parameter lists in the PTX, without a GPU. */
class KernelSignatureTest {
  private static final KernelParamType W = KernelParamType.WORD64;
  private static final KernelParamType I = KernelParamType.INT32;
  private static final KernelParamType F = KernelParamType.FLOAT32;
  private static final KernelParamType D = KernelParamType.FLOAT64;

  private static byte[] ptx(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void readsEachEntrysParameterTypes() {
    Map<String, List<KernelParamType>> s =
        PtxSignatures.parse(
            ptx(
                """
                .visible .entry k_one(
                \t.param .u64 k_one_param_0,
                \t.param .u32 k_one_param_1,
                \t.param .f32 k_one_param_2,
                \t.param .f64 k_one_param_3,
                \t.param .s32 k_one_param_4,
                \t.param .u64 .ptr .global .align 4 k_one_param_5
                )
                {
                \tld.param.u64 %rd1, [k_one_param_0];
                }
                .visible .entry k_none()
                {
                }
                """));
    assertEquals(List.of(W, I, F, D, I, W), s.get("k_one"));
    assertEquals(List.of(), s.get("k_none"));
  }

  @Test
  void aKernelWithAParameterNoLaunchCanPassIsLeftUnchecked() {
    Map<String, List<KernelParamType>> s =
        PtxSignatures.parse(ptx(".visible .entry k_struct(\n\t.param .align 4 .b8 k_struct_param_0[12],\n\t.param .u32 k_struct_param_1\n)\n{\n}\n"));
    assertFalse(s.containsKey("k_struct"));
  }

  @Test
  void everyBundledKernelIsChecked() {
    assumeTrue(PtxModule.isBundled("elementwise"), "no PTX bundled: the build ran without nvcc");
    for (String module : List.of("batch_norm", "ctc_crf_loss", "ctc_numerator", "den_forward_backward", "den_state_major",
        "depthwise_conv", "dropout", "elementwise", "lstm", "nn", "ops", "tensor_layout", "tensor_math")) {
      String text = new String(PtxModule.readPtx(module), StandardCharsets.US_ASCII);
      long entries = text.lines().filter(l -> l.contains(".entry ")).count();
      Map<String, List<KernelParamType>> s = PtxSignatures.parse(PtxModule.readPtx(module));
      assertTrue(entries > 0, module);
      assertEquals(entries, s.size(), module + ": every entry has a signature launches are checked against");
    }
    assertEquals(List.of(W, I, W, W, W, W, W, W), PtxSignatures.parse(PtxModule.readPtx("batch_norm")).get("joule_bn_forward"));
  }

  @Test
  void argumentsMatchingTheSignaturePass() {
    KernelArgs.of().i64(3).i32(1).f32(2f).f64(4.0).requireMatches("k", List.of(W, I, F, D));
  }

  @Test
  void aMissingArgumentIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of().i64(3).i32(1).requireMatches("k", List.of(W, I, F)));
    assertEquals("kernel k takes 3 arguments, 2 given", e.getMessage());
  }

  @Test
  void anIntWhereALongLongBelongsIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of().i32(3).i32(1).requireMatches("k", List.of(W, I)));
    assertEquals("kernel k: argument 0 is a 32-bit integer but the kernel's parameter 0 is a 64-bit integer or pointer",
        e.getMessage());
  }

  @Test
  void aFloatWhereAnIntBelongsIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.of().i64(3).f32(1f).requireMatches("k", List.of(W, I)));
    assertTrue(e.getMessage().contains("argument 1 is a float"), e.getMessage());
  }
}
