package dev.nerve.bench;

import java.util.Locale;

/**
 * Checks, outside the timed part, that both sides compute the same step: PyTorch starts from
 * Nerve's initial parameters, both train 50 steps on the fixed batch, and the two loss curves
 * are printed side by side. Exits non-zero if a loss does not fall by 5% or the curves part
 * by more than 5%.
 */
public final class Sanity {
  private static final int STEPS = 50;

  public static void main(String[] args) {
    float[] nerve = null;
    float[][] init = null;
    try (NerveMlp n = new NerveMlp(StepBenchmark.THREADS)) {
      init = n.parameters();
      nerve = new float[STEPS];
      for (int i = 0; i < STEPS; i++) nerve[i] = n.step();
    } catch (RuntimeException | LinkageError e) {
      System.out.println("sanity: Nerve step failed: " + e);
      nerve = null;
    }
    float[] torch = new float[STEPS];
    try (TorchClassifierStep t = TorchMlp.create(StepBenchmark.THREADS)) {
      if (init != null) t.loadParameters(init, MlpSpec.PARAM_SHAPES);
      for (int i = 0; i < STEPS; i++) torch[i] = t.step();
    }
    System.out.println("sanity: loss on the fixed batch over " + STEPS + " steps"
        + (init != null ? " (PyTorch starts from Nerve's initial parameters)" : ""));
    System.out.println("  step      Nerve    PyTorch");
    double maxRel = 0;
    for (int i = 0; i < STEPS; i++) {
      if (nerve != null) maxRel = Math.max(maxRel, Math.abs(nerve[i] - torch[i]) / Math.abs(torch[i]));
      if (i % 10 == 0 || i == STEPS - 1) {
        System.out.printf(Locale.ROOT, "  %4d  %9s  %9.5f%n", i + 1,
            nerve == null ? "-" : String.format(Locale.ROOT, "%.5f", nerve[i]), torch[i]);
      }
    }
    boolean ok = torch[STEPS - 1] < 0.95f * torch[0];
    if (nerve != null) {
      ok &= nerve[STEPS - 1] < 0.95f * nerve[0];
      ok &= maxRel < 0.05;
      System.out.printf(Locale.ROOT, "  largest relative loss difference: %.2e%n", maxRel);
    }
    System.out.println(ok ? "sanity: OK" : "sanity: FAILED");
    if (!ok) System.exit(1);
  }
}
