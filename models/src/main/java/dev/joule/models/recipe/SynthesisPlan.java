package dev.joule.models.recipe;

import dev.joule.models.recipe.Corpus.Sentence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Which sentence is spoken by which voice, at which rate and pitch, with which augmentation: all
 * drawn from a seed, so the same seed, sentences and voices give the same plan.
 *
 * <p>Voices are dealt by smooth weighted round-robin (exact shares, no clumping) over the
 * sentences in a seeded order; each voice cycles through its {@link #PITCH_LEVELS} pitch levels
 * (a voice at a pitch level is one Kaldi speaker) and gets a uniform random rate per utterance.
 */
public final class SynthesisPlan {
  /** Pitch levels −2..2: sox {@code pitch} of 150 cents a step for flite/festival, espeak-ng {@code -p} 50 ± 10 a step. */
  public static final int PITCH_LEVELS = 5;

  /** Kinds of additive noise: none, pink or brown noise, or synthesised music. */
  public enum Noise { NONE, PINK, BROWN, MUSIC }

  /** How often and how strongly each augmentation is applied. */
  public record Augmentation(
      double minRate, double maxRate, double pSpeed, double minSpeed, double maxSpeed,
      double pReverb, double pNoise, double minSnrDb, double maxSnrDb, double pTelephone,
      double minPeakDb, double maxPeakDb, double maxPad, boolean varyPitch) {
    /** The training mixture: rates 0.85–1.2, a fifth speed-perturbed, a quarter reverberant, 40% noisy at 5–25 dB, 15% telephone. */
    public static Augmentation training() {
      return new Augmentation(0.85, 1.2, 0.2, 0.9, 1.1, 0.25, 0.4, 5, 25, 0.15, -12, -1, 0.3, true);
    }

    /** Plain synthesis at the voice's own rate and pitch: for evaluation sets. */
    public static Augmentation none() {
      return new Augmentation(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, -3, -3, 0.1, false);
    }
  }

  /** sox {@code reverb} settings: reverberance, HF damping and room scale, in percent. */
  public record Reverb(int reverberance, int hfDamping, int roomScale) {}

  /**
   * One utterance of the plan.
   *
   * @param set the data set it belongs to (train, dev, test, eval_kal)
   * @param rate speaking rate factor (>1 faster), applied by the synthesiser where it can
   * @param pitchLevel −2..2
   * @param speed sox {@code speed} factor (1: none)
   * @param reverb null for none
   * @param snrDb signal-to-noise ratio when {@code noise != NONE}
   * @param peakDb the final peak level in dBFS
   * @param padStart silence added before, seconds
   * @param padEnd silence added after, seconds
   * @param noiseSeed the seed of the generated noise
   */
  public record Utterance(
      String uttId, String speaker, String voiceId, String set, String sentenceId, String text,
      double rate, int pitchLevel, double speed, Reverb reverb, Noise noise, double snrDb,
      boolean telephone, double peakDb, double padStart, double padEnd, long noiseSeed) {

    /** One tab-separated line (text last). */
    public String toLine() {
      return String.join("\t", uttId, speaker, voiceId, set, sentenceId, fmt(rate), Integer.toString(pitchLevel),
          fmt(speed), reverb == null ? "-" : reverb.reverberance() + "," + reverb.hfDamping() + "," + reverb.roomScale(),
          noise.name().toLowerCase(Locale.ROOT), fmt(snrDb), telephone ? "1" : "0", fmt(peakDb), fmt(padStart),
          fmt(padEnd), Long.toString(noiseSeed), text);
    }

    public static Utterance fromLine(String line) {
      String[] f = line.split("\t", -1);
      if (f.length != 17) {
        throw new IllegalArgumentException("plan line has " + f.length + " fields, expected 17: " + line);
      }
      Reverb rv = null;
      if (!f[8].equals("-")) {
        String[] r = f[8].split(",");
        rv = new Reverb(Integer.parseInt(r[0]), Integer.parseInt(r[1]), Integer.parseInt(r[2]));
      }
      return new Utterance(f[0], f[1], f[2], f[3], f[4], f[16], Double.parseDouble(f[5]), Integer.parseInt(f[6]),
          Double.parseDouble(f[7]), rv, Noise.valueOf(f[9].toUpperCase(Locale.ROOT)), Double.parseDouble(f[10]),
          f[11].equals("1"), Double.parseDouble(f[12]), Double.parseDouble(f[13]), Double.parseDouble(f[14]),
          Long.parseLong(f[15]));
    }

    /** A short human-readable list of what was done to the audio. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      parts.add("rate=" + fmt(rate));
      parts.add("pitch=" + pitchLevel);
      if (speed != 1) {
        parts.add("speed=" + fmt(speed));
      }
      if (reverb != null) {
        parts.add("reverb=" + reverb.reverberance());
      }
      if (noise != Noise.NONE) {
        parts.add(noise.name().toLowerCase(Locale.ROOT) + "@" + fmt(snrDb) + "dB");
      }
      if (telephone) {
        parts.add("telephone");
      }
      return String.join(" ", parts);
    }
  }

  private SynthesisPlan() {}

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /**
   * Chooses {@code n} sentences of {@code pool} with the given per-source shares (sources missing
   * from {@code shares} get none; a source with too few sentences leaves its quota to the others),
   * seeded; sorted by id.
   */
  public static List<Sentence> select(List<Sentence> pool, int n, Map<String, Double> shares, long seed) {
    Map<String, List<Sentence>> bySource = new LinkedHashMap<>();
    for (Sentence s : pool) {
      if (shares.getOrDefault(s.source(), 0.0) > 0) {
        bySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s);
      }
    }
    double total = 0;
    for (String src : bySource.keySet()) {
      total += shares.get(src);
    }
    List<Sentence> out = new ArrayList<>();
    Map<String, Integer> used = new HashMap<>();
    for (Map.Entry<String, List<Sentence>> e : bySource.entrySet()) {
      Collections.shuffle(e.getValue(), new Random(Corpus.mix(seed, "select/" + e.getKey())));
      int quota = (int) Math.round(n * shares.get(e.getKey()) / total);
      int take = Math.min(quota, e.getValue().size());
      out.addAll(e.getValue().subList(0, take));
      used.put(e.getKey(), take);
    }
    // fill a shortfall (or trim an excess from rounding) deterministically
    boolean progress = true;
    while (out.size() < n && progress) {
      progress = false;
      for (Map.Entry<String, List<Sentence>> e : bySource.entrySet()) {
        int u = used.get(e.getKey());
        if (out.size() < n && u < e.getValue().size()) {
          out.add(e.getValue().get(u));
          used.put(e.getKey(), u + 1);
          progress = true;
        }
      }
    }
    out.sort(Comparator.comparing(Sentence::id));
    if (out.size() > n) {
      Collections.shuffle(out, new Random(Corpus.mix(seed, "select/trim")));
      out = new ArrayList<>(out.subList(0, n));
      out.sort(Comparator.comparing(Sentence::id));
    }
    return out;
  }

  /** The plan for {@code sentences} of data set {@code set}, with the voices' weights. */
  public static List<Utterance> plan(
      String set, List<Sentence> sentences, List<Voice> voices, Augmentation aug, long seed) {
    if (voices.isEmpty()) {
      throw new IllegalArgumentException("no voices to plan with");
    }
    SplittableRandom rnd = new SplittableRandom(Corpus.mix(seed, "plan/" + set));
    List<Sentence> order = new ArrayList<>(sentences);
    Collections.shuffle(order, new Random(rnd.nextLong()));
    voices = new ArrayList<>(voices);
    Collections.shuffle(voices, new Random(rnd.nextLong())); // which voices a short plan reaches first
    double[] current = new double[voices.size()];
    double totalWeight = voices.stream().mapToDouble(Voice::weight).sum();
    int[] pitchCursor = new int[voices.size()];
    for (int i = 0; i < pitchCursor.length; i++) {
      pitchCursor[i] = rnd.nextInt(PITCH_LEVELS);
    }
    List<Utterance> out = new ArrayList<>(order.size());
    for (Sentence s : order) {
      // smooth weighted round-robin
      int best = 0;
      for (int v = 0; v < current.length; v++) {
        current[v] += voices.get(v).weight();
        if (current[v] > current[best]) {
          best = v;
        }
      }
      current[best] -= totalWeight;
      Voice voice = voices.get(best);
      int pitch = aug.varyPitch() ? (pitchCursor[best]++ % PITCH_LEVELS) - PITCH_LEVELS / 2 : 0;
      double rate = uniform(rnd, aug.minRate(), aug.maxRate());
      double speed = rnd.nextDouble() < aug.pSpeed() ? uniform(rnd, aug.minSpeed(), aug.maxSpeed()) : 1.0;
      Reverb reverb = rnd.nextDouble() < aug.pReverb()
          ? new Reverb(10 + rnd.nextInt(51), 20 + rnd.nextInt(61), 20 + rnd.nextInt(81)) : null;
      Noise noise = Noise.NONE;
      double snr = 0;
      if (rnd.nextDouble() < aug.pNoise()) {
        noise = Noise.values()[1 + rnd.nextInt(Noise.values().length - 1)];
        snr = uniform(rnd, aug.minSnrDb(), aug.maxSnrDb());
      }
      boolean tel = rnd.nextDouble() < aug.pTelephone();
      double peak = uniform(rnd, aug.minPeakDb(), aug.maxPeakDb());
      double padStart = uniform(rnd, 0.05, Math.max(0.05, aug.maxPad()));
      double padEnd = uniform(rnd, 0.05, Math.max(0.05, aug.maxPad()));
      long noiseSeed = rnd.nextLong();
      String speaker = voice.id() + "-p" + (pitch + PITCH_LEVELS / 2);
      out.add(new Utterance(speaker + "-" + s.id(), speaker, voice.id(), set, s.id(), s.text(),
          round3(rate), pitch, round3(speed), reverb, noise, round3(snr), tel, round3(peak),
          round3(padStart), round3(padEnd), noiseSeed));
    }
    out.sort(Comparator.comparing(Utterance::uttId));
    return out;
  }

  private static double uniform(SplittableRandom r, double lo, double hi) {
    return hi <= lo ? lo : lo + (hi - lo) * r.nextDouble();
  }

  /** Rounded as written to the plan file, so a plan read back is equal to the one made. */
  private static double round3(double v) {
    return Double.parseDouble(fmt(v));
  }

  /** Writes a plan file, one {@link Utterance#toLine()} per line. */
  public static void write(Path file, List<Utterance> plan) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Utterance u : plan) {
      sb.append(u.toLine()).append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  public static List<Utterance> read(Path file) throws IOException {
    List<Utterance> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(Utterance.fromLine(line));
      }
    }
    return out;
  }
}
