package dev.joule.engine.recognizer;

import dev.joule.engine.model.ModelFormatException;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.frontend.features.WindowType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a model's {@code fbank.conf}: Kaldi {@code compute-fbank-feats} options, one
 * {@code --name=value} per line ({@code #} starts a comment), with Joule's defaults for the rest
 * (those of {@link FbankOptions#defaults()}). The same file works with Kaldi's {@code --config}.
 */
final class FbankConfig {
  private FbankConfig() {}

  static FbankOptions read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    FbankOptions.Builder b = FbankOptions.defaults().toBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      line = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (!line.startsWith("--") || eq < 0) {
        throw new ModelFormatException(file + ":" + (i + 1) + ": expected --name=value, found '" + line + "'");
      }
      String name = line.substring(2, eq);
      String value = line.substring(eq + 1).strip();
      try {
        set(b, name, value);
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file + ": " + e.getMessage(), e);
    }
  }

  private static void set(FbankOptions.Builder b, String name, String v) {
    switch (name) {
      case "sample-frequency" -> b.sampleRate(number(name, v));
      case "frame-length" -> b.frameLengthMs(number(name, v));
      case "frame-shift" -> b.frameShiftMs(number(name, v));
      case "dither" -> b.dither(number(name, v));
      case "seed" -> b.seed((long) number(name, v));
      case "preemphasis-coefficient" -> b.preemphasis(number(name, v));
      case "remove-dc-offset" -> b.removeDcOffset(bool(name, v));
      case "window-type" -> b.window(WindowType.parse(v));
      case "round-to-power-of-two" -> b.roundToPowerOfTwo(bool(name, v));
      case "snip-edges" -> b.snipEdges(bool(name, v));
      case "num-mel-bins" -> b.numMelBins((int) number(name, v));
      case "low-freq" -> b.lowFreq(number(name, v));
      case "high-freq" -> b.highFreq(number(name, v));
      case "use-energy" -> b.useEnergy(bool(name, v));
      case "raw-energy" -> b.rawEnergy(bool(name, v));
      case "energy-floor" -> b.energyFloor(number(name, v));
      case "use-log-fbank" -> b.useLogFbank(bool(name, v));
      case "use-power" -> b.usePower(bool(name, v));
      default -> throw new IllegalArgumentException("unknown fbank option --" + name);
    }
  }

  private static double number(String name, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, not '" + v + "'");
    }
  }

  private static boolean bool(String name, String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException("--" + name + " needs true or false, not '" + v + "'");
  }
}
