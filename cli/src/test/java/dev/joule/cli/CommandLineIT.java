package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.recognizer.ToneModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line through the script: help, {@code devices}, and every documented exit code with
 * its one-line message (0 ok, 1 usage, 2 input, 3 model, 4 device).
 */
class CommandLineIT {
  @TempDir Path dir;

  @Test
  void helpListsTheCommandsAndTheExitCodes() throws Exception {
    Launcher joule = new Launcher(dir);
    String help = joule.run("--help").ok().out();
    for (String command : Joule.commandLine().getSubcommands().keySet()) {
      assertTrue(help.contains("\n  " + command + " "), command + " missing from:\n" + help);
    }
    for (String code : new String[] {"0  ok", "1  usage error", "2  input error", "3  model error", "4  device error"}) {
      assertTrue(help.contains("\n  " + code), code + " missing from:\n" + help);
    }
    // With no command at all, the same overview.
    assertEquals(help, joule.run().ok().out());

    String transcribe = joule.run("transcribe", "--help").ok().out();
    assertTrue(transcribe.startsWith("Usage: joule transcribe") && transcribe.contains("--resume"), transcribe);
    String lm = joule.run("help", "lm").ok().out();
    assertTrue(lm.startsWith("Usage: joule lm") && lm.contains("trf-attach"), lm);
  }

  @Test
  void devicesOnTheCpu() throws Exception {
    String out = new Launcher(dir).run("devices", "--device", "cpu").ok().out();
    assertTrue(out.startsWith("CPU: "), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("GPU")), out);
    assertTrue(out.contains("\n--device cpu selects: CPU ("), out);
  }

  @Test
  void usageErrorsAreExitCodeOne() throws Exception {
    Launcher joule = new Launcher(dir);
    joule.run("transcribe", "--no-such-option").failsWith(ExitCodes.USAGE,
        "Unknown option: '--no-such-option' (see: joule transcribe --help)");
    joule.run("score", "--ref", "text").failsWith(ExitCodes.USAGE, "Missing required option: '--hyp=FILE'");
    joule.run("devices", "--device", "tpu").failsWith(ExitCodes.USAGE, "auto, cpu, gpu");
    joule.run("frobnicate").failsWith(ExitCodes.USAGE, "joule: unknown command 'frobnicate' (see: joule --help)");
    joule.run("transcrbe", "x.wav").failsWith(ExitCodes.USAGE, "unknown command 'transcrbe'; did you mean transcribe");
    joule.run("lm", "trian").failsWith(ExitCodes.USAGE, "unknown command 'trian'");
  }

  @Test
  void inputModelAndDeviceErrorsAreExitCodesTwoThreeAndFour() throws Exception {
    Launcher joule = new Launcher(dir);
    Path model = CliFixture.model(dir);
    Path wav = ToneModel.wav(dir.resolve("x.wav"), "yes");

    joule.run("transcribe", "-m", model.toString(), "--device", "cpu", dir.resolve("none.wav").toString())
        .failsWith(ExitCodes.INPUT, dir.resolve("none.wav") + ": no such file");

    Path notAModel = Files.createDirectories(dir.resolve("empty-model"));
    joule.run("transcribe", "-m", notAModel.toString(), wav.toString()).failsWith(ExitCodes.MODEL, "empty-model");

    // No machine has a hundredth GPU: the message says why, with a GPU or without one.
    joule.run("transcribe", "-m", model.toString(), "--device", "gpu:99", wav.toString())
        .failsWith(ExitCodes.DEVICE, "no usable GPU: ");
  }
}
