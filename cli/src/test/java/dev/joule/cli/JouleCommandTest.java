package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user meets it: help, exit codes, one-line errors. */
class JouleCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    assertEquals(ExitCodes.OK, run("--help"));
    assertTrue(out.toString().contains("devices"), out.toString());
    assertTrue(out.toString().contains("4  device error"), out.toString());
  }

  @Test
  void everyCommandHasHelp() {
    for (String name : Joule.commandLine().getSubcommands().keySet()) {
      StringWriter o = new StringWriter();
      CommandLine cli = Joule.commandLine();
      cli.setOut(new PrintWriter(o, true));
      assertEquals(ExitCodes.OK, cli.execute(name, "--help"), name);
      assertTrue(o.toString().contains("Usage: joule " + name), o.toString());
    }
  }

  @Test
  void badOptionValueIsAOneLineUsageError() {
    assertEquals(ExitCodes.USAGE, run("devices", "--device", "tpu"));
    String message = err.toString().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("joule: ") && message.contains("auto, cpu, gpu"), message);
  }

  @Test
  void devicesOnCpuAlwaysWorks() {
    assertEquals(ExitCodes.OK, run("devices", "--device", "cpu"));
    assertTrue(out.toString().contains("--device cpu selects: CPU"), out.toString());
  }

  @Test
  void gpuWithoutAGpuIsADeviceError() {
    GpuProbe.Result probe = GpuProbe.probe();
    if (probe.available()) {
      assertEquals(ExitCodes.DEVICE, run("devices", "--device", "gpu:" + probe.deviceCount()));
    } else {
      assertEquals(ExitCodes.DEVICE, run("devices", "--device", "gpu"));
      assertTrue(err.toString().contains(probe.reason()), err.toString());
    }
  }

  @Test
  void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    assertEquals(0, Joule.editDistance("train", "train"));
    assertEquals(1, Joule.editDistance("transcrbe", "transcribe"));
    assertEquals(2, Joule.editDistance("trian", "train"));
    assertEquals(5, Joule.editDistance("", "score"));
    assertEquals(3, Joule.editDistance("kitten", "sitting"));
  }
}
