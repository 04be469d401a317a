package dev.joule.engine.ctccrf;

/** A denominator forward-backward: the CPU ({@link Denominator}) or GPU ({@link GpuDenominator}) one. */
public interface ForwardBackward {
  /** log Z and occupancies for every utterance of the batch. */
  SequencePosteriors compute(LogProbBatch x);

  /** The den graph it runs over. */
  DenGraph graph();
}
