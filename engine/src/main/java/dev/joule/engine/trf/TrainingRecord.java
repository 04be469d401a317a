package dev.joule.engine.trf;

import dev.joule.engine.tensor.Tensor;
import java.util.Map;

/**
 * How a TRF was trained and where its training stands, saved with the model by {@link TrfFiles}:
 * {@code properties} (keys starting with {@value TrfFiles#TRAIN_PREFIX}: the settings, so the run
 * can be reproduced) and named tensor sets ({@code states}, names of letters, digits and '-': what
 * {@link TrfTrainer#resume} restores).
 */
public record TrainingRecord(Map<String, String> properties, Map<String, Map<String, Tensor>> states) {
  public TrainingRecord {
    for (String k : properties.keySet()) {
      if (!k.startsWith(TrfFiles.TRAIN_PREFIX)) {
        throw new IllegalArgumentException("training property '" + k + "' does not start with " + TrfFiles.TRAIN_PREFIX);
      }
    }
    for (String k : states.keySet()) {
      if (!k.matches("[A-Za-z0-9-]+")) {
        throw new IllegalArgumentException("bad training state name '" + k + "'");
      }
    }
    properties = Map.copyOf(properties);
    states = Map.copyOf(states);
  }

  /** A property that must be present. */
  public String property(String key) {
    String v = properties.get(key);
    if (v == null) {
      throw new IllegalArgumentException("the training record has no '" + key + "'");
    }
    return v;
  }

  /** A tensor set that must be present. */
  public Map<String, Tensor> state(String name) {
    Map<String, Tensor> v = states.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the training record has no state '" + name + "'");
    }
    return v;
  }
}
