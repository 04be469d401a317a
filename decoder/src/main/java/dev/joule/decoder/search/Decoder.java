package dev.joule.decoder.search;

import dev.joule.decoder.fst.Fst;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The WFST beam decoder: decodes score matrices over a compact decoding graph (TLG; input label
 * = token + 1, output label = word id). Immutable and safe to share between threads; each
 * utterance gets its own {@link DecodingSession}.
 */
public final class Decoder {
  private final Fst graph;
  private final DecoderOptions options;

  public Decoder(Fst graph, DecoderOptions options) {
    this.graph = graph;
    this.options = options;
  }

  public DecoderOptions options() {
    return options;
  }

  /** A session for streaming one utterance chunk by chunk. */
  public DecodingSession session() {
    return new DecodingSession(graph, options);
  }

  /** Decodes a whole utterance. */
  public DecodingResult decode(ScoreMatrix scores) {
    DecodingSession s = session();
    s.accept(scores);
    return s.finish();
  }

  /** Decodes utterances in parallel on {@code threads} threads; results in input order. */
  public List<DecodingResult> decodeAll(List<ScoreMatrix> utterances, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<DecodingResult>> futures = new ArrayList<>();
      for (ScoreMatrix u : utterances) {
        futures.add(pool.submit(() -> decode(u)));
      }
      List<DecodingResult> results = new ArrayList<>();
      for (Future<DecodingResult> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("decoding failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
