package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.models.recipe.Corpus.Sentence;
import dev.joule.models.recipe.SynthesisPlan.Augmentation;
import dev.joule.models.recipe.SynthesisPlan.Noise;
import dev.joule.models.recipe.SynthesisPlan.Utterance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthesisPlanTest {
  @TempDir Path dir;

  static List<Sentence> sentences(int n) {
    List<Sentence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String src = i % 3 == 0 ? "bible" : i % 3 == 1 ? "fortunes" : "wordnet";
      out.add(new Sentence(String.format("%s-%06d", src, i), src, "sentence number " + NumberWords.cardinal(i)));
    }
    return out;
  }

  @Test
  void trainingVoicesNeverIncludeTheKalFamily() {
    for (Voice v : Voice.training()) {
      assertFalse(v.evalOnly(), v.id());
      assertFalse(v.name().contains("kal"), v.id());
    }
    for (Voice v : Voice.evaluation()) {
      assertTrue(v.evalOnly(), v.id());
    }
    Set<String> ids = new HashSet<>();
    Voice.training().forEach(v -> assertTrue(ids.add(v.id()) && v.id().matches("[a-z0-9-]+"), v.id()));
  }

  @Test
  void sameSeedSamePlanOtherSeedOtherPlan() {
    List<Sentence> s = sentences(300);
    List<Utterance> a = SynthesisPlan.plan("train", s, Voice.training(), Augmentation.training(), 9);
    List<Utterance> b = SynthesisPlan.plan("train", s, Voice.training(), Augmentation.training(), 9);
    List<Utterance> c = SynthesisPlan.plan("train", s, Voice.training(), Augmentation.training(), 10);
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(300, a.size());
  }

  @Test
  void voicesGetTheirSharesAndEveryPitchLevel() {
    List<Voice> voices = Voice.training().subList(0, 4); // flite rms, awb, slt; festival slt
    List<Utterance> plan = SynthesisPlan.plan("train", sentences(400), voices, Augmentation.training(), 1);
    Map<String, Integer> perVoice = new HashMap<>();
    Map<String, Set<Integer>> pitches = new HashMap<>();
    Set<String> sentenceIds = new HashSet<>();
    for (Utterance u : plan) {
      perVoice.merge(u.voiceId(), 1, Integer::sum);
      pitches.computeIfAbsent(u.voiceId(), k -> new HashSet<>()).add(u.pitchLevel());
      assertTrue(u.uttId().startsWith(u.speaker() + "-"));
      assertTrue(u.speaker().startsWith(u.voiceId() + "-p"));
      assertTrue(u.rate() >= 0.85 && u.rate() <= 1.2);
      assertTrue(u.noise() == Noise.NONE || u.snrDb() >= 5 && u.snrDb() <= 25);
      assertTrue(sentenceIds.add(u.sentenceId()));
    }
    for (Voice v : voices) {
      assertEquals(100, perVoice.get(v.id()), v.id());
      assertEquals(Set.of(-2, -1, 0, 1, 2), pitches.get(v.id()));
    }
    long noisy = plan.stream().filter(u -> u.noise() != Noise.NONE).count();
    long tel = plan.stream().filter(Utterance::telephone).count();
    assertTrue(noisy > 100 && noisy < 220, "noisy " + noisy);
    assertTrue(tel > 25 && tel < 100, "telephone " + tel);
    assertEquals(Set.of(Noise.NONE, Noise.PINK, Noise.BROWN, Noise.MUSIC),
        new HashSet<>(plan.stream().map(Utterance::noise).toList()));
  }

  @Test
  void evaluationPlansAreClean() {
    List<Utterance> plan = SynthesisPlan.plan("eval_kal", sentences(20), Voice.evaluation(), Augmentation.none(), 1);
    for (Utterance u : plan) {
      assertEquals(1.0, u.rate());
      assertEquals(0, u.pitchLevel());
      assertEquals(Noise.NONE, u.noise());
      assertFalse(u.telephone());
      assertEquals(null, u.reverb());
      assertEquals(1.0, u.speed());
    }
  }

  @Test
  void planFilesRoundTrip() throws IOException {
    List<Utterance> plan = SynthesisPlan.plan("dev", sentences(50), Voice.training(), Augmentation.training(), 3);
    Path f = dir.resolve("dev.tsv");
    SynthesisPlan.write(f, plan);
    assertEquals(plan, SynthesisPlan.read(f));
  }

  @Test
  void selectionFollowsSharesAndSeed() {
    List<Sentence> pool = sentences(3000);
    Map<String, Double> shares = Map.of("bible", 0.5, "fortunes", 0.5);
    List<Sentence> a = SynthesisPlan.select(pool, 200, shares, 4);
    assertEquals(a, SynthesisPlan.select(pool, 200, shares, 4));
    assertNotEquals(a, SynthesisPlan.select(pool, 200, shares, 5));
    assertEquals(200, a.size());
    assertEquals(100, a.stream().filter(s -> s.source().equals("bible")).count());
    assertEquals(0, a.stream().filter(s -> s.source().equals("wordnet")).count());
    // a source that runs short leaves its quota to the others
    List<Sentence> b = SynthesisPlan.select(pool.subList(0, 30), 25, Map.of("bible", 0.9, "fortunes", 0.1), 4);
    assertEquals(20, b.size()); // only 20 bible + fortunes sentences exist in the first 30
    assertEquals(new HashSet<>(b).size(), b.size());
  }
}
