package dev.nerve.cli;

import dev.nerve.Device;
import dev.nerve.Info;
import dev.nerve.examples.data.NpmMnist;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code nerve info}: versions, the native library, the backends this machine can run. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print the Nerve version, the native library and the available backends.")
final class InfoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Device cpu = Device.cpu();
    row(out, "Nerve", Info.version());
    row(out, "Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    row(out, "OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    row(out, "Backends", "cpu       yes: " + cpu.isa() + " kernels, " + cpu.threads() + " threads");
    if (Info.cudaAvailable()) {
      java.util.List<String> gpus = Info.gpus();
      for (int i = 0; i < gpus.size(); i++) {
        row(out, "", (i == 0 ? "cuda      yes: " : "                ") + "cuda:" + i + " " + gpus.get(i));
      }
    } else {
      row(out, "", "cuda      no: " + cudaReason());
    }
    row(out, "", "cuda-sim  " + (Info.cudaSimAvailable() ? "yes: the CUDA kernels simulated on the CPU (slow; for tests)"
        : "no: not built into this library"));
    Path cache = NpmMnist.defaultCacheDir();
    row(out, "MNIST", cache + (Files.isDirectory(cache) ? " (cached)" : " (not yet fetched; 'nerve train mnist-mlp' fetches it)"));
    out.flush();
    return 0;
  }

  /** Why Device.cuda(0) is not available, in the library's own words. */
  private static String cudaReason() {
    try {
      Device.cuda(0);
      return "unknown reason";
    } catch (RuntimeException e) {
      String m = e.getMessage();
      int cut = m.indexOf("; use Device.cpu()");
      m = cut > 0 ? m.substring(0, cut) : m;
      return m.replace("Device.cuda(0): nv_ctx_create: ", "");
    }
  }

  private static void row(PrintWriter out, String key, String value) {
    out.printf("%-10s %s%n", key, value);
  }

  /** {@code nerve --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"nerve " + Info.version()};
    }
  }
}
