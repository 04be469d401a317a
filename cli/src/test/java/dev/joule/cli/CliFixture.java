package dev.joule.cli;

import dev.joule.engine.recognizer.ToneModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs {@code joule} in this process and keeps what it printed. */
final class CliFixture {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** The tone model of the recognizer tests (see {@link ToneModel}) in {@code dir/model}. */
  static Path model(Path dir) throws IOException {
    return ToneModel.build(dir.resolve("model"), false);
  }
}
