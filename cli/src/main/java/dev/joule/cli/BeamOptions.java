package dev.joule.cli;

import dev.joule.engine.recognizer.RecognizerOptions;
import picocli.CommandLine.Option;

/** The decoding beams, shared by the commands that recognise speech ({@code transcribe}, {@code bench}). */
final class BeamOptions {
  @Option(names = "--beam", defaultValue = "17", paramLabel = "COST", description = "decoding beam (default: ${DEFAULT-VALUE})")
  float beam;

  @Option(names = "--lattice-beam", defaultValue = "8", paramLabel = "COST",
      description = "lattice beam for confidences and n-best (default: ${DEFAULT-VALUE})")
  float latticeBeam;

  RecognizerOptions applyTo(RecognizerOptions options) {
    return options.withBeam(beam, latticeBeam);
  }
}
