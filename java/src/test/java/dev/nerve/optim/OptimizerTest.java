package dev.nerve.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Tensor;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each fused update against a plain Java reference of the documented rule (PyTorch's), over
 * several steps with changing gradients, on two parameter tensors of odd sizes.
 */
class OptimizerTest {
  private final Device cpu = Device.cpu();

  /** A reference update: given w, g, state arrays and the step number (from 1), updates w in place. */
  interface Reference {
    void step(double[] w, double[] g, double[][] state, int t);
  }

  private void compare(String name, Function<List<Tensor>, Optimizer> make, Reference ref, int stateSlots) {
    Generator gen = new Generator(name.hashCode());
    Tensor p1 = Tensor.randn(cpu, gen, 0, 1, 7, 13).keep().requiresGrad(true);
    Tensor p2 = Tensor.randn(cpu, gen, 0, 1, 1001).keep().requiresGrad(true);
    List<Tensor> params = List.of(p1, p2);
    double[][] w = {toDouble(p1.toArray()), toDouble(p2.toArray())};
    double[][][] state = {new double[stateSlots][w[0].length], new double[stateSlots][w[1].length]};
    Optimizer opt = make.apply(params);
    double worst = 0;
    for (int t = 1; t <= 5; t++) {
      for (int k = 0; k < 2; k++) {
        Tensor p = params.get(k);
        float[] g = Tensor.randn(cpu, gen, 0, 1, p.shape()).toArray();
        if (p.grad() == null) {
          try (Tensor gt = Tensor.of(cpu, g, p.shape())) {
            // seed the gradient through a backward so the tensor is the real grad buffer
            p.mul(gt).sum().backward();
          }
        } else {
          p.grad().copyFrom(g);
        }
        ref.step(w[k], toDouble(g), state[k], t);
      }
      opt.step();
      for (int k = 0; k < 2; k++) {
        float[] got = params.get(k).toArray();
        for (int i = 0; i < got.length; i++) {
          double err = Math.abs(got[i] - w[k][i]);
          worst = Math.max(worst, err);
          assertEquals(w[k][i], got[i], 1e-5 + 1e-5 * Math.abs(w[k][i]), name + " step " + t + " element " + i);
        }
      }
    }
    System.out.printf("%-22s max |fused - reference| over 5 steps = %.2e%n", name, worst);
    opt.close();
    p1.close();
    p2.close();
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = a[i];
    return d;
  }

  @Test
  void sgdPlain() {
    compare("sgd", p -> new SGD(p, 0.1f), (w, g, s, t) -> {
      for (int i = 0; i < w.length; i++) w[i] -= 0.1 * g[i];
    }, 0);
  }

  @Test
  void sgdMomentumWeightDecayDampening() {
    float lr = 0.05f, mu = 0.9f, damp = 0.1f, wd = 0.01f;
    compare("sgd momentum", p -> new SGD(p, lr, mu, damp, wd, false), (w, g, s, t) -> {
      for (int i = 0; i < w.length; i++) {
        double gi = g[i] + wd * w[i];
        s[0][i] = t == 1 ? gi : mu * s[0][i] + (1 - damp) * gi;
        w[i] -= lr * s[0][i];
      }
    }, 1);
  }

  @Test
  void sgdNesterov() {
    float lr = 0.05f, mu = 0.9f, wd = 0.001f;
    compare("sgd nesterov", p -> new SGD(p, lr, mu, 0f, wd, true), (w, g, s, t) -> {
      for (int i = 0; i < w.length; i++) {
        double gi = g[i] + wd * w[i];
        s[0][i] = t == 1 ? gi : mu * s[0][i] + gi;
        w[i] -= lr * (gi + mu * s[0][i]);
      }
    }, 1);
  }

  @Test
  void rmsprop() {
    float lr = 0.01f, alpha = 0.9f, eps = 1e-6f, wd = 0.01f, mu = 0.5f;
    compare("rmsprop momentum", p -> new RMSprop(p, lr, alpha, eps, wd, mu), (w, g, s, t) -> {
      for (int i = 0; i < w.length; i++) {
        double gi = g[i] + wd * w[i];
        s[0][i] = alpha * s[0][i] + (1 - alpha) * gi * gi;
        s[1][i] = mu * s[1][i] + gi / (Math.sqrt(s[0][i]) + eps);
        w[i] -= lr * s[1][i];
      }
    }, 2);
    compare("rmsprop", p -> new RMSprop(p, lr), (w, g, s, t) -> {
      for (int i = 0; i < w.length; i++) {
        s[0][i] = 0.99 * s[0][i] + 0.01 * g[i] * g[i];
        w[i] -= lr * g[i] / (Math.sqrt(s[0][i]) + 1e-8);
      }
    }, 1);
  }

  private static Reference adamRef(float lr, float b1, float b2, float eps, float wd, boolean decoupled) {
    return (w, g, s, t) -> {
      for (int i = 0; i < w.length; i++) {
        double gi = g[i];
        if (decoupled) w[i] -= lr * wd * w[i];
        else gi += wd * w[i];
        s[0][i] = b1 * s[0][i] + (1 - b1) * gi;
        s[1][i] = b2 * s[1][i] + (1 - b2) * gi * gi;
        double mhat = s[0][i] / (1 - Math.pow(b1, t));
        double vhat = s[1][i] / (1 - Math.pow(b2, t));
        w[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
      }
    };
  }

  @Test
  void adamAndAdamW() {
    compare("adam", p -> new Adam(p, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f), adamRef(0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, false), 2);
    compare("adamw", p -> new AdamW(p, 0.01f, 0.8f, 0.99f, 1e-6f, 0.05f), adamRef(0.01f, 0.8f, 0.99f, 1e-6f, 0.05f, true), 2);
  }
}
