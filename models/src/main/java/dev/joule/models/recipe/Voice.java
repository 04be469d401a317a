package dev.joule.models.recipe;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthesiser voice. Training voices follow DESIGN.md: flite {@code rms}, {@code awb},
 * {@code slt}; festival {@code cmu_us_slt_arctic_hts} (package {@code festvox-us-slt-hts}); the
 * espeak-ng English voices with variants. The {@code kal} diphone family (flite {@code kal},
 * {@code kal16}, festival {@code kal_diphone} from {@code festvox-kallpc16k}) is for evaluation
 * only and never appears in {@link #training()}.
 *
 * @param engine the synthesiser
 * @param name the engine's own voice name ({@code slt}, {@code en-gb-scotland})
 * @param variant an espeak-ng variant ({@code f2}) or empty
 * @param weight relative share of utterances given to this voice in training plans
 */
public record Voice(Engine engine, String name, String variant, double weight) {
  /** The synthesisers, by the program that runs them. */
  public enum Engine {
    FLITE("flite"), FESTIVAL("text2wave"), ESPEAK("espeak-ng");

    public final String program;

    Engine(String program) {
      this.program = program;
    }

    public String prefix() {
      return switch (this) {
        case FLITE -> "flite";
        case FESTIVAL -> "festival";
        case ESPEAK -> "espeak";
      };
    }
  }

  /** espeak-ng English voices (all are base voices of {@code espeak-ng --voices=en} without mbrola). */
  public static final List<String> ESPEAK_VOICES = List.of(
      "en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
      "en-029", "en-us-nyc");
  /** espeak-ng variants used with each voice: male and female formant settings. */
  public static final List<String> ESPEAK_VARIANTS = List.of(
      "m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5");

  /** The kal family: evaluation only. */
  public static boolean isKal(String name) {
    return name.startsWith("kal");
  }

  /** A stable id usable in Kaldi speaker and utterance ids: {@code flite-slt}, {@code espeak-en-gb-f2}. */
  public String id() {
    String base = engine.prefix() + "-" + name.replace('_', '-');
    return variant.isEmpty() ? base : base + "-" + variant;
  }

  /** Whether this voice belongs to the kal family reserved for evaluation. */
  public boolean evalOnly() {
    return isKal(name);
  }

  /**
   * The training voices: the four flite/festival voices with weight 1 each, and every espeak-ng
   * voice × variant sharing a total weight of 2 (formant synthesis is less natural, so all of it
   * together gets the share of two voices).
   */
  public static List<Voice> training() {
    List<Voice> out = new ArrayList<>();
    for (String n : List.of("rms", "awb", "slt")) {
      out.add(new Voice(Engine.FLITE, n, "", 1.0));
    }
    out.add(new Voice(Engine.FESTIVAL, "cmu_us_slt_arctic_hts", "", 1.0));
    double each = 2.0 / (ESPEAK_VOICES.size() * ESPEAK_VARIANTS.size());
    for (String v : ESPEAK_VOICES) {
      for (String var : ESPEAK_VARIANTS) {
        out.add(new Voice(Engine.ESPEAK, v, var, each));
      }
    }
    return out;
  }

  /** The evaluation voices: flite {@code kal16} and festival {@code kal_diphone}. */
  public static List<Voice> evaluation() {
    return List.of(new Voice(Engine.FLITE, "kal16", "", 1.0), new Voice(Engine.FESTIVAL, "kal_diphone", "", 1.0));
  }

  /** Parses {@link #id()} back against a list of known voices. */
  public static Voice byId(List<Voice> voices, String id) {
    for (Voice v : voices) {
      if (v.id().equals(id)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown voice '" + id + "'");
  }
}
