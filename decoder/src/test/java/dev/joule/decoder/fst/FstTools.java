package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs OpenFST's command-line tools (Debian libfst-tools) for comparisons; skips when absent. */
final class FstTools {
  private FstTools() {}

  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/fstcompile")), "OpenFST tools not installed (libfst-tools)");
  }

  /** Runs {@code /usr/bin/<tool> args...}; returns stdout, failing on a non-zero exit. */
  static String run(String tool, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("/usr/bin/" + tool);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(tool + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + text);
    }
    return text;
  }
}
