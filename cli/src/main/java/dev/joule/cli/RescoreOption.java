package dev.joule.cli;

import dev.joule.engine.recognizer.RecognizerOptions.Rescoring;

/** The negatable {@code --rescore} option: unset means rescoring when the model has a TRF. */
final class RescoreOption {
  private RescoreOption() {}

  /** {@code null} (neither --rescore nor --no-rescore) is {@link Rescoring#AUTO}. */
  static Rescoring of(Boolean option) {
    return option == null ? Rescoring.AUTO : option ? Rescoring.ON : Rescoring.OFF;
  }
}
