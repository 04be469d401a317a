package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code joule} script's own decisions: which Java it runs, when it builds, what it says when
 * it cannot run. Where a test needs a repository in a particular state it copies the script into a
 * scratch root whose {@code native/install-deps.sh} (the first step of a build) only reports that
 * a build started, so no test ever builds.
 */
class LauncherScriptIT {
  private static final Path JAR = Launcher.SCRIPT.resolveSibling("cli/target/joule.jar");
  private static final String BUILD_STARTED = "install-deps: a build started";

  @TempDir Path dir;

  /** A copy of the script in {@code dir/root}, with the real jar linked in when {@code withJar}. */
  private Path scratchRoot(boolean withJar) throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path script = Files.copy(Launcher.SCRIPT, root.resolve("joule"));
    Path deps = Files.createDirectories(root.resolve("native")).resolve("install-deps.sh");
    Files.writeString(deps, "#!/usr/bin/env bash\necho '" + BUILD_STARTED + "' >&2\nexit 9\n");
    Files.setPosixFilePermissions(deps, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (withJar) {
      Files.createSymbolicLink(Files.createDirectories(root.resolve("cli/target")).resolve("joule.jar"), JAR);
    }
    return script;
  }

  /** A Java source in the scratch root, last modified {@code minutes} from now (negative: in the past). */
  private void sourceModified(Path script, long minutes) throws IOException {
    Path source = Files.createDirectories(script.resolveSibling("engine/src/main/java")).resolve("Changed.java");
    Files.writeString(source, "class Changed {}\n");
    Files.setLastModifiedTime(source, FileTime.from(Instant.now().plus(minutes, ChronoUnit.MINUTES)));
  }

  @Test
  void versionIsTheBuiltJarsAndSymlinksToTheScriptWork() throws Exception {
    Launcher.Result direct = new Launcher(dir).run("--version").ok();
    assertEquals("joule " + Launcher.VERSION, direct.out().lines().findFirst().orElse(""),
        direct.out());
    assertTrue(direct.out().contains("\nJava "), direct.out());
    // Installed as a link on the PATH, the script still finds the repository it belongs to.
    Path link = Files.createSymbolicLink(dir.resolve("joule-link"), Launcher.SCRIPT);
    assertEquals(direct.out(), new Launcher(link, dir).run("--version").ok().out());
  }

  @Test
  void withoutJavaItSaysSo() throws Exception {
    Launcher.Result r = new Launcher(dir).env("JAVA_HOME", dir.resolve("no-jdk").toString()).run("--version");
    assertEquals(1, r.code());
    assertEquals("joule: no Java found; install a JDK 17 or newer, or set JAVA_HOME\n", r.err());
  }

  @Test
  void javaOptionsReachTheJvm() throws Exception {
    Launcher.Result r = new Launcher(dir).env("JOULE_JAVA_OPTS", "-XX:+NoSuchJouleOption").run("--version");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("Unrecognized VM option 'NoSuchJouleOption'"), r.err());
  }

  @Test
  void buildNeverWithoutAJarSaysHowToBuildIt() throws Exception {
    Path script = scratchRoot(false);
    Launcher.Result never = new Launcher(script, dir).run("--version");
    assertEquals(1, never.code());
    Path jar = script.toRealPath().resolveSibling("cli/target/joule.jar");
    assertEquals("joule: " + jar + " is missing and JOULE_BUILD=never does not build it;"
        + " build it with: mvn -B -ntp -DskipTests package\n", never.err());
    // The default builds instead.
    Launcher.Result auto = new Launcher(script, dir).env("JOULE_BUILD", null).run("--version");
    assertEquals(9, auto.code(), auto.err());
    assertEquals(BUILD_STARTED + "\n", auto.err());
  }

  @Test
  void aSourceNewerThanTheJarRebuildsUnlessBuildIsNever() throws Exception {
    Path script = scratchRoot(true);
    sourceModified(script, 60);
    Launcher.Result auto = new Launcher(script, dir).env("JOULE_BUILD", "auto").run("--version");
    assertEquals(9, auto.code(), auto.err());
    assertEquals(BUILD_STARTED + "\n", auto.err());
    Launcher.Result never = new Launcher(script, dir).run("--version").ok();
    assertTrue(never.out().startsWith("joule "), never.out());

    sourceModified(script, -60);
    assertEquals(never.out(), new Launcher(script, dir).env("JOULE_BUILD", null).run("--version").ok().out());
  }

  @Test
  void anUnknownBuildModeIsRefused() throws Exception {
    Launcher.Result r = new Launcher(dir).env("JOULE_BUILD", "sometimes").run("--version");
    assertEquals(1, r.code());
    assertEquals("joule: JOULE_BUILD must be auto or never, not 'sometimes'\n", r.err());
  }
}
