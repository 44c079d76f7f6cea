package dev.nerve.bench;

import static org.bytedeco.pytorch.global.torch.cross_entropy;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * PyTorch's side of a classifier's training-step benchmark (libtorch 2.10 through the JavaCPP
 * presets), the twin of {@link NerveClassifierStep}: torch::nn modules in training mode, a
 * forward function over them, torch::optim::SGD with {@link StepBenchmark}'s settings, and one
 * fixed batch (x, y) that every step trains on. {@link TorchMlp} and {@link TorchLenet} make one.
 */
final class TorchClassifierStep implements TrainingStep {
  private final Module[] modules;
  private final UnaryOperator<Tensor> forward;
  private final TensorVector params;
  private final SGDOptions options = new SGDOptions(StepBenchmark.LR);
  private final SGD optimizer;
  private final Tensor x;
  private final Tensor y;

  /** Sets PyTorch's threads and seed: call it before making the modules, whose initial weights the seed draws. */
  static void seed(int threads) {
    torch.set_num_threads(threads);
    torch.manual_seed(StepBenchmark.SEED);
  }

  /** forward: the logits of a batch, from the modules; y: class labels (Long). */
  TorchClassifierStep(Module[] modules, UnaryOperator<Tensor> forward, Tensor x, Tensor y) {
    this.modules = modules;
    this.forward = forward;
    for (Module m : modules) m.train(true);
    params = TorchTensors.parameters(modules);
    options.momentum().put((double) StepBenchmark.MOMENTUM);
    optimizer = new SGD(params, options);
    this.x = x;
    this.y = y;
  }

  /** One training step: zero grads, forward, cross-entropy, backward, SGD update. Returns the loss. */
  @Override
  public float step() {
    try (PointerScope scope = new PointerScope()) {
      optimizer.zero_grad();
      Tensor loss = cross_entropy(forward.apply(x), y);
      loss.backward();
      optimizer.step();
      return loss.item_float();
    }
  }

  /** The loss on the batch in evaluation mode (dropout off), without a gradient or an update. */
  float evalLoss() {
    for (Module m : modules) m.train(false);
    try (PointerScope scope = new PointerScope(); AutoGradMode noGrad = new AutoGradMode(false)) {
      return cross_entropy(forward.apply(x), y).item_float();
    } finally {
      for (Module m : modules) m.train(true);
    }
  }

  /** Overwrites the parameters, values[i] of shapes[i] (the spec's order and PyTorch's layout). */
  void loadParameters(float[][] values, long[][] shapes) {
    TorchTensors.load(params, values, shapes);
  }

  @Override
  public void close() {
    optimizer.close();
    options.close();
    params.close();
    x.close();
    y.close();
    for (Module m : modules) m.close();
  }
}
