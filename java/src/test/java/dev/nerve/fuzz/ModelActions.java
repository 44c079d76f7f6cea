package dev.nerve.fuzz;

import static dev.nerve.fuzz.Campaign.d;
import static dev.nerve.fuzz.Campaign.first;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.BatchNorm2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.GRU;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Linear;
import dev.nerve.nn.Module;
import dev.nerve.nn.RNN;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.SGD;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * The actions above single ops: layers (built with random, sometimes invalid or absurd sizes, and
 * run on inputs that fit or not), optimizers, autograd (backward, grad, in-place changes of saved
 * tensors, a second backward, a step between forward and backward), scopes opened and closed in
 * and out of order and from another thread, and checkpoints saved, loaded and corrupted.
 */
final class ModelActions {
  private final Campaign c;
  private final Random r;

  ModelActions(Campaign c) {
    this.c = c;
    this.r = c.r;
  }

  void next() {
    int k = r.nextInt(100);
    if (k < 14) newLayer();
    else if (k < 34) forward();
    else if (k < 46) trainStep();
    else if (k < 62) autograd();
    else if (k < 70) staleAutograd();
    else if (k < 97) scope();
    else checkpoint(); // rare: each save writes and syncs a file
  }

  // ------------------------------------------------------------------ layers

  private void newLayer() {
    Device dev = c.device();
    long a = size();
    long b = size();
    int layers = r.nextInt(30) == 0 ? Integer.MAX_VALUE : r.nextInt(4) - (r.nextInt(10) == 0 ? 1 : 0);
    int kind = r.nextInt(7);
    boolean recurrent = kind >= 4;
    // a size of 2^40 or more, or 2^31 - 1 layers, is 4 TiB of parameters or more: no device has it
    boolean absurd = a >= HUGE || (kind != 3 && b >= HUGE) || (recurrent && layers == Integer.MAX_VALUE);
    String bad = first(a <= 0 || (kind != 3 && b <= 0) ? "size " + a + " x " + b : null,
        recurrent && layers <= 0 ? "numLayers " + layers : null,
        absurd ? "absurd size " + a + " x " + b + (recurrent ? ", " + layers + " layers" : "") : null);
    String args = a + ", " + b + (recurrent ? ", layers " + layers : "") + ", " + dev;
    Module m = c.call(new String[] {"new Linear", "new Conv2d", "new Embedding", "new BatchNorm2d", "new LSTM", "new GRU",
        "new RNN"}[kind], args, bad, true,
        () -> switch (kind) {
          case 0 -> new Linear(a, b, r.nextBoolean(), dev, c.gen);
          case 1 -> new Conv2d(a, b, 1 + r.nextInt(3), 1, 0, 1, 1, true, dev, c.gen);
          case 2 -> new Embedding(a, b, dev, c.gen);
          case 3 -> new BatchNorm2d(a, 1e-5f, 0.1f, dev);
          case 4 -> new LSTM(a, b, layers, r.nextBoolean(), dev, c.gen);
          case 5 -> new GRU(a, b, layers, r.nextBoolean(), dev, c.gen);
          default -> new RNN(a, b, layers, r.nextBoolean(), r.nextBoolean(), dev, c.gen);
        });
    if (m == null) return;
    c.modules.add(m);
    if (c.modules.size() > 8) {
      Module old = c.modules.remove(0);
      c.call("Module.close", old.toString(), null, false, () -> {
        old.close();
        return null;
      });
    }
  }

  private static final long HUGE = 1L << 40;

  /**
   * Mostly 1..8; sometimes 0, negative, or 2^40 and more (never in between: a layer of a few GB
   * would be allocated for real and crowd the machine).
   */
  private long size() {
    int k = r.nextInt(60);
    if (k == 0) return 0;
    if (k == 1) return -3;
    if (k == 2) return HUGE << r.nextInt(20);
    return 1 + r.nextInt(8);
  }

  private Module anyModule() {
    return c.modules.isEmpty() ? null : c.modules.get(r.nextInt(c.modules.size()));
  }

