package dev.joule.engine.io;

import dev.joule.engine.nn.Module;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Named tensors in one binary file (extension {@code .jparams}). All integers and numbers are
 * big-endian:
 *
 * <pre>
 * magic      8 bytes   "JOULEPRM"
 * version    int32     1
 * count      int32     number of tensors
 * count × {
 *   name     uint16 length, then that many bytes of UTF-8 (a dotted path, e.g. "encoder.0.weight")
 *   dtype    uint8     0 = float32, 1 = float64, 2 = int32
 *   rank     uint8
 *   dims     rank × int32
 *   values   product(dims) elements, row-major: IEEE float32 / float64, or int32
 * }
 * checksum   uint32    CRC-32C of every byte before it
 * </pre>
 *
 * <p>Reading verifies the checksum before parsing anything, so a truncated or altered file fails
 * with a {@link ParameterFileException} instead of yielding wrong weights. Files are written to a
 * temporary file and moved into place, so a crash never leaves half a file under the real name.
 */
public final class ParameterFile {
  private static final byte[] MAGIC = "JOULEPRM".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  private ParameterFile() {}

  public static void write(Path path, Map<String, Tensor> tensors) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(tensors.size());
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xFFFF) {
          throw new IllegalArgumentException("tensor name longer than 65535 bytes");
        }
        Tensor t = e.getValue();
        if (t.rank() > 255) {
          throw new IllegalArgumentException("tensor '" + e.getKey() + "' has rank above 255");
        }
        out.writeShort(name.length);
        out.write(name);
        out.writeByte(t.dtype().ordinal());
        out.writeByte(t.rank());
        for (int d : t.shape().dims()) {
          out.writeInt(d);
        }
        double[] v = t.values();
        for (int i = 0; i < t.size(); i++) {
          switch (t.dtype()) {
            case FLOAT32:
              out.writeFloat((float) v[i]);
              break;
            case FLOAT64:
              out.writeDouble(v[i]);
              break;
            default:
              out.writeInt((int) v[i]);
          }
        }
      }
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      AtomicFiles.write(path, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write parameter file " + path, e);
    }
  }

  public static Map<String, Tensor> read(Path path) {
    byte[] all;
    try {
      all = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read parameter file " + path, e);
    }
    if (all.length < MAGIC.length + 12 || !startsWithMagic(all)) {
      throw new ParameterFileException(path + " is not a Joule parameter file (no JOULEPRM header)");
    }
    ByteBuffer buf = ByteBuffer.wrap(all);
    int stored = buf.getInt(all.length - 4);
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 4);
    if ((int) crc.getValue() != stored) {
      throw new ParameterFileException(
          path + " is corrupt: checksum " + Integer.toHexString((int) crc.getValue()) + " does not match the stored "
              + Integer.toHexString(stored) + " (truncated or altered file)");
    }
    buf.limit(all.length - 4);
    buf.position(MAGIC.length);
    int version = buf.getInt();
    if (version != VERSION) {
      throw new ParameterFileException(path + " has format version " + version + "; this Joule reads version " + VERSION);
    }
    try {
      int count = buf.getInt();
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (int n = 0; n < count; n++) {
        byte[] name = new byte[Short.toUnsignedInt(buf.getShort())];
        buf.get(name);
        int type = Byte.toUnsignedInt(buf.get());
        if (type >= DType.values().length) {
          throw new ParameterFileException(path + ": unknown element type " + type);
        }
        DType dtype = DType.values()[type];
        int[] dims = new int[Byte.toUnsignedInt(buf.get())];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = buf.getInt();
        }
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = dtype == DType.FLOAT32 ? buf.getFloat() : dtype == DType.FLOAT64 ? buf.getDouble() : buf.getInt();
        }
        String key = new String(name, StandardCharsets.UTF_8);
        if (out.put(key, Tensor.wrap(v, shape, dtype)) != null) {
          throw new ParameterFileException(path + ": tensor '" + key + "' appears twice");
        }
      }
      if (buf.hasRemaining()) {
        throw new ParameterFileException(path + ": " + buf.remaining() + " unexpected bytes after the last tensor");
      }
      return out;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new ParameterFileException(path + " is malformed: " + e.getMessage(), e);
    }
  }

  /** Writes every parameter and buffer of {@code module} under its dotted name. */
  public static void save(Path path, Module module) {
    write(path, module.state());
  }

  /**
   * {@link #save(Path, Module)} with every floating-point tensor stored as {@code floats}: FLOAT32
   * halves a float64 model on disk, for scoring, where float32 rounding of the weights does not
   * matter. {@link #load} reads it into the model's own type.
   */
  public static void save(Path path, Module module, DType floats) {
    if (!floats.isFloating()) {
      throw new IllegalArgumentException("floating-point tensors cannot be stored as " + floats);
    }
    Map<String, Tensor> stored = new LinkedHashMap<>();
    module.state().forEach((name, t) -> stored.put(name, t.dtype().isFloating() ? t.to(floats) : t));
    write(path, stored);
  }

  /**
   * Loads {@code path} into {@code module} in place. The file must hold exactly the module's
   * tensors with the same shapes; otherwise nothing is changed and the exception lists every
   * missing, unexpected or mis-shaped name.
   */
  public static void load(Path path, Module module) {
    assign(path.toString(), read(path), module);
  }

  /**
   * Copies {@code file} (tensors as {@link #read} returns them, from {@code source}) into
   * {@code module} in place, with the checks of {@link #load(Path, Module)}.
   */
  public static void assign(String source, Map<String, Tensor> stored, Module module) {
    // Files from an earlier layout of a module are brought to the current one first (Module.upgrade).
    Map<String, Tensor> file = module.upgrade(stored);
    Map<String, Tensor> state = module.state();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      Tensor have = file.get(e.getKey());
      Tensor want = e.getValue();
      if (have == null) {
        problems.add("missing '" + e.getKey() + "' " + want.shape());
      } else if (!have.shape().equals(want.shape())) {
        problems.add("'" + e.getKey() + "': file has " + have.shape() + ", model has " + want.shape());
      } else if (have.dtype().isFloating() != want.dtype().isFloating()) {
        problems.add("'" + e.getKey() + "': file has " + have.dtype() + ", model has " + want.dtype());
      }
    }
    for (String name : file.keySet()) {
      if (!state.containsKey(name)) {
        problems.add("unexpected '" + name + "' " + file.get(name).shape());
      }
    }
    if (!problems.isEmpty()) {
      throw new ParameterFileException(source + " does not fit the model: " + String.join("; ", problems));
    }
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      Tensor target = e.getValue();
      double[] src = file.get(e.getKey()).to(target.dtype()).values();
      System.arraycopy(src, 0, target.buffer(), target.offset(), target.size());
    }
  }

  private static boolean startsWithMagic(byte[] all) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (all[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
