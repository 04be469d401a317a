package dev.joule.cli;

import dev.joule.engine.device.ComputeDevice;
import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.device.Devices;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code joule devices}: what Joule can compute on here, and what {@code --device} selects. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the CPU and the CUDA GPUs Joule can use, and which one --device selects.",
      "Without a usable GPU it says why (no driver, no device, library load failure)."
    })
final class DevicesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--device",
      defaultValue = "auto",
      converter = DeviceChoiceConverter.class,
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}); gpu fails with exit code 4 when none is usable")
  DeviceChoice device;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("CPU: %d hardware threads, %s %s on %s/%s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), Runtime.version(),
        System.getProperty("os.name"), System.getProperty("os.arch"));
    GpuProbe.Result probe = GpuProbe.probe();
    if (!probe.available()) {
      out.println("GPU: none usable (" + probe.reason() + ")");
    } else {
      for (int i = 0; i < probe.deviceCount(); i++) {
        try (GpuDevice gpu = GpuDevice.open(i)) {
          out.println(gpu);
        }
      }
    }
    try (ComputeDevice selected = Devices.open(device)) {
      out.println("--device " + device + " selects: " + selected);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
