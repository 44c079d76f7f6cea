package dev.nerve.bench;

import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.relu;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The peer: the same LeNet step with PyTorch 2.10 (libtorch through the JavaCPP presets): the
 * torch::nn modules Conv2d, Linear and Dropout (training mode), functional ReLU, max_pool2d and
 * flatten, torch::optim::SGD with momentum.
 */
final class TorchLenet {
  private static final long[] POOL = {2, 2};
  private static final long[] NO_PAD = {0, 0};
  private static final long[] DILATION = {1, 1};

  private TorchLenet() {}

  /** Parameters in {@link LenetSpec#PARAM_SHAPES}' order and layout. */
  static TorchClassifierStep create(int threads) {
    TorchClassifierStep.seed(threads);
    Conv2dImpl conv1;
    Conv2dImpl conv2;
    try (LongPointer k = new LongPointer(5L, 5L)) {
      conv1 = new Conv2dImpl(1, 20, k);
      conv2 = new Conv2dImpl(20, 50, k);
    }
    LinearImpl fc1 = new LinearImpl(800, 500);
    DropoutImpl dropout = new DropoutImpl(LenetSpec.DROPOUT);
    LinearImpl fc2 = new LinearImpl(500, LenetSpec.CLASSES);
    return new TorchClassifierStep(new Module[] {conv1, conv2, fc1, dropout, fc2}, x -> {
      Tensor h = max_pool2d(relu(conv1.forward(x)), POOL, POOL, NO_PAD, DILATION, false);
      h = max_pool2d(relu(conv2.forward(h)), POOL, POOL, NO_PAD, DILATION, false);
      h = relu(fc1.forward(h.flatten(1, -1)));
      return fc2.forward(dropout.forward(h));
    }, TorchTensors.fromFloats(LenetSpec.inputs(), LenetSpec.BATCH, LenetSpec.CHANNELS, LenetSpec.SIDE, LenetSpec.SIDE),
        TorchTensors.fromInts(LenetSpec.labels()));
  }
}
