package dev.joule.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of long commands, on standard error. On a terminal the bar is redrawn in
 * place, in colour. In a log file or a pipe, redrawing in place leaves one endless line of
 * carriage returns, so there the bar is a plain ASCII line printed every 30 seconds and at the end.
 */
final class ProgressBars {
  private static final int LOG_INTERVAL_MS = 30_000;

  private ProgressBars() {}

  static ProgressBar of(String task, long max) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).continuousUpdate();
    if (System.console() != null) {
      b.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK);
    } else {
      b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(LOG_INTERVAL_MS)
          .setConsumer(new DelegatingProgressBarConsumer(System.err::println));
    }
    return b.build();
  }
}