  /** An input that fits the module most of the time, or a pool tensor. */
  private Tensor inputFor(Module m) {
    if (r.nextInt(5) == 0) return c.pick();
    Device dev = m.parameters().isEmpty() || m.parameters().get(0).isClosed() ? c.cpu : m.parameters().get(0).device();
    long[] shape;
    String name = m.getClass().getSimpleName();
    long first = m.parameters().isEmpty() ? 1 : m.parameters().get(0).shape()[m.parameters().get(0).dim() - 1];
    long lead = 1 + r.nextInt(4);
    switch (name) {
      case "Linear" -> shape = new long[] {lead, first};
      case "Conv2d" -> shape = new long[] {lead, m.parameters().get(0).size(1), 3 + r.nextInt(3), 3 + r.nextInt(3)};
      case "BatchNorm2d" -> shape = new long[] {lead, m.parameters().get(0).size(0), 2, 2};
      case "Embedding" -> {
        long num = m.parameters().get(0).size(0);
        int[] idx = new int[(int) lead];
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt((int) num);
        return c.call("Tensor.ofInts", Arrays.toString(idx), null, true, () -> Tensor.ofInts(dev, idx, idx.length));
      }
      default -> shape = new long[] {1 + r.nextInt(3), lead, first}; // recurrent: [T, B, in]
    }
    long[] s = shape;
    return c.call("Tensor.randn", Arrays.toString(s), null, true, () -> Tensor.randn(dev, c.gen, 0, 1, s));
  }

  private void forward() {
    Module m = anyModule();
    if (m == null) {
      newLayer();
      return;
    }
    Tensor x = inputFor(m);
    if (x == null) return;
    c.add(x);
    boolean closedModule = !m.parameters().isEmpty() && m.parameters().get(0).isClosed();
    String bad = x.isClosed() ? "closed input" : closedModule ? "closed module" : null;
    c.add(c.call(m.getClass().getSimpleName() + ".forward", d(x), bad, true, () -> m.forward(x)));
  }

  // ------------------------------------------------------------------ optimizers

  private void trainStep() {
    Module m = anyModule();
    if (m == null || m instanceof Embedding || m.parameters().isEmpty()) {
      newLayer();
      return;
    }
    boolean closed = m.parameters().get(0).isClosed();
    float lr = r.nextInt(10) == 0 ? -0.1f : r.nextInt(10) == 0 ? Float.NaN : 0.01f;
    String badLr = !(lr >= 0) ? "learning rate " + lr : null;
    Optimizer opt = c.call(r.nextBoolean() ? "new SGD" : "new Adam", m + ", lr " + lr, closed ? "closed parameters" : badLr, false,
        () -> r.nextBoolean() ? new SGD(m.parameters(), lr, 0.9f) : new Adam(m.parameters(), lr));
    if (opt == null) return;
    c.optimizers.add(opt);
    if (c.optimizers.size() > 4) {
      Optimizer old = c.optimizers.remove(0);
      c.call("Optimizer.close", "", null, false, () -> {
        old.close();
        return null;
      });
    }
    for (int step = 0; step < 1 + r.nextInt(3); step++) {
      Tensor x = inputFor(m);
      if (x == null) return;
      c.add(x);
      c.call("train step", m + ", " + d(x), x.isClosed() ? "closed input" : null, false, () -> {
        try (Scope s = Scope.open()) {
          opt.zeroGrad();
          Tensor y = m.forward(x);
          y.square().mean().backward();
          opt.step();
        }
        return null;
      });
    }
  }

  // ------------------------------------------------------------------ autograd

