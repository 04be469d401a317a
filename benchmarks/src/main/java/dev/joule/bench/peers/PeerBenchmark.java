package dev.joule.bench.peers;

import dev.joule.cli.Joule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Joule and every peer on the real-speech set: writes the set as a data directory under
 * {@code OUT_DIR/data} and runs {@code joule bench --peers all} on it, so Joule and the peers are
 * measured and scored by the same harness in the same run. Arguments after the data root go to
 * {@code joule bench} (for example {@code --repeat 5 --machine "..."}).
 *
 * <p>Usage: {@code PeerBenchmark OUT_DIR [DATA_ROOT [BENCH_OPTIONS...]]}.
 */
public final class PeerBenchmark {
  private PeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "peers-out");
    Path root = args.length > 1 ? Path.of(args[1]) : RealSpeechSet.DEFAULT_ROOT;
    Path data = out.resolve("data");
    RealSpeechSet.writeDataDir(root, data);
    List<String> bench = new ArrayList<>(List.of("bench", data.toString(), "--peers", "all", "--out", out.toString()));
    for (int i = 2; i < args.length; i++) {
      bench.add(args[i]);
    }
    System.exit(Joule.commandLine().execute(bench.toArray(String[]::new)));
  }
}
