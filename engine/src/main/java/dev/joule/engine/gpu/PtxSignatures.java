package dev.joule.engine.gpu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter lists of a PTX module's kernels, read from its {@code .entry} declarations, so a
 * launch can be checked against the kernel it calls before the driver reads its arguments: the
 * driver takes a bare array of pointers and reads as many bytes through each as the kernel
 * declares, so a missing argument, or an {@code int} where a {@code long long} or a
 * {@code float} belongs, would otherwise be read as garbage on the device.
 */
final class PtxSignatures {
  private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][A-Za-z0-9_$]*)\\s*\\(([^)]*)\\)");
  private static final Pattern PARAM_SEPARATOR = Pattern.compile("\\.param\\b");
  private static final Pattern PARAM_TYPE = Pattern.compile("^\\s*\\.([a-z]+[0-9]+)\\s");

  private PtxSignatures() {}

  /**
   * Each entry's parameter types, by kernel name. A kernel with a parameter of a type no
   * {@link KernelArgs} method produces (a struct, a byte) is left out: its launches go unchecked.
   */
  static Map<String, List<KernelParamType>> parse(byte[] ptx) {
    String text = new String(ptx, StandardCharsets.US_ASCII);
    Map<String, List<KernelParamType>> signatures = new HashMap<>();
    Matcher entry = ENTRY.matcher(text);
    while (entry.find()) {
      List<KernelParamType> types = new ArrayList<>();
      boolean known = true;
      for (String declaration : PARAM_SEPARATOR.split(entry.group(2))) {
        if (declaration.isBlank()) {
          continue;
        }
        Matcher type = PARAM_TYPE.matcher(declaration);
        KernelParamType t = type.find() ? KernelParamType.ofPtx(type.group(1)) : null;
        known &= t != null;
        types.add(t);
      }
      if (known) {
        signatures.put(entry.group(1), List.copyOf(types));
      }
    }
    return signatures;
  }
}
