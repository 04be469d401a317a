package dev.joule.engine.train;

import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;

/**
 * A tiny learnable task: each of four phones is a tone of its own frequency (60–100 ms) with
 * short silences between, in random order. Written as real WAV files and Kaldi data
 * directories with {@code text.phones}, so training runs through the whole front end.
 */
final class ToneCorpus {
  static final String[] PHONES = {"A", "B", "C", "D"};
  private static final double[] HZ = {300, 750, 1500, 3000};
  private static final int RATE = 16000;

  private ToneCorpus() {}

  static Path tokens(Path dir) throws IOException {
    Path f = dir.resolve("tokens.txt");
    StringBuilder sb = new StringBuilder("<blk> 0\n");
    for (int i = 0; i < PHONES.length; i++) {
      sb.append(PHONES[i]).append(' ').append(i + 1).append('\n');
    }
    Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
    return f;
  }

  /** A data directory of {@code count} utterances drawn from {@code seed}. */
  static Path dataDir(Path dir, String name, int count, long seed) throws IOException {
    Path d = dir.resolve(name);
    Files.createDirectories(d.resolve("wav"));
    Random r = new Random(seed);
    StringBuilder scp = new StringBuilder();
    StringBuilder text = new StringBuilder();
    StringBuilder phones = new StringBuilder();
    StringBuilder spk = new StringBuilder();
    for (int u = 0; u < count; u++) {
      String id = String.format("%s%03d", name, u);
      int n = 3 + r.nextInt(4);
      int[] seq = new int[n];
      for (int i = 0; i < n; i++) {
        do {
          seq[i] = r.nextInt(PHONES.length);
        } while (i > 0 && seq[i] == seq[i - 1]);
      }
      float[] audio = synthesise(seq, r);
      Path wav = d.resolve("wav").resolve(id + ".wav");
      WavWriter.write(wav, audio, RATE);
      scp.append(id).append(' ').append(wav).append('\n');
      StringBuilder p = new StringBuilder();
      for (int s : seq) {
        p.append(' ').append(PHONES[s]);
      }
      phones.append(id).append(p).append('\n');
      text.append(id).append(p.toString().toLowerCase()).append('\n');
      spk.append(id).append(" spk").append(u % 3).append('\n');
    }
    Files.writeString(d.resolve("wav.scp"), scp);
    Files.writeString(d.resolve("text"), text);
    Files.writeString(d.resolve("text.phones"), phones);
    Files.writeString(d.resolve("utt2spk"), spk);
    return d;
  }

  private static float[] synthesise(int[] seq, Random r) {
    int total = 0;
    int[] dur = new int[seq.length];
    for (int i = 0; i < seq.length; i++) {
      dur[i] = RATE * (60 + r.nextInt(41)) / 1000;
      total += dur[i] + RATE * 40 / 1000;
    }
    total += RATE * 40 / 1000;
    float[] out = new float[total];
    int pos = RATE * 40 / 1000;
    for (int i = 0; i < seq.length; i++) {
      double hz = HZ[seq[i]] * (0.97 + 0.06 * r.nextDouble());
      for (int k = 0; k < dur[i]; k++) {
        out[pos + k] = (float) (0.3 * Math.sin(2 * Math.PI * hz * k / RATE));
      }
      pos += dur[i] + RATE * 40 / 1000;
    }
    for (int k = 0; k < out.length; k++) {
      out[k] += (float) (0.003 * r.nextGaussian());
    }
    return out;
  }

  /** A small TDNN configuration that learns the task in a few epochs. */
  static Properties config() {
    Properties p = new Properties();
    p.setProperty("arch", "tdnn");
    p.setProperty("hidden", "32");
    p.setProperty("dilations", "1,1");
    p.setProperty("fbank.num-mel-bins", "20");
    p.setProperty("train.epochs", "5");
    p.setProperty("train.patience", "5");
    p.setProperty("train.batch.frames", "1200");
    p.setProperty("train.batch.utterances", "8");
    p.setProperty("train.lr", "0.01");
    p.setProperty("train.warmup.steps", "5");
    p.setProperty("train.checkpoint.steps", "4");
    p.setProperty("specaugment.freq.width", "3");
    p.setProperty("specaugment.time.width", "5");
    // Random phone strings: a bigram phone LM covers them; a 4-gram from 40 utterances would
    // forbid most dev strings.
    p.setProperty("den.order", "2");
    p.setProperty("den.no.prune.order", "2");
    p.setProperty("den.min.count", "0");
    return p;
  }
}
