package dev.nerve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: exit codes, one-line errors on stderr, never a stack trace. */
class MainTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** Bad input: exit 2, nothing on stdout, one line on stderr that contains the expected text. */
  static void assertUsageError(Run r, String expected) {
    assertEquals(2, r.code(), () -> "exit code; stderr: " + r.err());
    assertEquals("", r.out());
    assertOneLineError(r, expected);
  }

  /** Runs args, which must succeed (exit 0). */
  static Run succeeds(String... args) {
    Run r = run(args);
    assertEquals(0, r.code(), r.err());
    return r;
  }

  /** stdout contains each of the texts. */
  static void assertOutContains(Run r, String... texts) {
    for (String t : texts) assertTrue(r.out().contains(t), r.out());
  }

  static void assertOneLineError(Run r, String expected) {
    String err = r.err().strip();
    assertFalse(err.contains("\n"), () -> "more than one line on stderr:\n" + err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), () -> "stack trace or exception name:\n" + err);
    assertTrue(err.contains(expected), () -> "stderr lacks '" + expected + "':\n" + err);
  }

  @Test
  void linkageErrorsSayWhetherTheNativeLibraryOrTheJavaRuntimeIsAtFault() {
    // Seen on the GPU kit's first jlink image: the PNG plots needed java.desktop, and the old
    // message blamed the native library.
    String jdk = Main.linkageMessage(new NoClassDefFoundError("java/awt/image/RenderedImage"));
    assertTrue(jdk.startsWith("this Java runtime lacks java.awt.image.RenderedImage (add java.desktop"), jdk);
    String nativeLib = Main.linkageMessage(new UnsatisfiedLinkError("no jniNerve in java.library.path"));
    assertTrue(nativeLib.startsWith("Nerve's native library could not be used: "), nativeLib);
    String javacpp = Main.linkageMessage(new NoClassDefFoundError("Could not initialize class dev.nerve.bindings.Nerve"));
    assertTrue(javacpp.startsWith("Nerve's native library could not be used: "), javacpp);
  }

  @Test
  void unknownModelIsNamedWithTheChoices() {
    assertUsageError(run("train", "transformer"), "unknown model 'transformer'; choose one of: perceptron, xor, mnist-mlp, dqn-cartpole, gan");
  }

  @Test
  void nearMissModelGetsASuggestion() {
    assertUsageError(run("train", "mnist-ml"), "did you mean mnist-mlp?");
  }

  @Test
  void missingModelAndUnknownCommand() {
    assertUsageError(run("train"), "missing model");
    assertUsageError(run("fly"), "unknown command 'fly'; choose one of: info, train");
    assertUsageError(run(), "missing command");
  }

  @Test
  void badOptionValues() {
    assertUsageError(run("train", "xor", "--epochs", "-3"), "--epochs must be in [1, 1000000], got -3");
    assertUsageError(run("train", "xor", "--epochs", "many"), "'many' is not an int");
    assertUsageError(run("train", "perceptron", "--lr", "-0.1"), "--lr must be a positive number");
    assertUsageError(run("train", "perceptron", "--lr", "NaN"), "--lr must be a positive number");
    assertUsageError(run("train", "mnist-mlp", "--batch-size", "0"), "--batch-size must be in");
    assertUsageError(run("train", "mnist-mlp", "--threads", "-1"), "--threads must be in [0, 1024]");
    assertUsageError(run("train", "xor", "--frobnicate"), "Unknown option: '--frobnicate'");
  }

  @Test
  void missingDataDirectory(@TempDir Path tmp) {
    Path missing = tmp.resolve("no-such-dir");
    assertUsageError(run("train", "mnist-mlp", "--data", missing.toString()), missing + ": no such directory");
  }

  @Test
  void dataDirectoryWithoutMnistFilesIsAFailureNamingTheFiles(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("notes.txt"), "not mnist");
    Run r = run("train", "mnist-mlp", "--data", tmp.toString(), "--epochs", "1");
    assertEquals(1, r.code(), () -> "exit code; stderr: " + r.err());
    assertOneLineError(r, "train-images-idx3-ubyte");
  }

  @Test
  void trainHelpListsEachModelWithOneLine() {
    Run r = run("train", "--help");
    assertEquals(0, r.code());
    for (String model : new String[] {"perceptron", "xor", "mnist-mlp", "dqn-cartpole", "gan", "char-lstm", "adding-problem", "seq2seq"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(model + " ")), () -> model + " missing:\n" + r.out());
    }
    String models = r.out().substring(r.out().indexOf("Models:") + 7, r.out().indexOf("Run 'nerve train")).strip();
    for (String line : models.lines().toList()) {
      assertTrue(line.matches(" {0,2}[a-z0-9-]+ +\\S.*"), () -> "each model must take one line (shorten the description):\n" + models);
    }
  }

  @Test
  void modelHelpShowsThatModelsDefaults() {
    assertOutContains(succeeds("train", "mnist-mlp", "--help"), "Examples per step (default: 128)",
        "Passes over the training data (default: 40)");
  }

  @Test
  void infoNamesTheVersionAndBackends() {
    Run r = succeeds("info");
    assertTrue(r.out().startsWith("Nerve "), r.out());
    assertOutContains(r, "cpu       yes", "cuda ");
  }

  @Test
  void perceptronLearnsAndAndOrButNotXor() {
    assertOutContains(succeeds("train", "perceptron"), "AND  learned in", "OR   learned in", "XOR  NOT learned in 50 epochs",
        "XOR is not linearly separable");
  }

  @Test
  void xorMlpLearnsXor() {
    assertOutContains(succeeds("train", "xor"), "XOR learned: accuracy 100% (4/4)");
  }
}
