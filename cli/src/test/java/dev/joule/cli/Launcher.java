package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's {@code joule} script as a user does, in a child process, for the
 * integration tests ({@code *IT}, run by Maven after the shaded jar is built). Maven passes the
 * script's path and the project version as the system properties {@code joule.launcher} and
 * {@code joule.version}.
 *
 * <p>Every run sets {@code JOULE_BUILD=never}: the tests run inside a Maven build, and a launcher
 * that decided to rebuild would start Maven again from within it. It also hides any installed
 * default model ({@code XDG_DATA_HOME}, {@code JOULE_MODEL}) so that results do not depend on the
 * machine.
 */
final class Launcher {
  static final Path SCRIPT = Path.of(mavenProperty("joule.launcher")).toAbsolutePath().normalize();
  /** The project version, which the jar's manifest records. */
  static final String VERSION = mavenProperty("joule.version");

  /** A system property that Failsafe sets from the cli module's pom. */
  private static String mavenProperty(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: run the integration tests with mvn verify");
    }
    return value;
  }

  /** What one run printed, and its exit code. */
  record Result(int code, String out, String err) {
    /** Asserts success; the message on failure is what the command printed on standard error. */
    Result ok() {
      assertEquals(ExitCodes.OK, code, err);
      return this;
    }

    /** Asserts that the run failed with {@code expected} and one line {@code joule: …} containing {@code part}. */
    void failsWith(int expected, String part) {
      assertEquals(expected, code, "exit code; stderr: " + err);
      String message = err.strip();
      assertEquals(1, message.lines().count(), message);
      assertTrue(message.startsWith("joule: ") && message.contains(part), message);
      assertEquals("", out, "nothing on standard output after an error");
    }
  }

  private final Path script;
  private final Path workDir;
  private final Map<String, String> env = new HashMap<>();

  /** The repository's script; {@code workDir} holds the captured output and the empty data home. */
  Launcher(Path workDir) {
    this(SCRIPT, workDir);
  }

  Launcher(Path script, Path workDir) {
    this.script = script;
    this.workDir = workDir;
    env.put("JOULE_BUILD", "never");
    // Small heap, one GC thread: the tests' inputs are tiny and the build machine may be small.
    env.put("JOULE_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC");
    env.put("XDG_DATA_HOME", workDir.resolve("no-data-home").toString());
  }

  /** Sets (or, with {@code null}, removes) a variable of the launcher's environment. */
  Launcher env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Result run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().remove("JOULE_MODEL");
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Path out = workDir.resolve("launcher.stdout");
    Path err = workDir.resolve("launcher.stderr");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("joule " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
