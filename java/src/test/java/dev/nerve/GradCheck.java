package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Finite-difference gradient checks: L = sum(f(inputs) * R) for a fixed random R, the analytic
 * gradient from backward() against central differences of L evaluated in double on the host.
 */
final class GradCheck {
  private GradCheck() {}

  /** Checks every input (or up to 60 sampled elements of each) and returns the largest error. */
  static double check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
    return check(name, 1e-3f, 3e-3, 3e-2, f, inputs);
  }

  static double check(String name, float eps, double atol, double rtol, Function<Tensor[], Tensor> f, Tensor... inputs) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    for (Tensor t : inputs) {
      t.clearGrad();
    }
    double[] r;
    try (Scope s = Scope.open()) {
      Tensor out = f.apply(inputs);
      r = new double[(int) out.numel()];
      float[] rf = new float[r.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = rnd.nextDouble(-1, 1);
        rf[i] = (float) r[i];
      }
      Tensor weights = Tensor.of(out.device(), rf, out.shape());
      out.mul(weights).sum().backward();
    }
    double worst = 0;
    for (int k = 0; k < inputs.length; k++) {
      Tensor in = inputs[k];
      if (!in.requiresGrad()) continue;
      float[] analytic = in.grad().toArray();
      float[] values = in.toArray();
      int n = values.length;
      int samples = Math.min(n, 60);
      for (int sidx = 0; sidx < samples; sidx++) {
        int i = n <= 60 ? sidx : rnd.nextInt(n);
        float orig = values[i];
        values[i] = orig + eps;
        double plus = loss(f, inputs, in, values, r);
        values[i] = orig - eps;
        double minus = loss(f, inputs, in, values, r);
        values[i] = orig;
        restore(in, values);
        // Divide by the step the float inputs really took, not by 2 * eps.
        double numeric = (plus - minus) / ((double) (orig + eps) - (double) (orig - eps));
        double err = Math.abs(analytic[i] - numeric);
        worst = Math.max(worst, err);
        assertTrue(err <= atol + rtol * Math.abs(numeric),
            name + ": input " + k + " element " + i + ": analytic " + analytic[i] + " vs numeric " + numeric);
      }
    }
    System.out.printf("gradcheck %-28s max |analytic - numeric| = %.2e%n", name, worst);
    return worst;
  }

  private static double loss(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor in, float[] values, double[] r) {
    restore(in, values);
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      float[] out = f.apply(inputs).toArray();
      double sum = 0;
      for (int i = 0; i < out.length; i++) sum += out[i] * r[i];
      return sum;
    }
  }

  private static void restore(Tensor in, float[] values) {
    try (Grad g = Grad.off()) {
      in.copyFrom(values);
    }
  }
}
