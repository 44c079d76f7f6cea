package dev.nerve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a command line for a child JVM that runs a test's main class on this JVM's class
 * path: this JVM's java, the given flags, and the settings the child must share with its parent —
 * JavaCPP's cache directory when the build sets one (the build gives each module its own, so a
 * second build of a different libnerve.so, run at the same time, cannot overwrite the library a
 * test has mapped: that is a SIGBUS in the dynamic loader), and native access on JDK 22+.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** {java, flags..., shared settings..., -cp, class path}: append the main class and its arguments. */
  public static List<String> command(String... flags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(flags));
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    return cmd;
  }
}
