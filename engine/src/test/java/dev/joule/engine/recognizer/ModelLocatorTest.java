package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary copies of packaged models: those of processes that ended are tidied away. */
class ModelLocatorTest {
  @TempDir Path tmp;

  @Test
  void copiesOfProcessesThatEndedAreRemovedAndNothingElse() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    long dead = ended.pid();
    assumeFalse(ProcessHandle.of(dead).map(ProcessHandle::isAlive).orElse(false), "the pid was reused at once");
    Path abandoned = Files.createDirectories(tmp.resolve(ModelLocator.COPY_PREFIX + dead + "-123"));
    Files.writeString(Files.createDirectories(abandoned.resolve("trf")).resolve("weights"), "x");
    Path mine = Files.createDirectories(tmp.resolve(ModelLocator.COPY_PREFIX + ProcessHandle.current().pid() + "-456"));
    Path unrelated = Files.createDirectories(tmp.resolve("joule-models-of-someone-" + dead));
    Path olderNaming = Files.createDirectories(tmp.resolve("joule-model987654321"));
    Path notANumber = Files.createDirectories(tmp.resolve(ModelLocator.COPY_PREFIX + "x-1"));

    ModelLocator.removeAbandonedCopies(tmp);

    assertFalse(Files.exists(abandoned), "the copy of an ended process is removed");
    for (Path kept : new Path[] {mine, unrelated, olderNaming, notANumber}) {
      assertTrue(Files.isDirectory(kept), kept + " is kept");
    }
    ModelLocator.removeAbandonedCopies(tmp.resolve("no-such-directory")); // a courtesy: never fails
  }
}
