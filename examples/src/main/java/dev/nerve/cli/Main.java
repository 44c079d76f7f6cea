package dev.nerve.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code nerve} command line: {@code nerve info}, {@code nerve train <model>}, {@code nerve predict}.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (data that cannot be read, a native
 * error), 2 bad input (unknown command or model, bad option value). Errors are one line on
 * stderr, never a stack trace (set {@code NERVE_DEBUG=1} to get one for an internal error).
 */
@Command(
    name = "nerve",
    mixinStandardHelpOptions = true,
    versionProvider = InfoCommand.Version.class,
    description = "Nerve, a deep-learning library for Java: train the classic models from the command line.",
    subcommands = {InfoCommand.class, TrainCommand.class, PredictCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    PrintWriter err = new PrintWriter(System.err, true);
    ConsoleLogging.install(err); // the library's System.Logger warnings, one line each on stderr
    System.exit(run(args, new PrintWriter(System.out, true), err));
  }

  /** Runs the command line with the given streams and returns the exit code (the seam tests use). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    TrainCommand.addModels(cli.getSubcommands().get("train"));
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(e, commandLine));
    cli.setDefaultValueProvider(new ModelCommand.Defaults());
    int code;
    try {
      code = cli.execute(args);
    } catch (LinkageError e) { // picocli passes Errors through: a broken native install, or a trimmed JDK
      err.println("nerve: " + linkageMessage(e));
      code = EXIT_FAILURE;
    }
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Says which of the two linkage failures happened: the native library (UnsatisfiedLinkError, or a
   * JavaCPP class that failed to initialise) or a JDK class missing from a trimmed runtime image
   * (a jlink image without java.desktop has no javax.imageio for the PNG plots).
   */
  static String linkageMessage(LinkageError e) {
    String text = oneLine(e.toString());
    boolean jdkClass = e instanceof NoClassDefFoundError && e.getMessage() != null
        && e.getMessage().matches("(java|javax|sun|jdk)/.*");
    if (jdkClass) {
      String module = e.getMessage().startsWith("java/awt") || e.getMessage().startsWith("javax/imageio")
          ? "java.desktop" : "the module that holds it";
      return "this Java runtime lacks " + e.getMessage().replace('/', '.') + " (add " + module
          + " to the runtime image, or use a full JDK): " + text;
    }
    return "Nerve's native library could not be used: " + text;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command; choose one of: " + commandNames(spec.commandLine()));
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    String message = e.getMessage();
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-") && !cl.getSubcommands().isEmpty()) {
      String what = cl.getCommandSpec().userObject() instanceof TrainCommand ? "model" : "command";
      message = "unknown " + what + " '" + u.getUnmatched().get(0) + "'; choose one of: " + commandNames(cl);
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) message += " (did you mean " + suggestions.get(0) + "?)";
    }
    cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(message)
        + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    cl.getErr().flush();
    return EXIT_USAGE;
  }

  private static int failure(Exception e, CommandLine cl) {
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    boolean expected = e instanceof java.io.IOException || e instanceof IllegalArgumentException
        || e instanceof UnsupportedOperationException || e instanceof dev.nerve.NerveException;
    if (expected) {
      err.println(name + ": " + oneLine(String.valueOf(e.getMessage())));
    } else {
      err.println(name + ": internal error: " + oneLine(e.toString()) + " (set NERVE_DEBUG=1 for the stack trace)");
    }
    if (System.getenv("NERVE_DEBUG") != null) e.printStackTrace(err);
    err.flush();
    return EXIT_FAILURE;
  }

  static String commandNames(CommandLine cl) {
    return cl.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).collect(Collectors.joining(", "));
  }

  static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
