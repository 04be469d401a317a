package dev.joule.bench;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.recognizer.Recognizer;
import dev.joule.engine.recognizer.RecognizerOptions;
import dev.joule.engine.recognizer.Transcript;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Throughput of batch transcription (RTFx: seconds of audio per second of wall clock) with the
 * acoustic model batched on the GPU and features and decoding on CPU threads, at several batch
 * sizes, beside the same recognizer entirely on the CPU with the same threads, in the same run.
 *
 * <p>The audio: {@code utterances} files of 4–12 s cut from a sample recording (1–3 copies, each
 * starting at a random offset), written as WAV to a temporary directory, so reading them is
 * part of the time. One untimed pass warms up each configuration. One JSON line per configuration,
 * with the time split summed over utterances (features, acoustic model, decoding; these overlap in
 * the pipeline, so they add up to more than the wall clock).
 *
 * <p>Usage: {@code GpuBatchBenchmark MODEL_DIR SAMPLE.wav [utterances] [threads] [batch sizes...]}
 * (default 256 utterances, all cores, batches 1 8 32 128 256).
 */
public final class GpuBatchBenchmark {
  private GpuBatchBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path model = Path.of(args[0]);
    Path sample = Path.of(args[1]);
    int utterances = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    int[] batches = args.length > 4
        ? Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 8, 32, 128, 256};
    Path dir = Files.createTempDirectory("joule-gpu-batch");
    try {
      List<Path> files = makeUtterances(sample, dir, utterances);
      RecognizerOptions options = RecognizerOptions.defaults().withThreads(threads).withRescoring(false); // the acoustic model and search only
      try (Recognizer cpu = Recognizer.open(model, options.withDevice(DeviceChoice.CPU))) {
        cpu.transcribeAll(files.subList(0, Math.min(16, files.size())));
        report("cpu", 0, threads, files, time(() -> cpu.transcribeAll(files)));
      }
      try (Recognizer gpu = Recognizer.open(model, options.withDevice(DeviceChoice.parse("gpu")))) {
        for (int batch : batches) {
          gpu.transcribeAll(files.subList(0, Math.min(batch, files.size())), batch);
          report("gpu", batch, threads, files, time(() -> gpu.transcribeAll(files, batch)));
        }
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private interface Run {
    List<Transcript> run() throws IOException;
  }

  private record Timed(List<Transcript> transcripts, double seconds) {}

  private static Timed time(Run run) throws IOException {
    long t0 = System.nanoTime();
    List<Transcript> out = run.run();
    return new Timed(out, (System.nanoTime() - t0) / 1e9);
  }

  private static void report(String device, int batch, int threads, List<Path> files, Timed t) {
    double audio = 0;
    double features = 0;
    double acoustic = 0;
    double decode = 0;
    for (Transcript tr : t.transcripts()) {
      audio += tr.timing().audioSeconds();
      features += tr.timing().featureSeconds();
      acoustic += tr.timing().acousticSeconds();
      decode += tr.timing().decodeSeconds();
    }
    System.out.printf(
        "{\"bench\":\"batch-transcription\",\"device\":\"%s\",\"acoustic_batch\":%d,\"threads\":%d,\"utterances\":%d,"
            + "\"audio_s\":%.1f,\"wall_s\":%.3f,\"rtfx\":%.1f,\"features_s\":%.3f,\"acoustic_s\":%.3f,\"decode_s\":%.3f}%n",
        device, batch, threads, files.size(), audio, t.seconds(), audio / t.seconds(), features, acoustic, decode);
  }

  private static List<Path> makeUtterances(Path sample, Path dir, int count) throws IOException {
    int rate = 16000;
    float[] audio;
    try (AudioSource src = Audio.open(sample, rate)) {
      audio = Audio.readAll(src);
    }
    Random random = new Random(1);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int copies = 1 + random.nextInt(3);
      float[] out = new float[copies * audio.length];
      for (int c = 0; c < copies; c++) {
        int shift = random.nextInt(audio.length);
        for (int j = 0; j < audio.length; j++) {
          out[c * audio.length + j] = audio[(j + shift) % audio.length];
        }
      }
      Path f = dir.resolve(String.format("utt%04d.wav", i));
      WavWriter.write(f, out, rate);
      files.add(f);
    }
    return files;
  }
}
