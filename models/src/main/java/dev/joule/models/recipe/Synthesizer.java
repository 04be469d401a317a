package dev.joule.models.recipe;

import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.WavWriter;
import dev.joule.frontend.augment.NoiseMixer;
import dev.joule.models.recipe.SynthesisPlan.Noise;
import dev.joule.models.recipe.SynthesisPlan.Utterance;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs the synthesisers and sox for one planned utterance. Synthesis makes the clean 16 kHz mono
 * 16-bit WAV of a voice at the planned rate and pitch; augmentation turns it into the training
 * audio (padding, speed, reverb, generated noise at the planned SNR, peak level, telephone band).
 * sox runs with {@code -R -D} (repeatable, no dither), so outputs depend only on the plan.
 */
public final class Synthesizer {
  private static final Logger LOG = Logger.getLogger(Synthesizer.class.getName());
  public static final int RATE = 16000;
  /** espeak-ng's default speaking rate, words per minute. */
  static final int ESPEAK_WPM = 175;

  private Synthesizer() {}

  /** The synthesiser command writing {@code out} (the engine's own sample rate) from {@code textFile}. */
  public static List<String> synthCommand(Voice v, Utterance u, Path textFile, Path out) {
    List<String> c = new ArrayList<>();
    switch (v.engine()) {
      case FLITE -> {
        c.addAll(List.of("flite", "-voice", v.name()));
        if (u.rate() != 1.0) {
          c.addAll(List.of("--setf", "duration_stretch=" + SynthesisPlan.fmt(1.0 / u.rate())));
        }
        c.addAll(List.of("-f", textFile.toString(), "-o", out.toString()));
      }
      case ESPEAK -> {
        c.addAll(List.of("espeak-ng", "-v", v.variant().isEmpty() ? v.name() : v.name() + "+" + v.variant()));
        c.addAll(List.of("-s", Integer.toString((int) Math.round(ESPEAK_WPM * u.rate()))));
        c.addAll(List.of("-p", Integer.toString(50 + 10 * u.pitchLevel())));
        c.addAll(List.of("-w", out.toString(), "-f", textFile.toString()));
      }
      case FESTIVAL -> c.addAll(List.of(
          "text2wave", "-eval", "(voice_" + v.name() + ")", "-o", out.toString(), textFile.toString()));
    }
    return c;
  }

  /**
   * The sox command that makes the clean utterance: 16 kHz mono 16-bit, with the pitch level
   * (flite, festival: 150 cents a step) and, for festival, whose HTS voice ignores duration
   * settings, the rate as a tempo change.
   */
  public static List<String> voiceSoxCommand(Voice v, Utterance u, Path in, Path out) {
    List<String> c = sox(in, out);
    if (v.engine() != Voice.Engine.ESPEAK && u.pitchLevel() != 0) {
      c.addAll(List.of("pitch", Integer.toString(150 * u.pitchLevel())));
    }
    if (v.engine() == Voice.Engine.FESTIVAL && u.rate() != 1.0) {
      c.addAll(List.of("tempo", "-s", SynthesisPlan.fmt(u.rate())));
    }
    c.addAll(List.of("rate", "-h", Integer.toString(RATE)));
    return c;
  }

  /** The sox part of augmentation: leading/trailing silence, speed perturbation, reverb, back to 16 kHz. */
  public static List<String> augmentSoxCommand(Utterance u, Path in, Path out) {
    List<String> c = sox(in, out);
    c.addAll(List.of("pad", SynthesisPlan.fmt(u.padStart()), SynthesisPlan.fmt(u.padEnd())));
    if (u.speed() != 1.0) {
      c.addAll(List.of("speed", SynthesisPlan.fmt(u.speed())));
    }
    if (u.reverb() != null) {
      c.addAll(List.of("reverb", Integer.toString(u.reverb().reverberance()),
          Integer.toString(u.reverb().hfDamping()), Integer.toString(u.reverb().roomScale())));
    }
    c.addAll(List.of("rate", "-h", Integer.toString(RATE)));
    return c;
  }

