package dev.joule.engine.recognizer;

import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.Hypothesis;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.trf.ModelTrf;
import dev.joule.engine.trf.NbestRescorer;
import dev.joule.engine.trf.RescoringWeights;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Turns an utterance's final decoding result into its {@link Transcript}. Every path that
 * finishes an utterance (files, samples, batches, streams) goes through here, so rescoring is
 * applied in one place.
 *
 * <p>With rescoring, each n-best entry gets {@code −acoustic + α·n-gram + β·TRF + γ·words}
 * ({@link NbestRescorer}, the weights saved with the model's TRF); the graph's own LM cost is
 * replaced by the n-gram term. The transcript's words become the winner's, with the times and
 * confidences of the winner's own path in the lattice (each n-best entry carries them), and the
 * alternatives are listed by rescored total, best first (ties keep the decoder's order, as
 * {@link NbestRescorer#best} does). Without rescoring the decoder's 1-best and order stand, and
 * so they do for an utterance without an n-best list.
 */
final class TranscriptBuilder {
  private final RecognitionModel model;
  private final NbestRescorer rescorer;
  private final RescoringWeights weights;

  private TranscriptBuilder(RecognitionModel model, NbestRescorer rescorer, RescoringWeights weights) {
    this.model = model;
    this.rescorer = rescorer;
    this.weights = weights;
  }

  /**
   * A builder for {@code model}; when it will rescore ({@code ON}, or {@code AUTO} and the model
   * has a TRF), the model's TRF, weights and n-gram are loaded now.
   *
   * @throws ModelFormatException when rescoring is asked for and the model has no usable TRF
   */
  static TranscriptBuilder of(RecognitionModel model, RecognizerOptions.Rescoring rescoring) throws IOException {
    boolean hasTrf = ModelTrf.present(model.dir);
    if (rescoring == RecognizerOptions.Rescoring.OFF || rescoring == RecognizerOptions.Rescoring.AUTO && !hasTrf) {
      return new TranscriptBuilder(model, null, null);
    }
    if (!hasTrf) {
      // Refusing beats silently not rescoring.
      throw new ModelFormatException(model.dir.directory() + ": rescoring was asked for, but the model has no TRF language model"
          + " (add one with joule lm trf-attach)");
    }
    ModelTrf.Rescoring r = ModelTrf.load(model.dir);
    return new TranscriptBuilder(model, r.rescorer(), r.weights());
  }

  /** Whether transcripts are chosen by rescoring the n-best list. */
  boolean rescores() {
    return rescorer != null;
  }

  Transcript build(DecodingResult result, Timing timing) {
    List<Hypothesis> nbest = result.nbest();
    if (rescorer == null || nbest.isEmpty()) {
      return new Transcript(model.words(result), model.alternatives(result), result.reachedFinal(), timing);
    }
    List<NbestRescorer.Candidate> candidates = new ArrayList<>(nbest.size());
    for (Hypothesis h : nbest) {
      candidates.add(new NbestRescorer.Candidate(model.wordTexts(h).toArray(new String[0]), h.acousticCost()));
    }
    List<NbestRescorer.Features> features = rescorer.features(candidates);
    // A stable sort by descending total: the first of equal totals stays first, as in best().
    List<Integer> order = IntStream.range(0, nbest.size()).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -features.get(i).total(weights)))
        .toList();
    List<Alternative> decoded = model.alternatives(result);
    List<Alternative> alternatives = order.stream().map(decoded::get).toList();
    int winner = order.get(0);
    Hypothesis chosen = nbest.get(winner);
    if (chosen.timedWords().size() != chosen.words().length) {
      throw new IllegalStateException("n-best entry " + winner + " has no word times; the decoder gives every entry times");
    }
    List<Word> words = winner == 0 ? model.words(result) : model.words(chosen.timedWords());
    return new Transcript(words, alternatives, result.reachedFinal(), timing);
  }
}
