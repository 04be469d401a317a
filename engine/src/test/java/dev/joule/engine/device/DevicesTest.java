package dev.joule.engine.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.GpuUnavailableException;
import org.junit.jupiter.api.Test;

class DevicesTest {

  @Test
  void parsesTheDeviceFlag() {
    assertEquals(DeviceChoice.AUTO, DeviceChoice.parse("auto"));
    assertEquals(DeviceChoice.CPU, DeviceChoice.parse(" CPU "));
    assertEquals(new DeviceChoice(DeviceChoice.Kind.GPU, 0), DeviceChoice.parse("gpu"));
    assertEquals(new DeviceChoice(DeviceChoice.Kind.GPU, 3), DeviceChoice.parse("gpu:3"));
    assertEquals("gpu:3", DeviceChoice.parse("cuda:3").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
    assertTrue(e.getMessage().contains("auto, cpu, gpu"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("gpu:-1"));
    assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("gpu:x"));
  }

  @Test
  void cpuIsAlwaysAvailable() {
    try (ComputeDevice d = Devices.open(DeviceChoice.CPU)) {
      assertFalse(d.isGpu());
      assertTrue(d.cpuThreads() >= 1);
    }
  }

  @Test
  void autoUsesTheGpuExactlyWhenOneIsUsable() {
    GpuProbe.Result probe = GpuProbe.probe();
    try (ComputeDevice d = Devices.open(DeviceChoice.AUTO)) {
      assertEquals(probe.available(), d.isGpu(), "probe said: " + probe);
    }
  }

  @Test
  void gpuWithoutAGpuFailsNamingTheReason() {
    GpuProbe.Result probe = GpuProbe.probe();
    if (probe.available()) {
      GpuUnavailableException e =
          assertThrows(GpuUnavailableException.class, () -> Devices.open(new DeviceChoice(DeviceChoice.Kind.GPU, 99)));
      assertTrue(e.getMessage().contains("no GPU 99"), e.getMessage());
    } else {
      assertFalse(probe.reason().isBlank());
      GpuUnavailableException e =
          assertThrows(GpuUnavailableException.class, () -> Devices.open(DeviceChoice.parse("gpu")));
      assertTrue(e.getMessage().contains(probe.reason()), e.getMessage());
    }
  }
}
