package dev.joule.bench;


/**
 * The Conformer encoder training step ({@link ConformerTrainingStep}) on the CPU backend.
 *
 * <p>Reports frames per second, median over the timed steps after one warm-up step, as one JSON
 * line. Usage: {@code ConformerCpuBenchmark [batch] [frames] [timedSteps] [blocks]}
 * (default 32 500 2 12).
 */
public final class ConformerCpuBenchmark {
  private ConformerCpuBenchmark() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int timed = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int blockCount = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    ConformerTrainingStep step = new ConformerTrainingStep(batch, frames, blockCount, null);
    TrainingSteps.Timing timing = TrainingSteps.run(timed, step::run);
    double median = timing.medianSeconds();
    System.out.printf(
        "{\"bench\":\"conformer-train-step\",\"impl\":\"joule-cpu\",\"threads\":%d,\"blocks\":%d,\"d\":%d,"
            + "\"batch\":%d,\"frames\":%d,\"step_s_median\":%.3f,\"frames_per_s\":%.1f,\"timed_steps\":%d,\"loss\":%.4f}%n",
        Runtime.getRuntime().availableProcessors(), blockCount, ConformerTrainingStep.DIM, batch, frames, median, batch * frames / median,
        timing.timedSteps(), timing.lastLoss());
  }
}
