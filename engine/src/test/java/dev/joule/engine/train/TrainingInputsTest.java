package dev.joule.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.features.FbankOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configurations, token tables and data directories fail with messages naming the file and the problem. */
class TrainingInputsTest {
  @TempDir Path dir;

  private TrainingException configError(String key, String value) {
    Properties p = ToneCorpus.config();
    p.setProperty(key, value);
    return assertThrows(TrainingException.class, () -> TrainingConfig.of(p, dir.resolve("model.conf")));
  }

  @Test
  void badConfigurationsNameTheFileAndKey() throws IOException {
    assertTrue(configError("train.lr", "fast").getMessage().contains("model.conf: train.lr must be a number"));
    assertTrue(configError("train.epochs", "0").getMessage().contains("train.epochs must be an integer >= 1"));
    assertTrue(configError("train.epoch", "3").getMessage().contains("unknown setting(s) [train.epoch]"));
    assertTrue(configError("specaugment", "yes").getMessage().contains("specaugment must be true or false"));
    assertTrue(configError("tokens", "7").getMessage().contains("set by training"));
    assertTrue(configError("den.no.prune.order", "5").getMessage().contains("exceeds den.order"));
    Properties p = ToneCorpus.config();
    p.remove("arch");
    assertTrue(assertThrows(TrainingException.class, () -> TrainingConfig.of(p, dir.resolve("m.conf")))
        .getMessage().contains("'arch' is missing"));
    TrainingException missing = assertThrows(TrainingException.class, () -> TrainingConfig.load(dir.resolve("none.conf")));
    assertTrue(missing.getMessage().contains("none.conf: no such configuration file"));
  }

  @Test
  void configurationDefaultsAndAmKeys() throws IOException {
    Properties p = new Properties();
    p.setProperty("arch", "tdnn");
    p.setProperty("hidden", "64");
    TrainingConfig c = TrainingConfig.of(p, dir.resolve("model.conf"));
    assertEquals(80, c.fbank().numMelBins());
    assertEquals(FbankOptions.defaults().dither(), c.fbank().dither());
    assertEquals("64", c.am().getProperty("hidden"));
    assertEquals(2, c.am().size(), "only the model's own keys go to am.conf");
    assertEquals(4, c.denOrder());
    assertEquals(26, c.specAugment().maxFreqWidth(), "LD policy's 27 bins, at most a third of 80");
    p.setProperty("specaugment", "false");
    assertEquals(null, TrainingConfig.of(p, dir.resolve("model.conf")).specAugment());
  }

  @Test
  void tokenTablesAreChecked() throws IOException {
    Path t = dir.resolve("tokens.txt");
    Files.writeString(t, "AA 0\nAE 1\n");
    assertTrue(assertThrows(TrainingException.class, () -> Tokens.read(t)).getMessage().contains("'<blk>' must have id 0"));
    Files.writeString(t, "<blk> 0\nAA 1\nAE 3\n");
    assertTrue(assertThrows(TrainingException.class, () -> Tokens.read(t)).getMessage().contains("without gaps"));
    assertTrue(assertThrows(TrainingException.class, () -> Tokens.read(dir.resolve("nope.txt")))
        .getMessage().contains("nope.txt: no such token table"));
    Files.writeString(t, "<blk> 0\nAA 1\nAE 2\n");
    Tokens ok = Tokens.read(t);
    assertEquals(3, ok.size());
    assertEquals(2, ok.phone("AE"));
    assertEquals(-1, ok.phone("<blk>"));
    assertEquals(-1, ok.phone("ZZ"));
  }

  @Test
  void dataDirectoriesNeedPhoneTranscriptsOfKnownPhones() throws IOException {
    Tokens tokens = Tokens.read(ToneCorpus.tokens(dir));
    Path data = ToneCorpus.dataDir(dir, "train", 3, 1);
    FbankOptions fbank = FbankOptions.builder().numMelBins(20).build();
    assertEquals(3, TrainingSet.load(data, tokens, fbank, 3000).examples().size());

    String phones = Files.readString(data.resolve("text.phones"));
    Files.writeString(data.resolve("text.phones"), phones.replaceFirst(" A", " Q").replaceFirst(" B", " Q"));
    String unknown = assertThrows(TrainingException.class, () -> TrainingSet.load(data, tokens, fbank, 3000)).getMessage();
    assertTrue(unknown.contains("text.phones: utterance 'train00") && unknown.contains("has phone 'Q', which is not in"), unknown);

    Files.writeString(data.resolve("text.phones"), phones.substring(phones.indexOf('\n') + 1));
    assertTrue(assertThrows(TrainingException.class, () -> TrainingSet.load(data, tokens, fbank, 3000)).getMessage()
        .contains("no phone transcript for utterance 'train000'"));

    Files.delete(data.resolve("text.phones"));
    assertTrue(assertThrows(TrainingException.class, () -> TrainingSet.load(data, tokens, fbank, 3000)).getMessage()
        .contains("text.phones: missing; training needs phone transcripts"));

    Files.writeString(data.resolve("text.phones"), phones);
    assertTrue(assertThrows(TrainingException.class, () -> TrainingSet.load(data, tokens, fbank, 5)).getMessage()
        .contains("no usable utterances"));
  }

  @Test
  void resumeNeedsACheckpointAndAFreshStartRefusesToOverwriteOne() throws IOException {
    Path tokens = ToneCorpus.tokens(dir);
    Path train = ToneCorpus.dataDir(dir, "train", 4, 1);
    TrainingConfig config = TrainingConfig.of(ToneCorpus.config(), dir.resolve("model.conf"));
    Trainer.Paths paths = Trainer.Paths.nextTo(dir.resolve("exp/am"));
    Trainer trainer = new Trainer(config, Tokens.read(tokens), paths, l -> { });
    assertTrue(assertThrows(TrainingException.class, () -> trainer.run(train, train, true, 0)).getMessage()
        .contains("am.ckpt: no checkpoint to resume from"));
    trainer.run(train, train, false, 1);
    assertTrue(assertThrows(TrainingException.class, () -> trainer.run(train, train, false, 1)).getMessage()
        .contains("continue it with --resume"));

    Files.writeString(train.resolve("text.phones"), Files.readString(train.resolve("text.phones")).replaceFirst(" A", " B"));
    assertTrue(assertThrows(TrainingException.class, () -> trainer.run(train, train, true, 1)).getMessage()
        .contains("trained on other data"));

    Properties other = ToneCorpus.config();
    other.setProperty("hidden", "16");
    Trainer different = new Trainer(TrainingConfig.of(other, dir.resolve("model.conf")), Tokens.read(tokens), paths, l -> { });
    assertTrue(assertThrows(TrainingException.class, () -> different.run(train, train, true, 1)).getMessage()
        .contains("differ from the configuration's"));
  }
}
