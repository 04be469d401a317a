package dev.joule.cli;

/** The exit codes of every {@code joule} command (listed in {@code joule --help}). */
public final class ExitCodes {
  public static final int OK = 0;
  /** Bad command line: unknown option, missing argument. */
  public static final int USAGE = 1;
  /** An input file or directory is missing, unreadable or malformed. */
  public static final int INPUT = 2;
  /** A model is missing, corrupt or incompatible. */
  public static final int MODEL = 3;
  /** The requested compute device cannot be used. */
  public static final int DEVICE = 4;

  private ExitCodes() {}
}