  /** backward through a random chain, with the gradient of x*x checked against 2x. */
  private void autograd() {
    Device dev = c.device();
    long[] s = c.smallShape();
    Tensor x = c.call("Tensor.randn", Arrays.toString(s), null, true, () -> Tensor.randn(dev, c.gen, 0, 1, s).requiresGrad(true));
    if (x == null) return;
    c.add(x);
    if (r.nextBoolean()) {
      float[] got = c.call("x*x backward grad", d(x), null, false, () -> {
        x.clearGrad();
        x.mul(x).sum().backward();
        return x.grad().toArray();
      });
      float[] xs = c.call("toArray", d(x), null, false, x::toArray);
      if (got != null && xs != null) {
        for (int i = 0; i < xs.length; i++) {
          if (Math.abs(got[i] - 2 * xs[i]) > 1e-5f * Math.max(1, Math.abs(xs[i]))) {
            c.wrong("backward", "d(sum x*x)/dx[" + i + "] is " + got[i] + ", not 2x = " + 2 * xs[i]);
            break;
          }
        }
      }
      return;
    }
    Tensor other = c.pick();
    String[] ops = {"tanh", "sigmoid", "exp", "relu", "softmax", "logSoftmax", "mul", "add", "matmul", "sum(dim)"};
    String op = ops[r.nextInt(ops.length)];
    c.call("backward via " + op, d(x) + ", " + d(other), null, false, () -> {
      Tensor y = switch (op) {
        case "tanh" -> x.tanh();
        case "sigmoid" -> x.sigmoid();
        case "exp" -> x.exp();
        case "relu" -> x.relu();
        case "softmax" -> x.softmax(-1);
        case "logSoftmax" -> x.logSoftmax(-1);
        case "mul" -> x.mul(other);
        case "add" -> x.add(other);
        case "matmul" -> x.matmul(other);
        default -> x.sum(0, false);
      };
      y.sum().backward();
      Tensor g = x.grad();
      if (g != null && !Arrays.equals(g.shape(), x.shape())) {
        c.wrong("backward", "grad of " + d(x) + " has shape " + Arrays.toString(g.shape()));
      }
      return null;
    });
  }

  /**
   * What PyTorch refuses: a tensor saved for backward changed in place before the backward
   * (fill, copyFrom, an optimizer step), and a second backward through a graph already used.
   */
  private void staleAutograd() {
    Device dev = c.device();
    long n = 1 + r.nextInt(6);
    Tensor x = c.call("Tensor.randn", "[" + n + "]", null, true, () -> Tensor.randn(dev, c.gen, 0, 1, n).requiresGrad(true));
    Tensor w = c.call("Tensor.randn", "[" + n + "]", null, true, () -> Tensor.randn(dev, c.gen, 0, 1, n));
    c.add(x);
    c.add(w);
    if (x == null || w == null) return;
    switch (r.nextInt(4)) {
      case 0 -> {
        Tensor y = c.call("mul", d(x) + ", " + d(w), null, true, () -> x.mul(w).sum());
        if (y == null) return;
        Object changed = c.call("fill", d(w) + " (saved for mul's backward)", null, true, () -> w.fill(5f));
        if (changed != null) c.call("backward", "after w.fill", "w was changed in place after mul saved it", false, () -> {
          y.backward();
          return null;
        });
      }
      case 1 -> {
        Tensor y = c.call("mul", d(x) + ", " + d(w), null, true, () -> x.mul(w).sum());
        if (y == null) return;
        float[] data = new float[(int) n];
        Arrays.fill(data, 3f);
        Object changed = c.call("copyFrom", d(w) + " (saved for mul's backward)", null, true, () -> w.copyFrom(data));
        if (changed != null) c.call("backward", "after w.copyFrom", "w was overwritten after mul saved it", false, () -> {
          y.backward();
          return null;
        });
      }
      case 2 -> {
        Tensor y = c.call("mul", d(x) + " * itself", null, true, () -> x.mul(x).sum());
        if (y == null) return;
        Object first = c.call("backward", "first", null, false, () -> {
          y.backward();
          return Boolean.TRUE;
        });
        if (first != null) c.call("backward", "second, through the same graph", "second backward without retaining the graph", false,
            () -> {
              y.backward();
              return null;
            });
      }
      default -> {
        // Applied twice: the second application's backward reads the weight (for the gradient of
        // its input), so a step in between must be refused. After one application only the
        // input is read (the weight's gradient does not depend on the weight), which PyTorch
        // accepts too.
        Linear m = c.call("new Linear", n + ", " + n, null, true, () -> new Linear(n, n, true, dev, c.gen));
        if (m == null) return;
        c.modules.add(m);
        SGD opt = c.call("new SGD", "lr 0.5", null, false, () -> new SGD(m.parameters(), 0.5f));
        if (opt == null) return;
        c.optimizers.add(opt);
        Tensor in = c.call("unsqueeze", d(w), null, true, () -> w.unsqueeze(0));
        if (in == null) return;
        Object warm = c.call("train step", "to give the weights gradients", null, false, () -> {
          m.forward(in).sum().backward();
          opt.step();
          return Boolean.TRUE;
        });
        Tensor loss = c.call("Linear.forward twice", d(in), null, false, () -> m.forward(m.forward(in)).square().sum());
        if (warm == null || loss == null) return;
        Object stepped = c.call("SGD.step", "between forward and backward", null, false, () -> {
          opt.step();
          return Boolean.TRUE;
        });
        if (stepped != null) c.call("backward", "after opt.step()", "the weights changed in place after forward saved them", false,
            () -> {
              loss.backward();
              return null;
            });
      }
    }
  }

