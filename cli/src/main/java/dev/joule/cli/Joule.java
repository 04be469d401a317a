package dev.joule.cli;

import dev.joule.engine.gpu.GpuException;
import dev.joule.engine.model.ModelFormatException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code joule} command: entry point of the command-line tool. */
@Command(
    name = "joule",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Joule: CTC-CRF speech recognition on the JVM, GPU-accelerated.",
    subcommands = {
      DevicesCommand.class,
      FbankCommand.class,
      LmCommand.class,
      CompileGraphCommand.class,
      AssembleCommand.class,
      TranscribeCommand.class,
      ScoreCommand.class,
      BenchCommand.class,
      InfoCommand.class,
      TrainCommand.class,
      CommandLine.HelpCommand.class,
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok", "  1  usage error", "  2  input error (file missing or malformed)",
      "  3  model error", "  4  device error (e.g. --device gpu without a usable GPU)"
    })
public final class Joule implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with Joule's error handling and exit codes. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Joule());
    cli.setExitCodeExceptionMapper(Joule::exitCode);
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          // Picocli reads @FILE arguments as options files, and takes a missing one as a plain
          // argument, which then shows up as a puzzling "unmatched argument" further on.
          for (String arg : args) {
            if (arg.startsWith("@") && arg.length() > 1 && !Files.exists(Path.of(arg.substring(1)))) {
              cmd.getErr().println("joule: " + arg.substring(1) + ": no such options file (named by " + arg + ")");
              return ExitCodes.INPUT;
            }
          }
          cmd.getErr().println("joule: " + usageMessage(e, cmd) + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("joule: " + message(e));
          return exitCode(e);
        });
    return cli;
  }

  /**
   * Picocli's message, except that a word where a command belongs is called an unknown command,
   * with the commands it is a typo of (at most two edits away).
   */
  static String usageMessage(CommandLine.ParameterException e, CommandLine cmd) {
    if (e instanceof CommandLine.UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty()
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      String word = u.getUnmatched().get(0);
      List<String> near = cmd.getSubcommands().keySet().stream().filter(c -> editDistance(word, c) <= 2).sorted().toList();
      return "unknown command '" + word + "'" + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?");
    }
    return e.getMessage();
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /**
   * The one-line error for {@code e}. The JDK's file-system exceptions often carry only a path
   * ("/data/out/text"), or a temporary file's name first ("/data/.out.tmp-1 -> /data/out: Is a
   * directory"); they are reported as the user's path and what is wrong with it.
   */
  static String message(Throwable e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String path = f.getOtherFile() != null ? f.getOtherFile() : f.getFile();
      String reason = f.getReason();
      if (reason == null && f.getOtherFile() == null && f.getFile().contains(": ")) {
        return f.getMessage(); // Joule's own "PATH: what is wrong" in the file field
      }
      if (reason == null) {
        reason = e instanceof NoSuchFileException ? "no such file or directory"
            : e instanceof FileAlreadyExistsException ? "already exists"
            : e instanceof AccessDeniedException ? "permission denied"
            : e instanceof NotDirectoryException ? "not a directory"
            : e instanceof DirectoryNotEmptyException ? "directory not empty"
            : "cannot be created or opened";
      }
      return path + ": " + reason.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + reason.substring(1);
    }
    return e.getMessage();
  }

  static int exitCode(Throwable e) {
    if (e instanceof GpuException) {
      return ExitCodes.DEVICE;
    }
    if (e instanceof ModelFormatException) {
      return ExitCodes.MODEL;
    }
    if (e instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    // Files that are missing or malformed, and anything not classified yet.
    return ExitCodes.INPUT;
  }

  public static void main(String[] args) {
    LogFormat.install();
    System.exit(commandLine().execute(args));
  }
}
