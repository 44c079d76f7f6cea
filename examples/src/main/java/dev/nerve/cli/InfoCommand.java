package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.data.Mnist;
import dev.nerve.ops.Context;
import dev.nerve.ops.Native;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nerve info}: versions, the native library, the backends this machine can run. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print the Nerve version, the native library and the available backends.")
final class InfoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Device cpu = Device.cpu();
    row(out, "Nerve", Native.version());
    row(out, "Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    row(out, "OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    row(out, "Backends", "cpu       yes: " + cpu.isa() + " kernels, " + cpu.threads() + " threads");
    row(out, "", "cuda      " + (Native.backendAvailable(Context.CUDA) ? "yes"
        : "no: not built into this library, or no NVIDIA GPU and driver"));
    row(out, "", "cuda-sim  " + (Native.backendAvailable(Context.CUDA_SIM) ? "yes" : "no: not built into this library"));
    Path cache = Mnist.defaultCacheDir();
    row(out, "MNIST", cache + (Files.isDirectory(cache) ? " (cached)" : " (not yet fetched; 'nerve train mnist-mlp' fetches it)"));
    out.flush();
    return 0;
  }

  private static void row(PrintWriter out, String key, String value) {
    out.printf("%-10s %s%n", key, value);
  }

  /** {@code nerve --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"nerve " + Native.version()};
    }
  }
}
