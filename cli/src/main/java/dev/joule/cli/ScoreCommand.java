package dev.joule.cli;

import dev.joule.decoder.scoring.ScoreReport;
import dev.joule.decoder.scoring.Scoring;
import dev.joule.decoder.scoring.TranscriptFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code joule score}: word (or character) error rate of hypotheses against references. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Scores hypotheses against references (Kaldi text files: ID WORD WORD ...) with sclite's alignment "
          + "(substitution 4, deletion 3, insertion 3): a per-speaker table and the total WER or CER.",
      "Speakers come from --utt2spk, or utt2spk next to the reference when there is one, or else the "
          + "utterance id up to its first - or _."
    })
final class ScoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--ref", required = true, paramLabel = "FILE", description = "reference text")
  Path ref;

  @Option(names = "--hyp", required = true, paramLabel = "FILE", description = "hypothesis text")
  Path hyp;

  @Option(names = "--utt2spk", paramLabel = "FILE", description = "utterance to speaker map")
  Path utt2spk;

  @Option(names = "--cer", description = "character error rate (characters of the words, spaces left out)")
  boolean cer;

  @Option(names = {"-a", "--alignments"}, description = "also print every utterance's alignment")
  boolean alignments;

  @Override
  public Integer call() throws Exception {
    Map<String, List<String>> refs = TranscriptFiles.readText(ref);
    Map<String, List<String>> hyps = TranscriptFiles.readText(hyp);
    Path speakers = utt2spk;
    if (speakers == null && ref.toAbsolutePath().getParent() != null) {
      Path sibling = ref.toAbsolutePath().getParent().resolve("utt2spk");
      speakers = Files.isRegularFile(sibling) ? sibling : null;
    }
    Map<String, String> spk = speakers == null ? Map.of() : TranscriptFiles.readUtt2Spk(speakers);
    Scoring.Result result = Scoring.score(refs, hyps, spk, cer ? Scoring.Unit.CHARACTERS : Scoring.Unit.WORDS);
    PrintWriter err = spec.commandLine().getErr();
    if (!result.missing().isEmpty()) {
      err.println("joule: warning: " + result.missing().size() + " reference utterances have no hypothesis (scored as "
          + "empty), e.g. " + result.missing().get(0));
    }
    if (!result.extra().isEmpty()) {
      err.println("joule: warning: " + result.extra().size() + " hypotheses have no reference (not scored), e.g. "
          + result.extra().get(0));
    }
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    if (alignments) {
      ScoreReport.writeAlignments(result, out);
    }
    ScoreReport.writeSummary(result, out);
    out.flush();
    return ExitCodes.OK;
  }
}
