package dev.nerve.bench;

import static org.bytedeco.pytorch.global.torch.cross_entropy;
import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.relu;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The peer: the same LeNet step with PyTorch 2.10 (libtorch through the JavaCPP presets): the
 * torch::nn modules Conv2d, Linear and Dropout (training mode), functional ReLU, max_pool2d and
 * flatten, torch::optim::SGD with momentum.
 */
final class TorchLenet implements AutoCloseable {
  private static final long[] POOL = {2, 2};
  private static final long[] NO_PAD = {0, 0};
  private static final long[] DILATION = {1, 1};

  private final Conv2dImpl conv1;
  private final Conv2dImpl conv2;
  private final LinearImpl fc1;
  private final DropoutImpl dropout;
  private final LinearImpl fc2;
  private final Module[] modules;
  private final TensorVector params;
  private final SGD optimizer;
  private final SGDOptions options;
  private final Tensor x;
  private final Tensor y;

  TorchLenet(int threads) {
    torch.set_num_threads(threads);
    torch.manual_seed(LenetSpec.SEED);
    try (LongPointer k = new LongPointer(5L, 5L)) {
      conv1 = new Conv2dImpl(1, 20, k);
      conv2 = new Conv2dImpl(20, 50, k);
    }
    fc1 = new LinearImpl(800, 500);
    dropout = new DropoutImpl(LenetSpec.DROPOUT);
    fc2 = new LinearImpl(500, LenetSpec.CLASSES);
    modules = new Module[] {conv1, conv2, fc1, dropout, fc2};
    for (Module m : modules) m.train(true);
    params = new TensorVector();
    for (Module m : modules) {
      for (Tensor p : m.parameters().get()) params.push_back(p);
    }
    options = new SGDOptions(LenetSpec.LR);
    options.momentum().put((double) LenetSpec.MOMENTUM);
    optimizer = new SGD(params, options);
    x = TorchTensors.fromFloats(LenetSpec.inputs(), LenetSpec.BATCH, LenetSpec.CHANNELS, LenetSpec.SIDE, LenetSpec.SIDE);
    int[] labels = LenetSpec.labels();
    long[] l = new long[labels.length];
    for (int i = 0; i < l.length; i++) l[i] = labels[i];
    try (LongPointer lp = new LongPointer(l)) {
      y = torch.from_blob(lp, new long[] {l.length}, new TensorOptions(torch.ScalarType.Long)).clone();
    }
  }

  private Tensor logits() {
    Tensor h = max_pool2d(relu(conv1.forward(x)), POOL, POOL, NO_PAD, DILATION, false);
    h = max_pool2d(relu(conv2.forward(h)), POOL, POOL, NO_PAD, DILATION, false);
    h = relu(fc1.forward(h.flatten(1, -1)));
    return fc2.forward(dropout.forward(h));
  }

  /** One training step: zero grads, forward (dropout on), cross-entropy, backward, SGD update. Returns the loss. */
  float step() {
    try (PointerScope scope = new PointerScope()) {
      optimizer.zero_grad();
      Tensor loss = cross_entropy(logits(), y);
      loss.backward();
      optimizer.step();
      return loss.item_float();
    }
  }

  /** The loss on the batch in evaluation mode (dropout off), without a gradient or an update. */
  float evalLoss() {
    for (Module m : modules) m.train(false);
    try (PointerScope scope = new PointerScope(); AutoGradMode noGrad = new AutoGradMode(false)) {
      return cross_entropy(logits(), y).item_float();
    } finally {
      for (Module m : modules) m.train(true);
    }
  }

  /** Overwrites the parameters (in {@link LenetSpec#PARAM_SHAPES}' order and layout). */
  void loadParameters(float[][] values) {
    TorchTensors.load(params, values, LenetSpec.PARAM_SHAPES);
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