  // ------------------------------------------------------------------ scopes

  private void scope() {
    int k = r.nextInt(10);
    if (c.scopes.isEmpty() ? k < 5 : k < 3) {
      if (c.scopes.size() < 4) c.scopes.add(c.call("Scope.open", "depth " + c.scopes.size(), null, false, Scope::open));
      c.scopes.removeIf(s -> s == null);
      return;
    }
    if (c.scopes.isEmpty()) return;
    int i = r.nextInt(c.scopes.size());
    Scope s = c.scopes.get(i);
    if (k == 9) {
      // another thread closes it: must be refused
      Object[] outcome = new Object[1];
      c.call("Scope.close", "scope " + i + " of " + c.scopes.size() + " from another thread", "closed from another thread", false, () -> {
        Thread t = new Thread(() -> {
          try {
            s.close();
          } catch (Throwable e) {
            outcome[0] = e;
          }
        });
        t.start();
        t.join();
        if (outcome[0] instanceof Throwable e) throw e;
        return null;
      });
      return;
    }
    // in or out of order: closing an outer scope closes the ones opened after it
    c.call("Scope.close", "scope " + i + " of " + c.scopes.size(), null, false, () -> {
      s.close();
      return null;
    });
    while (c.scopes.size() > i) c.scopes.remove(c.scopes.size() - 1);
  }

  // ------------------------------------------------------------------ checkpoints

  private void checkpoint() {
    Device dev = c.device();
    long in = 1 + r.nextInt(4);
    long out = 1 + r.nextInt(4);
    Linear a = c.call("new Linear", in + ", " + out, null, true, () -> new Linear(in, out, true, dev, c.gen));
    Linear b = c.call("new Linear", in + ", " + out, null, true, () -> new Linear(in, out, true, dev, c.gen));
    if (a == null || b == null) return;
    c.modules.add(a);
    c.modules.add(b);
    try {
      Path file = Files.createTempFile("nerve-fuzz", ".safetensors");
      try {
        c.call("Module.save", file.toString(), null, false, () -> {
          a.save(file);
          return null;
        });
        byte[] bytes = Files.readAllBytes(file);
        int k = r.nextInt(3);
        if (k == 0) {
          Object ok = c.call("Module.load", "the saved file", null, false, () -> {
            b.load(file);
            return Boolean.TRUE;
          });
          if (ok != null && !Arrays.equals(c.call("toArray", "", null, false, () -> a.weight().toArray()),
              c.call("toArray", "", null, false, () -> b.weight().toArray()))) {
            c.wrong("Module.load", "the loaded weights differ from the saved ones");
          }
          return;
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int dataStart = (int) (8 + headerLength);
        String what;
        if (k == 1 && bytes.length > dataStart) {
          int at = dataStart + r.nextInt(bytes.length - dataStart);
          bytes[at] ^= (byte) (1 << r.nextInt(8));
          what = "a bit flipped in the tensor data at byte " + at;
        } else {
          bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length));
          what = "truncated to " + bytes.length + " bytes";
        }
        Files.write(file, bytes);
        c.call("Checkpoint.load", what, what, false, () -> Checkpoint.load(file, b, Map.of()));
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (java.io.IOException e) {
      c.oracle.expected("temp file", e);
    }
  }
}
