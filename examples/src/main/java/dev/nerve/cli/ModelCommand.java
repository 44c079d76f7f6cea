package dev.nerve.cli;

import dev.nerve.Device;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Options every model shares (--epochs, --lr, --seed, --threads). Each model gives its own
 * defaults in {@link #defaults()}; {@link Defaults} hands them to picocli, so help shows them.
 */
abstract class ModelCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--seed", paramLabel = "SEED", description = "Seed for initial weights and shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "N", description = "CPU threads for the kernels, 0 = one per core (default: ${DEFAULT-VALUE}).")
  int threads;

  /** Default values by option name ("--epochs" -> "20"); every option of the command needs one. */
  abstract Map<String, String> defaults();

  /** Trains and reports; returns the exit code. */
  abstract int train(Device device, PrintWriter out) throws Exception;

  @Override
  public final Integer call() throws Exception {
    validate();
    Device device = threads == 0 ? Device.cpu() : Device.cpu(threads);
    PrintWriter out = spec.commandLine().getOut();
    int code = train(device, out);
    out.flush();
    return code;
  }

  /** Checks option values; throws a ParameterException (exit code 2) naming the option. */
  void validate() {
    check(epochs >= 1 && epochs <= 1_000_000, "--epochs must be in [1, 1000000], got " + epochs);
    check(lr > 0 && Float.isFinite(lr), "--lr must be a positive number, got " + lr);
    check(threads >= 0 && threads <= 1024, "--threads must be in [0, 1024] (0 = one per core), got " + threads);
  }

  final void check(boolean ok, String message) {
    if (!ok) throw new ParameterException(spec.commandLine(), message);
  }

  /** Whether progress may be drawn live: stdout is a terminal. */
  static boolean interactive() {
    return System.console() != null;
  }

  /** Supplies each model command's own defaults to picocli. */
  static final class Defaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (arg instanceof OptionSpec o && arg.command() != null && arg.command().userObject() instanceof ModelCommand m) {
        return m.defaults().get(o.longestName());
      }
      return null;
    }
  }
}
