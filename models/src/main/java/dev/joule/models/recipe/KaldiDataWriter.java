package dev.joule.models.recipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a Kaldi data directory, every file sorted by utterance id (speaker ids prefix utterance
 * ids, so {@code utt2spk} and {@code spk2utt} sort consistently):
 *
 * <ul>
 *   <li>{@code wav.scp}: {@code utt /absolute/path.wav} (16 kHz mono 16-bit PCM)
 *   <li>{@code text}: {@code utt word word ...}
 *   <li>{@code utt2spk}, {@code spk2utt}
 *   <li>{@code text.phones}: {@code utt PH PH ...}: phone <em>names</em> (ARPAbet, no stress), each
 *       word's first lexicon pronunciation
 *   <li>{@code text.phone_ids}: the same as token ids of {@code lang/tokens.txt} ({@code <blk>} 0,
 *       phones sorted from 1)
 *   <li>{@code utt2dur}: seconds
 *   <li>{@code utt2info}: {@code utt voice rate=… pitch=… [speed=…] [reverb=…] [pink@12.0dB] [telephone]}
 * </ul>
 */
public final class KaldiDataWriter {
  /** One utterance of a data directory. */
  public record Entry(String uttId, String speaker, Path wav, String text, List<String> phones, int[] phoneIds,
      double seconds, String voice, String info) {}

  private KaldiDataWriter() {}

  public static void write(Path dir, List<Entry> entries) throws IOException {
    Files.createDirectories(dir);
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Entry::uttId));
    Set<String> ids = new HashSet<>();
    StringBuilder wav = new StringBuilder();
    StringBuilder text = new StringBuilder();
    StringBuilder u2s = new StringBuilder();
    StringBuilder phones = new StringBuilder();
    StringBuilder phoneIds = new StringBuilder();
    StringBuilder dur = new StringBuilder();
    StringBuilder info = new StringBuilder();
    Map<String, List<String>> s2u = new TreeMap<>();
    for (Entry e : sorted) {
      if (!ids.add(e.uttId())) {
        throw new IllegalArgumentException("duplicate utterance id " + e.uttId());
      }
      if (!e.uttId().startsWith(e.speaker())) {
        throw new IllegalArgumentException("utterance id " + e.uttId() + " does not start with its speaker " + e.speaker());
      }
      wav.append(e.uttId()).append(' ').append(e.wav().toAbsolutePath()).append('\n');
      text.append(e.uttId()).append(' ').append(e.text()).append('\n');
      u2s.append(e.uttId()).append(' ').append(e.speaker()).append('\n');
      phones.append(e.uttId()).append(' ').append(String.join(" ", e.phones())).append('\n');
      phoneIds.append(e.uttId());
      for (int id : e.phoneIds()) {
        phoneIds.append(' ').append(id);
      }
      phoneIds.append('\n');
      dur.append(e.uttId()).append(' ').append(String.format(Locale.ROOT, "%.3f", e.seconds())).append('\n');
      info.append(e.uttId()).append(' ').append(e.voice()).append(' ').append(e.info()).append('\n');
      s2u.computeIfAbsent(e.speaker(), k -> new ArrayList<>()).add(e.uttId());
    }
    StringBuilder spk = new StringBuilder();
    s2u.forEach((s, us) -> spk.append(s).append(' ').append(String.join(" ", us)).append('\n'));
    write(dir.resolve("wav.scp"), wav);
    write(dir.resolve("text"), text);
    write(dir.resolve("utt2spk"), u2s);
    write(dir.resolve("spk2utt"), spk);
    write(dir.resolve("text.phones"), phones);
    write(dir.resolve("text.phone_ids"), phoneIds);
    write(dir.resolve("utt2dur"), dur);
    write(dir.resolve("utt2info"), info);
  }

  private static void write(Path file, CharSequence text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
