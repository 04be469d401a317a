package dev.joule.bench;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.search.Decoder;
import dev.joule.decoder.search.DecoderOptions;
import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.ScoreMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Decoder speed and the speed/accuracy curve over beams, on one thread.
 *
 * <p>Until a trained model exists the score matrices are <b>random but peaked</b>: each frame
 * gives one token (blank 60% of the time, otherwise a random token) probability 0.9 and shares
 * 0.1 among the rest, so the search behaves like it does on confident acoustic models. Real-time
 * factor assumes 30 ms per decoder frame (10 ms features subsampled by 3). "Agreement" is the
 * share of utterances whose 1-best equals the widest beam's 1-best.
 *
 * <p>Usage: {@code DecoderBenchmark GRAPH.jfst TOKENS [utterances] [frames]}.
 */
public final class DecoderBenchmark {
  private DecoderBenchmark() {}

  public static void main(String[] args) throws Exception {
    Fst graph = Fst.load(Path.of(args[0]));
    int tokens = Integer.parseInt(args[1]);
    int utterances = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int frames = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    Random r = new Random(1);
    List<ScoreMatrix> data = new ArrayList<>();
    for (int u = 0; u < utterances; u++) {
      data.add(ScoreMatrix.of(peaked(r, frames, tokens), frames, tokens));
    }
    float[] beams = {8, 11, 14, 17, 20};
    List<DecodingResult> reference = null;
    for (int i = beams.length - 1; i >= 0; i--) {
      DecoderOptions options = DecoderOptions.DEFAULTS.withBeam(beams[i], Math.min(8f, beams[i]));
      Decoder decoder = new Decoder(graph, options);
      decoder.decode(data.get(0)); // warm-up
      long t0 = System.nanoTime();
      List<DecodingResult> results = new ArrayList<>();
      for (ScoreMatrix m : data) {
        results.add(decoder.decode(m));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (reference == null) {
        reference = results;
      }
      int agree = 0;
      for (int u = 0; u < utterances; u++) {
        agree += Arrays.equals(results.get(u).wordIds(), reference.get(u).wordIds()) ? 1 : 0;
      }
      double audioSeconds = utterances * frames * 0.03;
      System.out.printf(
          "{\"bench\":\"decoder\",\"scores\":\"random-peaked\",\"graph_states\":%d,\"graph_arcs\":%d,\"beam\":%.0f,"
              + "\"max_active\":%d,\"rtf_per_core\":%.4f,\"frames_per_second\":%.0f,\"agreement_with_widest\":%.3f}%n",
          graph.numStates(), graph.numArcs(), beams[i], options.maxActive(), seconds / audioSeconds,
          utterances * frames / seconds, agree / (double) utterances);
    }
  }

  public static float[] peaked(Random r, int frames, int tokens) {
    float[] x = new float[frames * tokens];
    float low = (float) Math.log(0.1 / (tokens - 1));
    float high = (float) Math.log(0.9);
    for (int t = 0; t < frames; t++) {
      int top = r.nextDouble() < 0.6 ? 0 : 1 + r.nextInt(tokens - 1);
      for (int v = 0; v < tokens; v++) {
        x[t * tokens + v] = v == top ? high : low;
      }
    }
    return x;
  }
}
