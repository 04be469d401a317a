package dev.joule.frontend.audio;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF (little-endian) and RIFX (big-endian) WAVE files: PCM 8/16/24/32-bit, IEEE float
 * 32/64, A-law and µ-law, plain or as {@code WAVE_FORMAT_EXTENSIBLE}.
 *
 * <p>Every chunk size is checked against the bytes really left in the file before anything is
 * skipped or allocated, so a lying header gives an {@link AudioFormatException}, never a huge
 * allocation or a long skip. Unknown chunks ({@code LIST}, {@code fact}, ...) are skipped. The one
 * exception: a {@code data} size of {@code 0xFFFFFFFF} or {@code 0x7FFFF000}, which writers
 * streaming to a pipe (SoX, {@code wav.scp} commands) leave in the header, means "to the end of
 * the file" (whole frames only).
 */
public final class WavReader {
  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_FLOAT = 3;
  private static final int FORMAT_ALAW = 6;
  private static final int FORMAT_ULAW = 7;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  /** The last 8 bytes of every KSDATAFORMAT_SUBTYPE GUID (stored as a byte array). */
  private static final byte[] GUID_TAIL = {
    (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
  };
  private static final int MAX_FMT_BYTES = 4096;
  /** 'data' sizes that writers streaming to a pipe put in the header: "unknown". */
  private static final long STREAMED_UNKNOWN = 0xFFFFFFFFL;
  private static final long STREAMED_SOX = 0x7FFFF000L;

  private WavReader() {}

  /** Opens {@code file} positioned at its samples; the caller closes the result. */
  public static AudioInput open(Path file) throws IOException {
    long fileSize = AudioFiles.checkReadableFile(file);
    InputStream raw = Files.newInputStream(file);
    try {
      return parse(file, fileSize, new DataInputStream(new BufferedInputStream(raw, 1 << 16)));
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static AudioInput parse(Path file, long fileSize, DataInputStream in) throws IOException {
    if (fileSize < 12) {
      throw new AudioFormatException(file, "truncated WAV header (" + fileSize + " bytes)");
    }
    String riff = fourCc(in);
    boolean bigEndian;
    if (riff.equals("RIFF")) {
      bigEndian = false;
    } else if (riff.equals("RIFX")) {
      bigEndian = true;
    } else {
      throw new AudioFormatException(file, "not a RIFF/RIFX file (starts with '" + riff + "')");
    }
    in.readInt(); // RIFF size: often wrong in the wild; the real chunk sizes are checked instead
    String wave = fourCc(in);
    if (!wave.equals("WAVE")) {
      throw new AudioFormatException(file, "RIFF form is '" + wave + "', not WAVE");
    }
    long pos = 12;
    PcmFormat format = null;
    while (true) {
      if (fileSize - pos < 8) {
        throw new AudioFormatException(
            file, format == null ? "no 'fmt ' chunk (truncated header)" : "no 'data' chunk");
      }
      String id = fourCc(in);
      long size = u32(in, bigEndian);
      pos += 8;
      long left = fileSize - pos;
      if (id.equals("fmt ")) {
        if (size < 16 || size > MAX_FMT_BYTES) {
          throw new AudioFormatException(file, "bad 'fmt ' chunk size " + size);
        }
        if (size > left) {
          throw new AudioFormatException(file, "truncated 'fmt ' chunk");
        }
        byte[] fmt = new byte[(int) size];
        in.readFully(fmt);
        format = parseFmt(file, fmt, bigEndian);
        pos += size;
        pos += skipPad(in, size, fileSize - pos);
      } else if (id.equals("data")) {
        if (format == null) {
          throw new AudioFormatException(file, "'data' chunk before 'fmt ' chunk");
        }
        if (size > left) {
          if (size != STREAMED_UNKNOWN && size != STREAMED_SOX) {
            throw new AudioFormatException(
                file, "'data' chunk says " + size + " bytes but only " + left + " remain in the file");
          }
          // Written to a pipe, so the writer could not go back to fill in the size: the samples
          // are the rest of the file (as Kaldi's reader also assumes).
          size = left;
        }
        long frames = size / format.bytesPerFrame();
        if (frames == 0) {
          throw new AudioFormatException(file, "no samples ('data' chunk of " + size + " bytes)");
        }
        return new PcmAudioInput(file, format, frames, in);
      } else {
        if (size > left) {
          throw new AudioFormatException(
              file, "chunk '" + printable(id) + "' says " + size + " bytes but only " + left + " remain");
        }
        skipFully(in, size);
        pos += size;
        pos += skipPad(in, size, fileSize - pos);
      }
    }
  }

  private static PcmFormat parseFmt(Path file, byte[] b, boolean be) throws AudioFormatException {
    int tag = u16(b, 0, be);
    int channels = u16(b, 2, be);
    long rate = u32(b, 4, be);
    int blockAlign = u16(b, 12, be);
    int bits = u16(b, 14, be);
    if (tag == FORMAT_EXTENSIBLE) {
      if (b.length < 40 || u16(b, 16, be) < 22) {
        throw new AudioFormatException(file, "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk too short");
      }
      // The GUID's first field, stored in the file's byte order, is the real format tag; its
      // tail is a byte array and identical in RIFF and RIFX.
      for (int i = 0; i < GUID_TAIL.length; i++) {
        if (b[32 + i] != GUID_TAIL[i]) {
          throw new AudioFormatException(file, "unknown WAVE_FORMAT_EXTENSIBLE sub-format GUID");
        }
      }
      long sub = u32(b, 24, be);
      if (sub > 0xFFFF) {
        throw new AudioFormatException(file, "unknown WAVE_FORMAT_EXTENSIBLE sub-format GUID");
      }
      tag = (int) sub;
    }
    SampleEncoding encoding =
        switch (tag) {
          case FORMAT_PCM -> bits == 8 ? SampleEncoding.PCM_UNSIGNED : SampleEncoding.PCM_SIGNED;
          case FORMAT_FLOAT -> SampleEncoding.FLOAT;
          case FORMAT_ALAW -> SampleEncoding.ALAW;
          case FORMAT_ULAW -> SampleEncoding.ULAW;
          default -> throw new AudioFormatException(
              file, String.format("unsupported WAV codec (format tag 0x%04X)", tag));
        };
    PcmFormat format;
    try {
      format = new PcmFormat((int) rate, channels, bits, encoding, be);
    } catch (IllegalArgumentException e) {
      throw new AudioFormatException(file, e.getMessage());
    }
    if (blockAlign != format.bytesPerFrame()) {
      throw new AudioFormatException(
          file, "block align " + blockAlign + " does not match " + format);
    }
    return format;
  }

  private static long skipPad(DataInputStream in, long chunkSize, long left) throws IOException {
    if ((chunkSize & 1) == 1 && left > 0) {
      skipFully(in, 1);
      return 1;
    }
    return 0;
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static String fourCc(DataInputStream in) throws IOException {
    byte[] b = new byte[4];
    in.readFully(b);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String id) {
    return id.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static long u32(DataInputStream in, boolean be) throws IOException {
    int v = in.readInt();
    return (be ? v : Integer.reverseBytes(v)) & 0xFFFFFFFFL;
  }

  private static int u16(byte[] b, int p, boolean be) {
    return be ? ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF) : ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF);
  }

  private static long u32(byte[] b, int p, boolean be) {
    long hi = u16(b, be ? p : p + 2, be);
    long lo = u16(b, be ? p + 2 : p, be);
    return (hi << 16) | lo;
  }
}
