package dev.joule.engine.train;

import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.io.ParameterFile;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.optim.Adam;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A training checkpoint: a directory written atomically through {@link ModelDirectory} (files
 * staged aside, checksummed, moved into place in one rename), so a crash or a kill during a write
 * leaves the previous checkpoint intact and loadable (a write killed between its two renames is
 * undone on the next save or load). It holds the model ({@code am.conf},
 * {@code am.jparams}), the optimiser's moments ({@value #OPTIMIZER}) and {@link TrainingState}
 * ({@value #STATE}).
 */
public final class Checkpoint {
  public static final String OPTIMIZER = "optimizer.jparams";
  public static final String STATE = "state.properties";

  private Checkpoint() {}

  /** Writes (replaces) the checkpoint at {@code dir}. */
  public static void save(Path dir, AcousticModel model, Adam optimizer, TrainingState state) throws IOException {
    tidy(dir);
    try (ModelDirectory.Builder b = ModelDirectory.create(dir)) {
      AcousticModels.save(model, b);
      ParameterFile.write(b.path(OPTIMIZER), optimizer.state());
      try (Writer w = Files.newBufferedWriter(b.path(STATE), StandardCharsets.UTF_8)) {
        state.toProperties().store(w, "Joule training state");
      }
      b.property("kind", "checkpoint");
      b.property("step", Long.toString(state.step));
      b.commit();
    }
  }

  /**
   * Restores weights and optimiser state into {@code model} and {@code optimizer} (made from the
   * same configuration) and returns the training state.
   *
   * @throws TrainingException when the checkpoint is missing, corrupt or from another configuration
   */
  public static TrainingState load(Path dir, AcousticModel model, Adam optimizer) throws IOException {
    tidy(dir);
    ModelDirectory ckpt;
    try {
      ckpt = ModelDirectory.open(dir);
    } catch (IOException e) {
      throw new TrainingException("cannot resume: " + e.getMessage(), e);
    }
    Properties saved = new Properties();
    try (Reader r = Files.newBufferedReader(ckpt.file(ModelLayout.AM_CONFIG), StandardCharsets.UTF_8)) {
      saved.load(r);
    }
    if (!saved.equals(model.config())) {
      throw new TrainingException(dir + ": the checkpoint's model settings " + saved
          + " differ from the configuration's " + model.config() + "; resume with the configuration it was made with");
    }
    try {
      ParameterFile.load(ckpt.file(ModelLayout.AM_PARAMS), model);
      optimizer.loadState(ParameterFile.read(ckpt.file(OPTIMIZER)));
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(ckpt.file(STATE), StandardCharsets.UTF_8)) {
        p.load(r);
      }
      return TrainingState.fromProperties(p);
    } catch (IllegalArgumentException e) {
      throw new TrainingException(dir + ": checkpoint does not fit: " + e.getMessage(), e);
    }
  }

  /**
   * Cleans up after a write that was killed: a write killed between moving the previous
   * checkpoint aside ({@code .NAME.old-*}) and moving the new one in leaves no checkpoint under
   * its name, so the previous one is moved back; staging directories are deleted.
   */
  private static void tidy(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    String name = abs.getFileName().toString();
    List<Path> leftovers;
    try (Stream<Path> list = Files.list(parent)) {
      leftovers = list.filter(p -> p.getFileName().toString().startsWith("." + name + ".")).sorted().toList();
    }
    for (Path p : leftovers) {
      boolean old = p.getFileName().toString().startsWith("." + name + ".old-");
      if (old && !Files.exists(abs)) {
        Files.move(p, abs);
      } else {
        ModelDirectory.deleteTree(p);
      }
    }
  }
}
