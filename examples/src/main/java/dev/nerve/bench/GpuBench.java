package dev.nerve.bench;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.RecurrentOutput;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.examples.MnistCnn;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.internal.Tensors;
import dev.nerve.internal.ops.Convolutions;
import dev.nerve.internal.ops.Operand;
import dev.nerve.optim.Adam;
import dev.nerve.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Nerve's side of the GPU benchmarks (the GPU kit's bench.sh runs it next to ci/gpu_peers.py,
 * the PyTorch/cuBLAS/cuDNN side, and joins the two): GEMM FP32 and TF32, softmax, a device-to-device
 * copy, a sum, an mnist-mlp training step, conv2d forward and backward (issue 5's shape), a LeNet
 * training step and an LSTM training step (issue 6's shape). Each figure is the median of several timed repetitions,
 * synchronised on the device before and after.
 *
 * <pre>java -cp nerve.jar dev.nerve.bench.GpuBench [--device cuda|cuda-sim|cpu] [--quick]</pre>
 *
 * Prints one line per measurement: {@code name<TAB>value<TAB>unit}.
 */
public final class GpuBench {
  private final Device device;
  private final boolean quick;
  private final List<String> lines = new ArrayList<>();

  private GpuBench(Device device, boolean quick) {
    this.device = device;
    this.quick = quick;
  }

  public static void main(String[] args) {
    String deviceName = "cuda";
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--device") && i + 1 < args.length) deviceName = args[++i];
      else if (args[i].equals("--quick")) quick = true;
      else {
        System.err.println("usage: GpuBench [--device cuda|cuda-sim|cpu] [--quick]");
        System.exit(2);
      }
    }
    new GpuBench(Device.parse(deviceName), quick).run();
  }

  private void run() {
    System.out.println("# nerve gpu bench on " + device + (quick ? " (quick sizes)" : ""));
    long[][] gemms = quick
        ? new long[][] {{64, 64, 64}, {128, 10, 256}}
        : new long[][] {{1024, 1024, 1024}, {4096, 4096, 4096}, {8192, 8192, 8192}, {128, 512, 784}, {128, 256, 512},
            {128, 10, 256}, {512, 1024, 4096}, {32, 1024, 256}, {3136, 64, 576}};
    for (long[] s : gemms) gemm(s[0], s[1], s[2], false);
    for (long[] s : gemms) if (s[0] >= 1024 || quick) gemm(s[0], s[1], s[2], true);
    long[][] softmaxes = quick ? new long[][] {{64, 100}, {8, 5000}} : new long[][] {{4096, 1000}, {4096, 32768}};
    for (long[] s : softmaxes) softmax(s[0], s[1]);
    copy(quick ? 1 << 16 : 1L << 28);
    sum(quick ? 1 << 16 : 32L * 64 * 56 * 56);
    mlpStep(quick ? 8 : 128);
    for (String pass : new String[] {"forward", "backward_data", "backward_filter"}) {
      if (quick) conv(pass, 2, 8, 10, 8);
      else conv(pass, 32, 64, 56, 64);
    }
    if (quick) convKernels(2, 8, 10, 8);
    else convKernels(32, 64, 56, 64);
    lenetStep(quick ? 4 : 64);
    if (quick) lstmStep(5, 3, 8, 16, 7);
    else lstmStep(64, 32, 128, 256, 65);
  }

  /** Median seconds of reps runs of body, after warm-up, each fenced by device.synchronize(). */
  private double time(int reps, Runnable body) {
    for (int i = 0; i < Math.max(2, reps / 5); i++) body.run();
    device.synchronize();
    double[] t = new double[reps];
    for (int i = 0; i < reps; i++) {
      long start = System.nanoTime();
      body.run();
      device.synchronize();
      t[i] = (System.nanoTime() - start) * 1e-9;
    }
    java.util.Arrays.sort(t);
    return t[reps / 2];
  }

  private void report(String name, double value, String unit) {
    String line = String.format(Locale.ROOT, "%s\t%.1f\t%s", name, value, unit);
    lines.add(line);
    System.out.println(line);
  }

  private void gemm(long m, long n, long k, boolean tf32) {
    Generator gen = new Generator(1);
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      Tensor a = Tensor.rand(device, gen, -1, 1, m, k);
      Tensor b = Tensor.rand(device, gen, -1, 1, k, n);
      device.allowTf32(tf32);
      int reps = quick ? 3 : (m * n * k > 1e11 ? 10 : 50);
      double sec = time(reps, () -> a.matmul(b).close());
      device.allowTf32(false);
      report("gemm_" + (tf32 ? "tf32" : "fp32") + "_" + m + "x" + n + "x" + k, 2.0 * m * n * k / sec / 1e9, "GFLOP/s");
    }
  }

  private void softmax(long rows, long cols) {
    Generator gen = new Generator(2);
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      Tensor x = Tensor.rand(device, gen, -5, 5, rows, cols);
      double sec = time(quick ? 3 : 50, () -> x.softmax(-1).close());
      // bytes moved: read x once, write y once
      report("softmax_" + rows + "x" + cols, 2.0 * rows * cols * 4 / sec / 1e9, "GB/s");
    }
  }

  private void copy(long n) {
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      Tensor src = Tensor.zeros(device, n);
      Tensor dst = Tensor.empty(device, DType.F32, n);
      double sec = time(quick ? 3 : 50, () -> dst.copyFrom(src));
      report("copy_d2d_" + n, 2.0 * n * 4 / sec / 1e9, "GB/s");
    }
  }

  /** A whole-tensor sum (the conv benchmarks' y.sum()), in GB/s read. */
  private void sum(long n) {
    Generator gen = new Generator(4);
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      Tensor x = Tensor.rand(device, gen, -1, 1, n);
      double sec = time(quick ? 3 : 50, () -> x.sum().close());
      report("sum_" + n, n * 4.0 / sec / 1e9, "GB/s");
    }
  }

  private void mlpStep(int batch) {
    Generator gen = new Generator(3);
    Sequential model = new Sequential(new Linear(784, 512, true, device, gen), new ReLU(),
        new Linear(512, 256, true, device, gen), new ReLU(), new Linear(256, 10, true, device, gen));
    classifierStep("mnist_mlp_step_b" + batch, "examples/s", model, gen, batch, 784);
  }

  /**
   * Training steps of model (SGD momentum 0.9, cross-entropy over 10 classes) on one batch of
   * random inputs of shape xShape drawn from gen, in examples per second; closes the model.
   */
  private void classifierStep(String name, String unit, Sequential model, Generator gen, long... xShape) {
    long batch = xShape[0];
    SGD opt = new SGD(model.parameters(), 0.01f, 0.9f);
    Tensor x = Tensor.rand(device, gen, 0, 1, xShape).keep();
    int[] labels = new int[(int) batch];
    for (int i = 0; i < batch; i++) labels[i] = i % 10;
    Tensor y = Tensor.ofInts(device, labels).keep();
    model.train();
    double sec = time(quick ? 3 : 200, () -> {
      try (Scope s = Scope.open()) {
        opt.zeroGrad();
        F.crossEntropy(model.forward(x), y).backward();
        opt.step();
      }
    });
    report(name, batch / sec, unit);
    opt.close();
    model.close();
    x.close();
    y.close();
  }

  /**
   * conv2d 3x3, stride 1, pad 1, FP32, through autograd as ConvBenchmark does on the CPU: forward
   * alone, or forward + backward for the input (backward_data) or the weight (backward_filter).
   * GFLOP/s counts the forward's 2*N*K*C*9*H*W per pass done (1 for forward, 2 otherwise).
   */
  private void conv(String pass, int n, int c, int hw, int k) {
    Generator gen = new Generator(5);
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.rand(device, gen, -1, 1, n, c, hw, hw);
      Tensor w = Tensor.rand(device, gen, -0.05f, 0.05f, k, c, 3, 3);
      x.requiresGrad(pass.equals("backward_data"));
      w.requiresGrad(pass.equals("backward_filter"));
      double sec = time(quick ? 3 : 20, () -> {
        try (Scope inner = Scope.open()) {
          Tensor y = F.conv2d(x, w, null, 1, 1);
          if (!pass.equals("forward")) y.sum().backward();
        }
      });
      double flop = 2.0 * n * k * c * 9 * hw * hw * (pass.equals("forward") ? 1 : 2);
      report("conv3x3_" + pass + "_n" + n + "c" + c + "hw" + hw + "k" + k, flop / sec / 1e9, "GFLOP/s");
    }
  }

  /**
   * The three conv kernels alone (Convolutions, no autograd, no sum): what the
   * autograd figures above spend outside the convolution is the difference.
   */
  private void convKernels(int n, int c, int hw, int k) {
    Generator gen = new Generator(7);
    long[] geom = {1, 1, 1, 1, 1, 1};
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      Tensor x = Tensor.rand(device, gen, -1, 1, n, c, hw, hw);
      Tensor w = Tensor.rand(device, gen, -0.05f, 0.05f, k, c, 3, 3);
      Tensor y = Tensor.empty(device, DType.F32, n, k, hw, hw);
      Tensor dx = Tensor.empty(device, DType.F32, n, c, hw, hw);
      Tensor dw = Tensor.empty(device, DType.F32, k, c, 3, 3);
      double flop = 2.0 * n * k * c * 9 * hw * hw;
      String shape = "_n" + n + "c" + c + "hw" + hw + "k" + k;
      int reps = quick ? 3 : 20;
      Operand ox = Tensors.data(x);
      Operand ow = Tensors.data(w);
      Operand oy = Tensors.data(y);
      double fwd = time(reps, () -> Convolutions.conv2dForward(ox, ow, null, geom, 1, oy));
      report("conv3x3_kernel_forward" + shape, flop / fwd / 1e9, "GFLOP/s");
      double data = time(reps, () -> Convolutions.conv2dBackwardData(oy, ow, geom, 1, Tensors.data(dx)));
      report("conv3x3_kernel_backward_data" + shape, flop / data / 1e9, "GFLOP/s");
      double filter = time(reps, () -> Convolutions.conv2dBackwardFilter(ox, oy, geom, 1, Tensors.data(dw), null));
      report("conv3x3_kernel_backward_filter" + shape, flop / filter / 1e9, "GFLOP/s");
    }
  }

  /** One LeNet training step (the mnist-cnn model), as mlpStep. */
  private void lenetStep(int batch) {
    Generator gen = new Generator(6);
    classifierStep("lenet_step_b" + batch, "images/s", MnistCnn.lenet(device, gen), gen, batch, 1, 28, 28);
  }

  /**
   * One LSTM training step as LstmBenchmark on the CPU (issue 6's shape: seq 64, batch 32, input
   * 128, hidden 256, a linear layer to 65 classes at every step, cross-entropy, full BPTT, Adam),
   * in tokens (seq x batch) per second.
   */
  private void lstmStep(int seq, int batch, int in, int hidden, int classes) {
    Generator gen = new Generator(8);
    LSTM lstm = new LSTM(in, hidden, 1, false, device, gen);
    Linear head = new Linear(hidden, classes, true, device, gen);
    List<Tensor> params = new ArrayList<>(lstm.parameters());
    params.addAll(head.parameters());
    Adam adam = new Adam(params, 1e-3f);
    Tensor x = Tensor.rand(device, gen, -1, 1, seq, batch, in).keep();
    int[] labels = new int[seq * batch];
    for (int i = 0; i < labels.length; i++) labels[i] = (i * 7) % classes;
    Tensor y = Tensor.ofInts(device, labels).keep();
    double sec = time(quick ? 3 : 50, () -> {
      try (Scope s = Scope.open()) {
        RecurrentOutput o = lstm.forward(x, null);
        Tensor loss = F.crossEntropy(head.forward(o.output()).reshape(-1, classes), y);
        adam.zeroGrad();
        loss.backward();
        adam.step();
      }
    });
    report("lstm_step_s" + seq + "b" + batch + "h" + hidden, (double) seq * batch / sec, "tokens/s");
    adam.close();
    lstm.close();
    head.close();
    x.close();
    y.close();
  }
}