  /** Telephone channel, first half: band-limit to 300–3400 Hz and encode as 8 kHz μ-law. */
  public static List<String> telephoneEncode(Path in, Path out) {
    return List.of("sox", "-R", "-D", "-V1", in.toString(), "-r", "8000", "-c", "1", "-e", "u-law", "-b", "8",
        out.toString(), "sinc", "300-3400", "rate", "-h", "8000");
  }

  /** Telephone channel, second half: decode back to 16 kHz 16-bit. */
  public static List<String> telephoneDecode(Path in, Path out) {
    return sox(in, out);
  }

  private static List<String> sox(Path in, Path out) {
    return new ArrayList<>(List.of("sox", "-R", "-D", "-V1", in.toString(),
        "-r", Integer.toString(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", out.toString()));
  }

  /**
   * Makes {@code clean} for {@code u}: writes the text, runs the synthesiser into {@code tmpDir}
   * and converts with sox. The result appears atomically.
   */
  public static void synthesize(Voice v, Utterance u, Path tmpDir, Path clean) throws IOException {
    Path text = tmpDir.resolve(u.uttId() + ".txt");
    Path raw = tmpDir.resolve(u.uttId() + ".raw.wav");
    Path part = tmpDir.resolve(u.uttId() + ".clean.wav");
    try {
      Files.writeString(text, u.text() + "\n", StandardCharsets.UTF_8);
      run(synthCommand(v, u, text, raw));
      if (!Files.isRegularFile(raw) || Files.size(raw) <= 44) {
        throw new IOException(v.engine().program + " made no audio");
      }
      run(voiceSoxCommand(v, u, raw, part));
      Files.move(part, clean, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(text);
      Files.deleteIfExists(raw);
      Files.deleteIfExists(part);
    }
  }

  /**
   * The festival script that synthesises {@code texts} into {@code outs} with one voice, in one
   * process: the same audio as {@code text2wave} per utterance without loading the voice each time.
   */
  public static String festivalScript(Voice v, List<String> texts, List<Path> outs) {
    StringBuilder sb = new StringBuilder();
    sb.append("(voice_").append(v.name()).append(")\n");
    sb.append("(define (joule-synth text file) (utt.save.wave (utt.synth (eval (list 'Utterance 'Text text))) file 'riff))\n");
    for (int i = 0; i < texts.size(); i++) {
      sb.append("(joule-synth ").append(schemeString(texts.get(i))).append(' ')
          .append(schemeString(outs.get(i).toString())).append(")\n");
    }
    return sb.toString();
  }

  static String schemeString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * {@link #synthesize} for several utterances of one festival voice in one festival process.
   * Returns the utterances that failed, each with its reason.
   */
  public static List<String> synthesizeFestival(Voice v, List<Utterance> us, Path tmpDir, List<Path> cleans)
      throws IOException {
    if (v.engine() != Voice.Engine.FESTIVAL) {
      throw new IllegalArgumentException(v.id() + " is not a festival voice");
    }
    List<String> failures = new ArrayList<>();
    List<Path> raws = new ArrayList<>();
    for (Utterance u : us) {
      raws.add(tmpDir.resolve(u.uttId() + ".raw.wav"));
    }
    Path script = tmpDir.resolve(us.get(0).uttId() + ".batch.scm");
    try {
      Files.writeString(script, festivalScript(v, us.stream().map(Utterance::text).toList(), raws), StandardCharsets.UTF_8);
      try {
        run(List.of("festival", "-b", script.toString()));
      } catch (IOException e) {
        LOG.fine("festival batch: " + e.getMessage()); // per-utterance checks below say which failed
      }
      for (int i = 0; i < us.size(); i++) {
        Utterance u = us.get(i);
        Path raw = raws.get(i);
        Path part = tmpDir.resolve(u.uttId() + ".clean.wav");
        try {
          if (!Files.isRegularFile(raw) || Files.size(raw) <= 44) {
            throw new IOException("festival made no audio");
          }
          run(voiceSoxCommand(v, u, raw, part));
          Files.move(part, cleans.get(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          failures.add(u.uttId() + " " + e.getMessage());
        } finally {
          Files.deleteIfExists(part);
        }
      }
    } finally {
      Files.deleteIfExists(script);
      for (Path r : raws) {
        Files.deleteIfExists(r);
      }
    }
    return failures;
  }

  /** Makes {@code out} from {@code clean} as planned; returns its duration in seconds. */
  public static double augment(Utterance u, Path clean, Path tmpDir, Path out) throws IOException {
    Path a = tmpDir.resolve(u.uttId() + ".aug1.wav");
    Path b = tmpDir.resolve(u.uttId() + ".aug2.wav");
    Path t = tmpDir.resolve(u.uttId() + ".tel.wav");
    Path c = tmpDir.resolve(u.uttId() + ".aug3.wav");
    try {
      run(augmentSoxCommand(u, clean, a));
      float[] x = Audio.readAll(a, RATE);
      if (u.noise() != Noise.NONE) {
        float[] noise = NoiseSources.generate(u.noise(), x.length, RATE, u.noiseSeed());
        if (hasEnergy(x)) {
          x = NoiseMixer.mix(x, noise, u.snrDb(), u.noiseSeed());
        }
      }
      scaleToPeak(x, u.peakDb());
      WavWriter.write(b, x, RATE);
      Path result = b;
      if (u.telephone()) {
        run(telephoneEncode(b, t));
        run(telephoneDecode(t, c));
        result = c;
      }
      Files.move(result, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return x.length / (double) RATE;
    } finally {
      for (Path p : List.of(a, b, t, c)) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static boolean hasEnergy(float[] x) {
    for (float v : x) {
      if (v != 0) {
        return true;
      }
    }
    return false;
  }

  /** Scales {@code x} in place so that its largest magnitude is {@code peakDb} dBFS. */
  static void scaleToPeak(float[] x, double peakDb) {
    float max = 0;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    if (max == 0) {
      return;
    }
    float g = (float) (Math.pow(10, peakDb / 20) / max);
    for (int i = 0; i < x.length; i++) {
      x[i] *= g;
    }
  }

  /** Runs {@code command}, failing with its last error line when it exits non-zero or runs over 5 minutes. */
  static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    String err;
    try (InputStream in = p.getErrorStream()) {
      err = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " timed out");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      String last = err.isEmpty() ? "" : ": " + err.substring(err.lastIndexOf('\n') + 1);
      throw new IOException(command.get(0) + " exited with " + p.exitValue() + last);
    }
  }

  /** Whether {@code program} is on the PATH. */
  public static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** Output of {@code command} (stdout and stderr together), or null when it cannot run. */
  static String capture(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The voices of {@code wanted} that can run here: the synthesiser is on the PATH and lists the
   * voice ({@code flite -lv}, {@code espeak-ng --voices=en}, festival's {@code voice.list}); sox is
   * required for all. Missing ones are logged once per engine and skipped.
   */
  public static List<Voice> available(List<Voice> wanted) {
    List<Voice> out = new ArrayList<>();
    if (!onPath("sox")) {
      LOG.warning("sox is not installed: no voice can be used (apt-get install sox)");
      return out;
    }
    Set<String> known = new HashSet<>();
    Set<Voice.Engine> missing = new HashSet<>();
    for (Voice.Engine e : Voice.Engine.values()) {
      if (wanted.stream().noneMatch(v -> v.engine() == e)) {
        continue;
      }
      String listing = null;
      if (onPath(e.program)) {
        listing = switch (e) {
          case FLITE -> capture(List.of("flite", "-lv"));
          case ESPEAK -> capture(List.of("espeak-ng", "--voices=en"));
          case FESTIVAL -> onPath("festival")
              ? capture(List.of("festival", "-b", "(begin (print (voice.list)))")) : null;
        };
      }
      if (listing == null) {
        missing.add(e);
        continue;
      }
      for (String tok : listing.split("[\\s()]+")) {
        known.add(e.name() + ":" + tok.toLowerCase(Locale.ROOT));
      }
    }
    Set<String> warned = new HashSet<>();
    for (Voice v : wanted) {
      if (missing.contains(v.engine())) {
        if (warned.add(v.engine().name())) {
          LOG.warning(v.engine().program + " is not installed: skipping its voices");
        }
      } else if (!known.contains(v.engine().name() + ":" + v.name().toLowerCase(Locale.ROOT))) {
        if (warned.add(v.id())) {
          LOG.warning("voice " + v.name() + " is not available in " + v.engine().program + ": skipping it");
        }
      } else {
        out.add(v);
      }
    }
    return out;
  }
}
