package dev.joule.cli;

import dev.joule.engine.trf.ModelTrf;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code joule lm trf-attach}: puts a tuned TRF language model into a speech recognition model. */
@Command(
    name = "trf-attach",
    mixinStandardHelpOptions = true,
    description = {
      "Attaches a trained TRF, with its tuned weights, to a model for rescoring.",
      "Puts a TRF model directory (trained with trf-train, weights tuned with rescore --tune)",
      "into a speech recognition model as its trf/ sub-directory, replacing any TRF it had.",
      "The model must hold the n-gram lm.arpa the weights were tuned with; it is rewritten",
      "atomically. The TRF goes in with float32 weights and without its training state (and",
      "without its n-gram base when that is the model's lm.arpa). From then on 'joule transcribe'",
      "rescores the model's n-best lists (unless --no-rescore)."
    })
final class TrfAttachCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "the speech recognition model")
  Path model;

  @Option(names = "--trf", required = true, paramLabel = "DIR", description = "the TRF model directory")
  Path trf;

  @Override
  public Integer call() throws Exception {
    ModelTrf.attach(model, trf);
    spec.commandLine().getOut().printf("joule: %s now rescores with the TRF from %s%n", model, trf);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
