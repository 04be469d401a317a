package dev.joule.cli;

import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tiny training corpus for {@code joule train}: utterances of four phones, X a 400 Hz and Y a
 * 2 kHz tone, with silence between, as a Kaldi data directory ({@code wav.scp}, {@code
 * text.phones}), with its token table and a small TDNN configuration.
 */
final class PhoneCorpus {
  static final String TOKENS = "<blk> 0\nX 1\nY 2\n";

  private PhoneCorpus() {}

  /** Writes {@code count} utterances into {@code dir/name} (ids {@code name0}, {@code name1}, ...). */
  static Path data(Path dir, String name, int count, long seed) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Random r = new Random(seed);
    StringBuilder scp = new StringBuilder();
    StringBuilder phones = new StringBuilder();
    for (int u = 0; u < count; u++) {
      String id = name + u;
      float[] audio = new float[16000];
      StringBuilder p = new StringBuilder(id);
      for (int k = 0, pos = 800; k < 4; k++, pos += 3200) {
        boolean x = r.nextBoolean();
        p.append(x ? " X" : " Y");
        for (int i = 0; i < 1600; i++) {
          audio[pos + i] = (float) (0.3 * Math.sin(2 * Math.PI * (x ? 400 : 2000) * i / 16000.0));
        }
      }
      Path wav = d.resolve(id + ".wav");
      WavWriter.write(wav, audio, 16000);
      scp.append(id).append(' ').append(wav).append('\n');
      phones.append(p).append('\n');
    }
    Files.writeString(d.resolve("wav.scp"), scp);
    Files.writeString(d.resolve("text.phones"), phones);
    return d;
  }

  /** A two-epoch configuration of a 16-unit TDNN in {@code file}, with {@code extra} lines appended. */
  static Path config(Path file, String extra) throws IOException {
    return Files.writeString(file, "arch=tdnn\nhidden=16\ndilations=1\nfbank.num-mel-bins=20\ntrain.epochs=2\n"
        + "train.batch.utterances=2\ntrain.warmup.steps=2\ntrain.lr=0.01\nden.order=2\nden.no.prune.order=2\n" + extra);
  }
}
