package dev.nerve.bench;

import java.util.Locale;

/**
 * Checks, outside the timed part, that both sides of {@link LenetStepBenchmark} are the same
 * network: PyTorch starts from Nerve's initial parameters (which also checks that the shapes and
 * their order agree), and the loss on the fixed batch in evaluation mode (no dropout) must agree
 * to 1e-4 relative. Then both train {@value #STEPS} steps in training mode; dropout draws
 * different masks on each side, so the curves are printed side by side but only required to be
 * finite and to fall by 5%. Exits non-zero otherwise.
 */
public final class LenetSanity {
  private static final int STEPS = 30;

  public static void main(String[] args) {
    float[] nerve = new float[STEPS];
    float[] torch = new float[STEPS];
    float[][] init;
    float nerveEval;
    float torchEval;
    try (NerveLenet n = new NerveLenet(StepBenchmark.THREADS)) {
      init = n.parameters();
      nerveEval = n.evalLoss();
      for (int i = 0; i < STEPS; i++) nerve[i] = n.step();
    }
    try (TorchClassifierStep t = TorchLenet.create(StepBenchmark.THREADS)) {
      t.loadParameters(init, LenetSpec.PARAM_SHAPES);
      torchEval = t.evalLoss();
      for (int i = 0; i < STEPS; i++) torch[i] = t.step();
    }
    double evalRel = Math.abs(nerveEval - torchEval) / Math.abs(torchEval);
    System.out.printf(Locale.ROOT, "sanity: LeNet, eval-mode loss from the same weights: Nerve %.6f, PyTorch %.6f"
        + " (relative difference %.2e; ln(10) = %.4f)%n", nerveEval, torchEval, evalRel, Math.log(10));
    System.out.println("sanity: training-mode loss on the fixed batch over " + STEPS + " steps (dropout masks differ)");
    System.out.println("  step      Nerve    PyTorch");
    boolean finite = true;
    for (int i = 0; i < STEPS; i++) {
      finite &= Float.isFinite(nerve[i]) && Float.isFinite(torch[i]);
      if (i % 5 == 0 || i == STEPS - 1) System.out.printf(Locale.ROOT, "  %4d  %9.5f  %9.5f%n", i + 1, nerve[i], torch[i]);
    }
    boolean ok = finite && evalRel < 1e-4
        && nerve[STEPS - 1] < 0.95f * nerve[0] && torch[STEPS - 1] < 0.95f * torch[0];
    System.out.println(ok ? "sanity: OK" : "sanity: FAILED");
    if (!ok) System.exit(1);
  }
}
