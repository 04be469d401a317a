package dev.joule.cli;

import dev.joule.engine.device.DeviceChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --device} values; a bad one is a usage error naming the accepted values. */
final class DeviceChoiceConverter implements ITypeConverter<DeviceChoice> {
  @Override
  public DeviceChoice convert(String value) {
    try {
      return DeviceChoice.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
